"""The checks of a round's submission, one function for each kind of flag (see
parity.rounds.rules): each reads an entity's submission beside its published history (a
``Comparison``) and gives that rule's flags, in a stable order (grades top of the ladder first,
duty stations by name), with their one-line messages. ``station_unknown_flags`` needs no history
and applies to a first submission too.
"""

from __future__ import annotations

import pandas as pd

from parity import i18n
from parity.i18n import _, ngettext
from parity.reference import Reference
from parity.rounds.comparison import Comparison, has_stations
from parity.rounds.rules import HEADCOUNT_CHANGE, SHARE_MIN_PEOPLE, SHARE_MOVE, Flag
from parity.wording import count, percent


def _beyond(value: float, limit: int) -> str:
    """``value`` with its sign and one decimal, or more when one decimal would hide that it is
    beyond ``limit`` (+20.04 reads +20.04, not +20.0), in the language's form (+20,04)."""
    digits = 1
    while digits < 6 and abs(float(f"{value:.{digits}f}")) == limit:
        digits += 1
    return i18n.signed(value, digits)


def station_unknown_flags(
    entity: str, year: int, now: pd.DataFrame, reference: Reference
) -> list[Flag]:
    """The checks that need no history: duty stations unknown to the reference list."""
    if not has_stations(now):
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


def headcount_flags(c: Comparison) -> list[Flag]:
    """Total people changed by more than HEADCOUNT_CHANGE percent."""
    before, after = int(c.then["headcount"].sum()), int(c.now["headcount"].sum())
    if not (before > 0 and 100 * abs(after - before) > HEADCOUNT_CHANGE * before):
        return []
    change = 100 * (after - before) / before
    return [
        Flag(
            c.entity,
            "headcount",
            "headcount",
            before,
            after,
            _(
                "{entity}: headcount {before} in {before_year} -> {after} in {year} "
                "({change}%); a change of more than {limit}% is flagged"
            ).format(
                entity=c.entity,
                before=count(before),
                before_year=c.before_year,
                after=count(after),
                year=c.year,
                change=_beyond(change, HEADCOUNT_CHANGE),
                limit=HEADCOUNT_CHANGE,
            ),
        )
    ]


def grade_new_flags(c: Comparison) -> list[Flag]:
    """A grade appearing that the entity used in an earlier published year."""
    ever_used = c.ever_used()
    out = []
    for grade in c.appearing_grades():
        if grade not in ever_used:
            continue
        n = c.grades_now[grade]
        out.append(
            Flag(
                c.entity,
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
                    entity=c.entity,
                    grade=grade,
                    n=count(n),
                    year=c.year,
                    before_year=c.before_year,
                ),
            )
        )
    return out


def grade_never_used_flags(c: Comparison) -> list[Flag]:
    """A grade appearing that the entity never reported in any published year."""
    ever_used = c.ever_used()
    out = []
    for grade in c.appearing_grades():
        if grade in ever_used:
            continue
        n = c.grades_now[grade]
        years = c.published_years()
        out.append(
            Flag(
                c.entity,
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
                ).format(entity=c.entity, grade=grade, n=count(n), year=c.year, years=years),
            )
        )
    return out


def grade_gone_flags(c: Comparison) -> list[Flag]:
    """A grade with people in the previous latest year, none now."""
    out = []
    for grade in c.vanishing_grades():
        n = c.grades_then[grade]
        out.append(
            Flag(
                c.entity,
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
                    entity=c.entity,
                    grade=grade,
                    n=count(n),
                    before_year=c.before_year,
                    year=c.year,
                ),
            )
        )
    return out


def station_new_flags(c: Comparison) -> list[Flag]:
    """A duty station with people now, none in the previous latest year."""
    stations = c.stations()
    if stations is None:
        return []
    stations_then, stations_now = stations
    out = []
    for station in sorted(stations_now.keys() - stations_then.keys()):
        n = stations_now[station]
        out.append(
            Flag(
                c.entity,
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
                    entity=c.entity,
                    station=station,
                    n=count(n),
                    year=c.year,
                    before_year=c.before_year,
                ),
            )
        )
    return out


def station_gone_flags(c: Comparison) -> list[Flag]:
    """A duty station with people in the previous latest year, none now."""
    stations = c.stations()
    if stations is None:
        return []
    stations_then, stations_now = stations
    out = []
    for station in sorted(stations_then.keys() - stations_now.keys()):
        n = stations_then[station]
        out.append(
            Flag(
                c.entity,
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
                    entity=c.entity,
                    station=station,
                    n=count(n),
                    before_year=c.before_year,
                    year=c.year,
                ),
            )
        )
    return out


def share_move_flags(c: Comparison) -> list[Flag]:
    """Women's share of a grade of SHARE_MIN_PEOPLE people or more (all genders counted in the
    size) moved by more than SHARE_MOVE percentage points."""
    out = []
    for grade in c.sorted_grades(c.grades_now):
        size = c.grades_now[grade]
        if size < SHARE_MIN_PEOPLE or grade not in c.grades_then:
            continue
        (w0, m0), (w1, m1) = c.women_and_men(grade)
        n1, n0 = w1 + m1, w0 + m0
        if n1 == 0 or n0 == 0:
            continue
        # |w1/n1 - w0/n0| > SHARE_MOVE/100, in integers
        if 100 * abs(w1 * n0 - w0 * n1) <= SHARE_MOVE * n0 * n1:
            continue
        share0, share1 = w0 / n0, w1 / n1
        out.append(_share_move_flag(c, grade, size, share0, share1))
    return out


def _share_move_flag(c: Comparison, grade: str, size: int, share0: float, share1: float) -> Flag:
    """The flag of a grade whose women's share moved from ``share0`` to ``share1``."""
    move = 100 * (share1 - share0)
    return Flag(
        c.entity,
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
            entity=c.entity,
            grade=grade,
            n=count(size),
            before=percent(share0),
            before_year=c.before_year,
            after=percent(share1),
            year=c.year,
            move=_beyond(move, SHARE_MOVE),
            limit=SHARE_MOVE,
            min_people=SHARE_MIN_PEOPLE,
        ),
    )
