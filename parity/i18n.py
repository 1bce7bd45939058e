"""The language of a page, a briefing or a message: English (the source) or French.

Messages are marked in the code with ``_("…")`` (``ngettext`` for plurals, ``N_`` for text
defined before it is shown, such as a module's table of labels) and translated from the
catalogue ``parity/locale/<language>/LC_MESSAGES/messages.po`` (gettext, kept with Babel:
``make messages`` extracts the marked messages and merges them into each catalogue).

The language is held per request (a context variable): a page request takes it from the URL's
``lang`` parameter, a briefing from ``parity brief --lang``. Numbers go through ``number``,
``percent`` and ``signed`` here so that they read ``42.2%`` in English and ``42,2 %`` in French.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.pofile import read_po

LANGUAGES: Mapping[str, str] = {"en": "English", "fr": "Français"}
"""The languages parity speaks: code -> its own name (what the language switch shows)."""
DEFAULT = "en"
CATALOGUES = Path(__file__).resolve().parent / "locale"

_language: ContextVar[str] = ContextVar("parity_language", default=DEFAULT)


def language() -> str:
    """The language of the current request or command ("en" or "fr")."""
    return _language.get()


def chosen(value: str | None) -> str | None:
    """A language code from a URL or a command line (``fr``, ``fr-SN``, ``FR``), or None when
    it is not one parity speaks."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def set_language(code: str | None) -> None:
    """Use ``code`` (or English) from now on in this context: a request sets it as it starts."""
    _language.set(chosen(code) or DEFAULT)


@contextmanager
def using(code: str | None) -> Iterator[None]:
    """Use ``code`` (or English) while the block runs."""
    token = _language.set(chosen(code) or DEFAULT)
    try:
        yield
    finally:
        _language.reset(token)


@cache
def catalogue(code: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """The translated messages of ``code``: msgid (a (singular, plural) pair for plurals) ->
    msgstr. Untranslated and fuzzy entries are left out, so they show in English."""
    path = CATALOGUES / code / "LC_MESSAGES" / "messages.po"
    if code == DEFAULT or not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=code)
    messages: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (tuple, list)):
            # (singular, plural): CLDR gives French a third form, for exact millions; parity
            # writes it as the plural (scripts/messages.py fills it so)
            forms = tuple(str(form) for form in message.string or ())
            if len(forms) >= 2 and forms[0] and forms[-1]:
                messages[(str(message.id[0]), str(message.id[1]))] = (forms[0], forms[-1])
        elif message.string:
            messages[str(message.id)] = str(message.string)
    return messages


def gettext(message: str) -> str:
    """``message`` in the current language (itself when the catalogue has no translation)."""
    if _language.get() == DEFAULT:
        return message
    found = catalogue(_language.get()).get(message)
    return found if isinstance(found, str) else message


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` (French uses the singular for 0 and 1)."""
    code = _language.get()
    found = catalogue(code).get((singular, plural)) if code != DEFAULT else None
    if isinstance(found, tuple):
        return found[_plural_index(code, n)]
    return singular if n == 1 else plural


def _plural_index(code: str, n: int) -> int:
    return 0 if (n in (0, 1) if code == "fr" else n == 1) else 1


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (it is translated with
    ``_`` where it is shown, in the language of that request)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message's two forms for the catalogue without translating them yet (a table of
    forms; ``wording.plural(n, *forms)`` translates them where they are shown)."""
    return singular, plural


def _locale() -> Locale:
    return Locale.parse(_language.get())


def _localised(text: str) -> str:
    """Python's formatting of a number (``1,234.5``) in the language's separators: the
    rounding is Python's in every language, so a figure never differs between them."""
    if _language.get() == DEFAULT:
        return text
    symbols = _locale().number_symbols["latn"]
    swap = {".": symbols["decimal"], ",": symbols["group"]}
    return "".join(swap.get(char, char) for char in text)


def number(value: float, digits: int = 0) -> str:
    """``value`` with the language's separators: 1,234.5 in English, 1 234,5 in French."""
    return _localised(f"{value:,.{digits}f}")


def signed(value: float, digits: int = 1) -> str:
    """``value`` with its sign, as Python writes it: +3.1, -3.1, +0.0 (+3,1 in French)."""
    return _localised(f"{value:+.{digits}f}")


def percent(share: float, digits: int = 1) -> str:
    """A fraction as a percentage in the language's form: 42.2% / 42,2 % (a no-break space
    before the sign, as French typography has it)."""
    text = _localised(f"{100 * share:.{digits}f}")
    return text + ("%" if _language.get() == DEFAULT else "\u00a0%")


def listing(items: list[str]) -> str:
    """'A, B and C' / 'A, B et C'."""
    if len(items) <= 1:
        return "".join(items)
    if _language.get() == DEFAULT:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return str(format_list(items, locale=_locale()))


def either(items: list[str]) -> str:
    """'A', 'A or B', 'A, B or C' ('A, B ou C' in French)."""
    if len(items) <= 1:
        return "".join(items)
    if _language.get() == DEFAULT:
        return ", ".join(items[:-1]) + " or " + items[-1]
    return str(format_list(items, style="or", locale=_locale()))


def day(value: date | datetime) -> str:
    """A date in the language's medium form: 30 Nov 2026 / 30 nov. 2026."""
    if isinstance(value, datetime):
        value = value.date()
    return str(format_date(value, format="d MMM y", locale=_locale()))


def moment(value: datetime) -> str:
    """A date and time to the minute: 30 Nov 2026, 14:05 / 30 nov. 2026, 14:05."""
    return str(format_datetime(value, format="d MMM y, HH:mm", locale=_locale()))


def plotly_separators() -> str:
    """Plotly's ``layout.separators`` (decimal point, then thousands) for the language."""
    locale = _locale()
    return locale.number_symbols["latn"]["decimal"] + locale.number_symbols["latn"]["group"]
