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
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core import temp_files
from desktop.core.env_errors import folder_error
from desktop.instance_lock import InstanceLock
from desktop.logs import close_logging, setup_logging
from desktop.paths import (
    APP_FOLDER,
    DataDir,
    default_data_dir,
    resource_path,
    roaming_data_dir,
)

if TYPE_CHECKING:  # each service's module is imported when the service is first asked for
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from desktop.db.migrate import MigrationResult
    from desktop.services.audit.query import AuditQueryService
    from desktop.services.exchange.service import ExchangeService
    from desktop.services.ledger.service import LedgerService
    from desktop.services.notices.service import NoticeService
    from desktop.services.office.local_units import UnitService
    from desktop.services.office.service import OfficeService
    from desktop.services.overview.service import OverviewService
    from desktop.services.progress.freezing import PeriodFreezing
    from desktop.services.progress.service import ProgressService
    from desktop.services.progress.unsaved import UnsavedProgress
    from desktop.services.progress.yearend import YearEndService
    from desktop.services.safety.backups import BackupService, RestoreService
    from desktop.services.safety.data_home import MovedFolder
    from desktop.services.safety.maintenance import MaintenanceService
    from desktop.services.safety.start_check import QuickCheck
    from desktop.services.safety.wal_check import WalDamage
    from desktop.services.worklist.checks import WorkListChecks
    from desktop.services.worklist.editing import TaskEditing
    from desktop.services.worklist.lifecycle import WorkListLifecycle
    from desktop.services.worklist.queries import WorkListQueries
    from desktop.services.worklist.show import ListShow

log = logging.getLogger(__name__)


class ScreenServices:
    """The services of one data folder; no engine, no sessions, no ORM for the screens.

    Each service is made the first time it is asked for, and its module imported then: the
    window and the command line load only the features they use (opening the program must
    not wait for the exchange code, the notice parser or the report writers).
    """

    def __init__(self, data_dir: DataDir, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self.data_dir = data_dir
        self._engine, self._sessions = engine, sessions

    @cached_property
    def office(self) -> OfficeService:
        from desktop.services.office.service import OfficeService

        return OfficeService(self._sessions, after_save=self.units.on_office_saved)

    @cached_property
    def notices(self) -> NoticeService:
        from desktop.services.notices.with_backup import NoticeServiceWithBackup

        return NoticeServiceWithBackup(self._sessions, backups=self.backups)

    @cached_property
    def units(self) -> UnitService:
        from desktop.services.office.local_units import UnitService

        return UnitService(self._sessions)

    @cached_property
    def worklists(self) -> WorkListQueries:
        from desktop.services.worklist.queries import WorkListQueries

        return WorkListQueries(self._sessions)

    @cached_property
    def list_lifecycle(self) -> WorkListLifecycle:
        from desktop.services.worklist.lifecycle import WorkListLifecycle

        return WorkListLifecycle(self._sessions, backup_before=self.backups.backup_before)

    @cached_property
    def task_editing(self) -> TaskEditing:
        from desktop.services.worklist.editing import TaskEditing

        return TaskEditing(self._sessions, self.units.mapper)

    @cached_property
    def list_checks(self) -> WorkListChecks:
        from desktop.services.worklist.checks import WorkListChecks

        return WorkListChecks(self._sessions)

    @cached_property
    def list_show(self) -> ListShow:
        from desktop.services.worklist.show import ListShow

        return ListShow(self._sessions)

    @cached_property
    def progress(self) -> ProgressService:
        from desktop.services.progress.service import ProgressService

        return ProgressService(self._sessions)

    @cached_property
    def freezing(self) -> PeriodFreezing:
        from desktop.services.progress.freezing import PeriodFreezing

        return PeriodFreezing(self._sessions)

    @cached_property
    def unsaved_progress(self) -> UnsavedProgress:
        from desktop.services.progress.unsaved import UnsavedProgress

        return UnsavedProgress(self._sessions)

    @cached_property
    def ledgers(self) -> LedgerService:
        from desktop.services.ledger.service import LedgerService

        return LedgerService(self._sessions)

    @cached_property
    def exchange(self) -> ExchangeService:
        from desktop.services.exchange.service import ExchangeService

        return ExchangeService(self._sessions, self.data_dir, self.backups.backup_before)

    @cached_property
    def yearend(self) -> YearEndService:
        from desktop.services.progress.yearend import YearEndService

        return YearEndService(self._sessions)

    @cached_property
    def overview(self) -> OverviewService:
        from desktop.services.overview.service import OverviewService

        return OverviewService(self._sessions)

    @cached_property
    def audit_log(self) -> AuditQueryService:
        from desktop.services.audit.query import AuditQueryService

        return AuditQueryService(self._sessions)

    @cached_property
    def backups(self) -> BackupService:
        from desktop.services.safety.backups import BackupService

        return BackupService(self.data_dir)

    @cached_property
    def restoring(self) -> RestoreService:
        from desktop.services.safety.backups import RestoreService

        return RestoreService(self.data_dir, self._engine)

    @cached_property
    def maintenance(self) -> MaintenanceService:
        from desktop.services.safety.maintenance import MaintenanceService

        return MaintenanceService(self.data_dir)


class Services(ScreenServices):
    """The services with the engine and session factory they share; ``close`` releases the
    data folder."""

    def __init__(
        self,
        data_dir: DataDir,
        engine: Engine,
        sessions: sessionmaker[Session],
        *,
        migration: MigrationResult | None = None,
        lock: InstanceLock | None = None,
    ) -> None:
        super().__init__(data_dir, engine, sessions)
        self.engine, self.sessions = engine, sessions
        self.migration = migration
        self.moved: MovedFolder | None = None  # the data folder came out of the roaming profile
        self.wal_damage: WalDamage | None = None  # the log found damaged at start (changes lost)
        self._lock = lock

    def close(self) -> None:
        """Close every file this object holds in the data folder: database, log, lock.

        The write-ahead log is emptied into the database file first, so nothing committed
        lives only in the ``-wal`` file while the program is closed."""
        from desktop.db.engine import checkpoint_now

        try:
            checkpoint_now(self.engine)
        except Exception:  # closing goes on: SQLite checkpoints on the last close anyway
            log.exception("退出前的检查点未完成")
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
    """The services of ``data_dir`` over the session factory ``sessions``."""
    return Services(data_dir, engine, sessions, migration=migration, lock=lock)


@dataclass
class PreparedFolder:
    """A data folder made ready to open: locked, checked at start, its schema current."""

    data_dir: DataDir
    lock: InstanceLock | None
    migration: MigrationResult
    wal_damage: WalDamage | None
    moved: MovedFolder | None
    # the quick check still running (``prepare_folder(..., alongside=True)``)
    quick: QuickCheck | None = None

    def confirm(self) -> None:
        """Wait for the quick check still running, if any: ``DatabaseDamagedError`` when it
        found the database damaged (``desktop.services.safety.start_check``)."""
        quick, self.quick = self.quick, None
        if quick is not None:
            from desktop.services.safety.start_check import confirm_sound

            confirm_sound(self.data_dir, quick)

    def release(self) -> None:
        """Let go of the folder's lock, once the quick check (its verdict unasked) is over."""
        if self.quick is not None:
            self.quick.wait()  # the error the caller is raising, if any, is the one said
            self.quick = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def prepare_folder(
    root: Path, *, take_lock: bool = True, alongside: bool = False
) -> PreparedFolder:
    """Create (if needed), lock and check the data folder ``root`` and bring its database
    to the current schema — everything opening it does before the ORM is loaded, so a
    command that only reads (``desktop.services.reader``) does the same checks.

    ``alongside``: SQLite's quick check of the file goes on in a thread after this returns
    (when the schema is current; before a migration it is awaited), and the caller calls
    ``confirm`` on the result before it writes or shows anything read from the database.

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
    quick = None
    try:
        from desktop.db.migrate import (
            HEAD_REVISION,
            MigrationResult,
            current_revision,
            ensure_schema,
        )
        from desktop.services.safety.start_check import QuickCheck, check_at_start, confirm_sound
        from desktop.services.safety.wal_check import check_wal_at_start

        moved = _move_from_roaming_profile(root)
        setup_logging(data_dir.log_file)
        if moved is not None:
            log.info("数据文件夹已从 %s 移到本机 %s", moved.source, moved.target)
        _sweep_unfinished_files()
        # before anything opens the database: SQLite would drop what it cannot replay
        wal_damage = check_wal_at_start(data_dir)
        quick = QuickCheck(data_dir) if alongside else None
        # read-only: a damaged database is never migrated or written
        check_at_start(data_dir, quick)
        before = current_revision(data_dir.db_path) if quick is not None else None
        if quick is not None and before == HEAD_REVISION:
            migration = MigrationResult(before, before, None)
            return PreparedFolder(data_dir, lock, migration, wal_damage, moved, quick)
        if quick is not None:
            confirm_sound(data_dir, quick)  # the verdict before the schema is brought up to date
            quick = None
        migration = ensure_schema(data_dir.db_path, data_dir.backups)
        if migration.before != migration.after:
            log.info("数据库从 %s 升级到 %s", migration.before, migration.after)
        return PreparedFolder(data_dir, lock, migration, wal_damage, moved)
    except BaseException as err:
        try:
            if quick is not None:
                _said_first(data_dir, quick, err)
        finally:
            if lock is not None:
                lock.release()
        raise


def _said_first(data_dir: DataDir, quick: QuickCheck, err: BaseException) -> None:
    """What the quick check found, raised instead of ``err`` when opening went wrong while
    it ran: checked one after the other, a damaged file is said before anything else."""
    from desktop.services.safety.start_check import DatabaseDamagedError, confirm_sound

    if isinstance(err, DatabaseDamagedError):  # its verdict has been awaited when it mattered
        quick.wait()
    else:
        confirm_sound(data_dir, quick)


def open_office(root: Path, *, take_lock: bool = True) -> Services:
    """Open (creating if needed) the data folder ``root`` and return its services.

    Raises ``InstanceLockedError`` when another program holds the folder, and
    ``DatabaseError`` for a damaged database or one written by a newer program; in both
    cases nothing in the folder has been written.
    """
    return open_prepared(prepare_folder(root, take_lock=take_lock))


def open_prepared(folder: PreparedFolder) -> Services:
    """The services over a folder ``prepare_folder`` made ready (its lock passes to them)."""
    try:
        from desktop.db.engine import make_engine, make_session_factory

        data_dir = folder.data_dir
        engine = make_engine(data_dir.db_path)
        sessions = make_session_factory(engine)
        services = build_services(
            data_dir, engine, sessions, migration=folder.migration, lock=folder.lock
        )
        services.moved = folder.moved
        services.wal_damage = folder.wal_damage
        # the audit log seals every commit (row states, the signed head): its hook is set when
        # the module is first imported, which must be before the first write
        import desktop.services.audit.log  # noqa: F401

        if data_dir.carried_key_file.exists():
            # first, before anything writes (which would make a new key): a restored backup
            # from before offices had keys goes on with the office's own
            from desktop.services.office.keys import adopt_carried_key

            adopt_carried_key(sessions, data_dir)
        if not _has_builtin_notice(sessions):  # a new database (the parser loads only then)
            from desktop.services.notices.service import BUILTIN_NOTICE_FILE

            services.notices.ensure_builtin(resource_path("notices", BUILTIN_NOTICE_FILE))
        if not _rows_baseline_recorded(sessions):
            # rows of a database from an earlier version get their audited state, once
            from desktop.services.audit.integrity import record_baseline

            record_baseline(sessions)
        return services
    except BaseException:
        folder.release()
        raise


def _sweep_unfinished_files() -> None:
    """Temporary report files a killed program left beside their targets
    (``desktop.core.temp_files``); a failure here never stops a start."""
    try:
        temp_files.sweep()
    except Exception:  # housekeeping: logged, never in the user's way
        log.exception("清理遗留临时文件时出错")


def _move_from_roaming_profile(root: Path) -> MovedFolder | None:
    """The per-user data folder, on its first use, takes over the first version's folder in
    the Windows roaming profile (``desktop.services.safety.data_home``)."""
    # a folder of another name is not the per-user one: known without asking platformdirs
    # (a module a command given its folder need not load); case aside, as ``Path``
    # compares on Windows
    if root.name.lower() != APP_FOLDER.lower() or root != default_data_dir():
        return None
    old = roaming_data_dir()
    if old is None:
        return None
    from desktop.services.safety.data_home import move_data_folder, move_needed

    if not move_needed(root, old):
        return None
    return move_data_folder(old, root)


def _rows_baseline_recorded(sessions: sessionmaker[Session]) -> bool:
    from desktop.db.models import Setting
    from desktop.services.audit.log import ROWS_BASELINE_KEY

    with sessions() as session:
        return session.get(Setting, ROWS_BASELINE_KEY) is not None


def _has_builtin_notice(sessions: sessionmaker[Session]) -> bool:
    from sqlalchemy import select

    from desktop.db.models import Notice

    with sessions() as session:
        return session.execute(select(Notice.id).where(Notice.builtin).limit(1)).first() is not None
