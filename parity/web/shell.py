"""The page shell around every page: the header (brand, demo badge, language switch, navigation),
the bar saying whose scope is shown, the draft banner, the filter panel beside the page, the
footer and the words the page's scripts write themselves; and the shell's callbacks, which
route a URL to its page and keep the navigation's links on the current filters."""

from __future__ import annotations

import json
from typing import Any

import dash_bootstrap_components as dbc
from dash import MATCH, ClientsideFunction, Dash, Input, Output, State, dcc, html

from parity import i18n
from parity.i18n import _
from parity.web.components import aria, chart_id
from parity.web.filter_panel import filter_panel
from parity.web.language import with_language
from parity.web.pages import PAGES, Page
from parity.web.security import form_token
from parity.web.source import Context
from parity.wording import STATUS_WORDS

FILTERS_COLUMN = "filters-col col-12 col-lg-3 col-xxl-2"
PAGE_COLUMN = "col-12 col-lg-9 col-xxl-10"
WITHOUT_FILTERS = ("/rounds", "/definitions")
"""Pages the filters do not change: the filter panel is not shown beside them and the page takes
the whole width (assets/navigation.js, as the page changes)."""


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
                            href=with_language("/", ""),
                            className="brand",
                        ),
                        badge,
                        _language_switch(),
                    ],
                    className="brand-row",
                ),
                html.Nav(_nav_links(), id="nav", className="main-nav", **aria(_("Pages"))),
                dcc.Store(id="nav-paths", data=[page.path for page in PAGES]),
                dcc.Store(
                    id="nav-unfiltered",
                    data={"paths": WITHOUT_FILTERS, "columns": [FILTERS_COLUMN, PAGE_COLUMN]},
                ),
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


def _nav_links() -> list[Any]:
    """The pages' links; their targets and the current page are set in the browser
    (assets/navigation.js), on the current filters and language."""
    return [
        dcc.Link(
            _(page.label),
            href=with_language(page.path, ""),
            className="nav-link",
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
                dcc.Input(type="hidden", name="csrf", value=form_token()),
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


def client_messages() -> dict[str, str]:
    """The words and number symbols the page's scripts write themselves (assets/*.js: table
    cells, accessible names, the phone's "Filters (n)"), in the request's language."""
    separators = i18n.plotly_separators()
    return {
        "decimal": separators[0],
        "group": separators[1],
        "percent": i18n.percent(0.0, 0)[1:],  # "%" or a no-break space and "%"
        **{f"status_{key}": _(words) for key, words in STATUS_WORDS.items()},
        "status_closest": _("As close to parity as {n} people allow"),
        "filters": _("Filters"),
        "filters_used": _("Filters ({n})"),
        "choose_file": _("Choose a file to import"),
        "slider": _("slider"),
        "value": _("value"),
        "typed_value": _("{label} (type a value)"),
        "no_figures": _("No figures to show."),
    }


def shell(context: Context) -> html.Div:
    """The layout of every request: the shell, with the page (``page``) filled by a callback."""
    source = context.source
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
                        html.Div(
                            filter_panel(source.options()),
                            id="filters-col",
                            className=FILTERS_COLUMN,
                        ),
                        html.Div(
                            html.Main(id="page", className="page", tabIndex="-1"),
                            id="page-col",
                            className=PAGE_COLUMN,
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
                        dcc.Link(_("Definitions"), href=with_language("/definitions", "")),
                        _(" · women's share = women / (women + men) · parity zone 47–53%"),
                    ],
                    fluid=True,
                ),
                className="app-footer",
            ),
        ]
    )


def register_draft_banner(app: Dash, context: Context) -> None:
    """The banner above the pages when the figures shown include unpublished submissions."""

    @app.callback(Output("draft-banner", "children"), Input("filters", "data"))
    def _draft(query: str | None) -> Any:
        """Say so when the figures shown include a round's unpublished submissions."""
        request = context.request(query)  # the same decision as the pages' figures
        if not request.drafts:
            return None
        drafts = sorted(set(request.filters.entity) & context.source.draft_entities())
        return dbc.Alert(
            _(
                "Draft — not published: the figures of {entities} submitted to the current "
                "round are shown to you; everyone else sees the published ones."
            ).format(entities=", ".join(drafts)),
            color="warning",
            className="mb-0 rounded-0 small",
            id="draft-words",
        )


def register_navigation(app: Dash, context: Context) -> None:
    """The navigation's links, "Reset filters" and "Copy link" on the current filters; the page
    of the URL; and "Show as table" under every chart (assets/chart-tables.js)."""

    app.clientside_callback(
        ClientsideFunction("parity", "navLinks"),
        *[Output(f"nav-{page.name}", "href") for page in PAGES],
        *[Output(f"nav-{page.name}", "className") for page in PAGES],
        Output("filters-reset", "href"),
        Output("copy-link", "content"),
        Output("filters-col", "className"),
        Output("page-col", "className"),
        Input("url", "pathname"),
        Input("filters", "data"),
        State("url", "href"),
        State("nav-paths", "data"),
        State("nav-unfiltered", "data"),
    )

    @app.callback(Output("page", "children"), Input("url", "pathname"), State("url", "search"))
    def _route(pathname: str | None, search: str | None) -> Any:
        page = find_page(pathname or "/")
        if page is None:
            return html.Div(
                [
                    html.H1(_("Page not found"), className="page-title"),
                    dcc.Link(_("Back to the overview"), href=with_language("/", "")),
                ]
            )
        return page.layout(context, (search or "").lstrip("?"))

    app.clientside_callback(
        ClientsideFunction("parity", "chartTable"),
        Output(chart_id("table", MATCH), "children"),
        Input(chart_id("toggle", MATCH), "n_clicks"),
        Input(chart_id("rows", MATCH), "data"),
    )


def find_page(pathname: str) -> Page | None:
    """The page at ``pathname`` (a trailing slash ignored), or None."""
    path = pathname.rstrip("/") or "/"
    return next((p for p in PAGES if p.path == path), None)
