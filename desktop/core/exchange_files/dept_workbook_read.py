"""Reading a department workbook (部门填报表) that came back from a lead unit.

The rows are read as they are; the editable values are parsed the way people type them
(``80%``, ``2027年9月30日``) or kept as a reason they cannot be read. The percent column is
read with each cell's number format, because Excel, WPS and LibreOffice store a cell typed
as ``100%`` as the number 1 formatted as a percent: such a cell is a fraction (1 → 100); a
plain fraction (0.5) is one too; a plain ``1`` could be 1% or 100% and is kept as a
question for the office to answer rather than guessed. The unit and period the sheet
states in its second row are read too (:class:`Shown`), to be checked against the hidden
sheet and the list. Comparing the rows with the database is the service's job. A file that
is not such a workbook at all — not xlsx, over the read budget (``workbook_budget``: rows,
cells, declared dimension, shared strings, sizes, no DTD), damaged, the sheet or the ID
column missing — raises ``InputFileError`` with a Chinese message.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.core.vocabulary import LABELS
from desktop.errors import InputFileError
from desktop.locations import os_path

from .dept_workbook import (
    EDITABLE,
    FORMAT,
    HEADER_ROW,
    ID_HEADER,
    LOCKED,
    META_SHEET,
    OLD_HEADINGS,
    SHEET,
    Shown,
    Workbook,
    WorkbookMeta,
    WorkbookRow,
    completion_window,
    completion_window_text,
)
from .workbook_budget import MAX_ROWS, check_workbook

_PERIOD_KEY = re.compile(r"[0-9]{4}-(Q[1-4]|[01][0-9])")
_QUOTED = re.compile(r'"[^"]*"|\\.')


SAVE_AS_XLSX = "请在 WPS、Excel 或 LibreOffice 中“另存为” Excel 工作簿（.xlsx）后再导入。"
# spreadsheets of other programs, by their file name's ending
_OTHER_FORMATS = {
    ".xls": "旧版 Excel（.xls）",
    ".et": "WPS 表格（.et）",
    ".ett": "WPS 表格模板（.ett）",
    ".ods": "LibreOffice / OpenOffice 表格（.ods）",
    ".csv": "CSV 文本",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and .et: the old compound file


def _format_of(raw: bytes) -> str | None:
    """Another program's spreadsheet under an .xlsx name: its kind, else None."""
    if raw.startswith(_OLE):
        return "旧版 Excel（.xls）或 WPS 表格（.et）"
    if raw.startswith(b"PK") and b"mimetypeapplication/vnd.oasis.opendocument" in raw[:200]:
        return "LibreOffice / OpenOffice 表格（.ods）"
    return None


def read_dept_workbook(path: Path) -> Workbook:
    """The rows of a returned workbook; ``InputFileError`` when it is not one of ours."""
    from openpyxl import load_workbook

    name = path.name
    other = _OTHER_FORMATS.get(path.suffix.lower())
    if other is not None:
        raise InputFileError(f"“{name}”是{other}文件，无法读取。", hint=SAVE_AS_XLSX)
    try:
        raw = Path(os_path(path)).read_bytes()  # a path may pass 260 characters on Windows
    except OSError as err:
        raise InputFileError(f"无法读取“{name}”：{err.strerror or err}。") from err
    other = _format_of(raw)
    if other is not None:  # renamed, or saved by WPS under another name
        raise InputFileError(f"“{name}”实际是{other}文件，无法读取。", hint=SAVE_AS_XLSX)
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise InputFileError(
            f"“{name}”不是 Excel 工作簿（.xlsx），或文件已损坏。",
            hint="请选择本程序导出、各部门填好后交回的 .xlsx 文件。",
        )
    check_workbook(raw, name)  # the read budget, before openpyxl unpacks anything
    try:
        # not read-only: the percent column is read with each cell's number format
        wb = load_workbook(io.BytesIO(raw), data_only=True)
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
        ws = wb[SHEET]
        if (ws.max_row or 0) > MAX_ROWS:
            raise InputFileError(
                f"“{name}”有 {ws.max_row} 行，超过部门填报表的上限（{MAX_ROWS} 行）。",
                hint="请选择本程序导出的填报表。",
            )
        meta = _read_meta(wb)
        shown = _read_shown(ws)
        year = meta.year if meta is not None else _year_of(shown)
        rows = _read_rows(ws, name, year)
    finally:
        wb.close()
    return Workbook(meta, rows, shown)


def _read_shown(ws: Any) -> Shown | None:
    """The unit and period stated in the rows above the header (``牵头单位`` ``县科技局``
    ``填报周期`` ``2027年第二季度（2027-Q2）``): each label's value is the next filled cell."""
    found: dict[str, str] = {}
    for row in ws.iter_rows(min_row=1, max_row=HEADER_ROW - 1, values_only=True):
        cells = [_text(v) for v in row]
        for i, text in enumerate(cells):
            if text in (LABELS["unit"], LABELS["period"]) and text not in found:
                found[text] = next((c for c in cells[i + 1 :] if c), "")
    unit, period = found.get(LABELS["unit"], ""), found.get(LABELS["period"], "")
    if not unit and not period:
        return None
    m = _PERIOD_KEY.search(period)
    return Shown(unit, m.group(0) if m else "", period)


def _year_of(shown: Shown | None) -> int | None:
    if shown is None or not shown.period_key:
        return None
    return int(shown.period_key[:4])


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


def _read_rows(ws: Any, name: str, year: int | None) -> tuple[WorkbookRow, ...]:
    """The data rows; with the list's ``year`` known, a completion date outside the window
    the spreadsheet's own validation allows is refused the same way."""
    header_at = None
    columns: dict[str, int] = {}
    rows = ws.iter_rows()
    index = 0
    for index, cells_in in enumerate(rows, 1):
        texts = [OLD_HEADINGS.get(t, t) for t in (_text(c.value) for c in cells_in)]
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
    percent_label, date_label = LABELS["percent"], LABELS["completed_on"]
    out = []
    for offset, cells_in in enumerate(rows, 1):
        cells = list(cells_in)

        def cell(header: str, cells: list[Any] = cells) -> Any:
            i = columns[header]
            return cells[i] if i < len(cells) else None

        def get(header: str) -> Any:
            c = cell(header)
            return None if c is None else c.value

        found: list[str] = []
        pc = cell(percent_label)
        percent, question = _percent(
            None if pc is None else pc.value,
            "General" if pc is None else str(pc.number_format or "General"),
            found,
        )
        completed = _date(get(date_label), found)
        if completed is not None and year is not None:
            first, last = completion_window(year)
            if not first <= completed <= last:
                found.append(
                    f"“{date_label}”“{completed.isoformat()}”不在 "
                    f"{completion_window_text(year)} 之间"
                )
        row = WorkbookRow(
            excel_row=header_at + offset,
            uid=_text(get(ID_HEADER)),
            locked={key: _text(get(header)) for key, header, _ in LOCKED},
            text=_text(get(LABELS["progress"])),
            percent=percent,
            problems=_text(get(LABELS["problems"])),
            next_steps=_text(get(LABELS["next_steps"])),
            completed_on=completed,
            problems_found=tuple(found),
            percent_question=question,
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


def _is_percent_format(number_format: str) -> bool:
    """Whether a cell's format shows its value times 100 with a % sign (``0%``, ``0.0%``);
    a literal ``"%"`` or ``\\%`` shows the value itself followed by %."""
    return "%" in _QUOTED.sub("", number_format)


def _percent(value: object, number_format: str, found: list[str]) -> tuple[int | None, str]:
    """The percent in a cell and, for a plain ``1``, the question to ask instead.

    ``100%`` typed in Excel, WPS or LibreOffice is the number 1 formatted as a percent, so
    a percent-formatted cell holds a fraction. Unformatted: 0 and 2 to 100 are percents,
    a number between 0 and 1 is a fraction (0.5 → 50), and 1 is either 1% or 100%.
    """
    label = LABELS["percent"]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    shown = _text(value)
    number: float | None = None
    if isinstance(value, bool):
        pass
    elif isinstance(value, int | float):
        number = float(value)
        if _is_percent_format(number_format):
            shown = f"{round(number * 100, 4):g}%"
            number = round(number * 100, 6)
        elif number == 1:
            return None, shown
        elif 0 < number < 1:
            number = round(number * 100, 6)
    else:
        text = str(value).strip()
        as_percent = text.endswith(("%", "％"))
        try:
            number = float(text.rstrip("%％").strip())
        except ValueError:
            number = None
        if number is not None and not as_percent:
            if number == 1:
                return None, shown
            if 0 < number < 1:
                number = round(number * 100, 6)
    if number is None or not number.is_integer() or not 0 <= number <= 100:
        found.append(f"“{label}”“{shown}”应为 0 到 100 之间的整数")
        return None, ""
    return int(number), ""


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
    found.append(f"“{LABELS['completed_on']}”“{_text(value)}”不是有效的日期（应为 年-月-日）")
    return None
