"""The briefing PDF's page furniture and building blocks (fpdf2): an A4 portrait document with
its fonts, margins, accessibility metadata and footer, and the blocks its sections are laid out
with: headings (which are also the outline), paragraphs, bullets, charts (high-resolution PNGs
from the dashboard's own chart functions, with their text as the figure's alternative) and
tables whose columns are widened so that no word is cut."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace
from fpdf.prefs import ViewerPreferences
from PIL import Image

from parity import i18n
from parity.briefing.content import Briefing, generated_on
from parity.briefing.images import to_png
from parity.i18n import _
from parity.privacy import HIDDEN_TEXT
from parity.views.base import Table
from parity.wording import STATUS_WORDS, count, percent

FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
INK = (31, 42, 55)
MUTED = (107, 114, 128)
ACCENT = (11, 58, 93)
HEADER_FILL = (232, 238, 244)
CONTENT_WIDTH = 178.0  # A4 (210 mm) less two 16 mm margins
CSS_WIDTH = 800  # chart width in CSS pixels: 13 px text prints at 178 / 800 * 13 mm (8.2 pt)


class PdfDocument(FPDF):
    """The briefing's PDF document: A4 portrait, DejaVu text, 16 mm margins, the footer on
    every page, and the building blocks its sections are laid out with."""

    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.briefing = briefing
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_font("DejaVu", size=10)
        self.set_text_color(*INK)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        # what a screen reader needs of the file (issue 13): its language, its title shown as
        # the window's, headings as an outline (bookmarks), charts as figures with their text
        self.set_title(briefing.title)
        self.set_lang(i18n.language())  # the document language (/Lang), for screen readers
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.set_creator("parity")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=7.5)
        self.set_text_color(*MUTED)
        b = self.briefing
        footer = _("parity · {scope} · generated {date}").format(
            scope=b.scope, date=generated_on(b.generated)
        )
        if b.demo:
            footer += " · " + _("demo data (synthetic)")
        self.cell(0, 5, footer, align="L")
        self.set_x(-40)
        # {nb}: the number of pages, filled in by fpdf2 when the document is written
        page = _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}")
        self.cell(24, 5, page, align="R")
        self.set_text_color(*INK)

    # -- building blocks ----------------------------------------------------------------------
    def heading(self, text: str, size: float = 15) -> None:
        """A heading, also an entry of the outline: sections (15 pt and over) at its first
        level, smaller headings under them."""
        self.start_section(text, level=0 if size >= 13 else 1, strict=False)
        self.set_font("DejaVu", "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 10, colour: tuple[int, int, int] = INK) -> None:
        self.set_font("DejaVu", size=size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.48, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(1.5)

    def bullet(self, text: str, size: float = 10.5) -> None:
        self.set_font("DejaVu", size=size)
        self.set_x(self.l_margin + 1)
        self.cell(5, size * 0.5, "•")
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def chart(self, name: str, width: float = CONTENT_WIDTH) -> None:
        """A chart at ``width`` mm, drawn CSS_WIDTH pixels wide so that its 13 px text prints at
        about 8 pt, and rendered at three times that for print (about 330 dpi)."""
        figure = self.briefing.figures[name]
        height = int(figure.layout.height or 450)
        png = Image.open(io.BytesIO(to_png(figure, width=CSS_WIDTH, height=height, scale=3)))
        image = png.convert("RGB")  # opaque: no soft mask, a smaller file, the same white
        title = str(figure.layout.title.text or "").replace("<br>", " ")
        title = re.sub(r"<[^>]+>", "", title)
        alt = " ".join(t for t in (title.rstrip(".") + ".", self.briefing.takeaways.get(name)) if t)
        self.image(
            image,
            w=width,
            h=width * height / CSS_WIDTH,
            x=(self.w - width) / 2,
            alt_text=alt,  # a Figure in the structure tree, with this as its /Alt
        )
        self.ln(2)

    def data_table(
        self,
        frame: pd.DataFrame,
        columns: list[tuple[str, str, str]],
        widths: tuple[float, ...],
        size: float = 8,
        title: str | None = None,
    ) -> None:
        """columns: (field, heading, kind) with kind in text, count, share, pp, words. A table
        that fits on a page but not in what is left of this one starts on the next page."""
        row_height = size * 0.55 + 0.3
        needed = (len(frame) + 2) * row_height + (8 if title else 0)  # two-line headings
        room = self.h - self.b_margin - self.get_y()
        if needed > room and needed < self.h - self.b_margin - self.t_margin:
            self.add_page()
        if title:
            self.heading(title, 11)
        cells = []
        for _index, record in frame.iterrows():
            withheld = record.get(HIDDEN_TEXT)
            shown_row = []
            for field, _heading, kind in columns:
                shown = _format(record[field], kind)
                if shown == "—" and kind != "text" and isinstance(withheld, str):
                    shown = withheld  # "fewer than 5", "not shown"
                shown_row.append(shown)
            cells.append(shown_row)
        widths = self._fit_words(widths, columns, cells, size)
        self.set_font("DejaVu", size=size)
        headings = FontFace(emphasis="BOLD", fill_color=HEADER_FILL)
        with self.table(
            col_widths=widths,
            headings_style=headings,
            line_height=size * 0.55,
            text_align=tuple(
                "LEFT" if k in ("text", "words") else "RIGHT" for _key, _heading, k in columns
            ),
            borders_layout="HORIZONTAL_LINES",
            cell_fill_color=(247, 248, 250),
            cell_fill_mode="ROWS",
        ) as grid:
            row = grid.row()
            for _key, heading, _kind in columns:
                row.cell(heading)
            for shown_row in cells:
                row = grid.row()
                for shown in shown_row:
                    row.cell(shown)
        self.ln(2)

    def _fit_words(
        self,
        widths: tuple[float, ...],
        columns: list[tuple[str, str, str]],
        cells: list[list[str]],
        size: float,
    ) -> tuple[float, ...]:
        """``widths``, with every column at least as wide as the longest word of its heading
        and, for words (statuses), of its cells, so that no word is cut (a translated heading
        or status may be longer than the English the widths were set for): the room is taken
        from the columns wider than they need, in proportion to their spare width. Widths that
        already fit are returned as they are."""

        def longest(texts: list[str], style: str) -> float:
            self.set_font("DejaVu", style, size)
            words = [word for text in texts for word in text.split()]
            return max((self.get_string_width(word) for word in words), default=0.0)

        least = [
            max(
                longest([heading], "B"),
                longest([row[i] for row in cells], "") if kind == "words" else 0.0,
            )
            + 2 * self.c_margin
            + 0.01
            for i, (_key, heading, kind) in enumerate(columns)
        ]
        wanted = [max(w, low) for w, low in zip(widths, least, strict=True)]
        extra = sum(wanted) - sum(widths)
        if extra <= 0:
            return widths
        spare = [w - low for w, low in zip(wanted, least, strict=True)]
        room = sum(spare)
        if room <= extra:  # no room to take: the least widths, in proportion
            return tuple(least)
        return tuple(w - extra * s / room for w, s in zip(wanted, spare, strict=True))

    def view_table(self, table: Table, limit: int | None = None, size: float = 8) -> None:
        """A view model's table, its columns as the view names them, widths by kind; at most
        ``limit`` rows (the view's order), saying how many more there are."""
        kinds = {"status": "words", "words": "text", "rate": "share", "ratio": "ratio"}
        columns = [(c.key, c.header, kinds.get(c.kind, c.kind)) for c in table.columns]
        # numbers as wide as their heading's longest word; text shares what is left
        self.set_font("DejaVu", "B", size)
        least = [
            max(self.get_string_width(word) for word in heading.split()) + 3.5
            for _key, heading, _kind in columns
        ]
        numeric = [k not in ("text", "words") for _key, _heading, k in columns]
        fixed = sum(max(w, 14.0) for w, n in zip(least, numeric, strict=True) if n)
        weights = [3.0 if k == "words" else 2.4 for _key, _heading, k in columns]
        text_weight = sum(w for w, n in zip(weights, numeric, strict=True) if not n) or 1.0
        room = max(CONTENT_WIDTH - fixed, 0.0)
        widths = tuple(
            max(w, 14.0) if n else max(w, room * weight / text_weight)
            for w, n, weight in zip(least, numeric, weights, strict=True)
        )
        widths = tuple(CONTENT_WIDTH * w / sum(widths) for w in widths)
        rows = table.rows if limit is None else table.rows.head(limit)
        self.data_table(rows, columns, widths, size=size)
        if limit is not None and len(table.rows) > limit:
            self.paragraph(
                _("The {limit} largest of {total} shown; the workbook lists them all.").format(
                    limit=count(limit), total=count(len(table.rows))
                ),
                size=8,
                colour=MUTED,
            )
        if table.note:
            note = table.note[:1].upper() + table.note[1:]
            self.paragraph(note if note.endswith(".") else note + ".", size=8, colour=MUTED)


def _format(value: Any, kind: str) -> str:
    if isinstance(value, str):
        return _(STATUS_WORDS.get(value, value)) if kind == "words" else value
    if value is None or pd.isna(value):
        return "—"
    if kind == "share":
        return percent(float(value))
    if kind == "pp":
        return i18n.signed(float(value), 1)
    if kind == "pp2":
        return i18n.signed(float(value), 2)
    if kind == "count":
        return i18n.number(int(value))
    if kind == "ratio":
        return i18n.number(float(value), 2)
    if kind == "year":
        return str(int(value))
    return str(value)
