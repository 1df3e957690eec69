"""The department workbook (部门填报表): one lead unit's tasks out to Excel, and its shape.

The office sends each lead unit a workbook with only the tasks it leads. The last column
holds the task's stable ID (hidden); the key columns are locked by sheet protection; only
the progress columns are open (进展情况, 完成百分比, 存在问题, 下步打算, 完成日期), with a
drop-down for the percent and date validation for the completion date. The unit and the
period stand in the sheet itself, in locked cells of the second row (牵头单位 …, 填报周期 …),
where everyone sees them and an import checks them; a very hidden sheet also records the
list, period and unit (LibreOffice keeps it only as an ordinary hidden sheet, which a user
may delete). Column headings are the fields' names (``desktop.core.vocabulary``). Reading
it back is ``dept_workbook_read``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from typing import Any

from desktop.core.reports.fileio import OutTarget, atomic_output
from desktop.core.schema import completion_dates
from desktop.core.vocabulary import LABELS

FORMAT = "policy-ledger-dept-workbook"
SHEET = "任务进展"
META_SHEET = "_meta"
ID_HEADER = "任务ID"

# (key, header, width); the key columns are compared with the database on import
LOCKED: tuple[tuple[str, str, int], ...] = (
    ("number", LABELS["number"], 7),
    ("measures", LABELS["measures"], 16),
    ("content", LABELS["content"], 40),
    ("target", LABELS["target_text"], 22),
    ("lead", LABELS["lead_units"], 12),
    ("co", LABELS["co_units"], 14),
    ("deadline", LABELS["deadline"], 11),
)
REFERENCE: tuple[tuple[str, str, int], ...] = (("previous", LABELS["previous"], 26),)
EDITABLE: tuple[tuple[str, str, int], ...] = (
    ("text", LABELS["progress"], 36),
    ("percent", LABELS["percent"], 11),
    ("problems", LABELS["problems"], 22),
    ("next_steps", LABELS["next_steps"], 22),
    ("completed_on", LABELS["completed_on"], 12),
)
# headings of workbooks exported before the fields had one name each
OLD_HEADINGS = {"工作任务": LABELS["content"], "完成时间": LABELS["completed_on"]}
# the visible statement of whose workbook it is, in row 2: (label cell, value cell)
UNIT_CELLS = ("A2", "B2")
PERIOD_CELLS = ("D2", "E2")
NOTE_CELL = "G2"
# the task ID goes last: a hidden first column would also hide the merged title rows
COLUMNS = (*LOCKED, *REFERENCE, *EDITABLE, ("uid", ID_HEADER, 10))
VISIBLE = len(COLUMNS) - 1
HEADER_ROW = 3
PERCENT_CHOICES = ",".join(str(p) for p in range(0, 101, 10))
_FORMULA_STARTS = ("=", "+", "-", "@")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def completion_window(year: int) -> tuple[date, date]:
    """The completion dates a workbook of ``year``'s list accepts: the schema's own
    (``desktop.core.schema.completion_dates``), the same as the progress screen's."""
    return completion_dates(year)


def period_text(label: str, key: str) -> str:
    """The 填报周期 cell: ``2027年第二季度（2027-Q2）``, readable and exact."""
    return f"{label}（{key}）"


def completion_window_text(year: int) -> str:
    """The window in words ("2027-01-01 至 2028-12-31"), for the spreadsheet's message and
    the import's refusal alike."""
    first, last = completion_window(year)
    return f"{first.isoformat()} 至 {last.isoformat()}"


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
    # a plain 1 in the percent column: 1% or 100%? (the cell as shown, to ask about)
    percent_question: str = ""

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
            or self.percent_question
        )


@dataclass(frozen=True)
class Shown:
    """The unit and period the sheet states in its second row."""

    unit: str
    period_key: str
    period_text: str


@dataclass(frozen=True)
class Workbook:
    meta: WorkbookMeta | None
    rows: tuple[WorkbookRow, ...]
    shown: Shown | None = None


# --------------------------------------------------------------------------- writing


def write_dept_workbook(
    meta: WorkbookMeta, title: str, rows: Sequence[DeptRow], out: OutTarget
) -> None:
    from openpyxl import Workbook as OpenWorkbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = OpenWorkbook()
    ws = wb.active
    ws.title = SHEET
    last = get_column_letter(VISIBLE)
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
    bold = Font(bold=True)
    for (label_ref, value_ref), label, value in (
        (UNIT_CELLS, LABELS["unit"], meta.unit),
        (PERIOD_CELLS, LABELS["period"], period_text(meta.period_label, meta.period_key)),
    ):
        ws[label_ref] = label
        ws[label_ref].font = bold
        ws[label_ref].fill = header_fill
        ws[label_ref].alignment = Alignment(horizontal="center", vertical="center")
        _set(ws[value_ref], value)
        ws[value_ref].font = bold
        ws[value_ref].alignment = Alignment(vertical="center", wrap_text=True)
    ws.merge_cells("B2:C2")
    ws.merge_cells("E2:F2")
    ws.merge_cells(f"{NOTE_CELL}:{last}2")
    ws[NOTE_CELL] = "请只填写白色的进展各列；灰色列不能修改，不要增加、删除或调换行。"
    ws[NOTE_CELL].alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[2].height = 30
    editable = {k for k, _, _ in EDITABLE}
    for col, (_, header, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = grid
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True
    date_col = _column("completed_on")
    for i, row in enumerate(rows):
        r = HEADER_ROW + 1 + i
        values: dict[str, Any] = {
            **row.locked,
            "previous": row.previous,
            "text": row.text,
            "percent": row.percent,
            "problems": row.problems,
            "next_steps": row.next_steps,
            "completed_on": row.completed_on,
            "uid": row.uid,
        }
        lines = 1
        for col, (key, _, width) in enumerate(COLUMNS, 1):
            cell = ws.cell(row=r, column=col)
            value = values.get(key, "")
            _set(cell, value)
            cell.border = grid
            cell.alignment = wrap
            if key in editable:
                cell.protection = Protection(locked=False)
                cell.fill = open_fill
            else:
                cell.fill = grey
            if isinstance(value, str) and key != "uid":
                lines = max(lines, _lines(value, width))
        ws.cell(row=r, column=date_col).number_format = "yyyy-mm-dd"
        # spreadsheets do not grow rows for wrapped text on their own when opening a file
        ws.row_dimensions[r].height = min(409.0, lines * 13.5 + 4)
    end = HEADER_ROW + max(1, len(rows))
    percent_col = get_column_letter(_column("percent"))
    date_letter = get_column_letter(date_col)
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
    first, last_day = completion_window(meta.year)
    when = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({first.year},{first.month},{first.day})",
        formula2=f"DATE({last_day.year},{last_day.month},{last_day.day})",
        allow_blank=True,
        errorTitle="完成时间",
        error=f"请填写 {completion_window_text(meta.year)} 之间的日期，例如 {meta.year}-06-30。",
        promptTitle="完成时间",
        prompt="任务完成时填写完成日期（年-月-日）；未完成请留空。",
    )
    for validation in (percent, when):
        validation.showErrorMessage = True
        validation.showInputMessage = True
        ws.add_data_validation(validation)
    percent.add(f"{percent_col}{HEADER_ROW + 1}:{percent_col}{end}")
    when.add(f"{date_letter}{HEADER_ROW + 1}:{date_letter}{end}")
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last}{end}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
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


def _lines(text: str, width: int) -> int:
    """Wrapped lines of ``text`` in a column ``width`` characters wide (a Chinese character
    takes two width units, as many bytes as it has in GBK)."""
    room = max(1.0, width - 1.5)
    return sum(max(1, ceil(len(p.encode("gbk", "replace")) / room)) for p in text.split("\n"))


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
