"""Overview: the headline figures and the trend of women's share toward 50/50."""

from __future__ import annotations

from parity import charts
from parity.i18n import N_
from parity.views.overview import overview
from parity.views.text import chart_table
from parity.web.slots import Chart, DeclaredPage, Side, Stats, Summary

CARDS = (  # in the order of the view's stats
    ("share", N_("Women's share"), "women-share"),
    ("gap", N_("Parity gap"), "parity-gap"),
    ("needed", N_("Needed for parity"), "women-needed"),
    ("entities", N_("Entities at parity"), "parity-status"),
    ("projection", N_("Projected 50/50"), "projection"),
)

TREND = Chart(
    "trend",
    "projection",
    lambda view: charts.share_trend(
        view.trend.data,
        view.trend.title,
        projected=view.trend.extra.get("projected"),
        note=view.trend.note,
    ),
    lambda view: chart_table(view.trend, view.sentences["trend"]),
)
CATEGORIES = Chart(
    "categories",
    "parity-status",
    lambda view: charts.share_bars(
        view.categories.data,
        "category",
        view.categories.title,
        note=view.categories.note,
        sort=False,
    ),
    lambda view: chart_table(view.categories, view.sentences["categories"]),
)
AGE_BANDS = Chart(
    "age-bands",
    "women-share",
    lambda view: charts.share_bars(
        view.age_bands.data, "age_band", view.age_bands.title, note=view.age_bands.note, sort=False
    ),
    lambda view: chart_table(view.age_bands),
)

LEAD = N_("Where the selection stands on gender parity this year, and where the trend leads.")
SLOTS = (
    Stats(CARDS, {"xs": 12, "sm": 6, "xl": True}, labels=("entities",)),
    Summary(
        lambda view: " ".join(s for s in (view.sentences["headline"], view.sentences["trend"]) if s)
    ),
    Side(((TREND, 7), (CATEGORIES, 5))),
    Side(((AGE_BANDS, 7),)),
)
PAGE = DeclaredPage("overview", "/", N_("Overview"), LEAD, overview, SLOTS)
