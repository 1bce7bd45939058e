"""Flags of a reporting round (parity.rounds.flags): each rule on hand-checkable frames, on both
sides of its threshold, a first submission and a clean one; a flows file submitted to a round."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from parity.ingest import parse_file
from parity.ingest.contract import STORED_COLUMNS
from parity.reference import Reference
from parity.rounds.flags import flags, submit_to_round
from parity.rounds.rules import RULES, Flag
from parity.store import Store

Row = tuple[int, str, str, str, str | None, int]


def staff(*rows: Row) -> pd.DataFrame:
    """A canonical staffing frame from (year, entity, grade, gender, duty_station, headcount)
    tuples; the other optional dimensions empty, as the importer leaves them."""
    frame = pd.DataFrame(
        rows, columns=["year", "entity", "grade", "gender", "duty_station", "headcount"]
    )
    for column in STORED_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[list(STORED_COLUMNS)]
    return frame.astype({"year": "int16", "headcount": "int64"})


def grade(
    year: int, name: str, women: int, men: int, *, other: int = 0, station: str | None = "Geneva"
) -> list[Row]:
    """The rows of one grade of entity Alpha."""
    rows: list[Row] = [
        (year, "Alpha", name, "F", station, women),
        (year, "Alpha", name, "M", station, men),
    ]
    if other:
        rows.append((year, "Alpha", name, "X", station, other))
    return rows


def rules(found: list[Flag], rule: str | None = None) -> list[str]:
    return [f.rule for f in found if rule is None or f.rule == rule]


def only(found: list[Flag], rule: str) -> Flag:
    hits = [f for f in found if f.rule == rule]
    assert len(hits) == 1, found
    return hits[0]


# 1. headcount -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "flagged"),
    [
        (1199, False),  # |1199 - 1000| / 1000 = 19.9%
        (1200, False),  # 200 / 1000 = 20% exactly: not more than 20%
        (1201, True),  # 201 / 1000 = 20.1%
        (801, False),  # 199 / 1000 = 19.9% down
        (800, False),  # 200 / 1000 = 20% down exactly
        (799, True),  # 201 / 1000 = 20.1% down
    ],
)
def test_headcount_change_of_more_than_20_percent(
    reference: Reference, after: int, flagged: bool
) -> None:
    # one grade, men only: the women's share of the grade stays 0% and never moves
    previous = staff(*grade(2024, "P-3", 0, 1000))
    submitted = staff(*grade(2025, "P-3", 0, after))
    found = flags(submitted, previous, reference)
    assert rules(found) == (["headcount"] if flagged else [])
    if flagged:
        flag = found[0]
        assert (flag.entity, flag.figure, flag.before, flag.after) == (
            "Alpha",
            "headcount",
            1000,
            after,
        )
        assert "1,000 in 2024" in flag.message and f"{after:,} in 2025" in flag.message
        assert ("+20.1%" if after > 1000 else "-20.1%") in flag.message
        assert "more than 20%" in flag.message and "\n" not in flag.message


def test_a_grade_or_a_duty_station_changing_alone(reference: Reference) -> None:
    # the entity: 1,000 -> 881 (-11.9%, no headcount flag); its P-4 382 -> 263 (-31.2%, 119
    # people) flagged on its own; its D-1 5 -> 7 (+40%, but 2 people) not; Juba (the P-4)
    # likewise by duty station
    previous = staff(
        *grade(2024, "P-3", 300, 313),
        *grade(2024, "P-4", 167, 215, station="Juba"),
        *grade(2024, "D-1", 2, 3),
    )
    submitted = staff(
        *grade(2025, "P-3", 300, 311),
        *grade(2025, "P-4", 120, 143, station="Juba"),
        *grade(2025, "D-1", 3, 4),
    )
    found = flags(submitted, previous, reference)
    assert rules(found) == ["grade_headcount", "station_headcount"]
    grade_flag, station_flag = found
    assert (grade_flag.figure, grade_flag.before, grade_flag.after) == ("people in P-4", 382, 263)
    assert grade_flag.message == (
        "Alpha: grade P-4: 382 people in 2024 (167 women, 215 men) -> 263 in 2025 (120 women, "
        "143 men), -31.2%; a change of more than 20% and 10 people or more is flagged"
    )
    assert station_flag.message.startswith(
        "Alpha: duty station Juba: 382 people in 2024 (167 women, 215 men) -> 263 in 2025"
    )


def test_headcount_counts_every_gender(reference: Reference) -> None:
    # 100 -> 100 men + 21 other = 121 people: +21%
    previous = staff(*grade(2024, "P-3", 0, 100))
    submitted = staff(*grade(2025, "P-3", 0, 100, other=21))
    assert only(flags(submitted, previous, reference), "headcount").after == 121


def test_headcount_message_shows_enough_digits_near_the_threshold(reference: Reference) -> None:
    # 10,000 -> 12,004: +20.04%, which one decimal would show as "20.0%"
    previous = staff(*grade(2024, "P-3", 0, 10_000))
    submitted = staff(*grade(2025, "P-3", 0, 12_004))
    assert "+20.04%" in only(flags(submitted, previous, reference), "headcount").message


# 2 and 6. grades appearing or vanishing, grades never used ---------------------------------


def test_grade_appearing_that_the_entity_used_before_is_grade_new(reference: Reference) -> None:
    # P-2 published in 2023, not in 2024 (the latest year), back in 2025
    previous = staff(
        *grade(2023, "P-3", 0, 100), *grade(2023, "P-2", 0, 3), *grade(2024, "P-3", 0, 100)
    )
    submitted = staff(*grade(2025, "P-3", 0, 100), *grade(2025, "P-2", 1, 2))
    found = flags(submitted, previous, reference)
    assert rules(found) == ["grade_new"]
    flag = found[0]
    assert (flag.figure, flag.before, flag.after) == ("people in P-2", 0, 3)
    assert "P-2 has 3 people in 2025, none in 2024" in flag.message


def test_grade_never_used_replaces_grade_new(reference: Reference) -> None:
    # P-1 in no published year (2023, 2024): one flag, grade_never_used, not also grade_new
    previous = staff(*grade(2023, "P-3", 0, 100), *grade(2024, "P-3", 0, 100))
    submitted = staff(*grade(2025, "P-3", 0, 100), *grade(2025, "P-1", 1, 0))
    found = flags(submitted, previous, reference)
    assert rules(found) == ["grade_never_used"]
    flag = found[0]
    assert (flag.figure, flag.before, flag.after) == ("people in P-1", 0, 1)
    assert "P-1 has 1 person in 2025" in flag.message and "2023-2024" in flag.message


def test_grade_vanishing(reference: Reference) -> None:
    previous = staff(*grade(2024, "P-3", 0, 100), *grade(2024, "D-1", 1, 1))
    submitted = staff(*grade(2025, "P-3", 0, 100))
    found = flags(submitted, previous, reference)
    assert rules(found) == ["grade_gone"]
    assert (found[0].figure, found[0].before, found[0].after) == ("people in D-1", 2, 0)
    assert "D-1 had 2 people in 2024, none in 2025" in found[0].message


def test_a_grade_with_rows_of_nobody_is_not_a_grade_with_people(reference: Reference) -> None:
    previous = staff(*grade(2024, "P-3", 0, 100), *grade(2024, "D-1", 0, 0))
    submitted = staff(*grade(2025, "P-3", 0, 100), *grade(2025, "D-2", 0, 0))
    assert flags(submitted, previous, reference) == []


# 3. duty stations appearing or vanishing -------------------------------------------------


def test_duty_station_appearing_and_vanishing(reference: Reference) -> None:
    previous = staff(*grade(2024, "P-3", 0, 50), *grade(2024, "P-3", 0, 50, station="Nairobi"))
    submitted = staff(*grade(2025, "P-3", 0, 50), *grade(2025, "P-3", 0, 50, station="New York"))
    found = flags(submitted, previous, reference)
    assert rules(found) == ["station_new", "station_gone"]
    new, gone = found
    assert (new.figure, new.before, new.after) == ("people in New York", 0, 50)
    assert (gone.figure, gone.before, gone.after) == ("people in Nairobi", 50, 0)
    assert "New York has 50 people in 2025, none in 2024" in new.message
    assert "Nairobi had 50 people in 2024, none in 2025" in gone.message


def test_duty_stations_compared_only_when_both_files_have_them(reference: Reference) -> None:
    previous = staff(*grade(2024, "P-3", 0, 100, station=None))
    submitted = staff(*grade(2025, "P-3", 0, 100, station="Geneva"))
    assert flags(submitted, previous, reference) == []
    assert flags(previous.assign(year=2026), submitted, reference) == []


# 4. women's share of a grade -------------------------------------------------------------


@pytest.mark.parametrize(
    ("women_before", "flagged"),
    [
        (400, False),  # 400/1000 = 40.0% -> 450/1000 = 45.0%: 5.0 points, not more than 5
        (399, True),  # 399/1000 = 39.9% -> 45.0%: 5.1 points
    ],
)
def test_share_move_of_more_than_5_points(
    reference: Reference, women_before: int, flagged: bool
) -> None:
    previous = staff(*grade(2024, "P-3", women_before, 1000 - women_before))
    submitted = staff(*grade(2025, "P-3", 450, 550))
    found = flags(submitted, previous, reference)
    assert rules(found) == (["share_move"] if flagged else [])
    if flagged:
        flag = found[0]
        assert flag.figure == "women's share of P-3"
        assert flag.before == pytest.approx(0.399) and flag.after == pytest.approx(0.45)
        # the counts behind both shares; 399 of 1000 at 39.9% giving 450: far beyond chance
        assert (
            "39.9% in 2024 (399 women, 601 men) -> 45.0% in 2025 (450 women, 550 men), "
            "+5.1 points" in flag.message
        )


@pytest.mark.parametrize(
    ("women_after", "flagged"),
    [
        (450, False),  # 500/1000 = 50.0% -> 450/1000 = 45.0%: 5.0 points down
        (449, True),  # 50.0% -> 449/1000 = 44.9%: 5.1 points down
    ],
)
def test_share_move_down(reference: Reference, women_after: int, flagged: bool) -> None:
    previous = staff(*grade(2024, "P-3", 500, 500))
    submitted = staff(*grade(2025, "P-3", women_after, 1000 - women_after))
    found = flags(submitted, previous, reference)
    assert rules(found) == (["share_move"] if flagged else [])
    if flagged:
        assert ", -5.1 points;" in found[0].message


@pytest.mark.parametrize(
    ("women_after", "men_after", "flagged"),
    [
        # 10 of 20 (50%) -> 7 of 20 (35%), -15 points: a binomial test at 50% gives 7 or fewer
        # (or 13 or more) of 20 a chance of 26%: noise in a grade of 20, not flagged
        (7, 13, False),
        (7, 12, False),  # 7 of 19: 36%
        # 2 of 20 (10%): P(X <= 2) = (1 + 20 + 190) / 2**20 = 0.0002, twice 0.0004 < 1%
        (2, 18, True),
    ],
)
def test_share_move_only_beyond_chance_for_the_grades_size(
    reference: Reference, women_after: int, men_after: int, flagged: bool
) -> None:
    # P-3 stays at 1000 men so that the total (1020 -> 1019 or 1020) hardly changes
    previous = staff(*grade(2024, "P-3", 0, 1000), *grade(2024, "P-4", 10, 10))
    submitted = staff(*grade(2025, "P-3", 0, 1000), *grade(2025, "P-4", women_after, men_after))
    found = flags(submitted, previous, reference)
    assert rules(found) == (["share_move"] if flagged else [])
    if flagged:
        assert found[0].figure == "women's share of P-4"
        assert (
            "Alpha: women's share of grade P-4 50.0% in 2024 (10 women, 10 men) -> 10.0% in "
            "2025 (2 women, 18 men), -40.0 points" in found[0].message
        )


def test_share_is_women_over_women_and_men(reference: Reference) -> None:
    # 10 F + 10 M = 50%; then 10 F + 10 M + 5 X: still 10/(10+10) = 50%, not 10/25 = 40%
    previous = staff(*grade(2024, "P-3", 0, 1000), *grade(2024, "P-4", 10, 10))
    submitted = staff(*grade(2025, "P-3", 0, 1000), *grade(2025, "P-4", 10, 10, other=5))
    assert flags(submitted, previous, reference) == []


def test_other_is_left_out_of_the_share_test(reference: Reference) -> None:
    # 2 F + 17 M + 1 X: 2 of 19 women and men (10.5%) against 50%: 2P(X <= 2) = 0.0007
    previous = staff(*grade(2024, "P-3", 0, 1000), *grade(2024, "P-4", 10, 10))
    submitted = staff(*grade(2025, "P-3", 0, 1000), *grade(2025, "P-4", 2, 17, other=1))
    assert rules(flags(submitted, previous, reference)) == ["share_move"]


# 5. duty stations unknown to the reference ------------------------------------------------


def test_unknown_duty_station(reference: Reference) -> None:
    previous = staff(*grade(2024, "P-3", 0, 100))
    submitted = staff(*grade(2025, "P-3", 0, 95), *grade(2025, "P-3", 0, 5, station="Genva"))
    found = flags(submitted, previous, reference)
    assert rules(found) == ["station_new", "station_unknown"]
    flag = only(found, "station_unknown")
    assert (flag.figure, flag.before, flag.after) == ("people in Genva", None, 5)
    assert "'Genva' (5 people in 2025) is not in the reference list" in flag.message
    assert "did you mean" in flag.message and "Geneva" in flag.message


# first submission, latest years, several entities, clean ----------------------------------


@pytest.mark.parametrize("previous", [None, "empty", "other entity"])
def test_first_submission_only_checks_needing_no_history(
    reference: Reference, previous: str | None
) -> None:
    history = {
        None: None,
        "empty": staff(),
        "other entity": staff((2024, "Beta", "P-3", "M", "Geneva", 10)),
    }[previous]
    submitted = staff(*grade(2025, "P-3", 450, 550), *grade(2025, "P-1", 1, 0, station="Genva"))
    found = flags(submitted, history, reference)
    assert rules(found) == ["station_unknown"]


def test_latest_years_are_compared(reference: Reference) -> None:
    # previous 2023: 10 people, 2024: 100; submission 2024: 10 (ignored), 2025: 110 (+10%)
    previous = staff(*grade(2023, "P-3", 0, 10), *grade(2024, "P-3", 0, 100))
    submitted = staff(*grade(2024, "P-3", 0, 10), *grade(2025, "P-3", 0, 110))
    assert flags(submitted, previous, reference) == []
    # the other way round it would be +1000%
    submitted = staff(*grade(2025, "P-3", 0, 10), *grade(2024, "P-3", 0, 110))
    assert rules(flags(submitted, previous, reference)) == ["headcount"]


def test_each_entity_against_its_own_history(reference: Reference) -> None:
    previous = staff(
        (2024, "Alpha", "P-3", "M", "Geneva", 100), (2024, "Beta", "P-3", "M", "Geneva", 100)
    )
    submitted = staff(
        (2025, "Beta", "P-3", "M", "Geneva", 150), (2025, "Alpha", "P-3", "M", "Geneva", 100)
    )
    found = flags(submitted, previous, reference)
    assert [(f.entity, f.rule) for f in found] == [("Beta", "headcount")]
    assert found[0].message.startswith("Beta: headcount 100 in 2024 -> 150 in 2025 (+50.0%)")


def test_clean_submission_has_no_flags(reference: Reference) -> None:
    previous = staff(
        *grade(2023, "D-1", 2, 3),
        *grade(2023, "P-4", 20, 30),
        *grade(2024, "D-1", 2, 3),
        *grade(2024, "P-4", 20, 30, station="Nairobi"),
    )
    # 55 -> 60 people (+9.1%); P-4 40.0% -> 24/55 = 43.6% (+3.6 points); same grades, stations
    submitted = staff(*grade(2025, "D-1", 3, 2), *grade(2025, "P-4", 24, 31, station="Nairobi"))
    assert flags(submitted, previous, reference) == []


def test_everything_at_once_in_rule_order(reference: Reference) -> None:
    previous = staff(*grade(2024, "P-4", 10, 10), *grade(2024, "D-1", 1, 1))
    submitted = staff(
        *grade(2025, "P-4", 0, 40, station="New York"), *grade(2025, "P-1", 1, 0, station="Genva")
    )
    found = flags(submitted, previous, reference)
    assert rules(found) == [
        "headcount",  # 22 -> 41
        "grade_headcount",  # P-4 20 -> 40
        "grade_gone",  # D-1
        "station_new",  # Genva
        "station_new",  # New York
        "station_gone",  # Geneva
        "share_move",  # P-4 50% -> 0%
        "station_unknown",  # Genva
        "grade_never_used",  # P-1
    ]
    assert {f.rule for f in found} == set(RULES) - {"grade_new", "station_headcount"}
    assert all("\n" not in f.message for f in found)


def test_empty_submission(reference: Reference) -> None:
    assert flags(staff(), staff(*grade(2024, "P-3", 0, 10)), reference) == []


def test_a_flows_file_submitted_to_a_round_has_no_flags(
    store: Store, write: Callable[..., Path]
) -> None:
    # the checks compare staff counts: appointments, promotions and separations have none, even
    # beside published staff figures (a grade and a duty station the staff never had here)
    reference = store.reference()
    published = write(
        "staff.csv",
        "year,entity,grade,gender,duty_station,headcount\n"
        "2024,Alpha,P-3,F,Geneva,10\n2024,Alpha,P-3,M,Geneva,10\n",
    )
    store.import_parsed(parse_file(published, reference), who="test")
    number = store.open_round("r", date(2025, 12, 31), date(2026, 1, 31), ["Alpha"], "test")
    flows = parse_file(
        write(
            "flows.csv",
            "year,entity,grade,gender,duty_station,event,count\n"
            "2025,Alpha,P-4,F,Nairobi,appointment,2\n2025,Alpha,P-3,M,Geneva,separation,1\n",
        ),
        reference,
    )
    assert flows.kind == "flows"
    _batch, found = submit_to_round(store, number, flows, "test")
    assert found == {"Alpha": []}
    # still the round's submission (a draft until the round is published), with no flags
    assert [(s["entity"], s["status"], s["flags"]) for s in store.submissions(number)] == [
        ("Alpha", "submitted", [])
    ]


def test_a_file_beside_its_published_figures(tmp_path: Path) -> None:
    """The Data page's preview before an import or a submission (parity.rounds.preview)."""
    from parity.rounds.preview import compare_with_published

    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        e2e = Path(__file__).parent / "e2e" / "data" / "staff.csv"
        store.import_parsed(parse_file(e2e, store.reference()))
        path = tmp_path / "beta.csv"  # Beta 2026: a partial file, its P-3 missing
        path.write_text(
            "year,entity,grade,gender,headcount\n2026,Beta,P-4,F,6\n2026,Beta,P-4,M,5\n"
        )
        preview = compare_with_published(store, parse_file(path, store.reference()))
        assert preview is not None
        rows = preview.table.set_index("grade")
        # Beta 2025: P-4 5 women 5 men, P-3 9 and 6: 25 people (14, 11); the file: 11 (6, 5)
        assert rows.loc["all grades", ["before", "before_women", "before_men"]].tolist() == [
            25, 14, 11
        ]  # fmt: skip
        assert rows.loc["all grades", ["after", "after_women", "after_men"]].tolist() == [11, 6, 5]
        assert rows.loc["P-3", "before"] == 15 and pd.isna(rows.loc["P-3", "after"])
        assert list(rows.index) == ["all grades", "P-4", "P-3"]  # the ladder's order
        # what a round would flag: 25 -> 11 people (-56%), P-3 gone
        assert [f.rule for f in preview.flags["Beta"]] == ["headcount", "grade_gone"]
    finally:
        store.dispose()


def test_flags_are_kept_in_every_language(store: Store, write: Callable[..., Path]) -> None:
    """A steward submits in English; the board reads in French to a French reader (each flag is
    stored in every language parity speaks); flags too long for their column keep the
    submitter's language, then the first ones and how many more."""
    from parity import i18n
    from parity.rounds.board import round_board
    from parity.rounds.flags import FLAGS_ROOM, fit_flags

    reference = store.reference()
    published = write(
        "staff.csv",
        "year,entity,grade,gender,duty_station,headcount\n"
        "2024,Alpha,P-3,F,Geneva,10\n2024,Alpha,P-3,M,Geneva,10\n",
    )
    store.import_parsed(parse_file(published, reference), who="test")
    number = store.open_round("r", date(2025, 12, 31), date(2026, 1, 31), ["Alpha"], "test")
    # 20 people -> 40: the headcount flag (+100%; P-3 is the only grade: no grade flag)
    staff_file = write(
        "alpha.csv",
        "year,entity,grade,gender,duty_station,headcount\n"
        "2025,Alpha,P-3,F,Geneva,20\n2025,Alpha,P-3,M,Geneva,20\n",
    )
    _batch, found = submit_to_round(store, number, parse_file(staff_file, reference), "sam")
    assert found["Alpha"][0] == (
        "Alpha: headcount 20 in 2024 -> 40 in 2025 (+100.0%); a change of more than 20% is flagged"
    )
    board = round_board(store, number)
    assert board.loc[0, "to check"].split("\n")[0] == found["Alpha"][0]
    assert board.loc[0, "flags"] == len(found["Alpha"]) == 1  # one grade: no grade flag
    with i18n.using("fr"):
        french = round_board(store, number).loc[0, "to check"].split("\n")[0]
    assert french.replace("\xa0", " ") == (
        "Alpha : effectif de 20 en 2024 -> 40 en 2025 (+100,0 %) ; une variation de plus de 20 % "
        "est signalée"
    )
    # too long for the column: one language, then the first ones and a count of the rest
    many = [{"en": f"flag {i} " + "x" * 200, "fr": f"signal {i} " + "x" * 200} for i in range(60)]
    fitted = fit_flags(many)
    assert len(json.dumps(fitted, ensure_ascii=False)) <= FLAGS_ROOM
    assert all(isinstance(item, str) for item in fitted)
    assert (
        fitted[0].startswith("flag 0 ") and fitted[-1] == f"… and {60 - len(fitted) + 1} more flags"
    )
    assert fit_flags(many[:2]) == many[:2]  # short: every language kept
