"""Errors that reach a user as one clear message (never a traceback)."""

from __future__ import annotations

from dataclasses import dataclass

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
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{_one_line(self.column)}'")
        prefix = ", ".join(where)
        value = f" {self.value!r}" if self.value is not None else ""
        message = _one_line(self.message)
        return f"{prefix}:{value} {message}" if prefix else f"{value} {message}".strip()


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
        noun = "problem" if self.total == 1 else "problems"
        lines = [f"{self.file_name}: refused, {self.total} {noun}; nothing was imported."]
        lines += [f"{self.file_name}: {p}" for p in shown]
        if self.total > len(shown):
            lines.append(f"... and {self.total - len(shown)} more problems")
        return "\n".join(lines)


class MissingColumns(FileRefused):
    """A file refused for want of required columns: which are missing, which it has (by their
    names in the file), and its header's signature, so that the user can say which of its
    columns is which (see importer.header_signature)."""

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
