"""The briefing as a 16:9 slide deck (python-pptx): one slide per chart with a one-sentence
takeaway built from the numbers, and the figures in the speaker notes."""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from parity.briefing.content import Briefing, percent, projection_words
from parity.briefing.images import to_png

ACCENT = RGBColor(0x0B, 0x3A, 0x5D)
MUTED = RGBColor(0x6B, 0x72, 0x80)
WIDE, HIGH = Inches(13.333), Inches(7.5)


def _text(slide, left, top, width, height, text, size, bold=False, colour=None):  # type: ignore[no-untyped-def]
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    if colour is not None:
        paragraph.font.color.rgb = colour
    return box


def _chart_slide(
    deck: Any, briefing: Briefing, name: str, title: str, takeaway: str, notes: str
) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    _text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.7), title, 28, True, ACCENT)
    _text(slide, Inches(0.5), Inches(1.0), Inches(12.3), Inches(0.9), takeaway, 16)
    figure = briefing.figures[name]
    height_px = int(figure.layout.height or 450)
    image = io.BytesIO(to_png(figure, width=1200, height=height_px))
    top, bottom = Inches(1.95), Inches(0.45)
    room_h = HIGH - top - bottom
    room_w = Inches(12.3)
    width = min(room_w, Emu(int(room_h * 1200 / height_px)))
    left = Emu(int((WIDE - width) / 2))
    slide.shapes.add_picture(image, left, top, width=width)
    footer = f"{briefing.scope} · {briefing.year}" + (
        " · demo data (synthetic)" if briefing.demo else ""
    )
    _text(
        slide, Inches(0.5), HIGH - Inches(0.4), Inches(12.3), Inches(0.3), footer, 10, colour=MUTED
    )
    slide.notes_slide.notes_text_frame.text = notes


def write_pptx(briefing: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    b = briefing
    h = b.headline

    cover = deck.slides.add_slide(deck.slide_layouts[6])
    _text(cover, Inches(0.8), Inches(2.0), Inches(11.7), Inches(1.2), b.title, 40, True, ACCENT)
    _text(
        cover,
        Inches(0.8),
        Inches(3.2),
        Inches(11.7),
        Inches(0.8),
        b.scope[:1].upper() + b.scope[1:],
        24,
    )
    _text(
        cover,
        Inches(0.8),
        Inches(4.0),
        Inches(11.7),
        Inches(0.6),
        f"Data as of {b.year} · generated {b.generated:%d %B %Y}",
        16,
        colour=MUTED,
    )
    if b.demo:
        _text(
            cover,
            Inches(0.8),
            Inches(4.7),
            Inches(11.7),
            Inches(0.6),
            "Demo data: synthetic figures and fictional entity names.",
            16,
            True,
            RGBColor(0xA9, 0x44, 0x00),
        )
    _text(cover, Inches(0.8), Inches(5.6), Inches(11.7), Inches(1.2), b.takeaways["headline"], 18)
    cover.notes_slide.notes_text_frame.text = (
        f"Women {h.women:,}; men {h.men:,}; other or not recorded {h.other:,}; total "
        f"{h.total:,}. Women's share {percent(h.women_share)}; gap "
        f"{'—' if h.gap_pp is None else f'{h.gap_pp:+.1f}'} pp; women needed "
        f"{h.women_needed:,}; men needed {h.men_needed:,}; entities at parity "
        f"{h.entities_at_parity} of {h.entities}."
    )

    trend_notes = "; ".join(
        f"{int(r['year'])}: {percent(float(r['women_share']))} ({int(r['women']):,} women, "
        f"{int(r['men']):,} men)"
        for _, r in b.trend.iterrows()
    )
    _chart_slide(
        deck, b, "trend", "Women's share over time", b.takeaways["trend"], trend_notes or "No data."
    )
    grade_notes = "; ".join(
        f"{r['grade']}: {percent(r['women_share']) if not isinstance(r['women_share'], str) else r['women_share']} "  # noqa: E501
        f"({r['women']} women, {r['men']} men)"
        for _, r in b.grades.iterrows()
    )
    _chart_slide(
        deck,
        b,
        "pipeline",
        "The grade pipeline",
        b.takeaways["grades"],
        b.takeaways["pipeline"] + " " + (grade_notes or "No data."),
    )
    _chart_slide(
        deck,
        b,
        "categories",
        "By staff category",
        b.takeaways["categories"],
        grade_notes or "No data.",
    )
    projection_notes = "; ".join(
        f"{r['grade']}: {percent(r['women_share'])} in {int(r['base_year'])}, "
        f"{r['annual_change_pp']:+.2f} pp a year, parity {projection_words(r)}"
        if r["annual_change_pp"] == r["annual_change_pp"] and r["annual_change_pp"] is not None
        else f"{r['grade']}: {projection_words(r)}"
        for _, r in b.projections.iterrows()
    )
    _chart_slide(
        deck,
        b,
        "projections",
        "When is 50% reached?",
        b.takeaways["projections"],
        f"Method: {b.method}, {b.window}-year window. " + (projection_notes or ""),
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
