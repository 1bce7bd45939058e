"""Reporting rounds: the status board of a data call (who has submitted, what is flagged, who is
late), the submissions to confirm, and, for administrators, opening, publishing and
unpublishing a round and its consolidated workbook."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from parity.auth import User
from parity.errors import ParityError
from parity.i18n import N_, _, ngettext
from parity.rounds.board import round_board, round_workbook
from parity.services import rounds
from parity.services.briefings import record_download
from parity.views.base import Column, Table
from parity.web.components import dropdown, grid, grid_props, page_header, phone_column
from parity.web.source import Context
from parity.wording import count

NAME, PATH, LABEL = "rounds", "/rounds", N_("Reporting rounds")
BOARD_COLUMNS = (
    Column("entity", N_("Entity")),
    Column("status", N_("Status"), "words"),
    Column("submitted", N_("Submitted")),
    Column("by", N_("By")),
    Column("batch", N_("Batch"), "count"),
    Column("flags", N_("Flags"), "count"),
    Column("to check", N_("To check"), "words"),
)
BOARD_STATUS = {
    "not started": N_("not started"),
    "late": N_("late"),
    "submitted": N_("submitted"),
    "flagged": N_("flagged"),
    "confirmed": N_("confirmed"),
}
"""A submission's status on the board in words (the board's own values stay English: the
page decides on them)."""


def is_admin(context: Context) -> bool:
    """Administrators run rounds (without sign-in: the person at a loopback server)."""
    if not context.sign_in:
        return context.uploads
    return context.user().role == "admin"


def may_confirm(context: Context, entity: str) -> bool:
    user = context.user()
    return is_admin(context) or (user.role == "steward" and entity in user.entities)


def may_see_submission(context: Context, entity: str) -> bool:
    """Who may see a submission's flags, figures and submitter: administrators, and the focal
    points and stewards of its entity. Everyone else sees its status and dates only: a draft's
    flags quote figures ("grade P-2 has 2 people") that are neither published nor protected."""
    user = context.user()
    return is_admin(context) or (user.scoped and entity in user.entities)


def visible_board(context: Context, board: Any) -> Any:
    """The board as this user may see it: each entity's status and date, and for entities in
    the user's scope (all, for administrators) who submitted, the batch and the flags."""
    shown = board.copy()
    hidden = [not may_see_submission(context, str(e)) for e in shown["entity"]]
    shown.loc[hidden, ["by", "to check"]] = ""
    shown["batch"] = shown["batch"].astype(object)
    shown.loc[hidden, ["batch", "flags"]] = None
    return shown


def _options(context: Context) -> list[dict[str, Any]]:
    return [
        {
            "label": (
                _("{id}: {name} (as of {as_of}, due {due}) · published")
                if r["published_at"]
                else _("{id}: {name} (as of {as_of}, due {due})")
            ).format(id=r["id"], name=r["name"], as_of=r["as_of"], due=r["due"]),
            "value": r["id"],
        }
        for r in context.source.store.rounds()
    ]


def layout(context: Context, query: str = "") -> html.Div:
    options = _options(context)
    admin = is_admin(context)
    opening = dbc.Card(
        dbc.CardBody(
            [
                html.H2(_("Open a round"), className="h5"),
                dbc.Row(
                    [
                        dbc.Col([dbc.Label(_("Name"), html_for="rounds-name"),
                                 dbc.Input(id="rounds-name",
                                           placeholder=_("2026 data call"))], md=4),
                        dbc.Col([dbc.Label(_("Figures as of"), html_for="rounds-as-of"),
                                 dbc.Input(id="rounds-as-of", type="date")], md=3),
                        dbc.Col([dbc.Label(_("Due"), html_for="rounds-due"),
                                 dbc.Input(id="rounds-due", type="date")], md=3),
                        dbc.Col(dbc.Button(_("Open"), id="rounds-open", color="primary",
                                           className="mt-4"), md=2),
                    ]
                ),
                html.P(
                    _("Every entity in the store takes part."), className="small text-muted mt-2"
                ),
            ]
        ),
        className="mb-3",
    )  # fmt: skip
    actions = [
        dbc.Button(_("Publish"), id="rounds-publish", color="success", className="me-2"),
        dbc.Button(_("Publish anyway"), id="rounds-publish-force", color="warning",
                   className="me-2", style={"display": "none"}),
        dbc.Button(_("Unpublish"), id="rounds-unpublish", color="secondary", outline=True,
                   className="me-2"),
        dbc.Button(_("Consolidated workbook"), id="rounds-workbook", color="primary",
                   outline=True, className="me-2"),
    ]  # fmt: skip
    return html.Div(
        [
            page_header(
                _("Reporting rounds"),
                _("Each entity submits its figures for the round; what looks like a mistake is "
                  "flagged to confirm; the figures are published for everyone at once."),
            ),
            dcc.Store(id="rounds-version", data=0),
            html.Div(opening, style=None if admin else {"display": "none"}),
            _board_card(context, options, actions, admin),
        ]
    )  # fmt: skip


def _board_card(context: Context, options: list[Any], actions: list[Any], admin: bool) -> Any:
    """The round's choice, its board and, for administrators, its actions."""
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Label(_("Round"), html_for="rounds-select"),
                dropdown(
                    id="rounds-select",
                    options=options,
                    value=options[0]["value"] if options else None,
                    clearable=False,
                    placeholder=_("No round yet"),
                ),
                html.Div(id="rounds-message", className="mt-2", role="status"),
                html.H2(_("Status"), className="h5 mt-3", id="rounds-title"),
                dbc.Switch(id="rounds-all", value=False, label=_("Show every entity"),
                           style=None if _scoped(context) else {"display": "none"}),
                html.P(id="rounds-others", className="small text-muted"),
                grid("rounds-grid", rows=10),
                html.Div(id="rounds-confirm", className="mt-2"),
                html.Div(
                    [
                        html.Span(
                            actions, style=None if admin else {"display": "none"}
                        ),
                        dbc.Button(_("Entities still missing (CSV)"),
                                   id="rounds-missing", color="primary", outline=True,
                                   style=None if admin else {"display": "none"}),
                    ],
                    className="mt-3",
                ),
                dcc.Download(id="rounds-download"),
            ]
        ),
        className="mb-3",
    )  # fmt: skip


def _scoped(context: Context) -> bool:
    """A focal point or a data steward: the board shows their own entities first."""
    return context.sign_in and context.user().scoped and not is_admin(context)


def _others(board: Any) -> str:
    """The entities not shown, by status: 'Other entities — not started: 30, submitted: 8.'"""
    if board.empty:
        return ""
    counts = board["status"].value_counts()
    parts = [
        _("{name}: {figures}").format(name=_(BOARD_STATUS[s]), figures=count(int(counts[s])))
        for s in BOARD_STATUS
        if s in counts.index
    ]
    return _("Other entities — {statuses}.").format(statuses=", ".join(parts))


def board_outputs(context: Context, round_id: Any, everyone: bool = True) -> list[Any]:
    """The board's title, the line about the entities not shown, the grid and the confirm
    buttons of the flagged submissions this user may confirm. A focal point or steward sees
    their own entities, and the others counted by status unless ``everyone``."""
    if round_id is None:
        empty = Table("", BOARD_COLUMNS, round_board_empty(), empty=_("No round yet."))
        return [_("Status"), "", *grid_props(empty), None]
    info = context.source.store.round(int(round_id))
    board = round_board(context.source.store, int(round_id))
    mine = set(context.user().entities)
    own = board["entity"].isin(mine)
    others = ""
    if _scoped(context) and not everyone and own.any():
        others, board = _others(board[~own]), board[own]
    shown = visible_board(context, board)
    shown = shown.assign(status=[_(BOARD_STATUS.get(s, s)) for s in shown["status"]])
    # a focal point's or steward's own entities first
    shown = shown.sort_values("entity", key=lambda e: ~e.isin(mine), kind="stable")
    columns, rows, style = _readable(*grid_props(Table("", BOARD_COLUMNS, shown)))
    title = (
        _("Round {id}: {name}, as of {as_of}, due {due} — published")
        if info["published_at"]
        else _("Round {id}: {name}, as of {as_of}, due {due} — not published: drafts")
    ).format(id=info["id"], name=info["name"], as_of=info["as_of"], due=info["due"])
    confirm = [
        dbc.Button(
            _("Confirm {entity}'s figures").format(entity=entity),
            id={"type": "rounds-confirm-entity", "index": entity},
            color="warning",
            size="sm",
            className="me-2",
        )
        for entity in board.loc[board["status"] == "flagged", "entity"]
        if may_confirm(context, str(entity))
    ]
    return [title, others, columns, rows, style, confirm or None]


def _readable(
    columns: list[dict[str, Any]], rows: list[dict[str, Any]], style: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    """The board's grid with its flags in full: "To check" wide and wrapped (each flag on a
    line of its own), entity names whole, the grid as tall as its wrapped rows."""
    for column in columns:  # a phone keeps the entity, its status and the flags
        if column["field"] == "to check":
            column.update(wrapText=True, autoHeight=True, flex=3, minWidth=380)
            column["cellStyle"] = {"whiteSpace": "pre-line", "lineHeight": "1.4"}
            phone_column(column, "text")
        elif column["field"] == "entity":
            column.update(wrapText=True, autoHeight=True, minWidth=200)
            phone_column(column, "name")
        elif column["field"] == "status":
            column.update(minWidth=150)
            phone_column(column, "status")
    lines = sum(
        max(1, sum(1 + len(line) // 60 for line in str(r.get("to check") or "").split("\n")))
        for r in rows
    )
    height = 56 + 24 * lines + 20 * len(rows)
    return columns, rows, {"height": f"{min(max(height, 120), 900)}px"}


def round_board_empty() -> Any:
    import pandas as pd

    return pd.DataFrame(columns=[c.key for c in BOARD_COLUMNS])


def _actor(context: Context) -> User:
    actor = context.user()
    if not context.sign_in and not context.uploads:
        return User(actor.name, "viewer")  # a read-only loopback dashboard
    return actor


def _open(context: Context, actor: User, name: Any, as_of: Any, due: Any) -> tuple[str, int]:
    if not name or not as_of or not due:
        raise ParityError(_("a round needs a name, an as-of date and a due date"))
    store = context.source.store
    entities = store.entity_names()
    round_id = rounds.open_round(
        store, actor, str(name), date.fromisoformat(as_of), date.fromisoformat(due), entities
    )
    message = ngettext(
        "Opened round {id} for {n} entities.",
        "Opened round {id} for {n} entities.",
        len(entities),
    ).format(id=round_id, n=count(len(entities)))
    return message, round_id


def _publish(
    context: Context, actor: User, round_id: Any, publish: bool, force: bool = False
) -> str:
    if round_id is None:
        raise ParityError(_("choose a round"))
    min_cell = context.settings.effective_min_cell
    rounds.set_published(
        context.source.store, actor, int(round_id), publish, min_cell=min_cell, force=force
    )
    context.prepare_public_view()
    return (
        _("Round {id} published: its figures are now what everyone sees.")
        if publish
        else _("Round {id} unpublished: the previous published figures are back.")
    ).format(id=round_id)


def round_action(
    context: Context, trigger: Any, round_id: Any, name: Any, as_of: Any, due: Any
) -> tuple[str, Any]:
    """Carry out a press on the Rounds page (confirm an entity's flagged figures, open a
    round, publish or unpublish it) through parity.services: the message, and the round."""
    actor = _actor(context)
    if isinstance(trigger, dict):  # a steward (or an admin) confirms flagged figures
        entity = str(trigger["index"])
        rounds.confirm(context.source.store, actor, int(round_id), entity)
        return _("Confirmed {entity}'s figures.").format(entity=entity), round_id
    if trigger == "rounds-open":
        return _open(context, actor, name, as_of, due)
    publish = trigger in ("rounds-publish", "rounds-publish-force")
    force = trigger == "rounds-publish-force"
    return _publish(context, actor, round_id, publish, force), round_id


def register(app: Dash, context: Context) -> None:
    store = context.source.store

    @app.callback(
        Output("rounds-title", "children"),
        Output("rounds-others", "children"),
        Output("rounds-grid", "columnDefs"),
        Output("rounds-grid", "rowData"),
        Output("rounds-grid", "style"),
        Output("rounds-confirm", "children"),
        Input("rounds-select", "value"),
        Input("rounds-version", "data"),
        Input("rounds-all", "value"),
    )
    def board(round_id: Any, _version: int, everyone: bool) -> list[Any]:
        return board_outputs(context, round_id, bool(everyone))

    @app.callback(
        Output("rounds-message", "children"),
        Output("rounds-version", "data"),
        Output("rounds-select", "options"),
        Output("rounds-select", "value"),
        Output("rounds-publish-force", "style"),
        Input("rounds-publish", "n_clicks"),
        Input("rounds-publish-force", "n_clicks"),
        Input("rounds-unpublish", "n_clicks"),
        Input("rounds-open", "n_clicks"),
        Input({"type": "rounds-confirm-entity", "index": ALL}, "n_clicks"),
        State("rounds-select", "value"),
        State("rounds-name", "value"),
        State("rounds-as-of", "value"),
        State("rounds-due", "value"),
        State("rounds-version", "data"),
        prevent_initial_call=True,
    )
    def act(*values: Any) -> list[Any]:
        *_clicks, round_id, name, as_of, due, version = values
        trigger = ctx.triggered_id
        hidden = {"display": "none"}
        if trigger is None or not ctx.triggered[0].get("value"):
            return [no_update] * 5  # a button added to the page, not pressed
        try:
            message, round_id = round_action(context, trigger, round_id, name, as_of, due)
        except rounds.Unready as unready:  # say which entities, and offer to go ahead
            text = _("{reason}. Confirm the flags or chase the entities, or publish anyway.")
            alert = dbc.Alert(text.format(reason=unready), color="warning", id="rounds-unready")
            return [alert, no_update, no_update, no_update, {}]
        except (ParityError, ValueError) as error:
            return [dbc.Alert(str(error), color="danger"), no_update, no_update, no_update, hidden]
        alert = dbc.Alert(message, color="success", id="rounds-done")
        return [alert, (version or 0) + 1, _options(context), round_id, hidden]

    @app.callback(
        Output("rounds-download", "data"),
        Input("rounds-missing", "n_clicks"),
        Input("rounds-workbook", "n_clicks"),
        State("rounds-select", "value"),
        prevent_initial_call=True,
    )
    def download(_missing: Any, _workbook: Any, round_id: Any) -> Any:
        if round_id is None or not is_admin(context):
            return no_update  # the workbook and the list of late entities: for coordinators
        if ctx.triggered_id == "rounds-workbook":
            record_download(store, context.user(), f"round {round_id} workbook")
            return dcc.send_bytes(round_workbook(store, int(round_id)), f"round-{round_id}.xlsx")
        board = round_board(store, int(round_id))
        missing = board[board["status"].isin(["not started", "late"])][["entity", "status"]]
        return dcc.send_string(missing.to_csv(index=False), f"round-{round_id}-missing.csv")
