"""The briefing as a 16:9 slide deck (python-pptx): a cover with the headline figures, the goal,
one slide per chart (native, editable charts: parity.briefing.slide_charts), then the PDF's
other sections when the briefing has them (parity.briefing.slide_sections) as charts or native
tables (parity.briefing.slide_tables). Each slide has a one-sentence takeaway built from the
numbers and its figures in the speaker notes. No browser is needed."""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.presentation import Presentation as Deck
from pptx.util import Emu, Inches

from parity import i18n
from parity.briefing import slide_charts as charts
from parity.briefing import slide_sections as sections
from parity.briefing.content import Briefing, generated_on, headline_cards
from parity.briefing.slide_base import (
    ACCENT,
    DEMO,
    HIGH,
    LINE,
    MARGIN,
    MUTED,
    WIDE,
    chart_slide,
    footer,
    group_notes,
    named,
    put,
    semicolon,
    women_men,
)
from parity.i18n import N_, _, ngettext
from parity.wording import label as group_label
from parity.wording import percent, projection_words

METHOD_WORDS = {  # English: show them through _()
    "increment": N_("average annual increment"),
    "ols": N_("least squares"),
}


def _cover(deck: Deck, briefing: Briefing) -> None:
    b = briefing
    cover = deck.slides.add_slide(deck.slide_layouts[6])
    left, width = Inches(0.8), WIDE - Inches(1.6)
    put(cover, left, Inches(0.8), width, Inches(1.0), b.title, 40, True, ACCENT)
    put(cover, left, Inches(1.8), width, Inches(0.7), b.scope[:1].upper() + b.scope[1:], 24)
    put(
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
        put(
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
        put(cover, x_in, top + Inches(0.1), inner, Inches(0.3), label.upper(), label_size, True,
              MUTED)  # fmt: skip
        put(cover, x_in, top + Inches(0.45), inner, Inches(0.6), value, _one_line(value, inner),
              True)  # fmt: skip
        # a long note in smaller type, so that it stays inside its card
        note_size = 11 if len(note) <= 60 else 9 if len(note) <= 100 else 8
        put(cover, x_in, top + Inches(1.05), inner, Inches(0.65), note, note_size, colour=MUTED)
    put(cover, left, Inches(5.75), width, Inches(1.0), b.takeaways["headline"], 18)
    footer(cover, b)
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
    put(slide, MARGIN, Inches(0.3), width, Inches(0.7), _("The 2028 goal"), 28, True, ACCENT)
    put(slide, MARGIN, Inches(1.1), width, Inches(0.8), goal, 24, True)
    put(slide, MARGIN, Inches(2.1), width, Inches(2.6), b.takeaways.get("outlook", ""), 18)
    put(slide, MARGIN, Inches(4.9), width, Inches(1.5), b.takeaways["headline"], 16, colour=MUTED)
    footer(slide, b)
    slide.notes_slide.notes_text_frame.text = " ".join(
        t for t in (goal, b.takeaways.get("outlook", ""), b.takeaways["headline"]) if t
    )


def _projection_notes(table: pd.DataFrame, group: str) -> str:
    return semicolon().join(
        _("{group}: {share} in {year}, {change} pp a year, parity {parity}").format(
            group=group_label(r[group]),
            share=percent(float(r["women_share"])),
            year=int(r["base_year"]),
            change=i18n.signed(float(r["annual_change_pp"]), 2),
            parity=projection_words(r),
        )
        if pd.notna(r["annual_change_pp"])
        else named(group_label(r[group]), projection_words(r))
        for _i, r in table.iterrows()
    )


def _chart_slides(deck: Deck, b: Briefing) -> None:
    """The four charts of the PDF, each on its slide: the trend, the pipeline, the staff
    categories and the projections."""
    no_data = _("No data.")
    trend_notes = semicolon().join(
        named(int(r["year"]), women_men(percent(float(r["women_share"])), r["women"], r["men"]))
        for _i, r in b.trend.iterrows()
    )
    title, takeaway = _("Women's share over time"), b.takeaways["trend"]
    trend_note = b.overview.trend.note
    chart_slide(deck, b, title, takeaway, trend_notes or no_data, charts.trend_chart, trend_note)
    notes = b.takeaways["pipeline"] + " " + (group_notes(b.grades, "grade") or no_data)
    title, takeaway = _("The grade pipeline"), b.takeaways["grades"]
    chart_slide(deck, b, title, takeaway, notes, charts.pipeline_chart, b.grade_view.pipeline.note)
    notes = group_notes(b.categories, "category") or no_data
    title, takeaway = _("By staff category"), b.takeaways["categories"]
    caption = b.overview.categories.note
    chart_slide(deck, b, title, takeaway, notes, charts.category_chart, caption)
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
    chart_slide(deck, b, title, takeaway, notes, charts.projection_chart, caption)


def write_pptx(briefing: Briefing) -> bytes:
    """The briefing as the bytes of a PPTX file, its slides in the PDF's order."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    _cover(deck, briefing)
    _goal_slide(deck, briefing)
    _chart_slides(deck, briefing)
    sections.station_slide(deck, briefing)
    sections.geography_slides(deck, briefing)
    sections.scorecard_slide(deck, briefing)
    sections.planning_slides(deck, briefing)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
