"""Benchmark: progress entry, the overview, freezing, year end and the audit log of a big list.

    .venv/bin/python benchmarks/bench_progress.py [--tasks 20000] [--audit 100000]

Builds a demo office of ``--tasks`` tasks in a temporary data folder (first quarter frozen,
second quarter mostly reported), then times what the screens call: the progress rows of a
period, its summary line, the overview, the carry-over preview, saving 200 edits, freezing
a period, and, after adding ``--audit`` audit entries, counting, paging, a text search and
the chain check. Prints the figures; never fails on a timing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from desktop.services.audit import log as audit
from desktop.services.audit.query import AuditFilter
from desktop.services.context import open_office
from desktop.services.demo.office import run_demo


def timed(label: str, fn: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<34} {time.perf_counter() - start:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--audit", type=int, default=100000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = open_office(Path(tmp) / "office")
        try:
            print(f"demo office with {args.tasks} tasks")
            result = timed(
                "demo (create, report, freeze Q1)", lambda: run_demo(services, tasks=args.tasks)
            )
            list_id = result.list_id  # type: ignore[attr-defined]
            periods = services.progress.periods(list_id)
            q2 = periods[1]
            rows = timed(
                "progress rows of a period", lambda: services.progress.rows(list_id, q2.id)
            )
            timed("period summary line", lambda: services.progress.summary(list_id, q2.id))
            timed("every task's figures (one rule)", lambda: services.progress.figures(list_id))
            timed("worklist show (figures + rows)", lambda: services.list_show.show(list_id))
            timed("overview", lambda: services.overview.overview(list_id))
            timed("carry-over preview", lambda: services.yearend.carry_preview(list_id))
            assert isinstance(rows, list)
            edits = [replace(r.entry, text=r.entry.text + "（补充）") for r in rows[:200]]
            timed("save 200 edited entries", lambda: services.progress.save(list_id, q2.id, edits))
            explained = [
                replace(r.entry, lag_reason="原因", next_steps="打算", text="进展")
                for r in services.progress.rows(list_id, q2.id)
                if r.status.status.value == "lagging"
            ]
            services.progress.save(list_id, q2.id, explained)
            timed(
                "freeze a period (ledger snapshot)",
                lambda: services.freezing.freeze_period(list_id, q2.id),
            )
            print(f"audit log with {args.audit} more entries")
            with services.sessions.begin() as session:
                for i in range(args.audit):
                    audit.record(
                        session,
                        operator="周静",
                        action="update",
                        entity="task",
                        entity_id=i,
                        summary=f"修改任务 {i}",
                        before={"remarks": ""},
                        after={"remarks": f"备注 {i}"},
                    )
            log = services.audit_log
            timed("count all", log.count)
            timed("first page (500)", lambda: log.page(limit=500))
            timed("text search count", lambda: log.count(AuditFilter(text="备注 9999")))
            timed("verify the chain", log.verify)
        finally:
            services.close()


if __name__ == "__main__":
    main()
