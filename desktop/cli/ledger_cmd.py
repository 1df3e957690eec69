"""``ledger pdf --year Y --out FILE [--variant all|by-unit|progress|lagging]``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.commands import add_as_of, opened, output_file, say_wal_damage
from desktop.core.reports.variants import VARIANTS


def register(sub: Any) -> None:
    ledger = sub.add_parser("ledger", help="工作台账")
    lsub = ledger.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    p = lsub.add_parser("pdf", help="生成台账 PDF")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help="PDF 文件；--per-unit-folder 时为文件夹")
    p.add_argument("--variant", choices=list(VARIANTS), default="all")
    p.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    p.add_argument("--period", default=None, help="填报周期，如 2027-Q2 或 2027-06")
    p.add_argument("--paper", choices=["A4", "A3"], default="A4")
    add_as_of(p)
    p.add_argument(
        "--per-unit-folder",
        action="store_true",
        help="按牵头单位每个单位一个文件，写入 --out 指定的文件夹",
    )
    p.set_defaults(handler=_pdf)


def _pdf(args: argparse.Namespace) -> int:
    if not args.per_unit_folder:
        pages = _pdf_read_only(args)
        if pages is not None:
            print(f"已生成 {output_file(args.out, '台账.pdf')}（{pages} 页）")
            return 0
    from desktop.errors import NotFoundError
    from desktop.services.ledger.service import LedgerOptions

    with opened(args) as services:
        wl = services.worklists.find_own(args.year, args.notice)
        period_id = None
        if args.period:
            match = [p for p in services.progress.periods(wl.id) if p.key == args.period]
            if not match:
                raise NotFoundError(f"清单中没有填报周期“{args.period}”。")
            period_id = match[0].id
        options = LedgerOptions(variant=args.variant, period_id=period_id, paper=args.paper)
        if args.per_unit_folder:
            out = Path(args.out)
            files = services.ledgers.write_pdf_per_unit(wl.id, out, options)
            print(f"已生成 {len(files)} 个文件到 {out}")
            return 0
        out = output_file(args.out, "台账.pdf")
        pages = services.ledgers.write_pdf(wl.id, out, options)
    print(f"已生成 {out}（{pages} 页）")
    return 0


def _pdf_read_only(args: argparse.Namespace) -> int | None:
    """The ledger printed over a read-only connection, without loading the ORM
    (``desktop.services.reader``); None when the office must be opened fully for it.

    With the cycle collector held off (``desktop.core.gc_pause``): the imports, the
    reading and the drawing make objects that all stay alive until the file is written."""
    from desktop.core.gc_pause import no_cycle_collection

    with no_cycle_collection:
        return _pdf_from_reader(args)


def _pdf_from_reader(args: argparse.Namespace) -> int | None:
    from desktop.cli import data_root
    from desktop.services.reader import open_reader

    out = output_file(args.out, "台账.pdf")
    reader = open_reader(data_root(args))
    if reader is None:
        return None
    with reader:
        # imported while SQLite's start-up check of the file runs (``open_reader``)
        from desktop.core.reports import write_ledger_pdf
        from desktop.services.ledger import build, heads

        say_wal_damage(reader.folder.wal_damage, reader.data_dir)
        read = reader.read
        try:
            list_id = heads.own_list_id(read, args.year, args.notice)
            period_id = None
            if args.period:
                period_id = heads.period_id_by_key(read, list_id, args.period)
            options = build.LedgerOptions(
                variant=args.variant, period_id=period_id, paper=args.paper
            )
            doc = build.ledger_document(read, list_id, options)
        except heads.NeedsWrite:
            return None
    return write_ledger_pdf(doc, out)
