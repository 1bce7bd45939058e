"""What an attacker's requests meet before any page or callback runs: the Host and Origin checks
(DNS rebinding, cross-site POSTs), the size limit on a request, the proxies trusted to report the
client's address and scheme, the session cookie's flags, the security headers with the content
security policy on every response, and the form token of the sign-in and sign-out forms (CSRF).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from dash import Dash
from flask import Flask, Response, has_request_context, request, session
from werkzeug.exceptions import RequestEntityTooLarge

from parity.settings import Settings
from parity.web.sessions import CSRF_KEY

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_BINDS = frozenset({"", "0.0.0.0", "::"})


def split_host(value: str) -> tuple[str, int | None] | None:
    """A Host header (``name``, ``name:port``, ``[v6]:port``) as (lower-case name without
    brackets, port or None); None when it is not one."""
    text = value.strip().lower()
    try:
        parts = urlsplit(f"//{text}")
        port = parts.port
    except ValueError:
        return None
    if parts.netloc != text or not parts.hostname or "@" in text:
        return None
    return parts.hostname, port


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    return name == "localhost" or (_is_ip(name) and ipaddress.ip_address(name).is_loopback)


def _listed(name: str, port: int | None, allowed: Iterable[str], default: int | None) -> bool:
    """``name`` (with ``port``, or none: the scheme's ``default``) is one of the ``allowed``
    entries: ``name`` (any port) or ``name:port``."""
    for entry in allowed:
        parsed = split_host(entry)
        if parsed is None or parsed[0] != name:
            continue
        want = parsed[1]
        if want is None or want == port or (port is None and want in (default or 80, 443)):
            return True
    return False


def host_served(host: str, bind: tuple[str, int], allowed: Iterable[str] = ()) -> bool:
    """Whether a request's Host header names this server: the address it listens on (``bind``,
    host and port); localhost, 127.0.0.1 and [::1] too when that address is loopback; any IP
    address of the machine, localhost and its host name when it listens on all of them
    (0.0.0.0 or ::); and the names ``allowed`` (PARITY_ALLOWED_HOSTS).

    A page from another site that reaches this server through DNS rebinding sends its own name
    as Host, never an IP address, and never one of these names."""
    parsed = split_host(host)
    if parsed is None:
        return False
    name, port = parsed
    if _listed(name, port, allowed, None):
        return True
    bind_name, bind_port = bind[0].strip().lower().strip("[]"), bind[1]
    if (port or 80) != bind_port:
        return False
    if name == bind_name:
        return True
    if bind_name in WILDCARD_BINDS:
        return _is_ip(name) or _is_loopback(name) or name == socket.gethostname().lower()
    return _is_loopback(bind_name) and name in LOOPBACK_NAMES


def same_origin(
    source: str, host: str, allowed: Iterable[str] = (), scheme: str | None = None
) -> bool:
    """Whether an Origin or Referer (``source``) is the site named by the Host header, or one
    of the ``allowed`` names (a proxy that passes on its own address as Host), by the scheme
    the dashboard is served with (``scheme``; None: http or https)."""
    try:
        url = urlsplit(source.strip())
        port = url.port
    except ValueError:
        return False
    if url.scheme not in ((scheme,) if scheme else ("http", "https")) or not url.hostname:
        return False
    default = 443 if url.scheme == "https" else 80
    parsed = split_host(host)
    if parsed is not None and (url.hostname, port or default) == (parsed[0], parsed[1] or default):
        return True
    return _listed(url.hostname, port, allowed, default)


def _quoted(value: str) -> str:
    return repr(value if len(value) <= 100 else value[:100] + "…")


def refusal_reason(
    method: str,
    headers: Mapping[str, str],
    bind: tuple[str, int],
    allowed: Iterable[str] = (),
    scheme: str | None = None,
) -> str | None:
    """Why a request is refused (one line), or None. Every request must name this server in its
    Host header; a request that may change something (not GET, HEAD or OPTIONS: every Dash
    callback is a POST) must also come from a page of this dashboard, by its Origin header, or
    by its Referer when it has no Origin (a request with neither passes on its Host alone), by
    the ``scheme`` the dashboard is served with (``https://host`` is another origin than
    ``http://host``)."""
    allowed = tuple(allowed)
    host = headers.get("Host") or ""
    if not host_served(host, bind, allowed):
        return (
            f"parity: refused: the Host {_quoted(host)} is not a name this dashboard is served on "
            "(names behind a proxy go in PARITY_ALLOWED_HOSTS)"
        )
    if method.upper() in SAFE_METHODS:
        return None
    for header in ("Origin", "Referer"):
        source = headers.get(header)
        if source is None:
            continue
        if same_origin(source, host, allowed, scheme):
            return None
        return (
            f"parity: refused: a {method.upper()} from {_quoted(source)} ({header}), "
            f"not from this dashboard at {_quoted(host)}"
        )
    return None


def max_request_bytes(max_upload_mb: int) -> int:
    """The largest request the server reads: an upload of the limit, base64-encoded (4/3 of
    its size) in a callback's JSON, and 1 MB for the rest of the request. Anything larger is
    refused before it is read (HTTP 413, one line: see guard); the browser refuses a file over
    the limit before sending it (the Data page says why)."""
    return -(-max_upload_mb * 2**20 * 4 // 3) + 2**20


def _plain(text: str, status: int) -> Response:
    response = Response(text + "\n", status=status, mimetype="text/plain")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def trust_proxies(server: Flask, settings: Settings) -> None:
    """Behind PARITY_TRUSTED_PROXIES proxies, the client's address and scheme as the proxies
    report them."""
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        # Flask's documented way to add WSGI middleware, though mypy sees a method
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]


def guard(server: Flask, settings: Settings) -> None:
    """Refuse requests not meant for this server (403) with a one-line reason, and answer a
    request over MAX_CONTENT_LENGTH (max_request_bytes) with one (413) rather than an HTML
    page."""
    server.config["MAX_CONTENT_LENGTH"] = max_request_bytes(settings.max_upload_mb)
    allowed = settings.allowed_hosts or ()

    @server.before_request
    def _check() -> Response | None:
        environ = request.environ
        try:
            bind = (str(environ.get("SERVER_NAME", "")), int(environ.get("SERVER_PORT") or 80))
        except ValueError:
            bind = (str(environ.get("SERVER_NAME", "")), 80)
        headers = {
            name: value
            for name in ("Host", "Origin", "Referer")
            if (value := request.headers.get(name)) is not None
        }
        scheme = "https" if settings.https else request.scheme
        reason = refusal_reason(request.method, headers, bind, allowed, scheme)
        return None if reason is None else _plain(reason, 403)

    @server.errorhandler(RequestEntityTooLarge)
    def _too_large(_error: RequestEntityTooLarge) -> Response:
        limit = (server.config.get("MAX_CONTENT_LENGTH") or 0) / 2**20
        return _plain(
            f"parity: refused: the request is over the {limit:.0f} MB this server accepts "
            f"(uploads are limited to {settings.max_upload_mb} MB, PARITY_MAX_UPLOAD_MB); "
            "nothing was imported",
            413,
        )


def content_security_policy(script_hashes: Iterable[str]) -> str:
    """What pages may load and run: only this server's files, and of inline scripts only Dash's
    own (its renderer and clientside callbacks, by hash: ``Dash.csp_hashes``). Inline styles
    are allowed (React components, plotly and the dropdowns set them); images may be data: or
    blob: URLs (Bootstrap's icons, chart downloads); no page may frame the dashboard."""
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *script_hashes]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(app: Dash, settings: Settings) -> None:
    """Signed session cookies that scripts cannot read, and the security headers on every
    response. The policy's script hashes are taken at the first response, when every callback
    (and so every inline script) is registered."""
    app.server.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_urlsafe(32),  # unset: this process's own
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
    )
    policy: list[str] = []

    @app.server.after_request
    def _headers(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(app.csp_hashes()))
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy[0])
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if settings.https:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def form_token() -> str:
    """The session's form token (made when it has none yet; none outside a request)."""
    if not has_request_context():
        return ""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(24)
    return token


def form_token_matches() -> bool:
    """Whether the posted form's ``csrf`` is present and equal to the session's token (compared
    in constant time)."""
    expected, given = session.get(CSRF_KEY), request.form.get("csrf")
    return (
        isinstance(expected, str)
        and isinstance(given, str)
        and bool(expected)
        and hmac.compare_digest(expected.encode(), given.encode())
    )
