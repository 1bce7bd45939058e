"""The briefing as an A4 portrait PDF (fpdf2): text as real, searchable text; charts as
high-resolution PNGs from the dashboard's own chart functions. This module holds the document's
sections in their order (cover, trend and categories, pipeline, grades, projections, duty
stations, nationalities, planning, methods); the page and its building blocks are in
parity.briefing.pdf_blocks."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from parity.briefing.content import NOT_IN_BRIEFINGS, Briefing, generated_on, headline_cards
from parity.briefing.pdf_blocks import ACCENT, CONTENT_WIDTH, INK, MUTED, PdfDocument
from parity.definitions import ENTRIES, plain
from parity.i18n import N_, _, ngettext
from parity.views.base import Column, Table
from parity.views.columns import ANNUAL_CHANGE, BASE_YEAR, GRADE, METRIC_COLUMNS, WOMEN_SHARE
from parity.wording import GOAL_YEAR, projection_words

METHOD_WORDS = {  # English: show them through _()
    "increment": N_("average annual increment (the UN reports' method)"),
    "ols": N_("least-squares line with an 80% interval"),
}

PRINTED_PROJECTION_COLUMNS = (  # the trends' columns, as a printed page has room for them
    GRADE,
    replace(BASE_YEAR, header=N_("Latest year")),
    WOMEN_SHARE,
    replace(ANNUAL_CHANGE, kind="pp2"),
    Column("parity", N_("Parity (50%)")),
)


def _pdf_columns(*columns: Column) -> list[tuple[str, str, str]]:
    """Catalogue columns as a PDF table takes them: (key, header in the request's language,
    kind), a status in words."""
    return [(c.key, _(c.header), "words" if c.kind == "status" else c.kind) for c in columns]


def _cover(doc: PdfDocument) -> None:
    """The title, the selection and its date, the demo warning, the headline figures and the
    key points."""
    b = doc.briefing
    doc.add_page()
    doc.set_font("DejaVu", "B", 24)
    doc.set_text_color(*ACCENT)
    doc.multi_cell(0, 11, b.title, align="L", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_text_color(*INK)
    doc.set_font("DejaVu", size=13)
    scope = b.scope[:1].upper() + b.scope[1:]
    doc.multi_cell(0, 6.5, scope, align="L", new_x="LMARGIN", new_y="NEXT")
    dated = _("Data as of {year} · generated {date}").format(
        year=b.year, date=generated_on(b.generated)
    )
    doc.paragraph(dated, size=10, colour=MUTED)
    if b.demo:
        doc.set_fill_color(255, 237, 179)
        doc.set_font("DejaVu", "B", 9.5)
        doc.multi_cell(
            0,
            6,
            _(
                "Demo data: the figures are synthetic and the entity names "
                "fictional. They describe no real organisation."
            ),
            fill=True,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        doc.set_fill_color(255, 255, 255)
        doc.ln(3)
    doc.ln(4)
    doc.heading(_("Headline figures — {scope}").format(scope=doc.briefing.overview.scope), 13)
    _headline_cards(doc)
    doc.heading(_("Key points"), 13)
    for text in b.key_points():
        doc.bullet(text)


def _headline_cards(doc: PdfDocument) -> None:
    """The Overview's headline figures as a row of cards, each as tall as the longest label and
    note need."""
    cards = headline_cards(doc.briefing)
    width = CONTENT_WIDTH / len(cards)
    top = doc.get_y()

    def lines(text: str, style: str, size: float, height: float) -> int:
        doc.set_font("DejaVu", style, size)
        found = doc.multi_cell(width - 6, height, text, dry_run=True, output="LINES")
        return len(found) if isinstance(found, list) else 1

    # every card as tall as the longest label and note need (French words run longer)
    label_lines = max(lines(label.upper(), "B", 7, 3.5) for label, _value, _note in cards)
    note_lines = max(lines(note, "", 7, 3.3) for _label, _value, note in cards)
    value_top = top + 2 + 3.5 * label_lines + 1.5
    note_top = value_top + 8
    height = note_top - top + 3.3 * note_lines + 2
    doc.set_draw_color(209, 213, 219)
    for i, (label, value, note) in enumerate(cards):
        x = doc.l_margin + i * width
        doc.rect(x + 1, top, width - 2, height)
        doc.set_xy(x + 3, top + 2)
        doc.set_font("DejaVu", "B", 7)
        doc.set_text_color(*MUTED)
        doc.multi_cell(width - 6, 3.5, label.upper(), align="L")
        doc.set_xy(x + 3, value_top)
        doc.set_font("DejaVu", "B", 15)
        while doc.get_string_width(value) > width - 6 and doc.font_size_pt > 9:
            doc.set_font("DejaVu", "B", doc.font_size_pt - 1)
        doc.set_text_color(*INK)
        doc.cell(width - 6, 7, value, align="L")
        doc.set_xy(x + 3, note_top)
        doc.set_font("DejaVu", size=7)
        doc.set_text_color(*MUTED)
        doc.multi_cell(width - 6, 3.3, note, align="L")
    doc.set_text_color(*INK)
    doc.set_y(top + height + 7)


def _trend_and_categories(doc: PdfDocument) -> None:
    b = doc.briefing
    doc.add_page()
    doc.heading(_("Women's share over time"))
    doc.paragraph(b.takeaways["trend"])
    doc.chart("trend")
    doc.heading(_("By staff category"))
    doc.paragraph(b.takeaways["categories"])
    doc.chart("categories", width=160)


def _pipeline(doc: PdfDocument) -> None:
    b = doc.briefing
    doc.add_page()
    doc.heading(_("The grade pipeline"))
    doc.paragraph(b.takeaways["pipeline"])
    doc.chart("pipeline", width=150 if len(b.grades) > 12 else CONTENT_WIDTH)


def _grades(doc: PdfDocument) -> None:
    """The table by grade, with what its columns of numbers needed mean."""
    b = doc.briefing
    doc.add_page()
    doc.heading(_("By grade, {year}").format(year=b.year))
    doc.paragraph(b.takeaways["grades"])
    if b.grades.empty:
        doc.paragraph(_("No one matches this selection."))
    else:
        doc.data_table(
            b.grades,
            _pdf_columns(GRADE, *METRIC_COLUMNS),
            widths=(12, 16, 16, 16, 17, 13, 44, 15, 15, 14),  # a status on one line
        )
        notes = _(
            "Women needed (men needed): the least number of positions that must pass from men "
            "to women (women to men), at constant headcount, for the grade to reach the parity "
            "zone (47–53% women, or the closest split its size allows); to 50/50: the same to "
            "the closest split to 50/50."
        )
        if b.min_cell:
            notes += " " + _(
                "Public view: every figure is read from one protected publication, in which no "
                'group of fewer than {n} people is shown ("not shown"), with the other cells it '
                "takes so that none can be worked out from all published figures together."
            ).format(n=b.min_cell)
        doc.paragraph(notes, size=8, colour=MUTED)


def _projections(doc: PdfDocument) -> None:
    """The projected year of parity: the method, the chart by category, the table by grade."""
    b = doc.briefing
    doc.add_page()
    doc.heading(_("Projected year of parity"))
    horizon = (
        " "
        + _("The chart runs to {year}; lines that reach 50% later run on past its edge.").format(
            year=b.horizon
        )
        if b.horizon is not None
        and (pd.to_numeric(b.category_projections["projected_year"], errors="coerce") > b.horizon)
        .fillna(False)
        .any()
        else ""
    )
    method = ngettext(
        "Method: {method}, over a {window}-year window ending in each grade's latest year, "
        "extended in a straight line until the share reaches 50%.",
        "Method: {method}, over a {window}-year window ending in each grade's latest year, "
        "extended in a straight line until the share reaches 50%.",
        b.window,
    ).format(method=_(METHOD_WORDS.get(b.method, b.method)), window=b.window)
    doc.paragraph(f"{method} {b.takeaways['projections']}{horizon}")
    doc.chart("projections")
    if not b.projections.empty:
        table = b.projections.assign(
            parity=[projection_words(r) for _index, r in b.projections.iterrows()]
        )
        doc.data_table(
            table,
            _pdf_columns(*PRINTED_PROJECTION_COLUMNS),
            widths=(25, 30, 35, 40, 48),
            title=ngettext(
                "Projected year of parity by grade ({window}-year window)",
                "Projected year of parity by grade ({window}-year window)",
                b.window,
            ).format(window=b.window),
        )


def _stations(doc: PdfDocument) -> None:
    b = doc.briefing
    table = b.station_view.table
    if table.rows.empty:
        return
    doc.add_page()
    doc.heading(_("By duty station, {year}").format(year=b.year))
    doc.paragraph(b.takeaways["stations"])
    largest = table.rows.sort_values("total", ascending=False, na_position="last", kind="stable")
    keep = ("duty_station", "location", "women", "men", "total", "women_share", "gap_pp",
            "parity_status", "women_needed", "men_needed")  # fmt: skip
    columns = tuple(c for c in table.columns if c.key in keep)
    doc.view_table(Table(table.title, columns, largest, table.note), limit=25, size=7.5)


def _geography(doc: PdfDocument) -> None:
    """By nationality (when the selection records nationalities): the sentence, then the
    largest nationalities with their UN regional group."""
    view = doc.briefing.geography
    if view is None or view.table.rows.empty:
        return
    doc.add_page()
    doc.heading(_("By nationality, {year}").format(year=doc.briefing.year))
    doc.paragraph(view.sentences.get("geography", ""))
    keep = ("nationality", "regional_group", "women", "men", "total", "women_share",
            "parity_status")  # fmt: skip
    table = view.table
    columns = tuple(c for c in table.columns if c.key in keep)
    doc.view_table(Table(table.title, columns, table.rows, table.note), limit=25, size=7.5)


def _scorecard(doc: PdfDocument) -> None:
    """Each entity and staff category against the goal: the goal's columns (the levels' shares
    and the status now are in the workbook's Scorecard sheet)."""
    card = doc.briefing.scorecard
    if card is None or card.rows.empty:
        return
    doc.add_page()
    doc.heading(_("Scorecard against the {year} goal").format(year=GOAL_YEAR))
    columns = tuple(
        c for c in card.columns if not c.key.endswith("_share") or c.key == "women_share"
    )
    doc.view_table(Table(card.title, columns, card.rows, card.note), limit=40, size=7)


def _planning(doc: PdfDocument) -> None:
    """Hiring needed to reach 50/50 by the target year, progress against the entity's targets,
    and the flows behind them (when the store holds flows)."""
    b = doc.briefing
    if b.plan is None and b.flow_view is None:
        return
    doc.add_page()
    if b.plan is not None:
        doc.heading(_("Hiring needed to reach 50/50"))
        doc.paragraph(b.plan.summary)
        doc.view_table(b.plan.table)
        if not b.plan.targets.rows.empty:
            doc.heading(_("Progress against targets"), 11)
            doc.view_table(b.plan.targets, size=7)
        elif b.plan.targets_message:
            doc.paragraph(b.plan.targets_message, size=8, colour=MUTED)
    if b.flow_view is not None:
        doc.heading(_("Appointments, promotions and separations"), 11)
        doc.paragraph(b.takeaways.get("flows", ""))
        doc.view_table(b.flow_view.table, size=7)


def _methods(doc: PdfDocument) -> None:
    b = doc.briefing
    doc.add_page()
    doc.heading(_("Methods and definitions"))
    skip = set(NOT_IN_BRIEFINGS)
    if b.method != "ols":
        skip.add("ols-interval")
    if not b.min_cell:
        skip.add("min-cell")
    for anchor, title, body in ENTRIES:
        if anchor in skip:
            continue
        doc.set_font("DejaVu", "B", 9.5)
        doc.multi_cell(0, 5, _(title), new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", size=8.5)
        for text in plain(_(body)).split("\n\n"):
            doc.multi_cell(0, 4.1, text, new_x="LMARGIN", new_y="NEXT")
            doc.ln(1)
        doc.ln(1)


def write_pdf(briefing: Briefing) -> bytes:
    """The briefing as the bytes of a PDF file, its sections in order."""
    doc = PdfDocument(briefing)
    _cover(doc)
    _trend_and_categories(doc)
    _pipeline(doc)
    _grades(doc)
    _projections(doc)
    _stations(doc)
    _geography(doc)
    _scorecard(doc)
    _planning(doc)
    _methods(doc)
    return bytes(doc.output())
