"""What a round's flag is, and the rules that raise one, each with a short stable code in
``Flag.rule``:

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

from dataclasses import dataclass

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
