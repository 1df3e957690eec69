"""The ledger as a flat CSV file: UTF-8 with a BOM so that Excel and WPS read the Chinese.

One line per task, in the ledger's columns (``desktop.core.vocabulary.LEDGER_COLUMNS``) with
the field (领域) first, then 本期填报 (本期未填报 where the task still owes the period's
report) and 销号. The 状态 column holds the plain status word, the same word as the screens
and ``worklist show`` (a program reading the file needs no marker). A measure marked 不适用
gets one line with the reason in the task column and 不适用 as its status.

A CSV file is opened by double-clicking it, and Excel, WPS and LibreOffice (with "detect
special numbers", as they open it) then turn 编号 1-1 into 1月1日 and 1.10 into 1.1, and run a
cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula. An apostrophe in front is shown
as a literal ``'``. So such cells are written as a formula giving the text, ``="1-1"``:
every spreadsheet shows 1-1, ``=SUM(A1)`` or ``+86 …`` exactly as written, and nothing runs.
A multi-line cell joins its lines with ``CHAR(10)``; a cell too long for a formula (Excel
takes 8,192 characters) keeps a leading space instead. The Excel copy remains the file to
open; the CSV is for other programs and for the spreadsheet-minded.
"""

from __future__ import annotations

import csv
import io
import re

from desktop.core.vocabulary import LABELS, NOT_REPORTED_WORD, percent_text, status_word

from .fileio import OutTarget, atomic_output
from .model import CLOSED_NOTE, COLUMNS, ROW_TEXT, STATUS_LABELS, LedgerDocument
from .textwrap_cjk import clean_text

CSV_COLUMNS = (LABELS["section"], *COLUMNS, LABELS["reported"], CLOSED_NOTE[1:])


def csv_columns(doc: LedgerDocument) -> tuple[str, ...]:
    """The header line: 领域, the ledger's columns (with the optional ones), 本期填报, 销号."""
    labels = [c.label for c in doc.ledger_columns()]
    return (LABELS["section"], *labels, LABELS["reported"], CLOSED_NOTE[1:])


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what a spreadsheet reads as a number, date, time or fraction: digits with signs and
# separators only (1-1, 2/4, 1.10, 001, 12:30, 1e5, 2027-12, ５-１)
_NUMBER_LIKE = re.compile(r"[\s\d+\-−/.:,，eE%年月日]*\d[\s\d+\-−/.:,，eE%年月日]*")
_FORMULA_LIMIT = 8000


def _as_text(value: str) -> str:
    """``="…"``: a formula whose result is ``value``, shown as written by every spreadsheet."""
    pieces = ['"' + line.replace('"', '""') + '"' for line in value.split("\n")]
    formula = "=" + "&CHAR(10)&".join(pieces)
    return formula if len(formula) <= _FORMULA_LIMIT else " " + value


def csv_cell(value: str, *, keep_text: bool = False) -> str:
    """A cell as the CSV writes it: cleaned, and kept as text where a spreadsheet would not.

    ``keep_text``: a code (编号) that must read as written even when it looks like nothing
    a spreadsheet would change."""
    value = clean_text(value)
    if not value:
        return value
    if keep_text or value.startswith(_FORMULA_STARTS):
        return _as_text(value)
    plain_percent = value.endswith("%") and value[:-1].isdigit()  # 40%: shown as 40%
    if _NUMBER_LIKE.fullmatch(value) and not plain_percent:
        return _as_text(value)
    return value


def csv_rows(doc: LedgerDocument) -> list[list[str]]:
    """The data lines (without the header) of every part, in order."""
    keys = [c.key for c in doc.ledger_columns()]
    width = len(keys) + 3
    status_at = 1 + keys.index("status")
    rows: list[list[str]] = []
    blank = [""] * width
    shown = doc.show_progress
    for part in doc.parts:
        for section in part.sections:
            for group in section.groups:
                if group.note is not None:
                    note = [section.title, "", group.label, group.note]
                    rows.append(note + blank[len(note) :])
                if group.not_applicable is not None:
                    na = [section.title, "", group.label, f"不适用：{group.not_applicable}"]
                    na += blank[len(na) :]
                    na[status_at] = status_word(None)
                    rows.append(na)
                for r in group.rows:
                    line = [section.title]
                    for key in keys:
                        if key == "measures":
                            line.append(group.label)
                        elif key == "percent":
                            line.append(percent_text(r.percent) if shown else "")
                        elif key == "status":
                            line.append(STATUS_LABELS.get(r.status, r.status) if shown else "")
                        elif key == "progress" and not shown:
                            line.append("")
                        else:
                            line.append(getattr(r, ROW_TEXT[key]))
                    line.append(NOT_REPORTED_WORD if shown and r.not_reported else "")
                    line.append(CLOSED_NOTE if shown and r.closed else "")
                    rows.append(line)
    return [[csv_cell(v, keep_text=i == 1) for i, v in enumerate(row)] for row in rows]


def write_ledger_csv(doc: LedgerDocument, out: OutTarget) -> None:
    """Writes the CSV file (UTF-8 with BOM, CRLF line ends)."""
    with atomic_output(out) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(csv_columns(doc))
        writer.writerows(csv_rows(doc))
        text.flush()
        text.detach()
