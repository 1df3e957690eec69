"""汇总: an upper office's view of the lists its lower levels reported.

The expected lower localities (the ``locality`` table; offered from the built-in table of
行政区划代码 at set-up), who reported which version when and who is missing, overdue or not
re-sent, level by level (``aggregate_reporting``); a coverage matrix (measures × localities,
at a province every city's own list and its counties', shown by city with each city's
counties within), status counts per locality by the one rule (``progress.figures``), a
read-only drill-down into any list or into the tasks that cover one measure, and the
combined ledger with its summary pages (``aggregate_ledger``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.localities import builtin_table, code_problem, lower_level
from desktop.core.names import normalise_name
from desktop.core.reports import LedgerDocument
from desktop.core.worklist import LEVELS
from desktop.db.models import (
    Locality,
    MeasureExclusion,
    Notice,
    ProgressReport,
    ReportingPeriod,
    Task,
    TaskMeasure,
    WorkList,
)
from desktop.errors import NotFoundError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.exchange.aggregate_ledger import combined_document, ledger_file_name
from desktop.services.exchange.aggregate_reporting import (
    level_summaries,
    read_holdings,
    statuses,
)
from desktop.services.exchange.aggregate_types import (
    STATE_LABELS,
    STATUS_ORDER,
    CoverageCell,
    CoverageMatrix,
    DrillRow,
    LevelSummary,
    ListChoice,
    LocalityStatus,
    LowerLocality,
    Overview,
)
from desktop.services.notices.measure_refs import measure_refs
from desktop.services.office.service import get_office
from desktop.services.progress.figures import lists_figures
from desktop.services.progress.service import default_as_of
from desktop.services.worklist.rows import task_rows

__all__ = [
    "STATE_LABELS",
    "STATUS_ORDER",
    "AggregateService",
    "CoverageCell",
    "CoverageMatrix",
    "DrillRow",
    "LevelSummary",
    "ListChoice",
    "LocalityStatus",
    "LowerLocality",
    "Overview",
]


class AggregateService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # the list of lower localities ------------------------------------------------------

    def localities(self) -> list[LowerLocality]:
        with self._sessions() as session:
            return [
                LowerLocality(r.name, r.code, r.level, r.expected, r.parent)
                for r in session.execute(
                    select(Locality).order_by(Locality.position, Locality.id)
                ).scalars()
            ]

    def builtin_offer(self) -> tuple[list[LowerLocality], str]:
        """The lower localities the built-in table of 行政区划代码 lists for this office (a
        city's counties; a province's cities and, under each, its counties), and the
        table's source and date; empty when the office is not in the table."""
        table = builtin_table()
        with self._sessions() as session:
            office = get_office(session)
        me = table.get(office.locality_code) if office.locality_code else None
        if me is None:
            named = [e for e in table.named(office.locality) if e.level == office.level]
            me = named[0] if len(named) == 1 else None
        if me is None or me.level == "县级":
            return [], table.citation
        below = lower_level(me.level)
        return [
            LowerLocality(
                e.name,
                e.code,
                e.level,
                True,
                "" if e.level == below else e.parent_name,
            )
            for e in table.below(me.code)
        ], table.citation

    def save_localities(self, items: Sequence[LowerLocality]) -> list[LowerLocality]:
        """Replace the list of lower localities (in this order) in one transaction."""
        cleaned = _cleaned(items)
        names = {i.name for i in cleaned}
        with self._sessions.begin() as session:
            office = get_office(session)
            if office.locality in names:
                raise ValidationError(f"本级（{office.locality}）不能列为自己的下级。")
            before = [r.name for r in session.execute(select(Locality)).scalars()]
            session.execute(delete(Locality))
            session.add_all(
                Locality(
                    name=i.name,
                    code=i.code,
                    level=i.level,
                    expected=i.expected,
                    position=n,
                    parent=i.parent,
                )
                for n, i in enumerate(cleaned)
            )
            audit.record(
                session,
                operator=office.operator,
                action="update",
                entity="locality",
                summary=f"修改下级地区名单（{len(cleaned)} 个）",
                before=before,
                after=[i.name for i in cleaned],
            )
        return self.localities()

    # what there is to aggregate --------------------------------------------------------

    def choices(self) -> list[ListChoice]:
        """The (year, notice) pairs with an own or an imported list, newest year first."""
        with self._sessions() as session:
            rows = session.execute(
                select(WorkList.year, Notice.id, Notice.doc_number)
                .join(Notice, Notice.id == WorkList.notice_id)
                .distinct()
                .order_by(WorkList.year.desc(), Notice.doc_number)
            ).all()
            return [ListChoice(y, n, d) for y, n, d in rows]

    def overview(self, year: int, notice_id: int) -> Overview:
        """Who reported (every level), status counts, and the coverage matrix."""
        with self._sessions() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise NotFoundError("找不到这份上级文件。")
            rows = statuses(read_holdings(session, year, notice_id))
            # the matrix has a column for every locality expected to report (reported or
            # not) and for every other one that did; coverage counts the expected ones
            shown = [s for s in rows if s.expected or s.list_id is not None]
            coverage = _coverage(session, notice_id, shown)
            na = {
                i: sum(1 for row in coverage.cells if row[i].not_applicable)
                for i in range(len(coverage.localities))
            }
            column = {id(s): i for i, s in enumerate(shown)}
            rows = [replace(s, not_applicable=na.get(column.get(id(s), -1), 0)) for s in rows]
            return Overview(
                year, notice_id, notice.doc_number, tuple(rows), coverage, level_summaries(rows)
            )

    def drill_down(self, list_id: int) -> list[DrillRow]:
        """Every task of one list, read only, with its figures."""
        with self._sessions() as session:
            wl = session.get(WorkList, list_id)
            if wl is None:
                raise NotFoundError("找不到这份清单。")
            return _drill(session, [wl], None)

    def measure_tasks(self, list_ids: Sequence[int], measure_id: int) -> list[DrillRow]:
        """The tasks of ``list_ids`` that serve measure ``measure_id`` (a cell of the
        coverage matrix opened), each naming its locality."""
        with self._sessions() as session:
            lists = [wl for lid in list_ids if (wl := session.get(WorkList, lid)) is not None]
            return _drill(session, lists, measure_id)

    # the combined ledger ---------------------------------------------------------------

    def combined_document(
        self, year: int, notice_id: int, *, include_own: bool = True, within: str | None = None
    ) -> LedgerDocument:
        """Summary pages, then one part per list (at a province by city; ``within`` keeps one
        city's own list and its counties'), pages numbered through the file."""
        with self._sessions() as session:
            return combined_document(
                session, year, notice_id, include_own=include_own, within=within
            )

    def ledger_name(self, year: int, notice_id: int, suffix: str, within: str | None = None) -> str:
        """The combined ledger's default file name, carrying the office's locality."""
        with self._sessions() as session:
            notice = session.get(Notice, notice_id)
            doc = notice.doc_number if notice is not None else ""
            return ledger_file_name(get_office(session).locality, year, doc, within, suffix)

    def write_combined_pdf(
        self,
        year: int,
        notice_id: int,
        out: Path,
        *,
        within: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        from desktop.core.reports import write_ledger_pdf

        doc = self.combined_document(year, notice_id, within=within)
        return write_ledger_pdf(doc, out, progress=progress, cancelled=cancelled)

    def write_combined_xlsx(
        self, year: int, notice_id: int, out: Path, *, within: str | None = None
    ) -> list[str]:
        """Writes the combined Excel; returns the cells cut at Excel's 32,767-character limit."""
        from desktop.core.reports import write_ledger_xlsx

        return write_ledger_xlsx(self.combined_document(year, notice_id, within=within), out)


# --------------------------------------------------------------------------- helpers


def _cleaned(items: Sequence[LowerLocality]) -> list[LowerLocality]:
    """The list as it will be stored: names normalised, codes checked against levels, no
    name or code twice."""
    cleaned: list[LowerLocality] = []
    names: set[str] = set()
    codes: set[str] = set()
    for item in items:
        # one spelling per locality: look-alike names are one (core/names.py)
        name = normalise_name(item.name, "下级地区名称")
        parent = normalise_name(item.parent, "上级地区名称")
        code = item.code.strip()
        if not name:
            raise ValidationError("下级地区名称不能为空。")
        if name in names:
            raise ValidationError(f"下级地区“{name}”重复了。")
        if item.level not in LEVELS:
            raise ValidationError(f"“{name}”的层级只能是 {'、'.join(LEVELS)} 之一。")
        if len(name) > 80 or len(code) > 20 or len(parent) > 80:
            raise ValidationError(f"“{name}”的名称或代码过长。")
        if code:
            problem = code_problem(code, item.level)
            if problem is not None:
                raise ValidationError(f"“{name}”的{problem}。")
            if code in codes:
                raise ValidationError(f"行政区划代码 {code} 重复了（“{name}”）。")
            codes.add(code)
        names.add(name)
        cleaned.append(replace(item, name=name, code=code, parent=parent))
    return cleaned


def _label(s: LocalityStatus) -> str:
    """A column of the coverage matrix: a city's own list reads 湖州市本级 at a province."""
    return f"{s.locality}本级" if s.bundle or (not s.group and s.level == "市级") else s.locality


def _coverage(session: Session, notice_id: int, shown: list[LocalityStatus]) -> CoverageMatrix:
    """Measures × localities, one column per row of the reporting table shown."""
    measures = measure_refs(session, notice_id)
    ids = [s.list_id for s in shown if s.list_id is not None]
    counts: dict[tuple[int, int], int] = {}
    reasons: dict[tuple[int, int], str] = {}
    if ids:
        for lid, mid, n in session.execute(
            select(Task.work_list_id, TaskMeasure.measure_id, func.count())
            .join(Task, Task.id == TaskMeasure.task_id)
            .where(Task.work_list_id.in_(ids))
            .group_by(Task.work_list_id, TaskMeasure.measure_id)
        ).all():
            counts[(lid, mid)] = n
        for lid, mid, reason in session.execute(
            select(
                MeasureExclusion.work_list_id, MeasureExclusion.measure_id, MeasureExclusion.reason
            ).where(MeasureExclusion.work_list_id.in_(ids))
        ).all():
            reasons[(lid, mid)] = reason
    cells = tuple(
        tuple(
            CoverageCell(counts.get((s.list_id, m.id), 0), reasons.get((s.list_id, m.id)))
            if s.list_id is not None
            else CoverageCell(reported=False)
            for s in shown
        )
        for m in measures
    )
    grouped = any(s.group for s in shown)
    return CoverageMatrix(
        measure_codes=tuple(m.code for m in measures),
        measure_labels=tuple(m.label for m in measures),
        localities=tuple(_label(s) if grouped else s.locality for s in shown),
        cells=cells,
        expected=tuple(s.expected for s in shown),
        groups=tuple((s.group or s.locality) if grouped else "" for s in shown),
        list_ids=tuple(s.list_id for s in shown),
        measure_ids=tuple(m.id for m in measures),
        absent=tuple("无本级清单" if s.bundle else "未上报" for s in shown),
    )


def _drill(session: Session, lists: list[WorkList], measure_id: int | None) -> list[DrillRow]:
    """The tasks of ``lists`` (only those serving ``measure_id`` when given) as the
    read-only drill-down shows them, each list read at its own day."""
    figures = lists_figures(session, lists)
    out = []
    for wl in lists:
        labels = {m.id: m.label for m in measure_refs(session, wl.notice_id)}
        latest = _latest_progress(session, wl.id, default_as_of(session, wl))
        tasks = figures[wl.id].tasks
        for r in task_rows(session, wl.id):
            if measure_id is not None and measure_id not in r.measure_ids:
                continue
            f = tasks[r.id]
            out.append(
                DrillRow(
                    number=r.number,
                    measures="；".join(labels.get(m, "") for m in r.measure_ids),
                    content=r.content,
                    target=r.target_text,
                    lead_units=r.lead_text,
                    co_units=r.co_text,
                    deadline=r.deadline,
                    progress=latest.get(r.id, ""),
                    percent=f.percent,
                    status=f.status_value or "not_applicable",
                    closed=f.closed,
                    not_reported=f.not_reported,
                    locality=wl.locality,
                )
            )
    return out


def _latest_progress(session: Session, list_id: int, as_of: date) -> dict[int, str]:
    """Per task, the text of its latest report up to ``as_of`` (the percent comes from the
    task's figures)."""
    best: dict[int, tuple[date, str]] = {}
    for tid, end, text in session.execute(
        select(ProgressReport.task_id, ReportingPeriod.end, ProgressReport.text)
        .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
        .join(Task, Task.id == ProgressReport.task_id)
        .where(Task.work_list_id == list_id, ReportingPeriod.start <= as_of)
    ).all():
        if text.strip() and (tid not in best or end > best[tid][0]):
            best[tid] = (end, text)
    return {tid: text for tid, (_, text) in best.items()}
