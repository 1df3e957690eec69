"""Hostile department workbooks are refused quickly, in one Chinese line, within the memory
budget — by the read budget, before openpyxl unpacks anything. Each file is crafted here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.exchange_files.dept_workbook_read import read_dept_workbook
from desktop.errors import InputFileError
from tests import hostile
from tests.hostile import MB, MEMORY_BUDGET, READ_WORKBOOK, explain, is_one_chinese_line

CASES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "truncated sheet": (hostile.truncated_sheet, "已损坏：其中的 xl/worksheets/sheet1.xml"),
    "external entity": (hostile.xxe_sheet, "DTD"),
    "billion laughs": (hostile.billion_laughs, "DTD"),
    "a million rows": (
        lambda raw: hostile.rezip(raw, {hostile.SHEET_XML: hostile.rows_sheet(1_048_576)}),
        "解压后超过 32 MB",
    ),
    "rows past the limit": (
        lambda raw: hostile.rezip(raw, {hostile.SHEET_XML: hostile.rows_sheet(20_001)}),
        "超过 20000 行",
    ),
    "declared dimension": (hostile.declared_dimension, "A1:XFD1048576"),
    "shared-strings bomb": (hostile.shared_strings_bomb, "sharedStrings.xml"),
    "a flood of shared strings": (
        lambda raw: hostile.many_shared_strings(raw, 500_000),
        "段文字",
    ),
    "a header that lies": (
        lambda raw: hostile.understated_size(
            hostile.rezip(raw, {hostile.SHEET_XML: hostile.rows_sheet(3000)}), hostile.SHEET_XML
        ),
        "sheet1.xml",
    ),
}


@pytest.fixture(scope="module")
def sound() -> bytes:
    return hostile.plain_workbook()


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_with_one_chinese_message(sound: bytes, tmp_path: Path, case: str) -> None:
    craft, said = CASES[case]
    path = tmp_path / "部门填报表.xlsx"
    path.write_bytes(craft(sound))
    with pytest.raises(InputFileError) as caught:
        read_dept_workbook(path)
    message = str(caught.value)
    assert said in message and "部门填报表.xlsx" in message and "\n" not in message


def test_a_sound_workbook_passes_the_budget(sound: bytes, tmp_path: Path) -> None:
    path = tmp_path / "正常.xlsx"
    path.write_bytes(hostile.rezip(sound, {hostile.SHEET_XML: hostile.rows_sheet(20_000)}))
    with pytest.raises(InputFileError, match="找不到“任务ID”列"):
        read_dept_workbook(path)  # past the budget: now it is the reader's own checks


@pytest.mark.posix_only  # peak memory through resource.getrusage
@pytest.mark.parametrize(
    "case", ["a million rows", "shared-strings bomb", "a flood of shared strings"]
)
def test_bombs_stay_within_the_memory_budget(sound: bytes, tmp_path: Path, case: str) -> None:
    craft, _ = CASES[case]
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(craft(sound))
    run = hostile.run_measured(tmp_path, str(path), body=READ_WORKBOOK)
    assert is_one_chinese_line(run), explain(run)
    assert 0 < run.peak < MEMORY_BUDGET, f"{run.peak // MB} MB"


@pytest.mark.posix_only  # peak memory through resource.getrusage
@pytest.mark.parametrize("case", ["truncated sheet", "a million rows", "shared-strings bomb"])
def test_dept_import_refuses_and_changes_nothing(sound: bytes, tmp_path: Path, case: str) -> None:
    """``dept import FILE --apply`` as the user runs it: exit 2, one line, nothing written."""
    from desktop.services.context import open_office
    from desktop.services.demo.office import run_demo
    from tests.hostile import dump

    root = tmp_path / "county"
    services = open_office(root)
    try:
        run_demo(services, tasks=20)
    finally:
        services.close()
    craft, said = CASES[case]
    path = tmp_path / "县科技局填报表.xlsx"
    path.write_bytes(craft(sound))
    before = dump(root / "ledger.sqlite3")
    run = hostile.run_measured(
        tmp_path, "--data-dir", str(root), "dept", "import", str(path), "--apply", "--json"
    )
    assert is_one_chinese_line(run) and said in run.err and run.out == "", explain(run)
    assert 0 < run.peak < MEMORY_BUDGET, f"{run.peak // MB} MB"
    assert dump(root / "ledger.sqlite3") == before
