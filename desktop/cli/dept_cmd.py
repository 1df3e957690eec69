"""``dept export`` / ``dept import``: the workbook a lead unit fills in for a period, out and
back (the same services as the 部门填报 tab)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import print_json
from desktop.cli.commands import opened, output_file
from desktop.errors import NotFoundError


def register(sub: Any) -> None:
    dp = sub.add_parser("dept", help="部门填报表：导出给牵头单位、导入交回的表")
    dsub = dp.add_subparsers(dest="dept_command", metavar="ACTION", required=True)
    ex = dsub.add_parser("export", help="导出一个牵头单位某期的填报表")
    ex.add_argument("--year", type=int, required=True)
    ex.add_argument("--unit", required=True, help="牵头单位名称")
    ex.add_argument("--period", required=True, metavar="KEY", help="填报周期，如 2027-Q2")
    ex.add_argument("--out", required=True, help="填报表文件（.xlsx）")
    ex.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    ex.set_defaults(handler=_export)
    im = dsub.add_parser("import", help="核对（加 --apply 则导入）交回的填报表")
    im.add_argument("file", help="填好的填报表（.xlsx）")
    im.add_argument("--apply", action="store_true", help="核对无误的修改写入进展")
    im.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    im.add_argument("--json", action="store_true")
    im.set_defaults(handler=_import)


def _export(args: argparse.Namespace) -> int:
    out = output_file(args.out, "填报表.xlsx")
    with opened(args) as services:
        wl = services.worklists.find_own(args.year, args.notice)
        books = services.exchange.departments
        period = next((p for p in services.progress.periods(wl.id) if p.key == args.period), None)
        if period is None:
            raise NotFoundError(f"清单中没有填报周期“{args.period}”。")
        units = [u for u, _ in books.units(wl.id)]
        if args.unit not in units:
            raise NotFoundError(
                f"“{args.unit}”没有牵头的任务。", hint=f"牵头单位有：{'、'.join(units)}。"
            )
        written = books.export_one(wl.id, period.id, args.unit, out)
    print(f"已导出 {written.path}（{written.tasks} 项任务）")
    return 0


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with opened(args) as services:
        books = services.exchange.departments
        preview = books.preview_file(path, args.notice)
        applied = books.apply(preview) if args.apply else 0
    if args.json:
        print_json(
            {
                "unit": "、".join(preview.units),
                "period": preview.period_key,
                "changes": [
                    {
                        "code": c.number,
                        "field": f.key,
                        "old": _value(f.key, f.before),
                        "new": _value(f.key, f.after),
                    }
                    for c in preview.changes
                    for f in c.changes
                ],
                "refused": [
                    {"row": r.excel_row, "code": r.number, "reason": r.reason}
                    for r in preview.refused
                ],
                "applied": applied,
            }
        )
        return 0
    print(f"{preview.period_label}：{preview.summary}")
    for r in preview.refused:
        print(f"第 {r.excel_row} 行（{r.number or r.uid}）：{r.reason}")
    if args.apply:
        print(f"已导入 {applied} 项任务的进展")
    return 0


def _value(key: str, text: str) -> object:
    """A changed value as JSON: the percent a number, nothing null, the rest text."""
    if not text:
        return None
    if key == "percent":
        return int(text)
    return text
