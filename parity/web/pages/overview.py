"""Overview: the headline figures and the trend of women's share toward 50/50."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.analysis import headline, report, resolve_year, trend
from parity.filters import FilterState
from parity.privacy import fewer_than
from parity.web.components import chart, page_header, percent, signed_pp, stat
from parity.web.source import Context

NAME, PATH, LABEL = "overview", "/", "Overview"
STATS = ("share", "gap", "needed", "entities", "projection")


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                "Overview",
                "Where the selection stands on gender parity this year, and where the trend leads.",
            ),
            dcc.Store(id="overview-init", data=1),
            dbc.Row(
                [
                    dbc.Col(
                        stat("overview-share", "Women's share", "women-share"),
                        xs=12,
                        sm=6,
                        xl=True,
                        className="mb-3",
                    ),
                    dbc.Col(
                        stat("overview-gap", "Parity gap", "parity-gap"),
                        xs=12,
                        sm=6,
                        xl=True,
                        className="mb-3",
                    ),
                    dbc.Col(
                        stat("overview-needed", "Needed for parity", "women-needed"),
                        xs=12,
                        sm=6,
                        xl=True,
                        className="mb-3",
                    ),
                    dbc.Col(
                        stat("overview-entities", "Entities at parity", "parity-status"),
                        xs=12,
                        sm=6,
                        xl=True,
                        className="mb-3",
                    ),
                    dbc.Col(
                        stat("overview-projection", "Projected 50/50", "projection"),
                        xs=12,
                        sm=12,
                        xl=True,
                        className="mb-3",
                    ),
                ],
                className="stats-row",
            ),
            dbc.Row(
                [
                    dbc.Col(chart("overview-trend", "projection"), xs=12, xl=7),
                    dbc.Col(chart("overview-categories", "parity-status"), xs=12, xl=5),
                ]
            ),
        ]
    )


PROJECTION_HORIZON = 25  # years drawn past the latest; a later crossing is stated, not drawn


def _projection_line(h: Any) -> pd.DataFrame | None:
    """The projected straight line from the latest share, to 50% or to the horizon."""
    if h.projection_status != "projected" or h.projected_year is None or h.women_share is None:
        return None
    start = 100 * h.women_share
    end_year = min(h.projected_year, h.year + PROJECTION_HORIZON)
    end_share = min(50.0, start + h.annual_change_pp * (end_year - h.year))
    return pd.DataFrame({"year": [h.year, end_year], "share_pp": [start, end_share]})


def view(frame: pd.DataFrame, filters: FilterState, min_cell: int) -> dict[str, Any]:
    """Every output of the page for a selection: stat texts and the two figures."""
    filters = resolve_year(frame, filters)
    h = headline(frame, filters)
    scope = filters.describe(with_year=False)
    out: dict[str, Any] = {}
    small = 0 < h.total < min_cell
    if h.total == 0:
        for name in STATS:
            out[f"{name}-value"], out[f"{name}-note"] = "—", "No one matches this selection."
    elif small:
        for name in STATS:
            out[f"{name}-value"] = "—"
            out[f"{name}-note"] = f"{fewer_than(min_cell).capitalize()} people: not shown."
    else:
        out["share-value"] = percent(h.women_share)
        out["share-note"] = f"{h.women:,} women of {h.total:,} people in {h.year}"
        if h.other:
            out["share-note"] += f" ({h.other:,} other or not recorded)"
        out["gap-value"] = signed_pp(h.gap_pp)
        out["gap-note"] = {
            "parity": "At parity (47–53% women)",
            "women_under": "Women under-represented",
            "men_under": "Men under-represented",
        }.get(h.parity_status or "", "")
        if h.women_needed:
            out["needed-value"] = (
                f"{h.women_needed:,} {'woman' if h.women_needed == 1 else 'women'}"
            )
            out["needed-note"] = "positions moving from men to women, same headcount"
        elif h.men_needed:
            out["needed-value"] = f"{h.men_needed:,} {'man' if h.men_needed == 1 else 'men'}"
            out["needed-note"] = "positions moving from women to men, same headcount"
        else:
            out["needed-value"], out["needed-note"] = "0", "Already at parity"
        out["entities-value"] = f"{h.entities_at_parity} of {h.entities}"
        if h.entities_at_parity_before is None:
            out["entities-note"] = f"entities at parity in {h.year}"
        else:
            change = h.entities_at_parity - h.entities_at_parity_before
            out["entities-note"] = (
                f"{change:+d} since {(h.year or 0) - 1}"
                if change
                else f"unchanged since {(h.year or 0) - 1}"
            )
        status = h.projection_status
        if status == "reached":
            out["projection-value"], out["projection-note"] = "Reached", "women's share ≥ 50%"
        elif status == "projected":
            out["projection-value"] = str(h.projected_year)
            out["projection-note"] = f"at the 10-year trend ({h.annual_change_pp:+.2f} pp a year)"
        elif status == "not_at_current_trend":
            out["projection-value"] = "Not at current trend"
            out["projection-note"] = f"share flat or falling ({h.annual_change_pp:+.2f} pp a year)"
        else:
            out["projection-value"] = "—"
            out["projection-note"] = "Needs at least two years of data"

    series = trend(frame, filters)
    years = f"{series['year'].min()}–{series['year'].max()}" if not series.empty else ""
    out["trend"] = charts.share_trend(
        series,
        f"Women's share over time — {scope}, {years}".rstrip(", "),
        projected=None if small else _projection_line(h),
        min_cell=min_cell,
    )
    by_category = report(frame, filters, ["category"])
    out["categories"] = charts.share_bars(
        by_category,
        "category",
        f"Women's share by staff category — {filters.describe()}",
        min_cell=min_cell,
        sort=False,
    )
    return out


def register(app: Dash, context: Context) -> None:
    keys = [f"{n}-{part}" for n in STATS for part in ("value", "note")] + ["trend", "categories"]
    outputs = [
        Output(f"overview-{k}", "figure" if k in ("trend", "categories") else "children")
        for k in keys
    ]

    @app.callback(*outputs, Input("filters", "data"), Input("overview-init", "data"))
    def update(query: str | None, _init: int) -> list[Any]:
        result = view(context.source.frame(), FilterState.from_query(query or ""), context.min_cell)
        return [result[k] for k in keys]
