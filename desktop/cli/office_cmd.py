"""``office set`` / ``office show``: the office this data folder belongs to."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from desktop.cli import print_json
from desktop.cli.commands import opened
from desktop.core.worklist import LEVELS


def register(sub: Any) -> None:
    office = sub.add_parser("office", help="本级（地区）设置")
    osub = office.add_subparsers(dest="office_command", metavar="ACTION", required=True)
    s = osub.add_parser("set", help="设置本级地区、层级和上级")
    s.add_argument("--locality", required=True, help="本级地区名称，如 某某县")
    s.add_argument("--level", required=True, choices=LEVELS)
    s.add_argument("--parent", default=None, help="上级地区名称，如 某某市")
    s.add_argument("--code", default=None, help="行政区划代码（6 位数字，如 330502）")
    s.add_argument("--reporting-office", default=None)
    s.add_argument("--operator", default=None)
    s.add_argument("--reviewer", default=None)
    s.add_argument("--phone", default=None)
    s.set_defaults(handler=_set)
    show = osub.add_parser("show", help="显示本级设置")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)
    lower = osub.add_parser("lower", help="下级地区名单（应向本级上报的地区）")
    lower.add_argument(
        "--builtin",
        action="store_true",
        help="按内置的行政区划代码表设置名单（市级：所辖县市区；省级：各设区市及其县市区）",
    )
    lower.add_argument("--json", action="store_true")
    lower.set_defaults(handler=_lower)


def _set(args: argparse.Namespace) -> int:
    with opened(args) as services:
        info = services.office.get()
        if args.code is None and args.level != info.level:
            info.locality_code = ""  # a code is of one level; the new level needs its own
        info.locality = args.locality
        info.level = args.level
        for attr, value in (
            ("parent", args.parent),
            ("locality_code", args.code),
            ("reporting_office", args.reporting_office),
            ("operator", args.operator),
            ("reviewer", args.reviewer),
            ("contact_phone", args.phone),
        ):
            if value is not None:
                setattr(info, attr, value)
        services.office.save(info)
    return 0


def _show(args: argparse.Namespace) -> int:
    with opened(args) as services:
        info = services.office.get()
    if args.json:
        # "code" is the contract's name for the 行政区划代码; "locality_code" stays for
        # scripts written before it
        print_json({"code": info.locality_code, **asdict(info)})
    else:
        code = f"（{info.locality_code}）" if info.locality_code else ""
        print(f"{info.locality or '（未设置）'}{code} {info.level} 上级：{info.parent or '—'}")
    return 0


def _lower(args: argparse.Namespace) -> int:
    from desktop.errors import ValidationError

    with opened(args) as services:
        aggregate = services.exchange.aggregate
        if args.builtin:
            offer, source = aggregate.builtin_offer()
            if not offer:
                raise ValidationError(
                    "内置行政区划代码表中找不到本级的下级地区（只收录浙江省各市、县）。",
                    hint="请先用 office set --code 设置本级的行政区划代码，或在界面中手工添加。",
                )
            aggregate.save_localities(offer)
            print(f"已按{source}设置下级地区名单：{len(offer)} 个。", file=sys.stderr)
        items = aggregate.localities()
    if args.json:
        print_json(
            [
                {
                    "name": i.name,
                    "code": i.code,
                    "level": i.level,
                    "parent": i.parent,
                    "expected": i.expected,
                }
                for i in items
            ]
        )
    else:
        for i in items:
            under = f"（{i.parent}）" if i.parent else ""
            optional = "" if i.expected else "\t无需上报"
            print(f"{i.name}\t{i.code or '—'}\t{i.level}{under}{optional}")
    return 0
