"""The ledger as a flat CSV file: UTF-8 with a BOM so that Excel and WPS read the Chinese.

One line per task (a measure marked 不适用 gets one line with the reason in the task
column). Spreadsheets run CSV cells that start with ``=``, ``+``, ``-`` or ``@`` as
formulas, so such cells get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from .fileio import OutTarget, atomic_output
from .model import LedgerDocument, status_text
from .textwrap_cjk import clean_text

CSV_COLUMNS = (
    "领域",
    "省级任务（条目）",
    "序号",
    "工作任务/具体举措",
    "目标指标",
    "牵头单位",
    "配合单位",
    "完成时限",
    "进展情况",
    "状态",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    value = clean_text(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_rows(doc: LedgerDocument) -> list[list[str]]:
    """The data lines (without the header) of every part, in order."""
    rows: list[list[str]] = []
    for part in doc.parts:
        for section in part.sections:
            for group in section.groups:
                if group.not_applicable is not None:
                    na = f"不适用：{group.not_applicable}"
                    rows.append([section.title, group.label, "", na, "", "", "", "", "", ""])
                for r in group.rows:
                    progress = r.progress if doc.show_progress else ""
                    status = status_text(r.status) if doc.show_progress else ""
                    rows.append(
                        [
                            section.title,
                            group.label,
                            r.number,
                            r.content,
                            r.target,
                            r.lead_units,
                            r.co_units,
                            r.deadline,
                            progress,
                            status,
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
