"""Data: the table behind the current view (sortable, filterable, downloadable as CSV and XLSX),
and, where allowed, the upload form and the batch list."""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, cast

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from parity.errors import FileRefused, MissingColumns, ParityError
from parity.export import table_to_csv, tables_to_xlsx
from parity.i18n import N_, _, ngettext, number
from parity.importer import parse_file
from parity.privacy import PrivacyRule
from parity.services.imports import check_may_change, import_file, remove_batch
from parity.store import BatchInfo
from parity.views.data import LABELS, DataView, data_table
from parity.web.components import dropdown, grid_locale, grid_props, page_header
from parity.web.source import Context
from parity.wording import count, plural

NAME, PATH, LABEL = "data", "/data", N_("Data")
DEFAULT_BY = ["entity", "grade"]
GRID_HEIGHT = "680px"  # pages of 50 rows, 12 or more of them in view (rows are 42 px)
UPLOAD_DIR = Path(tempfile.gettempdir()) / f"parity-uploads-{os.getuid()}"
"""Where checked files wait to be imported: private to the server's user (0700, refused when
another user owns it), never in a folder others can read or plant files in."""
"""Where an uploaded file waits, one folder per upload, between its check and its import; the
folder goes when the file is refused, imported or replaced by another upload, and any left
behind (a closed tab) go with the next upload once a day old."""
STALE_SECONDS = 24 * 3600
TOKEN = re.compile(r"[0-9a-f]{32}")
KINDS = {"staff": N_("staff"), "flows": N_("flows"), "targets": N_("targets")}
"""The kinds of batch in words (shown through ``kind_words``)."""

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


def kind_words(kind: str) -> str:
    """A batch's kind (staff, flows, targets) in the request's language."""
    return _(KINDS.get(kind, kind))


def _drop_zone() -> list[Any]:
    """'Drop a CSV or XLSX file here, or choose a file', the last words a link."""
    before, _link, after = _("Drop a CSV or XLSX file here, or {link}").partition("{link}")
    parts = [before, html.A(_("choose a file"), href="#"), after]
    return [part for part in parts if not isinstance(part, str) or part]


def layout(context: Context, query: str = "") -> html.Div:
    upload: Any
    if context.may_change:
        upload = html.Div(
            [
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
                round_choice(context),
            ]
        )
    else:
        upload = dbc.Alert(
            _(
                "This dashboard is read-only: uploads and batch removal change the shared store, "
                "so they are offered only when the server listens on this computer (127.0.0.1) or "
                "runs with PARITY_ALLOW_UPLOAD=1."
            ),
            color="secondary",
        )
    return html.Div(
        [
            page_header(
                _("Data"),
                _(
                    "The figures behind the current view, to sort, filter and "
                    "download; and the batches of data in the store."
                ),
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        dbc.Row(
                            [
                                dbc.Col(
                                    [
                                        dbc.Label(_("Rows by"), html_for="data-by"),
                                        dropdown(
                                            id="data-by",
                                            multi=True,
                                            value=DEFAULT_BY,
                                            options=[
                                                {"label": _(label), "value": key}
                                                for key, label in LABELS.items()
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
                        ),
                        html.H2(id="data-title", className="h6 mt-2"),
                        dag.AgGrid(
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
                        ),
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
            ),
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


def batch_list(batches: list[BatchInfo], removable: bool) -> Any:
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
    rows = []
    for b in batches:
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
        rows.append(
            html.Tr(
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
        )
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
        id="data-batch-table",
        size="sm",
        hover=True,
        responsive=True,
    )


def _safe_name(name: str) -> str:
    base = Path(name or "upload.csv").name
    safe = re.sub(r"[^\w.\- ]", "_", base)[:120]
    return safe if safe.strip(". ") else "upload.csv"


def over_limit(file_name: str, size: int, max_mb: int) -> str:
    """The refusal of a file of ``size`` bytes over the limit, from the server or the browser."""
    return _("{file}: {size} MB is over the {limit} MB limit; nothing was imported").format(
        file=file_name, size=number(size / 2**20, 1), limit=max_mb
    )


def decode_upload(contents: str, file_name: str, max_mb: int) -> bytes:
    """The uploaded bytes; refuses files over the size limit before decoding them."""
    payload = contents.partition(",")[2]
    size = len(payload) * 3 // 4
    if size > max_mb * 2**20:
        raise ParityError(over_limit(file_name, size, max_mb))
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ParityError(
            _("{file}: the upload could not be read").format(file=file_name)
        ) from None


def staged_path(pending: Any) -> Path | None:
    """The staged file a pending import names, or None when the token is not one of ours."""
    if not isinstance(pending, dict):
        return None
    token, name = pending.get("token"), pending.get("name")
    if not isinstance(token, str) or not TOKEN.fullmatch(token) or not isinstance(name, str):
        return None
    return UPLOAD_DIR / token / _safe_name(name)


def discard(pending: Any) -> None:
    """Delete the staged file of a pending import (and its folder), if any."""
    path = staged_path(pending)
    if path is not None:
        shutil.rmtree(path.parent, ignore_errors=True)


def sweep(now: float | None = None) -> int:
    """Delete what uploads left in UPLOAD_DIR more than a day ago (a tab closed between check
    and import); returns how many entries went."""
    cutoff = (time.time() if now is None else now) - STALE_SECONDS
    removed = 0
    try:
        entries = list(UPLOAD_DIR.iterdir())
    except OSError:
        return 0
    for entry in entries:
        try:
            inner = list(entry.iterdir()) if entry.is_dir() else []
            newest = max([entry.lstat().st_mtime, *(p.lstat().st_mtime for p in inner)])
        except OSError:
            continue
        if newest >= cutoff:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


def stage_upload(contents: str, file_name: str, context: Context) -> tuple[Any, Any]:
    """Validate an uploaded file: (message component, pending-import token or None). The file
    waits in its own folder of UPLOAD_DIR (a random token) only when it can be imported, or
    when the user is asked which of its columns is which."""
    name = _safe_name(file_name)
    sweep()
    pending = {"token": secrets.token_hex(16), "name": name}
    path = UPLOAD_DIR / pending["token"] / name
    try:
        data = decode_upload(contents, name, context.settings.max_upload_mb)
        UPLOAD_DIR.mkdir(mode=0o700, exist_ok=True)
        if UPLOAD_DIR.stat().st_uid != os.getuid() or UPLOAD_DIR.stat().st_mode & 0o077:
            raise OSError(f"{UPLOAD_DIR} is not private to this server's user")
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.write_bytes(data)
    except (ParityError, OSError) as error:
        discard(pending)
        return dbc.Alert(str(error), color="danger"), None
    return check_staged(pending, context)


def _parse_staged(pending: Any, context: Context) -> Any:
    """The staged file of ``pending`` parsed (with the column mapping it carries, else one
    saved for its header)."""
    path = staged_path(pending)
    if path is None or not path.is_file():
        raise ParityError(
            _("The checked file is no longer waiting to be imported; upload it again.")
        )
    mapping = pending.get("mapping") if isinstance(pending.get("mapping"), dict) else None
    store = context.source.store
    return parse_file(
        path,
        context.source.reference(),
        context.settings.limits,
        store.entity_names(),
        mapping=mapping,
        saved=store.saved_mapping,
    )


def mapping_form(missing: MissingColumns) -> Any:
    """The refusal of a file that lacks required columns, with a choice, for each, among the
    file's own columns: the user says which is which, and the choice is remembered."""
    options = [{"label": c, "value": c} for c in missing.found]
    return html.Div(
        [
            refusal(missing),
            html.P(
                _(
                    "If the file has these columns under other names, say which is which; the "
                    "choice is remembered for files with the same headers."
                ),
                className="small",
            ),
            *[
                dbc.Row(
                    [
                        dbc.Label(field, html_for=f"data-map-{field}", width=3),
                        dbc.Col(
                            dropdown(
                                id={"type": "data-map", "index": field},
                                options=options,
                                placeholder=_("the file's column for {field}").format(field=field),
                            ),
                            width=9,
                        ),
                    ],
                    className="mb-2",
                )
                for field in missing.missing
            ],
            dbc.Button(_("Use these columns"), id="data-map-apply", color="primary", outline=True),
        ],
        id="data-mapping",
    )


def out_of_scope(context: Context, entities: Any) -> str:
    """Why the user may not change figures of these entities ('' when they may): the same
    check the import and the removal make (parity.services.imports)."""
    try:
        check_may_change(context.user(), map(str, entities))
    except ParityError as refused:
        return str(refused)
    return ""


def check_staged(pending: Any, context: Context) -> tuple[Any, Any]:
    """Check a staged file: its preview and the pending import, or why it cannot be imported
    (the staged file is then deleted, unless the user is asked to map its columns)."""
    name = str(pending["name"])
    try:
        parsed = _parse_staged(pending, context)
    except MissingColumns as missing:
        return mapping_form(missing), pending
    except FileRefused as refused:
        discard(pending)
        return refusal(refused), None
    except (ParityError, OSError) as error:
        discard(pending)
        return dbc.Alert(str(error), color="danger"), None
    outside = out_of_scope(context, parsed.frame["entity"].unique())
    if outside:
        discard(pending)
        why = _("{file}: {reason}").format(file=name, reason=outside)
        return dbc.Alert(why, color="danger", id="data-upload-outside"), None
    existing = context.source.store.find_batch_by_sha(parsed.sha256)
    if existing is not None:
        discard(pending)
        return dbc.Alert(
            _("{file}: this exact file is already imported as batch {batch}.").format(
                file=name, batch=existing
            ),
            color="warning",
        ), None
    frame = parsed.frame
    years = sorted(frame["year"].unique())
    content = {
        "staff": lambda: plural(int(frame["headcount"].sum()), "{n} person", "{n} people"),
        "flows": lambda: plural(int(frame["count"].sum()), "{n} event", "{n} events"),
        "targets": lambda: plural(len(frame), "{n} target", "{n} targets"),
    }[parsed.kind]()
    summary = _(
        "{file}: {rows} read, valid ({kind}): {entities}, years {first}–{last}, {content}. For "
        "each entity and year in the file, these figures will replace earlier ones of the same "
        "kind (kept, and restored if this batch is removed)."
    ).format(
        file=name,
        rows=plural(parsed.source_rows, "{n} row", "{n} rows"),
        kind=kind_words(parsed.kind),
        entities=plural(frame["entity"].nunique(), "{n} entity", "{n} entities"),
        first=years[0],
        last=years[-1],
        content=content,
    )
    preview = frame.head(8).astype(object)  # categoricals take no new value ("—")
    if "duty_station" in preview and "country" in preview:  # as the analysis will place it
        info = context.source.reference().station_info(pd.Index(preview["duty_station"]))
        preview["country"] = preview["country"].fillna(pd.Series(info["country"].to_numpy()))
    preview = preview.loc[:, preview.notna().any()]  # columns the file does not fill: left out
    table = dbc.Table.from_dataframe(preview.fillna("—"), size="sm", striped=True, responsive=True)
    message = html.Div(
        [
            dbc.Alert(summary, color="success", id="data-upload-valid"),
            html.Ul(
                [html.Li(note[:1].upper() + note[1:] + ".") for note in parsed.notes],
                id="data-upload-notes",
                className="small",
            )
            if parsed.notes
            else None,
            html.H3(_("Preview"), className="h6"),
            table,
            dbc.Button(_("Import as a new batch"), id="data-import", color="primary"),
        ]
    )
    return message, pending


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
        className="mt-2",
        style=None if open_rounds else {"display": "none"},
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
        parsed = _parse_staged(pending, context)
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
        checks = [html.Li(f"{m}") for messages in found.values() for m in messages]
        done = html.Div(
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
        return done, True
    done = dbc.Alert(
        _("Imported {file} as batch {batch}: {summary}.").format(
            file=info.file_name, batch=info.id, summary=info.summary()
        ),
        color="success",
        id="data-upload-done",
    )
    return done, True


def refusal(refused: FileRefused) -> Any:
    rows = [
        html.Tr(
            [
                html.Td(str(p.row) if p.row is not None else "—"),
                html.Td(p.column or "—"),
                html.Td(p.value if p.value is not None else "—"),
                html.Td(p.message),
            ]
        )
        for p in refused.problems[:20]
    ]
    more = refused.total - len(rows)
    return html.Div(
        [
            dbc.Alert(
                ngettext(
                    "{file}: refused, {n} problem; nothing was imported.",
                    "{file}: refused, {n} problems; nothing was imported.",
                    refused.total,
                ).format(file=refused.file_name, n=count(refused.total)),
                color="danger",
                id="data-upload-refused",
            ),
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(_("Row")),
                                html.Th(_("Column")),
                                html.Th(_("Value")),
                                html.Th(_("Problem")),
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                id="data-upload-errors",
                size="sm",
                responsive=True,
            ),
            html.P(plural(more, "… and {n} more problems", "… and {n} more problems"))
            if more > 0
            else None,
        ]
    )


def register(app: Dash, context: Context) -> None:
    source = context.source

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
        context.source.store.audit(request.user.name, "download", f"{fmt}: {table.table.title}")
        return dcc.send_bytes(download(table, fmt, request.rule), f"{stem}.{fmt}")

    @app.callback(
        Output("data-batches", "children"),
        Input("data-version", "data"),
    )
    def batches(_version: int) -> Any:
        return batch_list(visible_batches(context), context.may_change)

    if not (context.uploads or context.sign_in):
        return  # a read-only dashboard: no callback can change the store

    def forbidden() -> Any:
        """The answer to a change asked by a user who may not make it (checked on the server,
        whatever the page showed)."""
        return dbc.Alert(
            _("Only data stewards and administrators import and remove batches."), color="danger"
        )

    @app.callback(
        Output("data-upload-result", "children"),
        Output("data-pending", "data"),
        Input("data-upload", "contents"),
        State("data-upload", "filename"),
        State("data-pending", "data"),
        prevent_initial_call=True,
    )
    def upload(contents: str | None, file_name: str | None, previous: Any) -> list[Any]:
        if not contents:
            return [no_update, no_update]
        if not context.may_change:
            return [forbidden(), None]
        discard(previous)  # a file checked but not imported is replaced by this one
        message, pending = stage_upload(contents, file_name or "upload.csv", context)
        return [message, pending]

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
        name = _safe_name(str(rejected.get("name") or "upload.csv"))
        size = rejected.get("size")
        size = int(size) if isinstance(size, int | float) else 0
        message = over_limit(name, size, context.settings.max_upload_mb)
        return [dbc.Alert(message, color="danger", id="data-upload-too-large"), None]

    @app.callback(
        Output("data-upload-result", "children", allow_duplicate=True),
        Output("data-pending", "data", allow_duplicate=True),
        Input("data-map-apply", "n_clicks"),
        State({"type": "data-map", "index": ALL}, "value"),
        State({"type": "data-map", "index": ALL}, "id"),
        State("data-pending", "data"),
        prevent_initial_call=True,
    )
    def apply_mapping(
        clicks: int | None, columns: list[str | None], ids: list[dict[str, str]], pending: Any
    ) -> list[Any]:
        """Check the staged file again, reading the chosen columns as the fields named."""
        if not clicks or not isinstance(pending, dict):
            return [no_update, no_update]
        if not context.may_change:
            return [forbidden(), None]
        chosen = {c: i["index"] for c, i in zip(columns, ids, strict=True) if c}
        message, staged = check_staged({**pending, "mapping": chosen}, context)
        return [message, staged]

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
