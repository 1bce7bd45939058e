"""The house's rules (issue 21), checked on the code itself: modules of one idea (at most 400
lines), functions that fit on a screen (at most 80 lines), no import cycle, only the store
imports SQLAlchemy and only the web imports Dash, and nothing below the services writes."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "parity"
MODULE_LINES, FUNCTION_LINES = 400, 80


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The parity modules ``path`` imports, at any depth (inside functions too), except under
    ``if TYPE_CHECKING``."""

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and (child.module or "").startswith("parity"):
                for alias in child.names:
                    target = resolve(f"{child.module}.{alias.name}")
                    found.add(target or str(child.module))
            elif isinstance(child, ast.Import):
                found.update(t for a in child.names if (t := resolve(a.name)) is not None)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_modules_and_functions_are_short() -> None:
    long_modules = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LINES
    }
    assert long_modules == {}
    long_functions = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES:
                    long_functions.append(f"{name}.{node.name}: {length} lines")
    assert long_functions == []


def test_no_import_cycle() -> None:
    known = modules()
    graph = {name: imports(path, known) - {name} for name, path in known.items()}
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the path, 2 done
    cycles: list[list[str]] = []

    def walk(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state[target] == 1:
                cycles.append([*path[path.index(target) :], target])
            elif state[target] == 0:
                walk(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if state[name] == 0:
            walk(name, [name])
    assert cycles == []


def test_layers_keep_their_libraries_and_writes() -> None:
    sqlalchemy, dash, writes = [], [], []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        roots = {
            (a.name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for a in (node.names if isinstance(node, ast.Import) else [node])
        }
        if "sqlalchemy" in roots and not name.startswith("parity.store"):
            sqlalchemy.append(name)
        if {"dash", "dash_bootstrap_components", "dash_ag_grid"} & roots and not name.startswith(
            "parity.web"
        ):
            dash.append(name)
        # the command line and the pages change the store only through parity.services
        if name.startswith(("parity.cli", "parity.web.pages")):
            for call in ("import_parsed(", "remove_batch(", "put_user(", "set_published("):
                if f"store.{call}" in text:
                    writes.append(f"{name}: store.{call}")
    assert (sqlalchemy, dash, writes) == ([], [], [])
