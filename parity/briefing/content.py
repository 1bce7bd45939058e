"""What a briefing says: the engine's figures for one selection, and sentences built from them.

Everything here is computed from parity.analysis / metrics / projections for a FilterState, with
the minimum-cell rule of public mode applied to every table and sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from parity.filters import FilterState
from parity.metrics import glass_ceiling_index, grade_pipeline
from parity.planning import DEFAULT_TARGET_YEAR
from parity.privacy import small_groups, suppress
from parity.projections import DEFAULT_WINDOW
from parity.reference import Reference

PROJECTION_WORDS = {
    "reached": "Reached",
    "not_at_current_trend": "Not at current trend",
    "insufficient_data": "Not enough years of data",
}
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
    small: bool  # the whole selection is under the minimum cell size
    glass_ceiling: float | None
    trend: pd.DataFrame
    grades: pd.DataFrame  # by grade, top of the ladder first, small groups suppressed
    projections: pd.DataFrame  # by grade
    stations: pd.DataFrame
    entities: pd.DataFrame
    figures: dict[str, go.Figure] = field(default_factory=dict)
    takeaways: dict[str, str] = field(default_factory=dict)


def percent(share: float | None, digits: int = 1) -> str:
    return "—" if share is None or pd.isna(share) else f"{100 * share:.{digits}f}%"


def projection_words(row: pd.Series) -> str:
    status = str(row["projection_status"])
    if status == "projected":
        return str(int(row["projected_year"]))
    return PROJECTION_WORDS.get(status, status)


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
    needed = pd.to_numeric(grades["women_needed"], errors="coerce")  # "fewer than N" -> NaN
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
    if projections.empty:
        return "No projection: no one matches this selection."
    reached = int((projections["projection_status"] == "reached").sum())
    by_target = int(
        (
            (projections["projection_status"] == "projected")
            & (projections["projected_year"] <= target_year)
        ).sum()
    )
    stalled = int((projections["projection_status"] == "not_at_current_trend").sum())
    return (
        f"Of {len(projections)} grades, {reached} are at or above 50% women, "
        f"{by_target} more reach it by {target_year} at the current trend, and {stalled} "
        "are not reaching it at the current trend."
    )


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
    """Compute a briefing for a selection (the year defaults to the latest with data)."""
    filters = resolve_year(frame, filters)
    scope = filters.describe(with_year=False)
    h = headline(frame, filters, window=window)
    small = 0 < h.total < min_cell
    mask = filters.mask(frame)
    pipeline = grade_pipeline(frame, mask)
    pipeline_shown = pipeline[~small_groups(pipeline, min_cell)] if min_cell else pipeline
    grades = suppress(pipeline.iloc[::-1].reset_index(drop=True), min_cell)
    series = trend(frame, filters)
    series_shown = series[~small_groups(series, min_cell)] if min_cell else series
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
    years = f"{int(series['year'].min())}–{int(series['year'].max())}" if not series.empty else ""
    projected_line = None
    if h.projection_status == "projected" and h.projected_year and h.women_share is not None:
        end = min(h.projected_year, (h.year or 0) + 25)
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
    grade_series_mask = filters.mask(frame, use_year=False) & (
        frame["year"].to_numpy() <= (filters.year or 0)
    )
    from parity.projections import share_by_year

    by_grade = share_by_year(frame, ["category"], grade_series_mask)
    category_projection = projection_report(
        frame, filters, ["category"], window=window, method=method
    )
    by_category = report(frame, filters, ["category"])
    figures = {
        "trend": charts.share_trend(
            series_shown,
            f"Women's share over time — {scope}, {years}",
            projected=None if small else projected_line,
        ),
        "pipeline": charts.pipeline(pipeline_shown, f"Women and men by grade — {year_words}"),
        "categories": charts.share_bars(
            by_category,
            "category",
            f"Women's share by staff category — {year_words}",
            min_cell=min_cell,
            sort=False,
        ),
        "projections": charts.projection_lines(
            by_grade,
            category_projection,
            "category",
            f"Women's share by staff category, projected to 50% — {scope}",
        ),
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
        small=small,
        glass_ceiling=index,
        trend=series_shown,
        grades=grades,
        projections=projections,
        stations=stations,
        entities=entities,
        figures=figures,
        takeaways=takeaways,
    )
