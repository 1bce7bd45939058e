"""The briefing as a workbook: one sheet per table, numbers as numbers with % formats, frozen
headers, formula-like names neutralised, and a sheet on the filters, columns and definitions."""

from __future__ import annotations

import pandas as pd

from parity.briefing.content import NOT_IN_BRIEFINGS, Briefing, projection_words
from parity.definitions import ENTRIES, plain
from parity.export import tables_to_xlsx
from parity.metrics import METRIC_COLUMNS

# The tables keep the engine's column names (stable for anyone who reads the file with code);
# this says what each one holds.
COLUMNS: dict[str, str] = {
    "grade": "Grade, from the CEB grade code list",
    "category": "Staff category of the grade",
    "duty_station": "Duty station",
    "entity": "Entity (organisation)",
    "year": "Year of the snapshot",
    "women": "Number of women",
    "men": "Number of men",
    "other": "People recorded with another or an unknown gender",
    "total": "Everyone: women + men + other",
    "women_share": "Women's share = women / (women + men), shown as %",
    "gap_pp": "Parity gap = 50 - 100 x women's share, in percentage points",
    "parity_status": "parity (47-53% women, or the closest split the size allows), "
    "women_under or men_under",
    "women_needed": "Least number of positions moving from men to women, at constant "
    "headcount, for parity",
    "men_needed": "Least number of positions moving from women to men, at constant "
    "headcount, for parity",
    "base_year": "Latest year of the projection",
    "annual_change_pp": "Average change of women's share per year over the window, in "
    "percentage points",
    "projection_status": "reached, projected, not_at_current_trend or insufficient_data",
    "projected_year": "First year at 50% women on the straight-line projection",
    "projected_year_low": "Earliest year of the 80% interval (least-squares method)",
    "projected_year_high": "Latest year of the 80% interval (least-squares method)",
    "parity": "The projection in words",
}


def write_xlsx(briefing: Briefing) -> bytes:
    b = briefing
    projections = b.projections.assign(
        parity=[projection_words(r) for _, r in b.projections.iterrows()]
    )
    tables = {
        "By grade": b.grades[["grade", "category", *METRIC_COLUMNS]],
        "By duty station": b.stations,
        "By entity": b.entities,
        "Projections": projections,
        "Trend": b.trend[["year", *METRIC_COLUMNS]],
    }
    used = [c for c in COLUMNS if any(c in table.columns for table in tables.values())]
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
                f"Groups of fewer than {b.min_cell} people show 'fewer than {b.min_cell}' "
                "and no share, gap or numbers needed"
                if b.min_cell
                else "Exact counts (public mode off)",
            ),
            ("Projection", f"{b.method}, {b.window}-year window"),
            ("", ""),
            ("Column", "What it holds"),
            *((column, COLUMNS[column]) for column in used),
            ("", ""),
            ("Definition", "Formula and source"),
            *(
                (title, plain(body))
                for anchor, title, body in ENTRIES
                if anchor not in NOT_IN_BRIEFINGS
            ),
        ],
        columns=["item", "value"],
    )
    return tables_to_xlsx({**tables, "Filters and definitions": about})
