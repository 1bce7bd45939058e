"""The briefing as an A4 portrait PDF (fpdf2): text as real, searchable text; charts as
high-resolution PNGs from the dashboard's own chart functions."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from parity.briefing.content import STATUS_WORDS, Briefing, percent, projection_words
from parity.briefing.images import to_png
from parity.definitions import ENTRIES, plain

FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
INK = (31, 42, 55)
MUTED = (107, 114, 128)
ACCENT = (11, 58, 93)
HEADER_FILL = (232, 238, 244)
METHOD_WORDS = {
    "increment": "average annual increment (the UN reports' method)",
    "ols": "least-squares line with an 80% interval",
}


class _Document(FPDF):
    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.briefing = briefing
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_font("DejaVu", size=10)
        self.set_text_color(*INK)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        self.set_title(briefing.title)
        self.set_creator("parity")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=7.5)
        self.set_text_color(*MUTED)
        b = self.briefing
        demo = " · demo data (synthetic)" if b.demo else ""
        self.cell(0, 5, f"parity · {b.scope} · generated {b.generated:%d %B %Y}{demo}", align="L")
        self.set_x(-40)
        self.cell(24, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    # -- building blocks ----------------------------------------------------------------------
    def heading(self, text: str, size: float = 15) -> None:
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

    def chart(self, name: str, width: float = 178) -> None:
        figure = self.briefing.figures[name]
        pixels_wide = 1000
        height = int(figure.layout.height or 450)
        image = io.BytesIO(to_png(figure, width=pixels_wide, height=height))
        self.image(image, w=width, h=width * height / pixels_wide)
        self.ln(2)

    def data_table(
        self,
        frame: pd.DataFrame,
        columns: list[tuple[str, str, str]],
        widths: tuple[float, ...],
        size: float = 8,
    ) -> None:
        """columns: (field, heading, kind) with kind in text, count, share, pp, words."""
        self.set_font("DejaVu", size=size)
        headings = FontFace(emphasis="BOLD", fill_color=HEADER_FILL)
        with self.table(
            col_widths=widths,
            headings_style=headings,
            line_height=size * 0.55,
            text_align=tuple("LEFT" if k in ("text", "words") else "RIGHT" for _, _, k in columns),
            borders_layout="HORIZONTAL_LINES",
            cell_fill_color=(247, 248, 250),
            cell_fill_mode="ROWS",
        ) as grid:
            row = grid.row()
            for _, heading, _ in columns:
                row.cell(heading)
            for _, record in frame.iterrows():
                row = grid.row()
                for field, _, kind in columns:
                    row.cell(_format(record[field], kind))
        self.ln(2)


def _format(value: Any, kind: str) -> str:
    if isinstance(value, str):
        return STATUS_WORDS.get(value, value) if kind == "words" else value
    if value is None or pd.isna(value):
        return "—"
    if kind == "share":
        return percent(float(value))
    if kind == "pp":
        return f"{float(value):+.1f}"
    if kind == "count":
        return f"{int(value):,}"
    if kind == "year":
        return str(int(value))
    return str(value)


def _cover(doc: _Document) -> None:
    b = doc.briefing
    h = b.headline
    doc.add_page()
    doc.set_font("DejaVu", "B", 24)
    doc.set_text_color(*ACCENT)
    doc.multi_cell(0, 11, b.title, new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_text_color(*INK)
    doc.set_font("DejaVu", size=13)
    doc.multi_cell(0, 6.5, b.scope[:1].upper() + b.scope[1:], new_x="LMARGIN", new_y="NEXT")
    doc.paragraph(f"Data as of {b.year} · generated {b.generated:%d %B %Y}", size=10, colour=MUTED)
    if b.demo:
        doc.set_fill_color(255, 237, 179)
        doc.set_font("DejaVu", "B", 9.5)
        doc.multi_cell(
            0,
            6,
            "Demo data: the figures are synthetic and the entity names "
            "fictional. They describe no real organisation.",
            fill=True,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        doc.set_fill_color(255, 255, 255)
        doc.ln(3)
    doc.ln(4)
    doc.heading("Headline figures", 13)
    if b.small or h.total == 0:
        doc.paragraph(b.takeaways["headline"])
        return
    needed = (
        f"{h.women_needed:,} {'woman' if h.women_needed == 1 else 'women'}"
        if h.women_needed
        else f"{h.men_needed:,} {'man' if h.men_needed == 1 else 'men'}"
        if h.men_needed
        else "0"
    )
    projected = (
        str(h.projected_year)
        if h.projection_status == "projected"
        else {"reached": "Reached", "not_at_current_trend": "Not at current trend"}.get(
            h.projection_status or "", "—"
        )
    )
    before = (
        ""
        if h.entities_at_parity_before is None
        else f"{h.entities_at_parity - h.entities_at_parity_before:+d} since {(h.year or 0) - 1}"
    )
    stats = [
        ("Women's share", percent(h.women_share), f"{h.women:,} women of {h.total:,} people"),
        (
            "Parity gap",
            f"{h.gap_pp:+.1f} pp" if h.gap_pp is not None else "—",
            STATUS_WORDS.get(h.parity_status or "", ""),
        ),
        ("Needed for parity", needed, "at constant headcount"),
        ("Entities at parity", f"{h.entities_at_parity} of {h.entities}", before),
        ("Projected 50/50", projected, f"{b.window}-year trend"),
    ]
    width = (doc.w - doc.l_margin - doc.r_margin) / len(stats)
    top = doc.get_y()
    for i, (label, value, note) in enumerate(stats):
        x = doc.l_margin + i * width
        doc.set_draw_color(209, 213, 219)
        doc.rect(x + 1, top, width - 2, 30)
        doc.set_xy(x + 3, top + 2)
        doc.set_font("DejaVu", "B", 7)
        doc.set_text_color(*MUTED)
        doc.multi_cell(width - 6, 3.5, label.upper(), align="L")
        doc.set_xy(x + 3, top + 9)
        doc.set_font("DejaVu", "B", 14 if len(value) < 10 else 9.5)
        doc.set_text_color(*INK)
        doc.multi_cell(width - 6, 6, value, align="L")
        doc.set_xy(x + 3, top + 19)
        doc.set_font("DejaVu", size=7)
        doc.set_text_color(*MUTED)
        doc.multi_cell(width - 6, 3.3, note, align="L")
    doc.set_text_color(*INK)
    doc.set_y(top + 36)
    doc.paragraph(b.takeaways["headline"], size=11)
    doc.paragraph(b.takeaways["trend"], size=11)
    doc.paragraph(b.takeaways["grades"], size=11)


def write_pdf(briefing: Briefing) -> bytes:
    doc = _Document(briefing)
    _cover(doc)
    b = briefing

    doc.add_page()
    doc.heading("Women's share over time")
    doc.paragraph(b.takeaways["trend"])
    doc.chart("trend")
    doc.heading("By staff category")
    doc.paragraph(b.takeaways["categories"])
    doc.chart("categories", width=150)

    doc.add_page()
    doc.heading("The grade pipeline")
    doc.paragraph(b.takeaways["pipeline"])
    doc.chart("pipeline", width=165)

    doc.add_page()
    doc.heading(f"By grade, {b.year}")
    doc.paragraph(b.takeaways["grades"])
    if b.grades.empty:
        doc.paragraph("No one matches this selection.")
    else:
        doc.data_table(
            b.grades,
            [
                ("grade", "Grade", "text"),
                ("women", "Women", "count"),
                ("men", "Men", "count"),
                ("total", "Total", "count"),
                ("women_share", "Women's share", "share"),
                ("gap_pp", "Gap (pp)", "pp"),
                ("parity_status", "Status", "words"),
                ("women_needed", "Women needed", "count"),
                ("men_needed", "Men needed", "count"),
            ],
            widths=(14, 19, 19, 19, 18, 14, 43, 16, 16),
        )
        if b.min_cell:
            doc.paragraph(
                f'Groups of fewer than {b.min_cell} people are shown as "fewer than '
                f'{b.min_cell}" so that no one can be identified.',
                size=8,
                colour=MUTED,
            )

    doc.add_page()
    doc.heading("Projected year of parity")
    doc.paragraph(
        f"Method: {METHOD_WORDS.get(b.method, b.method)}, over a {b.window}-year "
        f"window ending in each grade's latest year. {b.takeaways['projections']}"
    )
    doc.chart("projections")
    if not b.projections.empty:
        table = b.projections.assign(
            parity=[projection_words(r) for _, r in b.projections.iterrows()]
        )
        doc.data_table(
            table,
            [
                ("grade", "Grade", "text"),
                ("base_year", "Latest year", "year"),
                ("women_share", "Women's share", "share"),
                ("annual_change_pp", "Change a year (pp)", "pp"),
                ("parity", "Parity (50%)", "text"),
            ],
            widths=(25, 30, 35, 40, 48),
        )

    doc.add_page()
    doc.heading("Methods and definitions")
    for anchor, title, body in ENTRIES:
        if anchor in ("hq-field", "flows", "planning"):
            continue
        doc.set_font("DejaVu", "B", 9.5)
        doc.multi_cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
        doc.paragraph(plain(body), size=8.5)
    return bytes(doc.output())
