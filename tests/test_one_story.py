"""One story: a group gets one answer to "what share, what status against the goal, which year
of 50/50" on every page, in every briefing and from every command, and no year after 2100 is
stated anywhere (issue 22).

Data: the demo generator for three entities (stocks and flows that agree), imported through
the command line, read as the dashboard reads it (a Context over the store), in exact figures
and in the public view, in English and French.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from parity import i18n
from parity.cli import main
from parity.demo.simulation import generate_with_flows
from parity.settings import Settings
from parity.store import Store
from parity.views.planning.scenario import Scenario
from parity.views.planning.view import planning
from parity.web.briefing_menu import briefing_file
from parity.web.pages import overview, trends
from parity.web.pages.trends import from_query
from parity.web.source import Context, DataSource

pytestmark = pytest.mark.slow

YEAR = re.compile(r"(?<![\w.,#\u202f\u00a0])(\d{4})(?!\w|[.,]\d|\s?%)")
"""A four-digit number standing alone: not part of a larger number, a decimal, a percentage, a
colour (#4b5563) or encoded data."""


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("story")
    staff, flows = generate_with_flows(3, seed=7)
    staff.to_csv(folder / "staff.csv", index=False)
    flows.to_csv(folder / "flows.csv", index=False)
    url = f"sqlite:///{folder / 'story.db'}"
    for name in ("staff.csv", "flows.csv"):
        assert main(["import", str(folder / name), "--db", url]) == 0
    yield url


def texts(value: Any) -> str:
    """Every string a page's outputs hold (figures' titles, labels and hover text included),
    as one text; numbers that are data, not words, left out."""
    if hasattr(value, "to_plotly_json"):
        value = value.to_plotly_json()
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(texts(v) for v in value.values())
    if isinstance(value, list | tuple):
        return "\n".join(texts(v) for v in value)
    if hasattr(value, "tolist"):
        return texts(value.tolist())
    return ""


def cli_rows(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return rows


QUERIES = ["", "entity={entity}", "entity={entity}&scope=p4-and-above"]


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_one_group_one_answer(
    url: str, public: bool, language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(url)
    context = Context(DataSource(store), Settings(database_url=url, public=public), False)
    entity = sorted(context.source.options().values["entity"])[0]
    flows, targets = context.source.flows(), context.source.targets()

    def planning_page(frame: Any, filters: Any, rule: Any, reference: Any) -> Any:
        """The Planning page's view at its default scenario."""
        return planning(frame, flows, targets, filters, Scenario(), rule, reference, runs=50)

    seen_years: list[str] = []
    with i18n.using(language):
        for template in QUERIES:
            query = template.format(entity=entity)
            view = overview.PAGE.view_for(context, query)
            h = view.headline
            assert h is not None and view.outlook is not None
            out = overview.PAGE.values(view)
            goal, outlook_text = out[0], out[1]
            cards = {s.anchor: s for s in view.stats}
            # the share: the card, the headline sentence
            share = cards["women-share"].value
            assert share in view.sentences["headline"]
            # the year of 50/50: the card and the outlook sentence say the same
            card_year = cards["projection"].value
            years_in_outlook = set(YEAR.findall(outlook_text)) - {"2028", str(h.year + 1)}
            if view.outlook.trend_year is not None and view.outlook.trend_year <= 2100:
                assert card_year.startswith(str(view.outlook.trend_year))
                assert str(view.outlook.trend_year) in years_in_outlook
            # the status against the goal: the goal line, the briefing, the command line
            content, _name = briefing_file(context, query, "xlsx")
            book = load_workbook(BytesIO(content))
            summary = [r for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
            points = [str(r[1]) for r in summary if r[1]]
            assert points[0] == goal + "."
            assert outlook_text in points  # the Overview's outlook, word for word
            blank = [r[0] for r in summary].index(None)
            # (a leading + is kept inert in a workbook: "'+8.0 pp")
            cells = [str(r[1]).removeprefix("'") for r in summary[blank + 1 :]]
            assert cells == [s.value for s in view.stats]
            scope = "p4-and-above" if "scope=" in query else "professional-and-higher"
            where = ["--where", f"entity={entity}"] if "entity" in query else []
            (row,) = cli_rows(capsys, "project", "--scope", scope, *where, "--db", url)
            assert row["goal_status"] == view.outlook.goal_status
            assert row["women_share"] == pytest.approx(view.outlook.women_share)
            if row["projection_status"] == "projected":
                assert row["projected_year"] == view.outlook.trend_year
            # Trends by grade and its table: every year stated is by 2100
            for by in ("category", "grade"):
                trends_view = trends.PAGE.view_for(context, query, by, *from_query("")[1:])
                seen_years += YEAR.findall(texts(trends.PAGE.values(trends_view)))
            seen_years += YEAR.findall(texts(out))
            plan = context.view(planning_page, query)
            seen_years += YEAR.findall(plan.summary + texts(plan.table.rows.to_dict("list")))
            plan_rows = cli_rows(capsys, "plan", *where, "--runs", "50", "--db", url)
            seen_years += YEAR.findall(json.dumps(plan_rows))
            seen_years += [
                y
                for sheet in book
                for r in sheet.iter_rows(values_only=True)
                for c in r
                if isinstance(c, str)
                for y in YEAR.findall(c)
            ]
    late = sorted({int(y) for y in seen_years if 2100 < int(y) < 10000})
    assert late == [], late
    store.dispose()
