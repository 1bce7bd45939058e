"""Geography: women's share by UN regional group, region of nationality and nationality, and
the regional groups over time (issue 24)."""

from __future__ import annotations

import pandas as pd

from parity import charts
from parity.i18n import N_
from parity.views.geography import geography
from parity.views.text import chart_table
from parity.web.slots import Chart, DeclaredPage, Side, Summary, Table

GROUPS = Chart(
    "groups",
    "geography",
    lambda view: charts.share_bars(
        view.groups.data, "regional_group", view.groups.title, note=view.groups.note
    ),
    lambda view: chart_table(view.groups),
)
REGIONS = Chart(
    "regions",
    "geography",
    lambda view: charts.share_bars(
        view.regions.data, "nationality_region", view.regions.title, note=view.regions.note
    ),
    lambda view: chart_table(view.regions),
)
TREND = Chart(
    "trend",
    "geography",
    lambda view: charts.projection_lines(
        view.trend.data,
        pd.DataFrame(columns=["regional_group"]),
        "regional_group",
        view.trend.title,
        show_goal=False,
        note=view.trend.note,
    ),
    lambda view: chart_table(view.trend, view.sentences.get("trend", "")),
)
LEAD = N_(
    "Geography beside gender: women's share among the staff of each UN regional group, region "
    "and nationality, at the levels and entities chosen."
)
SLOTS = (
    Summary(lambda view: view.sentences.get("geography", "")),
    Side(((GROUPS, 6), (REGIONS, 6))),
    TREND,
    Table(N_("By nationality")),
)
PAGE = DeclaredPage("geography", "/geography", N_("Geography"), LEAD, geography, SLOTS)
