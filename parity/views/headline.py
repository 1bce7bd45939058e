"""A selection's headline: its figures in the year (Headline), the five headline cards, and the
sentences of the Overview and a briefing's cover (where it stands, the trend, staff categories)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from parity import i18n
from parity.i18n import N_, N_plural, _, ngettext
from parity.privacy import HIDDEN, UNPUBLISHED, PrivacyRule, shown
from parity.projections import HORIZON_YEAR
from parity.views.base import Stat, at_parity_words
from parity.wording import (
    closest_split,
    count,
    label,
    missing,
    parity_year,
    percent,
    plural,
    signed_pp,
    status_words,
)


@dataclass(frozen=True)
class Headline:
    """A selection's figures in its year (only ever built for a selection that may be shown)."""

    year: int
    women: int
    men: int
    other: int
    total: int
    women_share: float | None
    gap_pp: float | None
    parity_status: str | None
    women_needed: int
    men_needed: int
    women_to_50_50: int
    men_to_50_50: int
    projection_status: str | None
    projected_year: int | None
    annual_change_pp: float | None
    projected_year_low: int | None = None
    projected_year_high: int | None = None


def _int(value: Any) -> int:
    return 0 if missing(value) else int(value)


def _opt_int(value: Any) -> int | None:
    return None if missing(value) else int(value)


def _opt_float(value: Any) -> float | None:
    return None if missing(value) else float(value)


def headline_state(totals: pd.DataFrame) -> str:
    """'shown', 'empty', 'small' (withheld in public) or 'unpublished', from the selection's
    one protected row."""
    if totals.empty:
        return "empty"
    if totals[HIDDEN].iloc[0] == UNPUBLISHED:
        return "unpublished"
    if totals[HIDDEN].notna().iloc[0]:
        return "small"
    return "shown"


def headline_of(row: pd.Series, proj: pd.Series | None, year: int) -> Headline:
    """The Headline of a shown protected row and its projection (None: no projection)."""
    return Headline(
        year=year,
        women=_int(row["women"]),
        men=_int(row["men"]),
        other=_int(row["other"]),
        total=_int(row["total"]),
        women_share=_opt_float(row["women_share"]),
        gap_pp=_opt_float(row["gap_pp"]),
        parity_status=None if missing(row["parity_status"]) else str(row["parity_status"]),
        women_needed=_int(row["women_needed"]),
        men_needed=_int(row["men_needed"]),
        women_to_50_50=_int(row["women_to_50_50"]),
        men_to_50_50=_int(row["men_to_50_50"]),
        projection_status=None if proj is None else str(proj["projection_status"]),
        projected_year=None if proj is None else _opt_int(proj["projected_year"]),
        annual_change_pp=None if proj is None else _opt_float(proj["annual_change_pp"]),
        projected_year_low=None if proj is None else _opt_int(proj.get("projected_year_low")),
        projected_year_high=None if proj is None else _opt_int(proj.get("projected_year_high")),
    )


# who is under-represented -> how many of them read, and the note of the parity zone's threshold
NEEDED_WORDS = {
    "women": (
        N_plural("{n} woman", "{n} women"),
        N_(
            "to reach the parity zone (47%); {n} to 50/50 — positions moving from men to "
            "women, same headcount"
        ),
    ),
    "men": (
        N_plural("{n} man", "{n} men"),
        N_(
            "to reach the parity zone (53%); {n} to 50/50 — positions moving from women to "
            "men, same headcount"
        ),
    ),
}


def needed_words(h: Headline) -> tuple[str, str]:
    """The 'needed for parity' figure and its note, naming both thresholds: the parity zone
    (47–53%) and 50/50 (the closest whole split). Women are looked at before men, and the
    parity zone before 50/50."""
    sides = (
        (h.women_needed, h.women_to_50_50, *NEEDED_WORDS["women"]),
        (h.men_needed, h.men_to_50_50, *NEEDED_WORDS["men"]),
    )
    for needed, to_50_50, people, to_zone in sides:
        if needed:
            return plural(needed, *people), _(to_zone).format(n=count(to_50_50))
    for _needed, to_50_50, people, _to_zone in sides:
        if to_50_50:
            return "0", _("at parity — maintain; {people} more to 50/50").format(
                people=plural(to_50_50, *people)
            )
    return "0", _("at parity — maintain (50/50)")


def projection_stat(h: Headline, window: int, method: str) -> tuple[str, str]:
    status = h.projection_status
    if status == "reached":
        return _("Reached"), _("women's share ≥ 50%")
    change = "—" if h.annual_change_pp is None else i18n.signed(h.annual_change_pp, 2)
    if status == "projected" and h.projected_year is not None:
        value = parity_year(h.projected_year)  # past 2100 "after 2100", with no interval
        low, high = h.projected_year_low, h.projected_year_high
        if low is not None and high is not None and h.projected_year <= HORIZON_YEAR:
            value += f" ({low}–{parity_year(high)})"
        if method == "ols":
            note = _("at the {window}-year trend (least squares) ({change} pp a year)")
        else:
            note = _("at the {window}-year trend ({change} pp a year)")
        return value, note.format(window=window, change=change)
    if status == "not_at_current_trend":
        return (
            _("Not at current trend"),
            _("share flat or falling ({change} pp a year)").format(change=change),
        )
    return "—", _("Needs at least two years of data")


def _share_note(h: Headline) -> str:
    figures = {"women": count(h.women), "total": count(h.total), "year": h.year}
    if h.other:
        return ngettext(
            "{women} women of {total} people in {year} ({other} other or not recorded)",
            "{women} women of {total} people in {year} ({other} other or not recorded)",
            h.women,
        ).format(**figures, other=count(h.other))
    return ngettext(
        "{women} women of {total} people in {year}",
        "{women} women of {total} people in {year}",
        h.women,
    ).format(**figures)


def _entities_stat(h: Headline, entities: pd.DataFrame, label: str, anchor: str) -> Stat:
    """How many entities are at parity in the year, and the change since the year before."""
    this_year = entities[entities["year"] == h.year]
    before = entities[entities["year"] == h.year - 1]
    value, note = at_parity_words(this_year, "entity")
    if not before.empty:
        now = int((shown(this_year)["parity_status"] == "parity").sum())
        then = int((shown(before)["parity_status"] == "parity").sum())
        change = now - then
        note = (
            _("{note}; {change} since {year}").format(
                note=note, change=i18n.signed(change, 0), year=h.year - 1
            )
            if change
            else _("{note}; unchanged since {year}").format(note=note, year=h.year - 1)
        )
    return Stat(label, value, note, anchor)


def _withheld_note(state: str) -> str:
    if state == "empty":
        return _("No one matches this selection.")
    if state == "unpublished":
        return _("Not in the public tables: signed-in users of the entity see it.")
    return _("Not shown, to protect small groups.")


def headline_stats(
    state: str,
    h: Headline | None,
    entities: pd.DataFrame,
    ceiling: tuple[float | None, str],
    window: int,
    method: str,
) -> tuple[Stat, ...]:
    """The five headline cards: women's share, gap, needed for parity, entities at parity (the
    glass-ceiling index for one entity) and the projected year of 50/50."""
    labels = [
        (_("Women's share"), "women-share"),
        (_("Parity gap"), "parity-gap"),
        (_("Needed for parity"), "women-needed"),
        (_("Entities at parity"), "parity-status"),
        (_("Projected 50/50"), "projection"),
    ]
    several = h is not None and entities["entity"].nunique() > 1
    if h is not None and not several:  # one entity: the glass ceiling says more
        labels[3] = (_("Glass-ceiling index"), "glass-ceiling")
    if h is None:
        note = _withheld_note(state)
        return tuple(Stat(label, "—", note, anchor) for label, anchor in labels)
    needed = needed_words(h)
    if several:
        fourth = _entities_stat(h, entities, *labels[3])
    else:
        index, index_note = ceiling
        value = "—" if index is None else i18n.number(index, 2)
        fourth = Stat(labels[3][0], value, index_note, labels[3][1])
    gap = i18n.number(abs(h.gap_pp or 0.0), 1)
    status_notes = {  # the gap in words: who is under-represented, by how many points
        "parity": status_words("parity", h.women, h.men)
        if closest_split(h.women, h.men)
        else _("At parity (47–53% women)"),
        "women_under": _("Women under-represented by {gap} points").format(gap=gap),
        "men_under": _("Men under-represented by {gap} points").format(gap=gap),
    }
    return (
        Stat(labels[0][0], percent(h.women_share), _share_note(h), "women-share"),
        Stat(
            labels[1][0],
            signed_pp(h.gap_pp),
            status_notes.get(h.parity_status or "", ""),
            "parity-gap",
        ),
        Stat(labels[2][0], needed[0], needed[1], "women-needed"),
        fourth,
        Stat(labels[4][0], *projection_stat(h, window, method), "projection"),
    )


def headline_sentence(state: str, h: Headline | None, scope: str, rule: PrivacyRule) -> str:
    if state == "empty" or (h is None and state not in ("small", "unpublished")):
        return _("No one matches this selection ({scope}).").format(scope=scope)
    if h is None and state == "unpublished":
        return _(
            "This combination ({scope}) is not in the public tables: signed-in users of the "
            "entity see its figures."
        ).format(scope=scope)
    if h is None:
        return _(
            "The figures of this selection ({scope}) are not shown, to protect small groups "
            "(fewer than {n} people)."
        ).format(scope=scope, n=rule.min_cell)
    figures = {
        "share": percent(h.women_share),
        "total": count(h.total),
        "scope": scope,
        "year": h.year,
    }
    if h.women_needed:
        return ngettext(
            "Women are {share} of the {total} people in {scope} in {year}; {n} more woman is "
            "needed to reach the parity zone ({to_50_50} to 50/50), positions moving from men "
            "to women at constant headcount.",
            "Women are {share} of the {total} people in {scope} in {year}; {n} more women are "
            "needed to reach the parity zone ({to_50_50} to 50/50), positions moving from men "
            "to women at constant headcount.",
            h.women_needed,
        ).format(**figures, n=count(h.women_needed), to_50_50=count(h.women_to_50_50))
    if h.men_needed:
        return ngettext(
            "Women are {share} of the {total} people in {scope} in {year}; {n} more man is "
            "needed to reach the parity zone ({to_50_50} to 50/50).",
            "Women are {share} of the {total} people in {scope} in {year}; {n} more men are "
            "needed to reach the parity zone ({to_50_50} to 50/50).",
            h.men_needed,
        ).format(**figures, n=count(h.men_needed), to_50_50=count(h.men_to_50_50))
    if closest_split(h.women, h.men):
        return _("Women are {share} of the {total} people in {scope} in {year}: {status}.").format(
            **figures, status=status_words("parity", h.women, h.men).lower()
        )
    return _(
        "Women are {share} of the {total} people in {scope} in {year}, which is parity "
        "(47–53% women)."
    ).format(**figures)


def trend_sentence(series: pd.DataFrame, h: Headline | None, window: int) -> str:
    if series.empty or h is None:
        return _("No trend to show for this selection.")
    first, last = series.iloc[0], series.iloc[-1]
    if len(series) == 1:
        return _(
            "Women's share was {share} in {year}; with one year of data there is no trend yet."
        ).format(share=percent(last["women_share"]), year=int(last["year"]))
    change = 100 * (float(last["women_share"]) - float(first["women_share"]))
    figures = {
        "first": percent(first["women_share"]),
        "first_year": int(first["year"]),
        "last": percent(last["women_share"]),
        "last_year": int(last["year"]),
        "change": i18n.signed(change, 1),
    }
    if h.projection_status == "projected" and (h.projected_year or 0) > HORIZON_YEAR:
        return _(
            "Women's share went from {first} in {first_year} to {last} in {last_year} "
            "({change} points); at the {window}-year trend, 50/50 is not reached before "
            "{horizon}."
        ).format(**figures, window=window, horizon=HORIZON_YEAR)
    if h.projection_status == "projected":
        return _(
            "Women's share went from {first} in {first_year} to {last} in {last_year} "
            "({change} points); at the {window}-year trend, 50/50 is reached in {year}."
        ).format(**figures, window=window, year=h.projected_year)
    if h.projection_status == "reached":
        return _(
            "Women's share went from {first} in {first_year} to {last} in {last_year} "
            "({change} points); 50% is reached."
        ).format(**figures)
    if h.projection_status == "not_at_current_trend":
        return _(
            "Women's share went from {first} in {first_year} to {last} in {last_year} "
            "({change} points); at the current trend 50/50 is not reached."
        ).format(**figures)
    return _(
        "Women's share went from {first} in {first_year} to {last} in {last_year} "
        "({change} points)."
    ).format(**figures)


def category_sentence(table: pd.DataFrame) -> str:
    visible = shown(table)
    visible = visible[visible["women_share"].notna()]
    if visible.empty:
        return _("No staff category has enough people to show.")
    shares = visible["women_share"].to_numpy(dtype=float)
    low, high = visible.iloc[int(np.argmin(shares))], visible.iloc[int(np.argmax(shares))]
    at_parity = int((visible["parity_status"] == "parity").sum())
    return _(
        "Women's share ranges from {low} ({low_name}) to {high} ({high_name}); {at_parity} of "
        "{shown} staff categories shown are at parity."
    ).format(
        low=percent(low["women_share"], 0),
        low_name=label(low["category"]),
        high=percent(high["women_share"], 0),
        high_name=label(high["category"]),
        at_parity=count(at_parity),
        shown=count(len(visible)),
    )
