"""``demo [--locality NAME] [--level L] [--parent NAME] [--code CODE] [--year Y] [--tasks N]``:
a realistic example office."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.commands import opened
from desktop.core.worklist import LEVELS


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="在数据文件夹中生成示例单位及其年度清单")
    p.add_argument("--locality", default="示例县", help="示例县（区、市）名称，默认 示例县")
    p.add_argument(
        "--level", choices=LEVELS, default=None, help="层级；浙江省内的地名按其层级，否则县级"
    )
    p.add_argument("--parent", default=None, help="上级名称；默认按地名，否则 示例市")
    p.add_argument("--code", default=None, help="行政区划代码（6 位）")
    p.add_argument("--year", type=int, default=2027)
    p.add_argument("--tasks", type=int, default=None, help="任务数量（用于性能测试）")
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from desktop.services.demo.office import run_demo

    with opened(args) as services:
        result = run_demo(
            services,
            locality=args.locality,
            year=args.year,
            tasks=args.tasks,
            level=args.level,
            parent=args.parent,
            code=args.code,
        )
    print(f"已生成示例：{result.locality} {result.year} 年清单，{result.tasks} 项任务")
    return 0
