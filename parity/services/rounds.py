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


def set_published(
    store: Store, actor: User, round_id: int, published: bool, *, min_cell: int
) -> None:
    """Publish a round (its submissions become what everyone sees) or unpublish it."""
    check_runs_rounds(actor)
    store.set_published(round_id, published, actor.name)
    framecache.refresh(store, min_cell)
