"""Hostile requests to the dashboard (issue 9), through the Flask test client of create_app.

Every request must name this server in its Host header, or it is refused (403) whatever its
method: a DNS-rebinding page names its own site. A POST (every Dash callback, uploads included)
must also come from a page of the dashboard: its Origin (else its Referer) must name the Host.
Staged uploads do not outlive their use: refused, imported, replaced or a day old, they go.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient

from parity.errors import ParityError
from parity.ingest import parse_file
from parity.settings import Settings
from parity.store import Store
from parity.web.app import create_app
from parity.web.pages import data
from parity.web.pages.data.check import stage_upload
from parity.web.pages.data.staging import decode_upload, discard, over_limit, staged_path, sweep
from parity.web.pages.data.upload import import_staged
from parity.web.security import host_served, max_request_bytes, refusal_reason, same_origin
from parity.web.source import Context, DataSource

E2E_DATA = Path(__file__).parent / "e2e" / "data"
SERVED = "http://127.0.0.1:8050"  # the test client's server: SERVER_NAME and SERVER_PORT
CALLBACK = "/_dash-update-component"

# The shell's page router, as the browser posts it: a harmless callback to aim at.
NAV = {
    "output": "page.children",
    "outputs": {"id": "page", "property": "children"},
    "inputs": [{"id": "url", "property": "pathname", "value": "/definitions"}],
    "state": [{"id": "url", "property": "search", "value": ""}],
    "changedPropIds": ["url.pathname"],
}


def upload_body(path: Path) -> dict[str, Any]:
    """The Data page's upload callback as the browser posts it for ``path``."""
    content = base64.b64encode(path.read_bytes()).decode()
    return {
        "output": "..data-upload-result.children...data-pending.data..",
        "outputs": [
            {"id": "data-upload-result", "property": "children"},
            {"id": "data-pending", "property": "data"},
        ],
        "inputs": [
            {
                "id": "data-upload",
                "property": "contents",
                "value": f"data:text/csv;base64,{content}",
            }
        ],
        "state": [
            {"id": "data-upload", "property": "filename", "value": path.name},
            {"id": "data-pending", "property": "data", "value": None},
            {"id": "data-round", "property": "value", "value": 0},
        ],
        "changedPropIds": ["data-upload.contents"],
    }


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'web.db'}")
    store.import_parsed(parse_file(E2E_DATA / "staff.csv", store.reference()))
    yield store
    store.dispose()


@pytest.fixture()
def staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty UPLOAD_DIR of this test's own."""
    folder = tmp_path / "uploads"
    monkeypatch.setattr("parity.web.pages.data.staging.UPLOAD_DIR", folder)
    return folder


def staged(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.exists() else []


def make_app(store: Store, **settings: Any) -> Dash:
    url = store.url.render_as_string(hide_password=False)
    return create_app(Settings(database_url=url, **settings), host="127.0.0.1")


@pytest.fixture()
def client(store: Store) -> FlaskClient:
    return make_app(store).server.test_client()


def post(client: FlaskClient, body: dict[str, Any], **headers: str) -> Any:
    return client.post(CALLBACK, base_url=SERVED, json=body, headers=headers)


def reason(response: Any) -> str:
    """A refusal's body: one line of plain text."""
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert text.endswith("\n") and text.count("\n") == 1
    return text.strip()


# --- Host and Origin ---------------------------------------------------------------------------


def test_a_callback_from_the_dashboard_itself_passes(client: FlaskClient) -> None:
    response = post(client, NAV, Origin=SERVED, Referer=f"{SERVED}/data")
    assert response.status_code == 200
    assert "Definitions" in json.dumps(response.get_json()["response"]["page"]["children"])
    # a client that sends neither Origin nor Referer (curl, old browsers) passes on its Host
    assert post(client, NAV).status_code == 200


def test_a_forged_host_is_refused(client: FlaskClient) -> None:
    # a DNS-rebinding page at http://rebind.example:8050 resolving to 127.0.0.1: the browser
    # sends the page's own name as Host, and its own origin, which then matches
    response = post(client, NAV, Host="rebind.example:8050", Origin="http://rebind.example:8050")
    assert response.status_code == 403
    assert reason(response) == (
        "parity: refused: the Host 'rebind.example:8050' is not a name this dashboard is "
        "served on (names behind a proxy go in PARITY_ALLOWED_HOSTS)"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_forged_origin_with_the_right_host_is_refused(client: FlaskClient) -> None:
    response = post(client, NAV, Origin="http://evil.example")
    assert response.status_code == 403
    assert reason(response) == (
        "parity: refused: a POST from 'http://evil.example' (Origin), not from this dashboard "
        "at '127.0.0.1:8050'"
    )
    # the same name on another port is another site; so is the opaque origin of a sandboxed
    # frame or a file
    for origin in ("http://127.0.0.1:8051", "http://localhost:8050", "null", "file://"):
        assert post(client, NAV, Origin=origin).status_code == 403, origin
    # without an Origin, the Referer decides; an Origin decides over the Referer
    assert post(client, NAV, Referer="http://evil.example/page").status_code == 403
    assert post(client, NAV, Origin=SERVED, Referer="http://evil.example/").status_code == 200


def test_a_refused_upload_stages_nothing(client: FlaskClient, staging: Path) -> None:
    body = upload_body(E2E_DATA / "gamma.csv")
    assert post(client, body, Host="rebind.example:8050").status_code == 403
    assert post(client, body, Origin="http://evil.example").status_code == 403
    assert staged(staging) == []
    # the same request from the dashboard is checked and staged (so the refusals above were
    # refusals of a real upload)
    response = post(client, body, Origin=SERVED)
    assert response.status_code == 200
    pending = response.get_json()["response"]["data-pending"]["data"]
    assert staged(staging)[-1] == staging / pending["token"] / "gamma.csv"


def test_loopback_aliases_and_ports() -> None:
    bind = ("127.0.0.1", 8050)
    for host in ("127.0.0.1:8050", "localhost:8050", "LOCALHOST:8050", "[::1]:8050"):
        assert host_served(host, bind), host
    for host in ("127.0.0.1:8051", "localhost", "evil.example:8050", "", "a b", "x@127.0.0.1:8050"):
        assert not host_served(host, bind), host
    assert host_served("[::1]:8050", ("::1", 8050)) and host_served("localhost:8050", ("::1", 8050))
    # a bind on a non-loopback address has no aliases
    assert host_served("10.0.0.5:8050", ("10.0.0.5", 8050))
    assert not host_served("localhost:8050", ("10.0.0.5", 8050))
    # on all addresses: any IP address of the machine (an IP literal cannot be a rebinding
    # page), localhost; never a name of someone else's
    assert host_served("192.168.1.20:8050", ("0.0.0.0", 8050))
    assert host_served("localhost:8050", ("0.0.0.0", 8050))
    assert not host_served("rebind.example:8050", ("0.0.0.0", 8050))
    assert not host_served("192.168.1.20:80", ("0.0.0.0", 8050))


def test_allowed_hosts_for_a_proxy(store: Store) -> None:
    settings = Settings.from_env({"PARITY_ALLOWED_HOSTS": " Dash.Example.org , lab:8443,"})
    assert settings.allowed_hosts == ("dash.example.org", "lab:8443")
    with pytest.raises(ParityError, match="PARITY_ALLOWED_HOSTS lists host names"):
        Settings.from_env({"PARITY_ALLOWED_HOSTS": "https://dash.example.org"})
    assert Settings.from_env({}).allowed_hosts is None

    plain = make_app(store, allowed_hosts=settings.allowed_hosts).server.test_client()
    assert post(plain, NAV, Host="lab:8443", Origin="http://lab:8443").status_code == 200
    assert post(plain, NAV, Host="lab:9443", Origin="http://lab:9443").status_code == 403
    # behind a TLS proxy (PARITY_HTTPS=1) pages come from https:// origins
    allowed = settings.allowed_hosts
    client = make_app(store, allowed_hosts=allowed, https=True).server.test_client()
    origin = "https://dash.example.org"
    # a proxy that passes the visitor's Host on
    assert post(client, NAV, Host="dash.example.org", Origin=origin).status_code == 200
    # a proxy that sends its upstream's address as Host: the Origin names an allowed name
    assert post(client, NAV, Origin=origin).status_code == 200
    assert post(client, NAV, Origin="https://evil.example").status_code == 403
    # and the names do not let another site in
    assert (
        post(client, NAV, Host="dash.example.org", Origin="https://evil.example").status_code == 403
    )


def test_origin_comparison() -> None:
    assert same_origin("http://127.0.0.1:8050", "127.0.0.1:8050")
    assert same_origin("https://dash.example.org", "dash.example.org")
    assert same_origin("https://dash.example.org:443", "dash.example.org")
    assert same_origin("http://[::1]:8050/data?x=1", "[::1]:8050")  # a Referer
    assert not same_origin("http://127.0.0.1:8050", "localhost:8050")
    assert not same_origin("ftp://127.0.0.1:8050", "127.0.0.1:8050")
    assert not same_origin("http://127.0.0.1:99999", "127.0.0.1:8050")
    assert not same_origin("", "127.0.0.1:8050")


def test_get_with_a_forged_host_is_refused_too(client: FlaskClient) -> None:
    """Decision: the Host check covers every request, GET included. A page or /healthz holds
    no figures (those arrive by POST callbacks), but the shell lists the names of entities and
    duty stations and /healthz counts batches; and a dashboard reached by a name it does not
    know is better refused with a reason than shown with every callback failing."""
    assert client.get("/", base_url=SERVED).status_code == 200
    for path in ("/", "/data", "/healthz", "/_dash-layout"):
        response = client.get(path, base_url=SERVED, headers={"Host": "rebind.example:8050"})
        assert response.status_code == 403, path
        assert "is not a name this dashboard is served on" in reason(response)
    # a link from another site is a GET with the other site as Referer: it opens the page
    linked = client.get("/data", base_url=SERVED, headers={"Referer": "http://other.example/"})
    assert linked.status_code == 200


def test_refusal_is_one_line_whatever_the_header() -> None:
    text = refusal_reason("POST", {"Host": "a\r\nSet-Cookie: x=1" + "y" * 500}, ("127.0.0.1", 8050))
    assert text is not None and "\n" not in text and "\r" not in text and len(text) < 300


def test_a_request_over_max_content_length_gets_a_readable_413(store: Store) -> None:
    client = make_app(store, max_upload_mb=1).server.test_client()
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        CALLBACK, base_url=SERVED, data=b"x" * (limit + 1), content_type="application/json"
    )
    assert response.status_code == 413
    assert reason(response) == (
        "parity: refused: the request is over the 2 MB this server accepts (uploads are "
        "limited to 1 MB, PARITY_MAX_UPLOAD_MB); nothing was imported"
    )
    # an upload of the limit, base64 in a callback's JSON (4/3 of its size), and 1 MB more:
    # 50 MB uploads mean requests of at most 67.7 MB (the review found 282 MB accepted)
    assert max_request_bytes(50) == 50 * 2**20 * 4 // 3 + 2**20 + 1
    assert round(max_request_bytes(50) / 2**20, 1) == 67.7


# --- the size limit in the browser -------------------------------------------------------------


def test_the_upload_zone_refuses_what_the_server_would(store: Store) -> None:
    context = Context(DataSource(store), Settings(max_upload_mb=3), uploads=True)
    zone = data.layout(context)["data-upload"]
    assert zone.max_size == 3 * 2**20
    # the message the browser's refusal shows is the server's for a file over the limit
    size = 3 * 2**20 + 1
    payload = base64.b64encode(b"x" * size).decode()
    with pytest.raises(ParityError) as caught:
        decode_upload(f"data:text/csv;base64,{payload}", "big.csv", max_mb=3)
    assert str(caught.value) == over_limit("big.csv", size, 3)
    assert str(caught.value) == "big.csv: 3.0 MB is over the 3 MB limit; nothing was imported"


# --- staged files ------------------------------------------------------------------------------


def stage(path: Path, context: Context) -> tuple[Any, Any]:
    content = base64.b64encode(path.read_bytes()).decode()
    return stage_upload(f"data:text/csv;base64,{content}", path.name, context)


def test_a_refused_file_is_not_kept(store: Store, staging: Path, tmp_path: Path) -> None:
    context = Context(DataSource(store), Settings(), uploads=True)
    _, pending = stage(E2E_DATA / "bad.csv", context)
    assert pending is None and staged(staging) == []
    # a file already imported is refused too
    _, pending = stage(E2E_DATA / "staff.csv", context)
    assert pending is None and staged(staging) == []
    # a file that cannot be read
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    _, pending = stage(tmp_path / "junk.xlsx", context)
    assert pending is None and staged(staging) == []


def test_an_imported_file_is_not_kept(store: Store, staging: Path) -> None:
    context = Context(DataSource(store), Settings(), uploads=True)
    _, pending = stage(E2E_DATA / "gamma.csv", context)
    folder = staging / pending["token"]
    # the file, and beside it what its check found (the import writes that, not a new parse)
    assert staged(staging) == [
        folder,
        folder / "checked.arrow",
        folder / "checked.json",
        folder / "gamma.csv",
    ]
    message, imported = import_staged(pending, context)
    assert imported and message.id == "data-upload-done"
    assert staged(staging) == []
    assert [b.file_name for b in store.batches()][-1] == "gamma.csv"
    # the same token again: nothing is waiting any more
    message, imported = import_staged(pending, context)
    assert not imported and "upload it again" in message.children


def test_a_forged_pending_import_reaches_nothing_outside(store: Store, staging: Path) -> None:
    context = Context(DataSource(store), Settings(), uploads=True)
    _, pending = stage(E2E_DATA / "gamma.csv", context)
    for forged in (
        {"token": "../" + pending["token"], "name": "gamma.csv"},
        {"token": "", "name": ".."},
        {"token": pending["token"], "name": "../../etc/passwd"},
        {"token": 5, "name": None},
        "gamma.csv",
    ):
        _, imported = import_staged(forged, context)
        assert not imported, forged
    assert staged_path({"token": pending["token"], "name": ".."}) == (
        staging / pending["token"] / "upload.csv"
    )
    assert len(store.batches()) == 1


def test_a_replaced_or_abandoned_file_goes(store: Store, staging: Path) -> None:
    context = Context(DataSource(store), Settings(), uploads=True)
    _, first = stage(E2E_DATA / "gamma.csv", context)
    discard(first)  # what the upload callback does when another file replaces it
    assert staged(staging) == []

    # a tab closed between check and import leaves its file; the next upload, a day later,
    # sweeps it (and a stray file), but not one staged an hour ago
    _, old = stage(E2E_DATA / "gamma.csv", context)
    _, recent = stage(E2E_DATA / "gamma.csv", context)
    stray = staging / "stray.tmp"
    stray.write_text("x")
    day_ago, hour_ago = time.time() - 24 * 3600 - 60, time.time() - 3600
    for folder, when in ((staging / old["token"], day_ago), (staging / recent["token"], hour_ago)):
        for path in [*folder.iterdir(), folder]:  # the file, its check's record, the folder
            os.utime(path, (when, when))
    os.utime(stray, (day_ago, day_ago))
    _, new = stage(E2E_DATA / "gamma.csv", context)
    assert sorted(p.name for p in staging.iterdir()) == sorted([recent["token"], new["token"]])
    assert sweep(time.time() + 24 * 3600 + 60) == 2
    assert staged(staging) == []


def test_checked_files_wait_in_a_private_folder(store: Store, staging: Path) -> None:
    """The staging folder and each file's folder: the server's user's only (0700); a staging
    folder others can write to is refused rather than used."""
    context = Context(DataSource(store), Settings(), uploads=True)
    _, pending = stage(E2E_DATA / "gamma.csv", context)
    assert pending is not None
    assert staging.stat().st_mode & 0o777 == 0o700
    assert (staging / pending["token"]).stat().st_mode & 0o777 == 0o700
    discard(pending)
    staging.chmod(0o777)  # as a shared temporary folder would be
    message, pending = stage(E2E_DATA / "gamma.csv", context)
    assert pending is None and "is not private" in str(message)
