"""上报 and 导入: exporting the office's list upward as a package, importing those from below.

Export runs the pre-submission check (hard errors and unexplained warnings block), freezes
the version (已上报), records the submission and writes the package — one transaction,
and the file is written atomically inside it, so either both the record and the file exist
or neither does. Exporting a version that is already frozen again (new progress for the
next quarter, a lost USB stick) writes a new package of the same version.

Import checks the package completely before the database is touched (``read_package``),
then, in one transaction, that it belongs here (its parent is this office, its locality one
of ours, its notice one we have, every measure code known) and how it relates to what we
hold: the same data again changes nothing; a newer version becomes current and the older
stays in the history; a later export of the same version (new progress) replaces that
version's content; anything older is refused. The database is backed up once before the
first write of an import (or of a batch of imports).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop import APP_NAME, __version__
from desktop.core.checks import CheckResult
from desktop.core.exchange_files import (
    DEFAULT_LIMITS,
    FORMAT_VERSION,
    HumanCopy,
    Manifest,
    Package,
    build_package,
    package_stem,
    read_package,
    sha256_hex,
)
from desktop.core.exchange_files.data import without_controls
from desktop.core.exchange_files.figures import package_figures
from desktop.core.reports.fileio import atomic_output, safe_filename
from desktop.db.migrate import HEAD_REVISION
from desktop.db.models import (
    Notice,
    ProgressReport,
    ReportingPeriod,
    Submission,
    Task,
    WorkList,
)
from desktop.errors import InputFileError, NotFoundError, PackageError, ValidationError
from desktop.locations import os_path
from desktop.paths import DataDir
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.exchange.codec import package_data
from desktop.services.exchange.importer import ImportResult, PackageImporter
from desktop.services.exchange.sender import audit_history, next_sequence
from desktop.services.exchange.trust import KeyChangedError
from desktop.services.exchange.types import (
    ExportBlocked,
    ExportResult,
    ImportBatch,
    KeyChange,
    PeriodCoverage,
    SubmissionView,
)
from desktop.services.ledger.service import LedgerService
from desktop.services.office.keys import ensure_key
from desktop.services.office.service import get_office
from desktop.services.progress.status import default_as_of
from desktop.services.safety.backup_files import BackupInfo
from desktop.services.worklist.checks import check_list

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

__all__ = [
    "ExchangeService",
    "ExportBlocked",
    "ExportResult",
    "ImportBatch",
    "ImportResult",
    "PeriodCoverage",
    "SubmissionView",
]


class ExchangeService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        data_dir: DataDir,
        backup_before: Callable[[str], BackupInfo],
    ) -> None:
        self._sessions = sessions
        self._data_dir = data_dir
        self._ledgers = LedgerService(sessions)
        self._importer = PackageImporter(sessions, backup_before)
        # the city's views and the departments' workbooks share the area and the sessions
        from desktop.services.exchange.aggregate import AggregateService
        from desktop.services.exchange.dept_excel import DepartmentWorkbooks

        self.aggregate = AggregateService(sessions)
        self.departments = DepartmentWorkbooks(sessions)

    # checking --------------------------------------------------------------------------

    def check(self, list_id: int) -> CheckResult:
        """The pre-submission check of a list, without changing anything."""
        with self._sessions() as session:
            return _check(session, self._own_current(session, list_id))

    # export ----------------------------------------------------------------------------

    def reporting_period(self, list_id: int) -> PeriodCoverage:
        """Which period an export of ``list_id`` would report, and how many of its tasks
        have progress for it (to tell the user before exporting)."""
        with self._sessions() as session:
            wl = self._own_current(session, list_id)
            return _coverage(session, wl.id, _reporting_period(session, wl.id))

    def suggested_name(self, list_id: int) -> str:
        with self._sessions() as session:
            wl = self._own_current(session, list_id)
            notice = session.get(Notice, wl.notice_id)
            assert notice is not None
            return package_stem(wl.locality, wl.year, notice.doc_number, wl.version) + ".zip"

    def export(
        self,
        list_id: int,
        out: Path,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> ExportResult:
        """Check, freeze, record and write the package of list ``list_id`` to ``out``.

        ``out`` may be a folder (a USB stick): the file is then named after the list.
        """
        if out.is_dir():
            out = out / self.suggested_name(list_id)
        from desktop.core.reports import write_ledger_pdf, write_ledger_xlsx

        with self._sessions.begin() as session:
            wl = self._own_current(session, list_id)
            result = _check(session, wl)
            if not result.passed:
                raise ExportBlocked(result)
            office = get_office(session)
            if not office.parent:
                raise ValidationError(
                    "还没有填写上级地区，上报包要写明报给谁。",
                    hint="请先在“单位设置”中填写上级（例如“某某市”）。",
                )
            now = now_text()
            first = wl.state != "submitted"
            submitted_at = now if first else wl.submitted_at
            submitted_by = office.operator if first else wl.submitted_by
            # the package carries the office as it is set now (name, code, level, parent),
            # and the list follows it
            wl.locality, wl.locality_code = office.locality, office.locality_code
            wl.parent, wl.level = office.parent, office.level
            data = package_data(
                session,
                wl,
                result,
                state="submitted",
                submitted_at=submitted_at,
                submitted_by=submitted_by,
            )
            data = without_controls(data)
            data = replace(data, figures=package_figures(data, default_as_of(session, wl)))
            period = _reporting_period(session, wl.id)
            doc = self._ledgers.document(wl.id)
            xlsx, pdf = io.BytesIO(), io.BytesIO()
            write_ledger_xlsx(doc, xlsx)
            write_ledger_pdf(doc, pdf, progress=progress, cancelled=cancelled)
            key = ensure_key(session)
            sequence = next_sequence(session, wl)
            head, since, history = audit_history(session, office.parent)
            stem = package_stem(wl.locality, wl.year, data.work_list.notice_doc_number, wl.version)
            title = safe_filename(doc.title, default="工作任务清单")
            manifest = Manifest(
                format_version=FORMAT_VERSION,
                program_name=APP_NAME,
                program_version=__version__,
                database_revision=HEAD_REVISION,
                locality=office.locality,
                locality_code=office.locality_code,
                level=office.level,
                parent=office.parent,
                reporting_office=office.reporting_office,
                year=wl.year,
                notice_doc_number=data.work_list.notice_doc_number,
                notice_title=data.work_list.notice_title,
                list_version=wl.version,
                period_key=period[0] if period else "",
                period_label=period[1] if period else "",
                exported_at=now,
                operator=office.operator,
                reviewer=office.reviewer,
                contact=office.contact_phone,
                tasks=len(data.tasks),
                files=(),
                export_sequence=sequence,
                audit_head=head,
                audit_since=since,
            )
            body = build_package(
                manifest,
                data,
                [
                    HumanCopy(f"{title}.xlsx", "xlsx", xlsx.getvalue()),
                    HumanCopy(f"{title}.pdf", "pdf", pdf.getvalue()),
                ],
                stem,
                key=key,
                history=history,
            )
            refuse_unreadable(body)
            digest = sha256_hex(body)
            if first:
                wl.state, wl.submitted_at, wl.submitted_by = "submitted", now, office.operator
                if not wl.checked_at:
                    wl.checked_at = now
            session.add(
                Submission(
                    work_list_id=wl.id,
                    at=now,
                    operator=office.operator,
                    file_name=str(out),
                    sha256=digest,
                    period_key=period[0] if period else "",
                    sequence=sequence,
                    parent=office.parent,
                    audit_id=head.id if head else 0,
                )
            )
            audit.record(
                session,
                operator=office.operator,
                action="submit",
                entity="work_list",
                entity_id=wl.id,
                summary=f"上报{wl.year}年清单第{wl.version}版（第 {sequence} 次导出）：{out.name}",
                after={
                    "file": str(out),
                    "sha256": digest,
                    "period": period[0] if period else "",
                    "sequence": sequence,
                    "key": key.fingerprint,
                },
            )
            session.flush()
            # last, inside the transaction: a failed write rolls the freeze and record back
            with atomic_output(out) as stream:
                stream.write(body)
            return ExportResult(
                path=out,
                list_id=wl.id,
                version=wl.version,
                tasks=len(data.tasks),
                sha256=digest,
                size=len(body),
                period_key=period[0] if period else "",
                period_label=period[1] if period else "",
                warnings=len(result.warnings),
                first_submission=first,
                period_filled=_coverage(session, wl.id, period).filled,
                sequence=sequence,
                fingerprint=key.fingerprint,
            )

    def submissions(self, list_id: int | None = None) -> list[SubmissionView]:
        with self._sessions() as session:
            query = (
                select(Submission, WorkList.year, WorkList.version, Notice.doc_number)
                .add_columns(ReportingPeriod.label)
                .join(WorkList, WorkList.id == Submission.work_list_id)
                .join(Notice, Notice.id == WorkList.notice_id)
                .outerjoin(
                    ReportingPeriod,
                    (ReportingPeriod.work_list_id == Submission.work_list_id)
                    & (ReportingPeriod.key == Submission.period_key),
                )
                .order_by(Submission.id.desc())
            )
            if list_id is not None:
                query = query.where(Submission.work_list_id == list_id)
            return [
                SubmissionView(
                    s.id,
                    s.at,
                    s.operator,
                    s.file_name,
                    s.sha256,
                    s.period_key,
                    s.work_list_id,
                    year,
                    version,
                    doc,
                    label or "",
                )
                for s, year, version, doc, label in session.execute(query).all()
            ]

    # import ----------------------------------------------------------------------------

    def inspect(self, path: Path) -> Package:
        """Read and check a package without importing it (what the file says it is)."""
        return read_package(_read_file(path))

    def import_package(self, path: Path, *, accept_key: str | None = None) -> ImportResult:
        """Import one package; ``PackageError`` (nothing changed) when it is refused
        (``KeyChangedError`` when signed by another key than its locality's, unless
        ``accept_key`` is the new key's fingerprint, compared by the user)."""
        batch = self.import_packages([path], stop_on_error=True, accept_key=accept_key)
        return batch.results[0]

    def import_packages(
        self,
        paths: Sequence[Path],
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
        stop_on_error: bool = False,
        accept_key: str | None = None,
    ) -> ImportBatch:
        """Import several packages: one transaction for the batch, each package in its own
        savepoint, so a refused package leaves no trace and the others go on (unless
        ``stop_on_error``); one backup before the first write; one commit at the end."""
        results: list[ImportResult] = []
        failures: list[tuple[Path, str]] = []
        key_changes: list[KeyChange] = []
        stopped = False
        self._importer.start_batch()
        with ThreadPoolExecutor(max_workers=1) as reader, self._sessions.begin() as session:
            # the next file is read and checked while this one is written: checking is
            # Python's work, writing mostly SQLite's, which runs without holding the GIL
            pending = reader.submit(_load, paths[0]) if paths else None
            for i, path in enumerate(paths):
                if cancelled is not None and cancelled():
                    stopped = True
                    break
                assert pending is not None
                current = pending
                pending = reader.submit(_load, paths[i + 1]) if i + 1 < len(paths) else None
                try:
                    package = current.result()
                    with session.begin_nested():
                        results.append(self._importer.store(session, package, path, accept_key))
                except InputFileError as err:
                    if stop_on_error:
                        raise
                    failures.append((path, str(err)))
                    if isinstance(err, KeyChangedError):
                        key_changes.append(KeyChange(path, err.locality, err.old, err.new))
                if progress is not None:
                    progress(i + 1, len(paths))
        return ImportBatch(
            tuple(results),
            tuple(failures),
            self._importer.backup,
            stopped,
            tuple(key_changes),
        )

    # internals -------------------------------------------------------------------------

    def _own_current(self, session: Session, list_id: int) -> WorkList:
        wl = session.get(WorkList, list_id)
        if wl is None:
            raise NotFoundError("找不到这份清单，它可能已被删除。")
        if not wl.own:
            raise ValidationError("这是下级上报的清单，只有本级清单才能上报。")
        if not wl.is_current:
            raise ValidationError(f"第{wl.version}版不是当前版本，只能上报当前版本的清单。")
        return wl


def refuse_unreadable(body: bytes) -> None:
    """Read the package just built as the level above will (``read_package``: every field by
    the same schema), so that nothing leaves that its city would refuse; refused here, the
    export changes nothing (no version frozen, no submission recorded)."""
    try:
        read_package(body)
    except PackageError as err:
        message = err.message.replace("上报包中", "清单中", 1)
        raise ValidationError(
            f"上报包未生成：{message}", hint="请在“年度清单”或“进展填报”中改正后再上报。"
        ) from err


def _check(session: Session, wl: WorkList) -> CheckResult:
    """The same check as the list screen's 校验 (``desktop.core.checks``)."""
    return check_list(session, wl)


def _reporting_period(session: Session, list_id: int) -> tuple[str, str] | None:
    """The latest period with reported progress: the "截至" of the package."""
    row = session.execute(
        select(ReportingPeriod.key, ReportingPeriod.label)
        .join(ProgressReport, ProgressReport.period_id == ReportingPeriod.id)
        .where(ReportingPeriod.work_list_id == list_id)
        .group_by(ReportingPeriod.id)
        .having(func.count() > 0)
        .order_by(ReportingPeriod.end.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _coverage(session: Session, list_id: int, period: tuple[str, str] | None) -> PeriodCoverage:
    tasks = session.execute(
        select(func.count()).select_from(Task).where(Task.work_list_id == list_id)
    ).scalar_one()
    if period is None:
        return PeriodCoverage("", "", 0, tasks)
    filled = session.execute(
        select(func.count(func.distinct(ProgressReport.task_id)))
        .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
        .where(ReportingPeriod.work_list_id == list_id, ReportingPeriod.key == period[0])
    ).scalar_one()
    return PeriodCoverage(period[0], period[1], filled, tasks)


def _load(path: Path) -> Package:
    return read_package(_read_file(path))


def _read_file(path: Path) -> bytes:
    opened = Path(os_path(path))  # a deep folder of packages may pass 260 characters
    try:
        if opened.is_dir():
            raise PackageError(f"“{path}”是文件夹，不是上报包文件。")
        size = opened.stat().st_size
        if size > DEFAULT_LIMITS.package_bytes:
            raise PackageError(
                f"文件“{path.name}”有 {size // 2**20} MB，远大于正常的上报包，已拒绝导入。"
            )
        return opened.read_bytes()
    except FileNotFoundError:
        raise PackageError(f"找不到文件“{path}”。") from None
    except PermissionError:
        raise PackageError(f"无法读取文件“{path}”：没有权限，或文件正被其他程序占用。") from None
    except OSError as err:
        raise PackageError(f"无法读取文件“{path}”：{err.strerror or err}。") from None
