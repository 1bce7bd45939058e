"""A reporting round's changes of state: opening it, confirming a flagged submission,
publishing and unpublishing it. Administrators run rounds; an entity's data stewards confirm
its figures. Each change and its audit record are one transaction; a publication or its undoing
leaves the dashboard's frames and public publication ready for the new state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from parity import framecache
from parity.auth import User
from parity.errors import ParityError
from parity.i18n import _
from parity.store import Store

RUNNERS = ("admin", "local")
"""Who opens, publishes and unpublishes rounds (local: the person at a loopback server whose
settings allow uploads; the command line acts as an administrator)."""


class Unready(ParityError):
    """A publication that would pass over unconfirmed flags or entities that submitted
    nothing: asked again with force, it goes ahead."""


def check_runs_rounds(actor: User) -> None:
    if actor.role not in RUNNERS:
        raise ParityError(_("only administrators open, publish and unpublish rounds"))


def may_confirm(actor: User, entity: str) -> bool:
    """Administrators, and the entity's data stewards, confirm its flagged figures."""
    return actor.role in RUNNERS or (actor.role == "steward" and entity in actor.entities)


def open_round(
    store: Store, actor: User, name: str, as_of: date, due: date, entities: Sequence[str]
) -> int:
    check_runs_rounds(actor)
    if not name or not entities:
        raise ParityError(_("a round needs a name, an as-of date and a due date"))
    return store.open_round(name, as_of, due, entities, actor.name)


def confirm(store: Store, actor: User, round_id: int, entity: str) -> None:
    if not may_confirm(actor, entity):
        raise ParityError(
            _("only {entity}'s data stewards confirm its figures").format(entity=entity)
        )
    store.confirm(round_id, entity, actor.name)


def unready(store: Store, round_id: int) -> dict[str, list[str]]:
    """What a round's publication would pass over: entities whose flagged figures nobody
    confirmed (``flagged``), and entities with nothing submitted (``missing``: not started or
    late)."""
    from parity.rounds.board import round_board

    board = round_board(store, round_id)
    return {
        "flagged": [str(e) for e in board.loc[board["status"] == "flagged", "entity"]],
        "missing": [
            str(e) for e in board.loc[board["status"].isin(["not started", "late"]), "entity"]
        ],
    }


def unready_words(found: dict[str, list[str]]) -> str:
    """'flagged figures not confirmed: Alpha; nothing submitted: Gamma' ('' when ready)."""
    parts = []
    if found["flagged"]:
        parts.append(
            _("flagged figures not confirmed: {entities}").format(
                entities=", ".join(found["flagged"])
            )
        )
    if found["missing"]:
        parts.append(
            _("nothing submitted: {entities}").format(entities=", ".join(found["missing"]))
        )
    return "; ".join(parts)  # fmt: skip


def set_published(
    store: Store,
    actor: User,
    round_id: int,
    published: bool,
    *,
    min_cell: int,
    force: bool = False,
) -> None:
    """Publish a round (its submissions become what everyone sees) or unpublish it. A round
    with flagged figures nobody confirmed, or entities that submitted nothing, is published
    only when asked again with ``force`` (the error says which entities)."""
    check_runs_rounds(actor)
    if published and not force:
        waiting = unready_words(unready(store, round_id))
        if waiting:
            raise Unready(
                _("round {id} is not ready to publish: {waiting}").format(
                    id=round_id, waiting=waiting
                )
            )
    store.set_published(round_id, published, actor.name)
    framecache.refresh(store, min_cell)
