"""Users, sign-in failures and the audit log in the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    delete,
    func,
    insert,
    literal,
    select,
    update,
)

from parity.store.core import StoreBase
from parity.store.models import AuditRow, SignInFailure, UserRow
from parity.store.records import Failures, UserRecord
from parity.store.sql import _add_audit


class People(StoreBase):
    # -- users and the audit -------------------------------------------------------------
    def users(self) -> list[tuple[str, str, tuple[str, ...], bool]]:
        """(name, role, entities, has a local password) of every user, by name."""
        import json

        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    UserRow.name, UserRow.role, UserRow.entities, UserRow.password_hash
                ).order_by(UserRow.name)
            ).all()
        return [(n, r, tuple(json.loads(e)), p is not None) for n, r, e, p in rows]

    def user(self, name: str) -> UserRecord | None:
        """A user's role, entities, password hash and session version, or None."""
        import json

        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    UserRow.role, UserRow.entities, UserRow.password_hash, UserRow.session_version
                ).where(UserRow.name == name)
            ).first()
        if row is None:
            return None
        return UserRecord(name, str(row[0]), tuple(json.loads(row[1])), row[2], int(row[3]))

    def put_user(
        self,
        name: str,
        role: str,
        entities: Sequence[str],
        password_hash: str | None,
        who: str | None = None,
    ) -> None:
        """Add a user, or change one's role and entities (and password, when one is given). A
        change of role, entities or password ends the user's sessions (see end_sessions). With
        ``who``, the audit record ("user added" or "user changed") in the same transaction."""
        import json

        scope = f" for {', '.join(entities)}" if entities else ""
        with self._writing() as conn:
            existing = conn.execute(
                select(UserRow.role, UserRow.entities).where(UserRow.name == name)
            ).first()
            values: dict[str, Any] = {
                "role": role,
                "entities": json.dumps(list(entities), ensure_ascii=False),
            }
            if existing is None:
                conn.execute(
                    insert(UserRow).values(
                        name=name,
                        password_hash=password_hash,
                        created_at=datetime.now(UTC),
                        session_version=0,
                        **values,
                    )
                )
                if who is not None:
                    _add_audit(conn, who, "user added", f"{name}: {role}{scope}")
                return
            changed = (existing[0], existing[1]) != (values["role"], values["entities"])
            if password_hash is not None:
                values["password_hash"] = password_hash
                changed = True
            if changed:
                values["session_version"] = UserRow.session_version + 1
            conn.execute(update(UserRow).where(UserRow.name == name).values(**values))
            if who is not None:
                _add_audit(conn, who, "user changed", f"{name}: {role}{scope}")

    def end_sessions(self, name: str) -> None:
        """End every session of a user (sign-out): each session carries the user's session
        version, which this raises."""
        with self._writing() as conn:
            conn.execute(
                update(UserRow)
                .where(UserRow.name == name)
                .values(session_version=UserRow.session_version + 1)
            )

    def remove_user(self, name: str, who: str | None = None) -> bool:
        """Remove a user (their sessions end with them), with the audit record (``who``)."""
        with self._writing() as conn:
            removed = bool(conn.execute(delete(UserRow).where(UserRow.name == name)).rowcount)
            if removed and who is not None:
                _add_audit(conn, who, "user removed", name)
            return removed

    def record_sign_in_failure(self, name: str, address: str, device: str) -> None:
        """A failed sign-in (with its audit record, in one transaction); failures older than a
        day are forgotten."""
        now = datetime.now(UTC)
        with self._writing() as conn:
            conn.execute(
                delete(SignInFailure).where(
                    SignInFailure.at < (now - timedelta(days=1)).replace(tzinfo=None)
                )
            )
            conn.execute(
                insert(SignInFailure).values(
                    at=now.replace(tzinfo=None),
                    name=name[:120],
                    address=address[:64],
                    device=device[:64],
                )
            )
            _add_audit(conn, name or "?", "sign-in failed", f"from {address}")

    def sign_in_failures(self, since: datetime, name: str, address: str, device: str) -> Failures:
        """Failed sign-ins since ``since`` (UTC): for ``name`` without a device cookie, for
        ``name`` and ``address`` together, from ``address`` without a device cookie, from the
        device ``device`` (when not ''); and for ``name`` without a device cookie in the last
        day (what is kept)."""
        untrusted = SignInFailure.device == ""

        def counted(*where: Any, start: datetime = since) -> Any:
            after = SignInFailure.at >= start.astimezone(UTC).replace(tzinfo=None)
            query = select(func.count()).select_from(SignInFailure).where(after, *where)
            return query.scalar_subquery()

        day = datetime.now(UTC) - timedelta(days=1)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    counted(SignInFailure.name == name, untrusted),
                    counted(SignInFailure.name == name, SignInFailure.address == address),
                    counted(SignInFailure.address == address, untrusted),
                    counted(SignInFailure.device == device) if device else literal(0),
                    counted(SignInFailure.name == name, untrusted, start=day),
                )
            ).one()
        return Failures(*(int(n) for n in row))

    def audit(self, who: str, action: str, detail: str = "") -> None:
        """Record an action (append only: nothing in parity changes or deletes a record)."""
        with self._writing() as conn:
            _add_audit(conn, who, action, detail)

    def audit_log(self, limit: int = 200) -> list[tuple[datetime, str, str, str, str]]:
        """The latest records, newest first: (when, who, action, detail, instance)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    AuditRow.at, AuditRow.who, AuditRow.action, AuditRow.detail, AuditRow.instance
                )
                .order_by(AuditRow.id.desc())
                .limit(limit)
            ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]
