"""Errors that reach a user as one clear message (never a traceback)."""

from __future__ import annotations

from dataclasses import dataclass

from parity.i18n import _
from parity.wording import count, plural

MAX_PROBLEMS_SHOWN = 20


class ParityError(Exception):
    """An error whose message is meant for the person using the product."""


@dataclass(frozen=True)
class Problem:
    """One invalid value: the spreadsheet row (header = row 1), the column and the value."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column is not None:
            where.append(_("column '{column}'").format(column=_one_line(self.column)))
        prefix = ", ".join(where)
        message = _one_line(self.message)
        if self.value is None:
            # Translators: where a problem is ("row 3, column 'grade'"), then what is wrong
            return (
                _("{where}: {problem}").format(where=prefix, problem=message)
                if prefix
                else message.strip()
            )
        if not prefix:
            return f"{self.value!r} {message}".strip()
        # Translators: where ("row 3, column 'grade'"), the value found ('P-9') and what is wrong
        # with it ("is not a grade in the reference ladder"): the value is the subject
        return _("{where}: {value} {problem}").format(
            where=prefix, value=repr(self.value), problem=message
        )


def _one_line(text: str) -> str:
    """A name or reason on one line (a quoted header may hold line breaks): one problem, one
    line of the refusal."""
    return " ".join(str(text).splitlines()) if "\n" in str(text) or "\r" in str(text) else text


class FileRefused(ParityError):
    """A file that cannot be imported; nothing from it was stored."""

    def __init__(self, file_name: str, problems: list[Problem], total: int | None = None) -> None:
        self.file_name = file_name
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(self.render())

    def render(self) -> str:
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        problems = plural(self.total, "{n} problem", "{n} problems")
        lines = [
            _("{file}: refused, {problems}; nothing was imported.").format(
                file=self.file_name, problems=problems
            )
        ]
        # Translators: a file's name, then one problem found in it
        lines += [_("{file}: {problem}").format(file=self.file_name, problem=p) for p in shown]
        if self.total > len(shown):
            more = self.total - len(shown)
            lines.append(_("... and {n} more problems").format(n=count(more)))
        return "\n".join(lines)


class MissingColumns(FileRefused):
    """A file refused for want of required columns: which are missing, which it has (by their
    names in the file), and its header's signature, so that the user can say which of its
    columns is which (see parity.ingest.contract.header_signature)."""

    def __init__(
        self,
        file_name: str,
        problems: list[Problem],
        missing: list[str],
        found: list[str],
        total: int | None = None,
    ) -> None:
        super().__init__(file_name, problems, total)
        self.missing = missing
        self.found = found
        self.signature = ""
