"""年度清单 as a county official meets it: the check view, undo, sorting, stable layout."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.services import clock
from desktop.services.context import Services
from desktop.services.demo.office import run_demo
from desktop.services.office.service import OfficeInfo
from desktop.services.progress.service import ProgressEntry
from desktop.ui import dialogs
from tests.ui.worklist_helpers import builtin_notice, click_row, make_page, settle


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


def _drafted(qtbot, services: Services):  # type: ignore[no-untyped-def]
    """安吉县 under 湖州市 with the draft as generated, checked."""
    services.office.save(
        OfficeInfo(locality="安吉县", level="县级", parent="湖州市", operator="张三")
    )
    wl = services.list_lifecycle.create(builtin_notice(services), 2027)
    services.task_editing.generate_draft(wl.id)
    page = make_page(qtbot, services)
    page.run_check()
    settle(qtbot, page)
    return page


def _row_of(page, kind: str) -> int:  # type: ignore[no-untyped-def]
    model = page.check_panel.model
    return next(r for r in range(model.rowCount()) if model.item(r)[0].kind == kind)


def _click(qtbot, view, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    index = view.model().index(row, 0)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, modifier, view.visualRect(index).center()
    )


def test_a_click_selects_a_double_click_opens_and_all_warnings_share_one_note(
    qtbot, services: Services, answered, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    page = _drafted(qtbot, services)
    panel = page.check_panel
    chosen: list[object] = []
    panel.issue_chosen.connect(chosen.append)
    errors = [i for i in panel.result.errors]
    assert {"target-copied", "content-copied", "copied-place"} <= {i.kind for i in errors}
    first = _row_of(page, "no-milestone")
    _click(qtbot, panel.view, first)
    _click(qtbot, panel.view, first + 2, Qt.KeyboardModifier.ControlModifier)
    _click(qtbot, panel.view, first + 4, Qt.KeyboardModifier.ShiftModifier)
    # Shift extends from the Ctrl-clicked row: rows 0, 2, 3 and 4 of the run
    assert chosen == [] and len(panel.selected()) == 4  # clicks select, nothing opened
    assert page.tabs.currentWidget() is panel
    index = panel.model.index(first, 0)
    # a real double click is a press and release, then the double-click event
    _click(qtbot, panel.view, first)
    assert chosen == []
    qtbot.mouseDClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(index).center()
    )
    assert len(chosen) == 1 and page.tabs.currentWidget() is page.editor
    page.tabs.setCurrentWidget(panel)
    panel.grab().save(str(shots / "check_panel.png"))
    open_warnings = len(panel.result.open_warnings)
    assert panel.accept_all_button.text() == f"全部说明（{open_warnings} 条）…"
    answered["text"] = "节点在季度调度会上统一明确"
    panel.accept_all_button.click()
    settle(qtbot, page)
    assert panel.result.open_warnings == [] and len(panel.result.warnings) == open_warnings
    assert not panel.accept_all_button.isEnabled()


def test_localise_rewrites_the_provinces_target_in_one_step(
    qtbot, services: Services, answered, monkeypatch, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    page = _drafted(qtbot, services)
    panel = page.check_panel
    row = _row_of(page, "target-copied")
    issue = panel.model.item(row)[0]
    _click(qtbot, panel.view, row)
    assert panel.localise_button.isEnabled()
    seen: dict[str, object] = {}

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.resize(720, 560)
        dialog.grab().save(str(shots / "localise_dialog.png"))
        seen["proposal"] = dialog.record()
        seen["ok_before"] = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        dialog.content.setPlainText("建设县级零碳园区，完善园区能源管理平台")
        dialog.target_text.setPlainText("建成县级零碳园区1个")
        dialog.target_value.setText("1")
        dialog.target_unit.setText("个")
        seen["ok_after"] = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        return True

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    panel.localise_button.click()
    settle(qtbot, page)
    assert seen["ok_before"] is False and seen["ok_after"] is True
    proposal = seen["proposal"]
    assert "省级" not in proposal.target_text and proposal.target_value is None  # type: ignore[attr-defined]
    saved = services.worklists.task(issue.task_id)
    assert (saved.target_text, saved.target_value) == ("建成县级零碳园区1个", "1")
    left = [i for i in panel.result.issues if i.task_id == issue.task_id and i.is_error]
    assert left == []


def test_a_header_sort_is_shown_undone_and_not_carried_into_the_next_version(
    qtbot, services: Services, answered, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    from desktop.db.models import WorkList
    from desktop.ui.worklist.rows import CONTENT_COLUMN

    demo = run_demo(services, tasks=40)
    page = make_page(qtbot, services)
    numbers = [page.model.view(r).row.number for r in range(page.model.rowCount())]
    chip = page.filters.sort_chip
    width = chip.width()
    assert chip.text() == "排序：编号" and not chip.isEnabled()
    header = page.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft()
        + QPoint(header.sectionViewportPosition(CONTENT_COLUMN) + 20, 8),
    )
    assert header.sortIndicatorSection() == CONTENT_COLUMN
    assert chip.text() == "排序：工作任务↑ ✕" and chip.isEnabled() and chip.width() == width
    sorted_numbers = [page.model.view(r).row.number for r in range(page.model.rowCount())]
    assert sorted_numbers != numbers
    page.grab().save(str(shots / "worklist_sorted.png"))
    chip.click()  # back to 编号 order
    assert [page.model.view(r).row.number for r in range(page.model.rowCount())] == numbers
    assert header.sortIndicatorSection() == -1 and chip.text() == "排序：编号"
    # sorted again, then a new version: it opens in its own order
    page.table.sortByColumn(CONTENT_COLUMN, Qt.SortOrder.DescendingOrder)
    assert chip.text() == "排序：工作任务↓ ✕"
    with services.sessions.begin() as s:
        row = s.get(WorkList, demo.list_id)
        assert row is not None
        row.state, row.submitted_at = "submitted", "2027-07-01T10:00:00+08:00"
    page.activated()
    settle(qtbot, page)
    page.start_new_version()
    settle(qtbot, page)
    assert page._summary is not None and page._summary.version == 2
    assert header.sortIndicatorSection() == -1 and chip.text() == "排序：编号"
    assert [page.model.view(r).row.number for r in range(page.model.rowCount())] == numbers


def test_undo_and_redo_over_saved_edits_deletes_and_moves(
    qtbot, services: Services, answered
) -> None:  # type: ignore[no-untyped-def]
    demo = run_demo(services, tasks=40)
    page = make_page(qtbot, services)

    def stored() -> list[tuple[str, str, str]]:
        return [(r.uid, r.number, r.content) for r in services.worklists.rows(demo.list_id)]

    original = stored()
    click_row(qtbot, page, 1)
    page.editor.content.setPlainText("改过的工作任务")
    qtbot.keyClick(page.editor.content, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    edited = stored()
    assert edited[1][2] == "改过的工作任务"
    page._select_rows([page.model.view(3).row.id])
    page.move_current(1)
    settle(qtbot, page)
    moved = stored()
    page._select_rows([page.model.view(5).row.id, page.model.view(6).row.id])
    page.delete_selected()
    settle(qtbot, page)
    assert len(stored()) == 38
    assert page.undo_button.toolTip().startswith("撤销：删除任务")
    # Ctrl+Z three times (focus on the table), each back one step
    page.table.setFocus()
    for expected in (moved, edited, original):
        qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, page)
        assert stored() == expected
    assert not page.undo_button.isEnabled() and page.redo_button.isEnabled()
    assert page.editor.content.toPlainText() != "改过的工作任务"  # the editor shows it too
    for expected in (edited, moved):
        qtbot.keyClick(page.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, page)
        assert stored() == expected
    qtbot.keyClick(page.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, page)
    assert len(stored()) == 38  # the deletion made again
    assert not page.redo_button.isEnabled()
    # a new task: undone (gone) and redone (back, with its uid)
    page.new_task()
    page.editor.content.setPlainText("新增的本县任务")
    page.editor.target_text.setPlainText("完成年度任务")
    assert page.save_task()
    added = stored()
    assert len(added) == 39 and "新增的本县任务" in [c for _u, _n, c in added]
    page.undo()
    settle(qtbot, page)
    assert len(stored()) == 38
    page.redo()
    settle(qtbot, page)
    assert stored() == added
    assert answered["messages"] == []  # no step failed
    moved = stored()
    # typing Ctrl+Z in a text field undoes the typing, not a task edit
    click_row(qtbot, page, 0)
    page.editor.content.setFocus()
    qtbot.keyClicks(page.editor.content, "abc")
    qtbot.keyClick(page.editor.content, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, page)
    assert stored() == moved


def test_esc_clears_the_search(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    run_demo(services, tasks=40)
    page = make_page(qtbot, services)
    search = page.filters.search
    search.setFocus()
    search.setText("养老")
    page.filters.flush_search()
    assert 0 < page.model.rowCount() < 40
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == "" and page.model.rowCount() == 40


def test_units_are_chosen_from_the_offices_list_and_added_to_it_explicitly(
    qtbot, services: Services, answered, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    run_demo(services, tasks=40)
    page = make_page(qtbot, services)
    click_row(qtbot, page, 0)
    lead = page.editor.lead_units
    assert lead.line.isReadOnly()  # "1" cannot be typed in
    page.editor.lead_units.line.setFocus()
    qtbot.keyClicks(lead.line, "1")
    assert "1" not in lead.value()
    before = lead.value()
    lead.menu.aboutToShow.emit()
    names = [a.data() for a in lead.menu.actions() if a.isCheckable()]
    assert names[: len(services.units.unit_names())] == services.units.unit_names()
    # ticking another replaces nothing typed: the value is the ticked names
    for action in lead.menu.actions():
        if action.isCheckable() and action.data() in before:
            action.setChecked(False)
    other = next(a for a in lead.menu.actions() if a.data() == "县民政局")
    other.setChecked(True)
    assert lead.value() == ["县民政局"] and lead.line.text() == "县民政局"
    # 新增单位…: a unit the list lacks goes onto the office's list, and onto the task
    answered["text"] = "县低空经济办"
    add = next(a for a in lead.menu.actions() if a.text().startswith("新增单位"))
    add.trigger()
    assert services.units.unit_names()[-1] == "县低空经济办"
    assert lead.value() == ["县民政局", "县低空经济办"]
    page.grab().save(str(shots / "worklist_units.png"))
    assert page.save_task()
    task = services.worklists.task(page.editor.current_id())
    assert task.lead_units == ["县民政局", "县低空经济办"]


def test_the_detail_pane_keeps_its_place_after_saving(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    run_demo(services, tasks=40)
    page = make_page(qtbot, services)
    click_row(qtbot, page, 0)
    editor = page.editor
    content = editor.content.toPlainText()
    assert editor.content_limit.counter.text() == f"{len(content)}/2000"  # counted on load
    bar = editor._scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())  # down at 备注
    editor.remarks.setPlainText("年中调度后补充")
    assert page.save_task()
    assert bar.value() == bar.maximum() > 0
    assert editor.state_label.text() == "已保存"
