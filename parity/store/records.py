"""What the store gives back and takes: typed records, not rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from parity import i18n
from parity.i18n import _
from parity.wording import plural


@dataclass(frozen=True)
class UserRecord:
    """A user as stored: role, entities of its scope, argon2 hash (None: signs in through the
    identity provider) and the version its sessions must carry."""

    name: str
    role: str
    entities: tuple[str, ...]
    password_hash: str | None
    session_version: int


class Failures(NamedTuple):
    """Failed sign-ins in a window (see Store.sign_in_failures)."""

    account: int  # for the name, from clients without its device cookie
    account_address: int  # for the name, from the address
    address: int  # from the address, clients without a device cookie
    device: int  # from the device cookie presented
    account_day: int  # for the name, from clients without its device cookie, in the last day


class StoreVersion(NamedTuple):
    """The state of the store's figures: what a frame or a cached view was made from. Each
    part only grows while the store lives (a removed batch's number is never given again), so
    a new state never takes an old one's name."""

    batches: int
    latest_batch: int
    publications: int  # publications and unpublications of rounds
    submissions: int  # submission rows of rounds


@dataclass(frozen=True)
class BatchInfo:
    id: int
    kind: str
    file_name: str
    sha256: str
    imported_at: datetime
    source_rows: int
    stored_rows: int
    entities: int
    years: str

    def summary(self) -> str:
        """'12 rows read, 24 counts stored, 1 entity, years 2024-2025'."""
        # Translators: '12 rows read', '24 counts stored', '1 entity' and the years ('2024-2025')
        return _("{rows}, {counts}, {entities}, years {years}").format(
            rows=plural(self.source_rows, "{n} row read", "{n} rows read"),
            counts=plural(self.stored_rows, "{n} count stored", "{n} counts stored"),
            entities=plural(self.entities, "{n} entity", "{n} entities"),
            years=self.years,
        )

    def audit_words(self) -> str:
        """What the audit records of an import: 'batch 3: staff.csv, 12 rows read, …', always
        in English (the audit is one record for every reader, whatever their language)."""
        with i18n.using("en"):
            return f"batch {self.id}: {self.file_name}, {self.summary()}"


@dataclass(frozen=True)
class Submission:
    """A batch submitted to a round: the round, who submitted it, and each entity's flags (the
    messages of what looks like a mistake, computed before the batch is written: each a text,
    or its text in every language, {"en": …, "fr": …})."""

    round_id: int
    by: str
    flags: Mapping[str, Sequence[str | Mapping[str, str]]]
