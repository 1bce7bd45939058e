"""Briefings: the current view as a PDF report, a slide deck and a workbook.

``build_briefing`` computes everything once from the engine (content.py); the writers only lay
it out. The PDF's charts come from parity.charts, rendered to PNG by plotly's own export
(kaleido) with the machine's Chromium; the slide deck's are native PowerPoint charts drawn from
the same data (slide_charts.py), so a deck needs no browser."""

from parity.briefing.content import Briefing, build_briefing

FORMATS = ("pdf", "pptx", "xlsx")

__all__ = ["FORMATS", "Briefing", "build_briefing", "write_briefing"]


def write_briefing(briefing: Briefing, fmt: str) -> bytes:
    """The briefing as the bytes of a PDF, PPTX or XLSX file."""
    if fmt == "pdf":
        from parity.briefing.pdf import write_pdf

        return write_pdf(briefing)
    if fmt == "pptx":
        from parity.briefing.slides import write_pptx

        return write_pptx(briefing)
    if fmt == "xlsx":
        from parity.briefing.workbook import write_xlsx

        return write_xlsx(briefing)
    raise ValueError(f"unknown briefing format {fmt!r}; choose from {', '.join(FORMATS)}")
