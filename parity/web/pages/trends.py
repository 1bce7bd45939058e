"""Trends & projections: women's share by grade or category over time, each with its straight-
line projection to 50% and the projected year (window and method selectable)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
from dash import dcc

from parity import charts
from parity.i18n import N_, _
from parity.views.text import chart_table
from parity.views.trends import DEFAULT_WINDOW, trends
from parity.web.slots import Chart, Controls, DeclaredPage, Summary, Table
from parity.web.source import Context

GROUPINGS = [
    {"label": N_("Staff category"), "value": "category"},
    {"label": N_("Grade"), "value": "grade"},
]
METHODS = [
    {"label": N_("Average annual increment (UN reports)"), "value": "increment"},
    {"label": N_("Least squares, with 80% interval"), "value": "ols"},
]


def translated(options: list[dict[str, str]]) -> list[dict[str, str]]:
    """Radio options with their labels in the request's language."""
    return [{**option, "label": _(option["label"])} for option in options]


def _control(label: str, control_id: str, control: Any, width: int) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control_id), control], xs=12, md=width)


KEYS = frozenset({"trend_by", "trend_window", "trend_method"})
"""The URL parameters of the page's controls (beside the filters): a shared link opens the
same grouping, window and method."""


def from_query(query: str) -> tuple[str, int, str]:
    """The grouping, window and method a URL's query asks for (defaults for what it does not
    say or says wrongly)."""
    asked = {k: v[-1] for k, v in parse_qs(query.lstrip("?")).items()}
    by = asked.get("trend_by", "category")
    method = asked.get("trend_method", "increment")
    try:
        window = int(asked.get("trend_window", DEFAULT_WINDOW))
    except ValueError:
        window = DEFAULT_WINDOW
    return (
        by if by in ("category", "grade") else "category",
        window if 2 <= window <= 15 else DEFAULT_WINDOW,
        method if method in ("increment", "ols") else "increment",
    )


def controls(query: str = "") -> dbc.Card:
    """The grouping, the trend's window and the projection method, as the URL asks."""
    by_value, window_value, method_value = from_query(query)
    by = dcc.RadioItems(id="trends-by", options=translated(GROUPINGS), value=by_value, inline=True)
    window = dcc.Slider(
        id="trends-window",
        min=2,
        max=15,
        step=1,
        value=window_value,
        marks={i: str(i) for i in (2, 5, 10, 15)},
    )
    method = dcc.RadioItems(id="trends-method", options=translated(METHODS), value=method_value)
    row = dbc.Row(
        [
            _control(_("Group by"), "trends-by", by, 3),
            _control(_("Trend window (years)"), "trends-window", window, 4),
            _control(_("Method"), "trends-method", method, 5),
        ]
    )
    return dbc.Card(dbc.CardBody(row), className="mb-3 controls-card")


def options(by: str | None, window: int | None, method: str | None) -> dict[str, Any]:
    return {
        "by": by or "category",
        "window": int(window or DEFAULT_WINDOW),
        "method": method or "increment",
    }


def pairs(by: str | None, window: int | None, method: str | None) -> list[tuple[str, str]]:
    """The URL parameters of the controls' values; the defaults stay out of the URL."""
    chosen = options(by, window, method)
    found = []
    if chosen["by"] != "category":
        found.append(("trend_by", str(chosen["by"])))
    if chosen["window"] != DEFAULT_WINDOW:
        found.append(("trend_window", str(chosen["window"])))
    if chosen["method"] != "increment":
        found.append(("trend_method", str(chosen["method"])))
    return found


def _figure(view: Any) -> Any:
    horizon = view.chart.extra.get("horizon")
    return charts.projection_lines(
        view.chart.data,
        view.projections,
        view.by,
        view.chart.title,
        horizon=horizon if isinstance(horizon, int) else None,
        note=view.chart.note,
    )


LEAD = N_(
    "If recent trends continue, when does each level reach 50% women? Straight lines, "
    "stated plainly."
)
SLOTS = (
    Summary(lambda view: view.sentences["projections"]),
    Chart(
        "chart",
        "projection",
        _figure,
        lambda view: chart_table(view.chart, view.sentences["projections"]),
    ),
    Table(N_("Projected year of parity")),
)


def _ask(context: Context, query: str | None, options: dict[str, Any]) -> Any:
    """Trends by grade draw the headline scope's grades (PARITY_HEADLINE_SCOPE)."""
    return context.view(trends, query, **options, headline_scope=context.settings.headline_scope)


PAGE = DeclaredPage(
    "trends",
    "/trends",
    N_("Trends & projections"),
    LEAD,
    trends,
    SLOTS,
    controls=Controls(
        controls,
        (("trends-by", "value"), ("trends-window", "value"), ("trends-method", "value")),
        options,
        KEYS,
        pairs,
    ),
    ask=_ask,
)
