"""Sign-in for the dashboard: local accounts (argon2), signed session cookies, the current
user of a request, and the gate in front of every page and callback.

Sign-in is required when PARITY_SIGN_IN=1, or when the server listens beyond loopback (unless
PARITY_SIGN_IN=0). Without it (``make run`` on loopback) everyone is the person at the keyboard:
the settings' rule, uploads as the settings allow. With it, a visitor who has not signed in sees
the public view only when PARITY_PUBLIC_ACCESS=1, and is sent to the sign-in page otherwise.
"""

from __future__ import annotations

import html
import secrets
import time
from collections import defaultdict, deque
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from flask import Flask, Response, has_request_context, redirect, request, session

from parity import i18n
from parity.auth import LOCAL, PUBLIC, User, password_matches
from parity.i18n import N_, _
from parity.storage import Store

if TYPE_CHECKING:
    from parity.web.oidc import OidcConfig

SESSION_KEY = "parity_user"
OPEN_PATHS = (
    "/signin",
    "/signin/oidc",
    "/signin/oidc/callback",
    "/signout",
    "/healthz",
    "/assets/",
    "/_favicon.ico",
)
ATTEMPTS, WINDOW = 5, 60.0  # sign-in attempts per address per minute
AUDIT_HEADS = (N_("When"), N_("Who"), N_("Action"), N_("Detail"))
"""The audit page's column headers (shown through ``_``)."""


def current_user(store: Store, sign_in: bool, public_access: bool) -> User | None:
    """The user of the current request: LOCAL without sign-in; the signed-in user (role and
    entities read from the store on each request, so a change of role takes effect at once);
    PUBLIC for a visitor when public access is allowed; None when they must sign in first."""
    if not sign_in or not has_request_context():
        return LOCAL
    name = session.get(SESSION_KEY)
    if isinstance(name, str):
        found = store.user(name)
        if found is not None:
            role, entities, _ = found
            return User(name, role, entities)
        session.pop(SESSION_KEY, None)  # removed since: signed out
    return PUBLIC if public_access else None


class _Limiter:
    """At most ATTEMPTS sign-in attempts per client address in WINDOW seconds (per process;
    with PARITY_REDIS_URL the workers share the count)."""

    def __init__(self, redis_url: str | None) -> None:
        self.local: dict[str, deque[float]] = defaultdict(deque)
        self.redis: Any = None
        if redis_url:
            import redis

            self.redis = redis.Redis.from_url(redis_url)

    def allow(self, key: str) -> bool:
        if self.redis is not None:
            name = f"parity:signin:{key}"
            count = self.redis.incr(name)
            if count == 1:
                self.redis.expire(name, int(WINDOW))
            return int(count) <= ATTEMPTS
        now = time.monotonic()
        hits = self.local[key]
        while hits and hits[0] < now - WINDOW:
            hits.popleft()
        hits.append(now)
        return len(hits) <= ATTEMPTS


PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{sign_in} · parity</title><link rel="stylesheet" href="/assets/parity.css"></head>
<body class="signin-page"><main class="signin">
<h1>parity</h1><p>{intro}</p>
{message}{oidc}
<form method="post" action="/signin">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<label for="name">{user_name}</label><input id="name" name="name" autocomplete="username" required>
<label for="password">{password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{sign_in}</button></form>{public}</main></body></html>"""
"""The sign-in page: its texts ({intro}, {user_name}…) are filled in the request's language,
HTML-escaped (``_html``)."""


def _html(text: str) -> str:
    """A (translated) text escaped for an HTML element's content: ``&``, ``<`` and ``>`` (the
    English has none, so it reads exactly as written)."""
    return html.escape(text, quote=False)


def install(
    server: Flask,
    store: Store,
    sign_in: bool,
    public_access: bool,
    redis: str | None,
    oidc: OidcConfig | None = None,
) -> None:
    """The sign-in routes and the gate before every request; with ``oidc``, sign-in through
    the organisation's identity provider too (parity.web.oidc)."""
    limiter = _Limiter(redis)

    def page(message: str = "", status: int = 200) -> Response:
        token = session.setdefault("csrf", secrets.token_urlsafe(24))
        target = request.values.get("next", "/")
        # the messages stay out of the f-strings: the extractor does not look inside them
        to_public = _html(_("Continue to the public view"))
        public = f'<p><a href="/">{to_public}</a></p>' if public_access else ""
        link = f"/signin/oidc?next={quote(target if target.startswith('/') else '/')}"
        with_organisation = _html(_("Sign in with your organisation"))
        organisation = (
            f'<p><a class="signin-oidc" href="{html.escape(link)}">{with_organisation}</a></p>'
            if oidc is not None
            else ""
        )
        body = PAGE.format(
            lang=i18n.language(),
            sign_in=_html(_("Sign in")),
            intro=_html(_("Gender parity dashboard. Sign in to see your entity's figures.")),
            user_name=_html(_("User name")),
            password=_html(_("Password")),
            oidc=organisation,
            message=f'<p class="signin-error" role="alert">{html.escape(message)}</p>'
            if message
            else "",
            csrf=html.escape(token),
            next=html.escape(target if target.startswith("/") else "/"),
            public=public,
        )
        return Response(body, status=status, mimetype="text/html")

    @server.route("/signin", methods=["GET", "POST"])
    def signin() -> Any:
        if not sign_in:
            return redirect("/")
        if request.method == "GET":
            return page()
        if request.form.get("csrf") != session.get("csrf"):
            return page(_("The form expired; please try again."), 400)
        address = request.remote_addr or "unknown"
        name = (request.form.get("name") or "").strip()[:120]
        if not limiter.allow(address):
            store.audit(name or "?", "sign-in refused", f"too many attempts from {address}")
            return page(_("Too many attempts: wait a minute, then try again."), 429)
        found = store.user(name) if name else None
        if found is None or not password_matches(found[2], request.form.get("password") or ""):
            store.audit(name or "?", "sign-in failed", f"from {address}")
            return page(_("Wrong user name or password."))  # the form again, with the reason
        session.clear()  # a new session: no fixation
        session[SESSION_KEY] = name
        session["csrf"] = secrets.token_urlsafe(24)
        store.audit(name, "sign-in", f"from {address}")
        target = request.form.get("next") or "/"
        return redirect(target if target.startswith("/") and not target.startswith("//") else "/")

    if oidc is not None:
        from parity.web.oidc import install as install_oidc

        install_oidc(server, store, sign_in, oidc, page)

    @server.route("/signout")
    def signout() -> Any:
        name = session.get(SESSION_KEY)
        if isinstance(name, str):
            store.audit(name, "sign-out", "")
        session.clear()
        return redirect("/signin" if sign_in else "/")

    @server.route("/audit")
    def audit_page() -> Any:
        """The audit, newest first, for administrators (read only: nothing edits it)."""
        user = current_user(store, sign_in, public_access)
        if not sign_in or user is None or user.role != "admin":
            return Response(_("administrators only") + "\n", status=403, mimetype="text/plain")
        rows = "".join(
            f"<tr><td>{at:%Y-%m-%d %H:%M:%S}</td><td>{html.escape(who)}</td>"
            f"<td>{html.escape(action)}</td><td>{html.escape(detail)}</td></tr>"
            for at, who, action, detail in store.audit_log(500)
        )
        heads = "".join(f"<th>{_html(_(head))}</th>" for head in AUDIT_HEADS)
        # the messages stay out of the f-strings: the extractor does not look inside them
        title = _html(_("Audit"))
        intro = _html(
            _(
                "Every sign-in, import, removal, download, briefing and change of user, newest "
                "first (UTC)."
            )
        )
        back = _html(_("Back to the dashboard"))
        body = (
            f'<!doctype html><html lang="{i18n.language()}"><head><meta charset="utf-8">'
            f"<title>{title} · parity</title>"
            '<link rel="stylesheet" href="/assets/parity.css"></head><body class="audit">'
            f'<main><h1>{title}</h1><p>{intro} <a href="/">{back}</a></p>'
            f"<table><thead><tr>{heads}</tr>"
            f"</thead><tbody>{rows}</tbody></table></main></body></html>"
        )
        return Response(body, mimetype="text/html")

    @server.before_request
    def gate() -> Any:
        if not sign_in or request.path.startswith(OPEN_PATHS):
            return None
        if current_user(store, sign_in, public_access) is not None:
            return None
        if request.method == "GET" and not request.path.startswith("/_dash"):
            return redirect(f"/signin?next={request.full_path.rstrip('?')}")
        return Response(_("sign in first") + "\n", status=401, mimetype="text/plain")
