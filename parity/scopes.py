"""Named scopes: the groups of grades UN reports speak of ("Professional and higher", "D-1 and
above"…), defined from the grade ladder (data/reference/grades.csv), never typed grade by grade.

The System-wide Strategy on Gender Parity, the Secretary-General's reports and both UN
dashboards lead with Professional and higher staff; the other scopes are how people ask
(DOMAIN.md, "Scopes"). A scope is either a set of staff categories or the international grades
at or above a grade of the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass

from parity.i18n import N_
from parity.reference import Reference


@dataclass(frozen=True)
class Scope:
    """A named group of grades: those of ``categories``, or the international grades at or
    above ``floor`` (by the ladder's rank)."""

    key: str
    label: str
    categories: tuple[str, ...] = ()
    floor: str | None = None

    def grades(self, reference: Reference) -> list[str]:
        """The scope's grades, top of the ladder first."""
        ladder = reference.grades
        if self.floor is not None:
            rank = int(ladder.loc[ladder["grade"] == self.floor, "rank"].iloc[0])
            chosen = ladder[
                (ladder["rank"] <= rank) & (ladder["ceb_group"] == "International Professional")
            ]
        elif self.categories:
            chosen = ladder[ladder["category"].isin(self.categories)]
        else:
            chosen = ladder
        return list(chosen.sort_values("rank")["grade"])


SCOPES = (
    Scope(
        "professional-and-higher",
        N_("Professional and higher"),
        categories=("Senior leadership", "Directors", "Professional"),
    ),
    Scope("d1-and-above", N_("D-1 and above"), floor="D-1"),
    Scope("p5-and-above", N_("P-5 and above"), floor="P-5"),
    Scope("p4-and-above", N_("P-4 and above"), floor="P-4"),
    Scope("senior-leadership", N_("Senior leadership"), categories=("Senior leadership",)),
    Scope("general-service", N_("General Service and related"), categories=("General Service",)),
    Scope("npo", N_("National Professional Officers"), categories=("National Professional",)),
    Scope("field-service", N_("Field Service"), categories=("Field Service",)),
    Scope("all", N_("All staff")),
)
"""The named scopes, in the order they are offered."""

PUBLISHED_SCOPES = ("professional-and-higher", "d1-and-above", "p5-and-above", "p4-and-above")
"""Scopes that are tables of their own in the public publication (parity.privacy.publication):
the others are a staff category, or everyone."""


def scope(key: str) -> Scope:
    for found in SCOPES:
        if found.key == key:
            return found
    raise KeyError(key)
