"""A submission's flags, and submitting a file to a round with them.

``flags(submitted, previous, reference)`` compares, per entity in the submission, the
submission's latest year with the latest year of that entity's previously published rows. Both
are canonical staffing frames (``parity.ingest.parse_file(...).frame``). The rules are listed in
parity.rounds.rules, each checked by its own function in parity.rounds.checks; an entity's flags
come in the order of ``RULES``. ``submit_to_round`` stores a checked file as a round's
submission, with each entity's flags.
"""

from __future__ import annotations

import pandas as pd

from parity.i18n import _
from parity.ingest import ParsedFile
from parity.reference import Reference
from parity.rounds.checks import (
    grade_gone_flags,
    grade_never_used_flags,
    grade_new_flags,
    headcount_flags,
    place_headcount_flags,
    share_move_flags,
    station_flags,
    station_unknown_flags,
)
from parity.rounds.comparison import Comparison, latest_year
from parity.rounds.rules import RULES, Flag
from parity.store import BatchInfo, Store


def _entity_flags(
    entity: str, submitted: pd.DataFrame, history: pd.DataFrame, reference: Reference
) -> list[Flag]:
    """One entity's flags, in the order of ``RULES``: only unknown duty stations when it has no
    published rows (``history`` empty)."""
    year, now = latest_year(submitted)
    unknown = station_unknown_flags(entity, year, now, reference)
    if history.empty:
        return unknown
    comparison = Comparison.of(entity, year, now, history, reference)
    out = [
        *headcount_flags(comparison),
        *place_headcount_flags(comparison, stations=False),
        *place_headcount_flags(comparison, stations=True),
        *grade_new_flags(comparison),
        *grade_never_used_flags(comparison),
        *grade_gone_flags(comparison),
        *station_flags(comparison, appearing=True),
        *station_flags(comparison, appearing=False),
        *share_move_flags(comparison),
        *unknown,
    ]
    return sorted(out, key=lambda f: RULES.index(f.rule))


def flags(
    submitted: pd.DataFrame, previous: pd.DataFrame | None, reference: Reference
) -> list[Flag]:
    """What looks like a mistake in a submission, per entity in the order they come in
    ``submitted``, per rule in the order of ``RULES``: its latest year compared with the latest
    year of the entity's rows in ``previous`` (the previously published figures, of any years;
    None or empty for a first submission)."""
    out: list[Flag] = []
    if submitted.empty:
        return out
    for entity in pd.unique(submitted["entity"]):
        mine = submitted[submitted["entity"] == entity]
        history = (
            previous[previous["entity"] == entity]
            if previous is not None and not previous.empty
            else submitted.iloc[0:0]
        )
        out.extend(_entity_flags(str(entity), mine, history, reference))
    return out


def submit_to_round(
    store: Store, round_id: int, parsed: ParsedFile, who: str, progress: bool = False
) -> tuple[BatchInfo, dict[str, list[str]]]:
    """Import a validated file as a round's submission: refused (nothing stored) when the round
    is published or the file holds an entity not taking part; else each entity's figures are
    compared with its last published ones (the flags: a staffing file's only; a flows or targets
    file has none, each entity's list empty), then the batch, its submission rows with the flags
    and the audit records are written in one transaction (``Store.import_parsed``): a process
    stopped at any point leaves nothing or a whole draft. Returns the batch and each entity's
    flags."""
    from parity.errors import ParityError
    from parity.frame import load_frame
    from parity.store import Submission

    info = store.round(round_id)
    if info["published_at"] is not None:
        raise ParityError(
            _("round {round} is published: unpublish it to submit").format(round=round_id)
        )
    entities = sorted(map(str, parsed.frame["entity"].unique()))
    outside = sorted(set(entities) - set(info["entities"]))
    if outside:
        raise ParityError(
            _("{file}: {entities} not in round {round}; nothing was imported").format(
                file=parsed.file_name, entities=", ".join(outside), round=round_id
            )
        )
    found: dict[str, list[str]] = {entity: [] for entity in entities}
    if parsed.kind == "staff":  # the checks compare staff counts: flows and targets have none
        for entity in entities:
            before = load_frame(store, [entity])  # published figures
            mine = parsed.frame[parsed.frame["entity"] == entity]
            found[entity] = [
                f.message for f in flags(mine, before if len(before) else None, store.reference())
            ]
    batch = store.import_parsed(
        parsed, progress=progress, who=who, submission=Submission(round_id, who, found)
    )
    return batch, found
