"""Nationalities: a country in any common spelling, and its region, subregion and UN regional group.

Three sources, all shipped in data/reference/ or installed, never read from elsewhere at run time:

- ``countries.csv``: the UN CEB country list (reference name, ISO codes, the CEB's own code, and the
  region and subregion of UN M49), one row per country or territory;
- ``un_regional_groups.csv``: the regional group of each of the 193 Member States (DGACM);
- pycountry: the ISO 3166 names (short, official and common) in English and, through its gettext
  catalogue, in French.

A spelling is compared through :func:`country_key`, so case, accents, spaces, punctuation, a
leading or inner "the", "&" for "and" and "St" for "Saint" do not matter. When two sources give
the same key to different countries, the first source below keeps it (see ``_spellings``).
"""

from __future__ import annotations

import difflib
import gettext
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pycountry

from parity.reference import REFERENCE_DIR, name_key

# The five UN regional groups, one per Member State in un_regional_groups.csv so that the 193 add
# up (data/reference/README.md): the United States, an observer of the Western European and Others
# Group counted in it for electoral purposes, is put there; Türkiye, in both that group and
# Asia-Pacific, is put where it counts for elections (Western European and Others); Israel is a
# full member of Western European and Others; Kiribati is Asia-Pacific. Sizes: 54, 54, 23, 33, 29.
REGIONAL_GROUPS = (
    "African",
    "Asia-Pacific",
    "Eastern European",
    "Latin American and Caribbean",
    "Western European and Others",
)

# Common names, English then French, that neither the CEB list, ISO 3166 nor the UN spell.
# "Korea", "Congo" alone and "America" are left out on purpose: each could mean two countries
# ("Congo" is the UN's and ISO's name of the Republic of the Congo, and resolves to it).
ALIASES: Mapping[str, tuple[str, ...]] = {
    "ARE": ("UAE",),
    "BIH": ("Bosnia",),
    "BLR": ("Biélorussie",),
    "BRN": ("Brunei",),
    "CIV": ("Ivory Coast",),
    "COD": ("DRC", "DR Congo", "Congo-Kinshasa", "Zaire"),
    "COG": ("Congo-Brazzaville", "Republic of Congo"),
    "GBR": ("UK", "Great Britain", "Britain", "Grande-Bretagne"),
    "KGZ": ("Kyrgyz Republic",),
    "LAO": ("Lao PDR",),
    "MKD": ("Macedonia", "The former Yugoslav Republic of Macedonia"),
    "MMR": ("Burma",),
    "NLD": ("Holland", "Hollande"),
    "PRK": ("DPRK",),
    "PSE": ("Palestine",),
    "RUS": ("Russia", "Russie"),
    "SVK": ("Slovak Republic",),
    "SWZ": ("Swaziland",),
    "TLS": ("East Timor",),
    "TUR": ("Turkey",),
    "VAT": ("Vatican", "Vatican City"),
}


@dataclass(frozen=True)
class Country:
    """A country or territory of the CEB list.

    ``name`` is the CEB list's spelling; ``region`` and ``subregion`` are its UN M49 wording
    (Kenya: ``Africa`` / ``Sub-Saharan Africa``); ``regional_group`` is one of
    :data:`REGIONAL_GROUPS` for a UN Member State, ``""`` for any other country or territory
    (the Holy See, the State of Palestine, Kosovo, Taiwan, Puerto Rico, ...).
    """

    name: str
    iso3: str
    region: str
    subregion: str
    regional_group: str


def country_key(text: str) -> str:
    """Spelling-insensitive key of a country name or code: ``Côte d'Ivoire``, ``COTE D IVOIRE``
    and ``Cote d’Ivoire`` all give ``cotedivoire``; ``St Vincent & the Grenadines`` gives
    ``saintvincentandgrenadines``; ``The Gambia`` gives ``gambia``; a CEB number loses its
    leading zeros (``0060`` -> ``60``)."""
    words = name_key(str(text).replace("&", " and ").replace("'", "").replace("’", "")).split()
    words = [{"st": "saint", "ste": "sainte"}.get(w, w) for w in words if w != "the"]
    key = "".join(words)
    if key.isdigit():
        return key.lstrip("0") or "0"
    return key


def inverted(name: str) -> str | None:
    """``Korea, Republic of`` written in reading order (``Republic of Korea``); None without a
    single comma."""
    match = re.fullmatch(r"\s*([^,]+?)\s*,\s*([^,]+?)\s*", name)
    return None if match is None else f"{match.group(2)} {match.group(1)}"


def name_variants(name: str) -> Iterator[str]:
    """A name and the orders people write it in: ``Korea, Republic of`` also as ``Republic of
    Korea``; ``Bolivia (Plurinational State of)`` also as ``Bolivia`` and ``Plurinational State
    of Bolivia``; ``Holy See (Vatican City State)`` also as ``Holy See`` and ``Vatican City
    State``. The part before a comma alone is not a variant (``Korea`` would be two countries)."""
    yield name
    if (reading_order := inverted(name)) is not None:
        yield reading_order
    bracketed = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", name)
    if bracketed:
        outside, inside = bracketed.groups()
        yield outside
        yield f"{inside} {outside}" if re.search(r"\b(of|of the)$", inside) else inside


@dataclass(frozen=True)
class Geography:
    """The countries, and every spelling of them this module knows, read once."""

    countries: Mapping[str, Country]  # by ISO alpha-3 (Kosovo: the CEB's XKX)
    spellings: Mapping[str, str]  # country_key -> ISO alpha-3
    names: Mapping[str, str]  # country_key of a name (no codes) -> ISO alpha-3, for closest()

    @classmethod
    def load(cls, directory: Path = REFERENCE_DIR) -> Geography:
        table = pd.read_csv(directory / "countries.csv", dtype=str, keep_default_na=False)
        groups = pd.read_csv(directory / "un_regional_groups.csv", dtype=str, keep_default_na=False)
        group_of = dict(zip(groups["iso3"], groups["group"], strict=True))
        countries = {
            str(row["iso3"]): Country(
                name=str(row["name"]),
                iso3=str(row["iso3"]),
                region=str(row["region"]),
                subregion=str(row["subregion"]),
                regional_group=group_of.get(str(row["iso3"]), ""),
            )
            for row in table.to_dict("records")
        }
        codes = {
            key: iso3
            for column in ("iso3", "iso2", "ceb_code")
            for key, iso3 in zip(table[column].map(country_key), table["iso3"], strict=True)
        }
        names = _first_claims(_spellings(table, groups), known=set(countries))
        # codes first: a two- or three-letter name never takes a code's place
        return cls(countries=countries, spellings={**names, **codes}, names=names)

    def resolve(self, value: str) -> Country | None:
        """The country ``value`` names or codes, or None when it is none this module knows
        (empty, blank or not a string: None)."""
        if not isinstance(value, str) or not value.strip():
            return None
        # also the inverted order ("Congo, République démocratique du"), never the part
        # outside brackets alone ("Congo (Kinshasa)" is not the Republic of the Congo)
        for spelling in (value, inverted(value)):
            iso3 = None if spelling is None else self.spellings.get(country_key(spelling))
            if iso3 is not None:
                return self.countries[iso3]
        return None

    def closest(self, value: str, n: int = 3) -> list[str]:
        """Up to ``n`` reference names (the CEB spelling) whose English or French spellings are
        nearest to ``value`` (difflib's ratio of the keys, at least 0.75 as for duty stations),
        nearest first, each name once; empty when nothing is close."""
        keys = difflib.get_close_matches(country_key(value), list(self.names), n=4 * n, cutoff=0.75)
        found = dict.fromkeys(self.countries[self.names[k]].name for k in keys)
        return list(found)[:n]


def _spellings(table: pd.DataFrame, groups: pd.DataFrame) -> Iterator[tuple[str, str]]:
    """(name, ISO alpha-3) for every name this module knows, strongest source first: the CEB
    list, the UN's names of its Member States, ISO 3166 in English (short, official, common),
    the aliases above, then ISO 3166 in French."""
    yield from zip(table["name"], table["iso3"], strict=True)
    yield from zip(groups["name"], groups["iso3"], strict=True)
    english = [(n, c.alpha_3) for c in pycountry.countries for n in _iso_names(c)]
    yield from english
    yield from ((alias, iso3) for iso3, aliases in ALIASES.items() for alias in aliases)
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    yield from ((french.gettext(name), iso3) for name, iso3 in english)


def _iso_names(country: object) -> Iterable[str]:
    return [
        str(getattr(country, field))
        for field in ("name", "official_name", "common_name")
        if getattr(country, field, None)
    ]


def _first_claims(spellings: Iterable[tuple[str, str]], known: set[str]) -> dict[str, str]:
    """country_key -> ISO alpha-3, the first source to spell a key keeping it; names of
    countries outside the CEB list (Antarctica, Hong Kong, ...) are skipped."""
    claims: dict[str, str] = {}
    for name, iso3 in spellings:
        if iso3 not in known:
            continue
        for variant in name_variants(name):
            key = country_key(variant)
            if key and not key.isdigit():
                claims.setdefault(key, iso3)
    return claims


@cache
def geography(directory: Path = REFERENCE_DIR) -> Geography:
    """The reference countries, read once per directory."""
    return Geography.load(directory)


def resolve(value: str) -> Country | None:
    """The country ``value`` names, in any spelling :class:`Geography` knows: English or French
    name (CEB, UN, ISO short, official or common), ISO alpha-2 or alpha-3 code, or the CEB's
    numeric code; None when unknown."""
    return geography().resolve(value)


def closest(value: str, n: int = 3) -> list[str]:
    """The reference names nearest to an unknown ``value``, for 'did you mean Germany?'."""
    return geography().closest(value, n)
