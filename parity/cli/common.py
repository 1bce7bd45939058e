"""What every command group of the ``parity`` command line shares: the parser that reports an
error on one line, the options several commands take (``--db``, ``--lang``, ``--where`` and
``--format``), the settings and store a command opens, and the operator it acts as."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from parity import i18n
from parity.auth import User
from parity.output import FORMATS
from parity.scopes import SCOPES
from parity.settings import Settings

if TYPE_CHECKING:
    from parity.store import Store

    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

Command: TypeAlias = Callable[[argparse.Namespace], int]

EXIT_USER_ERROR = 2


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # one line, like every other error; the usage is one --help away
        print(f"{self.prog}: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


def _shared_options() -> dict[str, dict[str, Any]]:
    """The options several commands take, each declared once: its name -> the keyword arguments
    of ``add_argument`` (made afresh for each parser, which then has its own ``--where`` list)."""
    return {
        "--lang": {
            "choices": sorted(i18n.LANGUAGES),
            "default": i18n.DEFAULT,
            "help": "the language of the file and of the messages: en (default) or fr",
        },
        "--db": {
            "metavar": "URL",
            "default": argparse.SUPPRESS,
            "help": "SQLAlchemy database URL (default: $PARITY_DATABASE_URL or data/parity.db)",
        },
        "--where": {
            "action": "append",
            "default": [],
            "metavar": "DIM=VALUE",
            "help": "keep rows where DIM is VALUE (repeat; the same DIM twice keeps both values)",
        },
        "--format": {"choices": FORMATS, "default": "table"},
        "--scope": {
            "metavar": "SCOPE",
            "help": "keep a named scope's grades ("
            + ", ".join(s.key for s in SCOPES if s.key != "all")
            + ", or one of PARITY_SCOPES_FILE)",
        },
    }


def add_options(parser: argparse.ArgumentParser, *names: str) -> None:
    """Give ``parser`` the shared options ``names``, in that order."""
    declared = _shared_options()
    for name in names:
        parser.add_argument(name, **declared[name])


def add_lang(parser: argparse.ArgumentParser) -> None:
    add_options(parser, "--lang")


def add_db(parser: argparse.ArgumentParser) -> None:
    add_options(parser, "--db")


def add_filters(parser: argparse.ArgumentParser) -> None:
    add_options(parser, "--where", "--scope", "--format")


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings from the environment, with the store of ``--db`` if given."""
    settings = Settings.from_env()
    settings.use_scopes()
    url = getattr(args, "db", None)
    if url:
        from dataclasses import replace

        settings = replace(settings, database_url=url)
    return settings


def open_store(args: argparse.Namespace) -> Store:
    """The store of the command's settings."""
    from parity.store import Store

    return Store(settings_for(args).database_url)


def _operator() -> str:
    """Who runs a command, for the audit: 'cli:' and the login name."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def operator_user() -> User:
    """The person running a command: they hold the store, so they act as an administrator."""
    return User(_operator(), "admin")
