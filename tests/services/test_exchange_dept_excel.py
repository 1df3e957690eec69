"""部门填报表: export per lead unit, departments edit, the office previews and applies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.errors import InputFileError, UserError
from desktop.services.context import Services

from .exchange_support import YEAR, county, dump, live_on

# the heading row (row 3) of 任务进展, as departments see it
HEADINGS = [
    "编号",
    "省级条目",
    "工作任务/具体举措",
    "目标指标",
    "牵头单位",
    "配合单位",
    "完成时限",
    "上期进展",
    "进展情况",
    "完成百分比",
    "存在问题",
    "下步打算",
    "完成日期",
    "任务ID",
]
COL = {heading: i for i, heading in enumerate(HEADINGS, 1)}
UID, NUMBER = COL["任务ID"] - 1, COL["编号"] - 1


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Services]:
    services = county(tmp_path / "county", tasks=40)
    yield services
    services.close()


def q3(services: Services) -> tuple[int, int]:
    """The third quarter, running: the office's day moved into it."""
    live_on(services, date(YEAR, 8, 15))
    wl = services.worklists.find_own(YEAR)
    period = next(p for p in services.progress.periods(wl.id) if p.key == "2027-Q3")
    return wl.id, period.id


def sheet_rows(path: Path) -> tuple[object, list[list[object]]]:
    wb = load_workbook(path)
    ws = wb["任务进展"]
    return wb, [[c.value for c in row] for row in ws.iter_rows(min_row=4)]


def test_export_one_workbook_per_lead_unit(office: Services, tmp_path: Path) -> None:
    list_id, period_id = q3(office)
    units = office.exchange.departments.units(list_id)
    files = office.exchange.departments.export(list_id, period_id, tmp_path / "out")
    assert [f.unit for f in files] == [u for u, _ in units]
    assert sum(f.tasks for f in files) == sum(n for _, n in units) >= 40
    path = files[0].path
    assert path.name == f"2027年第三季度进展填报表_{files[0].unit}.xlsx"
    wb = load_workbook(path)
    ws = wb["任务进展"]
    assert ws.protection.sheet and ws.column_dimensions["N"].hidden
    assert wb["_meta"].sheet_state == "veryHidden"
    headers = [c.value for c in ws[3]]
    assert headers == HEADINGS
    assert ws.row_dimensions[4].height and ws.row_dimensions[4].height >= 17
    first = next(iter(ws.iter_rows(min_row=4, max_row=4)))
    locked = {h: c.protection.locked for h, c in zip(headers, first, strict=True)}
    assert locked["工作任务/具体举措"] and locked["任务ID"] and not locked["进展情况"]
    assert not locked["完成百分比"] and not locked["完成日期"]
    kinds = {v.type for v in ws.data_validations.dataValidation}
    assert kinds == {"list", "date"}
    lead = COL["牵头单位"] - 1
    assert all(files[0].unit in str(r[lead]) for r in sheet_rows(path)[1])


def test_round_trip_with_edited_added_deleted_and_tampered_rows(
    office: Services, tmp_path: Path
) -> None:
    list_id, period_id = q3(office)
    files = office.exchange.departments.export(list_id, period_id, tmp_path / "out")
    target = max(files, key=lambda f: f.tasks)
    assert target.tasks >= 4
    wb, rows = sheet_rows(target.path)
    ws = wb["任务进展"]  # type: ignore[index]
    # row 4: edited progress; row 5: tampered key column; row 6: deleted;
    # a new row at the end without an ID; row 7: bad percent
    ws.cell(row=4, column=COL["进展情况"], value="三季度完成项目验收")
    ws.cell(row=4, column=COL["完成百分比"], value=100)
    ws.cell(row=4, column=COL["完成日期"], value=datetime(YEAR, 9, 20))
    ws.cell(row=5, column=COL["工作任务/具体举措"], value="被改动的任务内容")
    ws.cell(row=5, column=COL["进展情况"], value="这行不应被导入")
    edited_uid, tampered_uid = rows[0][UID], rows[1][UID]
    ws.delete_rows(6)
    ws.cell(row=7, column=COL["完成百分比"], value="大约一半")
    extra = ws.max_row + 1
    ws.cell(row=extra, column=COL["工作任务/具体举措"], value="部门自己加的任务")
    ws.cell(row=extra, column=COL["进展情况"], value="已完成")
    wb.save(target.path)  # type: ignore[attr-defined]

    before = dump(office)
    preview = office.exchange.departments.preview(list_id, period_id, [target.path])
    assert dump(office) == before  # previewing writes nothing
    assert [c.uid for c in preview.changes] == [edited_uid]
    change = preview.changes[0]
    assert {f.label: f.after for f in change.changes} == {
        "进展情况": "三季度完成项目验收",
        "完成百分比": "100",
        "完成日期": "2027-09-20",
    }
    reasons = {r.uid or "new": r.reason for r in preview.refused}
    assert "锁定列“工作任务/具体举措”被改动" in reasons[tampered_uid]
    assert "新增的行没有任务ID" in reasons["new"]
    assert any("“完成百分比”“大约一半”" in r for r in reasons.values())
    deleted_number = rows[2][NUMBER]
    assert len(preview.missing) == 1 and preview.missing[0].startswith(f"{deleted_number} ")
    assert "1 项任务有修改" in preview.summary

    assert office.exchange.departments.apply(preview) == 1
    rows_after = {r.task_id: r for r in office.progress.rows(list_id, period_id)}
    entry = rows_after[change.task_id].entry
    assert (entry.text, entry.percent, entry.completed_on) == (
        "三季度完成项目验收",
        100,
        date(YEAR, 9, 20),
    )
    # the same workbook again: nothing left to change
    again = office.exchange.departments.preview(list_id, period_id, [target.path])
    assert again.changes == () and again.unchanged >= 1


def test_duplicate_ids_and_conflicting_workbooks(office: Services, tmp_path: Path) -> None:
    list_id, period_id = q3(office)
    files = office.exchange.departments.export(list_id, period_id, tmp_path / "out")
    path = max(files, key=lambda f: f.tasks).path
    wb, rows = sheet_rows(path)
    ws = wb["任务进展"]  # type: ignore[index]
    # the second row now claims the first row's ID
    ws.cell(row=5, column=COL["任务ID"], value=rows[0][UID])
    wb.save(path)  # type: ignore[attr-defined]
    preview = office.exchange.departments.preview(list_id, period_id, [path])
    dup = [r for r in preview.refused if "重复" in r.reason]
    assert len(dup) == 2 and {r.excel_row for r in dup} == {4, 5}
    # each refusal names the 编号 its own row shows, not the task the copied ID belongs to
    assert {r.excel_row: r.number for r in dup} == {4: rows[0][NUMBER], 5: rows[1][NUMBER]}
    assert rows[0][NUMBER] != rows[1][NUMBER]

    other = next(f.path for f in files if f.path != path)
    wb2, rows2 = sheet_rows(other)
    copy = tmp_path / "copy.xlsx"
    ws2 = wb2["任务进展"]  # type: ignore[index]
    ws2.cell(row=4, column=COL["进展情况"], value="甲的说法")
    wb2.save(other)  # type: ignore[attr-defined]
    ws2.cell(row=4, column=COL["进展情况"], value="乙的说法")
    wb2.save(copy)  # type: ignore[attr-defined]
    preview = office.exchange.departments.preview(list_id, period_id, [other, copy])
    assert not any(c.uid == rows2[0][UID] for c in preview.changes)
    assert any("多个填报表中填写不一致" in r.reason for r in preview.refused)


def test_broken_workbooks_change_nothing(office: Services, tmp_path: Path) -> None:
    list_id, period_id = q3(office)
    files = office.exchange.departments.export(list_id, period_id, tmp_path / "out")
    before = dump(office)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    from openpyxl import Workbook

    wrong = tmp_path / "wrong.xlsx"
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.save(wrong)
    no_id = tmp_path / "no_id.xlsx"
    wb, _ = sheet_rows(files[0].path)
    wb["任务进展"].cell(row=3, column=COL["任务ID"], value="编码")  # type: ignore[index]
    wb.save(no_id)  # type: ignore[attr-defined]
    for path, message in (
        (junk, "不是 Excel 工作簿"),
        (old, "旧版 Excel"),
        (wrong, "没有“任务进展”工作表"),
        (no_id, "找不到“任务ID”列"),
        (tmp_path / "gone.xlsx", "无法读取"),
    ):
        with pytest.raises(InputFileError, match=message):
            office.exchange.departments.preview(list_id, period_id, [files[1].path, path])
    assert dump(office) == before


def test_workbook_of_another_period_or_list(office: Services, tmp_path: Path) -> None:
    list_id, period_id = q3(office)
    files = office.exchange.departments.export(list_id, period_id, tmp_path / "out")
    q2 = next(p for p in office.progress.periods(list_id) if p.key == "2027-Q2")
    with pytest.raises(InputFileError, match="与所选的2027年第二季度不符"):
        office.exchange.departments.preview(list_id, q2.id, [files[0].path])
    # a period that has not begun takes no workbook at all
    q4 = next(p for p in office.progress.periods(list_id) if p.key == "2027-Q4")
    with pytest.raises(UserError, match="第四季度还没有开始"):
        office.exchange.departments.preview(list_id, q4.id, [files[0].path])


def test_changes_after_preview_are_not_overwritten(office: Services, tmp_path: Path) -> None:
    from desktop.services.progress.service import ProgressEntry

    list_id, period_id = q3(office)
    files = office.exchange.departments.export(list_id, period_id, tmp_path / "out")
    wb, _rows = sheet_rows(files[0].path)
    wb["任务进展"].cell(row=4, column=COL["进展情况"], value="部门填写")  # type: ignore[index]
    wb.save(files[0].path)  # type: ignore[attr-defined]
    preview = office.exchange.departments.preview(list_id, period_id, [files[0].path])
    task_id = preview.changes[0].task_id
    office.progress.save(list_id, period_id, [ProgressEntry(task_id, "办公室刚改的")])
    with pytest.raises(UserError, match="预览之后被修改过"):
        office.exchange.departments.apply(preview)
    entry = {r.task_id: r for r in office.progress.rows(list_id, period_id)}[task_id].entry
    assert entry.text == "办公室刚改的"


def test_completion_date_rule_and_its_message_agree(office: Services, tmp_path: Path) -> None:
    """The spreadsheet accepts completion dates from 1 January of the list's year to the end
    of the next year; its message says exactly that, and the import refuses the same dates."""
    list_id, period_id = q3(office)
    files = office.exchange.departments.export(list_id, period_id, tmp_path / "out")
    target = max(files, key=lambda f: f.tasks)
    wb, rows = sheet_rows(target.path)
    ws = wb["任务进展"]  # type: ignore[index]
    (when,) = [v for v in ws.data_validations.dataValidation if v.type == "date"]
    assert (when.formula1, when.formula2) == (f"DATE({YEAR},1,1)", f"DATE({YEAR + 1},12,31)")
    assert when.error == f"请填写 {YEAR}-01-01 至 {YEAR + 1}-12-31 之间的日期，例如 {YEAR}-06-30。"
    assert "年内" not in when.error
    # typed past the validation (another spreadsheet program, pasted): refused on import
    ws.cell(row=4, column=COL["完成日期"], value=datetime(YEAR + 2, 1, 5))
    ws.cell(row=5, column=COL["完成日期"], value=datetime(YEAR + 1, 1, 15))  # in the window
    ws.cell(row=5, column=COL["完成百分比"], value=100)
    wb.save(target.path)  # type: ignore[attr-defined]
    preview = office.exchange.departments.preview(list_id, period_id, [target.path])
    reasons = {r.uid: r.reason for r in preview.refused}
    assert reasons[rows[0][UID]] == (
        f"“完成日期”“{YEAR + 2}-01-05”不在 {YEAR}-01-01 至 {YEAR + 1}-12-31 之间"
    )
    assert rows[1][UID] in {c.uid for c in preview.changes}
