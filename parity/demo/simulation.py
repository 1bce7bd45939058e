"""The demo generator's simulation: every duty station x grade cell of the invented system
(parity.demo.world) starts from a random headcount, then year by year loses separations, moves
promotions one grade up and fills itself back with appointments that pull women's share towards
the cell's trend. The stocks and flows it records agree exactly; they come out as the long-format
staffing table (split by age band and contract type) and flows table of the data contract.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity.demo.nationality import add_nationalities
from parity.demo.world import (
    AGE_BANDS,
    AGE_PROFILE,
    CONTRACT_SHARES,
    CONTRACTS,
    FIRST_YEAR,
    HARDSHIP,
    LAST_YEAR,
    OTHER_SHARE,
    PROMOTION_RATE,
    SEPARATION_RATE,
    duty_stations,
    entity_profiles,
    grade_table,
)

STAFF_COLUMNS = (
    "year",
    "entity",
    "duty_station",
    "grade",
    "age_band",
    "contract_type",
    "personnel_type",
    "nationality",
    "gender",
    "headcount",
)
GENDER_LABELS = ("F", "M", "X")  # women, men, another or unknown: the stock's last axis


@dataclass(frozen=True)
class _Cells:
    """The generator's cells, one per duty station and grade: the per-station columns are
    (stations,) arrays, the rest (stations, grades) arrays."""

    entity: np.ndarray  # the entity of each duty station
    duty_station: np.ndarray
    grades: pd.DataFrame
    base_size: np.ndarray  # expected headcount in the first year
    growth: np.ndarray  # yearly growth factor of each station, (stations, 1)
    share_pp: np.ndarray  # women's share in the first year, percentage points
    trend: np.ndarray  # change of that share, percentage points a year
    separation: np.ndarray  # yearly separation rate
    promotion: np.ndarray  # yearly promotion rate (zero where the grade above is empty)

    def desired_share(self, t: int) -> np.ndarray:
        """Women's share the cells drift towards in year t (a fraction, kept in 3-95%)."""
        return np.clip((self.share_pp + self.trend * t) / 100, 0.03, 0.95)

    def keys(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(entity, duty_station, grade) of each cell, flattened station by station."""
        n_grades = len(self.grades)
        return (
            np.repeat(self.entity, n_grades),
            np.repeat(self.duty_station, n_grades),
            np.tile(self.grades["grade"].to_numpy(), len(self.duty_station)),
        )


def _station_table(profiles: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Every entity's duty stations: entity row, name, relative size, field, hardship."""
    rows = []
    for e, profile in profiles.iterrows():
        for station, weight, is_field in duty_stations(profile, rng):
            rows.append((e, station, weight, is_field, station in HARDSHIP))
    return pd.DataFrame(rows, columns=["e", "duty_station", "weight", "field", "hardship"])


def _cells(profiles: pd.DataFrame, st: pd.DataFrame, grades: pd.DataFrame) -> _Cells:
    """Sizes, women's shares and movement rates of every station x grade cell."""
    n_st = len(st)
    pr = profiles.iloc[st["e"].to_numpy()].reset_index(drop=True)
    field = st["field"].to_numpy()[:, None]
    per_unit = np.where(
        field, grades["field_size"].to_numpy()[None, :], grades["hq_size"].to_numpy()[None, :]
    )
    not_field_entity = (pr["kind"].to_numpy() != "field")[:, None]
    fs_grade = grades["grade"].str.startswith("FS").to_numpy()[None, :]
    per_unit = np.where(not_field_entity & fs_grade, 0.0, per_unit)
    base_size = per_unit * (st["weight"].to_numpy() * pr["size"].to_numpy() * 2.2)[:, None]

    share_pp = 100 * grades["share"].to_numpy()[None, :] + pr["share_offset"].to_numpy()[:, None]
    share_pp = share_pp + np.where(field, grades["field_offset"].to_numpy()[None, :], 0.0)
    share_pp = share_pp - np.where(st["hardship"].to_numpy()[:, None], 4.0, 0.0)
    trend = grades["trend"].to_numpy()[None, :] + pr["trend_offset"].to_numpy()[:, None]
    trend = trend + np.where(field, grades["field_trend"].to_numpy()[None, :], 0.0)

    separation = np.array([SEPARATION_RATE[b] for b in grades["band"]])[None, :] * np.where(
        field, 1.15, 1.0
    )
    promotion = np.array([PROMOTION_RATE[b] for b in grades["band"]])[None, :].repeat(n_st, 0)
    up = grades["up"].to_numpy()
    # no promotion into a grade the station does not have
    has_up = up >= 0
    dest_size = np.zeros_like(base_size)
    dest_size[:, has_up] = base_size[:, up[has_up]]
    promotion = np.where(has_up[None, :] & (dest_size > 0), promotion, 0.0)
    return _Cells(
        entity=pr["entity"].to_numpy(),
        duty_station=st["duty_station"].to_numpy(),
        grades=grades,
        base_size=base_size,
        growth=(1 + pr["growth"].to_numpy())[:, None],
        share_pp=share_pp,
        trend=trend,
        separation=separation,
        promotion=promotion,
    )


def _first_stock(cells: _Cells, rng: np.random.Generator) -> np.ndarray:
    """Year 0's headcount by cell and gender (women, men, other): (stations, grades, 3)."""
    size = rng.poisson(cells.base_size)
    other = rng.binomial(size, OTHER_SHARE)
    women = rng.binomial(size - other, cells.desired_share(0))
    return np.stack([women, size - other - women, other], axis=-1)


def _next_year(
    cells: _Cells, stock: np.ndarray, t: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year t from year t-1's stock: separations, promotions one grade up, then appointments
    that fill the cells to their size and pull women's share towards the desired one.

    Returns (stock, appointments, promotions in, separations), each (stations, grades, 3)."""
    up = cells.grades["up"].to_numpy()
    has_up = up >= 0
    separations = rng.binomial(stock, cells.separation[..., None])
    promoted = rng.binomial(stock - separations, cells.promotion[..., None])
    promoted_in = np.zeros_like(promoted)
    promoted_in[:, up[has_up], :] += promoted[:, has_up, :]
    remaining = stock - separations - promoted + promoted_in
    target = rng.poisson(cells.base_size * cells.growth**t)
    hires = np.maximum(target - remaining.sum(axis=-1), 0)
    current = remaining[..., 0] / np.maximum(remaining[..., 0] + remaining[..., 1], 1)
    goal = cells.desired_share(t)
    hire_share = np.clip(goal + 1.5 * (goal - current), 0.02, 0.98)
    hires_other = rng.binomial(hires, OTHER_SHARE)
    hires_women = rng.binomial(hires - hires_other, hire_share)
    appointments = np.stack([hires_women, hires - hires_other - hires_women, hires_other], axis=-1)
    return remaining + appointments, appointments, promoted_in, separations


_FlowPart = tuple[int, np.ndarray, np.ndarray, np.ndarray]  # year, appointments, in, separations


def _simulate(
    cells: _Cells, years: np.ndarray, rng: np.random.Generator
) -> tuple[list[np.ndarray], list[_FlowPart]]:
    """Every year's stock, and every year's flows after the first."""
    stock = _first_stock(cells, rng)
    stocks = [stock]
    flow_parts: list[_FlowPart] = []
    for t in range(1, len(years)):
        stock, appointments, promoted_in, separations = _next_year(cells, stock, t, rng)
        stocks.append(stock)
        flow_parts.append((int(years[t]), appointments, promoted_in, separations))
    return stocks, flow_parts


def _flow_frame(cells: _Cells, flow_parts: list[_FlowPart]) -> pd.DataFrame:
    """The flows in long format: year, entity, duty_station, grade, gender, event, count
    (zero counts left out)."""
    cell_entity, cell_station, cell_grade = cells.keys()
    flows = []
    for year, *events in flow_parts:
        for event, counts in zip(("appointment", "promotion", "separation"), events, strict=True):
            for g, gender in enumerate(GENDER_LABELS):
                values = counts[..., g].reshape(-1)
                keep = values > 0
                flows.append(
                    pd.DataFrame(
                        {
                            "year": year,
                            "entity": cell_entity[keep],
                            "duty_station": cell_station[keep],
                            "grade": cell_grade[keep],
                            "gender": gender,
                            "event": event,
                            "count": values[keep],
                        }
                    )
                )
    flow_frame = pd.concat(flows, ignore_index=True).sort_values(
        ["year", "entity", "duty_station", "grade", "gender", "event"], kind="stable"
    )
    return flow_frame.reset_index(drop=True)


def _split_stock(
    keys: pd.DataFrame,
    counts: np.ndarray,
    age_p: np.ndarray,
    year: int,
    gender: str,
    rng: np.random.Generator,
) -> list[pd.DataFrame]:
    """One year's and one gender's headcount of the live cells (keys, counts), drawn into age
    bands (age_p: each cell's age profile) and contract types: a part per band and contract,
    empty rows left out."""
    parts = []
    by_age = rng.multinomial(counts, age_p)
    for a, band in enumerate(AGE_BANDS):
        by_contract = rng.multinomial(by_age[:, a], CONTRACT_SHARES)
        for k, contract in enumerate(CONTRACTS):
            n = by_contract[:, k]
            keep = n > 0
            part = keys[keep].copy()
            part.insert(0, "year", year)
            part["age_band"] = band
            part["contract_type"] = contract
            part["personnel_type"] = "Non-staff" if contract == "Consultant" else "Staff"
            part["gender"] = gender
            part["headcount"] = n[keep]
            parts.append(part)
    return parts


def _staff_frame(
    cells: _Cells,
    stocks: list[np.ndarray],
    years: np.ndarray,
    rng: np.random.Generator,
    seed: int,
) -> pd.DataFrame:
    """The staffing table in long format, every cell's stock split by age band and contract, each
    row with its nationality (drawn from its own stream: parity.demo.nationality)."""
    cell_entity, cell_station, cell_grade = cells.keys()
    age_p_grade = np.array([AGE_PROFILE[b] for b in cells.grades["band"]])
    parts = []
    for t, stock_t in enumerate(stocks):
        for g, gender in enumerate(GENDER_LABELS):
            counts = stock_t[..., g].reshape(-1)
            live = counts > 0
            if not live.any():
                continue
            age_p = np.tile(age_p_grade, (len(cells.duty_station), 1))[live]
            keys = pd.DataFrame(
                {
                    "entity": cell_entity[live],
                    "duty_station": cell_station[live],
                    "grade": cell_grade[live],
                }
            )
            parts += _split_stock(keys, counts[live], age_p, int(years[t]), gender, rng)
    staff = add_nationalities(pd.concat(parts, ignore_index=True), seed)
    staff = staff.sort_values(
        ["year", "entity", "duty_station", "grade", "age_band", "contract_type", "gender"],
        kind="stable",
    )
    return staff[list(STAFF_COLUMNS)].reset_index(drop=True)


def generate_with_flows(
    n_entities: int = 40, seed: int = 2028
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stocks and flows that agree: for every entity, duty station, grade and gender,
    stock(t) = stock(t-1) + appointments(t) + promotions in(t) - promotions out(t)
    - separations(t), where promotions are recorded at the grade they lead into.

    Returns (staff, flows): staff in long format split by age band and contract type, with a
    nationality per row; flows by year, entity, duty_station, grade, gender, event, count (zero
    counts left out)."""
    rng = np.random.default_rng(seed)
    profiles = entity_profiles(n_entities, rng)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    grades = grade_table()
    cells = _cells(profiles, _station_table(profiles, rng), grades)
    stocks, flow_parts = _simulate(cells, years, rng)
    flows = _flow_frame(cells, flow_parts)
    staff = _staff_frame(cells, stocks, years, rng, seed)
    return staff, flows


def generate(n_entities: int = 40, seed: int = 2028) -> pd.DataFrame:
    """The staffing table of ``generate_with_flows`` (the benchmark scales it by entities)."""
    return generate_with_flows(n_entities, seed)[0]
