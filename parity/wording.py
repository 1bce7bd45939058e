"""Words and number formats shared by the pages, the briefings and the command line.

One place for how a share, a gap, a plural or a status reads, so a figure reads the same on
every page and in every file.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parity import i18n
from parity.i18n import N_, N_plural, _, ngettext
from parity.projections import HORIZON_YEAR

GOAL_YEAR = 2028
"""The System-wide Strategy on Gender Parity (2017): parity at all levels, in every entity, by
2028. The default target year of plans, the year marker on charts."""

STATUS_WORDS = {
    "parity": N_("At parity"),
    "women_under": N_("Women under-represented"),
    "men_under": N_("Men under-represented"),
}
PROJECTION_WORDS = {
    "reached": N_("Reached"),
    "not_at_current_trend": N_("Not at current trend"),
    "insufficient_data": N_("Not enough years of data"),
}
PLAN_WORDS = {
    "maintain": N_("At parity — maintain"),
    "enough": N_("Recent hiring is enough"),
    "feasible": N_("Needs more women hired"),
    "infeasible": N_("Out of reach by hiring alone"),
}
PROGRESS_WORDS = {"on_target": N_("On target"), "behind": N_("Behind"), "ahead": N_("Ahead")}
MAINTAIN = N_("At parity — maintain")
"""The English of these tables is the catalogue's message: show them through ``_`` (or
``status_words`` and the like), which translates them into the request's language."""


DERIVED_LABELS = frozenset(
    {
        N_("Senior leadership"),
        N_("Directors"),
        N_("Professional"),
        N_("National Professional"),
        N_("Field Service"),
        N_("General Service"),
        N_("Under 30"),
        N_("60 and over"),
        N_("HQ"),
        N_("Field"),
        # a nationality's UN regional group (parity.geography)
        N_("African"),
        N_("Asia-Pacific"),
        N_("Eastern European"),
        N_("Latin American and Caribbean"),
        N_("Western European and Others"),
    }
)
"""Values parity derives itself (a grade's staff category, an age band, HQ or field): shown in
the reader's language. Values a file brings (entities, grades, duty stations) stay as written."""


def label(value: Any) -> str:
    """A dimension's value as shown: translated when parity derived it (DERIVED_LABELS)."""
    text = str(value)
    return _(text) if text in DERIVED_LABELS else text


def missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA (a figure that is absent or withheld)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def percent(share: Any, digits: int = 1) -> str:
    """A fraction as a percentage, '42.2%' ('42,2 %' in French); a dash when absent or
    withheld."""
    return "—" if missing(share) or isinstance(share, str) else i18n.percent(float(share), digits)


def signed_pp(gap: Any, digits: int = 1) -> str:
    """Percentage points with a sign, '+3.1 pp' ('+3,1 pp' in French); a dash when absent."""
    if missing(gap):
        return "—"
    return _("{value} pp").format(value=i18n.signed(float(gap), digits))


def count(value: Any) -> str:
    """A whole number with the language's thousands separators, '1,234' / '1 234'; a dash when
    absent."""
    return "—" if missing(value) else i18n.number(int(value))


def plural(number: int, singular: str, plural: str) -> str:
    """The form of a message for ``number``, its ``{n}`` replaced by the number: ``plural(3,
    "{n} entity", "{n} entities")`` -> '3 entities' (both forms are catalogue messages)."""
    return ngettext(singular, plural, number).format(n=count(number))


def listing(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' ('A, B et C' in French)."""
    return i18n.listing(items)


def status_words(status: Any, women: Any = None, men: Any = None) -> str:
    """A parity status in words. With the counts, a group at parity only because no whole
    split of it falls within 47–53% says so: "As close to parity as 3 people allow (1 woman,
    2 men)" (DOMAIN.md, the parity zone: or readers challenge a 33% marked at parity)."""
    if missing(status):
        return "—"
    if str(status) == "parity" and closest_split(women, men):
        n = int(women) + int(men)
        return _("As close to parity as {n} people allow ({women}, {men})").format(
            n=count(n),
            women=plural(int(women), *WOMEN),
            men=plural(int(men), *MEN),
        )
    return _(STATUS_WORDS.get(str(status), str(status)))


WOMEN = N_plural("{n} woman", "{n} women")
MEN = N_plural("{n} man", "{n} men")


def closest_split(women: Any, men: Any) -> bool:
    """Whether a group's women and men are at parity by the closest split alone (their share
    outside 47–53%, the two differing by one person)."""
    if missing(women) or missing(men):
        return False
    w, m = int(women), int(men)
    n = w + m
    return n > 0 and abs(w - m) <= 1 and (100 * w < 47 * n or 100 * w > 53 * n)


def projection_words(row: Any) -> str:
    """A projection to 50/50 in words: the year (with its 80% interval under the least-squares
    method), "Reached", "Not at current trend" or "Not enough years of data"."""
    status = str(row["projection_status"])
    if status != "projected":
        return _(PROJECTION_WORDS.get(status, status))
    year = int(row["projected_year"])
    if year > HORIZON_YEAR:
        return parity_year(year)
    low, high = row.get("projected_year_low"), row.get("projected_year_high")
    if not missing(low) and not missing(high):
        return _("{year} (80%: {low}–{high})").format(
            year=year, low=parity_year(int(low)), high=parity_year(int(high))
        )
    if "projected_year_low" in getattr(row, "index", ()):
        return _("{year} (interval unbounded)").format(year=year)
    return str(year)


def parity_year(year: int) -> str:
    """A projected year of 50/50 as it is stated: the year, or "after 2100" past the horizon
    (HORIZON_YEAR: no later year is stated)."""
    if year > HORIZON_YEAR:
        return _("after {year}").format(year=HORIZON_YEAR)
    return str(year)
