"""Entities: ranking by women's share and gap, a heatmap entity x grade, how many entities are
at parity each year, and the table of status and numbers needed per entity."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from parity import charts
from parity.filters import FilterState
from parity.i18n import N_, _
from parity.privacy import PrivacyRule
from parity.reference import Reference
from parity.views.entities import EntitiesView, entities, furthest_cells
from parity.views.text import chart_table
from parity.web.slots import Chart, DeclaredPage, Summary, Table
from parity.web.source import Context
from parity.wording import percent

RANKING = Chart(
    "ranking",
    "parity-status",
    lambda view: charts.share_bars(
        view.ranking.data, "entity", view.ranking.title, note=view.ranking.note
    ),
    lambda view: chart_table(view.ranking, view.sentences.get("ranking", "")),
)
HEATMAP = Chart(
    "heatmap",
    "women-share",
    lambda view: charts.share_heatmap(
        view.heatmap.data,
        "entity",
        "grade",
        view.heatmap.title,
        column_order=view.heatmap.extra.get("column_order"),
        note=view.heatmap.note,
    ),
    lambda view: chart_table(view.heatmap, pivot=("entity", "grade")),
    lambda view: _ranked(view),
)
COUNT = Chart(
    "count",
    "parity-status",
    lambda view: charts.parity_count_trend(view.count.data, view.count.title),
    lambda view: chart_table(view.count),
)


def _ranked(view: EntitiesView) -> list[Any]:
    """The heatmap on a phone: the entity and grade pairs with the fewest and the most women,
    a list each."""
    lowest, highest = furthest_cells(view.heatmap.data)

    def items(cells: pd.DataFrame) -> html.Ol:
        return html.Ol(
            [
                html.Li(
                    _("{entity}, {grade}: {share}").format(
                        entity=r["entity"], grade=r["grade"], share=percent(r["women_share"])
                    )
                )
                for _i, r in cells.iterrows()
            ],
            className="ranked-list",
        )

    if lowest.empty:
        return [html.P(_("No entity and grade has enough people to show its figures."))]
    parts: list[Any] = [
        html.H2(view.heatmap.title, className="h6 fw-semibold"),
        html.H3(_("Lowest women's share"), className="h6"),
        items(lowest),
    ]
    if not highest.empty:
        parts += [html.H3(_("Highest women's share"), className="h6"), items(highest)]
    return parts


LEAD = N_(
    "Which entities lead and which lag, at which grades, and how many are at parity each year."
)
SLOTS = (
    Summary(lambda view: view.sentences.get("ranking", "")),
    RANKING,
    HEATMAP,
    COUNT,
    Table(N_("Scorecard against the 2028 goal")),
)


def _ask(context: Context, query: str | None, options: dict[str, Any]) -> EntitiesView:
    """The Entities page with the uploaded targets (the scorecard's "Own targets")."""

    def build(
        frame: pd.DataFrame, filters: FilterState, rule: PrivacyRule, reference: Reference
    ) -> EntitiesView:
        return entities(frame, filters, rule, reference, targets=context.source.targets())

    return context.view(build, query)


PAGE = DeclaredPage("entities", "/entities", N_("Entities"), LEAD, entities, SLOTS, ask=_ask)
