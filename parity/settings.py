"""One frozen settings object, read from the environment (and nowhere else)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parity.errors import ParityError
from parity.reference import DATA_DIR

if TYPE_CHECKING:
    from parity.ingest import Limits

DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'parity.db'}"


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class SessionPolicy:
    """How long a signed-in session lasts: unused for ``idle_s`` seconds, or ``lifetime_s``
    after signing in, it ends (parity.web.sessions)."""

    idle_s: float = 30 * 60
    lifetime_s: float = 12 * 3600


@dataclass(frozen=True)
class Settings:
    """Configuration of a parity process.

    Each field is read from the environment variable named in its metadata; see README.
    """

    database_url: str = DEFAULT_DATABASE_URL
    """PARITY_DATABASE_URL: SQLAlchemy URL of the store (default: SQLite file data/parity.db)."""
    min_cell: int = 5
    """PARITY_MIN_CELL: in public mode, groups with fewer people show 'fewer than N'."""
    public: bool = True
    """PARITY_PUBLIC: public mode hides exact counts of small groups (1/0; default 1)."""
    debug: bool = False
    """PARITY_DEBUG: full tracebacks in the CLI (1/0; default 0). Dash debug mode, on the
    development server: ``parity serve --debug``."""
    allow_upload: bool | None = None
    """PARITY_ALLOW_UPLOAD: offer uploads and batch removal on the Data page (1/0). Unset: only
    when the server listens on loopback (127.0.0.1, localhost, ::1)."""
    max_upload_mb: int = 50
    """PARITY_MAX_UPLOAD_MB: files larger than this are refused before they are parsed."""
    allowed_hosts: tuple[str, ...] | None = None
    """PARITY_ALLOWED_HOSTS: comma-separated names (``name``, any port, or ``name:port``) the
    dashboard is reached by besides the address it listens on, e.g. behind a proxy. Unset: only
    that address (and localhost, 127.0.0.1, [::1] when it is loopback; any IP address,
    localhost and the machine's name when it is 0.0.0.0 or ::). See web.security.host_served."""
    secret_key: str | None = field(default=None, repr=False)
    """PARITY_SECRET_KEY: the key that signs session cookies; the same for every worker and
    restart. Required to serve on an address that is not loopback. Unset on loopback: a random
    key for each start of the server."""
    https: bool = False
    """PARITY_HTTPS: the dashboard is reached over HTTPS (a TLS proxy in front of it): session
    cookies are sent over HTTPS only, and responses carry Strict-Transport-Security (1/0;
    default 0)."""

    max_uncompressed_mb: int | None = None
    """PARITY_MAX_UNCOMPRESSED_MB: a file (gzip and XLSX expanded) larger than this is refused
    while it is read. Unset: 20 x PARITY_MAX_UPLOAD_MB."""
    max_columns: int = 200
    """PARITY_MAX_COLUMNS: files with more columns are refused before they are parsed."""
    max_rows: int = 20_000_000
    """PARITY_MAX_ROWS: files with more lines (or sheet rows) are refused while they are read."""
    max_cell: int = 1_000
    """PARITY_MAX_CELL: a cell longer than this many characters is refused."""
    sign_in: bool | None = None
    """PARITY_SIGN_IN: require signing in (1/0). Unset: required when the server listens beyond
    loopback; on loopback the person at the keyboard uses the dashboard at once."""
    public_access: bool = False
    """PARITY_PUBLIC_ACCESS: with sign-in, visitors who have not signed in see the public view
    (1/0; default 0: they are sent to the sign-in page)."""
    redis_url: str | None = None
    """PARITY_REDIS_URL: Redis shared by the server's workers (sign-in rate limits, cached
    views). Unset: each worker keeps its own."""
    oidc_issuer: str | None = None
    """PARITY_OIDC_ISSUER: the organisation's OpenID Connect provider (its issuer URL; the
    discovery document is ``<issuer>/.well-known/openid-configuration``). Set: the sign-in page
    offers "Sign in with your organisation" (see web.oidc). Unset: local accounts only."""
    oidc_client_id: str | None = None
    """PARITY_OIDC_CLIENT_ID: parity's client id at the provider (needed with the issuer)."""
    oidc_client_secret: str | None = field(default=None, repr=False)
    """PARITY_OIDC_CLIENT_SECRET: parity's client secret at the provider. Unset: a public client
    (PKCE alone)."""
    oidc_role_claim: str = "parity_role"
    """PARITY_OIDC_ROLE_CLAIM: the ID token claim holding the user's role (viewer, focal_point,
    steward or admin); a sign-in without one is refused."""
    oidc_entities_claim: str = "parity_entities"
    """PARITY_OIDC_ENTITIES_CLAIM: the ID token claim holding the user's entities (a list, or a
    comma-separated string)."""
    session_idle_minutes: int = 30
    """PARITY_SESSION_IDLE_MINUTES: a session unused this long ends (sign in again)."""
    session_hours: int = 12
    """PARITY_SESSION_HOURS: a session ends this long after signing in, however used."""
    upload_dir: Path | None = None
    """PARITY_UPLOAD_DIR: where an uploaded file waits between its check and its import. Behind
    a load balancer, a folder every instance shares (the check and the import may reach
    different instances); private to the server's user, checked at start. Unset: this host's
    temporary folder (one instance)."""
    trusted_proxies: int = 0
    """PARITY_TRUSTED_PROXIES: how many reverse proxies in front of the server append the
    client's address to X-Forwarded-For (and the scheme to X-Forwarded-Proto). The client
    address (sign-in limits, the audit) is read from there only through that many; 0: the
    connecting address, X-Forwarded-For ignored."""

    headline_scope: str = "professional-and-higher"
    """PARITY_HEADLINE_SCOPE: the named scope the Overview's and a briefing's headline speak of
    when the selection names no scope or grade (a key of parity.scopes: professional-and-higher,
    d1-and-above, p5-and-above, p4-and-above, senior-leadership, general-service, npo,
    field-service or all, or one of PARITY_SCOPES_FILE). UN reports lead with Professional and
    higher staff."""
    scopes_file: Path | None = None
    """PARITY_SCOPES_FILE: a CSV file of the organisation's own named scopes (columns key,
    label, grades), offered beside the built-in ones (parity.scopes.read_scopes)."""

    member_states_file: Path | None = None
    """PARITY_MEMBER_STATES_FILE: the organisation's member-state table (country, iso3,
    member, contribution_share, population; data/reference/member_states_template.csv): set, the
    Geography page shows the staff against their desirable ranges to users who see exact
    figures (parity.ranges)."""
    ranges_parameters: str = "un-secretariat"
    """PARITY_RANGES_PARAMETERS: the desirable ranges' weights and minimums, un-secretariat
    (membership 40%, contribution 55%, population 5%; at least ±4.8 posts, an upper limit of at
    least 14) or unesco (65/30/5, two posts at least per member)."""
    ranges_base: int | None = None
    """PARITY_RANGES_BASE: the base figure of the ranges, the posts subject to geographical
    distribution (unset: the set's, 3,600 or 850: give the current figure)."""
    ranges_scope: str = "professional-and-higher"
    """PARITY_RANGES_SCOPE: the named scope of the staff counted against the ranges (the posts
    subject to geographical distribution: international Professional and higher)."""

    def use_scopes(self) -> None:
        """Offer the organisation's scopes in this process, and check the headline scope names
        one (a clear error otherwise)."""
        from parity.reference import Reference
        from parity.scopes import all_scopes, use_organisation_scopes

        use_organisation_scopes(self.scopes_file, Reference.load())
        keys = [s.key for s in all_scopes()]
        if self.headline_scope not in keys:
            raise ParityError(
                f"PARITY_HEADLINE_SCOPE must be one of {', '.join(keys)}, "
                f"not {self.headline_scope!r}"
            )

    @property
    def session_policy(self) -> SessionPolicy:
        return SessionPolicy(
            idle_s=max(1, self.session_idle_minutes) * 60.0,
            lifetime_s=max(1, self.session_hours) * 3600.0,
        )

    def sign_in_required(self, host: str | None) -> bool:
        if self.sign_in is not None:
            return self.sign_in
        return host not in LOOPBACK_HOSTS

    @property
    def limits(self) -> Limits:
        """What an imported file may hold (see parity.ingest.Limits)."""
        from parity.ingest import Limits

        mb = self.max_uncompressed_mb
        return Limits(
            max_bytes=(20 * self.max_upload_mb if mb is None else mb) * 2**20,
            max_columns=self.max_columns,
            max_rows=self.max_rows,
            max_cell=self.max_cell,
        )

    def uploads_enabled(self, host: str | None) -> bool:
        """Uploads change the shared store: allowed on loopback, or when explicitly enabled."""
        if self.allow_upload is not None:
            return self.allow_upload
        return host in LOOPBACK_HOSTS

    @property
    def effective_min_cell(self) -> int:
        """The minimum cell size in force: ``min_cell`` in public mode, else 0 (exact counts)."""
        return self.min_cell if self.public else 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives (each variable as ``FROM_ENV`` reads it; an
        unset or empty one keeps the field's default)."""
        env = os.environ if environ is None else environ
        values = {}
        for name, variable, parse in FROM_ENV:
            raw = env.get(variable, "").strip()
            if raw:
                values[name] = parse(raw, variable)
        return cls(**values)


def _whole(text: str, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ParityError(f"{name} must be a whole number, not {text!r}") from None
    if value < 0:
        raise ParityError(f"{name} must not be negative, not {text!r}")
    return value


def _text(text: str, _name: str) -> str:
    return text


def _on(text: str, _name: str) -> bool:
    return text.lower() in {"1", "true", "yes", "on"}


_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:[0-9]{1,5})?")


def _hosts(text: str, _name: str = "PARITY_ALLOWED_HOSTS") -> tuple[str, ...] | None:
    """PARITY_ALLOWED_HOSTS: names, or names with a port, separated by commas."""
    names = tuple(n.strip().lower() for n in text.split(",") if n.strip())
    for name in names:
        if not _HOST.fullmatch(name):
            raise ParityError(
                f"PARITY_ALLOWED_HOSTS lists host names (name or name:port, comma-separated), "
                f"not {name!r}"
            )
    return names or None


def _path(text: str, _name: str) -> Path:
    return Path(text).expanduser()


FROM_ENV: tuple[tuple[str, str, Callable[[str, str], Any]], ...] = (
    ("database_url", "PARITY_DATABASE_URL", _text),
    ("min_cell", "PARITY_MIN_CELL", _whole),
    ("public", "PARITY_PUBLIC", _on),
    ("debug", "PARITY_DEBUG", _on),
    ("allow_upload", "PARITY_ALLOW_UPLOAD", _on),
    ("max_upload_mb", "PARITY_MAX_UPLOAD_MB", _whole),
    ("allowed_hosts", "PARITY_ALLOWED_HOSTS", _hosts),
    ("secret_key", "PARITY_SECRET_KEY", _text),
    ("https", "PARITY_HTTPS", _on),
    ("max_uncompressed_mb", "PARITY_MAX_UNCOMPRESSED_MB", _whole),
    ("max_columns", "PARITY_MAX_COLUMNS", _whole),
    ("max_rows", "PARITY_MAX_ROWS", _whole),
    ("max_cell", "PARITY_MAX_CELL", _whole),
    ("sign_in", "PARITY_SIGN_IN", _on),
    ("public_access", "PARITY_PUBLIC_ACCESS", _on),
    ("redis_url", "PARITY_REDIS_URL", _text),
    ("oidc_issuer", "PARITY_OIDC_ISSUER", _text),
    ("oidc_client_id", "PARITY_OIDC_CLIENT_ID", _text),
    ("oidc_client_secret", "PARITY_OIDC_CLIENT_SECRET", _text),
    ("oidc_role_claim", "PARITY_OIDC_ROLE_CLAIM", _text),
    ("oidc_entities_claim", "PARITY_OIDC_ENTITIES_CLAIM", _text),
    ("session_idle_minutes", "PARITY_SESSION_IDLE_MINUTES", _whole),
    ("session_hours", "PARITY_SESSION_HOURS", _whole),
    ("upload_dir", "PARITY_UPLOAD_DIR", _path),
    ("trusted_proxies", "PARITY_TRUSTED_PROXIES", _whole),
    ("headline_scope", "PARITY_HEADLINE_SCOPE", _text),
    ("scopes_file", "PARITY_SCOPES_FILE", _path),
    ("member_states_file", "PARITY_MEMBER_STATES_FILE", _path),
    ("ranges_parameters", "PARITY_RANGES_PARAMETERS", _text),
    ("ranges_base", "PARITY_RANGES_BASE", _whole),
    ("ranges_scope", "PARITY_RANGES_SCOPE", _text),
)
"""Each setting once: the field, its environment variable, and how its text is read (the
field's docstring says what it means; the README's table is checked against both)."""

ENVIRONMENT_VARIABLES = {name: variable for name, variable, _parse in FROM_ENV}
