"""``db backup --out FILE`` / ``db check``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import data_root
from desktop.errors import DatabaseError, UserError


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="数据库维护")
    dsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    b = dsub.add_parser("backup", help="把数据库完整备份到一个文件")
    b.add_argument("--out", required=True)
    b.set_defaults(handler=_backup)
    c = dsub.add_parser("check", help="检查数据库完整性和审计记录链")
    c.set_defaults(handler=_check)


def _backup(args: argparse.Namespace) -> int:
    from desktop.cli.commands import opened
    from desktop.db.backup import backup_database

    out = Path(args.out).expanduser().resolve()
    if out.is_dir():
        raise UserError(f"{out} 是一个文件夹，请给出备份文件的完整文件名。")
    with opened(args) as services:
        backup_database(services.data_dir.db_path, out)
    print(f"已备份到 {out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from desktop.instance_lock import InstanceLock
    from desktop.paths import DataDir
    from desktop.services.maintenance import MaintenanceService

    data_dir = DataDir(data_root(args))
    if not data_dir.db_path.exists():
        raise UserError(f"数据文件夹中没有数据库：{data_dir.db_path}")
    with InstanceLock(data_dir.lock_file):
        problems = MaintenanceService(data_dir).check()
    if problems:
        raise DatabaseError("数据库检查发现问题：" + "；".join(problems))
    print("数据库检查通过：结构完整，外键无悬空，审计记录链完好。")
    return 0
