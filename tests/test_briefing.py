"""Briefings generated from small data and read back: PDF text and pages, slides, workbook, the
`parity brief` command and the dashboard menu's file. Expected figures are worked out by hand
from STAFF below."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from parity.briefing import build_briefing, write_briefing
from parity.briefing.content import Briefing
from parity.errors import ParityError
from parity.filters import FilterState
from parity.frame import load_frame
from parity.ingest import parse_file
from parity.privacy import HIDDEN, PrivacyRule
from parity.privacy.linked import public_rule
from parity.reference import Reference
from parity.store import Store
from parity.views.trends import projection_sentence

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
    public: PrivacyRule  # the public rule, with the store's publication


def _store(folder: Path, name: str = "staff.csv") -> Store:
    (folder / name).write_text(STAFF)
    store = Store(f"sqlite:///{folder / 'b.db'}")
    store.import_parsed(parse_file(folder / name, store.reference()))
    return store


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Data]:
    folder = tmp_path_factory.mktemp("brief")
    store = _store(folder)
    frame = load_frame(store)
    public = public_rule(frame, None, store.reference(), 5)
    yield Data(frame, store.reference(), f"sqlite:///{folder / 'b.db'}", public)
    store.dispose()


@pytest.fixture(scope="module")
def briefing(data: Data) -> Briefing:
    return build_briefing(data.frame, FilterState(), data.reference, rule=data.public, today=TODAY)


def test_content_and_takeaways(briefing: Briefing) -> None:
    h = briefing.headline
    # 2025: women 6 + 2 + 3 + 1 = 12, men 4 + 4 + 9 + 2 = 19 -> 38.7%; 3 women needed to the
    # zone (15/31 = 48.4%; 14/31 = 45.2%), and 3 to 50/50 (15 of 31 is the closest split)
    assert (h.year, h.women, h.men, h.women_needed, h.women_to_50_50) == (2025, 12, 19, 3, 3)
    assert briefing.takeaways["headline"] == (
        "Women are 38.7% of the 31 people in all entities in 2025; 3 more women are needed "
        "to reach the parity zone (3 to 50/50), positions moving from men to women at constant "
        "headcount."
    )
    grades = briefing.grades.set_index("grade")
    # P-2 (3 people, all of +Plus Agency) is small; the publication withholds +Plus Agency's
    # P-3 (12) with it, its only other grade (its total, 15, less P-3 would give P-2), and so
    # P-3 of all entities (the same people). D-1 (6) and P-4 (10) stay shown.
    withheld = {grade: why for grade, why in grades[HIDDEN].items() if isinstance(why, str)}
    assert withheld == {"P-3": "secondary", "P-2": "small"}
    assert grades.loc["P-2", "hidden_text"] == "not shown"  # small or not: read alike
    assert pd.isna(grades.loc["P-2", "women"]) and pd.isna(grades.loc["P-3", "women_share"])
    assert grades.loc["D-1", "women_needed"] == 1  # 2 of 6 -> 3 of 6 (50%)
    # the ladder from the top: D-1 above P-4 above P-3 above P-2
    assert list(briefing.grades["grade"]) == ["D-1", "P-4", "P-3", "P-2"]
    # the goal leads the key points: 2024 8 women of 25 (32.0%), 2025 12 of 31 (38.71%): +6.71
    # points a year reaches 45.4% in 2026, 52.1% in 2027; at 2028 the line is in the zone
    points = briefing.key_points()
    assert points[0] == "On track for parity by 2028 — all entities."
    assert points[2] == "At the 10-year trend (+6.71 points a year), 50/50 is reached in 2027."
    # then leadership: all posts (12 women of 31, 38.7%) against D-1 and above (2 women of 6,
    # 33.3%), the two shares the index divides: (12/31) / (2/6) = 1.16
    assert points[3] == (
        "Women hold 38.7% of all posts but 33.3% at D-1 and above: a glass-ceiling index of "
        "1.16 (38.7% / 33.3%; 1 means no ceiling)."
    )


def test_small_groups_stay_out_of_charts_and_projections(briefing: Briefing) -> None:
    assert set(briefing.projections["grade"]) == {"D-1", "P-4"}  # the grades shown in 2025
    pipeline = briefing.figures["pipeline"]
    assert list(pipeline.data[0].y) == ["P-4", "D-1"]
    projected = {trace.name for trace in briefing.figures["projections"].data if trace.name}
    assert projected == {"Directors", "Professional"}  # 6 and 25 people


def test_an_empty_or_small_selection_is_refused(data: Data) -> None:
    nobody = FilterState.from_where(["entity=Nobody"])
    with pytest.raises(ParityError, match="no one matches this selection"):
        build_briefing(data.frame, nobody, data.reference, rule=data.public)
    few = FilterState.from_where(["grade=P-2"])  # 3 people
    with pytest.raises(ParityError, match="fewer than 5 people"):
        build_briefing(data.frame, few, data.reference, rule=data.public)
    exact = build_briefing(data.frame, few, data.reference, rule=PrivacyRule(0))
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
            "parity_status": ["men_under", "parity", "women_under", "women_under", "parity"],
        }
    )
    assert projection_sentence(table, 2028) == (
        "Of 5 grades shown, 1 is at or above 50% women, 1 more reaches 50/50 by 2028, 1 reaches "
        "it later (the last in 2061), 1 does not reach it at the current trend and 1 has too "
        "few years to project. 2 are already in the parity zone (47–53%)."
    )


def test_projection_chart_runs_to_the_goal_or_the_horizon(data: Data) -> None:
    # one-year window: Directors 20.0% (2024) -> 33.3% (2025), 50% in 2027; Professional
    # 35.0% (7 of 20) -> 40.0% (10 of 25), 50% in 2027: the chart still shows the 2028 goal
    b = build_briefing(data.frame, FilterState(), data.reference, rule=PrivacyRule(0), window=1)
    assert list(b.category_projections["projected_year"]) == [2027, 2027]
    assert b.horizon == 2028
    assert list(b.figures["projections"].layout.xaxis.range) == [2023.5, 2028.5]


@needs_chromium
def test_pdf_text_and_pages(data: Data, tmp_path: Path) -> None:
    from pypdf import PdfReader

    filters = FilterState.from_where(['entity==HYPERLINK("http://x")'])
    b = build_briefing(data.frame, filters, data.reference, rule=data.public, today=TODAY)
    path = tmp_path / "b.pdf"
    path.write_bytes(write_briefing(b, "pdf"))
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    # 2025 for this entity: D-1 2 women of 6 (33.3%), P-4 6 of 10 (60.0%); 8 of 16 (50.0%)
    expected = [
        "Gender parity briefing",
        '=HYPERLINK("http://x")',  # the scope, as text
        "Data as of 2025",
        "50.0%",
        "+0.0 pp",
        "33.3%",
        "60.0%",
        "Projected year of parity",
        "By duty station, 2025",
        "Methods and definitions",
        "generated 24 November 2026",
    ]
    h = b.headline
    assert (h.women, h.men, h.women_share) == (8, 8, 0.5)
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


def _chart(slide: Any) -> Any:
    """The slide's one native chart (and no picture)."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    assert not any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
    charts = [s.chart for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    return charts[0]


def _series(chart: Any) -> dict[str, list[float | None]]:
    """A native chart's series by name, their values rounded to 4 places (None: a gap)."""
    return {s.name: [None if v is None else round(v, 4) for v in s.values] for s in chart.series}


def test_slides(briefing: Briefing, data: Data, tmp_path: Path) -> None:
    from pptx import Presentation

    path = tmp_path / "b.pptx"
    path.write_bytes(write_briefing(briefing, "pptx"))
    deck = Presentation(str(path))
    titles = [s.shapes[0].text_frame.text for s in deck.slides]
    assert titles == [
        "Gender parity briefing",
        "The 2028 goal",
        "Women's share over time",
        "The grade pipeline",
        "By staff category",
        "When is 50% reached?",
        "By duty station, 2025",
        "Scorecard against the 2028 goal",
    ]  # no flows in the store: no hiring, targets or flows slides
    # the goal's slide: the status and the outlook in the Overview's words (+6.71 a year)
    goal = [sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame]
    assert goal[1:3] == [
        "On track for parity by 2028 — all entities.",
        "At the 10-year trend (+6.71 points a year), 50/50 is reached in 2027.",
    ]
    charts = [_chart(slide) for slide in list(deck.slides)[2:7]]  # one native chart each
    for slide in list(deck.slides)[2:]:
        assert slide.notes_slide.notes_text_frame.text
    texts = [sh.text_frame.text for sh in deck.slides[2].shapes if sh.has_text_frame]
    # 2024: 8 of 25 women (32.0%); 2025: 12 of 31 (38.7%)
    assert "Women's share went from 32.0% in 2024 to 38.7% in 2025 (+6.7 points)" in texts[1]
    notes = deck.slides[2].notes_slide.notes_text_frame.text
    assert "2025: 38.7% (12 women, 19 men)" in notes
    # the trend chart: 8/25 and 12/31 women, then the projection as the dashboard draws it, a
    # dashed straight line from 38.71% (2025) to 50% in 2027, the year the +6.71-a-year trend
    # passes it: 44.35% in 2026 on that line; a 50% line beside them
    trend = charts[0]
    assert list(trend.plots[0].categories) == ["2024", "2025", "2026", "2027"]
    assert _series(trend) == {
        "Women's share": [0.32, 0.3871, None, None],
        "Projection": [None, 0.3871, 0.4435, 0.5],
        "Parity (50%)": [0.5] * 4,
    }
    projection = trend.plots[0].series[1].format.line
    assert projection.dash_style is not None  # dashed
    assert trend.value_axis.maximum_scale == 1.0 and trend.value_axis.minimum_scale == 0.0
    series_xml = trend.plots[0].series[0]._element.xml
    assert "<c:formatCode>0.0%</c:formatCode>" in series_xml and "<c:v>0.32</c:v>" in series_xml

    # the pipeline slide's takeaway: the grade shown needing the most women: D-1, 2 of 6
    # (33%), 1 more to 50% (3 of 6), which is 50/50 too
    takeaway = [sh.text_frame.text for sh in deck.slides[3].shapes if sh.has_text_frame][1]
    assert takeaway == (
        "Women hold 33% of D-1 posts; 1 more woman is needed to reach the parity zone (1 to 50/50)."
    )
    # the pipeline, the top of the ladder on top (bars are listed from the bottom): D-1 2 of 6
    # women, 4 men; P-4 6 of 10, 4 men; P-3 and P-2 withheld, gaps
    pipeline = charts[1]
    assert list(pipeline.plots[0].categories) == ["P-2", "P-3", "P-4", "D-1"]
    assert _series(pipeline) == {
        "Women": [None, None, 0.6, 0.3333],
        "Men": [None, None, 0.4, 0.6667],
    }
    # the speaker notes say of withheld grades what the table says, nothing more
    pipeline_notes = deck.slides[3].notes_slide.notes_text_frame.text
    assert "P-2: not shown" in pipeline_notes and "P-3: not shown" in pipeline_notes
    assert "D-1: 33.3% (2 women, 4 men)" in pipeline_notes
    # by staff category, the first on top: Directors 2 of 6, Professional 10 of 25 (P-2 to P-4)
    assert list(charts[2].plots[0].categories) == ["Professional", "Directors"]
    assert _series(charts[2]) == {"Women's share": [0.4, 0.3333]}
    # the projections: Directors 1 of 5 (2024), 2 of 6 (2025), +13.33 a year, 50% in 2027;
    # Professional 7 of 20, 10 of 25, +5 a year, 50% in 2027; the chart runs to 2028
    projections = _series(charts[3])
    assert list(charts[3].plots[0].categories) == ["2024", "2025", "2026", "2027", "2028"]
    assert projections["Directors"] == [0.2, 0.3333, None, None, None]
    assert projections["Directors, projected"] == [None, 0.3333, 0.4167, 0.5, None]
    assert projections["Professional"] == [0.35, 0.4, None, None, None]
    assert projections["Professional, projected"] == [None, 0.4, 0.45, 0.5, None]
    # by duty station, largest on top: Geneva 8 of 16 (P-4, D-1); @SUM(1) 4 of 15 (P-3, P-2)
    assert list(charts[4].plots[0].categories) == ["@SUM(1)", "Geneva"]
    assert _series(charts[4]) == {"Women's share": [0.2667, 0.5]}
    station_notes = deck.slides[6].notes_slide.notes_text_frame.text
    assert station_notes == "Geneva: 50.0% (8 women, 8 men); @SUM(1): 26.7% (4 women, 11 men)."
    # the scorecard as a native table: =HYPERLINK at parity, 8 of 16
    table = next(sh.table for sh in deck.slides[7].shapes if sh.has_table)
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    assert rows['=HYPERLINK("http://x")'][1:3] == ["50.0%", "At parity"]

    cover = " ".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame)
    assert "38.7%" in cover and "NEEDED FOR PARITY" in cover
    # a card's long note (the needed count's, 90 characters and more) in smaller type, inside
    # its card
    needed = next(
        sh for sh in deck.slides[0].shapes
        if sh.has_text_frame and sh.text_frame.text.startswith("to reach the parity zone")
    )  # fmt: skip
    assert needed.text_frame.paragraphs[0].font.size.pt <= 9
    assert "19" not in deck.slides[0].notes_slide.notes_text_frame.text  # men: not on the cover


FLOWS = """year,entity,grade,gender,event,count
2025,=HYPERLINK("http://x"),P-4,F,appointment,1
2025,=HYPERLINK("http://x"),P-4,M,separation,1
2025,=HYPERLINK("http://x"),D-1,F,appointment,1
2025,+Plus Agency,P-3,F,appointment,1
2025,+Plus Agency,P-3,M,appointment,1
2025,+Plus Agency,P-2,F,appointment,1
2025,+Plus Agency,P-2,M,appointment,2
"""
TARGETS = """entity,grade,year,target_share
=HYPERLINK("http://x"),D-1,2028,50%
"""


def test_slides_of_hiring_targets_and_flows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With flows and targets in the store, the deck ends as the PDF does: hiring needed,
    progress against targets, then the flows, each a native table; and no slide needs a
    browser."""
    from pptx import Presentation

    from parity.briefing import images
    from parity.frame import load_flows

    store = _store(tmp_path)
    for name, text in (("flows.csv", FLOWS), ("targets.csv", TARGETS)):
        (tmp_path / name).write_text(text)
        store.import_parsed(parse_file(tmp_path / name, store.reference()))
    frame, flows = load_frame(store), load_flows(store)
    b = build_briefing(
        frame,
        FilterState(),
        store.reference(),
        rule=PrivacyRule(0),
        flow_frame=flows,
        targets=store.read_targets(),
        today=TODAY,
    )
    store.dispose()
    monkeypatch.setattr(images, "browser_available", lambda: False)
    images.start_browser.cache_clear()
    deck = Presentation(BytesIO(write_briefing(b, "pptx")))
    images.start_browser.cache_clear()
    slides = {s.shapes[0].text_frame.text: s for s in deck.slides}
    assert list(slides)[6:] == [
        "By duty station, 2025",
        "Scorecard against the 2028 goal",
        "Hiring needed to reach 50/50",
        "Progress against targets",
        "Appointments, promotions and separations",
    ]

    def table(title: str) -> dict[str, list[str]]:
        found = [sh.table for sh in slides[title].shapes if sh.has_table]
        assert len(found) == 1 and not any(sh.has_chart for sh in slides[title].shapes)
        return {row.cells[0].text: [c.text for c in row.cells][1:] for row in found[0].rows}

    # hiring: the plan's summary as the takeaway; Professional 10 women of 25 in 2025
    hiring = table("Hiring needed to reach 50/50")
    assert hiring["Category"][0] == "Women 2025" and hiring["Professional"][0] == "40.0%"
    hiring_slide = slides["Hiring needed to reach 50/50"]
    texts = [sh.text_frame.text for sh in hiring_slide.shapes if sh.has_text_frame]
    assert b.plan is not None and texts[1] == b.plan.summary
    # the target of =HYPERLINK's D-1: 50% (± 3 points, by default) in 2028; 2 of 6 in 2025
    targets = table("Progress against targets")
    assert targets['=HYPERLINK("http://x")'][:4] == ["D-1", "50% ± 3 by 2028", "33.3%", "2025"]
    # appointments in 2025: Professional 3 women (P-4, P-3, P-2) and 3 men (P-3, P-2 twice);
    # Directors 1 woman
    flows_table = table("Appointments, promotions and separations")
    assert flows_table["Professional"][0] == "50.0%" and flows_table["Directors"][0] == "100.0%"
    notes = slides["Appointments, promotions and separations"].notes_slide.notes_text_frame.text
    assert notes.startswith("In 2025, women were 57% of appointments")  # 4 of 7
    assert "Professional: Women among appointments: 50.0%" in notes


def test_workbook_numbers_formats_and_inert_names(briefing: Briefing) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(write_briefing(briefing, "xlsx")))
    assert book.sheetnames == [
        "Summary",
        "By grade",
        "Projections by grade",
        "Projections by category",
        "By duty station",
        "By entity",
        "Trend",
        "Scorecard",
        "Filters and definitions",
    ]
    for sheet in book:
        assert sheet.freeze_panes == "A2"
    grades = book["By grade"]
    header = [c.value for c in grades[1]]
    assert header == [
        "Grade", "Category", "Women", "Men", "Total", "Women's share", "Gap (pp)", "Status",
        "Women needed (to zone)", "Men needed (to zone)", "Women to 50/50", "Note",
    ]  # fmt: skip
    rows = {r[0].value: [c.value for c in r] for r in grades.iter_rows(min_row=2)}
    # P-4, 2025: 6 women, 4 men; 60.0%, gap -10.0 pp; 1 man to 53% (5 of 10), 1 to 50/50
    assert rows["P-4"][2:12] == [6, 4, 10, 0.6, -10.0, "Men under-represented", 0, 1, 0, None]
    p4 = next(r for r in grades.iter_rows(min_row=2) if r[0].value == "P-4")
    assert p4[5].number_format == "0.0%"
    assert p4[2].number_format == "#,##0"  # counts with thousands separators
    # a year of 50/50 is a number in the workbook: D-1 1 of 5 (20%) -> 2 of 6 (33.3%), +13.3
    # points a year: 46.7% in 2026, 50% in 2027
    projections = {r[0]: r for r in book["Projections by grade"].iter_rows(values_only=True)}
    assert 2027 in projections["D-1"]
    # withheld rows: every figure empty, the note says why (alike, small or not)
    for grade in ("P-2", "P-3"):
        assert rows[grade][2:11] == [None] * 9, grade
        assert rows[grade][11] == "Not shown, to protect small groups (fewer than 5 people)"

    entities = [r[0].value for r in book["By entity"].iter_rows(min_row=2)]
    assert entities == ["'+Plus Agency", '\'=HYPERLINK("http://x")']
    stations = [r[0].value for r in book["By duty station"].iter_rows(min_row=2)]
    assert "'@SUM(1)" in stations
    for sheet in book:
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)

    # the PDF's first page as a sheet: key points, then the cards, in the same words
    summary = [r for r in book["Summary"].iter_rows(min_row=2, values_only=True)]
    points = [r[1] for r in summary if r[0] == "Key point"]
    assert points == briefing.key_points()
    cards = {r[0]: (r[1], r[2]) for r in summary if r[0] not in ("Key point", None)}
    assert cards["Women's share"] == ("38.7%", "12 women of 31 people in 2025")

    # the scorecard, each entity's status against 2028 and its staff categories'. +Plus Agency:
    # 2 of 10 (20%) in 2024, 4 of 15 (26.7%) in 2025, +6.67 a year: 46.7% in 2028, off track.
    # =HYPERLINK: 8 of 16 (50%), at parity; its D-1 1 of 5 -> 2 of 6 (+13.3 a year), on track;
    # its P-4 5 of 10 -> 6 of 10, men under-represented and moving away: off track
    card = {r[0]: r[1:] for r in book["Scorecard"].iter_rows(min_row=2, values_only=True)}
    assert card["'+Plus Agency"] == (
        pytest.approx(4 / 15), "Women under-represented", "Off track", None, None,
        pytest.approx(4 / 15), "Off track",
    )  # fmt: skip
    assert card['\'=HYPERLINK("http://x")'] == (
        0.5, "At parity", "At parity — maintain", pytest.approx(2 / 6), "On track", 0.6,
        "Off track",
    )  # fmt: skip

    about = {r[0]: r[1] for r in book["Filters and definitions"].iter_rows(values_only=True)}
    assert about["Selection"] == "all entities" and about["Year"] == "2025"
    assert about["Small groups"].startswith("Groups of fewer than 5 people are not shown")
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
    # made through the briefing service, as on the dashboard: the audit says who made which
    from parity.store import Store

    made = [r for r in Store(url).audit_log() if r[2] == "briefing"]
    assert len(made) == 1 and made[0][1].startswith("cli:"), made
    assert made[0][3].startswith("xlsx: ") and "Plus Agency" in made[0][3], made

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
    # a slide deck draws its charts itself: no browser needed
    deck = tmp_path / "b.pptx"
    assert main(["brief", "--format", "pptx", "--output", str(deck), "--db", url]) == 0
    assert deck.read_bytes()[:2] == b"PK"


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
    assert entities == ["Entity", "'+Plus Agency"]
    store.dispose()


@needs_chromium
def test_the_pdf_is_tagged_for_screen_readers(briefing: Briefing, tmp_path: Path) -> None:
    """Language, title shown as the window's, headings as bookmarks, and each chart a Figure
    of the structure tree whose /Alt is its title and the takeaway the page prints."""
    from pypdf import PdfReader

    path = tmp_path / "tagged.pdf"
    path.write_bytes(write_briefing(briefing, "pdf"))
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == briefing.title
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert {"Women's share over time", "The grade pipeline", "Projected year of parity"} <= set(
        outline
    )

    def figures(element: object) -> list[str]:
        node = element.get_object()  # type: ignore[attr-defined]
        found = [str(node["/Alt"])] if node.get("/S") == "/Figure" and "/Alt" in node else []
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                found += figures(kid)
        return found

    alts = figures(root["/StructTreeRoot"])
    assert len(alts) == 4  # trend, categories, pipeline, projections
    assert alts[0].startswith("Women's share over time")
    assert briefing.takeaways["trend"] in alts[0]
    assert any(briefing.takeaways["pipeline"] in alt for alt in alts)
