"""The briefing as a 16:9 slide deck (python-pptx): a cover with the headline figures, the goal,
one slide per chart (native, editable charts: parity.briefing.slide_charts), then the PDF's
other sections when the briefing has them (duty stations, the scorecard, hiring needed, progress
against targets, the flows) as charts or native tables (parity.briefing.slide_tables). Each
slide has a one-sentence takeaway built from the numbers and its figures in the speaker notes.
No browser is needed."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from parity import i18n
from parity.briefing import slide_charts as charts
from parity.briefing.content import Briefing, generated_on, headline_cards
from parity.briefing.slide_tables import add_grid, grid
from parity.charts.base import EMPTY_MESSAGE
from parity.i18n import N_, _, ngettext
from parity.privacy import HIDDEN_TEXT
from parity.views.base import Table as ViewTable
from parity.wording import GOAL_YEAR, count, percent, projection_words
from parity.wording import label as group_label

ACCENT = RGBColor(0x0B, 0x3A, 0x5D)
INK = RGBColor(0x1F, 0x2A, 0x37)
MUTED = RGBColor(0x6B, 0x72, 0x80)
LINE = RGBColor(0xD1, 0xD5, 0xDB)
DEMO = RGBColor(0xA9, 0x44, 0x00)
WIDE, HIGH = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
# the chart's room under the title and takeaway, above the footer; a caption under it
CHART_TOP, CHART_BOTTOM, CAPTION = Inches(1.95), Inches(0.45), Inches(0.35)
TABLE_ROWS = 12  # rows of a table on a slide (the PDF has them all)
# a text's longest length (characters) at each size, in its box: (title, 0.7 in high), and
# (a takeaway, 0.9 in high: two lines at 18 pt, three at 16 or 14, four at 12)
TITLE_SIZES, TAKEAWAY_SIZES = ((55, 28), (65, 24), (80, 20)), ((170, 18), (290, 16), (340, 14))
METHOD_WORDS = {  # English: show them through _()
    "increment": N_("average annual increment"),
    "ols": N_("least squares"),
}


def _text(
    slide: Slide,
    left: int,
    top: int,
    width: int,
    height: int,
    text: str,
    size: float,
    bold: bool = False,
    colour: RGBColor = INK,
) -> None:
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    paragraph.font.color.rgb = colour


def _footer(slide: Slide, briefing: Briefing) -> None:
    footer = _("{scope} · {year} · generated {date}").format(
        scope=briefing.scope, year=briefing.year, date=generated_on(briefing.generated)
    )
    if briefing.demo:
        footer += " · " + _("demo data (synthetic)")
    _text(
        slide, MARGIN, HIGH - Inches(0.4), WIDE - 2 * MARGIN, Inches(0.3), footer, 10, False, MUTED
    )


def _fitted(text: str, sizes: tuple[tuple[int, float], ...], smallest: float) -> float:
    """The type size a text fits its box at: the first of ``sizes`` (longest length in
    characters, size) it is no longer than, else ``smallest``."""
    return next((size for longest, size in sizes if len(text) <= longest), smallest)


def _slide(deck: Deck, briefing: Briefing, title: str, takeaway: str) -> Slide:
    """A blank slide with its title, its takeaway under it and the footer."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    width = WIDE - 2 * MARGIN
    size = _fitted(title, TITLE_SIZES, 18)
    _text(slide, MARGIN, Inches(0.3), width, Inches(0.7), title, size, True, ACCENT)
    size = _fitted(takeaway, TAKEAWAY_SIZES, 12 if len(takeaway) <= 500 else 10)
    _text(slide, MARGIN, Inches(1.0), width, Inches(0.9), takeaway, size)
    _footer(slide, briefing)
    return slide


def _caption(slide: Slide, top: int, *notes: str) -> None:
    """What the chart or table above leaves out, in small type under it."""
    text = " ".join(_sentence(n) for n in notes if n)
    if text:  # one line at 11 points; two at 9
        size = 11 if len(text) <= 150 else 9
        _text(slide, MARGIN, top, WIDE - 2 * MARGIN, CAPTION, text, size, colour=MUTED)


def _speak(slide: Slide, notes: str) -> None:
    """``notes`` as the slide's speaker notes."""
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None  # the default template's notes slide has its placeholder
    frame.text = notes


def _sentence(note: str) -> str:
    """A view's note ('2 grades not shown …') as a sentence."""
    note = note[:1].upper() + note[1:]
    return note if note.endswith(".") else note + "."


def _chart_slide(
    deck: Deck,
    briefing: Briefing,
    title: str,
    takeaway: str,
    notes: str,
    draw: Callable[[Slide, Briefing, charts.Box], object],
    *captions: str,
) -> None:
    """A slide of one native chart (``draw`` puts it in the room under the takeaway and
    returns None when there is nothing to draw), ``captions`` (what it leaves out) under it,
    ``notes`` spoken. With nothing to draw, the captions say why in its place, as the
    dashboard's empty charts do, else that no one matches."""
    slide = _slide(deck, briefing, title, takeaway)
    bottom = HIGH - CHART_BOTTOM - (CAPTION if any(captions) else 0)
    box = (MARGIN, CHART_TOP, WIDE - 2 * MARGIN, bottom - CHART_TOP)
    if draw(slide, briefing, box) is None:
        bottom, captions = CHART_TOP, captions if any(captions) else (_(EMPTY_MESSAGE),)
    _caption(slide, bottom, *captions)
    _speak(slide, notes)


def _table_slide(
    deck: Deck, briefing: Briefing, title: str, takeaway: str, table: ViewTable, *more: str
) -> None:
    """A slide of a view's table (its first TABLE_ROWS rows) as a native table under
    ``takeaway``; the notes: the takeaway, each row's figures, then ``more``."""
    slide = _slide(deck, briefing, title, takeaway)
    shown = grid(table, TABLE_ROWS)
    room = HIGH - CHART_BOTTOM - CAPTION - Inches(0.1) - CHART_TOP
    height, placed = add_grid(slide, shown, (MARGIN, CHART_TOP, WIDE - 2 * MARGIN, room))
    left_out = ""
    if shown.total > placed:
        left_out = _("The first {limit} of {total} rows shown; the dashboard lists them all.")
        left_out = left_out.format(limit=count(placed), total=count(shown.total))
    _caption(slide, CHART_TOP + height + Inches(0.1), table.note, left_out)
    rows = _semicolon().join(
        _named(row[0], ", ".join(map(_named, shown.headers[1:], row[1:])))
        for row in shown.rows[:placed]
    )
    notes = [takeaway, _sentence(rows) if rows else "", left_out, *more]
    _speak(slide, " ".join(n for n in notes if n))


def _cover(deck: Deck, briefing: Briefing) -> None:
    b = briefing
    cover = deck.slides.add_slide(deck.slide_layouts[6])
    left, width = Inches(0.8), WIDE - Inches(1.6)
    _text(cover, left, Inches(0.8), width, Inches(1.0), b.title, 40, True, ACCENT)
    _text(cover, left, Inches(1.8), width, Inches(0.7), b.scope[:1].upper() + b.scope[1:], 24)
    _text(
        cover,
        left,
        Inches(2.45),
        width,
        Inches(0.5),
        _("Data as of {year} · generated {date}").format(
            year=b.year, date=generated_on(b.generated)
        ),
        16,
        colour=MUTED,
    )
    if b.demo:
        _text(
            cover,
            left,
            Inches(2.95),
            width,
            Inches(0.5),
            _("Demo data: synthetic figures and fictional entity names."),
            16,
            True,
            DEMO,
        )
    cards = headline_cards(b)
    gap = Inches(0.15)
    card_w = Emu(int((width - gap * (len(cards) - 1)) / len(cards)))
    top, card_h = Inches(3.7), Inches(1.75)
    for i, (label, value, note) in enumerate(cards):
        x = Emu(left + i * (card_w + gap))
        box = cover.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, top, card_w, card_h)
        box.fill.background()
        box.line.color.rgb = LINE
        box.shadow.inherit = False
        inner = Emu(card_w - Inches(0.3))
        x_in = Emu(x + Inches(0.15))
        label_size = 11 if len(label) <= 16 else 9  # two lines at most above the value
        _text(cover, x_in, top + Inches(0.1), inner, Inches(0.3), label.upper(), label_size, True,
              MUTED)  # fmt: skip
        _text(cover, x_in, top + Inches(0.45), inner, Inches(0.6), value, _one_line(value, inner),
              True)  # fmt: skip
        # a long note in smaller type, so that it stays inside its card
        note_size = 11 if len(note) <= 60 else 9 if len(note) <= 100 else 8
        _text(cover, x_in, top + Inches(1.05), inner, Inches(0.65), note, note_size, colour=MUTED)
    _text(cover, left, Inches(5.75), width, Inches(1.0), b.takeaways["headline"], 18)
    _footer(cover, b)
    # the notes say what the cards say, no more: every figure in them is on the cover
    cover.notes_slide.notes_text_frame.text = " ".join(
        _("{label}: {value} ({note}).").format(label=label, value=value, note=note)
        if note
        else _("{label}: {value}.").format(label=label, value=value)
        for label, value, note in cards
    )


def _one_line(value: str, width: int) -> int:
    """The type size (points, 14 to 28) at which ``value`` fits on one line of ``width`` (EMU,
    less the box's margins): bold figures and words take about three quarters of an em a
    character in the fonts a deck is shown with (a wider one than python-pptx can measure)."""
    room = (width - Inches(0.2)) / 12700  # points
    return max(14, min(28, int(room / (0.75 * max(len(value), 1)))))


def _goal_slide(deck: Deck, b: Briefing) -> None:
    """Where the headline scope stands against the goal: its status, then its outlook (the
    trend, the flows, what it takes) and where it stands, in the Overview's words."""
    goal = b.takeaways.get("goal", "")
    if not goal:
        return
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    width = WIDE - 2 * MARGIN
    _text(slide, MARGIN, Inches(0.3), width, Inches(0.7), _("The 2028 goal"), 28, True, ACCENT)
    _text(slide, MARGIN, Inches(1.1), width, Inches(0.8), goal, 24, True)
    _text(slide, MARGIN, Inches(2.1), width, Inches(2.6), b.takeaways.get("outlook", ""), 18)
    _text(slide, MARGIN, Inches(4.9), width, Inches(1.5), b.takeaways["headline"], 16, colour=MUTED)
    _footer(slide, b)
    slide.notes_slide.notes_text_frame.text = " ".join(
        t for t in (goal, b.takeaways.get("outlook", ""), b.takeaways["headline"]) if t
    )


def _share(value: float | str | None) -> str:
    """A share as text; a withheld share (None, small group) as a dash."""
    return "—" if value is None or isinstance(value, str) or pd.isna(value) else percent(value)


def _semicolon() -> str:
    # Translators: what separates the items of a list of figures ("P-3: 25.0%; P-4: 40.0%")
    return _("; ")


def _named(name: object, figures: str) -> str:
    """A group's (or a year's) figures after its name: 'P-3: 25.0% (3 women, 9 men)'."""
    return _("{name}: {figures}").format(name=name, figures=figures)


def _women_men(share: str, women: object, men: object) -> str:
    return _("{share} ({women} women, {men} men)").format(
        share=share, women=count(women), men=count(men)
    )


def _group_notes(table: pd.DataFrame, group: str) -> str:
    """One line of figures per group, named as the chart names it: share, women and men; a
    withheld group says only that it is withheld ("fewer than 5", "not shown"), as the
    tables do."""
    lines = []
    names = charts.group_labels(table[group])
    for name, (_i, r) in zip(names, table.iterrows(), strict=True):
        withheld = r.get(HIDDEN_TEXT)
        if isinstance(withheld, str):
            lines.append(_named(name, withheld))
        else:
            lines.append(_named(name, _women_men(_share(r["women_share"]), r["women"], r["men"])))
    return _semicolon().join(lines)


def _projection_notes(table: pd.DataFrame, group: str) -> str:
    return _semicolon().join(
        _("{group}: {share} in {year}, {change} pp a year, parity {parity}").format(
            group=group_label(r[group]),
            share=percent(float(r["women_share"])),
            year=int(r["base_year"]),
            change=i18n.signed(float(r["annual_change_pp"]), 2),
            parity=projection_words(r),
        )
        if pd.notna(r["annual_change_pp"])
        else _named(group_label(r[group]), projection_words(r))
        for _i, r in table.iterrows()
    )


def _chart_slides(deck: Deck, b: Briefing) -> None:
    """The four charts of the PDF, each on its slide: the trend, the pipeline, the staff
    categories and the projections."""
    no_data = _("No data.")
    trend_notes = _semicolon().join(
        _named(int(r["year"]), _women_men(percent(float(r["women_share"])), r["women"], r["men"]))
        for _i, r in b.trend.iterrows()
    )
    title, takeaway = _("Women's share over time"), b.takeaways["trend"]
    trend_note = b.overview.trend.note
    _chart_slide(deck, b, title, takeaway, trend_notes or no_data, charts.trend_chart, trend_note)
    notes = b.takeaways["pipeline"] + " " + (_group_notes(b.grades, "grade") or no_data)
    title, takeaway = _("The grade pipeline"), b.takeaways["grades"]
    _chart_slide(deck, b, title, takeaway, notes, charts.pipeline_chart, b.grade_view.pipeline.note)
    notes = _group_notes(b.categories, "category") or no_data
    title, takeaway = _("By staff category"), b.takeaways["categories"]
    caption = b.overview.categories.note
    _chart_slide(deck, b, title, takeaway, notes, charts.category_chart, caption)
    method = ngettext(
        "Method: {method}, {window}-year window.",
        "Method: {method}, {window}-year window.",
        b.window,
    ).format(method=_(METHOD_WORDS.get(b.method, b.method)), window=b.window)
    by_category = _("By staff category: {projections}.").format(
        projections=_projection_notes(b.category_projections, "category")
    )
    by_grade = _("By grade: {projections}.").format(
        projections=_projection_notes(b.projections, "grade")
    )
    notes = f"{method} {by_category} {by_grade}"
    title, takeaway = _("When is 50% reached?"), b.takeaways["projections"]
    caption = b.category_trends.chart.note
    _chart_slide(deck, b, title, takeaway, notes, charts.projection_chart, caption)


def _station_slide(deck: Deck, b: Briefing) -> None:
    """Women's share at the largest duty stations, when the selection has any."""
    if b.stations.empty:
        return
    charted = charts.largest_stations(b)
    left_out = ""
    if len(b.stations) > len(charted):
        left_out = _("The {limit} largest of {total} shown; the workbook lists them all.").format(
            limit=count(len(charted)), total=count(len(b.stations))
        )
    notes = " ".join(t for t in (_group_notes(charted, "duty_station") + ".", left_out) if t)
    title = _("By duty station, {year}").format(year=b.year)
    caption = (b.station_view.table.note, left_out)
    _chart_slide(deck, b, title, b.takeaways["stations"], notes, charts.station_chart, *caption)


def _scorecard_slide(deck: Deck, b: Briefing) -> None:
    """Each entity and staff category against the goal: the PDF's columns (the shares of the
    staff categories are in the workbook's Scorecard sheet)."""
    card = b.scorecard
    if card is None or card.rows.empty:
        return
    columns = tuple(
        c for c in card.columns if not c.key.endswith("_share") or c.key == "women_share"
    )
    title = _("Scorecard against the {year} goal").format(year=GOAL_YEAR)
    _table_slide(deck, b, title, card.title, ViewTable(card.title, columns, card.rows, card.note))


def _planning_slides(deck: Deck, b: Briefing) -> None:
    """As the PDF's planning section: the hiring needed to reach 50/50 by the target year,
    the progress against the entity's targets and the flows, each when the briefing has it."""
    if b.plan is not None:
        targets = b.plan.targets
        title = _("Hiring needed to reach 50/50")
        message = b.plan.targets_message if targets.rows.empty else ""
        _table_slide(deck, b, title, b.plan.summary, b.plan.table, message)
        if not targets.rows.empty:
            _table_slide(deck, b, _("Progress against targets"), "", targets)
    if b.flow_view is not None:
        title = _("Appointments, promotions and separations")
        _table_slide(deck, b, title, b.takeaways.get("flows", ""), b.flow_view.table)


def write_pptx(briefing: Briefing) -> bytes:
    """The briefing as the bytes of a PPTX file, its slides in the PDF's order."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    _cover(deck, briefing)
    _goal_slide(deck, briefing)
    _chart_slides(deck, briefing)
    _station_slide(deck, briefing)
    _scorecard_slide(deck, briefing)
    _planning_slides(deck, briefing)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
