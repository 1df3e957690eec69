"""Work ledgers (台账) as PDF, Excel and CSV files — Qt-free.

Services build a :class:`LedgerDocument` from a work list; :func:`write_ledger_pdf`,
:func:`write_ledger_pdfs_per_part`, :func:`write_ledger_xlsx` and :func:`write_ledger_csv`
write it; :mod:`.variants` derives the by-unit, progress and lagging ledgers.
:func:`check_fonts` is the start-up check for a usable Chinese font.

Importing this package is cheap: the writers load when they run (openpyxl with the Excel one);
the PDF writer reads and embeds the fonts itself (:mod:`.truetype`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .fonts import FontFace, FontSet, check_fonts, find_cjk_fonts
from .model import (
    COLUMNS,
    STATUS_COLOURS,
    STATUS_LABELS,
    Cancelled,
    LedgerDocument,
    LedgerMeasureGroup,
    LedgerPart,
    LedgerRow,
    LedgerSection,
    SignOff,
    status_text,
)
from .variants import by_lead_unit, for_period, lagging_only, lead_units, split_units

if TYPE_CHECKING:
    from .csv_writer import write_ledger_csv
    from .pdf_writer import write_ledger_pdf, write_ledger_pdfs_per_part
    from .xlsx_writer import write_ledger_xlsx

_LAZY = {
    "write_ledger_pdf": "pdf_writer",
    "write_ledger_pdfs_per_part": "pdf_writer",
    "write_ledger_xlsx": "xlsx_writer",
    "write_ledger_csv": "csv_writer",
}

__all__ = [
    "COLUMNS",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "Cancelled",
    "FontFace",
    "FontSet",
    "LedgerDocument",
    "LedgerMeasureGroup",
    "LedgerPart",
    "LedgerRow",
    "LedgerSection",
    "SignOff",
    "by_lead_unit",
    "check_fonts",
    "find_cjk_fonts",
    "for_period",
    "lagging_only",
    "lead_units",
    "split_units",
    "status_text",
    "write_ledger_csv",
    "write_ledger_pdf",
    "write_ledger_pdfs_per_part",
    "write_ledger_xlsx",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
