"""Chart functions: a view model's data in, a plotly Figure out. No Dash, no database.

The same functions draw the dashboard and the briefings, split by family: shares (by year, grade,
group), maps (two dimensions, the world map), projections and plans, flows. They draw what they
are given: the privacy rule was applied by the view that made the data (parity.views)."""

from parity.charts.base import GOAL_YEAR, empty_figure
from parity.charts.flows import flow_shares, rates_by_gender
from parity.charts.maps import share_heatmap, station_map
from parity.charts.projections import fan, plan_paths, projection_lines
from parity.charts.shares import (
    parity_count_trend,
    pipeline,
    share_bars,
    share_trend,
    women_men_bars,
)

__all__ = [
    "GOAL_YEAR",
    "empty_figure",
    "fan",
    "flow_shares",
    "parity_count_trend",
    "pipeline",
    "plan_paths",
    "projection_lines",
    "rates_by_gender",
    "share_bars",
    "share_heatmap",
    "share_trend",
    "station_map",
    "women_men_bars",
]
