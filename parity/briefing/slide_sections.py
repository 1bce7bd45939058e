"""The deck's slides of the PDF's other sections, each when the briefing has it: the largest
duty stations, the nationalities (UN regional groups as a chart, the largest nationalities as a
table), the scorecard, the hiring needed to reach 50/50, progress against targets, the flows."""

from __future__ import annotations

from pptx.presentation import Presentation as Deck
from pptx.slide import Slide

from parity.briefing import slide_charts as charts
from parity.briefing.content import Briefing
from parity.briefing.slide_base import chart_slide, group_notes, table_slide
from parity.i18n import _
from parity.views.base import Table as ViewTable
from parity.wording import GOAL_YEAR, count


def station_slide(deck: Deck, b: Briefing) -> None:
    """Women's share at the largest duty stations, when the selection has any."""
    if b.stations.empty:
        return
    charted = charts.largest_stations(b)
    left_out = ""
    if len(b.stations) > len(charted):
        left_out = _("The {limit} largest of {total} shown; the workbook lists them all.").format(
            limit=count(len(charted)), total=count(len(b.stations))
        )
    notes = " ".join(t for t in (group_notes(charted, "duty_station") + ".", left_out) if t)
    title = _("By duty station, {year}").format(year=b.year)
    caption = (b.station_view.table.note, left_out)
    chart_slide(deck, b, title, b.takeaways["stations"], notes, charts.station_chart, *caption)


def scorecard_slide(deck: Deck, b: Briefing) -> None:
    """Each entity and staff category against the goal: the PDF's columns (the shares of the
    staff categories are in the workbook's Scorecard sheet)."""
    card = b.scorecard
    if card is None or card.rows.empty:
        return
    columns = tuple(
        c for c in card.columns if not c.key.endswith("share") or c.key == "women_share"
    )
    title = _("Scorecard against the {year} goal").format(year=GOAL_YEAR)
    table_slide(deck, b, title, card.title, ViewTable(card.title, columns, card.rows, card.note))


def planning_slides(deck: Deck, b: Briefing) -> None:
    """As the PDF's planning section: the hiring needed to reach 50/50 by the target year,
    the progress against the entity's targets and the flows, each when the briefing has it."""
    if b.plan is not None:
        targets = b.plan.targets
        title = _("Hiring needed to reach 50/50")
        message = b.plan.targets_message if targets.rows.empty else ""
        table_slide(deck, b, title, b.plan.summary, b.plan.table, message)
        if not targets.rows.empty:
            table_slide(deck, b, _("Progress against targets"), "", targets)
    if b.flow_view is not None:
        title = _("Appointments, promotions and separations")
        table_slide(deck, b, title, b.takeaways.get("flows", ""), b.flow_view.table)


def geography_slides(deck: Deck, b: Briefing) -> None:
    """When the selection records nationalities, as the PDF's page: women's share by UN
    regional group (a chart), then the largest nationalities with their group (a table)."""
    view = b.geography
    if view is None or view.table.rows.empty:
        return
    takeaway = view.sentences.get("geography", "")
    groups = view.groups.data
    notes = " ".join(t for t in (takeaway, group_notes(groups, "regional_group") + ".") if t)
    title = _("By UN regional group, {year}").format(year=b.year)

    def draw(slide: Slide, _b: Briefing, box: charts.Box) -> object:
        return charts.share_bars(slide, groups, "regional_group", box)

    chart_slide(deck, b, title, takeaway, notes, draw, view.groups.note)
    # the status words would wrap and push the rows off the slide: the share tells it
    keep = ("nationality", "regional_group", "women", "men", "total", "women_share")
    table = view.table
    columns = tuple(c for c in table.columns if c.key in keep)
    title = _("By nationality, {year}").format(year=b.year)
    table_slide(deck, b, title, "", ViewTable(table.title, columns, table.rows, table.note))
