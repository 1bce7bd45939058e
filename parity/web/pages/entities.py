"""Entities: ranking by women's share and gap, a heatmap entity x grade, how many entities are
at parity each year, and the table of status and numbers needed per entity."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, html

from parity import charts
from parity.i18n import N_, _
from parity.views.entities import EntitiesView, entities
from parity.views.text import chart_table
from parity.web.components import (
    chart,
    chart_outputs,
    chart_values,
    page_header,
    table_card,
    table_outputs,
    table_values,
)
from parity.web.source import Context

NAME, PATH, LABEL = "entities", "/entities", N_("Entities")
CHARTS = ("ranking", "heatmap", "count")


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                _("Entities"),
                _(
                    "Which entities lead and which lag, at which grades, and "
                    "how many are at parity each year."
                ),
                page="entities",
            ),
            html.P(id="entities-summary", className="summary-sentence"),
            chart("entities-ranking", "parity-status"),
            chart("entities-heatmap", "women-share"),
            chart("entities-count", "parity-status"),
            table_card("entities", _("By entity")),
        ]
    )


def outputs(view: EntitiesView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    ranking = charts.share_bars(
        view.ranking.data, "entity", view.ranking.title, note=view.ranking.note
    )
    heatmap = charts.share_heatmap(
        view.heatmap.data,
        "entity",
        "grade",
        view.heatmap.title,
        column_order=view.heatmap.extra.get("column_order"),  # type: ignore[arg-type]
        note=view.heatmap.note,
    )
    count = charts.parity_count_trend(view.count.data, view.count.title)
    summary = view.sentences.get("ranking", "")
    return [
        summary,
        *chart_values(ranking, chart_table(view.ranking, summary)),
        *chart_values(heatmap, chart_table(view.heatmap, pivot=("entity", "grade"))),
        *chart_values(count, chart_table(view.count)),
        *table_values(view.table),
    ]


def register(app: Dash, context: Context) -> None:
    @app.callback(
        Output("entities-summary", "children"),
        *[o for name in CHARTS for o in chart_outputs(f"entities-{name}")],
        *table_outputs("entities"),
        Input("filters", "data"),
        Input("entities-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        return outputs(context.view(entities, query))
