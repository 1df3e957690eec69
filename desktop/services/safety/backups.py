"""Backups of the office database: automatic, before imports, manual; listing, peeking, restoring.

- **Automatic**: on every exit, and at start when the newest automatic backup is more than
  a day old; kept on a rolling 7 daily + 4 weekly + 12 monthly schedule
  (``desktop.core.retention``).
- **Before an action**: ``backup_before("导入")`` — notice imports call it through
  ``desktop.services.notices.with_backup``; the newest twenty such backups are kept.
- **Manual**: 立即备份 into the backups folder (never pruned), or a copy to a folder the user
  chooses (a USB stick).
- **Restore** (``RestoreService``): a backup from the folder or any file; what it holds can
  be read first (``peek``); the current database is backed up before it is replaced, and the
  restore itself is one transaction of the live file (``desktop.db.backup.restore_database``).

Every backup goes through the SQLite backup API and is verified before it gets its name.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.file_retry import remove_file
from desktop.core.retention import AUTOMATIC as AUTOMATIC_POLICY
from desktop.core.retention import BEFORE_ACTION, RetentionPolicy, to_delete
from desktop.db.backup import (
    DatabaseSummary,
    backup_database,
    peek_database,
    verify_database_file,
)
from desktop.db.integrity import altered_schema
from desktop.db.migrate import HEAD_REVISION, known_revisions
from desktop.errors import DatabaseError, clip
from desktop.instance_lock import InstanceLock
from desktop.logs import setup_logging
from desktop.paths import DataDir
from desktop.services.clock import now
from desktop.services.safety.backup_files import (
    AUTOMATIC,
    DAMAGED,
    MANUAL,
    UPGRADE,
    BackupContents,
    BackupInfo,
    describe,
    format_size,
    kind_for_reason,
    list_folder,
    new_backup_path,
)
from desktop.services.safety.restore import RestoreResult, restore_files
from desktop.services.safety.start_check import DatabaseDamagedError, check_at_start

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "BackupContents",
    "BackupInfo",
    "BackupService",
    "DatabaseDamagedError",
    "DatabaseSummary",
    "RestoreResult",
    "RestoreService",
    "check_at_start",
    "format_size",
    "restore_data_folder",
]

log = logging.getLogger(__name__)

AUTOMATIC_EVERY = timedelta(days=1)
KEEP_DAMAGED = 3
_STALE_PART = 3600  # seconds: an unfinished copy this old was left by a crash


class BackupService:
    """Taking, listing and reading the backups of one data folder."""

    def __init__(self, data_dir: DataDir, *, clock: Callable[[], datetime] = now) -> None:
        self._data_dir = data_dir
        self._clock = clock
        # old backups the last prune could not delete (held by a virus scanner or a sync
        # program): said on the backup page, tried again at the next prune
        self.prune_problem: str | None = None

    def _now(self) -> datetime:
        return self._clock().replace(tzinfo=None)  # file names carry local wall-clock time

    # listing and reading -------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self._data_dir.backups

    def list_backups(self) -> list[BackupInfo]:
        """The backups in the data folder's backups folder, newest first."""
        return [b for b in list_folder(self.folder) if b.restorable_kind]

    def describe(self, path: Path) -> BackupInfo:
        try:
            return describe(path)
        except OSError as err:
            raise DatabaseError(f"无法读取备份文件 {path}：{err.strerror or err}。") from err

    def peek(self, path: Path) -> BackupContents:
        """What the backup at ``path`` holds and whether it can be restored (read-only)."""
        info = self.describe(path)
        problem = verify_database_file(path)
        if problem is not None:
            return BackupContents(info, None, f"这份备份不能使用：{problem}。")
        try:
            summary = peek_database(path)
        except DatabaseError as err:
            return BackupContents(info, None, str(err))
        if summary.revision is not None and summary.revision not in known_revisions():
            return BackupContents(
                info,
                summary,
                f"这份备份由更新版本的清单台账创建（数据库版本 {clip(summary.revision)}，"
                f"本程序只认识到 {HEAD_REVISION}），请先安装新版本再恢复。",
            )
        if summary.revision is None:
            return BackupContents(
                info,
                summary,
                "这份备份中没有数据库版本记录，不是本程序写出的完整数据库，不能用来恢复。",
            )
        altered = altered_schema(path)
        if altered is not None:
            return BackupContents(
                info,
                summary,
                f"这份备份的数据库结构被改动过（{altered}），不是本程序写出的数据库，不能用来恢复。",
            )
        return BackupContents(info, summary, None)

    def newest_automatic(self) -> BackupInfo | None:
        return next((b for b in self.list_backups() if b.kind == AUTOMATIC), None)

    def automatic_due(self) -> bool:
        """True when no automatic backup is younger than a day."""
        newest = self.newest_automatic()
        return newest is None or self._now() - newest.taken_at >= AUTOMATIC_EVERY

    # taking backups ------------------------------------------------------------------

    def _take(self, kind: str, folder: Path | None = None) -> BackupInfo:
        if not self._data_dir.db_path.exists():
            raise DatabaseError("还没有数据库，无需备份。")
        target = new_backup_path(folder or self.folder, kind, self._now())
        backup_database(self._data_dir.db_path, target)
        log.info("已备份数据库：%s", target)
        return describe(target)

    def backup_automatic(self) -> BackupInfo:
        """An automatic backup (on exit, or the daily one), then the rolling prune."""
        info = self._take(AUTOMATIC)
        self.prune()
        return info

    def backup_if_due(self) -> BackupInfo | None:
        """The daily backup at start: only when the newest automatic one is a day old."""
        return self.backup_automatic() if self.automatic_due() else None

    def backup_before(self, reason: str) -> BackupInfo:
        """A backup before a risky action (``reason`` like "导入"); raises if it fails."""
        info = self._take(kind_for_reason(reason))
        log.info("操作前备份（%s）：%s", reason, info.path.name)
        self.prune()
        return info

    def backup_now(self) -> BackupInfo:
        """立即备份: a manual backup in the backups folder, never pruned."""
        return self._take(MANUAL)

    def suggested_backup_name(self, folder: Path | None = None) -> str:
        """清单台账备份-20260115-173000.sqlite3, to the second; ``-2``, ``-3`` … after the
        time when ``folder`` already holds that name."""
        if folder is None:
            return f"清单台账备份-{self._now():%Y%m%d-%H%M%S}.sqlite3"
        return new_backup_path(folder, "清单台账备份", self._now()).name

    def backup_to(self, target: Path, *, replace: bool = False) -> BackupInfo:
        """A copy for a USB stick: ``target`` is a file name or a folder to put one in.

        An existing file is replaced only with ``replace`` (the save dialog has asked);
        otherwise it is refused, as is any place in the live data folder but ``backups``
        (the database, its ``-wal`` and ``-shm``, the lock, the logs)."""
        if target.is_dir():
            target = target / self.suggested_backup_name(target)
        self._refuse_live_folder(target)
        if not replace and (target.exists() or target.is_symlink()):
            raise DatabaseError(
                f"“{clip(target.name)}”已存在，备份不会覆盖已有的文件。",
                hint="请换一个文件名，或只给出文件夹（备份会以当时的时间命名）。",
            )
        backup_database(self._data_dir.db_path, target, replace=replace)
        log.info("已备份数据库到：%s", target)
        return describe(target)

    def _refuse_live_folder(self, target: Path) -> None:
        root = self._data_dir.root.resolve()
        where = target.resolve()
        if where == root or root not in where.parents:
            return
        if self._data_dir.backups.resolve() in where.parents:
            return
        raise DatabaseError(
            f"不能把备份写到数据文件夹中（{clip(target.name)}）：那里是正在使用的数据库及其附属文件。",
            hint=f"请另选位置，或写到其中的备份文件夹 {self._data_dir.backups}。",
        )

    def prune(self) -> list[Path]:
        """Delete what the retention rules let go; returns the deleted files.

        Never raises for a file it cannot delete: the backup just taken is good, and an
        old one left for now is deleted by the next prune (``prune_problem`` says so).
        """
        by_kind: dict[str, list[BackupInfo]] = {}
        for info in list_folder(self.folder):
            by_kind.setdefault(info.kind, []).append(info)
        deleted: list[Path] = []
        held: list[Path] = []
        for kind, infos in by_kind.items():
            policy: RetentionPolicy | None
            if kind == AUTOMATIC:
                policy = AUTOMATIC_POLICY
            elif kind == DAMAGED:
                policy = RetentionPolicy(last=KEEP_DAMAGED, daily=0, weekly=0, monthly=0)
            elif kind.endswith("前") and kind != UPGRADE:
                policy = BEFORE_ACTION
            else:
                policy = None  # manual and pre-upgrade backups are the user's to delete
            if policy is None:
                continue
            for i in to_delete([b.taken_at for b in infos], policy):
                path = infos[i].path
                try:
                    remove_file(path)
                except OSError as err:
                    log.warning("旧备份暂时无法删除：%s（%s）", path, err)
                    held.append(path)
                    continue
                deleted.append(path)
        cutoff = time.time() - _STALE_PART
        for part in self.folder.glob("*.part"):
            try:
                if part.stat().st_mtime < cutoff:
                    part.unlink()
                    deleted.append(part)
            except OSError:
                continue  # finished or removed by a backup still running: not stale
        if deleted:
            log.info("按保留规则删除旧备份 %d 份", len(deleted))
        self.prune_problem = _prune_problem(held)
        return deleted


class RestoreService:
    """Putting a backup back (恢复), at once or when the window has closed; ``engine`` (if
    any) is closed first."""

    def __init__(
        self,
        data_dir: DataDir,
        engine: Engine | None = None,
        *,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self._data_dir = data_dir
        self._engine = engine
        self._clock = clock
        self._backups = BackupService(data_dir, clock=clock)
        self._scheduled: Path | None = None

    def _now(self) -> datetime:
        return self._clock().replace(tzinfo=None)

    def newest_good(self, *, limit: int = 30) -> BackupContents | None:
        """The newest backup in the folder that passes verification, if any."""
        for info in self._backups.list_backups()[:limit]:
            contents = self._backups.peek(info.path)
            if contents.restorable:
                return contents
        return None

    def restore(self, source: Path) -> RestoreResult:
        """Replace the database with the backup ``source``; the current one is kept first.

        Closes the engine's connections first; the services reconnect by themselves, but
        the caller must reopen the data folder (``open_office``) so a backup of an older
        revision is upgraded and the screens show the restored data.
        """
        contents = self._backups.peek(source)
        if contents.problem is not None:
            raise DatabaseError(contents.problem)
        if self._engine is not None:
            self._engine.dispose()
        return restore_files(self._data_dir, source, contents, self._now())

    def schedule_restore(self, source: Path) -> BackupContents:
        """Remember a restore to run when the window has closed (see ``desktop.app``)."""
        contents = self._backups.peek(source)
        if contents.problem is not None:
            raise DatabaseError(contents.problem)
        self._scheduled = source
        return contents

    def cancel_scheduled_restore(self) -> None:
        self._scheduled = None

    def take_scheduled_restore(self) -> Path | None:
        source, self._scheduled = self._scheduled, None
        return source


def _prune_problem(held: list[Path]) -> str | None:
    if not held:
        return None
    names = "、".join(p.name for p in held[:3]) + ("等" if len(held) > 3 else "")
    return (
        f"有 {len(held)} 份按保留规则应删除的旧备份暂时无法删除（{names}），"
        "可能正被杀毒软件或同步软件占用；备份本身已完成，下次备份时会再删除。"
    )


def restore_data_folder(root: Path, source: Path) -> RestoreResult:
    """Restore the data folder ``root`` from ``source`` when it is not open (damaged start, CLI).

    Takes the folder's lock for the duration, so a running program is never overwritten.
    """
    data_dir = DataDir(root)
    service = BackupService(data_dir)
    contents = service.peek(source)
    if contents.problem is not None:
        raise DatabaseError(contents.problem)
    data_dir.create()
    setup_logging(data_dir.log_file)
    with InstanceLock(data_dir.lock_file):
        return restore_files(data_dir, source, contents, service._now())
