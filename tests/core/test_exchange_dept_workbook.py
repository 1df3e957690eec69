"""The department workbook without a database: written, filled in as a person would, read."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.core.exchange_files.dept_workbook import DeptRow, WorkbookMeta, write_dept_workbook
from desktop.core.exchange_files.dept_workbook_read import read_dept_workbook
from tests.needs import tool

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
    ("percent", "number_format", "expected", "problem"),
    [
        (75, "General", 75, None),
        (75.0, "General", 75, None),
        ("80%", "General", 80, None),
        ("８０", "General", 80, None),
        (0.5, "General", 50, None),
        (100, "General", 100, None),
        (0, "General", 0, None),
        # what Excel, WPS and LibreOffice store for 100%, 50% and 1% typed in a cell
        (1, "0%", 100, None),
        (0.5, "0%", 50, None),
        (0.01, "0.0%", 1, None),
        (40, '0"%"', 40, None),  # a literal % sign: the value is the percent itself
        (120, "General", None, "0 到 100"),
        (-5, "General", None, "0 到 100"),
        (33.3, "General", None, "0 到 100"),
        (50, "0%", None, "5000%"),
        ("大约一半", "General", None, "0 到 100"),
        (True, "General", None, "0 到 100"),
    ],
)
def test_percent_as_people_type_it(
    tmp_path: Path, percent: object, number_format: str, expected: int | None, problem: str | None
) -> None:
    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(1)], path)
    wb = load_workbook(path)
    wb["任务进展"]["J4"] = percent
    wb["任务进展"]["J4"].number_format = number_format
    wb.save(path)
    (got,) = read_dept_workbook(path).rows
    assert got.percent == expected
    assert (problem is None) == (not got.problems_found)
    assert not got.percent_question
    if problem:
        assert problem in got.problems_found[0]


@pytest.mark.parametrize("one", [1, 1.0, "1"])
def test_a_plain_one_is_a_question(tmp_path: Path, one: object) -> None:
    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(1)], path)
    wb = load_workbook(path)
    wb["任务进展"]["J4"] = one
    wb.save(path)
    (got,) = read_dept_workbook(path).rows
    assert got.percent is None and got.percent_question == "1" and not got.problems_found


def test_unit_and_period_stand_in_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(1)], path)
    ws = load_workbook(path)["任务进展"]
    assert (ws["A2"].value, ws["B2"].value) == ("牵头单位", "县科技局")
    assert (ws["D2"].value, ws["E2"].value) == ("填报周期", "2027年第三季度（2027-Q3）")
    assert ws.protection.sheet and ws["B2"].protection.locked
    shown = read_dept_workbook(path).shown
    assert shown is not None
    assert (shown.unit, shown.period_key) == ("县科技局", "2027-Q3")


def test_headings_of_older_workbooks_still_read(tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(1)], path)
    wb = load_workbook(path)
    ws = wb["任务进展"]
    ws["C3"], ws["M3"] = "工作任务", "完成时间"
    ws["M4"] = datetime(2027, 9, 1)
    wb.save(path)
    (got,) = read_dept_workbook(path).rows
    assert got.completed_on == date(2027, 9, 1)


def test_too_big_is_refused_quickly(tmp_path: Path) -> None:
    import zipfile

    from desktop.errors import InputFileError

    path = tmp_path / "大.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (65 * 1024 * 1024))
    with pytest.raises(InputFileError, match="解压后超过"):
        read_dept_workbook(path)


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


# --------------------------------------------------------------------------- LibreOffice


def soffice() -> str:
    """LibreOffice, which ``installer/dev.sh`` installs; a CI run without it fails."""
    return tool("soffice", "libreoffice-calc-nogui")


def convert(tmp_path: Path, source: Path, target: str) -> Path:
    import subprocess

    out = tmp_path / "lo-out"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--infilter=CSV:44,34,76,1" if source.suffix == ".csv" else "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return out / f"{source.stem}.{target.split(':')[0]}"


TYPED = ("100%", "50%", "0.5", "1")


def test_typed_in_libreoffice_and_saved_by_it(tmp_path: Path) -> None:
    """``100%``, ``50%``, ``0.5`` and ``1`` typed into LibreOffice arrive as 100, 50, 50 and a
    question; the sheet's own statement of unit and period survives without ``_meta``."""
    import csv

    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(i) for i in range(1, 5)], path)
    ws = load_workbook(path)["任务进展"]
    grid = [[("" if c.value is None else str(c.value)) for c in r] for r in ws.iter_rows()]
    for i, typed in enumerate(TYPED):
        grid[3 + i][9] = typed  # column J, 完成百分比: typed as a person types it
    source = tmp_path / "任务进展.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(grid)
    saved = convert(tmp_path, source, "xlsx:Calc MS Excel 2007 XML")
    book = read_dept_workbook(saved)
    assert book.meta is None and book.shown is not None
    assert (book.shown.unit, book.shown.period_key) == ("县科技局", "2027-Q3")
    got = [(r.percent, r.percent_question) for r in book.rows]
    assert got == [(100, ""), (50, ""), (50, ""), (None, "1")]


def test_our_workbook_saved_again_by_libreoffice(tmp_path: Path) -> None:
    """A workbook filled in Excel (100% stored as 1 formatted 0%) and saved once more by
    LibreOffice keeps its number formats and its (now merely hidden) ``_meta`` sheet."""
    path = tmp_path / "表.xlsx"
    write_dept_workbook(META, "表", [row(i) for i in range(1, 5)], path)
    wb = load_workbook(path)
    ws = wb["任务进展"]
    for i, (value, fmt) in enumerate(((1, "0%"), (0.5, "0%"), (0.5, "General"), (1, "General"))):
        ws.cell(4 + i, 10).value = value
        ws.cell(4 + i, 10).number_format = fmt
    wb.save(path)
    saved = convert(tmp_path, path, "xlsx:Calc MS Excel 2007 XML")
    book = read_dept_workbook(saved)
    assert book.meta == META
    assert [(r.percent, r.percent_question) for r in book.rows] == [
        (100, ""),
        (50, ""),
        (50, ""),
        (None, "1"),
    ]
