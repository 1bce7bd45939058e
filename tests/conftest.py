"""Shared fixtures: the reference tables, small files written on the fly, and stores on a real
SQLite file and (when PARITY_TEST_DATABASE_URL is set) a real PostgreSQL server.

Each PostgreSQL store lives in a schema of its own, dropped afterwards, so the suite can run
repeatedly and alongside other runs on the same server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from parity.frame import build_frame
from parity.reference import Reference
from parity.store import Store

PG_URL = os.environ.get("PARITY_TEST_DATABASE_URL")
DATA = Path(__file__).parent / "data"

# Marks for a test that needs the PostgreSQL server: one xdist worker runs them all.
POSTGRES = [pytest.mark.postgres, pytest.mark.xdist_group("postgres")]


@pytest.fixture(scope="session")
def reference() -> Reference:
    return Reference.load()


def analysis_frame(rows: list[tuple[object, ...]], reference: Reference) -> pd.DataFrame:
    """An analysis frame, as the store would give it, from rows of
    (year, entity, grade, duty_station, gender, headcount[, category]): the category is derived
    from the grade unless a seventh value gives it; the other dimensions are missing."""
    raw = pd.DataFrame(
        [row[:6] for row in rows],
        columns=["year", "entity", "grade", "duty_station", "gender", "headcount"],
    )
    for column in ("country", "age_band", "contract_type", "personnel_type"):
        raw[column] = None
    given = [row[6] if len(row) > 6 else None for row in rows]
    derived = raw["grade"].map(reference.grade_category)
    raw["category"] = [c or d for c, d in zip(given, derived, strict=True)]
    for column in raw.columns:
        if column not in ("year", "headcount"):
            raw[column] = raw[column].astype("category")
    raw["year"] = raw["year"].astype("int16")
    raw["headcount"] = raw["headcount"].astype("int32")
    return build_frame(raw, reference)


@pytest.fixture()
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("name.csv", text, encoding="utf-8") -> the path of a new file in tmp_path."""

    def _write(name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding=encoding)
        return path

    return _write


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections work in a new, empty schema; the schema is dropped on exit."""
    if not PG_URL:
        pytest.skip("PARITY_TEST_DATABASE_URL is not set")
    import sqlalchemy as sa

    schema = f"parity_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=POSTGRES)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'parity.db'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture()
def store(db_url: str) -> Iterator[Store]:
    store = Store(db_url)
    yield store
    store.dispose()
