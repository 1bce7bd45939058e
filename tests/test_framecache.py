"""The analysis frames on disk (issue 12): written once per state of the store, read back
identical, built again after an import or when damaged; a server answers before reading them."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

from parity import framecache
from parity.cli import main
from parity.frame import load_flows, load_frame
from parity.ingest import parse_file
from parity.settings import Settings
from parity.store import Store
from parity.web import serve as serving
from parity.web.app import create_app
from parity.web.source import DataSource

E2E_DATA = Path(__file__).parent / "e2e" / "data"


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'cache.db'}")
    for name in ("staff.csv", "flows.csv"):
        store.import_parsed(parse_file(E2E_DATA / name, store.reference()))
    return store


def files(store: Store) -> list[str]:
    directory = framecache.cache_dir(store)
    assert directory is not None
    return sorted(p.name for p in directory.glob("*.arrow"))


def test_a_new_process_reads_the_frames_written_by_the_first(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = DataSource(store)
    staff = first.frame()
    first.flows()
    version = "-".join(map(str, store.version()))
    names = files(store)
    assert [n.split("-")[:5] for n in names] == [
        ["flows", *version.split("-")],
        ["staff", *version.split("-")],
    ]
    assert all(n.endswith(f"-f{framecache.FORMAT}.arrow") for n in names)

    def no_build(*_: object) -> pd.DataFrame:
        raise AssertionError("built again although its file is there")

    monkeypatch.setattr(framecache, "_build", no_build)
    second = DataSource(store)  # another worker, or the server after a restart
    read_staff, read_flows = second.frame(), second.flows()
    # the same frame: values, dtypes, category order (grades in ladder order), row order
    pd.testing.assert_frame_equal(read_staff, load_frame(store))
    pd.testing.assert_frame_equal(read_flows, load_flows(store))
    pd.testing.assert_frame_equal(read_staff, staff)
    assert read_staff.attrs["sorted_by"] == ("entity", "year")
    assert list(read_staff["grade"].cat.categories[:2]) == ["D-1", "P-4"]  # ladder order
    assert second.options() == first.options()


def test_an_import_writes_the_new_frames_and_removes_the_old(store: Store, tmp_path: Path) -> None:
    DataSource(store).frame()
    before = files(store)
    url = store.url.render_as_string(hide_password=False)
    assert main(["import", str(E2E_DATA / "gamma.csv"), "--db", url]) == 0
    version = "-".join(map(str, store.version()))
    after = files(store)
    assert after != before and len(after) == 2
    assert all(f"-{version}-" in name for name in after)
    assert "Gamma" in "".join(map(str, DataSource(store).frame()["entity"].unique()))


def test_a_damaged_file_is_built_again(store: Store) -> None:
    DataSource(store).frame()
    directory = framecache.cache_dir(store)
    assert directory is not None
    path = next(directory.glob("staff-*.arrow"))
    path.write_bytes(path.read_bytes()[:300])  # cut short, as a full disk would leave it
    pd.testing.assert_frame_equal(DataSource(store).frame(), load_frame(store))
    pd.testing.assert_frame_equal(framecache.read(path), load_frame(store))  # replaced


def test_the_server_answers_before_the_data_is_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """warm() sets Dash up without reading a frame; the frames are then read in a thread.
    While that thread is held, /healthz answers at once: not ready yet (503, "loading")."""
    release = threading.Event()
    started = threading.Event()
    build = framecache._build

    def slow_build(store: Store, kind: str) -> pd.DataFrame:
        started.set()
        assert release.wait(30)
        return build(store, kind)

    monkeypatch.setattr(framecache, "_build", slow_build)
    url = store.url.render_as_string(hide_password=False)
    app = serving.warm(create_app(Settings(database_url=url), host="127.0.0.1"))
    client = app.server.test_client()
    assert started.wait(10)  # the preload thread is reading the staff frame
    health = client.get("/healthz")
    assert (health.status_code, health.get_json()["status"]) == (503, "loading")
    release.set()
    assert client.get("/").status_code == 200  # the shell, with the filters' options
    source = app.server.extensions["parity.source"]
    assert "P-4" in source.options().values["grade"]


def test_a_store_made_again_does_not_read_the_old_stores_frames(tmp_path: Path) -> None:
    """Same file name, same version (one batch, number 1), other figures: other frames."""
    url = f"sqlite:///{tmp_path / 'again.db'}"
    first = Store(url)
    first.import_parsed(parse_file(E2E_DATA / "staff.csv", first.reference()))
    old = DataSource(first).frame()
    first.dispose()
    (tmp_path / "again.db").unlink()
    second = Store(url)
    second.import_parsed(parse_file(E2E_DATA / "gamma.csv", second.reference()))
    assert second.version() == (1, 1, 0, 0)
    new = DataSource(second).frame()
    assert set(new["entity"].unique()) != set(old["entity"].unique())
    pd.testing.assert_frame_equal(new, load_frame(second))


def same_rows(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal frames but for the order of rows within an (entity, year), which no one relies on."""
    columns = list(a.columns)
    pd.testing.assert_frame_equal(
        a.sort_values(columns, kind="stable", ignore_index=True),
        b.sort_values(columns, kind="stable", ignore_index=True),
    )


def test_an_import_updates_the_frames_without_reading_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """parity import builds the new frame from the old one and the batch: the rows of the
    (entity, year) pairs the batch covers are replaced, the rest kept; a batch of flows leaves
    the staffing frame as it is (renamed for the new version)."""
    url = f"sqlite:///{tmp_path / 'merge.db'}"
    assert main(["import", str(E2E_DATA / "staff.csv"), "--db", url]) == 0
    correction = tmp_path / "alpha-2025.csv"  # replaces Alpha 2025, adds Delta 2025
    correction.write_text(
        "year,entity,grade,gender,headcount,duty_station\n"
        "2025,Alpha,P-4,F,7,Geneva\n2025,Alpha,P-4,M,3,Geneva\n"
        "2025,Delta,P-2,F,2,Bangkok\n"
    )

    def no_build(*_: object) -> pd.DataFrame:
        raise AssertionError("the store was read again")

    monkeypatch.setattr(framecache, "_build", no_build)
    for path in (correction, E2E_DATA / "gamma.csv", E2E_DATA / "flows.csv"):
        assert main(["import", str(path), "--db", url]) == 0
    monkeypatch.undo()
    store = Store(url)
    staff, flows = DataSource(store).frame(), DataSource(store).flows()  # read from the files
    same_rows(staff, load_frame(store))
    same_rows(flows, load_flows(store))
    alpha = staff[(staff["entity"] == "Alpha") & (staff["year"] == 2025)]
    assert sorted(alpha["headcount"].tolist()) == [3, 7]  # the correction's rows only
    assert len(files(store)) == 2


def test_a_removed_batch_changes_only_the_pairs_it_covered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a batch is removed (or a round published), the frame is made from the earlier one
    and the store's rows of the (entity, year) pairs whose active batch changed, not rebuilt."""
    url = f"sqlite:///{tmp_path / 'remove.db'}"
    store = Store(url)
    store.import_parsed(parse_file(E2E_DATA / "staff.csv", store.reference()))
    correction = tmp_path / "alpha-2025.csv"
    correction.write_text(
        "year,entity,grade,gender,headcount,duty_station\n"
        "2025,Alpha,P-4,F,7,Geneva\n2025,Alpha,P-4,M,3,Geneva\n2025,Delta,P-2,F,2,Bangkok\n"
    )
    batch = store.import_parsed(parse_file(correction, store.reference(), entities=["Alpha"]))
    DataSource(store).frame()  # the frame with the correction, on disk
    store.remove_batch(batch.id)  # Alpha 2025 as staff.csv gave it, Delta gone
    asked: list[tuple[str, ...]] = []
    counts = store.read_active_counts

    def spy(entities: object = None, drafts: bool = False) -> object:
        asked.append(tuple(entities or ()))  # type: ignore[arg-type]
        return counts(entities, drafts)  # type: ignore[arg-type]

    def no_build(*_: object) -> pd.DataFrame:
        raise AssertionError("built from the whole store")

    monkeypatch.setattr(store, "read_active_counts", spy)
    monkeypatch.setattr(framecache, "_build", no_build)
    after = DataSource(store).frame()
    monkeypatch.undo()
    assert asked == [("Alpha", "Delta")]  # only the entities of the changed pairs
    same_rows(after, load_frame(store))
    alpha = after[(after["entity"] == "Alpha") & (after["year"] == 2025)]
    assert sorted(alpha["headcount"].tolist()) == [1, 2, 3, 4, 6, 8]  # staff.csv's Alpha 2025
    assert "Delta" not in set(after["entity"].dropna())


def test_a_batch_of_another_kind_leaves_the_frame_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flows file imported by another route (not parity import): the staffing frame of the
    new version is the earlier one, read from disk, and no staffing row is read."""
    before = DataSource(store).frame()
    text = (E2E_DATA / "flows.csv").read_text().replace("appointment,2", "appointment,3")
    path = framecache.cache_dir(store).parent / "flows-2.csv"  # type: ignore[union-attr]
    path.write_text(text)
    store.import_parsed(parse_file(path, store.reference()))

    def refuse(*_: object, **__: object) -> object:
        raise AssertionError("staffing rows read again")

    monkeypatch.setattr(store, "read_active_counts", refuse)
    monkeypatch.setattr(framecache, "_build", refuse)
    after = DataSource(store).frame()
    monkeypatch.undo()
    pd.testing.assert_frame_equal(after, before)
    assert len([n for n in files(store) if n.startswith("staff-")]) == 1
