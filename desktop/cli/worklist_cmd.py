"""``worklist list`` / ``worklist show`` / ``worklist export-xlsx`` / ``worklist export-csv``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli import print_json
from desktop.cli.commands import add_as_of, opened, output_file


def register(sub: Any) -> None:
    wl = sub.add_parser("worklist", help="年度重点工作清单")
    wsub = wl.add_subparsers(dest="worklist_command", metavar="ACTION", required=True)
    ls = wsub.add_parser("list", help="本级清单和下级上报的清单")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--all-versions", action="store_true", help="也列出旧版本")
    ls.set_defaults(handler=_list)
    sh = wsub.add_parser("show", help="一份清单及各项任务的状态和完成百分比")
    sh.add_argument("--year", type=int, required=True)
    sh.add_argument("--locality", default=None, help="下级地区名称（查看其上报的清单）")
    sh.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    add_as_of(sh)
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(handler=_show)
    x = wsub.add_parser("export-xlsx", help="把本级某年清单导出为 Excel")
    x.add_argument("--year", type=int, required=True)
    x.add_argument("--out", required=True)
    x.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    add_as_of(x)
    x.set_defaults(handler=_export_xlsx)
    c = wsub.add_parser("export-csv", help="把本级某年清单导出为 CSV（UTF-8）")
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--notice", default=None)
    add_as_of(c)
    c.set_defaults(handler=_export_csv)


def _list(args: argparse.Namespace) -> int:
    with opened(args) as services:
        lists = services.worklists.lists(current_only=not args.all_versions)
    if args.json:
        print_json(
            [
                {
                    "locality": s.locality,
                    "year": s.year,
                    "notice": s.doc_number,
                    "tasks": s.tasks,
                    "version": s.version,
                    "own": s.own,
                    "state": s.state,
                    "current": s.is_current,
                    "level": s.level,
                    "parent": s.parent,
                    "code": s.code,
                    # the locality whose combined package brought the list; null for the
                    # office's own and for lists sent directly by the level below
                    "via": s.via or None,
                }
                for s in lists
            ]
        )
    else:
        for s in lists:
            where = "" if s.own else f"（经{s.via}报来）" if s.via else "（下级上报）"
            print(f"{s.display}：{s.tasks} 项任务{where}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from desktop.core.vocabulary import percent_text, status_word

    with opened(args) as services:
        found = services.list_show.find(args.year, args.locality, args.notice)
        shown = services.list_show.show(found.id)
    if args.json:
        print_json(shown.as_json())
        return 0
    print(f"{shown.locality} {shown.year}年 {shown.notice} 第{shown.version}版，截至 {shown.as_of}")
    for t in shown.tasks:
        note = (
            "" if t.reported_in_current_period or t.status in (None, "done") else "（本期未填报）"
        )
        print(f"{t.code}\t{status_word(t.status)}{note}\t{percent_text(t.percent)}\t{t.content}")
    return 0


def _export_xlsx(args: argparse.Namespace) -> int:
    with opened(args) as services:
        wl = services.worklists.find_own(args.year, args.notice)
        cut = services.ledgers.write_xlsx(wl.id, output_file(args.out, "清单.xlsx"))
    print(f"已导出 {args.out}")
    if cut:
        from desktop.core.reports.xlsx_writer import cut_cells_note

        print(f"注意：{cut_cells_note(cut)}", file=sys.stderr)
    return 0


def _export_csv(args: argparse.Namespace) -> int:
    with opened(args) as services:
        wl = services.worklists.find_own(args.year, args.notice)
        services.ledgers.write_csv(wl.id, output_file(args.out, "清单.csv"))
    print(f"已导出 {args.out}")
    return 0
