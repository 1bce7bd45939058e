"""The Duty stations page and a briefing's stations section: the map, HQ and field, and the
ranking of stations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from parity.privacy import PrivacyRule, shown
from parity.reference import Reference
from parity.views.base import Chart, Column, Selection, Table, at_parity_words, protected_table
from parity.views.grades import METRIC_COLUMNS
from parity.wording import percent

STATION_COLUMNS = (
    Column("duty_station", "Duty station"),
    Column("country", "Country"),
    Column("location", "HQ / field"),
    *METRIC_COLUMNS,
)


@dataclass(frozen=True)
class StationsView:
    scope: str
    map: Chart  # every station with coordinates; withheld ones have no figures
    location: Chart  # HQ and field, shown rows
    ranking: Chart  # shown stations
    table: Table
    at_parity: tuple[str, str]
    sentences: dict[str, str]


def stations(
    frame: pd.DataFrame,
    filters: Any,
    rule: PrivacyRule,
    reference: Reference,
    *,
    selection: Selection | None = None,
) -> StationsView:
    sel = selection or Selection.of(frame, filters)
    table = protected_table(sel.frame, ["duty_station"], sel.in_year, rule, reference)
    by_location = protected_table(sel.frame, ["location"], sel.in_year, rule, reference)
    named = table[table["duty_station"].notna()].reset_index(drop=True)
    info = reference.station_info(pd.Index(named["duty_station"]))
    located = pd.concat([named, info[["latitude", "longitude"]].reset_index(drop=True)], axis=1)
    scope = sel.scope_year
    visible = shown(named)
    return StationsView(
        scope=sel.scope,
        map=Chart(located, f"Women's share by duty station — {scope}", rule.note(table, "station")),
        location=Chart(
            shown(by_location[by_location["location"].notna()]),
            f"HQ and field — {scope}",
            rule.note(by_location, "group"),
        ),
        ranking=Chart(
            visible, f"Duty stations by women's share — {scope}", rule.note(table, "station")
        ),
        table=Table(
            f"By duty station — {scope}",
            STATION_COLUMNS,
            table.sort_values("total", ascending=False, na_position="last").reset_index(drop=True),
            rule.note(table, "station"),
            id="stations-metrics",
        ),
        at_parity=at_parity_words(named, "station"),
        sentences={"stations": station_sentence(by_location, visible)},
    )


def station_sentence(by_location: pd.DataFrame, visible: pd.DataFrame) -> str:
    parts = []
    rows = shown(by_location).set_index("location")
    if "HQ" in rows.index and "Field" in rows.index:
        parts.append(
            f"Women are {percent(rows.loc['HQ', 'women_share'])} of staff at headquarters "
            f"and {percent(rows.loc['Field', 'women_share'])} in the field"
        )
    if len(visible) >= 2:
        ranked = visible.dropna(subset=["women_share"]).sort_values("women_share")
        if len(ranked) >= 2:
            low, high = ranked.iloc[0], ranked.iloc[-1]
            parts.append(
                f"among the {len(ranked)} duty stations shown, from "
                f"{percent(low['women_share'], 0)} in {low['duty_station']} to "
                f"{percent(high['women_share'], 0)} in {high['duty_station']}"
            )
    if not parts:
        return "Too few people by duty station to compare."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
