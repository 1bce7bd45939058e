"""The Entities page: ranking by women's share, a heatmap entity x grade, and how many entities
are at parity each year."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from parity.i18n import _
from parity.privacy import HIDDEN, PrivacyRule, shown
from parity.reference import Reference
from parity.views.base import Chart, Selection, Table, protected_table, selection_view
from parity.views.scorecard import scorecard
from parity.wording import count, percent


@dataclass(frozen=True)
class EntitiesView:
    ranking: Chart
    heatmap: Chart  # every entity x grade cell; withheld cells have no figures
    count: Chart  # year, at_parity, entities (shown), withheld
    table: Table
    sentences: dict[str, str] = field(default_factory=dict)  # "ranking": the ranking in words


@selection_view
def entities(
    sel: Selection,
    rule: PrivacyRule,
    reference: Reference,
    *,
    targets: pd.DataFrame | None = None,
) -> EntitiesView:
    ranking = protected_table(sel, ["entity"], sel.in_year, rule, reference)
    cells = protected_table(sel, ["entity", "grade"], sel.in_year, rule, reference)
    by_year = protected_table(sel, ["year", "entity"], sel.through_year, rule, reference)
    grade_order = [str(g) for g in sel.frame["grade"].cat.categories[::-1]]  # bottom first
    return EntitiesView(
        ranking=Chart(
            shown(ranking),
            _("Entities by women's share — {scope}").format(scope=sel.scope_year),
            rule.note(ranking, "entity"),
        ),
        heatmap=Chart(
            cells,
            _("Women's share by entity and grade — {scope}").format(scope=sel.scope_year),
            rule.note(cells, "cell"),
            extra={"column_order": grade_order},
        ),
        count=Chart(
            parity_counts(by_year),
            _("Entities at parity each year — {scope}").format(scope=sel.scope),
            "",
        ),
        table=scorecard(sel, rule, reference, rule.note(ranking, "entity"), targets, by_year),
        sentences={"ranking": ranking_sentence(ranking)},
    )


def ranking_sentence(ranking: pd.DataFrame) -> str:
    """How many entities shown are at parity, and the lowest and highest women's share among
    them, in one sentence (from the shown entities only)."""
    if ranking.empty:
        return _("No one matches this selection.")
    visible = shown(ranking)
    visible = visible[visible["women_share"].notna()]
    if visible.empty:
        return _("No entity has enough people to show its figures.")
    ordered = visible.sort_values("women_share", kind="stable")
    at_parity = int((visible["parity_status"] == "parity").sum())
    if len(ordered) == 1:
        row = ordered.iloc[0]
        one = {"share": percent(row["women_share"]), "entity": row["entity"]}
        if at_parity:
            return _("Women hold {share} of posts in {entity}, within the parity zone.").format(
                **one
            )
        return _("Women hold {share} of posts in {entity}, outside the parity zone.").format(**one)
    low, high = ordered.iloc[0], ordered.iloc[-1]
    return _(
        "{at_parity} of {shown} entities shown are at parity; women's share ranges from {low} in "
        "{low_entity} to {high} in {high_entity}."
    ).format(
        at_parity=count(at_parity),
        shown=count(len(ordered)),
        low=percent(low["women_share"]),
        low_entity=low["entity"],
        high=percent(high["women_share"]),
        high_entity=high["entity"],
    )


def furthest_cells(cells: pd.DataFrame, n: int = 8) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The entity x grade cells shown with the lowest and with the highest women's share, ``n``
    of each (lowest first, then highest first): the heatmap as a phone shows it, a ranked list.
    Withheld cells are left out, as the heatmap leaves them blank."""
    visible = shown(cells)
    visible = visible[visible["women_share"].notna()]
    ordered = visible.sort_values(["women_share", "entity", "grade"], kind="stable")
    lowest = ordered.head(n)
    highest = ordered.drop(lowest.index).tail(n).iloc[::-1]
    return lowest, highest


def parity_counts(by_year: pd.DataFrame) -> pd.DataFrame:
    """Per year: entities at parity among those shown (``at_parity`` of ``entities``) and how
    many were withheld (``withheld``)."""
    if by_year.empty:
        return pd.DataFrame(columns=["year", "at_parity", "entities", "withheld"])
    table = by_year.assign(
        _shown=by_year[HIDDEN].isna() & by_year["parity_status"].notna(),
        _parity=by_year["parity_status"] == "parity",
        _withheld=by_year[HIDDEN].notna(),
    )
    grouped = table.groupby("year", sort=True)
    return pd.DataFrame(
        {
            "at_parity": grouped.apply(lambda g: int((g["_shown"] & g["_parity"]).sum())),
            "entities": grouped["_shown"].sum().astype(int),
            "withheld": grouped["_withheld"].sum().astype(int),
        }
    ).reset_index()
