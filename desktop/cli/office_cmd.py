"""``office set`` / ``office show``: the office this data folder belongs to."""

from __future__ import annotations

import argparse
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
