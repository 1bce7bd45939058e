"""What "no untranslated message" means for a French page or briefing: no English phrase of the
catalogue appears in its text.

Each translated message of the French catalogue gives its English phrases: the message cut at
its placeholders, line breaks, Markdown marks and punctuation that ends a clause, keeping the
pieces of three words or more that no French translation contains (a name such as "UN Women"
reads the same in both). A text is searched with spaces, case and Markdown made uniform.
"""

from __future__ import annotations

import re
from functools import cache

from parity.i18n import catalogue

CUT = re.compile(r"\{[^{}]*\}|\n|[*`_#|:;()\[\]•·—–\"“”]|\. |, |\.$|\s-\s")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def normal(text: str) -> str:
    """Lower case, one space between words (no-break spaces too), no Markdown marks."""
    text = re.sub(r"[*`_]", "", text).replace("’", "'")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split()).lower()


@cache
def english_phrases() -> tuple[str, ...]:
    messages = catalogue("fr")
    french = normal(
        " ".join(s for t in messages.values() for s in ((t,) if isinstance(t, str) else t))
    )
    phrases: set[str] = set()
    for english, translated in messages.items():
        ids = english if isinstance(english, tuple) else (english,)
        strings = translated if isinstance(translated, tuple) else (translated,)
        if set(ids) == set(strings):
            continue
        for text in ids:
            for piece in CUT.split(text):
                phrase = normal(piece).strip(" .,!?'")
                if len(WORD.findall(phrase)) >= 3 and phrase not in french:
                    phrases.add(phrase)
    return tuple(sorted(phrases, key=len, reverse=True))


def untranslated(text: str) -> list[str]:
    """The catalogue's English phrases found in ``text``."""
    found = normal(text)
    return [phrase for phrase in english_phrases() if phrase in found]
