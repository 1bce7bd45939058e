"""The command line, in-process and as a real subprocess (cli)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from parity.cli import main

STAFF = Path(__file__).parent / "e2e" / "data" / "staff.csv"


@pytest.fixture()
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(STAFF), "--db", url]) == 0
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_report_json_fields_and_values(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "report", "--by", "entity", "--format", "json", "--db", db)
    assert status == 0
    rows = json.loads(out)
    assert list(rows[0]) == [
        "entity",
        "women",
        "men",
        "other",
        "total",
        "women_share",
        "gap_pp",
        "parity_status",
        "women_needed",
        "men_needed",
    ]
    alpha = rows[0]
    # Alpha 2025 (the latest year): 9 women, 15 men
    assert (alpha["entity"], alpha["women"], alpha["men"], alpha["parity_status"]) == (
        "Alpha",
        9,
        15,
        "women_under",
    )
    assert alpha["women_share"] == pytest.approx(0.375)
    assert alpha["women_needed"] == 3  # 12/24 -> 50%; 11/24 = 45.8%


def test_report_filters_year_and_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "report",
        "--by",
        "grade",
        "--year",
        "2024",
        "--where",
        "entity=Beta",
        "--format",
        "csv",
        "--db",
        db,
    )
    assert status == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("grade,women,men,other,total,women_share")
    assert lines[1].startswith("P-4,4,6,0,10,0.4,10.0,women_under,1,0")


def test_table_format_has_a_title(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "report", "--by", "year", "--db", db)
    assert out.splitlines()[0] == "Women's representation - all entities"
    assert "46.9%" in out and "42.6%" in out


def test_project_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "project", "--format", "json", "--db", db)
    assert status == 0
    (row,) = json.loads(out)
    assert list(row) == [
        "base_year",
        "women_share",
        "annual_change_pp",
        "projection_status",
        "projected_year",
    ]
    # 20/47 (42.55%) in 2024, 23/49 (46.94%) in 2025: +4.39 pp, 50% within 2026
    assert row["projected_year"] == 2026
    assert row["annual_change_pp"] == pytest.approx(100 * (23 / 49 - 20 / 47))


@pytest.mark.parametrize(
    ("args", "message"),
    [(["report", "--by", "colour"], "unknown dimension 'colour'"),
     (["report", "--where", "entity"], "--where expects DIM=VALUE"),
     (["import", "missing.csv"], "missing.csv: refused, 1 problem"),
     (["project", "--window", "0"], "--window must be at least 1 year"),
     (["batches", "--remove", "9"], "there is no batch 9")],
)  # fmt: skip
def test_errors_are_one_clear_message(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = run(capsys, *args, "--db", db)
    assert status == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_refused_import_exit_status_and_store_unchanged(
    db: str, capsys: pytest.CaptureFixture[str], write: Callable[..., Path]
) -> None:
    bad = write("bad.csv", "year,entity,grade,gender,headcount\n2025,Gamma,P-4,F,-3\n")
    status, _, err = run(capsys, "import", str(bad), "--db", db)
    assert status == 2
    assert "bad.csv: row 2, column 'headcount': '-3' is negative" in err
    _, out, _ = run(capsys, "batches", "--db", db)
    assert "bad.csv" not in out and "staff.csv" in out


def test_bad_database_url(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "report", "--db", "nosuchdriver://x")
    assert status == 2
    assert err.startswith("parity: cannot use the database URL 'nosuchdriver://x'")


def test_demo_is_idempotent_as_a_real_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    command = [sys.executable, "-m", "parity", "demo", "--db", url]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "loaded demo data as batch 1" in first.stdout
    second = subprocess.run(command, capture_output=True, text=True, check=True)
    assert second.stdout.count("already loaded") == 3
    listing = subprocess.run(
        [sys.executable, "-m", "parity", "batches", "--db", url],
        capture_output=True,
        text=True,
        check=True,
    )
    assert listing.stdout.count("parity-demo") == 3
