"""The department workbook's read budget, checked before openpyxl sees the file.

A department workbook (部门填报表) is one lead unit's tasks of one list: a few hundred rows,
at most some thousands, a dozen columns, well under a megabyte. openpyxl trusts what it
reads — a sheet declaring ``A1:XFD1048576``, a million rows, a shared-strings table that
inflates to gigabytes, XML with a DTD — and would spend minutes and gigabytes before the
import could say no. So the zip and every XML part are scanned first, as streams
(``desktop.core.read_budget``): declared and actual sizes, compression ratios, no DTD, the
elements counted, and for the sheets and the shared strings the rows, cells, declared
dimension and strings counted against the limits below. Whatever passes is small and
well-formed; damage found here (a truncated member, XML cut off) is said as damage.
"""

from __future__ import annotations

import io
import re
import zipfile

from desktop.core.read_budget import (
    MB,
    ReadBudget,
    StartElement,
    check_archive,
    read_member,
    scan_xml,
)
from desktop.errors import InputFileError

MAX_ROWS = 20_000  # rows of one sheet: far above a lead unit's tasks in the largest list
MAX_COLUMNS = 64  # the workbook has about a dozen
MAX_CELLS = 400_000
MAX_SHARED_STRINGS = MAX_CELLS
KIND = "部门填报表"
HINT = "请选择本程序导出、各部门填好后交回的 .xlsx 文件。"

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


def workbook_budget(name: str) -> ReadBudget:
    return ReadBudget(
        name,
        kind=KIND,
        error=InputFileError,
        hint=HINT,
        members=300,
        member_bytes=32 * MB,
        total_bytes=64 * MB,
        elements=3 * MAX_CELLS,
    )


def check_workbook(raw: bytes, name: str) -> None:
    """Raise ``InputFileError`` when the .xlsx bytes ``raw`` exceed the budget or are
    damaged; return quietly when openpyxl may read them."""
    budget = workbook_budget(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise InputFileError(
            f"“{name}”不是 Excel 工作簿（.xlsx），或文件已损坏。", hint=HINT
        ) from err
    with archive:
        check_archive(archive, budget)
        for info in archive.infolist():
            part = info.filename
            if not part.lower().endswith((".xml", ".rels", ".vml")):
                continue  # pictures, printer settings: sizes checked above, never parsed
            data = read_member(archive, info, budget)
            scan_xml(data, part, budget, _counter(part, budget))


def _counter(part: str, budget: ReadBudget) -> StartElement | None:
    """The per-element check of one part: rows, cells and dimension of a sheet; the number
    of shared strings."""
    lower = part.lower()
    if lower.startswith("xl/worksheets/"):
        rows = cells = 0

        def sheet(tag: str, attributes: dict[str, str]) -> None:
            nonlocal rows, cells
            local = tag.rsplit(":", 1)[-1]
            if local == "row":
                rows += 1
                if rows > MAX_ROWS:
                    raise budget.refuse(f"的工作表超过 {MAX_ROWS} 行")
            elif local == "c":
                cells += 1
                if cells > MAX_CELLS:
                    raise budget.refuse(f"的工作表超过 {MAX_CELLS} 个单元格")
            elif local == "dimension":
                _check_dimension(attributes.get("ref", ""), budget)

        return sheet
    if lower == "xl/sharedstrings.xml":
        strings = 0

        def shared(tag: str, _attributes: dict[str, str]) -> None:
            nonlocal strings
            if tag.rsplit(":", 1)[-1] == "si":
                strings += 1
                if strings > MAX_SHARED_STRINGS:
                    raise budget.refuse(f"含有超过 {MAX_SHARED_STRINGS} 段文字")

        return shared
    return None


def _check_dimension(ref: str, budget: ReadBudget) -> None:
    """A sheet's declared size (``A1:L120``): openpyxl walks every row and column of it."""
    m = _REF.match(ref.strip().upper())
    if m is None:
        return  # absent or odd: openpyxl then counts the rows it finds, which we counted
    last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
    if int(last_row) > MAX_ROWS or _column_number(last_col) > MAX_COLUMNS:
        raise budget.refuse(f"的工作表声明的范围是 {ref[:20]}")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - ord("A") + 1
    return number
