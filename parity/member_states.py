"""The organisation's member-state table (data/reference/member_states_template.csv), read
and checked, and the parameters of its desirable ranges by name (parity.ranges)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from parity.errors import ParityError

if TYPE_CHECKING:
    from parity.ranges import RangeParameters

PARAMETERS = ("un-secretariat", "unesco")


@dataclass(frozen=True)
class Ranges:
    """What the desirable ranges need: the member-state table, the parameters, and the named
    scope of the staff counted (the posts subject to geographical distribution)."""

    states: pd.DataFrame
    parameters: RangeParameters
    scope: str = "professional-and-higher"


def parameters(name: str, base: float | None = None) -> RangeParameters:
    """The named set of parameters (un-secretariat or unesco), with ``base`` if given."""
    from parity.ranges import UN_SECRETARIAT, UNESCO

    if name not in PARAMETERS:
        raise ParityError(
            f"desirable ranges: parameters {name!r}: choose {' or '.join(PARAMETERS)}"
        )
    chosen = UN_SECRETARIAT if name == "un-secretariat" else UNESCO
    return replace(chosen, base=base) if base else chosen


def read_member_states(path: Path) -> pd.DataFrame:
    """The member-state table of ``path``: refused naming the file, row and column of the first
    problems (an unknown country, a member flag that is not true or false, a share or a
    population that is not a number)."""
    import pandas as pd

    from parity.geography import closest, resolve

    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as error:
        raise ParityError(f"{path}: cannot be read ({error})") from None
    missing = [c for c in ("country", "iso3", "member", "contribution_share", "population")
               if c not in raw.columns]  # fmt: skip
    if missing:
        raise ParityError(f"{path}: missing column(s) {', '.join(missing)}")
    problems, rows = [], []
    for i, row in enumerate(raw.to_dict("records"), start=2):
        found = resolve(row["iso3"]) or resolve(row["country"])
        member = row["member"].strip().lower()
        if found is None:
            near = closest(row["country"])
            hint = f" (did you mean {' or '.join(near)}?)" if near else ""
            problems.append(f"row {i}, column 'country': {row['country']!r} is unknown{hint}")
        if member not in ("true", "false", "1", "0", "yes", "no"):
            problems.append(f"row {i}, column 'member': {row['member']!r} is not true or false")
        numbers = {}
        for column in ("contribution_share", "population"):
            text = row[column].strip().replace(",", "")
            try:
                numbers[column] = float(text[:-1]) / 100 if text.endswith("%") else float(text)
            except ValueError:
                problems.append(f"row {i}, column '{column}': {row[column]!r} is not a number")
        if found is not None and len(numbers) == 2:
            rows.append({"country": found.name, "iso3": found.iso3,
                         "member": member in ("true", "1", "yes"), **numbers})  # fmt: skip
    if problems:
        shown = "\n".join(f"{path}: {p}" for p in problems[:10])
        raise ParityError(f"{path}: refused, {len(problems)} problem(s):\n{shown}")
    return pd.DataFrame(rows)


def staff_by_member_state(rows: pd.DataFrame) -> pd.DataFrame:
    """Women and men of analysis-frame ``rows`` by their nationality's ISO code (``iso3``,
    ``women``, ``men``: parity.ranges' staff table); rows without a known nationality, and
    people of another or unknown gender, are left out."""
    from parity.geography import resolve

    counted = (
        rows[rows["gender"].isin(["F", "M"])]
        .groupby(["nationality", "gender"], observed=True)["headcount"]
        .sum()
        .unstack("gender", fill_value=0)
    )
    out = []
    for name, counts in counted.iterrows():
        found = resolve(str(name))
        if found is not None:
            out.append({"iso3": found.iso3, "women": int(counts.get("F", 0)),
                        "men": int(counts.get("M", 0))})  # fmt: skip
    return pd.DataFrame(out, columns=["iso3", "women", "men"])


@cache
def member_states(path: Path) -> pd.DataFrame:
    """``read_member_states``, read once per process (the server's setting)."""
    return read_member_states(path)
