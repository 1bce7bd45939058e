"""What every slide of the deck (parity.briefing.slides) is made of: the page's measures and
colours, a slide with its title, takeaway and footer, a caption, speaker notes, a slide of one
native chart and a slide of a view's table, and the figures as the notes say them."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from parity.briefing import slide_charts as charts
from parity.briefing.content import Briefing, generated_on
from parity.briefing.slide_tables import add_grid, grid
from parity.charts.base import EMPTY_MESSAGE
from parity.i18n import _
from parity.privacy import HIDDEN_TEXT
from parity.views.base import Table as ViewTable
from parity.wording import count, percent

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


def put(
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
    """``text`` in a box of its own on ``slide``, wrapped, at ``size`` points."""
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    paragraph.font.color.rgb = colour


def footer(slide: Slide, briefing: Briefing) -> None:
    footer = _("{scope} · {year} · generated {date}").format(
        scope=briefing.scope, year=briefing.year, date=generated_on(briefing.generated)
    )
    if briefing.demo:
        footer += " · " + _("demo data (synthetic)")
    put(slide, MARGIN, HIGH - Inches(0.4), WIDE - 2 * MARGIN, Inches(0.3), footer, 10, False, MUTED)


def fitted(text: str, sizes: tuple[tuple[int, float], ...], smallest: float) -> float:
    """The type size a text fits its box at: the first of ``sizes`` (longest length in
    characters, size) it is no longer than, else ``smallest``."""
    return next((size for longest, size in sizes if len(text) <= longest), smallest)


def new_slide(deck: Deck, briefing: Briefing, title: str, takeaway: str) -> Slide:
    """A blank slide with its title, its takeaway under it and the footer."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    width = WIDE - 2 * MARGIN
    size = fitted(title, TITLE_SIZES, 18)
    put(slide, MARGIN, Inches(0.3), width, Inches(0.7), title, size, True, ACCENT)
    size = fitted(takeaway, TAKEAWAY_SIZES, 12 if len(takeaway) <= 500 else 10)
    put(slide, MARGIN, Inches(1.0), width, Inches(0.9), takeaway, size)
    footer(slide, briefing)
    return slide


def caption(slide: Slide, top: int, *notes: str) -> None:
    """What the chart or table above leaves out, in small type under it."""
    text = " ".join(sentence(n) for n in notes if n)
    if text:  # one line at 11 points; two at 9
        size = 11 if len(text) <= 150 else 9
        put(slide, MARGIN, top, WIDE - 2 * MARGIN, CAPTION, text, size, colour=MUTED)


def speak(slide: Slide, notes: str) -> None:
    """``notes`` as the slide's speaker notes."""
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None  # the default template's notes slide has its placeholder
    frame.text = notes


def sentence(note: str) -> str:
    """A view's note ('2 grades not shown …') as a sentence."""
    note = note[:1].upper() + note[1:]
    return note if note.endswith(".") else note + "."


def chart_slide(
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
    slide = new_slide(deck, briefing, title, takeaway)
    bottom = HIGH - CHART_BOTTOM - (CAPTION if any(captions) else 0)
    box = (MARGIN, CHART_TOP, WIDE - 2 * MARGIN, bottom - CHART_TOP)
    if draw(slide, briefing, box) is None:
        bottom, captions = CHART_TOP, captions if any(captions) else (_(EMPTY_MESSAGE),)
    caption(slide, bottom, *captions)
    speak(slide, notes)


def table_slide(
    deck: Deck, briefing: Briefing, title: str, takeaway: str, table: ViewTable, *more: str
) -> None:
    """A slide of a view's table (its first TABLE_ROWS rows) as a native table under
    ``takeaway``; the notes: the takeaway, each row's figures, then ``more``."""
    slide = new_slide(deck, briefing, title, takeaway)
    shown = grid(table, TABLE_ROWS)
    room = HIGH - CHART_BOTTOM - CAPTION - Inches(0.1) - CHART_TOP
    height, placed = add_grid(slide, shown, (MARGIN, CHART_TOP, WIDE - 2 * MARGIN, room))
    left_out = ""
    if shown.total > placed:
        left_out = _("The first {limit} of {total} rows shown; the dashboard lists them all.")
        left_out = left_out.format(limit=count(placed), total=count(shown.total))
    caption(slide, CHART_TOP + height + Inches(0.1), table.note, left_out)
    rows = semicolon().join(
        named(row[0], ", ".join(map(named, shown.headers[1:], row[1:])))
        for row in shown.rows[:placed]
    )
    notes = [takeaway, sentence(rows) if rows else "", left_out, *more]
    speak(slide, " ".join(n for n in notes if n))


def share(value: float | str | None) -> str:
    """A share as text; a withheld share (None, small group) as a dash."""
    return "—" if value is None or isinstance(value, str) or pd.isna(value) else percent(value)


def semicolon() -> str:
    # Translators: what separates the items of a list of figures ("P-3: 25.0%; P-4: 40.0%")
    return _("; ")


def named(name: object, figures: str) -> str:
    """A group's (or a year's) figures after its name: 'P-3: 25.0% (3 women, 9 men)'."""
    return _("{name}: {figures}").format(name=name, figures=figures)


def women_men(share: str, women: object, men: object) -> str:
    return _("{share} ({women} women, {men} men)").format(
        share=share, women=count(women), men=count(men)
    )


def group_notes(table: pd.DataFrame, group: str) -> str:
    """One line of figures per group, named as the chart names it: share, women and men; a
    withheld group says only that it is withheld ("fewer than 5", "not shown"), as the
    tables do."""
    lines = []
    names = charts.group_labels(table[group])
    for name, (_i, r) in zip(names, table.iterrows(), strict=True):
        withheld = r.get(HIDDEN_TEXT)
        if isinstance(withheld, str):
            lines.append(named(name, withheld))
        else:
            lines.append(named(name, women_men(share(r["women_share"]), r["women"], r["men"])))
    return semicolon().join(lines)
