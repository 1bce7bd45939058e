"""The dashboard in French: every page rendered in Chromium with ``?lang=fr`` shows no English
message of the catalogue (its text, its controls' names, its charts' SVG text and its opened
"Show as table" tables), numbers read the French way, the language switch keeps the page and
its filters, and an upload's refusal is in French."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from parity import i18n
from parity.i18n import _
from parity.web.pages import PAGES
from tests.e2e.conftest import ARTIFACTS, DATA, Server
from tests.french import untranslated

TIMEOUT = 15_000
VIEWS = {"all": "", "filtered": "&entity=Alpha&year=2024"}
TEXT = """() => {
    const parts = [document.body.innerText, document.title];
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
            if (el.getAttribute(name)) parts.push(el.getAttribute(name));
        }
    }
    for (const svg of document.querySelectorAll('.main-svg')) parts.push(svg.textContent);
    return parts.join('\\n');
}"""


def french(message: str) -> str:
    with i18n.using("fr"):
        return _(message)


@pytest.fixture(scope="module")
def fr_page(browser: Browser) -> Any:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def _settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    graphs = page.locator(".js-plotly-plot")
    for i in range(graphs.count()):
        expect(graphs.nth(i).locator(".main-svg").first).to_be_visible(timeout=TIMEOUT)
    toggles = page.locator("details.chart-table-toggle > summary")
    for i in range(toggles.count()):
        toggles.nth(i).click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_every_page_in_french_has_no_english_message(
    fr_page: Page, server: Server, spec: Any, view: str
) -> None:
    page = fr_page
    page.goto(f"{server.url}{spec.path}?lang=fr{VIEWS[view]}")
    expect(page.locator("h1.page-title")).to_have_text(french(spec.label), timeout=TIMEOUT)
    _settle(page)
    assert page.evaluate("document.documentElement.lang") == "fr"
    text = page.evaluate(TEXT)
    if view == "all":
        page.screenshot(path=str(ARTIFACTS / f"fr-{spec.name}.png"), full_page=True)
    assert untranslated(text) == [], f"{spec.path}: English left in the French page"


def test_french_numbers_and_the_switch_keep_the_view(fr_page: Page, server: Server) -> None:
    page = fr_page
    page.goto(f"{server.url}/?entity=Alpha&year=2024&lang=fr")
    expect(page.locator("h1.page-title")).to_have_text(french("Overview"), timeout=TIMEOUT)
    share = page.locator("#overview-share-value")
    expect(share).to_have_text(re.compile(r"^\d+,\d\u00a0%$"), timeout=TIMEOUT)
    # the switch reloads the same page, filters kept, in English, and the figure is the same
    french_share = share.inner_text()
    page.click("#lang-en")
    expect(page.locator("h1.page-title")).to_have_text("Overview", timeout=TIMEOUT)
    assert "entity=Alpha" in page.url and "year=2024" in page.url and "lang=en" in page.url
    expect(share).to_have_text(
        french_share.replace(",", ".").replace("\u00a0", ""), timeout=TIMEOUT
    )
    assert page.evaluate("document.documentElement.lang") == "en"
    # and back: the navigation keeps the chosen language from page to page
    page.click("#lang-fr")
    expect(page.locator("h1.page-title")).to_have_text(french("Overview"), timeout=TIMEOUT)
    page.click("#nav-trends")
    expect(page.locator("h1.page-title")).to_have_text(
        french("Trends & projections"), timeout=TIMEOUT
    )
    assert "lang=fr" in page.url and "entity=Alpha" in page.url


def test_an_upload_is_refused_in_french(fr_page: Page, server: Server, tmp_path: Path) -> None:
    page = fr_page
    page.goto(f"{server.url}/data?lang=fr")
    expect(page.locator("h1.page-title")).to_have_text(french("Data"), timeout=TIMEOUT)
    page.locator("#data-upload input[type=file]").set_input_files(str(DATA / "bad.csv"))
    refused = page.locator("#data-upload-refused")
    expect(refused).to_contain_text(
        re.compile(r"bad\.csv\s:\srefusé, 3 problèmes\s;\srien n'a été importé"), timeout=TIMEOUT
    )
    text = page.evaluate(TEXT)
    page.screenshot(path=str(ARTIFACTS / "fr-data-refused.png"), full_page=True)
    assert untranslated(text) == []
    rows = [
        r.locator("td").all_inner_texts()
        for r in page.locator("#data-upload-errors tbody tr").all()
    ]
    assert [r[:3] for r in rows] == [
        ["3", "grade", "P-9"],
        ["4", "gender", "Q"],
        ["5", "headcount", "-2"],
    ]


def test_signing_in_and_the_rounds_board_in_french(browser: Browser, round_server: Server) -> None:
    """The sign-in page, the scope bar and an administrator's Rounds page (board, flags,
    controls) in French."""
    from tests.e2e.conftest import PASSWORD

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{round_server.url}/rounds?lang=fr")
    expect(page).to_have_url(re.compile(r"/signin"), timeout=TIMEOUT)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert untranslated(page.evaluate(TEXT)) == []
    page.fill("#name", "root")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{round_server.url}/rounds?lang=fr")
    expect(page.locator("#scope-words")).to_contain_text("root", timeout=TIMEOUT)
    expect(page.locator("h1.page-title")).to_have_text(french("Reporting rounds"), timeout=TIMEOUT)
    expect(page.locator("#rounds-grid")).to_contain_text("Beta", timeout=TIMEOUT)
    _settle(page)
    text = page.evaluate(TEXT)
    page.screenshot(path=str(ARTIFACTS / "fr-rounds-admin.png"), full_page=True)
    context.close()
    assert untranslated(text) == []
    assert "Connexion en tant que root (administrateur)" in text


def test_the_geography_page_with_nationalities(browser: Browser, tmp_path_factory: Any) -> None:
    """Staff with nationalities (tests/test_nationality.py's STAFF, exact figures): the Geography
    page's sentence, groups and table, in English at 1440 px and in French on a phone, nothing
    cut."""
    from tests.e2e.conftest import serve
    from tests.e2e.test_dashboard import CUT, _settled
    from tests.test_nationality import STAFF

    folder = tmp_path_factory.mktemp("geo")
    (folder / "staff.csv").write_text(STAFF)
    server = serve(folder, [folder / "staff.csv"], {"PARITY_PUBLIC": "0"})
    url = next(server).url
    try:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/geography")
        expect(page.locator("#geography-summary")).to_have_text(
            "Staff of 4 nationalities shown. Women's share ranges from 48.8% (Western European "
            "and Others) to 66.7% (Asia-Pacific) among the UN regional groups.",
            timeout=TIMEOUT,
        )
        grid = page.locator("#geography-grid")
        expect(grid).to_contain_text("Nepal")
        expect(page.locator("#geography-senior")).to_have_text(
            "No one at D-1 and above with a recorded nationality in this selection."
        )
        assert _settled(page, CUT) == []
        page.screenshot(path=str(ARTIFACTS / "geography.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{url}/geography?lang=fr")
        expect(page.locator("#geography-summary")).to_contain_text(
            "Personnel de 4 nationalités montré", timeout=TIMEOUT
        )
        expect(page.locator("#geography-summary")).to_contain_text("(États d'Asie et du Pacifique)")
        expect(page.locator("#geography-grid")).to_contain_text("Nepal")
        assert _settled(page, CUT) == []
        assert untranslated(page.evaluate(TEXT)) == []
        page.screenshot(path=str(ARTIFACTS / "geography-phone-fr.png"), full_page=True)
        context.close()
    finally:
        server.close()
