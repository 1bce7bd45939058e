"""Running it (issue 10): `parity serve` under gunicorn, the secret key, the security headers.

The headers through the Flask test client of create_app; the secret key's rules in-process
(they refuse before any server starts); and one real `parity serve --workers 2`.
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil
import pytest
from flask.testing import FlaskClient

from parity.cli import main
from parity.errors import ParityError
from parity.ingest import parse_file
from parity.settings import Settings
from parity.store import Store
from parity.store.migrations import head
from parity.web import serve as serving
from parity.web.app import create_app
from tests.test_web_security import CALLBACK, NAV, SERVED

E2E_DATA = Path(__file__).parent / "e2e" / "data"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'serve.db'}")
    store.import_parsed(parse_file(E2E_DATA / "staff.csv", store.reference()))
    yield store
    store.dispose()


def client(store: Store, **settings: Any) -> FlaskClient:
    url = store.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, **settings), host="127.0.0.1")
    return app.server.test_client()


def inline_scripts(html: str) -> list[str]:
    """The bodies of the page's inline scripts that run: not Dash's JSON config, nor its
    message for Internet Explorer (in a conditional comment)."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    return [
        body
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in attributes and "application/json" not in attributes
    ]


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (d.split() for d in policy.split(";") if d.strip())}


def check_headers(headers: Any, https: bool = False) -> dict[str, list[str]]:
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name
    assert ("Strict-Transport-Security" in headers) is https
    return directives(headers["Content-Security-Policy"])


# --- the headers -------------------------------------------------------------------------------


def test_a_page_carries_the_security_headers(store: Store) -> None:
    response = client(store).get("/", base_url=SERVED)
    assert response.status_code == 200
    policy = check_headers(response.headers)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    # scripts: this server's files, and exactly the page's inline scripts (Dash's renderer and
    # the clientside callbacks), by hash: no 'unsafe-inline', no 'unsafe-eval'
    scripts = inline_scripts(response.get_data(as_text=True))
    assert any("DashRenderer" in s for s in scripts) and len(scripts) >= 2
    hashes = {
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in scripts
    }
    assert set(policy["script-src"]) == {"'self'", *hashes}


def test_a_callback_and_a_refusal_carry_them_too(store: Store) -> None:
    app = client(store)
    response = app.post(CALLBACK, base_url=SERVED, json=NAV, headers={"Origin": SERVED})
    assert response.status_code == 200 and response.is_json
    check_headers(response.headers)
    refused = app.post(CALLBACK, base_url=SERVED, json=NAV, headers={"Origin": "http://x.example"})
    assert refused.status_code == 403
    check_headers(refused.headers)
    health = app.get("/healthz", base_url=SERVED)
    assert health.get_json()["status"] in ("loading", "ready")
    check_headers(health.headers)


def test_behind_tls_cookies_are_secure_and_hsts_is_sent(store: Store) -> None:
    app = client(store, https=True, secret_key="k" * 40)
    response = app.get("/healthz", base_url=SERVED)
    check_headers(response.headers, https=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    config = app.application.config
    assert config["SECRET_KEY"] == "k" * 40
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    # without PARITY_HTTPS: cookies go over plain HTTP too; a key of the process's own
    plain = client(store).application.config
    assert plain["SESSION_COOKIE_SECURE"] is False and len(plain["SECRET_KEY"]) >= 32


def test_settings_from_the_environment() -> None:
    settings = Settings.from_env({"PARITY_SECRET_KEY": " s3cret ", "PARITY_HTTPS": "1"})
    assert (settings.secret_key, settings.https) == ("s3cret", True)
    assert "s3cret" not in repr(settings)  # never in a log line
    assert (Settings.from_env({"PARITY_SECRET_KEY": " "}).secret_key, Settings().https) == (
        None,
        False,
    )


# --- the secret key ----------------------------------------------------------------------------


GIVEN = "Jq3-vX9_tLw2Rk7pYz4aBc8dEf1GhUi0"  # 32 characters, 31 different


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "dash.example.org", ""])
def test_beyond_loopback_the_key_is_required(host: str) -> None:
    with pytest.raises(ParityError, match="needs PARITY_SECRET_KEY"):
        serving.secret_key(Settings(), host)
    assert serving.secret_key(Settings(secret_key=GIVEN), host) == GIVEN


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_on_loopback_a_random_key_for_each_start(host: str) -> None:
    first, second = (serving.secret_key(Settings(), host) for _ in range(2))
    assert first != second and len(first) >= 32
    assert serving.secret_key(Settings(secret_key=GIVEN), host) == GIVEN


@pytest.mark.parametrize("key", ["x", GIVEN[:31], "k" * 40, "ab" * 20])
def test_a_key_that_could_be_guessed_is_refused(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key of one character (the review forged an admin's cookie with PARITY_SECRET_KEY=x),
    31 characters, or 40 of one or two different characters: refused, on any address."""
    for host in ("0.0.0.0", "127.0.0.1"):
        with pytest.raises(ParityError, match="at least 32 characters long"):
            serving.secret_key(Settings(secret_key=key), host)
    monkeypatch.setenv("PARITY_SECRET_KEY", key)
    started: list[object] = []
    monkeypatch.setattr(serving.Dashboard, "run", lambda self: started.append(self))
    db = f"sqlite:///{tmp_path / 'never.db'}"
    assert main(["serve", "--host", "0.0.0.0", "--port", "8050", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PARITY_SECRET_KEY must be at least 32 characters" in err
    assert started == [] and not (tmp_path / "never.db").exists()


def test_serve_beyond_loopback_without_a_key_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PARITY_SECRET_KEY", raising=False)
    started: list[object] = []
    monkeypatch.setattr(serving.Dashboard, "run", lambda self: started.append(self))
    db = f"sqlite:///{tmp_path / 'never.db'}"
    assert main(["serve", "--host", "0.0.0.0", "--port", "8050", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("parity: ")
    assert "PARITY_SECRET_KEY" in err and "'0.0.0.0'" in err
    assert started == [] and not (tmp_path / "never.db").exists()  # refused before anything
    # the other refusals of `serve`, as clear
    for argv, message in [
        (["--debug", "--host", "0.0.0.0"], "--debug runs the development server"),
        (["--workers", "0"], "--workers must be at least 1"),
    ]:
        assert main(["serve", *argv, "--db", db]) == 2
        assert message in capsys.readouterr().err
    assert started == []


def test_the_workers_share_the_key_chosen_once(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """gunicorn's master chooses the key before it forks; each worker builds its own app
    (preload off) with that key."""
    monkeypatch.delenv("PARITY_SECRET_KEY", raising=False)
    servers: list[serving.Dashboard] = []
    monkeypatch.setattr(serving.Dashboard, "run", lambda self: servers.append(self))
    url = store.url.render_as_string(hide_password=False)
    for _ in range(2):
        assert main(["serve", "--workers", "3", "--port", "8123", "--db", url]) == 0
    assert capsys.readouterr().err.startswith("parity dashboard on http://127.0.0.1:8123")
    first, second = servers
    cfg = first.cfg
    assert (cfg.workers, cfg.worker_class_str, cfg.threads) == (3, "gthread", serving.THREADS)
    assert cfg.bind == ["127.0.0.1:8123"] and cfg.preload_app is False
    one, two = first.load(), first.load()  # two workers of one start
    assert one is not two and one.config["SECRET_KEY"] == two.config["SECRET_KEY"]
    assert second.load().config["SECRET_KEY"] != one.config["SECRET_KEY"]  # another start
    assert serving.bind_address("::1", 8050) == "[::1]:8050"


# --- a real server -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, Any, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_parity_serve_runs_gunicorn_with_two_workers(store: Store, tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    db = store.url.render_as_string(hide_password=False)
    serve = ["serve", "--workers", "2", "--port", str(port), "--db", db]
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "parity", *serve],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = _get(f"{url}/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.3)
        assert status == 200 and b'"status":"ready"' in body
        assert headers["Server"].startswith("gunicorn")
        check_headers(headers)

        master = psutil.Process(process.pid)
        while len(master.children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = master.children()
        assert len(workers) == 2, workers
        assert all(w.cmdline()[1:4] == ["-m", "parity", "serve"] for w in workers)

        status, headers, body = _get(f"{url}/")
        assert status == 200
        check_headers(headers)
        # every script a page loads, many at once, whichever worker takes each: each worker
        # registered Dash's scripts before it took a request
        sources = re.findall(r'<script src="([^"]+)"', body.decode())
        assert len(sources) > 5
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda s: _get(url + s)[0], sources * 3))
        assert statuses == [200] * len(statuses)
    finally:
        process.terminate()
        code = process.wait(timeout=30)
        log.close()
    assert code == 0, (tmp_path / "server.log").read_text()
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)


def _health(app: FlaskClient) -> tuple[int, dict[str, Any]]:
    response = app.get("/healthz", base_url=SERVED)
    return response.status_code, response.get_json()


def _until_ready(app: FlaskClient) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        status, body = _health(app)
        if status == 200 or time.monotonic() > deadline:
            assert (status, body["status"]) == (200, "ready"), body
            return body
        assert (status, body["status"]) == (503, "loading"), body
        time.sleep(0.05)


def test_health_says_when_an_instance_is_ready(store: Store, tmp_path: Path) -> None:
    """/healthz for a load balancer: 503 "loading" until this instance has read the frames of
    the store's current version (the check starts the reading), then 200 "ready" with the
    version it serves and its name; again "loading" after another process changed the store;
    503 "unavailable" on a store whose schema is not current."""
    app = client(store)
    body = _until_ready(app)
    assert body["instance"].startswith(socket.gethostname() + ":")
    before = body["batches"]
    other = Store(store.url.render_as_string(hide_password=False))  # another instance's import
    other.import_parsed(parse_file(E2E_DATA / "flows.csv", other.reference()))
    status, body = _health(app)
    assert (status, body["status"], body["batches"]) == (503, "loading", before + 1)
    assert _until_ready(app)["batches"] == before + 1
    with other.engine.begin() as conn:  # as if a newer parity's revision were expected
        from sqlalchemy import text

        conn.execute(text("UPDATE alembic_version SET version_num = '0005_sessions'"))  # older
    try:
        status, body = _health(app)
        assert (status, body["status"]) == (503, "unavailable")
        assert "parity db upgrade" in body["reason"]
    finally:
        with other.engine.begin() as conn:
            conn.execute(text(f"UPDATE alembic_version SET version_num = '{head()}'"))
        other.dispose()
