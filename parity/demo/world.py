"""The invented UN-like system the demo data describes: entity names, headquarters and field duty
stations (and which are hardship stations), grades with their sizes, women's shares and trends,
promotion tracks, separation and promotion rates, age and contract profiles, and the random
profile of each entity (kind, headquarters, size, offsets from the system's trends).

Trends built in (so every page has something to show): senior grades rising fast (parity at USG
and ASG around 2020), directors and P-5 rising slowly, P-2 falling in field duty stations, General
Service groups at headquarters where men are under-represented, a few entities at parity, and
entities that differ in size, footprint and direction.
"""

from __future__ import annotations

from itertools import pairwise

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

# Each grade: people per unit at HQ and in the field, women's share in 2011 (HQ, a fraction), its
# trend (HQ, percentage points a year), the field's offset from it (percentage points) and the
# field's trend (percentage points a year); its rank band (for ages, separations, promotions).
GRADES = """
grade  hq_size  field_size  share  trend  field_offset  field_trend  band
USG       0.15         0.0   0.30    2.2           0.0          0.0  senior
ASG       0.35        0.05   0.28    2.0          -3.0          0.0  senior
D-2        1.2         0.3   0.28    0.9          -4.0          0.0  senior
D-1        3.0         1.0   0.31    0.8          -5.0          0.0  senior
P-5        9.0         3.0   0.35    0.6          -6.0          0.0  middle
P-4       14.0         5.0   0.41    0.5          -6.0          0.0  middle
P-3       14.0         7.0   0.46    0.3          -5.0         -0.2  middle
P-2        7.0         4.0   0.53    0.1          -8.0         -1.2  middle
P-1        0.8         0.2   0.58    0.0          -6.0          0.0  junior
NO-E       0.0         0.3   0.30    0.0           0.0          0.5  middle
NO-D       0.0         1.0   0.33    0.0           0.0          0.5  middle
NO-C       0.0         2.5   0.37    0.0           0.0          0.4  middle
NO-B       0.0         3.0   0.41    0.0           0.0          0.3  middle
NO-A       0.0         2.0   0.45    0.0           0.0          0.2  middle
FS-7       0.0         0.2   0.18    0.0           0.0          0.3  middle
FS-6       0.0         1.0   0.22    0.0           0.0          0.3  middle
FS-5       0.0         2.0   0.26    0.0           0.0          0.3  middle
FS-4       0.0         2.5   0.30    0.0           0.0          0.3  middle
FS-3       0.0         1.5   0.33    0.0           0.0          0.2  middle
FS-2       0.0         0.5   0.35    0.0           0.0          0.2  middle
G-7        4.0         1.5   0.62    0.1         -22.0          0.3  junior
G-6        8.0         4.0   0.64    0.1         -24.0          0.3  junior
G-5       10.0         8.0   0.66    0.0         -27.0          0.2  junior
G-4        8.0         9.0   0.63    0.0         -28.0          0.2  junior
G-3        4.0         7.0   0.55    0.0         -30.0          0.2  junior
G-2        1.5         5.0   0.45    0.0         -30.0          0.1  junior
G-1        0.5         2.5   0.35    0.0         -25.0          0.0  junior
"""
AGE_BANDS = ("Under 30", "30-39", "40-49", "50-59", "60 and over")
AGE_PROFILE = {  # by rank band: senior, middle, junior
    "senior": (0.0, 0.02, 0.25, 0.55, 0.18),
    "middle": (0.03, 0.27, 0.38, 0.26, 0.06),
    "junior": (0.18, 0.42, 0.25, 0.13, 0.02),
}
CONTRACTS = ("Continuing", "Fixed-term", "Temporary", "Consultant")
CONTRACT_SHARES = (0.30, 0.55, 0.10, 0.05)


def entity_profiles(n_entities: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per entity: name, kind (secretariat, field, technical), headquarters, relative
    size, and its offsets from the system's women's share (percentage points), trend
    (percentage points a year) and yearly growth."""
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


def duty_stations(profile: pd.Series, rng: np.random.Generator) -> list[tuple[str, float, bool]]:
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


def grade_table() -> pd.DataFrame:
    """GRADES as a table (the numbers as floats), with ``up``: the row of the grade a promotion
    leads into (-1 at the top of a track)."""
    header, *rows = (line.split() for line in GRADES.strip().splitlines())
    table = pd.DataFrame(
        [(grade, *map(float, numbers), band) for grade, *numbers, band in rows], columns=header
    )
    index = {g: i for i, g in enumerate(table["grade"])}
    up = np.full(len(table), -1)
    for track in TRACKS:
        for lower, upper in pairwise(track):
            up[index[lower]] = index[upper]
    table["up"] = up
    return table
