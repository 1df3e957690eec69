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

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.callbacks import IsCancelled, Progress
from desktop.core.checks import CheckResult
from desktop.core.exchange_files import (
    DEFAULT_LIMITS,
    Bundle,
    Package,
    package_stem,
    read_upward,
    sha256_hex,
)
from desktop.core.reports.fileio import atomic_output
from desktop.db.models import (
    Notice,
    ReportingPeriod,
    Submission,
    WorkList,
)
from desktop.errors import InputFileError, PackageError
from desktop.locations import os_path
from desktop.paths import DataDir
from desktop.services.clock import now_text
from desktop.services.exchange.bundles import store_bundle
from desktop.services.exchange.importer import ImportResult, PackageImporter
from desktop.services.exchange.own_package import (
    build_own,
    check_list,
    coverage,
    own_current,
    record_submission,
    reporting_period,
)
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
from desktop.services.safety.backup_files import BackupInfo

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
        from desktop.services.exchange.upward import UpwardExport

        self.aggregate = AggregateService(sessions)
        self.departments = DepartmentWorkbooks(sessions)
        self.upward = UpwardExport(sessions)

    # checking --------------------------------------------------------------------------

    def check(self, list_id: int) -> CheckResult:
        """The pre-submission check of a list, without changing anything."""
        with self._sessions() as session:
            return check_list(session, own_current(session, list_id))

    # export ----------------------------------------------------------------------------

    def reporting_period(self, list_id: int) -> PeriodCoverage:
        """Which period an export of ``list_id`` would report, and how many of its tasks
        have progress for it (to tell the user before exporting)."""
        with self._sessions() as session:
            wl = own_current(session, list_id)
            return coverage(session, wl.id, reporting_period(session, wl.id))

    def suggested_name(self, list_id: int) -> str:
        with self._sessions() as session:
            wl = own_current(session, list_id)
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
        with self._sessions.begin() as session:
            wl = own_current(session, list_id)
            now = now_text()
            own = build_own(session, self._ledgers, wl, now, progress=progress, cancelled=cancelled)
            digest = sha256_hex(own.body)
            record_submission(
                session,
                own,
                now=now,
                out=out,
                digest=digest,
                year=wl.year,
                doc_number=_doc_number(session, wl.notice_id),
            )
            # last, inside the transaction: a failed write rolls the freeze and record back
            with atomic_output(out) as stream:
                stream.write(own.body)
            return ExportResult(
                path=out,
                list_id=wl.id,
                version=wl.version,
                tasks=own.tasks,
                sha256=digest,
                size=len(own.body),
                period_key=own.period[0] if own.period else "",
                period_label=own.period[1] if own.period else "",
                warnings=len(own.check.warnings),
                first_submission=own.first,
                period_filled=coverage(session, wl.id, own.period).filled,
                sequence=own.sequence,
                fingerprint=own.fingerprint,
            )

    def submissions(self, list_id: int | None = None) -> list[SubmissionView]:
        with self._sessions() as session:
            query = (
                select(Submission, WorkList.year, WorkList.version, Notice.doc_number)
                .add_columns(ReportingPeriod.label)
                # a combined package sent without an own list names its year and notice itself
                .outerjoin(WorkList, WorkList.id == Submission.work_list_id)
                .outerjoin(Notice, Notice.id == WorkList.notice_id)
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
                    year or s.year or 0,
                    version or 0,
                    doc or s.doc_number,
                    label or "",
                    sum(1 for p in s.parts or () if p.get("role") == "lower"),
                )
                for s, year, version, doc, label in session.execute(query).all()
            ]

    # import ----------------------------------------------------------------------------

    def inspect(self, path: Path) -> Package | Bundle:
        """Read and check a package without importing it (what the file says it is): one
        list's, or a combined package with every part checked."""
        return read_upward(_read_file(path))

    def import_package(self, path: Path, *, accept_key: str | None = None) -> ImportResult:
        """Import one package; ``PackageError`` (nothing changed) when it is refused
        (``KeyChangedError`` when signed by another key than its locality's, unless
        ``accept_key`` is the new key's fingerprint, compared by the user). For a combined
        package, the result of its first part (``import_packages`` gives all)."""
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
                    found, raw = current.result()
                    with session.begin_nested():
                        if isinstance(found, Bundle):
                            results += store_bundle(
                                session, self._importer, found, path, accept_key
                            )
                        else:
                            results.append(
                                self._importer.store(
                                    session, found, path, raw, accept_key=accept_key
                                )
                            )
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


def _doc_number(session: Session, notice_id: int) -> str:
    notice = session.get(Notice, notice_id)
    return notice.doc_number if notice is not None else ""


def _load(path: Path) -> tuple[Package | Bundle, bytes]:
    raw = _read_file(path)
    return read_upward(raw), raw


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
