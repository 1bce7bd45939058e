"""Planning: what must change to reach 50/50 by the target year, under a scenario.

A scenario (target year, rate window, turnover, headcount growth, and for each staff category a
change in the share of women among appointments) drives the engine's grade-ladder model
(parity.planning). A group inside the parity zone is "at parity — maintain", as on every page;
the share of appointments it needs for 50/50 is still given, labelled. Groups withheld by the
privacy rule in the base year are left out of the charts and the tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import numpy as np
import pandas as pd

from parity.i18n import N_, _, number
from parity.ingest.contract import EVENTS
from parity.planning import estimate_ladder, plan_groups, recent_hire_share
from parity.privacy import HIDDEN, PrivacyRule
from parity.reference import STAFF_CATEGORIES, Reference
from parity.targets import STRATEGY_START, progress, target_path
from parity.views.base import Chart, Column, Selection, Table, protected_table
from parity.wording import (
    GOAL_YEAR,
    MAINTAIN,
    PLAN_WORDS,
    PROGRESS_WORDS,
    count,
    missing,
    percent,
    plural,
)

# The page answers within a callback budget: fewer runs (250) and a shorter run horizon than the
# `parity plan` command (1,000 runs, 30 years past the target), so its band is a coarser
# estimate; the command gives the reference figures.
RUNS = 250
RUN_HORIZON = 12


def slug(category: str) -> str:
    return re.sub(r"[^a-z]+", "-", category.lower()).strip("-")


@dataclass(frozen=True)
class Scenario:
    """A planning scenario; parameters at their default are left out of the URL."""

    target_year: int = GOAL_YEAR
    window: int = 5
    turnover: float = 1.0
    growth_pct: float = 0.0
    by: str = "category"
    offsets: dict[str, float] = field(default_factory=dict)  # category -> pp

    KEYS = ("target", "window", "turnover", "growth", "plan_by")

    @classmethod
    def keys(cls) -> set[str]:
        return {*cls.KEYS, *(f"hire_{slug(c)}" for c in STAFF_CATEGORIES)}

    def pairs(self) -> list[tuple[str, str]]:
        default = Scenario()
        out = []
        for key, value, base in (
            ("target", self.target_year, default.target_year),
            ("window", self.window, default.window),
            ("turnover", self.turnover, default.turnover),
            ("growth", self.growth_pct, default.growth_pct),
            ("plan_by", self.by, default.by),
        ):
            if value != base:
                out.append((key, f"{value:g}" if isinstance(value, float) else str(value)))
        for category in STAFF_CATEGORIES:
            offset = self.offsets.get(category, 0.0)
            if offset:
                out.append((f"hire_{slug(category)}", f"{offset:g}"))
        return out

    @classmethod
    def from_query(cls, query: str) -> Scenario:
        values = dict(parse_qsl(query.lstrip("?")))

        def number(key: str, default: float, low: float, high: float) -> float:
            try:
                return min(max(float(values[key]), low), high)
            except (KeyError, ValueError):
                return default

        offsets = {c: number(f"hire_{slug(c)}", 0.0, -50, 50) for c in STAFF_CATEGORIES}
        return cls(
            target_year=int(number("target", GOAL_YEAR, 2026, 2060)),
            window=int(number("window", 5, 1, 15)),
            turnover=number("turnover", 1.0, 0.2, 3.0),
            growth_pct=number("growth", 0.0, -10, 10),
            by="grade" if values.get("plan_by") == "grade" else "category",
            offsets={c: v for c, v in offsets.items() if v},
        )

    @classmethod
    def from_controls(
        cls, target: Any, window: Any, turnover: Any, growth: Any, by: Any, offsets: list[Any]
    ) -> Scenario:
        return cls(
            target_year=int(target or GOAL_YEAR),
            window=int(window or 5),
            turnover=float(turnover if turnover is not None else 1.0),
            growth_pct=float(growth or 0.0),
            by=by or "category",
            offsets={c: float(v) for c, v in zip(STAFF_CATEGORIES, offsets, strict=False) if v},
        )


PLAN_COLUMNS_BASE = (
    ("women_share", N_("Women {base}"), "share"),
    ("recent_hire_share", N_("Recent share of appointments"), "share"),
    ("hire_share", N_("Scenario share"), "share"),
    ("required_hire_share", N_("Needed for 50/50 in {target}"), "share"),
    ("status_words", N_("Status"), "words"),
    ("reached_words", N_("50/50 reached (scenario)"), "words"),
)
TARGET_COLUMNS = (
    Column("entity", N_("Entity")),
    Column("grade", N_("Grade")),
    Column("target_words", N_("Target"), "words"),
    Column("latest_share", N_("Latest share"), "share"),
    Column("latest_year", N_("Year"), "year"),
    Column("path_share", N_("Path this year"), "share"),
    Column("progress_words", N_("Status"), "words"),
)


@dataclass(frozen=True)
class PlanningView:
    ready: bool  # False: no flows, or the data already reach the target year
    summary: str
    # not ready: both charts empty, their extra holds "message" (a short reason for the figure)
    paths: Chart  # recorded history of shown groups; extra: paths, target_year, by
    fan: Chart  # recorded total; extra: band, target
    table: Table
    targets: Table
    targets_message: str


def _appointments(
    flow_rows: pd.DataFrame, flow_mask: np.ndarray, ladder: Any, window: int
) -> np.ndarray:
    """Appointments per grade of the ladder over the rates' window (the years up to the base
    year), women and men together."""
    years = flow_rows["year"].to_numpy()
    recent = flow_mask & (years > ladder.base_year - window) & (years <= ladder.base_year)
    recent &= (flow_rows["event"] == "appointment").to_numpy()
    counts = (
        flow_rows.loc[recent]
        .groupby("grade", observed=True)["count"]
        .sum()
        .reindex(list(ladder.grades), fill_value=0)
    )
    return counts.to_numpy(dtype=np.int64)


def no_plan(
    reason: str, short: str, titles: tuple[str, str, str], targets: Table, message: str
) -> PlanningView:
    """The view when no plan can be shown: ``reason`` in words, ``short`` inside the empty
    charts; the targets table still shown."""
    paths, fan, table = titles
    empty = pd.DataFrame()
    return PlanningView(
        False,
        reason,
        Chart(empty, paths, reason, extra={"message": short}),
        Chart(empty, fan, reason, extra={"message": short}),
        Table(table, (), empty, empty=reason),
        targets,
        message,
    )


def year_band(plan: Any) -> str:
    """'2031 (80%: 2029–2035)', 'not by 2100'."""
    text = (
        _("not by 2100")
        if plan.projected_year_at_hire_share is None
        else str(plan.projected_year_at_hire_share)
    )
    low, high = plan.projected_year_low, plan.projected_year_high
    if low is not None or high is not None:
        text = _("{year} (80%: {low}–{high})").format(
            year=text, low=low or "—", high=high or _("after 2100")
        )
    return text


def planning(
    frame: pd.DataFrame,
    flow_frame: pd.DataFrame,
    targets: pd.DataFrame,
    filters: Any,
    scenario: Scenario,
    rule: PrivacyRule,
    reference: Reference,
    *,
    runs: int = RUNS,
    selection: Selection | None = None,
) -> PlanningView:
    sel = selection or Selection.of(frame, filters)
    scope = sel.scope
    flow_rows = sel.filters.entity_rows(flow_frame)
    flow_mask = sel.filters.history_mask(flow_rows)
    ladder = (
        estimate_ladder(
            sel.frame,
            flow_rows,
            reference,
            stock_mask=sel.through_year,
            flow_mask=flow_mask,
            window=scenario.window,
        )
        if not flow_rows.empty
        else None
    )
    title_paths = _("Women's share under the scenario — {scope}").format(scope=scope)
    title_fan = _("All levels: range of simulated futures — {scope}").format(scope=scope)
    table_title = _(
        "Share of women among appointments needed for 50/50 — {scope} ({window}-year rates)"
    ).format(scope=scope, window=scenario.window)
    target_table, target_message = targets_table(sel, targets, rule, reference)
    if ladder is None or ladder.base_year >= scenario.target_year:
        reason = (
            _(
                "No flow data for this selection: import appointments, promotions and "
                "separations on the Data page."
            )
            if ladder is None
            else _("The data already reach {year}: choose a later target.").format(
                year=ladder.base_year
            )
        )
        # the charts' own words: short enough to sit inside an empty figure
        short = (
            _("No flow data for this selection.") if ladder is None else _("Choose a later target.")
        )
        return no_plan(
            reason, short, (title_paths, title_fan, table_title), target_table, target_message
        )
    base = sel.through_year & (sel.frame["year"].to_numpy() == ladder.base_year)
    groups_table = protected_table(sel, [scenario.by], base, rule, reference)
    overall = protected_table(sel, [], base, rule, reference)
    if overall.empty or overall[HIDDEN].notna().iloc[0]:
        reason = _(
            "The figures of this selection are not shown, to protect small groups (fewer than "
            "{n} people): no plan is shown."
        ).format(n=count(rule.min_cell))
        short = _("Not shown, to protect small groups.")
        titles = (title_paths, title_fan, table_title)
        return no_plan(reason, short, titles, target_table, target_message)
    if rule.active and not _inputs_published(sel, flow_rows, flow_mask, ladder, scenario, rule):
        reason = _(
            "The plan rests on figures the public view withholds, to protect small groups, or "
            "does not hold (an entity's flows grade by grade): signed-in users of the entity "
            "see it."
        )
        short = _("Not in the public view.")
        titles = (title_paths, title_fan, table_title)
        return no_plan(reason, short, titles, target_table, target_message)

    category_of = reference.grade_category
    grade_categories = [category_of.get(g, "") for g in ladder.grades]
    offsets = np.array([scenario.offsets.get(c, 0.0) / 100 for c in grade_categories])
    hire = np.clip(ladder.hire_share + offsets, 0, 1)
    if scenario.by == "grade":
        labels = list(ladder.grades)
        groups = [np.array([g == name for g in ladder.grades]) for name in labels]
    else:
        labels = [c for c in STAFF_CATEGORIES if c in grade_categories]
        groups = [np.array([c == label for c in grade_categories]) for label in labels]
    everyone = np.ones(len(ladder.grades), dtype=bool)
    *group_plans, total = plan_groups(
        ladder,
        [*groups, everyone],
        scenario.target_year,
        hire_share=hire,
        runs=runs,
        mc_horizon=RUN_HORIZON,
        turnover=scenario.turnover,
        growth=scenario.growth_pct / 100,
    )
    status = groups_table.set_index(scenario.by)
    visible = {
        str(k) for k, hidden in zip(status.index, status[HIDDEN], strict=True) if missing(hidden)
    }
    shown_idx = [i for i, label in enumerate(labels) if label in visible]

    history = protected_table(
        sel, [scenario.by, "year"], sel.through_year & _since(sel), rule, reference
    )
    history = history[history[HIDDEN].isna() & history[scenario.by].isin(visible)]
    paths = pd.DataFrame(
        [
            {scenario.by: labels[i], "year": year, "women_share": share}
            for i in shown_idx
            for year, share in group_plans[i].path
        ],
        columns=[scenario.by, "year", "women_share"],
    )
    total_history = protected_table(sel, ["year"], sel.through_year & _since(sel), rule, reference)
    total_history = total_history[total_history[HIDDEN].isna()]
    start = total_history[total_history["year"] == STRATEGY_START]
    start_share = float(start["women_share"].iloc[0]) if not start.empty else None
    target = target_path(
        pd.DataFrame(columns=["year", "target_share", "margin"]),
        start_share,
        range(STRATEGY_START, scenario.target_year + 1),
    )
    band = pd.DataFrame(total.band, columns=["year", "low", "median", "high"])
    band = band[band["year"] <= max(scenario.target_year, ladder.base_year + 5)]

    appointed = _appointments(flow_rows, flow_mask, ladder, scenario.window)
    rows = []
    for i in shown_idx:
        plan = group_plans[i]
        in_zone = status.loc[labels[i], "parity_status"] == "parity"
        # a share of 1 to 4 appointments is withheld, as on the Flows page
        few = rule.is_small(int(appointed[groups[i]].sum()))
        rows.append(
            {
                scenario.by: labels[i],
                "women_share": plan.women_share,
                "recent_hire_share": None if few else recent_hire_share(ladder, groups[i]),
                "hire_share": None if few else plan.hire_share,
                "required_hire_share": plan.required_hire_share,
                "plan_status": "maintain" if in_zone else plan.plan_status,
                "status_words": _(MAINTAIN) if in_zone else _(PLAN_WORDS[plan.plan_status]),
                "reached_words": year_band(plan),
            }
        )
    group_header = {"grade": _("Grade"), "category": _("Category")}
    columns = (
        Column(scenario.by, group_header.get(scenario.by, scenario.by.capitalize())),
        *(
            Column(key, _(header).format(base=ladder.base_year, target=scenario.target_year), kind)
            for key, header, kind in PLAN_COLUMNS_BASE
        ),
    )
    hidden_groups = len(labels) - len(shown_idx)
    note = (
        plural(
            hidden_groups,
            "{n} group not shown (to protect small groups) left out",
            "{n} groups not shown (to protect small groups) left out",
        )
        if hidden_groups
        else ""
    )
    overall_zone = overall["parity_status"].iloc[0] == "parity"
    return PlanningView(
        True,
        summary_sentence(
            scope,
            scenario,
            ladder,
            total,
            everyone,
            overall_zone,
            few_appointments=rule.is_small(int(appointed.sum())),
        ),
        Chart(
            history,
            title_paths,
            note,
            extra={"paths": paths, "target_year": scenario.target_year, "by": scenario.by},
        ),
        Chart(total_history, title_fan, extra={"band": band, "target": target}),
        Table(table_title, columns, pd.DataFrame(rows), note, id="planning-required"),
        target_table,
        target_message,
    )


def _inputs_published(
    sel: Selection,
    flow_rows: pd.DataFrame,
    flow_mask: np.ndarray,
    ladder: Any,
    scenario: Scenario,
    rule: PrivacyRule,
) -> bool:
    """Whether every figure the grade-ladder model reads is in the public publication: the
    selection's people by grade in each year of the window, and its appointments, promotions
    and separations by grade in each of those years. The model computes from them alone: with
    one withheld, its results would carry it."""
    from parity.metrics import gender_counts

    first = ladder.base_year - scenario.window
    years = sel.frame["year"].to_numpy()
    stock = gender_counts(sel.frame, ("grade", "year"), sel.through_year & (years >= first))
    shown_stock = rule.protect(stock, ["grade", "year"], filters=sel.filters)
    if shown_stock[HIDDEN].notna().any():
        return False
    event_years = flow_rows["year"].to_numpy()
    for event in EVENTS:
        mask = flow_mask & (flow_rows["event"].astype(str).to_numpy() == event)
        events = flow_rows[mask & (event_years > first)]
        if events.empty:
            continue
        counts = (
            events.assign(women=np.where(events["gender"] == "F", events["count"], 0),
                          men=np.where(events["gender"] == "M", events["count"], 0),
                          other=np.where(events["gender"] == "X", events["count"], 0))
            .groupby(["grade", "year"], observed=True)[["women", "men", "other"]]
            .sum()
            .reset_index()
        )  # fmt: skip
        counts = counts[(counts["women"] + counts["men"] + counts["other"]) > 0]
        shown_events = rule.protect(counts, ["grade", "year"], filters=sel.filters, kind=event)
        if shown_events[HIDDEN].notna().any():
            return False
    return True


def _since(sel: Selection) -> np.ndarray:
    return sel.frame["year"].to_numpy() >= STRATEGY_START  # the Strategy's years


def summary_sentence(
    scope: str,
    scenario: Scenario,
    ladder: Any,
    total: Any,
    everyone: np.ndarray,
    in_zone: bool,
    few_appointments: bool = False,
) -> str:
    """The plan in words; the recent share of appointments is left out when it rests on 1 to
    min_cell - 1 appointments (``few_appointments``)."""
    needed = total.required_hire_share
    recent = recent_hire_share(ladder, everyone)
    text = (
        _(
            "Across {scope}, women's share is in the parity zone (47–53%): at parity — maintain."
        ).format(scope=scope)
        + " "
        if in_zone
        else ""
    )
    if needed is None:
        text += _(
            "To reach 50/50 across {scope} by {target}, hiring alone is not enough: even if "
            "every appointment went to a woman, women's share would stay below 50%."
        ).format(scope=scope, target=scenario.target_year)
    elif few_appointments:
        text += _(
            "To reach 50/50 across {scope} by {target}, {share} of appointments from {year} on "
            "must go to women."
        ).format(
            scope=scope,
            target=scenario.target_year,
            share=percent(needed, 0),
            year=ladder.base_year + 1,
        )
    else:
        text += _(
            "To reach 50/50 across {scope} by {target}, {share} of appointments from {year} on "
            "must go to women (recently {recent})."
        ).format(
            scope=scope,
            target=scenario.target_year,
            share=percent(needed, 0),
            year=ladder.base_year + 1,
            recent=percent(recent, 0),
        )
    text += " " + (
        _("Under this scenario, 50/50 is reached in {when}.").format(when=year_band(total))
        if total.projected_year_at_hire_share is not None
        else _("Under this scenario, 50/50 is not reached by 2100.")
    )
    return text


def targets_table(
    sel: Selection, targets: pd.DataFrame, rule: PrivacyRule, reference: Reference
) -> tuple[Table, str]:
    """Uploaded targets for the entities in the selection, with the latest share and progress.
    A group withheld on the Grades page (entity x grade, its latest year) is withheld here."""
    columns = TARGET_COLUMNS
    empty = pd.DataFrame(columns=[c.key for c in columns])
    if targets.empty:
        return Table(_("Progress against targets"), columns, empty), _(
            "No targets uploaded: the charts use the System-wide Strategy's path, a "
            "straight line from 2017 to 50% in 2028. Upload targets (entity, grade, "
            "year, target_share, margin) on the Data page."
        )
    entities = set(sel.filters.entity) if sel.filters.entity else None
    chosen = targets if entities is None else targets[targets["entity"].isin(entities)]
    if chosen.empty:
        return Table(_("Progress against targets"), columns, empty), _(
            "No uploaded targets for the entities in this selection."
        )
    cells = protected_table(sel, ["entity", "grade", "year"], sel.through_year, rule, reference)
    rows = []
    withheld = 0
    for (entity, grade), points in chosen.groupby(["entity", "grade"], sort=True):
        series = cells[(cells["entity"] == entity) & (cells["grade"] == grade)]
        if series.empty:
            continue
        latest = series[series["year"] == series["year"].max()].iloc[0]
        final = points.sort_values("year").iloc[-1]
        target_words = _("{target} ± {margin} by {year}").format(
            target=percent(final["target_share"], 0),
            margin=number(100 * float(final["margin"])),
            year=int(final["year"]),
        )
        if not missing(latest[HIDDEN]):
            withheld += 1
            continue
        start = series[(series["year"] == STRATEGY_START) & series[HIDDEN].isna()]
        start_share = float(start["women_share"].iloc[0]) if not start.empty else None
        path = target_path(
            points[["year", "target_share", "margin"]],
            start_share,
            range(int(latest["year"]), int(points["year"].max()) + 1),
        )
        share = float(latest["women_share"])
        status = progress(share, path, int(latest["year"]))
        rows.append(
            {
                "entity": entity,
                "grade": grade,
                "target_words": target_words,
                "latest_share": share,
                "latest_year": int(latest["year"]),
                "path_share": float(path.iloc[0]["target_share"]) if not path.empty else None,
                "progress": status,
                "progress_words": _(PROGRESS_WORDS.get(status or "", "—")),
            }
        )
    note = (
        plural(
            withheld,
            "{n} target of groups with too few people to show left out",
            "{n} targets of groups with too few people to show left out",
        )
        if withheld
        else ""
    )
    return (
        Table(
            _("Progress against targets"),
            columns,
            pd.DataFrame(rows, columns=[*empty.columns, "progress"]),
            note,
            id="planning-targets-table",
        ),
        "",
    )


__all__ = ["PlanningView", "Scenario", "percent", "planning"]
