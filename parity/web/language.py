"""The language of a request: chosen from the URL's ``lang``, the page that sent it, the cookie
that remembers the last choice and the browser's preferences; set for the whole request
(parity.i18n); and kept in the dashboard's own links."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Flask, Response, request

from parity import i18n

LANGUAGE_COOKIE = "parity_lang"


def language_in(url: str | None) -> str | None:
    """The ``lang`` parameter of a URL's query, when it names a language parity speaks."""
    if not url:
        return None
    try:
        query = urlsplit(url).query
    except ValueError:
        return None
    return i18n.chosen(dict(parse_qsl(query)).get("lang"))


def request_language(
    asked: str | None, referrer: str | None, remembered: str | None, preferred: str | None
) -> str:
    """The language of a request: the URL's ``lang`` (a page), else that of the page that sent
    it (a callback: its Referer, which the Referrer-Policy keeps for this site's own requests),
    else the one last chosen in this browser (a cookie: links that do not carry ``lang`` keep
    it), else the browser's preferred language among parity's, else English."""
    for value in (asked, language_in(referrer), remembered, preferred):
        if code := i18n.chosen(value):
            return code
    return i18n.DEFAULT


def install(server: Flask, https: bool) -> None:
    """Every request runs in its language (parity.i18n); a page asked for with ``?lang=``
    remembers the choice in a cookie (``https``: sent over https only)."""

    @server.before_request
    def _choose() -> None:
        i18n.set_language(
            request_language(
                request.args.get("lang"),
                request.referrer,
                request.cookies.get(LANGUAGE_COOKIE),
                request.accept_languages.best_match(list(i18n.LANGUAGES)),
            )
        )

    @server.after_request
    def _remember(response: Response) -> Response:
        code = i18n.chosen(request.args.get("lang"))
        if code and request.cookies.get(LANGUAGE_COOKIE) != code:
            response.set_cookie(
                LANGUAGE_COOKIE,
                code,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=https,
                httponly=True,
            )
        return response


def with_language(path: str, query: str, href: str | None = None) -> str:
    """``path`` and the filters' ``query``, with the ``lang`` of the page's URL ``href`` (or,
    on the first render, of the request) so that links keep the chosen language."""
    code = language_in(href) if href is not None else i18n.chosen(_request_lang())
    pairs = parse_qsl(query) + ([("lang", code)] if code else [])
    return path + (f"?{urlencode(pairs)}" if pairs else "")


def _request_lang() -> str | None:
    try:
        return request.args.get("lang")
    except RuntimeError:  # outside a request (a test building the layout)
        return None
