"""The dashboard's pages. Each module has a layout function and registers its own callbacks;
the callbacks are thin: they read the FilterState and call a pure ``view`` function that tests can
call directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import Dash

from parity.web.pages import (
    data,
    definitions,
    entities,
    flows,
    grades,
    overview,
    planning,
    rounds,
    stations,
    trends,
)
from parity.web.source import Context


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    label: str
    layout: Callable[[Context, str], Any]
    register: Callable[[Dash, Context], None]


PAGES = [
    Page(m.NAME, m.PATH, m.LABEL, m.layout, m.register)
    for m in (
        overview,
        grades,
        stations,
        entities,
        trends,
        flows,
        planning,
        data,
        rounds,
        definitions,
    )
]
