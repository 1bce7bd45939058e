"""A whole reporting round on both databases (issue 11): open, three entities, one submission
with a planted 40% jump flagged then confirmed, one late; the public figures change only at
publication, unpublishing restores them, and the audit records each step.

Published before the round (tests/e2e/data/staff.csv), 2025: Alpha 25 people (9 women, 15 men,
1 other), Beta 25 (14 women, 11 men).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from parity.cli import main
from parity.rounds import round_board
from parity.storage import Store
from tests.conftest import DATA

HEADER = "year,entity,duty_station,grade,gender,headcount\n"


def report(db_url: str, capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[int, int]]:
    """The published figures by entity in their latest year: {entity: (women, men)}."""
    capsys.readouterr()
    assert main(["report", "--by", "entity", "--db", db_url, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    return {r["entity"]: (r["women"], r["men"]) for r in rows}


def test_a_whole_round(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(DATA.parent / "e2e" / "data" / "staff.csv"), "--db", db_url]) == 0
    before = report(db_url, capsys)
    assert before == {"Alpha": (9, 15), "Beta": (14, 11)}
    due = date.today() + timedelta(days=30)
    args = ["rounds", "open", "2026 data call", "--as-of", "2026-12-31", "--due", f"{due}"]
    assert main([*args, "--entity", "Alpha", "--entity", "Beta", "--entity", "Gamma",
                 "--db", db_url]) == 0  # fmt: skip
    capsys.readouterr()

    # Alpha: 35 people in 2026 (25 in 2025: +40%, over the 20% rule)
    alpha = tmp_path / "alpha.csv"
    alpha.write_text(
        HEADER + "2026,Alpha,Geneva,P-4,F,8\n2026,Alpha,Geneva,P-4,M,6\n"
        "2026,Alpha,Geneva,D-1,F,1\n2026,Alpha,Geneva,D-1,M,3\n"
        "2026,Alpha,Juba,P-3,F,4\n2026,Alpha,Juba,P-3,M,13\n"
    )
    assert main(["import", str(alpha), "--round", "1", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "submitted Alpha to round 1" in out and "check:" in out
    # Beta: 26 people (25 before: +4%)
    beta = tmp_path / "beta.csv"
    beta.write_text(HEADER + "2026,Beta,Nairobi,P-4,F,5\n2026,Beta,Nairobi,P-4,M,6\n"
                    "2026,Beta,Nairobi,P-3,F,9\n2026,Beta,Nairobi,P-3,M,6\n")  # fmt: skip
    assert main(["import", str(beta), "--round", "1", "--db", db_url]) == 0
    store = Store(db_url)
    try:
        board = round_board(store, 1).set_index("entity")["status"].to_dict()
        assert board == {"Alpha": "flagged", "Beta": "submitted", "Gamma": "not started"}
        late = round_board(store, 1, today=due + timedelta(days=1))
        assert late.set_index("entity").loc["Gamma", "status"] == "late"
    finally:
        store.dispose()

    # nothing public changes before publication
    assert report(db_url, capsys) == before
    assert main(["rounds", "confirm", "1", "Alpha", "--db", db_url]) == 0
    missing = tmp_path / "missing.csv"
    assert main(["rounds", "status", "1", "--missing-csv", str(missing), "--db", db_url]) == 0
    assert missing.read_text().splitlines() == ["entity,status", "Gamma,not started"]
    assert main(["rounds", "publish", "1", "--db", db_url]) == 0
    assert report(db_url, capsys) == {"Alpha": (13, 22), "Beta": (14, 12)}  # 2026, published
    from io import BytesIO

    from openpyxl import load_workbook

    from parity.rounds import round_workbook

    store = Store(db_url)
    try:
        book = load_workbook(BytesIO(round_workbook(store, 1)))
    finally:
        store.dispose()
    by_entity = {r[0]: r[1:3] for r in book["By entity"].iter_rows(min_row=2, values_only=True)}
    assert by_entity == {"Alpha": (13, 22), "Beta": (14, 12)}  # the round's figures, exact
    status = {r[0]: r for r in book["Status and changes"].iter_rows(min_row=2, values_only=True)}
    assert status["Alpha"][1] == "confirmed" and "headcount" in status["Alpha"][6]
    assert status["Gamma"][1] == "not started"
    assert main(["rounds", "unpublish", "1", "--db", db_url]) == 0
    assert report(db_url, capsys) == before  # the previous published figures are back

    capsys.readouterr()
    assert main(["audit", "--limit", "20", "--db", db_url]) == 0
    audit = capsys.readouterr().out
    for action in ("round opened", "submission", "submission confirmed", "round published",
                   "round unpublished"):  # fmt: skip
        assert action in audit, action


def test_a_submission_outside_the_round_is_refused(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["rounds", "open", "r", "--as-of", "2026-12-31", "--due", "2027-01-31"]
    assert main([*args, "--entity", "Alpha", "--db", db_url]) == 0
    other = tmp_path / "other.csv"
    other.write_text(HEADER + "2026,Omega,Geneva,P-4,F,3\n")
    assert main(["import", str(other), "--round", "1", "--db", db_url]) == 2
    assert "Omega not in round 1; nothing was imported" in capsys.readouterr().err
    store = Store(db_url)
    try:
        assert store.batches() == []
    finally:
        store.dispose()


def test_focal_points_see_their_drafts_marked_and_no_one_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from parity.settings import Settings
    from parity.views.overview import overview
    from parity.web.app import create_app

    db_url = f"sqlite:///{tmp_path / 'd.db'}"
    assert main(["import", str(DATA.parent / "e2e" / "data" / "staff.csv"), "--db", db_url]) == 0
    for name, entity in (("ana", "Alpha"), ("bob", "Beta")):
        monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
        assert main(["users", "add", name, "--role", "focal_point", "--entity", entity,
                     "--password-stdin", "--db", db_url]) == 0  # fmt: skip
    args = ["rounds", "open", "r", "--as-of", "2026-12-31", "--due", "2027-01-31"]
    assert main([*args, "--entity", "Alpha", "--db", db_url]) == 0
    draft = tmp_path / "alpha.csv"
    draft.write_text(HEADER + "2026,Alpha,Geneva,P-4,F,20\n2026,Alpha,Geneva,P-4,M,10\n")
    assert main(["import", str(draft), "--round", "1", "--db", db_url]) == 0
    from flask import session

    from parity.filters import FilterState
    from parity.web.source import Context, DataSource

    app = create_app(Settings(database_url=db_url, sign_in=True, secret_key="k" * 32), "127.0.0.1")
    context = Context(DataSource(Store(db_url)), Settings(database_url=db_url), False, sign_in=True)
    for user, year, banner in (("ana", 2026, True), ("bob", 2025, False)):
        with app.server.test_request_context("/"):
            session["parity_user"] = user
            # ana sees her entity's draft (2026), marked; bob sees the published figures (2025)
            assert context.view(overview, "entity=Alpha").year == year, user
            assert context.drafts_for(FilterState(entity=("Alpha",))) is banner
    context.source.store.dispose()
