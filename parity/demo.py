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
HARDSHIP = {"Juba", "Kabul", "Goma", "Bamako", "Gaza", "Mogadishu", "Baghdad", "Bangui",
            "Damascus", "Khartoum", "Port-Au-Prince", "Niamey", "Ndjamena", "Erbil"}

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
        ENTITY_NAMES[i] if i < len(ENTITY_NAMES)
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


def generate(n_entities: int = 40, seed: int = 2028) -> pd.DataFrame:
    """A long-format staffing table: year, entity, duty_station, grade, age_band,
    contract_type, personnel_type, gender, headcount (zero counts left out)."""
    rng = np.random.default_rng(seed)
    profiles = _entity_profiles(n_entities, rng)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    grade_table = pd.DataFrame(
        GRADES, columns=["grade", "hq_size", "field_size", "share", "trend", "field_offset",
                         "field_trend"],
    )
    grade_table["band"] = ["senior"] * 4 + ["middle"] * 4 + ["junior"] + ["middle"] * 5 + [
        "middle"] * 6 + ["junior"] * 7

    cells = []
    for _, profile in profiles.iterrows():
        for station, weight, is_field in _stations(profile, rng):
            hardship = station in HARDSHIP
            cells.append((profile.name, station, weight, is_field, hardship))
    cell_frame = pd.DataFrame(cells, columns=["e", "duty_station", "weight", "field", "hardship"])

    # cross join: cell x grade x year
    n_cells, n_grades, n_years = len(cell_frame), len(grade_table), len(years)
    c_idx = np.repeat(np.arange(n_cells), n_grades * n_years)
    g_idx = np.tile(np.repeat(np.arange(n_grades), n_years), n_cells)
    y = np.tile(years, n_cells * n_grades)
    cf = cell_frame.iloc[c_idx].reset_index(drop=True)
    gt = grade_table.iloc[g_idx].reset_index(drop=True)
    pr = profiles.iloc[cf["e"].to_numpy()].reset_index(drop=True)
    field = cf["field"].to_numpy()
    t = y - FIRST_YEAR

    per_unit = np.where(field, gt["field_size"], gt["hq_size"])
    # senior posts sit at headquarters; field entities carry FS staff
    per_unit = np.where((pr["kind"].to_numpy() != "field") & gt["grade"].str.startswith("FS"),
                        0.0, per_unit)
    expected = per_unit * cf["weight"].to_numpy() * pr["size"].to_numpy() * 2.2
    expected *= (1 + pr["growth"].to_numpy()) ** t
    headcount = rng.poisson(expected)

    share_pp = 100 * gt["share"].to_numpy() + pr["share_offset"].to_numpy()
    share_pp += np.where(field, gt["field_offset"].to_numpy(), 0.0)
    share_pp -= np.where(cf["hardship"].to_numpy(), 4.0, 0.0)
    trend = gt["trend"].to_numpy() + pr["trend_offset"].to_numpy()
    trend += np.where(field, gt["field_trend"].to_numpy(), 0.0)
    share = np.clip((share_pp + trend * t) / 100, 0.03, 0.95)
    other = rng.binomial(headcount, 0.004)
    women = rng.binomial(headcount - other, share)
    men = headcount - other - women

    age_p = np.array([AGE_PROFILE[b] for b in gt["band"]])
    contract_p = np.array(CONTRACT_SHARES)
    keys = pd.DataFrame({
        "year": y, "entity": pr["entity"].to_numpy(), "duty_station": cf["duty_station"],
        "grade": gt["grade"],
    })
    live = headcount > 0
    keys, age_p = keys[live].reset_index(drop=True), age_p[live]
    parts = []
    for gender, counts in (("F", women[live]), ("M", men[live]), ("X", other[live])):
        by_age = np.array([rng.multinomial(n, p) for n, p in zip(counts, age_p, strict=True)])
        for a, band in enumerate(AGE_BANDS):
            by_contract = rng.multinomial(by_age[:, a], contract_p)
            for k, contract in enumerate(CONTRACTS):
                n = by_contract[:, k]
                keep = n > 0
                part = keys[keep].copy()
                part["age_band"] = band
                part["contract_type"] = contract
                part["personnel_type"] = "Non-staff" if contract == "Consultant" else "Staff"
                part["gender"] = gender
                part["headcount"] = n[keep]
                parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["year", "entity", "duty_station", "grade", "age_band",
                           "contract_type", "gender"], kind="stable")
    return out[["year", "entity", "duty_station", "grade", "age_band", "contract_type",
                "personnel_type", "gender", "headcount"]].reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the synthetic demo data set.")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--entities", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2028)
    args = parser.parse_args()
    frame = generate(args.entities, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    options = {"mtime": 0} if args.output.suffix == ".gz" else None
    frame.to_csv(args.output, index=False, compression={"method": "gzip", **options}
                 if options else None)
    print(f"wrote {len(frame):,} rows to {args.output}")


if __name__ == "__main__":
    main()
