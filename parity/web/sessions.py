"""Sessions the server can end: who a request is, checked against the store on every request.

A session is Flask's signed cookie holding the user's name, the user's **session version** at
sign-in, when it began and when it was last used. On every request (once, kept for the rest of
the request) the user is read from the store and the session is accepted only when:

- the user still exists, and its session version is the one the session carries: sign-out, a
  change of role, entities or password, and removal raise it (parity.store), which ends
  every session of that user at once, on every worker and instance, cookies copied included;
- it was used within the idle time (PARITY_SESSION_IDLE_MINUTES) and began within the lifetime
  (PARITY_SESSION_HOURS): OWASP ASVS 3.3.2 (level 2: 30 minutes idle, 12 hours in all).

Anything else clears the cookie: the visitor is the public (when allowed) or must sign in.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from flask import g, has_request_context, session

from parity.auth import LOCAL, PUBLIC, User
from parity.settings import SessionPolicy
from parity.store import Store

SESSION_KEY = "parity_user"
VERSION_KEY, BEGAN_KEY, SEEN_KEY, CSRF_KEY = "v", "began", "seen", "csrf"
SEEN_EVERY_S = 60  # the last-use time is rewritten at most once a minute (one cookie update)


def start(name: str, version: int) -> None:
    """A new session for ``name`` (the old one cleared first: no fixation), with a new form
    token."""
    now = time.time()
    session.clear()
    session[SESSION_KEY] = name
    session[VERSION_KEY] = version
    session[BEGAN_KEY] = now
    session[SEEN_KEY] = now
    session[CSRF_KEY] = secrets.token_urlsafe(24)


def current_user(
    store: Store, sign_in: bool, public_access: bool, policy: SessionPolicy
) -> User | None:
    """The user of the current request: LOCAL without sign-in; the signed-in user of a valid
    session (role and entities as the store has them now); PUBLIC for a visitor when public
    access is allowed; None when they must sign in first. Read once per request."""
    if not sign_in or not has_request_context():
        return LOCAL
    if "parity_user" in g:
        found: User | None = g.parity_user
        return found
    user = _session_user(store, policy)
    found = user if user is not None else PUBLIC if public_access else None
    g.parity_user = found
    return found


def _session_user(store: Store, policy: SessionPolicy) -> User | None:
    name = session.get(SESSION_KEY)
    if not isinstance(name, str):
        return None
    now = time.time()
    record = store.user(name)
    began, seen = session.get(BEGAN_KEY), session.get(SEEN_KEY)
    valid = (
        record is not None
        and session.get(VERSION_KEY) == record.session_version
        and isinstance(began, int | float)
        and isinstance(seen, int | float)
        and now - began < policy.lifetime_s
        and now - seen < policy.idle_s
    )
    if not valid or record is None or not isinstance(seen, int | float):
        session.clear()  # signed out elsewhere, changed, removed, or expired
        return None
    if now - seen >= SEEN_EVERY_S:
        session[SEEN_KEY] = now
    return User(name, record.role, record.entities)


def forget() -> None:
    """This request no longer has the user it was read with (signed in or out during it)."""
    g.pop("parity_user", None)


def landing(target: str, role: str, entities: Sequence[str]) -> str:
    """Where a user lands after signing in: ``target`` (already ``safe_next``), with a focal
    point's or a steward's own entities as the selection when ``target`` is a page without
    one (their starting view is their entity, not the whole system)."""
    if role not in ("focal_point", "steward") or not entities:
        return target
    parts = urlsplit(target)
    query = parse_qsl(parts.query)
    if any(key != "lang" for key, _value in query):  # a link to a view: that view
        return target
    pairs = [*(("entity", e) for e in entities), *query]
    return urlunsplit(("", "", parts.path, urlencode(pairs), parts.fragment))


def safe_next(target: str | None) -> str:
    """A page of this dashboard to go to after signing in: a path of this site, with no scheme,
    no host, no backslash and no control character, before or after decoding ('/' for
    anything else). Browsers drop tabs and newlines from URLs, so ``/\\t/evil.example/`` would
    become ``//evil.example/``: another site."""
    if not target:
        return "/"
    for text in (target, unquote(target)):
        if any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in text):
            return "/"
        try:
            parts = urlsplit(text)
        except ValueError:
            return "/"
        if parts.scheme or parts.netloc or not text.startswith("/") or text.startswith("//"):
            return "/"
    return target
