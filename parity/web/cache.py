"""Cached view models: a page's view for the same store version, filters, options and privacy
rule is computed once. With PARITY_REDIS_URL the server's workers share the cache; without it
each worker keeps its own: the latest views up to LOCAL_ENTRIES and LOCAL_BYTES (their pickled
size), so that a worker's memory does not grow with the size of the views (an entity-by-grade
table of 600 entities is megabytes).

The key holds everything a view depends on: the store's version (a new batch makes every entry
stale), the view function, the filters, the options and the rule the user's scope gives; so a
focal point's exact view is never served to someone whose rule is public.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from typing import Any

LOCAL_ENTRIES = 256
LOCAL_BYTES = 64 * 2**20
TTL_SECONDS = 3600


class ViewCache:
    def __init__(self, redis_url: str | None) -> None:
        self._lock = threading.Lock()
        self._local: OrderedDict[str, tuple[Any, int]] = OrderedDict()  # value, its size
        self._bytes = 0
        self._redis: Any = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)

    @staticmethod
    def key(*parts: object) -> str:
        return "parity:view:" + hashlib.sha256(repr(parts).encode()).hexdigest()

    def get(self, key: str) -> Any | None:
        if self._redis is not None:
            blob = self._redis.get(key)
            # the cache holds only what this server's workers wrote (a trusted Redis)
            return None if blob is None else pickle.loads(blob)
        with self._lock:
            if key in self._local:
                self._local.move_to_end(key)
                return self._local[key][0]
        return None

    def put(self, key: str, value: Any) -> None:
        if self._redis is not None:
            self._redis.set(key, pickle.dumps(value), ex=TTL_SECONDS)
            return
        size = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        if size > LOCAL_BYTES // 4:
            return  # one view may not push out most of the others
        with self._lock:
            if key in self._local:
                self._bytes -= self._local.pop(key)[1]
            self._local[key] = (value, size)
            self._bytes += size
            while len(self._local) > LOCAL_ENTRIES or self._bytes > LOCAL_BYTES:
                self._bytes -= self._local.popitem(last=False)[1][1]
