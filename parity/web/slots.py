"""Dashboard pages declared from their slots.

A page is its title and lead, then a list of slots (headline cards, a summary sentence, charts,
a table, or a slot of its own). Each slot knows three things: the components it puts in the
layout, the callback outputs it fills, and the values of those outputs taken from the page's
view model. The page's layout, its one callback and the order of its outputs all come from that
list, so they cannot disagree; a test can call ``DeclaredPage.values`` on a view model without a
browser. The figures themselves come from the view model (parity.views) and the charts from
parity.charts: a slot only places them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, html, no_update

from parity.i18n import _
from parity.web.app_query import search_update
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

Card = tuple[str, str, str]  # name, label (marked with N_), Definitions anchor


class Slot(Protocol):
    def layout(self, page: str) -> Any: ...

    def outputs(self, page: str) -> list[Any]: ...

    def values(self, view: Any) -> list[Any]: ...


@dataclass(frozen=True)
class Stats:
    """A row of headline cards, filled from the view's ``stats`` in order. ``labels`` names the
    cards whose label the view may change (the label is then the view's Stat label)."""

    cards: Sequence[Card]
    sizes: Mapping[str, Any] = field(default_factory=lambda: {"xs": 12, "md": 4})
    labels: Sequence[str] = ()

    def layout(self, page: str) -> Any:
        return stat_row(page, self.cards, **self.sizes)

    def outputs(self, page: str) -> list[Any]:
        labels = [Output(f"{page}-{name}-label", "children") for name in self.labels]
        return [*stat_outputs(page, self.cards), *labels]

    def values(self, view: Any) -> list[Any]:
        names = [name for name, _label, _anchor in self.cards]
        labels = [_(view.stats[names.index(name)].label) for name in self.labels]
        return [*stat_parts(view.stats), *labels]


@dataclass(frozen=True)
class Summary:
    """The sentence under the page's title that says what the page shows."""

    sentence: Callable[[Any], str]

    def layout(self, page: str) -> Any:
        return html.P(id=f"{page}-summary", className="summary-sentence")

    def outputs(self, page: str) -> list[Any]:
        return [Output(f"{page}-summary", "children")]

    def values(self, view: Any) -> list[Any]:
        return [self.sentence(view)]


@dataclass(frozen=True)
class Chart:
    """One chart card (id ``<page>-<name>``): the figure drawn from the view, and its text
    alternative (``chart_table``: the sentence and the figures behind it)."""

    name: str
    anchor: str
    figure: Callable[[Any], Any]
    table: Callable[[Any], dict[str, Any]]
    phone: Callable[[Any], Any] | None = None  # what a phone shows instead of the figure

    def layout(self, page: str) -> Any:
        return chart(f"{page}-{self.name}", self.anchor, phone=self.phone is not None)

    def outputs(self, page: str) -> list[Any]:
        graph = f"{page}-{self.name}"
        phone = [Output(f"{graph}-phone", "children")] if self.phone else []
        return [*chart_outputs(graph), *phone]

    def values(self, view: Any) -> list[Any]:
        phone = [self.phone(view)] if self.phone else []
        return [*chart_values(self.figure(view), self.table(view)), *phone]


@dataclass(frozen=True)
class Table:
    """The page's table card (ids ``<page>-grid`` …), filled from the view's ``table``."""

    title: str  # marked with N_

    def layout(self, page: str) -> Any:
        return table_card(page, _(self.title))

    def outputs(self, page: str) -> list[Any]:
        return table_outputs(page)

    def values(self, view: Any) -> list[Any]:
        return table_values(view.table)


@dataclass(frozen=True)
class Side:
    """Slots side by side from wide screens on (each with its share of the 12 columns), one
    under the other below."""

    slots: Sequence[tuple[Slot, int]]

    def layout(self, page: str) -> Any:
        return dbc.Row([dbc.Col(slot.layout(page), xs=12, xl=width) for slot, width in self.slots])

    def outputs(self, page: str) -> list[Any]:
        return [o for slot, _width in self.slots for o in slot.outputs(page)]

    def values(self, view: Any) -> list[Any]:
        return [v for slot, _width in self.slots for v in slot.values(view)]


@dataclass(frozen=True)
class Custom:
    """A slot a page defines itself (its components, outputs and values)."""

    layout_of: Callable[[str], Any]
    outputs_of: Callable[[str], list[Any]]
    values_of: Callable[[Any], list[Any]]

    def layout(self, page: str) -> Any:
        return self.layout_of(page)

    def outputs(self, page: str) -> list[Any]:
        return self.outputs_of(page)

    def values(self, view: Any) -> list[Any]:
        return self.values_of(view)


@dataclass(frozen=True)
class Controls:
    """Inputs of a page's own (e.g. Trends' grouping and window): their components (from the
    URL's query, so that a shared link opens the same view), how their values become the
    view's options, and the URL parameters they are kept in (``keys``; ``pairs`` gives the
    parameters of the values, defaults left out)."""

    layout: Callable[[str], Any]
    inputs: Sequence[tuple[str, str]]  # (component id, property)
    options: Callable[..., dict[str, Any]]
    keys: frozenset[str] = frozenset()
    pairs: Callable[..., list[tuple[str, str]]] | None = None

    def search(self, search: str | None, *values: Any) -> Any:
        """The URL's query with the controls' values in it (no_update when it is the same)."""
        if self.pairs is None:
            return no_update
        return search_update(search, set(self.keys), self.pairs(*values))


@dataclass(frozen=True)
class DeclaredPage:
    """A dashboard page from its slots: ``view`` is the parity.views function of its view model
    (``ask``, when given, asks the context for it instead, e.g. with more data)."""

    name: str
    path: str
    label: str  # marked with N_: the navigation's link and the page's title
    lead: str  # marked with N_
    view: Callable[..., Any]
    slots: Sequence[Slot]
    controls: Controls | None = None
    ask: Callable[[Context, str | None, dict[str, Any]], Any] | None = None

    def layout(self, context: Context, query: str = "") -> html.Div:
        # a page without controls runs its callback once when it opens (the <page>-init store)
        init = None if self.controls else self.name
        parts = [page_header(_(self.label), _(self.lead), page=init)]
        if self.controls:
            parts.append(self.controls.layout(query))
        return html.Div(parts + [slot.layout(self.name) for slot in self.slots])

    def outputs(self) -> list[Any]:
        return [o for slot in self.slots for o in slot.outputs(self.name)]

    def values(self, view: Any) -> list[Any]:
        """The page's outputs from its view model, in the order of ``outputs``."""
        return [v for slot in self.slots for v in slot.values(view)]

    def inputs(self) -> list[Any]:
        if self.controls:
            return [Input(i, prop) for i, prop in self.controls.inputs]
        return [Input(f"{self.name}-init", "data")]

    def view_for(self, context: Context, query: str | None, *controls: Any) -> Any:
        options = self.controls.options(*controls) if self.controls else {}
        if self.ask is not None:
            return self.ask(context, query, options)
        return context.view(self.view, query, **options)

    def register(self, app: Dash, context: Context) -> None:
        @app.callback(*self.outputs(), Input("filters", "data"), *self.inputs())
        def update(query: str | None, *inputs: Any) -> list[Any]:
            controls = inputs if self.controls else ()  # else the <page>-init store's value
            return self.values(self.view_for(context, query, *controls))

        if self.controls is not None and self.controls.pairs is not None:
            self._register_url(app, self.controls)

    def _register_url(self, app: Dash, controls: Controls) -> None:
        @app.callback(
            Output("url", "search", allow_duplicate=True),
            *[Input(i, prop) for i, prop in controls.inputs],
            State("url", "search"),
            prevent_initial_call=True,
        )
        def to_url(*inputs: Any) -> Any:
            *values, search = inputs
            return controls.search(search, *values)
