"""Grades: the pipeline from the bottom of the ladder to USG, the glass-ceiling index, and the
table of status and numbers needed per grade."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, html

from parity import charts
from parity.i18n import N_, _
from parity.views.grades import GradesView, grades
from parity.views.text import chart_table
from parity.web.components import (
    chart,
    chart_outputs,
    chart_values,
    page_header,
    stat_outputs,
    stat_parts,
    stat_row,
    table_card,
    table_outputs,
    table_values,
)
from parity.web.source import Context

NAME, PATH, LABEL = "grades", "/grades", N_("Grades")
CARDS = (  # in the order of the view's stats
    ("ceiling", N_("Glass-ceiling index"), "glass-ceiling"),
    ("top", N_("Women at D-1 and above"), "women-share"),
    ("parity", N_("Grades at parity"), "parity-status"),
)


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                _("Grades"),
                _(
                    "How women's representation changes up the ladder, and how "
                    "many people must move at each grade for parity."
                ),
                page="grades",
            ),
            stat_row("grades", CARDS, xs=12, md=4),
            html.P(id="grades-summary", className="summary-sentence"),
            chart("grades-pipeline", "pipeline"),
            table_card("grades", _("By grade")),
        ]
    )


def outputs(view: GradesView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    pipeline = charts.pipeline(view.pipeline.data, view.pipeline.title, note=view.pipeline.note)
    summary = view.sentences["pipeline"]
    return [
        *stat_parts(view.stats),
        summary,
        *chart_values(pipeline, chart_table(view.pipeline, view.sentences["grades"])),
        *table_values(view.table),
    ]


def register(app: Dash, context: Context) -> None:
    @app.callback(
        *stat_outputs("grades", CARDS),
        Output("grades-summary", "children"),
        *chart_outputs("grades-pipeline"),
        *table_outputs("grades"),
        Input("filters", "data"),
        Input("grades-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        return outputs(context.view(grades, query))
