"""The measurements ``run_all.py`` makes inside a process of their own; each prints one JSON
line on stdout (the orchestrator reads the last line).

    python benchmarks/figures.py edits DATA_DIR RUNS
    python benchmarks/figures.py version-copy DATA_DIR
    python benchmarks/figures.py dept DATA_DIR RUNS
    python benchmarks/figures.py screen DATA_DIR RUNS
    python benchmarks/figures.py start DATA_DIR      (prints when the window shows, then exits
                                                      once the overview is filled in)
    python benchmarks/figures.py bare                (a bare PySide6 QMainWindow, shown)

``DATA_DIR`` is a throw-away copy: these change it. Never fails on a timing.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def emit(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False), flush=True)


# start-up: timed by the parent from the moment it starts the process --------------------------

WATCHED = ("sqlalchemy", "alembic", "reportlab", "openpyxl", "docx")


def start(data_dir: str) -> None:
    """Prints the wall clock when the main window has painted, and again (with the modules
    loaded) when the overview shows its figures; then leaves at once (no exit backup)."""
    from PySide6.QtCore import QTimer

    import desktop.app as app
    from desktop.ui.main_window import MainWindow

    show = MainWindow.show
    marks: dict[str, Any] = {}

    def shown(window: MainWindow) -> None:
        show(window)
        window.grab()  # painted
        marks.setdefault("window", time.time())

        def filled() -> None:
            if window.is_ready() and window.page("overview").current is not None:  # type: ignore[attr-defined]
                window.grab()
                marks["overview"] = time.time()
                marks["cpu"] = time.process_time()
                marks["modules"] = sorted(m for m in WATCHED if m in sys.modules)
                emit(marks)
                os._exit(0)

        timer = QTimer(window)
        timer.timeout.connect(filled)
        timer.start(5)

    MainWindow.show = shown  # type: ignore[method-assign,assignment]
    app.run_gui(data_dir)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    application = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.show()
    application.processEvents()
    window.grab()
    emit({"window": time.time(), "cpu": time.process_time()})
    os._exit(0)


# edits of a large list --------------------------------------------------------------------


class Counter:
    """SQL statements sent, counted with SQLAlchemy's event (an executemany is one)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, *_args: Any) -> None:
        self.count += 1


def _timed(counter: Counter, fn: Callable[[], Any]) -> tuple[float, int, Any]:
    before = counter.count
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, counter.count - before, value


def edits(data_dir: str, runs: int) -> None:
    """Median time and statements of one move, split, merge, renumber and 不适用 (after one
    untimed warm-up of each: statement compilation is a one-off per program run)."""
    from datetime import timedelta
    from itertools import count

    from desktop.core.worklist import TaskRecord
    from desktop.services import clock
    from desktop.services.context import open_office

    # each reading of the clock a second later, as between a person's edits: otherwise two
    # edits in one second leave out the UPDATE of the list's time, one statement fewer
    start, ticks = clock.now(), count(1)
    clock.now = lambda: start + timedelta(seconds=next(ticks))
    services = open_office(Path(data_dir))
    counter = Counter(services.engine)
    lid = services.worklists.find_own(2027).id
    editing = services.task_editing
    notice = services.worklists.get(lid).notice_id
    measures = services.notices.tree(notice).measures
    rows = services.worklists.rows(lid)
    out: dict[str, dict[str, float]] = {}

    def measure(
        name: str, action: Callable[[int], Any], prepare: Callable[[int], Any] | None = None
    ) -> None:
        times, cpus, counts = [], [], []
        for i in range(runs + 1):
            if prepare is not None:
                prepare(i)
            cpu = time.process_time()
            seconds, statements, _ = _timed(counter, partial(action, i))
            if i:  # the first is the warm-up
                times.append(seconds)
                cpus.append(time.process_time() - cpu)
                counts.append(statements)
        out[name] = {
            "seconds": statistics.median(times),
            "cpu": statistics.median(cpus),
            "statements": max(counts),
        }

    middle = [r.id for r in rows[len(rows) // 2 : len(rows) // 2 + 2 * runs + 2]]
    measure("move", lambda i: editing.move_task(lid, middle[i], 1 if i % 2 else -1))
    # split and merge tasks of one shape (the same units, measure, no milestones) in both
    # lists, so that the statements counted differ only if the size of the list counts
    shaped = TaskRecord(
        number="99",
        content="甲项工作。乙项工作",
        target_text="完成",
        lead_units=["县发改局"],
        co_units=["县科技局"],
        measure_ids=[measures[0].id],
    )
    fresh: list[int] = []
    made: list[list[int]] = []

    def new_shaped(_i: int) -> None:
        saved = editing.save_task(lid, shaped.copy(), after=middle[0])
        assert saved.id is not None
        fresh.append(saved.id)

    measure(
        "split",
        lambda i: made.append(editing.split_task(lid, fresh[i], ["第一部分", "第二部分"])),
        new_shaped,
    )
    measure("merge", lambda i: editing.merge_tasks(lid, made[i]))
    # each time after a move, so that some numbers really change
    measure(
        "renumber",
        lambda _i: editing.renumber(lid),
        lambda i: editing.move_task(lid, middle[i], 3),
    )
    measure(
        "not applicable",
        lambda i: editing.set_not_applicable(lid, measures[i % len(measures)].id, "本地无此产业"),
    )
    services.close()
    emit({"tasks": len(rows), **out})


def version_copy(data_dir: str) -> None:
    """A new version of the list (its submitted version copied), once: it adds a list."""
    from desktop.db.models import WorkList
    from desktop.services.context import open_office

    services = open_office(Path(data_dir))
    counter = Counter(services.engine)
    lid = services.worklists.find_own(2027).id
    with services.sessions.begin() as session:
        row = session.get(WorkList, lid)
        assert row is not None
        row.state = "submitted"
    cpu = time.process_time()
    seconds, statements, new = _timed(counter, lambda: services.list_lifecycle.new_version(lid))
    cpu = time.process_time() - cpu
    emit({"seconds": seconds, "cpu": cpu, "statements": statements, "tasks": new.tasks})
    services.close()


# the department workbook round trip -------------------------------------------------------


def dept(data_dir: str, runs: int) -> None:
    """Export the workbook of the lead unit with about a thousand tasks, fill in progress
    for every row as a department would (openpyxl), then time preview and apply."""
    from openpyxl import load_workbook

    from desktop.core.exchange_files.dept_workbook import COLUMNS, HEADER_ROW
    from desktop.services.context import open_office

    services = open_office(Path(data_dir))
    lid = services.worklists.find_own(2027).id
    departments = services.exchange.departments
    unit, count = min(departments.units(lid), key=lambda uc: abs(uc[1] - 1000))
    periods, offered = departments.periods_of(lid)
    current = periods[offered].id
    folder = Path(data_dir).parent / "dept"
    written = departments.export(lid, current, folder, [unit])[0]
    book = load_workbook(written.path)
    sheet = book.worksheets[0]
    keys = [key for key, _header, _width in COLUMNS]
    percent, uid = keys.index("percent") + 1, keys.index("uid") + 1
    for r in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(r, uid).value:
            sheet.cell(r, percent).value = 60
    filled = folder / "filled.xlsx"
    book.save(filled)
    previews, applies = [], []
    for _ in range(runs):
        start = time.perf_counter()
        preview = departments.preview(lid, current, [filled])
        previews.append(time.perf_counter() - start)
    start = time.perf_counter()
    changed = departments.apply(preview)
    applies.append(time.perf_counter() - start)
    emit(
        {
            "unit": unit,
            "rows": count,
            "changes": len(preview.changes),
            "applied": changed,
            "preview": statistics.median(previews),
            "apply": statistics.median(applies),
        }
    )
    services.close()


# the 年度清单 screen ----------------------------------------------------------------------


def screen(data_dir: str, runs: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_worklist_screen import bench_baseline, bench_screen

    from desktop.app import make_application
    from desktop.services.context import open_office

    app = make_application()
    services = open_office(Path(data_dir))
    try:
        ours = bench_screen(app, services, runs)
        plain = bench_baseline(app, services, runs)
    finally:
        services.close()
    emit({"ours": ours, "plain": plain})


def main() -> None:
    what, *args = sys.argv[1:]
    if what == "start":
        start(args[0])
    elif what == "bare":
        bare()
    elif what == "edits":
        edits(args[0], int(args[1]))
    elif what == "version-copy":
        version_copy(args[0])
    elif what == "dept":
        dept(args[0], int(args[1]))
    elif what == "screen":
        screen(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown figure {what}")


if __name__ == "__main__":
    main()
