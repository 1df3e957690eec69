"""The department workbook without a database: written, filled in as a person would, read."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.core.exchange_files.dept_workbook import DeptRow, WorkbookMeta, write_dept_workbook
from desktop.core.exchange_files.dept_workbook_read import read_dept_workbook

META = WorkbookMeta(
    "示例县", 2027, "浙政发〔2026〕16号", 1, "2027-Q3", "2027年第三季度", "县科技局"
)


def row(i: int, **kw: object) -> DeptRow:
    values: dict[str, object] = {
        "uid": f"uid-{i}",
        "locked": {
            "number": str(i),
            "measures": "1. 研发设计方面",
            "content": f"=任务{i}（以等号开头也只是文字）",
            "target": "建成平台1个",
            "lead": "县科技局",
            "co": "",
            "deadline": "2027-12-31",
        },
        "previous": "已完成方案（完成50%）",
        "text": "",
        "percent": None,
        "problems": "",
        "next_steps": "",
        "completed_on": None,
    }
    values.update(kw)
    return DeptRow(**values)  # type: ignore[arg-type]


def test_written_values_read_back(tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    write_dept_workbook(
        META,
        "进展填报表",
        [row(1, text="推进中", percent=60), row(2, completed_on=date(2027, 8, 1))],
        path,
    )
    book = read_dept_workbook(path)
    assert book.meta == META
    first, second = book.rows
    assert (first.uid, first.text, first.percent, first.excel_row) == ("uid-1", "推进中", 60, 4)
    assert first.locked["content"] == "=任务1（以等号开头也只是文字）"
    assert second.completed_on == date(2027, 8, 1) and not first.problems_found
    ws = load_workbook(path)["任务进展"]
    assert ws["C4"].data_type == "s"  # never a formula


@pytest.mark.parametrize(
    ("percent", "expected", "problem"),
    [
        (75, 75, None),
        (75.0, 75, None),
        ("80%", 80, None),
        ("８０", 80, None),
        (0.5, 50, None),
        (100, 100, None),
        (120, None, "0 到 100"),
        (-5, None, "0 到 100"),
        (33.3, None, "0 到 100"),
        ("大约一半", None, "0 到 100"),
        (True, None, "0 到 100"),
    ],
)
def test_percent_as_people_type_it(
    tmp_path: Path, percent: object, expected: int | None, problem: str | None
) -> None:
    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(1)], path)
    wb = load_workbook(path)
    wb["任务进展"]["J4"] = percent
    wb.save(path)
    (got,) = read_dept_workbook(path).rows
    assert got.percent == expected
    assert (problem is None) == (not got.problems_found)
    if problem:
        assert problem in got.problems_found[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2027, 9, 30), date(2027, 9, 30)),
        ("2027-9-30", date(2027, 9, 30)),
        ("2027/09/30", date(2027, 9, 30)),
        ("2027年9月30日", date(2027, 9, 30)),
        ("2027-02-30", None),
        ("下个月", None),
    ],
)
def test_completion_date_as_people_type_it(
    tmp_path: Path, value: object, expected: date | None
) -> None:
    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(1)], path)
    wb = load_workbook(path)
    wb["任务进展"]["M4"] = value
    wb.save(path)
    (got,) = read_dept_workbook(path).rows
    assert got.completed_on == expected
    assert bool(got.problems_found) == (expected is None)


def test_blank_rows_are_skipped_and_meta_is_optional(tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(1), row(2)], path)
    wb = load_workbook(path)
    del wb["_meta"]
    wb["任务进展"].insert_rows(5, 3)
    wb.save(path)
    book = read_dept_workbook(path)
    assert book.meta is None and [r.uid for r in book.rows] == ["uid-1", "uid-2"]
    assert [r.excel_row for r in book.rows] == [4, 8]
