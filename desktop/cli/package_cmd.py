"""``package export --year Y --out FILE|FOLDER [--own-only]`` / ``package import FILE…`` /
``package show FILE``.

Export checks, freezes and writes the office's list for the level above — at a level with
lower levels, with the latest list of each lower locality in one combined package, unless
``--own-only``; import takes the packages of the levels below, combined or not. A refused
package exits 2 with its reason on stderr and changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli import EXIT_USER_ERROR, print_json
from desktop.cli.commands import add_as_of, opened
from desktop.core.names import one_line
from desktop.errors import InputFileError


def register(sub: Any) -> None:
    pkg = sub.add_parser("package", help="上报包：导出本级清单、导入下级上报包")
    psub = pkg.add_subparsers(dest="package_command", metavar="ACTION", required=True)
    x = psub.add_parser("export", help="校验并导出本级某年清单的上报包（该版本随即冻结）")
    x.add_argument("--year", type=int, required=True)
    x.add_argument(
        "--out",
        required=True,
        help="上报包文件（.zip），或文件夹（不存在时自动建立，文件自动命名）",
    )
    x.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    x.add_argument(
        "--own-only",
        action="store_true",
        help="只报本级清单（市级、省级默认连同各下级报来的最新清单一并上报）",
    )
    add_as_of(x)
    x.set_defaults(handler=_export)
    i = psub.add_parser("import", help="导入下级报来的上报包（可一次多个）")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--json", action="store_true", help="以 JSON 输出每个文件的结果")
    i.add_argument(
        "--accept-new-key",
        metavar="FINGERPRINT",
        default=None,
        help="下级更换了签名密钥时，接受指纹为此值的新密钥（请先与其盖章台账上的指纹核对）",
    )
    i.set_defaults(handler=_import)
    s = psub.add_parser("show", help="检查上报包并显示其清单文件（不导入）")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=_show)


def export_target(text: str) -> Path:
    """Where ``--out`` asks the package to go: a folder when it is one, ends with a path
    separator (usb/) or names no .zip file (usb) — created if missing, the file then named
    after the list — else the .zip file itself."""
    out = Path(text)
    folder = text.endswith(("/", "\\")) or (out.suffix.lower() != ".zip" and not out.is_file())
    if folder and not out.is_dir():
        try:
            out.mkdir(parents=True)
        except OSError as err:
            raise InputFileError(f"无法建立文件夹“{out}”：{err.strerror or err}。") from err
    return out


def _export(args: argparse.Namespace) -> int:
    out = export_target(args.out)
    with opened(args) as services:
        plan = None if args.own_only else services.exchange.upward.plan(args.year, args.notice)
        if plan is not None and plan.combined:
            combined = services.exchange.upward.export(args.year, args.notice, out)
        else:
            wl = services.worklists.find_own(args.year, args.notice)
            result = services.exchange.export(wl.id, out)
            combined = None
    if combined is not None:
        print(f"已导出汇总上报包：{combined.path}")
        print(combined.signed_text)
        for line in combined.plan.lines:
            print(f"  {line}")
        if combined.plan.missing or combined.plan.unkept:
            names = [n for n, _ in combined.plan.missing] + [
                i.locality for i in combined.plan.unkept
            ]
            print(f"注意：上报包中没有 {'、'.join(names)} 的清单。", file=sys.stderr)
        return 0
    print(result.message)
    print(result.signed_text)
    coverage = result.coverage
    print(coverage.text)
    if coverage.sparse:
        print(
            f"注意：只有 {coverage.filled}/{coverage.tasks} 项任务填报了{coverage.label}的进展，"
            "请确认各单位已填报后再报送。",
            file=sys.stderr,
        )
    return 0


def _import(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files]
    with opened(args) as services:
        accept = args.accept_new_key
        if len(paths) == 1:
            # one file: a refusal is the command's error (exit 2, message on stderr); a
            # combined package gives one result per list it carries
            batch = services.exchange.import_packages(paths, stop_on_error=True, accept_key=accept)
            results = list(batch.results)
            failures: list[tuple[Path, str]] = []
        else:
            batch = services.exchange.import_packages(paths, accept_key=accept)
            results, failures = list(batch.results), list(batch.failures)
    if args.json:
        print_json(
            [
                {
                    "file": str(r.path),
                    "outcome": r.outcome,
                    "locality": r.locality,
                    "year": r.year,
                    "notice": r.doc_number,
                    "version": r.version,
                    "tasks": r.tasks,
                    "via": r.via or None,
                    "message": r.message,
                    "signed": bool(r.signer),
                    "fingerprint": r.signer or None,
                    "new_key": r.new_key,
                    "notes": list(r.notes),
                }
                for r in results
            ]
            + [{"file": str(p), "outcome": "refused", "message": m} for p, m in failures]
        )
    else:
        for r in results:
            print(r.report)
    for path, message in failures:
        print(f"{one_line(path.name, 120)}：{message}", file=sys.stderr)
    return EXIT_USER_ERROR if failures else 0


def _show(args: argparse.Namespace) -> int:
    from desktop.core.exchange_files import Bundle, bundle_manifest_to_json, manifest_to_json

    with opened(args) as services:
        package = services.exchange.inspect(Path(args.file))
    if isinstance(package, Bundle):
        b = package.manifest
        if args.json:
            print_json(bundle_manifest_to_json(b))
            return 0
        print(f"汇总上报包：{b.display}（{b.locality}，上级 {b.parent}，{b.level}）")
        print(f"导出时间：{b.exported_at}　填报人：{b.operator}　审核人：{b.reviewer}")
        print(
            f"{b.program_name} {b.program_version}，格式版本 {b.format_version}；"
            f"含 {len(b.parts)} 份清单："
        )
        for part in package.parts:
            pm = part.package.manifest
            who = "本级" if part.entry.role == "own" else "下级"
            signed = f"密钥指纹 {pm.signer.fingerprint}" if pm.signer else "未签名"
            print(
                f"  {who} {pm.locality}（{pm.locality_code or '无代码'}）第{pm.list_version}版，"
                f"{pm.tasks} 项任务，填报周期 {pm.period_label or '尚无进展'}，{signed}，"
                f"SHA-256 {part.entry.sha256[:16]}…"
            )
        for absent in b.absent:
            print(f"  未含：{absent.name}（{absent.reason}）")
        if b.export_sequence:
            print(f"序号：{b.locality}的第 {b.export_sequence} 个汇总上报包")
        if b.signer is not None:
            print(f"签名有效（{b.signer.algorithm}），密钥指纹：{b.signer.fingerprint}")
            print(
                "校验通过：汇总包及其中每份清单都完整，各自签名后未被改动。"
                "请把指纹与各单位盖章台账上打印的核对。"
            )
        else:
            print("未签名：汇总包及其中每份清单的文件与校验值相符，但无法确认来源。")
        return 0
    m = package.manifest
    if args.json:
        print_json(manifest_to_json(m))
        return 0
    print(f"上报包：{m.display}（{m.locality}，上级 {m.parent}，{m.level}）")
    print(f"导出时间：{m.exported_at}　填报人：{m.operator}　审核人：{m.reviewer}")
    print(f"联系电话：{m.contact}　填报周期：{m.period_label or '（尚无进展）'}")
    print(f"任务：{m.tasks} 项；{m.program_name} {m.program_version}，格式版本 {m.format_version}")
    print(f"导出序号：第 {m.export_sequence} 次导出" if m.export_sequence else "导出序号：无")
    for f in m.files:
        print(f"  {one_line(f.name, 120)}（{f.size} 字节，SHA-256 {f.sha256[:16]}…）")
    if m.signer is not None:
        print(f"签名有效（{m.signer.algorithm}），密钥指纹：{m.signer.fingerprint}")
        print("校验通过：文件完整，签名后未被改动。请把指纹与对方盖章台账上打印的核对。")
    else:
        print("未签名（由早期版本导出）：文件与清单文件的校验值相符，但无法确认来源。")
    return 0
