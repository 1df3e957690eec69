"""Benchmark: printing a 500-page ledger, vector (the program's way) against raster.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_print.py [--pages 500]
        [--raster-pages 20] [--dpi 300]

Builds a synthetic ledger of about ``--pages`` A4 pages, writes its PDF, then prints it on
a ``QPrinter`` in PDF mode (the spool a printer driver would get) the way 台账打印 does:
layout (``lay_out``) and a ``QPainter`` drawing text and lines. The raster way it replaced
(each PDF page rendered by QtPdf at ``--dpi`` and drawn as an image) is timed on the first
``--raster-pages`` pages and scaled to the whole ledger. Prints seconds and spool sizes;
never fails on a timing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the sample generator lives with the tests, not in the product
from tests.core.ledger_samples import sample_document  # noqa: E402


def raster_print(pdf: Path, out: Path, pages: int, dpi: int) -> tuple[float, int]:
    """The old path: QtPdf renders each page as an image, drawn on the printer."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    from desktop.ui.ledger.printing import make_printer

    printer = make_printer("A4", "raster")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(dpi)
    document = QPdfDocument()
    document.load(str(pdf))
    start = time.perf_counter()
    painter = QPainter(printer)
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    for page in range(pages):
        if page:
            printer.newPage()
        size = document.pagePointSize(page)
        image = document.render(
            page, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72))
        )
        painter.drawImage(QRectF(paper), image)
    painter.end()
    document.close()
    return time.perf_counter() - start, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--raster-pages", type=int, default=20)
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()

    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from desktop.core.reports import find_cjk_fonts, write_ledger_pdf
    from desktop.core.reports.pdf_writer import lay_out
    from desktop.ui.ledger.printing import make_printer, print_ledger, register_fonts

    app = QApplication.instance() or QApplication([])
    fonts = find_cjk_fonts()
    families = register_fonts(fonts)
    rows = round(args.pages * 7.5)  # the sample rows run about seven and a half to a page
    doc = sample_document(rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = folder / "ledger.pdf"
        start = time.perf_counter()
        pdf_pages = write_ledger_pdf(doc, pdf)
        pdf_seconds = time.perf_counter() - start

        spool = folder / "printed.pdf"
        printer = make_printer(doc.paper, "vector")
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(spool))
        printer.setResolution(args.dpi)
        start = time.perf_counter()
        laid = lay_out(doc, fonts)
        layout_seconds = time.perf_counter() - start
        sheets = print_ledger(laid, printer, families)
        vector_seconds = time.perf_counter() - start
        vector_size = spool.stat().st_size

        sample = min(args.raster_pages, pdf_pages)
        raster_seconds, raster_size = raster_print(pdf, folder / "raster.pdf", sample, args.dpi)
        scale = pdf_pages / sample

    print(f"ledger: {rows} tasks, {pdf_pages} pages A4; PDF written in {pdf_seconds:.1f} s")
    print(
        f"print, vector:  {sheets} sheets in {vector_seconds:.1f} s "
        f"(layout {layout_seconds:.1f} s), spool {vector_size / 1e6:.1f} MB "
        f"({vector_size / sheets / 1e3:.0f} kB a page)"
    )
    print(
        f"print, raster at {args.dpi} dpi: {sample} pages in {raster_seconds:.1f} s "
        f"({raster_seconds / sample:.2f} s a page), spool {raster_size / 1e6:.1f} MB; "
        f"for {pdf_pages} pages about {raster_seconds * scale:.0f} s and "
        f"{raster_size * scale / 1e6:.0f} MB"
    )
    print(f"vector is {raster_seconds * scale / vector_seconds:.0f}x faster")
    del app


if __name__ == "__main__":
    main()
