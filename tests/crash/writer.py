"""Crash-test writer: large one-transaction writes, one after another, under progress markers.

    CRASH_STOP="sql progress 900" python -m tests.crash.writer DATA_DIR [FIRST]

Opens the data folder prepared by ``tests/crash/test_crash.py`` (a demo office with an
extra empty list for drafts, see ``prepare``) and repeats three actions, each one user
action as the program performs it:

- ``progress``: a progress save of every task of the demo list for the crash period, all
  with the text 第R轮进展, R one more than the round in the database (hundreds of rows and
  audit entries in one transaction);
- ``draft`` or ``undraft``: generating the per-sentence draft of the empty crash list, or
  deleting all its tasks again;
- ``notice``: re-importing the built-in notice with ``replace``, every measure text and the
  title marked （第V版）, V one more than the version in the database (preceded by its
  automatic 导入前 backup).

``FIRST`` (0, 1 or 2) chooses the action it starts with. Each action is a phase of
``tests/crash/markers.py``: the test names the marker to stop at in ``CRASH_STOP`` and kills
the writer there; each action ends with ``done ACTION RESULT``. Without a stop it runs until
killed.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable
from pathlib import Path

from tests.crash.markers import install

CRASH_YEAR = 2030  # the year of the list the draft action fills and empties
PERIOD_KEY = "2027-Q4"  # the demo list's period the progress action writes
NOTICE_FILE = "zjzf-2026-16.txt"
ROUND = re.compile(r"第(\d+)轮进展")
VERSION = re.compile(r"（第(\d+)版）$")


def progress_text(round_no: int) -> str:
    return f"第{round_no}轮进展"


def notice_marker(version: int) -> str:
    return f"（第{version}版）"


def main(root: Path, first: int = 0) -> None:
    markers = install()
    from desktop.core.notice import ParsedNotice, parse_notice_file
    from desktop.paths import resource_path
    from desktop.services.context import open_office
    from desktop.services.progress.types import ProgressEntry

    services = open_office(root)
    own = services.worklists.lists(own=True, current_only=True)
    demo_id = next(s.id for s in own if s.year != CRASH_YEAR)
    crash_id = next(s.id for s in own if s.year == CRASH_YEAR)
    period_id = next(p.id for p in services.progress.periods(demo_id) if p.key == PERIOD_KEY)
    task_ids = [r.id for r in services.worklists.rows(demo_id)]
    base = parse_notice_file(resource_path("notices", NOTICE_FILE))

    def progress() -> str:
        texts = {r.entry.text for r in services.progress.rows(demo_id, period_id)}
        round_no = max((int(m[1]) for t in texts if (m := ROUND.fullmatch(t))), default=0) + 1
        # every task, those finished earlier reopened (completion is otherwise sticky)
        entries = [
            ProgressEntry(
                task_id=t, text=progress_text(round_no), percent=round_no % 101, reopened=True
            )
            for t in task_ids
        ]
        services.progress.save(demo_id, period_id, entries)
        return str(round_no)

    def draft() -> str:
        return str(services.task_editing.generate_draft(crash_id, per_sentence=True).tasks)

    def undraft() -> str:
        rows = services.worklists.rows(crash_id)
        services.task_editing.delete_tasks(crash_id, [r.id for r in rows])
        return "0"

    def notice() -> str:
        builtin = next(n for n in services.notices.list() if n.builtin)
        found = VERSION.search(builtin.title)
        version = (int(found[1]) if found else 0) + 1
        services.notices.import_parsed(
            variant(base, version), source_name=NOTICE_FILE, replace=True
        )
        return str(version)

    def variant(notice: ParsedNotice, version: int) -> ParsedNotice:
        mark = notice_marker(version)
        return dataclasses.replace(
            notice,
            title=f"{notice.title}{mark}",
            measures=[dataclasses.replace(m, text=f"{m.text}{mark}") for m in notice.measures],
        )

    def drafting() -> tuple[str, Callable[[], str]]:
        if services.worklists.rows(crash_id):
            return "undraft", undraft
        return "draft", draft

    actions: list[Callable[[], tuple[str, Callable[[], str]]]] = [
        lambda: ("progress", progress),
        drafting,
        lambda: ("notice", notice),
    ]
    markers.done("ready")
    step = first
    while True:
        name, action = actions[step % len(actions)]()
        markers.begin(name)
        markers.done(action())
        step += 1


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0)
