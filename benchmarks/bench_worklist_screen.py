"""Benchmark: the 年度清单 screen over a large list, against a bare table of the same rows.

    .venv/bin/python benchmarks/bench_worklist_screen.py [--tasks 20000] [--runs 5]

Makes a demo office with ``--tasks`` tasks in a temporary data folder (bulk inserts), then
times, median of ``--runs`` each:

- open: construct the page and paint it (the list is read in the background meanwhile: the
  page says so); until the rows are shown (the goal); and until the statuses computed in
  the background have arrived;
- filter by lead unit and by status (model reset and repaint);
- search with 3+ characters (FTS5 trigram) and with 2 characters (LIKE).

The baseline is an EMPTY plain ``QTableView`` over a trivial ``QAbstractTableModel`` holding
the same number of rows as tuples of strings, opened, filtered (list comprehension + reset)
and painted the same way. Goals: open under 1 s, filter and search under 100 ms. Prints
the figures; never fails on a timing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

from desktop.app import make_application
from desktop.core.status import Status
from desktop.services.context import Services, open_office
from desktop.services.demo.office import run_demo
from desktop.ui.background import wait_for_background
from desktop.ui.worklist import WorkListPage


def median_of(runs: int, fn: Callable[[], Any], setup: Callable[[], Any] | None = None) -> float:
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def settle(app: QApplication, page: WorkListPage) -> None:
    while not page.idle():
        wait_for_background(50)
        app.processEvents()


class PlainModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 8

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


def bench_screen(app: QApplication, services: Services, runs: int) -> dict[str, float]:
    out: dict[str, float] = {}
    pages: list[WorkListPage] = []

    def open_page() -> None:
        """Until the page has painted: the list is still being read (its loading state)."""
        page = WorkListPage(
            services.worklists,
            services.units,
            services.notices,
            services.progress,
            lifecycle=services.list_lifecycle,
            editing=services.task_editing,
            checks=services.list_checks,
        )
        page.setMinimumSize(960, 600)
        page.resize(1280, 800)
        page.show()
        page.activated()
        page.grab()
        pages.append(page)

    def drop_pages() -> None:
        for p in pages:
            settle(app, p)
            p.close()
            p.deleteLater()
        pages.clear()
        app.processEvents()

    def open_with_rows() -> None:
        """Until the first rows are on the screen (read in the background, then shown)."""
        open_page()
        page = pages[-1]
        while page.model.rowCount() == 0:
            wait_for_background(5)
            app.processEvents()
        page.table.viewport().grab()

    out["open: window painted (reading)"] = median_of(runs, open_page, drop_pages)
    drop_pages()
    out["open"] = median_of(runs, open_with_rows, drop_pages)
    drop_pages()

    def open_with_statuses() -> None:
        open_page()
        settle(app, pages[-1])
        pages[-1].table.viewport().grab()

    out["open + statuses"] = median_of(runs, open_with_statuses, drop_pages)
    page = pages[-1]
    rows = page.model.rowCount()
    lead = page.filters.lead.findData("县科技局")
    lagging = page.filters.status.findData(Status.LAGGING.value)

    def filter_lead() -> None:
        page.filters.lead.setCurrentIndex(lead)
        page.table.viewport().grab()

    def filter_status() -> None:
        page.filters.status.setCurrentIndex(lagging)
        page.table.viewport().grab()

    def search(text: str) -> Callable[[], None]:
        def run() -> None:
            page._search(text)
            page.table.viewport().grab()

        return run

    out["filter lead unit"] = median_of(runs, filter_lead, page.filters.clear)
    shown_lead = page.model.rowCount()
    out["filter status"] = median_of(runs, filter_status, page.filters.clear)
    shown_status = page.model.rowCount()
    page.filters.clear()
    out["search 3+ chars (FTS)"] = median_of(runs, search("孵化器"), lambda: page._search(""))
    shown_fts = page.model.rowCount()
    out["search 2 chars (LIKE)"] = median_of(runs, search("养老"), lambda: page._search(""))
    shown_like = page.model.rowCount()
    print(
        f"rows {rows}; shown: lead unit {shown_lead}, 滞后 {shown_status}, "
        f"“孵化器” {shown_fts}, “养老” {shown_like}"
    )
    drop_pages()
    return out


def bench_baseline(app: QApplication, services: Services, runs: int) -> dict[str, float]:
    list_id = services.worklists.lists(own=True)[0].id
    source = [
        (r.number, "", "", r.content, r.lead_text, str(r.deadline or ""), "", "")
        for r in services.worklists.rows(list_id)
    ]
    views: list[QTableView] = []

    def open_view() -> None:
        model = PlainModel([])
        view = QTableView()
        view.setModel(model)
        view.resize(1280, 800)
        view.show()
        model.set_rows(list(source))
        view.grab()
        views.append(view)

    def drop() -> None:
        for v in views:
            v.close()
            v.deleteLater()
        views.clear()
        app.processEvents()

    out = {"open": median_of(runs, open_view, drop)}
    view = views[-1]
    model = view.model()
    assert isinstance(model, PlainModel)

    def filtered(pred: Callable[[tuple[str, ...]], bool]) -> Callable[[], None]:
        def run() -> None:
            model.set_rows([r for r in source if pred(r)])
            view.viewport().grab()

        return run

    reset = lambda: model.set_rows(list(source))  # noqa: E731
    out["filter lead unit"] = median_of(runs, filtered(lambda r: "县科技局" in r[4]), reset)
    out["filter status"] = median_of(runs, filtered(lambda r: r[5] < "2027-07"), reset)
    out["search 3+ chars (FTS)"] = median_of(runs, filtered(lambda r: "孵化器" in r[3]), reset)
    out["search 2 chars (LIKE)"] = median_of(runs, filtered(lambda r: "养老" in r[3]), reset)
    drop()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        services = open_office(Path(tmp) / "office")
        try:
            start = time.perf_counter()
            run_demo(services, tasks=args.tasks)
            made = time.perf_counter() - start
            print(f"demo office with {args.tasks} tasks made in {made:.1f} s")
            screen = bench_screen(app, services, args.runs)
            baseline = bench_baseline(app, services, args.runs)
        finally:
            services.close()
    goals = {"open": 1.0, "open + statuses": 1.0, "open: window painted (reading)": 1.0}
    print(f"\nmedian of {args.runs} runs, {args.tasks} tasks")
    print(f"{'':24}{'年度清单 screen':>16}{'plain QTableView':>18}{'goal':>10}")
    for key, value in screen.items():
        base = baseline.get(key)
        goal = goals.get(key, 0.1)
        base_text = f"{base * 1000:>14.0f} ms" if base is not None else f"{'—':>17}"
        mark = "ok" if value <= goal else "MISSED"
        print(f"{key:24}{value * 1000:>13.0f} ms{base_text} {goal * 1000:>6.0f} ms {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
