"""The analysis frame: the store's active rows, read once, as compact categoricals.

Columns: year (int16), headcount (int32) and every dimension as a pandas categorical:
entity, grade (in ladder order, top first), gender (F, M, X), duty_station, country, region,
location (HQ / Field), category, age_band, contract_type, personnel_type, nationality,
nationality_region and regional_group. Country, region and location are filled from the
duty-station reference when the file left them out; a nationality's region and UN regional group
come from the country list (parity.geography). Rows are ordered by entity, then year (one
entity's rows are a contiguous slice). The frame is read-only: functions downstream never
modify it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from parity.ingest.contract import DIMENSIONS, EVENTS, GENDERS, LOCATIONS
from parity.reference import STAFF_CATEGORIES, Reference
from parity.store import Store, arrow_to_categoricals


def _from_codes(codes: np.ndarray, categories: list[str]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes.astype("int32"), categories=pd.Index(categories))


def _reorder(column: pd.Series, order: list[str]) -> pd.Series:
    present = set(column.cat.categories)
    ordered = [c for c in order if c in present]
    rest = sorted(present - set(ordered))
    return column.cat.reorder_categories(ordered + rest)


def _natural_key(label: str) -> tuple[float, str]:
    """Order labels by their first number ("Under 30" < "30-39" < "60 and over"), then text."""
    text = str(label)
    match = re.search(r"\d+", text)
    number = float(match.group()) if match else math.inf
    if match and re.match(r"\s*(under|below|less than|<)", text, re.IGNORECASE):
        number -= 0.5
    return number, text.lower()


def build_frame(raw: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Add derived columns (country, region, location) and order the categories."""
    frame = raw.copy()
    if "nationality" not in frame:  # a frame of a store, or a test, without nationalities
        frame["nationality"] = pd.Categorical(
            [None] * len(frame), categories=pd.Index([], dtype=object)
        )
    for column in (
        "entity",
        "duty_station",
        "country",
        "age_band",
        "contract_type",
        "personnel_type",
        "nationality",
    ):
        categories = list(frame[column].cat.categories)
        frame[column] = frame[column].cat.reorder_categories(sorted(categories, key=_natural_key))
    frame["grade"] = _reorder(frame["grade"], reference.ladder)
    frame["gender"] = frame["gender"].cat.set_categories(list(GENDERS))
    frame["category"] = _reorder(frame["category"], list(STAFF_CATEGORIES))

    stations = frame["duty_station"].cat.categories
    info = reference.station_info(pd.Index(stations))
    codes = frame["duty_station"].cat.codes.to_numpy()

    def per_station(values: pd.Series) -> pd.Categorical[str]:
        labels = values.astype(object).where(values.notna() & (values != ""), None)
        cats = sorted({v for v in labels if v is not None})
        lookup = np.array([cats.index(v) if v is not None else -1 for v in labels] + [-1])
        return _from_codes(lookup[codes], cats)

    known_country = per_station(info["country"])
    given = frame["country"]
    if given.isna().any():
        merged = given.astype(object).where(given.notna(), pd.Series(known_country).astype(object))
        frame["country"] = pd.Categorical(merged)
    frame["region"] = per_station(info["region"])
    hq = info["is_hq"].map({1: "HQ", 0: "Field"})
    hq = hq.where(info["is_hq"].notna(), "Field")  # stations outside the reference: field
    frame["location"] = per_station(hq).set_categories(list(LOCATIONS))
    _add_nationality_groups(frame)
    if "event" in frame:  # a flows frame: events and their counts
        frame["event"] = frame["event"].cat.set_categories(list(EVENTS))
        return _sorted(frame[["year", *DIMENSIONS, "gender", "event", "count"]])
    return _sorted(frame[["year", *DIMENSIONS, "gender", "headcount"]])


def _add_nationality_groups(frame: pd.DataFrame) -> None:
    """A nationality's region (UN M49, as the country list gives it) and its UN regional group
    (empty for a country in none), one lookup per nationality."""
    from parity.geography import REGIONAL_GROUPS, resolve

    nationalities = list(frame["nationality"].cat.categories)
    codes = frame["nationality"].cat.codes.to_numpy()
    found = [resolve(str(n)) for n in nationalities]
    for column, attribute, order in (
        ("nationality_region", "region", None),
        ("regional_group", "regional_group", list(REGIONAL_GROUPS)),
    ):
        labels = [getattr(c, attribute) or None if c is not None else None for c in found]
        categories = order or sorted({v for v in labels if v})
        position = {v: i for i, v in enumerate(categories)}
        lookup = np.array([position.get(v, -1) if v else -1 for v in labels] + [-1])
        frame[column] = _from_codes(lookup[codes], categories)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows ordered by entity, then year: one entity's rows are then a contiguous slice
    (FilterState.entity_rows), so a view of one entity reads only its rows."""
    order = np.lexsort((frame["year"].to_numpy(), frame["entity"].cat.codes.to_numpy()))
    out = frame.take(order).reset_index(drop=True)
    out.attrs["sorted_by"] = ("entity", "year")
    return out


def load_frame(
    store: Store, entities: Sequence[str] | None = None, drafts: bool = False
) -> pd.DataFrame:
    """Read the active rows of the store (of ``entities`` only, when given: a command about a
    few entities need not read the others) into the analysis frame; with ``drafts``, the
    figures submitted to rounds not yet published instead of the published ones."""
    raw = arrow_to_categoricals(store.read_active_counts(entities, drafts))
    return build_frame(raw, store.reference())


def load_flows(store: Store, entities: Sequence[str] | None = None) -> pd.DataFrame:
    """The active flow counts as a frame like the analysis frame, with ``event`` and ``count``
    (events recorded for year t happen between the snapshots of t-1 and t)."""
    return build_frame(store.read_flows(entities), store.reference())
