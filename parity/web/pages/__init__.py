"""The dashboard's pages. The figure pages are declared from their slots (parity.web.slots: a
``PAGE``); the Data, Rounds, Planning and Definitions pages have a layout function and register
their own callbacks. Callbacks are thin: they read the request and call a pure ``view`` function
that tests can call directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from dash import Dash

from parity.web.pages import (
    data,
    definitions,
    entities,
    flows,
    geography,
    grades,
    overview,
    planning,
    rounds,
    stations,
    trends,
)
from parity.web.source import Context


class Page(Protocol):
    """What the shell needs of a page: its name, path, navigation label, layout and callbacks."""

    @property
    def name(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def label(self) -> str: ...

    def layout(self, context: Context, query: str, /) -> Any: ...

    def register(self, app: Dash, context: Context) -> None: ...


@dataclass(frozen=True)
class WrittenPage:
    """A page written by hand: its module's NAME, PATH, LABEL, layout and register."""

    name: str
    path: str
    label: str
    layout: Callable[[Context, str], Any]
    register: Callable[[Dash, Context], None]


DECLARED = [
    overview.PAGE,
    grades.PAGE,
    stations.PAGE,
    entities.PAGE,
    geography.PAGE,
    trends.PAGE,
    flows.PAGE,
]
WRITTEN = [
    WrittenPage(m.NAME, m.PATH, m.LABEL, m.layout, m.register)
    for m in (planning, data, rounds, definitions)
]
PAGES: list[Page] = [*DECLARED, *WRITTEN]
