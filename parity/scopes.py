"""Named scopes: the groups of grades UN reports speak of ("Professional and higher", "D-1 and
above"…), defined from the grade ladder (data/reference/grades.csv), never typed grade by grade.

The System-wide Strategy on Gender Parity, the Secretary-General's reports and both UN
dashboards lead with Professional and higher staff; the other scopes are how people ask
(DOMAIN.md, "Scopes"). A scope is either a set of staff categories or the international grades
at or above a grade of the ladder.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from parity.errors import ParityError
from parity.i18n import N_
from parity.reference import Reference


@dataclass(frozen=True)
class Scope:
    """A named group of grades: those of ``categories``, the international grades at or above
    ``floor`` (by the ladder's rank), or the grades ``listed`` (an organisation's own scope)."""

    key: str
    label: str
    categories: tuple[str, ...] = ()
    floor: str | None = None
    listed: tuple[str, ...] = ()

    def grades(self, reference: Reference) -> list[str]:
        """The scope's grades, top of the ladder first."""
        ladder = reference.grades
        if self.listed:
            chosen = ladder[ladder["grade"].isin(self.listed)]
        elif self.floor is not None:
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


_organisation: tuple[Scope, ...] = ()


def all_scopes() -> tuple[Scope, ...]:
    """The named scopes offered: the built-in ones, the organisation's (PARITY_SCOPES_FILE),
    then All staff."""
    return (*SCOPES[:-1], *_organisation, SCOPES[-1])


def scope_keys() -> tuple[str, ...]:
    """The keys a selection may name (All staff is no selection)."""
    return tuple(s.key for s in all_scopes() if s.key != "all")


def scope(key: str) -> Scope:
    for found in all_scopes():
        if found.key == key:
            return found
    raise KeyError(key)


def use_organisation_scopes(path: Path | None, reference: Reference) -> None:
    """Offer the scopes of the organisation's file (``read_scopes``) beside the built-in ones,
    in this process; none when ``path`` is None."""
    global _organisation
    _organisation = () if path is None else read_scopes(path, reference)


_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def read_scopes(path: Path, reference: Reference) -> tuple[Scope, ...]:
    """An organisation's own scopes from a CSV file with the columns key, label and grades
    (grades separated by spaces or semicolons, each a grade of the ladder), e.g.
    ``field-professionals,Field Professionals,P-1 P-2 P-3``. A bad row is refused with the
    file, row and column named."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ParityError(f"{path}: cannot read the scopes file ({error.strerror})") from None
    rows = list(csv.DictReader(text.splitlines()))
    missing = {"key", "label", "grades"} - set(rows[0] if rows else {})
    if missing:
        raise ParityError(f"{path}: the scopes file needs the columns key, label and grades")
    known = set(reference.grades["grade"])
    taken = {s.key for s in SCOPES}
    found = []
    for number, row in enumerate(rows, start=2):
        key, label = (row["key"] or "").strip(), (row["label"] or "").strip()
        grades = tuple(g for g in re.split(r"[\s;]+", row["grades"] or "") if g)
        where = f"{path}, row {number}"
        if not _KEY.fullmatch(key) or key in taken:
            raise ParityError(
                f"{where}, column key: {key!r} must be new, lower-case letters, digits and "
                "hyphens (the built-in scopes' keys are taken)"
            )
        if not label:
            raise ParityError(f"{where}, column label: a scope needs a name")
        unknown = [g for g in grades if g not in known]
        if not grades or unknown:
            raise ParityError(
                f"{where}, column grades: "
                + (f"unknown grade {unknown[0]!r}" if unknown else "no grade listed")
            )
        taken.add(key)
        found.append(Scope(key, label, listed=grades))
    return tuple(found)
