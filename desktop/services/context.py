"""Opening an office's data folder: lock, schema, built-in notice, and the services over it.

This is the one place that wires the database to the services; the GUI's composition root
(``desktop.app``) and the command line (``desktop.cli``) both start here.
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
from desktop.logs import setup_logging
from desktop.paths import DataDir, resource_path
from desktop.services.audit.query import AuditQueryService
from desktop.services.exchange.service import ExchangeService
from desktop.services.ledger.service import LedgerService
from desktop.services.notices.service import BUILTIN_NOTICE_FILE, NoticeService
from desktop.services.office.local_units import UnitService
from desktop.services.office.service import OfficeService
from desktop.services.overview.service import OverviewService
from desktop.services.progress.service import ProgressService
from desktop.services.progress.yearend import YearEndService
from desktop.services.safety.backups import BackupService, NoticeServiceWithBackup, check_at_start
from desktop.services.safety.maintenance import MaintenanceService
from desktop.services.worklist.editing import WorkListService

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a screen or a command needs, built once per data folder."""

    data_dir: DataDir
    engine: Engine
    sessions: sessionmaker[Session]
    office: OfficeService
    notices: NoticeService
    units: UnitService
    worklists: WorkListService
    progress: ProgressService
    ledgers: LedgerService
    exchange: ExchangeService
    yearend: YearEndService
    overview: OverviewService
    audit_log: AuditQueryService
    backups: BackupService
    maintenance: MaintenanceService
    migration: MigrationResult | None = None
    _lock: InstanceLock | None = field(default=None, repr=False)

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None


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
        setup_logging(data_dir.log_file)
        check_at_start(data_dir)  # read-only: a damaged database is never migrated or written
        migration = ensure_schema(data_dir.db_path, data_dir.backups)
        if migration.before != migration.after:
            log.info("数据库从 %s 升级到 %s", migration.before, migration.after)
        engine = make_engine(data_dir.db_path)
        sessions = make_session_factory(engine)
        units = UnitService(sessions)
        backups = BackupService(data_dir, engine)
        services = Services(
            data_dir=data_dir,
            engine=engine,
            sessions=sessions,
            office=OfficeService(sessions, after_save=units.on_office_saved),
            notices=NoticeServiceWithBackup(sessions, backups=backups),
            units=units,
            worklists=WorkListService(sessions, units.mapper, backup_before=backups.backup_before),
            progress=ProgressService(sessions),
            ledgers=LedgerService(sessions),
            exchange=ExchangeService(sessions, data_dir, backups.backup_before),
            yearend=YearEndService(sessions),
            overview=OverviewService(sessions),
            audit_log=AuditQueryService(sessions),
            backups=backups,
            maintenance=MaintenanceService(data_dir),
            migration=migration,
            _lock=lock,
        )
        services.notices.ensure_builtin(resource_path("notices", BUILTIN_NOTICE_FILE))
        return services
    except BaseException:
        if lock is not None:
            lock.release()
        raise
