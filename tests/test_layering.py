"""The import layering stays honest (docs/ARCHITECTURE.md, "Layers and who may import whom").

Every import of every module under ``desktop/`` — absolute or relative, at module level or
inside a function — is resolved to a full module name and checked against the allow-list of
the module's layer. The standard library is allowed everywhere except ``sqlite3`` in the
core and the screens. Also checked: the screens never touch an engine or a session factory,
the module-level import graph (``TYPE_CHECKING`` imports included) has no cycle, the
services' feature packages import nothing when imported, and the command line starts
without SQLAlchemy or Qt.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "desktop"

# what a layer may import besides the standard library; the longest matching layer applies
BASE = ("desktop.errors", "desktop.paths", "desktop.locations")
ALLOWED: dict[str, tuple[str, ...]] = {
    "desktop.core": (
        *BASE,
        "desktop.core",
        "reportlab",
        "openpyxl",
        "docx",
        "pypdf",
        "lxml",
        "gmalglib",
    ),
    "desktop.db": (*BASE, "desktop.core", "desktop.db", "sqlalchemy", "alembic"),
    "desktop.services": (
        *BASE,
        "desktop",  # the package itself: APP_NAME, __version__
        "desktop.core",
        "desktop.db",
        "desktop.services",
        "desktop.instance_lock",
        "desktop.logs",
        "sqlalchemy",
    ),
    "desktop.ui": (
        *BASE,
        "desktop",
        "desktop.core",
        "desktop.services",
        "desktop.ui",
        "PySide6",
        "shiboken6",
    ),
    "desktop.cli": (
        *BASE,
        "desktop",
        "desktop.app",
        "desktop.cli",
        "desktop.core",
        "desktop.services",
        "desktop.instance_lock",
        "desktop.logs",
    ),
    "desktop.app": (*BASE, "desktop", "desktop.services", "desktop.ui", "PySide6"),
    "desktop.__main__": ("desktop.cli",),
    "desktop": (*BASE, "platformdirs"),  # __init__, errors, paths, logs, instance_lock
}
# inside an allowed prefix, what a layer still may not import
DENIED: dict[str, tuple[str, ...]] = {
    # the screens get their services from the composition root, never the engine or sessions
    "desktop.ui": ("desktop.services.context", "desktop.services.unit_of_work"),
}
STDLIB_DENIED: dict[str, tuple[str, ...]] = {
    "desktop.core": ("sqlite3",),
    "desktop.ui": ("sqlite3",),
}
# single modules that may import what their layer may not, and why
EXEMPT: dict[str, tuple[str, ...]] = {
    # recognises SQLite's exception classes in an error's chain; it opens no database
    "desktop.core.env_errors": ("sqlite3",),
}
# attributes only the composition, the command line and the services use
DATABASE_HANDLES = frozenset({"engine", "sessions", "_sessions", "_engine"})


@dataclass(frozen=True)
class Import:
    name: str
    line: int
    at_module_level: bool


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    """``name`` is a module or package of ours (as files on disk, under ``PACKAGE``)."""
    parts = name.split(".")
    if parts[0] != PACKAGE.name:
        return False
    path = PACKAGE.parent.joinpath(*parts)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _resolve(node: ast.ImportFrom, package: str) -> list[str]:
    base = node.module or ""
    if node.level:
        anchor = package.split(".")
        if node.level - 1 > len(anchor) - 1:
            raise ValueError(f"relative import beyond the top package in {package}")
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, *([node.module] if node.module else [])])
    # "from pkg import sub" imports the module pkg.sub; "from mod import name" imports mod
    return [
        f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base
        for alias in node.names
    ]


def imports_of(path: Path) -> list[Import]:
    """Every import in ``path``, resolved; ``at_module_level`` is False inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend(Import(a.name, child.lineno, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                found.extend(Import(n, child.lineno, top) for n in _resolve(child, package))
            visit(child, inner)

    visit(tree, True)
    return found


def _layer(name: str, table: dict[str, tuple[str, ...]]) -> str | None:
    matches = [k for k in table if name == k or name.startswith(k + ".")]
    return max(matches, key=len) if matches else None


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def forbidden_imports(path: Path) -> list[str]:
    name = module_name(path)
    layer = _layer(name, ALLOWED)
    assert layer is not None, f"{name} belongs to no layer: add it to ALLOWED"
    bad: list[str] = []
    for imp in imports_of(path):
        top = imp.name.split(".")[0]
        if _within(imp.name, EXEMPT.get(name, ())):
            ok = True
        elif top in sys.stdlib_module_names or top == "__future__":
            ok = not _within(imp.name, STDLIB_DENIED.get(layer, ()))
        elif imp.name == "desktop":
            ok = "desktop" in ALLOWED[layer]
        else:
            allowed = tuple(p for p in ALLOWED[layer] if p != "desktop")
            ok = _within(imp.name, allowed) and not _within(imp.name, DENIED.get(layer, ()))
        if not ok:
            bad.append(f"{name}:{imp.line} imports {imp.name}")
    return bad


def database_handles(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{module_name(path)}:{node.lineno} uses .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in DATABASE_HANDLES
    ]


SOURCES = sorted(PACKAGE.rglob("*.py"))
UI_SOURCES = [p for p in SOURCES if module_name(p).startswith("desktop.ui")]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_module_respects_its_layer(path: Path) -> None:
    assert forbidden_imports(path) == []


@pytest.mark.parametrize("path", UI_SOURCES, ids=lambda p: module_name(p))
def test_screens_never_reach_the_database(path: Path) -> None:
    assert database_handles(path) == []


def test_no_import_cycle_between_modules() -> None:
    """Module-level imports, including those made only for type checking: a cycle there
    is two modules that cannot be understood (or changed) one without the other."""
    graph = {
        module_name(p): {i.name for i in imports_of(p) if i.at_module_level and _is_module(i.name)}
        - {module_name(p)}
        for p in SOURCES
    }
    cycles = _cycles(graph)
    assert cycles == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_service_feature_packages_import_nothing_on_their_own() -> None:
    """``import desktop.services.progress`` must not load every progress module: each
    package's ``__init__`` is a docstring saying what it owns, and nothing else."""
    packages = sorted((PACKAGE / "services").glob("*/__init__.py"))
    assert len(packages) >= 9
    for init in packages:
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), init
        assert len(tree.body) == 1, f"{init} holds more than its docstring"


SPY = """
import runpy, sys
sys.argv = ["policy-ledger", *{args!r}]
try:
    runpy.run_module("desktop", run_name="__main__")
except SystemExit:
    pass
heavy = ("sqlalchemy", "PySide6", "alembic", "reportlab", "openpyxl", "docx", "pypdf", "lxml")
print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["ledger", "pdf", "--help"]])
def test_the_command_line_starts_without_the_database_or_qt(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SPY.format(args=args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=True,
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_importing_the_command_line_loads_neither_sqlalchemy_nor_qt() -> None:
    code = (
        "import sys, desktop.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'PySide6') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "[]"


# the checks themselves -----------------------------------------------------------------------


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "desktop"
    for sub in ("db", "ui", "ui/progress", "services", "services/context", "core"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        (root / sub / "__init__.py").write_text("", encoding="utf-8")
    (root / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.setitem(globals(), "PACKAGE", root)
    return root


def test_the_rule_catches_absolute_and_relative_imports(fake_package: Path) -> None:
    leak = fake_package / "db" / "leak.py"
    leak.write_text(
        "from PySide6.QtWidgets import QWidget\n"
        "import desktop.ui\n"
        "from ..services import context\n"
        "def later():\n"
        "    from ..ui import progress\n",
        encoding="utf-8",
    )
    assert forbidden_imports(leak) == [
        "desktop.db.leak:1 imports PySide6.QtWidgets",
        "desktop.db.leak:2 imports desktop.ui",
        "desktop.db.leak:3 imports desktop.services.context",
        "desktop.db.leak:5 imports desktop.ui.progress",
    ]


def test_the_screens_may_not_open_the_data_folder_themselves(fake_package: Path) -> None:
    screen = fake_package / "ui" / "progress" / "page.py"
    screen.write_text(
        "import sqlite3\n"
        "from sqlalchemy import select\n"
        "from ...services.context import open_office\n"
        "def f(s):\n"
        "    return s.sessions\n",
        encoding="utf-8",
    )
    assert forbidden_imports(screen) == [
        "desktop.ui.progress.page:1 imports sqlite3",
        "desktop.ui.progress.page:2 imports sqlalchemy",
        "desktop.ui.progress.page:3 imports desktop.services.context",
    ]
    assert database_handles(screen) == ["desktop.ui.progress.page:5 uses .sessions"]


def test_a_cycle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
