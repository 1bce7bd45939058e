"""Charts to PNG with plotly's own export (kaleido), using the machine's Chromium."""

from __future__ import annotations

import shutil
import threading
import warnings
from functools import cache
from pathlib import Path

import plotly.graph_objects as go

from parity.errors import ParityError
from parity.i18n import _

# kaleido's sync server answers through one shared queue: two threads (two dashboard users)
# rendering at once could receive each other's image, so renders take turns.
_RENDER = threading.Lock()
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def browser_available() -> bool:
    return any(Path(p).exists() for p in CHROMIUM_PATHS) or any(
        shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
    )


def require_browser() -> None:
    """Raise a clear ParityError when there is no Chromium to draw charts with."""
    if not browser_available():
        raise ParityError(
            _(
                "static charts need Chromium (/usr/bin/chromium): install the "
                "chromium package (apt-get install chromium), then try again"
            )
        )


@cache
def start_browser() -> None:
    """Start kaleido's Chromium once per process, in the background: a warm export takes
    ~0.25 s instead of ~2 s. Call it early (before loading data) to overlap the start-up."""
    require_browser()
    import kaleido

    with _RENDER:  # a second thread's call finds the server open and returns
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)


def to_png(
    figure: go.Figure, width: int = 1000, height: int | None = None, scale: float = 2.0
) -> bytes:
    """The figure as a PNG (``scale`` 2 for print), or a clear error without a browser."""
    start_browser()
    try:
        with _RENDER, warnings.catch_warnings():  # plotly warns that kaleido's server ignores kopts
            warnings.simplefilter("ignore", UserWarning)
            return figure.to_image(
                format="png",
                width=width,
                height=height or int(figure.layout.height or 450),
                scale=scale,
            )
    except ParityError:
        raise
    except Exception as error:  # kaleido reports browser failures with many exception types
        raise ParityError(
            _("could not draw a chart with Chromium ({error})").format(error=error)
        ) from None
