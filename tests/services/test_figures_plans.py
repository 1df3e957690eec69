"""Each task's milestones reach the one rule as its plan, however SQLite hands them over.

``figures_of`` reads one row per task with its milestones as text (``group_concat``, whose
order SQLite does not promise) and makes each distinct plan once; a caller that has read
the milestones themselves (the ledger's 节点 column) hands them over as rows. Both give the
same figures, in whatever order the milestones were written, with a milestone's missing
percent kept missing.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from desktop.core.status import Thresholds
from desktop.services.context import Services
from desktop.services.demo.office import run_demo
from desktop.services.ledger.build import read_milestones
from desktop.services.progress.figures import FigureList, figures_of
from desktop.services.reading import connection_read

YEAR = 2027
DAY = date(YEAR, 5, 15)  # day 135 of the year


def test_milestones_read_as_text_or_as_rows_make_the_same_plans(services: Services) -> None:
    result = run_demo(services, tasks=6)
    connection = sqlite3.connect(services.data_dir.db_path)
    try:
        tasks = [
            r[0]
            for r in connection.execute(
                "SELECT id FROM task WHERE work_list_id = ? ORDER BY id", (result.list_id,)
            )
        ]
        first, second, bare = tasks[0], tasks[1], tasks[2]
        connection.execute(
            "UPDATE task SET start_on = ?, deadline = ? WHERE work_list_id = ?",
            (f"{YEAR}-01-01", f"{YEAR}-12-31", result.list_id),
        )
        connection.execute(
            "DELETE FROM milestone WHERE task_id IN (?, ?, ?)", (first, second, bare)
        )
        # one plan written in two orders; its first milestone gives no percent
        plan = [(f"{YEAR}-09-30", 90), (f"{YEAR}-03-31", None), (f"{YEAR}-06-30", 80)]
        for task, points in ((first, plan), (second, plan[::-1])):
            for due, percent in points:
                connection.execute(
                    "INSERT INTO milestone (task_id, due_on, label, description, percent)"
                    " VALUES (?, ?, '', '', ?)",
                    (task, due, percent),
                )
        connection.commit()
        read = connection_read(connection)
        head = FigureList(result.list_id, YEAR, "quarterly", 10, DAY, Thresholds())
        as_text = figures_of(read, [head])[result.list_id].tasks
        milestones = read_milestones(read, result.list_id, described=True)
        as_rows = figures_of(read, [head], milestones=milestones)[result.list_id].tasks
    finally:
        connection.close()

    # 序时进度 on 15 May (day 135 of 365), worked out by hand. The plan: 80% on 30 June
    # (day 181); the milestone of 31 March gives no percent and is no point of it:
    # 80 × 135 / 181 = 59.7 → 60 (read as 0% it would be 40). Without milestones, the
    # share of the year: 135 / 365 = 37.0 → 37.
    assert as_text[first].result.expected_percent == 60
    assert as_text[second].result.expected_percent == 60
    assert as_text[bare].result.expected_percent == 37
    assert as_text == as_rows
