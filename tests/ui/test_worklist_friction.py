"""年度清单 as a county official meets it: the check view, undo, sorting, stable layout."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from pathlib import Path

import pytest

from desktop.services import clock
from desktop.services.context import Services
from desktop.services.demo.office import run_demo
from desktop.services.progress.service import ProgressEntry
from tests.ui.worklist_helpers import make_page, settle


@pytest.fixture
def ticking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each stamp a minute after the last, so every change reads as a change."""
    start, minutes = datetime(2027, 6, 30, 9, 0).astimezone(), count()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=next(minutes)))


def test_progress_alone_does_not_call_for_a_new_check(
    qtbot, services: Services, answered, ticking
) -> None:  # type: ignore[no-untyped-def]
    demo = run_demo(services, tasks=40)
    page = make_page(qtbot, services)
    page.run_check()
    settle(qtbot, page)
    assert page.check_panel.summary.text().startswith("校验通过")
    period = services.progress.current_period(demo.list_id)
    task = services.worklists.rows(demo.list_id)[0].id
    services.progress.save(
        demo.list_id, period.id, [ProgressEntry(task_id=task, text="新的进展", percent=60)]
    )
    page.activated()  # back on the screen after 进展填报
    settle(qtbot, page)
    assert "请重新校验" not in page.check_panel.summary.text()
    # a change of a task does
    record = services.worklists.task(task)
    record.remarks = "补充说明"
    services.task_editing.save_task(demo.list_id, record)
    page.activated()
    settle(qtbot, page)
    assert "请重新校验" in page.check_panel.summary.text()
