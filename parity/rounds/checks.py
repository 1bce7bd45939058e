"""The checks of a round's submission, one function for each kind of flag (see
parity.rounds.rules; ``station_flags`` checks duty stations appearing, then vanishing): each reads
an entity's submission beside its published history (a ``Comparison``) and gives that rule's
flags, in a stable order (grades top of the ladder first, duty stations by name), with their
one-line messages. ``station_unknown_flags`` needs no history and applies to a first submission
too.
"""

from __future__ import annotations

import pandas as pd

from parity import i18n
from parity.i18n import N_plural, _, ngettext
from parity.reference import Reference
from parity.rounds.comparison import Comparison, has_stations
from parity.rounds.rules import (
    HEADCOUNT_CHANGE,
    PLACE_MIN_CHANGE,
    SHARE_CHANCE,
    SHARE_MOVE,
    Flag,
)
from parity.wording import MEN, WOMEN, count, percent, plural


def _beyond(value: float, limit: int) -> str:
    """``value`` with its sign and one decimal, or more when one decimal would hide that it is
    beyond ``limit`` (+20.04 reads +20.04, not +20.0), in the language's form (+20,04)."""
    digits = 1
    while digits < 6 and abs(float(f"{value:.{digits}f}")) == limit:
        digits += 1
    return i18n.signed(value, digits)


def _filled(message: str, c: Comparison, **words: object) -> str:
    """``message`` with the comparison's ``{entity}``, ``{year}`` and ``{before_year}`` filled in,
    and ``words``."""
    return message.format(entity=c.entity, year=c.year, before_year=c.before_year, **words)


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
            _filled(
                _(
                    "{entity}: headcount {before} in {before_year} -> {after} in {year} "
                    "({change}%); a change of more than {limit}% is flagged"
                ),
                c,
                before=count(before),
                after=count(after),
                change=_beyond(change, HEADCOUNT_CHANGE),
                limit=HEADCOUNT_CHANGE,
            ),
        )
    ]


_PEOPLE_MESSAGES = {
    "grade_new": N_plural(
        "{entity}: grade {grade} has {n} person in {year}, none in "
        "{before_year}; a grade appearing is flagged",
        "{entity}: grade {grade} has {n} people in {year}, none in "
        "{before_year}; a grade appearing is flagged",
    ),
    "grade_never_used": N_plural(
        "{entity}: grade {grade} has {n} person in {year}; the entity never "
        "reported anyone in this grade ({years}); a grade never used is flagged",
        "{entity}: grade {grade} has {n} people in {year}; the entity never "
        "reported anyone in this grade ({years}); a grade never used is flagged",
    ),
    "grade_gone": N_plural(
        "{entity}: grade {grade} had {n} person in {before_year}, none in {year}; a "
        "grade vanishing is flagged",
        "{entity}: grade {grade} had {n} people in {before_year}, none in {year}; a "
        "grade vanishing is flagged",
    ),
    "station_new": N_plural(
        "{entity}: duty station {station} has {n} person in {year}, none in "
        "{before_year}; a duty station appearing is flagged",
        "{entity}: duty station {station} has {n} people in {year}, none in "
        "{before_year}; a duty station appearing is flagged",
    ),
    "station_gone": N_plural(
        "{entity}: duty station {station} had {n} person in {before_year}, none "
        "in {year}; a duty station vanishing is flagged",
        "{entity}: duty station {station} had {n} people in {before_year}, none "
        "in {year}; a duty station vanishing is flagged",
    ),
}
"""The message of each rule about a grade or a duty station appearing or vanishing (its two
forms, singular and plural)."""


def _people_flag(
    c: Comparison, rule: str, place: str, n: int, *, appearing: bool, years: str = ""
) -> Flag:
    """The flag of ``n`` people in ``place`` (a grade or a duty station) now and none in the
    previous latest year (``appearing``), or the other way round; ``years``, the published years,
    for the message of a grade never used."""
    before, after = (0, n) if appearing else (n, 0)
    message = _filled(
        ngettext(*_PEOPLE_MESSAGES[rule], n),
        c,
        grade=place,  # a grade's message names it {grade}, a duty station's {station}
        station=place,
        n=count(n),
        years=years,
    )
    return Flag(c.entity, rule, f"people in {place}", before, after, message)


def grade_new_flags(c: Comparison) -> list[Flag]:
    """A grade appearing that the entity used in an earlier published year."""
    ever_used = c.ever_used()
    return [
        _people_flag(c, "grade_new", grade, c.grades_now[grade], appearing=True)
        for grade in c.appearing_grades()
        if grade in ever_used
    ]


def grade_never_used_flags(c: Comparison) -> list[Flag]:
    """A grade appearing that the entity never reported in any published year."""
    ever_used, years = c.ever_used(), c.published_years()
    return [
        _people_flag(c, "grade_never_used", grade, c.grades_now[grade], appearing=True, years=years)
        for grade in c.appearing_grades()
        if grade not in ever_used
    ]


def grade_gone_flags(c: Comparison) -> list[Flag]:
    """A grade with people in the previous latest year, none now."""
    return [
        _people_flag(c, "grade_gone", grade, c.grades_then[grade], appearing=False)
        for grade in c.vanishing_grades()
    ]


def station_flags(c: Comparison, *, appearing: bool) -> list[Flag]:
    """A duty station with people now, none in the previous latest year (``appearing``:
    ``station_new``), or the other way round (``station_gone``); by name."""
    stations = c.stations()
    if stations is None:
        return []
    stations_then, stations_now = stations
    present, absent = (stations_now, stations_then) if appearing else (stations_then, stations_now)
    rule = "station_new" if appearing else "station_gone"
    return [
        _people_flag(c, rule, station, present[station], appearing=appearing)
        for station in sorted(present.keys() - absent.keys())
    ]


def _women_men(women: int, men: int) -> str:
    """'12 women, 8 men'."""
    return _("{women}, {men}").format(women=plural(women, *WOMEN), men=plural(men, *MEN))


def place_headcount_flags(c: Comparison, *, stations: bool) -> list[Flag]:
    """A grade (or, with ``stations``, a duty station) on both sides whose people changed by
    more than HEADCOUNT_CHANGE percent and by PLACE_MIN_CHANGE people or more: a drop of a
    grade from 382 to 263 is flagged on its own, a grade of 5 becoming 7 is not. An entity of
    one grade (one station) gets its entity's headcount flag alone."""
    if stations:
        found = c.stations()
        if found is None:
            return []
        then, now = found
        places, column, rule = sorted(then.keys() & now.keys()), "duty_station", "station_headcount"
    else:
        then, now = c.grades_then, c.grades_now
        places = c.sorted_grades(then.keys() & now.keys())
        column, rule = "grade", "grade_headcount"
    if len(then.keys() | now.keys()) <= 1:
        return []  # one grade (station) is the entity: its headcount flag says it
    out = []
    for place in places:
        before, after = then[place], now[place]
        if abs(after - before) < PLACE_MIN_CHANGE:
            continue
        if 100 * abs(after - before) <= HEADCOUNT_CHANGE * before:
            continue
        (w0, m0), (w1, m1) = c.women_and_men(place, column)
        message = (
            _(
                "{entity}: duty station {place}: {before} people in {before_year} ({was}) -> "
                "{after} in {year} ({now}), {change}%; a change of more than {limit}% and "
                "{least} people or more is flagged"
            )
            if stations
            else _(
                "{entity}: grade {place}: {before} people in {before_year} ({was}) -> {after} in "
                "{year} ({now}), {change}%; a change of more than {limit}% and {least} people or "
                "more is flagged"
            )
        )
        out.append(
            Flag(
                c.entity,
                rule,
                f"people in {place}",
                before,
                after,
                _filled(
                    message,
                    c,
                    place=place,
                    before=count(before),
                    after=count(after),
                    was=_women_men(w0, m0),
                    now=_women_men(w1, m1),
                    change=_beyond(100 * (after - before) / before, HEADCOUNT_CHANGE),
                    limit=HEADCOUNT_CHANGE,
                    least=PLACE_MIN_CHANGE,
                ),
            )
        )
    return out


def beyond_chance(women: int, people: int, share: float) -> bool:
    """Whether ``women`` of ``people`` is further from ``share`` than chance would give: a
    two-sided binomial test below SHARE_CHANCE."""
    from scipy.stats import binomtest

    return bool(binomtest(women, people, share).pvalue < SHARE_CHANCE)


def share_move_flags(c: Comparison) -> list[Flag]:
    """Women's share of a grade moved by more than SHARE_MOVE percentage points, and by more
    than chance would give a grade of its size (``beyond_chance``)."""
    out = []
    for grade in c.sorted_grades(c.grades_now):
        if grade not in c.grades_then:
            continue
        (w0, m0), (w1, m1) = c.women_and_men(grade)
        n1, n0 = w1 + m1, w0 + m0
        if n1 == 0 or n0 == 0:
            continue
        # |w1/n1 - w0/n0| > SHARE_MOVE/100, in integers
        if 100 * abs(w1 * n0 - w0 * n1) <= SHARE_MOVE * n0 * n1:
            continue
        if not beyond_chance(w1, n1, w0 / n0):
            continue
        out.append(_share_move_flag(c, grade, (w0, m0), (w1, m1)))
    return out


def _share_move_flag(
    c: Comparison, grade: str, then: tuple[int, int], now: tuple[int, int]
) -> Flag:
    """The flag of a grade whose women's share moved from ``then`` to ``now`` (women, men)."""
    share0, share1 = then[0] / sum(then), now[0] / sum(now)
    move = 100 * (share1 - share0)
    return Flag(
        c.entity,
        "share_move",
        f"women's share of {grade}",
        share0,
        share1,
        _filled(
            _(
                "{entity}: women's share of grade {grade} {before} in {before_year} ({was}) -> "
                "{after} in {year} ({now}), {move} points; a move of more than {limit} points "
                "and beyond chance for the grade's size is flagged"
            ),
            c,
            grade=grade,
            before=percent(share0),
            after=percent(share1),
            was=_women_men(*then),
            now=_women_men(*now),
            move=_beyond(move, SHARE_MOVE),
            limit=SHARE_MOVE,
        ),
    )
