"""Sizes a newcomer can read: no service class with more than twelve public methods, no
module over 500 lines unless its opening docstring says why (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "desktop"
MAX_PUBLIC_METHODS = 12
MAX_LINES = 500
REASON = "Longer than 500 lines:"


def public_methods(cls: ast.ClassDef) -> list[str]:
    """Methods a caller may use; properties (cached or not) are read like fields and do not
    count."""
    return [
        node.name
        for node in cls.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and not any(
            isinstance(d, ast.Name) and d.id in ("property", "cached_property")
            for d in node.decorator_list
        )
    ]


def oversized_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}: {node.name} has {len(public_methods(node))} public methods"
        for node in tree.body
        if isinstance(node, ast.ClassDef) and len(public_methods(node)) > MAX_PUBLIC_METHODS
    ]


def too_long_without_reason(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    if len(text.splitlines()) <= MAX_LINES:
        return False
    docstring = ast.get_docstring(ast.parse(text)) or ""
    return REASON not in " ".join(docstring.split())


SERVICES = sorted((PACKAGE / "services").rglob("*.py"))
MODULES = sorted(PACKAGE.rglob("*.py"))


def _id(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", SERVICES, ids=_id)
def test_no_service_class_does_everything(path: Path) -> None:
    assert oversized_classes(path) == []


@pytest.mark.parametrize("path", MODULES, ids=_id)
def test_a_long_module_says_why(path: Path) -> None:
    assert not too_long_without_reason(path)


def test_the_checks_see_a_god_class_and_a_long_module(tmp_path: Path) -> None:
    methods = "\n".join(f"    def m{i}(self) -> None: ..." for i in range(13))
    big = tmp_path / "big.py"
    big.write_text(
        '"""A service."""\n\nclass Big:\n'
        "    @property\n    def folder(self) -> None: ...\n"
        f"    def _private(self) -> None: ...\n{methods}\n",
        encoding="utf-8",
    )
    assert oversized_classes(big) == ["big.py: Big has 13 public methods"]
    long = tmp_path / "long.py"
    long.write_text('"""Short."""\n' + "x = 1\n" * MAX_LINES, encoding="utf-8")
    assert too_long_without_reason(long)
    long.write_text(
        f'"""Short.\n\n{REASON} it is a table.\n"""\n' + "x = 1\n" * MAX_LINES, encoding="utf-8"
    )
    assert not too_long_without_reason(long)
