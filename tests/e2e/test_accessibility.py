"""Accessibility: axe-core (npm, node_modules/axe-core) run in Chromium on every page of the
dashboard, wide and narrow, with the default view and with filters set; any serious or critical
violation fails, the message naming each rule, its impact, help and where it was found.

Run it alone with `.venv/bin/python -m pytest tests/e2e/test_accessibility.py -ra` (or `-k
accessibility`). A page with violations still to fix may be listed in KNOWN (xfail, non-strict);
`--runxfail` shows the full violation messages. Every case also writes all its violations,
minor ones included, to tests/artifacts/axe/<page>-<viewport>-<view>.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from parity import i18n
from parity.i18n import _
from parity.web.pages import PAGES
from tests.e2e.conftest import ARTIFACTS, Server

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT = 15_000
BLOCKING = ("serious", "critical")
VIEWPORTS = {"wide": (1440, 900), "narrow": (390, 844)}
VIEWS = {"default": "", "filtered": "?entity=Alpha&year=2024", "french": "?lang=fr&entity=Alpha"}

# Pages with serious or critical violations still to fix (xfail, non-strict): none since
# assets/a11y.js names Dash 4's controls and fixes their roles and tab order.
KNOWN: dict[str, str] = {}

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not AXE.exists(), reason=f"needs axe-core: {AXE} missing (npm ci, or make browsers)"
    ),
]


def _cases() -> list[Any]:
    cases = []
    for spec in PAGES:
        for viewport in VIEWPORTS:
            for view in VIEWS:
                case_id = f"{spec.name}-{viewport}-{view}"
                marks = []
                if spec.name in KNOWN:
                    reason = f"known axe violations (issue 13): {KNOWN[spec.name]}"
                    marks.append(pytest.mark.xfail(strict=False, reason=reason))
                cases.append(pytest.param(spec, viewport, view, id=case_id, marks=marks))
    return cases


@pytest.fixture(scope="module")
def pages(browser: Browser) -> Iterator[dict[str, Page]]:
    """One page per viewport (and one more per viewport for French: the language chosen is
    remembered by a cookie), opened on first use and kept for the whole module."""
    opened: dict[str, Page] = {}

    class Pages(dict[str, Page]):
        def __missing__(self, viewport: str) -> Page:
            width, height = VIEWPORTS[viewport.split("/")[0]]
            # the app's Content-Security-Policy forbids inline scripts, axe's script tag included
            context = browser.new_context(
                viewport={"width": width, "height": height}, bypass_csp=True
            )
            page = context.new_page()
            opened[viewport] = self[viewport] = page
            return page

    yield Pages()
    for page in opened.values():
        page.context.close()


GRIDS_DRAWN = """() => [...document.querySelectorAll('.ag-header-row-column')]
    .filter((row) => row.offsetParent !== null && row.offsetWidth > 0)
    .every((row) => row.children.length > 0)"""
"""Every grid on screen has its header cells (axe found a header row drawn empty, once in a
while, as a grid re-rendered)."""


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:3]]
        lines.append(
            f"- {v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}\n"
            f"    {v['helpUrl']}\n    at: {'; '.join(targets)}\n"
            f"    html: {v['nodes'][0]['html'][:200]}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize(("spec", "viewport", "view"), _cases())
def test_no_serious_accessibility_violations(
    pages: dict[str, Page], server: Server, spec: Any, viewport: str, view: str
) -> None:
    page = pages[viewport + ("/fr" if view == "french" else "")]
    page.goto(server.url + spec.path + VIEWS[view])
    with i18n.using("fr" if view == "french" else "en"):
        title = _(spec.label)
    expect(page.locator("h1.page-title")).to_have_text(title, timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    graphs = page.locator(".js-plotly-plot")
    if viewport.startswith("narrow"):  # a phone shows a ranked list instead of these
        graphs = page.locator(".js-plotly-plot:not(.phone-hide *)")
    for i in range(graphs.count()):
        expect(graphs.nth(i).locator(".main-svg").first).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function(GRIDS_DRAWN, timeout=TIMEOUT)  # not a grid between two renders
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    (ARTIFACTS / "axe").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe" / f"{spec.name}-{viewport}-{view}.json").write_text(
        json.dumps(results["violations"], indent=1)
    )
    assert len(blocking) == 0, (
        f"{spec.path}{VIEWS[view]} at {viewport} {VIEWPORTS[viewport]}: "
        f"{len(blocking)} serious/critical axe violation(s)\n{describe(blocking)}"
    )
