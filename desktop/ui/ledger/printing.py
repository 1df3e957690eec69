"""Printing a generated ledger PDF on the printer the user chose in the system dialog.

The PDF the user previewed is what gets printed: each page is rendered by QtPdf at the
printer's resolution (capped, see ``MAX_DPI``) and drawn 1:1 on the full paper, so the
printed sheet has the same margins and scale as the PDF. ``print_pdf`` runs in a
background job — Qt allows painting on a ``QPrinter`` from a worker thread — with its own
``QPdfDocument``, so the preview on screen is never touched from the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from desktop.core.reports import Cancelled
from desktop.errors import UserError

# Above 300 dpi a rendered page costs memory (an A3 page at 600 dpi is 280 MB) and time
# without a visible gain for table text on office printers.
MAX_DPI = 300

PAPER_SIZES = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}


def make_printer(paper: str, doc_name: str) -> QPrinter:
    """A printer set up for a landscape ledger on ``paper`` (A4 / A3), full page."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(doc_name)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(PAPER_SIZES.get(paper, QPageSize.PageSizeId.A4)),
            QPageLayout.Orientation.Landscape,
            QMarginsF(0, 0, 0, 0),
        )
    )
    # The PDF carries its own margins: print it edge to edge rather than shrink it into the
    # printer's margins, so the sheet matches the preview exactly.
    printer.setFullPage(True)
    return printer


def pages_to_print(printer: QPrinter, page_count: int, current_page: int = 0) -> list[int]:
    """The 0-based pages to print, in order, as chosen in the dialog (range, order, copies)."""
    mode = printer.printRange()
    if mode == QPrinter.PrintRange.CurrentPage:
        pages = [min(max(current_page, 0), page_count - 1)] if page_count else []
    elif mode == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        if ranges.isEmpty():
            first, last = printer.fromPage(), printer.toPage()
            pages = [p for p in range(page_count) if first <= p + 1 <= (last or page_count)]
        else:
            pages = [p for p in range(page_count) if ranges.contains(p + 1)]
    else:
        pages = list(range(page_count))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    # Where the driver cannot make copies itself, the program sends each one.
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if copies > 1:
        if printer.collateCopies():
            pages = pages * copies
        else:
            pages = [p for p in pages for _ in range(copies)]
    return pages


def print_pdf(
    pdf: Path,
    printer: QPrinter,
    *,
    current_page: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Print ``pdf`` on ``printer``; returns the number of sheets sent.

    Raises :class:`Cancelled` when ``cancelled()`` turns true (the print job is aborted,
    nothing more reaches the printer) and ``UserError`` when the printer cannot start.
    """
    document = QPdfDocument()
    try:
        if document.load(str(pdf)) != QPdfDocument.Error.None_:
            raise UserError("无法读取预览文件，请重新生成预览后再打印。")
        pages = pages_to_print(printer, document.pageCount(), current_page)
        if not pages:
            raise UserError("所选页码范围内没有可打印的页。")
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(
                "无法开始打印：打印机不可用或输出文件无法写入。",
                hint="请检查打印机是否已连接、开机，或换一台打印机后重试。",
            )
        try:
            dpi = min(printer.resolution(), MAX_DPI)
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            for done, page in enumerate(pages):
                if cancelled is not None and cancelled():
                    printer.abort()
                    raise Cancelled("已取消打印")
                if done:
                    printer.newPage()
                size = document.pagePointSize(page)
                image = document.render(
                    page, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72))
                )
                painter.drawImage(_fit(paper, size.width(), size.height()), image)
                if progress is not None:
                    progress(done + 1, len(pages))
        finally:
            if painter.isActive():
                painter.end()
        return len(pages)
    finally:
        document.close()


def _fit(paper: QRectF, width: float, height: float) -> QRectF:
    """The largest rectangle of the page's proportions centred on the paper."""
    if width <= 0 or height <= 0:
        return paper
    scale = min(paper.width() / width, paper.height() / height)
    w, h = width * scale, height * scale
    return QRectF(paper.x() + (paper.width() - w) / 2, paper.y() + (paper.height() - h) / 2, w, h)
