"""The briefing as a workbook: one sheet per table of the briefing's view models, headed in a
reader's words, numbers as numbers with % formats, withheld cells empty with a note, frozen
headers, formula-like names neutralised, and a sheet on the filters and definitions."""

from __future__ import annotations

import pandas as pd

from parity.briefing.content import NOT_IN_BRIEFINGS, Briefing
from parity.definitions import ENTRIES, plain
from parity.export import tables_to_xlsx
from parity.views.base import Column, Table
from parity.views.grades import METRIC_COLUMNS

TREND_COLUMNS = (
    Column("year", "Year", "year"),
    Column("women", "Women", "count"),
    Column("men", "Men", "count"),
    Column("women_share", "Women's share", "share"),
)


def write_xlsx(briefing: Briefing) -> bytes:
    b = briefing
    entities = Table("By entity", (Column("entity", "Entity"), *METRIC_COLUMNS), b.entities)
    trend = Table("Trend", TREND_COLUMNS, b.trend)
    tables: dict[str, Table] = {
        "By grade": b.grade_view.table,
        "Projections by grade": b.grade_trends.table,
        "Projections by category": b.category_trends.table,
        "By duty station": b.station_view.table,
        "By entity": entities,
        "Trend": trend,
    }
    if b.plan is not None:
        tables["Hiring plan"] = b.plan.table
        if not b.plan.targets.rows.empty:
            tables["Targets"] = b.plan.targets
    if b.flow_view is not None:
        tables["Flows"] = b.flow_view.table
    sheets = {name: table.export(b.rule) for name, table in tables.items()}
    about = pd.DataFrame(
        [
            ("Title", b.title),
            ("Selection", b.scope),
            ("Year", str(b.year)),
            ("Generated", f"{b.generated:%Y-%m-%d}"),
            (
                "Data",
                "Demo data: synthetic figures, fictional entities"
                if b.demo
                else "Imported batches in the parity store",
            ),
            (
                "Small groups",
                f"Groups of fewer than {b.min_cell} people are not shown (empty cells, with a "
                "note); where one group of a breakdown is withheld, the next smallest is too, so "
                "that it cannot be worked out by subtraction"
                if b.min_cell
                else "Exact counts (public mode off)",
            ),
            ("Projection", f"{b.method}, {b.window}-year window"),
            ("", ""),
            ("Definition", "Formula and source"),
            *(
                (title, plain(body))
                for anchor, title, body in ENTRIES
                if anchor not in NOT_IN_BRIEFINGS
            ),
        ],
        columns=["Item", "Value"],
    )
    return tables_to_xlsx({**sheets, "Filters and definitions": about})
