"""部门填报表: progress collected from the lead units through Excel, and taken back safely.

The office exports one workbook per lead unit for a reporting period (only that unit's
tasks, the key columns locked, the task ID hidden). When the workbooks come back,
``preview`` compares every row with the database and lists each change field by field,
refusing rows whose ID is missing, unknown or duplicated, whose locked cells were altered,
or whose values cannot be read. Nothing is written until ``apply``, which stores the
accepted changes in one transaction with the progress screen's own ``save``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.exchange_files.dept_workbook import (
    WorkbookMeta,
    write_dept_workbook,
)
from desktop.core.exchange_files.dept_workbook_read import read_dept_workbook
from desktop.core.reports.fileio import safe_filename, unique_names
from desktop.db.models import LocalUnit, Notice, ProgressReport, ReportingPeriod, WorkList
from desktop.errors import InputFileError, NotFoundError, ValidationError
from desktop.services.clock import now_text, today
from desktop.services.exchange.dept_excel_types import (
    DeptImportPreview,
    Entry,
    PeriodChoice,
    ProgressChange,
    RefusedRow,
    WorkbookFile,
    dept_row,
    diff,
    entry_of,
    row_problem,
    short,
)
from desktop.services.progress.service import ProgressEntry, ProgressService, ensure_periods
from desktop.services.worklist.editing import measure_refs
from desktop.services.worklist.rows import task_rows

__all__ = [
    "DepartmentWorkbooks",
    "DeptImportPreview",
    "PeriodChoice",
    "ProgressChange",
    "RefusedRow",
    "WorkbookFile",
]


class DepartmentWorkbooks:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._progress = ProgressService(sessions)

    def units(self, list_id: int) -> list[tuple[str, int]]:
        """The list's lead units with their task counts, in the office's unit order."""
        with self._sessions() as session:
            rows = task_rows(session, self._list(session, list_id).id)
            order = _unit_order(session)
        counts: dict[str, int] = defaultdict(int)
        for r in rows:
            for unit in r.lead_units:
                counts[unit] += 1
        return sorted(counts.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0]))

    # export ----------------------------------------------------------------------------

    def export(
        self,
        list_id: int,
        period_id: int,
        folder: Path,
        units: Sequence[str] | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[WorkbookFile]:
        """One workbook per lead unit (all, or ``units``) written into ``folder``."""
        with self._sessions.begin() as session:
            wl = self._list(session, list_id)
            period = self._open_period(session, wl, period_id)
            notice = session.get(Notice, wl.notice_id)
            assert notice is not None
            rows = task_rows(session, list_id)
            labels = {m.id: m.label for m in measure_refs(session, wl.notice_id)}
            current = _entries(session, period.id)
            previous = _previous_text(session, wl.id, period)
            order = _unit_order(session)
            meta_base = (wl.locality, wl.year, notice.doc_number, wl.version)
            period_key, period_label = period.key, period.label
        chosen = sorted(
            {u for r in rows for u in r.lead_units} if units is None else set(units),
            key=lambda u: (order.get(u, 10**6), u),
        )
        if not chosen:
            raise ValidationError("这份清单还没有牵头单位，无法导出部门填报表。")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ValidationError(f"无法创建文件夹“{folder}”：{err.strerror or err}。") from err
        names = unique_names([safe_filename(f"{period_label}进展填报表_{u}") for u in chosen])
        written = []
        stamp = now_text()
        for i, (unit, name) in enumerate(zip(chosen, names, strict=True)):
            if cancelled is not None and cancelled():
                break
            mine = [r for r in rows if unit in r.lead_units]
            meta = WorkbookMeta(*meta_base, period_key, period_label, unit, stamp)
            title = f"{wl.locality}{wl.year}年重点工作任务进展填报表（{unit}）"
            path = folder / f"{name}.xlsx"
            write_dept_workbook(
                meta,
                title,
                [
                    dept_row(r, labels, current.get(r.id, Entry()), previous.get(r.id, ""))
                    for r in mine
                ],
                path,
            )
            written.append(WorkbookFile(unit, path, len(mine)))
            if progress is not None:
                progress(i + 1, len(chosen))
        return written

    # import ----------------------------------------------------------------------------

    def preview(self, list_id: int, period_id: int, paths: Sequence[Path]) -> DeptImportPreview:
        """What importing the returned workbooks would change; nothing is written."""
        if not paths:
            raise ValidationError("请选择要导入的填报表。")
        with self._sessions() as session:
            wl = self._list(session, list_id)
            period = self._open_period(session, wl, period_id)
            notice = session.get(Notice, wl.notice_id)
            assert notice is not None
            rows = {r.uid: r for r in task_rows(session, list_id)}
            labels = {m.id: m.label for m in measure_refs(session, wl.notice_id)}
            current = _entries(session, period.id)
            books = [(p, read_dept_workbook(p)) for p in paths]
            refused: list[RefusedRow] = []
            proposals: dict[str, list[tuple[str, Entry]]] = defaultdict(list)
            missing: list[str] = []
            for path, book in books:
                meta = book.meta
                if meta is not None:
                    if (meta.locality, meta.year, meta.doc_number) != (
                        wl.locality,
                        wl.year,
                        notice.doc_number,
                    ):
                        raise InputFileError(
                            f"“{path.name}”是{meta.locality} {meta.year}年 {meta.doc_number} "
                            "清单的填报表，不属于当前清单，未导入任何内容。"
                        )
                    if meta.period_key != period.key:
                        raise InputFileError(
                            f"“{path.name}”是{meta.period_label}的填报表，与所选的"
                            f"{period.label}不符，未导入任何内容。",
                            hint="请选择与填报表一致的填报周期。",
                        )
                counts: dict[str, int] = defaultdict(int)
                for r in book.rows:
                    counts[r.uid] += 1
                for r in book.rows:
                    problem = row_problem(r, counts, rows, labels)
                    task = rows.get(r.uid)
                    if problem:
                        refused.append(
                            RefusedRow(
                                path.name, r.excel_row, r.uid, task.number if task else "", problem
                            )
                        )
                        continue
                    proposals[r.uid].append((path.name, entry_of(r)))
                if meta is not None and meta.unit:
                    present = {x.uid for x in book.rows}
                    missing += [
                        f"{t.number or '（无编号）'} {short(t.content)}（{meta.unit}）"
                        for t in rows.values()
                        if meta.unit in t.lead_units and t.uid not in present
                    ]
            changes, unchanged = [], 0
            for uid, found in proposals.items():
                task = rows[uid]
                distinct = {entry for _, entry in found}
                files = tuple(dict.fromkeys(f for f, _ in found))
                before = current.get(task.id, Entry())
                edited = {e for e in distinct if diff(before, e)}
                if len(edited) > 1:
                    for f in files:
                        refused.append(
                            RefusedRow(
                                f,
                                0,
                                uid,
                                task.number,
                                "同一任务在多个填报表中填写不一致，请核对后只保留一份",
                            )
                        )
                    continue
                if not edited:
                    unchanged += 1
                    continue
                after = edited.pop()
                changes.append(
                    ProgressChange(
                        task.id,
                        uid,
                        task.number,
                        task.content,
                        files,
                        before,
                        after,
                        diff(before, after),
                    )
                )
            order = {r.uid: i for i, r in enumerate(rows.values())}
            changes.sort(key=lambda c: order[c.uid])
            return DeptImportPreview(
                list_id=list_id,
                period_id=period.id,
                period_label=period.label,
                files=tuple(p.name for p in paths),
                changes=tuple(changes),
                refused=tuple(refused),
                unchanged=unchanged,
                missing=tuple(missing),
            )

    def apply(self, preview: DeptImportPreview) -> int:
        """Store the previewed changes (one transaction); returns how many tasks changed."""
        if not preview.changes:
            return 0
        with self._sessions() as session:
            current = _entries(session, preview.period_id)
            kept = _kept(session, preview.period_id)
        for c in preview.changes:
            if current.get(c.task_id, Entry()) != c.before:
                raise ValidationError(
                    f"任务 {c.number or c.uid} 的进展在预览之后被修改过，未导入任何内容。",
                    hint="请重新导入填报表，核对最新的修改预览。",
                )
        entries = [
            ProgressEntry(
                task_id=c.task_id,
                text=c.after.text,
                percent=c.after.percent,
                problems=c.after.problems,
                next_steps=c.after.next_steps,
                lag_reason=kept.get(c.task_id, ("", ""))[0],
                completed_on=c.after.completed_on,
                evidence=kept.get(c.task_id, ("", ""))[1],
            )
            for c in preview.changes
        ]
        return self._progress.save(preview.list_id, preview.period_id, entries)

    # internals -------------------------------------------------------------------------

    def _list(self, session: Session, list_id: int) -> WorkList:
        wl = session.get(WorkList, list_id)
        if wl is None:
            raise NotFoundError("找不到这份清单，它可能已被删除。")
        if not wl.own:
            raise ValidationError("下级上报的清单只能查看，不能向部门收集进展。")
        return wl

    def _open_period(self, session: Session, wl: WorkList, period_id: int) -> ReportingPeriod:
        period = session.get(ReportingPeriod, period_id)
        if period is None or period.work_list_id != wl.id:
            raise NotFoundError("找不到这个填报周期。")
        if period.frozen_at:
            raise ValidationError(f"{period.label}已冻结，不能再收集或修改进展。")
        return period

    def periods_of(self, list_id: int) -> tuple[list[PeriodChoice], int]:
        """The list's periods for the screen's chooser, and the index to offer first: the
        period holding today (clamped to the list's year), or the next one not frozen."""
        with self._sessions.begin() as session:
            wl = self._list(session, list_id)
            periods = [
                PeriodChoice(p.id, p.key, p.label, bool(p.frozen_at))
                for p in ensure_periods(session, wl)
            ]
            ends = [p.end for p in ensure_periods(session, wl)]
        day = today()
        first = next((i for i, end in enumerate(ends) if day <= end), len(ends) - 1)
        open_ = [i for i in range(max(first, 0), len(periods)) if not periods[i].frozen]
        return periods, (open_[0] if open_ else max(first, 0))


def _unit_order(session: Session) -> dict[str, int]:
    return {
        n: i
        for i, n in enumerate(
            session.execute(select(LocalUnit.name).order_by(LocalUnit.position)).scalars()
        )
    }


def _entries(session: Session, period_id: int) -> dict[int, Entry]:
    return {
        r.task_id: Entry(r.text, r.percent, r.problems, r.next_steps, r.completed_on)
        for r in session.execute(
            select(ProgressReport).where(ProgressReport.period_id == period_id)
        ).scalars()
    }


def _kept(session: Session, period_id: int) -> dict[int, tuple[str, str]]:
    """The fields a workbook does not carry (滞后原因, 佐证), kept as they are."""
    return {
        tid: (lag, evidence)
        for tid, lag, evidence in session.execute(
            select(
                ProgressReport.task_id, ProgressReport.lag_reason, ProgressReport.evidence
            ).where(ProgressReport.period_id == period_id)
        ).all()
    }


def _previous_text(session: Session, list_id: int, period: ReportingPeriod) -> dict[int, str]:
    earlier = session.execute(
        select(ReportingPeriod.id)
        .where(ReportingPeriod.work_list_id == list_id, ReportingPeriod.end < period.end)
        .order_by(ReportingPeriod.end.desc())
        .limit(1)
    ).scalar_one_or_none()
    if earlier is None:
        return {}
    out = {}
    for tid, text, percent in session.execute(
        select(ProgressReport.task_id, ProgressReport.text, ProgressReport.percent).where(
            ProgressReport.period_id == earlier
        )
    ).all():
        out[tid] = f"{text}（完成{percent}%）" if percent is not None else text
    return out
