"""A many-grades variant of the demo data set for the benchmark: 80 grades of the reference ladder
and 300 duty stations of the reference list, about 1M rows.

It is the demo generator (parity.demo.simulation.generate_with_flows, so stocks and flows agree
and every page has trends to show) run with its grade table and station lists swapped for ones
drawn from the shipped reference tables: every grade and duty station is one the reference knows.
The swap is done by patching the generator's module-level tables for the duration of the call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd

from parity.demo import simulation
from parity.reference import Reference

N_GRADES = 80
N_STATIONS = 300
# Left out of the ladder's grades to keep 80: the catch-all "Other", and three grades held by a
# single person or organisation-specific (Secretary-General, ICSC chair, IOM ungraded).
LEFT_OUT = ("Other", "SG", "ICSC Chair/Vice-Chair", "IOM_UG")
ENTITIES = 39  # with SIZE, about 1M staffing rows
SIZE = 0.5  # people per unit, relative to the demo (smaller entities, more of them)
SEED = 2029

# per staff category: people per unit at HQ and in the field (shared among the category's
# grades), women's share at the top and at the bottom of the category, trend pp/yr at the top
# and bottom, field offset pp, field trend pp/yr, band (for separation and promotion rates)
CATEGORY = {
    "Senior leadership": (0.5, 0.05, 0.28, 0.30, 2.2, 2.0, -3.0, 0.0, "senior"),
    "Directors": (4.2, 1.3, 0.28, 0.31, 0.9, 0.8, -4.5, 0.0, "senior"),
    "Professional": (45.0, 19.0, 0.35, 0.58, 0.6, 0.0, -6.0, -0.3, "middle"),
    "National Professional": (0.0, 8.8, 0.30, 0.45, 0.0, 0.0, 0.0, 0.4, "middle"),
    "Field Service": (0.0, 7.7, 0.18, 0.35, 0.0, 0.0, 0.0, 0.3, "middle"),
    "General Service": (36.0, 37.0, 0.62, 0.40, 0.1, 0.0, -26.0, 0.2, "junior"),
}
# promotion tracks: one grade up the same track, in ladder order
TRACKS = {
    "Senior leadership": "international",
    "Directors": "international",
    "Professional": "international",
    "National Professional": "national",
    "Field Service": "field service",
    "General Service": "general service",
}


def chosen_grades(reference: Reference) -> list[str]:
    """80 grades of the reference ladder, top first (all of them if the ladder has fewer)."""
    ladder = [g for g in reference.ladder if g not in LEFT_OUT]
    if len(ladder) < N_GRADES:
        ladder = list(reference.ladder)
    return ladder[:N_GRADES]


def chosen_stations(reference: Reference, seed: int = SEED) -> tuple[list[str], list[str]]:
    """(HQ stations, field stations): every HQ of the reference, its main field stations, and
    others drawn at random (names that are unique in the reference) up to 300 in all."""
    st = reference.duty_stations
    unique = ~st["duty_station"].str.lower().duplicated(keep=False)
    hq = list(st.loc[st["is_hq"] == 1, "duty_station"])
    main = list(st.loc[(st["is_hq"] == 0) & (st["main"] == 1) & unique, "duty_station"])
    others = st.loc[(st["is_hq"] == 0) & (st["main"] == 0) & unique, "duty_station"].to_numpy()
    rng = np.random.default_rng(seed)
    extra = rng.choice(others, size=N_STATIONS - len(hq) - len(main), replace=False)
    return hq, main + [str(s) for s in extra]


def grade_table(reference: Reference) -> pd.DataFrame:
    """The generator's grade table (the columns of parity.demo.world.grade_table), 80 grades."""
    names = chosen_grades(reference)
    category = reference.grade_category
    rng = np.random.default_rng(SEED)
    rows = []
    for cat, params in CATEGORY.items():
        members = [g for g in names if category[g] == cat]
        n = len(members)
        hq, field, top, bottom, trend_top, trend_bottom, offset, field_trend, band = params
        # a hump: middle grades of a category are the largest, with some noise
        weights = (0.4 + np.sin(np.pi * (np.arange(n) + 0.5) / n)) * rng.uniform(0.6, 1.4, n)
        weights = weights / weights.sum()
        position = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
        for i, grade in enumerate(members):
            rows.append(
                {
                    "grade": grade,
                    "hq_size": SIZE * hq * weights[i],
                    "field_size": SIZE * field * weights[i],
                    "share": top + (bottom - top) * position[i],
                    "trend": trend_top + (trend_bottom - trend_top) * position[i],
                    "field_offset": offset,
                    "field_trend": field_trend,
                    "band": "junior" if band == "middle" and position[i] > 0.85 else band,
                    "track": TRACKS[cat],
                }
            )
    table = pd.DataFrame(rows)
    order = {g: i for i, g in enumerate(names)}
    table = table.sort_values("grade", key=lambda s: s.map(order)).reset_index(drop=True)
    up = np.full(len(table), -1)
    for track in table["track"].unique():
        positions = np.flatnonzero(table["track"].to_numpy() == track)  # top first
        for above, below in pairwise(positions):
            up[below] = above
    table["up"] = up
    return table.drop(columns="track")


@contextmanager
def patched_generator(reference: Reference) -> Iterator[None]:
    """The demo generator with this data set's grades and duty stations."""
    hq, field = chosen_stations(reference)
    table = grade_table(reference)
    original_profiles = simulation.entity_profiles
    cursor = {"next": 0}

    def profiles(n_entities: int, rng: np.random.Generator) -> pd.DataFrame:
        out = original_profiles(n_entities, rng)
        # every HQ station has at least one entity
        first = min(n_entities, len(hq))
        out.loc[: first - 1, "hq"] = hq[:first]
        return out

    def stations(profile: pd.Series, rng: np.random.Generator) -> list[tuple[str, float, bool]]:
        # field stations taken in turn from the list, so that every one of them is used
        low, high = {"secretariat": (3, 6), "field": (10, 20), "technical": (4, 9)}[profile["kind"]]
        n_field = int(rng.integers(low, high + 1))
        start = cursor["next"]
        cursor["next"] = start + n_field
        picked = [field[(start + i) % len(field)] for i in range(n_field)]
        hq_weight = {"secretariat": 6.0, "field": 2.0, "technical": 4.0}[profile["kind"]]
        out = [(str(profile["hq"]), hq_weight, False)]
        out += [(s, float(rng.uniform(0.4, 1.6)), True) for s in picked]
        return out

    patches: dict[str, Any] = {
        "grade_table": lambda: table.copy(),
        "entity_profiles": profiles,
        "duty_stations": stations,
    }
    with mock.patch.multiple(simulation, **patches):
        yield


def generate(
    reference: Reference, entities: int = ENTITIES, seed: int = SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(staff, flows) of the many-grades data set."""
    with patched_generator(reference):
        return simulation.generate_with_flows(entities, seed=seed)
