"""The briefing as a workbook: one sheet per table, numbers as numbers with % formats, frozen
headers, formula-like names neutralised, and a sheet on the filters and definitions."""

from __future__ import annotations

import pandas as pd

from parity.briefing.content import Briefing, projection_words
from parity.definitions import ENTRIES, plain
from parity.export import tables_to_xlsx
from parity.metrics import METRIC_COLUMNS


def write_xlsx(briefing: Briefing) -> bytes:
    b = briefing
    projections = b.projections.assign(
        parity=[projection_words(r) for _, r in b.projections.iterrows()]
    )
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
                f"Groups of fewer than {b.min_cell} people show 'fewer than {b.min_cell}'"
                if b.min_cell
                else "Exact counts (public mode off)",
            ),
            ("Projection", f"{b.method}, {b.window}-year window"),
        ]
        + [(title, plain(body)) for _, title, body in ENTRIES],
        columns=["item", "value"],
    )
    return tables_to_xlsx(
        {
            "By grade": b.grades[["grade", "category", *METRIC_COLUMNS]],
            "By duty station": b.stations,
            "By entity": b.entities,
            "Projections": projections,
            "Trend": b.trend[["year", *METRIC_COLUMNS]],
            "Filters and definitions": about,
        }
    )
