"""The demo's nationalities: one per row of the staffing table, drawn so that no other figure moves.

National staff (National Professional Officers and General Service) hold the nationality of their
duty station's country. Internationally recruited staff (Professional and higher, Field Service)
come from a weighted mix of some seventy countries, loosely shaped like the composition of a UN
secretariat (many nationals of the large contributors and of the host countries of headquarters,
a long tail of small groups); in a field duty station three in ten are drawn from the mix's
countries of the station's own UN regional group instead.

A row keeps its nationality from year to year: it is drawn once per (entity, duty station, grade,
age band, contract type, gender), from its own random stream, after the simulation, so the
headcounts and every other column are exactly those the demo had without nationalities, and no
row is split.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity import geography
from parity.demo.world import FIELD_STATIONS
from parity.reference import Reference

# Country (the CEB list's spelling) and its relative weight among internationally recruited staff.
INTERNATIONAL_MIX = """
United States of America 60|France 34|Italy 30|United Kingdom of Great Britain and Northern \
Ireland 30|Canada 22|Germany 22|India 20|Kenya 18|Spain 16|Philippines 12|Ethiopia 10|\
Russian Federation 10|Japan 9|China 9|Uganda 8|Netherlands 8|Belgium 8|Switzerland 7|Australia 7|\
Nigeria 7|Egypt 6|Brazil 6|Mexico 6|Argentina 6|Colombia 5|Pakistan 5|Cameroon 5|Ghana 5|\
Sweden 5|Denmark 4|Norway 4|Ireland 4|Austria 4|Greece 4|Portugal 4|Senegal 4|\
United Republic of Tanzania 4|Zimbabwe 4|South Africa 4|Lebanon 4|Jordan 4|Tunisia 3|Morocco 3|\
Peru 3|Chile 3|Bangladesh 3|Nepal 3|Sri Lanka 3|Republic of Korea 3|Indonesia 3|Thailand 2|\
Ukraine 3|Poland 2|Romania 2|Serbia 2|Georgia 2|Türkiye 2|Iran 2|\
Sudan 2|Rwanda 2|Burundi 2|Democratic Republic of the Congo 2|Côte d'Ivoire 2|Mali 1|\
Haiti 1|Jamaica 1|Trinidad and Tobago 1|Bolivia 1|Ecuador 1|\
Fiji 1|Mongolia 1|Armenia 1|New Zealand 1|Iceland 1|Malta 1|Luxembourg 1|Samoa 1|Bhutan 1
"""
FROM_OWN_GROUP = 0.3  # share of field stations' international staff from the station's group
NATIONAL_GRADES = ("National Professional", "General Service")


def international_mix() -> pd.DataFrame:
    """The mix as a table: nationality, weight, regional_group (every name resolved)."""
    rows = []
    for item in INTERNATIONAL_MIX.replace("\n", "").split("|"):
        name, weight = item.rsplit(" ", 1)
        country = geography.resolve(name)
        if country is None or country.name != name:
            raise ValueError(f"{name!r} is not the CEB list's spelling of a country")
        rows.append((name, float(weight), country.regional_group))
    return pd.DataFrame(rows, columns=["nationality", "weight", "regional_group"])


def _draw(weights: pd.Series, n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws of the index of ``weights`` in proportion to its values."""
    return rng.choice(weights.index.to_numpy(), size=n, p=(weights / weights.sum()).to_numpy())


def add_nationalities(
    staff: pd.DataFrame, seed: int, reference: Reference | None = None
) -> pd.DataFrame:
    """``staff`` with a ``nationality`` column (see the module's docstring)."""
    reference = reference or Reference.load()
    key_columns = ["entity", "duty_station", "grade", "age_band", "contract_type", "gender"]
    keys = staff[key_columns].drop_duplicates().sort_values(key_columns, kind="stable")
    keys = keys.reset_index(drop=True)
    stations = pd.Index(keys["duty_station"].unique())
    info = reference.station_info(stations)
    station_country = pd.Series(info["country"].to_numpy(), index=stations)
    home = keys["duty_station"].map(station_country).to_numpy()
    field = keys["duty_station"].isin(FIELD_STATIONS).to_numpy()
    group_of = {name: geography.resolve(name) for name in station_country.unique()}
    home_group = np.array([getattr(group_of[c], "regional_group", "") for c in home], dtype=object)

    rng = np.random.default_rng([seed, 24])
    mix = international_mix().set_index("nationality")
    chosen = _draw(mix["weight"], len(keys), rng)
    own = rng.random(len(keys)) < FROM_OWN_GROUP
    for group, members in mix.groupby("regional_group")["weight"]:
        here = field & own & (home_group == group)
        if here.any():
            chosen[here] = _draw(members, int(here.sum()), rng)
    category = keys["grade"].map(reference.grade_category).to_numpy()
    national = np.isin(category, NATIONAL_GRADES)
    keys["nationality"] = np.where(national, home, chosen)
    return staff.merge(keys, on=key_columns, how="left", validate="many_to_one")
