"""``parity serve``: the dashboard under gunicorn, or Flask's development server with --debug.

gunicorn runs ``workers`` processes of ``THREADS`` threads each (the gthread worker). The app is
not preloaded: each worker calls create_app itself after the fork, so each holds its own Store
(its own SQLAlchemy engine and connection pool: connections must never cross a fork) and its own
DataSource, whose frames it loads on first use and reloads when the store's version changes.
The master process only opens the store once before forking (a bad URL is one line and exit
status 2, not a worker that fails to boot) and chooses the secret key every worker shares.
"""

from __future__ import annotations

import ipaddress
import secrets
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication

from parity.errors import ParityError
from parity.settings import Settings

if TYPE_CHECKING:
    from dash import Dash
    from flask import Flask

THREADS = 4
TIMEOUT_S = 120  # a worker silent this long is restarted (gthread: its main loop, not a request)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (``--host``) is a loopback address: only this machine reaches it."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 12


def secret_key(settings: Settings, host: str) -> str:
    """The key that signs session cookies: PARITY_SECRET_KEY; without it, a random key for this
    start when the server listens on loopback, and a refusal on any other address. A key that
    could be guessed (shorter than SECRET_MIN_LENGTH characters, or of fewer than
    SECRET_MIN_DISTINCT different characters: whoever guesses it forges any user's session) is
    refused wherever the server listens."""
    key = settings.secret_key
    if key:
        if len(key) < SECRET_MIN_LENGTH or len(set(key)) < SECRET_MIN_DISTINCT:
            raise ParityError(
                f"PARITY_SECRET_KEY must be at least {SECRET_MIN_LENGTH} characters long, of at "
                f"least {SECRET_MIN_DISTINCT} different characters (whoever guesses the key can "
                "sign in as anyone): make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return key
    if not is_loopback(host):
        raise ParityError(
            f"serving on {host!r} (not loopback) needs PARITY_SECRET_KEY, the key that signs "
            "session cookies: set it to a long random string, the same at every start "
            "(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return secrets.token_urlsafe(32)


def bind_address(host: str, port: int) -> str:
    """gunicorn's ``bind`` for ``host`` and ``port``: an IPv6 address in brackets."""
    name = host.strip().strip("[]")
    return f"[{name}]:{port}" if ":" in name else f"{name}:{port}"


def warm(app: Dash) -> Dash:
    """``app``, set up before it takes a request. Dash finishes setting itself up at its first
    request (registering the scripts pages load, checking the layout) and marks that done as it
    begins: with threads, requests that come meanwhile find no script registered (HTTP 500: a
    blank page). One request of our own does it all, without reading the data (the layout's
    check needs only its components); the frames are then read in a thread, from their files on
    disk when the store has not changed (parity.framecache), while the server already answers:
    ``/healthz`` and the page shell at once, the first callback as soon as its frame is read."""
    source = app.server.extensions["parity.source"]
    with source.without_data():
        app.server.test_client().get("/healthz", base_url="http://localhost")
    source.load_in_background(app.server.extensions["parity.settings"].effective_min_cell)
    return app


def return_freed_memory() -> None:
    """glibc's allocator: arrays of 1 MB and more are mapped on their own and given back to the
    system when freed, and at most two arenas serve the threads. By default the threshold rises
    after each large free, and each thread's arena keeps what a callback over millions of rows
    freed: a worker then holds hundreds of MB it no longer uses. No effect elsewhere."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not sys.platform.startswith("linux") or not name:
        return
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt(-8, 2)  # M_ARENA_MAX
        libc.mallopt(-3, 4 << 20)  # M_MMAP_THRESHOLD (fixed: no longer rises)
    except (OSError, AttributeError):
        return


class Dashboard(BaseApplication):
    """gunicorn serving the Flask server of the app ``load`` builds, in each worker."""

    def __init__(self, load: Callable[[], Flask], options: dict[str, Any]) -> None:
        self._load = load
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 25.1
            # one control socket per user ($HOME/.gunicorn/gunicorn.ctl): two servers would fight
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Flask:
        return self._load()


def gunicorn_options(host: str, port: int, workers: int) -> dict[str, Any]:
    return {
        "bind": [bind_address(host, port)],
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS,
        "preload_app": False,
        "timeout": TIMEOUT_S,
        "proc_name": "parity",
        "loglevel": "warning",  # worker failures and restarts; no line per request
    }


def serve(settings: Settings, host: str, port: int, workers: int, debug: bool = False) -> int:
    """Serve the dashboard until stopped (SIGINT or SIGTERM)."""
    from parity.store import Store
    from parity.web.app import create_app
    from parity.web.oidc import OidcConfig

    if workers < 1:
        raise ParityError(f"--workers must be at least 1, not {workers}")
    if debug and not is_loopback(host):
        raise ParityError(
            "--debug runs the development server and its debugger: on loopback only "
            "(--host 127.0.0.1)"
        )
    settings = replace(settings, secret_key=secret_key(settings, host))
    OidcConfig.from_settings(settings)  # an incomplete one: a clear error, before any worker
    Store(settings.database_url).dispose()  # created, or a clear error, before any worker
    from parity.web.pages.data import staging

    staging.use_folder(settings.upload_dir)  # the staging folder too
    if settings.member_states_file is not None:  # and the member states' table
        from parity.member_states import member_states, parameters

        parameters(settings.ranges_parameters, settings.ranges_base)
        member_states(settings.member_states_file)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    if debug:
        print(f"parity dashboard on http://{shown}:{port} (development server)", file=sys.stderr)
        app = create_app(settings, host=host)  # no call home for Dash's version (the CSP's)
        app.run(host=host, port=port, debug=True, dev_tools_disable_version_check=True)
        return 0
    print(f"parity dashboard on http://{shown}:{port} ({workers} workers)", file=sys.stderr)

    def load() -> Flask:
        return_freed_memory()
        return warm(create_app(settings, host=host)).server

    Dashboard(load, gunicorn_options(host, port, workers)).run()
    return 0
