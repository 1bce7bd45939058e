"""Minimum cell size: in public mode, no group small enough to identify a person is shown exactly.

A group with at least one person and fewer than ``min_cell`` people (women + men + other) is
*small*: its counts read "fewer than N" and its share, gap and numbers needed are withheld,
because with a handful of people a share gives the counts away. ``min_cell = 0`` turns it off.
"""

from __future__ import annotations

import pandas as pd

COUNT_COLUMNS = ("women", "men", "other", "total")
DERIVED_COLUMNS = ("women_share", "gap_pp", "parity_status", "women_needed", "men_needed")


def fewer_than(min_cell: int) -> str:
    return f"fewer than {min_cell}"


def small_groups(table: pd.DataFrame, min_cell: int) -> pd.Series:
    """True for groups with at least one and fewer than ``min_cell`` people."""
    total = table["women"] + table["men"] + table["other"]
    return (total > 0) & (total < min_cell)


def suppress(table: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """A display copy of a metrics table: small groups' counts become "fewer than N", their
    derived figures None. Other rows are unchanged (the columns become object dtype)."""
    if min_cell <= 0 or table.empty:
        return table
    small = small_groups(table, min_cell)
    if not small.any():
        return table
    out = table.astype(object).copy()
    for column in COUNT_COLUMNS:
        if column in out:
            out.loc[small, column] = fewer_than(min_cell)
    for column in DERIVED_COLUMNS:
        if column in out:
            out.loc[small, column] = None
    return out
