"""Trends & projections: women's share by staff category or grade over time, each with its
straight-line projection to 50/50, and the table that names both thresholds: the group's status
against the parity zone now, and the year it reaches 50/50 at the trend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from parity.privacy import HIDDEN, PrivacyRule, shown
from parity.projections import DEFAULT_WINDOW, project_shares
from parity.reference import Reference
from parity.views.base import Chart, Column, Selection, Table, protected_table
from parity.wording import GOAL_YEAR, MAINTAIN, missing, percent, projection_words, status_words

HORIZON = 25  # years past the latest that a projection chart shows; a later year is in the table
METHOD_WORDS = {"increment": "average annual increment", "ols": "least squares"}
GROUP_WORDS = {"grade": "grade", "category": "staff category"}
GROUP_PLURALS = {"grade": "grades", "category": "staff categories"}


@dataclass(frozen=True)
class TrendsView:
    by: str
    window: int
    method: str
    chart: Chart  # shown (group, year) points; extra: projections, horizon
    table: Table  # one row per group shown: latest share, status, change a year, 50/50
    projections: pd.DataFrame  # the engine's projection of each group shown
    sentences: dict[str, str]


def trends(
    frame: pd.DataFrame,
    filters: Any,
    rule: PrivacyRule,
    reference: Reference,
    *,
    by: str = "category",
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
    selection: Selection | None = None,
) -> TrendsView:
    """Projections rest only on shown points: a (group, year) withheld by the privacy rule is
    left out of the line and of the trend, and a group withheld in the latest year is left out
    altogether (its projection would describe a group too small to show)."""
    sel = selection or Selection.of(frame, filters)
    series = protected_table(sel.frame, [by, "year"], sel.through_year, rule, reference)
    series = series[series[by].notna()]
    latest = series.sort_values("year").groupby(by, observed=True, sort=False).tail(1)
    current = latest[latest[HIDDEN].isna()]
    kept = set(current[by])
    points = shown(series)
    points = points[points[by].isin(kept) & points["women_share"].notna()]
    order = {g: i for i, g in enumerate(sel.frame[by].cat.categories)}
    points = points.sort_values([by, "year"], key=lambda s: s.map(order) if s.name == by else s)
    projections = project_shares(points, [by], window=window, method=method)
    projections = projections.sort_values(by, key=lambda s: s.map(order)).reset_index(drop=True)
    status = current.set_index(by)["parity_status"]
    projections["parity_status"] = projections[by].map(status)
    projections["fifty_fifty"] = [projection_words(r) for _, r in projections.iterrows()]
    projections["status_words"] = [
        MAINTAIN if s == "parity" else status_words(s) for s in projections["parity_status"]
    ]
    withheld = len(latest) - len(current)
    label = GROUP_WORDS.get(by, by)
    note = (
        f"{withheld} {label if withheld == 1 else GROUP_PLURALS.get(by, label + 's')} not shown "
        "in the latest year (to protect small groups) left out"
        if withheld
        else ""
    )
    last_year = int(points["year"].max()) if not points.empty else sel.year
    projected = pd.to_numeric(projections["projected_year"], errors="coerce").dropna()
    horizon = (
        max(GOAL_YEAR, min(int(projected.max()), (last_year or 0) + HORIZON))
        if len(projected)
        else None
    )
    title = f"Women's share by {label}, projected to 50% — {sel.scope}"
    columns = (
        Column(by, label.capitalize()),
        Column("women_share", "Latest share", "share"),
        Column("base_year", "Year", "year"),
        Column("status_words", "Parity zone (47–53%)", "words"),
        Column("annual_change_pp", "Change a year (pp)", "pp"),
        Column("fifty_fifty", "50/50 at the trend", "words"),
    )
    return TrendsView(
        by=by,
        window=window,
        method=method,
        chart=Chart(points, title, note, extra={"projections": projections, "horizon": horizon}),
        table=Table(
            f"Projected year of 50/50 — {METHOD_WORDS.get(method, method)}, {window}-year window",
            columns,
            projections,
            note,
            id="trends-projections",
        ),
        projections=projections,
        sentences={"projections": projection_sentence(projections, GOAL_YEAR, label)},
    )


def projection_sentence(projections: pd.DataFrame, target_year: int, label: str = "grade") -> str:
    """How many groups are at the parity zone, reach 50/50 by the target year, later or never."""
    if projections.empty:
        return f"No projection: no {label} has enough people to show."
    status = projections["projection_status"]
    projected_year = pd.to_numeric(projections["projected_year"], errors="coerce")
    in_zone = projections["parity_status"] == "parity"
    reached = int((status == "reached").sum())
    by_target = int(((status == "projected") & (projected_year <= target_year)).sum())
    later = projected_year[(status == "projected") & (projected_year > target_year)]
    stalled = int((status == "not_at_current_trend").sum())
    parts = [f"{reached} {'is' if reached == 1 else 'are'} at or above 50% women"]
    parts.append(
        f"{by_target} more {'reaches' if by_target == 1 else 'reach'} 50/50 by {target_year}"
        if by_target
        else f"none of the others reaches 50/50 by {target_year}"
    )
    if len(later):
        parts.append(
            f"{len(later)} {'reaches' if len(later) == 1 else 'reach'} it later "
            f"(the last in {int(later.max())})"
        )
    if stalled:
        parts.append(
            f"{stalled} {'does' if stalled == 1 else 'do'} not reach it at the current trend"
        )
    unknown = int((status == "insufficient_data").sum())
    if unknown:
        parts.append(f"{unknown} {'has' if unknown == 1 else 'have'} too few years to project")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    noun = (
        label
        if len(projections) == 1
        else f"{label}s"
        if label != "staff category"
        else ("staff categories")
    )
    sentence = f"Of {len(projections)} {noun} shown, {listed}."
    zone = int(in_zone.sum())
    if zone:
        sentence += f" {zone} {'is' if zone == 1 else 'are'} already in the parity zone (47–53%)."
    return sentence


def latest_share_words(row: pd.Series) -> str:
    if missing(row["women_share"]):
        return "—"
    return f"{percent(row['women_share'])} ({int(row['base_year'])})"
