"""Planning: what must change to reach 50/50 by the target year.

A scenario (target year, rate window, turnover, headcount growth, and for each staff category
a change in the share of women among appointments) drives the engine's grade-ladder model; the
scenario lives in the URL like every filter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import ALL, Dash, Input, Output, State, dcc, html, no_update

from parity import charts
from parity.analysis import trend
from parity.filters import FilterState
from parity.planning import estimate_ladder, plan_groups, recent_hire_share
from parity.projections import share_by_year
from parity.reference import STAFF_CATEGORIES, Reference
from parity.targets import STRATEGY_START, progress, target_path
from parity.web.app_query import with_query
from parity.web.components import chart, page_header
from parity.web.source import Context

NAME, PATH, LABEL = "planning", "/planning", "Planning"
# The page answers within a callback budget: fewer runs (250) and a shorter run horizon than the
# `parity plan` command (1,000 runs, 30 years past the target), so its band is a coarser
# estimate; the command gives the reference figures.
RUNS = 250
RUN_HORIZON = 12
STATUS_WORDS = {
    "on_track": "On track",
    "feasible": "Needs more women hired",
    "infeasible": "Out of reach by hiring alone",
}
PROGRESS_WORDS = {"on_target": "On target", "behind": "Behind", "ahead": "Ahead"}


def slug(category: str) -> str:
    return re.sub(r"[^a-z]+", "-", category.lower()).strip("-")


@dataclass(frozen=True)
class Scenario:
    """A planning scenario; parameters at their default are left out of the URL."""

    target_year: int = 2028
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
            target_year=int(number("target", 2028, 2026, 2060)),
            window=int(number("window", 5, 1, 15)),
            turnover=number("turnover", 1.0, 0.2, 3.0),
            growth_pct=number("growth", 0.0, -10, 10),
            by="grade" if values.get("plan_by") == "grade" else "category",
            offsets={c: v for c, v in offsets.items() if v},
        )


def _slider(
    id_: Any, low: float, high: float, step: float, value: float, marks: dict[Any, str]
) -> dcc.Slider:
    return dcc.Slider(
        id=id_,
        min=low,
        max=high,
        step=step,
        value=value,
        marks=marks,
        tooltip={"placement": "bottom", "always_visible": False},
    )


def layout(context: Context, query: str = "") -> html.Div:
    scenario = Scenario.from_query(query)
    years = [{"label": str(y), "value": y} for y in range(2026, 2041)]
    hire_sliders = [
        dbc.Col(
            [
                dbc.Label(
                    category,
                    html_for=f"planning-hire-{slug(category)}",
                    className="small fw-semibold",
                ),
                _slider(
                    {"type": "planning-hire", "index": category},
                    -30,
                    50,
                    5,
                    scenario.offsets.get(category, 0.0),
                    {-30: "−30", 0: "recent", 25: "+25", 50: "+50 pp"},
                ),
            ],
            xs=12,
            md=6,
            xl=4,
            className="mb-2",
        )
        for category in STAFF_CATEGORIES
    ]
    controls = dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label("Target year", html_for="planning-target"),
                                dcc.Dropdown(
                                    id="planning-target",
                                    options=years,
                                    value=scenario.target_year,
                                    clearable=False,
                                ),
                            ],
                            xs=12,
                            md=2,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(
                                    "Rates from the last … years", html_for="planning-window"
                                ),
                                _slider(
                                    "planning-window",
                                    1,
                                    10,
                                    1,
                                    scenario.window,
                                    {1: "1", 5: "5", 10: "10"},
                                ),
                            ],
                            xs=12,
                            md=3,
                        ),
                        dbc.Col(
                            [
                                dbc.Label("Turnover (× recent)", html_for="planning-turnover"),
                                _slider(
                                    "planning-turnover",
                                    0.5,
                                    1.5,
                                    0.1,
                                    scenario.turnover,
                                    {0.5: "0.5×", 1: "1×", 1.5: "1.5×"},
                                ),
                            ],
                            xs=12,
                            md=3,
                        ),
                        dbc.Col(
                            [
                                dbc.Label("Headcount growth a year", html_for="planning-growth"),
                                _slider(
                                    "planning-growth",
                                    -3,
                                    5,
                                    0.5,
                                    scenario.growth_pct,
                                    {-3: "−3%", 0: "0", 5: "+5%"},
                                ),
                            ],
                            xs=12,
                            md=2,
                        ),
                        dbc.Col(
                            [
                                dbc.Label("Groups", html_for="planning-by"),
                                dcc.RadioItems(
                                    id="planning-by",
                                    value=scenario.by,
                                    options=[
                                        {"label": "Category", "value": "category"},
                                        {"label": "Grade", "value": "grade"},
                                    ],
                                ),
                            ],
                            xs=12,
                            md=2,
                        ),
                    ],
                    className="mb-3",
                ),
                html.H2(
                    "Share of women among appointments, compared with the recent share",
                    className="h6",
                ),
                dbc.Row(hire_sliders),
            ]
        ),
        className="mb-3 controls-card",
    )
    return html.Div(
        [
            page_header(
                "Planning",
                "What must change to reach 50/50 by the target year: how many "
                "of the next appointments must go to women, at which levels.",
            ),
            controls,
            html.Div(id="planning-summary", className="mb-3", role="status"),
            dbc.Row(
                [
                    dbc.Col(chart("planning-paths", "planning"), xs=12, xl=7),
                    dbc.Col(chart("planning-fan", "planning"), xs=12, xl=5),
                ]
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(
                            "Required share of women among appointments",
                            className="h5",
                            id="planning-table-title",
                        ),
                        html.Div(id="planning-table"),
                    ]
                ),
                className="mb-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("Progress against targets", className="h5"),
                        html.Div(id="planning-targets"),
                    ]
                ),
                className="mb-3",
            ),
        ]
    )


def _pct(value: float | None) -> str:
    return "—" if value is None or pd.isna(value) else f"{100 * value:.1f}%"


def _year_band(plan: Any) -> str:
    if plan.projected_year_at_hire_share is None:
        text = "not by 2100"
    else:
        text = str(plan.projected_year_at_hire_share)
    low, high = plan.projected_year_low, plan.projected_year_high
    if low is not None or high is not None:
        text += f" (80%: {low or '—'}–{high or 'after 2100'})"
    return text


def view(
    frame: pd.DataFrame,
    flows: pd.DataFrame,
    targets: pd.DataFrame,
    reference: Reference,
    filters: FilterState,
    scenario: Scenario,
    min_cell: int,
) -> dict[str, Any]:
    scope = filters.describe(with_year=False)
    stock_mask = filters.mask(frame, use_year=False)
    flow_mask = filters.mask(flows, use_year=False)
    if filters.year is not None:
        stock_mask &= frame["year"].to_numpy() <= filters.year
        flow_mask &= flows["year"].to_numpy() <= filters.year
    ladder = (
        estimate_ladder(
            frame,
            flows,
            reference,
            stock_mask=stock_mask,
            flow_mask=flow_mask,
            window=scenario.window,
        )
        if not flows.empty
        else None
    )
    title_paths = f"Women's share under the scenario — {scope}"
    title_fan = f"All levels: range of simulated futures — {scope}"
    if ladder is None or ladder.base_year >= scenario.target_year:
        short = "No flow data for this selection." if ladder is None else "Choose a later target."
        reason = (
            "No flow data for this selection: import appointments, promotions and "
            "separations on the Data page."
            if ladder is None
            else f"The data already reach {ladder.base_year}: choose a later target."
        )
        return {
            "summary": dbc.Alert(reason, color="secondary"),
            "paths": charts.empty_figure(title_paths, short),
            "fan": charts.empty_figure(title_fan, short),
            "table-title": "Required share of women among appointments",
            "table": html.P(reason),
            "targets": html.P("—"),
        }

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
    plans = plan_groups(
        ladder,
        [*groups, everyone],
        scenario.target_year,
        hire_share=hire,
        runs=RUNS,
        mc_horizon=RUN_HORIZON,
        turnover=scenario.turnover,
        growth=scenario.growth_pct / 100,
    )
    *group_plans, total = plans
    people = {label: float(ladder.stock[m].sum()) for label, m in zip(labels, groups, strict=True)}
    shown = [i for i, label in enumerate(labels) if not 0 < people[label] < min_cell]

    since = frame["year"].to_numpy() >= STRATEGY_START  # the Strategy's years
    history = share_by_year(frame, [scenario.by], stock_mask & since)
    history = history[history[scenario.by].isin([labels[i] for i in shown])]
    paths = pd.DataFrame(
        [
            {scenario.by: labels[i], "year": year, "women_share": share}
            for i in shown
            for year, share in group_plans[i].path
        ],
        columns=[scenario.by, "year", "women_share"],
    )
    total_history = trend(frame, filters)
    total_history = total_history[total_history["year"] >= STRATEGY_START]
    start = total_history[total_history["year"] == STRATEGY_START]
    start_share = float(start["women_share"].iloc[0]) if not start.empty else None
    target = target_path(
        pd.DataFrame(columns=["year", "target_share", "margin"]),
        start_share,
        range(STRATEGY_START, scenario.target_year + 1),
    )
    band = pd.DataFrame(total.band, columns=["year", "low", "median", "high"])
    band = band[band["year"] <= max(scenario.target_year, ladder.base_year + 5)]

    rows = []
    for i in shown:
        plan = group_plans[i]
        rows.append(
            html.Tr(
                [
                    html.Td(labels[i]),
                    html.Td(_pct(plan.women_share), className="num"),
                    html.Td(_pct(recent_hire_share(ladder, groups[i])), className="num"),
                    html.Td(_pct(plan.hire_share), className="num"),
                    html.Td(_pct(plan.required_hire_share), className="num fw-semibold"),
                    html.Td(STATUS_WORDS[plan.plan_status], className=f"plan {plan.plan_status}"),
                    html.Td(_year_band(plan)),
                ]
            )
        )
    table = dbc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th(scenario.by.capitalize()),
                        html.Th(f"Women {ladder.base_year}", className="num"),
                        html.Th("Recent share of appointments", className="num"),
                        html.Th("Scenario share", className="num"),
                        html.Th(f"Needed for 50% in {scenario.target_year}", className="num"),
                        html.Th("Status"),
                        html.Th("50% reached (scenario)"),
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        id="planning-required",
        size="sm",
        hover=True,
        responsive=True,
        className="metrics-table",
    )

    needed = total.required_hire_share
    summary_text = (
        f"To reach 50% women across {scope} by {scenario.target_year}, "
        + (
            f"{100 * needed:.0f}% of appointments from {ladder.base_year + 1} on must go to "
            f"women (recently {100 * recent_hire_share(ladder, everyone):.0f}%)."
            if needed is not None
            else "hiring alone is not enough: even if every appointment "
            "went to a woman, women's share would stay below 50%."
        )
        + (
            f" Under this scenario, 50% is reached in {_year_band(total)}."
            if total.projected_year_at_hire_share is not None
            else " Under this scenario, 50% is not reached by 2100."
        )
    )
    return {
        "summary": dbc.Alert(summary_text, color="info", id="planning-summary-text"),
        "paths": charts.plan_paths(history, paths, scenario.by, title_paths, scenario.target_year),
        "fan": charts.fan(total_history, band, target, title_fan),
        "table-title": (
            f"Required share of women among appointments — {scope} ({scenario.window}-year rates)"
        ),
        "table": table,
        "targets": targets_table(frame, targets, filters, stock_mask),
    }


def targets_table(
    frame: pd.DataFrame, targets: pd.DataFrame, filters: FilterState, stock_mask: np.ndarray
) -> Any:
    """Uploaded targets for the entities in the selection, with the latest share and status."""
    from parity.metrics import gender_counts

    if targets.empty:
        return html.P(
            "No targets uploaded: the charts use the System-wide Strategy's path, a "
            "straight line from 2017 to 50% in 2028. Upload targets (entity, grade, "
            "year, target_share, margin) on the Data page."
        )
    entities = set(filters.entity) if filters.entity else None
    chosen = targets if entities is None else targets[targets["entity"].isin(entities)]
    if chosen.empty:
        return html.P("No uploaded targets for the entities in this selection.")
    counts = gender_counts(frame, ["entity", "grade", "year"], stock_mask)
    counts["share"] = counts["women"] / (counts["women"] + counts["men"]).where(lambda s: s > 0)
    rows = []
    for (entity, grade), points in chosen.groupby(["entity", "grade"], sort=True):
        series = counts[(counts["entity"] == entity) & (counts["grade"] == grade)]
        if series.empty:
            continue
        latest = series[series["year"] == series["year"].max()].iloc[0]
        start = series[series["year"] == STRATEGY_START]
        start_share = float(start["share"].iloc[0]) if not start.empty else None
        path = target_path(
            points[["year", "target_share", "margin"]],
            start_share,
            range(int(latest["year"]), int(points["year"].max()) + 1),
        )
        status = progress(float(latest["share"]), path, int(latest["year"]))
        final = points.sort_values("year").iloc[-1]
        rows.append(
            html.Tr(
                [
                    html.Td(str(entity)),
                    html.Td(str(grade)),
                    html.Td(
                        f"{100 * final['target_share']:.0f}% ± {100 * final['margin']:.0f} by "
                        f"{int(final['year'])}"
                    ),
                    html.Td(f"{_pct(latest['share'])} ({int(latest['year'])})", className="num"),
                    html.Td(
                        _pct(path.iloc[0]["target_share"]) if not path.empty else "—",
                        className="num",
                    ),
                    html.Td(PROGRESS_WORDS.get(status or "", "—"), className=f"progress-{status}"),
                ]
            )
        )
    return dbc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th("Entity"),
                        html.Th("Grade"),
                        html.Th("Target"),
                        html.Th("Latest", className="num"),
                        html.Th("Path this year", className="num"),
                        html.Th("Status"),
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        id="planning-targets-table",
        size="sm",
        hover=True,
        responsive=True,
        className="metrics-table",
    )


def scenario_from_controls(
    target: Any, window: Any, turnover: Any, growth: Any, by: Any, offsets: list[Any]
) -> Scenario:
    return Scenario(
        target_year=int(target or 2028),
        window=int(window or 5),
        turnover=float(turnover if turnover is not None else 1.0),
        growth_pct=float(growth or 0.0),
        by=by or "category",
        offsets={c: float(v) for c, v in zip(STAFF_CATEGORIES, offsets, strict=False) if v},
    )


def register(app: Dash, context: Context) -> None:
    controls = [
        Input("planning-target", "value"),
        Input("planning-window", "value"),
        Input("planning-turnover", "value"),
        Input("planning-growth", "value"),
        Input("planning-by", "value"),
        Input({"type": "planning-hire", "index": ALL}, "value"),
    ]

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        *controls,
        State("url", "search"),
        prevent_initial_call=True,
    )
    def to_url(
        target: Any,
        window: Any,
        turnover: Any,
        growth: Any,
        by: Any,
        offsets: list[Any],
        search: str | None,
    ) -> Any:
        scenario = scenario_from_controls(target, window, turnover, growth, by, offsets)
        new = with_query(search, Scenario.keys(), scenario.pairs())
        return new if new != (search or "") else no_update

    @app.callback(
        Output("planning-summary", "children"),
        Output("planning-paths", "figure"),
        Output("planning-fan", "figure"),
        Output("planning-table-title", "children"),
        Output("planning-table", "children"),
        Output("planning-targets", "children"),
        Input("filters", "data"),
        *controls,
    )
    def update(
        query: str | None,
        target: Any,
        window: Any,
        turnover: Any,
        growth: Any,
        by: Any,
        offsets: list[Any],
    ) -> list[Any]:
        scenario = scenario_from_controls(target, window, turnover, growth, by, offsets)
        source = context.source
        result = view(
            source.frame(),
            source.flows(),
            source.targets(),
            source.reference(),
            FilterState.from_query(query or ""),
            scenario,
            context.min_cell,
        )
        return [result[k] for k in ("summary", "paths", "fan", "table-title", "table", "targets")]
