"""Briefings generated from small data and read back: PDF text and pages, slides, workbook, the
`parity brief` command and the dashboard menu's file. Expected figures come from the engine
(parity.analysis / parity.metrics) for the same selection, and by hand where noted."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from parity.analysis import headline, report
from parity.briefing import build_briefing, write_briefing
from parity.briefing.content import (
    HORIZON,
    Briefing,
    percent,
    projection_horizon,
    projection_sentence,
)
from parity.errors import ParityError
from parity.filters import FilterState
from parity.frame import load_frame
from parity.importer import parse_file
from parity.reference import Reference
from parity.storage import Store

STAFF = """year,entity,duty_station,grade,women,men
2024,=HYPERLINK("http://x"),Geneva,P-4,5,5
2024,=HYPERLINK("http://x"),Geneva,D-1,1,4
2024,+Plus Agency,@SUM(1),P-3,2,8
2025,=HYPERLINK("http://x"),Geneva,P-4,6,4
2025,=HYPERLINK("http://x"),Geneva,D-1,2,4
2025,+Plus Agency,@SUM(1),P-3,3,9
2025,+Plus Agency,@SUM(1),P-2,1,2
"""
TODAY = date(2026, 11, 24)
needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(),
    reason="static charts need Chromium at /usr/bin/chromium (make browsers)",
)


@dataclass(frozen=True)
class Data:
    frame: pd.DataFrame
    reference: Reference
    url: str


def _store(folder: Path, name: str = "staff.csv") -> Store:
    (folder / name).write_text(STAFF)
    store = Store(f"sqlite:///{folder / 'b.db'}")
    store.import_parsed(parse_file(folder / name, store.reference()))
    return store


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Data]:
    folder = tmp_path_factory.mktemp("brief")
    store = _store(folder)
    yield Data(load_frame(store), store.reference(), f"sqlite:///{folder / 'b.db'}")
    store.dispose()


@pytest.fixture(scope="module")
def briefing(data: Data) -> Briefing:
    return build_briefing(data.frame, FilterState(), data.reference, min_cell=5, today=TODAY)


def test_content_and_takeaways(briefing: Briefing, data: Data) -> None:
    h = briefing.headline
    # 2025: women 6 + 2 + 3 + 1 = 12, men 4 + 4 + 9 + 2 = 19 -> 38.7%; 3 women needed
    # (15/31 = 48.4%; 14/31 = 45.2%)
    assert (h.year, h.women, h.men, h.women_needed) == (2025, 12, 19, 3)
    assert h == headline(data.frame, FilterState())
    assert briefing.takeaways["headline"] == (
        "Women are 38.7% of the 31 people in all entities in 2025; 3 more women are needed "
        "for parity (positions moving from men to women at constant headcount)."
    )
    grades = briefing.grades.set_index("grade")
    assert grades.loc["P-2", "women"] == "fewer than 5"  # 3 people, under the minimum cell
    assert grades.loc["P-3", "women_needed"] == 3  # 3 of 12 -> 6 of 12 (50%)
    # the ladder from the top: D-1 above P-4 above P-3 above P-2
    assert list(briefing.grades["grade"]) == ["D-1", "P-4", "P-3", "P-2"]


def test_small_groups_stay_out_of_charts_and_projections(briefing: Briefing) -> None:
    assert "P-2" not in set(briefing.projections["grade"])  # 3 people in 2025
    pipeline = briefing.figures["pipeline"]
    assert "P-2" not in list(pipeline.data[0].y)
    projected = {trace.name for trace in briefing.figures["projections"].data if trace.name}
    assert projected == {"Directors", "Professional"}  # 6 and 25 people


def test_an_empty_or_small_selection_is_refused(data: Data) -> None:
    nobody = FilterState.from_where(["entity=Nobody"])
    with pytest.raises(ParityError, match="no one matches this selection"):
        build_briefing(data.frame, nobody, data.reference)
    few = FilterState.from_where(["grade=P-2"])  # 3 people
    with pytest.raises(ParityError, match="fewer than 5 people"):
        build_briefing(data.frame, few, data.reference, min_cell=5)
    exact = build_briefing(data.frame, few, data.reference, min_cell=0)
    assert (exact.headline.women, exact.headline.men) == (1, 2)


def test_projection_sentence_counts_every_outcome() -> None:
    table = pd.DataFrame(
        {
            "grade": ["D-1", "P-5", "P-4", "P-3", "P-2"],
            "projection_status": [
                "reached",
                "projected",
                "projected",
                "not_at_current_trend",
                "insufficient_data",
            ],
            "projected_year": pd.array([None, 2027, 2061, None, None], dtype="Int64"),
        }
    )
    assert projection_sentence(table, 2028) == (
        "Of 5 grades shown, 1 is at or above 50% women, 1 more reaches 50% by 2028, 1 reaches "
        "it later (the last in 2061), 1 does not reach it at the current trend and 1 has too "
        "few years to project."
    )


def test_projection_chart_runs_to_the_goal_or_the_horizon(data: Data) -> None:
    # one-year window: Directors 20.0% (2024) -> 33.3% (2025), 50% in 2027; Professional
    # 35.0% (7 of 20) -> 40.0% (10 of 25), 50% in 2027: the chart still shows the 2028 goal
    b = build_briefing(data.frame, FilterState(), data.reference, min_cell=0, window=1)
    assert list(b.category_projections["projected_year"]) == [2027, 2027]
    assert b.horizon == 2028
    assert list(b.figures["projections"].layout.xaxis.range) == [2023.5, 2028.5]
    slow = b.category_projections.assign(projected_year=[2027, 2300])
    assert projection_horizon(b.trend, slow, 2025) == 2025 + HORIZON  # not 2300


@needs_chromium
def test_pdf_text_and_pages(data: Data, tmp_path: Path) -> None:
    from pypdf import PdfReader

    filters = FilterState.from_where(['entity==HYPERLINK("http://x")'])
    b = build_briefing(data.frame, filters, data.reference, min_cell=5, today=TODAY)
    path = tmp_path / "b.pdf"
    path.write_bytes(write_briefing(b, "pdf"))
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    # the engine's figures for the same selection, formatted as on the page
    h = headline(data.frame, filters)
    by_grade = report(data.frame, filters, ["grade"]).set_index("grade")
    expected = [
        "Gender parity briefing",
        '=HYPERLINK("http://x")',  # the scope, as text
        "Data as of 2025",
        percent(h.women_share),  # 8 of 16: 50.0%
        f"{h.gap_pp:+.1f} pp",
        f"{100 * by_grade.loc['D-1', 'women_share']:.1f}%",  # 2 of 6: 33.3%
        f"{100 * by_grade.loc['P-4', 'women_share']:.1f}%",  # 6 of 10: 60.0%
        "Projected year of parity",
        "Methods and definitions",
        "generated 24 November 2026",
    ]
    assert (h.women, h.men, percent(h.women_share)) == (8, 8, "50.0%")
    for snippet in expected:
        assert snippet in text, snippet
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4 portrait
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")],
            check=True,
            capture_output=True,
        )
        assert len(list(tmp_path.glob("page-*.png"))) == len(reader.pages)


@needs_chromium
def test_pdf_says_demo_data(briefing: Briefing, tmp_path: Path) -> None:
    from dataclasses import replace

    from pypdf import PdfReader

    path = tmp_path / "demo.pdf"
    path.write_bytes(write_briefing(replace(briefing, demo=True), "pdf"))
    assert "Demo data: the figures are synthetic" in PdfReader(path).pages[0].extract_text()


@pytest.mark.parametrize(("name", "demo"), [("staff.csv", False), ("parity-demo-staff.csv", True)])
def test_demo_data_is_recognised_by_its_file_name(tmp_path: Path, name: str, demo: bool) -> None:
    store = _store(tmp_path, name)
    assert store.holds_demo_data() is demo
    store.dispose()


@needs_chromium
def test_slides(briefing: Briefing, data: Data, tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    path = tmp_path / "b.pptx"
    path.write_bytes(write_briefing(briefing, "pptx"))
    deck = Presentation(str(path))
    titles = [s.shapes[0].text_frame.text for s in deck.slides]
    assert titles == [
        "Gender parity briefing",
        "Women's share over time",
        "The grade pipeline",
        "By staff category",
        "When is 50% reached?",
    ]
    for slide in list(deck.slides)[1:]:
        assert sum(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes) == 1
        assert slide.notes_slide.notes_text_frame.text
    texts = [sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame]
    # 2024: 8 of 25 women (32.0%); 2025: 12 of 31 (38.7%)
    assert "Women's share went from 32.0% in 2024 to 38.7% in 2025 (+6.7 points)" in texts[1]
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "2025: 38.7% (12 women, 19 men)" in notes

    # the pipeline slide's takeaway: the grade needing the most women, figures from the engine
    by_grade = report(data.frame, FilterState(), ["grade"])
    by_grade = by_grade[by_grade["total"] >= 5]
    top = by_grade.loc[by_grade["women_needed"].idxmax()]
    takeaway = [sh.text_frame.text for sh in deck.slides[2].shapes if sh.has_text_frame][1]
    assert takeaway.startswith(
        f"Women hold {100 * top['women_share']:.0f}% of {top['grade']} posts; "
        f"{top['women_needed']} more women are needed for parity"
    )
    assert (top["grade"], top["women_needed"]) == ("P-3", 3)
    cover = " ".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame)
    assert "38.7%" in cover and "WOMEN NEEDED" in cover


def test_workbook_numbers_formats_and_inert_names(briefing: Briefing, data: Data) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(write_briefing(briefing, "xlsx")))
    assert book.sheetnames == [
        "By grade",
        "By duty station",
        "By entity",
        "Projections",
        "Trend",
        "Filters and definitions",
    ]
    for sheet in book:
        assert sheet.freeze_panes == "A2"
    grades = book["By grade"]
    header = [c.value for c in grades[1]]
    rows = {r[0].value: r for r in grades.iter_rows(min_row=2)}
    engine = report(data.frame, FilterState(), ["grade"]).set_index("grade")
    for grade in ("D-1", "P-4", "P-3"):
        for column in ("women", "men", "total", "women_needed", "men_needed"):
            assert rows[grade][header.index(column)].value == engine.loc[grade, column]
        share = rows[grade][header.index("women_share")]
        assert share.value == pytest.approx(engine.loc[grade, "women_share"])
        assert share.number_format == "0.0%"
        assert rows[grade][header.index("gap_pp")].value == pytest.approx(
            engine.loc[grade, "gap_pp"]
        )
    assert rows["P-2"][header.index("women")].value == "fewer than 5"
    assert rows["P-2"][header.index("women_share")].value is None

    entities = [r[0].value for r in book["By entity"].iter_rows(min_row=2)]
    assert entities == ["'+Plus Agency", '\'=HYPERLINK("http://x")']
    stations = [r[0].value for r in book["By duty station"].iter_rows(min_row=2)]
    assert "'@SUM(1)" in stations
    for sheet in book:
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)

    about = {r[0]: r[1] for r in book["Filters and definitions"].iter_rows(values_only=True)}
    assert about["Selection"] == "all entities" and about["Year"] == "2025"
    assert about["women_share"].startswith("Women's share = women / (women + men)")
    assert about["Parity gap"].startswith("Parity gap = 50")


def test_brief_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    from parity.cli import main

    (tmp_path / "staff.csv").write_text(STAFF)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["import", str(tmp_path / "staff.csv"), "--db", url]) == 0
    capsys.readouterr()
    output = tmp_path / "out.xlsx"
    arguments = ["brief", "--where", "entity=+Plus Agency", "--format", "xlsx"]
    status = main([*arguments, "--output", str(output), "--min-cell", "0", "--db", url])
    assert status == 0
    assert capsys.readouterr().out.startswith(f"wrote {output} (XLSX")
    rows = {
        r[0]: r for r in load_workbook(output)["By grade"].iter_rows(min_row=2, values_only=True)
    }
    assert rows["P-2"][2:4] == (1, 2)  # exact counts with --min-cell 0

    def refused(*extra: str) -> str:
        status = main(["brief", "--format", "xlsx", "--db", url, *extra])
        err = capsys.readouterr().err
        assert status == 2 and err.startswith("parity: ") and err.count("\n") == 1, err
        return err

    assert "cannot write" in refused("--output", str(tmp_path / "no" / "x.xlsx"))
    assert "no one matches" in refused("--output", str(output), "--where", "entity=Nobody")
    assert "--window must be" in refused("--output", str(output), "--window", "0")
    small = refused("--output", str(output), "--where", "grade=P-2", "--min-cell", "5")
    assert "fewer than 5 people" in small


def test_without_chromium_the_command_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from parity.briefing import images
    from parity.cli import main

    monkeypatch.setattr(images, "browser_available", lambda: False)
    images.start_browser.cache_clear()
    (tmp_path / "staff.csv").write_text(STAFF)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["import", str(tmp_path / "staff.csv"), "--db", url]) == 0
    capsys.readouterr()
    status = main(["brief", "--format", "pdf", "--output", str(tmp_path / "b.pdf"), "--db", url])
    assert status == 2
    assert capsys.readouterr().err == (
        "parity: static charts need Chromium (/usr/bin/chromium): install the chromium "
        "package (apt-get install chromium), then try again\n"
    )
    assert not (tmp_path / "b.pdf").exists()


def test_dashboard_menu_builds_the_same_file(data: Data) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from parity.settings import Settings
    from parity.web.briefing_menu import briefing_file
    from parity.web.source import Context, DataSource

    store = Store(data.url)
    context = Context(DataSource(store), Settings(), uploads=False)
    query = FilterState.from_where(["entity=+Plus Agency"]).to_query()
    content, name = briefing_file(context, query, "xlsx")
    assert name.startswith("parity-briefing--Plus-Agency-") and name.endswith(".xlsx")
    entities = [
        r[0] for r in load_workbook(BytesIO(content))["By entity"].iter_rows(values_only=True)
    ]
    assert entities == ["entity", "'+Plus Agency"]
    store.dispose()
