"""The list screen driven through the main flow: create → draft → edit → 不适用 → check → clean."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.core.status import Status
from desktop.services.context import Services
from tests.ui.worklist_helpers import builtin_notice, click_row, make_page, row_ids, settle


def test_empty_office_shows_how_to_start(qtbot, county: Services, answered) -> None:
    page = make_page(qtbot, county)
    assert page.body.currentIndex() == 0
    assert "新建清单" in page.empty.text()
    assert not page.draft_button.isEnabled()


def test_main_flow_until_the_check_is_clean(qtbot, county: Services, answered, shots: Path) -> None:
    page = make_page(qtbot, county)

    # 新建清单: the dialog's defaults (built-in notice, next year, 按季度, 25日)
    page.new_list()
    lists = county.worklists.lists(own=True)
    assert len(lists) == 1 and lists[0].cadence == "quarterly" and lists[0].due_day == 25
    assert page.body.currentIndex() == 1 and page.state_badge.text() == "草稿"
    assert page.coverage.model.counts()["uncovered"] == 38

    # 生成初稿 (in the background), then again: nothing is duplicated, the message says so
    page.generate_draft()
    settle(qtbot, page)
    assert page.model.rowCount() == 38
    assert "新增 38 项任务" in answered["messages"][-1][2]
    page.generate_draft()
    settle(qtbot, page)
    assert "没有新增任务：38 个条目已有任务未改动" in answered["messages"][-1][2]
    assert page.model.rowCount() == 38

    # statuses arrive after the rows
    assert all(page.model.view(r).status is not None for r in range(38))

    # edit the first task: target, milestones by quarter, save with the editor's button
    first = page.model.view(0).row.id
    click_row(qtbot, page, 0)
    assert page.editor.current_id() == first
    page.editor.target_text.setPlainText("建成科技服务平台2个")
    assert page.editor.is_dirty() and page.editor.save_button.isEnabled()
    page.editor.milestones.fill_quarters()
    assert [m.percent for m in page.editor.record().milestones] == [25, 50, 75, 100]
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    saved = county.worklists.task(first)
    assert saved.target_text == "建成科技服务平台2个" and len(saved.milestones) == 4
    assert not page.editor.is_dirty()
    assert page.model.view(0).cells[4] == "建成科技服务平台2个"

    # 校验: errors listed first, red; clicking one selects the task in the table
    page.run_check()
    settle(qtbot, page)
    result = page.check_panel.result
    assert result is not None and not result.passed
    assert page.check_panel.model.item(0)[0].is_error
    target_issue = next(i for i in result.errors if i.key.startswith("no-target:"))
    page.go_to_issue(target_issue)
    assert page.editor.current_id() == target_issue.task_id
    assert page.tabs.currentWidget() is page.editor

    # fix every task through the editor and Ctrl+S; delete the last task's measure's task
    # and mark that measure 不适用 from the coverage panel
    last_row = page.model.view(37).row
    click_row(qtbot, page, 37)
    answered["confirm"] = True
    page.delete_selected()
    settle(qtbot, page)
    assert page.model.rowCount() == 37
    measure = last_row.measure_ids[0]
    page.tabs.setCurrentWidget(page.coverage)
    assert page.coverage.select(measure)
    answered["text"] = "本县不承担该项工作，由市级统筹"
    page.coverage.mark_not_applicable()
    assert county.worklists.exclusions(page._summary.id)[measure].startswith("本县不承担")
    assert page.coverage.model.counts()["excluded"] == 1

    for r in range(page.model.rowCount()):
        click_row(qtbot, page, r)
        editor = page.editor
        # the county's own words: the notice's text and targets are the province's
        editor.content.setPlainText(f"本县推进第{page.model.view(r).row.number}项工作")
        editor.target_text.setPlainText("完成年度工作任务")
        editor.target_value.clear()
        if not editor.milestones.milestones():
            editor.milestones.fill_quarters()
        if editor.is_dirty():
            qtbot.keyClick(editor.content, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.editor.is_dirty()

    page.run_check()
    settle(qtbot, page)
    result = page.check_panel.result
    assert result is not None and not result.errors
    # the remaining warnings (units not in the office's list, …) are accepted in writing
    if result.open_warnings:
        view = page.check_panel.view
        view.selectAll()
        answered["text"] = "已与上级主管部门沟通确认"
        page.check_panel.accept_selected()
        settle(qtbot, page)
    result = page.check_panel.result
    assert result is not None and result.passed
    assert page.state_badge.text() == "已校验"
    assert "已校验" in page.list_combo.currentText()
    page.window().resize(1280, 800)
    assert page.grab().save(str(shots / "worklist_checked.png"))

    # any edit returns the list to 草稿
    click_row(qtbot, page, 0)
    page.editor.remarks.setPlainText("补充说明")
    assert page.save_task()
    assert page.state_badge.text() == "草稿"


def test_filters_search_and_sort(qtbot, county: Services, answered) -> None:
    wl = county.list_lifecycle.create(builtin_notice(county), 2027)
    county.task_editing.generate_draft(wl.id)
    page = make_page(qtbot, county)
    total = page.model.rowCount()
    assert total == 38

    # search (debounced; Enter runs it at once): 3+ characters use the trigram index
    page.filters.search.setText("孵化器")
    page.filters.flush_search()
    hits = county.worklists.search(wl.id, "孵化器")
    assert set(row_ids(page)) == hits and 0 < len(hits) < total
    # 1–2 characters fall back to LIKE
    page.filters.search.setText("港")
    qtbot.waitUntil(lambda: set(row_ids(page)) == county.worklists.search(wl.id, "港"))
    page.filters.clear()
    assert page.model.rowCount() == total

    # lead unit
    i = page.filters.lead.findData("县科技局")
    page.filters.lead.setCurrentIndex(i)
    assert page.model.rowCount() > 0
    leads = [page.model.view(r).row.lead_units for r in range(page.model.rowCount())]
    assert all("县科技局" in units for units in leads)
    page.filters.clear()

    # section (a top-level section includes its subsections)
    index = page._index
    top = next(s for s in index.sections if s.level == 1)
    page.filters.section.setCurrentIndex(page.filters.section.findData(top.id))
    shown = [page.model.view(r) for r in range(page.model.rowCount())]
    assert shown and all(top.id in v.sections for v in shown)
    page.filters.clear()

    # status: a fresh draft read at the year's end has reported nothing: every task owes the
    # period's report (本期未填报), none is counted as 滞后
    page.filters.status.setCurrentIndex(page.filters.status.findData("not_reported"))
    assert page.model.rowCount() == total
    page.filters.status.setCurrentIndex(page.filters.status.findData(Status.LAGGING.value))
    assert page.model.rowCount() == 0
    page.filters.status.setCurrentIndex(page.filters.status.findData(Status.DONE.value))
    assert page.model.rowCount() == 0
    page.filters.clear()

    # has-problems: the draft leaves some targets empty
    page.filters.problems.setChecked(True)
    assert 0 < page.model.rowCount() < total
    assert all(page.model.view(r).row.problems for r in range(page.model.rowCount()))
    page.filters.clear()

    # measure filter from the coverage panel, shown as a chip that clears it
    measure = page.model.view(5).row.measure_ids[0]
    page.coverage.measure_chosen.emit(measure)
    assert page.filters.measure_chip.isVisible()
    assert all(measure in page.model.view(r).row.measure_ids for r in range(page.model.rowCount()))
    page.filters.measure_chip.click()
    assert page.model.rowCount() == total

    # sort by 编号 descending via the header, then back to list order (third click)
    header = page.table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    numbers = [page.model.view(r).row.number for r in range(page.model.rowCount())]
    assert numbers[0] == "38" and numbers[-1] == "1"
    assert not page.up_button.isEnabled()  # moving needs the list order
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    assert [page.model.view(r).row.number for r in range(3)] == ["1", "2", "3"]


def test_keyboard(qtbot, county: Services, answered) -> None:
    wl = county.list_lifecycle.create(builtin_notice(county), 2027)
    county.task_editing.generate_draft(wl.id)
    page = make_page(qtbot, county)
    page.table.setFocus()
    click_row(qtbot, page, 2)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.editor.content.hasFocus()
    qtbot.keyClick(page.editor.content, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.filters.search.hasFocus()
    # Ctrl+N: a new, unsaved task for the current measure, saved below its group
    measure = page.model.view(2).row.measure_ids[0]
    qtbot.keyClick(page.filters.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.editor.current_id() is None and page.editor.is_dirty()
    assert page.editor.measures.value() == [measure]
    page.editor.content.setPlainText("新增的本县任务")
    page.editor.target_text.setPlainText("完成1项")
    qtbot.keyClick(page.editor.content, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    rows = county.worklists.rows(wl.id)
    assert len(rows) == 39
    assert rows[3].content == "新增的本县任务" and rows[3].measure_ids == (measure,)
    assert rows[3].deadline == date(2027, 12, 31)
    # Delete on the table asks, then deletes; Ctrl+Z on the table brings it back
    page.table.setFocus()
    click_row(qtbot, page, 3)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle(qtbot, page)
    assert len(county.worklists.rows(wl.id)) == 38
    assert page.undo_button.isEnabled()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, page)
    assert [r.content for r in county.worklists.rows(wl.id)][3] == "新增的本县任务"
    assert page.selected_ids() == [county.worklists.rows(wl.id)[3].id]
