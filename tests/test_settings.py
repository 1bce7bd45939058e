"""Settings come from the environment, and every one is documented in the README."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from parity.errors import ParityError
from parity.settings import ENVIRONMENT_VARIABLES, Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_from_environment() -> None:
    settings = Settings.from_env(
        {
            "PARITY_DATABASE_URL": "sqlite:///x.db",
            "PARITY_MIN_CELL": "10",
            "PARITY_PUBLIC": "0",
            "PARITY_ALLOW_UPLOAD": "1",
            "PARITY_MAX_UPLOAD_MB": "5",
        }
    )
    assert settings == Settings(
        database_url="sqlite:///x.db", min_cell=10, public=False, allow_upload=True, max_upload_mb=5
    )
    assert settings.effective_min_cell == 0  # exact counts outside public mode
    assert Settings.from_env({}).effective_min_cell == 5


@pytest.mark.parametrize("value", ["five", "-1", "2.5"])
def test_bad_number_is_a_clear_error(value: str) -> None:
    with pytest.raises(ParityError, match="PARITY_MIN_CELL"):
        Settings.from_env({"PARITY_MIN_CELL": value})


def test_every_setting_is_documented() -> None:
    readme = README.read_text()
    assert {f.name for f in fields(Settings)} == set(ENVIRONMENT_VARIABLES)
    for variable in ENVIRONMENT_VARIABLES.values():
        assert f"`{variable}`" in readme, variable
