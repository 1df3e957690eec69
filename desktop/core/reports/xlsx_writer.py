"""The ledger as an Excel workbook (openpyxl), laid out like the PDF.

One sheet per part (named after the unit for by-unit ledgers): title rows, the header
row (frozen, repeated on every printed page), section bands, the measure label merged
down its rows, the status word in colour. Print set-up: landscape, fit to one page
wide, ``第 &P 页 共 &N 页`` in the footer. Row heights are set from an estimate of the
wrapped lines, because no spreadsheet sizes rows of merged cells by itself.

Every value is written as text; a value that starts with ``=``, ``+``, ``-`` or ``@``
gets the text type and the quote prefix, so no spreadsheet ever runs it as a formula.
A hidden column J carries each task's ``task_uid`` for a later round trip.

A cell holds at most 32,767 characters (Excel's limit; openpyxl would cut silently): a
longer text is cut with a note in the cell saying so, and the writer returns which cells
were cut, so the user is told (the PDF ledger prints the whole text).
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl.utils.cell import get_column_letter

from desktop.core.vocabulary import PERCENT_FORMAT

from . import xlsx_styles as xs
from .fileio import OutTarget, atomic_output, unique_names
from .model import ROW_TEXT, LedgerDocument, LedgerMeasureGroup, LedgerPart, status_lines
from .textwrap_cjk import clean_text

# widths and alignment come from the one list of ledger columns (the document's, with the
# optional ones): 完成时限 holds "2027年12月底" on one line (12 half-width units and the
# cell's margin), so that it does not make every row two lines high
UID_HEADER = "任务ID"
FORMULA_STARTS = ("=", "+", "-", "@")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
EXCEL_CELL_LIMIT = 32_767
CUT_NOTE = "……（以下超出 Excel 单元格 32767 字的上限，从略；全文见 PDF 台账）"


def sheet_names(doc: LedgerDocument) -> list[str]:
    """Sheet names for the parts: the unit's name, ≤31 characters, legal and distinct."""
    names = []
    for part in doc.parts:
        name = part.heading.split("：", 1)[-1] if part.heading else "工作任务清单"
        name = _SHEET_BAD.sub("_", clean_text(name)).strip("'") or "工作任务清单"
        names.append(name[:27])
    return [n[:31] for n in unique_names(names)]


def _put(ws: Any, row: int, col: int, value: str, style: str | None = None) -> Any:
    """Writes ``value`` as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if style is not None:
        cell.style = style
    value = clean_text(value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE
    if value:
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # after the style, which would reset it
    return cell


def _merge(
    ws: Any, first_row: int, first_col: int, last_row: int, last_col: int, style: str
) -> None:
    """Merges a range whose top-left cell is written; every covered cell gets ``style``.

    ``ws.merge_cells`` re-derives the edge borders cell by cell with fresh ``Border``
    objects (about 0.2 ms a row); giving the covered cells our named style, with its
    full grid, draws the same borders at a fraction of the cost.
    """
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.merge import MergedCellRange

    if (first_row, first_col) == (last_row, last_col):
        return
    cells = getattr(ws, "_cells", None)
    if cells is None:  # not the openpyxl we know: take the slow, public way
        ws.merge_cells(
            start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col
        )
        return
    coord = f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
    merged = MergedCellRange(ws, coord)
    ws.merged_cells.add(merged)
    covered = merged.cells
    next(covered)  # the top-left cell keeps its value
    for row, col in covered:
        cell = MergedCell(ws, row, col)
        cell.style = style
        cells[row, col] = cell


def _merged(ws: Any, row: int, first: int, last: int, text: str, style: str) -> None:
    """``text`` in columns ``first..last`` of ``row``, merged, every cell styled."""
    _put(ws, row, first, text, style)
    _merge(ws, row, first, row, last, style)


class _SheetWriter:
    """Writes one part into one worksheet, row after row."""

    def __init__(self, ws: Any, doc: LedgerDocument) -> None:
        self.ws = ws
        self.doc = doc
        self.row = 1
        # the ledger's columns with the optional ones the office chose
        columns = doc.ledger_columns()
        self.keys = [c.key for c in columns]
        self.labels = [c.label for c in columns]
        self.widths = [c.excel_width for c in columns]
        self.centred = frozenset(i for i, c in enumerate(columns, 1) if c.align)
        self.ncol = len(columns)

    def write(self, part: LedgerPart) -> None:
        header_row = self._title_block(part)
        for section in part.sections:
            _merged(self.ws, self.row, 1, self.ncol, section.title, xs.BAND)
            self._height(xs.estimate_lines(section.title, sum(self.widths)))
            self.row += 1
            for group in section.groups:
                self._group(group)
        if not any(s.groups for s in part.sections):
            _merged(self.ws, self.row, 1, self.ncol, "（无相关任务）", xs.BODY_CENTRE)
            self.row += 1
        last_table_row = self.row - 1
        self._signoff()
        self._page_setup(header_row, max(self.row - 1, last_table_row))

    def _height(self, lines: int) -> None:
        self.ws.row_dimensions[self.row].height = xs.row_height(lines)

    def _title_block(self, part: LedgerPart) -> int:
        doc, ws = self.doc, self.ws
        for text, style, height in (
            (doc.title, xs.TITLE, 30),
            (doc.subtitle, xs.SUBTITLE, 20),
            (part.heading, xs.SUBTITLE, 20),
        ):
            if text:
                _merged(ws, self.row, 1, self.ncol, text, style)
                ws.row_dimensions[self.row].height = height
                self.row += 1
        right = "　".join(p for p in (f"依据：{doc.basis}" if doc.basis else "", doc.as_of) if p)
        _merged(ws, self.row, 1, 5, f"填报单位：{doc.office}" if doc.office else "", xs.META_LEFT)
        _merged(ws, self.row, 6, self.ncol, right, xs.META_RIGHT)
        self.row += 1
        for col, name in enumerate(self.labels, 1):
            _put(ws, self.row, col, name, xs.HEADER)
        _put(ws, self.row, self.ncol + 1, UID_HEADER)
        self.row += 1
        return self.row - 1

    def _group(self, group: LedgerMeasureGroup) -> None:
        ws, doc = self.ws, self.doc
        first = self.row
        if group.not_applicable is not None or group.note is not None or not group.rows:
            text = f"不适用：{group.not_applicable}" if group.not_applicable is not None else ""
            if group.note is not None:
                text = group.note
            ws.cell(row=self.row, column=1).style = xs.BODY_CENTRE
            _merged(ws, self.row, 3, self.ncol, text, xs.BODY_LEFT)
            self._height(xs.estimate_lines(text, sum(self.widths[2:])))
            self.row += 1
        for r in group.rows:
            status = "\n".join(status_lines(r)) if doc.show_progress else ""
            lines = 1
            for col, key in enumerate(self.keys, 1):
                if key == "measures":
                    continue  # the measure's label, merged down its rows below
                if key == "percent":
                    # a number Excel and WPS can sort and sum: the fraction, shown as 40%
                    cell = ws.cell(row=self.row, column=col)
                    cell.style = xs.BODY_CENTRE
                    if doc.show_progress and r.percent is not None:
                        cell.value = r.percent / 100
                    cell.number_format = PERCENT_FORMAT
                    continue
                if key == "status":
                    _put(ws, self.row, col, status, xs.status_style(r.status if status else ""))
                    if status:
                        lines = max(lines, status.count("\n") + 1)
                    continue
                value = getattr(r, ROW_TEXT[key])
                if key == "progress" and not doc.show_progress:
                    value = ""
                style = xs.BODY_CENTRE if col in self.centred else xs.BODY_LEFT
                if col == 1:
                    style = xs.NUMBER
                _put(ws, self.row, col, value, style)
                if value:
                    lines = max(lines, xs.estimate_lines(value, self.widths[col - 1]))
            _put(ws, self.row, self.ncol + 1, r.task_uid)
            self._height(lines)
            self.row += 1
        _put(ws, first, 2, group.label, xs.BODY_LEFT)
        _merge(ws, first, 2, self.row - 1, 2, xs.BODY_LEFT)
        need = xs.row_height(xs.estimate_lines(group.label, self.widths[1]))
        dims = ws.row_dimensions
        have = sum(dims[i].height or xs.LINE_HEIGHT for i in range(first, self.row))
        if need > have:
            last = dims[self.row - 1]
            last.height = min(xs.MAX_ROW_HEIGHT, (last.height or xs.LINE_HEIGHT) + need - have)

    def _signoff(self) -> None:
        s = self.doc.signoff
        self.row += 1
        for fields in (
            [(1, 4, f"填报单位（盖章）：{s.unit}"), (7, self.ncol, f"填报日期：{s.date}")],
            [
                (1, 3, f"填报人：{s.filler}"),
                (4, 5, f"审核人：{s.reviewer}"),
                (6, self.ncol, f"联系电话：{s.phone}"),
            ],
        ):
            for start, end, text in fields:
                _merged(self.ws, self.row, start, end, text, xs.META_LEFT)
            self.ws.row_dimensions[self.row].height = 24
            self.row += 1
        if s.key_line:
            _merged(self.ws, self.row, 1, self.ncol, s.key_line, xs.META_LEFT)
            self.ws.row_dimensions[self.row].height = 24
            self.row += 1

    def _page_setup(self, header_row: int, last_row: int) -> None:
        from openpyxl.worksheet.properties import PageSetupProperties

        ws = self.ws
        for col, width in enumerate(self.widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.column_dimensions[get_column_letter(self.ncol + 1)].hidden = True
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.print_area = f"A1:{get_column_letter(self.ncol)}{last_row}"
        setup = ws.page_setup
        setup.orientation = "landscape"
        setup.paperSize = ws.PAPERSIZE_A3 if self.doc.paper.upper() == "A3" else ws.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def write_ledger_xlsx(doc: LedgerDocument, out: OutTarget) -> list[str]:
    """Writes the workbook: one sheet per part. Returns the cells cut at Excel's limit, in
    Chinese (``工作表“…”第 12 行（编号 1-2）“工作任务”``); empty when none was."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    xs.add_named_styles(wb)
    for name, part in zip(sheet_names(doc), doc.parts, strict=True):
        _SheetWriter(wb.create_sheet(name), doc).write(part)
    if not doc.parts:
        _SheetWriter(wb.create_sheet("工作任务清单"), doc).write(LedgerPart())
    wb.properties.title = doc.title + doc.subtitle
    wb.properties.creator = "清单台账"
    wb.properties.subject = doc.basis
    cut = _cut_cells(wb, [c.label for c in doc.ledger_columns()])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = xs.utf8_package(buffer.getvalue())
    with atomic_output(out) as stream:
        stream.write(data)
    return cut


def cut_cells_note(cut: list[str]) -> str:
    """One sentence for the user about the cells :func:`write_ledger_xlsx` had to cut."""
    shown = "；".join(cut[:5]) + (f"等 {len(cut)} 处" if len(cut) > 5 else "")
    return (
        f"{shown}的文字超过 Excel 单元格 32767 字的上限，已截断并在单元格中注明；"
        "全文请看 PDF 台账。"
    )


def _cut_cells(wb: Any, labels: list[str]) -> list[str]:
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.endswith(CUT_NOTE):
                    heading = labels[cell.column - 1] if cell.column <= len(labels) else ""
                    number = ws.cell(row=cell.row, column=1).value or ""
                    which = f"（编号 {number}）" if number else ""
                    column = f"“{heading}”" if heading else f"{cell.column_letter} 列"
                    found.append(f"工作表“{ws.title}”第 {cell.row} 行{which}{column}")
    return found
