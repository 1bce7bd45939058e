"""The changes of state the command line and the dashboard share (parity.services): one
permission check, the change and its audit record together, and the dashboard's frames and
public publication ready afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity import framecache
from parity.auth import User
from parity.errors import ParityError
from parity.ingest import parse_file
from parity.services.imports import import_file, remove_batch
from parity.store import Store

E2E = Path(__file__).parent / "e2e" / "data"


def test_who_may_import_and_remove(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    parsed = parse_file(E2E / "staff.csv", store.reference())  # Alpha and Beta
    for actor, refusal in (
        (User("ana", "focal_point", ("Alpha",)), "Only data stewards and administrators"),
        (User("vic", "viewer"), "Only data stewards and administrators"),
        (User("sam", "steward", ("Beta",)), "holds figures of Alpha, outside your entities"),
    ):
        with pytest.raises(ParityError, match=refusal):
            import_file(store, parsed, actor, min_cell=5)
    assert store.batches() == []  # nothing written, nothing half-written
    imported = import_file(store, parsed, User("root", "admin"), min_cell=5)
    assert imported.batch.id == 1 and imported.flags == {}
    # the public publication of the new state is on disk, beside the frames
    directory = framecache.cache_dir(store)
    assert directory is not None and list(directory.glob("publication.m5r*-*.json"))
    with pytest.raises(ParityError, match="outside your entities"):
        remove_batch(store, User("sam", "steward", ("Beta",)), 1, min_cell=5)
    remove_batch(store, User("root", "admin"), 1, min_cell=5)
    assert store.batches() == []
    actions = [(who, action) for _at, who, action, _detail, _host in store.audit_log()]
    assert actions[:2] == [("root", "batch removed"), ("root", "import")]
    store.dispose()


def test_rounds_and_users_have_one_check_each(tmp_path: Path) -> None:
    from datetime import date

    from parity.services import rounds, users

    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    root, sam = User("root", "admin"), User("sam", "steward", ("Beta",))
    import_file(store, parse_file(E2E / "staff.csv", store.reference()), root, min_cell=5)
    as_of, due = date(2026, 12, 31), date(2027, 1, 31)
    with pytest.raises(ParityError, match="only administrators open"):
        rounds.open_round(store, sam, "r", as_of, due, ["Alpha", "Beta"])
    number = rounds.open_round(store, root, "r", as_of, due, ["Alpha", "Beta"])
    beta = tmp_path / "beta.csv"  # a grade Beta never had: flagged
    beta.write_text("year,entity,grade,gender,headcount\n2026,Beta,P-2,F,1\n2026,Beta,P-2,M,1\n")
    import_file(store, parse_file(beta, store.reference()), sam, min_cell=5, round_id=number)
    with pytest.raises(ParityError, match="only Beta's data stewards"):
        rounds.confirm(store, User("ana", "focal_point", ("Beta",)), number, "Beta")
    rounds.confirm(store, sam, number, "Beta")
    with pytest.raises(ParityError, match="only administrators open, publish"):
        rounds.set_published(store, sam, number, True, min_cell=5)
    with pytest.raises(rounds.Unready, match="nothing submitted: Alpha"):  # asks first
        rounds.set_published(store, root, number, True, min_cell=5)
    rounds.set_published(store, root, number, True, min_cell=5, force=True)
    with pytest.raises(ParityError, match="only administrators manage users"):
        users.put_user(store, sam, "eve", "admin", (), None)
    users.put_user(store, root, "eve", "viewer", (), None)
    users.remove_user(store, root, "eve")
    actions = [(who, action) for _at, who, action, _d, _host in store.audit_log()][:8]
    assert actions == [
        ("root", "user removed"),
        ("root", "user added"),
        ("root", "round published"),
        ("sam", "submission confirmed"),
        ("sam", "submission"),
        ("sam", "import"),
        ("root", "round opened"),
        ("root", "import"),
    ]
    store.dispose()
