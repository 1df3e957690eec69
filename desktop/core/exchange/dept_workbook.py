"""The department workbook (部门填报表): one lead unit's tasks out to Excel and back.

The office sends each lead unit a workbook with only the tasks it leads. Column A holds
the task's stable ID (hidden); the key columns are locked by sheet protection; only the
progress columns are open (进展情况, 完成百分比, 存在问题, 下步打算, 完成时间), with a
drop-down for the percent and date validation for the completion date. A very hidden sheet
records which list, period and unit the workbook belongs to.

Reading gives the raw rows back (``WorkbookRow``) with the editable values parsed or the
reason they cannot be; comparing them with the database is the service's job.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.core.reports.fileio import OutTarget, atomic_output
from desktop.errors import InputFileError

FORMAT = "policy-ledger-dept-workbook"
SHEET = "任务进展"
META_SHEET = "_meta"
ID_HEADER = "任务ID"

# (key, header, width); the key columns are compared with the database on import
LOCKED: tuple[tuple[str, str, int], ...] = (
    ("number", "编号", 7),
    ("measures", "省级条目", 16),
    ("content", "工作任务", 40),
    ("target", "目标指标", 22),
    ("lead", "牵头单位", 12),
    ("co", "配合单位", 14),
    ("deadline", "完成时限", 11),
)
REFERENCE: tuple[tuple[str, str, int], ...] = (("previous", "上期进展", 26),)
EDITABLE: tuple[tuple[str, str, int], ...] = (
    ("text", "进展情况", 36),
    ("percent", "完成百分比", 11),
    ("problems", "存在问题", 22),
    ("next_steps", "下步打算", 22),
    ("completed_on", "完成时间", 12),
)
COLUMNS = (("uid", ID_HEADER, 10), *LOCKED, *REFERENCE, *EDITABLE)
HEADER_ROW = 3
PERCENT_CHOICES = ",".join(str(p) for p in range(0, 101, 10))
_FORMULA_STARTS = ("=", "+", "-", "@")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class WorkbookMeta:
    locality: str
    year: int
    doc_number: str
    list_version: int
    period_key: str
    period_label: str
    unit: str
    exported_at: str = ""

    def as_rows(self) -> list[tuple[str, str]]:
        return [
            ("format", FORMAT),
            ("locality", self.locality),
            ("year", str(self.year)),
            ("notice", self.doc_number),
            ("list_version", str(self.list_version)),
            ("period_key", self.period_key),
            ("period_label", self.period_label),
            ("unit", self.unit),
            ("exported_at", self.exported_at),
        ]


@dataclass(frozen=True)
class DeptRow:
    """A task as written into a department's workbook."""

    uid: str
    locked: dict[str, str]  # key of LOCKED → text
    previous: str
    text: str
    percent: int | None
    problems: str
    next_steps: str
    completed_on: date | None


@dataclass(frozen=True)
class WorkbookRow:
    """A data row read back: the ID, the key cells as text, the editable values parsed."""

    excel_row: int
    uid: str
    locked: dict[str, str]
    text: str
    percent: int | None
    problems: str
    next_steps: str
    completed_on: date | None
    problems_found: tuple[str, ...] = field(default=())  # values that could not be read

    @property
    def empty(self) -> bool:
        return not self.uid and not any(self.locked.values()) and not self.any_entry

    @property
    def any_entry(self) -> bool:
        return bool(
            self.text
            or self.percent is not None
            or self.problems
            or self.next_steps
            or self.completed_on
            or self.problems_found
        )


@dataclass(frozen=True)
class Workbook:
    meta: WorkbookMeta | None
    rows: tuple[WorkbookRow, ...]


# --------------------------------------------------------------------------- writing


def write_dept_workbook(
    meta: WorkbookMeta, title: str, rows: Sequence[DeptRow], out: OutTarget
) -> None:
    from openpyxl import Workbook as OpenWorkbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = OpenWorkbook()
    ws = wb.active
    ws.title = SHEET
    last = get_column_letter(len(COLUMNS))
    thin = Side(style="thin", color="FF9AA5B1")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor="FFEDEFF2")
    header_fill = PatternFill("solid", fgColor="FFDDE4EE")
    open_fill = PatternFill("solid", fgColor="FFFFFFFF")
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = (
        f"填报周期：{meta.period_label}　牵头单位：{meta.unit}。"
        "请只填写白色的进展各列；灰色列不能修改，不要增加、删除或调换行。"
    )
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[2].height = 30
    editable_cols = set()
    for col, (key, header, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = grid
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
        if key in {k for k, _, _ in EDITABLE}:
            editable_cols.add(col)
    ws.column_dimensions["A"].hidden = True
    for i, row in enumerate(rows):
        r = HEADER_ROW + 1 + i
        values: list[Any] = [row.uid]
        values += [row.locked.get(k, "") for k, _, _ in LOCKED]
        values += [row.previous, row.text, row.percent, row.problems, row.next_steps]
        values += [row.completed_on]
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=col)
            _set(cell, value)
            cell.border = grid
            cell.alignment = wrap
            if col in editable_cols:
                cell.protection = Protection(locked=False)
                cell.fill = open_fill
            else:
                cell.fill = grey
        ws.cell(row=r, column=len(COLUMNS)).number_format = "yyyy-mm-dd"
    end = HEADER_ROW + max(1, len(rows))
    percent_col = get_column_letter(_column("percent"))
    date_col = get_column_letter(_column("completed_on"))
    percent = DataValidation(
        type="list",
        formula1=f'"{PERCENT_CHOICES}"',
        allow_blank=True,
        errorStyle="warning",
        errorTitle="完成百分比",
        error="完成百分比应为 0 到 100 之间的整数。",
        promptTitle="完成百分比",
        prompt="可从下拉列表选择，也可填写 0 到 100 之间的整数。",
    )
    when = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({meta.year},1,1)",
        formula2=f"DATE({meta.year + 1},12,31)",
        allow_blank=True,
        errorTitle="完成时间",
        error=f"请填写 {meta.year} 年内的日期，例如 {meta.year}-06-30。",
        promptTitle="完成时间",
        prompt="任务完成时填写完成日期（年-月-日）；未完成请留空。",
    )
    for validation in (percent, when):
        validation.showErrorMessage = True
        validation.showInputMessage = True
        ws.add_data_validation(validation)
    percent.add(f"{percent_col}{HEADER_ROW + 1}:{percent_col}{end}")
    when.add(f"{date_col}{HEADER_ROW + 1}:{date_col}{end}")
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.protection.sheet = True
    # resizing rows and columns stays allowed; inserting and deleting rows does not
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    meta_ws = wb.create_sheet(META_SHEET)
    for key, value in meta.as_rows():
        meta_ws.append([key, value])
    meta_ws.sheet_state = "veryHidden"
    meta_ws.protection.sheet = True
    wb.properties.creator = "清单台账"
    wb.properties.title = title
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_output(out) as stream:
        stream.write(buffer.getvalue())


def _column(key: str) -> int:
    return next(i for i, (k, _, _) in enumerate(COLUMNS, 1) if k == key)


def _set(cell: Any, value: object) -> None:
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        cell.value = value
        if value.startswith(_FORMULA_STARTS):
            cell.data_type = "s"  # text, never a formula
    else:
        cell.value = value


# --------------------------------------------------------------------------- reading


def read_dept_workbook(path: Path) -> Workbook:
    """The rows of a returned workbook; ``InputFileError`` when it is not one of ours."""
    from openpyxl import load_workbook

    name = path.name
    if path.suffix.lower() == ".xls":
        raise InputFileError(
            f"“{name}”是旧版 Excel（.xls）文件，无法读取。",
            hint="请在 Excel 或 WPS 中另存为 .xlsx 格式后再导入。",
        )
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputFileError(f"无法读取“{name}”：{err.strerror or err}。") from err
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise InputFileError(
            f"“{name}”不是 Excel 工作簿（.xlsx），或文件已损坏。",
            hint="请选择本程序导出、各部门填好后交回的 .xlsx 文件。",
        )
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise InputFileError(
            f"“{name}”无法作为 Excel 工作簿打开，文件可能已损坏。",
            hint="请让填报部门重新保存为 .xlsx 后交回。",
        ) from err
    try:
        if SHEET not in wb.sheetnames:
            raise InputFileError(
                f"“{name}”中没有“{SHEET}”工作表，不是本程序导出的部门填报表。",
                hint="请选择本程序导出的填报表，不要改动工作表名称。",
            )
        meta = _read_meta(wb)
        rows = _read_rows(wb[SHEET], name)
    finally:
        wb.close()
    return Workbook(meta, rows)


def _read_meta(wb: Any) -> WorkbookMeta | None:
    if META_SHEET not in wb.sheetnames:
        return None
    values = {
        str(r[0]): "" if r[1] is None else str(r[1])
        for r in wb[META_SHEET].iter_rows(values_only=True)
        if r and len(r) >= 2 and r[0] is not None
    }
    if values.get("format") != FORMAT:
        return None
    try:
        return WorkbookMeta(
            locality=values["locality"],
            year=int(values["year"]),
            doc_number=values["notice"],
            list_version=int(values["list_version"]),
            period_key=values["period_key"],
            period_label=values.get("period_label", ""),
            unit=values.get("unit", ""),
            exported_at=values.get("exported_at", ""),
        )
    except (KeyError, ValueError):
        return None


def _read_rows(ws: Any, name: str) -> tuple[WorkbookRow, ...]:
    header_at = None
    columns: dict[str, int] = {}
    rows = ws.iter_rows(values_only=True)
    index = 0
    for index, values in enumerate(rows, 1):
        texts = [_text(v) for v in values]
        if ID_HEADER in texts:
            header_at = index
            columns = {t: i for i, t in enumerate(texts) if t}
            break
        if index >= 20:
            break
    if header_at is None:
        raise InputFileError(
            f"“{name}”的“{SHEET}”工作表中找不到“{ID_HEADER}”列。",
            hint="任务ID列用于对应任务，请不要删除它；请重新导出填报表后再填。",
        )
    missing = [h for _, h, _ in (*LOCKED, *EDITABLE) if h not in columns]
    if missing:
        raise InputFileError(
            f"“{name}”缺少“{'”“'.join(missing)}”列，无法导入。",
            hint="请不要删除或改动表头；请重新导出填报表后再填。",
        )
    out = []
    for offset, values in enumerate(rows, 1):
        cells = list(values)

        def get(header: str, cells: list[Any] = cells) -> Any:
            i = columns[header]
            return cells[i] if i < len(cells) else None

        found: list[str] = []
        percent = _percent(get("完成百分比"), found)
        completed = _date(get("完成时间"), found)
        row = WorkbookRow(
            excel_row=header_at + offset,
            uid=_text(get(ID_HEADER)),
            locked={key: _text(get(header)) for key, header, _ in LOCKED},
            text=_text(get("进展情况")),
            percent=percent,
            problems=_text(get("存在问题")),
            next_steps=_text(get("下步打算")),
            completed_on=completed,
            problems_found=tuple(found),
        )
        if not row.empty:
            out.append(row)
    return tuple(out)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").strip()


def _percent(value: object, found: list[str]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: float | None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
        # a cell formatted as % holds 0.5 for a typed "50%"
        if 0 < number < 1:
            number = round(number * 100, 6)
    else:
        text = str(value).strip().rstrip("%％").strip()
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is None or not number.is_integer() or not 0 <= number <= 100:
        found.append(f"完成百分比“{_text(value)}”应为 0 到 100 之间的整数")
        return None
    return int(number)


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value: object, found: list[str]) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE_TEXT.match(str(value).strip())
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    found.append(f"完成时间“{_text(value)}”不是有效的日期（应为 年-月-日）")
    return None
