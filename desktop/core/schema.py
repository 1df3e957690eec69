"""One schema for every field a user types: length, characters, numbers and dates.

The same rule is applied where a value is entered (the forms show the limit and stop at
it), where it is imported (a notice, a department workbook, a package from below) and once
more before a package is exported, with the same Chinese words each time — so the county
can never send what its own city would refuse.

- **Control characters** (NUL, BEL, ESC …, also zero-width marks and lone surrogates) are
  removed on the way in (:func:`clean`); a one-line field also loses its line breaks.
- **Characters the ledger cannot print** are refused (:func:`unprintable`): every character
  of GBK (all common Chinese characters, punctuation, letters and symbols of an office
  document) is printable; beyond it, a character is printable when this machine's ledger
  fonts have it (a rare ideograph in the installed 宋体), and never an emoji.
- **Lengths** are counted in characters, each field with its own limit (:data:`TEXT_LIMITS`);
  **numbers** and **dates** have ranges (:func:`percent_problem`, :func:`date_problem`).

A problem is a :class:`FieldProblem`: the field's key and one Chinese sentence that names it
by its one label (``desktop.core.vocabulary``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Protocol

from .vocabulary import LABELS

__all__ = [
    "ONE_LINE",
    "TEXT_LIMITS",
    "FieldProblem",
    "clean",
    "completion_dates",
    "date_problem",
    "decimal_problem",
    "first_problem",
    "limit",
    "percent_problem",
    "report_consistency",
    "report_problems",
    "strip_controls",
    "task_dates",
    "task_problems",
    "text_problem",
    "unprintable",
]

# field key → most characters it may hold
TEXT_LIMITS: dict[str, int] = {
    # the task
    "number": 30,
    "content": 2000,
    "target_text": 500,
    "target_value": 40,
    "target_unit": 40,
    "lead_units": 60,  # one unit's name
    "co_units": 60,
    "leader": 30,
    "person": 30,
    "phone": 40,
    "remarks": 1000,
    "milestone_label": 20,
    "milestone_description": 200,
    "closed_by": 30,
    "close_evidence": 1000,
    # a progress report
    "progress": 2000,
    "problems": 1000,
    "next_steps": 1000,
    "lag_reason": 1000,
    "evidence": 500,
    # the list and the office
    "exclusion_reason": 500,
    "explanation": 2000,
    "check_explanation": 1000,
    "locality": 40,
    "parent": 40,
    "reporting_office": 100,
    "operator": 30,
    "reviewer": 30,
    "contact_phone": 40,
}
# fields held on one line (a unit's name, a phone number …)
ONE_LINE = frozenset(
    {
        "number",
        "target_value",
        "target_unit",
        "lead_units",
        "co_units",
        "leader",
        "person",
        "phone",
        "milestone_label",
        "closed_by",
        "locality",
        "parent",
        "reporting_office",
        "operator",
        "reviewer",
        "contact_phone",
    }
)

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates, and invisible marks
# (zero-width space/joiners, direction marks, word joiner, byte-order mark)
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field's value, in the words every screen and importer uses."""

    key: str
    message: str

    def __str__(self) -> str:
        return self.message


def limit(key: str) -> int:
    """The most characters field ``key`` may hold."""
    return TEXT_LIMITS[key]


def strip_controls(text: str) -> str:
    """``text`` without control characters and invisible marks (line breaks and tabs kept)."""
    return _CONTROL.sub("", text)


def clean(text: str, key: str | None = None) -> str:
    """``text`` with line ends unified, control characters removed, a one-line field (``key``
    in :data:`ONE_LINE`) on one line, and the ends trimmed."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n").replace("\t", " ").replace("\u00a0", " ")
    text = _CONTROL.sub("", text)
    if key in ONE_LINE:
        text = " ".join(part.strip() for part in text.split("\n") if part.strip())
    return text.strip()


@lru_cache(maxsize=8192)
def _printable_char(ch: str) -> bool:
    if ch in "\n\t" or (ch.isascii() and ch.isprintable()):
        return True
    if _CONTROL.match(ch):
        return False
    if not _PRIVATE_USE.match(ch):
        try:
            ch.encode("gbk")
            return True
        except UnicodeEncodeError:
            pass
    from .reports.fonts import fonts_have  # only for characters beyond GBK

    return fonts_have(ch)


def unprintable(text: str) -> str:
    """The distinct characters of ``text`` the ledger cannot print, in order of appearance."""
    try:
        text.encode("gbk")
        if not _PRIVATE_USE.search(text) and not _CONTROL.search(text):
            return ""
    except UnicodeEncodeError:
        pass
    return "".join(ch for ch in dict.fromkeys(text) if not _printable_char(ch))


def text_problem(key: str, value: str) -> FieldProblem | None:
    """Why ``value`` (already :func:`clean`) cannot be field ``key``'s text, or None."""
    name = LABELS[key]
    most = TEXT_LIMITS.get(key)
    if most is not None and len(value) > most:
        return FieldProblem(key, f"“{name}”不能超过 {most} 个字（现有 {len(value)} 个字）")
    if key in ONE_LINE and "\n" in value:
        return FieldProblem(key, f"“{name}”只能写一行")
    if _CONTROL.search(value):
        return FieldProblem(key, f"“{name}”含有不可见的控制字符")
    bad = unprintable(value)
    if bad:
        shown = "、".join(f"“{ch}”" for ch in bad[:5])
        return FieldProblem(
            key,
            f"“{name}”中的{shown}台账字体无法打印（表情符号、生僻字等），请删除或改用常用字",
        )
    return None


def percent_problem(key: str, value: object) -> FieldProblem | None:
    """A percent (完成百分比, 节点的计划完成百分比): a whole number from 0 to 100."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        return FieldProblem(key, f"“{LABELS[key]}”应为 0 到 100 之间的整数")
    return None


# a target's number: decimal text as ``str(Decimal)`` writes it (``2.5``, ``-3``, ``1E+3``);
# ``Decimal`` itself also takes spaces, underscores, other scripts' digits and exponents far
# beyond any real target
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,2})?")


def decimal_problem(key: str, value: str | None) -> FieldProblem | None:
    """A target's number: plain decimal text of at most 40 characters (``12``, ``2.5``)."""
    if value is None:
        return None
    try:
        if len(value) > 40 or not _DECIMAL.fullmatch(value) or not Decimal(value).is_finite():
            raise ValueError(value)
    except (InvalidOperation, ValueError):
        return FieldProblem(key, f"“{LABELS[key]}”应为数字（如 12 或 2.5），实为“{value}”")
    return None


def date_problem(key: str, value: date | None, first: date, last: date) -> FieldProblem | None:
    """A date within ``first`` .. ``last`` (both included)."""
    if value is None or first <= value <= last:
        return None
    return FieldProblem(key, f"“{LABELS[key]}”应在 {first.isoformat()} 至 {last.isoformat()} 之间")


def first_problem(problems: Iterable[FieldProblem | None]) -> FieldProblem | None:
    return next((p for p in problems if p is not None), None)


# --------------------------------------------------------------------------- whole records


class _Milestone(Protocol):
    @property
    def due_on(self) -> date: ...
    @property
    def label(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def percent(self) -> int | None: ...


class _Task(Protocol):
    """What ``TaskRecord`` (entry) and ``PackageTask`` (a package) both have."""

    @property
    def number(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def target_text(self) -> str: ...
    @property
    def target_value(self) -> str | None: ...
    @property
    def target_unit(self) -> str: ...
    @property
    def lead_units(self) -> Sequence[str]: ...
    @property
    def co_units(self) -> Sequence[str]: ...
    @property
    def leader(self) -> str: ...
    @property
    def person(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def remarks(self) -> str: ...
    @property
    def start_on(self) -> date | None: ...
    @property
    def deadline(self) -> date | None: ...
    @property
    def closed_on(self) -> date | None: ...
    @property
    def closed_by(self) -> str: ...
    @property
    def close_evidence(self) -> str: ...
    @property
    def milestones(self) -> Sequence[_Milestone]: ...


class _Report(Protocol):
    """What a progress entry and a package's progress both have."""

    @property
    def text(self) -> str: ...
    @property
    def percent(self) -> int | None: ...
    @property
    def problems(self) -> str: ...
    @property
    def next_steps(self) -> str: ...
    @property
    def lag_reason(self) -> str: ...
    @property
    def completed_on(self) -> date | None: ...
    @property
    def evidence(self) -> str: ...


def task_dates(year: int) -> tuple[date, date]:
    """The dates a task of ``year``'s list may name (its window and milestones): from five
    years before to ten years after, enough for any multi-year task, never a typing slip
    such as 2207."""
    return date(year - 5, 1, 1), date(year + 10, 12, 31)


def completion_dates(year: int) -> tuple[date, date]:
    """The completion and close-out dates of ``year``'s list: from 1 January of that year to
    the end of the next (the last quarter is reported in January, and a task that ran late
    may finish in the next year before it is carried over)."""
    return date(year, 1, 1), date(year + 1, 12, 31)


def task_problems(task: _Task, year: int) -> list[FieldProblem]:
    """Every problem of one task's fields (empty when it may be saved and sent)."""
    out: list[FieldProblem | None] = [
        text_problem(key, getattr(task, key))
        for key in (
            "number",
            "content",
            "target_text",
            "target_unit",
            "leader",
            "person",
            "phone",
            "remarks",
            "closed_by",
            "close_evidence",
        )
    ]
    out.append(decimal_problem("target_value", task.target_value))
    for key in ("lead_units", "co_units"):
        out += [text_problem(key, name) for name in getattr(task, key)]
    first, last = task_dates(year)
    out.append(date_problem("start_on", task.start_on, first, last))
    out.append(date_problem("deadline", task.deadline, first, last))
    if task.start_on and task.deadline and task.start_on > task.deadline:
        out.append(FieldProblem("start_on", "“开始日期”晚于“完成时限”"))
    out.append(date_problem("closed_on", task.closed_on, *completion_dates(year)))
    for m in task.milestones:
        out.append(text_problem("milestone_label", m.label))
        out.append(text_problem("milestone_description", m.description))
        out.append(percent_problem("milestone_percent", m.percent))
        out.append(date_problem("milestone_due_on", m.due_on, first, last))
    return [p for p in out if p is not None]


def report_consistency(report: _Report) -> FieldProblem | None:
    """A report that says the task is finished (a completion date) and gives a lower
    percent contradicts itself: entry and the department workbook refuse it."""
    if report.completed_on is not None and report.percent is not None and report.percent < 100:
        return FieldProblem(
            "percent",
            f"填写了“{LABELS['completed_on']}”，“{LABELS['percent']}”应为 100%"
            f"（现为 {report.percent}%）；任务未完成的，请把“{LABELS['completed_on']}”留空",
        )
    return None


def report_problems(report: _Report, year: int) -> list[FieldProblem]:
    """Every problem of one progress report's fields."""
    out: list[FieldProblem | None] = [
        text_problem("progress", report.text),
        percent_problem("percent", report.percent),
        text_problem("problems", report.problems),
        text_problem("next_steps", report.next_steps),
        text_problem("lag_reason", report.lag_reason),
        text_problem("evidence", report.evidence),
        date_problem("completed_on", report.completed_on, *completion_dates(year)),
    ]
    return [p for p in out if p is not None]
