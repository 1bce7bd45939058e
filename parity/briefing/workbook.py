"""The briefing as a workbook: one sheet per table of the briefing's view models, headed in a
reader's words, numbers as numbers with % formats, withheld cells empty with a note, frozen
headers, formula-like names neutralised, and a sheet on the filters and definitions."""

from __future__ import annotations

import pandas as pd

from parity.briefing.content import NOT_IN_BRIEFINGS, Briefing, generated_on
from parity.definitions import ENTRIES, plain
from parity.export import tables_to_xlsx
from parity.i18n import N_, _, ngettext
from parity.views.base import Column, Table
from parity.views.columns import METRIC_COLUMNS

TREND_COLUMNS = (  # headers in English: a Table shows them through _()
    Column("year", N_("Year"), "year"),
    Column("women", N_("Women"), "count"),
    Column("men", N_("Men"), "count"),
    Column("women_share", N_("Women's share"), "share"),
)


def write_xlsx(briefing: Briefing) -> bytes:
    b = briefing
    entities = Table(_("By entity"), (Column("entity", _("Entity")), *METRIC_COLUMNS), b.entities)
    trend = Table(_("Trend"), TREND_COLUMNS, b.trend)
    tables: dict[str, Table] = {
        _("By grade"): b.grade_view.table,
        _("Projections by grade"): b.grade_trends.table,
        _("Projections by category"): b.category_trends.table,
        _("By duty station"): b.station_view.table,
        _("By entity"): entities,
        _("Trend"): trend,
    }
    if b.geography is not None:
        tables[_("By nationality")] = b.geography.table
    if b.scorecard is not None and not b.scorecard.rows.empty:
        tables[_("Scorecard")] = b.scorecard
    if b.plan is not None:
        tables[_("Hiring plan")] = b.plan.table
        if not b.plan.targets.rows.empty:
            tables[_("Targets")] = b.plan.targets
    if b.flow_view is not None:
        tables[_("Flows")] = b.flow_view.table
    sheets = {name: table.export(b.rule) for name, table in tables.items()}
    return tables_to_xlsx(
        {_("Summary"): _summary(b), **sheets, _("Filters and definitions"): _about(b)}
    )


def _summary(b: Briefing) -> pd.DataFrame:
    """The PDF's first page as a sheet: the key points, then the headline cards (figure and
    note), in the same words."""
    points = [(_("Key point"), text, "") for text in b.key_points()]
    cards = [(s.label, s.value, s.note) for s in b.overview.stats]
    return pd.DataFrame([*points, ("", "", ""), *cards], columns=[_("Item"), _("Value"), _("Note")])


def _about(b: Briefing) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (_("Title"), b.title),
            (_("Selection"), b.scope),
            (_("Year"), str(b.year)),
            (_("Generated"), generated_on(b.generated, "%Y-%m-%d")),
            (
                _("Data"),
                _("Demo data: synthetic figures, fictional entities")
                if b.demo
                else _("Imported batches in the parity store"),
            ),
            (
                _("Small groups"),
                _(
                    "Groups of fewer than {n} people are not shown (empty cells, with a note), "
                    "with the other cells of the public tables that would give them away "
                    "together: every figure comes from one protected publication (see the "
                    "dashboard's Definitions)"
                ).format(n=b.min_cell)
                if b.min_cell
                else _("Exact counts (public mode off)"),
            ),
            (
                _("Projection"),
                ngettext(
                    "{method}, {window}-year window", "{method}, {window}-year window", b.window
                ).format(method=b.method, window=b.window),
            ),
            ("", ""),
            (_("Definition"), _("Formula and source")),
            *(
                (_(title), plain(_(body)))
                for anchor, title, body in ENTRIES
                if anchor not in NOT_IN_BRIEFINGS
            ),
        ],
        columns=[_("Item"), _("Value")],
    )
