"""Reporting rounds in the store: opening, submissions, confirmations, publication."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    insert,
    select,
    update,
)

from parity.errors import ParityError
from parity.i18n import _
from parity.store.core import StoreBase
from parity.store.models import RoundRow, SubmissionRow
from parity.store.sql import _add_audit


class Rounds(StoreBase):
    # -- reporting rounds ------------------------------------------------------------------
    def open_round(
        self, name: str, as_of: date, due: date, entities: Sequence[str], by: str
    ) -> int:
        """Open a round; its number."""
        import json

        with self._writing() as conn:
            result = conn.execute(
                insert(RoundRow).values(
                    name=name,
                    as_of=as_of,
                    due=due,
                    entities=json.dumps(sorted(entities), ensure_ascii=False),
                    opened_at=datetime.now(UTC),
                    opened_by=by,
                    published_at=None,
                    revision=0,
                )
            )
            number = int(result.inserted_primary_key[0])  # type: ignore[index]
            _add_audit(conn, by, "round opened", f"round {number}: {name}, due {due}")
            return number

    def rounds(self) -> list[dict[str, Any]]:
        """Every round, newest first: id, name, as_of, due, entities, opened_at, published_at."""
        import json

        with self.engine.connect() as conn:
            rows = conn.execute(select(RoundRow).order_by(RoundRow.id.desc())).mappings().all()
        out = []
        for row in rows:
            record = dict(row)
            record["entities"] = json.loads(record["entities"])
            out.append(record)
        return out

    def round(self, round_id: int) -> dict[str, Any]:
        found = [r for r in self.rounds() if r["id"] == round_id]
        if not found:
            raise ParityError(_("no round {round}; see parity rounds list").format(round=round_id))
        return found[0]

    def submissions(self, round_id: int) -> list[dict[str, Any]]:
        """Each entity's latest submission to a round (batch, by, when, status, flags)."""
        import json

        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(SubmissionRow)
                    .where(SubmissionRow.round_id == round_id)
                    .order_by(SubmissionRow.batch_id)
                )
                .mappings()
                .all()
            )
        latest: dict[str, dict[str, Any]] = {}
        for row in rows:
            record = dict(row)
            record["flags"] = json.loads(record["flags"])
            latest[record["entity"]] = record
        return [latest[e] for e in sorted(latest)]

    def confirm(self, round_id: int, entity: str, who: str) -> None:
        """The steward confirms a flagged submission: the figures are right (with its audit
        record, in one transaction)."""
        latest = [s for s in self.submissions(round_id) if s["entity"] == entity]
        if not latest:
            raise ParityError(
                _("{entity} has no submission in round {round}").format(
                    entity=entity, round=round_id
                )
            )
        with self._writing() as conn:
            conn.execute(
                update(SubmissionRow)
                .where(SubmissionRow.batch_id == latest[0]["batch_id"])
                .where(SubmissionRow.entity == entity)
                .values(status="confirmed")
            )
            _add_audit(conn, who, "submission confirmed", f"round {round_id}: {entity}")

    def draft_entities(self) -> set[str]:
        """Entities with figures submitted to a round not yet published."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(SubmissionRow.entity)
                .join(RoundRow, RoundRow.id == SubmissionRow.round_id)
                .where(RoundRow.published_at.is_(None))
                .distinct()
            ).all()
        return {str(e) for (e,) in rows}

    def draft_batches(self) -> dict[int, set[str]]:
        """Batches submitted to rounds not yet published, with their entities."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(SubmissionRow.batch_id, SubmissionRow.entity)
                .join(RoundRow, RoundRow.id == SubmissionRow.round_id)
                .where(RoundRow.published_at.is_(None))
            ).all()
        drafts: dict[int, set[str]] = {}
        for batch_id, entity in rows:
            drafts.setdefault(int(batch_id), set()).add(str(entity))
        return drafts

    def set_published(self, round_id: int, published: bool, who: str) -> None:
        """Publish a round (its submissions become the figures everyone sees, at once) or
        unpublish it (the previous published figures come back), with its audit record in
        the same transaction. Nothing is deleted."""
        self.round(round_id)
        with self._writing() as conn:
            conn.execute(
                update(RoundRow)
                .where(RoundRow.id == round_id)
                .values(
                    published_at=datetime.now(UTC) if published else None,
                    revision=RoundRow.revision + 1,
                )
            )
            action = "round published" if published else "round unpublished"
            _add_audit(conn, who, action, f"round {round_id}")
