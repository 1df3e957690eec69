"""Chinese dates without ``strftime``, and a guard that no Chinese date format comes back.

On Windows, ``strftime`` encodes its format in the code page of the "language for
non-Unicode programs"; on a PC set to English, ``f"{d:%Y年%m月%d日}"`` raises
``UnicodeEncodeError`` in Python 3.11. Linux does not fail that way, so the guard reads
the source instead: no format spec or ``strftime`` format of ours holds a non-ASCII
character.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from desktop.core.dates import chinese_date, chinese_month_day
from desktop.core.periods import as_of_label

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2027, 3, 5), "2027年3月5日"),
        (date(2027, 12, 31), "2027年12月31日"),
        (date(2030, 10, 1), "2030年10月1日"),
    ],
)
def test_chinese_date(day: date, text: str) -> None:
    assert chinese_date(day) == text


def test_month_day_and_the_ledger_line() -> None:
    assert chinese_month_day(date(2027, 3, 25)) == "3月25日"
    assert as_of_label(date(2027, 3, 15)) == "截至2027年3月15日"
    assert as_of_label(date(2027, 3, 31)) == "截至2027年3月底"


def _locale_formats(tree: ast.AST) -> list[str]:
    """Format specs and strftime/strptime formats (constants) that hold non-ASCII text."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(
                part.value
                for part in ast.walk(node.format_spec)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if "%" in spec and not spec.isascii():
                found.append(spec)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("strftime", "strptime", "format")
        ):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    text = arg.value
                    if "%" in text and not text.isascii():
                        found.append(text)
    return found


def test_the_guard_finds_what_it_looks_for() -> None:
    source = 'x = f"{d:%Y年%m月%d日}"\ny = d.strftime("%Y年%m月")\nz = f"{d:%Y-%m-%d}"\n'
    assert sorted(_locale_formats(ast.parse(source))) == ["%Y年%m月", "%Y年%m月%d日"]


def test_no_chinese_date_format_in_the_program() -> None:
    found = {
        str(path.relative_to(PACKAGE)): formats
        for path in sorted(PACKAGE.rglob("*.py"))
        if (formats := _locale_formats(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}
