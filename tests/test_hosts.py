"""Two `parity serve` instances on one PostgreSQL store and one Redis, each with its own
temporary folder as two hosts would have, behind a proxy: what one instance does, the other
does (issue 25). Sessions, a web upload checked on one and imported through the other, changes
made on the command line (an import, a removal, a round's publication), sign-in limits counted
across both on the forwarded client address, and the audit naming the instance."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests

from parity.store import Store
from tests.conftest import POSTGRES, postgres_schema

pytestmark = [*POSTGRES, pytest.mark.slow]
E2E = Path(__file__).parent / "e2e" / "data"
PASSWORD = "correct horse battery"
PARITY = [sys.executable, "-m", "parity"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_or_skip() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")


@dataclass
class Hosts:
    db: str
    a: str
    b: str
    pids: dict[str, int]
    proxy: ThreadingHTTPServer  # the load balancer of the browser's test (not yet serving)

    def health(self, url: str) -> tuple[int, dict[str, Any]]:
        response = requests.get(f"{url}/healthz", timeout=10)
        return response.status_code, response.json()

    def ready(self, url: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            status, body = self.health(url)
            if status == 200 or time.monotonic() > deadline:
                assert status == 200, body
                return body
            time.sleep(0.1)


def _cli(*args: str, db: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [*PARITY, *args, "--db", db], capture_output=True, text=True, input=stdin, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosts]:
    _redis_or_skip()
    folder = tmp_path_factory.mktemp("hosts")
    with postgres_schema() as db:
        _cli("import", str(E2E / "staff.csv"), db=db)
        _cli("users", "add", "root", "--role", "admin", "--password-stdin", db=db, stdin=PASSWORD)
        shared = folder / "staging"  # the folder both instances share (an NFS mount, say)
        proxy = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
        common = {
            **os.environ,
            "PARITY_SECRET_KEY": secrets.token_urlsafe(32),
            "PARITY_REDIS_URL": "redis://127.0.0.1:6379/0",
            "PARITY_SIGN_IN": "1",
            "PARITY_ALLOW_UPLOAD": "1",
            "PARITY_UPLOAD_DIR": str(shared),
            "PARITY_TRUSTED_PROXIES": "1",
            "PARITY_MIN_CELL": "5",
            "PARITY_ALLOWED_HOSTS": f"127.0.0.1:{proxy.server_address[1]}",  # the proxy's name
        }
        urls, processes, pids = {}, [], {}
        for name in ("a", "b"):
            temporary = folder / f"tmp-{name}"  # each host's own temporary folder
            temporary.mkdir()
            port = _free_port()
            log = (folder / f"{name}.log").open("w")
            serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
            process = subprocess.Popen(
                [*PARITY, *serve, "--db", db],
                env={**common, "TMPDIR": str(temporary)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            urls[name] = f"http://127.0.0.1:{port}"
            pids[name] = process.pid
        found = Hosts(db, urls["a"], urls["b"], pids, proxy)
        try:
            for url in urls.values():
                deadline = time.monotonic() + 60
                while True:
                    try:
                        found.ready(url, timeout=60)
                        break
                    except requests.ConnectionError:
                        assert time.monotonic() < deadline, (folder / "a.log").read_text()
                        time.sleep(0.3)
            yield found
        finally:
            proxy.server_close()
            for process in processes:
                process.terminate()
                process.wait(timeout=20)


def _sign_in(http: requests.Session, url: str, name: str, password: str, via: str = "") -> int:
    """Post the sign-in form of ``url`` (its token from the form itself); ``via``: the client
    address a proxy would put in X-Forwarded-For. The response's status (303 when signed in)."""
    headers = {"X-Forwarded-For": via} if via else {}
    form = http.get(f"{url}/signin", headers=headers, timeout=10).text
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token, form[:500]
    response = http.post(
        f"{url}/signin",
        data={"csrf": token.group(1), "name": name, "password": password, "next": "/"},
        headers={"Origin": url, **headers},
        allow_redirects=False,
        timeout=10,
    )
    return response.status_code


def test_a_session_from_one_instance_works_on_the_other(hosts: Hosts) -> None:
    http = requests.Session()  # one browser: its cookies go to both (a cookie ignores ports)
    assert _sign_in(http, hosts.a, "root", PASSWORD) in (302, 303)
    page = http.get(f"{hosts.b}/audit", allow_redirects=False, timeout=10)
    assert page.status_code == 200 and "sign-in" in page.text  # an admin's page, on B
    form = http.get(f"{hosts.a}/signout", timeout=10).text
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token
    http.post(
        f"{hosts.a}/signout", data={"csrf": token.group(1)}, headers={"Origin": hosts.a}, timeout=10
    )
    ended = http.get(f"{hosts.b}/audit", allow_redirects=False, timeout=10)
    assert ended.status_code in (302, 303) and "/signin" in ended.headers["Location"]


def test_sign_in_limits_count_across_instances_by_forwarded_address(hosts: Hosts) -> None:
    """5 wrong passwords for one name from one client (3 through A, 2 through B, the proxy
    naming the client in X-Forwarded-For) refuse that client the 6th, right password included;
    the same name from another client still signs in."""
    http = requests.Session()
    for url in (hosts.a, hosts.b, hosts.a, hosts.b, hosts.a):
        assert _sign_in(http, url, "root", "wrong", via="203.0.113.7") == 200
    assert _sign_in(requests.Session(), hosts.b, "root", PASSWORD, via="203.0.113.7") == 429
    assert _sign_in(requests.Session(), hosts.b, "root", PASSWORD, via="203.0.113.8") in (302, 303)
    with_store = Store(hosts.db)
    try:
        log = with_store.audit_log(50)
    finally:
        with_store.dispose()
    refused = [r for r in log if r[2] == "sign-in refused"]
    assert refused and "from 203.0.113.7" in refused[0][3]
    # each record names the instance that wrote it: both served failures
    failed = {r[4] for r in log if r[2] == "sign-in failed"}
    hosts_pids = {int(i.rsplit(":", 1)[1]) for i in failed}
    assert len(failed) >= 2 and all(i.startswith(socket.gethostname() + ":") for i in failed)
    assert hosts_pids.isdisjoint(hosts.pids.values())  # the workers', not the masters'


def test_command_line_changes_reach_both_instances(hosts: Hosts, tmp_path: Path) -> None:
    """An import, a round's publication and a batch removal made on the command line: both
    instances serve the new state within seconds, while busy."""
    stop = threading.Event()

    def busy(url: str) -> None:
        while not stop.is_set():
            requests.get(f"{url}/signin", timeout=10)

    load = [threading.Thread(target=busy, args=(u,), daemon=True) for u in (hosts.a, hosts.b)]
    for thread in load:
        thread.start()
    try:
        before = hosts.ready(hosts.a)["version"]
        _cli("import", str(E2E / "flows.csv"), db=hosts.db)
        imported = _both_move_on(hosts, before)
        _cli("rounds", "open", "r", "--as-of", "2026-12-31", "--due", "2099-01-31",
             "--entity", "Beta", db=hosts.db)  # fmt: skip
        beta = tmp_path / "beta.csv"
        beta.write_text(
            "year,entity,duty_station,grade,gender,headcount\n"
            "2026,Beta,Nairobi,P-4,F,6\n2026,Beta,Nairobi,P-4,M,5\n"
        )
        _cli("import", str(beta), "--round", "1", db=hosts.db)
        submitted = _both_move_on(hosts, imported)
        _cli("rounds", "publish", "1", "--force", db=hosts.db)
        published = _both_move_on(hosts, submitted)
        assert published[2] > submitted[2]  # the published revision moved
        latest = str(published[1])
        _cli("batches", "--remove", latest, db=hosts.db)
        _both_move_on(hosts, published)
    finally:
        stop.set()
        for thread in load:
            thread.join(timeout=10)


def _both_move_on(hosts: Hosts, before: list[int], within: float = 5) -> list[int]:
    """The version both instances serve, ready, once it is no longer ``before`` (within
    ``within`` seconds of the change); the same on both."""
    deadline = time.monotonic() + within
    seen = {}
    for url in (hosts.a, hosts.b):
        while True:
            status, body = hosts.health(url)
            if status == 200 and body["version"] != before:
                seen[url] = body["version"]
                break
            assert time.monotonic() < deadline, (url, status, body, before)
            time.sleep(0.1)
    assert seen[hosts.a] == seen[hosts.b]
    return seen[hosts.a]


def _import_click(body: bytes) -> bool:
    """Whether a Dash callback request is the click on "Import" (not the callback Dash fires,
    with no clicks, when the button appears)."""
    try:
        inputs = json.loads(body).get("inputs", [])
    except (ValueError, AttributeError):
        return False
    return any(i.get("id") == "data-import" and i.get("value") for i in inputs)


class _Proxy(BaseHTTPRequestHandler):
    """The load balancer in front of the instances: every request to A, except the click that
    imports a checked file, sent to B; the client's address in X-Forwarded-For."""

    upstreams: ClassVar[dict[str, str]] = {}
    served: ClassVar[Counter[str]] = Counter()

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        name = "b" if body and _import_click(body) else "a"
        self.served[name] += 1
        host, port = self.upstreams[name].removeprefix("http://").split(":")
        upstream = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "x-forwarded-for"}
        headers["X-Forwarded-For"] = self.client_address[0]
        upstream.request(self.command, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        data = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = _forward

    def log_message(self, *args: object) -> None:
        return


def test_a_file_checked_on_one_instance_is_imported_through_the_other(
    hosts: Hosts, tmp_path: Path
) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs Chromium at /usr/bin/chromium (make browsers)")
    _Proxy.upstreams = {"a": hosts.a, "b": hosts.b}
    _Proxy.served = Counter()
    proxy = hosts.proxy
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{proxy.server_address[1]}"
    gamma = tmp_path / "gamma.csv"
    gamma.write_text(
        "year,entity,duty_station,grade,gender,headcount\n"
        "2025,Gamma,Bangkok,P-4,F,30\n2025,Gamma,Bangkok,P-4,M,10\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.hosts_browser", url, str(gamma), PASSWORD],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=Path(__file__).parent.parent,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert _Proxy.served["b"] == 1  # checked on A, imported through B
    finally:
        proxy.shutdown()
    store = Store(hosts.db)
    try:
        assert "Gamma" in store.entity_names()
    finally:
        store.dispose()
