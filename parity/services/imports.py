"""Importing a checked file (or submitting it to a round) and removing a batch.

The command line (``parity import``, ``parity batches --remove``) and the Data page call these,
so both check the same permissions, write the batch, its round submission and its audit record
in one transaction (parity.store), and leave the dashboard's frames and public publication
ready for the new state (parity.framecache): no reader's request waits for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from parity import framecache
from parity.auth import User
from parity.errors import ParityError
from parity.i18n import _
from parity.ingest import ParsedFile
from parity.store import BatchInfo, Store

CHANGERS = ("admin", "steward", "local")
"""Roles that import and remove batches (local: the person at a loopback server whose
settings allow uploads; the command line acts as an administrator: it holds the store)."""


@dataclass(frozen=True)
class Imported:
    """A batch written: the batch, and for a round's submission the round and each entity's
    flags (what looks like a mistake, to confirm)."""

    batch: BatchInfo
    round_id: int | None = None
    flags: dict[str, list[str]] = field(default_factory=dict)


def check_may_change(actor: User, entities: Iterable[str]) -> None:
    """Refuse (ParityError) an actor who may not change the figures of ``entities``: only
    administrators and data stewards (of their own entities) import and remove batches."""
    if actor.role not in CHANGERS:
        raise ParityError(_("Only data stewards and administrators import and remove batches."))
    if actor.role != "steward":
        return
    others = sorted(set(map(str, entities)) - set(actor.entities))
    if others:
        raise ParityError(
            _(
                "Refused: it holds figures of {others}, outside your entities ({yours}); "
                "nothing was changed."
            ).format(others=", ".join(others), yours=", ".join(actor.entities))
        )


def import_file(
    store: Store,
    parsed: ParsedFile,
    actor: User,
    *,
    min_cell: int,
    round_id: int | None = None,
    save_mapping: bool = False,
    progress: bool = False,
) -> Imported:
    """Write a checked file as a batch (``round_id``: as that round's submission, a draft
    until the round is published), with its audit record in the same transaction; then the
    frames and the public publication of ``min_cell`` for the new state."""
    check_may_change(actor, parsed.frame["entity"].unique())
    if round_id is not None:
        from parity.rounds.flags import submit_to_round

        batch, flags = submit_to_round(store, round_id, parsed, actor.name, progress=progress)
        imported = Imported(batch, round_id, flags)
        framecache.refresh(store, min_cell)  # a draft: the published frames are unchanged
    else:
        before = store.version()
        batch = store.import_parsed(parsed, progress=progress, who=actor.name)
        imported = Imported(batch)
        # the new frames from the old ones and the batch, without reading the store again
        framecache.after_import(store, before, batch, parsed.frame)
        if min_cell > 1:
            framecache.publication(store, store.version(), min_cell)
    if save_mapping and parsed.mapping:
        store.save_mapping(parsed.signature, dict(parsed.mapping))
    return imported


def remove_batch(store: Store, actor: User, batch_id: int, *, min_cell: int) -> BatchInfo:
    """Remove a batch (the figures it replaced come back), its audit record in the same
    transaction; then the frames and the public publication of the new state."""
    check_may_change(actor, store.batch_entities(batch_id))
    info = store.remove_batch(batch_id, who=actor.name)
    framecache.refresh(store, min_cell)
    return info
