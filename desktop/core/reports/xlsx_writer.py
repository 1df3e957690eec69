"""The ledger as an Excel workbook (openpyxl), laid out like the PDF.

One sheet per part (named after the unit for by-unit ledgers): title rows, the header
row (frozen, repeated on every printed page), section bands, the measure label merged
down its rows, the status word in colour. Print set-up: landscape, fit to one page
wide, ``第 &P 页 共 &N 页`` in the footer.

Every value is written as text; a value that starts with ``=``, ``+``, ``-`` or ``@``
gets the text type and the quote prefix, so no spreadsheet ever runs it as a formula.
A hidden column J carries each task's ``task_uid`` for a later round trip.
"""

from __future__ import annotations

import io
import re
import zipfile
from math import ceil
from typing import Any

from .fileio import OutTarget, atomic_output, unique_names
from .model import COLUMNS, STATUS_COLOURS, LedgerDocument, LedgerPart, status_text
from .textwrap_cjk import clean_text

COLUMN_WIDTHS = (6, 18, 46, 20, 12, 15, 12, 26, 9)
UID_HEADER = "任务ID"
FORMULA_STARTS = ("=", "+", "-", "@")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_CHAR_REF = re.compile(r"&#([0-9]+);")
LINE_HEIGHT = 13.5
MAX_ROW_HEIGHT = 409.0
_GREY_HEADER = "FFDDDDDD"
_GREY_BAND = "FFEDEDED"


def sheet_names(doc: LedgerDocument) -> list[str]:
    """Sheet names for the parts: the unit's name, ≤31 characters, legal and distinct."""
    names = []
    for part in doc.parts:
        name = part.heading.split("：", 1)[-1] if part.heading else "工作任务清单"
        name = _SHEET_BAD.sub("_", clean_text(name)).strip("'") or "工作任务清单"
        names.append(name[:28])
    return [n[:31] for n in unique_names(names)]


def _lines(text: str, width: float) -> int:
    """Estimated wrapped lines of ``text`` in a column ``width`` characters wide.

    A Chinese character is about two width units in a 10 pt 宋体 cell, a Latin one about
    one: exactly the byte count of the GBK encoding, which runs in C.
    """
    if not text:
        return 1
    room = max(1.0, width - 1.5)
    return sum(max(1, ceil(len(p.encode("gbk", "replace")) / room)) for p in text.split("\n"))


def _height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def _utf8_xml(data: bytes) -> bytes:
    """The package with Chinese written as UTF-8 instead of ``&#29301;`` references.

    openpyxl 3.1 writes every non-ASCII character of a sheet as a numeric character
    reference: valid, but four times larger and unreadable to tools that grep the XML.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith(".xml") and b"&#" in body:
                body = _CHAR_REF.sub(_char, body.decode("utf-8")).encode("utf-8")
            target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _char(m: re.Match[str]) -> str:
    code = int(m.group(1))
    return chr(code) if code > 127 else m.group(0)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "FF" + "".join(f"{round(c * 255):02X}" for c in rgb)


class _Styles:
    """Style objects made once and shared by every cell."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="FF000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title_font = Font(name="黑体", size=16, bold=True)
        self.sub_font = Font(name="楷体", size=12)
        self.meta_font = Font(name="宋体", size=10)
        self.head_font = Font(name="黑体", size=10, bold=True)
        self.body_font = Font(name="宋体", size=10)
        self.band_font = Font(name="黑体", size=10, bold=True)
        self.status_fonts = {
            k: Font(name="宋体", size=10, color=_hex(rgb), bold=k == "lagging")
            for k, rgb in STATUS_COLOURS.items()
        }
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")
        self.head_fill = PatternFill("solid", fgColor=_GREY_HEADER)
        self.band_fill = PatternFill("solid", fgColor=_GREY_BAND)


def _put(ws: Any, row: int, col: int, value: str, font: Any = None, align: Any = None) -> Any:
    """Writes ``value`` as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    value = clean_text(value)
    cell.value = value
    if value:
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if align is not None:
        cell.alignment = align
    return cell


def _write_part(ws: Any, doc: LedgerDocument, part: LedgerPart, st: _Styles) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ncol = len(COLUMNS)
    last_col = "I"
    row = 1
    for text, font, height in (
        (doc.title, st.title_font, 30),
        (doc.subtitle, st.sub_font, 20),
        (part.heading, st.sub_font, 20),
    ):
        if not text:
            continue
        _put(ws, row, 1, text, font, st.centre)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        ws.row_dimensions[row].height = height
        row += 1
    right = "　".join(p for p in (f"依据：{doc.basis}" if doc.basis else "", doc.as_of) if p)
    _put(ws, row, 1, f"填报单位：{doc.office}" if doc.office else "", st.meta_font, st.left)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    _put(ws, row, 6, right, st.meta_font, st.right)
    ws.merge_cells(start_row=row, start_column=6, end_row=row, end_column=ncol)
    row += 1
    header_row = row
    for col, name in enumerate(COLUMNS, 1):
        cell = _put(ws, row, col, name, st.head_font, st.centre)
        cell.fill = st.head_fill
        cell.border = st.border
    _put(ws, row, ncol + 1, UID_HEADER, st.head_font)
    row += 1
    for section in part.sections:
        _put(ws, row, 1, section.title, st.band_font, st.left)
        for col in range(1, ncol + 1):
            c = ws.cell(row=row, column=col)
            c.fill = st.band_fill
            c.border = st.border
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        ws.row_dimensions[row].height = _height(_lines(section.title, sum(COLUMN_WIDTHS)))
        row += 1
        for group in section.groups:
            first = row
            if group.not_applicable is not None or not group.rows:
                text = f"不适用：{group.not_applicable}" if group.not_applicable is not None else ""
                _put(ws, row, 3, text, st.body_font, st.left)
                for col in range(1, ncol + 1):
                    ws.cell(row=row, column=col).border = st.border
                ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=ncol)
                ws.row_dimensions[row].height = _height(_lines(text, sum(COLUMN_WIDTHS[2:])))
                row += 1
            for r in group.rows:
                progress = r.progress if doc.show_progress else ""
                status = status_text(r.status) if doc.show_progress else ""
                values = (
                    r.number,
                    "",
                    r.content,
                    r.target,
                    r.lead_units,
                    r.co_units,
                    r.deadline,
                    progress,
                    status,
                )
                lines = 1
                for col, value in enumerate(values, 1):
                    if col == 9:
                        font, align = st.status_fonts.get(r.status, st.body_font), st.centre
                    else:
                        font = st.body_font
                        align = st.centre if col in (1, 5, 6, 7) else st.left
                    _put(ws, row, col, value, font, align).border = st.border
                    lines = max(lines, _lines(value, COLUMN_WIDTHS[col - 1]))
                _put(ws, row, ncol + 1, r.task_uid)
                ws.row_dimensions[row].height = _height(lines)
                row += 1
            _put(ws, first, 2, group.label, st.body_font, st.left)
            if row - 1 > first:
                ws.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
            need = _height(_lines(group.label, COLUMN_WIDTHS[1]))
            have = sum(ws.row_dimensions[i].height or LINE_HEIGHT for i in range(first, row))
            if need > have:
                last = ws.row_dimensions[row - 1]
                last.height = min(MAX_ROW_HEIGHT, (last.height or LINE_HEIGHT) + need - have)
    last_table_row = row - 1
    row += 1
    s = doc.signoff
    fields = [
        (1, 4, f"填报单位（盖章）：{s.unit}"),
        (7, ncol, f"填报日期：{s.date}"),
    ]
    for start, end, text in fields:
        _put(ws, row, start, text, st.meta_font, st.left)
        ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)
    row += 1
    fields = [
        (1, 3, f"填报人：{s.filler}"),
        (4, 5, f"审核人：{s.reviewer}"),
        (6, ncol, f"联系电话：{s.phone}"),
    ]
    for start, end, text in fields:
        _put(ws, row, start, text, st.meta_font, st.left)
        ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)

    from openpyxl.utils import get_column_letter

    for col, width in enumerate(COLUMN_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(ncol + 1)].hidden = True
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_col}{max(row, last_table_row)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if doc.paper.upper() == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def write_ledger_xlsx(doc: LedgerDocument, out: OutTarget) -> None:
    """Writes the workbook: one sheet per part."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    st = _Styles()
    for name, part in zip(sheet_names(doc), doc.parts, strict=True):
        _write_part(wb.create_sheet(name), doc, part, st)
    wb.properties.title = doc.title + doc.subtitle
    wb.properties.creator = "清单台账"
    wb.properties.subject = doc.basis
    buffer = io.BytesIO()
    wb.save(buffer)
    data = _utf8_xml(buffer.getvalue())
    with atomic_output(out) as stream:
        stream.write(data)
