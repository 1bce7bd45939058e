"""Settings come from the environment, and every one is documented in the README."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from parity.errors import ParityError
from parity.reference import DATA_DIR
from parity.settings import DEFAULT_DATABASE_URL, ENVIRONMENT_VARIABLES, Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_from_environment() -> None:
    settings = Settings.from_env(
        {
            "PARITY_DATABASE_URL": "sqlite:///x.db",
            "PARITY_MIN_CELL": " 10 ",
            "PARITY_PUBLIC": "0",
            "PARITY_DEBUG": "yes",
            "PARITY_ALLOW_UPLOAD": "1",
            "PARITY_MAX_UPLOAD_MB": "5",
        }
    )
    assert settings == Settings(
        database_url="sqlite:///x.db",
        min_cell=10,
        public=False,
        debug=True,
        allow_upload=True,
        max_upload_mb=5,
    )
    assert settings.effective_min_cell == 0  # exact counts outside public mode


def test_defaults() -> None:
    settings = Settings.from_env({"PARITY_MIN_CELL": "", "PARITY_PUBLIC": ""})  # empty = unset
    assert settings == Settings()
    assert settings.database_url == f"sqlite:///{DATA_DIR / 'parity.db'}" == DEFAULT_DATABASE_URL
    assert (settings.public, settings.effective_min_cell, settings.allow_upload) == (True, 5, None)


@pytest.mark.parametrize(
    ("allow_upload", "host", "enabled"),
    [(None, "127.0.0.1", True), (None, "::1", True), (None, "0.0.0.0", False),
     (True, "0.0.0.0", True), (False, "127.0.0.1", False)],
)  # fmt: skip
def test_uploads_enabled(allow_upload: bool | None, host: str, enabled: bool) -> None:
    assert Settings(allow_upload=allow_upload).uploads_enabled(host) is enabled


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [("PARITY_MIN_CELL", "five", "PARITY_MIN_CELL must be a whole number, not 'five'"),
     ("PARITY_MIN_CELL", "2.5", "PARITY_MIN_CELL must be a whole number, not '2.5'"),
     ("PARITY_MIN_CELL", "-1", "PARITY_MIN_CELL must not be negative, not '-1'"),
     ("PARITY_MAX_UPLOAD_MB", "lots", "PARITY_MAX_UPLOAD_MB must be a whole number, not 'lots'")],
)  # fmt: skip
def test_a_bad_number_is_a_clear_error(name: str, value: str, message: str) -> None:
    with pytest.raises(ParityError) as caught:
        Settings.from_env({name: value})
    assert str(caught.value) == message


def _readme_default(value: object) -> str:
    """How the README's table writes a default value."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "`1`" if value else "`0`"
    if value == DEFAULT_DATABASE_URL:
        return "`sqlite:///data/parity.db`"
    return f"`{value}`"


def test_every_setting_is_documented_with_its_default() -> None:
    assert {f.name for f in fields(Settings)} == set(ENVIRONMENT_VARIABLES)
    table = dict(re.findall(r"^\| `(PARITY_\w+)` \| ([^|]+?) \|", README.read_text(), re.M))
    for field in fields(Settings):
        variable = ENVIRONMENT_VARIABLES[field.name]
        assert variable in table, f"{variable} is not in the README's settings table"
        assert table[variable] == _readme_default(field.default), variable
