"""Between the database and the package: a list version read out as ``PackageData``, and a
package's data written into the database as an imported list.

Reading keeps a fixed order everywhere (tasks by position, marks by measure order, periods
by end, progress by task then period), so an unchanged list gives the same ``data.json``.
Writing uses bulk inserts: a city imports a hundred lists of hundreds of tasks in seconds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.core.checks import CheckResult
from desktop.core.exchange_files import (
    ListInfo,
    PackageCheckNote,
    PackageData,
    PackageExclusion,
    PackageMilestone,
    PackagePeriod,
    PackageProgress,
    PackageTask,
    PackageWarning,
)
from desktop.db.models import (
    CheckNote,
    Measure,
    MeasureExclusion,
    Notice,
    ProgressReport,
    ReportingPeriod,
    Task,
    WorkList,
)
from desktop.db.row_audit import bulk_inserts, note_list_rows
from desktop.services.progress.figures import list_thresholds
from desktop.services.worklist.rows import measure_codes, task_records


def package_data(
    session: Session,
    wl: WorkList,
    check: CheckResult,
    *,
    state: str,
    submitted_at: str,
    submitted_by: str,
) -> PackageData:
    """The list version ``wl`` as it will travel (``state`` and submission as exported)."""
    notice = session.get(Notice, wl.notice_id)
    assert notice is not None
    codes = measure_codes(session, wl.notice_id)
    tasks = tuple(
        PackageTask(
            uid=r.uid,
            number=r.number,
            position=r.position,
            content=r.content,
            target_text=r.target_text,
            target_value=r.target_value,
            target_unit=r.target_unit,
            lead_units=tuple(r.lead_units),
            co_units=tuple(r.co_units),
            leader=r.leader,
            person=r.person,
            phone=r.phone,
            start_on=r.start_on,
            deadline=r.deadline,
            remarks=r.remarks,
            origin=r.origin,
            closed_on=r.closed_on,
            closed_by=r.closed_by,
            close_evidence=r.close_evidence,
            carried_from_uid=r.carried_from_uid,
            measure_codes=tuple(codes[m] for m in r.measure_ids),
            milestones=tuple(
                PackageMilestone(m.due_on, m.label, m.description, m.percent) for m in r.milestones
            ),
        )
        for r in task_records(session, wl.id)
    )
    exclusions = tuple(
        PackageExclusion(code, reason, created_at)
        for code, reason, created_at in session.execute(
            select(Measure.code, MeasureExclusion.reason, MeasureExclusion.created_at)
            .join(Measure, Measure.id == MeasureExclusion.measure_id)
            .where(MeasureExclusion.work_list_id == wl.id)
            .order_by(Measure.position, Measure.code)
        )
    )
    periods = tuple(
        PackagePeriod(p.key, p.label, p.start, p.end, p.due_on, p.frozen_at, p.frozen_by)
        for p in session.execute(
            select(ReportingPeriod)
            .where(ReportingPeriod.work_list_id == wl.id)
            .order_by(ReportingPeriod.end, ReportingPeriod.key)
        ).scalars()
    )
    progress = tuple(
        PackageProgress(
            task_uid=uid,
            period_key=key,
            text=r.text,
            percent=r.percent,
            problems=r.problems,
            next_steps=r.next_steps,
            lag_reason=r.lag_reason,
            completed_on=r.completed_on,
            evidence=r.evidence,
            updated_at=r.updated_at,
            updated_by=r.updated_by,
            reopened=bool(r.reopened),
        )
        for r, uid, key in session.execute(
            select(ProgressReport, Task.uid, ReportingPeriod.key)
            .join(Task, Task.id == ProgressReport.task_id)
            .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
            .where(Task.work_list_id == wl.id)
            .order_by(Task.position, Task.id, ReportingPeriod.end)
        )
    )
    notes = tuple(
        PackageCheckNote(n.key, n.message, n.explanation, n.accepted_at, n.accepted_by)
        for n in session.execute(
            select(CheckNote).where(CheckNote.work_list_id == wl.id).order_by(CheckNote.key)
        ).scalars()
    )
    return PackageData(
        work_list=ListInfo(
            locality=wl.locality,
            locality_code=wl.locality_code,
            level=wl.level,
            parent=wl.parent,
            year=wl.year,
            version=wl.version,
            notice_doc_number=notice.doc_number,
            notice_title=notice.title,
            title=wl.title,
            state=state,
            cadence=wl.cadence,
            due_day=wl.due_day,
            explanation=wl.explanation,
            created_at=wl.created_at,
            checked_at=wl.checked_at,
            submitted_at=submitted_at,
            submitted_by=submitted_by,
            thresholds=tuple(sorted(list_thresholds(session, wl).to_dict().items())),
        ),
        tasks=tasks,
        exclusions=exclusions,
        periods=periods,
        progress=progress,
        check_notes=notes,
        warnings=tuple(
            PackageWarning(w.key, w.message, check.accepted.get(w.key, "")) for w in check.warnings
        ),
        check_summary=check.summary(),
    )


def clear_list(session: Session, list_id: int) -> None:
    """Remove a list version's content (tasks and everything under them), keeping its row."""
    # the database's ON DELETE CASCADE removes units, links, milestones and progress
    session.execute(delete(Task).where(Task.work_list_id == list_id))
    session.execute(delete(ReportingPeriod).where(ReportingPeriod.work_list_id == list_id))
    session.execute(delete(MeasureExclusion).where(MeasureExclusion.work_list_id == list_id))
    session.execute(delete(CheckNote).where(CheckNote.work_list_id == list_id))


def fill_list(wl: WorkList, data: PackageData, notice_id: int, now: str) -> None:
    """Copy the package's list fields onto ``wl`` (an imported list row)."""
    info = data.work_list
    wl.notice_id = notice_id
    wl.own = False
    wl.locality, wl.locality_code = info.locality, info.locality_code
    wl.level, wl.parent = info.level, info.parent
    wl.year, wl.version = info.year, info.version
    wl.state, wl.title = info.state, info.title
    wl.cadence, wl.due_day, wl.explanation = info.cadence, info.due_day, info.explanation
    wl.created_at = info.created_at or now
    wl.updated_at = now
    wl.checked_at = info.checked_at
    wl.submitted_at, wl.submitted_by = info.submitted_at, info.submitted_by
    wl.thresholds = json.dumps(dict(info.thresholds)) if info.thresholds else ""


def store_content(
    session: Session, list_id: int, data: PackageData, code_ids: Mapping[str, int], now: str
) -> None:
    """Insert the package's tasks, marks, periods, progress and notes under list ``list_id``.

    A city imports a hundred lists of hundreds of tasks at a time, and SQLAlchemy's per-row
    parameter processing cost more than SQLite's own work; so the rows go to the driver as
    plain tuples, one ``executemany`` per table, on the session's own connection and inside
    its transaction. Dates are written as SQLAlchemy writes them (ISO text). For the same
    reason the rows are noted for the audit log set-based, once the list is stored, rather
    than by a trigger per inserted row (``row_audit.bulk_inserts``).
    """
    connection = session.connection().connection
    cursor = connection.driver_connection.cursor()  # type: ignore[union-attr]
    tracking = bool(connection.info.get("row_tracking"))
    with bulk_inserts(cursor, tracking):
        _insert_content(session, cursor, list_id, data, code_ids, now)
        if tracking:
            note_list_rows(cursor, list_id)


def _insert_content(
    session: Session,
    cursor: Any,
    list_id: int,
    data: PackageData,
    code_ids: Mapping[str, int],
    now: str,
) -> None:

    def insert(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            marks = ", ".join("?" for _ in columns.split(","))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    insert(
        "task",
        "work_list_id, uid, number, position, content, target_text, target_value, target_unit,"
        " leader, person, phone, start_on, deadline, remarks, origin, closed_on, closed_by,"
        " close_evidence, carried_from_uid, created_at, updated_at",
        [
            (
                list_id, t.uid, t.number, t.position, t.content, t.target_text, t.target_value,
                t.target_unit, t.leader, t.person, t.phone, _d(t.start_on), _d(t.deadline),
                t.remarks, t.origin, _d(t.closed_on), t.closed_by, t.close_evidence,
                t.carried_from_uid, now, now,
            )
            for t in data.tasks
        ],
    )  # fmt: skip
    ids = dict(session.execute(select(Task.uid, Task.id).where(Task.work_list_id == list_id)).all())
    units: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    milestones: list[tuple[Any, ...]] = []
    for t in data.tasks:
        tid = ids[t.uid]
        roles = [("lead", n) for n in t.lead_units] + [("co", n) for n in t.co_units]
        units += [(tid, role, i, name) for i, (role, name) in enumerate(roles)]
        links += [(tid, code_ids[code], i) for i, code in enumerate(t.measure_codes)]
        milestones += [
            (tid, m.due_on.isoformat(), m.label, m.description, m.percent) for m in t.milestones
        ]
    insert("task_unit", "task_id, role, position, name", units)
    insert("task_measure", "task_id, measure_id, position", links)
    insert("milestone", "task_id, due_on, label, description, percent", milestones)
    insert(
        "reporting_period",
        'work_list_id, key, label, start, "end", due_on, frozen_at, frozen_by, snapshot',
        [
            (list_id, p.key, p.label, _d(p.start), _d(p.end), _d(p.due_on), p.frozen_at,
             p.frozen_by, "")
            for p in data.periods
        ],
    )  # fmt: skip
    period_ids = dict(
        session.execute(
            select(ReportingPeriod.key, ReportingPeriod.id).where(
                ReportingPeriod.work_list_id == list_id
            )
        ).all()
    )
    insert(
        "progress_report",
        "task_id, period_id, text, percent, problems, next_steps, lag_reason, completed_on,"
        " evidence, updated_at, updated_by, reopened",
        [
            (ids[p.task_uid], period_ids[p.period_key], p.text, p.percent, p.problems,
             p.next_steps, p.lag_reason, _d(p.completed_on), p.evidence, p.updated_at,
             p.updated_by, p.reopened)
            for p in data.progress
        ],
    )  # fmt: skip
    insert(
        "measure_exclusion",
        "work_list_id, measure_id, reason, created_at",
        [(list_id, code_ids[e.measure_code], e.reason, e.created_at) for e in data.exclusions],
    )
    insert(
        "check_note",
        "work_list_id, key, message, explanation, accepted_at, accepted_by",
        [
            (list_id, n.key, n.message, n.explanation, n.accepted_at, n.accepted_by)
            for n in data.check_notes
        ],
    )


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
