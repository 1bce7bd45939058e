"""The "Download briefing" menu: the current view as a PDF, a slide deck or a workbook, built
by parity.briefing exactly as `parity brief` builds it."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from parity.briefing.images import start_browser
from parity.errors import ParityError
from parity.i18n import N_, _
from parity.services.briefings import make_briefing
from parity.web.source import Context

FORMATS = {
    "briefing-pdf": ("pdf", N_("PDF report")),
    "briefing-pptx": ("pptx", N_("Slides (PPTX)")),
    "briefing-xlsx": ("xlsx", N_("Workbook (XLSX)")),
}


def component() -> html.Div:
    return html.Div(
        [
            dbc.DropdownMenu(
                [
                    dbc.DropdownMenuItem(_(label), id=item_id)
                    for item_id, (_fmt, label) in FORMATS.items()
                ],
                label=_("Download briefing"),
                id="briefing-menu",
                color="primary",
                size="sm",
            ),
            dcc.Loading(dcc.Download(id="briefing-download"), type="dot"),
            html.Div(  # shown while a file is made (the callback's running state)
                _("Preparing the briefing…"),
                id="briefing-progress",
                className="small text-muted mt-1",
                role="status",
                style={"display": "none"},
            ),
            html.Div(id="briefing-message", className="small text-danger mt-1", role="alert"),
        ],
        className="briefing-menu",
    )


def briefing_file(context: Context, query: str, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and name for the current view."""
    source = context.source
    request = context.request(query)  # the figures of the view: the pages' own
    filters = request.filters
    if fmt == "pdf":  # fail fast without Chromium; otherwise it starts while figures compute
        start_browser()
    _briefing, content = make_briefing(
        source.store,
        request.user,
        request.frame,
        filters,
        request.reference,
        rule=request.rule,
        fmt=fmt,
        flow_frame=source.flows(),
        targets=source.targets(),
        demo=source.is_demo(),
        headline_scope=context.settings.headline_scope,
    )
    stem = "-".join(filters.selections().get("entity", ())[:2]) or "all-entities"
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)[:60]
    return content, f"parity-briefing-{stem}-{date.today():%Y%m%d}.{fmt}"


def register(app: Dash, context: Context) -> None:
    @app.callback(
        Output("briefing-download", "data"),
        Output("briefing-message", "children"),
        *[Input(item_id, "n_clicks") for item_id in FORMATS],
        State("filters", "data"),
        prevent_initial_call=True,
        # while the file is made (a PDF takes seconds): say so, and no second press
        running=[
            (Output("briefing-progress", "style"), {"display": "block"}, {"display": "none"}),
            (Output("briefing-menu", "disabled"), True, False),
        ],
    )
    def download(*values: Any) -> list[Any]:
        *clicks, query = values
        if not any(clicks) or ctx.triggered_id not in FORMATS:
            return [no_update, no_update]
        fmt = FORMATS[str(ctx.triggered_id)][0]
        try:
            content, name = briefing_file(context, query or "", fmt)
        except ParityError as error:
            return [no_update, str(error)]
        return [dcc.send_bytes(content, name), ""]
