"""Words and number formats shared by the pages, the briefings and the command line.

One place for how a share, a gap, a plural or a status reads, so a figure reads the same on
every page and in every file.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

GOAL_YEAR = 2028
"""The System-wide Strategy on Gender Parity (2017): parity at all levels, in every entity, by
2028. The default target year of plans, the year marker on charts."""

STATUS_WORDS = {
    "parity": "At parity",
    "women_under": "Women under-represented",
    "men_under": "Men under-represented",
}
PROJECTION_WORDS = {
    "reached": "Reached",
    "not_at_current_trend": "Not at current trend",
    "insufficient_data": "Not enough years of data",
}
PLAN_WORDS = {
    "maintain": "At parity — maintain",
    "on_track": "On track",
    "feasible": "Needs more women hired",
    "infeasible": "Out of reach by hiring alone",
}
PROGRESS_WORDS = {"on_target": "On target", "behind": "Behind", "ahead": "Ahead"}
MAINTAIN = "At parity — maintain"


def missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA (a figure that is absent or withheld)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def percent(share: Any, digits: int = 1) -> str:
    """A fraction as a percentage, '42.2%'; a dash when absent or withheld."""
    return "—" if missing(share) or isinstance(share, str) else f"{100 * float(share):.{digits}f}%"


def signed_pp(gap: Any, digits: int = 1) -> str:
    """Percentage points with a sign, '+3.1 pp'; a dash when absent."""
    return "—" if missing(gap) else f"{float(gap):+.{digits}f} pp"


def count(value: Any) -> str:
    """A whole number with thousands separators, '1,234'; a dash when absent."""
    return "—" if missing(value) else f"{int(value):,}"


def plural(number: int, noun: str, nouns: str | None = None) -> str:
    """'1 entity', '2 entities'."""
    return f"{number:,} {noun if number == 1 else (nouns or noun + 's')}"


def people(number: int, noun: str = "woman", nouns: str | None = None) -> str:
    """'1 woman', '3 women' (the plural of woman and man is not a trailing s)."""
    irregular = {"woman": "women", "man": "men", "person": "people"}
    return plural(number, noun, nouns or irregular.get(noun))


def listing(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def status_words(status: Any) -> str:
    return "—" if missing(status) else STATUS_WORDS.get(str(status), str(status))


def projection_words(row: Any) -> str:
    """A projection to 50/50 in words: the year (with its 80% interval under the least-squares
    method), "Reached", "Not at current trend" or "Not enough years of data"."""
    status = str(row["projection_status"])
    if status != "projected":
        return PROJECTION_WORDS.get(status, status)
    text = str(int(row["projected_year"]))
    low, high = row.get("projected_year_low"), row.get("projected_year_high")
    if not missing(low) and not missing(high):
        text += f" (80%: {int(low)}–{int(high)})"
    elif "projected_year_low" in getattr(row, "index", ()):
        text += " (interval unbounded)"
    return text
