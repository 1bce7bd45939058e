"""Keep the message catalogues in step with the code (``make messages``).

    python scripts/messages.py            extract every marked message from parity/, write
                                          parity/locale/messages.pot and merge it into each
                                          language's messages.po (new messages untranslated,
                                          translations of removed ones dropped)
    python scripts/messages.py --part NAME FILE…
                                          the messages of some files only, in
                                          parity/locale/<language>/parts/NAME.po (translated
                                          there, merged into messages.po by the first form)
    python scripts/messages.py --check    exit 1, listing them, when a message of the code has
                                          no translation or a translation's {placeholders}
                                          differ from its message's

Marking: ``_("…")``, ``N_("…")``, ``ngettext("…", "…", n)``, ``plural(n, "…", "…")``
(parity.wording) and ``N_plural("…", "…")``; a message is a literal string (never an
f-string): its variables are ``{named}`` placeholders filled by ``.format``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "parity"
LOCALES = PACKAGE / "locale"
KEYWORDS = {**DEFAULT_KEYWORDS, "plural": (2, 3), "N_plural": (1, 2)}
PLACEHOLDER = re.compile(r"\{([a-z_][a-z_0-9]*)?(?:![rsa])?(?::[^{}]*)?\}")


def extract(root: Path = PACKAGE, only: Iterable[str] = ()) -> Catalog:
    """Every message marked in the package's Python files (``only``: in these files, paths
    from the repository's root)."""
    only = {str(Path(f).resolve().relative_to(PACKAGE)) for f in only}
    catalog = Catalog(project="parity", charset="utf-8")
    found = extract_from_dir(
        str(root),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        if filename.startswith("locale") or filename.startswith("store/migrations"):
            continue
        if only and filename not in only:
            continue
        catalog.add(
            message,
            None,
            [(f"parity/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def placeholders(text: str) -> set[str]:
    return {m.group(1) or "" for m in PLACEHOLDER.finditer(text)}


def problems(template: Catalog, translated: Catalog) -> list[str]:
    """Messages of ``template`` with no (or a fuzzy) translation, and translations whose
    placeholders are not their message's."""
    found: list[str] = []
    for message in template:
        if not message.id:
            continue
        entry = translated.get(message.id, context=message.context)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings: Iterable[str] = ()
        if entry is not None and not entry.fuzzy:
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        strings = tuple(strings)
        if not strings or not all(strings):
            found.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set().union(*(placeholders(i) for i in ids))
        for string in strings:
            if placeholders(string) != wanted and not (
                # a plural's singular may spell out its number ("un", "une")
                len(strings) > 1 and placeholders(string) <= wanted
            ):
                found.append(f"placeholders differ: {ids[0]!r} {sorted(wanted)} -> {string!r}")
    return found


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=96, sort_output=False, omit_header=False)


def merge(template: Catalog, path: Path, locale: str) -> Catalog:
    """The catalogue of ``locale`` for ``template``: its translations kept, new messages
    untranslated, messages no longer in the code dropped."""
    old = read(path, locale) if path.exists() else Catalog(locale=locale)
    parts = [read(p, locale) for p in sorted((path.parent.parent / "parts").glob("*.po"))]
    new = Catalog(locale=locale, project="parity", charset="utf-8")
    for message in template:
        if not message.id:
            continue
        entry = old.get(message.id, context=message.context)
        if entry is None or not entry.string or not all(entry.string):
            for part in parts:
                found = part.get(message.id, context=message.context)
                if found is not None and found.string and all(found.string):
                    entry = found
                    break
        string = entry.string if entry is not None else ""
        if message.pluralizable:  # every form filled: the plural stands for the others
            forms = list(string) if isinstance(string, (tuple, list)) else []
            forms += [""] * (new.num_plurals - len(forms))
            other = next((f for f in reversed(forms[1:]) if f), "")
            string = tuple(f or (other if i else "") for i, f in enumerate(forms))
        new[message.id] = Message(
            message.id,
            string,
            locations=message.locations,
            auto_comments=message.auto_comments,
            flags=entry.flags if entry is not None else (),
            context=message.context,
        )
    return new


def main(argv: list[str]) -> int:
    template = extract()
    languages = sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())
    if argv[:1] == ["--part"]:  # a share of the work: the messages of some files
        name, files = argv[1], argv[2:]
        for code in languages:
            path = LOCALES / code / "parts" / f"{name}.po"
            write(path, merge(extract(only=files), path, code))
            print(path.relative_to(ROOT))
        return 0
    if "--check" in argv:
        failed = False
        for code in languages:
            issues = problems(template, read(LOCALES / code / "LC_MESSAGES" / "messages.po", code))
            for issue in issues:
                print(f"{code}: {issue}")
            failed = failed or bool(issues)
        return 1 if failed else 0
    write(LOCALES / "messages.pot", template)
    for code in languages:
        path = LOCALES / code / "LC_MESSAGES" / "messages.po"
        write(path, merge(template, path, code))
        print(f"{path.relative_to(ROOT)}: {len(template)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
