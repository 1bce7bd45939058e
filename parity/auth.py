"""Who sees and changes what: roles scoped to entities, and the one place where a user's scope
becomes the privacy rule of a request.

- **public** (no sign-in, when the deployment allows it) and **viewer**: the public view, every
  figure under the small-cell rule;
- **focal_point**: exact figures for the entities assigned, the public view of every other;
- **steward**: a focal point who may also import and remove batches of their entities;
- **admin**: everything, users and roles.

Without sign-in (a server on loopback for the person at the keyboard) everyone is **local**:
the rule the settings give (public mode by default), uploads as the settings allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parity.errors import ParityError
from parity.i18n import N_, _
from parity.privacy import PrivacyRule

ROLES = ("viewer", "focal_point", "steward", "admin")
ROLE_WORDS = {
    "public": N_("public view"),
    "local": N_("this computer"),
    "viewer": N_("viewer"),
    "focal_point": N_("focal point"),
    "steward": N_("data steward"),
    "admin": N_("administrator"),
}
"""A role in words, in English: show it through ``_`` (the request's language)."""


@dataclass(frozen=True)
class User:
    """A signed-in user (or the anonymous public, or the person at a loopback server)."""

    name: str
    role: str
    entities: tuple[str, ...] = ()

    @property
    def scoped(self) -> bool:
        """Exact figures for some entities (focal points and stewards)."""
        return self.role in ("focal_point", "steward")

    def covers(self, entities: Iterable[str]) -> bool:
        """Whether every one of ``entities`` is in this user's scope (admins: all)."""
        wanted = set(entities)
        if self.role == "admin":
            return True
        return self.scoped and bool(wanted) and wanted <= set(self.entities)

    @property
    def can_import(self) -> bool:
        return self.role in ("steward", "admin")

    def describe(self) -> str:
        """'Signed in as ana (focal point): exact figures for UNDP, UNFPA; the public view of
        other entities.'"""
        if self.role in ("public", "local"):
            return ""
        words = _(ROLE_WORDS.get(self.role, self.role))
        if self.role == "admin":
            return _("Signed in as {name} ({role}): exact figures for every entity.").format(
                name=self.name, role=words
            )
        if self.scoped:
            return _(
                "Signed in as {name} ({role}): exact figures for {entities}; the public view "
                "of other entities."
            ).format(
                name=self.name, role=words, entities=", ".join(self.entities) or _("no entity")
            )
        return _("Signed in as {name} ({role}): the public view.").format(
            name=self.name, role=words
        )


PUBLIC = User("public", "public")
LOCAL = User("local", "local")


def rule_for(user: User, entities: Sequence[str], public: PrivacyRule) -> PrivacyRule:
    """The privacy rule of a request: exact figures when the selection's entities are all in
    the user's scope (a selection of no entity is every entity: exact for admins only), else
    the public rule. Every figure of every page, download and briefing goes through here."""
    if user.role == "admin" or (entities and user.covers(entities)):
        return PrivacyRule(0)
    return public


def check_role(role: str, entities: Sequence[str]) -> None:
    if role not in ROLES:
        raise ParityError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    if role in ("focal_point", "steward") and not entities:
        raise ParityError(f"a {ROLE_WORDS[role]} needs at least one entity (--entity NAME)")


def hash_password(password: str, user_name: str) -> str:
    """An argon2id hash of ``user_name``'s password (the password itself is never stored or
    logged); ParityError with the reason when parity.passwords refuses it (too short, common,
    containing the user name, repetitive or sequential)."""
    from argon2 import PasswordHasher

    from parity.passwords import password_problem

    problem = password_problem(password, user_name)
    if problem is not None:
        raise ParityError(problem)
    return PasswordHasher().hash(password)


def password_matches(hashed: str | None, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import Argon2Error, InvalidHashError

    if not hashed:
        return False
    try:
        return PasswordHasher().verify(hashed, password)
    except (Argon2Error, InvalidHashError):
        return False
