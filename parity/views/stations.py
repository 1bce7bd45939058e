"""The Duty stations page and a briefing's stations section: the map, HQ and field, and the
ranking of stations."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parity.i18n import _
from parity.privacy import PrivacyRule, shown
from parity.reference import Reference
from parity.views.base import (
    Chart,
    Selection,
    Table,
    at_parity_words,
    protected_table,
    selection_view,
)
from parity.views.columns import STATION_COLUMNS
from parity.wording import count, percent


@dataclass(frozen=True)
class StationsView:
    scope: str
    map: Chart  # every station with coordinates; withheld ones have no figures
    location: Chart  # HQ and field, shown rows
    ranking: Chart  # shown stations
    table: Table
    at_parity: tuple[str, str]
    sentences: dict[str, str]


@selection_view
def stations(sel: Selection, rule: PrivacyRule, reference: Reference) -> StationsView:
    table = _with_places(sel, protected_table(sel, ["duty_station"], sel.in_year, rule, reference))
    by_location = protected_table(sel, ["location"], sel.in_year, rule, reference)
    named = table[table["duty_station"].notna()].reset_index(drop=True)
    info = reference.station_info(pd.Index(named["duty_station"]))
    located = pd.concat([named, info[["latitude", "longitude"]].reset_index(drop=True)], axis=1)
    scope = sel.scope_year
    visible = shown(named)
    return StationsView(
        scope=sel.scope,
        map=Chart(
            located,
            _("Women's share by duty station — {scope}").format(scope=scope),
            rule.note(table, "station"),
        ),
        location=Chart(
            _in_words(shown(by_location[by_location["location"].notna()])),
            _("HQ and field — {scope}").format(scope=scope),
            rule.note(by_location, "group"),
        ),
        ranking=Chart(
            visible,
            _("Duty stations by women's share — {scope}").format(scope=scope),
            rule.note(table, "station"),
        ),
        table=Table(
            _("By duty station — {scope}").format(scope=scope),
            STATION_COLUMNS,
            _in_words(
                table.sort_values("total", ascending=False, na_position="last").reset_index(
                    drop=True
                )
            ),
            rule.note(table, "station"),
            id="stations-metrics",
        ),
        at_parity=at_parity_words(named, "station"),
        sentences={"stations": station_sentence(by_location, visible)},
    )


def _with_places(sel: Selection, table: pd.DataFrame) -> pd.DataFrame:
    """The table of duty stations with each station's country and HQ/field (those of the
    station's rows in the selection's year: derived from the station, so one each)."""
    rows = sel.frame[sel.in_year][["duty_station", "country", "location"]]
    places = rows.astype(object).drop_duplicates("duty_station").set_index("duty_station")
    out = table.copy()
    out["country"] = out["duty_station"].map(places["country"])
    out["location"] = out["duty_station"].map(places["location"])
    return out


def _in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its location (HQ, Field) in the request's language, for display."""
    if "location" not in frame.columns:
        return frame
    words = {value: _(value) for value in ("HQ", "Field")}
    return frame.assign(location=frame["location"].astype(object).replace(words))


def station_sentence(by_location: pd.DataFrame, visible: pd.DataFrame) -> str:
    figures: dict[str, str] = {}
    rows = shown(by_location).set_index("location")
    if "HQ" in rows.index and "Field" in rows.index:
        figures["hq"] = percent(rows.loc["HQ", "women_share"])
        figures["field"] = percent(rows.loc["Field", "women_share"])
    if len(visible) >= 2:
        ranked = visible.dropna(subset=["women_share"]).sort_values("women_share")
        if len(ranked) >= 2:
            low, high = ranked.iloc[0], ranked.iloc[-1]
            figures.update(
                n=count(len(ranked)),
                low=percent(low["women_share"], 0),
                low_station=str(low["duty_station"]),
                high=percent(high["women_share"], 0),
                high_station=str(high["duty_station"]),
            )
    if "hq" in figures and "n" in figures:
        return _(
            "Women are {hq} of staff at headquarters and {field} in the field; among the {n} "
            "duty stations shown, from {low} in {low_station} to {high} in {high_station}."
        ).format(**figures)
    if "hq" in figures:
        return _("Women are {hq} of staff at headquarters and {field} in the field.").format(
            **figures
        )
    if "n" in figures:
        return _(
            "Among the {n} duty stations shown, from {low} in {low_station} to {high} in "
            "{high_station}."
        ).format(**figures)
    return _("Too few people by duty station to compare.")
