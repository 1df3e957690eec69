"""Printing a ledger: the same pages as its PDF, drawn as vector text and lines.

The ledger is laid out once by the core (``desktop.core.reports.lay_out``: the line
breaks and page breaks the PDF has) and drawn here with a ``QPainter`` on the ``QPrinter``
the user chose, from the same drawing steps the PDF painter uses
(``desktop.core.reports.page_draw``): text as text, rules as lines, in the fonts the PDF
embeds. The printed sheet is the PDF page at the same scale and margins, sharp at any
resolution, and a spool of a few kilobytes a page instead of a page-sized image.

``print_ledger`` runs in a background job: Qt allows painting on a ``QPrinter`` outside
the UI thread (fonts are registered on the UI thread first, see :func:`register_fonts`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from desktop.core.reports import Cancelled
from desktop.core.reports.page_draw import fills, grid, text_lines
from desktop.errors import UserError

if TYPE_CHECKING:
    from desktop.core.reports import LedgerDocument
    from desktop.core.reports.fonts import FontFace, FontSet
    from desktop.core.reports.pdf_writer import LedgerLayout
    from desktop.ui.background import Job

PAPER_SIZES = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}

_families: dict[tuple[str, int], str] = {}


def printers_installed() -> bool:
    """Whether the system knows any printer (a print dialog without one only offers a
    file, which users take for printing)."""
    return bool(QPrinterInfo.availablePrinterNames())


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
    # The ledger carries its own margins: print it edge to edge rather than shrink it into
    # the printer's margins, so the sheet matches the PDF exactly.
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


def _family(face: FontFace) -> str:
    """The Qt family name of a font file's face, the file registered once per process."""
    key = (str(face.path), face.index)
    family = _families.get(key)
    if family is None:
        found = QFontDatabase.applicationFontFamilies(
            QFontDatabase.addApplicationFont(str(face.path))
        )
        # a collection registers every face; the one the PDF uses is named by its family
        family = face.family if face.family in found or not found else found[0]
        _families[key] = family
    return family


def register_fonts(fonts: FontSet) -> tuple[str, str]:
    """Makes the ledger's faces known to Qt (call on the UI thread); (title, body) families."""
    for face in fonts.fallbacks:
        _family(face)
    return _family(fonts.title), _family(fonts.body)


class QtPagePainter:
    """Draws laid-out ledger pages on a ``QPainter`` whose device is at ``dpi``."""

    def __init__(self, painter: QPainter, laid: LedgerLayout, families: tuple[str, str], dpi: int):
        self.painter = painter
        self.laid = laid
        self.scale = dpi / 72.0
        self.height = laid.geo.page_height
        self._fonts: dict[tuple[bool, float, bool], QFont] = {}
        self._families = families

    def _font(self, title: bool, size: float, bold: bool) -> QFont:
        key = (title, size, bold)
        font = self._fonts.get(key)
        if font is None:
            font = QFont(self._families[0] if title else self._families[1])
            # the device is at ``dpi``, so a point is a point on paper
            font.setPointSizeF(size)
            font.setBold(bold)
            font.setKerning(False)  # the PDF sets each glyph at its advance
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            self._fonts[key] = font
        return font

    def _point(self, x: float, y: float) -> QPointF:
        k = self.scale
        return QPointF(x * k, (self.height - y) * k)

    def paint(self, index: int) -> None:
        laid = self.laid
        plan = laid.plans[index]
        p, k = self.painter, self.scale
        p.setPen(Qt.PenStyle.NoPen)
        for f in fills(plan, laid.geo, laid.header_height):
            grey = round(f.grey * 255)
            p.fillRect(
                QRectF(self._point(f.x, f.y + f.height), self._point(f.x + f.width, f.y)),
                QColor(grey, grey, grey),
            )
        rules = grid(plan, laid.geo, laid.header_height)
        pen = QPen(QColor(0, 0, 0))
        pen.setWidthF(laid.style.grid_width * k)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        segments = rules.lines + rules.underlines
        p.drawLines([QLineF(self._point(a, b), self._point(c, d)) for a, b, c, d in segments])
        if rules.frame is not None:
            x, y, w, h = rules.frame
            pen.setWidthF(laid.style.frame_width * k)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(self._point(x, y + h), self._point(x + w, y)))
        body_width = laid.body.wrapper.width
        title_width = laid.title.wrapper.width
        lines = text_lines(plan, laid.style, laid.geo, laid.table, body_width, title_width)
        colour = None
        for t in lines:
            if t.colour != colour:
                colour = t.colour
                r, g, b = (round(v * 255) for v in colour)
                p.setPen(QColor(r, g, b))
            p.setFont(self._font(t.title_font, t.size, t.bold))
            p.drawText(self._point(t.x, t.y), t.text)


def print_ledger(
    laid: LedgerLayout,
    printer: QPrinter,
    families: tuple[str, str],
    *,
    current_page: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Prints the laid-out ledger on ``printer``; returns the number of sheets sent.

    Raises :class:`Cancelled` when ``cancelled()`` turns true (the print job is aborted,
    nothing more reaches the printer) and ``UserError`` when the printer cannot start.
    """
    pages = pages_to_print(printer, len(laid.plans), current_page)
    if not pages:
        raise UserError("所选页码范围内没有可打印的页。")
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError(
            "无法开始打印：打印机不可用或输出文件无法写入。",
            hint="请检查打印机是否已连接、开机，或换一台打印机后重试。",
        )
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        page_painter = QtPagePainter(painter, laid, families, printer.resolution())
        for done, page in enumerate(pages):
            if cancelled is not None and cancelled():
                printer.abort()
                raise Cancelled("已取消打印")
            if done:
                printer.newPage()
            page_painter.paint(page)
            if progress is not None:
                progress(done + 1, len(pages))
    finally:
        if painter.isActive():
            painter.end()
    return len(pages)


class PrintJob:
    """The background work of 打印: lay the previewed document out again (the PDF's pages,
    line by line) and draw it on ``printer``. Made on the UI thread, which registers the
    fonts with Qt before any painting starts."""

    def __init__(self, doc: LedgerDocument, printer: QPrinter, current_page: int = 0) -> None:
        from desktop.core.reports import find_cjk_fonts

        self.doc = doc
        self.printer = printer
        self.current_page = current_page
        self.fonts = find_cjk_fonts()
        self.families = register_fonts(self.fonts)

    def __call__(self, job: Job) -> int:
        from desktop.core.reports.pdf_writer import lay_out

        laid = lay_out(self.doc, self.fonts)
        return print_ledger(
            laid,
            self.printer,
            self.families,
            current_page=self.current_page,
            progress=job.progress,
            cancelled=job.cancelled,
        )


def printed_note(printer: QPrinter, sheets: int) -> str:
    """What was done, in the words of what happened: a file is not a printer."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return f"已打印到文件：{printer.outputFileName()}（{sheets} 页）"
    return f"已发送到打印机“{printer.printerName()}”：{sheets} 页。"
