"""The ledger as a flat CSV file: UTF-8 with a BOM so that Excel and WPS read the Chinese.

One line per task, in the ledger's columns (``desktop.core.vocabulary.LEDGER_COLUMNS``) with
the field (领域) first, then 本期填报 (本期未填报 where the task still owes the period's
report) and 销号. The 状态 column holds the plain status word, the same word as the screens
and ``worklist show`` (a program reading the file needs no marker). A measure marked 不适用
gets one line with the reason in the task column and 不适用 as its status. Spreadsheets run
CSV cells that start with ``=``, ``+``, ``-`` or ``@`` as formulas, so such cells get a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from desktop.core.vocabulary import LABELS, NOT_REPORTED_WORD, percent_text, status_word

from .fileio import OutTarget, atomic_output
from .model import CLOSED_NOTE, COLUMNS, STATUS_LABELS, LedgerDocument
from .textwrap_cjk import clean_text

CSV_COLUMNS = (LABELS["section"], *COLUMNS, LABELS["reported"], CLOSED_NOTE[1:])
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    value = clean_text(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_rows(doc: LedgerDocument) -> list[list[str]]:
    """The data lines (without the header) of every part, in order."""
    rows: list[list[str]] = []
    blank = [""] * len(CSV_COLUMNS)
    for part in doc.parts:
        for section in part.sections:
            for group in section.groups:
                if group.note is not None:
                    note = [section.title, "", group.label, group.note]
                    rows.append(note + blank[len(note) :])
                if group.not_applicable is not None:
                    na = [section.title, "", group.label, f"不适用：{group.not_applicable}"]
                    na += blank[len(na) :]
                    na[len(COLUMNS)] = status_word(None)
                    rows.append(na)
                for r in group.rows:
                    shown = doc.show_progress
                    word = STATUS_LABELS.get(r.status, r.status) if shown else ""
                    reported = ""
                    if shown and r.not_reported:
                        reported = NOT_REPORTED_WORD
                    rows.append(
                        [
                            section.title,
                            r.number,
                            group.label,
                            r.content,
                            r.target,
                            r.lead_units,
                            r.co_units,
                            r.deadline,
                            r.progress if shown else "",
                            percent_text(r.percent) if shown else "",
                            word,
                            reported,
                            CLOSED_NOTE if shown and r.closed else "",
                        ]
                    )
    return [[_safe(v) for v in row] for row in rows]


def write_ledger_csv(doc: LedgerDocument, out: OutTarget) -> None:
    """Writes the CSV file (UTF-8 with BOM, CRLF line ends)."""
    with atomic_output(out) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_rows(doc))
        text.flush()
        text.detach()
