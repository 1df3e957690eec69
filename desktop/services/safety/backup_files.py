"""The backups folder: how backups are named, listed and described, and what one holds.

A backup's name says what it is and when it was taken, so the folder reads well in the
file manager too and no index file can get out of step with it:

    自动-20260115-173000.sqlite3          automatic (on exit, daily)
    导入前-20260115-173000.sqlite3        before an import (notice or package)
    升级前-0001-20260115-173000.sqlite3   before a schema upgrade (revision 0001)
    恢复前-20260115-173000.sqlite3        the database as it was before a restore
    手动-20260115-173000.sqlite3          taken with 立即备份
    损坏-20260115-173000.sqlite3          a damaged database kept aside by a restore

Two backups in the same second get ``-2``, ``-3`` … after the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.db.backup import DatabaseSummary

AUTOMATIC = "自动"
MANUAL = "手动"
UPGRADE = "升级前"
BEFORE_RESTORE = "恢复前"
BEFORE_IMPORT = "导入前"
DAMAGED = "损坏"
OTHER = "其他"
SUFFIX = ".sqlite3"

_NAME = re.compile(
    r"^(?P<kind>[^-\s]+?)-(?:(?P<rev>\d{4})-)?(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.sqlite3$"
)
_STAMP = "%Y%m%d-%H%M%S"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\s.-]')


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, which kind, when, how big."""

    path: Path
    kind: str
    taken_at: datetime
    size: int
    revision: str | None = None

    @property
    def kind_label(self) -> str:
        if self.kind == AUTOMATIC:
            return "自动备份"
        if self.kind == MANUAL:
            return "手动备份"
        if self.kind == UPGRADE:
            return f"升级前备份（版本 {self.revision}）" if self.revision else "升级前备份"
        if self.kind == DAMAGED:
            return "损坏的数据库（留存）"
        if self.kind == OTHER:
            return "备份文件"
        return f"{self.kind}备份"

    @property
    def when_text(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def size_text(self) -> str:
        return format_size(self.size)

    @property
    def restorable_kind(self) -> bool:
        """A damaged database kept aside is evidence, not something to restore."""
        return self.kind != DAMAGED


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def kind_for_reason(reason: str) -> str:
    """The file-name kind of a backup taken before ``reason`` ("导入" → "导入前")."""
    word = _UNSAFE.sub("", reason.strip())[:12] or "操作"
    return word if word.endswith("前") else f"{word}前"


def describe(path: Path) -> BackupInfo:
    """What the name and the file system say about the backup at ``path``."""
    stat = path.stat()
    match = _NAME.match(path.name)
    if match is not None:
        try:
            taken = datetime.strptime(match["stamp"], _STAMP)
        except ValueError:
            taken = datetime.fromtimestamp(stat.st_mtime)
        return BackupInfo(path, match["kind"], taken, stat.st_size, match["rev"])
    return BackupInfo(path, OTHER, datetime.fromtimestamp(stat.st_mtime), stat.st_size)


def list_folder(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first (unfinished ``.part`` files are not backups)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            if path.is_file():
                found.append(describe(path))
        except OSError:
            continue  # removed while listing (pruned by another backup): not there any more
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def new_backup_path(folder: Path, kind: str, when: datetime, revision: str | None = None) -> Path:
    """A free name for a backup of ``kind`` taken at ``when``."""
    middle = f"{revision}-" if revision else ""
    base = f"{kind}-{middle}{when:{_STAMP}}"
    target = folder / f"{base}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{base}-{n}{SUFFIX}"
    return target


@dataclass(frozen=True)
class BackupContents:
    """A backup and what it holds; ``problem`` says why it cannot be restored, if it cannot."""

    info: BackupInfo
    summary: DatabaseSummary | None
    problem: str | None

    @property
    def restorable(self) -> bool:
        return self.problem is None

    def describe_holdings(self) -> str:
        """One Chinese sentence: office, lists, tasks, last change."""
        return "；".join(self.holdings_lines()) if self.summary else self.problem or ""

    def holdings_lines(self) -> list[str]:
        """What the backup holds, a line for the office and its lists, one for the last change."""
        s = self.summary
        if s is None:
            return [self.problem or ""]
        office = f"{s.locality}（{s.level}）" if s.locality else "尚未设置本级"
        years = "、".join(str(y) for y in s.own_years)
        lists = f"本级清单 {s.own_lists} 份" + (f"（{years} 年）" if years else "")
        lower = f"，下级清单 {s.lower_lists} 份" if s.lower_lists else ""
        lines = [f"{office}：{lists}，任务 {s.tasks} 项{lower}"]
        if self.last_change_text:
            lines.append(f"最后修改：{self.last_change_text}")
        return lines

    @property
    def last_change_text(self) -> str:
        """When the newest audit entry was written, and what it says."""
        s = self.summary
        if s is None or not s.last_change_at:
            return ""
        return f"{_when(s.last_change_at)} {s.last_change}".strip()


def _when(at: str) -> str:
    try:
        return f"{datetime.fromisoformat(at):%Y-%m-%d %H:%M}"
    except ValueError:
        return at
