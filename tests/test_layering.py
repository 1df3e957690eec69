"""The import layering stays honest (docs/ARCHITECTURE.md, "Layers").

core     → nothing of ours but desktop.errors / desktop.paths; no Qt, no database
db       → core; no Qt, no services, no UI
services → core, db; no Qt
ui       → services, core; never the database layer, SQLAlchemy or sqlite3
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "desktop"

RULES: dict[str, tuple[str, ...]] = {
    "desktop.core": (
        "PySide6",
        "desktop.ui",
        "desktop.db",
        "desktop.services",
        "sqlalchemy",
        "desktop.app",
        "desktop.cli",
    ),
    "desktop.db": ("PySide6", "desktop.ui", "desktop.services", "desktop.app", "desktop.cli"),
    "desktop.services": ("PySide6", "desktop.ui", "desktop.app", "desktop.cli"),
    "desktop.ui": ("desktop.db", "sqlalchemy", "sqlite3", "desktop.cli"),
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def forbidden_imports(path: Path) -> list[str]:
    name = module_name(path)
    bad: list[str] = []
    for layer, banned in RULES.items():
        if name == layer or name.startswith(layer + "."):
            for imported in imports_of(path):
                if any(imported == b or imported.startswith(b + ".") for b in banned):
                    bad.append(f"{name} imports {imported}")
    return bad


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_module_respects_its_layer(path: Path) -> None:
    assert forbidden_imports(path) == []


def test_the_rule_catches_a_violation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pkg = tmp_path / "desktop"
    (fake_pkg / "db").mkdir(parents=True)
    bad = fake_pkg / "db" / "leak.py"
    bad.write_text(
        "from PySide6.QtWidgets import QWidget\nimport desktop.ui.main_window\n", encoding="utf-8"
    )
    monkeypatch.setitem(globals(), "PACKAGE", fake_pkg)
    assert sorted(forbidden_imports(bad)) == [
        "desktop.db.leak imports PySide6.QtWidgets",
        "desktop.db.leak imports desktop.ui.main_window",
    ]
