"""create_app(settings): the Dash application, assembled from its parts: the request guard and
security headers (parity.web.security), the request's language (parity.web.language), sign-in
(parity.web.auth), the page shell and its filter panel (parity.web.shell,
parity.web.filter_panel), the pages and the briefing menu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dash import Dash
from flask import Flask, jsonify

from parity import i18n
from parity.audit import instance
from parity.errors import ParityError
from parity.i18n import _
from parity.settings import Settings
from parity.store import Store
from parity.web import briefing_menu, filter_panel, language, security, shell
from parity.web.auth import install as install_sign_in
from parity.web.cache import ViewCache
from parity.web.oidc import OidcConfig
from parity.web.pages import PAGES
from parity.web.pages.data import staging
from parity.web.source import Context, DataSource

ASSETS = Path(__file__).resolve().parents[2] / "assets"


class ParityDash(Dash):
    """Dash, with the page's language and title in the language of the request."""

    def interpolate_index(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["title"] = _("parity · gender parity dashboard")
        page = super().interpolate_index(*args, **kwargs)
        return page.replace("<html>", f'<html lang="{i18n.language()}">', 1)


def _health(server: Flask, source: DataSource, min_cell: int) -> None:
    """``/healthz`` (open before signing in), for a load balancer: 200 "ready" when the store
    answers, its schema is current and this instance has read the frames of the store's
    current version; else 503 with the reason ("loading": the frames are being read, started
    by the check itself). It names the instance and the store version it serves."""

    @server.route("/healthz")
    def health() -> Any:
        body: dict[str, Any] = {"instance": instance()}
        try:
            version, schema = source.store.readiness()
        except ParityError as error:
            return jsonify(status="unavailable", reason=str(error), **body), 503
        body.update(
            batches=version.batches, latest_batch=version.latest_batch, version=list(version)
        )
        if not schema.up_to_date:
            reason = f"schema revision {schema.current}, not {schema.head}: parity db upgrade"
            return jsonify(status="unavailable", reason=reason, **body), 503
        if not source.ready_for(version):
            source.load_in_background(min_cell)
            return jsonify(status="loading", **body), 503
        return jsonify(status="ready", **body)


def create_app(settings: Settings, host: str | None = None) -> Dash:
    """The dashboard for ``settings``; ``host`` (where the server listens) decides whether
    uploads are offered when PARITY_ALLOW_UPLOAD is unset."""
    settings.use_scopes()
    staging.use_folder(settings.upload_dir)
    if settings.member_states_file is not None:  # a bad table: refused now, not on a page
        from parity.member_states import member_states, parameters

        parameters(settings.ranges_parameters, settings.ranges_base)
        member_states(settings.member_states_file)
    source = DataSource(Store(settings.database_url))
    app = ParityDash(
        __name__,
        title="parity · gender parity dashboard",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        update_title="",
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    server = app.server
    security.trust_proxies(server, settings)
    security.guard(server, settings)
    language.install(server, settings.https)
    security.security_headers(app, settings)
    sign_in = settings.sign_in_required(host)
    context = Context(
        source=source,
        settings=settings,
        uploads=settings.uploads_enabled(host),
        sign_in=sign_in,
        # signed with the key of the session cookies: the same in every worker
        cache=ViewCache(settings.redis_url, server.config["SECRET_KEY"]),
    )
    app.layout = lambda: shell.shell(context)
    server.extensions["parity.source"] = source  # for serve.warm
    server.extensions["parity.settings"] = settings
    install_sign_in(
        server,
        source.store,
        sign_in,
        settings.public_access,
        settings.session_policy,
        https=settings.https,
        oidc=OidcConfig.from_settings(settings),
    )
    _health(server, source, settings.effective_min_cell)
    shell.register_draft_banner(app, context)
    filter_panel.register(app, source)
    shell.register_navigation(app, context)
    for page in PAGES:
        page.register(app, context)
    briefing_menu.register(app, context)
    return app
