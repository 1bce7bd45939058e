"""Definitions: every figure on screen, its formula, its units and its source."""

from __future__ import annotations

from typing import Any

from dash import Dash, dcc, html

from parity.definitions import ENTRIES
from parity.i18n import N_, _
from parity.web.components import aria, page_header
from parity.web.source import Context

NAME, PATH, LABEL = "definitions", "/definitions", N_("Definitions")


def layout(context: Context, query: str = "") -> html.Div:
    sections: list[Any] = [
        page_header(_("Definitions"), _("Every figure in parity, its formula and its source."))
    ]
    sections.append(
        html.Nav(
            html.Ul(
                [html.Li(html.A(_(title), href=f"#{anchor}")) for anchor, title, _body in ENTRIES]
            ),
            className="toc",
            **aria(_("Definitions")),
        )
    )
    for anchor, title, body in ENTRIES:
        sections.append(
            html.Section(
                [html.H2(_(title), className="h5"), dcc.Markdown(_(body))],
                id=anchor,
                className="definition",
            )
        )
    return html.Div(sections, className="definitions")


def register(app: Dash, context: Context) -> None:
    """The Definitions page is static."""
