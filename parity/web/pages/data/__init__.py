"""The Data page: the table behind the current view (sortable, filterable, downloadable as CSV
and XLSX), and, where allowed, the upload form and the batch list. This module is the page as
the dashboard registers it (NAME, PATH, LABEL, ``layout``, ``register``); its sections live
beside it: ``grid`` (the data grid and its downloads), ``upload`` (the upload form and the
import of a checked file), ``check`` (an uploaded file's check, preview or refusal),
``staging`` (where checked files wait), ``batches`` (the batch list and removal) and ``scope``
(what the user may change)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, html

from parity.i18n import N_, _
from parity.web.components import page_header
from parity.web.pages.data.batches import register_batch_list, register_removal
from parity.web.pages.data.grid import grid_card, register_grid
from parity.web.pages.data.upload import register_upload, upload_section
from parity.web.source import Context

NAME, PATH, LABEL = "data", "/data", N_("Data")


def layout(context: Context, query: str = "") -> html.Div:
    """The page: its header, the table behind the current view, the import form (or why there
    is none) and the batches in the store."""
    upload = upload_section(context)
    return html.Div(
        [
            page_header(
                _("Data"),
                _(
                    "The figures behind the current view, to sort, filter and "
                    "download; and the batches of data in the store."
                ),
            ),
            grid_card(),
            dbc.Card(
                dbc.CardBody([html.H2(_("Import a file"), className="h5"), upload]),
                className="mb-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(_("Batches in the store"), className="h5"),
                        html.Div(id="data-batches"),
                    ]
                ),
                className="mb-3",
            ),
        ]
    )


def register(app: Dash, context: Context) -> None:
    """The page's callbacks: the grid and its downloads, the batch list and, unless the
    dashboard is read-only, the upload, check and import of a file and a batch's removal."""
    register_grid(app, context)
    register_batch_list(app, context)
    if not (context.uploads or context.sign_in):
        return  # a read-only dashboard: no callback can change the store
    register_upload(app, context)
    register_removal(app, context)
