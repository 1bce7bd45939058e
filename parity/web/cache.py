"""Cached view models: a page's view for the same store version, filters, options and privacy
rule is computed once. With PARITY_REDIS_URL the server's workers share the cache; without it
each worker keeps its own (the latest few hundred views).

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
TTL_SECONDS = 3600


class ViewCache:
    def __init__(self, redis_url: str | None) -> None:
        self._lock = threading.Lock()
        self._local: OrderedDict[str, Any] = OrderedDict()
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
                return self._local[key]
        return None

    def put(self, key: str, value: Any) -> None:
        if self._redis is not None:
            self._redis.set(key, pickle.dumps(value), ex=TTL_SECONDS)
            return
        with self._lock:
            self._local[key] = value
            self._local.move_to_end(key)
            while len(self._local) > LOCAL_ENTRIES:
                self._local.popitem(last=False)
