"""Planning: what must change to reach 50/50 by the target year.

A scenario (target year, rate window, turnover, headcount growth, and for each staff category
a change in the share of women among appointments) drives the view (parity.views.planning); the
scenario lives in the URL like every filter. The page only turns the view model into
components."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, dcc, html

from parity import charts
from parity.charts.base import note_annotation
from parity.i18n import N_, _, number, percent
from parity.reference import STAFF_CATEGORIES
from parity.views.base import Table
from parity.views.planning.scenario import Scenario, slug
from parity.views.planning.view import PlanningView, planning
from parity.views.text import chart_table
from parity.web.app_query import search_update
from parity.web.components import (
    chart,
    chart_outputs,
    chart_values,
    dropdown,
    grid,
    grid_props,
    page_header,
)
from parity.web.source import Context

NAME, PATH, LABEL = "planning", "/planning", N_("Planning")
HIDDEN_STYLE = {"display": "none"}


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


def _labelled(label: str, control_id: str, control: Any, width: int) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control_id), control], xs=12, md=width)


def _hire_slider(category: str, scenario: Scenario) -> dbc.Col:
    """The share of women among a staff category's appointments, as an offset from the recent
    share (in points)."""
    marks = {-30: "−30", 0: _("recent"), 25: "+25", 50: _("{value} pp").format(value="+50")}
    slider = _slider(
        {"type": "planning-hire", "index": category},
        -30,
        50,
        5,
        scenario.offsets.get(category, 0.0),
        marks,
    )
    label = dbc.Label(
        category, html_for=f"planning-hire-{slug(category)}", className="small fw-semibold"
    )
    return dbc.Col([label, slider], xs=12, md=6, xl=4, className="mb-2")


def _scenario_row(scenario: Scenario) -> dbc.Row:
    """Target year, window of the recent rates, turnover, growth and the groups."""
    years = [{"label": str(y), "value": y} for y in range(2026, 2041)]
    target = dropdown(
        id="planning-target", options=years, value=scenario.target_year, clearable=False
    )
    window = _slider("planning-window", 1, 10, 1, scenario.window, {1: "1", 5: "5", 10: "10"})
    turnover_marks = {0.5: f"{number(0.5, 1)}×", 1: "1×", 1.5: f"{number(1.5, 1)}×"}
    turnover = _slider("planning-turnover", 0.5, 1.5, 0.1, scenario.turnover, turnover_marks)
    growth_marks = {-3: "−" + percent(0.03, 0), 0: "0", 5: "+" + percent(0.05, 0)}
    growth = _slider("planning-growth", -3, 5, 0.5, scenario.growth_pct, growth_marks)
    groups = dcc.RadioItems(
        id="planning-by",
        value=scenario.by,
        options=[
            {"label": _("Category"), "value": "category"},
            {"label": _("Grade"), "value": "grade"},
        ],
    )
    return dbc.Row(
        [
            _labelled(_("Target year"), "planning-target", target, 2),
            _labelled(_("Rates from the last … years"), "planning-window", window, 3),
            _labelled(_("Turnover (× recent)"), "planning-turnover", turnover, 3),
            _labelled(_("Headcount growth a year"), "planning-growth", growth, 2),
            _labelled(_("Groups"), "planning-by", groups, 2),
        ],
        className="mb-3",
    )


def _controls(scenario: Scenario) -> dbc.Card:
    heading = html.H2(
        _("Share of women among appointments, compared with the recent share"), className="h6"
    )
    sliders = dbc.Row([_hire_slider(category, scenario) for category in STAFF_CATEGORIES])
    return dbc.Card(
        dbc.CardBody([_scenario_row(scenario), heading, sliders]),
        className="mb-3 controls-card",
    )


def _grid_card(prefix: str, title: str, message: bool = False) -> dbc.Card:
    """A card with a title (``<prefix>-title``), a grid (``<prefix>-grid``), its note and, with
    ``message``, a line above the grid (``<prefix>-message``)."""
    title_id = "planning-table-title" if prefix == "planning" else f"{prefix}-title"
    note_id = "planning-table-note" if prefix == "planning" else f"{prefix}-note"
    parts: list[Any] = [html.H2(title, className="h5", id=title_id)]
    if message:
        parts.append(html.P(id=f"{prefix}-message"))
    parts += [grid(f"{prefix}-grid", rows=8), html.P(id=note_id, className="table-note small mt-2")]
    return dbc.Card(dbc.CardBody(parts), className="mb-3")


def layout(context: Context, query: str = "") -> html.Div:
    lead = _(
        "What must change to reach 50/50 by the target year: how many "
        "of the next appointments must go to women, at which levels."
    )
    # On a phone the result (the summary and the paths) comes before the controls, which fill
    # more than a screen; from medium widths on, the controls lead (Bootstrap's order classes).
    return html.Div(
        [
            page_header(_("Planning"), lead),
            html.Div(_controls(Scenario.from_query(query)), className="order-3 order-md-1"),
            html.Div(id="planning-summary", className="mb-3 order-1 order-md-2", role="status"),
            dbc.Row(
                [
                    dbc.Col(chart("planning-paths", "planning"), xs=12, xl=7),
                    dbc.Col(chart("planning-fan", "planning"), xs=12, xl=5),
                ],
                className="order-2 order-md-3",
            ),
            html.Div(
                [
                    _grid_card("planning", _("Required share of women among appointments")),
                    _grid_card("planning-targets", _("Progress against targets"), message=True),
                ],
                className="order-4",
            ),
        ],
        className="d-flex flex-column",
    )


def _note(table: Table) -> str:
    """What is said under a table: what it leaves out, or why it is empty."""
    if table.rows.empty:
        return table.note or table.empty
    return table.note


def _grid(table: Table, show: bool = True) -> list[Any]:
    """A table as a grid's columnDefs, rowData and style; hidden when there is nothing to show."""
    columns, rows, style = grid_props(table)
    return [columns, rows, style if show and rows else HIDDEN_STYLE]


def outputs(view: PlanningView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    if view.ready:
        summary = dbc.Alert(view.summary, color="info", id="planning-summary-text")
        extra = view.paths.extra
        paths = charts.plan_paths(
            view.paths.data,
            extra["paths"],  # type: ignore[arg-type]
            str(extra["by"]),
            view.paths.title,
            int(extra["target_year"]),  # type: ignore[call-overload]
        )
        if view.paths.note and not view.paths.data.empty:
            paths.update_layout(
                annotations=[*paths.layout.annotations, *note_annotation(view.paths.note)]
            )
        fan = charts.fan(
            view.fan.data,
            view.fan.extra["band"],  # type: ignore[arg-type]
            view.fan.extra.get("target"),  # type: ignore[arg-type]
            view.fan.title,
        )
    else:
        summary = dbc.Alert(view.summary, color="secondary")
        paths = charts.empty_figure(view.paths.title, str(view.paths.extra.get("message", "")))
        fan = charts.empty_figure(view.fan.title, str(view.fan.extra.get("message", "")))
    targets_shown = not view.targets_message
    return [
        summary,
        *chart_values(paths, chart_table(view.paths, view.summary if view.ready else "")),
        *chart_values(fan, chart_table(view.fan)),
        view.table.title,
        *_grid(view.table, view.ready),
        _note(view.table),
        view.targets.title,
        view.targets_message,
        *_grid(view.targets, targets_shown),
        _note(view.targets) if targets_shown else "",
    ]


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
    def to_url(*inputs: Any) -> Any:
        *scenario_controls, search = inputs
        scenario = Scenario.from_controls(*scenario_controls)
        return search_update(search, Scenario.keys(), scenario.pairs())

    grid_outputs = [
        Output(grid_id, prop)
        for grid_id in ("planning-grid", "planning-targets-grid")
        for prop in ("columnDefs", "rowData", "style")
    ]

    @app.callback(
        Output("planning-summary", "children"),
        *chart_outputs("planning-paths"),
        *chart_outputs("planning-fan"),
        Output("planning-table-title", "children"),
        *grid_outputs[:3],
        Output("planning-table-note", "children"),
        Output("planning-targets-title", "children"),
        Output("planning-targets-message", "children"),
        *grid_outputs[3:],
        Output("planning-targets-note", "children"),
        Input("filters", "data"),
        *controls,
    )
    def update(query: str | None, *scenario_controls: Any) -> list[Any]:
        request = context.request(query)  # the user, the rule and drafts, as on every page
        view = planning(
            request.frame,
            context.source.flows(),
            context.source.targets(),
            request.filters,
            Scenario.from_controls(*scenario_controls),
            request.rule,
            request.reference,
        )
        return outputs(view)


__all__ = ["LABEL", "NAME", "PATH", "Scenario", "layout", "outputs", "register"]
