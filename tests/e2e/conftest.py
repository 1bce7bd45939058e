"""Browser tests: a real `parity serve` process on a real SQLite file, driven by Chromium.

Screenshots of every page go to tests/artifacts/ (git-ignored): look at them.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
DATA = Path(__file__).parent / "data"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
]  # fmt: skip

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="needs /usr/bin/chromium (make browsers)"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, url: str, db_url: str, db_path: Path) -> None:
        self.url = url
        self.db_url = db_url
        self.db_path = db_path


def serve(
    folder: Path,
    files: list[Path],
    env_extra: dict[str, str] | None = None,
    users: list[list[str]] | None = None,
    commands: list[list[str]] | None = None,
) -> Iterator[Server]:
    """`parity serve` (public mode, minimum cell 5, uploads on) on a fresh SQLite store holding
    ``files`` (and ``users``: arguments of `parity users add`, the password on stdin), until
    the generator is closed."""
    db_path = folder / "parity.db"
    db_url = f"sqlite:///{db_path}"
    parity = [sys.executable, "-m", "parity"]
    for path in files:
        subprocess.run(
            [*parity, "import", str(path), "--db", db_url], check=True, capture_output=True
        )
    for user in users or []:
        subprocess.run(
            [*parity, "users", "add", *user, "--password-stdin", "--db", db_url],
            check=True,
            capture_output=True,
            input=PASSWORD + "\n",
            text=True,
        )
    for command in commands or []:
        subprocess.run([*parity, *command, "--db", db_url], check=True, capture_output=True)
    port = _free_port()
    env = {**os.environ, "PARITY_ALLOW_UPLOAD": "1", "PARITY_MIN_CELL": "5", "PARITY_PUBLIC": "1"}
    env.update(env_extra or {})
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [*parity, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((folder / "server.log").read_text()) from None
            time.sleep(0.3)
    yield Server(url, db_url, db_path)
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The dashboard on a fresh SQLite store holding tests/e2e/data/staff.csv and flows.csv."""
    folder = tmp_path_factory.mktemp("e2e")
    yield from serve(folder, [DATA / "staff.csv", DATA / "flows.csv"])


@pytest.fixture(scope="session")
def exact_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The same data with public mode off: exact figures, as the data holders see them."""
    folder = tmp_path_factory.mktemp("exact")
    yield from serve(folder, [DATA / "staff.csv", DATA / "flows.csv"], {"PARITY_PUBLIC": "0"})


PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def signin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The dashboard with sign-in required; ana is Alpha's focal point."""
    folder = tmp_path_factory.mktemp("signin")
    yield from serve(
        folder,
        [DATA / "staff.csv"],
        env_extra={"PARITY_SIGN_IN": "1", "PARITY_SECRET_KEY": secrets.token_urlsafe(32)},
        users=[["ana", "--role", "focal_point", "--entity", "Alpha"]],
    )


@pytest.fixture(scope="session")
def round_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Sign-in required, a round open for Alpha and Beta; sam is Beta's data steward, root an
    administrator."""
    folder = tmp_path_factory.mktemp("round")
    yield from serve(
        folder,
        [DATA / "staff.csv"],
        env_extra={"PARITY_SIGN_IN": "1", "PARITY_SECRET_KEY": secrets.token_urlsafe(32)},
        users=[["sam", "--role", "steward", "--entity", "Beta"], ["root", "--role", "admin"]],
        commands=[
            [
                "rounds",
                "open",
                "2026 data call",
                "--as-of",
                "2026-12-31",
                "--due",
                "2099-01-31",
                "--entity",
                "Alpha",
                "--entity",
                "Beta",
            ],
        ],
    )


@pytest.fixture(scope="session")
def ladder_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The dashboard on a store with 80 grades of the reference ladder: two entities, two
    years; in 2025 entity A has 2 + (i mod 5) women and 10 - (i mod 5) men in its i-th grade
    (12 people each), entity B the other way round."""
    from parity.reference import Reference

    folder = tmp_path_factory.mktemp("ladder")
    grades = [g for g in Reference.load().ladder if g != "Other"][:80]
    lines = ["year,entity,duty_station,grade,women,men"]
    for year in (2024, 2025):
        for i, grade in enumerate(grades):
            k = (i + year) % 5
            lines.append(f"{year},A,Geneva,{grade},{2 + k},{10 - k}")
            lines.append(f"{year},B,Nairobi,{grade},{10 - k},{2 + k}")
    path = folder / "ladder.csv"
    path.write_text("\n".join(lines) + "\n")
    yield from serve(folder, [path])


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ConsoleLog:
    def __init__(self) -> None:
        self.errors: list[str] = []


@pytest.fixture()
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A 1280x800 page that records console errors; the test fails if any were logged."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    console = ConsoleLog()
    page.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.errors.append(str(e)))
    page.console = console  # type: ignore[attr-defined]
    yield page
    context.close()
    assert console.errors == [], f"browser console errors: {console.errors}"


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
