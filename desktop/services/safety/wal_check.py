"""A damaged write-ahead log found at start: kept aside, said, and the newest backup offered.

``desktop.db.wal`` reads the log before anything opens the database. When SQLite would drop
committed changes (a frame past a bad checksum that ends a transaction, a log cut short),
the database and its log are copied as they are into ``backups/`` (``损坏-….sqlite3`` and
``…-wal``, evidence for a technician) and the start goes on: the database file itself is
whole, and SQLite takes what it can. The user is told what was lost and which backup is
the newest good one; the GUI offers to restore it, the command line says how.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.db.wal import inspect_wal
from desktop.errors import DatabaseError
from desktop.paths import DataDir

if TYPE_CHECKING:  # the backup code is loaded when a damaged log is found
    from desktop.services.safety.backup_files import BackupContents

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WalDamage:
    """What the start found wrong with the log, where it was kept, what can be restored."""

    problem: str
    kept: Path | None
    backup: BackupContents | None

    def message(self) -> str:
        """What happened, what was kept, which backup there is: one Chinese paragraph."""
        kept = (
            f"损坏时的数据库和日志已原样留存为 {self.kept.name}（及同名的 -wal 文件）。"
            if self.kept
            else ""
        )
        if self.backup is not None:
            info = self.backup.info
            offer = f"最近一份完好的备份是 {info.path.name}（{info.kind_label}，{info.when_text}）"
            offer += "，可以从它恢复。"
        else:
            offer = "备份文件夹中没有完好的备份。"
        return (
            f"上次关闭前的部分修改可能已经丢失：{self.problem}。"
            f"数据库本身完好，可以继续使用。{kept}{offer}"
        )

    def console_hint(self, data_dir: DataDir) -> str:
        """The command that restores the offered backup (empty when there is none)."""
        if self.backup is None:
            return ""
        return f'如需从备份恢复：policy-ledger --data-dir "{data_dir.root}" db restore --latest'


def check_wal_at_start(data_dir: DataDir) -> WalDamage | None:
    """Look at the log before the database is opened; None when it is sound or absent."""
    db = data_dir.db_path
    try:
        state = inspect_wal(db)
    except OSError as err:
        log.warning("无法读取数据库日志文件：%s", err)
        return None
    problem = state.problem() if state is not None else None
    if problem is None:
        return None
    log.error("数据库日志文件损坏：%s（%s）", problem, state)
    from desktop.services.clock import now
    from desktop.services.safety.backup_files import DAMAGED, new_backup_path
    from desktop.services.safety.backups import RestoreService
    from desktop.services.safety.restore import keep_raw

    aside = new_backup_path(data_dir.backups, DAMAGED, now().replace(tzinfo=None))
    kept: Path | None = aside
    try:
        keep_raw(db, aside)
    except DatabaseError as err:  # said in the log; the start goes on all the same
        log.error("损坏的日志无法留存：%s", err)
        kept = None
    return WalDamage(problem, kept, RestoreService(data_dir).newest_good())
