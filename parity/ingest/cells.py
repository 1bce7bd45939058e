"""A column of text cells to values, each distinct text parsed once.

A file of a million rows holds a few hundred distinct values in a column, so a column is read as
a categorical of its trimmed texts and each distinct text is mapped, spelled or parsed once:
values mapped to the contract's (genders, events, grades), names spelled as a reference list
spells them, numbers, counts (whole, written in digits, within the store's 32-bit integers) and
shares.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from parity.ingest.contract import MAX_COUNT
from parity.reference import name_key


def as_category(values: pd.Series) -> pd.Series:
    """Trimmed text as a categorical: each distinct value is trimmed once (a million rows hold
    a few hundred distinct values)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    trimmed, positions = pd.factorize(pd.Index(distinct, dtype=object).astype(str).str.strip())
    lookup = np.append(trimmed, -1)  # a missing value (-1) stays missing
    return pd.Series(
        pd.Categorical.from_codes(lookup[codes], categories=pd.Index(positions, dtype=object)),
        index=values.index,
    )


def map_category(values: pd.Series, mapping: Callable[[str], str | None]) -> pd.Series:
    """Map each distinct value once (files have few distinct values and many rows); a value
    the mapping refuses (None) becomes missing. Returns a categorical Series."""
    cat = as_category(values)
    mapped = [mapping(str(c)) for c in cat.cat.categories]
    targets = sorted({m for m in mapped if m is not None})
    position = {t: i for i, t in enumerate(targets)}
    lookup = np.array([*(position.get(m, -1) if m is not None else -1 for m in mapped), -1])
    codes = lookup[cat.cat.codes.to_numpy()]
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=pd.Index(targets, dtype=object)),
        index=values.index,
    )


def parse_numbers(values: pd.Series) -> np.ndarray:
    """Numbers from text, parsing each distinct text once (NaN where it is not a number)."""
    cat = as_category(values)
    numbers = pd.to_numeric(pd.Series(cat.cat.categories), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    return np.append(numbers, np.nan)[cat.cat.codes.to_numpy()]


def reference_spelling(values: pd.Series, spellings: dict[str, str]) -> pd.Series:
    """Names as the reference list spells them, whatever the case, accents and spacing typed
    ("NEW YORK" -> "New York"); a name it does not know keeps its own spelling, its spaces
    tidied. Empty is missing."""

    def spelled(value: str) -> str | None:
        tidy = " ".join(value.split())
        return spellings.get(name_key(tidy), tidy) if tidy else None

    return map_category(values, spelled)


def text_category(values: pd.Series) -> pd.Series:
    """Trimmed text as a categorical; empty text is missing."""
    cat = as_category(values)
    if "" in cat.cat.categories:
        cat = cat.cat.remove_categories([""])
    return cat


DIGITS = r"[0-9]+(?:\.0*)?"  # a count as people write it: digits, perhaps a spreadsheet's ".0"


def parse_counts(
    values: pd.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse count strings. Returns (counts, non_numeric, negative, fractional, too_large,
    not_digits) arrays. 'inf' is not a number, a count must fit the store's 32-bit integers,
    and it is written in digits: '1e9' and '+5' are numbers, but not counts anyone types."""
    numbers = parse_numbers(values)
    cat = as_category(values)
    plain = pd.Series(cat.cat.categories).astype(str).str.fullmatch(DIGITS).to_numpy(dtype=bool)
    written = np.append(plain, False)[cat.cat.codes.to_numpy()]
    non_numeric = ~np.isfinite(numbers)
    with np.errstate(invalid="ignore"):
        negative = ~non_numeric & (numbers < 0)
        fractional = ~non_numeric & ~negative & (np.floor(numbers) != numbers)
        not_digits = ~non_numeric & ~negative & ~fractional & ~written
        too_large = ~non_numeric & ~fractional & ~not_digits & (numbers > MAX_COUNT)
    bad = non_numeric | negative | fractional | too_large | not_digits
    counts = np.where(bad, 0, numbers).astype("int64")
    return counts, non_numeric, negative, fractional, too_large, not_digits


def parse_share(text: str) -> float | None:
    """'45%', '45' and '0.45' all mean 45% (a number above 1 is read as a percentage)."""
    value = text.strip().rstrip("%").strip()
    try:
        number = float(value)
    except ValueError:
        return None
    if text.strip().endswith("%") or number > 1:
        number /= 100
    return number if 0 <= number <= 1 else None
