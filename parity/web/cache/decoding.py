"""Reading a cache payload back into the view it describes (the format of
parity.web.cache.registry), checking every part as it goes: only the registry's view classes are
made, only the format's dtypes, tags and shapes are accepted, and anything else raises Refused
(or another ValueError, TypeError or KeyError), which the cache reads as a miss.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from parity.web.cache.registry import (
    CELL_TYPES,
    CLASS_FIELDS,
    FORMAT,
    MASKED,
    NUMPY_ARRAYS,
    NUMPY_SCALARS,
    REGISTRY,
    Refused,
)


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
    if type(fields) is not dict or set(fields) != set(CLASS_FIELDS[cls]):
        raise Refused(f"the fields of {value['class']} do not match its class")
    view: Any = object.__new__(cls)
    for name in CLASS_FIELDS[cls]:
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
