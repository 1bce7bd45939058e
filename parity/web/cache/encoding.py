"""Writing a view as a cache payload (the format of parity.web.cache.registry): JSON for the
structure, one Arrow IPC stream for a DataFrame's row-aligned arrays. Anything the format does
not describe raises NotEncodable, so the view is served but not shared.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from parity.web.cache.registry import (
    CLASS_FIELDS,
    CLASS_NAMES,
    FORMAT,
    MASKED,
    NUMPY_ARRAYS,
    NUMPY_SCALARS,
    NotEncodable,
)


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
    if kind in CLASS_NAMES:
        fields = {name: _encode(getattr(value, name)) for name in CLASS_FIELDS[kind]}
        return {"$": "view", "class": CLASS_NAMES[kind], "fields": fields}
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
