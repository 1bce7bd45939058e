"""Sign-in through the organisation's identity provider (OpenID Connect, with Authlib).

``/signin/oidc`` sends the browser to the provider (authorization code flow with PKCE, state and
nonce, kept in the signed session); ``/signin/oidc/callback`` exchanges the code for tokens,
validates the ID token (signature by the provider's published keys, issuer, audience, expiry,
nonce) and turns two of its claims into the user's role and entities. The provider decides who
is who: each sign-in records the user in the store (no password) with the role and entities of
that moment; a missing or unknown role refuses the sign-in. Local accounts keep working beside
it (an administrator's account when the provider is down), and the provider may not take over
one: a name that has a local password is refused.

The provider is configured by PARITY_OIDC_ISSUER (its discovery document is
``<issuer>/.well-known/openid-configuration``), PARITY_OIDC_CLIENT_ID and
PARITY_OIDC_CLIENT_SECRET (unset: a public client, PKCE only); PARITY_OIDC_ROLE_CLAIM and
PARITY_OIDC_ENTITIES_CLAIM name the claims.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Flask, Response, redirect, request, session, url_for

from parity.auth import ROLES
from parity.errors import ParityError
from parity.i18n import N_, _
from parity.services.users import provision
from parity.settings import LOOPBACK_HOSTS
from parity.store import Store
from parity.web import sessions
from parity.web.sessions import landing, safe_next

if TYPE_CHECKING:
    from parity.settings import Settings

CALLBACK = "/signin/oidc/callback"
NEXT_KEY = "parity_oidc_next"
TIMEOUT = 10.0  # seconds for each request to the provider


@dataclass(frozen=True)
class OidcConfig:
    """Where the identity provider is, who parity is to it, and which claims say what."""

    issuer: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    role_claim: str = "parity_role"
    entities_claim: str = "parity_entities"
    https: bool = False  # the dashboard's own address (the redirect URI) is https

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcConfig | None:
        """The configuration when PARITY_OIDC_ISSUER is set (None otherwise); a clear error for
        an incomplete one or a provider reached without TLS beyond loopback."""
        issuer = (settings.oidc_issuer or "").strip()
        if not issuer:
            return None
        parts = urlsplit(issuer)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ParityError(f"PARITY_OIDC_ISSUER must be an https URL, not {issuer!r}")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
            raise ParityError(
                f"PARITY_OIDC_ISSUER must use https (tokens travel over it), not {issuer!r}"
            )
        if not (settings.oidc_client_id or "").strip():
            raise ParityError("PARITY_OIDC_ISSUER is set: PARITY_OIDC_CLIENT_ID is needed too")
        return cls(
            issuer=issuer,
            client_id=(settings.oidc_client_id or "").strip(),
            client_secret=settings.oidc_client_secret or None,
            role_claim=settings.oidc_role_claim,
            entities_claim=settings.oidc_entities_claim,
            https=settings.https,
        )


class Refused(Exception):
    """Claims that do not make a parity user; the message is for the person signing in.

    ``message`` is a catalogue message (marked with ``N_``) with ``{named}`` placeholders
    filled by ``values``: ``str()`` is the English (for the audit), ``shown()`` the request's
    language (for the sign-in page)."""

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message.format(**values))
        self.message = message
        self.values = values

    def shown(self) -> str:
        """The refusal in the request's language."""
        return _(self.message).format(**self.values)


NO_ENTITY = {
    "focal_point": N_(
        "Your organisation's account ({name}) is a focal point for parity but names no "
        "entity: ask your administrator to set the claim {claim}."
    ),
    "steward": N_(
        "Your organisation's account ({name}) is a data steward for parity but names no "
        "entity: ask your administrator to set the claim {claim}."
    ),
}
"""The refusal of a role that needs entities, for an account that names none (a whole
sentence for each role: the role's words take different grammar in other languages)."""


def claimed_user(claims: Mapping[str, Any], config: OidcConfig) -> tuple[str, str, tuple[str, ...]]:
    """(name, role, entities) from validated ID token claims. The name is the provider's
    ``preferred_username`` (its ``sub`` when there is none); the role is the role claim, a
    string or a list naming exactly one of parity's roles; the entities are a list or a
    comma-separated string."""
    name = claims.get("preferred_username") or claims.get("sub")
    if not isinstance(name, str) or not name.strip():
        raise Refused(N_("The organisation's sign-in did not say who you are."))
    name = name.strip()[:120]
    raw = claims.get(config.role_claim)
    candidates = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    roles = list(dict.fromkeys(r.strip() for r in candidates if isinstance(r, str)))
    known = [r for r in roles if r in ROLES]
    choices = ", ".join(ROLES)
    if not roles:
        raise Refused(
            N_(
                "Your organisation's account ({name}) has no role for parity: ask your "
                "administrator to give it one in the claim {claim} ({choices})."
            ),
            name=name,
            claim=config.role_claim,
            choices=choices,
        )
    if len(known) > 1:
        raise Refused(
            N_(
                "Your organisation's account ({name}) has several roles for parity in the "
                "claim {claim}: it needs exactly one of {choices}."
            ),
            name=name,
            claim=config.role_claim,
            choices=choices,
        )
    if not known:
        raise Refused(
            N_(
                "Your organisation's account ({name}) has an unknown role ({roles}) for parity "
                "in the claim {claim}: it needs exactly one of {choices}."
            ),
            name=name,
            roles=", ".join(roles),
            claim=config.role_claim,
            choices=choices,
        )
    role = known[0]
    entities = _entities(claims.get(config.entities_claim))
    if entities is None:
        raise Refused(
            N_(
                "The claim {claim} of your organisation's account ({name}) is neither a list "
                "of entities nor a comma-separated list."
            ),
            claim=config.entities_claim,
            name=name,
        )
    if role in NO_ENTITY and not entities:
        raise Refused(NO_ENTITY[role], name=name, claim=config.entities_claim)
    return name, role, entities


def _entities(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(dict.fromkeys(v.strip()[:200] for v in value if v.strip()))


UNREACHABLE = N_(
    "Your organisation's sign-in cannot be reached just now: try again later, or sign in "
    "with a parity account."
)
"""Shown (through ``_``, in the language of the request) when the provider does not answer."""


def _client(server: Flask, config: OidcConfig) -> Any:
    """The provider's client (Authlib): authorization code flow with PKCE (S256); a public
    client (no secret) authenticates by PKCE alone."""
    from authlib.integrations.flask_client import OAuth

    client_kwargs: dict[str, Any] = {
        "scope": "openid profile",
        "code_challenge_method": "S256",
        "default_timeout": TIMEOUT,
    }
    if config.client_secret is None:
        client_kwargs["token_endpoint_auth_method"] = "none"  # a public client: PKCE alone
    return OAuth(server).register(
        "parity_oidc",
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=config.discovery_url,
        client_kwargs=client_kwargs,
    )


@dataclass(frozen=True)
class OidcSignIn:
    """The two routes of OpenID Connect sign-in, on what they share: the server (its log), the
    store, whether signing in is required, the configuration, the provider's client and
    ``page``, which renders the sign-in page with a message (and an HTTP status)."""

    server: Flask
    store: Store
    sign_in: bool
    config: OidcConfig
    provider: Any
    page: Callable[[str, int], Response]

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (read once), checked: it must name the configured
        issuer, and ID tokens are never accepted unsigned."""
        data: dict[str, Any] = self.provider.load_server_metadata()
        if data.get("issuer") != self.config.issuer:
            self.provider.server_metadata.clear()  # read again next time
            raise ParityError(
                f"the discovery document names the issuer {data.get('issuer')!r}, "
                f"not {self.config.issuer!r}"
            )
        algorithms = data.get("id_token_signing_alg_values_supported") or ["RS256"]
        data["id_token_signing_alg_values_supported"] = [
            a for a in algorithms if isinstance(a, str) and a.lower() != "none"
        ]
        return data

    def start(self) -> Any:
        """``/signin/oidc``: the browser sent to the provider, the page to come back to kept in
        the session."""
        from authlib.common.errors import AuthlibBaseError
        from requests import RequestException

        if not self.sign_in:
            return redirect("/")
        target = safe_next(request.args.get("next"))
        scheme = "https" if self.config.https else request.scheme
        redirect_uri = url_for("oidc_callback", _external=True, _scheme=scheme)
        try:
            self.metadata()
            response = self.provider.authorize_redirect(redirect_uri)
        except (ParityError, AuthlibBaseError, RequestException, ValueError, RuntimeError) as e:
            self.server.logger.warning("OpenID Connect provider %s: %s", self.config.issuer, e)
            return self.page(_(UNREACHABLE), 502)
        session[NEXT_KEY] = target
        return response

    def callback(self) -> Any:
        """``/signin/oidc/callback``: the provider's answer, its ID token validated, its claims
        made a parity user (recorded as the provider says), and a new session."""
        if not self.sign_in:
            return redirect("/")
        address = request.remote_addr or "unknown"
        if request.args.get("error"):
            reason = request.args.get("error_description") or request.args["error"]
            return self.page(
                _("Your organisation's sign-in did not complete: {reason}").format(
                    reason=reason[:200]
                ),
                401,
            )
        claims = self._claims(address)
        if isinstance(claims, Response):
            return claims
        try:
            name, role, entities = claimed_user(claims, self.config)
            existing = self.store.user(name)
            if existing is not None and existing.password_hash:
                raise Refused(
                    N_(
                        "The name {name} belongs to a parity account with a password: sign in "
                        "with it below, or ask your administrator."
                    ),
                    name=name,
                )
        except Refused as refused:
            who = claims.get("preferred_username") or claims.get("sub") or "?"
            self.store.audit(str(who), "sign-in failed", f"oidc from {address}: {refused}")
            return self.page(refused.shown(), 403)
        if existing is None or (existing.role, existing.entities) != (role, entities):
            # the provider decides the role: recorded with its audit record, as the provider's
            provision(self.store, self.config.issuer, name, role, entities)
        target = landing(safe_next(session.get(NEXT_KEY)), role, entities)
        record = self.store.user(name)
        sessions.start(name, record.session_version if record is not None else 0)
        sessions.forget()
        subject = f" (sub {claims.get('sub')})" if claims.get("sub") != name else ""
        self.store.audit(name, "sign-in", f"oidc{subject} from {address}")
        return redirect(target)

    def _claims(self, address: str) -> dict[str, Any] | Response:
        """The validated ID token's claims, from the code the provider sent back; or the
        sign-in page saying why there are none (the failure audited when it is not the
        provider's absence)."""
        from authlib.common.errors import AuthlibBaseError
        from authlib.integrations.base_client import MismatchingStateError
        from joserfc.errors import JoseError
        from requests import RequestException

        try:
            self.metadata()
            token = self.provider.authorize_access_token(
                claims_options={
                    "iss": {"essential": True, "value": self.config.issuer},
                    "aud": {"essential": True, "value": self.config.client_id},
                }
            )
        except MismatchingStateError:
            return self.page(
                _("The sign-in expired or was not started here; please try again."), 400
            )
        except (ParityError, RequestException) as error:
            self.server.logger.warning("OpenID Connect provider %s: %s", self.config.issuer, error)
            return self.page(_(UNREACHABLE), 502)
        except (AuthlibBaseError, JoseError, ValueError) as error:
            self.store.audit("?", "sign-in failed", f"oidc from {address}: {error}"[:2000])
            return self.page(
                _("Your organisation's sign-in could not be verified; nothing changed."), 401
            )
        claims: dict[str, Any] | None = token.get("userinfo")  # the validated ID token's claims
        if not claims:
            self.store.audit("?", "sign-in failed", f"oidc from {address}: no ID token")
            return self.page(
                _("Your organisation's sign-in could not be verified; nothing changed."), 401
            )
        return claims


def install(
    server: Flask,
    store: Store,
    sign_in: bool,
    config: OidcConfig,
    page: Callable[[str, int], Response],
) -> None:
    """The two routes of OpenID Connect sign-in; ``page`` renders the sign-in page with a
    message (and an HTTP status)."""
    views = OidcSignIn(server, store, sign_in, config, _client(server, config), page)
    server.add_url_rule("/signin/oidc", "oidc_signin", views.start)
    server.add_url_rule(CALLBACK, "oidc_callback", views.callback)
