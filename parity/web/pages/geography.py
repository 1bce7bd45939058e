"""Geography: women's share by UN regional group, region of nationality and nationality, and
the regional groups over time (issue 24)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Output, html

from parity import charts
from parity.i18n import N_
from parity.member_states import member_states, parameters
from parity.views.base import Table as ViewTable
from parity.views.geography import Ranges, geography
from parity.views.text import WRITERS, chart_table
from parity.web.slots import Chart, Custom, DeclaredPage, Side, Summary, Table
from parity.web.source import Context
from parity.wording import label


def _shares(name: str, dimension: str) -> Chart:
    """A chart slot of women's share by ``dimension``, from the view's chart ``name``."""
    return Chart(
        name,
        "geography",
        lambda view: charts.share_bars(
            getattr(view, name).data,
            dimension,
            getattr(view, name).title,
            note=getattr(view, name).note,
        ),
        lambda view: chart_table(getattr(view, name)),
    )


GROUPS = _shares("groups", "regional_group")
REGIONS = _shares("regions", "nationality_region")
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
    ).update_xaxes(dtick=1, tickformat="d"),  # a year a tick, however few the years
    lambda view: chart_table(view.trend, view.sentences.get("trend", "")),
)
LEAD = N_(
    "Geography beside gender: women's share among the staff of each UN regional group, region "
    "and nationality, at the levels and entities chosen."
)


def _card(name: str) -> Any:
    """A card of a small table (its title, its table) with the ids ``{page}-{name}``."""

    def card(page: str) -> Any:
        return dbc.Card(
            dbc.CardBody([html.H2(id=f"{page}-{name}-title", className="h5"),
                          html.Div(id=f"{page}-{name}")]),
            className="mb-3",
        )  # fmt: skip

    return card


def _levels(table: ViewTable) -> list[Any]:
    """The nationalities at each level as a small table (a row per staff category), or why it
    is empty."""
    if table.rows.empty:
        return [table.title, html.P(table.empty, className="table-note small")]
    numbers = ("count", "share")
    head = html.Thead(
        html.Tr(
            [
                html.Th(c.header, scope="col", className="num" if c.kind in numbers else None)
                for c in table.columns
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(
                        label(row[c.key]) if c.key in ("category", "nationality_region")
                        else WRITERS.get(c.kind, str)(row[c.key]),
                        className="num" if c.kind in numbers else None,
                    )
                    for c in table.columns
                ]
            )
            for _i, row in table.rows.iterrows()
        ]
    )  # fmt: skip
    return [table.title, dbc.Table([head, body], size="sm", className="chart-table")]


def _small_table(name: str) -> Custom:
    """The slot of the view's small table ``name`` (nationalities at each level, the senior
    levels by region)."""
    return Custom(
        _card(name),
        lambda page: [Output(f"{page}-{name}-title", "children"),
                      Output(f"{page}-{name}", "children")],
        lambda view: _levels(getattr(view, name)),
    )  # fmt: skip


LEVELS = _small_table("levels")
SENIOR = _small_table("senior")


def _ranges_card(page: str) -> Any:
    return html.Div(
        dbc.Card(dbc.CardBody([html.H2(id=f"{page}-ranges-title", className="h5"),
                               html.Div(id=f"{page}-ranges")]), className="mb-3"),
        id=f"{page}-ranges-card",
    )  # fmt: skip


def _ranges(view: Any) -> list[Any]:
    """The member states by status against their desirable ranges, when the organisation gave
    its member-state table (PARITY_MEMBER_STATES_FILE); else nothing."""
    if view.ranges is None:
        return ["", None, {"display": "none"}]
    return [*_levels(view.ranges), None]


RANGES = Custom(
    _ranges_card,
    lambda page: [
        Output(f"{page}-ranges-title", "children"),
        Output(f"{page}-ranges", "children"),
        Output(f"{page}-ranges-card", "style"),
    ],
    _ranges,
)


def _ask(context: Context, query: str | None, options: dict[str, Any]) -> Any:
    """The Geography page, with the desirable ranges when the organisation gave its member
    states (the settings: file, parameters, base and scope)."""
    settings = context.settings
    ranges = None
    if settings.member_states_file is not None:
        states = member_states(settings.member_states_file)
        params = parameters(settings.ranges_parameters, settings.ranges_base)
        ranges = Ranges(states, params, settings.ranges_scope)
    return context.view(geography, query, ranges=ranges)


SLOTS = (
    Summary(lambda view: view.sentences.get("geography", "")),
    Side(((GROUPS, 6), (REGIONS, 6))),
    TREND,
    Table(N_("By nationality")),
    Side(((LEVELS, 6), (SENIOR, 6))),
    RANGES,
)
PAGE = DeclaredPage("geography", "/geography", N_("Geography"), LEAD, geography, SLOTS, ask=_ask)
