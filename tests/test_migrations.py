"""Schema revisions (parity.store.migrations): stores made before revisions were recorded, with the
tables of the commit that made them, upgrade with their data intact on SQLite and PostgreSQL;
a new store is at the latest revision; the revisions give the models' schema; commands refuse
a store that needs upgrading, the server before it starts.

The old stores are made with the tables as the models of two commits defined them, written
here as SQLAlchemy Core tables (their DDL is the old models' own, checked when this was
written), and filled with plain SQL as the old code stored a file: f7e575c (every table but
column_mappings) and 87137e6, the first (no flow_counts or targets; batches without
AUTOINCREMENT on SQLite).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from parity.cli import main
from parity.errors import ParityError
from parity.ingest import parse_file
from parity.ingest.contract import STORED_COLUMNS
from parity.reference import Reference
from parity.store import Base, Store, migrations
from parity.store.migrations import StoreNeedsUpgrade, head
from tests.conftest import DATA, POSTGRES, postgres_schema

STAFF = DATA / "staff.csv"
# Alpha's 2025 again: supersedes those rows of staff.csv
CORRECTION = "year,entity,grade,gender,headcount\n2025,Alpha,P-4,F,7\n2025,Alpha,P-4,M,3\n"
COMMITS = ("f7e575c", "87137e6")


def old_schema(commit: str) -> sa.MetaData:
    """The tables as the models of ``commit`` defined them."""
    metadata = sa.MetaData()
    first = commit == "87137e6"

    def batch_id(**kw: Any) -> sa.Column[int]:
        fk = sa.ForeignKey("batches.id", ondelete="CASCADE")
        return sa.Column("batch_id", sa.Integer, fk, nullable=False, **kw)

    def cells() -> list[sa.Column[Any]]:
        return [
            sa.Column("id", sa.Integer, primary_key=True),
            batch_id(),
            sa.Column("year", sa.SmallInteger, nullable=False),
            sa.Column("entity", sa.String(120), nullable=False),
            sa.Column("grade", sa.String(32), nullable=False),
            sa.Column("gender", sa.String(1), nullable=False),
            *[
                sa.Column(name, sa.String(size))
                for name, size in (
                    ("duty_station", 120),
                    ("country", 120),
                    ("category", 60),
                    ("age_band", 40),
                    ("contract_type", 60),
                    ("personnel_type", 40),
                )
            ],
        ]

    sa.Table(
        "batches",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_rows", sa.Integer, nullable=False),
        sa.Column("stored_rows", sa.Integer, nullable=False),
        sqlite_autoincrement=not first,
    )
    sa.Table(
        "batch_scope",
        metadata,
        batch_id(primary_key=True),
        sa.Column("entity", sa.String(120), primary_key=True),
        sa.Column("year", sa.SmallInteger, primary_key=True),
    )
    headcount = sa.Column("headcount", sa.Integer, nullable=False)
    # the first models listed every column in order; later ones took the cell columns from a
    # mixin, which puts a table's own columns first
    sa.Table(
        "counts",
        metadata,
        *([*cells(), headcount] if first else [headcount, *cells()]),
        sa.Index("ix_counts_batch_entity_year", "batch_id", "entity", "year"),
    )
    if not first:
        sa.Table(
            "flow_counts",
            metadata,
            sa.Column("event", sa.String(16), nullable=False),
            sa.Column("count", sa.Integer, nullable=False),
            *cells(),
            sa.Index("ix_flows_batch_entity_year", "batch_id", "entity", "year"),
        )
        sa.Table(
            "targets",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            batch_id(index=True),
            sa.Column("entity", sa.String(120), nullable=False),
            sa.Column("grade", sa.String(32), nullable=False),
            sa.Column("year", sa.SmallInteger, nullable=False),
            sa.Column("target_share", sa.Float, nullable=False),
            sa.Column("margin", sa.Float, nullable=False),
        )
    sa.Table(
        "grades",
        metadata,
        sa.Column("grade", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("ceb_code", sa.String(32), nullable=False),
        sa.Column("ceb_group", sa.String(60), nullable=False),
        sa.Column("group_rank", sa.Integer, nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
    )
    sa.Table(
        "duty_stations",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("duty_station", sa.String(120), nullable=False, index=True),
        sa.Column("country", sa.String(120), nullable=False),
        sa.Column("region", sa.String(60), nullable=False),
        sa.Column("subregion", sa.String(60), nullable=False),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("is_hq", sa.Boolean, nullable=False),
        sa.Column("main", sa.Boolean, nullable=False),
    )
    return metadata


def make_old_store(url: str, commit: str, files: list[Path]) -> dict[str, list[tuple[Any, ...]]]:
    """A store with the tables of ``commit``, its reference tables filled and ``files``
    imported as the code of the time stored them; the rows written, by table."""
    metadata = old_schema(commit)
    reference = Reference.load()
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
            grades, stations = metadata.tables["grades"], metadata.tables["duty_stations"]
            conn.execute(sa.insert(grades), reference.grades.to_dict("records"))
            table = reference.duty_stations.astype({"is_hq": bool, "main": bool})
            conn.execute(
                sa.insert(stations),
                table.astype(object).where(table.notna(), None).to_dict("records"),
            )
            for path in files:
                _old_import(conn, metadata, parse_file(path, reference))
        return _rows(engine, ("batches", "batch_scope", "counts", "grades", "duty_stations"))
    finally:
        engine.dispose()


def _old_import(conn: sa.Connection, metadata: sa.MetaData, parsed: Any) -> None:
    batches, scope, counts = (metadata.tables[t] for t in ("batches", "batch_scope", "counts"))
    batch_id = conn.execute(
        sa.insert(batches).values(
            kind="staff",
            file_name=parsed.file_name,
            sha256=parsed.sha256,
            imported_at=datetime.now(UTC),
            source_rows=parsed.source_rows,
            stored_rows=len(parsed.frame),
        )
    ).inserted_primary_key[0]
    frame = parsed.frame
    pairs = frame[["entity", "year"]].drop_duplicates()
    conn.execute(
        sa.insert(scope),
        [{"batch_id": batch_id, "entity": e, "year": int(y)} for e, y in pairs.values],
    )
    rows = frame[list(STORED_COLUMNS)].astype(object)
    rows = rows.where(rows.notna(), None).assign(batch_id=batch_id)
    conn.execute(sa.insert(counts), rows.to_dict("records"))


ADDED_EMPTY = ("nationality",)
"""Columns later revisions add to tables that hold rows, empty in the rows written before."""


def _rows(
    engine: sa.Engine, tables: tuple[str, ...], leave_out: tuple[str, ...] = ()
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables``, by name, each row's values in the order of the column names
    (but those of ``leave_out``)."""
    result = {}
    with engine.connect() as conn:
        meta = sa.MetaData()
        for name in tables:
            table = sa.Table(name, meta, autoload_with=conn)
            kept = [c for c in table.columns if c.name not in leave_out]
            columns = sorted(kept, key=lambda c: c.name)
            rows = conn.execute(sa.select(*columns)).all()
            result[name] = sorted(tuple(r) for r in rows)
    return result


def schema_differences(url: str) -> list[Any]:
    """What would have to change in the store for its schema to be the models' (none)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def revision_of(url: str) -> str | None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def refusal(url: str) -> str:
    return (
        f"parity: the store {url} was created before its schema had revisions: "
        f"to upgrade it, run parity db upgrade --db {shlex.quote(url)}\n"
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=POSTGRES)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (a schema of its own on PostgreSQL), which the URL shows as it is."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with postgres_schema() as pg_url:
        yield sa.make_url(pg_url).render_as_string(hide_password=True)


def test_the_latest_revision_is_alembics() -> None:
    script = ScriptDirectory.from_config(migrations.config())
    assert script.get_heads() == [head()]
    assert [r.revision for r in script.walk_revisions()][-1] == "0001_baseline"


def test_a_new_store_is_at_the_latest_revision(url: str) -> None:
    Store(url).dispose()
    assert revision_of(url) == head()
    assert schema_differences(url) == []
    store = Store(url)  # and opens again as it is
    assert store.schema_state().up_to_date
    store.dispose()


def test_the_revisions_give_the_schema_of_the_models(url: str) -> None:
    """Every revision run on an empty database: the tables the models create, no more."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        migrations.upgrade(conn, url)
    engine.dispose()
    assert revision_of(url) == head()
    assert schema_differences(url) == []


@pytest.mark.parametrize("commit", COMMITS)
def test_an_old_store_upgrades_with_its_data_intact(
    url: str,
    commit: str,
    tmp_path: Path,
    write: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    correction = write("alpha-2025.csv", CORRECTION)
    before = make_old_store(url, commit, [STAFF, correction])

    status, out, err = run(capsys, "db", "status", "--db", url)
    missing = "column_mappings" if commit == "f7e575c" else "column_mappings, flow_counts"
    assert (status, err) == (0, "")
    assert out.splitlines()[1].startswith(
        "current: none (a store created before revisions were recorded; it lacks "
    )
    assert missing in out.splitlines()[1]
    assert out.splitlines()[2] == f"latest:  {head()}"

    status, out, err = run(capsys, "db", "upgrade", "--db", url)
    assert (status, err) == (0, "")
    assert out.startswith(f"upgraded the store {url} to schema revision {head()} (it had none;")
    assert revision_of(url) == head()
    assert schema_differences(url) == []

    engine = sa.create_engine(url)
    # every row as it was, numbers included; the columns added since, empty
    assert _rows(engine, tuple(before), leave_out=ADDED_EMPTY) == before
    with engine.connect() as conn:
        for table in ("counts", "flow_counts"):
            if table in before:
                filled = f"SELECT count(*) FROM {table} WHERE nationality IS NOT NULL"
                assert conn.execute(sa.text(filled)).scalar() == 0
    engine.dispose()
    store = Store(url)
    try:
        assert [(b.id, b.file_name, b.stored_rows, b.years) for b in store.batches()] == [
            (1, "staff.csv", 30, "2024-2025"),
            (2, "alpha-2025.csv", 2, "2025"),
        ]
        upgraded = sorted(store.read_active_counts().to_pylist(), key=str)
        # what today's code reads from a store it made itself
        fresh = Store(f"sqlite:///{tmp_path / 'fresh.db'}")
        for path in (STAFF, correction):
            fresh.import_parsed(parse_file(path, fresh.reference()))
        assert upgraded == sorted(fresh.read_active_counts().to_pylist(), key=str)
        fresh.dispose()
        # the tables the store lacked work: a mapping is saved, a new batch has a new number
        store.save_mapping("sig", {"Sexe": "gender"})
        assert store.saved_mapping("sig") == {"Sexe": "gender"}
        store.remove_batch(2)
        again = write("again.csv", CORRECTION.replace("7", "6"))
        assert store.import_parsed(parse_file(again, store.reference())).id == 3
    finally:
        store.dispose()


def test_the_first_stores_get_autoincrement_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'first.db'}"
    make_old_store(url, "87137e6", [STAFF])
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        sql = "SELECT sql FROM sqlite_master WHERE name = 'batches'"
        assert "AUTOINCREMENT" not in conn.execute(sa.text(sql)).scalar_one()
    Store(url, as_is=True).upgrade()
    with engine.connect() as conn:
        assert "AUTOINCREMENT" in conn.execute(sa.text(sql)).scalar_one()
        assert conn.execute(sa.text("SELECT seq FROM sqlite_sequence")).scalar_one() == 1
        indexes = conn.execute(sa.text("PRAGMA index_list(batches)")).all()
        assert [i[1] for i in indexes] == ["ix_batches_sha256"]
    engine.dispose()
    assert schema_differences(url) == []


def test_a_store_at_the_baseline_is_upgraded(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        command.upgrade(migrations.config(conn), "0001_baseline")
    engine.dispose()
    with pytest.raises(StoreNeedsUpgrade) as refused:
        Store(url)
    assert str(refused.value) == (
        f"the store {url} is at schema revision 0001_baseline and this parity needs {head()}: "
        f"to upgrade it, run parity db upgrade --db {shlex.quote(url)}"
    )
    status, out, err = run(capsys, "db", "upgrade", "--db", url)
    assert (status, out, err) == (
        0,
        f"upgraded the store {url} from schema revision 0001_baseline to {head()}\n",
        "",
    )
    assert schema_differences(url) == []
    status, out, err = run(capsys, "db", "upgrade", "--db", url)
    assert (status, err) == (0, "")
    assert out == f"the store {url} is at the latest schema revision, {head()}: nothing to do\n"


def test_commands_refuse_an_old_store_and_leave_it_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    before = make_old_store(url, "f7e575c", [STAFF])
    for args in (["import", str(STAFF)], ["batches"], ["report", "--by", "entity"]):
        assert run(capsys, *args, "--db", url) == (2, "", refusal(url))
    engine = sa.create_engine(url)
    assert "alembic_version" not in sa.inspect(engine).get_table_names()
    assert _rows(engine, tuple(before)) == before
    engine.dispose()


def test_serve_refuses_an_old_store_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    make_old_store(url, "f7e575c", [])

    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server started")

    monkeypatch.setattr("flask.Flask.run", started)
    if "gunicorn" in sys.modules or _importable("gunicorn.app.base"):
        monkeypatch.setattr("gunicorn.app.base.BaseApplication.run", started)
    assert run(capsys, "serve", "--db", url, "--port", "0") == (2, "", refusal(url))


def _importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def test_a_store_of_a_newer_parity_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    Store(url).dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    message = (
        f"parity: the store {url} is at schema revision 9999_future, which this parity does "
        f"not know (its latest is {head()}): a newer parity upgraded it; use that one\n"
    )
    assert run(capsys, "batches", "--db", url) == (2, "", message)
    assert run(capsys, "db", "upgrade", "--db", url) == (2, "", message)
    status, out, _ = run(capsys, "db", "status", "--db", url)
    assert status == 0
    assert "current: 9999_future (unknown to this parity" in out


def test_a_table_without_its_columns_is_not_upgraded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'odd.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE batches (id INTEGER PRIMARY KEY, name TEXT)"))
    with pytest.raises(ParityError, match=r"^the table batches lacks the columns kind, file_name"):
        Store(url, as_is=True).upgrade()
    assert sa.inspect(engine).get_table_names() == ["batches"]  # nothing was changed
    engine.dispose()


def test_an_empty_database_is_created_by_db_upgrade(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "db", "status", "--db", url)
    assert (status, err) == (0, "")
    assert out.splitlines()[1].startswith("current: none (an empty database")
    status, out, err = run(capsys, "db", "upgrade", "--db", url)
    assert (status, out, err) == (0, f"created the store {url} at schema revision {head()}\n", "")
    status, out, err = run(capsys, "db", "status", "--db", url)
    assert (status, out.splitlines()[1:]) == (0, [f"current: {head()}", f"latest:  {head()}"])
