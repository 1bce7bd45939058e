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
from typing import Any

import pytest

from parity.cli import main
from parity.rounds.board import round_board
from parity.store import Store
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
        # what a publication now would pass over: Alpha's flags, Gamma's silence
        from parity.services.rounds import unready

        assert unready(store, 1) == {"flagged": ["Alpha"], "missing": ["Gamma"]}
    finally:
        store.dispose()

    # nothing public changes before publication
    assert report(db_url, capsys) == before
    assert main(["rounds", "confirm", "1", "Alpha", "--db", db_url]) == 0
    missing = tmp_path / "missing.csv"
    capsys.readouterr()
    assert main(["rounds", "status", "1", "--missing-csv", str(missing), "--db", db_url]) == 0
    assert missing.read_text().splitlines() == ["entity,status", "Gamma,not started"]
    status = capsys.readouterr().out
    # batch numbers as numbers (Alpha's submission is batch 2), one entity as one
    alpha_line = next(line for line in status.splitlines() if line.startswith("Alpha"))
    assert " 2 " in alpha_line and "2.00" not in status
    assert status.rstrip().endswith("1 entity missing")
    # Gamma sent nothing: publishing says so and waits for --force
    assert main(["rounds", "publish", "1", "--db", db_url]) == 2
    assert capsys.readouterr().err == (
        "parity: round 1 is not ready to publish: nothing submitted: Gamma (--force publishes "
        "it anyway)\n"
    )
    assert main(["rounds", "publish", "1", "--force", "--db", db_url]) == 0
    assert report(db_url, capsys) == {"Alpha": (13, 22), "Beta": (14, 12)}  # 2026, published
    from io import BytesIO

    from openpyxl import load_workbook

    from parity.rounds.board import round_workbook

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
    from parity.filters import FilterState
    from parity.web import sessions
    from parity.web.source import Context, DataSource

    app = create_app(Settings(database_url=db_url, sign_in=True, secret_key="k" * 32), "127.0.0.1")
    context = Context(DataSource(Store(db_url)), Settings(database_url=db_url), False, sign_in=True)
    from io import BytesIO

    from openpyxl import load_workbook

    from parity.web.briefing_menu import briefing_file
    from parity.web.pages.data.grid import view

    for user, year, banner in (("ana", 2026, True), ("bob", 2025, False)):
        with app.server.test_request_context("/"):
            found = context.source.store.user(user)
            assert found is not None
            sessions.start(user, found.session_version)
            # ana sees her entity's draft (2026), marked; bob sees the published figures (2025)
            assert context.view(overview, "entity=Alpha").year == year, user
            assert context.drafts_for(FilterState(entity=("Alpha",))) is banner
            # the Data grid and the briefing of the same view: the same figures (one request)
            grid = view(context, "entity=Alpha", ["year"]).table.rows
            assert int(grid["year"].max()) == year, user
            content, _name = briefing_file(context, "entity=Alpha", "xlsx")
            about = load_workbook(BytesIO(content))["Filters and definitions"]
            rows = {r[0]: r[1] for r in about.iter_rows(values_only=True)}
            assert rows["Year"] == str(year), user
    context.source.store.dispose()


def test_the_board_shows_drafts_only_to_their_entity_and_admins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review read every entity's flags ("grade P-2 has 2 people in 2026"), figures and
    submitters from the board's callback as an anonymous visitor and as another entity's focal
    point, and downloaded the missing list. Over HTTP now: anonymous and cross-entity readers
    get each entity's status and date, nothing else; the entity's own focal point and the
    admin get the flags; only the admin gets the missing list."""
    import io

    from parity.settings import Settings
    from parity.web.app import create_app
    from tests.test_auth import outputs_of, sign_in, sign_out

    db = f"sqlite:///{tmp_path / 'b.db'}"
    assert main(["import", str(DATA.parent / "e2e" / "data" / "staff.csv"), "--db", db]) == 0
    for name, role, entity in (("ana", "focal_point", "Alpha"), ("bob", "focal_point", "Beta"),
                               ("root", "admin", None)):  # fmt: skip
        monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
        scope = ["--entity", entity] if entity else []
        assert main(["users", "add", name, "--role", role, *scope, "--password-stdin",
                     "--db", db]) == 0  # fmt: skip
    args = ["rounds", "open", "r", "--as-of", "2026-12-31", "--due", "2027-01-31"]
    assert main([*args, "--entity", "Alpha", "--entity", "Beta", "--db", db]) == 0
    beta = tmp_path / "beta.csv"  # 2 people at P-2: a flagged grade never used, 2 new people
    beta.write_text(HEADER + "2026,Beta,Nairobi,P-2,F,1\n2026,Beta,Nairobi,P-2,M,1\n")
    assert main(["import", str(beta), "--round", "1", "--db", db]) == 0

    settings = Settings(database_url=db, sign_in=True, public_access=True, secret_key="k" * 32)
    client = create_app(settings, "127.0.0.1").server.test_client()

    def callback(output: str, inputs: dict[str, Any]) -> dict[str, Any] | None:
        spec = next(
            d for d in client.get("/_dash-dependencies").get_json() if output in d["output"]
        )
        body = {
            "output": spec["output"],
            "outputs": outputs_of(spec) if "..." in spec["output"] else
            {"id": output.split(".")[0], "property": output.split(".")[1]},
            "inputs": [{**i, "value": inputs.get(i["id"], 1)} for i in spec["inputs"]],
            "changedPropIds": [f"{next(iter(inputs))}.n_clicks"],
            "state": [{**s, "value": 1 if s["id"] == "rounds-select" else None}
                      for s in spec.get("state", [])],
        }  # fmt: skip
        answer = client.post("/_dash-update-component", json=body,
                             headers={"Origin": "http://localhost"})  # fmt: skip
        return answer.get_json() if answer.status_code == 200 else None

    def board() -> dict[str, dict[str, Any]]:
        answer = callback("rounds-grid.rowData", {"rounds-select": 1, "rounds-version": 0})
        assert answer is not None
        return {r["entity"]: r for r in answer["response"]["rounds-grid"]["rowData"]}

    def missing_list() -> Any:
        answer = callback("rounds-download.data", {"rounds-missing": 1})
        return None if answer is None else answer["response"].get("rounds-download")

    readers = {"anonymous": None, "ana": "ana", "bob": "bob", "root": "root"}
    for reader, name in readers.items():
        if name:
            sign_in(client, name)
        rows = board()
        beta_row, alpha_row = rows["Beta"], rows["Alpha"]
        assert beta_row["status"] == "flagged" and alpha_row["status"] == "not started"
        assert beta_row["submitted"]  # the date: everyone
        text = json.dumps(rows)
        if reader in ("bob", "root"):
            assert beta_row["by"].startswith("cli:") and "P-2" in beta_row["to check"], reader
            assert beta_row["flags"] >= 1 and beta_row["batch"] == 2
        else:
            assert "P-2" not in text and "cli:" not in text and "people" not in text, reader
            assert beta_row["by"] == "" and beta_row["batch"] is None, reader
        assert (missing_list() is not None) is (reader == "root"), reader
        if name:
            sign_out(client)
