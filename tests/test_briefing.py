"""Briefings generated from small data and read back: PDF text and pages, slides, workbook."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from parity.briefing import build_briefing, write_briefing
from parity.briefing.content import Briefing
from parity.filters import FilterState
from parity.frame import load_frame
from parity.importer import parse_file
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
needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="charts need /usr/bin/chromium (make browsers)"
)


@pytest.fixture(scope="module")
def briefing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Briefing]:
    folder = tmp_path_factory.mktemp("brief")
    (folder / "staff.csv").write_text(STAFF)
    store = Store(f"sqlite:///{folder / 'b.db'}")
    store.import_parsed(parse_file(folder / "staff.csv", store.reference()))
    yield build_briefing(
        load_frame(store), FilterState(), store.reference(), min_cell=5, today=date(2026, 11, 24)
    )
    store.dispose()


def test_content_and_takeaways(briefing: Briefing) -> None:
    h = briefing.headline
    # 2025: women 6 + 2 + 3 + 1 = 12, men 4 + 4 + 9 + 2 = 19 -> 38.7%; 3 women needed
    # (15/31 = 48.4%; 14/31 = 45.2%)
    assert (h.year, h.women, h.men, h.women_needed) == (2025, 12, 19, 3)
    assert briefing.takeaways["headline"] == (
        "Women are 38.7% of the 31 people in all entities in 2025; 3 more women are needed "
        "for parity (positions moving from men to women at constant headcount)."
    )
    grades = briefing.grades.set_index("grade")
    assert grades.loc["P-2", "women"] == "fewer than 5"  # 3 people, under the minimum cell
    assert grades.loc["P-3", "women_needed"] == 3  # 3 of 12 -> 6 of 12 (50%)


@needs_chromium
def test_pdf_text_and_pages(briefing: Briefing, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = tmp_path / "b.pdf"
    path.write_bytes(write_briefing(briefing, "pdf"))
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Gender parity briefing",
        "Data as of 2025",
        "38.7%",
        "+11.3 pp",
        "3 women",
        "Methods and definitions",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")],
            check=True,
            capture_output=True,
        )
        assert len(list(tmp_path.glob("page-*.png"))) == len(reader.pages)


@needs_chromium
def test_slides(briefing: Briefing, tmp_path: Path) -> None:
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
        assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
    texts = [sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame]
    # 2024: 8 of 25 women (32.0%); 2025: 12 of 31 (38.7%)
    assert "Women's share went from 32.0% in 2024 to 38.7% in 2025 (+6.7 points)" in texts[1]
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "2025: 38.7% (12 women, 19 men)" in notes


def test_workbook_numbers_formats_and_inert_names(briefing: Briefing, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "b.xlsx"
    path.write_bytes(write_briefing(briefing, "xlsx"))
    book = load_workbook(path)
    assert book.sheetnames == [
        "By grade",
        "By duty station",
        "By entity",
        "Projections",
        "Trend",
        "Filters and definitions",
    ]
    grades = book["By grade"]
    assert grades.freeze_panes == "A2"
    header = [c.value for c in grades[1]]
    rows = {r[0].value: r for r in grades.iter_rows(min_row=2)}
    share = rows["P-4"][header.index("women_share")]
    assert share.value == pytest.approx(0.6) and share.number_format == "0.0%"
    assert rows["P-4"][header.index("women")].value == 6
    entities = [r[0].value for r in book["By entity"].iter_rows(min_row=2)]
    assert entities == ["'+Plus Agency", '\'=HYPERLINK("http://x")']
    stations = [r[0].value for r in book["By duty station"].iter_rows(min_row=2)]
    assert "'@SUM(1)" in stations
    assert all(c.data_type != "f" for row in book["By entity"].iter_rows() for c in row)


def test_brief_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    from parity.cli import main

    (tmp_path / "staff.csv").write_text(STAFF)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["import", str(tmp_path / "staff.csv"), "--db", url]) == 0
    output = tmp_path / "out.xlsx"
    status = main(
        [
            "brief",
            "--where",
            "entity=+Plus Agency",
            "--format",
            "xlsx",
            "--output",
            str(output),
            "--min-cell",
            "0",
            "--db",
            url,
        ]
    )
    assert status == 0
    assert "wrote" in capsys.readouterr().out
    rows = {
        r[0]: r for r in load_workbook(output)["By grade"].iter_rows(min_row=2, values_only=True)
    }
    assert rows["P-2"][2:4] == (1, 2)  # exact counts with --min-cell 0
    status = main(
        ["brief", "--format", "xlsx", "--output", str(tmp_path / "no" / "x.xlsx"), "--db", url]
    )
    assert status == 2
    assert "cannot write" in capsys.readouterr().err


def test_grade_sentence_without_small_groups(briefing: Briefing) -> None:
    from parity.briefing.content import grade_sentence

    exact = briefing.grades[briefing.grades["grade"] != "P-2"].copy()
    exact["women_needed"] = exact["women_needed"].astype("Int64")  # numpy integers, not int
    sentence = grade_sentence(exact, briefing.projections, 10)
    # P-3: 3 of 12 women (25%), 3 needed; D-1: 2 of 6 (33%), 1 needed
    assert sentence.startswith("Women hold 25% of P-3 posts; 3 more women are needed")
