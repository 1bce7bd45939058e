"""The batches in the store as the Data page lists them: a batch's kind in words, the batches
this user may see (drafts only in scope), their table with a Remove button each where the store
may be changed, and the callbacks that refresh the list and remove a batch (through
parity.services.imports, the entities' scope checked first)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from parity.errors import ParityError
from parity.i18n import N_, _
from parity.services.imports import remove_batch
from parity.store import BatchInfo
from parity.web.pages.data.scope import forbidden, out_of_scope
from parity.web.source import Context
from parity.wording import count

KINDS = {"staff": N_("staff"), "flows": N_("flows"), "targets": N_("targets")}
"""The kinds of batch in words (shown through ``kind_words``)."""


def kind_words(kind: str) -> str:
    """A batch's kind (staff, flows, targets) in the request's language."""
    return _(KINDS.get(kind, kind))


def visible_batches(context: Context) -> list[BatchInfo]:
    """The batches this user may see: every published one; a draft (submitted to a round not
    yet published) only by administrators (and the person at a loopback server) and by the
    focal points and stewards of its entities."""
    batches = context.source.batches()
    user = context.user()
    if user.role in ("admin", "local"):
        return batches
    drafts = context.source.store.draft_batches()
    mine = set(user.entities) if user.scoped else set()
    return [b for b in batches if b.id not in drafts or drafts[b.id] <= mine]


def _batch_row(b: BatchInfo, removable: bool) -> html.Tr:
    """One batch's row: its number, kind, file, import time, rows, entities, years and, where
    the store may be changed, its Remove button."""
    action = (
        dbc.Button(
            _("Remove"),
            id={"type": "data-remove", "index": b.id},
            color="danger",
            outline=True,
            size="sm",
            title=_("Remove batch {batch}").format(batch=b.id),
        )
        if removable
        else ""
    )
    return html.Tr(
        [
            html.Td(str(b.id)),
            html.Td(kind_words(b.kind)),
            html.Td(b.file_name),
            html.Td(f"{b.imported_at:%Y-%m-%d %H:%M}"),
            html.Td(count(b.source_rows), className="num"),
            html.Td(str(b.entities), className="num"),
            html.Td(b.years),
            html.Td(action),
        ]
    )


def batch_list(batches: list[BatchInfo], removable: bool) -> Any:
    """The table of ``batches`` (with Remove buttons when ``removable``), or the words for an
    empty store."""
    if not batches:
        return html.P(_("No data yet. Import a file, or run 'parity demo'."))
    head = [
        _("Batch"),
        _("Kind"),
        _("File"),
        _("Imported (UTC)"),
        _("Rows"),
        _("Entities"),
        _("Years"),
        "",
    ]
    rows = [_batch_row(b, removable) for b in batches]
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
        id="data-batch-table",
        size="sm",
        hover=True,
        responsive=True,
    )


def register_batch_list(app: Dash, context: Context) -> None:
    """The batch list, drawn again whenever the store changes (data-version)."""

    @app.callback(
        Output("data-batches", "children"),
        Input("data-version", "data"),
    )
    def batches(_version: int) -> Any:
        return batch_list(visible_batches(context), context.may_change)


def register_removal(app: Dash, context: Context) -> None:
    """A batch's Remove button: the batch goes (the figures it had replaced come back) when the
    user may change the store and every entity of the batch."""
    source = context.source

    @app.callback(
        Output("data-upload-result", "children", allow_duplicate=True),
        Output("data-version", "data", allow_duplicate=True),
        Input({"type": "data-remove", "index": ALL}, "n_clicks"),
        State("data-version", "data"),
        prevent_initial_call=True,
    )
    def remove(clicks: list[int | None], version: int | None) -> list[Any]:
        trigger = ctx.triggered_id
        if not trigger or not any(clicks):
            return [no_update, no_update]
        if not context.may_change:
            return [forbidden(), no_update]
        batch_id = int(trigger["index"])
        outside = out_of_scope(context, source.store.batch_entities(batch_id))
        if outside:
            return [dbc.Alert(outside, color="danger"), no_update]
        try:
            info = remove_batch(
                source.store,
                context.user(),
                batch_id,
                min_cell=context.settings.effective_min_cell,
            )
            context.prepare_public_view()
        except ParityError as error:
            return [dbc.Alert(str(error), color="danger"), no_update]
        return [
            dbc.Alert(
                _("Removed batch {batch} ({file}); figures it had replaced are back.").format(
                    batch=info.id, file=info.file_name
                ),
                color="info",
            ),
            (version or 0) + 1,
        ]
