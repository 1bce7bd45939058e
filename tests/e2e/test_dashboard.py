"""The dashboard in a real browser: filters, URLs, every page, uploads.

tests/e2e/data/staff.csv, 2025 (hand-checked): Alpha 9 women / 15 men (37.5%), Beta 14 / 11
(56.0%), together 23 / 26: 46.9% women, gap +3.1 pp, 1 woman needed (24/49 = 48.98%).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from parity import i18n
from parity.analysis import report
from parity.filters import FilterState
from parity.frame import load_frame
from parity.i18n import gettext
from parity.store import Store
from parity.web.pages import PAGES
from tests.e2e.conftest import ARTIFACTS, DATA, Server, screenshot

TIMEOUT = 15_000


def engine_share(server: Server, filters: FilterState) -> str:
    store = Store(server.db_url)
    try:
        totals = report(load_frame(store), filters, [])
    finally:
        store.dispose()
    return f"{100 * float(totals['women_share'].iloc[0]):.1f}%"


def grid_rows(page: Page, grid_id: str, key: str) -> dict[str, dict[str, str]]:
    """The rows of a data grid as shown: {key cell: {column field: text}}."""
    rows = {}
    for row in page.locator(f"#{grid_id} .ag-center-cols-container .ag-row").all():
        cells = {
            str(c.get_attribute("col-id")): c.inner_text() for c in row.locator(".ag-cell").all()
        }
        rows[cells[key]] = cells
    return rows


def choose(page: Page, dimension: str, value: str) -> None:
    page.click(f"#filter-{dimension}")
    page.get_by_role("option", name=value, exact=True).click()
    page.keyboard.press("Escape")


def test_filter_changes_headline_url_reload_and_back(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    share = page.locator("#overview-share-value")
    expect(share).to_have_text("46.9%", timeout=TIMEOUT)
    assert engine_share(server, FilterState()) == "46.9%"
    expect(page.locator("#overview-gap-value")).to_have_text("+3.1 pp")
    expect(page.locator("#overview-needed-value")).to_have_text("1 woman")
    expect(page.locator("#overview-entities-value")).to_have_text("0 of 2")

    choose(page, "entity", "Alpha")
    expect(share).to_have_text("37.5%", timeout=TIMEOUT)
    assert engine_share(server, FilterState(entity=("Alpha",))) == "37.5%"
    expect(page).to_have_url(re.compile(r"\?entity=Alpha$"))
    screenshot(page, "overview-alpha")

    page.reload()
    expect(share).to_have_text("37.5%", timeout=TIMEOUT)
    expect(page.locator("#filter-entity")).to_contain_text("Alpha")

    page.go_back()
    expect(share).to_have_text("46.9%", timeout=TIMEOUT)
    expect(page.locator("#filter-entity")).not_to_contain_text("Alpha")


def test_the_trends_grouping_lives_in_the_url(page: Page, server: Server) -> None:
    page.goto(server.url + "/trends?entity=Alpha")
    expect(page.locator("#trends-table-title")).to_contain_text("Projected", timeout=TIMEOUT)
    page.locator("#trends-by").get_by_text("Grade", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?entity=Alpha&trend_by=grade$"), timeout=TIMEOUT)
    expect(page.locator("#trends-grid")).to_contain_text("P-3", timeout=TIMEOUT)
    page.reload()  # the link opens the same grouping
    expect(page.locator("#trends-by input[value='grade']")).to_be_checked(timeout=TIMEOUT)
    expect(page.locator("#trends-grid")).to_contain_text("P-3", timeout=TIMEOUT)


def test_a_named_scope_in_the_grade_filter(page: Page, server: Server) -> None:
    from parity.reference import Reference

    page.goto(server.url + "/")
    share = page.locator("#overview-share-value")
    expect(share).to_have_text("46.9%", timeout=TIMEOUT)
    choose(page, "grade", "P-4 and above")  # one choice, not each grade
    expect(page).to_have_url(re.compile(r"\?scope=p4-and-above$"), timeout=TIMEOUT)
    scoped = FilterState(scope="p4-and-above").resolved(Reference.load())
    expected = engine_share(server, scoped)
    assert expected == "50.0%"  # 2025, P-4 and D-1: 6 + 1 + 5 = 12 women, 4 + 3 + 5 = 12 men
    expect(share).to_have_text(expected, timeout=TIMEOUT)
    expect(page.locator("#filter-grade")).to_contain_text("P-4 and above")
    page.reload()  # a shared link opens the same scope, named
    expect(share).to_have_text(expected, timeout=TIMEOUT)
    expect(page.locator("#filter-grade")).to_contain_text("P-4 and above")


def test_shared_link_opens_the_same_view(page: Page, server: Server) -> None:
    page.goto(server.url + "/grades?year=2024&entity=Beta")
    expect(page.locator("#grades-grid")).to_contain_text("P-4", timeout=TIMEOUT)
    rows = grid_rows(page, "grades-grid", "grade")
    # Beta 2024: P-4 4 women 6 men (40.0%, 1 woman needed), P-3 8 / 6 (57.1%, men under)
    p4 = rows["P-4"]
    assert [p4[k] for k in ("women", "men", "total", "women_share", "gap_pp")] == [
        "4", "6", "10", "40.0%", "+10.0"
    ]  # fmt: skip
    assert p4["parity_status"] == "Women under-represented" and p4["women_needed"] == "1"
    assert rows["P-3"]["women_share"] == "57.1%"
    assert rows["P-3"]["parity_status"] == "Men under-represented"
    expect(page.locator("#filter-year")).to_contain_text("2024")
    # the nav keeps the selection when moving to another page
    page.click("#nav-overview")
    expect(page).to_have_url(re.compile(r"/\?year=2024&entity=Beta$"))
    # Beta 2024: 12 women, 12 men
    expect(page.locator("#overview-share-value")).to_have_text("50.0%", timeout=TIMEOUT)
    assert engine_share(server, FilterState(year=2024, entity=("Beta",))) == "50.0%"


def test_small_groups_are_not_shown_exactly(page: Page, server: Server) -> None:
    page.goto(server.url + "/grades?entity=Alpha")
    expect(page.locator("#grades-grid")).to_contain_text("D-1", timeout=TIMEOUT)
    rows = grid_rows(page, "grades-grid", "grade")
    # Alpha 2025: D-1 has 1 woman and 3 men, 4 people, under the minimum cell of 5. The public
    # publication withholds P-4 (10) with it: Alpha's "P-4 and above" (14) less P-4 would give
    # D-1. P-3 (2 women, 8 men) stays shown: all entities' P-3 less Beta's gives it anyway.
    # The reason once, in the Total column, alike for both; every other figure a dash
    figures = ("women", "men", "women_share", "gap_pp", "parity_status", "women_needed")
    for grade in ("D-1", "P-4"):
        assert rows[grade]["total"] == "not shown"
        assert [rows[grade][k] for k in figures] == ["—"] * 6
    assert (rows["P-3"]["women"], rows["P-3"]["men"], rows["P-3"]["total"]) == ("2", "8", "10")
    expect(page.locator("#grades-parity-value")).to_have_text("0 of 1")
    expect(page.locator("#grades-top-value")).to_have_text("—")  # D-1 and above: 4 people
    screenshot(page, "grades-small-groups")


@pytest.mark.parametrize("page_spec", PAGES, ids=[p.name for p in PAGES])
def test_every_page_renders(page: Page, server: Server, page_spec: object) -> None:
    path = page_spec.path  # type: ignore[attr-defined]
    page.goto(server.url + path)
    expect(page.locator("h1.page-title")).to_have_text(page_spec.label, timeout=TIMEOUT)  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")
    graphs = page.locator(".js-plotly-plot")
    for i in range(graphs.count()):
        expect(graphs.nth(i).locator(".main-svg").first).to_be_visible(timeout=TIMEOUT)
    screenshot(page, f"page-{page_spec.name}")  # type: ignore[attr-defined]


CUT = """() => Array.from(document.querySelectorAll('header *, #filters-col *, #page *'))
  .filter(e => e instanceof HTMLElement && e.textContent.trim()
    && e.getBoundingClientRect().width > 2)  // not a screen reader's one-pixel text
  .filter(e => {
    const style = getComputedStyle(e);
    const ellipsis = style.textOverflow === 'ellipsis';
    const clips = e.children.length === 0 && ['hidden', 'clip'].includes(style.overflowX);
    return (ellipsis || clips) && e.scrollWidth > e.clientWidth + 1;
  })
  .map(e => e.textContent.trim())"""
"""The words a page cuts: every text wider than its box that ends in an ellipsis, or that is
clipped (hidden overflow). Text that overflows visibly shows as a sideways scroll, checked apart."""
OFF_SCREEN = """() => Array.from(document.querySelectorAll('.phone-fitted .ag-header-cell'))
  .filter(e => e.getClientRects().length > 0
    && e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.textContent.trim())"""
"""The column headers beyond the screen's right edge of the grids a phone fits to its width (the
tables with women's share: assets/phone.js); other grids, and any on a wide screen, may scroll
inside themselves."""


def _settled(page: Page, script: str) -> list[str]:
    """What ``script`` finds once the grids have fitted their columns (a grid lays itself out
    again after its data arrives): an empty list as soon as it is, else the last finding."""
    found: list[str] = []
    for _attempt in range(10):
        found = page.evaluate(script)
        if not found:
            break
        page.wait_for_timeout(300)
    return found


@pytest.mark.parametrize("width", [1440, 390])
def test_no_page_cuts_a_word_or_scrolls_sideways(page: Page, server: Server, width: int) -> None:
    """At 1440 and 390 px, in English and in French, no page cuts a name, status or label, nor
    scrolls sideways; on a phone a table shows each row's name, women's share and status (the
    other columns hide there), and the Entities heatmap gives way to a ranked list."""
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    for spec in PAGES:
        for language in ("en", "fr"):  # French words run longer
            page.goto(f"{server.url}{spec.path}?lang={language}")
            with i18n.using(language):
                title = gettext(spec.label)
            expect(page.locator("h1.page-title")).to_have_text(title, timeout=TIMEOUT)
            page.wait_for_load_state("networkidle")
            where = f"{spec.path}?lang={language} at {width} px"
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, where
            assert _settled(page, CUT) == [], where
            assert width > 400 or _settled(page, OFF_SCREEN) == [], where
    if width > 400:
        return
    page.goto(server.url + "/?lang=fr")
    expect(page.locator("#overview-share-value")).to_have_text("46,9\u00a0%", timeout=TIMEOUT)
    screenshot(page, "overview-narrow-fr")
    page.goto(server.url + "/grades?lang=en")
    headers = page.locator("#grades-grid .ag-header-cell-text")
    expect(headers.first).to_have_text("Grade", timeout=TIMEOUT)
    # the category and the counts hide on a phone: the grade, its share and status remain
    expect(headers).to_have_text(["Grade", "Women's share", "Status"], timeout=TIMEOUT)
    expect(page.locator("#grades-grid")).to_contain_text("Women under-represented")
    screenshot(page, "grades-narrow")
    page.goto(server.url + "/entities")
    expect(page.locator("#entities-heatmap")).to_be_hidden(timeout=TIMEOUT)
    # Alpha's P-3 (2 of 10) is the only cell of 5 people or more below 50%... withheld cells
    ranked = page.locator("#entities-heatmap-phone")
    expect(ranked).to_contain_text("Lowest women's share", timeout=TIMEOUT)
    screenshot(page, "entities-narrow")
    # back to a wide screen: every column of the grid again
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server.url + "/grades")
    expect(page.locator("#grades-grid .ag-header-cell-text").nth(1)).to_have_text(
        "Category", timeout=TIMEOUT
    )


def test_keyboard_reaches_the_pages_and_filters(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    expect(page.locator("#overview-share-value")).to_have_text("46.9%", timeout=TIMEOUT)
    reached = []
    for _ in range(len(PAGES) + 3):  # skip link, brand, language switch, every page
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent")
        )
    assert "nav-grades" in reached
    assert "nav-definitions" in reached
    assert "lang-fr" in reached


def upload(page: Page, path: Path) -> None:
    page.locator("#data-upload input[type=file]").set_input_files(str(path))


def test_upload_refused_then_accepted_then_removed(page: Page, server: Server) -> None:
    page.goto(server.url + "/data")
    upload(page, DATA / "bad.csv")
    expect(page.locator("#data-upload-refused")).to_contain_text("3 problems", timeout=TIMEOUT)
    errors = [
        r.locator("td").all_inner_texts()
        for r in page.locator("#data-upload-errors tbody tr").all()
    ]
    assert [e[:3] for e in errors] == [
        ["3", "grade", "P-9"],
        ["4", "gender", "Q"],
        ["5", "headcount", "-2"],
    ]
    screenshot(page, "data-refused")

    upload(page, DATA / "gamma.csv")
    expect(page.locator("#data-upload-valid")).to_contain_text(
        "2 rows read, valid (staff): 1 entity, years 2025–2025, 40 people", timeout=TIMEOUT
    )
    page.click("#data-import")
    expect(page.locator("#data-upload-done")).to_contain_text("as batch 3", timeout=TIMEOUT)
    expect(page.locator("#data-batch-table")).to_contain_text("gamma.csv")
    screenshot(page, "data-imported")

    page.click("#nav-overview")
    # with Gamma (30 women, 10 men): 53 women, 36 men -> 59.6%
    expect(page.locator("#overview-share-value")).to_have_text("59.6%", timeout=TIMEOUT)
    assert engine_share(server, FilterState()) == "59.6%"

    page.click("#nav-data")
    page.locator("#data-batch-table tbody tr", has_text="gamma.csv").get_by_role(
        "button", name="Remove"
    ).click()
    expect(page.locator("#data-batch-table")).not_to_contain_text("gamma.csv", timeout=TIMEOUT)
    page.click("#nav-overview")
    expect(page.locator("#overview-share-value")).to_have_text("46.9%", timeout=TIMEOUT)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_download_briefing_for_the_current_view(
    page: Page, server: Server, fmt: str, tmp_path: Path
) -> None:
    page.goto(server.url + "/?entity=Beta")
    expect(page.locator("#overview-share-value")).to_have_text("56.0%", timeout=TIMEOUT)
    page.click("#briefing-menu")
    progress = page.locator("#briefing-progress")
    with page.expect_download(timeout=60_000) as download:
        page.click(f"#briefing-{fmt}")
        if fmt == "pdf":  # seconds to make: the page says it is at work
            expect(progress).to_have_text("Preparing the briefing…")
            expect(progress).to_be_visible()
    expect(progress).to_be_hidden(timeout=TIMEOUT)
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("parity-briefing-Beta-") and path.suffix == f".{fmt}"
    if fmt == "pdf":
        from pypdf import PdfReader

        text = " ".join(p.extract_text() for p in PdfReader(path).pages)
        assert "Beta" in text and "56.0%" in text
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(path)["By grade"]
        rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert rows["P-3"][2:4] == (9, 6)  # Beta P-3 2025: 9 women, 6 men


def test_flows_agree_and_planning_scenario_in_the_url(
    page: Page, server: Server, exact_server: Server
) -> None:
    page.goto(server.url + "/flows")
    # 2025: Alpha P-4, D-1, P-3 and Beta P-4, P-3, each for F, M and X: 15 cells
    expect(page.locator("#flows-consistent")).to_contain_text(
        "agree in all 15 cells", timeout=TIMEOUT
    )
    # in public, the plan's model would read appointments and separations by grade that the
    # publication withholds (each is 1 to 4 events): no plan, and the reason
    page.goto(server.url + "/planning?target=2030")
    expect(page.locator("#planning-summary")).to_contain_text(
        "The plan rests on figures the public view withholds", timeout=TIMEOUT
    )
    page.goto(exact_server.url + "/planning?target=2030&hire_professional=20")
    server = exact_server
    summary = page.locator("#planning-summary-text")
    expect(summary).to_contain_text("by 2030", timeout=TIMEOUT)
    choose(page, "entity", "Alpha")
    expect(page).to_have_url(re.compile(r"\?entity=Alpha&target=2030&hire_professional=20$"))
    expect(summary).to_contain_text("across Alpha by 2030", timeout=TIMEOUT)
    screenshot(page, "planning-alpha")
    page.goto(server.url + "/planning?entity=Beta&target=2030")
    expect(page.locator("#planning-grid")).to_contain_text("Professional", timeout=TIMEOUT)


def test_data_grid_shows_the_view_formatted(page: Page, server: Server) -> None:
    page.goto(server.url + "/data?entity=Beta")
    row = page.locator(".ag-row", has_text="P-3").first
    # Beta P-3 2025: 9 women, 6 men -> 60.0%, gap -10.0 pp, men under-represented
    expect(row).to_contain_text("60.0%", timeout=TIMEOUT)
    expect(row).to_contain_text("-10.0")
    expect(row).to_contain_text("Men under-represented")
    expect(page.locator("#data-title")).to_have_text(
        "Women's representation by entity, grade — Beta, 2025"
    )


def test_clicking_a_station_filters_every_page(page: Page, server: Server) -> None:
    page.goto(server.url + "/stations")
    markers = page.locator("#stations-map .scattergeo .point")
    expect(markers.first).to_be_visible(timeout=TIMEOUT)
    # the largest marker is Nairobi (Beta, 25 people); click its centre
    sizes = [(m.bounding_box() or {}).get("width", 0) for m in markers.all()]
    markers.nth(sizes.index(max(sizes))).click(force=True)
    expect(page).to_have_url(re.compile(r"\?duty_station=Nairobi$"), timeout=TIMEOUT)
    expect(page.locator("#filter-duty_station")).to_contain_text("Nairobi")
    page.click("#nav-overview")
    # Beta at Nairobi, 2025: 14 women, 11 men
    expect(page.locator("#overview-share-value")).to_have_text("56.0%", timeout=TIMEOUT)


def test_grades_page_with_80_grades(page: Page, ladder_server: Server) -> None:
    """80 grades in one grid; the time from a filter change to the repainted page is recorded
    in tests/artifacts/timings.json (make bench is where speed is judged)."""
    from parity.reference import Reference

    grades = [g for g in Reference.load().ladder if g != "Other"][:80]
    page.goto(ladder_server.url + "/grades?entity=A")
    title = page.locator("#grades-table-title")
    expect(title).to_have_text("By grade — A, 2025", timeout=TIMEOUT)
    api = "dash_ag_grid.getApi('grades-grid')"
    assert page.evaluate(f"{api}.getDisplayedRowCount()") == 80
    first = page.evaluate(f"{api}.getDisplayedRowAtIndex(0).data")
    # the top of the ladder first; 2025: k = (0 + 2025) % 5 = 0, so 2 women and 10 men
    assert (first["grade"], first["women"], first["men"]) == (grades[0], 2, 10)
    repaint = (
        "([text]) => document.querySelector('#grades-table-title').textContent === text && "
        "!document.querySelector('[data-dash-is-loading=\"true\"]')"
    )
    timings = []
    for year in ("2024", "2025", "2024", "2025", "2024"):
        start = time.perf_counter()
        choose(page, "year", year)
        page.wait_for_function(repaint, arg=[f"By grade — A, {year}"], timeout=TIMEOUT)
        timings.append(time.perf_counter() - start)
    # 2024: k = 2024 % 5 = 4 in the first grade: 6 women, 6 men
    assert page.evaluate(f"{api}.getDisplayedRowAtIndex(0).data.women") == 6
    page.locator("#grades-grid").scroll_into_view_if_needed()
    expect(page.locator("#grades-grid .ag-row").first).to_contain_text(grades[0])
    screenshot(page, "grades-80")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    record = {
        "grades page, 80 grades: filter change to repaint, median s": statistics.median(timings)
    }
    (ARTIFACTS / "timings.json").write_text(json.dumps(record, indent=1))


def test_upload_over_the_limit_is_refused_in_the_browser(
    page: Page, server: Server, tmp_path: Path
) -> None:
    """A file over PARITY_MAX_UPLOAD_MB (the e2e server's is the default, 50 MB, unless the
    environment says otherwise) is refused by the browser with the server's own message for
    such a file, and is never sent."""
    from parity.settings import Settings
    from parity.web.pages.data.staging import over_limit

    limit_mb = Settings.from_env().max_upload_mb
    size = (limit_mb + 1) * 2**20
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(size)  # sparse: nothing is written, and the browser must not read it
    posted: list[int] = []
    page.on(
        "request",
        lambda r: posted.append(len(r.post_data_buffer or b"")) if r.method == "POST" else None,
    )
    page.goto(server.url + "/data")
    expect(page.locator("#data-upload")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function("window.parityUploadMax !== undefined", timeout=TIMEOUT)
    upload(page, path)
    expect(page.locator("#data-upload-too-large")).to_have_text(
        over_limit("huge.csv", size, limit_mb), timeout=TIMEOUT
    )
    assert f"{limit_mb + 1}.0 MB is over the {limit_mb} MB limit" in over_limit("x", size, limit_mb)
    assert posted and max(posted) < 2**20  # the file itself went nowhere
    screenshot(page, "data-too-large")

    # dropped rather than chosen
    dropped = page.evaluate_handle(
        """(size) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(size)], "dropped.csv"));
            return transfer;
        }""",
        size,
    )
    page.dispatch_event("#data-upload .upload-zone", "drop", {"dataTransfer": dropped})
    expect(page.locator("#data-upload-too-large")).to_have_text(
        over_limit("dropped.csv", size, limit_mb), timeout=TIMEOUT
    )
    assert max(posted) < 2**20

    # the zone still takes a file within the limit
    upload(page, DATA / "bad.csv")
    expect(page.locator("#data-upload-refused")).to_contain_text("3 problems", timeout=TIMEOUT)


def test_an_hr_export_previews_as_it_comes(page: Page, server: Server, tmp_path: Path) -> None:
    """A workbook as an HR system exports it: a read-me sheet, titles above the header, GS
    grades, a station in capitals, a grand-total row. Previewed, not imported."""
    import openpyxl

    book = openpyxl.Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "Read me"
    readme.append(["Figures as of 31 December 2025"])
    data = book.create_sheet("Data")
    for row in (
        ["Staff by grade and sex"],
        [],
        ["Year", "Entity", "Duty Station", "Grade", "Women", "Men"],
        [2025, "Gamma", "NAIROBI", "GS-5", 6, 4],
        [2025, "Gamma", "NAIROBI", "P04", 3, 7],
        ["Grand Total", None, None, None, 9, 11],
    ):
        data.append(row)
    path = tmp_path / "hr-export.xlsx"
    book.save(path)
    page.goto(server.url + "/data")
    upload(page, path)
    expect(page.locator("#data-upload-valid")).to_contain_text(
        "3 rows read, valid (staff): 1 entity, years 2025–2025, 20 people", timeout=TIMEOUT
    )
    notes = page.locator("#data-upload-notes")
    expect(notes).to_contain_text("Read the sheet 'Data'.")
    expect(notes).to_contain_text("The header is row 3; the rows above it are titles.")
    expect(notes).to_contain_text(
        "Left out 1 total row (row 6), each checked against the rows it totals."
    )
    preview = page.locator("#data-preview")
    expect(preview).to_contain_text("G-5")
    expect(preview).to_contain_text("Nairobi")
    expect(preview).to_contain_text("Kenya")  # the station's country, from the reference
    screenshot(page, "data-hr-export")


def test_the_upload_asks_which_column_is_which(page: Page, server: Server, tmp_path: Path) -> None:
    path = tmp_path / "source.csv"
    path.write_text("Exercice,Organisme,Echelon,Sexe,Effectif\n2025,Gamma,P-4,F,3\n")
    page.goto(server.url + "/data")
    upload(page, path)
    form = page.locator("#data-mapping")
    expect(form).to_contain_text(
        "missing required column(s) 'year', 'entity', 'grade'", timeout=TIMEOUT
    )
    for field, column in (("year", "Exercice"), ("entity", "Organisme"), ("grade", "Echelon")):
        page.click(f'#data-mapping [id*=\'"index":"{field}"\']')
        page.get_by_role("option", name=column, exact=True).click()
    page.click("#data-map-apply")
    expect(page.locator("#data-upload-valid")).to_contain_text(
        "valid (staff): 1 entity, years 2025–2025, 3 people", timeout=TIMEOUT
    )
    expect(page.locator("#data-upload-notes")).to_contain_text(
        "Read 'Exercice' as year, 'Organisme' as entity, 'Echelon' as grade."
    )
    screenshot(page, "data-mapping")


def test_sign_in_see_your_scope_and_sign_out(page: Page, signin_server: Server) -> None:
    from tests.e2e.conftest import PASSWORD

    page.goto(signin_server.url + "/grades?entity=Alpha")
    expect(page).to_have_url(re.compile(r"/signin\?next=/grades"), timeout=TIMEOUT)
    # the dashboard's header and its language switch, the page asked for kept
    expect(page.locator(".brand-sub")).to_have_text("Gender parity dashboard")
    french = page.locator("#lang-fr")
    expect(french).to_have_attribute("href", re.compile(r"lang=fr&next=%2Fgrades"))
    screenshot(page, "signin")
    page.fill("#name", "ana")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    expect(page.locator(".signin-error")).to_have_text("Wrong user name or password.")
    page.fill("#name", "ana")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/grades\?entity=Alpha$"), timeout=TIMEOUT)
    expect(page.locator("#scope-words")).to_have_text(
        "Signed in as ana (focal point): exact figures for Alpha; the public view of other "
        "entities."
    )
    # in her scope, Alpha's D-1 (1 woman, 3 men) is exact
    expect(page.locator("#grades-grid")).to_contain_text("D-1", timeout=TIMEOUT)
    rows = grid_rows(page, "grades-grid", "grade")
    assert (rows["D-1"]["women"], rows["D-1"]["men"]) == ("1", "3")
    screenshot(page, "signed-in")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin$"), timeout=TIMEOUT)


def test_a_focal_point_signs_in_to_her_entity_and_briefs_it(
    page: Page, signin_server: Server, tmp_path: Path
) -> None:
    """The focal point's journey: sign in from the front page, land on her own entity (exact
    figures: Alpha 2025, 9 women of 24, 37.5%), take its briefing as slides."""
    _sign_in(page, signin_server, "ana", "/")
    expect(page).to_have_url(re.compile(r"/\?entity=Alpha$"), timeout=TIMEOUT)
    expect(page.locator("#overview-share-value")).to_have_text("37.5%", timeout=TIMEOUT)
    page.click("#briefing-menu")
    with page.expect_download(timeout=60_000) as download:
        page.click("#briefing-pptx")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("parity-briefing-Alpha-")
    from pptx import Presentation

    deck = Presentation(str(path))
    cover = " ".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame)
    assert "Alpha" in cover and "37.5%" in cover
    assert sum(sh.has_chart for slide in deck.slides for sh in slide.shapes) >= 4
    page.get_by_role("button", name="Sign out").click()


def _sign_in(page: Page, server: Server, name: str, path: str) -> None:
    from tests.e2e.conftest import PASSWORD

    page.goto(server.url + path)
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#scope-words")).to_contain_text(f"Signed in as {name}", timeout=TIMEOUT)


def test_a_steward_submits_and_an_admin_publishes(
    page: Page, round_server: Server, tmp_path: Path
) -> None:
    """The steward's journey: choose the round, preview the file beside the published figures
    with its flags, submit, find the flags on the Rounds page (own entity only, the others
    counted), confirm; then the administrator publishes, warned about the entity that sent
    nothing."""
    # Beta 2026: 24 women, 17 men; P-3 doubles from 15 people (9 women, 6 men) in 2025 to 30
    path = tmp_path / "beta-2026.csv"
    path.write_text(
        "year,entity,duty_station,grade,gender,headcount\n"
        "2026,Beta,Nairobi,P-4,F,6\n2026,Beta,Nairobi,P-4,M,5\n"
        "2026,Beta,Nairobi,P-3,F,18\n2026,Beta,Nairobi,P-3,M,12\n"
    )
    _sign_in(page, round_server, "sam", "/data")
    upload(page, path)
    expect(page.locator("#data-upload-valid")).to_contain_text("valid (staff)", timeout=TIMEOUT)
    # beside Beta's published 2025 (P-4 5 and 5, P-3 9 and 6), before anything is stored
    compare = page.locator("#data-compare")
    expect(compare).to_contain_text("25 (14 women, 11 men) in 2025")
    expect(compare).to_contain_text("41 (24 women, 17 men) in 2026")
    expect(compare).to_contain_text("+64.0%")
    grade_flag = "grade P-3: 15 people in 2025 (9 women, 6 men) -> 30 in 2026 (18 women, 12 men)"
    expect(page.locator("#data-compare-flags")).to_contain_text(grade_flag)
    expect(page.locator("#data-import")).to_have_text("Submit to round 1")
    screenshot(page, "round-steward-preview")
    page.click("#data-import")
    expect(page.locator("#data-upload-done")).to_contain_text(
        "to round 1 as batch 2: a draft until the round is published", timeout=TIMEOUT
    )
    # sam sees Beta's draft, marked
    page.goto(round_server.url + "/?entity=Beta")
    expect(page.locator("#draft-words")).to_contain_text("Draft — not published", timeout=TIMEOUT)
    expect(page.locator("#overview-share-note")).to_contain_text("in 2026")
    screenshot(page, "round-steward-draft")
    # the Rounds page: Beta's row with its flags in full, Alpha only counted; no filter panel
    page.goto(round_server.url + "/rounds")
    board = page.locator("#rounds-grid")
    expect(board).to_contain_text(grade_flag, timeout=TIMEOUT)
    expect(board).not_to_contain_text("Alpha")
    expect(page.locator("#rounds-others")).to_have_text("Other entities — not started: 1.")
    expect(page.locator("#filters-col")).to_be_hidden()
    page.get_by_role("button", name="Confirm Beta's figures").click()
    expect(page.locator("#rounds-done")).to_contain_text(
        "Confirmed Beta's figures", timeout=TIMEOUT
    )
    expect(board).to_contain_text("confirmed")
    screenshot(page, "round-steward-confirmed")
    # the same page in French on a phone: nothing cut, nothing off the screen
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(round_server.url + "/rounds?lang=fr")
    expect(page.locator("#rounds-others")).to_have_text(
        "Autres entités — non commencé : 1.", timeout=TIMEOUT
    )
    assert _settled(page, CUT) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    screenshot(page, "round-steward-phone-fr")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(round_server.url + "/rounds?lang=en")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, round_server, "root", "/rounds")
    expect(page.locator("#rounds-grid")).to_contain_text("confirmed", timeout=TIMEOUT)
    expect(page.locator("#rounds-grid")).to_contain_text("not started")  # Alpha
    page.click("#rounds-publish")
    # Alpha sent nothing: the page says so and asks before publishing
    expect(page.locator("#rounds-unready")).to_contain_text(
        "round 1 is not ready to publish: nothing submitted: Alpha", timeout=TIMEOUT
    )
    page.click("#rounds-publish-force")
    expect(page.locator("#rounds-done")).to_contain_text("Round 1 published", timeout=TIMEOUT)
    expect(page.locator("#rounds-title")).to_contain_text("— published")
    screenshot(page, "round-published")
    # published: Beta's 2026 figures for everyone, no draft banner: 24 of 41 women = 58.5%
    page.goto(round_server.url + "/?entity=Beta")
    expect(page.locator("#overview-share-value")).to_have_text("58.5%", timeout=TIMEOUT)
    expect(page.locator("#draft-words")).to_have_count(0)


def test_a_focal_points_task_with_the_keyboard_only(page: Page, server: Server) -> None:
    """Choose the entity, read the headline, download the PDF briefing: keys only."""
    page.goto(server.url + "/")
    expect(page.locator("#overview-share-value")).to_have_text("46.9%", timeout=TIMEOUT)

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"!!document.activeElement.closest({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#filter-entity")
    options = page.get_by_role("option")
    for key in ("Enter", "Space", "ArrowDown"):  # the list opens on any of them
        page.keyboard.press(key)
        try:
            expect(options.first).to_be_visible(timeout=3_000)
            break
        except AssertionError:
            continue
    search = page.get_by_role("searchbox", name="Search")
    for _ in range(3):  # a loaded machine may drop a keystroke while the list re-renders
        page.keyboard.type("Alpha", delay=60)
        if search.input_value() == "Alpha":
            break
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
    expect(page.get_by_role("option", name="Alpha", exact=True)).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.locator("#overview-share-value")).to_have_text("37.5%", timeout=TIMEOUT)
    tab_to("#briefing-menu")
    page.keyboard.press("Enter")
    expect(page.locator("#briefing-pdf")).to_be_visible()
    page.keyboard.press("ArrowDown")  # into the menu: PDF first
    if not page.evaluate("!!document.activeElement.closest('#briefing-pdf')"):
        tab_to("#briefing-pdf", limit=5)
    with page.expect_download(timeout=60_000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("parity-briefing-Alpha-")
    assert download.value.suggested_filename.endswith(".pdf")


def test_a_chart_reads_as_a_sentence_and_a_table(page: Page, server: Server) -> None:
    """The Overview's trend: its takeaway under it, and "Show as table" (by keyboard) gives
    the figures drawn: 2024 20 women and 27 men (42.6%), 2025 23 and 26 (46.9%)."""
    page.goto(server.url + "/")
    caption = page.locator("#overview-trend-alt")
    expect(caption).to_contain_text("Women's share went from 42.6% in 2024", timeout=TIMEOUT)
    card = page.locator(".chart-card", has=page.locator("#overview-trend"))
    assert card.locator("table").count() == 0  # drawn only when asked for
    card.locator("summary").focus()
    page.keyboard.press("Enter")
    table = card.locator("table.chart-table")
    expect(table).to_be_visible(timeout=TIMEOUT)
    assert table.locator("th[scope=col]").all_inner_texts() == [
        "Year",
        "Women",
        "Men",
        "Women's share",
    ]
    rows = [r.locator("th, td").all_inner_texts() for r in table.locator("tbody tr").all()]
    assert rows == [["2024", "20", "27", "42.6%"], ["2025", "23", "26", "46.9%"]]
    # a filter change redraws the open table: Alpha alone, 2025 9 women and 15 men
    page.goto(server.url + "/?entity=Alpha")
    card = page.locator(".chart-card", has=page.locator("#overview-trend"))
    card.locator("summary").click()
    last = card.locator("table.chart-table tbody tr").last
    expect(last).to_contain_text("37.5%", timeout=TIMEOUT)
    screenshot(page, "overview-trend-as-table")
