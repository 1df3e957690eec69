"""The frozen program's entry point: the same as ``python -m desktop``.

Without a command it opens the window; with one it is the command line (CONTRACT.md).
PyInstaller builds both Windows executables (windowed ``PolicyLedger.exe`` and console
``policy-ledger.exe``) and the Linux ``policy-ledger`` from this one script.

For the packaging smoke test only, ``POLICY_LEDGER_IMPORT_CHECK=1`` makes the frozen program
import every module that the program loads lazily or that the screens will need (PDF
preview, printing, charts), check that Qt's Simplified Chinese translation loads from
where Qt looks for it, and exit: 0 when all of that is in the bundle.
"""

import os
import sys

# modules imported only inside functions, or kept for screens: all must be in the bundle
LAZY_MODULES = (
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtCharts",
    "reportlab.pdfgen.canvas",
    "reportlab.pdfbase.ttfonts",
    "openpyxl",
    "openpyxl.styles",
    "docx",
    "pypdf",
    "lxml.etree",
    "desktop.core.notice.pdf_reader",
    "desktop.core.notice.ofd_reader",
    "gmalglib.sm2",  # office signatures (SM2 over SM3): a C extension
    "gmalglib.sm3",
    "desktop.core.signing",
    "alembic.command",
    "alembic.config",
    "sqlalchemy.dialects.sqlite",
    "desktop.app",
    "desktop.db.models",
)


def import_check() -> int:
    import importlib

    failed = []
    for name in LAZY_MODULES:
        try:
            importlib.import_module(name)
        except Exception as err:  # report every missing module, not just the first
            failed.append(f"{name}: {err}")
    try:
        from PySide6.QtCore import QLibraryInfo, QTranslator

        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not QTranslator().load("qtbase_zh_CN", folder):
            failed.append(f"qtbase_zh_CN.qm not found in {folder}")
    except Exception as err:
        failed.append(f"Qt translations: {err}")
    for line in failed:
        print(line, file=sys.stderr)
    print(f"{len(LAZY_MODULES) - len(failed)}/{len(LAZY_MODULES)} modules import")
    return 1 if failed else 0


if __name__ == "__main__":
    if os.environ.get("POLICY_LEDGER_IMPORT_CHECK") == "1":
        sys.exit(import_check())
    from desktop.cli import main

    sys.exit(main())
