"""Languages: numbers and words by locale, the catalogue complete for the code, the request's
language, and every briefing written in French with no English message left in it."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from parity import i18n
from parity.wording import count, listing, percent, plural, signed_pp, status_words
from tests.french import english_phrases, untranslated

ROOT = Path(__file__).resolve().parents[1]
E2E_DATA = ROOT / "tests" / "e2e" / "data"


def _messages_script() -> object:
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_numbers_words_and_dates_by_language() -> None:
    values = (percent(0.42245), signed_pp(-3.14), count(12345), listing(["A", "B", "C"]))
    assert values == ("42.2%", "-3.1 pp", "12,345", "A, B and C")
    assert (i18n.either(["A"]), i18n.either(["A", "B", "C"])) == ("A", "A, B or C")
    assert status_words("women_under") == "Women under-represented"
    assert plural(1, "{n} entity", "{n} entities") == "1 entity"
    assert plural(1200, "{n} entity", "{n} entities") == "1,200 entities"
    with i18n.using("fr"):
        assert percent(0.42245) == "42,2\u00a0%"  # no-break space before the sign
        assert percent(0.5, digits=0) == "50\u00a0%"
        assert signed_pp(3.14) == "+3,1 pp"
        assert count(12345) == "12\u202f345"  # CLDR's narrow no-break space between thousands
        assert listing(["A", "B", "C"]) == "A, B et C"
        assert i18n.either(["A", "B", "C"]) == "A, B ou C"
        assert status_words("women_under") == "Femmes sous-représentées"
        assert i18n.day(date(2026, 11, 30)) == "30 nov. 2026"
        assert i18n.plotly_separators() == ",\u202f"
        # French takes the singular for 0 and 1
        assert plural(0, "{n} entity", "{n} entities") == "0 entité"
        assert plural(2, "{n} entity", "{n} entities") == "2 entités"
    assert i18n.language() == "en"  # the block's language ended with it
    assert percent(0.42245) == "42.2%"


def test_a_language_from_a_url_or_a_browser() -> None:
    from parity.web.language import request_language

    assert [i18n.chosen(v) for v in ("fr", "FR", "fr-SN", "fr_CA", "de", "", None)] == [
        "fr",
        "fr",
        "fr",
        "fr",
        None,
        None,
        None,
    ]
    page = "http://127.0.0.1:8050/grades?entity=Alpha&lang=fr"
    assert request_language("en", page, "fr", "fr") == "en"  # the URL of the request first
    assert request_language(None, page, "en", "en") == "fr"  # a callback: its page's URL
    assert request_language(None, "http://x/grades?entity=A", "fr", "en") == "fr"  # the cookie
    assert request_language(None, None, None, "fr") == "fr"  # the browser's preference
    assert request_language("xx", "http://x/?lang=zz", "yy", None) == "en"


def test_every_message_of_the_code_is_translated() -> None:
    """`make messages` has been run and every message has a French translation with the same
    {placeholders}: a message added to the code without one fails here, naming it."""
    script = _messages_script()
    template = script.extract()  # type: ignore[attr-defined]
    french = script.read(i18n.CATALOGUES / "fr" / "LC_MESSAGES" / "messages.po", "fr")  # type: ignore[attr-defined]
    problems = script.problems(template, french)  # type: ignore[attr-defined]
    assert not problems, "\n".join(problems[:40])
    assert len(template) > 500  # the whole interface, not a sample
    assert len(english_phrases()) > 300


@pytest.fixture(scope="module")
def french_briefings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`parity brief --lang fr` in every format, on the browser tests' data (staff and flows of
    three entities)."""
    from parity.cli import main

    folder = tmp_path_factory.mktemp("french")
    url = f"sqlite:///{folder / 'fr.db'}"
    for name in ("staff.csv", "flows.csv"):
        assert main(["import", str(E2E_DATA / name), "--db", url]) == 0
    files = {}
    for kind in ("pdf", "pptx", "xlsx"):
        if kind == "pdf" and not Path("/usr/bin/chromium").exists():
            continue
        files[kind] = folder / f"briefing.{kind}"
        arguments = ["--output", str(files[kind]), "--lang", "fr", "--db", url]
        status = main(["brief", "--format", kind, *arguments])
        assert status == 0
    return files


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _slides_text(path: Path) -> str:
    from pptx import Presentation

    texts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(texts)


def _workbook_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    return "\n".join([*book.sheetnames, *cells])


READERS = {"pdf": _pdf_text, "pptx": _slides_text, "xlsx": _workbook_text}


@pytest.mark.parametrize("kind", ["pdf", "pptx", "xlsx"])
def test_a_briefing_in_french_has_no_english_message(
    french_briefings: dict[str, Path], kind: str
) -> None:
    if kind not in french_briefings:
        pytest.skip("charts need Chromium at /usr/bin/chromium (make browsers)")
    text = READERS[kind](french_briefings[kind])
    assert untranslated(text) == [], f"English left in the French {kind}"
    assert "Part des femmes" in text or "part des femmes" in text
    if kind == "pdf":
        from pypdf import PdfReader

        assert PdfReader(french_briefings[kind]).trailer["/Root"]["/Lang"] == "fr"


def test_labels_parity_derives_are_in_the_readers_language() -> None:
    import pandas as pd

    from parity.views.headline import category_sentence
    from parity.wording import label

    table = pd.DataFrame(
        {
            "category": ["Field Service", "Senior leadership"],
            "women_share": [0.35, 0.52],
            "parity_status": ["women_under", "parity"],
            "hidden": [None, None],
        }
    )
    with i18n.using("fr"):
        # a staff category and an age band parity derived: French; an entity's name: as written
        assert (label("60 and over"), label("Field Service"), label("Alpha")) == (
            "60 ans et plus", "Service mobile", "Alpha"
        )  # fmt: skip
        sentence = category_sentence(table)
    assert "35\u00a0% (Service mobile)" in sentence and "(Hauts responsables)" in sentence
    assert "Field Service" not in sentence
