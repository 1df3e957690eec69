"""The overview (首页): where the office's list stands, at a glance, and what is due.

Counts by computed status, by field (the notice's headings) and by lead unit; the status of
the list at the end of each period so far (a frozen period counts from its snapshot, as its
ledger printed it); the tasks due soon and the lagging ones; and reminders: every period
past its due date with tasks unreported, then the one due next. Everything is computed
here, without Qt, so the screen only draws it and the tests can check the figures directly.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.dates import chinese_date, chinese_month_day
from desktop.core.figures import BUCKET_LABELS, NOT_REPORTED, TaskFigures, bucket_counts
from desktop.core.periods import as_of_label
from desktop.core.status import STATUS_LABELS, Severity, Status
from desktop.db.models import (
    LocalUnit,
    Measure,
    NoticeSection,
    ReportingPeriod,
    WorkList,
)
from desktop.errors import NotFoundError
from desktop.services.clock import today
from desktop.services.overview.lower import LowerLevels, lower_levels
from desktop.services.progress.figures import list_figures
from desktop.services.progress.freezing import report_counts
from desktop.services.progress.status import default_as_of, ensure_periods
from desktop.services.worklist.rows import task_rows
from desktop.services.worklist.task_rows import TaskRow

# the states the counts, tiles and charts show, in order: 本期未填报 apart from 滞后
STATUS_ORDER: tuple[str, ...] = (
    Status.DONE,
    Status.AHEAD,
    Status.ON_TRACK,
    Status.LAGGING,
    NOT_REPORTED,
    Status.NOT_STARTED,
)
# how many tasks the due-soon and lagging lists carry (the screen scrolls them)
_LIST_LIMIT = 500


@dataclass(frozen=True)
class StatusCounts:
    """Tasks per state, each task in one (``desktop.core.figures.BUCKETS``): a task that
    still owes the period's report counts under 本期未填报, never under 滞后."""

    done: int = 0
    ahead: int = 0
    on_track: int = 0
    lagging: int = 0
    not_started: int = 0
    not_reported: int = 0
    not_applicable: int = 0

    @property
    def total(self) -> int:
        return (
            self.done
            + self.ahead
            + self.on_track
            + self.lagging
            + self.not_started
            + self.not_reported
            + self.not_applicable
        )

    def of(self, status: Status | str) -> int:
        return int(getattr(self, status.value if isinstance(status, Status) else status))

    def items(self) -> list[tuple[str, str, int]]:
        return [(s, BUCKET_LABELS[s], self.of(s)) for s in STATUS_ORDER]

    @staticmethod
    def count(statuses: Iterable[Status]) -> StatusCounts:
        tally: dict[str, int] = defaultdict(int)
        for s in statuses:
            tally[s.value] += 1
        return StatusCounts(**tally)

    @staticmethod
    def of_figures(figures: Iterable[TaskFigures]) -> StatusCounts:
        return StatusCounts(**bucket_counts(figures))


@dataclass(frozen=True)
class GroupStats:
    """One field (领域) or lead unit: its tasks by status and how far they are done."""

    name: str
    short: str  # for chart axes
    counts: StatusCounts
    average_percent: int  # mean of the reported percents (done = 100, none = 0)

    @property
    def total(self) -> int:
        return self.counts.total

    @property
    def done_share(self) -> int:
        return round(100 * self.counts.done / self.total) if self.total else 0


@dataclass(frozen=True)
class PeriodStats:
    period_id: int
    key: str
    label: str
    short: str  # 一季度 / 3月
    frozen: bool
    counts: StatusCounts


@dataclass(frozen=True)
class TaskBrief:
    task_id: int
    number: str
    content: str
    lead_units: str
    deadline: date | None
    status: Status
    severity: Severity
    expected_percent: int
    reported_percent: int | None
    explanation: str
    reported: bool = False  # a report exists, with or without a percent
    not_reported: bool = False  # 本期未填报

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def actual_text(self) -> str:
        """The 实际进度 cell: the percent, 未报, or 未填百分比 for a report without one."""
        if self.reported_percent is not None:
            return f"{self.reported_percent}%"
        return "未填百分比" if self.reported else "未报"


@dataclass(frozen=True)
class Reminder:
    text: str
    level: str  # "info" | "warning" | "done"
    period_id: int | None
    missing: int


@dataclass(frozen=True)
class ListChoice:
    id: int
    year: int
    label: str


@dataclass(frozen=True)
class Overview:
    list_id: int
    year: int
    title: str
    as_of: date
    as_of_text: str
    counts: StatusCounts
    severe: int  # lagging in red
    closed: int
    by_section: tuple[GroupStats, ...]
    by_unit: tuple[GroupStats, ...]
    periods: tuple[PeriodStats, ...]
    due_soon: tuple[TaskBrief, ...]
    lagging: tuple[TaskBrief, ...]
    reminders: tuple[Reminder, ...]

    @property
    def reminder(self) -> Reminder | None:
        """The first reminder: an overdue period if any, else the one due next."""
        return self.reminders[0] if self.reminders else None


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _group(name: str, short: str, figures: list[TaskFigures]) -> GroupStats:
    """A group's counts and the mean of its tasks' latest known percents (none: 0;
    不适用 tasks left out)."""
    counted = [f for f in figures if not f.not_applicable]
    average = round(sum(f.percent or 0 for f in counted) / len(counted)) if counted else 0
    return GroupStats(name, short, StatusCounts.of_figures(figures), average)


def _period_short(key: str) -> str:
    _, _, part = key.partition("-")
    if part.startswith("Q"):
        return f"{'一二三四'[int(part[1]) - 1]}季度"
    return f"{int(part)}月" if part.isdigit() else key


def _md(d: date) -> str:
    return chinese_month_day(d)


class OverviewService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def lower_levels(self, year: int | None = None) -> LowerLevels | None:
        """Who of the lower levels has reported for ``year`` (``overview.lower``)."""
        return lower_levels(self._sessions, year)

    def lists(self) -> list[ListChoice]:
        """The office's own current lists, newest year first."""
        with self._sessions() as session:
            rows = session.execute(
                select(WorkList.id, WorkList.year, WorkList.title, WorkList.version)
                .where(WorkList.own, WorkList.is_current)
                .order_by(WorkList.year.desc(), WorkList.id)
            ).all()
        return [ListChoice(i, y, f"{title or f'{y}年清单'}（第{v}版）") for i, y, title, v in rows]

    def default_list_id(self) -> int | None:
        """This year's list; else the latest list not after this year; else the earliest."""
        choices = self.lists()
        if not choices:
            return None
        with self._sessions() as session:
            year = today(session).year
        for c in choices:
            if c.year == year:
                return c.id
        past = [c for c in choices if c.year < year]
        return past[0].id if past else choices[-1].id

    def overview(self, list_id: int, as_of: date | None = None) -> Overview:
        # a write transaction only because a list's periods are created on first use
        with self._sessions.begin() as session:
            wl = session.get(WorkList, list_id)
            if wl is None:
                raise NotFoundError("找不到这份清单，它可能已被删除。")
            day = as_of or default_as_of(session, wl)
            figures = list_figures(session, list_id, day).tasks
            rows = task_rows(session, list_id)
            periods = ensure_periods(session, wl)
            briefs = [_brief(r, figures[r.id]) for r in rows if not figures[r.id].not_applicable]
            due_soon = sorted(
                (b for b in briefs if figures[b.task_id].result.due_soon),
                key=lambda b: (b.deadline or date.max, b.number),
            )
            lagging = sorted(
                (b for b in briefs if b.status is Status.LAGGING),
                key=lambda b: (b.severity is not Severity.RED, -figures[b.task_id].result.behind),
            )
            return Overview(
                list_id=wl.id,
                year=wl.year,
                title=wl.title or f"{wl.locality}{wl.year}年重点工作任务清单",
                as_of=day,
                as_of_text=as_of_label(day),
                counts=StatusCounts.of_figures(figures.values()),
                severe=sum(
                    1
                    for f in figures.values()
                    if f.status is Status.LAGGING and f.result.severity is Severity.RED
                ),
                closed=sum(1 for r in rows if r.closed_on is not None and r.closed_on <= day),
                by_section=tuple(_by_section(session, wl, rows, figures)),
                by_unit=tuple(_by_unit(session, rows, figures)),
                periods=tuple(_by_period(session, wl, periods, day, figures)),
                due_soon=tuple(due_soon[:_LIST_LIMIT]),
                lagging=tuple(lagging[:_LIST_LIMIT]),
                reminders=tuple(_reminders(session, wl, periods, day)),
            )


def _brief(r: TaskRow, f: TaskFigures) -> TaskBrief:
    s = f.result
    return TaskBrief(
        r.id,
        r.number,
        r.content,
        r.lead_text,
        r.deadline,
        s.status,
        s.severity,
        s.expected_percent,
        f.percent,
        s.explanation,
        s.reported,
        f.not_reported,
    )


def _by_section(
    session: Session, wl: WorkList, rows: list[TaskRow], figures: Mapping[int, TaskFigures]
) -> Iterator[GroupStats]:
    """Per field: the heading directly above the task's first measure, in notice order."""
    sections = {
        s.id: s
        for s in session.execute(
            select(NoticeSection).where(NoticeSection.notice_id == wl.notice_id)
        ).scalars()
    }
    measure_section = dict(
        session.execute(
            select(Measure.id, Measure.section_id).where(Measure.notice_id == wl.notice_id)
        ).all()
    )
    groups: dict[int | None, list[TaskFigures]] = defaultdict(list)
    for r in rows:
        sid = measure_section.get(r.measure_ids[0]) if r.measure_ids else None
        groups[sid if sid in sections else None].append(figures[r.id])

    def name(sid: int) -> str:
        sec = sections[sid]
        parent = sections.get(sec.parent_id) if sec.parent_id else None
        lead = "" if sec.number.startswith("（") else "、"
        return f"{parent.number if parent else ''}{sec.number}{lead}{sec.title}"

    order = sorted((sid for sid in groups if sid is not None), key=lambda i: sections[i].position)
    for sid in order:
        # whole on the chart axis (the longest of the built-in notice has 13 characters)
        yield _group(name(sid), _short(sections[sid].title, 14), groups[sid])
    if None in groups:
        yield _group("其他任务（未关联省级条目）", "其他任务", groups[None])


def _by_unit(
    session: Session, rows: list[TaskRow], figures: Mapping[int, TaskFigures]
) -> Iterator[GroupStats]:
    """Per lead unit; a task led jointly counts for each of its lead units."""
    groups: dict[str, list[TaskFigures]] = defaultdict(list)
    for r in rows:
        for unit in r.lead_units or ("（未定牵头单位）",):
            groups[unit].append(figures[r.id])
    order = {
        n: i
        for i, n in enumerate(
            session.execute(select(LocalUnit.name).order_by(LocalUnit.position)).scalars()
        )
    }
    for unit in sorted(groups, key=lambda u: (order.get(u, 10**6), u)):
        yield _group(unit, _short(unit, 10), groups[unit])


_SNAPSHOT_STATUS = {
    "closed": Status.DONE,
    "done": Status.DONE,
    "ahead": Status.AHEAD,
    "on_track": Status.ON_TRACK,
    "lagging": Status.LAGGING,
    "not_started": Status.NOT_STARTED,
}


def _snapshot_counts(snapshot: str) -> StatusCounts | None:
    """Counts of a frozen period as its ledger printed them (None if unreadable)."""
    try:
        data = json.loads(snapshot)
        seen: dict[str, str] = {}
        for part in data["parts"]:
            for section in part["sections"]:
                for group in section["groups"]:
                    for row in group["rows"]:
                        status = _SNAPSHOT_STATUS.get(row.get("status", ""))
                        if status is None:
                            continue
                        state = status.value
                        if state != "done" and row.get("not_reported"):
                            state = NOT_REPORTED
                        seen[row.get("task_uid") or f"{id(row)}"] = state
    except (ValueError, KeyError, TypeError):
        return None
    tally: dict[str, int] = defaultdict(int)
    for state in seen.values():
        tally[state] += 1
    return StatusCounts(**tally)


def _by_period(
    session: Session,
    wl: WorkList,
    periods: list[ReportingPeriod],
    day: date,
    at_day: Mapping[int, TaskFigures],
) -> Iterator[PeriodStats]:
    """The list's counts at the end of each period begun by ``day`` (a running period at
    ``day`` itself, whose figures ``at_day`` are known already)."""
    for p in periods:
        if p.start > day:
            continue
        counts = _snapshot_counts(p.snapshot) if p.snapshot else None
        if counts is None:
            at = min(p.end, day)
            figures = at_day if at == day else list_figures(session, wl.id, at).tasks
            counts = StatusCounts.of_figures(figures.values())
        yield PeriodStats(p.id, p.key, p.label, _period_short(p.key), bool(p.frozen_at), counts)


def _reminders(
    session: Session, wl: WorkList, periods: list[ReportingPeriod], day: date
) -> Iterator[Reminder]:
    """What is due: first every period past its due date, not frozen, with tasks still
    unreported (oldest first); then the period due next — the first one not frozen from the
    one holding ``day`` on."""
    if not periods:
        return
    now = today(session)
    overdue: set[int] = set()
    for p in periods:
        if p.frozen_at or p.due_on is None or not p.due_on < now:
            continue
        expected, reported = report_counts(session, wl, p)
        missing = max(expected - reported, 0)
        if missing:
            overdue.add(p.id)
            closed = p.due_on
            yield Reminder(
                f"{p.label}进展已于{_md(closed) if closed.year == day.year else _ymd(closed)}截止，"
                f"尚有 {missing} 项未填报。",
                "warning",
                p.id,
                missing,
            )
    current = next((i for i, p in enumerate(periods) if p.start <= day <= p.end), None)
    if current is None:
        current = 0 if day < periods[0].start else len(periods) - 1
    open_period = next(
        (p for p in periods[current:] if not p.frozen_at and p.id not in overdue), None
    )
    if open_period is None:
        if not overdue and all(p.frozen_at for p in periods[current:]):
            yield Reminder(f"{wl.year}年各期进展均已填报并冻结。", "done", None, 0)
        return
    expected, reported = report_counts(session, wl, open_period)
    missing = max(expected - reported, 0)
    label, due = open_period.label, open_period.due_on
    if missing == 0:
        yield Reminder(
            f"{label}进展已全部填报（{expected} 项），核对无误后可在“进展填报”中冻结本期。",
            "done",
            open_period.id,
            0,
        )
        return
    when = f"应于{_md(due)}前填报" if due is not None else "尚未填报完"
    yield Reminder(f"{label}进展{when}，尚有 {missing} 项未填报。", "info", open_period.id, missing)


def _ymd(d: date) -> str:
    return chinese_date(d)
