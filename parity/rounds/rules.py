"""What a round's flag is, and the rules that raise one, each with a short stable code in
``Flag.rule``:

=================== ==========================================================================
``headcount``        total people changed by more than 20% (exactly 20% is not flagged)
``grade_headcount``  a grade's people changed by more than 20% and by 10 people or more
``station_headcount`` a duty station's people changed by more than 20% and by 10 people or more
``grade_new``        a grade with people now, none in the previous latest year, but used in an
                     earlier published year
``grade_gone``       a grade with people in the previous latest year, none now
``station_new``      a duty station with people now, none in the previous latest year
``station_gone``     a duty station with people in the previous latest year, none now
``share_move``       women's share, women / (women + men), of a grade moved by more than 5
                     percentage points (exactly 5 is not) and by more than chance would give a
                     group of its size: a two-sided binomial test of the new women among the
                     new women and men, at the old share, below 1%
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

from dataclasses import dataclass

HEADCOUNT_CHANGE = 20
"""Percent: a change of the entity's total people by more than this is flagged."""
PLACE_MIN_CHANGE = 10
"""People: a grade's or a duty station's change of more than HEADCOUNT_CHANGE percent is flagged
when it is of at least this many people (a grade of 5 becoming 7 is not a mistake to chase)."""
SHARE_MOVE = 5
"""Percentage points: a move of women's share of a grade by more than this is flagged..."""
SHARE_CHANCE = 0.01
"""...when a two-sided binomial test gives it a chance below this (women among the grade's
women and men now, at the share before)."""

RULES = (
    "headcount",
    "grade_headcount",
    "station_headcount",
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
