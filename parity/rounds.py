"""A reporting round: each entity submits its staffing file, which is compared with the entity's
previous published figures; what looks like a mistake is flagged for the steward to confirm or
replace.

``flags(submitted, previous, reference)`` compares, per entity in the submission, the
submission's latest year with the latest year of that entity's previously published rows. Both
are canonical staffing frames (``parity.ingest.parse_file(...).frame``). The rules, each with a
short stable code in ``Flag.rule``:

=================== ==========================================================================
``headcount``        total people changed by more than 20% (exactly 20% is not flagged)
``grade_new``        a grade with people now, none in the previous latest year, but used in an
                     earlier published year
``grade_gone``       a grade with people in the previous latest year, none now
``station_new``      a duty station with people now, none in the previous latest year
``station_gone``     a duty station with people in the previous latest year, none now
``share_move``       women's share, women / (women + men), of a grade with 20 people or more
                     in the submission moved by more than 5 percentage points (exactly 5 is not)
``station_unknown``  a duty station the reference list does not know
``grade_never_used`` people in a grade the entity never reported in any published year
=================== ==========================================================================

A grade appearing is flagged once: ``grade_never_used`` when no published year has it, else
``grade_new`` (the entity used it before, not in its latest year). Duty stations are compared only
when both the submission and the previous latest year have them. With no previous rows for an
entity (``previous`` None, empty or without that entity: a first submission) only
``station_unknown``, which needs no history, applies. Thresholds are compared in exact integer
arithmetic, so a change of exactly 20% or a move of exactly 5 points is never flagged by a
rounding error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from parity import i18n
from parity.i18n import N_, _, ngettext
from parity.reference import Reference
from parity.wording import count, percent

HEADCOUNT_CHANGE = 20
"""Percent: a change of the entity's total people by more than this is flagged."""
SHARE_MOVE = 5
"""Percentage points: a move of women's share of a grade by more than this is flagged..."""
SHARE_MIN_PEOPLE = 20
"""...in a grade with at least this many people in the submission."""

RULES = (
    "headcount",
    "grade_new",
    "grade_gone",
    "station_new",
    "station_gone",
    "share_move",
    "station_unknown",
    "grade_never_used",
)


@dataclass(frozen=True)
class Flag:
    """One figure of an entity's submission that looks like a mistake.

    ``figure`` names the figure ("headcount", "people in P-4", "people in Geneva", "women's
    share of P-4"); ``before`` and ``after`` are its values in the previous latest year and in
    the submission (people, or women's share as a fraction 0-1), None where it has none (an
    unknown duty station has no before); ``message`` says all of it in one line."""

    entity: str
    rule: str
    figure: str
    before: int | float | None
    after: int | float | None
    message: str


def _latest(frame: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    year = int(frame["year"].max())
    return year, frame[frame["year"] == year]


def _people_by(frame: pd.DataFrame, column: str) -> dict[str, int]:
    """People per value of ``column`` (rows without a value left out), values with people only."""
    known = frame[frame[column].notna()]
    sums = known.groupby(known[column].astype(str))["headcount"].sum()
    return {str(k): int(v) for k, v in sums.items() if v > 0}


def _by_gender(frame: pd.DataFrame, grade: str) -> tuple[int, int]:
    """(women, men) of a grade."""
    rows = frame[frame["grade"].astype(str) == grade]
    women = int(rows.loc[rows["gender"] == "F", "headcount"].sum())
    men = int(rows.loc[rows["gender"] == "M", "headcount"].sum())
    return women, men


def _has_stations(frame: pd.DataFrame) -> bool:
    return "duty_station" in frame.columns and bool(frame["duty_station"].notna().any())


def _beyond(value: float, limit: int) -> str:
    """``value`` with its sign and one decimal, or more when one decimal would hide that it is
    beyond ``limit`` (+20.04 reads +20.04, not +20.0), in the language's form (+20,04)."""
    digits = 1
    while digits < 6 and abs(float(f"{value:.{digits}f}")) == limit:
        digits += 1
    return i18n.signed(value, digits)


def _grade_order(reference: Reference) -> dict[str, int]:
    return {grade: rank for rank, grade in enumerate(reference.ladder)}


def _sorted_grades(grades: Iterable[str], order: dict[str, int]) -> list[str]:
    """Top of the ladder first; grades the ladder does not know last, by name."""
    return sorted(grades, key=lambda g: (order.get(g, len(order)), g))


def _first_submission_flags(
    entity: str, year: int, now: pd.DataFrame, reference: Reference
) -> list[Flag]:
    """The checks that need no history: duty stations unknown to the reference list."""
    if not _has_stations(now):
        return []
    known = set(reference.station_spellings.values())
    present = now[now["duty_station"].notna()]
    counts = present.groupby(present["duty_station"].astype(str))["headcount"].sum()
    out = []
    for station, n in sorted(counts.items()):
        if station in known:
            continue
        close = reference.closest_stations(str(station))
        message = (
            ngettext(
                "{entity}: duty station {station} ({n} person in {year}) is not in the reference "
                "list of duty stations (did you mean {stations}?)",
                "{entity}: duty station {station} ({n} people in {year}) is not in the reference "
                "list of duty stations (did you mean {stations}?)",
                int(n),
            )
            if close
            else ngettext(
                "{entity}: duty station {station} ({n} person in {year}) is not in the reference "
                "list of duty stations",
                "{entity}: duty station {station} ({n} people in {year}) is not in the reference "
                "list of duty stations",
                int(n),
            )
        )
        out.append(
            Flag(
                entity,
                "station_unknown",
                f"people in {station}",
                None,
                int(n),
                message.format(
                    entity=entity,
                    station=repr(station),
                    n=count(int(n)),
                    year=year,
                    stations=i18n.either(close) if close else "",
                ),
            )
        )
    return out


def _entity_flags(
    entity: str, submitted: pd.DataFrame, history: pd.DataFrame, reference: Reference
) -> list[Flag]:
    year, now = _latest(submitted)
    unknown = _first_submission_flags(entity, year, now, reference)
    if history.empty:
        return unknown
    before_year, then = _latest(history)
    order = _grade_order(reference)
    out: list[Flag] = []

    # 1. total people
    before, after = int(then["headcount"].sum()), int(now["headcount"].sum())
    if before > 0 and 100 * abs(after - before) > HEADCOUNT_CHANGE * before:
        change = 100 * (after - before) / before
        out.append(
            Flag(
                entity,
                "headcount",
                "headcount",
                before,
                after,
                _(
                    "{entity}: headcount {before} in {before_year} -> {after} in {year} "
                    "({change}%); a change of more than {limit}% is flagged"
                ).format(
                    entity=entity,
                    before=count(before),
                    before_year=before_year,
                    after=count(after),
                    year=year,
                    change=_beyond(change, HEADCOUNT_CHANGE),
                    limit=HEADCOUNT_CHANGE,
                ),
            )
        )

    # 2 and 6. grades appearing (never used: rule 6 instead of rule 2), vanishing
    grades_then, grades_now = _people_by(then, "grade"), _people_by(now, "grade")
    ever_used = set(_people_by(history, "grade"))
    for grade in _sorted_grades(grades_now.keys() - grades_then.keys(), order):
        n = grades_now[grade]
        if grade in ever_used:
            out.append(
                Flag(
                    entity,
                    "grade_new",
                    f"people in {grade}",
                    0,
                    n,
                    ngettext(
                        "{entity}: grade {grade} has {n} person in {year}, none in "
                        "{before_year}; a grade appearing is flagged",
                        "{entity}: grade {grade} has {n} people in {year}, none in "
                        "{before_year}; a grade appearing is flagged",
                        n,
                    ).format(
                        entity=entity, grade=grade, n=count(n), year=year, before_year=before_year
                    ),
                )
            )
        else:
            published = sorted({int(y) for y in history["year"].unique()})
            years = str(published[0]) if len(published) == 1 else f"{published[0]}-{published[-1]}"
            out.append(
                Flag(
                    entity,
                    "grade_never_used",
                    f"people in {grade}",
                    0,
                    n,
                    ngettext(
                        "{entity}: grade {grade} has {n} person in {year}; the entity never "
                        "reported anyone in this grade ({years}); a grade never used is flagged",
                        "{entity}: grade {grade} has {n} people in {year}; the entity never "
                        "reported anyone in this grade ({years}); a grade never used is flagged",
                        n,
                    ).format(entity=entity, grade=grade, n=count(n), year=year, years=years),
                )
            )
    for grade in _sorted_grades(grades_then.keys() - grades_now.keys(), order):
        n = grades_then[grade]
        out.append(
            Flag(
                entity,
                "grade_gone",
                f"people in {grade}",
                n,
                0,
                ngettext(
                    "{entity}: grade {grade} had {n} person in {before_year}, none in {year}; a "
                    "grade vanishing is flagged",
                    "{entity}: grade {grade} had {n} people in {before_year}, none in {year}; a "
                    "grade vanishing is flagged",
                    n,
                ).format(
                    entity=entity, grade=grade, n=count(n), before_year=before_year, year=year
                ),
            )
        )

    # 3. duty stations appearing or vanishing, when both sides have duty stations
    if _has_stations(then) and _has_stations(now):
        stations_then = _people_by(then, "duty_station")
        stations_now = _people_by(now, "duty_station")
        for station in sorted(stations_now.keys() - stations_then.keys()):
            n = stations_now[station]
            out.append(
                Flag(
                    entity,
                    "station_new",
                    f"people in {station}",
                    0,
                    n,
                    ngettext(
                        "{entity}: duty station {station} has {n} person in {year}, none in "
                        "{before_year}; a duty station appearing is flagged",
                        "{entity}: duty station {station} has {n} people in {year}, none in "
                        "{before_year}; a duty station appearing is flagged",
                        n,
                    ).format(
                        entity=entity,
                        station=station,
                        n=count(n),
                        year=year,
                        before_year=before_year,
                    ),
                )
            )
        for station in sorted(stations_then.keys() - stations_now.keys()):
            n = stations_then[station]
            out.append(
                Flag(
                    entity,
                    "station_gone",
                    f"people in {station}",
                    n,
                    0,
                    ngettext(
                        "{entity}: duty station {station} had {n} person in {before_year}, none "
                        "in {year}; a duty station vanishing is flagged",
                        "{entity}: duty station {station} had {n} people in {before_year}, none "
                        "in {year}; a duty station vanishing is flagged",
                        n,
                    ).format(
                        entity=entity,
                        station=station,
                        n=count(n),
                        before_year=before_year,
                        year=year,
                    ),
                )
            )

    # 4. women's share of grades of 20 people or more (all genders counted in the size)
    for grade in _sorted_grades(grades_now, order):
        size = grades_now[grade]
        if size < SHARE_MIN_PEOPLE or grade not in grades_then:
            continue
        w1, m1 = _by_gender(now, grade)
        w0, m0 = _by_gender(then, grade)
        n1, n0 = w1 + m1, w0 + m0
        if n1 == 0 or n0 == 0:
            continue
        # |w1/n1 - w0/n0| > SHARE_MOVE/100, in integers
        if 100 * abs(w1 * n0 - w0 * n1) <= SHARE_MOVE * n0 * n1:
            continue
        share0, share1 = w0 / n0, w1 / n1
        move = 100 * (share1 - share0)
        out.append(
            Flag(
                entity,
                "share_move",
                f"women's share of {grade}",
                share0,
                share1,
                ngettext(
                    "{entity}: women's share of grade {grade} ({n} person) {before} in "
                    "{before_year} -> {after} in {year} ({move} points); a move of more than "
                    "{limit} points in a grade of {min_people} people or more is flagged",
                    "{entity}: women's share of grade {grade} ({n} people) {before} in "
                    "{before_year} -> {after} in {year} ({move} points); a move of more than "
                    "{limit} points in a grade of {min_people} people or more is flagged",
                    size,
                ).format(
                    entity=entity,
                    grade=grade,
                    n=count(size),
                    before=percent(share0),
                    before_year=before_year,
                    after=percent(share1),
                    year=year,
                    move=_beyond(move, SHARE_MOVE),
                    limit=SHARE_MOVE,
                    min_people=SHARE_MIN_PEOPLE,
                ),
            )
        )

    out.extend(unknown)
    return sorted(out, key=lambda f: RULES.index(f.rule))


def flags(
    submitted: pd.DataFrame, previous: pd.DataFrame | None, reference: Reference
) -> list[Flag]:
    """What looks like a mistake in a submission, per entity in the order they come in
    ``submitted``, per rule in the order of ``RULES``: its latest year compared with the latest
    year of the entity's rows in ``previous`` (the previously published figures, of any years;
    None or empty for a first submission)."""
    out: list[Flag] = []
    if submitted.empty:
        return out
    for entity in pd.unique(submitted["entity"]):
        mine = submitted[submitted["entity"] == entity]
        history = (
            previous[previous["entity"] == entity]
            if previous is not None and not previous.empty
            else submitted.iloc[0:0]
        )
        out.extend(_entity_flags(str(entity), mine, history, reference))
    return out


# -- a round's board and workbook -----------------------------------------------------------


def round_board(store: Any, round_id: int, today: date | None = None) -> pd.DataFrame:
    """Each participating entity of a round: not started, submitted, flagged, confirmed or
    late (nothing submitted after the due date), with when, by whom, the batch and its flags."""
    info = store.round(round_id)
    latest = {s["entity"]: s for s in store.submissions(round_id)}
    late = (today or date.today()) > info["due"]
    rows = []
    for entity in info["entities"]:
        s = latest.get(entity)
        rows.append(
            {
                "entity": entity,
                "status": s["status"] if s else ("late" if late else "not started"),
                "submitted": f"{s['submitted_at']:%Y-%m-%d}" if s else "",
                "by": s["submitted_by"] if s else "",
                "batch": s["batch_id"] if s else None,
                "flags": len(s["flags"]) if s else 0,
                "to check": "; ".join(s["flags"]) if s else "",
            }
        )
    columns = ["entity", "status", "submitted", "by", "batch", "flags", "to check"]
    return pd.DataFrame(rows, columns=columns)


def round_workbook(store: Any, round_id: int) -> bytes:
    """The consolidated workbook of a round, exact figures (for administrators): every
    participating entity's latest year as submitted, one sheet a breakdown, and the status and
    flagged changes of each entity against its previous published figures."""
    from parity.export import tables_to_xlsx
    from parity.frame import load_frame
    from parity.metrics import parity_table

    info = store.round(round_id)
    frame = load_frame(store, info["entities"], drafts=True)
    if frame.empty:
        latest = np.zeros(0, dtype=bool)
    else:
        last = frame.groupby("entity", observed=True)["year"].transform("max")
        latest = (frame["year"] == last).to_numpy()
    sheets = {
        _(label): parity_table(frame, dims, latest)
        for label, dims in (
            (N_("By entity"), ["entity"]),
            (N_("By grade"), ["entity", "grade"]),
            (N_("By duty station"), ["entity", "duty_station"]),
            (N_("By staff category"), ["entity", "category"]),
        )
    }
    board = round_board(store, round_id)
    published = info["published_at"]
    about = pd.DataFrame(
        [
            (_("Round"), f"{round_id}: {info['name']}"),
            (_("Figures as of"), f"{info['as_of']}"),
            (_("Due"), f"{info['due']}"),
            (
                _("Published"),
                f"{published:%Y-%m-%d %H:%M} UTC" if published else _("no (drafts)"),
            ),
            (
                _("Figures"),
                _("Each entity's latest year as submitted; exact counts (admins only)"),
            ),
        ],
        columns=[_("Item"), _("Value")],
    )
    return tables_to_xlsx({**sheets, _("Status and changes"): board, _("About"): about})


def submit_to_round(
    store: Any, round_id: int, parsed: Any, who: str, progress: bool = False
) -> tuple[Any, dict[str, list[str]]]:
    """Import a validated file as a round's submission: refused (nothing stored) when the round
    is published or the file holds an entity not taking part; else each entity's figures are
    compared with its last published ones (the flags), then the batch, its submission rows with
    the flags and the audit records are written in one transaction (``Store.import_parsed``):
    a process stopped at any point leaves nothing or a whole draft. Returns the batch and each
    entity's flags."""
    from parity.errors import ParityError
    from parity.frame import load_frame
    from parity.store import Submission

    info = store.round(round_id)
    if info["published_at"] is not None:
        raise ParityError(
            _("round {round} is published: unpublish it to submit").format(round=round_id)
        )
    entities = sorted(map(str, parsed.frame["entity"].unique()))
    outside = sorted(set(entities) - set(info["entities"]))
    if outside:
        raise ParityError(
            _("{file}: {entities} not in round {round}; nothing was imported").format(
                file=parsed.file_name, entities=", ".join(outside), round=round_id
            )
        )
    found: dict[str, list[str]] = {}
    for entity in entities:
        before = load_frame(store, [entity])  # published figures
        mine = parsed.frame[parsed.frame["entity"] == entity]
        found[entity] = [
            f.message for f in flags(mine, before if len(before) else None, store.reference())
        ]
    batch = store.import_parsed(
        parsed, progress=progress, who=who, submission=Submission(round_id, who, found)
    )
    return batch, found
