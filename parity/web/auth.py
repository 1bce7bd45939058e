"""Sign-in for the dashboard: local accounts (argon2), sessions the server can end
(parity.web.sessions), guesses throttled (parity.web.throttle), and the gate in front of every
page and callback.

Sign-in is required when PARITY_SIGN_IN=1, or when the server listens beyond loopback (unless
PARITY_SIGN_IN=0). Without it (``make run`` on loopback) everyone is the person at the keyboard:
the settings' rule, uploads as the settings allow. With it, a visitor who has not signed in sees
the public view only when PARITY_PUBLIC_ACCESS=1, and is sent to the sign-in page otherwise.

What an attacker's requests meet (OWASP ASVS 4.0.3 chapters 2 and 3):
- the sign-in form's token must be present and match the session's (a POST with neither is
  refused), on top of the Origin check every POST meets (parity.web.security);
- ``next`` only ever leads to a page of this dashboard (sessions.safe_next);
- a wrong password takes the same work for a known and an unknown name (argon2 against a dummy
  hash), so timing does not tell which names exist;
- sign-out ends every session of the user, on every worker (the session version).
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from flask import Flask, Response, redirect, request, session

from parity import i18n
from parity.audit import printable
from parity.auth import password_matches
from parity.i18n import N_, _
from parity.store import Store
from parity.web import sessions
from parity.web.security import form_token, form_token_matches
from parity.web.sessions import SessionPolicy, landing, safe_next
from parity.web.throttle import DEVICE_COOKIE, DEVICE_DAYS, Throttle

if TYPE_CHECKING:
    from parity.web.oidc import OidcConfig

OPEN_PATHS = frozenset(
    {"/signin", "/signin/oidc", "/signin/oidc/callback", "/signout", "/healthz", "/_favicon.ico"}
)
"""Paths served before signing in, matched whole (``/signin/../x`` is not ``/signin``)."""
OPEN_PREFIX = "/assets/"
AUDIT_HEADS = (N_("When"), N_("Who"), N_("Action"), N_("Detail"), N_("Server"))
"""The audit page's column headers (shown through ``_``)."""


HEAD = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · parity</title><link rel="stylesheet" href="/assets/vendor/bootstrap.min.css">
<link rel="stylesheet" href="/assets/parity.css"></head>
<body class="signin-page"><header class="app-header"><div class="container-fluid">
<div class="brand-row pb-2"><a class="brand" href="/"><span class="brand-name">parity</span>
<span class="brand-sub">{dashboard}</span></a>
<nav aria-label="{language}"><ul class="lang-switch">{languages}</ul></nav></div></div></header>"""
"""The dashboard's header on the sign-in and sign-out pages: the brand and the language switch
(the same page in the other language, its ``next`` kept)."""

PAGE = (
    HEAD
    + """<main class="signin card shadow-sm mx-auto"><div class="card-body">
<h1 class="h4">{sign_in}</h1><p class="text-muted">{intro}</p>
{message}{oidc}
<form method="post" action="/signin">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<label class="form-label" for="name">{user_name}</label>
<input class="form-control mb-3" id="name" name="name" autocomplete="username" required>
<label class="form-label" for="password">{password}</label>
<input class="form-control mb-3" id="password" name="password" type="password"
 autocomplete="current-password" required>
<button class="btn btn-primary" type="submit">{sign_in}</button></form>{public}
</div></main></body></html>"""
)
"""The sign-in page: its texts ({intro}, {user_name}…) are filled in the request's language,
HTML-escaped (``_html``)."""


def head_words() -> dict[str, str]:
    """The header's words and language links for HEAD, in the request's language."""
    current = i18n.language()
    target = safe_next(request.values.get("next")) if request.values.get("next") else ""
    items = []
    for code, name in i18n.LANGUAGES.items():
        if code == current:
            items.append(f'<li><span class="lang-current" aria-current="true">{name}</span></li>')
            continue
        query = urlencode([("lang", code), *([("next", target)] if target else [])])
        href = html.escape(f"{request.path}?{query}")
        items.append(f'<li><a href="{href}" lang="{code}" id="lang-{code}">{name}</a></li>')
    return {
        "lang": current,
        "dashboard": _html(_("Gender parity dashboard")),
        "language": _html(_("Language")),
        "languages": "".join(items),
    }


def _html(text: str) -> str:
    """A (translated) text escaped for an HTML element's content: ``&``, ``<`` and ``>`` (the
    English has none, so it reads exactly as written)."""
    return html.escape(text, quote=False)


SIGNOUT_PAGE = (
    HEAD
    + """<main class="signin card shadow-sm mx-auto"><div class="card-body">
<form method="post" action="/signout"><input type="hidden" name="csrf" value="{csrf}">
<button class="btn btn-primary" type="submit">{sign_out}</button></form></div></main>
</body></html>"""
)
"""Sign-out is a POST with the session's token (another site cannot sign a user out); a GET of
/signout shows this form."""


@dataclass(frozen=True)
class SignIn:
    """The sign-in routes and the gate, on what they share: the store, whether signing in is
    required, whether visitors see the public view, the sessions' policy, the throttle on
    guesses and the hash an unknown name is checked against."""

    store: Store
    sign_in: bool
    public_access: bool
    policy: SessionPolicy
    throttle: Throttle
    dummy_hash: str
    https: bool = False
    oidc: OidcConfig | None = None

    def user(self) -> Any:
        return sessions.current_user(self.store, self.sign_in, self.public_access, self.policy)

    def page(self, message: str = "", status: int = 200) -> Response:
        """The sign-in page, with ``message`` (a reason the last attempt failed) and status."""
        target = safe_next(request.values.get("next"))
        # the messages stay out of the f-strings: the extractor does not look inside them
        to_public = _html(_("Continue to the public view"))
        public = f'<p><a href="/">{to_public}</a></p>' if self.public_access else ""
        link = f"/signin/oidc?next={quote(target)}"
        with_organisation = _html(_("Sign in with your organisation"))
        organisation = (
            f'<p><a class="signin-oidc" href="{html.escape(link)}">{with_organisation}</a></p>'
            if self.oidc is not None
            else ""
        )
        body = PAGE.format(
            **head_words(),
            title=_html(_("Sign in")),
            sign_in=_html(_("Sign in")),
            intro=_html(_("Gender parity dashboard. Sign in to see your entity's figures.")),
            user_name=_html(_("User name")),
            password=_html(_("Password")),
            oidc=organisation,
            message=(
                '<p class="signin-error alert alert-danger" role="alert">'
                f"{html.escape(message)}</p>"
            )
            if message
            else "",
            csrf=html.escape(form_token()),
            next=html.escape(target),
            public=public,
        )
        return Response(body, status=status, mimetype="text/html")

    def signin(self) -> Any:
        """``/signin``: the form (GET), or a local account's name and password checked (POST):
        the form's token first, then the throttle, then the password."""
        if not self.sign_in:
            return redirect("/")
        if request.method == "GET":
            return self.page()
        if not form_token_matches():
            return self.page(_("The form expired; please try again."), 400)
        address = request.remote_addr or "unknown"
        name = (request.form.get("name") or "").strip()[:120]
        device = self.throttle.device(name, request.cookies.get(DEVICE_COOKIE))
        if self.throttle.refused(name, address, device):
            self.store.audit(name or "?", "sign-in refused", f"too many failures, from {address}")
            return self.page(
                _("Too many failed attempts: wait a few minutes, then try again."), 429
            )
        found = self.store.user(name) if name else None
        hashed = found.password_hash if found is not None else None
        password = request.form.get("password") or ""
        matches = password_matches(hashed or self.dummy_hash, password)
        if found is None or not hashed or not matches:
            self.throttle.failed(name, address, device)
            return self.page(_("Wrong user name or password."))  # the form again, with the reason
        sessions.start(name, found.session_version)
        sessions.forget()
        self.store.audit(name, "sign-in", f"from {address}")
        response = redirect(
            landing(safe_next(request.form.get("next")), found.role, found.entities)
        )
        response.set_cookie(
            DEVICE_COOKIE,
            self.throttle.cookie(name, device),
            max_age=DEVICE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=self.https,
        )
        return response

    def signout(self) -> Any:
        """``/signout``: the form (GET), or every session of the user ended (POST, with the
        session's token)."""
        if request.method == "GET":
            body = SIGNOUT_PAGE.format(
                **head_words(),
                title=_html(_("Sign out")),
                sign_out=_html(_("Sign out")),
                csrf=html.escape(form_token()),
            )
            return Response(body, mimetype="text/html")
        if not form_token_matches():
            return redirect("/")
        name = session.get(sessions.SESSION_KEY)
        if isinstance(name, str):
            self.store.end_sessions(name)  # every session of the user, copied cookies included
            self.store.audit(name, "sign-out", "")
        session.clear()
        sessions.forget()
        return redirect("/signin" if self.sign_in else "/")

    def audit_page(self) -> Any:
        """The audit, newest first, for administrators (read only: nothing edits it). Each
        record on one line, its control characters escaped (parity.audit.printable)."""
        current = self.user()
        if not self.sign_in or current is None or current.role != "admin":
            return Response(_("administrators only") + "\n", status=403, mimetype="text/plain")

        def cell(text: str) -> str:
            return f"<td>{html.escape(printable(text))}</td>"

        rows = "".join(
            f"<tr><td>{at:%Y-%m-%d %H:%M:%S}</td>{cell(who)}{cell(action)}{cell(detail)}"
            f"{cell(instance)}</tr>"
            for at, who, action, detail, instance in self.store.audit_log(500)
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

    def gate(self) -> Any:
        """Before every request: a path with dot segments is not found; without a user, a page
        leads to the sign-in page and anything else is refused (401), but for the open paths."""
        path = request.path
        if _dot_segments(path):
            return Response(_("not found") + "\n", status=404, mimetype="text/plain")
        if not self.sign_in or path in OPEN_PATHS or path.startswith(OPEN_PREFIX):
            return None
        if self.user() is not None:
            return None
        if request.method == "GET" and not path.startswith("/_dash"):
            return redirect(f"/signin?next={quote(safe_next(request.full_path.rstrip('?')))}")
        return Response(_("sign in first") + "\n", status=401, mimetype="text/plain")


def install(
    server: Flask,
    store: Store,
    sign_in: bool,
    public_access: bool,
    policy: SessionPolicy,
    https: bool = False,
    oidc: OidcConfig | None = None,
) -> None:
    """The sign-in routes and the gate before every request; with ``oidc``, sign-in through
    the organisation's identity provider too (parity.web.oidc). Call after the server's
    SECRET_KEY is set: it signs the device cookies too."""
    throttle = Throttle(store, str(server.config["SECRET_KEY"]))
    # an unknown name costs the same argon2 work as a known one (no user enumeration by time)
    from argon2 import PasswordHasher

    dummy_hash = PasswordHasher().hash(secrets.token_urlsafe(24))
    views = SignIn(store, sign_in, public_access, policy, throttle, dummy_hash, https, oidc)
    server.add_url_rule("/signin", "signin", views.signin, methods=["GET", "POST"])
    if oidc is not None:
        from parity.web.oidc import install as install_oidc

        install_oidc(server, store, sign_in, oidc, views.page)
    server.add_url_rule("/signout", "signout", views.signout, methods=["GET", "POST"])
    server.add_url_rule("/audit", "audit_page", views.audit_page)
    server.before_request(views.gate)


def _dot_segments(path: str) -> bool:
    """Whether a path holds ``.`` or ``..`` segments (which no page of the dashboard has)."""
    return any(part in (".", "..") for part in path.split("/"))
