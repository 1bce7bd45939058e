"""The Geography page: women's share by the staff's UN regional group, the region of their
nationality and their nationality, and the regional groups over time (issue 24). Every figure
through the rule in force: in the public view from the protected publication, where region and
regional group are tables of their own for all entities together (an entity's: signed-in users)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parity.i18n import N_, _, ngettext
from parity.member_states import Ranges
from parity.metrics import parity_table
from parity.privacy import HIDDEN, UNPUBLISHED, PrivacyRule, shown
from parity.reference import Reference
from parity.views.base import Chart, Selection, Table, protected_table, selection_view
from parity.views.columns import (
    CATEGORY,
    NATIONALITY_COLUMNS,
    NATIONALITY_REGION,
    TOTAL,
    WOMEN,
    WOMEN_SHARE,
    Column,
)
from parity.wording import count, label, percent

NO_NATIONALITY = N_("No nationality is recorded for this selection.")
NOT_PUBLIC = N_(
    "The public tables hold nationalities, their regions and regional groups for all entities "
    "and all staff together: for this selection, signed-in users of the entity see them."
)


@dataclass(frozen=True)
class GeographyView:
    groups: Chart  # by UN regional group, shown rows
    regions: Chart  # by region of nationality, shown rows
    trend: Chart  # year x regional group, shown rows
    table: Table  # by nationality, largest first
    levels: Table  # nationalities at each staff category (exact views only)
    senior: Table  # women's share at D-1 and above by region of nationality (exact views only)
    sentences: dict[str, str]
    ranges: Table | None = None  # member states by status against their desirable ranges


@selection_view
def geography(
    sel: Selection, rule: PrivacyRule, reference: Reference, *, ranges: Ranges | None = None
) -> GeographyView:
    scope = sel.scope_year
    groups, groups_public = _public(
        protected_table(sel, ["regional_group"], sel.in_year, rule, reference)
    )
    regions, regions_public = _public(
        protected_table(sel, ["nationality_region"], sel.in_year, rule, reference)
    )
    nationals, public = _public(protected_table(sel, ["nationality"], sel.in_year, rule, reference))
    by_year, by_year_public = _public(
        protected_table(sel, ["year", "regional_group"], sel.through_year, rule, reference)
    )
    named = nationals.assign(regional_group=_groups_of(nationals["nationality"]))

    def note(table: pd.DataFrame, complete: bool) -> str:
        return rule.note(table, "group") if complete else _(NOT_PUBLIC)

    return GeographyView(
        groups=Chart(
            shown(groups),
            _("Women's share by UN regional group — {scope}").format(scope=scope),
            note(groups, groups_public),
        ),
        regions=Chart(
            shown(regions),
            _("Women's share by region of nationality — {scope}").format(scope=scope),
            note(regions, regions_public),
        ),
        trend=Chart(
            shown(by_year),
            _("Women's share by UN regional group over time — {scope}").format(scope=sel.scope),
            note(by_year, by_year_public),
        ),
        table=Table(
            _("By nationality — {scope}").format(scope=scope),
            NATIONALITY_COLUMNS,
            named.sort_values("total", ascending=False, na_position="last").reset_index(drop=True),
            note(nationals, public),
            empty=NO_NATIONALITY if public else NOT_PUBLIC,
            id="geography-metrics",
        ),
        levels=levels_table(sel, rule),
        senior=senior_table(sel, rule, reference),
        ranges=None if ranges is None else ranges_table(sel, rule, reference, ranges),
        sentences={
            "geography": geography_sentence(groups, nationals, public),
            "trend": trend_sentence(shown(by_year)),
        },
    )


def _public(table: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The recorded rows the public tables hold (every one in exact views), and whether they
    hold every row (an entity's, or a grade's, nationals are not in them)."""
    table = _recorded(table)
    held = table.get(HIDDEN, pd.Series(None, index=table.index, dtype=object))
    public = (held != UNPUBLISHED).to_numpy()
    return table[public].reset_index(drop=True), bool(public.all())


def _recorded(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a table whose first dimension is recorded (people whose nationality the files
    did not give are left out of every geography figure)."""
    dim = next(c for c in table.columns if c not in ("year",))
    kept = table[table[dim].notna() & (table[dim].astype(str) != "")]
    return kept.reset_index(drop=True)


def _groups_of(nationalities: pd.Series) -> list[str]:
    """Each nationality's UN regional group in the reader's language (derived: parity.geography)."""
    from parity.geography import resolve

    out = []
    for name in nationalities:
        found = resolve(str(name))
        out.append(label(found.regional_group) if found and found.regional_group else "—")
    return out


def geography_sentence(groups: pd.DataFrame, nationals: pd.DataFrame, public: bool = True) -> str:
    """How many nationalities the figures cover (when the view may tell: ``public`` False, the
    selection's nationalities are not public), and the lowest and highest women's share among
    the regional groups shown."""
    if nationals.empty and public:
        return _(NO_NATIONALITY)
    visible = shown(groups)
    visible = visible[visible["women_share"].notna()].sort_values("women_share", kind="stable")
    n = len(shown(nationals))
    many = ngettext(
        "Staff of {n} nationality shown.", "Staff of {n} nationalities shown.", n
    ).format(n=count(n))
    if len(visible) < 2:
        return many if public else ""
    low, high = visible.iloc[0], visible.iloc[-1]
    return (many + " " if public else "") + _(
        "Women's share ranges from {low} ({low_group}) to {high} ({high_group}) among the UN "
        "regional groups."
    ).format(
        low=percent(low["women_share"]),
        low_group=label(low["regional_group"]),
        high=percent(high["women_share"]),
        high_group=label(high["regional_group"]),
    )


def trend_sentence(by_year: pd.DataFrame) -> str:
    """Each regional group's women's share in the first and the latest year shown."""
    rows = by_year[by_year["women_share"].notna()]
    if rows.empty:
        return ""
    first, last = int(rows["year"].min()), int(rows["year"].max())
    if first == last:  # one year: each group's share in it
        shares = "; ".join(
            _("{name}: {figures}").format(
                name=label(r["regional_group"]), figures=percent(r["women_share"])
            )
            for _i, r in rows.iterrows()
        )
        return _("Women's share in {year}: {groups}.").format(year=first, groups=shares)
    parts = []
    for group, g in rows.groupby("regional_group", observed=True, sort=False):
        share = g.set_index("year")["women_share"]
        if first in share.index and last in share.index:
            parts.append(
                _("{group}: {first} to {last}").format(
                    group=label(group), first=percent(share[first]), last=percent(share[last])
                )
            )
    if not parts:
        return ""
    return _("Women's share from {first} to {last}: {groups}.").format(
        first=first, last=last, groups="; ".join(parts)
    )


LEVEL_COLUMNS = (
    CATEGORY,
    Column("nationalities", N_("Nationalities"), "count"),
    TOTAL,
    WOMEN_SHARE,
)
ONLY_EXACT = N_(
    "Nationalities at each level are shown to signed-in users of the entity: the public "
    "publication holds nationalities for all entities together, not by level."
)


def levels_table(sel: Selection, rule: PrivacyRule) -> Table:
    """Per staff category, how many nationalities its staff hold (those with a recorded one)
    and their women's share: exact views only (in public, a count by level and nationality
    would tell where one national of a country works)."""
    title = _("Nationalities at each level — {scope}").format(scope=sel.scope_year)
    recorded = sel.in_year & sel.frame["nationality"].notna().to_numpy()
    if rule.active or not recorded.any():
        rows = pd.DataFrame(columns=[c.key for c in LEVEL_COLUMNS])
        return Table(
            title, LEVEL_COLUMNS, rows, empty=ONLY_EXACT if rule.active else NO_NATIONALITY
        )
    table = parity_table(sel.frame, ["category"], recorded)
    people = sel.frame[recorded & (sel.frame["headcount"].to_numpy() > 0)]
    counts = people.groupby("category", observed=True)["nationality"].nunique()
    table["nationalities"] = table["category"].map(counts).fillna(0).astype(int)
    return Table(title, LEVEL_COLUMNS, table[table["total"] > 0].reset_index(drop=True))


SENIOR_SCOPE = "d1-and-above"
SENIOR_COLUMNS = (NATIONALITY_REGION, TOTAL, WOMEN, WOMEN_SHARE)
ONLY_EXACT_SENIOR = N_(
    "Senior levels by region of nationality are shown to signed-in users of the entity: the "
    "public publication holds the region of nationality, not by level."
)
NO_SENIOR = N_("No one at D-1 and above with a recorded nationality in this selection.")


def senior_table(sel: Selection, rule: PrivacyRule, reference: Reference) -> Table:
    """The selection's staff at D-1 and above from each region of nationality, with their
    women's share, largest first: exact views only (a region's few directors by level would
    tell where one national works)."""
    from parity.scopes import scope as named_scope

    title = _("Women's share at D-1 and above by region of nationality — {scope}").format(
        scope=sel.scope_year
    )
    empty = pd.DataFrame(columns=[c.key for c in SENIOR_COLUMNS])
    if rule.active:
        return Table(title, SENIOR_COLUMNS, empty, empty=ONLY_EXACT_SENIOR)
    frame = sel.frame
    grades = set(named_scope(SENIOR_SCOPE).grades(reference))
    chosen = sel.in_year & frame["nationality"].notna().to_numpy()
    chosen &= frame["grade"].isin(grades).to_numpy()
    table = parity_table(frame, ["nationality_region"], chosen) if chosen.any() else empty
    table = table[table["total"] > 0].sort_values("total", ascending=False, kind="stable")
    return Table(title, SENIOR_COLUMNS, table.reset_index(drop=True), empty=NO_SENIOR)


STATUS_NAMES = {
    "unrepresented": N_("Unrepresented"),
    "under": N_("Under-represented"),
    "within_below": N_("Within range, below the midpoint"),
    "within_above": N_("Within range, from the midpoint"),
    "over": N_("Over-represented"),
}
RANGE_COLUMNS = (
    Column("status_words", N_("Status against the desirable range"), "words"),
    Column("states", N_("Member states"), "count"),
    Column("staff", N_("Staff"), "count"),
    WOMEN_SHARE,
)


def ranges_table(sel: Selection, rule: PrivacyRule, reference: Reference, ranges: Ranges) -> Table:
    """Member states by status against their desirable ranges (parity.ranges), with their staff
    in the ranges' scope and the women's share among them: exact views only (a state's status
    tells how many of its nationals there are)."""
    from parity.member_states import staff_by_member_state
    from parity.ranges import by_status, desirable_ranges, representation
    from parity.scopes import scope as named_scope

    title = _("Member states against their desirable ranges — {scope}").format(scope=sel.scope_year)
    if rule.active:
        return Table(title, RANGE_COLUMNS, pd.DataFrame(), empty=ONLY_EXACT_RANGES)
    grades = set(named_scope(ranges.scope).grades(reference))
    frame = sel.frame
    rows = frame[sel.in_year & frame["grade"].isin(grades).to_numpy()]
    people = staff_by_member_state(rows)
    summary = by_status(representation(desirable_ranges(ranges.states, ranges.parameters), people))
    summary["status_words"] = [_(STATUS_NAMES[s]) for s in summary["status"]]
    return Table(title, RANGE_COLUMNS, summary)


ONLY_EXACT_RANGES = N_(
    "Member states against their desirable ranges are shown to users who see exact figures: "
    "a state's status tells how many of its nationals there are."
)
