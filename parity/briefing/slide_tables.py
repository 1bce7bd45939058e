"""The slide deck's tables as native PowerPoint tables (python-pptx): a view model's table
(parity.views) with its columns as the view names them, each cell written as the PDF writes it
(shares as percentages, counts with the language's separators, statuses in words) and a
withheld figure saying why ("not shown"), never a number."""

from __future__ import annotations

from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Pt

from parity import i18n
from parity.i18n import _
from parity.privacy import HIDDEN_TEXT
from parity.views.base import Table
from parity.wording import STATUS_WORDS, label, missing, percent

HEADER_FILL = RGBColor(0x0B, 0x3A, 0x5D)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
TEXT_KINDS = ("text", "words", "status")
SIZES = (12, 11, 10, 9, 8)  # a table's type sizes, the largest that fits first
CHARACTER = 0.55  # a character's average width, in ems (bold headers included)
EMU_PER_POINT = 12700


def cell_text(value: object, kind: str) -> str:
    """A cell as the reader sees it: by the column's ``kind`` (a view Column's: text, count,
    share, rate, pp, pp2, status, year, ratio, words); a dash when absent."""
    if isinstance(value, str):
        return _(STATUS_WORDS.get(value, value)) if kind == "status" else label(value)
    if missing(value):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if kind in ("share", "rate"):
        return percent(number)
    if kind in ("pp", "pp2"):
        return i18n.signed(number, 2 if kind == "pp2" else 1)
    if kind == "count":
        return i18n.number(int(number))
    if kind == "ratio":
        return i18n.number(number, 2)
    if kind == "year":
        return str(int(number))
    return label(value)


@dataclass(frozen=True)
class Grid:
    """A table's first rows as text: headers, cells, which columns hold numbers (set right),
    and how many rows the whole table has."""

    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    total: int


def grid(table: Table, limit: int) -> Grid:
    """The first ``limit`` rows of ``table`` as text; in a withheld row, every figure says
    why it is withheld ("not shown")."""
    rows = []
    for _index, record in table.rows.head(limit).iterrows():
        withheld = record.get(HIDDEN_TEXT)
        row = []
        for column in table.columns:
            shown = cell_text(record.get(column.key), column.kind)
            if shown == "—" and column.kind not in TEXT_KINDS and isinstance(withheld, str):
                shown = withheld
            row.append(shown)
        rows.append(row)
    return Grid(
        [c.header for c in table.columns],
        rows,
        [c.kind not in TEXT_KINDS for c in table.columns],
        len(table.rows),
    )


def _weights(shown: Grid) -> list[float]:
    """Each column's share of the width: as its longest cell, or its header on about three
    lines (and never narrower than the header's longest word, in bold: wider by half), within
    5 to 30 characters, plus the cell's margins (about 3 characters)."""
    weights = []
    for i, header in enumerate(shown.headers):
        longest_cell = max((len(row[i]) for row in shown.rows), default=0)
        longest_word = max((len(word) for word in header.split()), default=0)
        wide = max(longest_cell, 1.6 * longest_word, len(header) / 3, 5.0)
        weights.append(min(wide, 30.0) + 3.0)
    return weights


def _lines(text: str, room: float) -> int:
    """The lines ``text`` takes, wrapped at ``room`` characters a line, words whole (a word
    longer than a line is broken)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, 0
        used += len(word) + (1 if used else 0)
        while used > room:
            lines, used = lines + 1, int(used - room)
    return lines


def _heights(shown: Grid, widths: list[int], size: float) -> list[int]:
    """Each row's height (EMU, the header's first) at ``size`` points: its tallest cell's
    lines, at about half an em a character, within the cells' margins (0.1 in each side,
    0.05 in above and below)."""
    room = [(w / EMU_PER_POINT - 14.4) / (size * CHARACTER) for w in widths]
    return [
        int(Pt(max(_lines(t, r) for t, r in zip(texts, room, strict=True)) * size * 1.2 + 7.2))
        for texts in [shown.headers, *shown.rows]
    ]


def _layout(shown: Grid, widths: list[int], room: int) -> tuple[float, list[int]]:
    """The type size and the rows' heights (the header's first) of the largest table of
    ``shown`` that fits ``room`` (EMU high): 12 points, smaller when it does not fit, then at
    8 points only as many rows as fit."""
    words = [max((len(w) for w in header.split()), default=1) for header in shown.headers]
    widest = min(  # the largest type at which every header's longest word fits its column
        (w / EMU_PER_POINT - 14.4) / (1.3 * CHARACTER * n)
        for w, n in zip(widths, words, strict=True)
    )
    for size in [s for s in SIZES if s <= widest] or SIZES[-1:]:
        heights = _heights(shown, widths, size)
        if sum(heights) <= room:
            return size, heights
    while len(heights) > 2 and sum(heights) > room:
        heights = heights[:-1]
    return SIZES[-1], heights


def add_grid(slide: Slide, shown: Grid, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """``shown`` as a native table in ``box`` (left, top, width, room high): the header row on
    the accent colour, numbers set right, its type as large as fits (12 points at most).
    Returns its height (EMU) and the number of rows it shows (all of ``shown`` when they fit)."""
    left, top, width, room = box
    weights = _weights(shown)
    widths = [int(width * w / sum(weights)) for w in weights]
    size, heights = _layout(shown, widths, room)
    rows = [shown.headers, *shown.rows][: len(heights)]
    frame = slide.shapes.add_table(
        len(rows), len(widths), Emu(left), Emu(top), Emu(sum(widths)), Emu(sum(heights))
    )
    table = frame.table
    for c, column_width in enumerate(widths):
        table.columns[c].width = Emu(column_width)
    for r, texts in enumerate(rows):
        table.rows[r].height = Emu(heights[r])
        for c, text in enumerate(texts):
            cell = table.cell(r, c)
            cell.text = text
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.font.size = Pt(size)
            paragraph.alignment = PP_ALIGN.RIGHT if shown.numeric[c] else PP_ALIGN.LEFT
            if r == 0:
                paragraph.font.bold = True
                paragraph.font.color.rgb = WHITE
                cell.fill.solid()
                cell.fill.fore_color.rgb = HEADER_FILL
    return sum(heights), len(rows) - 1
