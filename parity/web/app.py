"""create_app(settings): the Dash application, its shell (header, filter panel, navigation) and
the one callback that keeps the filter panel, the URL query string and the pages in step."""

from __future__ import annotations

import ipaddress
import json
import secrets
import socket
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import dash_bootstrap_components as dbc
from dash import MATCH, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from flask import Response, has_request_context, jsonify, request, session
from werkzeug.exceptions import RequestEntityTooLarge

from parity import i18n
from parity.filters import FilterState
from parity.i18n import N_, _
from parity.settings import Settings
from parity.store import Store
from parity.web import briefing_menu
from parity.web.app_query import FILTER_KEYS, with_query
from parity.web.auth import install as install_sign_in
from parity.web.cache import ViewCache
from parity.web.components import aria, chart_id, dropdown
from parity.web.oidc import OidcConfig
from parity.web.pages import PAGES, Page
from parity.web.sessions import CSRF_KEY
from parity.web.source import Context, DataSource, FilterOptions
from parity.wording import STATUS_WORDS

ASSETS = Path(__file__).resolve().parents[2] / "assets"
MULTI_FILTERS = (
    ("entity", N_("Entity")),
    ("country", N_("Country (UN country team)")),
    ("duty_station", N_("Duty station")),
    ("region", N_("Region")),
    ("grade", N_("Grade")),
    ("category", N_("Staff category")),
    ("age_band", N_("Age band")),
    ("contract_type", N_("Contract type")),
    ("personnel_type", N_("Personnel type")),
)
LOCATION_CHOICES = (("", N_("All")), ("HQ", N_("HQ")), ("Field", N_("Field")))
LANGUAGE_COOKIE = "parity_lang"


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


def _plain(text: str, status: int) -> Response:
    response = Response(text + "\n", status=status, mimetype="text/plain")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _guard(app: Dash, settings: Settings) -> None:
    """Refuse requests not meant for this server (403) with a one-line reason, and answer a
    request over MAX_CONTENT_LENGTH with one (413) rather than an HTML page."""
    allowed = settings.allowed_hosts or ()

    @app.server.before_request
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

    @app.server.errorhandler(RequestEntityTooLarge)
    def _too_large(_error: RequestEntityTooLarge) -> Response:
        limit = (app.server.config.get("MAX_CONTENT_LENGTH") or 0) / 2**20
        return _plain(
            f"parity: refused: the request is over the {limit:.0f} MB this server accepts "
            f"(uploads are limited to {settings.max_upload_mb} MB, PARITY_MAX_UPLOAD_MB); "
            "nothing was imported",
            413,
        )


def language_in(url: str | None) -> str | None:
    """The ``lang`` parameter of a URL's query, when it names a language parity speaks."""
    if not url:
        return None
    try:
        query = urlsplit(url).query
    except ValueError:
        return None
    return i18n.chosen(dict(parse_qsl(query)).get("lang"))


def request_language(
    asked: str | None, referrer: str | None, remembered: str | None, preferred: str | None
) -> str:
    """The language of a request: the URL's ``lang`` (a page), else that of the page that sent
    it (a callback: its Referer, which the Referrer-Policy keeps for this site's own requests),
    else the one last chosen in this browser (a cookie: links that do not carry ``lang`` keep
    it), else the browser's preferred language among parity's, else English."""
    for value in (asked, language_in(referrer), remembered, preferred):
        if code := i18n.chosen(value):
            return code
    return i18n.DEFAULT


def _language(app: Dash, settings: Settings) -> None:
    """Every request runs in its language (parity.i18n); a page asked for with ``?lang=``
    remembers the choice in a cookie."""

    @app.server.before_request
    def _choose() -> None:
        i18n.set_language(
            request_language(
                request.args.get("lang"),
                request.referrer,
                request.cookies.get(LANGUAGE_COOKIE),
                request.accept_languages.best_match(list(i18n.LANGUAGES)),
            )
        )

    @app.server.after_request
    def _remember(response: Response) -> Response:
        code = i18n.chosen(request.args.get("lang"))
        if code and request.cookies.get(LANGUAGE_COOKIE) != code:
            response.set_cookie(
                LANGUAGE_COOKIE,
                code,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.https,
                httponly=True,
            )
        return response


class ParityDash(Dash):
    """Dash, with the page's language and title in the language of the request."""

    def interpolate_index(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["title"] = _("parity · gender parity dashboard")
        page = super().interpolate_index(*args, **kwargs)
        return page.replace("<html>", f'<html lang="{i18n.language()}">', 1)


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


def _security_headers(app: Dash, settings: Settings) -> None:
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


def _year_options(options: FilterOptions) -> tuple[list[dict[str, Any]], str]:
    years = [{"label": str(y), "value": y} for y in reversed(options.years)]
    latest = _("Latest ({year})").format(year=options.years[-1]) if options.years else None
    return years, latest or _("No data yet")


def _hidden(values: list[str]) -> bool:
    """A filter with nothing to choose from (no data, or a single value) is hidden."""
    return len(values) < 2


def _filter(name: str, label: str, control: Any, **wrap: Any) -> html.Div:
    """One filter of the panel: its label and control (id ``filter-<name>``), in a wrapper
    (``filter-<name>-wrap``) that hides a filter with nothing to choose from."""
    return html.Div(
        [dbc.Label(_(label), html_for=f"filter-{name}"), control],
        id=f"filter-{name}-wrap",
        className="filter",
        **wrap,
    )


def _filter_panel(options: FilterOptions) -> html.Details:
    # Options are part of the first render: a dropdown drops a value it has no option for, so
    # options arriving after the URL's selection would erase it.
    years, latest = _year_options(options)
    controls: list[Any] = [
        _filter(
            "year",
            N_("Year"),
            dropdown(id="filter-year", options=years, placeholder=latest, clearable=True),
        ),
        _filter(
            "location",
            N_("Duty stations"),
            dcc.RadioItems(
                id="filter-location",
                options=[{"label": _(label), "value": value} for value, label in LOCATION_CHOICES],
                value="",
                inline=True,
                className="location-choice",
            ),
            hidden=_hidden(options.values["location"]),
        ),
    ]
    for dimension, label in MULTI_FILTERS:
        control = dropdown(
            id=f"filter-{dimension}",
            multi=True,
            placeholder=_("All"),
            value=[],
            options=options.values[dimension],
        )
        controls.append(
            _filter(dimension, label, control, hidden=_hidden(options.values[dimension]))
        )
    return html.Details(
        [
            html.Summary(_("Filters"), className="filters-summary"),
            html.Div(controls, className="filters-body"),
            html.Div(
                [
                    briefing_menu.component(),
                    dcc.Link(
                        _("Reset filters"),
                        id="filters-reset",
                        href=_with_language("/", ""),
                        className="btn btn-outline-secondary btn-sm",
                    ),
                    dcc.Clipboard(
                        id="copy-link",
                        title=_("Copy a link to this view"),
                        className="btn btn-outline-primary btn-sm copy-link",
                        children=_("Copy link"),
                    ),
                ],
                className="filters-actions",
            ),
        ],
        open=True,
        className="filters-panel",
        id="filters-panel",
    )


def _header(demo: bool) -> html.Header:
    badge = (
        dbc.Badge(
            _("Demo data: synthetic figures, not any entity's staff"),
            color="warning",
            text_color="dark",
            className="demo-badge",
            id="demo-badge",
        )
        if demo
        else None
    )
    return html.Header(
        dbc.Container(
            [
                html.Div(
                    [
                        html.A(
                            [
                                html.Span("parity", className="brand-name"),
                                html.Span(_("Gender parity dashboard"), className="brand-sub"),
                            ],
                            href=_with_language("/", ""),
                            className="brand",
                        ),
                        badge,
                        _language_switch(),
                    ],
                    className="brand-row",
                ),
                html.Nav(id="nav", className="main-nav", **aria(_("Pages"))),
            ],
            fluid=True,
        ),
        className="app-header",
    )


def _language_switch() -> html.Nav:
    """English | Français: the current language as text, the other as a link that reloads the
    page in it with the same filters (assets/language.js keeps the query; without scripts the
    link still changes the language)."""
    current = i18n.language()
    marked: dict[str, Any] = {"aria-current": "true"}
    items = [
        html.Li(
            html.Span(name, lang=code, className="lang-current", **marked)
            if code == current
            else html.A(name, href=f"?lang={code}", lang=code, hrefLang=code, id=f"lang-{code}")
        )
        for code, name in i18n.LANGUAGES.items()
    ]
    return html.Nav(html.Ul(items, className="lang-switch"), **aria(_("Language")))


def _with_language(path: str, query: str, href: str | None = None) -> str:
    """``path`` and the filters' ``query``, with the ``lang`` of the page's URL ``href`` (or,
    on the first render, of the request) so that links keep the chosen language."""
    code = language_in(href) if href is not None else i18n.chosen(_request_lang())
    pairs = parse_qsl(query) + ([("lang", code)] if code else [])
    return path + (f"?{urlencode(pairs)}" if pairs else "")


def _request_lang() -> str | None:
    try:
        return request.args.get("lang")
    except RuntimeError:  # outside a request (a test building the layout)
        return None


def _nav_links(pathname: str, query: str, href: str | None = None) -> list[Any]:
    return [
        dcc.Link(
            _(page.label),
            href=_with_language(page.path, query, href),
            className="nav-link active" if page.path == pathname else "nav-link",
            id=f"nav-{page.name}",
        )
        for page in PAGES
    ]


def _scope_bar(context: Context | None) -> Any:
    """Whose scope the pages show, and a way out (only when signing in is required)."""
    if context is None or not context.sign_in:
        return None
    user = context.user()
    words = user.describe() or _("Public view: every figure under the small-cell rule.")
    link = (
        html.Form(  # a POST with the session's token: no other site can sign anyone out
            [
                dcc.Input(type="hidden", name="csrf", value=_session_token()),
                html.Button(_("Sign out"), type="submit", className="btn btn-link btn-sm p-0"),
            ],
            action="/signout",
            method="post",
            className="d-inline ms-2",
        )
        if user.role != "public"
        else html.A(_("Sign in"), href="/signin", className="ms-2")
    )
    return html.Div(
        dbc.Container([html.Span(words, id="scope-words"), link], fluid=True),
        className="scope-bar small",
        id="scope-bar",
    )


def _session_token() -> str:
    """The session's form token (made when it has none yet; none outside a request)."""
    if not has_request_context():
        return ""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(24)
    return token


def client_messages() -> dict[str, str]:
    """The words and number symbols the page's scripts write themselves (assets/*.js: table
    cells, accessible names, the phone's "Filters (n)"), in the request's language."""
    separators = i18n.plotly_separators()
    return {
        "decimal": separators[0],
        "group": separators[1],
        "percent": i18n.percent(0.0, 0)[1:],  # "%" or a no-break space and "%"
        **{f"status_{key}": _(words) for key, words in STATUS_WORDS.items()},
        "filters": _("Filters"),
        "filters_used": _("Filters ({n})"),
        "choose_file": _("Choose a file to import"),
        "slider": _("slider"),
        "value": _("value"),
        "typed_value": _("{label} (type a value)"),
        "no_figures": _("No figures to show."),
    }


def _shell(source: DataSource, context: Context | None = None) -> html.Div:
    messages: dict[str, Any] = {"data-messages": json.dumps(client_messages())}
    return html.Div(
        [
            html.Div(id="parity-messages", hidden=True, **messages),
            html.A(_("Skip to the content"), href="#page", className="skip-link"),
            dcc.Location(id="url", refresh="callback-nav"),
            dcc.Store(id="filters", data=""),
            dcc.Store(id="data-version", data=0),
            _header(source.is_demo()),
            _scope_bar(context),
            html.Div(id="draft-banner", role="status"),
            dbc.Container(
                dbc.Row(
                    [
                        dbc.Col(
                            _filter_panel(source.options()),
                            xs=12,
                            lg=3,
                            xxl=2,
                            className="filters-col",
                        ),
                        dbc.Col(
                            html.Main(id="page", className="page", tabIndex="-1"),
                            xs=12,
                            lg=9,
                            xxl=10,
                        ),
                    ]
                ),
                fluid=True,
                className="app-body",
            ),
            html.Footer(
                dbc.Container(
                    [
                        _("parity · figures follow the "),
                        dcc.Link(_("Definitions"), href=_with_language("/definitions", "")),
                        _(" · women's share = women / (women + men) · parity zone 47–53%"),
                    ],
                    fluid=True,
                ),
                className="app-footer",
            ),
        ]
    )


def state_from_controls(year: Any, location: Any, values: list[Any]) -> FilterState:
    """The FilterState the panel's controls describe."""
    selection: dict[str, list[str]] = {}
    if year not in (None, ""):
        selection["year"] = [str(year)]
    if location:
        selection["location"] = [str(location)]
    for (dimension, _label), chosen in zip(MULTI_FILTERS, values, strict=True):
        if chosen:
            selection[dimension] = [str(v) for v in chosen]
    return FilterState.from_mapping(selection, strict=False)


def controls_from_state(state: FilterState) -> list[Any]:
    """Inverse of state_from_controls: values for year, location and each multi filter."""
    location = state.location[0] if len(state.location) == 1 else ""
    return [state.year, location, *[list(getattr(state, d)) for d, _label in MULTI_FILTERS]]


def sync_filters(
    search: str | None, trigger: str | None, controls: list[Any], current: str | None = None
) -> list[Any]:
    """Keep URL, filter store and panel in step. Returns [search, filters, *controls].

    From the URL (page load, back button, shared link): set the panel from the query string.
    From the panel: write the selection into the URL (a history entry, so back works), keeping
    the parameters that are not filters."""
    keep = [no_update] * len(controls)
    if trigger in (None, "url"):
        state = FilterState.from_query(search or "")
        query = state.to_query()
        if query == current:  # only a page's own parameters changed
            return [no_update, no_update, *keep]
        return [no_update, query, *controls_from_state(state)]
    state = state_from_controls(controls[0], controls[1], list(controls[2:]))
    query = state.to_query()
    new_search = with_query(search, FILTER_KEYS, parse_qsl(query))
    return [new_search if new_search != (search or "") else no_update, query, *keep]


def max_request_bytes(max_upload_mb: int) -> int:
    """The largest request the server reads: an upload of the limit, base64-encoded (4/3 of
    its size) in a callback's JSON, and 1 MB for the rest of the request. Anything larger is
    refused before it is read (HTTP 413, one line: see _guard); the browser refuses a file over
    the limit before sending it (the Data page says why)."""
    return -(-max_upload_mb * 2**20 * 4 // 3) + 2**20


def create_app(settings: Settings, host: str | None = None) -> Dash:
    """The dashboard for ``settings``; ``host`` (where the server listens) decides whether
    uploads are offered when PARITY_ALLOW_UPLOAD is unset."""
    source = DataSource(Store(settings.database_url))
    app = ParityDash(
        __name__,
        title="parity · gender parity dashboard",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        update_title="",
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.server.config["MAX_CONTENT_LENGTH"] = max_request_bytes(settings.max_upload_mb)
    if settings.trusted_proxies:  # the client's address and scheme as the proxies report them
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=n, x_proto=n)
    _guard(app, settings)
    _language(app, settings)
    _security_headers(app, settings)
    sign_in = settings.sign_in_required(host)
    context = Context(
        source=source,
        settings=settings,
        uploads=settings.uploads_enabled(host),
        sign_in=sign_in,
        # signed with the key of the session cookies: the same in every worker
        cache=ViewCache(settings.redis_url, app.server.config["SECRET_KEY"]),
    )
    app.layout = lambda: _shell(source, context)
    app.server.extensions["parity.source"] = source  # for serve.warm
    app.server.extensions["parity.settings"] = settings
    install_sign_in(
        app.server,
        source.store,
        sign_in,
        settings.public_access,
        settings.session_policy,
        https=settings.https,
        oidc=OidcConfig.from_settings(settings),
    )

    @app.server.route("/healthz")
    def health() -> Any:
        version = source.store.version()
        return jsonify(status="ok", batches=version.batches, latest_batch=version.latest_batch)

    @app.callback(Output("draft-banner", "children"), Input("filters", "data"))
    def _draft(query: str | None) -> Any:
        """Say so when the figures shown include a round's unpublished submissions."""
        filters = FilterState.from_query(query or "")
        if not context.drafts_for(filters):
            return None
        drafts = sorted(set(filters.entity) & source.draft_entities())
        return dbc.Alert(
            _(
                "Draft — not published: the figures of {entities} submitted to the current "
                "round are shown to you; everyone else sees the published ones."
            ).format(entities=", ".join(drafts)),
            color="warning",
            className="mb-0 rounded-0 small",
            id="draft-words",
        )

    control_ids = [
        "filter-year",
        "filter-location",
        *[f"filter-{d}" for d, _label in MULTI_FILTERS],
    ]

    @app.callback(
        Output("url", "search"),
        Output("filters", "data"),
        *[Output(c, "value") for c in control_ids],
        Input("url", "search"),
        *[Input(c, "value") for c in control_ids],
        State("filters", "data"),
    )
    def _sync(search: str | None, *values: Any) -> list[Any]:
        *controls, current = values
        return sync_filters(search, ctx.triggered_id, list(controls), current)

    @app.callback(
        Output("filter-year", "options"),
        Output("filter-year", "placeholder"),
        *[Output(f"filter-{d}", "options") for d, _label in MULTI_FILTERS],
        *[Output(f"filter-{d}-wrap", "hidden") for d, _label in MULTI_FILTERS],
        Output("filter-location-wrap", "hidden"),
        Input("data-version", "data"),
        prevent_initial_call=True,
    )
    def _options(_version: int) -> list[Any]:
        """After an upload or a removal, the filters offer what the store now holds."""
        options = source.options()
        years, latest = _year_options(options)
        multi = [options.values[d] for d, _label in MULTI_FILTERS]
        return [
            years,
            latest,
            *multi,
            *[_hidden(v) for v in multi],
            _hidden(options.values["location"]),
        ]

    @app.callback(
        Output("nav", "children"),
        Output("filters-reset", "href"),
        Output("copy-link", "content"),
        Input("url", "pathname"),
        Input("filters", "data"),
        State("url", "href"),
    )
    def _nav(pathname: str | None, query: str | None, href: str | None) -> list[Any]:
        path = pathname or "/"
        base = (href or "").split("?")[0]
        return [
            _nav_links(path, query or "", href or ""),
            _with_language(path, "", href or ""),
            _with_language(base, query or "", href or ""),
        ]

    @app.callback(Output("page", "children"), Input("url", "pathname"), State("url", "search"))
    def _route(pathname: str | None, search: str | None) -> Any:
        page = _find_page(pathname or "/")
        if page is None:
            return html.Div(
                [
                    html.H1(_("Page not found"), className="page-title"),
                    dcc.Link(_("Back to the overview"), href=_with_language("/", "")),
                ]
            )
        return page.layout(context, (search or "").lstrip("?"))

    app.clientside_callback(  # "Show as table" under every chart (assets/chart-tables.js)
        ClientsideFunction("parity", "chartTable"),
        Output(chart_id("table", MATCH), "children"),
        Input(chart_id("toggle", MATCH), "n_clicks"),
        Input(chart_id("rows", MATCH), "data"),
    )
    for page in PAGES:
        page.register(app, context)
    briefing_menu.register(app, context)
    return app


def _find_page(pathname: str) -> Page | None:
    path = pathname.rstrip("/") or "/"
    return next((p for p in PAGES if p.path == path), None)
