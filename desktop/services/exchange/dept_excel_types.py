"""What the department workbooks service returns (``desktop.services.exchange.dept_excel``), and how
a returned row is compared with the database — plain data and plain functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop.core.exchange_files.dept_workbook import LOCKED, DeptRow, WorkbookRow
from desktop.core.schema import clean
from desktop.core.vocabulary import LABELS
from desktop.services.worklist.task_rows import TaskRow

# the fields a department fills in, in the workbook's order, by their one name
FIELDS = tuple(
    (key, LABELS["progress" if key == "text" else key])
    for key in ("text", "percent", "problems", "next_steps", "completed_on")
)
_LOCKED_LABELS = {key: header for key, header, _ in LOCKED}


@dataclass(frozen=True)
class PeriodChoice:
    id: int
    key: str
    label: str
    frozen: bool

    @property
    def display(self) -> str:
        return f"{self.label}（已冻结）" if self.frozen else self.label


@dataclass(frozen=True)
class WorkbookFile:
    unit: str
    path: Path
    tasks: int


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    key: str = ""  # text / percent / problems / next_steps / completed_on


@dataclass(frozen=True)
class Entry:
    """The five values a department may fill in."""

    text: str = ""
    percent: int | None = None
    problems: str = ""
    next_steps: str = ""
    completed_on: date | None = None
    # the fields a workbook does not carry, for the field schema's check of a report
    lag_reason: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class PercentQuestion:
    """A percent the office must settle: the cell says a plain ``1`` (1% or 100%?)."""

    file: str
    excel_row: int
    uid: str
    number: str
    shown: str

    @property
    def text(self) -> str:
        return (
            f"第 {self.excel_row} 行“{LABELS['percent']}”填的是“{self.shown}”，"
            "不能确定是 1% 还是 100%：请确认（表中请写 1% 或 100%）"
        )


@dataclass(frozen=True)
class ProgressChange:
    task_id: int
    uid: str
    number: str
    content: str
    files: tuple[str, ...]
    before: Entry
    after: Entry
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class RefusedRow:
    file: str
    excel_row: int
    uid: str
    number: str
    reason: str


@dataclass(frozen=True)
class DeptImportPreview:
    list_id: int
    period_id: int
    period_label: str
    files: tuple[str, ...]
    changes: tuple[ProgressChange, ...]
    refused: tuple[RefusedRow, ...]
    unchanged: int
    missing: tuple[str, ...]  # tasks of the workbooks' units that were not returned
    period_key: str = ""
    units: tuple[str, ...] = ()  # the lead units the workbooks are for
    questions: tuple[PercentQuestion, ...] = ()  # percents to settle (also in ``refused``)

    @property
    def summary(self) -> str:
        parts = [f"{len(self.changes)} 项任务有修改", f"{self.unchanged} 项未改动"]
        if self.refused:
            parts.append(f"{len(self.refused)} 行被拒绝")
        if self.missing:
            parts.append(f"{len(self.missing)} 项任务未在表中")
        return "，".join(parts)


# --------------------------------------------------------------------------- comparing rows


def locked_values(r: TaskRow, labels: dict[int, str]) -> dict[str, str]:
    """The key columns of a task as the workbook shows them."""
    return {
        "number": r.number,
        "measures": "\n".join(labels.get(m, "") for m in r.measure_ids),
        "content": r.content,
        "target": r.target_text,
        "lead": r.lead_text,
        "co": r.co_text,
        "deadline": r.deadline.isoformat() if r.deadline else "",
    }


def dept_row(r: TaskRow, labels: dict[int, str], entry: Entry, previous: str) -> DeptRow:
    return DeptRow(
        uid=r.uid,
        locked=locked_values(r, labels),
        previous=previous,
        text=entry.text,
        percent=entry.percent,
        problems=entry.problems,
        next_steps=entry.next_steps,
        completed_on=entry.completed_on,
    )


def row_problem(
    r: WorkbookRow, counts: dict[str, int], rows: dict[str, TaskRow], labels: dict[int, str]
) -> str | None:
    """Why a returned row cannot be taken (Chinese), or None."""
    if not r.uid:
        return "表中新增的行没有任务ID，不能导入（新增任务请在“年度清单”中添加）"
    if counts[r.uid] > 1:
        return "任务ID在表中重复出现，无法确定以哪一行为准"
    task = rows.get(r.uid)
    if task is None:
        return "任务ID不在本清单中（可能来自其他清单或已被删除）"
    expected = locked_values(task, labels)
    for key, value in r.locked.items():
        if norm(value) != norm(expected[key]):
            return f"锁定列“{_LOCKED_LABELS[key]}”被改动（应为“{short(expected[key])}”）"
    if r.problems_found:
        return "；".join(r.problems_found)
    return None


def entry_of(r: WorkbookRow) -> Entry:
    return Entry(
        clean(norm(r.text), "progress"),
        r.percent,
        clean(norm(r.problems), "problems"),
        clean(norm(r.next_steps), "next_steps"),
        r.completed_on,
    )


def diff(before: Entry, after: Entry) -> tuple[FieldChange, ...]:
    out = []
    for key, label in FIELDS:
        old, new = _show(getattr(before, key)), _show(getattr(after, key))
        if norm(old) != norm(new):
            out.append(FieldChange(label, old, new, key))
    return tuple(out)


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def norm(text: str) -> str:
    """Text as compared: line ends unified, trailing blanks of each line ignored."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


def short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
