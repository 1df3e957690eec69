"""``notice parse`` / ``notice import`` / ``notice list``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import print_json
from desktop.cli.commands import opened


def register(sub: Any) -> None:
    notice = sub.add_parser("notice", help="上级文件")
    nsub = notice.add_subparsers(dest="notice_command", metavar="ACTION", required=True)
    p = nsub.add_parser("parse", help="解析通知文件（不写数据库）")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_parse)
    i = nsub.add_parser("import", help="解析并保存通知")
    i.add_argument("file")
    i.add_argument("--replace", action="store_true", help="文号已存在时用新文本替换")
    i.set_defaults(handler=_import)
    ls = nsub.add_parser("list", help="数据库中的上级文件")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=_list)


def _parse(args: argparse.Namespace) -> int:
    from desktop.core.notice import parse_notice_file

    parsed = parse_notice_file(Path(args.file))
    data = parsed.to_json_dict()
    if args.json:
        print_json(data)
    else:
        print(f"{data['doc_number']} {data['title']}：{len(data['measures'])} 条")
        for m in parsed.measures:
            lead = "、".join(m.lead_units)
            flag = "（共同负责）" if m.joint else ""
            print(f"  {m.code} {m.title}  牵头：{lead}{flag}")
            for w in m.warnings:
                print(f"    ⚠ {w}")
    return 0


def _import(args: argparse.Namespace) -> int:
    with opened(args) as services:
        summary = services.notices.import_file(Path(args.file), replace=args.replace)
    print(f"已导入 {summary.doc_number}：{summary.measures} 条")
    return 0


def _list(args: argparse.Namespace) -> int:
    with opened(args) as services:
        notices = services.notices.list()
    if args.json:
        print_json(
            [
                {
                    "doc_number": n.doc_number,
                    "title": n.title,
                    "measures": n.measures,
                    "issuer": n.issuer,
                    "issued_on": n.issued_on,
                    "builtin": n.builtin,
                }
                for n in notices
            ]
        )
    else:
        for n in notices:
            print(f"{n.doc_number}  {n.title}  {n.measures} 条")
    return 0
