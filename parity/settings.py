"""One frozen settings object, read from the environment (and nowhere else)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from parity.reference import DATA_DIR

DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'parity.db'}"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Configuration of a parity process.

    Each field is read from the environment variable named in its metadata; see README.
    """

    database_url: str = DEFAULT_DATABASE_URL
    """PARITY_DATABASE_URL: SQLAlchemy URL of the store (default: SQLite file data/parity.db)."""
    min_cell: int = 5
    """PARITY_MIN_CELL: in public mode, groups with fewer people show 'fewer than N'."""
    public: bool = True
    """PARITY_PUBLIC: public mode hides exact counts of small groups (1/0; default 1)."""
    debug: bool = False
    """PARITY_DEBUG: Dash debug mode (1/0; default 0)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        min_cell_text = env.get("PARITY_MIN_CELL", "").strip()
        try:
            min_cell = int(min_cell_text) if min_cell_text else cls.min_cell
        except ValueError:
            raise ValueError(f"PARITY_MIN_CELL must be a whole number, not {min_cell_text!r}")
        return cls(
            database_url=env.get("PARITY_DATABASE_URL") or DEFAULT_DATABASE_URL,
            min_cell=max(min_cell, 0),
            public=_flag(env.get("PARITY_PUBLIC"), cls.public),
            debug=_flag(env.get("PARITY_DEBUG"), cls.debug),
        )


ENVIRONMENT_VARIABLES = {
    "database_url": "PARITY_DATABASE_URL",
    "min_cell": "PARITY_MIN_CELL",
    "public": "PARITY_PUBLIC",
    "debug": "PARITY_DEBUG",
}
