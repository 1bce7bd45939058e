"""Cached view models: a page's view for the same store version, filters, options and privacy
rule is computed once. With PARITY_REDIS_URL the server's workers share the cache; without it
each worker keeps its own: the latest views up to LOCAL_ENTRIES and LOCAL_BYTES (their pickled
size), so that a worker's memory does not grow with the size of the views (an entity-by-grade
table of 600 entities is megabytes).

The key holds everything a view depends on: the store's version (a new batch makes every entry
stale), the view function, the filters, the options and the rule the user's scope gives; so a
focal point's exact view is never served to someone whose rule is public.

What Redis holds is data, never a pickle: anyone who can write one key of a shared Redis would
otherwise run code in every worker (``pickle.loads`` calls what the bytes name), or plant the
figures a page shows. An entry is ``mac || payload``:

- ``payload`` is a JSON document of the view, in the format ``registry`` describes (``encoding``
  writes it, ``decoding`` reads it back and refuses anything else).
- ``mac`` is HMAC-SHA256 over the Redis key and the payload, with a key derived from the
  server's secret key (the one that signs session cookies, the same in every worker). An entry
  with a wrong or missing MAC, or copied under another key (a focal point's exact view put where
  the public one is looked up), or that does not decode, is a miss, never an error: the view is
  computed again. Without a secret a ViewCache makes its own, and trusts only what it wrote.

The in-process cache holds the view objects themselves and reads nothing from outside; pickle
only measures their size there.

This module holds the cache itself (``ViewCache``); the package's other parts are the payload's
format: ``registry`` (what a payload may hold), ``encoding`` and ``decoding``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
import secrets
import threading
from collections import OrderedDict
from typing import Any

from parity.web.cache.decoding import decode
from parity.web.cache.encoding import encode
from parity.web.cache.registry import NotEncodable

LOCAL_ENTRIES = 256
LOCAL_BYTES = 64 * 2**20
TTL_SECONDS = 3600
MAC_BYTES = 32  # HMAC-SHA256

log = logging.getLogger(__name__)


class ViewCache:
    """Views by key: in Redis when ``redis_url`` is given (signed data, see the module's
    docstring), else in this process. ``secret``: the server's secret key (the same for every
    worker, so that they trust one another's entries); without it, one of this cache's own."""

    def __init__(self, redis_url: str | None, secret: str | bytes | None = None) -> None:
        self._lock = threading.Lock()
        self._local: OrderedDict[str, tuple[Any, int]] = OrderedDict()  # value, its size
        self._bytes = 0
        self._redis: Any = None
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if not secret:
            secret = secrets.token_bytes(32)
        self._mac_key = hashlib.sha256(b"parity view cache\0" + secret).digest()
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)

    @staticmethod
    def key(*parts: object) -> str:
        return "parity:view:" + hashlib.sha256(repr(parts).encode()).hexdigest()

    def _mac(self, key: str, payload: bytes) -> bytes:
        """The MAC of an entry: over its key too, so that an entry moved to another key (an
        exact view where a public one is looked up) is refused."""
        message = len(key.encode()).to_bytes(4, "big") + key.encode() + payload
        return hmac.new(self._mac_key, message, hashlib.sha256).digest()

    def get(self, key: str) -> Any | None:
        if self._redis is not None:
            blob = self._redis.get(key)
            return None if blob is None else self._trusted(key, bytes(blob))
        with self._lock:
            if key in self._local:
                self._local.move_to_end(key)
                return self._local[key][0]
        return None

    def _trusted(self, key: str, blob: bytes) -> Any | None:
        """The view of an entry read from Redis; None (a miss) unless its MAC is ours and it
        decodes."""
        mac, payload = blob[:MAC_BYTES], blob[MAC_BYTES:]
        if len(blob) < MAC_BYTES or not hmac.compare_digest(mac, self._mac(key, payload)):
            log.warning("view cache: entry %s refused (its MAC is not this server's)", key)
            return None
        try:
            return decode(payload)
        except Exception as error:  # a signed entry that does not decode: computed again
            log.warning("view cache: entry %s refused (%s)", key, error)
            return None

    def put(self, key: str, value: Any) -> None:
        if self._redis is not None:
            try:
                payload = encode(value)
            except NotEncodable as error:  # served, not shared (a view the format misses)
                log.warning("view cache: %s not stored (%s)", key, error)
                return
            self._redis.set(key, self._mac(key, payload) + payload, ex=TTL_SECONDS)
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
