"""Users and their roles: adding, changing and removing them. Administrators only (the command
line acts as one); each change and its audit record are one transaction, and a change of role,
entities or password, or a removal, ends the user's sessions (parity.store)."""

from __future__ import annotations

from collections.abc import Sequence

from parity.auth import User, check_role
from parity.errors import ParityError
from parity.store import Store


def check_manages_users(actor: User) -> None:
    if actor.role != "admin":
        raise ParityError("only administrators manage users")


def put_user(
    store: Store,
    actor: User,
    name: str,
    role: str,
    entities: Sequence[str],
    password_hash: str | None,
) -> None:
    """Add a user, or change one's role, entities (and password when one is given)."""
    check_manages_users(actor)
    check_role(role, entities)
    store.put_user(name, role, entities, password_hash, who=actor.name)


def remove_user(store: Store, actor: User, name: str) -> None:
    check_manages_users(actor)
    if not store.remove_user(name, who=actor.name):
        raise ParityError(f"no user {name!r}")


def provision(store: Store, issuer: str, name: str, role: str, entities: Sequence[str]) -> None:
    """A user as the organisation's identity provider describes them at sign-in (role and
    entities read from its claims, parity.web.oidc): added or changed with its audit record,
    recorded as the provider's change (``oidc:<issuer>``); a change ends their sessions."""
    store.put_user(name, role, entities, None, who=f"oidc:{issuer}")
