"""Putting a backup back: the current database is kept first, then replaced in one step.

``restore_files`` is the one place that replaces an office's database; the backup service
(restoring while the program runs) and ``restore_data_folder`` (a damaged start, the
command line) both come here with the folder's lock held and no connection open.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.core.file_retry import retry_if_held
from desktop.db.backup import backup_database, read_office_key, restore_database
from desktop.errors import DatabaseError
from desktop.paths import DataDir
from desktop.services.safety.backup_files import (
    BEFORE_RESTORE,
    DAMAGED,
    BackupContents,
    new_backup_path,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    safety_backup: Path | None  # the database as it was before, kept as 恢复前-…
    damaged_copy: Path | None  # when the database was too damaged to back up normally
    contents: BackupContents


def restore_files(
    data_dir: DataDir, source: Path, contents: BackupContents, when: datetime
) -> RestoreResult:
    """Keep the current database as 恢复前-… (or, if damaged, its bytes as 损坏-…), then
    make it a copy of the verified backup ``source``."""
    db = data_dir.db_path
    if db.exists() and source.resolve() == db.resolve():
        raise DatabaseError("选中的就是当前数据库本身，无需恢复。")
    safety: Path | None = None
    damaged: Path | None = None
    if db.exists() and db.stat().st_size > 0:
        try:
            safety = backup_database(db, new_backup_path(data_dir.backups, BEFORE_RESTORE, when))
        except DatabaseError as err:
            # a damaged database cannot go through the backup API: keep its bytes instead
            log.warning("恢复前备份失败（%s），改为原样留存当前文件", err)
            damaged = new_backup_path(data_dir.backups, DAMAGED, when)
    aside = damaged or new_backup_path(data_dir.backups, DAMAGED, when)
    if damaged is not None:
        keep_raw(db, damaged)
    current_key = read_office_key(db) if db.exists() else None
    replaced = restore_database(source, db, aside=aside)
    if current_key is not None and read_office_key(db) is None:
        from desktop.services.office.keys import carry_key

        # a backup from before the office had its key: the office goes on signing with the key
        # its paper ledgers carry (the program adopts it at its next start)
        carry_key(data_dir, current_key)
    if replaced and damaged is None and aside.exists():
        damaged = aside
    log.info("已从备份恢复：%s（恢复前的数据库：%s）", source, safety or damaged)
    return RestoreResult(source, safety, damaged, contents)


def keep_raw(db: Path, aside: Path) -> None:
    """The database file and its log copied byte for byte (a damaged file cannot go
    through the backup API), as ``aside`` and ``aside``-wal."""
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        retry_if_held(lambda: shutil.copy2(db, aside))
        wal = db.with_name(db.name + "-wal")
        if wal.exists():
            retry_if_held(lambda: shutil.copy2(wal, aside.with_name(aside.name + "-wal")))
    except OSError as err:
        raise DatabaseError(
            f"无法留存当前的数据库文件：{err.strerror or err}，恢复没有进行。",
            hint="请确认备份文件夹可写、磁盘有空间。",
        ) from err
