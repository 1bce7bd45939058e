"""A worker's own view cache keeps the latest views within a byte budget (issue 12: a worker's
memory may not grow with the size of the views)."""

from __future__ import annotations

import pickle

import pytest

from parity.web import cache
from parity.web.cache import ViewCache


def test_the_oldest_views_leave_when_the_budget_is_spent(monkeypatch: pytest.MonkeyPatch) -> None:
    view = "x" * 300  # each view below: this and one digit, all of one pickled size
    size = len(pickle.dumps(view + "0", protocol=pickle.HIGHEST_PROTOCOL))
    monkeypatch.setattr(cache, "LOCAL_BYTES", 4 * size)  # room for four such views
    views = ViewCache(None)
    for n in range(6):
        views.put(f"k{n}", view + str(n))
    assert [views.get(f"k{n}") is not None for n in range(6)] == [False] * 2 + [True] * 4
    views.get("k2")  # read: now the latest, k3 the oldest
    views.put("k6", view + "6")
    assert views.get("k2") is not None and views.get("k3") is None
    views.put("big", "y" * (2 * size))  # over a quarter of the budget: not kept
    assert views.get("big") is None and views.get("k6") is not None
