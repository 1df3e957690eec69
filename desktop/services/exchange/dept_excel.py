"""部门填报表: progress collected from the lead units through Excel, and taken back safely.

The office exports one workbook per lead unit for a reporting period (only that unit's
tasks, the key columns locked, the task ID hidden). When the workbooks come back,
``preview`` compares every row with the database and lists each change field by field,
refusing rows whose ID is missing, unknown or duplicated, whose locked cells were altered,
or whose values cannot be read. Nothing is written until ``apply``, which stores the
accepted changes in one transaction with the progress screen's own ``save``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.dates import chinese_date
from desktop.core.exchange_files.dept_workbook import (
    Workbook,
    WorkbookMeta,
    WorkbookRow,
    write_dept_workbook,
)
from desktop.core.exchange_files.dept_workbook_read import read_dept_workbook
from desktop.core.periods import FUTURE
from desktop.core.reports.fileio import safe_filename, unique_names
from desktop.core.schema import report_consistency, report_problems
from desktop.core.vocabulary import LABELS
from desktop.db.models import LocalUnit, Notice, ProgressReport, ReportingPeriod, WorkList
from desktop.errors import InputFileError, NotFoundError, ValidationError
from desktop.services.clock import now_text, today
from desktop.services.exchange.dept_excel_types import (
    DeptImportPreview,
    Entry,
    PercentQuestion,
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
from desktop.services.notices.measure_refs import measure_refs
from desktop.services.progress.service import (
    ProgressEntry,
    ProgressService,
    ensure_periods,
    finished_before,
)
from desktop.services.progress.status import period_state_of, refuse_future
from desktop.services.worklist.rows import task_rows, task_rows_named

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
        files: Mapping[str, Path] | None = None,
    ) -> list[WorkbookFile]:
        """One workbook per lead unit (all, or ``units``) written into ``folder`` (or to the
        file ``files`` names for a unit)."""
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
            path = (files or {}).get(unit) or folder / f"{name}.xlsx"
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

    def export_one(self, list_id: int, period_id: int, unit: str, out: Path) -> WorkbookFile:
        """The workbook of one lead unit, written to ``out``."""
        return self.export(list_id, period_id, out.parent, [unit], files={unit: out})[0]

    # import ----------------------------------------------------------------------------

    def preview(
        self,
        list_id: int,
        period_id: int,
        paths: Sequence[Path],
        answers: Mapping[tuple[str, int], int] | None = None,
    ) -> DeptImportPreview:
        """What importing the returned workbooks would change; nothing is written.

        ``answers`` settles the percents that were asked about (a plain ``1``): (file name,
        Excel row) → 1 or 100. Unanswered, such a row is listed in ``questions`` and refused.
        """
        if not paths:
            raise ValidationError("请选择要导入的填报表。")
        answers = answers or {}
        with self._sessions() as session:
            wl = self._list(session, list_id)
            period = self._open_period(session, wl, period_id)
            notice = session.get(Notice, wl.notice_id)
            assert notice is not None
            labels = {m.id: m.label for m in measure_refs(session, wl.notice_id)}
            current = _entries(session, period.id)
            finished = finished_before(session, list_id, period)
            books = [(p, read_dept_workbook(p)) for p in paths]
            named, led = (
                {r.uid for _, b in books for r in b.rows},
                {b.meta.unit for _, b in books if b.meta},
            )
            rows = {r.uid: r for r in task_rows_named(session, list_id, named, led)}
            refused: list[RefusedRow] = []
            questions: list[PercentQuestion] = []
            proposals: dict[str, list[tuple[str, Entry]]] = defaultdict(list)
            missing: list[str] = []
            units: list[str] = []
            for path, book in books:
                unit = _check_book(path.name, book, wl, notice.doc_number, period)
                units.append(unit)
                counts = Counter(r.uid for r in book.rows)
                for r in book.rows:
                    task = rows.get(r.uid)
                    # an ID copied onto another row: name the row as it reads (its own 编号)
                    shown = r.locked.get("number", "").strip() if counts[r.uid] > 1 else ""
                    number = shown or (task.number if task else "")

                    def refuse(
                        reason: str, r: WorkbookRow = r, number: str = number, file: str = path.name
                    ) -> None:
                        refused.append(RefusedRow(file, r.excel_row, r.uid, number, reason))

                    problem = row_problem(r, counts, rows, labels)
                    if problem:
                        refuse(problem)
                        continue
                    assert task is not None
                    if task.closed_on is not None and task.closed_on < period.start:
                        c = task.closed_on
                        refuse(f"任务已于{chinese_date(c)}销号，不再填报进展")
                        continue
                    if unit and unit not in task.lead_units:
                        leads = "、".join(task.lead_units) or "（未定）"
                        refuse(
                            f"这一行的任务由{leads}牵头，不是本表的牵头单位{unit}"
                            "（可能是从其他单位的填报表复制来的行）"
                        )
                        continue
                    entry = entry_of(r)
                    if r.percent_question:
                        answer = answers.get((path.name, r.excel_row))
                        if answer is None:
                            question = PercentQuestion(
                                path.name, r.excel_row, r.uid, number, r.percent_question
                            )
                            questions.append(question)
                            refuse(question.text)
                            continue
                        entry = replace(entry, percent=answer)
                    found = report_problems(entry, wl.year)
                    contradiction = report_consistency(entry)
                    if contradiction is not None:
                        found.append(contradiction)
                    if found:
                        refuse(str(found[0]))
                        continue
                    done_on = finished.get(task.id)
                    if done_on is not None and entry.percent is not None and entry.percent < 100:
                        refuse(
                            f"任务已于{chinese_date(done_on)}完成，"
                            f"表中{LABELS['percent']}却是 {entry.percent}%（如需重新打开任务，"
                            "请在“进展填报”中勾选“重新打开”）"
                        )
                        continue
                    proposals[r.uid].append((path.name, entry))
                if unit:
                    present = {x.uid for x in book.rows}
                    missing += [
                        f"{t.number or '（无编号）'} {short(t.content)}（{unit}）"
                        for t in rows.values()
                        if unit in t.lead_units and t.uid not in present
                    ]
            changes, unchanged = [], 0
            for uid, found_entries in proposals.items():
                task = rows[uid]
                distinct = {entry for _, entry in found_entries}
                files = tuple(dict.fromkeys(f for f, _ in found_entries))
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
                period_key=period.key,
                units=tuple(dict.fromkeys(u for u in units if u)),
                questions=tuple(questions),
            )

    def preview_file(
        self,
        path: Path,
        doc_number: str | None = None,
        answers: Mapping[tuple[str, int], int] | None = None,
    ) -> DeptImportPreview:
        """``preview`` of one workbook, its list and period taken from the workbook itself
        (the sheet's stated period, and the hidden record when it is still there)."""
        book = read_dept_workbook(path)
        key = book.meta.period_key if book.meta is not None else ""
        if not key and book.shown is not None:
            key = book.shown.period_key
        if not key:
            raise InputFileError(
                f"“{path.name}”中看不出填报周期，不是本程序导出的部门填报表。",
                hint="请不要改动表中第二行的“填报周期”；请重新导出填报表后再填。",
            )
        year = int(key[:4])
        notice = doc_number or (book.meta.doc_number if book.meta is not None else None)
        with self._sessions.begin() as session:
            query = select(WorkList).where(
                WorkList.own.is_(True), WorkList.is_current.is_(True), WorkList.year == year
            )
            if notice:
                query = query.join(Notice, Notice.id == WorkList.notice_id).where(
                    Notice.doc_number == notice
                )
            found = list(session.execute(query).scalars())
            if not found:
                raise NotFoundError(f"没有{year}年的本级清单，“{path.name}”无处导入。")
            if len(found) > 1:
                raise ValidationError(
                    f"{year}年有 {len(found)} 份本级清单，请用 --notice 指明文号。"
                )
            wl = found[0]
            period = next((p for p in ensure_periods(session, wl) if p.key == key), None)
            if period is None:
                raise NotFoundError(f"{year}年清单中没有填报周期“{key}”。")
            list_id, period_id = wl.id, period.id
        return self.preview(list_id, period_id, [path], answers)

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
        refuse_future(session, period, "收集进展")
        return period

    def periods_of(self, list_id: int) -> tuple[list[PeriodChoice], int]:
        """The list's periods for the screen's chooser (those begun by the office's today),
        and the index to offer first: the period holding today, or the next one not
        frozen."""
        with self._sessions.begin() as session:
            wl = self._list(session, list_id)
            begun = [
                p for p in ensure_periods(session, wl) if period_state_of(session, p) != FUTURE
            ]
            periods = [PeriodChoice(p.id, p.key, p.label, bool(p.frozen_at)) for p in begun]
            ends = [p.end for p in begun]
            day = today(session)
        if not periods:
            return periods, 0
        first = next((i for i, end in enumerate(ends) if day <= end), len(ends) - 1)
        open_ = [i for i in range(max(first, 0), len(periods)) if not periods[i].frozen]
        return periods, (open_[0] if open_ else max(first, 0))


def _check_book(
    name: str, book: Workbook, wl: WorkList, doc_number: str, period: ReportingPeriod
) -> str:
    """The unit a returned workbook is for, once its list and period are checked against the
    visible statement in the sheet and the hidden record (either may be missing, not both)."""
    meta, shown = book.meta, book.shown
    if meta is not None and (meta.locality, meta.year, meta.doc_number) != (
        wl.locality,
        wl.year,
        doc_number,
    ):
        raise InputFileError(
            f"“{name}”是{meta.locality} {meta.year}年 {meta.doc_number} "
            "清单的填报表，不属于当前清单，未导入任何内容。"
        )
    if meta is None and shown is None:
        raise InputFileError(
            f"“{name}”中看不出是哪个牵头单位、哪个填报周期的填报表，未导入任何内容。",
            hint="表中第二行写明牵头单位和填报周期，请不要改动；请重新导出填报表后再填。",
        )
    if (
        meta is not None
        and shown is not None
        and ((shown.unit, shown.period_key) != (meta.unit, meta.period_key))
    ):
        raise InputFileError(
            f"“{name}”表中写明的“{shown.unit}、{shown.period_text}”与文件内记录的"
            f"“{meta.unit}、{meta.period_label}”不一致，未导入任何内容。",
            hint="请重新导出这个单位的填报表，让其照表填写。",
        )
    key = meta.period_key if meta is not None else shown.period_key if shown else ""
    label = meta.period_label if meta is not None else shown.period_text if shown else ""
    if key != period.key:
        raise InputFileError(
            f"“{name}”是{label or '其他周期'}的填报表，与所选的{period.label}不符，"
            "未导入任何内容。",
            hint="请选择与填报表一致的填报周期。",
        )
    return meta.unit if meta is not None else shown.unit if shown else ""


def _unit_order(session: Session) -> dict[str, int]:
    return {
        n: i
        for i, n in enumerate(
            session.execute(select(LocalUnit.name).order_by(LocalUnit.position)).scalars()
        )
    }


def _entries(session: Session, period_id: int) -> dict[int, Entry]:
    r = ProgressReport  # plain columns, not objects: a large list's period holds thousands
    query = select(r.task_id, r.text, r.percent, r.problems, r.next_steps, r.completed_on)
    return {
        t: Entry(text, percent, problems, steps, done)
        for t, text, percent, problems, steps, done in session.execute(
            query.where(r.period_id == period_id)
        )
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
