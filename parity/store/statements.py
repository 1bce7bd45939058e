"""Plain SQL inside a bulk import's transaction: the batch, its scope, submission and audit rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from parity.errors import ParityError
from parity.i18n import _
from parity.ingest import ParsedFile
from parity.store.records import BatchInfo, Submission


class _Run:
    """Plain SQL on a driver's cursor inside the caller's transaction, written with ``?``
    placeholders: as they are for SQLite, numbered ``$1``, ``$2`` … for PostgreSQL (ADBC)."""

    def __init__(self, cursor: Any, style: str) -> None:
        self.cursor = cursor
        self.postgres = style == "$"

    def __call__(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        if self.postgres:
            head, *rest = sql.split("?")
            sql = head + "".join(f"${n}{part}" for n, part in enumerate(rest, 1))
        self.cursor.execute(sql, params)
        return self.cursor

    def stamp(self, aware: bool) -> str:
        """A timestamp parameter: SQLite stores SQLAlchemy's text; PostgreSQL casts it."""
        if not self.postgres:
            return "?"
        return "CAST(? AS TIMESTAMPTZ)" if aware else "CAST(? AS TIMESTAMP)"

    def time(self, at: datetime, aware: bool) -> str:
        if not self.postgres:
            return at.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite format
        return at.isoformat(sep=" ") if aware else at.replace(tzinfo=None).isoformat(sep=" ")


def _statements(cursor: Any, style: str) -> _Run:
    return _Run(cursor, style)


class _Records:
    """What is written with a batch, in its transaction: the round's check and submission rows
    (with ``submission``) and the audit records (with ``who``)."""

    def __init__(
        self,
        parsed: ParsedFile,
        scope: pd.DataFrame,
        who: str | None,
        submission: Submission | None,
    ) -> None:
        self.parsed, self.scope, self.who, self.submission = parsed, scope, who, submission

    def write(self, run: _Run, batch_id: int) -> None:
        import json

        now = datetime.now(UTC)
        submission = self.submission
        if submission is not None:
            self._check_round(run, submission)
            for entity, flags in submission.flags.items():
                run(
                    "INSERT INTO submissions (batch_id, entity, round_id, submitted_by, "
                    f"submitted_at, status, flags) VALUES (?, ?, ?, ?, {run.stamp(True)}, ?, ?)",
                    (
                        batch_id,
                        entity,
                        submission.round_id,
                        submission.by[:120],
                        run.time(now, True),
                        "flagged" if flags else "submitted",
                        json.dumps(list(flags), ensure_ascii=False),
                    ),
                )
        if self.who is None:
            return
        years = self.scope["year"]
        low, high = (int(years.min()), int(years.max())) if len(years) else (0, 0)
        info = BatchInfo(
            id=batch_id,
            kind=self.parsed.kind,
            file_name=self.parsed.file_name,
            sha256=self.parsed.sha256,
            imported_at=now,
            source_rows=self.parsed.source_rows,
            stored_rows=len(self.parsed.frame),
            entities=int(self.scope["entity"].nunique()),
            years="" if not len(years) else f"{low}" if low == high else f"{low}-{high}",
        )
        self._audit(run, now, "import", info.audit_words())
        if submission is not None:
            for entity in submission.flags:
                detail = f"round {submission.round_id}: {entity}, batch {batch_id}"
                self._audit(run, now, "submission", detail)

    def _audit(self, run: _Run, now: datetime, action: str, detail: str) -> None:
        assert self.who is not None
        run(
            f"INSERT INTO audit (at, who, action, detail) VALUES ({run.stamp(False)}, ?, ?, ?)",
            (run.time(now, False), self.who[:120], action[:40], detail[:2000]),
        )

    def _check_round(self, run: _Run, submission: Submission) -> None:
        """Under the write lock: the round exists, is not published, and takes part every
        entity of the batch (a publication between the first check and now is seen here)."""
        import json

        found = run(
            "SELECT published_at, entities FROM rounds WHERE id = ?", (submission.round_id,)
        ).fetchone()
        if found is None:
            raise ParityError(
                _("no round {round}; see parity rounds list").format(round=submission.round_id)
            )
        if found[0] is not None:
            raise ParityError(
                _("round {round} is published: unpublish it to submit").format(
                    round=submission.round_id
                )
            )
        outside = sorted(set(submission.flags) - set(json.loads(found[1])))
        if outside:
            raise ParityError(
                _("{file}: {entities} not in round {round}; nothing was imported").format(
                    file=self.parsed.file_name,
                    entities=", ".join(outside),
                    round=submission.round_id,
                )
            )


def _refused(parsed: ParsedFile, error: BaseException) -> ParityError:
    """The database's refusal of a batch, in one line: nothing was imported."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return ParityError(
        _("{file}: the database refused the batch, nothing was imported ({error})").format(
            file=parsed.file_name, error=message
        )
    )


def _already_imported(parsed: ParsedFile, existing: int) -> ParityError:
    return ParityError(
        _(
            "{file}: this exact file is already imported as batch {batch}; nothing was "
            "imported (remove that batch first to import it again)"
        ).format(file=parsed.file_name, batch=existing)
    )
