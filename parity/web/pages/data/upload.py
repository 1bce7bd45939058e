"""Importing a file from the Data page: the upload zone (or, on a read-only dashboard, why there
is none) with the choice of a round to submit to, the import of a checked file as a new batch or
a round's submission (through parity.services.imports), and the callbacks between: upload and
check, the browser's refusal of a file over the limit, the chosen columns, the import."""

from __future__ import annotations

from typing import Any, cast

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, dcc, html, no_update

from parity.auth import ROLE_WORDS
from parity.errors import FileRefused, ParityError
from parity.i18n import _
from parity.services.imports import import_file
from parity.store import BatchInfo
from parity.web.components import dropdown
from parity.web.pages.data.check import (
    check_staged,
    checked,
    parse_staged,
    refusal,
    stage_upload,
)
from parity.web.pages.data.scope import forbidden
from parity.web.pages.data.staging import (
    checked_file,
    discard,
    over_limit,
    safe_name,
    staged_path,
)
from parity.web.source import Context
from parity.wording import plural

# The upload zone refuses a file over its max_size without reading it, and tells no callback
# (dcc.Upload passes react-dropzone only accepted files). This listener, installed when the
# Data page first shows the zone, sees the chosen or dropped file before the zone does and
# hands the name and size of one over the limit to data-upload-rejected, whose callback shows
# the server's own message for such a file.
WATCH_OVERSIZE = """
function (maxSize) {
    window.parityUploadMax = maxSize;
    if (!window.parityUploadWatch) {
        window.parityUploadWatch = true;
        const check = (event, files) => {
            const target = event.target;
            const zone = target && target.closest && target.closest("#data-upload");
            const limit = window.parityUploadMax;
            if (!zone || !files || limit === null || limit === undefined || limit < 0) {
                return;
            }
            for (const file of Array.from(files)) {
                if (file.size > limit) {
                    window.dash_clientside.set_props("data-upload-rejected", {
                        data: {name: file.name, size: file.size, at: Date.now()}
                    });
                    return;
                }
            }
        };
        const chosen = (e) => check(e, e.target && e.target.files);
        const dropped = (e) => check(e, e.dataTransfer && e.dataTransfer.files);
        document.addEventListener("change", chosen, true);
        document.addEventListener("drop", dropped, true);
    }
    return window.dash_clientside.no_update;
}
"""


def _drop_zone() -> list[Any]:
    """'Drop a CSV or XLSX file here, or choose a file', the last words a link."""
    before, _link, after = _("Drop a CSV or XLSX file here, or {link}").partition("{link}")
    parts = [before, html.A(_("choose a file"), href="#"), after]
    return [part for part in parts if not isinstance(part, str) or part]


def round_choice(context: Context) -> Any:
    """'Submit to round' for the rounds open to submissions (none: the file is imported and
    published at once, as before rounds)."""
    open_rounds = [r for r in context.source.store.rounds() if r["published_at"] is None]
    options = [{"label": _("No round: publish at once"), "value": 0}] + [
        {
            "label": _("Round {id}: {name} (due {due})").format(
                id=r["id"], name=r["name"], due=r["due"]
            ),
            "value": r["id"],
        }
        for r in open_rounds
    ]
    return html.Div(
        [
            dbc.Label(_("Submit to"), html_for="data-round", className="small mb-0"),
            dropdown(
                id="data-round",
                options=options,
                value=open_rounds[0]["id"] if open_rounds else 0,
                clearable=False,
            ),
        ],
        className="mb-2",
        style=None if open_rounds else {"display": "none"},
    )


def read_only_reason(context: Context) -> str:
    """Why this user may not upload, and what to do: the role when signing in is on (whose role
    allows it, and whom to ask), the server's setting otherwise."""
    if context.sign_in:
        user = context.user()
        if user.role == "public":
            return _(
                "Sign in to import figures: data stewards import their entities' files and "
                "administrators any file."
            )
        if user.entities:
            return _(
                "Your role ({role}) reads figures but does not import them: data stewards "
                "import their entities' files and administrators any file. To change the "
                "figures of {entities}, send the file to its data steward, or ask an "
                "administrator for the steward's role."
            ).format(
                role=_(ROLE_WORDS.get(user.role, user.role)), entities=", ".join(user.entities)
            )
        return _(
            "Your role ({role}) reads figures but does not import them: data stewards import "
            "their entities' files and administrators any file. Ask an administrator."
        ).format(role=_(ROLE_WORDS.get(user.role, user.role)))
    return _(
        "This dashboard is read-only: uploads and batch removal change the shared store, "
        "so they are offered only when the server listens on this computer (127.0.0.1) or "
        "runs with PARITY_ALLOW_UPLOAD=1."
    )


def upload_section(context: Context) -> Any:
    """Where the store may be changed, the upload zone (the browser refuses a file over the
    limit), the place for its check's answer, the pending import and the round choice; else
    why uploads are not offered."""
    if not context.may_change:
        return dbc.Alert(read_only_reason(context), color="secondary", id="data-read-only")
    return html.Div(
        [
            round_choice(context),
            dcc.Upload(
                id="data-upload",
                children=html.Div(_drop_zone()),
                className="upload-zone",
                multiple=False,
                # the browser refuses a larger file without reading or sending it
                max_size=context.settings.max_upload_mb * 2**20,
            ),
            html.Div(
                id="data-upload-result",
                className="mt-3",
                role="status",
                **{"aria-live": cast(Any, "polite")},
            ),
            dcc.Store(id="data-pending"),
            dcc.Store(id="data-upload-rejected"),
        ]
    )


def _submitted(info: BatchInfo, round_id: int, found: dict[str, list[str]]) -> Any:
    """The message of a file submitted to a round: a draft until the round is published, with
    what its checks found to look at on the Rounds page."""
    checks = [html.Li(f"{m}") for messages in found.values() for m in messages]
    return html.Div(
        [
            dbc.Alert(
                _(
                    "Submitted {file} to round {round} as batch {batch}: a draft until the "
                    "round is published."
                ).format(file=info.file_name, round=round_id, batch=info.id)
                + (
                    " "
                    + plural(
                        len(checks),
                        "{n} to check on the Rounds page.",
                        "{n} to check on the Rounds page.",
                    )
                    if checks
                    else ""
                ),
                color="warning" if checks else "success",
                id="data-upload-done",
            ),
            html.Ul(checks, id="data-upload-checks", className="small") if checks else None,
        ]
    )


def import_staged(pending: Any, context: Context, round_id: int = 0) -> tuple[Any, bool]:
    """Import the staged file of ``pending``: (message, whether a batch was added); with
    ``round_id``, as that round's submission (a draft until the round is published). The
    staged file is deleted whatever happens."""
    path = staged_path(pending)
    if path is None or not path.is_file():
        discard(pending)
        return dbc.Alert(
            _("The checked file is no longer waiting to be imported; upload it again."),
            color="danger",
        ), False
    try:
        # what the check found, parsed once; the staged file again only when that is gone
        parsed = checked_file(pending) or parse_staged(pending, context)
        imported = import_file(
            context.source.store,
            parsed,
            context.user(),
            min_cell=context.settings.effective_min_cell,
            round_id=round_id or None,
            save_mapping=isinstance(pending.get("mapping"), dict),
        )
        context.prepare_public_view()  # read from its file: import_file made it
        info, found = imported.batch, imported.flags
    except FileRefused as refused:
        return refusal(refused), False
    except (ParityError, OSError) as error:
        return dbc.Alert(str(error), color="danger"), False
    finally:
        discard(pending)
    if round_id:
        return _submitted(info, round_id, found), True
    done = dbc.Alert(
        _("Imported {file} as batch {batch}: {summary}.").format(
            file=info.file_name, batch=info.id, summary=info.summary()
        ),
        color="success",
        id="data-upload-done",
    )
    return done, True


def _register_upload(app: Dash, context: Context) -> None:
    """An uploaded file checked (replacing one checked but not imported), and the refusal of
    one the browser found over the limit."""

    @app.callback(
        Output("data-upload-result", "children"),
        Output("data-pending", "data"),
        Input("data-upload", "contents"),
        State("data-upload", "filename"),
        State("data-pending", "data"),
        State("data-round", "value"),
        prevent_initial_call=True,
    )
    def upload(
        contents: str | None, file_name: str | None, previous: Any, round_id: Any
    ) -> list[Any]:
        if not contents:
            return [no_update, no_update]
        if not context.may_change:
            return [forbidden(), None]
        discard(previous)  # a file checked but not imported is replaced by this one
        name = file_name or "upload.csv"
        message, pending = stage_upload(contents, name, context, int(round_id or 0))
        return [message, pending]

    @app.callback(
        Output("data-upload-result", "children", allow_duplicate=True),
        Input("data-round", "value"),
        State("data-pending", "data"),
        prevent_initial_call=True,
    )
    def round_chosen(round_id: Any, pending: Any) -> Any:
        """Another round chosen for a checked file: its check again, the button naming it."""
        if not isinstance(pending, dict) or not context.may_change:
            return no_update
        parsed = checked_file(pending)
        if parsed is None:
            return no_update
        return checked(parsed, str(pending.get("name", "")), context, int(round_id or 0))

    app.clientside_callback(
        WATCH_OVERSIZE,
        Output("data-upload-rejected", "data"),
        Input("data-upload", "max_size"),
    )

    @app.callback(
        Output("data-upload-result", "children", allow_duplicate=True),
        Output("data-pending", "data", allow_duplicate=True),
        Input("data-upload-rejected", "data"),
        State("data-pending", "data"),
        prevent_initial_call=True,
    )
    def oversize(rejected: Any, previous: Any) -> list[Any]:
        """The browser refused a file over the limit: the message the server gives for one."""
        if not isinstance(rejected, dict):
            return [no_update, no_update]
        discard(previous)
        name = safe_name(str(rejected.get("name") or "upload.csv"))
        size = rejected.get("size")
        size = int(size) if isinstance(size, int | float) else 0
        message = over_limit(name, size, context.settings.max_upload_mb)
        return [dbc.Alert(message, color="danger", id="data-upload-too-large"), None]


def _register_mapping(app: Dash, context: Context) -> None:
    """The staged file checked again with the columns the user chose."""

    @app.callback(
        Output("data-upload-result", "children", allow_duplicate=True),
        Output("data-pending", "data", allow_duplicate=True),
        Input("data-map-apply", "n_clicks"),
        State({"type": "data-map", "index": ALL}, "value"),
        State({"type": "data-map", "index": ALL}, "id"),
        State("data-pending", "data"),
        State("data-round", "value"),
        prevent_initial_call=True,
    )
    def apply_mapping(
        clicks: int | None,
        columns: list[str | None],
        ids: list[dict[str, str]],
        pending: Any,
        round_id: Any,
    ) -> list[Any]:
        """Check the staged file again, reading the chosen columns as the fields named."""
        if not clicks or not isinstance(pending, dict):
            return [no_update, no_update]
        if not context.may_change:
            return [forbidden(), None]
        chosen = {c: i["index"] for c, i in zip(columns, ids, strict=True) if c}
        message, staged = check_staged({**pending, "mapping": chosen}, context, int(round_id or 0))
        return [message, staged]


def _register_import(app: Dash, context: Context) -> None:
    """The checked file imported (or submitted to the chosen round); the store's version moves
    on when a batch was added."""

    @app.callback(
        Output("data-upload-result", "children", allow_duplicate=True),
        Output("data-version", "data", allow_duplicate=True),
        Output("data-pending", "data", allow_duplicate=True),
        Input("data-import", "n_clicks"),
        State("data-pending", "data"),
        State("data-version", "data"),
        State("data-round", "value"),
        prevent_initial_call=True,
    )
    def do_import(
        clicks: int | None,
        pending: dict[str, str] | None,
        version: int | None,
        round_id: int | None,
    ) -> list[Any]:
        if not clicks or not pending:
            return [no_update, no_update, no_update]
        if not context.may_change:
            return [forbidden(), no_update, None]
        message, imported = import_staged(pending, context, int(round_id or 0))
        return [message, (version or 0) + 1 if imported else no_update, None]


def register_upload(app: Dash, context: Context) -> None:
    """The callbacks from an upload to its import: check, refusal over the limit, chosen
    columns, import."""
    _register_upload(app, context)
    _register_mapping(app, context)
    _register_import(app, context)
