"""Trends & projections: women's share by staff category or grade over time, each with its
straight-line projection to 50/50, and the table that names both thresholds: the group's status
against the parity zone now, and the year it reaches 50/50 at the trend."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parity.i18n import N_, _, ngettext
from parity.outlook import goal_statuses
from parity.privacy import HIDDEN, PrivacyRule, shown
from parity.projections import DEFAULT_WINDOW, HORIZON_YEAR, project_shares
from parity.reference import Reference
from parity.views.base import (
    Chart,
    Column,
    Selection,
    Table,
    headline_selection,
    protected_table,
    selection_view,
)
from parity.views.columns import PROJECTION_COLUMNS
from parity.views.outlook import goal_words
from parity.wording import (
    GOAL_YEAR,
    MAINTAIN,
    closest_split,
    count,
    listing,
    plural,
    projection_words,
    status_words,
)

HORIZON = 25  # years past the latest that a projection chart shows; a later year is in the table
METHOD_WORDS = {"increment": N_("average annual increment"), "ols": N_("least squares")}
GROUP_WORDS = {"grade": N_("grade"), "category": N_("staff category")}


@dataclass(frozen=True)
class TrendsView:
    by: str
    window: int
    method: str
    chart: Chart  # shown (group, year) points; extra: projections, horizon
    table: Table  # one row per group shown: latest share, status, change a year, 50/50
    projections: pd.DataFrame  # the engine's projection of each group shown
    sentences: dict[str, str]


@selection_view
def trends(
    sel: Selection,
    rule: PrivacyRule,
    reference: Reference,
    *,
    by: str = "category",
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
    headline_scope: str = "",
) -> TrendsView:
    """Projections rest only on shown points: a (group, year) withheld by the privacy rule is
    left out of the line and of the trend, and a group withheld in the latest year is left out
    altogether (its projection would describe a group too small to show). By grade, the grades
    of the headline scope (``headline_scope``) unless the selection names grades: ten lines
    to read, not 27."""
    if by == "grade":
        sel = headline_selection(sel, headline_scope, reference, rule)
    series = protected_table(sel, [by, "year"], sel.through_year, rule, reference)
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
    projections["fifty_fifty"] = [projection_words(r) for _i, r in projections.iterrows()]
    projections = _with_statuses(projections, current, by)
    withheld = len(latest) - len(current)
    label = GROUP_WORDS.get(by, by)
    note = withheld_note(by, withheld) if withheld else ""
    last_year = int(points["year"].max()) if not points.empty else sel.year
    projected = pd.to_numeric(projections["projected_year"], errors="coerce").dropna()
    horizon = (
        max(GOAL_YEAR, min(int(projected.max()), (last_year or 0) + HORIZON))
        if len(projected)
        else None
    )
    title = _("Women's share by {group}, projected to 50% — {scope}").format(
        group=_(label), scope=sel.scope
    )
    return TrendsView(
        by=by,
        window=window,
        method=method,
        chart=Chart(points, title, note, extra={"projections": projections, "horizon": horizon}),
        table=Table(
            _("Projected year of 50/50 — {method}, {window}-year window").format(
                method=_(METHOD_WORDS.get(method, method)), window=window
            ),
            (Column(by, _(label).capitalize()), *PROJECTION_COLUMNS),
            projections,
            note,
            id="trends-projections",
        ),
        projections=projections,
        sentences={"projections": projection_sentence(projections, GOAL_YEAR, label)},
    )


def _with_statuses(projections: pd.DataFrame, current: pd.DataFrame, by: str) -> pd.DataFrame:
    """Each group's status now in words (the closest split said as such) and against the goal
    (parity.outlook.goal_status: the rule of the Overview and ``parity project``)."""
    counts = current.set_index(by)
    projections["status_words"] = [
        _(MAINTAIN) if s == "parity" and not closest_split(w, m) else status_words(s, w, m)
        for s, w, m in zip(
            projections["parity_status"],
            projections[by].map(counts["women"]),
            projections[by].map(counts["men"]),
            strict=True,
        )
    ]
    projections["goal_status"] = goal_statuses(projections, GOAL_YEAR)
    projections["goal_words"] = [goal_words(g, short=True) for g in projections["goal_status"]]
    return projections


def withheld_note(by: str, withheld: int) -> str:
    """'2 grades not shown in the latest year (to protect small groups) left out'."""
    if by == "grade":
        return plural(
            withheld,
            "{n} grade not shown in the latest year (to protect small groups) left out",
            "{n} grades not shown in the latest year (to protect small groups) left out",
        )
    if by == "category":
        return plural(
            withheld,
            "{n} staff category not shown in the latest year (to protect small groups) left out",
            "{n} staff categories not shown in the latest year (to protect small groups) left out",
        )
    return _("{n} {groups} not shown in the latest year (to protect small groups) left out").format(
        n=count(withheld), groups=by if withheld == 1 else by + "s"
    )


def projection_sentence(projections: pd.DataFrame, target_year: int, label: str = "grade") -> str:
    """How many groups are at the parity zone, reach 50/50 by the target year, later or never.
    ``label`` is the groups' noun in English ("grade", "staff category")."""
    if projections.empty:
        if label == "grade":
            return _("No projection: no grade has enough people to show.")
        if label == "staff category":
            return _("No projection: no staff category has enough people to show.")
        return _("No projection: no {group} has enough people to show.").format(group=label)
    status = projections["projection_status"]
    projected_year = pd.to_numeric(projections["projected_year"], errors="coerce")
    in_zone = projections["parity_status"] == "parity"
    reached = int((status == "reached").sum())
    by_target = int(((status == "projected") & (projected_year <= target_year)).sum())
    later = projected_year[(status == "projected") & (projected_year > target_year)]
    stalled = int((status == "not_at_current_trend").sum())
    parts = [plural(reached, "{n} is at or above 50% women", "{n} are at or above 50% women")]
    parts.append(
        ngettext(
            "{n} more reaches 50/50 by {year}", "{n} more reach 50/50 by {year}", by_target
        ).format(n=count(by_target), year=target_year)
        if by_target
        else _("none of the others reaches 50/50 by {year}").format(year=target_year)
    )
    if len(later) and int(later.max()) > HORIZON_YEAR:
        parts.append(
            ngettext(
                "{n} reaches it later (after {horizon})",
                "{n} reach it later (the last after {horizon})",
                len(later),
            ).format(n=count(len(later)), horizon=HORIZON_YEAR)
        )
    elif len(later):
        parts.append(
            ngettext(
                "{n} reaches it later (the last in {year})",
                "{n} reach it later (the last in {year})",
                len(later),
            ).format(n=count(len(later)), year=int(later.max()))
        )
    if stalled:
        parts.append(
            plural(
                stalled,
                "{n} does not reach it at the current trend",
                "{n} do not reach it at the current trend",
            )
        )
    unknown = int((status == "insufficient_data").sum())
    if unknown:
        parts.append(
            plural(unknown, "{n} has too few years to project", "{n} have too few years to project")
        )
    listed = listing(parts)
    shown = len(projections)
    if label == "grade":
        sentence = ngettext(
            "Of {n} grade shown, {listed}.", "Of {n} grades shown, {listed}.", shown
        ).format(n=count(shown), listed=listed)
    elif label == "staff category":
        sentence = ngettext(
            "Of {n} staff category shown, {listed}.",
            "Of {n} staff categories shown, {listed}.",
            shown,
        ).format(n=count(shown), listed=listed)
    else:
        sentence = _("Of {n} {groups} shown, {listed}.").format(
            n=count(shown), groups=label if shown == 1 else f"{label}s", listed=listed
        )
    zone = int(in_zone.sum())
    if zone:
        sentence += " " + plural(
            zone,
            "{n} is already in the parity zone (47–53%).",
            "{n} are already in the parity zone (47–53%).",
        )
    return sentence
