"""``selftest``: a temporary database, every migration, a small ledger PDF; 0 only if all passed."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("selftest", help="自检：临时数据库、全部迁移、生成小台账 PDF")
    p.set_defaults(handler=_selftest)


def _selftest(args: argparse.Namespace) -> int:
    from desktop.services.selftest import run_selftest

    ok = run_selftest(lambda line: print(line, file=sys.stderr))
    if not ok:
        print("自检未通过。", file=sys.stderr)
        return 1
    print("自检通过。")
    return 0
