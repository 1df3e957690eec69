"""``progress periods`` / ``progress set`` / ``progress freeze``: a list's reporting periods
and its progress, for scripts and checks (the same services as the 进展填报 screen)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from desktop.cli import print_json
from desktop.cli.commands import add_as_of, day, opened
from desktop.errors import NotFoundError


def register(sub: Any) -> None:
    pr = sub.add_parser("progress", help="进展填报：填报周期、填报进展、冻结")
    psub = pr.add_subparsers(dest="progress_command", metavar="ACTION", required=True)
    ps = psub.add_parser("periods", help="本级某年清单的填报周期及其状态")
    ps.add_argument("--year", type=int, required=True)
    ps.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    add_as_of(ps)
    ps.add_argument("--json", action="store_true")
    ps.set_defaults(handler=_periods)

    st = psub.add_parser("set", help="填报一项任务某一期的进展")
    st.add_argument("--year", type=int, required=True)
    st.add_argument("--task", required=True, metavar="CODE", help="任务编号，如 1-2")
    st.add_argument("--period", required=True, metavar="KEY", help="填报周期，如 2027-Q2")
    st.add_argument("--percent", type=int, default=None, help="完成百分比（0–100）")
    st.add_argument("--text", default=None, help="进展情况")
    st.add_argument("--completed-on", type=day, default=None, metavar="DATE", help="完成日期")
    st.add_argument("--problems", default=None, help="存在问题")
    st.add_argument("--next-steps", default=None, help="下步打算")
    st.add_argument("--lag-reason", default=None, help="滞后原因")
    st.add_argument("--reopen", action="store_true", help="重新打开此前已完成的任务")
    st.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    add_as_of(st)
    st.set_defaults(handler=_set)

    fr = psub.add_parser("freeze", help="冻结一个填报周期（滞后任务须已说明原因）")
    fr.add_argument("--year", type=int, required=True)
    fr.add_argument("--period", required=True, metavar="KEY", help="填报周期，如 2027-Q1")
    fr.add_argument("--notice", default=None, help="文号（同一年有多份清单时）")
    add_as_of(fr)
    fr.set_defaults(handler=_freeze)


def _periods(args: argparse.Namespace) -> int:
    with opened(args) as services:
        wl = services.worklists.find_own(args.year, args.notice)
        periods = services.progress.periods(wl.id)
    if args.json:
        print_json(
            [
                {
                    "key": p.key,
                    "label": p.label,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "due": p.due_on.isoformat() if p.due_on else None,
                    "state": p.state,
                    "frozen": p.frozen,
                }
                for p in periods
            ]
        )
    else:
        for p in periods:
            print(f"{p.key}\t{p.display}\t{p.start}—{p.end}")
    return 0


def _set(args: argparse.Namespace) -> int:
    with opened(args) as services:
        wl = services.worklists.find_own(args.year, args.notice)
        period = _period(services.progress.periods(wl.id), args.period)
        rows = [r for r in services.progress.rows(wl.id, period.id) if r.number == args.task]
        if not rows:
            raise NotFoundError(f"{args.year}年清单中没有编号为“{args.task}”的任务。")
        if len(rows) > 1:
            raise NotFoundError(f"{args.year}年清单中有 {len(rows)} 项任务编号都是“{args.task}”。")
        entry = rows[0].entry
        changes = {
            "text": args.text,
            "percent": args.percent,
            "completed_on": args.completed_on,
            "problems": args.problems,
            "next_steps": args.next_steps,
            "lag_reason": args.lag_reason,
        }
        entry = replace(entry, **{k: v for k, v in changes.items() if v is not None})
        if args.reopen:
            entry = replace(entry, reopened=True)
        changed = services.progress.save(wl.id, period.id, [entry])
    print(f"已填报任务 {args.task} 的{period.label}进展" if changed else "进展没有变化")
    return 0


def _freeze(args: argparse.Namespace) -> int:
    with opened(args) as services:
        wl = services.worklists.find_own(args.year, args.notice)
        period = _period(services.progress.periods(wl.id), args.period)
        services.freezing.freeze_period(wl.id, period.id)
    print(f"已冻结{period.label}")
    return 0


def _period(periods: list[Any], key: str) -> Any:
    found = [p for p in periods if p.key == key]
    if not found:
        keys = "、".join(p.key for p in periods)
        raise NotFoundError(f"清单中没有填报周期“{key}”（有：{keys}）。")
    return found[0]
