"""A checked staffing file beside its entities' last published figures, on the Data page before
the import (parity.rounds.preview): people, women and men by grade, published and in the file,
and what a round would flag, in full."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from parity.i18n import _
from parity.ingest import ParsedFile
from parity.rounds.preview import TOTAL, compare_with_published
from parity.web.source import Context
from parity.wording import count, missing


def _cell(people: Any, women: Any, men: Any) -> str:
    """'3,392 (1,396 women, 1,983 men)'; a dash for no one."""
    if missing(people):
        return "—"
    return _("{people} ({women} women, {men} men)").format(
        people=count(people), women=count(women), men=count(men)
    )


def _change(before: Any, after: Any) -> str:
    if missing(before) or missing(after) or not before:
        return ""
    return f"{100 * (after - before) / before:+.1f}%"


def comparison(parsed: ParsedFile, context: Context) -> Any:
    """The comparison and the flags of a staffing file (nothing for flows or targets)."""
    preview = compare_with_published(context.source.store, parsed)
    if preview is None:
        return None
    table = preview.table
    header = html.Thead(
        html.Tr(
            [
                html.Th(_("Entity"), scope="col"),
                html.Th(_("Grade"), scope="col"),
                html.Th(_("Published"), scope="col"),
                html.Th(_("This file"), scope="col"),
                html.Th(_("Change"), scope="col", className="num"),
            ]
        )
    )
    body = []
    for row in table.astype(object).itertuples(index=False):
        label = _("Total") if row.grade == TOTAL else str(row.grade)
        published = (
            _("{cell} in {year}").format(
                cell=_cell(row.before, row.before_women, row.before_men), year=row.before_year
            )
            if not missing(row.before_year)
            else _("nothing published")
        )
        body.append(
            html.Tr(
                [
                    html.Td(str(row.entity)),
                    html.Th(label, scope="row"),
                    html.Td(published),
                    html.Td(
                        _("{cell} in {year}").format(
                            cell=_cell(row.after, row.after_women, row.after_men), year=row.year
                        )
                    ),
                    html.Td(_change(row.before, row.after), className="num"),
                ],
                className="fw-semibold" if row.grade == TOTAL else None,
            )
        )
    found = [f.message for entity_flags in preview.flags.values() for f in entity_flags]
    return html.Div(
        [
            html.H3(_("Beside the last published figures"), className="h6 mt-3"),
            dbc.Table(
                [header, html.Tbody(body)],
                size="sm",
                striped=True,
                responsive=True,
                id="data-compare",
            ),
            dbc.Alert(
                [
                    html.P(_("To look at before importing:"), className="mb-1"),
                    html.Ul([html.Li(m) for m in found], className="mb-0 small"),
                ],
                color="warning",
                id="data-compare-flags",
            )
            if found
            else html.P(
                _("Nothing looks like a mistake against the published figures."),
                className="small text-muted",
                id="data-compare-flags",
            ),
        ]
    )
