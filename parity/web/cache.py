"""Cached view models: a page's view for the same store version, filters, options and privacy
rule is computed once. With PARITY_REDIS_URL the server's workers share the cache; without it
each worker keeps its own: the latest views up to LOCAL_ENTRIES and LOCAL_BYTES (their pickled
size), so that a worker's memory does not grow with the size of the views (an entity-by-grade
table of 600 entities is megabytes).

The key holds everything a view depends on: the store's version (a new batch makes every entry
stale), the view function, the filters, the options and the rule the user's scope gives; so a
focal point's exact view is never served to someone whose rule is public.

What Redis holds is data, never a pickle: anyone who can write one key of a shared Redis would
otherwise run code in every worker (``pickle.loads`` calls what the bytes name), or plant the
figures a page shows. An entry is ``mac || payload``:

- ``payload`` is a JSON document (UTF-8, ``FORMAT``) of the view: str, int, bool and None as
  themselves; other values as objects tagged ``"$"``: tuples, dicts (as key-value pairs),
  non-finite floats, numpy scalars, ``pd.NA``, DataFrames and view models. A DataFrame is its
  dtypes, index, column labels and ``attrs`` in JSON, and its columns in one Arrow IPC stream
  (base64); object columns (strings mixed with None or NaN) as JSON cells, so each cell comes
  back as it was. A view model is its class's name and its fields: only the dataclasses of
  ``parity.views`` in VIEW_CLASSES are made, looked up by name in that registry (no module named
  in a payload is ever imported), without running their ``__init__`` (a Table's headers, already
  translated, are not translated again). Anything else in a payload is refused.
- ``mac`` is HMAC-SHA256 over the Redis key and the payload, with a key derived from the
  server's secret key (the one that signs session cookies, the same in every worker). An entry
  with a wrong or missing MAC, or copied under another key (a focal point's exact view put where
  the public one is looked up), or that does not decode, is a miss, never an error: the view is
  computed again. Without a secret a ViewCache makes its own, and trusts only what it wrote.

The in-process cache holds the view objects themselves and reads nothing from outside; pickle
only measures their size there.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import logging
import math
import pickle
import secrets
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from parity.views.base import Chart, Column, Stat, Table
from parity.views.data import DataView
from parity.views.entities import EntitiesView
from parity.views.flows import FlowsView
from parity.views.grades import GradesView
from parity.views.overview import Headline, OverviewView
from parity.views.planning import PlanningView, Scenario
from parity.views.stations import StationsView
from parity.views.trends import TrendsView

LOCAL_ENTRIES = 256
LOCAL_BYTES = 64 * 2**20
TTL_SECONDS = 3600
FORMAT = "parity-view/1"
MAC_BYTES = 32  # HMAC-SHA256

log = logging.getLogger(__name__)

# The only classes a payload may make: the view models of parity.views (not Selection, which is
# a request's filters applied, not something a page shows).
VIEW_CLASSES: tuple[type, ...] = (
    Chart,
    Column,
    DataView,
    EntitiesView,
    FlowsView,
    GradesView,
    Headline,
    OverviewView,
    PlanningView,
    Scenario,
    Stat,
    StationsView,
    Table,
    TrendsView,
)
REGISTRY: dict[str, type] = {f"{c.__module__}.{c.__qualname__}": c for c in VIEW_CLASSES}
_NAMES: dict[type, str] = {c: name for name, c in REGISTRY.items()}
_FIELDS: dict[type, tuple[str, ...]] = {
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


class NotEncodable(TypeError):
    """A value the cache's format cannot hold (the view is then not shared)."""


class Refused(ValueError):
    """A payload that is not a view this format describes."""


# --- encoding -------------------------------------------------------------------------------


def encode(value: Any) -> bytes:
    """``value`` (a view model) as the cache stores it: a JSON document, UTF-8. Raises
    NotEncodable for anything the format does not describe."""
    document = {"format": FORMAT, "value": _encode(value)}
    return json.dumps(document, allow_nan=False, separators=(",", ":")).encode()


def _encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {"$": "tuple", "v": [_encode(v) for v in value]}
    if kind is dict:
        return {"$": "dict", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, np.generic) and value.dtype.name in NUMPY_SCALARS:
        return {"$": "np", "dtype": value.dtype.name, "v": _encode(value.item())}
    if value is pd.NA:
        return {"$": "NA"}
    if kind is pd.DataFrame:
        return _encode_frame(value)
    if kind in _NAMES:
        fields = {name: _encode(getattr(value, name)) for name in _FIELDS[kind]}
        return {"$": "view", "class": _NAMES[kind], "fields": fields}
    raise NotEncodable(f"a view cache entry cannot hold {kind.__module__}.{kind.__qualname__}")


def _encode_frame(frame: pd.DataFrame) -> dict[str, Any]:
    arrow: list[pa.Array] = []  # the row-aligned arrays, in one Arrow table
    columns = [_encode_array(frame.iloc[:, i], arrow) for i in range(frame.shape[1])]
    document = {
        "$": "frame",
        "rows": len(frame),
        "index": _encode_index(frame.index, arrow),
        "columns": _encode_index(frame.columns, None),
        "data": columns,
        "attrs": _encode(dict(frame.attrs)),
        "arrow": None,
    }
    if arrow:
        table = pa.Table.from_arrays(arrow, names=[str(i) for i in range(len(arrow))])
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        document["arrow"] = base64.b64encode(sink.getvalue().to_pybytes()).decode("ascii")
    return document


def _encode_index(index: pd.Index, arrow: list[pa.Array] | None) -> dict[str, Any]:
    """An index: a RangeIndex by its bounds, another by its values (in the Arrow table for a
    frame's rows, as JSON cells for column labels and categories)."""
    if type(index) is pd.RangeIndex:
        bounds = [index.start, index.stop, index.step]
        return {"kind": "range", "range": bounds, "name": _encode(index.name)}
    if type(index) is not pd.Index:  # a MultiIndex, a CategoricalIndex, ...: not in views
        raise NotEncodable(f"a view cache entry cannot hold a {type(index).__name__}")
    return {
        "kind": "index",
        "values": _encode_array(index, arrow),
        "name": _encode(index.name),
    }


def _encode_array(values: pd.Series | pd.Index, arrow: list[pa.Array] | None) -> dict[str, Any]:
    """A column's or an index's values and their dtype: in the Arrow table (``at``, their
    position) when ``arrow`` is given and the dtype has an exact Arrow form; else as JSON
    ``cells``."""
    dtype = values.dtype
    spec: dict[str, Any]
    if isinstance(dtype, pd.CategoricalDtype):
        codes = np.asarray(values.array.codes)
        spec = {
            "kind": "category",
            "categories": _encode_index(dtype.categories, None),
            "ordered": bool(dtype.ordered),
            "codes": codes.dtype.name,
        }
        return _place(spec, codes, arrow)
    if isinstance(dtype, pd.StringDtype):
        na = "NA" if dtype.na_value is pd.NA else "nan"
        spec = {"kind": "string", "storage": dtype.storage, "na": na}
        if arrow is None:  # strings; None for the missing ones (the dtype's own NA)
            spec["cells"] = [None if pd.isna(v) else str(v) for v in values]
            return spec
        return _place(spec, values.array, arrow)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.name in MASKED:
        return _place({"kind": "masked", "dtype": dtype.name}, values.array, arrow)
    if isinstance(dtype, np.dtype) and dtype.name in NUMPY_ARRAYS:
        return _place({"kind": "numpy", "dtype": dtype.name}, values.to_numpy(), arrow)
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        return {"kind": "object", "cells": [_encode(v) for v in values.to_numpy()]}
    raise NotEncodable(f"a view cache entry cannot hold a column of {dtype}")


def _place(spec: dict[str, Any], values: Any, arrow: list[pa.Array] | None) -> dict[str, Any]:
    if arrow is None:
        spec["cells"] = [_encode(v) for v in values.tolist()]
    else:
        spec["at"] = len(arrow)
        arrow.append(pa.array(values))
    return spec


# --- decoding -------------------------------------------------------------------------------


def decode(payload: bytes) -> Any:
    """The view ``payload`` (from ``encode``) describes; Refused (or another ValueError,
    TypeError or KeyError) for anything else."""
    document = json.loads(payload.decode("utf-8"), parse_constant=_no_constant)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Refused("not a view cache entry of this format")
    return _decode(document["value"])


def _no_constant(name: str) -> Any:
    raise Refused(f"{name} is not JSON")


def _decode(value: Any) -> Any:
    if value is None or type(value) in (str, bool, int, float):
        return value
    if type(value) is list:
        return [_decode(v) for v in value]
    if type(value) is not dict:
        raise Refused(f"unexpected {type(value).__name__}")
    tag = value["$"]
    if tag == "tuple":
        return tuple(_decode(v) for v in _list(value["v"]))
    if tag == "dict":
        return {_decode(k): _decode(v) for k, v in (_pair(p) for p in _list(value["v"]))}
    if tag == "float":
        if value["v"] not in ("nan", "inf", "-inf"):
            raise Refused("not a non-finite float")
        return float(value["v"])
    if tag == "np":
        return _numpy_scalar(value["dtype"], _decode(value["v"]))
    if tag == "NA":
        return pd.NA
    if tag == "frame":
        return _decode_frame(value)
    if tag == "view":
        return _decode_view(value)
    raise Refused(f"unknown tag {tag!r}")


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise Refused("expected a list")
    return value


def _pair(value: Any) -> tuple[Any, Any]:
    if type(value) is not list or len(value) != 2:
        raise Refused("expected a key-value pair")
    return value[0], value[1]


def _numpy_scalar(name: Any, value: Any) -> Any:
    if name not in NUMPY_SCALARS or type(value) not in (bool, int, float):
        raise Refused(f"not a numpy scalar: {name!r}")
    return np.dtype(name).type(value)


def _decode_view(value: dict[str, Any]) -> Any:
    """A view model of the registry, its fields set as they were stored: ``__init__`` (and so
    a Table's translation in ``__post_init__``) is not run again."""
    cls = REGISTRY.get(value["class"]) if type(value["class"]) is str else None
    if cls is None:
        raise Refused(f"{value['class']!r} is not a view model this cache may make")
    fields = value["fields"]
    if type(fields) is not dict or set(fields) != set(_FIELDS[cls]):
        raise Refused(f"the fields of {value['class']} do not match its class")
    view: Any = object.__new__(cls)
    for name in _FIELDS[cls]:
        object.__setattr__(view, name, _decode(fields[name]))
    return view


def _decode_frame(value: dict[str, Any]) -> pd.DataFrame:
    rows = value["rows"]
    if type(rows) is not int or rows < 0:
        raise Refused("bad row count")
    arrays: list[pa.Array] = []
    if value["arrow"] is not None:
        with pa.ipc.open_stream(base64.b64decode(value["arrow"], validate=True)) as reader:
            table = reader.read_all()
        names = [str(i) for i in range(table.num_columns)]
        if table.num_rows != rows or table.column_names != names:
            raise Refused("the Arrow table does not match the frame")
        if any(isinstance(field.type, pa.ExtensionType) for field in table.schema):
            raise Refused("an Arrow extension type")
        arrays = [column.combine_chunks() for column in table.columns]
    columns = [_decode_array(spec, arrays, rows) for spec in _list(value["data"])]
    if columns:
        frame = pd.DataFrame({i: pd.Series(c, dtype=c.dtype) for i, c in enumerate(columns)})
    else:
        frame = pd.DataFrame(index=pd.RangeIndex(rows))
    frame.index = _decode_index(value["index"], arrays, rows)
    frame.columns = _decode_index(value["columns"], None, len(columns))
    attrs = _decode(value["attrs"])
    if type(attrs) is not dict:
        raise Refused("attrs are a dict")
    frame.attrs = attrs
    return frame


def _decode_index(spec: Any, arrays: list[pa.Array] | None, length: int | None) -> pd.Index:
    kind = spec["kind"]
    if kind == "range":
        start, stop, step = (int(v) for v in _list(spec["range"]))
        index: pd.Index = pd.RangeIndex(start, stop, step, name=_decode(spec["name"]))
    elif kind == "index":
        values = _decode_array(spec["values"], arrays, length)
        index = pd.Index(values, dtype=values.dtype, name=_decode(spec["name"]), copy=True)
    else:
        raise Refused(f"unknown index kind {kind!r}")
    if length is not None and len(index) != length:
        raise Refused("an index of the wrong length")
    return index


def _decode_array(spec: Any, arrays: list[pa.Array] | None, length: int | None) -> Any:
    """The values ``spec`` describes, with their dtype: a numpy array or a pandas array."""
    kind = spec["kind"]
    values: Any
    dtype: Any
    if kind == "object":
        cells = [_decode(c) for c in _list(spec["cells"])]
        values = np.empty(len(cells), dtype=object)
        for i, cell in enumerate(cells):  # one by one: a tuple stays one cell
            values[i] = cell
    elif kind == "category":
        if spec["codes"] not in ("int8", "int16", "int32", "int64"):
            raise Refused("category codes are integers")
        categories = _decode_index(spec["categories"], None, None)
        dtype = pd.CategoricalDtype(categories, ordered=spec["ordered"] is True)
        codes = _numpy(spec, arrays, spec["codes"])
        values = pd.Categorical.from_codes(codes, dtype=dtype)
    elif kind == "string":
        if spec["storage"] not in ("python", "pyarrow") or spec["na"] not in ("NA", "nan"):
            raise Refused("not a string dtype")
        dtype = pd.StringDtype(spec["storage"], na_value=pd.NA if spec["na"] == "NA" else np.nan)
        if "cells" in spec:
            cells = _list(spec["cells"])
            if any(c is not None and type(c) is not str for c in cells):
                raise Refused("not strings")
            values = pd.array([dtype.na_value if c is None else c for c in cells], dtype=dtype)
        else:
            array = _arrow(spec, arrays)
            if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
                raise Refused(f"strings in an Arrow column of {array.type}")
            values = dtype.__from_arrow__(array)
    elif kind == "masked":
        if spec["dtype"] not in MASKED:
            raise Refused(f"not a nullable dtype: {spec['dtype']!r}")
        dtype = pd.api.types.pandas_dtype(spec["dtype"])
        if "cells" in spec:
            values = pd.array([_decode(c) for c in _list(spec["cells"])], dtype=dtype)
        else:
            array = _arrow(spec, arrays)
            if array.type != pa.from_numpy_dtype(dtype.numpy_dtype):
                raise Refused(f"{dtype} in an Arrow column of {array.type}")
            values = dtype.__from_arrow__(array)
    elif kind == "numpy":
        values = _numpy(spec, arrays, spec["dtype"])
    else:
        raise Refused(f"unknown column kind {kind!r}")
    if length is not None and len(values) != length:
        raise Refused("a column of the wrong length")
    return values


def _arrow(spec: dict[str, Any], arrays: list[pa.Array] | None) -> pa.Array:
    at = spec["at"]
    if arrays is None or type(at) is not int or not 0 <= at < len(arrays):
        raise Refused("no such Arrow column")
    return arrays[at]


CELL_TYPES: dict[str, tuple[type, ...]] = {
    "b": (bool,),
    "i": (int,),
    "u": (int,),
    "f": (int, float),
}


def _numpy(spec: dict[str, Any], arrays: list[pa.Array] | None, name: Any) -> np.ndarray:
    """A numpy array of dtype ``name``, from JSON cells or the Arrow table, refused unless it
    holds exactly that (no missing values: a numpy dtype has none but NaN)."""
    if name not in NUMPY_ARRAYS:
        raise Refused(f"not a numpy dtype: {name!r}")
    dtype = np.dtype(name)
    if "cells" in spec:
        cells = [_decode(c) for c in _list(spec["cells"])]
        allowed = CELL_TYPES.get(dtype.kind, ())
        if any(type(c) not in allowed for c in cells):
            raise Refused(f"not cells of {name}")
        return np.array(cells, dtype=dtype)
    array = _arrow(spec, arrays)
    if array.null_count or array.type != pa.from_numpy_dtype(dtype):
        raise Refused(f"{name} in an Arrow column of {array.type}")
    return np.array(array.to_numpy(zero_copy_only=False), dtype=dtype, copy=True)


# --- the cache ------------------------------------------------------------------------------


class ViewCache:
    """Views by key: in Redis when ``redis_url`` is given (signed data, see the module's
    docstring), else in this process. ``secret``: the server's secret key (the same for every
    worker, so that they trust one another's entries); without it, one of this cache's own."""

    def __init__(self, redis_url: str | None, secret: str | bytes | None = None) -> None:
        self._lock = threading.Lock()
        self._local: OrderedDict[str, tuple[Any, int]] = OrderedDict()  # value, its size
        self._bytes = 0
        self._redis: Any = None
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if not secret:
            secret = secrets.token_bytes(32)
        self._mac_key = hashlib.sha256(b"parity view cache\0" + secret).digest()
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)

    @staticmethod
    def key(*parts: object) -> str:
        return "parity:view:" + hashlib.sha256(repr(parts).encode()).hexdigest()

    def _mac(self, key: str, payload: bytes) -> bytes:
        """The MAC of an entry: over its key too, so that an entry moved to another key (an
        exact view where a public one is looked up) is refused."""
        message = len(key.encode()).to_bytes(4, "big") + key.encode() + payload
        return hmac.new(self._mac_key, message, hashlib.sha256).digest()

    def get(self, key: str) -> Any | None:
        if self._redis is not None:
            blob = self._redis.get(key)
            return None if blob is None else self._trusted(key, bytes(blob))
        with self._lock:
            if key in self._local:
                self._local.move_to_end(key)
                return self._local[key][0]
        return None

    def _trusted(self, key: str, blob: bytes) -> Any | None:
        """The view of an entry read from Redis; None (a miss) unless its MAC is ours and it
        decodes."""
        mac, payload = blob[:MAC_BYTES], blob[MAC_BYTES:]
        if len(blob) < MAC_BYTES or not hmac.compare_digest(mac, self._mac(key, payload)):
            log.warning("view cache: entry %s refused (its MAC is not this server's)", key)
            return None
        try:
            return decode(payload)
        except Exception as error:  # a signed entry that does not decode: computed again
            log.warning("view cache: entry %s refused (%s)", key, error)
            return None

    def put(self, key: str, value: Any) -> None:
        if self._redis is not None:
            try:
                payload = encode(value)
            except NotEncodable as error:  # served, not shared (a view the format misses)
                log.warning("view cache: %s not stored (%s)", key, error)
                return
            self._redis.set(key, self._mac(key, payload) + payload, ex=TTL_SECONDS)
            return
        size = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        if size > LOCAL_BYTES // 4:
            return  # one view may not push out most of the others
        with self._lock:
            if key in self._local:
                self._bytes -= self._local.pop(key)[1]
            self._local[key] = (value, size)
            self._bytes += size
            while len(self._local) > LOCAL_ENTRIES or self._bytes > LOCAL_BYTES:
                self._bytes -= self._local.popitem(last=False)[1][1]
