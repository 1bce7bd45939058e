"""The slide deck's charts as native PowerPoint charts (python-pptx), editable in PowerPoint and
drawn without a browser. Each shows the series of the dashboard's chart of the same name
(parity.charts), read from the same view models: women's share over time with its projection,
the grade pipeline, the share by staff category and by duty station, and the share by staff
category over time with each one's straight line to 50%.

Shares are fractions shown as percentages ("38.7%"), on a 0-100% axis. A withheld figure (a
small group: NaN or a ``hidden_text`` in the view's table) is a gap, never a number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import pandas as pd
from pptx.chart.chart import Chart
from pptx.chart.data import ChartData
from pptx.chart.series import BarSeries, LineSeries
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.util import Emu, Pt

from parity.briefing.content import Briefing
from parity.charts.base import GENDERS, GRID, INK, LINES, PALETTE, PARITY, WOMEN
from parity.i18n import _
from parity.projections import HORIZON_YEAR
from parity.wording import label, missing

Box = tuple[int, int, int, int]  # left, top, width, height in EMU
SHARE_FORMAT = "0.0%"  # 0.387 reads "38.7%" (with the viewer's decimal mark)
STATION_LIMIT = 15  # duty stations on the chart: the largest
YEAR_LABELS = 15  # at most about this many year labels along an axis
MANY_BARS = 15  # a bar chart of more bars has smaller type


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _fraction(value: object) -> float | None:
    """A share as a chart takes it: a fraction; None (a gap) when absent or withheld."""
    if isinstance(value, str) or missing(value):
        return None
    return float(value)  # type: ignore[arg-type]


def _part(count: object, total: object) -> float | None:
    """``count`` as a fraction of ``total``; None (a gap) when either is withheld or empty."""
    if missing(count) or missing(total) or float(total) == 0:  # type: ignore[arg-type]
        return None
    return float(count) / float(total)  # type: ignore[arg-type]


def _by_year(rows: pd.DataFrame) -> dict[int, float | None]:
    """Women's share (``women_share``, a fraction) by ``year`` of a view's rows; a withheld
    year's None."""
    shares = zip(rows["year"], rows["women_share"], strict=True)
    return {int(year): _fraction(share) for year, share in shares}


def _straight(x0: int, y0: float, x1: int, y1: float, until: int) -> dict[int, float]:
    """The points, one a year, of the straight line from (x0, y0) to (x1, y1), up to ``until``
    (a chart's last year: a line that runs on past it stops at its edge)."""
    if x1 <= x0:
        return {x0: y0}
    return {x: y0 + (y1 - y0) * (x - x0) / (x1 - x0) for x in range(x0, min(x1, until) + 1)}


def _add(slide: Slide, kind: XL_CHART_TYPE, data: ChartData, box: Box) -> Chart:
    """A chart of ``kind`` in ``box``, without a title (the slide's title says what it is)."""
    left, top, width, height = (Emu(v) for v in box)
    # python-pptx returns the graphic frame holding the chart (its annotation says the chart)
    frame = cast(GraphicFrame, slide.shapes.add_chart(kind, left, top, width, height, data))
    chart = frame.chart
    chart.has_title = False
    chart.font.size = Pt(12)
    chart.font.color.rgb = _rgb(INK)
    return chart


def _share_axis(chart: Chart, unit: float, title: str = "") -> None:
    """Women's share from 0 to 100% along the value axis, ticks every ``unit``."""
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0.0, 1.0, unit
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(GRID)
    axis.tick_labels.number_format = "0%"
    axis.tick_labels.number_format_is_linked = False
    if title:
        axis.axis_title.text_frame.text = title
        axis.axis_title.text_frame.paragraphs[0].font.size = Pt(12)


def _legend(chart: Chart, hidden: Iterable[int] = ()) -> None:
    """The legend under the plot; the series at ``hidden`` (indices) left out of it."""
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    position = chart.legend._element.get_or_add_legendPos()
    for index in sorted(hidden, reverse=True):  # each after legendPos: in order, at the end
        position.addnext(
            parse_xml(
                f'<c:legendEntry {nsdecls("c")}><c:idx val="{index}"/>'
                '<c:delete val="1"/></c:legendEntry>'
            )
        )


def _line(series: LineSeries, colour: str, style: str, markers: bool) -> None:
    """A line in the dashboard's LINES ``style`` (widths in pixels, read as points) and
    ``colour``; a dotted or dashed style dashed; round markers or none."""
    line = series.format.line
    line.color.rgb = _rgb(colour)
    line.width = Pt(LINES[style]["width"])
    if "dash" in LINES[style]:
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
    series.smooth = False
    series.marker.style = XL_MARKER_STYLE.CIRCLE if markers else XL_MARKER_STYLE.NONE
    if markers:
        series.marker.size = 7
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colour)
        series.marker.format.line.color.rgb = _rgb(colour)


def _year_axis(chart: Chart, years: int) -> None:
    """Fewer year labels on a long axis (a projection decades ahead): one every few years."""
    skip = -(-years // YEAR_LABELS)
    if skip > 1:
        axis = chart.category_axis._element
        offset = axis.find(f"{{{axis.nsmap['c']}}}lblOffset")
        element = parse_xml(f'<c:tickLblSkip {nsdecls("c")} val="{skip}"/>')
        (offset.addnext if offset is not None else axis.append)(element)


@dataclass(frozen=True)
class Line:
    """A line of a chart by year: its name, its shares by year (fractions; a year missing or
    None is a gap), its colour and its style (a key of LINES: "recorded" and "group" lines have
    markers, "projected" ones are dashed); ``legend``: named in the legend."""

    name: str
    shares: dict[int, float | None]
    colour: str
    style: str
    legend: bool = True


def _share_lines(slide: Slide, box: Box, years: list[int], lines: list[Line]) -> Chart:
    """A line chart of ``lines`` by year, with the 50% line after them (dashed, in the parity
    zone's green). A chart of one recorded line and its projection labels the recorded points
    when they are few."""
    data = ChartData(number_format=SHARE_FORMAT)
    data.categories = [str(year) for year in years]
    for line in lines:
        data.add_series(line.name, [line.shares.get(year) for year in years])
    data.add_series(_("Parity (50%)"), [0.5] * len(years))
    chart = _add(slide, XL_CHART_TYPE.LINE_MARKERS, data, box)
    plotted = list(chart.plots[0].series)
    for series, line in zip(plotted, lines, strict=False):
        _line(series, line.colour, line.style, markers=line.style in ("recorded", "group"))
    _line(plotted[-1], PARITY, "target", markers=False)
    if lines and lines[0].style == "recorded" and len(years) <= 12:
        labels = plotted[0].data_labels
        labels.number_format, labels.number_format_is_linked = SHARE_FORMAT, False
        labels.position = XL_LABEL_POSITION.ABOVE
        labels.show_value = True
    _share_axis(chart, 0.1, _("Women's share"))
    _year_axis(chart, len(years))
    _legend(chart, [i for i, line in enumerate(lines) if not line.legend])
    return chart


def trend_chart(slide: Slide, b: Briefing, box: Box) -> Chart | None:
    """Women's share by year (the Overview's years shown) and, when the Overview projects it,
    the straight line from the latest share towards 50% as a dashed second series: the
    dashboard's share_trend. None when no year is shown."""
    recorded = _by_year(b.trend)
    if not recorded:
        return None
    lines = [Line(_("Women's share"), recorded, WOMEN, "recorded")]
    projected = b.overview.trend.extra.get("projected")
    if isinstance(projected, pd.DataFrame) and not projected.empty:
        (x0, y0), (x1, y1) = (
            (int(projected["year"].iloc[i]), float(projected["share_pp"].iloc[i]) / 100)
            for i in (0, -1)
        )
        ahead: dict[int, float | None] = dict(_straight(x0, y0, x1, y1, x1))
        lines.append(Line(_("Projection"), ahead, WOMEN, "projected"))
    first = min(recorded)
    last = max(max(line.shares) for line in lines)
    return _share_lines(slide, box, list(range(first, last + 1)), lines)


def projection_chart(slide: Slide, b: Briefing, box: Box) -> Chart | None:
    """Women's share by staff category over the years shown, a line each in the palette's
    colours, and each category's straight line from its latest share to 50% (dashed, in its
    colour, out of the legend) when it is projected to get there by 2100: the dashboard's
    projection_lines. The years run to the view's horizon; a later line stops at its edge."""
    points = b.category_trends.chart.data
    if points.empty:
        return None
    last = max(int(points["year"].max()), b.horizon or 0)
    projections = b.category_projections
    lines = []
    for i, (name, rows) in enumerate(points.groupby("category", sort=False, observed=True)):
        colour = PALETTE[i % len(PALETTE)]
        lines.append(Line(label(name), _by_year(rows), colour, "group"))
        match = projections[projections["category"] == name]
        if not match.empty:
            ahead = _to_parity(match.iloc[0], last)
            if ahead:
                name_ahead = _("{group}, projected").format(group=label(name))
                lines.append(Line(name_ahead, dict(ahead), colour, "projected", legend=False))
    years = list(range(int(points["year"].min()), last + 1))
    return _share_lines(slide, box, years, lines)


def _to_parity(projection: pd.Series, last: int) -> dict[int, float]:
    """A category's straight line from its base year's share to 50% in its projected year, up
    to ``last``; none when it is not projected to cross, or only after 2100 (no year after
    2100 is stated)."""
    year = projection["projected_year"]
    if projection["projection_status"] != "projected" or missing(year) or year > HORIZON_YEAR:
        return {}
    base = int(projection["base_year"])
    return _straight(base, float(projection["women_share"]), int(year), 0.5, last)


def pipeline_chart(slide: Slide, b: Briefing, box: Box) -> Chart | None:
    """Women's then men's share of each grade's staff along one bar a grade, the top of the
    ladder on top (the table by grade's order): the dashboard's pipeline, in shares. A withheld
    grade is an empty row."""
    rows = b.grades.iloc[::-1]  # bars are drawn from the bottom up
    if rows.empty:
        return None
    data = ChartData(number_format=SHARE_FORMAT)
    data.categories = [label(grade) for grade in rows["grade"]]
    data.add_series(_(GENDERS["women"][0]), [_fraction(s) for s in rows["women_share"]])
    men = [_part(m, t) for m, t in zip(rows["men"], rows["total"], strict=True)]
    data.add_series(_(GENDERS["men"][0]), men)
    chart = _add(slide, XL_CHART_TYPE.BAR_STACKED, data, box)
    chart.plots[0].gap_width = 50
    size = _bar_type(chart, len(rows))
    for series, gender in zip(chart.plots[0].series, ("women", "men"), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(GENDERS[gender][1])
        _value_labels(series, XL_LABEL_POSITION.CENTER, "FFFFFF", size)
    _share_axis(chart, 0.25)
    _legend(chart)
    return chart


def share_bars(slide: Slide, rows: pd.DataFrame, dimension: str, box: Box) -> Chart | None:
    """Women's share of each row of ``rows`` (a view's table: ``dimension``, ``women_share``)
    as horizontal bars, the first row on top, each labelled with its share; a withheld row is
    an empty bar. The 50% mark is a gridline. None when there is no row."""
    if rows.empty:
        return None
    rows = rows.iloc[::-1]  # bars are drawn from the bottom up
    data = ChartData(number_format=SHARE_FORMAT)
    data.categories = group_labels(rows[dimension])
    data.add_series(_("Women's share"), [_fraction(s) for s in rows["women_share"]])
    chart = _add(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, box)
    chart.plots[0].gap_width = 60
    size = _bar_type(chart, len(rows))
    series = chart.plots[0].series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(WOMEN)
    _value_labels(series, XL_LABEL_POSITION.OUTSIDE_END, INK, size)
    _share_axis(chart, 0.25, _("Women's share"))
    chart.has_legend = False
    return chart


def group_labels(values: Iterable[object]) -> list[str]:
    """Groups as the charts name them: in the reader's language; "Not recorded" for none."""
    return [_("Not recorded") if missing(v) else label(v) for v in values]


def category_chart(slide: Slide, b: Briefing, box: Box) -> Chart | None:
    """Women's share by staff category, in the Overview's order: the dashboard's share_bars."""
    return share_bars(slide, b.categories, "category", box)


def largest_stations(b: Briefing, limit: int = STATION_LIMIT) -> pd.DataFrame:
    """The ``limit`` largest duty stations, largest first, the withheld ones (of unknown size)
    after those shown, as in the PDF's table."""
    rows = b.stations.sort_values("total", ascending=False, na_position="last", kind="stable")
    return rows.head(limit)


def station_chart(slide: Slide, b: Briefing, box: Box) -> Chart | None:
    """Women's share at each of the largest duty stations, largest on top."""
    return share_bars(slide, largest_stations(b), "duty_station", box)


def _bar_type(chart: Chart, bars: int) -> float:
    """The chart's type size for ``bars`` bars, smaller for many (the pipeline's 27 grades)
    so that their labels keep to their rows; returns the size of the bars' labels."""
    size = 12 if bars <= MANY_BARS else 9
    chart.font.size = Pt(size)
    return size - 1


def _value_labels(series: BarSeries, position: XL_LABEL_POSITION, colour: str, size: float) -> None:
    """The bars' shares written on them ("38.7%"), at ``size`` points."""
    labels = series.data_labels
    labels.number_format, labels.number_format_is_linked = SHARE_FORMAT, False
    labels.position = position
    labels.show_value = True
    labels.font.size = Pt(size)
    labels.font.color.rgb = _rgb(colour)
