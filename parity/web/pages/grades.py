"""Grades: the pipeline from the bottom of the ladder to USG, the glass-ceiling index, and the
table of status and numbers needed per grade."""

from __future__ import annotations

from parity import charts
from parity.i18n import N_
from parity.views.grades import grades
from parity.views.text import chart_table
from parity.web.slots import Chart, DeclaredPage, Stats, Summary, Table

CARDS = (  # in the order of the view's stats
    ("ceiling", N_("Glass-ceiling index"), "glass-ceiling"),
    ("top", N_("Women at D-1 and above"), "women-share"),
    ("parity", N_("Grades at parity"), "parity-status"),
)

PIPELINE = Chart(
    "pipeline",
    "pipeline",
    lambda view: charts.pipeline(view.pipeline.data, view.pipeline.title, note=view.pipeline.note),
    lambda view: chart_table(view.pipeline, view.sentences["grades"]),
)

LEAD = N_(
    "How women's representation changes up the ladder, and how many people must move at "
    "each grade for parity."
)
SLOTS = (
    Stats(CARDS),
    Summary(lambda view: view.sentences["pipeline"]),
    PIPELINE,
    Table(N_("By grade")),
)
PAGE = DeclaredPage("grades", "/grades", N_("Grades"), LEAD, grades, SLOTS)
