"""Sign-in through the organisation's identity provider (OpenID Connect), against a real
provider: a small one built here (discovery document, published keys, authorization and token
endpoints), served on loopback by werkzeug on a thread, that signs in one configured person at
once. The dashboard fetches its discovery document, keys and tokens over HTTP, as it would from
the organisation's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

from parity.errors import ParityError
from parity.ingest import parse_file
from parity.settings import Settings
from parity.store import Store
from parity.web.app import create_app
from parity.web.oidc import OidcConfig, Refused, claimed_user, safe_next

DATA = Path(__file__).parent / "e2e" / "data"
CLIENT_ID, CLIENT_SECRET = "parity-dashboard", "s3cret-of-the-client"


@dataclass
class Provider:
    """A minimal OpenID provider: whoever comes to its authorization endpoint is ``claims``'s
    person at once; its token endpoint checks the client, the code, the redirect URI and the
    PKCE verifier, and returns an ID token signed with ``signing_key`` (normally its published
    key) for ``audience`` (normally the client)."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1"}))
    claims: dict[str, Any] = field(default_factory=dict)
    audience: str = CLIENT_ID
    signing_key: RSAKey | None = None
    unsigned: bool = False  # an ID token with alg "none" (the discovery document allows it)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def app(self) -> Flask:
        app = Flask("provider")

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256", "none"],
                code_challenge_methods_supported=["S256"],
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize() -> Any:
            args = request.args
            assert args["client_id"] == CLIENT_ID and args["response_type"] == "code"
            assert "openid" in args["scope"].split()
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "redirect_uri": args["redirect_uri"],
                "nonce": args["nonce"],
                "challenge": args["code_challenge"],
                "method": args["code_challenge_method"],
            }
            query = urlencode({"code": code, "state": args["state"]})
            return redirect(f"{args['redirect_uri']}?{query}")

        @app.post("/token")
        def token() -> Any:
            form = request.form.to_dict()
            self.token_requests.append(form)
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
                return jsonify(error="invalid_client"), 401
            grant = self.codes.pop(form.get("code", ""), None)
            if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
                return jsonify(error="invalid_grant"), 400
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return jsonify(error="invalid_grant", error_description="PKCE"), 400
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "aud": self.audience,
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                **self.claims,
            }
            if self.audience != CLIENT_ID:
                claims["azp"] = CLIENT_ID  # authorized party: still not the audience
            key = self.signing_key or self.key
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
            if self.unsigned:
                header = base64.urlsafe_b64encode(b'{"alg":"none","kid":"k1"}').rstrip(b"=")
                id_token = f"{header.decode()}.{id_token.split('.')[1]}."
            return jsonify(
                access_token=secrets.token_urlsafe(16),
                token_type="Bearer",
                expires_in=300,
                id_token=id_token,
            )

        return app


ANA = {
    "sub": "a1b2c3",
    "preferred_username": "ana",
    "parity_role": "focal_point",
    "parity_entities": ["Alpha"],
}


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    provider = Provider()
    server = make_server("127.0.0.1", 0, provider.app(), threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield provider
    server.shutdown()
    thread.join(5)


@pytest.fixture()
def idp(provider: Provider) -> Provider:
    """The provider, signing in ana (focal point for Alpha) with its own key."""
    provider.claims = dict(ANA)
    provider.audience, provider.signing_key, provider.unsigned = CLIENT_ID, None, False
    provider.token_requests.clear()
    return provider


@pytest.fixture()
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'o.db'}"
    store = Store(url)
    store.import_parsed(parse_file(DATA / "staff.csv", store.reference()))
    store.dispose()
    return url


def settings(db: str, issuer: str, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": db,
        "sign_in": True,
        "secret_key": "k" * 32,
        "oidc_issuer": issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        **changes,
    }
    return Settings(**values)


@pytest.fixture()
def client(db: str, idp: Provider) -> Iterator[Any]:
    app = create_app(settings(db, idp.issuer), host="127.0.0.1")
    app.server.config["TESTING"] = True
    with app.server.test_client() as test_client:
        yield test_client


def sign_in(client: Any, provider: Provider, next_page: str = "/grades") -> Any:
    """The browser's round trip: the dashboard sends it to the provider, which sends it back
    with a code; the dashboard's answer to that callback."""
    start = client.get(f"/signin/oidc?next={next_page}")
    assert start.status_code == 302, start.data
    location = start.headers["Location"]
    assert location.startswith(f"{provider.issuer}/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert query["code_challenge_method"] == "S256" and query["state"] and query["nonce"]
    assert query["redirect_uri"] == "http://localhost/signin/oidc/callback"
    back = requests.get(location, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == "/signin/oidc/callback"
    return client.get(f"{callback.path}?{callback.query}")


def audit(db: str) -> list[tuple[str, str, str]]:
    store = Store(db)
    try:
        return [(who, action, detail) for _, who, action, detail, _host in store.audit_log()]
    finally:
        store.dispose()


def stored_user(db: str, name: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """(role, entities, password hash) of a stored user, or None."""
    store = Store(db)
    try:
        found = store.user(name)
        return None if found is None else (found.role, found.entities, found.password_hash)
    finally:
        store.dispose()


def test_the_sign_in_page_offers_the_organisation(client: Any) -> None:
    page = client.get("/signin?next=/grades").get_data(as_text=True)
    assert '<a class="signin-oidc" href="/signin/oidc?next=/grades">' in page
    assert "Sign in with your organisation" in page
    assert client.get("/grades").status_code == 302  # nobody signed in yet


def test_signed_in_by_the_provider_with_its_role_and_scope(
    client: Any, idp: Provider, db: str
) -> None:
    signed = sign_in(client, idp)
    # the page asked for, on the focal point's own entity
    assert signed.status_code == 302 and signed.headers["Location"] == "/grades?entity=Alpha"
    # the code was exchanged with the client's secret and the PKCE verifier
    exchange = idp.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and exchange["code_verifier"]
    assert stored_user(db, "ana") == ("focal_point", ("Alpha",), None)  # no password
    assert client.get("/grades").status_code == 200
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert "Signed in as ana (focal point): exact figures for Alpha;" in layout
    assert audit(db)[:2] == [
        ("ana", "sign-in", "oidc (sub a1b2c3) from 127.0.0.1"),
        (f"oidc:{idp.issuer}", "user added", "ana: focal_point for Alpha"),
    ]
    # the next sign-in takes the provider's role of that moment
    client.get("/signout")
    idp.claims.update(parity_role="steward", parity_entities="Alpha, Beta")
    assert sign_in(client, idp).status_code == 302
    assert stored_user(db, "ana") == ("steward", ("Alpha", "Beta"), None)
    assert audit(db)[1] == (f"oidc:{idp.issuer}", "user changed", "ana: steward for Alpha, Beta")


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"audience": "another-client"}, "aud"),
     ({"signing_key": RSAKey.generate_key(2048, {"kid": "k1"})}, "signature"),
     ({"unsigned": True}, "none")],
)  # fmt: skip
def test_a_token_not_for_parity_or_not_signed_by_the_provider_is_refused(
    client: Any, idp: Provider, db: str, change: dict[str, Any], reason: str
) -> None:
    for name, value in change.items():
        setattr(idp, name, value)
    refused = sign_in(client, idp)
    assert refused.status_code == 401
    assert "could not be verified" in refused.get_data(as_text=True)
    assert stored_user(db, "ana") is None
    assert client.get("/grades").status_code == 302  # still not signed in
    who, action, detail = audit(db)[0]
    assert (who, action) == ("?", "sign-in failed") and reason in detail


def test_a_missing_or_unknown_role_is_refused(client: Any, idp: Provider, db: str) -> None:
    del idp.claims["parity_role"]
    refused = sign_in(client, idp)
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "Your organisation&#x27;s account (ana) has no role for parity" in text
    assert "Sign in with your organisation" in text  # the sign-in page, to try again
    assert stored_user(db, "ana") is None
    assert client.get("/grades").status_code == 302
    assert audit(db)[0][:2] == ("ana", "sign-in failed")
    idp.claims["parity_role"] = "superuser"
    assert sign_in(client, idp).status_code == 403
    assert "an unknown role (superuser)" in audit(db)[0][2]


def test_a_local_account_is_not_taken_over(client: Any, idp: Provider, db: str) -> None:
    from parity.auth import hash_password

    store = Store(db)
    store.put_user("ana", "admin", (), hash_password("a long local password", "ana"))
    store.dispose()
    refused = sign_in(client, idp)
    assert refused.status_code == 403
    assert "belongs to a parity account with a password" in refused.get_data(as_text=True)
    found = stored_user(db, "ana")
    assert found is not None and found[:2] == ("admin", ()) and found[2]  # as it was
    assert audit(db)[0][:2] == ("ana", "sign-in failed")


def test_a_callback_not_started_here_is_refused(client: Any, idp: Provider) -> None:
    forged = client.get("/signin/oidc/callback?code=abc&state=not-ours")
    assert forged.status_code == 400
    assert "not started here" in forged.get_data(as_text=True)
    cancelled = client.get("/signin/oidc/callback?error=access_denied")
    assert cancelled.status_code == 401 and "access_denied" in cancelled.get_data(as_text=True)


def test_an_unreachable_provider_is_a_clear_page(db: str) -> None:
    app = create_app(settings(db, "http://127.0.0.1:9"), host="127.0.0.1")  # nothing listens
    with app.server.test_client() as client:
        answer = client.get("/signin/oidc")
    assert answer.status_code == 502
    assert "cannot be reached just now" in answer.get_data(as_text=True)


def test_the_configuration() -> None:
    assert OidcConfig.from_settings(Settings()) is None
    with pytest.raises(ParityError, match="must use https"):
        OidcConfig.from_settings(Settings(oidc_issuer="http://idp.example.org", oidc_client_id="x"))
    with pytest.raises(ParityError, match="PARITY_OIDC_CLIENT_ID is needed"):
        OidcConfig.from_settings(Settings(oidc_issuer="https://idp.example.org"))
    config = OidcConfig.from_settings(
        Settings.from_env(
            {
                "PARITY_OIDC_ISSUER": "https://idp.example.org/realms/staff/",
                "PARITY_OIDC_CLIENT_ID": "parity",
                "PARITY_OIDC_ROLE_CLAIM": "roles",
            }
        )
    )
    assert config is not None and config.client_secret is None  # a public client
    assert config.discovery_url == (
        "https://idp.example.org/realms/staff/.well-known/openid-configuration"
    )
    assert (config.role_claim, config.entities_claim) == ("roles", "parity_entities")
    # parity serve says so before it starts a worker
    from parity.web.serve import serve

    incomplete = Settings(sign_in=True, oidc_issuer="https://idp.example.org")
    with pytest.raises(ParityError, match="PARITY_OIDC_CLIENT_ID is needed"):
        serve(incomplete, "127.0.0.1", 0, workers=1)


def test_claims_become_a_user() -> None:
    config = OidcConfig("https://idp", "parity")
    claims: dict[str, Any] = {"sub": "x9", "parity_role": ["staff", "viewer"]}
    assert claimed_user(claims, config) == ("x9", "viewer", ())
    claims.update(preferred_username="ana", parity_role="admin", parity_entities="")
    assert claimed_user(claims, config) == ("ana", "admin", ())
    cases: list[tuple[Any, Any]] = [(["viewer", "admin"], None), ("focal_point", []), ("viewer", 3)]
    for role, entities in cases:
        with pytest.raises(Refused):
            claimed_user({"sub": "x", "parity_role": role, "parity_entities": entities}, config)
    assert [safe_next(t) for t in ("/grades?x=1", "//evil", "/\\evil", "https://e", None)] == [
        "/grades?x=1", "/", "/", "/", "/"
    ]  # fmt: skip
