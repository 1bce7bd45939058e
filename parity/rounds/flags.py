"""A submission's flags, and submitting a file to a round with them.

``flags(submitted, previous, reference)`` compares, per entity in the submission, the
submission's latest year with the latest year of that entity's previously published rows. Both
are canonical staffing frames (``parity.ingest.parse_file(...).frame``). The rules are listed in
parity.rounds.rules, each checked by its own function in parity.rounds.checks; an entity's flags
come in the order of ``RULES``. ``submit_to_round`` stores a checked file as a round's
submission, with each entity's flags.
"""

from __future__ import annotations

import json

import pandas as pd

from parity import i18n
from parity.i18n import _, ngettext
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
    stored: dict[str, list[dict[str, str]]] = {entity: [] for entity in entities}
    if parsed.kind == "staff":  # the checks compare staff counts: flows and targets have none
        for entity in entities:
            before = load_frame(store, [entity])  # published figures
            mine = parsed.frame[parsed.frame["entity"] == entity]
            stored[entity] = _in_every_language(mine, before, store.reference())
            found[entity] = [flag_text(item) for item in stored[entity]]
    submission = Submission(round_id, who, {e: fit_flags(items) for e, items in stored.items()})
    batch = store.import_parsed(parsed, progress=progress, who=who, submission=submission)
    return batch, found


def _in_every_language(
    mine: pd.DataFrame, before: pd.DataFrame, reference: Reference
) -> list[dict[str, str]]:
    """An entity's flags, each as its message in every language parity speaks ({"en": …,
    "fr": …}): the Rounds page shows each reader their own."""
    by_language = {}
    for code in i18n.LANGUAGES:
        with i18n.using(code):
            found = flags(mine, before if len(before) else None, reference)
            by_language[code] = [f.message for f in found]
    return [
        {code: by_language[code][i] for code in i18n.LANGUAGES}
        for i in range(len(by_language[i18n.DEFAULT]))
    ]


FLAGS_ROOM = 7900
"""The characters a submission's flags may take in the store (its column holds 8000)."""


def fit_flags(items: list[dict[str, str]]) -> list[dict[str, str]] | list[str]:
    """Flags as stored: in every language when they fit the column, else in the submitter's
    language only; if even that is too long, the first ones and a last line saying how many
    more there are."""
    if len(json.dumps(items, ensure_ascii=False)) <= FLAGS_ROOM:
        return items
    texts = [flag_text(item) for item in items]
    kept: list[str] = []
    for i, text in enumerate(texts):
        more = len(texts) - i
        note = ngettext("… and {n} more flag", "… and {n} more flags", more).format(n=more)
        if len(json.dumps([*kept, text, note], ensure_ascii=False)) > FLAGS_ROOM:
            return [*kept, note]
        kept.append(text)
    return kept


def flag_text(item: str | dict[str, str]) -> str:
    """A stored flag in the reader's language (a flag stored before flags were kept in every
    language is the text it was written in)."""
    if isinstance(item, str):
        return item
    return item.get(i18n.language()) or item.get(i18n.DEFAULT) or next(iter(item.values()), "")
