"""Batches in the store: listing, removing, column mappings, the store's version."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    delete,
    func,
    insert,
    select,
)

from parity.store.core import StoreBase
from parity.store.models import (
    DEMO_PREFIX,
    Batch,
    BatchScope,
    ColumnMapping,
    Count,
    FlowCount,
    RoundRow,
    SubmissionRow,
    Target,
)
from parity.store.records import BatchInfo, StoreVersion
from parity.store.sql import _add_audit, _batch_info


class Batches(StoreBase):
    def saved_mapping(self, signature: str) -> dict[str, str] | None:
        """The column mapping saved for files whose header has this signature, if any."""
        import json

        with self.engine.connect() as conn:
            text = conn.execute(
                select(ColumnMapping.mapping).where(ColumnMapping.signature == signature)
            ).scalar_one_or_none()
        return None if text is None else {str(k): str(v) for k, v in json.loads(text).items()}

    def save_mapping(self, signature: str, mapping: dict[str, str]) -> None:
        """Remember a column mapping for files whose header has this signature."""
        import json

        with self._writing() as conn:
            conn.execute(delete(ColumnMapping).where(ColumnMapping.signature == signature))
            conn.execute(
                insert(ColumnMapping).values(
                    signature=signature,
                    mapping=json.dumps(mapping, ensure_ascii=False, sort_keys=True),
                    saved_at=datetime.now(UTC),
                )
            )

    def batch_entities(self, batch_id: int) -> list[str]:
        """The entities a batch holds figures for."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(BatchScope.entity)
                .where(BatchScope.batch_id == batch_id)
                .distinct()
                .order_by(BatchScope.entity)
            ).all()
        return [str(e) for (e,) in rows]

    def entity_names(self) -> list[str]:
        """Every entity any batch has held, as it was first spelled (an import matches its
        entities to these, ignoring case, accents and spacing)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(BatchScope.entity, func.min(BatchScope.batch_id))
                .group_by(BatchScope.entity)
                .order_by(func.min(BatchScope.batch_id))
            ).all()
        return [str(entity) for entity, _ in rows]

    def batches(self) -> list[BatchInfo]:
        with self.engine.connect() as conn:
            ids = conn.execute(select(Batch.id).order_by(Batch.id)).scalars().all()
        return [self.batch(i) for i in ids]

    def remove_batch(self, batch_id: int, who: str | None = None) -> BatchInfo:
        """Delete a batch, its rows and its round submissions; rows it superseded become active
        again. Under the write lock, like an import: the batch is looked up in the transaction
        that deletes it, and the audit record (``who``) is written in it."""
        with self._writing() as conn:
            info = _batch_info(conn, batch_id)
            for model in (Count, FlowCount, Target, SubmissionRow):
                conn.execute(delete(model).where(model.batch_id == batch_id))
            conn.execute(delete(BatchScope).where(BatchScope.batch_id == batch_id))
            conn.execute(delete(Batch).where(Batch.id == batch_id))
            if who is not None:
                _add_audit(conn, who, "batch removed", f"batch {info.id}: {info.file_name}")
        return info

    def holds_demo_data(self) -> bool:
        """True when a batch of the bundled synthetic demo data is in the store."""
        return any(b.file_name.startswith(DEMO_PREFIX) for b in self.batches())

    def version(self) -> StoreVersion:
        """Changes whenever a batch is added or removed, a round published or unpublished, or
        a submission recorded (see StoreVersion)."""
        # one statement, one round trip: every request of the dashboard asks it
        batches = select(func.count(Batch.id)).scalar_subquery()
        top = select(func.max(Batch.id)).scalar_subquery()
        published = select(func.coalesce(func.sum(RoundRow.revision), 0)).scalar_subquery()
        submitted = select(func.count()).select_from(SubmissionRow).scalar_subquery()
        with self.engine.connect() as conn:
            row = conn.execute(select(batches, top, published, submitted)).one()
        return StoreVersion(int(row[0]), int(row[1] or 0), int(row[2]), int(row[3]))
