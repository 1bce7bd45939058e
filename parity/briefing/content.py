"""What a briefing says: the engine's figures for one selection, and sentences built from them.

Everything here is computed from parity.analysis / metrics / projections for a FilterState, with
the minimum-cell rule of public mode applied to every table and sentence."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parity import charts
from parity.analysis import (
    Headline,
    headline,
    projection_report,
    report,
    resolve_year,
    trend,
)
from parity.errors import ParityError
from parity.filters import FilterState
from parity.metrics import glass_ceiling_index, grade_pipeline
from parity.planning import DEFAULT_TARGET_YEAR
from parity.privacy import small_groups, suppress
from parity.projections import DEFAULT_WINDOW, share_by_year
from parity.reference import Reference

PROJECTION_WORDS = {
    "reached": "Reached",
    "not_at_current_trend": "Not at current trend",
    "insufficient_data": "Not enough years of data",
}
# definitions that briefings leave out: about dashboard pages a briefing does not have
NOT_IN_BRIEFINGS = ("hq-field", "flows", "planning")
HORIZON = 25  # years after the briefing's year that projection charts show
STATUS_WORDS = {
    "parity": "At parity",
    "women_under": "Women under-represented",
    "men_under": "Men under-represented",
}


@dataclass(frozen=True)
class Briefing:
    """A briefing's content: figures, tables, chart figures and takeaways."""

    title: str
    scope: str  # the selection in words, without the year
    year: int | None
    generated: date
    demo: bool
    min_cell: int
    window: int
    method: str
    headline: Headline
    glass_ceiling: float | None
    trend: pd.DataFrame
    grades: pd.DataFrame  # by grade, top of the ladder first, small groups suppressed
    projections: pd.DataFrame  # by grade
    stations: pd.DataFrame
    entities: pd.DataFrame
    categories: pd.DataFrame  # by staff category, small groups suppressed
    category_projections: pd.DataFrame  # by staff category, small groups left out
    horizon: int | None  # the last year the projection chart shows
    figures: dict[str, go.Figure] = field(default_factory=dict)
    takeaways: dict[str, str] = field(default_factory=dict)


def percent(share: float | None, digits: int = 1) -> str:
    return "—" if share is None or pd.isna(share) else f"{100 * share:.{digits}f}%"


def projection_words(row: pd.Series) -> str:
    """A projection in words: the year (with its 80% interval under the ols method), "Reached",
    "Not at current trend" or "Not enough years of data"."""
    status = str(row["projection_status"])
    if status != "projected":
        return PROJECTION_WORDS.get(status, status)
    text = str(int(row["projected_year"]))
    low, high = row.get("projected_year_low"), row.get("projected_year_high")
    if low is not None and pd.notna(low) and high is not None and pd.notna(high):
        text += f" (80%: {int(low)}–{int(high)})"
    elif "projected_year_low" in row.index:
        text += " (interval unbounded)"
    return text


def _people(n: int, word: str = "people") -> str:
    return f"{n:,} {word}"


def headline_sentence(h: Headline, scope: str, min_cell: int) -> str:
    if h.total == 0:
        return f"No one matches this selection ({scope})."
    if 0 < h.total < min_cell:
        return f"This selection has fewer than {min_cell} people: figures are not shown."
    sentence = (
        f"Women are {percent(h.women_share)} of the {_people(h.total)} in {scope} in {h.year}"
    )
    if h.women_needed:
        noun = "woman" if h.women_needed == 1 else "women"
        sentence += (
            f"; {h.women_needed:,} more {noun} are needed for parity (positions moving "
            "from men to women at constant headcount)"
        )
    elif h.men_needed:
        noun = "man" if h.men_needed == 1 else "men"
        sentence += f"; {h.men_needed:,} more {noun} are needed for parity"
    else:
        sentence += ", which is parity (47–53% women)"
    return sentence + "."


def trend_sentence(series: pd.DataFrame, h: Headline, window: int) -> str:
    if series.empty:
        return "No trend: no one matches this selection."
    first, last = series.iloc[0], series.iloc[-1]
    if len(series) == 1:
        return (
            f"Women's share was {percent(last['women_share'])} in {int(last['year'])}; with one "
            "year of data there is no trend yet."
        )
    change = 100 * (float(last["women_share"]) - float(first["women_share"]))
    sentence = (
        f"Women's share went from {percent(first['women_share'])} in "
        f"{int(first['year'])} to {percent(last['women_share'])} in "
        f"{int(last['year'])} ({change:+.1f} points)"
    )
    if h.projection_status == "projected":
        sentence += f"; at the {window}-year trend, parity is reached in {h.projected_year}"
    elif h.projection_status == "reached":
        sentence += "; 50% is reached"
    elif h.projection_status == "not_at_current_trend":
        sentence += "; at the current trend parity is not reached"
    return sentence + "."


def grade_sentence(grades: pd.DataFrame, projections: pd.DataFrame, window: int) -> str:
    """The grade with the most women needed, in one sentence (the issue's model sentence)."""
    needed = pd.to_numeric(grades["women_needed"], errors="coerce")  # withheld -> NaN
    if needed.isna().all():
        return "No grade has enough people to show its figures."
    if not (needed > 0).any():
        return "Every grade shown is at parity or has more women than men."
    row = grades.iloc[int(np.nanargmax(needed.to_numpy(dtype=float)))]
    sentence = (
        f"Women hold {percent(row['women_share'], 0)} of {row['grade']} posts; "
        f"{int(row['women_needed']):,} more women are needed for parity"
    )
    match = projections[projections["grade"] == row["grade"]]
    if not match.empty:
        p = match.iloc[0]
        if p["projection_status"] == "projected":
            sentence += (
                f"; at the {window}-year trend parity is reached in {int(p['projected_year'])}"
            )
        elif p["projection_status"] == "not_at_current_trend":
            sentence += "; at the current trend parity is not reached"
    return sentence + "."


def pipeline_sentence(pipeline: pd.DataFrame, index: float | None, top_grades: list[str]) -> str:
    top = pipeline[pipeline["grade"].isin(top_grades)]
    rest = pipeline[~pipeline["grade"].isin(top_grades)]

    def share(rows: pd.DataFrame) -> float | None:
        women, men = rows["women"].sum(), rows["men"].sum()
        return women / (women + men) if women + men else None

    if top.empty or rest.empty:
        return "Women's share grade by grade, from the bottom of the ladder to the top."
    sentence = (
        f"Women hold {percent(share(rest), 0)} of posts below D-1 but "
        f"{percent(share(top), 0)} at D-1 and above"
    )
    if index is not None:
        sentence += f" (glass-ceiling index {index:.2f}; 1 means no ceiling)"
    return sentence + "."


def category_sentence(table: pd.DataFrame, min_cell: int) -> str:
    shown = table[~small_groups(table, min_cell)] if min_cell else table
    shown = shown[shown["women_share"].notna()]
    if shown.empty:
        return "No staff category has enough people to show."
    shares = shown["women_share"].to_numpy(dtype=float)
    low, high = shown.iloc[int(np.argmin(shares))], shown.iloc[int(np.argmax(shares))]
    at_parity = int((shown["parity_status"] == "parity").sum())
    return (
        f"Women's share ranges from {percent(low['women_share'], 0)} ({low['category']}) "
        f"to {percent(high['women_share'], 0)} ({high['category']}); {at_parity} of "
        f"{len(shown)} staff categories are at parity."
    )


def projection_sentence(projections: pd.DataFrame, target_year: int) -> str:
    """How many grades are at 50%, reach it by the target year, reach it later or not at all."""
    if projections.empty:
        return "No projection: no grade has enough people to show."
    status = projections["projection_status"]
    projected_year = pd.to_numeric(projections["projected_year"], errors="coerce")
    reached = int((status == "reached").sum())
    by_target = int(((status == "projected") & (projected_year <= target_year)).sum())
    later = projected_year[(status == "projected") & (projected_year > target_year)]
    stalled = int((status == "not_at_current_trend").sum())
    parts = [f"{reached} {'is' if reached == 1 else 'are'} at or above 50% women"]
    parts.append(
        f"{by_target} more {'reaches' if by_target == 1 else 'reach'} 50% by {target_year}"
        if by_target
        else f"none of the others reaches 50% by {target_year}"
    )
    if len(later):
        parts.append(
            f"{len(later)} {'reaches' if len(later) == 1 else 'reach'} it later "
            f"(the last in {int(later.max())})"
        )
    if stalled:
        parts.append(
            f"{stalled} {'does' if stalled == 1 else 'do'} not reach it at the current trend"
        )
    unknown = int((status == "insufficient_data").sum())
    if unknown:
        parts.append(f"{unknown} {'has' if unknown == 1 else 'have'} too few years to project")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    grades = "grade" if len(projections) == 1 else "grades"
    return f"Of {len(projections)} {grades} shown, {listed}."


def headline_cards(briefing: Briefing) -> list[tuple[str, str, str]]:
    """The cover's five figures as (label, value, note)."""
    b, h = briefing, briefing.headline
    if h.women_needed:
        needed = ("Women needed", f"{h.women_needed:,}", "for parity, at constant headcount")
    elif h.men_needed:
        needed = ("Men needed", f"{h.men_needed:,}", "for parity, at constant headcount")
    else:
        needed = ("Needed for parity", "0", "the selection is at parity")
    trend_words = f"at the {b.window}-year trend" + (
        " (least squares)" if b.method == "ols" else ""
    )
    projected = {
        "projected": (str(h.projected_year), trend_words),
        "reached": ("Reached", "50% women or more"),
        "not_at_current_trend": ("Not reached", f"{trend_words} (flat or falling)"),
    }.get(h.projection_status or "", ("—", "not enough years of data"))
    if h.entities > 1:
        change = (
            ""
            if h.entities_at_parity_before is None
            else f"{h.entities_at_parity - h.entities_at_parity_before:+d} since "
            f"{(h.year or 0) - 1}"
        )
        fifth = ("Entities at parity", f"{h.entities_at_parity} of {h.entities}", change)
    else:  # one entity: how many are at parity says nothing; the glass ceiling does
        fifth = (
            "Glass-ceiling index",
            "—" if b.glass_ceiling is None else f"{b.glass_ceiling:.2f}",
            "1 = no ceiling; above 1, fewer women at D-1 and above"
            if b.glass_ceiling is not None
            else "too few people at D-1 and above",
        )
    return [
        ("Women's share", percent(h.women_share), f"{h.women:,} women of {h.total:,} people"),
        (
            "Parity gap",
            f"{h.gap_pp:+.1f} pp" if h.gap_pp is not None else "—",
            STATUS_WORDS.get(h.parity_status or "", ""),
        ),
        needed,
        fifth,
        ("Projected 50/50", *projected),
    ]


def _years(series: pd.DataFrame) -> str:
    """The span of a series' years in words: "2011–2025", "2025", or nothing."""
    if series.empty:
        return ""
    first, last = int(series["year"].min()), int(series["year"].max())
    return str(last) if first == last else f"{first}–{last}"


def _not_small_points(series: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """A share-by-year series without the (group, year) points of fewer than min_cell people."""
    if not min_cell or series.empty:
        return series
    return series[~small_groups(series, min_cell)].reset_index(drop=True)


def _headline(frame: pd.DataFrame, filters: FilterState, window: int, method: str) -> Headline:
    """The engine's headline figures, with the projected year by the briefing's method."""
    h = headline(frame, filters, window=window)
    if method == "increment" or h.total == 0:
        return h
    overall = projection_report(frame, filters, [], window=window, method=method)
    if overall.empty:
        return h
    row = overall.iloc[0]
    return replace(
        h,
        projection_status=str(row["projection_status"]),
        projected_year=None if pd.isna(row["projected_year"]) else int(row["projected_year"]),
        annual_change_pp=(
            None if pd.isna(row["annual_change_pp"]) else float(row["annual_change_pp"])
        ),
    )


def projection_horizon(
    series: pd.DataFrame, projections: pd.DataFrame, year: int | None
) -> int | None:
    """The last year a projection chart shows: the latest projected year, at most HORIZON years
    after the briefing's year, and at least the 2028 goal. None without a projection."""
    if series.empty or year is None:
        return None
    projected = pd.to_numeric(projections["projected_year"], errors="coerce").dropna()
    latest = int(projected.max()) if len(projected) else year
    return max(charts.GOAL_YEAR, min(latest, year + HORIZON))


def build_briefing(
    frame: pd.DataFrame,
    filters: FilterState,
    reference: Reference,
    *,
    demo: bool = False,
    min_cell: int = 5,
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
    title: str | None = None,
    today: date | None = None,
) -> Briefing:
    """Compute a briefing for a selection (the year defaults to the latest with data).

    Raises ParityError when no one matches the selection: a briefing about no one says nothing.
    """
    filters = resolve_year(frame, filters)
    scope = filters.describe(with_year=False)
    h = _headline(frame, filters, window, method)
    if h.total == 0:
        year = "" if filters.year is None else f", {filters.year}"
        raise ParityError(f"no one matches this selection ({scope}{year}): nothing to brief")
    if h.total < min_cell:
        raise ParityError(
            f"this selection ({scope}, {filters.year}) has fewer than {min_cell} people: a "
            "briefing could identify them; widen the selection"
        )
    mask = filters.mask(frame)
    pipeline = grade_pipeline(frame, mask)
    pipeline_shown = pipeline[~small_groups(pipeline, min_cell)] if min_cell else pipeline
    grades = suppress(pipeline.iloc[::-1].reset_index(drop=True), min_cell)
    series = trend(frame, filters)
    series_shown = _not_small_points(series, min_cell)
    projections = projection_report(frame, filters, ["grade"], window=window, method=method)
    latest_by_grade = pipeline.set_index("grade")["total"]
    if min_cell:
        big = [g for g in projections["grade"] if latest_by_grade.get(g, 0) >= min_cell]
        projections = projections[projections["grade"].isin(big)]
    order = {g: i for i, g in enumerate(reference.ladder)}
    projections = projections.sort_values("grade", key=lambda s: s.map(order)).reset_index(
        drop=True
    )
    stations = suppress(report(frame, filters, ["duty_station"]), min_cell)
    entities = suppress(report(frame, filters, ["entity"]), min_cell)
    index = glass_ceiling_index(frame, reference.top_grades, mask)
    top_people = int(pipeline[pipeline["grade"].isin(reference.top_grades)]["total"].sum())
    if 0 < top_people < min_cell:
        index = None
    year_words = f"{scope}, {filters.year}"
    years = _years(series)
    projected_line = None
    if h.projection_status == "projected" and h.projected_year and h.women_share is not None:
        end = min(h.projected_year, (h.year or 0) + HORIZON)
        projected_line = pd.DataFrame(
            {
                "year": [h.year, end],
                "share_pp": [
                    100 * h.women_share,
                    min(
                        50.0,
                        100 * h.women_share + (h.annual_change_pp or 0) * (end - (h.year or 0)),
                    ),
                ],
            }
        )
    # staff categories over time, up to the briefing's year, without small (category, year) points
    category_mask = filters.mask(frame, use_year=False) & (
        frame["year"].to_numpy() <= (filters.year or 0)
    )
    by_category_year = _not_small_points(
        share_by_year(frame, ["category"], category_mask), min_cell
    )
    category_projections = projection_report(
        frame, filters, ["category"], window=window, method=method
    )
    by_category = report(frame, filters, ["category"])
    if min_cell:
        shown = by_category.loc[~small_groups(by_category, min_cell), "category"]
        category_projections = category_projections[
            category_projections["category"].isin(shown)
        ].reset_index(drop=True)
        by_category_year = by_category_year[by_category_year["category"].isin(shown)]
    horizon = projection_horizon(by_category_year, category_projections, filters.year)
    projection_figure = charts.projection_lines(
        by_category_year,
        category_projections,
        "category",
        f"Women's share by staff category, projected to 50% — {scope}",
    )
    # at print width the legend wraps, a row for about four groups: room for it under the axis
    legend_rows = -(-by_category_year["category"].nunique() // 4)
    projection_figure.update_layout(margin={"b": 50 + 24 * max(legend_rows, 1)})
    if horizon is not None and not by_category_year.empty:
        # a line to 2300 would squeeze the recorded years into a sliver: the chart stops at the
        # horizon (the lines run on past its edge) and the table gives every year
        first = int(by_category_year["year"].min())
        projection_figure.update_layout(xaxis={"range": [first - 0.5, horizon + 0.5]})
    figures = {
        "trend": charts.share_trend(
            series_shown,
            f"Women's share over time — {scope}, {years}",
            projected=projected_line,
        ),
        "pipeline": charts.pipeline(pipeline_shown, f"Women and men by grade — {year_words}"),
        "categories": charts.share_bars(
            by_category,
            "category",
            f"Women's share by staff category — {year_words}",
            min_cell=min_cell,
            sort=False,
        ),
        "projections": projection_figure,
    }
    takeaways = {
        "headline": headline_sentence(h, scope, min_cell),
        "trend": trend_sentence(series_shown, h, window),
        "pipeline": pipeline_sentence(pipeline_shown, index, reference.top_grades),
        "grades": grade_sentence(grades, projections, window),
        "projections": projection_sentence(projections, DEFAULT_TARGET_YEAR),
        "categories": category_sentence(by_category, min_cell),
    }
    return Briefing(
        title=title or "Gender parity briefing",
        scope=scope,
        year=filters.year,
        generated=today or date.today(),
        demo=demo,
        min_cell=min_cell,
        window=window,
        method=method,
        headline=h,
        glass_ceiling=index,
        trend=series_shown,
        grades=grades,
        projections=projections,
        stations=stations,
        entities=entities,
        categories=suppress(by_category, min_cell),
        category_projections=category_projections,
        horizon=horizon,
        figures=figures,
        takeaways=takeaways,
    )
