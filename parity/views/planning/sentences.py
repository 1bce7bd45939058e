"""The plan in words: the summary sentence of a plan (the share of appointments needed for 50/50,
the recent one, the year 50/50 is reached under the scenario), its projected year with its 80%
band, the note on the groups left out, and the reasons no plan is shown (no flows, a target
already reached, figures withheld or not in the public view), each with the short form that
sits inside an empty chart.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.i18n import _, ngettext
from parity.planning import Ladder, recent_hire_share
from parity.privacy import PrivacyRule
from parity.views.planning.scenario import Scenario
from parity.wording import count, percent, plural


def year_band(plan: Any) -> str:
    """'2031 (80%: 2029–2035)', 'not by 2100'."""
    text = (
        _("not by 2100")
        if plan.projected_year_at_hire_share is None
        else str(plan.projected_year_at_hire_share)
    )
    low, high = plan.projected_year_low, plan.projected_year_high
    if low is not None or high is not None:
        text = _("{year} (80%: {low}–{high})").format(
            year=text, low=low or "—", high=high or _("after 2100")
        )
    return text


def summary_sentence(
    scope: str,
    scenario: Scenario,
    ladder: Any,
    total: Any,
    everyone: np.ndarray,
    in_zone: bool,
    few_appointments: bool = False,
) -> str:
    """The plan in words; the recent share of appointments is left out when it rests on 1 to
    min_cell - 1 appointments (``few_appointments``)."""
    needed = total.required_hire_share
    recent = recent_hire_share(ladder, everyone)
    text = (
        _(
            "Across {scope}, women's share is in the parity zone (47–53%): at parity — maintain."
        ).format(scope=scope)
        + " "
        if in_zone
        else ""
    )
    if needed is None:
        text += _(
            "To reach 50/50 across {scope} by {target}, hiring alone is not enough: even if "
            "every appointment went to a woman, women's share would stay below 50%."
        ).format(scope=scope, target=scenario.target_year)
    else:
        share_needed = (
            _(
                "To reach 50/50 across {scope} by {target}, {share} of appointments from {year} "
                "on must go to women."
            )
            if few_appointments
            else _(
                "To reach 50/50 across {scope} by {target}, {share} of appointments from {year} "
                "on must go to women (recently {recent})."
            )
        )
        text += share_needed.format(
            scope=scope,
            target=scenario.target_year,
            share=percent(needed, 0),
            year=ladder.base_year + 1,
            recent=percent(recent, 0),
        )
        if not few_appointments:
            text += in_people(total.appointments_a_year, needed, recent)
    text += " " + (
        _("Under this scenario, 50/50 is reached in {when}.").format(when=year_band(total))
        if total.projected_year_at_hire_share is not None
        else _("Under this scenario, 50/50 is not reached by 2100.")
    )
    return text


def in_people(appointments: float, needed: float, recent: float) -> str:
    """The share needed, in people: the appointments a year at these levels (at the scenario's
    turnover and growth), how many of them must be women, and how many were at the recent
    share; nothing when the levels take under one appointment a year."""
    n = round(appointments)
    if n < 1:
        return ""
    return " " + ngettext(
        "That is about {n} appointment a year at these levels, {women} of them women, against "
        "{recent} recently.",
        "That is about {n} appointments a year at these levels, {women} of them women, against "
        "{recent} recently.",
        n,
    ).format(n=count(n), women=count(round(n * needed)), recent=count(round(n * recent)))


def no_ladder_reason(ladder: Ladder | None) -> tuple[str, str]:
    """Why no plan is shown when the selection has no flows (``ladder`` None) or its data
    already reach the target year: the reason, and the charts' own words (short enough to sit
    inside an empty figure)."""
    reason = (
        _(
            "No flow data for this selection: import appointments, promotions and "
            "separations on the Data page."
        )
        if ladder is None
        else _("The data already reach {year}: choose a later target.").format(
            year=ladder.base_year
        )
    )
    short = _("No flow data for this selection.") if ladder is None else _("Choose a later target.")
    return reason, short


def withheld_reason(rule: PrivacyRule) -> tuple[str, str]:
    """Why no plan is shown when the selection's figures are withheld: the reason, and the
    charts' own words."""
    reason = _(
        "The figures of this selection are not shown, to protect small groups (fewer than "
        "{n} people): no plan is shown."
    ).format(n=count(rule.min_cell))
    return reason, _("Not shown, to protect small groups.")


def not_public_reason() -> tuple[str, str]:
    """Why no plan is shown in the public view when the model's inputs are not all published:
    the reason, and the charts' own words."""
    reason = _(
        "The plan rests on figures the public view withholds, to protect small groups, or "
        "does not hold (an entity's flows grade by grade): signed-in users of the entity "
        "see it."
    )
    return reason, _("Not in the public view.")


def left_out_note(hidden_groups: int) -> str:
    """The note on the groups not shown (to protect small groups); empty when there are none."""
    return (
        plural(
            hidden_groups,
            "{n} group not shown (to protect small groups) left out",
            "{n} groups not shown (to protect small groups) left out",
        )
        if hidden_groups
        else ""
    )
