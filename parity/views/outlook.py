"""A selection's outlook (parity.outlook) under the privacy rule, and its words: the status
against the goal, and one paragraph that says where the recent trend leads, where the recent
flows lead (and, when they disagree, why), and what it takes. The Overview, Trends, Planning,
the briefings and ``parity project`` read it from here, so that a group has one answer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity import i18n
from parity.i18n import N_, _
from parity.outlook import Flows, Outlook, flows_outlook, goal_status
from parity.privacy import PrivacyRule, shown
from parity.projections import DEFAULT_WINDOW, HORIZON_YEAR, project_series
from parity.reference import Reference
from parity.views.base import Selection, protected_table
from parity.views.headline import headline_state
from parity.views.ladder import estimate, flow_rows, inputs_published
from parity.views.planning.sentences import in_people
from parity.wording import GOAL_YEAR, MAINTAIN, parity_year, percent

FLOW_WINDOW = 5  # the years of flows the rates pool over: the Planning page's default

GOAL_WORDS = {
    "at_parity": MAINTAIN,
    "on_track": N_("On track for parity by {year}"),
    "off_track": N_("Off track for parity by {year}"),
    "no_trend": N_("No trend yet to judge parity by {year}"),
}


GOAL_SHORT = {  # in a table whose column names the goal year
    "at_parity": MAINTAIN,
    "on_track": N_("On track"),
    "off_track": N_("Off track"),
    "no_trend": N_("No trend yet"),
}


def goal_words(status: str, goal_year: int = GOAL_YEAR, *, short: bool = False) -> str:
    """The status against the goal, in words: 'Off track for parity by 2028' ('Off track' in a
    table whose column names the year)."""
    if short:
        return _(GOAL_SHORT[status])
    return _(GOAL_WORDS[status]).format(year=goal_year)


def selection_outlook(
    sel: Selection,
    flow_frame: pd.DataFrame | None,
    rule: PrivacyRule,
    reference: Reference,
    *,
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
    goal_year: int = GOAL_YEAR,
    totals: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
) -> Outlook | None:
    """The selection's outlook from the figures a reader may see; None when the selection is
    withheld, empty or has no share. The flows' part is left out without flows, or in public
    when one figure the ladder reads is not published. ``totals`` and ``series``: the
    selection's protected row in its year and by year, when the caller has them."""
    if totals is None:
        totals = protected_table(sel, [], sel.in_year, rule, reference)
    if headline_state(totals) != "shown" or sel.year is None:
        return None
    row = totals.iloc[0]
    if pd.isna(row["women_share"]):
        return None
    if series is None:
        series = protected_table(sel, ["year"], sel.through_year, rule, reference)
    series = shown(series)
    series = series[series["women_share"].notna()]
    trend = project_series(
        series["year"].to_numpy(), series["women_share"].to_numpy(dtype=float), window, method
    )
    share, status = float(row["women_share"]), str(row["parity_status"])
    return Outlook(
        year=sel.year,
        women_share=share,
        parity_status=status,
        trend=trend,
        goal_year=goal_year,
        goal_status=goal_status(share, status, trend.annual_change_pp, trend.base_year, goal_year),
        flows=_flows(sel, flow_frame, rule, reference, goal_year),
    )


def _flows(
    sel: Selection,
    flow_frame: pd.DataFrame | None,
    rule: PrivacyRule,
    reference: Reference,
    goal_year: int,
) -> Flows | None:
    if flow_frame is None or flow_frame.empty:
        return None
    rows, mask = flow_rows(sel, flow_frame)
    if not mask.any():
        return None
    ladder = estimate(sel, rows, mask, FLOW_WINDOW, reference)
    if ladder is None or ladder.base_year != sel.year:
        return None
    if rule.active and not inputs_published(sel, rows, mask, ladder.base_year, FLOW_WINDOW, rule):
        return None
    return flows_outlook(ladder, np.ones(len(ladder.grades), dtype=bool), goal_year)


def trend_words(outlook: Outlook, window: int) -> str:
    """Where the recent trend leads: 'At the 10-year trend (+0.13 points a year), 50/50 is
    reached in 2091.'"""
    trend = outlook.trend
    status = trend.projection_status
    if status == "reached":
        return _("Women's share is 50% or more.")
    if status == "insufficient_data" or trend.annual_change_pp is None:
        return _("With one year of data there is no trend yet.")
    change = i18n.signed(trend.annual_change_pp, 2)
    if status == "not_at_current_trend":
        return _(
            "At the {window}-year trend ({change} points a year), 50/50 is not reached: the "
            "share is flat or falling."
        ).format(window=window, change=change)
    year = trend.projected_year or 0
    if year > HORIZON_YEAR:
        return _(
            "At the {window}-year trend ({change} points a year), 50/50 is reached only {after}."
        ).format(window=window, change=change, after=parity_year(year))
    return _(
        "At the {window}-year trend ({change} points a year), 50/50 is reached in {year}."
    ).format(window=window, change=change, year=year)


def flows_words(outlook: Outlook) -> str:
    """Where the recent appointments and separations lead, and, when the trend says otherwise,
    why both are true."""
    flows = outlook.flows
    if flows is None or outlook.women_share >= 0.5:
        return ""
    figures = {"hires": percent(flows.hire_share, 0), "level": percent(flows.level_off, 0)}
    if outlook.disagree and outlook.trend_year is not None:
        return _(
            "But at the recent share of women among appointments ({hires}), the share levels "
            "off near {level}: the trend will not last unless appointments change."
        ).format(**figures)
    if outlook.disagree and flows.year_at_parity is not None:
        return _(
            "Yet at the recent share of women among appointments ({hires}), the share would "
            "pass 50/50 in {year}: the recent appointments point higher than the trend."
        ).format(**figures, year=flows.year_at_parity)
    if outlook.disagree:  # levels off within half a point of 50%, without passing it
        return _(
            "Yet at the recent share of women among appointments ({hires}), the share would "
            "level off near {level}, close to 50/50: the recent appointments point higher than "
            "the trend."
        ).format(**figures)
    if flows.year_at_parity is not None:
        return _(
            "The recent appointments ({hires} women) lead the same way: 50/50 in {year}."
        ).format(**figures, year=parity_year(flows.year_at_parity))
    return _(
        "At the recent share of women among appointments ({hires}), the share levels off near "
        "{level}."
    ).format(**figures)


def takes_words(outlook: Outlook) -> str:
    """What it takes to reach 50/50 by the goal year: the share of appointments, and the same
    in people."""
    flows = outlook.flows
    if flows is None or outlook.women_share >= 0.5 or outlook.goal_year <= outlook.year:
        return ""
    if flows.required_share is None:
        return _(
            "To reach 50/50 by {goal}, hiring alone is not enough: promotions and separations "
            "must change too."
        ).format(goal=outlook.goal_year)
    text: str = _(
        "To reach 50/50 by {goal}, {needed} of appointments from {next} on must go to women."
    ).format(goal=outlook.goal_year, needed=percent(flows.required_share, 0), next=outlook.year + 1)
    return text + in_people(flows.appointments, flows.required_share, flows.hire_share)


def outlook_sentence(outlook: Outlook | None, window: int = DEFAULT_WINDOW) -> str:
    """The outlook in one paragraph: the trend, the flows, what it takes."""
    if outlook is None:
        return ""
    parts = [trend_words(outlook, window), flows_words(outlook), takes_words(outlook)]
    return " ".join(p for p in parts if p)
