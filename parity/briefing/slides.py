"""The briefing as a 16:9 slide deck (python-pptx): a cover with the headline figures, then one
slide per chart with a one-sentence takeaway built from the numbers and the figures in the
speaker notes."""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from parity import i18n
from parity.briefing.content import Briefing, generated_on, headline_cards
from parity.briefing.images import to_png
from parity.i18n import N_, _, ngettext
from parity.privacy import HIDDEN_TEXT
from parity.wording import count, percent, projection_words

ACCENT = RGBColor(0x0B, 0x3A, 0x5D)
INK = RGBColor(0x1F, 0x2A, 0x37)
MUTED = RGBColor(0x6B, 0x72, 0x80)
LINE = RGBColor(0xD1, 0xD5, 0xDB)
DEMO = RGBColor(0xA9, 0x44, 0x00)
WIDE, HIGH = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
# the chart's room under the title and takeaway, above the footer
CHART_TOP, CHART_BOTTOM = Inches(1.95), Inches(0.45)
# chart pixels per inch on the slide: 13 px chart text shows at about 12 pt
CSS_PER_INCH = 80
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


def _chart_slide(
    deck: Deck, briefing: Briefing, name: str, title: str, takeaway: str, notes: str
) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    _text(slide, MARGIN, Inches(0.3), WIDE - 2 * MARGIN, Inches(0.7), title, 28, True, ACCENT)
    _text(slide, MARGIN, Inches(1.0), WIDE - 2 * MARGIN, Inches(0.9), takeaway, 18)
    room_w, room_h = WIDE - 2 * MARGIN, HIGH - CHART_TOP - CHART_BOTTOM
    # Drawn to the room's shape so the chart fills it; tall charts (the pipeline's many grades)
    # get more pixels, hence smaller text, rather than overlapping labels.
    figure = briefing.figures[name]
    css_high = max(int(room_h / Inches(1) * CSS_PER_INCH), int(0.75 * (figure.layout.height or 0)))
    css_wide = int(css_high * room_w / room_h)
    image = io.BytesIO(to_png(figure, width=css_wide, height=css_high, scale=2))
    slide.shapes.add_picture(image, MARGIN, CHART_TOP, width=room_w, height=room_h)
    _footer(slide, briefing)
    slide.notes_slide.notes_text_frame.text = notes


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
        _text(cover, x_in, top + Inches(0.1), inner, Inches(0.3), label.upper(), 11, True, MUTED)
        size = 28 if len(value) <= 6 else 22 if len(value) <= 9 else 18
        _text(cover, x_in, top + Inches(0.45), inner, Inches(0.6), value, size, True)
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
    """One line of figures per group shown: share, women and men; a withheld group says only
    that it is withheld ("fewer than 5", "not shown"), exactly as the slide's table does."""
    lines = []
    for _i, r in table.iterrows():
        withheld = r.get(HIDDEN_TEXT)
        if isinstance(withheld, str):
            lines.append(_named(r[group], withheld))
        else:
            lines.append(
                _named(r[group], _women_men(_share(r["women_share"]), r["women"], r["men"]))
            )
    return _semicolon().join(lines)


def _projection_notes(table: pd.DataFrame, group: str) -> str:
    return _semicolon().join(
        _("{group}: {share} in {year}, {change} pp a year, parity {parity}").format(
            group=r[group],
            share=percent(float(r["women_share"])),
            year=int(r["base_year"]),
            change=i18n.signed(float(r["annual_change_pp"]), 2),
            parity=projection_words(r),
        )
        if pd.notna(r["annual_change_pp"])
        else _named(r[group], projection_words(r))
        for _i, r in table.iterrows()
    )


def write_pptx(briefing: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    b = briefing
    _cover(deck, b)
    _goal_slide(deck, b)

    trend_notes = _semicolon().join(
        _named(int(r["year"]), _women_men(percent(float(r["women_share"])), r["women"], r["men"]))
        for _i, r in b.trend.iterrows()
    )
    no_data = _("No data.")
    _chart_slide(
        deck, b, "trend", _("Women's share over time"), b.takeaways["trend"], trend_notes or no_data
    )
    _chart_slide(
        deck,
        b,
        "pipeline",
        _("The grade pipeline"),
        b.takeaways["grades"],
        b.takeaways["pipeline"] + " " + (_group_notes(b.grades, "grade") or no_data),
    )
    _chart_slide(
        deck,
        b,
        "categories",
        _("By staff category"),
        b.takeaways["categories"],
        _group_notes(b.categories, "category") or no_data,
    )
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
    _chart_slide(
        deck,
        b,
        "projections",
        _("When is 50% reached?"),
        b.takeaways["projections"],
        f"{method} {by_category} {by_grade}",
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
