"""The filter panel: its controls (year, HQ or field, and one multiple choice for each dimension),
how they map to a FilterState and back, and the callbacks that keep the panel, the URL's query
string and the ``filters`` store in step and offer what the store holds after an upload."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from parity.filters import FilterState
from parity.i18n import N_, _
from parity.scopes import all_scopes
from parity.web import briefing_menu
from parity.web.app_query import FILTER_KEYS, search_update
from parity.web.components import dropdown
from parity.web.language import with_language
from parity.web.source import DataSource, FilterOptions
from parity.wording import label as derived_label

MULTI_FILTERS = (
    ("entity", N_("Entity")),
    ("country", N_("Country (UN country team)")),
    ("duty_station", N_("Duty station")),
    ("region", N_("Region")),
    ("grade", N_("Grade")),
    ("category", N_("Staff category")),
    ("age_band", N_("Age band")),
    ("contract_type", N_("Contract type")),
    ("personnel_type", N_("Personnel type")),
    ("regional_group", N_("UN regional group")),
    ("nationality", N_("Nationality")),
)
LOCATION_CHOICES = (("", N_("All")), ("HQ", N_("HQ")), ("Field", N_("Field")))
PLACEHOLDERS = {  # what an empty filter keeps, each its own message (French agrees in gender)
    "entity": N_("All entities"),
    "country": N_("All countries"),
    "duty_station": N_("All duty stations"),
    "region": N_("All regions"),
    "grade": N_("All grades"),
    "category": N_("All categories"),
    "age_band": N_("All age bands"),
    "contract_type": N_("All types"),
    "personnel_type": N_("All types"),
    "regional_group": N_("All groups"),
    "nationality": N_("All nationalities"),
}
CONTROL_IDS = ["filter-year", "filter-location", *[f"filter-{d}" for d, _label in MULTI_FILTERS]]
"""The panel's controls, in the order of state_from_controls' arguments."""


def _year_options(options: FilterOptions) -> tuple[list[dict[str, Any]], str]:
    years = [{"label": str(y), "value": y} for y in reversed(options.years)]
    latest = _("Latest ({year})").format(year=options.years[-1]) if options.years else None
    return years, latest or _("No data yet")


def _hidden(values: list[str]) -> bool:
    """A filter with nothing to choose from (no data, or a single value) is hidden."""
    return len(values) < 2


def _filter(name: str, label: str, control: Any, **wrap: Any) -> html.Div:
    """One filter of the panel: its label and control (id ``filter-<name>``), in a wrapper
    (``filter-<name>-wrap``) that hides a filter with nothing to choose from."""
    return html.Div(
        [dbc.Label(_(label), html_for=f"filter-{name}"), control],
        id=f"filter-{name}-wrap",
        className="filter",
        **wrap,
    )


def _controls(options: FilterOptions) -> list[Any]:
    """The panel's filters, with their options (part of the first render: a dropdown drops a
    value it has no option for, so options arriving after the URL's selection would erase it)."""
    years, latest = _year_options(options)
    controls: list[Any] = [
        _filter(
            "year",
            N_("Year"),
            dropdown(id="filter-year", options=years, placeholder=latest, clearable=True),
        ),
        _filter(
            "location",
            N_("Duty stations"),
            dcc.RadioItems(
                id="filter-location",
                options=[{"label": _(label), "value": value} for value, label in LOCATION_CHOICES],
                value="",
                inline=True,
                className="location-choice",
            ),
            hidden=_hidden(options.values["location"]),
        ),
    ]
    for dimension, label in MULTI_FILTERS:
        control = dropdown(
            id=f"filter-{dimension}",
            multi=True,
            placeholder=_(PLACEHOLDERS.get(dimension, "All")),
            value=[],
            options=_choices(dimension, options.values[dimension]),
        )
        controls.append(
            _filter(dimension, label, control, hidden=_hidden(options.values[dimension]))
        )
    return controls


SCOPE_PREFIX = "scope:"
"""A named scope among the grade filter's choices: its value is the scope's key after this."""


def _choices(dimension: str, values: list[Any]) -> list[Any]:
    """A multiple choice's options; the grade filter offers the named scopes first (P-4 and
    above in one choice, not six), then each grade."""
    if dimension == "regional_group":  # derived by parity: in the reader's language
        return [{"label": derived_label(v), "value": v} for v in values]
    if dimension != "grade" or not values:
        return values
    scopes = [
        {"label": _(s.label), "value": SCOPE_PREFIX + s.key} for s in all_scopes() if s.key != "all"
    ]
    return [*scopes, *({"label": str(v), "value": v} for v in values)]


def filter_panel(options: FilterOptions) -> html.Details:
    """The panel: its filters, then the briefing menu, "Reset filters" and "Copy link"."""
    return html.Details(
        [
            html.Summary(_("Filters"), className="filters-summary"),
            html.Div(_controls(options), className="filters-body"),
            html.Div(
                [
                    briefing_menu.component(),
                    dcc.Link(
                        _("Reset filters"),
                        id="filters-reset",
                        href=with_language("/", ""),
                        className="btn btn-outline-secondary btn-sm",
                    ),
                    dcc.Clipboard(
                        id="copy-link",
                        title=_("Copy a link to this view"),
                        className="btn btn-outline-primary btn-sm copy-link",
                        children=_("Copy link"),
                    ),
                ],
                className="filters-actions",
            ),
        ],
        open=True,
        className="filters-panel",
        id="filters-panel",
    )


def state_from_controls(year: Any, location: Any, values: list[Any]) -> FilterState:
    """The FilterState the panel's controls describe."""
    selection: dict[str, list[str]] = {}
    if year not in (None, ""):
        selection["year"] = [str(year)]
    if location:
        selection["location"] = [str(location)]
    for (dimension, _label), chosen in zip(MULTI_FILTERS, values, strict=True):
        if dimension == "grade" and chosen:
            # a scope or grades, the last choice wins: a scope chosen replaces the grades,
            # a grade chosen after a scope replaces the scope
            last = str(chosen[-1])
            if last.startswith(SCOPE_PREFIX):
                selection["scope"] = [last.removeprefix(SCOPE_PREFIX)]
                continue
            chosen = [v for v in chosen if not str(v).startswith(SCOPE_PREFIX)]
        if chosen:
            selection[dimension] = [str(v) for v in chosen]
    return FilterState.from_mapping(selection, strict=False)


def controls_from_state(state: FilterState) -> list[Any]:
    """Inverse of state_from_controls: values for year, location and each multi filter."""
    location = state.location[0] if len(state.location) == 1 else ""
    chosen = {d: list(getattr(state, d)) for d, _label in MULTI_FILTERS}
    if state.scope:
        chosen["grade"] = [SCOPE_PREFIX + state.scope]
    return [state.year, location, *chosen.values()]


def sync_filters(
    search: str | None, trigger: str | None, controls: list[Any], current: str | None = None
) -> list[Any]:
    """Keep URL, filter store and panel in step. Returns [search, filters, *controls].

    From the URL (page load, back button, shared link): set the panel from the query string.
    From the panel: write the selection into the URL (a history entry, so back works), keeping
    the parameters that are not filters."""
    keep = [no_update] * len(controls)
    if trigger in (None, "url"):
        state = FilterState.from_query(search or "")
        query = state.to_query()
        if query == current:  # only a page's own parameters changed
            return [no_update, no_update, *keep]
        return [no_update, query, *controls_from_state(state)]
    state = state_from_controls(controls[0], controls[1], list(controls[2:]))
    query = state.to_query()
    new_search = search_update(search, FILTER_KEYS, parse_qsl(query))
    # the panel shows what the selection is (a scope chosen after grades replaces them)
    shown = controls_from_state(state)
    panel = [v if v != c else no_update for v, c in zip(shown, controls, strict=True)]
    panel[:2] = keep[:2]  # the year and location controls say what they said
    store = query if current is None or query != current else no_update  # pages run once
    return [new_search, store, *panel]


def register(app: Dash, source: DataSource) -> None:
    """The panel's callbacks: URL, store and controls in step (sync_filters); the options
    anew when the data changes."""

    @app.callback(
        Output("url", "search"),
        Output("filters", "data"),
        *[Output(c, "value") for c in CONTROL_IDS],
        Input("url", "search"),
        *[Input(c, "value") for c in CONTROL_IDS],
        State("filters", "data"),
    )
    def _sync(search: str | None, *values: Any) -> list[Any]:
        *controls, current = values
        return sync_filters(search, ctx.triggered_id, list(controls), current)

    @app.callback(
        Output("filter-year", "options"),
        Output("filter-year", "placeholder"),
        *[Output(f"filter-{d}", "options") for d, _label in MULTI_FILTERS],
        *[Output(f"filter-{d}-wrap", "hidden") for d, _label in MULTI_FILTERS],
        Output("filter-location-wrap", "hidden"),
        Input("data-version", "data"),
        prevent_initial_call=True,
    )
    def _options(_version: int) -> list[Any]:
        """After an upload or a removal, the filters offer what the store now holds."""
        options = source.options()
        years, latest = _year_options(options)
        multi = [options.values[d] for d, _label in MULTI_FILTERS]
        return [
            years,
            latest,
            *[_choices(d, v) for (d, _label), v in zip(MULTI_FILTERS, multi, strict=True)],
            *[_hidden(v) for v in multi],
            _hidden(options.values["location"]),
        ]
