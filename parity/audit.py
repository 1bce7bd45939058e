"""The audit as it is shown: every record on one line, exactly as recorded, with nothing in it
able to act on the terminal or the page that shows it.

Records keep what was given (a user name typed into the sign-in form is recorded as typed);
whoever prints or shows one passes its text through ``printable``, so that a name holding a
newline cannot forge a second record and one holding terminal escape codes cannot clear the
screen or recolour the lines around it.
"""

from __future__ import annotations

import os
import socket
import unicodedata

BIDI_AND_SEPARATORS = frozenset(
    "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
"""Characters that reorder or break the text around them without being control characters:
the bidirectional marks and overrides (a 'Trojan Source' line reads backwards), the line and
paragraph separators, the byte-order mark."""


def printable(text: str) -> str:
    """``text`` with every control character (C0, DEL, C1), bidirectional control and line
    separator written as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``) and backslashes
    doubled, so that the escapes cannot be imitated: the result is one line, and reading it
    back gives exactly the recorded text."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char])
        elif unicodedata.category(char) == "Cc" or char in BIDI_AND_SEPARATORS:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def instance() -> str:
    """The name of this server or command in the audit and its health check: its host and
    process ("web-2:4121"), read each time (a worker forked from the server has its own
    process id)."""
    return f"{socket.gethostname()}:{os.getpid()}"
