"""Synthetic demo data: UN-like, seeded, and clearly not any real entity's figures.

``python -m parity.demo --output FILE [--entities N] [--seed S]`` writes a long-format CSV
(gzipped when FILE ends in .gz) that follows the data contract. The bundled file
data/demo/parity-demo-staff.csv.gz is 40 entities; the benchmark scales the entity count up to
reach 1M or 10M rows.

Trends built in (so every page has something to show): senior grades rising fast (parity at USG
and ASG around 2020), directors and P-5 rising slowly, P-2 falling in field duty stations, General
Service groups at headquarters where men are under-represented, a few entities at parity, and
entities that differ in size, footprint and direction.
"""

from __future__ import annotations

import argparse
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 2011, 2025

# Invented names: none is, or abbreviates to, a real UN system entity.
ENTITY_NAMES = (
    "Aurora Development Fund", "Blue Horizon Ocean Office", "Cedar Relief Agency",
    "Delta Water Programme", "Equinox Statistics Bureau", "Fernbrook Health Initiative",
    "Granite Trade Council", "Harbor Migration Service", "Iris Education Trust",
    "Juniper Food Network", "Kestrel Climate Office", "Lumen Energy Agency",
    "Meridian Peace Office", "Northwind Refugee Service", "Orchid Rights Office",
    "Pinewood Labour Forum", "Quartz Finance Facility", "Riverbend Housing Agency",
    "Saffron Children's Fund", "Tidewater Maritime Office", "Umber Science Council",
    "Vantage Telecom Office", "Willow Population Fund", "Xenith Audit Board",
    "Yarrow Agriculture Fund", "Zephyr Aviation Office", "Amber Crime Office",
    "Birch Disaster Office", "Coral Environment Office", "Dune Desert Office",
    "Ember Cultural Agency", "Fjord Polar Office", "Glade Forest Office",
    "Heron Tourism Office", "Indigo Women's Fund", "Jade Postal Office",
    "Kelp Fisheries Office", "Larch Research Institute", "Maple Volunteer Service",
    "Nimbus Weather Office",
)  # fmt: skip

HQ_STATIONS = (
    ("New York", 0.30), ("Geneva", 0.25), ("Vienna", 0.08), ("Nairobi", 0.08), ("Rome", 0.07),
    ("Paris", 0.05), ("Washington", 0.03), ("Copenhagen", 0.04), ("Bonn", 0.03),
    ("Montreal", 0.02), ("The Hague", 0.02), ("Madrid", 0.01), ("London", 0.01), ("Bern", 0.01),
)  # fmt: skip
FIELD_STATIONS = (
    "Addis Ababa", "Bangkok", "Santiago", "Beirut", "Juba", "Kabul", "Goma", "Kinshasa",
    "Bamako", "Amman", "Dakar", "Cairo", "Gaza", "Port-Au-Prince", "Erbil", "Baghdad",
    "Mogadishu", "Khartoum", "Damascus", "Islamabad", "Dhaka", "New Delhi", "Jakarta", "Manila",
    "Beijing", "Pretoria", "Brasilia", "Bogota", "Lima", "Mexico City", "Istanbul", "Tunis",
    "Abuja", "Kampala", "Harare", "Lusaka", "Maputo", "Bangui", "Niamey", "Ndjamena", "Kyiv",
    "Tbilisi", "Tashkent", "Yangon", "Suva", "Kathmandu", "Colombo",
)  # fmt: skip
HARDSHIP = {
    "Juba",
    "Kabul",
    "Goma",
    "Bamako",
    "Gaza",
    "Mogadishu",
    "Baghdad",
    "Bangui",
    "Damascus",
    "Khartoum",
    "Port-Au-Prince",
    "Niamey",
    "Ndjamena",
    "Erbil",
}

# grade, people per unit at HQ, per unit in the field, women's share in 2011 (HQ), trend pp/yr
# (HQ), field offset pp, field trend pp/yr
GRADES = (
    ("USG", 0.15, 0.0, 0.30, 2.2, 0.0, 0.0),
    ("ASG", 0.35, 0.05, 0.28, 2.0, -3.0, 0.0),
    ("D-2", 1.2, 0.3, 0.28, 0.9, -4.0, 0.0),
    ("D-1", 3.0, 1.0, 0.31, 0.8, -5.0, 0.0),
    ("P-5", 9.0, 3.0, 0.35, 0.6, -6.0, 0.0),
    ("P-4", 14.0, 5.0, 0.41, 0.5, -6.0, 0.0),
    ("P-3", 14.0, 7.0, 0.46, 0.3, -5.0, -0.2),
    ("P-2", 7.0, 4.0, 0.53, 0.1, -8.0, -1.2),
    ("P-1", 0.8, 0.2, 0.58, 0.0, -6.0, 0.0),
    ("NO-E", 0.0, 0.3, 0.30, 0.0, 0.0, 0.5),
    ("NO-D", 0.0, 1.0, 0.33, 0.0, 0.0, 0.5),
    ("NO-C", 0.0, 2.5, 0.37, 0.0, 0.0, 0.4),
    ("NO-B", 0.0, 3.0, 0.41, 0.0, 0.0, 0.3),
    ("NO-A", 0.0, 2.0, 0.45, 0.0, 0.0, 0.2),
    ("FS-7", 0.0, 0.2, 0.18, 0.0, 0.0, 0.3),
    ("FS-6", 0.0, 1.0, 0.22, 0.0, 0.0, 0.3),
    ("FS-5", 0.0, 2.0, 0.26, 0.0, 0.0, 0.3),
    ("FS-4", 0.0, 2.5, 0.30, 0.0, 0.0, 0.3),
    ("FS-3", 0.0, 1.5, 0.33, 0.0, 0.0, 0.2),
    ("FS-2", 0.0, 0.5, 0.35, 0.0, 0.0, 0.2),
    ("G-7", 4.0, 1.5, 0.62, 0.1, -22.0, 0.3),
    ("G-6", 8.0, 4.0, 0.64, 0.1, -24.0, 0.3),
    ("G-5", 10.0, 8.0, 0.66, 0.0, -27.0, 0.2),
    ("G-4", 8.0, 9.0, 0.63, 0.0, -28.0, 0.2),
    ("G-3", 4.0, 7.0, 0.55, 0.0, -30.0, 0.2),
    ("G-2", 1.5, 5.0, 0.45, 0.0, -30.0, 0.1),
    ("G-1", 0.5, 2.5, 0.35, 0.0, -25.0, 0.0),
)  # fmt: skip
AGE_BANDS = ("Under 30", "30-39", "40-49", "50-59", "60 and over")
AGE_PROFILE = {  # by rank band: senior, middle, junior
    "senior": (0.0, 0.02, 0.25, 0.55, 0.18),
    "middle": (0.03, 0.27, 0.38, 0.26, 0.06),
    "junior": (0.18, 0.42, 0.25, 0.13, 0.02),
}
CONTRACTS = ("Continuing", "Fixed-term", "Temporary", "Consultant")
CONTRACT_SHARES = (0.30, 0.55, 0.10, 0.05)


def _entity_profiles(n_entities: int, rng: np.random.Generator) -> pd.DataFrame:
    names = [
        ENTITY_NAMES[i]
        if i < len(ENTITY_NAMES)
        else f"{ENTITY_NAMES[i % len(ENTITY_NAMES)]} {i // len(ENTITY_NAMES) + 1}"
        for i in range(n_entities)
    ]
    kind = rng.choice(["secretariat", "field", "technical"], size=n_entities, p=[0.25, 0.4, 0.35])
    hq_names = [s for s, _ in HQ_STATIONS]
    hq_weights = np.array([w for _, w in HQ_STATIONS])
    hq = rng.choice(hq_names, size=n_entities, p=hq_weights / hq_weights.sum())
    return pd.DataFrame(
        {
            "entity": names,
            "kind": kind,
            "hq": hq,
            "size": rng.lognormal(mean=0.0, sigma=0.7, size=n_entities),
            "share_offset": rng.normal(0.0, 5.0, size=n_entities),
            "trend_offset": rng.normal(0.0, 0.25, size=n_entities),
            "growth": rng.normal(0.01, 0.02, size=n_entities),
        }
    )


def _stations(profile: pd.Series, rng: np.random.Generator) -> list[tuple[str, float, bool]]:
    """(duty station, relative size, is_field) for one entity."""
    count = {"secretariat": (2, 4), "field": (8, 15), "technical": (3, 7)}[profile["kind"]]
    n_field = int(rng.integers(count[0], count[1] + 1))
    field = rng.choice(FIELD_STATIONS, size=n_field, replace=False)
    hq_weight = {"secretariat": 6.0, "field": 2.0, "technical": 4.0}[profile["kind"]]
    stations = [(str(profile["hq"]), hq_weight, False)]
    stations += [(str(s), float(rng.uniform(0.4, 1.6)), True) for s in field]
    return stations


# Promotions move people one grade up the same track (P-5 -> D-1, G-4 -> G-5, ...).
TRACKS = (
    ("P-1", "P-2", "P-3", "P-4", "P-5", "D-1", "D-2", "ASG", "USG"),
    ("NO-A", "NO-B", "NO-C", "NO-D", "NO-E"),
    ("FS-2", "FS-3", "FS-4", "FS-5", "FS-6", "FS-7"),
    ("G-1", "G-2", "G-3", "G-4", "G-5", "G-6", "G-7"),
)
SEPARATION_RATE = {"senior": 0.14, "middle": 0.08, "junior": 0.11}
PROMOTION_RATE = {"senior": 0.05, "middle": 0.07, "junior": 0.12}
OTHER_SHARE = 0.004  # people recorded as another or unknown gender


def _grade_table() -> pd.DataFrame:
    table = pd.DataFrame(
        GRADES,
        columns=["grade", "hq_size", "field_size", "share", "trend", "field_offset", "field_trend"],
    )
    table["band"] = ["senior"] * 4 + ["middle"] * 4 + ["junior"] + ["middle"] * 11 + ["junior"] * 7
    index = {g: i for i, g in enumerate(table["grade"])}
    up = np.full(len(table), -1)
    for track in TRACKS:
        for lower, upper in pairwise(track):
            up[index[lower]] = index[upper]
    table["up"] = up
    return table


def generate_with_flows(
    n_entities: int = 40, seed: int = 2028
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stocks and flows that agree: for every entity, duty station, grade and gender,
    stock(t) = stock(t-1) + appointments(t) + promotions in(t) - promotions out(t)
    - separations(t), where promotions are recorded at the grade they lead into.

    Returns (staff, flows): staff in long format split by age band and contract type, flows by
    year, entity, duty_station, grade, gender, event, count (zero counts left out)."""
    rng = np.random.default_rng(seed)
    profiles = _entity_profiles(n_entities, rng)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    grades = _grade_table()
    n_grades = len(grades)

    stations = []
    for e, profile in profiles.iterrows():
        for station, weight, is_field in _stations(profile, rng):
            stations.append((e, station, weight, is_field, station in HARDSHIP))
    st = pd.DataFrame(stations, columns=["e", "duty_station", "weight", "field", "hardship"])
    n_st = len(st)
    # cells: station x grade, as (n_st, n_grades) arrays
    pr = profiles.iloc[st["e"].to_numpy()].reset_index(drop=True)
    field = st["field"].to_numpy()[:, None]
    per_unit = np.where(
        field, grades["field_size"].to_numpy()[None, :], grades["hq_size"].to_numpy()[None, :]
    )
    not_field_entity = (pr["kind"].to_numpy() != "field")[:, None]
    fs_grade = grades["grade"].str.startswith("FS").to_numpy()[None, :]
    per_unit = np.where(not_field_entity & fs_grade, 0.0, per_unit)
    base_size = per_unit * (st["weight"].to_numpy() * pr["size"].to_numpy() * 2.2)[:, None]
    growth = (1 + pr["growth"].to_numpy())[:, None]

    share_pp = 100 * grades["share"].to_numpy()[None, :] + pr["share_offset"].to_numpy()[:, None]
    share_pp = share_pp + np.where(field, grades["field_offset"].to_numpy()[None, :], 0.0)
    share_pp = share_pp - np.where(st["hardship"].to_numpy()[:, None], 4.0, 0.0)
    trend = grades["trend"].to_numpy()[None, :] + pr["trend_offset"].to_numpy()[:, None]
    trend = trend + np.where(field, grades["field_trend"].to_numpy()[None, :], 0.0)

    def desired_share(t: int) -> np.ndarray:
        return np.clip((share_pp + trend * t) / 100, 0.03, 0.95)

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

    # year 0
    size = rng.poisson(base_size)
    other = rng.binomial(size, OTHER_SHARE)
    women = rng.binomial(size - other, desired_share(0))
    stock = np.stack([women, size - other - women, other], axis=-1)  # (n_st, G, 3)
    stocks = [stock]
    flow_parts: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
    for t in range(1, len(years)):
        separations = rng.binomial(stock, separation[..., None])
        promoted = rng.binomial(stock - separations, promotion[..., None])
        promoted_in = np.zeros_like(promoted)
        promoted_in[:, up[has_up], :] += promoted[:, has_up, :]
        remaining = stock - separations - promoted + promoted_in
        target = rng.poisson(base_size * growth**t)
        hires = np.maximum(target - remaining.sum(axis=-1), 0)
        current = remaining[..., 0] / np.maximum(remaining[..., 0] + remaining[..., 1], 1)
        goal = desired_share(t)
        hire_share = np.clip(goal + 1.5 * (goal - current), 0.02, 0.98)
        hires_other = rng.binomial(hires, OTHER_SHARE)
        hires_women = rng.binomial(hires - hires_other, hire_share)
        appointments = np.stack(
            [hires_women, hires - hires_other - hires_women, hires_other], axis=-1
        )
        stock = remaining + appointments
        stocks.append(stock)
        flow_parts.append((int(years[t]), appointments, promoted_in, separations))

    labels = ("F", "M", "X")
    st_entity = pr["entity"].to_numpy()
    st_station = st["duty_station"].to_numpy()
    grade_names = grades["grade"].to_numpy()
    cell_entity = np.repeat(st_entity, n_grades)
    cell_station = np.repeat(st_station, n_grades)
    cell_grade = np.tile(grade_names, n_st)

    flows = []
    for year, *events in flow_parts:
        for event, counts in zip(("appointment", "promotion", "separation"), events, strict=True):
            for g, gender in enumerate(labels):
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

    age_p_grade = np.array([AGE_PROFILE[b] for b in grades["band"]])
    parts = []
    for t, stock_t in enumerate(stocks):
        for g, gender in enumerate(labels):
            counts = stock_t[..., g].reshape(-1)
            live = counts > 0
            if not live.any():
                continue
            age_p = np.tile(age_p_grade, (n_st, 1))[live]
            by_age = rng.multinomial(counts[live], age_p)
            keys = pd.DataFrame(
                {
                    "entity": cell_entity[live],
                    "duty_station": cell_station[live],
                    "grade": cell_grade[live],
                }
            )
            for a, band in enumerate(AGE_BANDS):
                by_contract = rng.multinomial(by_age[:, a], CONTRACT_SHARES)
                for k, contract in enumerate(CONTRACTS):
                    n = by_contract[:, k]
                    keep = n > 0
                    part = keys[keep].copy()
                    part.insert(0, "year", int(years[t]))
                    part["age_band"] = band
                    part["contract_type"] = contract
                    part["personnel_type"] = "Non-staff" if contract == "Consultant" else "Staff"
                    part["gender"] = gender
                    part["headcount"] = n[keep]
                    parts.append(part)
    staff = pd.concat(parts, ignore_index=True)
    staff = staff.sort_values(
        ["year", "entity", "duty_station", "grade", "age_band", "contract_type", "gender"],
        kind="stable",
    )
    staff = staff[
        [
            "year",
            "entity",
            "duty_station",
            "grade",
            "age_band",
            "contract_type",
            "personnel_type",
            "gender",
            "headcount",
        ]
    ].reset_index(drop=True)
    return staff, flow_frame.reset_index(drop=True)


def generate(n_entities: int = 40, seed: int = 2028) -> pd.DataFrame:
    """The staffing table of ``generate_with_flows`` (the benchmark scales it by entities)."""
    return generate_with_flows(n_entities, seed)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the synthetic demo data set.")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--entities", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2028)
    parser.add_argument("--flows", type=Path, help="also write the flows file here")
    args = parser.parse_args()
    staff, flows = generate_with_flows(args.entities, args.seed)
    for frame, path in ((staff, args.output), (flows, args.flows)):
        if path is None:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        compression = {"method": "gzip", "mtime": 0} if path.suffix == ".gz" else None
        frame.to_csv(path, index=False, compression=compression)
        print(f"wrote {len(frame):,} rows to {path}")


if __name__ == "__main__":
    main()
