"""What a view cache payload may hold. A payload is a JSON document (UTF-8, ``FORMAT``) of the
view: str, int, bool and None as themselves; other values as objects tagged ``"$"``: tuples,
dicts (as key-value pairs), non-finite floats, numpy scalars, ``pd.NA``, DataFrames and view
models. A DataFrame is its dtypes, index, column labels and ``attrs`` in JSON, and its columns in
one Arrow IPC stream (base64); object columns (strings mixed with None or NaN) as JSON cells, so
each cell comes back as it was. A view model is its class's name and its fields: only the
dataclasses of ``parity.views`` in VIEW_CLASSES are made, looked up by name in that registry (no
module named in a payload is ever imported), without running their ``__init__`` (a Table's
headers, already translated, are not translated again). Anything else in a payload is refused.

This module holds the format's name, the registry of view classes, the dtypes the format
describes and the two errors: a value that cannot be written, a payload that is refused.
"""

from __future__ import annotations

import dataclasses

from parity.outlook import Flows, Outlook
from parity.projections import Projection
from parity.views.base import Chart, Column, Stat, Table
from parity.views.data import DataView
from parity.views.entities import EntitiesView
from parity.views.flows import FlowsView
from parity.views.geography import GeographyView
from parity.views.grades import GradesView
from parity.views.overview import Headline, OverviewView
from parity.views.planning.scenario import Scenario
from parity.views.planning.view import PlanningView
from parity.views.stations import StationsView
from parity.views.trends import TrendsView

FORMAT = "parity-view/1"

# The only classes a payload may make: the view models of parity.views (not Selection, which is
# a request's filters applied, not something a page shows).
VIEW_CLASSES: tuple[type, ...] = (
    Chart,
    Column,
    DataView,
    EntitiesView,
    GeographyView,
    Flows,
    FlowsView,
    GradesView,
    Headline,
    Outlook,
    OverviewView,
    PlanningView,
    Projection,
    Scenario,
    Stat,
    StationsView,
    Table,
    TrendsView,
)
REGISTRY: dict[str, type] = {f"{c.__module__}.{c.__qualname__}": c for c in VIEW_CLASSES}
CLASS_NAMES: dict[type, str] = {c: name for name, c in REGISTRY.items()}
CLASS_FIELDS: dict[type, tuple[str, ...]] = {
    c: tuple(f.name for f in dataclasses.fields(c)) for c in VIEW_CLASSES
}

NUMPY_SCALARS = frozenset(
    {"bool", "float16", "float32", "float64"}
    | {f"{sign}int{bits}" for sign in ("", "u") for bits in (8, 16, 32, 64)}
)
NUMPY_ARRAYS = NUMPY_SCALARS | {
    f"{kind}64[{unit}]" for kind in ("datetime", "timedelta") for unit in ("s", "ms", "us", "ns")
}
MASKED = frozenset(  # pandas' nullable dtypes
    {"boolean", "Float32", "Float64"}
    | {f"{sign}Int{bits}" for sign in ("", "U") for bits in (8, 16, 32, 64)}
)
CELL_TYPES: dict[str, tuple[type, ...]] = {  # the JSON cells a numpy array of each kind may hold
    "b": (bool,),
    "i": (int,),
    "u": (int,),
    "f": (int, float),
}


class NotEncodable(TypeError):
    """A value the cache's format cannot hold (the view is then not shared)."""


class Refused(ValueError):
    """A payload that is not a view this format describes."""
