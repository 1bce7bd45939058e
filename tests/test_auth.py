"""Sign-in, roles scoped to entities, and the audit (issue 10): local accounts through the
command line, the dashboard's sign-in page, and callbacks crafted for another entity's figures.

tests/e2e/data/staff.csv, 2025: Alpha's D-1 holds 1 woman and 3 men (4 people: withheld in
public mode); Alpha's P-4 6 women, 4 men and 1 other; Beta's grades are all 10 people or more.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parity.auth import LOCAL, PUBLIC, User, rule_for
from parity.cli import main
from parity.ingest import parse_file
from parity.privacy import PrivacyRule
from parity.settings import Settings
from parity.store import Store
from parity.web.app import create_app

DATA = Path(__file__).parent / "e2e" / "data"
PASSWORD = "correct horse battery"


def test_the_rule_follows_the_scope() -> None:
    public = PrivacyRule(5)
    ana = User("ana", "focal_point", ("Alpha",))
    assert rule_for(ana, ("Alpha",), public) == PrivacyRule(0)
    assert rule_for(ana, ("Alpha", "Beta"), public) == public  # Beta is out of scope
    assert rule_for(ana, (), public) == public  # every entity: out of scope
    assert rule_for(User("root", "admin"), (), public) == PrivacyRule(0)
    for user in (PUBLIC, LOCAL, User("vic", "viewer")):
        assert rule_for(user, ("Alpha",), public) == public


@pytest.fixture()
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = Store(url)
    store.import_parsed(parse_file(DATA / "staff.csv", store.reference()))
    store.dispose()
    return url


def add_user(db: str, name: str, role: str, *entities: str, monkeypatch: Any) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    args = ["users", "add", name, "--role", role, "--password-stdin", "--db", db]
    for entity in entities:
        args += ["--entity", entity]
    assert main(args) == 0


def test_users_from_the_command_line(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_user(db, "ana", "focal_point", "Alpha", monkeypatch=monkeypatch)
    assert (
        main(["users", "set-role", "ana", "--role", "steward", "--entity", "Beta", "--db", db]) == 0
    )
    assert main(["users", "add", "ana", "--role", "viewer", "--db", db]) == 2
    assert main(["users", "add", "zed", "--role", "steward", "--db", db]) == 2  # no entity
    assert main(["users", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "ana   steward  Beta      yes" in out
    assert main(["users", "remove", "ana", "--db", db]) == 0
    assert main(["audit", "--db", db]) == 0
    out = capsys.readouterr().out
    for action in ("user removed", "user changed", "user added"):
        assert action in out
    # the password is stored only as an argon2 hash
    dump = "\n".join(sqlite3.connect(tmp_path / "a.db").iterdump())
    assert PASSWORD not in dump


@pytest.fixture()
def client(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    add_user(db, "ana", "focal_point", "Alpha", monkeypatch=monkeypatch)
    add_user(db, "bob", "focal_point", "Beta", monkeypatch=monkeypatch)
    add_user(db, "sam", "steward", "Beta", monkeypatch=monkeypatch)
    settings = Settings(database_url=db, sign_in=True, secret_key="k" * 32)
    app = create_app(settings, host="127.0.0.1")
    app.server.config["TESTING"] = True
    with app.server.test_client() as test_client:
        yield test_client


def sign_in(client: Any, name: str, password: str = PASSWORD) -> Any:
    client.get("/signin")
    with client.session_transaction() as session:
        token = session["csrf"]
    return client.post(
        "/signin", data={"name": name, "password": password, "csrf": token, "next": "/grades"}
    )


def sign_out(client: Any) -> Any:
    """The scope bar's "Sign out": a POST with the session's form token."""
    with client.session_transaction() as session:
        token = session.get("csrf", "")
    return client.post("/signout", data={"csrf": token})


def outputs_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """A callback's outputs as the browser sends them: a pattern id (a chart's table rows)
    as its dict."""
    outputs = []
    for output in spec["output"].strip(".").split("..."):
        cid, prop = output.rsplit(".", 1)
        outputs.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    return outputs


def grades_callback(client: Any, query: str) -> dict[str, Any]:
    """The Grades page's callback as the browser sends it, with ``query`` as the filters."""
    dependencies = client.get("/_dash-dependencies").get_json()
    spec = next(d for d in dependencies if any(i["id"] == "grades-init" for i in d["inputs"]))
    values = {"filters": query, "grades-init": 1}
    body = {
        "output": spec["output"],
        "outputs": outputs_of(spec),
        "inputs": [
            {"id": i["id"], "property": i["property"], "value": values[i["id"]]}
            for i in spec["inputs"]
        ],
        "changedPropIds": ["filters.data"],
        "state": [],
    }
    response = client.post(
        "/_dash-update-component",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 200, response.data
    return response.get_json()["response"]  # type: ignore[no-any-return]


def d1_row(response: dict[str, Any]) -> dict[str, Any]:
    rows = response["grades-grid"]["rowData"]
    return next(r for r in rows if r["grade"] == "D-1")


def test_pages_ask_to_sign_in_and_the_audit_records_it(client: Any, db: str) -> None:
    assert client.get("/grades").status_code == 302
    assert client.get("/grades").headers["Location"].startswith("/signin?next=/grades")
    assert client.post("/_dash-update-component", json={}).status_code == 401
    wrong = sign_in(client, "ana", "wrong password!")
    assert "Wrong user name or password." in wrong.get_data(as_text=True)
    client.get("/signin")
    refused = client.post("/signin", data={"name": "ana", "password": PASSWORD, "csrf": "x"})
    assert refused.status_code == 400  # a forged form
    signed = sign_in(client, "ana")
    assert signed.status_code == 302 and signed.headers["Location"] == "/grades?entity=Alpha"
    assert client.get("/grades").status_code == 200
    sign_out(client)
    assert client.get("/grades").status_code == 302
    store = Store(db)
    actions = [(who, action, detail[:9]) for _, who, action, detail, _host in store.audit_log()]
    store.dispose()
    assert actions[:4] == [
        ("ana", "sign-out", ""),
        ("ana", "sign-in", "from 127."),
        ("ana", "sign-in failed", "from 127."),
        (actions[3][0], "user added", "sam: stew"),  # by the command line's operator
    ]
    assert actions[3][0].startswith("cli:")


def test_sign_in_attempts_are_limited(client: Any) -> None:
    statuses = [sign_in(client, "ana", f"wrong guess {i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]  # the form again with its reason, then no more


def test_exact_figures_only_in_scope(client: Any) -> None:
    sign_in(client, "ana")  # focal point for Alpha
    own = d1_row(grades_callback(client, "entity=Alpha"))
    assert (own["women"], own["men"], own["hidden_text"]) == (1, 3, None)
    sign_out(client)
    sign_in(client, "bob")  # focal point for Beta, crafting a request for Alpha
    other = d1_row(grades_callback(client, "entity=Alpha"))
    assert (other["women"], other["men"], other["hidden_text"]) == (None, None, "not shown")
    both = d1_row(grades_callback(client, "entity=Alpha&entity=Beta"))
    assert both["women"] is None


def test_a_steward_imports_only_their_entities(client: Any, db: str) -> None:
    import base64

    from parity.web import sessions
    from parity.web.pages.data.check import stage_upload
    from parity.web.source import Context, DataSource

    def as_user(name: str) -> None:
        found = source.store.user(name)
        assert found is not None
        sessions.start(name, found.session_version)
        sessions.forget()

    text = "year,entity,grade,gender,headcount\n2025,Beta,P-4,F,1\n2025,Gamma,P-4,M,2\n"
    content = "data:text/csv;base64," + base64.b64encode(text.encode()).decode()
    source = DataSource(Store(db))
    context = Context(source, Settings(database_url=db), uploads=False, sign_in=True)
    with client.application.test_request_context("/data"):
        as_user("sam")  # steward for Beta
        message, pending = stage_upload(content, "mixed.csv", context)
        assert pending is None
        assert "holds figures of Gamma, outside your entities (Beta); nothing was changed" in (
            str(message)
        )
        as_user("ana")  # a focal point may not import at all
        assert not context.may_change
    source.store.dispose()


def test_pages_say_whose_scope_they_show(client: Any) -> None:
    sign_in(client, "ana")
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert "Signed in as ana (focal point): exact figures for Alpha; the public view of other " \
        "entities." in layout  # fmt: skip
    assert "/signout" in layout


def test_administrators_read_the_audit(
    client: Any, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(db, "root", "admin", monkeypatch=monkeypatch)
    sign_in(client, "ana")
    assert client.get("/audit").status_code == 403
    sign_out(client)
    sign_in(client, "root")
    page = client.get("/audit")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<td>root</td><td>sign-in</td>" in text and "<td>ana</td><td>sign-out</td>" in text


def test_workers_share_the_sign_in_limit_through_the_store(db: str) -> None:
    """Failures are rows of the store: two workers (two apps on one store, no Redis) count the
    same ones, five for a name from one address, whichever worker took them."""
    apps = [
        create_app(Settings(database_url=db, sign_in=True, secret_key="k" * 32), "127.0.0.1")
        for _ in range(2)
    ]
    clients = [app.server.test_client() for app in apps]
    statuses = [sign_in(clients[i % 2], "ana", f"wrong guess {i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]


def test_views_are_cached_per_scope_and_shared_through_redis(db: str) -> None:
    """Two workers (two Contexts) share a view through Redis; a cached exact view is never
    served to a public rule; a new batch makes the cache stale."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    from parity.views.grades import grades
    from parity.web.cache import ViewCache
    from parity.web.source import Context, DataSource

    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return grades(*args, **kwargs)

    counted.__qualname__ = f"counted-{db}"  # a key of its own for this test's store
    workers = [
        Context(
            DataSource(Store(db)), Settings(database_url=db), False, cache=ViewCache(url, "k" * 32)
        )
        for _ in range(2)
    ]
    first = workers[0].view(counted, "entity=Alpha")
    second = workers[1].view(counted, "entity=Alpha")
    assert len(calls) == 1  # the second worker read the first one's view
    d1 = next(r for r in second.table.records() if r["grade"] == "D-1")
    assert d1["hidden_text"] == "not shown"  # the public rule of a loopback reader
    assert first.table.title == second.table.title
    store = workers[0].source.store
    store.import_parsed(parse_file(DATA / "flows.csv", store.reference()))  # a new version
    workers[1].view(counted, "entity=Alpha")
    assert len(calls) == 2
    for worker in workers:
        worker.source.store.dispose()


def every_page_callback(client: Any, query: str) -> list[dict[str, Any]]:
    """Every callback that takes the filters, posted as the browser would with ``query``; the
    grid rows of all their responses."""
    rows: list[dict[str, Any]] = []
    for spec in client.get("/_dash-dependencies").get_json():
        inputs = spec["inputs"]
        others = [i["id"] for i in inputs if i["id"] != "filters"]
        if len(others) == len(inputs) or not all(str(o).endswith("-init") for o in others):
            continue  # not a page view of the filters alone
        if "..." not in spec["output"]:
            continue  # one output: no grid
        values = {"filters": query}
        body = {
            "output": spec["output"],
            "outputs": outputs_of(spec),
            "inputs": [
                {"id": i["id"], "property": i["property"], "value": values.get(i["id"], 1)}
                for i in inputs
            ],
            "changedPropIds": ["filters.data"],
            "state": [
                {"id": s["id"], "property": s["property"], "value": None}
                for s in spec.get("state", [])
            ],
        }
        response = client.post(
            "/_dash-update-component",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Origin": "http://localhost"},
        )
        if response.status_code != 200:
            continue  # a callback that needs more than the filters (controls): not a page view
        for output in response.get_json()["response"].values():
            data = output.get("rowData") if isinstance(output, dict) else None
            if isinstance(data, list):
                rows += data
    return rows


def test_no_page_gives_exact_figures_out_of_scope(client: Any) -> None:
    sign_in(client, "ana")  # Alpha's focal point: Alpha's D-1 exact on every page
    own = [r for r in every_page_callback(client, "entity=Alpha") if r.get("grade") == "D-1"]
    assert own and all(r.get("women") == 1 for r in own if "women" in r)
    sign_out(client)
    sign_in(client, "bob")  # Beta's focal point asking for Alpha
    crafted = every_page_callback(client, "entity=Alpha")
    d1 = [r for r in crafted if r.get("grade") == "D-1"]
    assert d1 and all(r.get("women") is None for r in d1)
    assert all(r.get("hidden_text") for r in d1 if "hidden_text" in r)
