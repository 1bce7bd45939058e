"""The command line, in-process and as a real subprocess (cli).

Data: tests/data/staff.csv. 2024: Alpha 8 women / 15 men, Beta 12 / 12 (all 20 / 27);
2025: Alpha 9 / 15 and one other, Beta 14 / 11 (all 23 / 26).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from parity.cli import main
from tests.conftest import DATA

STAFF = DATA / "staff.csv"
PARITY = Path(sys.executable).parent / "parity"  # the installed console script
REPORT_FIELDS = ["women", "men", "other", "total", "women_share", "gap_pp", "parity_status",
                 "women_needed", "men_needed", "women_to_50_50", "men_to_50_50"]  # fmt: skip
PROJECT_FIELDS = ["base_year", "women_share", "annual_change_pp", "projection_status",
                  "projected_year", "parity_status", "goal_status"]  # fmt: skip


@pytest.fixture()
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(STAFF), "--db", url]) == 0
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def as_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    status, out, err = run(capsys, *args, "--format", "json")
    assert (status, err) == (0, "")
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_import_prints_the_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "import", str(STAFF), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert (status, err) == (0, "")
    # 10 wide rows, 3 counts each (women, men, other)
    assert out == (
        "imported batch 1: staff.csv, 10 rows read, 30 counts stored, 2 entities, years 2024-2025\n"
    )


def test_report_json_fields_and_values(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = as_json(capsys, "report", "--by", "entity", "--db", db)
    assert [list(row) for row in rows] == [["entity", *REPORT_FIELDS]] * 2
    # the latest year, 2025. Alpha: 9 / 24 = 37.5%; 12 women of 24 is the least at parity
    # (11 / 24 = 45.8%, and 11 vs 13 differ by two), so 3 posts move from men to women.
    # Beta: 14 / 25 = 56%; 13 / 25 = 52% is parity: 1 post moves the other way.
    assert rows == [
        {"entity": "Alpha", "women": 9, "men": 15, "other": 1, "total": 25,
         "women_share": 0.375, "gap_pp": 12.5, "parity_status": "women_under",
         "women_needed": 3, "men_needed": 0, "women_to_50_50": 3, "men_to_50_50": 0},
        {"entity": "Beta", "women": 14, "men": 11, "other": 0, "total": 25,
         "women_share": pytest.approx(0.56), "gap_pp": pytest.approx(-6.0),
         "parity_status": "men_under", "women_needed": 0, "men_needed": 1,
         "women_to_50_50": 0, "men_to_50_50": 1},
    ]  # fmt: skip


def test_report_year_where_and_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "report", "--by", "grade", "--year", "2024", "--where", "entity=Beta",
        "--format", "csv", "--db", db,
    )  # fmt: skip
    assert (status, err) == (0, "")
    # P-4: 4 / 10, 5 / 10 is parity and 50/50: 1 woman needed. P-3: 8 / 14 = 57.1%, 7 / 14 is
    # parity and 50/50: 1 man.
    assert out.splitlines() == [
        "grade,women,men,other,total,women_share,gap_pp,parity_status,women_needed,men_needed,"
        "women_to_50_50,men_to_50_50",
        "P-4,4,6,0,10,0.4,10.0,women_under,1,0,1,0",
        f"P-3,8,6,0,14,{8 / 14!r},{50 - 100 * (8 / 14)!r},men_under,0,1,0,1",
    ]


def test_report_by_several_dimensions_with_repeated_where(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = as_json(
        capsys, "report", "--by", "entity, location", "--where", "grade=P-4", "--where",
        "grade=P-3", "--db", db,
    )  # fmt: skip
    assert [(r["entity"], r["location"], r["women"], r["men"], r["other"]) for r in rows] == [
        ("Alpha", "HQ", 6, 4, 1),  # Geneva, P-4 (D-1 is filtered out)
        ("Alpha", "Field", 2, 8, 0),  # Juba
        ("Beta", "HQ", 14, 11, 0),  # Nairobi
    ]


def test_report_table(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "report", "--db", db)
    assert status == 0
    assert out.splitlines() == [
        "Women's representation - all entities, 2025",  # the latest year by default
        "",
        "women  men  other  total  women_share  gap_pp  parity_status  women_needed  men_needed"
        "  women_to_50_50  men_to_50_50",
        "-----  ---  -----  -----  -----------  ------  -------------  ------------  ----------"
        "  --------------  ------------",
        # 23 of 49 women and men: 24 (49.0%) is in the zone and the closest split to 50/50
        "   23   26      1     50        46.9%    +3.1  women_under               1           0"
        "               1             0",
    ]
    _, out, _ = run(capsys, "report", "--by", "year", "--db", db)
    assert out.splitlines()[0] == "Women's representation - all entities"  # every year
    assert [line.split()[:3] for line in out.splitlines()[4:]] == [
        ["2024", "20", "27"],
        ["2025", "23", "26"],
    ]


def test_project_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    (total,) = as_json(capsys, "project", "--db", db)
    assert list(total) == PROJECT_FIELDS
    # 20 / 47 (42.55%) in 2024, 23 / 49 (46.94%) in 2025: +4.39 pp, 50% within 2026
    assert total == {
        "base_year": 2025,
        "women_share": pytest.approx(23 / 49),
        "annual_change_pp": pytest.approx(100 * (23 / 49 - 20 / 47)),
        "projection_status": "projected",
        "projected_year": 2026,
        # under 47% now; the line is at 46.94 + 3 x 4.39 = 60.1% in 2028: in the zone by then
        "parity_status": "women_under",
        "goal_status": "on_track",
    }
    by_entity = as_json(capsys, "project", "--by", "entity", "--db", db)
    assert [list(row) for row in by_entity] == [["entity", *PROJECT_FIELDS]] * 2
    # Alpha: 8 / 23 -> 9 / 24, +2.72 pp a year, 12.5 pp to go: 4.6 years, 2030. Beta: 56%.
    assert [(r["entity"], r["projection_status"], r["projected_year"]) for r in by_entity] == [
        ("Alpha", "projected", 2030),
        ("Beta", "reached", None),
    ]
    # Alpha at 37.5 + 3 x 2.72 = 45.7% in 2028, short of the zone; Beta 56% (men
    # under-represented) and rising 6 points a year, away from it: both off track
    assert [(r["parity_status"], r["goal_status"]) for r in by_entity] == [
        ("women_under", "off_track"),
        ("men_under", "off_track"),
    ]
    # a one-year window from 2025 reaches back to 2024: the same two points
    (alpha,) = as_json(capsys, "project", "--where", "entity=Alpha", "--window", "1", "--db", db)
    assert alpha["projected_year"] == 2030
    # ols adds its 80% interval (none with two years)
    (ols,) = as_json(capsys, "project", "--method", "ols", "--db", db)
    assert list(ols) == [
        *PROJECT_FIELDS[:5],
        "projected_year_low",
        "projected_year_high",
        *PROJECT_FIELDS[5:],
    ]
    assert (ols["projected_year"], ols["projected_year_low"]) == (2026, None)


@pytest.mark.parametrize(
    ("args", "message"),
    [(["report", "--by", "colour"],
      "parity: unknown dimension 'colour'; choose from year, entity, grade, category, "
      "duty_station, country, region, location, age_band, contract_type, personnel_type"),
     (["report", "--where", "entity"], "parity: --where expects DIM=VALUE, not 'entity'"),
     (["report", "--where", "colour=red"], "parity: unknown filter 'colour'; choose from year,"),
     (["import", "missing.csv"], "missing.csv: refused, 1 problem; nothing was imported."),
     (["project", "--window", "0"], "parity: --window must be at least 1 year"),
     (["project", "--by", "year"],
      "parity: projections run over years: 'year' cannot be a --by dimension"),
     (["batches", "--remove", "9"], "parity: there is no batch 9 (see 'parity batches')")],
)  # fmt: skip
def test_errors_are_one_clear_message(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = run(capsys, *args, "--db", db)
    assert (status, out) == (2, "")
    assert err.startswith(message)
    if args[0] != "import":
        assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [("nosuchdriver://x", "parity: cannot use the database URL 'nosuchdriver://x': "),
     ("not a url", "parity: cannot use the database URL 'not a url': "),
     ("postgresql+psycopg://nobody@127.0.0.1:1/none",
      "parity: cannot open the database postgresql+psycopg://nobody@127.0.0.1:1/none: "),
     ("sqlite:///{tmp}/text.db", "parity: cannot open the database sqlite:///{tmp}/text.db: "
      "file is not a database")],
)  # fmt: skip
def test_a_bad_database_url_is_one_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str, message: str
) -> None:
    (tmp_path / "text.db").write_text("not a database\n")
    status, out, err = run(capsys, "report", "--db", url.format(tmp=tmp_path))
    assert (status, out) == (2, "")
    assert err.startswith(message.format(tmp=tmp_path))
    assert len(err.splitlines()) == 1


def test_usage_errors_are_one_line_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["report", "--format", "xml"])
    assert caught.value.code == 2
    assert capsys.readouterr().err == (
        "parity report: argument --format: invalid choice: 'xml' "
        "(choose from 'table', 'csv', 'json') (see 'parity report --help')\n"
    )


def test_a_bad_setting_is_one_clear_message(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITY_MIN_CELL", "five")
    assert run(capsys, "report", "--db", db) == (
        2,
        "",
        "parity: PARITY_MIN_CELL must be a whole number, not 'five'\n",
    )


def _bad_xlsx(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    return path


@pytest.mark.parametrize(
    ("name", "content", "lines"),
    [("negative.csv", "year,entity,grade,gender,headcount\n2025,Gamma,P-4,F,-3\n",
      ["negative.csv: refused, 1 problem; nothing was imported.",
       "negative.csv: row 2, column 'headcount': '-3' is negative"]),
     ("grade.csv", "Year,Entity,Grade,Sex,Count\n2025,Gamma,P-4,F,3\n2025,Gamma,P-11,M,2\n",
      ["grade.csv: refused, 1 problem; nothing was imported.",
       "grade.csv: row 3, column 'grade': 'P-11' is not a grade in the reference ladder; did "
       "you mean P-7 or P-6?"]),
     ("columns.csv", "year,entity,gender,headcount\n2025,Gamma,F,3\n",
      ["columns.csv: refused, 1 problem; nothing was imported.",
       "columns.csv: row 1: missing required column(s) 'grade'; "
       "found: year, entity, gender, headcount",
       "columns.csv: say which of its columns is which with --map COLUMN=FIELD (e.g. --map "
       "'Niveau=grade')"]),
     ("many.csv", "year,entity,grade,gender,headcount\n" + "2025,Gamma,P-4,F,1.5\n" * 23,
      ["many.csv: refused, 23 problems; nothing was imported.",
       *(f"many.csv: row {r}, column 'headcount': '1.5' is not a whole number"
         for r in range(2, 22)),
       "... and 3 more problems"]),
     ("empty.csv", "", ["empty.csv: refused, 1 problem; nothing was imported.",
                        "empty.csv: the file is empty"]),
     ("garbage.csv", bytes(range(256)),
      ["garbage.csv: refused, 1 problem; nothing was imported.",
       "garbage.csv: is not a text (CSV) file; use CSV or XLSX"]),
     ("broken.xlsx", None, ["broken.xlsx: refused, 1 problem; nothing was imported."])],
)  # fmt: skip
def test_a_refused_import_changes_nothing(
    db: str,
    capsys: pytest.CaptureFixture[str],
    write: Callable[..., Path],
    tmp_path: Path,
    name: str,
    content: str | bytes | None,
    lines: list[str],
) -> None:
    path = _bad_xlsx(tmp_path / name) if content is None else write(name, content)
    _, batches_before, _ = run(capsys, "batches", "--db", db)
    rows_before = as_json(capsys, "report", "--by", "year,entity,grade,duty_station", "--db", db)
    status, out, err = run(capsys, "import", str(path), "--db", db)
    assert (status, out) == (2, "")
    assert err.splitlines()[: len(lines)] == lines
    assert len(err.splitlines()) == len(lines) + (content is None)  # + the workbook's reason
    assert "Traceback" not in err
    assert run(capsys, "batches", "--db", db)[1] == batches_before
    assert as_json(capsys, "report", "--by", "year,entity,grade,duty_station", "--db", db) == (
        rows_before
    )


def test_batches_list_supersede_and_remove(
    db: str, capsys: pytest.CaptureFixture[str], write: Callable[..., Path]
) -> None:
    correction = write("beta-2025.csv", "year,entity,grade,gender,headcount\n"
                       "2025,Beta,P-4,F,4\n2025,Beta,P-4,M,6\n")  # fmt: skip
    assert run(capsys, "import", str(correction), "--db", db)[:2] == (
        0,
        "imported batch 2: beta-2025.csv, 2 rows read, 2 counts stored, 1 entity, years 2025\n",
    )
    header, first, second = run(capsys, "batches", "--db", db)[1].splitlines()
    assert header.split() == ["batch", "kind", "imported", "(UTC)", "rows", "counts",
                              "entities", "years", "file"]  # fmt: skip
    sha = hashlib.sha256(STAFF.read_bytes()).hexdigest()
    assert first.split()[:2] + first.split()[4:] == [
        "1", "staff", "10", "30", "2", "2024-2025", "staff.csv", f"sha256:{sha[:12]}"
    ]  # fmt: skip
    assert second.split()[:2] + second.split()[4:-1] == [
        "2", "staff", "2", "2", "1", "2025", "beta-2025.csv"
    ]  # fmt: skip
    beta = as_json(capsys, "report", "--by", "entity", "--db", db)[1]
    assert (beta["women"], beta["men"]) == (4, 6)  # Beta 2025 now comes from the correction
    # the same file again is refused, in one line
    assert run(capsys, "import", str(correction), "--db", db) == (
        2,
        "",
        "parity: beta-2025.csv: this exact file is already imported as batch 2; nothing was "
        "imported (remove that batch first to import it again)\n",
    )
    assert run(capsys, "batches", "--remove", "2", "--db", db)[:2] == (
        0,
        "removed batch 2: beta-2025.csv, 2 rows read, 2 counts stored, 1 entity, years 2025\n",
    )
    beta = as_json(capsys, "report", "--by", "entity", "--db", db)[1]
    assert (beta["women"], beta["men"]) == (14, 11)  # the first file's figures are back


def test_csv_output_neutralises_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write: Callable[..., Path]
) -> None:
    url = f"sqlite:///{tmp_path / 'formulas.db'}"
    entities = ["=1+2", "+A1", "-A1", "@SUM(A1)", "Plain"]
    rows = "".join(f"2025,{e},P-4,F,1\n" for e in entities)
    assert main(["import", str(write("f.csv", "year,entity,grade,gender,headcount\n" + rows)),
                 "--db", url]) == 0  # fmt: skip
    capsys.readouterr()
    _, out, _ = run(capsys, "report", "--by", "entity", "--format", "csv", "--db", url)
    assert sorted(line.split(",")[0] for line in out.splitlines()[1:]) == [
        "'+A1", "'-A1", "'=1+2", "'@SUM(A1)", "Plain"
    ]  # fmt: skip
    # JSON is for programs: the names stay as they are
    names = {row["entity"] for row in as_json(capsys, "report", "--by", "entity", "--db", url)}
    assert names == set(entities)


@pytest.mark.slow
def test_demo_is_idempotent_as_a_real_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"

    def parity(*args: str) -> str:
        done = subprocess.run([str(PARITY), *args, "--db", url], capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        return done.stdout

    first = parity("demo")
    assert first.startswith("loaded demo data as batch 1: parity-demo-staff.csv.gz, ")
    assert first.count("loaded demo data as batch") == 3  # staff, flows, targets
    second = parity("demo")
    assert second.splitlines() == [
        "demo data parity-demo-staff.csv.gz already loaded (batch 1); nothing to do",
        "demo data parity-demo-flows.csv.gz already loaded (batch 2); nothing to do",
        "demo data parity-demo-targets.csv already loaded (batch 3); nothing to do",
    ]
    assert len(parity("batches").splitlines()) == 1 + 3
    years = json.loads(parity("report", "--by", "year", "--format", "json"))
    assert [row["year"] for row in years] == list(range(2011, 2026))
    entities = json.loads(parity("report", "--by", "entity", "--format", "json"))
    assert len(entities) == 40


def test_repeated_by_adds_dimensions(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    both = as_json(capsys, "report", "--by", "entity", "--by", "grade", "--db", db)
    assert both == as_json(capsys, "report", "--by", "entity,grade", "--db", db)
    assert list(both[0])[:2] == ["entity", "grade"]
