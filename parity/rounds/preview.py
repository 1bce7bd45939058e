"""A staffing file beside each of its entities' last published figures, before it is imported
or submitted: people (women, men) by grade and in all, published and in the file, and the flags
a round would raise (parity.rounds.flags). A partial file that would replace 3,392 people by 300
shows it here, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parity.ingest import ParsedFile
from parity.rounds.comparison import latest_year
from parity.rounds.flags import flags
from parity.rounds.rules import Flag
from parity.store import Store

TOTAL = "all grades"


@dataclass(frozen=True)
class Preview:
    """``table``: entity, grade (TOTAL first for each entity), before_year, before, before_women,
    before_men, year, after, after_women, after_men (None where a side has no one); ``flags``
    per entity, in the file's order of entities."""

    table: pd.DataFrame
    flags: dict[str, list[Flag]]


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    """People, women and men per grade of a year's rows, with the whole as TOTAL."""
    grades = frame.assign(grade=frame["grade"].astype(str))
    women = grades["headcount"].where(grades["gender"] == "F", 0)
    men = grades["headcount"].where(grades["gender"] == "M", 0)
    by = (
        grades.assign(women=women, men=men)
        .groupby("grade", sort=False)[["headcount", "women", "men"]]
        .sum()
    )
    total = pd.DataFrame([by.sum()], index=[TOTAL])
    return pd.concat([total, by[by["headcount"] > 0]])


def compare_with_published(store: Store, parsed: ParsedFile) -> Preview | None:
    """The preview of a staffing file (None for flows or targets: nothing to compare)."""
    if parsed.kind != "staff" or parsed.frame.empty:
        return None
    from parity.frame import load_frame

    reference = store.reference()
    order = {grade: rank for rank, grade in enumerate(reference.ladder)}
    rows, found = [], {}
    for entity in pd.unique(parsed.frame["entity"]):
        name = str(entity)
        mine = parsed.frame[parsed.frame["entity"] == entity]
        published = load_frame(store, [name])
        found[name] = flags(mine, published if len(published) else None, reference)
        year, now = latest_year(mine)
        after = _people(now)
        before_year, before = (None, after.iloc[0:0])
        if len(published):
            before_year, then = latest_year(published)
            before = _people(then)
        grades = [TOTAL, *sorted(
            (set(after.index) | set(before.index)) - {TOTAL},
            key=lambda g: (order.get(g, len(order)), g),
        )]  # fmt: skip
        for grade in grades:
            b = before.loc[grade] if grade in before.index else None
            a = after.loc[grade] if grade in after.index else None
            rows.append(
                {
                    "entity": name,
                    "grade": grade,
                    "before_year": before_year,
                    "before": None if b is None else int(b["headcount"]),
                    "before_women": None if b is None else int(b["women"]),
                    "before_men": None if b is None else int(b["men"]),
                    "year": year,
                    "after": None if a is None else int(a["headcount"]),
                    "after_women": None if a is None else int(a["women"]),
                    "after_men": None if a is None else int(a["men"]),
                }
            )
    return Preview(pd.DataFrame(rows), found)
