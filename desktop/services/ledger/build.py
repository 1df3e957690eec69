"""Building a work ledger's document (``LedgerDocument``) from the office's database.

Written against ``desktop.services.reading.Read`` and loading no SQLAlchemy, so the same
code builds the ledger inside a service's transaction (``LedgerService``, freezing, the
combined ledger) and in the read-only ``ledger pdf`` command (``desktop.services.reader``),
which prints without loading the ORM. The figures come from the one rule
(``desktop.services.progress.figures.figures_of``); the units and measures of the tasks
as the list screen reads them (``desktop.services.worklist.task_rows``). Each table of the
list is read once: the tasks (only the columns a ledger prints or its figures need, kept
as the driver's tuples: a ledger of 5,000 tasks makes no row object of its own before
its printed rows), the reports and milestones read here (the progress and 节点 texts) are
handed to ``figures_of``.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.core.dates import chinese_date
from desktop.core.gc_pause import paused_gc
from desktop.core.periods import (
    list_day,
    period_day,
)
from desktop.core.reports import (
    LedgerDocument,
    LedgerMeasureGroup,
    LedgerPart,
    LedgerRow,
    LedgerSection,
    SignOff,
)
from desktop.core.reports.variants import VARIANTS
from desktop.errors import ValidationError
from desktop.services.ledger.heads import (
    COLUMNS_KEY,
    ListHead,
    PeriodHead,
    chosen_period,
    columns_from,
    list_head,
    office_names,
    office_signoff,
    office_today,
)
from desktop.services.ledger.snapshot import document_from_json
from desktop.services.progress.figures import (
    MILESTONE_COLUMNS,
    MILESTONE_ORDER,
    MILESTONES_OF_TASKS,
    REPORT_COLUMNS,
    REPORTS_OF_TASKS,
    THRESHOLDS_KEY,
    FigureList,
    figures_of,
    list_thresholds_from,
    thresholds_from,
)
from desktop.services.reading import Read, setting_value
from desktop.services.worklist.task_rows import task_measures, task_units

# a task as the ledger reads it: id, uid, number, content, target, deadline, start, closed
# (dates as stored, ISO text), leader, person, remarks
_Task = tuple[int, str, str, str, str, str | None, str | None, str | None, str, str, str]
_TASKS = (
    "SELECT t.id, t.uid, t.number, t.content, t.target_text, t.deadline, t.start_on,"
    " t.closed_on, t.leader, t.person, t.remarks FROM task t"
    " WHERE t.work_list_id = ? ORDER BY t.position, t.id"
)


@dataclass(frozen=True)
class LedgerOptions:
    variant: str = "all"
    period_id: int | None = None  # progress / lagging: the period; None = the current one
    paper: str = "A4"
    filler: str | None = None  # sign-off names; None = the office's
    reviewer: str | None = None
    phone: str | None = None
    sign_date: str | None = None
    # the optional columns (责任领导 …); None = the office's choice
    columns: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _Section:
    id: int
    parent_id: int | None
    number: str
    title: str


@dataclass(frozen=True)
class _Measure:
    id: int
    section_id: int | None
    number: str
    title: str
    text: str
    is_heading: bool


def notice_topic(title: str) -> str:
    """ "浙江省人民政府关于推进服务业扩能提质的实施意见" → "推进服务业扩能提质"."""
    m = re.search(r"关于(.+?)的(?:实施意见|若干意见|意见|通知|实施方案|方案|决定|办法)", title)
    return m.group(1) if m else ""


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _date_text(d: date | None) -> str:
    return chinese_date(d) if d else ""


def due_text(day: date) -> str:
    """A date as the ledger prints a deadline: ``2027年12月底`` for a month's last day."""
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return f"{day.year}年{day.month}月底"
    return chinese_date(day)


def _deadline_text(d: date | None) -> str:
    return due_text(d) if d is not None else ""


def schedule_texts(milestones: Iterable[Sequence[Any]], year: int) -> dict[int, str]:
    """Per task, its milestones as the 节点/序时安排 column prints them, one a line:
    ``3月底：完成方案（30%）`` — the year only when it is not the list's. ``milestones``:
    the list's milestones as :func:`read_milestones` reads them (with descriptions)."""
    lines: dict[int, list[str]] = defaultdict(list)
    for task_id, due_on, percent, description in milestones:
        due = date.fromisoformat(due_on)
        when = due_text(due)
        if due.year == year:
            when = when.removeprefix(f"{year}年")
        what = "：".join(p for p in (when, description.strip()) if p)
        if percent is not None:
            what += f"（{percent}%）"
        lines[task_id].append(what)
    return {k: "\n".join(v) for k, v in lines.items()}


def read_milestones(read: Read, list_id: int, *, described: bool) -> list[Any]:
    """The milestones of list ``list_id`` as ``figures_of`` reads them, in its order, and
    with their descriptions after when ``described``."""
    more = ", m.description" if described else ""
    return read(
        f"SELECT {MILESTONE_COLUMNS}{more}{MILESTONES_OF_TASKS}"
        f" WHERE t.work_list_id = ?{MILESTONE_ORDER}",
        (list_id,),
    )


def check_options(options: LedgerOptions) -> None:
    if options.variant not in VARIANTS:
        raise ValidationError(f"没有“{options.variant}”这种台账，可选：" + "、".join(VARIANTS))
    if options.paper not in ("A4", "A3"):
        raise ValidationError("纸张只能是 A4 或 A3。")


def compose_document(
    read: Read, wl: ListHead, options: LedgerOptions, period: PeriodHead | None
) -> LedgerDocument:
    """The ledger ``options`` ask for, of list ``wl`` at ``period`` (the chosen one, or None
    for a ledger without a period): a frozen period's progress ledger from its snapshot."""
    check_options(options)
    base = current = office_signoff(read)
    if options.variant == "progress" and period is not None and period.snapshot:
        doc = document_from_json(period.snapshot)
        # a frozen ledger reprints with the names and date it was frozen with
        if doc.signoff.date:
            base = doc.signoff
    else:
        doc = read_document(read, wl, options.variant, period, options.columns)
    doc.paper = options.paper
    doc.signoff = SignOff(
        unit=base.unit or wl.locality,
        filler=base.filler if options.filler is None else options.filler,
        reviewer=base.reviewer if options.reviewer is None else options.reviewer,
        phone=base.phone if options.phone is None else options.phone,
        date=base.date if options.sign_date is None else options.sign_date,
        # every printed ledger carries the key the office signs with now
        key_fingerprint=current.key_fingerprint,
    )
    return doc


def read_document(
    read: Read,
    wl: ListHead,
    variant: str,
    period: PeriodHead | None,
    columns: tuple[str, ...] | None = None,
) -> LedgerDocument:
    """The ledger of ``wl`` as it stands now (or at ``period``'s end), with the optional
    ``columns`` (None: the office's choice).

    Read with the cycle collector held off (``desktop.core.gc_pause``): a ledger is tens
    of thousands of small rows, figures and strings that all stay alive and hold no
    cycles, and the collections they set off (a full one among them) were a fifth of
    reading a 5,000-task list's document."""
    with paused_gc():
        return _read_document(read, wl, variant, period, columns)


def _read_document(
    read: Read,
    wl: ListHead,
    variant: str,
    period: PeriodHead | None,
    columns: tuple[str, ...] | None,
) -> LedgerDocument:
    if columns is None:
        columns = columns_from(setting_value(read, COLUMNS_KEY))
    title, doc_number = read("SELECT title, doc_number FROM notice WHERE id = ?", (wl.notice_id,))[
        0
    ]
    today = office_today(read)
    as_of = (
        period_day(period.start, period.end, today, wl.year)
        if period is not None
        else list_day(today, wl.year)
    )
    # the milestones themselves only for the 节点 column; else figures_of reads the plans
    milestones = read_milestones(read, wl.id, described=True) if "schedule" in columns else None
    of_list = ("t.work_list_id = ?", (wl.id,))
    units = task_units(read, *of_list)
    served = task_measures(read, *of_list)  # per task, the measures it serves
    rows: list[_Task] = read(_TASKS, (wl.id,))
    explained = variant in ("progress", "lagging")
    reports = read_reports(read, wl.id, explained=explained)
    office_thresholds = lambda: thresholds_from(setting_value(read, THRESHOLDS_KEY))  # noqa: E731
    thresholds = list_thresholds_from(wl.own, wl.thresholds, office_thresholds)
    figure_list = FigureList(wl.id, wl.year, wl.cadence, wl.due_day, as_of, thresholds)
    figures = figures_of(
        read,
        [figure_list],
        tasks=[(r[0], wl.id, r[6], r[5], r[7]) for r in rows],
        reports=reports,
        milestones=milestones,
    )[wl.id].tasks
    progress = progress_texts(reports, period, as_of, explained=explained)
    shown_progress = bool(progress)
    if variant == "lagging":
        rows = [r for r in rows if figures[r[0]].status_value == "lagging"]

    sections = {
        s.id: s
        for s in (
            _Section(*r)
            for r in read(
                "SELECT id, parent_id, number, title FROM notice_section WHERE notice_id = ?",
                (wl.notice_id,),
            )
        )
    }
    measures = [
        _Measure(r[0], r[1], r[2], r[3], r[4], bool(r[5]))
        for r in read(
            "SELECT id, section_id, number, title, text, is_heading FROM measure"
            " WHERE notice_id = ? ORDER BY position",
            (wl.notice_id,),
        )
    ]
    excluded: dict[int, str] = dict(
        read("SELECT measure_id, reason FROM measure_exclusion WHERE work_list_id = ?", (wl.id,))
    )

    def top(section_id: int | None) -> _Section | None:
        sec = sections.get(section_id) if section_id else None
        while sec is not None and sec.parent_id is not None:
            sec = sections.get(sec.parent_id)
        return sec

    shown = shown_progress or variant in ("progress", "lagging")
    schedules = schedule_texts(milestones, wl.year) if milestones is not None else {}

    deadlines: dict[str | None, str] = {}  # a few dozen distinct deadlines in a large list
    # what a row prints of its figures, once per distinct figures (most tasks share theirs)
    printed: dict[int, tuple[str, int | None, bool, bool]] = {}
    leader, person, remarks = ("leader" in columns, "person" in columns, "remarks" in columns)

    no_units: tuple[list[str], list[str]] = ([], [])

    def ledger_row(r: _Task) -> LedgerRow:
        tid, uid, number, content, target, due, _, _, leader_name, person_name, remark = r
        f = figures[tid]
        deadline = deadlines.get(due)
        if deadline is None:
            deadline = deadlines[due] = _deadline_text(_day(due))
        lead, co = units.get(tid, no_units)
        state = printed.get(id(f))
        if state is None:
            state = printed[id(f)] = (
                ((f.status_value or "not_applicable"), f.percent, f.closed, f.not_reported)
                if shown
                else ("", None, False, False)
            )
        return LedgerRow(
            number=number,
            content=content,
            target=target,
            lead_units="、".join(lead),
            co_units="、".join(co),
            deadline=deadline,
            progress=progress.get(tid, ""),
            status=state[0],
            task_uid=uid,
            percent=state[1],
            closed=state[2],
            not_reported=state[3],
            leader=leader_name if leader else "",
            person=person_name if person else "",
            schedule=schedules.get(tid, ""),
            remarks=remark if remarks else "",
        )

    def part(rows_in: list[_Task], heading: str) -> LedgerPart:
        by_measure: dict[int | None, list[_Task]] = {}
        for r in rows_in:
            ids = served.get(r[0])
            by_measure.setdefault(ids[0] if ids else None, []).append(r)
        out_sections: list[LedgerSection] = []
        current: dict[int | None, LedgerSection] = {}
        for m in measures:
            tasks = by_measure.get(m.id, [])
            reason = excluded.get(m.id) if variant == "all" and not heading else None
            if not tasks and reason is None:
                continue
            sec = top(m.section_id)
            key = sec.id if sec else None
            if key not in current:
                title = (
                    f"{sec.number}{'' if sec.number.startswith('（') else '、'}{sec.title}"
                    if sec
                    else "其他"
                )
                current[key] = LedgerSection(title=title)
                out_sections.append(current[key])
            sep = "" if m.number.startswith("（") else ("、" if m.is_heading else ". ")
            current[key].groups.append(
                LedgerMeasureGroup(
                    label=f"{m.number}{sep}{m.title}",
                    detail=m.text,
                    not_applicable=reason,
                    rows=[ledger_row(r) for r in tasks],
                )
            )
        loose = by_measure.get(None, [])
        if loose:
            out_sections.append(
                LedgerSection(
                    title="其他工作任务",
                    groups=[
                        LedgerMeasureGroup(
                            label="（未关联省级条目）", rows=[ledger_row(r) for r in loose]
                        )
                    ],
                )
            )
        return LedgerPart(heading=heading, sections=out_sections)

    if variant == "by-unit":
        order = {
            n: i
            for i, n in enumerate(
                r[0] for r in read("SELECT name FROM local_unit ORDER BY position", ())
            )
        }
        lead_of = {r[0]: units.get(r[0], no_units)[0] for r in rows}
        leads = sorted(
            {u for names in lead_of.values() for u in names},
            key=lambda u: (order.get(u, 10**6), u),
        )
        parts = [part([r for r in rows if u in lead_of[r[0]]], f"牵头单位：{u}") for u in leads]
        parts = parts or [part([], "")]
    else:
        parts = [part(list(rows), "")]

    topic = notice_topic(title)
    subtitle = {
        "progress": f"（{period.label}进展）" if period else "（进展情况）",
        "lagging": "（滞后任务）",
        "by-unit": "（按牵头单位）",
    }.get(variant, "")
    return LedgerDocument(
        title=f"{wl.locality}{topic}{wl.year}年重点工作任务清单",
        basis=doc_number,
        office=office_names(read).reporting_office or wl.locality if wl.own else wl.locality,
        as_of=f"截至{_date_text(as_of)}"
        if (shown_progress or variant in ("progress", "lagging"))
        else "",
        parts=parts,
        show_progress=shown_progress or variant in ("progress", "lagging"),
        subtitle=subtitle,
        columns=tuple(columns),
    )


def read_reports(read: Read, list_id: int, *, explained: bool = False) -> list[Any]:
    """Every report of list ``list_id``: the columns ``figures_of`` reads, then the
    period's id and the texts :func:`progress_texts` prints — the problems, the lag reason
    and the next steps only when ``explained``."""
    # plain SQL: one row per report of the list, tens of thousands in a large one, where
    # SQLAlchemy's row and date processing cost more than the query
    more = ", r.problems, r.lag_reason, r.next_steps" if explained else ""
    return read(
        f"SELECT {REPORT_COLUMNS}, p.id, r.text{more}{REPORTS_OF_TASKS} WHERE t.work_list_id = ?",
        (list_id,),
    )


def progress_texts(
    reports: Iterable[Sequence[Any]],
    period: PeriodHead | None,
    as_of: date,
    *,
    explained: bool = False,
) -> dict[int, str]:
    """Per task, the progress text of ``period`` (or the latest up to ``as_of``), from the
    list's ``reports`` (:func:`read_reports`, as ``explained``).

    ``explained``: the progress and lagging ledgers also print the problems, the lag reason
    and the next steps — what freezing insists on and a leaders' meeting asks first — one
    per line after the progress, each only when filled in.
    """
    # the periods' starts and ends are compared as the ISO text they are stored as
    day = as_of.isoformat()
    best: dict[int, tuple[str, str]] = {}
    for row in reports:
        task_id, start, end, period_id, text = row[0], row[1], row[2], row[6], row[7]
        wanted = period_id == period.id if period is not None else start <= day
        if not wanted:
            continue
        # the percent has its own column: the latest known one, by the one rule
        shown = text.strip()
        if explained:
            problems, lag_reason, next_steps = row[8:11]
            notes = [
                f"{name}：{value.strip()}"
                for name, value in (
                    ("存在问题", problems),
                    ("滞后原因", lag_reason),
                    ("下步打算", next_steps),
                )
                if value.strip()
            ]
            shown = "\n".join([shown, *notes] if shown else notes)
        if shown and (task_id not in best or end > best[task_id][0]):
            best[task_id] = (end, shown)
    return {k: v for k, (_, v) in best.items()}


def ledger_document(read: Read, list_id: int, options: LedgerOptions) -> LedgerDocument:
    """The ledger ``options`` ask for, read without writing (``NeedsWrite`` otherwise)."""
    check_options(options)
    wl = list_head(read, list_id)
    return compose_document(
        read, wl, options, chosen_period(read, wl, options.variant, options.period_id)
    )
