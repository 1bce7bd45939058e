"""Nationalities: every spelling of a country gives the same Country, with the CEB list's region
and subregion and the UN regional group; the group sizes add up to the 193 Member States."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from parity.geography import (
    REGIONAL_GROUPS,
    Country,
    Geography,
    closest,
    country_key,
    geography,
    resolve,
)
from parity.reference import REFERENCE_DIR

IVORY_COAST = Country("Côte d'Ivoire", "CIV", "Africa", "Sub-Saharan Africa", "African")
GERMANY = Country("Germany", "DEU", "Europe", "Western Europe", "Western European and Others")
TURKIYE = Country("Türkiye", "TUR", "Asia", "Western Asia", "Western European and Others")
BOLIVIA = Country(
    "Bolivia", "BOL", "Americas", "Latin America and the Caribbean", "Latin American and Caribbean"
)
USA = Country(
    "United States of America", "USA", "Americas", "Northern America", "Western European and Others"
)


@pytest.mark.parametrize(
    ("spellings", "country"),
    [
        (
            [
                "Côte d'Ivoire",  # CEB, UN, ISO and French
                "Cote d'Ivoire",
                "COTE D’IVOIRE",
                "  côte  d'ivoire ",
                "Ivory Coast",
                "Republic of Côte d'Ivoire",  # ISO official
                "République de Côte d'Ivoire",
                "CI",
                "civ",
                "2250",  # the CEB's own code
            ],
            IVORY_COAST,
        ),
        (
            ["Germany", "germany", "Allemagne", "DE", "de", "DEU", "Federal Republic of Germany"],
            GERMANY,
        ),
        (["Türkiye", "Turkiye", "TÜRKIYE", "Turkey", "Turquie", "TR", "TUR"], TURKIYE),
        (
            [
                "Bolivia",  # CEB
                "Bolivia (Plurinational State of)",  # UN
                "Bolivia, Plurinational State of",  # ISO
                "Plurinational State of Bolivia",  # ISO official
                "Bolivie",
                "BO",
                "BOL",
            ],
            BOLIVIA,
        ),
        (
            [
                "United States of America",
                "United States",
                "États-Unis",
                "Etats Unis",
                "US",
                "usa",
            ],
            USA,
        ),
    ],
)
def test_every_spelling_gives_the_same_country(spellings: list[str], country: Country) -> None:
    assert {spelling: resolve(spelling) for spelling in spellings} == dict.fromkeys(
        spellings, country
    )


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Saint Vincent and the Grenadines", "Saint Vincent & The Grenadines"),  # CEB spells '&'
        ("St. Lucia", "Saint Lucia"),
        ("The Gambia", "Gambia"),
        ("Gambia, The", "Gambia"),
        ("Korea, Republic of", "Republic of Korea"),
        ("South Korea", "Republic of Korea"),
        ("Corée du Nord", "Democratic People's Republic of Korea"),
        ("Congo", "Republic of the Congo"),
        ("Congo (Kinshasa)", "Democratic Republic of the Congo"),
        ("Democratic Republic of Congo", "Democratic Republic of the Congo"),
        ("Congo, République démocratique du", "Democratic Republic of the Congo"),
        ("Czechia", "Czech Republic"),
        ("Cabo Verde", "Cape Verde"),
        ("Netherlands (Kingdom of the)", "Netherlands"),
        ("Pays-Bas", "Netherlands"),
        ("UK", "United Kingdom of Great Britain and Northern Ireland"),
        ("Royaume-Uni", "United Kingdom of Great Britain and Northern Ireland"),
        ("Kosovo", "Kosovo (UN administered province of Serbia)"),
        ("XKX", "Kosovo (UN administered province of Serbia)"),
        ("Vatican", "Holy See"),
        ("Aland Islands", "Åland Islands"),
        ("NA", "Namibia"),  # not read as a missing value
        ("060", "Afghanistan"),  # the CEB's code 60
    ],
)
def test_spellings_of_the_reference_names(spelling: str, name: str) -> None:
    found = resolve(spelling)
    assert found is not None and found.name == name


def test_sudan_and_south_sudan_keep_their_iso_codes() -> None:
    # the CEB list gives South Sudan Sudan's ISO2 (SD); ISO 3166 gives it SS
    assert [c and c.name for c in map(resolve, ["SD", "SDN", "SS", "SSD"])] == [
        "Sudan",
        "Sudan",
        "South Sudan",
        "South Sudan",
    ]


@pytest.mark.parametrize(
    ("spelling", "region", "subregion", "group"),
    [
        ("Kenya", "Africa", "Sub-Saharan Africa", "African"),
        ("Egypt", "Africa", "Northern Africa", "African"),
        ("Japan", "Asia", "Eastern Asia", "Asia-Pacific"),
        ("Cyprus", "Asia", "Western Asia", "Asia-Pacific"),
        ("Kiribati", "Oceania", "Micronesia", "Asia-Pacific"),
        ("Fiji", "Oceania", "Melanesia", "Asia-Pacific"),
        ("Poland", "Europe", "Eastern Europe", "Eastern European"),
        ("Mexico", "Americas", "Latin America and the Caribbean", "Latin American and Caribbean"),
        ("Canada", "Americas", "Northern America", "Western European and Others"),
        ("Israel", "Asia", "Western Asia", "Western European and Others"),
        ("Australia", "Oceania", "Australia and New Zealand", "Western European and Others"),
        # not Member States: no group
        ("Holy See", "Europe", "Southern Europe", ""),
        ("State of Palestine", "Asia", "Western Asia", ""),
        ("Kosovo", "Europe", "Southern Europe", ""),
        ("Puerto Rico", "Americas", "Latin America and the Caribbean", ""),
        ("Greenland", "Americas", "Northern America", ""),
    ],
)
def test_region_subregion_and_group(spelling: str, region: str, subregion: str, group: str) -> None:
    found = resolve(spelling)
    assert found is not None
    assert (found.region, found.subregion, found.regional_group) == (region, subregion, group)


def test_the_193_member_states_in_five_groups() -> None:
    groups = pd.read_csv(REFERENCE_DIR / "un_regional_groups.csv", keep_default_na=False)
    assert groups["iso3"].is_unique and len(groups) == 193
    assert set(groups["group"]) == set(REGIONAL_GROUPS)
    members = [c for c in geography().countries.values() if c.regional_group]
    assert len(members) == 193  # every Member State is in the country list
    assert Counter(c.regional_group for c in members) == {
        "African": 54,
        "Asia-Pacific": 54,  # 53 + Kiribati; Türkiye counted in WEOG
        "Eastern European": 23,
        "Latin American and Caribbean": 33,
        "Western European and Others": 29,  # 28 members with Türkiye, + the United States
    }


@pytest.mark.parametrize(
    "value", ["Germny", "Atlantis", "Korea", "Hong Kong", "", "   ", "-", "DDR", "0"]
)
def test_unknown_values_give_none(value: str) -> None:
    assert resolve(value) is None


def test_closest_names_for_an_unknown_value() -> None:
    assert closest("Germny")[0] == "Germany"
    assert closest("Germny") == ["Germany"]
    assert closest("Allemagn") == ["Germany"]  # French spellings count too
    assert closest("Untied States") == ["United States of America"]
    assert closest("Columbia") == ["Colombia"]
    assert closest("xyzzy") == []


def test_country_key() -> None:
    assert country_key("Côte d'Ivoire") == country_key("COTE D’IVOIRE") == "cotedivoire"
    assert country_key("St Vincent & the Grenadines") == "saintvincentandgrenadines"
    assert country_key("The Gambia") == country_key("Gambia") == "gambia"
    assert country_key("Guinea-Bissau") == country_key("guinea bissau") == "guineabissau"
    assert country_key("0060") == "60"


def test_a_spelling_is_kept_by_the_first_source_that_spells_it(tmp_path: Path) -> None:
    """The CEB list's names come first: were it to call the DRC 'Congo', 'Congo' would be the DRC
    although ISO 3166 calls the Republic of the Congo so; the ISO name of the DRC, 'Congo, The
    Democratic Republic of the', never claims 'Congo' alone."""
    pd.DataFrame(
        {
            "name": ["Congo", "Republic of the Congo"],
            "iso2": ["CD", "CG"],
            "iso3": ["COD", "COG"],
            "ceb_code": ["990", "3380"],
            "region": ["Africa", "Africa"],
            "subregion": ["Sub-Saharan Africa", "Sub-Saharan Africa"],
        }
    ).to_csv(tmp_path / "countries.csv", index=False)
    pd.DataFrame({"iso3": ["COG"], "name": ["Congo"], "group": ["African"]}).to_csv(
        tmp_path / "un_regional_groups.csv", index=False
    )
    geo = Geography.load(tmp_path)
    assert len(geo.countries) == 2  # only the countries of countries.csv
    spellings = ["Congo", "Republic of Congo", "CD", "990", "Antarctica", "AQ"]
    assert [c and c.iso3 for c in map(geo.resolve, spellings)] == [
        "COD",
        "COG",
        "COD",
        "COD",
        None,
        None,
    ]
    assert [c and c.regional_group for c in map(geo.resolve, ["CD", "CG"])] == ["", "African"]
    assert geography() is geography()  # read once
