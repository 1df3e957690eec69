"""Opening an office's data folder: lock, schema, built-in notice, and the services over it.

This is the one place that wires the database to the services; the GUI's composition root
(``desktop.app``) and the command line (``desktop.cli``) both start here.

``ScreenServices`` is what the GUI is built from: the services and the data folder's paths,
nothing of the database. ``Services`` adds the engine and the session factory the services
share, for the command line, the tests and ``unit_of_work``; the composition root hands each
screen only the services it needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.env_errors import folder_error
from desktop.db.engine import make_engine, make_session_factory
from desktop.db.migrate import MigrationResult, ensure_schema
from desktop.instance_lock import InstanceLock
from desktop.logs import close_logging, setup_logging
from desktop.paths import DataDir, default_data_dir, resource_path, roaming_data_dir
from desktop.services.audit.integrity import record_baseline
from desktop.services.audit.query import AuditQueryService
from desktop.services.exchange.service import ExchangeService
from desktop.services.ledger.service import LedgerService
from desktop.services.notices.service import BUILTIN_NOTICE_FILE, NoticeService
from desktop.services.office.keys import adopt_carried_key
from desktop.services.office.local_units import UnitService
from desktop.services.office.service import OfficeService
from desktop.services.overview.service import OverviewService
from desktop.services.progress.freezing import PeriodFreezing
from desktop.services.progress.service import ProgressService
from desktop.services.progress.unsaved import UnsavedProgress
from desktop.services.progress.yearend import YearEndService
from desktop.services.safety.backups import (
    BackupService,
    NoticeServiceWithBackup,
    RestoreService,
    check_at_start,
)
from desktop.services.safety.data_home import MovedFolder, move_data_folder, move_needed
from desktop.services.safety.maintenance import MaintenanceService
from desktop.services.worklist.checks import WorkListChecks
from desktop.services.worklist.editing import TaskEditing
from desktop.services.worklist.lifecycle import WorkListLifecycle
from desktop.services.worklist.queries import WorkListQueries
from desktop.services.worklist.show import ListShow

log = logging.getLogger(__name__)


@dataclass
class ScreenServices:
    """The services of one data folder, built once; no engine, no sessions, no ORM."""

    data_dir: DataDir
    office: OfficeService
    notices: NoticeService
    units: UnitService
    worklists: WorkListQueries
    list_lifecycle: WorkListLifecycle
    task_editing: TaskEditing
    list_checks: WorkListChecks
    list_show: ListShow
    progress: ProgressService
    freezing: PeriodFreezing
    unsaved_progress: UnsavedProgress
    ledgers: LedgerService
    exchange: ExchangeService
    yearend: YearEndService
    overview: OverviewService
    audit_log: AuditQueryService
    backups: BackupService
    restoring: RestoreService
    maintenance: MaintenanceService


@dataclass
class Services(ScreenServices):
    """The services with the engine and session factory they share; ``close`` releases the
    data folder."""

    engine: Engine
    sessions: sessionmaker[Session]
    migration: MigrationResult | None = None
    moved: MovedFolder | None = None  # the data folder came out of the roaming profile
    _lock: InstanceLock | None = field(default=None, repr=False)

    def close(self) -> None:
        """Close every file this object holds in the data folder: database, log, lock."""
        self.engine.dispose()
        close_logging(self.data_dir.log_file)
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def build_services(
    data_dir: DataDir,
    engine: Engine,
    sessions: sessionmaker[Session],
    *,
    migration: MigrationResult | None = None,
    lock: InstanceLock | None = None,
) -> Services:
    """Every service of ``data_dir`` over the session factory ``sessions``."""
    units = UnitService(sessions)
    backups = BackupService(data_dir)
    return Services(
        data_dir=data_dir,
        engine=engine,
        sessions=sessions,
        office=OfficeService(sessions, after_save=units.on_office_saved),
        notices=NoticeServiceWithBackup(sessions, backups=backups),
        units=units,
        worklists=WorkListQueries(sessions),
        list_lifecycle=WorkListLifecycle(sessions, backup_before=backups.backup_before),
        task_editing=TaskEditing(sessions, units.mapper),
        list_checks=WorkListChecks(sessions),
        list_show=ListShow(sessions),
        progress=ProgressService(sessions),
        freezing=PeriodFreezing(sessions),
        unsaved_progress=UnsavedProgress(sessions),
        ledgers=LedgerService(sessions),
        exchange=ExchangeService(sessions, data_dir, backups.backup_before),
        yearend=YearEndService(sessions),
        overview=OverviewService(sessions),
        audit_log=AuditQueryService(sessions),
        backups=backups,
        restoring=RestoreService(data_dir, engine),
        maintenance=MaintenanceService(data_dir),
        migration=migration,
        _lock=lock,
    )


def open_office(root: Path, *, take_lock: bool = True) -> Services:
    """Open (creating if needed) the data folder ``root`` and return its services.

    Raises ``InstanceLockedError`` when another program holds the folder, and
    ``DatabaseError`` for a damaged database or one written by a newer program; in both
    cases nothing in the folder has been written.
    """
    data_dir = DataDir(root)
    try:
        data_dir.create()
    except OSError as err:
        raise folder_error(root, err) from err
    lock = InstanceLock(data_dir.lock_file) if take_lock else None
    if lock is not None:
        try:
            lock.acquire()
        except OSError as err:  # the first write into the folder: read-only, no permission
            raise folder_error(root, err) from err
    try:
        moved = _move_from_roaming_profile(root)
        setup_logging(data_dir.log_file)
        if moved is not None:
            log.info("数据文件夹已从 %s 移到本机 %s", moved.source, moved.target)
        check_at_start(data_dir)  # read-only: a damaged database is never migrated or written
        migration = ensure_schema(data_dir.db_path, data_dir.backups)
        if migration.before != migration.after:
            log.info("数据库从 %s 升级到 %s", migration.before, migration.after)
        engine = make_engine(data_dir.db_path)
        sessions = make_session_factory(engine)
        services = build_services(data_dir, engine, sessions, migration=migration, lock=lock)
        services.moved = moved
        # first, before anything writes (which would make a new key): a restored backup from
        # before offices had keys goes on with the office's own
        adopt_carried_key(sessions, data_dir)
        services.notices.ensure_builtin(resource_path("notices", BUILTIN_NOTICE_FILE))
        record_baseline(sessions)  # rows of an earlier version get their audited state once
        return services
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _move_from_roaming_profile(root: Path) -> MovedFolder | None:
    """The per-user data folder, on its first use, takes over the first version's folder in
    the Windows roaming profile (``desktop.services.safety.data_home``)."""
    if root != default_data_dir():
        return None
    old = roaming_data_dir()
    if old is None or not move_needed(root, old):
        return None
    return move_data_folder(old, root)
