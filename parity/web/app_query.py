"""The URL query string, shared by the filters and a page's own parameters."""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dash import no_update

from parity.filters import FilterState

FILTER_KEYS = {f.name for f in fields(FilterState)}


def with_query(search: str | None, replace_keys: set[str], pairs: list[tuple[str, str]]) -> str:
    """``search`` with every parameter in ``replace_keys`` replaced by ``pairs``: filters and a
    page's own parameters (e.g. a planning scenario) share the query string."""
    kept = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k not in replace_keys]
    filters = [(k, v) for k, v in kept if k in FILTER_KEYS]
    others = [(k, v) for k, v in kept if k not in FILTER_KEYS]
    if replace_keys & FILTER_KEYS:
        query = urlencode([*pairs, *others])
    else:
        query = urlencode([*filters, *others, *pairs])
    return f"?{query}" if query else ""


def search_update(search: str | None, replace_keys: set[str], pairs: list[tuple[str, str]]) -> Any:
    """The URL's new query string (``with_query``), or no_update when it would not change: a
    callback writing the URL adds no history entry for nothing."""
    new = with_query(search, replace_keys, pairs)
    return new if new != (search or "") else no_update
