"""Moving the data folder out of the Windows roaming profile, once, on the first start.

The first version kept the data in ``%APPDATA%\\PolicyLedger`` (the roaming profile). With
forty backups of a 20–50 MB database that is gigabytes copied to and from the server at
every log-on, quota failures, and two computers overwriting each other's database. The
data now lives in ``%LOCALAPPDATA%\\PolicyLedger``; when that folder has no database yet and
the roaming one has, the roaming folder is moved there:

1. the roaming folder's lock is taken (an older version still running there says so);
2. its database is backed up (``迁移前-…``, verified) into its own backups;
3. everything but the database moves into the new folder (a rename on the same disk);
4. the database is copied with the backup API and verified, then removed from the old
   folder, which keeps only a note saying where the data went.

Every step can be interrupted: until step 4 has finished the new folder has no database,
so the next start simply does the move again.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.core.env_errors import environment_error
from desktop.core.file_retry import remove_file, retry_if_held
from desktop.db.backup import backup_database
from desktop.errors import DatabaseError, UserError
from desktop.instance_lock import InstanceLock
from desktop.paths import DB_FILE, DataDir
from desktop.services.clock import now
from desktop.services.safety.backup_files import new_backup_path

log = logging.getLogger(__name__)

BEFORE_MOVE = "迁移前"
MOVED_NOTE = "数据已移到本机.txt"
_STAY = {DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", f"{DB_FILE}-journal", "instance.lock"}


@dataclass(frozen=True)
class MovedFolder:
    source: Path
    target: Path
    backup: Path  # the 迁移前 backup, now in the target's backups folder


def move_needed(target: Path, old: Path | None) -> bool:
    return (
        old is not None
        and old != target
        and DataDir(old).db_path.is_file()
        and not DataDir(target).db_path.exists()
    )


def move_data_folder(old: Path, target: Path, *, when: datetime | None = None) -> MovedFolder:
    """Move the data folder ``old`` into ``target`` (see the module's description).

    The caller holds ``target``'s lock. Raises ``UserError`` with what to do when the move
    cannot be made; the old folder then still holds the database.
    """
    source = DataDir(old)
    stamp = (when or now()).replace(tzinfo=None)
    with InstanceLock(source.lock_file):
        try:
            backup = backup_database(
                source.db_path, new_backup_path(source.backups, BEFORE_MOVE, stamp)
            )
            target.mkdir(parents=True, exist_ok=True)
            for entry in sorted(old.iterdir()):
                if entry.name not in _STAY:
                    _move_into(entry, target / entry.name)
            backup_database(source.db_path, DataDir(target).db_path)
        except (OSError, DatabaseError) as err:
            problem = environment_error(err)
            reason = str(problem) if problem is not None else str(err)
            raise UserError(
                f"无法把数据文件夹从 {old} 移到 {target}：{reason}",
                hint="原来的数据文件夹没有删除，数据都还在。请腾出磁盘空间或关闭占用文件的程序"
                "后重新打开清单台账；也可以用 --data-dir 指定数据文件夹。",
            ) from err
        for name in _STAY - {"instance.lock"}:
            try:
                remove_file(old / name)
            except OSError as err:  # the data is safe in the new folder: say it in the log
                log.warning("旧数据文件夹中的 %s 未能删除：%s", name, err)
    _leave_note(old, target)
    log.info("数据文件夹已从 %s 移到 %s（迁移前备份：%s）", old, target, backup.name)
    return MovedFolder(old, target, DataDir(target).backups / backup.name)


def _move_into(source: Path, target: Path) -> None:
    """Move a file or folder to ``target``, merging into a folder already there.

    A file already at ``target`` came there in an earlier, interrupted attempt of the same
    move and is kept; the source's copy of it goes."""
    if source.is_dir():
        target.mkdir(exist_ok=True)
        for child in sorted(source.iterdir()):
            _move_into(child, target / child.name)
        retry_if_held(source.rmdir)
        return
    if target.exists():
        remove_file(source)
        return
    retry_if_held(lambda: shutil.move(source, target))


def _leave_note(old: Path, target: Path) -> None:
    try:
        remove_file(old / "instance.lock")
        (old / MOVED_NOTE).write_text(
            f"清单台账的数据已移到本机的文件夹：\r\n{target}\r\n\r\n"
            "这个文件夹（漫游配置文件中）不再使用，可以删除。\r\n",
            encoding="utf-8-sig",  # Notepad on older Windows reads UTF-8 only with the BOM
        )
    except OSError as err:
        log.warning("未能在旧数据文件夹中留下说明：%s", err)
