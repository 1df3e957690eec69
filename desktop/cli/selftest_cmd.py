"""``selftest``: the data folder (database, audit chain, backups), then a temporary database,
every migration, a small ledger PDF; 0 only if all passed."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "selftest", help="自检：本单位数据库、审计记录和备份，再试迁移、生成台账 PDF"
    )
    p.set_defaults(handler=_selftest)


def _selftest(args: argparse.Namespace) -> int:
    from desktop.cli import data_root
    from desktop.services.selftest import run_selftest

    ok = run_selftest(lambda line: print(line, file=sys.stderr), data_root(args))
    if not ok:
        print("自检未通过。", file=sys.stderr)
        return 1
    print("自检通过。")
    return 0
