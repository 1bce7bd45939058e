"""Throttling sign-in guesses without locking out the right user (NIST SP 800-63B 5.2.2; the
"device cookie" technique of OWASP's Authentication Cheat Sheet).

Only failures count, never successes. Each failure is a row of the store (when, the name
tried, the client address, the id of the browser's device cookie if it had a valid one for
that name), so every worker and every instance sees the same counts, and whoever can write to
a cache cannot reset them. A device cookie is given to a browser at each successful sign-in:
signed with the server's key, it names the user and a random device id.

In a window of WINDOW, a sign-in is refused before its password is checked when:

- the browser presents the user's device cookie: that device failed DEVICE_LIMIT times;
- it does not: the account failed ACCOUNT_LIMIT times from such browsers (or ACCOUNT_DAY_LIMIT
  times in the last day: NIST's "no more than 100 consecutive failed attempts on a single
  account"), or that account from this address PAIR_LIMIT times, or this address ADDRESS_LIMIT
  times whatever the name.

So an attacker guessing a password, from anywhere, locks only browsers that never signed in as
that user; the user's own browser keeps its own allowance. The client address is the
connecting one, or the one the configured number of trusted proxies reports
(PARITY_TRUSTED_PROXIES).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer

from parity.store import Store

WINDOW = timedelta(minutes=15)
DEVICE_LIMIT = 10
ACCOUNT_LIMIT = 10
ACCOUNT_DAY_LIMIT = 100
PAIR_LIMIT = 5
ADDRESS_LIMIT = 30
DEVICE_COOKIE = "parity_device"
DEVICE_DAYS = 90


class Throttle:
    """Sign-in failures of a store, and the device cookies signed with ``secret``."""

    def __init__(self, store: Store, secret: str) -> None:
        self.store = store
        self.signer = URLSafeTimedSerializer(secret, salt="parity-device")

    def device(self, name: str, cookie: str | None) -> str:
        """The device id of a cookie that is valid for ``name``, else ''."""
        if not cookie:
            return ""
        try:
            value = self.signer.loads(cookie, max_age=DEVICE_DAYS * 86400)
        except BadSignature:
            return ""
        if not isinstance(value, dict) or value.get("n") != name:
            return ""
        device = value.get("d")
        return device if isinstance(device, str) else ""

    def refused(self, name: str, address: str, device: str) -> bool:
        """Whether this attempt is refused without checking its password."""
        failures = self.store.sign_in_failures(datetime.now(UTC) - WINDOW, name, address, device)
        if device:
            return failures.device >= DEVICE_LIMIT
        return (
            failures.account >= ACCOUNT_LIMIT
            or failures.account_day >= ACCOUNT_DAY_LIMIT
            or failures.account_address >= PAIR_LIMIT
            or failures.address >= ADDRESS_LIMIT
        )

    def failed(self, name: str, address: str, device: str) -> None:
        """Record a failure (and its audit record)."""
        self.store.record_sign_in_failure(name, address, device)

    def cookie(self, name: str, device: str = "") -> str:
        """A device cookie for ``name``: the same device id when the browser had one."""
        return self.signer.dumps({"n": name, "d": device or secrets.token_urlsafe(16)})
