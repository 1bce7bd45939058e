"""The check of an uploaded file, before anything is imported: the file staged and parsed (with
a column mapping, chosen or saved), then either its summary and preview with the button that
imports it, or why it cannot be: its problems row by row, the choice of its columns when
required ones are missing, an entity out of the user's scope, or the same file already
imported."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from parity.errors import FileRefused, MissingColumns, ParityError
from parity.i18n import _, ngettext
from parity.ingest import ParsedFile, parse_file
from parity.web.components import dropdown
from parity.web.pages.data.batches import kind_words
from parity.web.pages.data.compare import comparison
from parity.web.pages.data.scope import out_of_scope
from parity.web.pages.data.staging import (
    discard,
    keep_checked,
    safe_name,
    stage,
    staged_path,
    sweep,
)
from parity.web.source import Context
from parity.wording import count, plural


def stage_upload(
    contents: str, file_name: str, context: Context, round_id: int = 0
) -> tuple[Any, Any]:
    """Validate an uploaded file: (message component, pending-import token or None). The file
    waits in its own folder of UPLOAD_DIR (a random token) only when it can be imported, or
    when the user is asked which of its columns is which."""
    name = safe_name(file_name)
    sweep()
    try:
        pending = stage(contents, name, context.settings.max_upload_mb)
    except (ParityError, OSError) as error:
        return dbc.Alert(str(error), color="danger"), None
    return check_staged(pending, context, round_id)


def parse_staged(pending: Any, context: Context) -> ParsedFile:
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


def refusal(refused: FileRefused) -> Any:
    """A refused file: how many problems, the first 20 of them (row, column, value, problem)
    and how many more; nothing was imported."""
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


def check_staged(pending: Any, context: Context, round_id: int = 0) -> tuple[Any, Any]:
    """Check a staged file: its preview and the pending import, or why it cannot be imported
    (the staged file is then deleted, unless the user is asked to map its columns)."""
    name = str(pending["name"])
    try:
        parsed = parse_staged(pending, context)
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
    keep_checked(pending, parsed)  # the import writes what was checked and previewed
    return checked(parsed, name, context, round_id), pending


def summary(parsed: ParsedFile, name: str) -> str:
    """What a valid file holds (rows, kind, entities, years, people, events or targets) and
    what importing it does to earlier figures."""
    frame = parsed.frame
    years = sorted(frame["year"].unique())
    content = {
        "staff": lambda: plural(int(frame["headcount"].sum()), "{n} person", "{n} people"),
        "flows": lambda: plural(int(frame["count"].sum()), "{n} event", "{n} events"),
        "targets": lambda: plural(len(frame), "{n} target", "{n} targets"),
    }[parsed.kind]()
    return _(
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


def preview_table(parsed: ParsedFile, context: Context) -> Any:
    """The file's first 8 rows as the analysis will read them (a missing country from the duty
    station), without the columns the file does not fill; empty cells as '—'."""
    preview = parsed.frame.head(8).astype(object)  # categoricals take no new value ("—")
    if "duty_station" in preview and "country" in preview:  # as the analysis will place it
        info = context.source.reference().station_info(pd.Index(preview["duty_station"]))
        preview["country"] = preview["country"].fillna(pd.Series(info["country"].to_numpy()))
    preview = preview.loc[:, preview.notna().any()]  # columns the file does not fill: left out
    return dbc.Table.from_dataframe(
        preview.fillna("—"), size="sm", striped=True, responsive=True, id="data-preview"
    )


def checked(parsed: ParsedFile, name: str, context: Context, round_id: int = 0) -> Any:
    """A valid file's message: its summary, the notes of the check, its preview, a staffing
    file beside its entities' published figures with what looks like a mistake, and the button
    that imports it ("Submit to round N" when a round is chosen)."""
    message = summary(parsed, name)
    table = preview_table(parsed, context)
    return html.Div(
        [
            dbc.Alert(message, color="success", id="data-upload-valid"),
            html.Ul(
                [html.Li(note[:1].upper() + note[1:] + ".") for note in parsed.notes],
                id="data-upload-notes",
                className="small",
            )
            if parsed.notes
            else None,
            html.H3(_("Preview"), className="h6"),
            table,
            comparison(parsed, context),
            dbc.Button(
                _("Submit to round {round}").format(round=round_id)
                if round_id
                else _("Import as a new batch"),
                id="data-import",
                color="primary",
            ),
        ]
    )
