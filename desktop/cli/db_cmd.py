"""``db backup`` / ``db check`` / ``db backups`` / ``db restore``: the database's safety."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import data_root, print_json
from desktop.errors import DatabaseError, UserError


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="数据库维护：备份、检查、恢复")
    dsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    b = dsub.add_parser("backup", help="把数据库完整备份到一个文件（或一个文件夹中）")
    b.add_argument("--out", required=True, help="备份文件名，或要放备份的文件夹（如U盘）")
    b.set_defaults(handler=_backup)
    c = dsub.add_parser("check", help="检查数据库完整性和审计记录链")
    c.set_defaults(handler=_check)
    ls = dsub.add_parser("backups", help="列出数据文件夹中的备份（时间、类型、大小、内容）")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=_list)
    r = dsub.add_parser("restore", help="从备份恢复数据库（当前数据库先留存为“恢复前”备份）")
    source = r.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="source", help="备份文件；也可以只写备份文件夹中的文件名")
    source.add_argument("--latest", action="store_true", help="用备份文件夹中最新的完好备份")
    r.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    from desktop.cli.commands import opened
    from desktop.locations import absolute

    out = absolute(args.out)
    if args.out.endswith(("/", "\\")):  # a folder to put the copy in (usb/), made if missing
        out.mkdir(parents=True, exist_ok=True)
    with opened(args) as services:
        info = services.backups.backup_to(out)
    print(f"已备份到 {info.path}（{info.size_text}）")
    return 0


def _check(args: argparse.Namespace) -> int:
    from desktop.instance_lock import InstanceLock
    from desktop.paths import DataDir
    from desktop.services.safety.maintenance import MaintenanceService
    from desktop.services.safety.wal_check import check_wal_at_start

    data_dir = DataDir(data_root(args))
    if not data_dir.db_path.exists():
        raise UserError(f"数据文件夹中没有数据库：{data_dir.db_path}")
    with InstanceLock(data_dir.lock_file):
        # before the check opens the database: SQLite would drop what it cannot replay
        damage = check_wal_at_start(data_dir)
        problems = MaintenanceService(data_dir).check()
    if damage is not None:
        problems.insert(0, damage.message())
    if problems:
        raise DatabaseError("数据库检查发现问题：" + "；".join(problems))
    print(
        "数据库检查通过：结构完整，外键无悬空，审计记录链完好且有本单位签名，数据与审计记录一致。"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from desktop.paths import DataDir
    from desktop.services.safety.backups import BackupService

    service = BackupService(DataDir(data_root(args)))
    rows = []
    for info in service.list_backups():
        contents = service.peek(info.path)
        rows.append((info, contents))
    if args.json:
        print_json(
            [
                {
                    "file": str(info.path),
                    "kind": info.kind,
                    "taken_at": info.taken_at.isoformat(timespec="seconds"),
                    "size": info.size,
                    "restorable": contents.restorable,
                    "problem": contents.problem,
                    "locality": contents.summary.locality if contents.summary else None,
                    "lists": contents.summary.own_lists if contents.summary else None,
                    "tasks": contents.summary.tasks if contents.summary else None,
                    "last_change_at": contents.summary.last_change_at if contents.summary else None,
                }
                for info, contents in rows
            ]
        )
        return 0
    if not rows:
        print(f"备份文件夹中还没有备份：{service.folder}")
        return 0
    for info, contents in rows:
        state = contents.describe_holdings() if contents.restorable else contents.problem
        print(f"{info.when_text}  {info.kind_label}  {info.size_text}  {info.path.name}")
        print(f"    {state}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from desktop.cli.commands import opened
    from desktop.paths import DataDir
    from desktop.services.safety.backups import RestoreService, restore_data_folder

    data_dir = DataDir(data_root(args))
    service = RestoreService(data_dir)
    if args.latest:
        newest = service.newest_good()
        if newest is None:
            raise UserError(f"备份文件夹中没有完好的备份：{data_dir.backups}")
        source = newest.info.path
    else:
        source = Path(args.source).expanduser()
        if not source.exists() and (data_dir.backups / args.source).exists():
            source = data_dir.backups / args.source
        if not source.is_file():
            raise UserError(f"找不到备份文件：{source}")
        from desktop.locations import absolute

        source = absolute(source)
    result = restore_data_folder(data_dir.root, source)
    # open once: a backup from an older version is upgraded now, and the result is checked
    with opened(args):
        pass
    kept = result.safety_backup or result.damaged_copy
    print(f"已从 {source} 恢复：{result.contents.describe_holdings()}。")
    if kept is not None:
        print(f"恢复前的数据库已留存为 {kept}。")
    return 0
