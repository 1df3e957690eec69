"""Crash-test helper: large one-transaction writes in a loop, a marker after each commit.

    python tests/crash/writer.py DATA_DIR [FIRST]

Opens the data folder prepared by ``tests/crash/test_crash.py`` (a demo office with an
extra empty list for drafts, see ``prepare``) and repeats three actions, each one user
action and one transaction, as the program performs them:

- ``progress R``: a progress save of every task of the demo list for the crash period,
  all with the text 第R轮进展 (hundreds of rows and audit entries);
- ``draft``/``undraft``: generating the per-sentence draft of the crash list, or deleting
  all its tasks again;
- ``notice R``: re-importing the built-in notice with ``replace``, every measure text and
  the title marked （第R版） (preceded by its automatic 导入前 backup).

``FIRST`` (0, 1 or 2) chooses the action it starts with, so that kills early in a run land
in every kind of write. After each commit it prints ``done ACTION N`` and flushes, so the
test knows which actions were committed before it killed the process. It runs until killed.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from desktop.core.notice import ParsedNotice, parse_notice_file
from desktop.paths import resource_path
from desktop.services.context import Services, open_office
from desktop.services.notices.service import BUILTIN_NOTICE_FILE
from desktop.services.progress.types import ProgressEntry

CRASH_YEAR = 2030  # the year of the list the draft action fills and empties
PERIOD_KEY = "2027-Q4"  # the demo list's period the progress action writes


def progress_text(round_no: int) -> str:
    return f"第{round_no}轮进展"


def notice_marker(round_no: int) -> str:
    return f"（第{round_no}版）"


def variant(base: ParsedNotice, round_no: int) -> ParsedNotice:
    marker = notice_marker(round_no)
    return dataclasses.replace(
        base,
        title=f"{base.title}{marker}",
        measures=[dataclasses.replace(m, text=f"{m.text}{marker}") for m in base.measures],
    )


def lists(services: Services) -> tuple[int, int, int]:
    """(demo list id, crash list id, crash period id)."""
    own = services.worklists.lists(own=True, current_only=True)
    demo = next(s for s in own if s.year != CRASH_YEAR)
    crash = next(s for s in own if s.year == CRASH_YEAR)
    period = next(p for p in services.progress.periods(demo.id) if p.key == PERIOD_KEY)
    return demo.id, crash.id, period.id


def current_round(services: Services, demo_id: int, period_id: int) -> int:
    texts = {r.entry.text for r in services.progress.rows(demo_id, period_id)}
    rounds = [int(t[1:-3]) for t in texts if t.startswith("第") and t.endswith("轮进展")]
    return max(rounds, default=0)


def main(root: Path, first: int = 0) -> None:
    services = open_office(root)
    demo_id, crash_id, period_id = lists(services)
    task_ids = [r.id for r in services.worklists.rows(demo_id)]
    base = parse_notice_file(resource_path("notices", BUILTIN_NOTICE_FILE))
    round_no = current_round(services, demo_id, period_id)
    notice_round = round_no

    def progress() -> str:
        nonlocal round_no
        round_no += 1
        # every task, those finished earlier reopened (completion is otherwise sticky)
        entries = [
            ProgressEntry(
                task_id=t, text=progress_text(round_no), percent=round_no % 101, reopened=True
            )
            for t in task_ids
        ]
        services.progress.save(demo_id, period_id, entries)
        return f"progress {round_no}"

    def draft() -> str:
        rows = services.worklists.rows(crash_id)
        if rows:
            services.task_editing.delete_tasks(crash_id, [r.id for r in rows])
            return "undraft 0"
        return f"draft {services.task_editing.generate_draft(crash_id, per_sentence=True).tasks}"

    def notice() -> str:
        nonlocal notice_round
        notice_round = max(notice_round, round_no) + 1
        services.notices.import_parsed(
            variant(base, notice_round), source_name=BUILTIN_NOTICE_FILE, replace=True
        )
        return f"notice {notice_round}"

    actions = (progress, draft, notice)
    print("ready", flush=True)
    step = first
    while True:
        done = actions[step % len(actions)]()
        print(f"done {done}", flush=True)
        step += 1


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0)
