"""The Data page's table behind the current view: its card (rows by, download buttons, the
sortable and filterable grid, the privacy note), the protected view it shows (filters from the
URL, drafts where the user sees them), and the callbacks that fill the grid and send it as CSV
or XLSX (each download audited)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html

from parity.export import table_to_csv, tables_to_xlsx
from parity.i18n import _
from parity.privacy import PrivacyRule
from parity.services.briefings import record_download
from parity.views.data import LABELS, DataView, data_table
from parity.web.components import dropdown, grid_locale, grid_props
from parity.web.source import Context

DEFAULT_BY = ["entity", "grade"]
GRID_HEIGHT = "680px"  # pages of 50 rows, 12 or more of them in view (rows are 42 px)


def _controls() -> dbc.Row:
    """'Rows by' (the view's dimensions) and the two download buttons."""
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(_("Rows by"), html_for="data-by"),
                    dropdown(
                        id="data-by",
                        multi=True,
                        value=DEFAULT_BY,
                        options=[
                            {"label": _(label), "value": key} for key, label in LABELS.items()
                        ],
                    ),
                ],
                xs=12,
                md=6,
            ),
            dbc.Col(
                [
                    dbc.Button(
                        _("Download CSV"),
                        id="data-csv-button",
                        color="primary",
                        outline=True,
                        className="me-2",
                    ),
                    dbc.Button(
                        _("Download XLSX"),
                        id="data-xlsx-button",
                        color="primary",
                        outline=True,
                    ),
                ],
                xs=12,
                md=6,
                className="data-buttons",
            ),
        ],
        className="mb-2",
    )


def _grid() -> dag.AgGrid:
    """The grid, empty until its callback fills it: pages of 50 rows in a fixed height."""
    return dag.AgGrid(
        id="data-grid",
        columnDefs=[],
        rowData=[],
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "minWidth": 96,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            # columns mix numbers and "fewer than 5": no inferred type
            "cellDataType": False,
        },
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": 50,
            "animateRows": False,
            "localeText": grid_locale(),
        },
        columnSize="responsiveSizeToFit",
        style={"height": GRID_HEIGHT},
        className="ag-theme-alpine parity-grid",
    )


def grid_card() -> dbc.Card:
    """The card of the table behind the current view: controls, title, grid, note, download."""
    return dbc.Card(
        dbc.CardBody(
            [
                _controls(),
                html.H2(id="data-title", className="h6 mt-2"),
                _grid(),
                html.P(
                    id="data-note",
                    className="stat-note mt-2",
                    role="status",
                    **{"aria-live": cast(Any, "polite")},
                ),
                dcc.Download(id="data-download"),
            ]
        ),
        className="mb-3",
    )


def view(context: Context, query: str | None, by: list[str] | None) -> DataView:
    """The protected table of the current view (filters from the URL, rows by ``by``)."""
    request = context.request(query)  # the pages' own figures: drafts where they see them
    return data_table(request.frame, request.filters, list(by or []), request.rule,
                      request.reference)  # fmt: skip


def outputs(view: DataView) -> list[Any]:
    """The grid's column definitions and rows, the title and the privacy note (the grid keeps
    its own height and pages of 50 rows, so every row of the table can be reached)."""
    table = view.table
    columns, rows, _style = grid_props(table)
    note = table.note if rows else table.empty
    return [columns, rows, table.title, note]


def download(view: DataView, fmt: str, rule: PrivacyRule) -> bytes:
    """The view's table as a file (``csv`` or ``xlsx``): headers in words, withheld cells empty
    and the note column saying why."""
    frame = view.table.export(rule)
    if fmt == "xlsx":
        return tables_to_xlsx({_("Data"): frame})
    return table_to_csv(frame).encode("utf-8")


def register_grid(app: Dash, context: Context) -> None:
    """The grid, filled again when the filters, 'Rows by' or the store change; and its
    downloads."""

    @app.callback(
        Output("data-grid", "columnDefs"),
        Output("data-grid", "rowData"),
        Output("data-title", "children"),
        Output("data-note", "children"),
        Input("filters", "data"),
        Input("data-by", "value"),
        Input("data-version", "data"),
    )
    def update(query: str | None, by: list[str] | None, _version: int) -> list[Any]:
        return outputs(view(context, query, by))

    @app.callback(
        Output("data-download", "data"),
        Input("data-csv-button", "n_clicks"),
        Input("data-xlsx-button", "n_clicks"),
        State("filters", "data"),
        State("data-by", "value"),
        prevent_initial_call=True,
    )
    def send(_csv: int | None, _xlsx: int | None, query: str | None, by: list[str] | None) -> Any:
        fmt = "xlsx" if ctx.triggered_id == "data-xlsx-button" else "csv"
        stem = f"parity-{'-'.join(by or ['total'])}-{date.today():%Y%m%d}"
        request = context.request(query)
        table = data_table(request.frame, request.filters, list(by or []), request.rule,
                           request.reference)  # fmt: skip
        record_download(context.source.store, request.user, f"{fmt}: {table.table.title}")
        return dcc.send_bytes(download(table, fmt, request.rule), f"{stem}.{fmt}")
