"""Reading a department workbook (部门填报表) that came back from a lead unit.

The rows are read as they are; the editable values are parsed the way people type them
(``80%``, ``0.8`` in a percent-formatted cell, ``2027年9月30日``) or kept as a reason they
cannot be read. Comparing the rows with the database is the service's job. A file that is
not such a workbook at all — not xlsx, the sheet or the ID column missing — raises
``InputFileError`` with a Chinese message.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.errors import InputFileError

from .dept_workbook import (
    EDITABLE,
    FORMAT,
    ID_HEADER,
    LOCKED,
    META_SHEET,
    SHEET,
    Workbook,
    WorkbookMeta,
    WorkbookRow,
    completion_window,
    completion_window_text,
)


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
        rows = _read_rows(wb[SHEET], name, meta.year if meta is not None else None)
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


def _read_rows(ws: Any, name: str, year: int | None) -> tuple[WorkbookRow, ...]:
    """The data rows; with the list's ``year`` known, a completion date outside the window
    the spreadsheet's own validation allows is refused the same way."""
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
        if completed is not None and year is not None:
            first, last = completion_window(year)
            if not first <= completed <= last:
                found.append(
                    f"完成时间“{completed.isoformat()}”不在 {completion_window_text(year)} 之间"
                )
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
