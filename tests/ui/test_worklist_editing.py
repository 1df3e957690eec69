"""Editing on the list screen: fields, split, merge, move, renumber, undo, unsaved edits,
versions."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from desktop.core.worklist import MilestoneRecord
from desktop.services.context import Services
from desktop.services.worklist.rows import WorkListSummary
from desktop.ui import dialogs
from desktop.ui.worklist import WorkListPage
from tests.ui.worklist_helpers import builtin_notice, click_row, make_page, row_ids, settle


@pytest.fixture
def drafted(county: Services) -> WorkListSummary:
    wl = county.list_lifecycle.create(builtin_notice(county), 2027)
    county.task_editing.generate_draft(wl.id)
    return wl


def _page(qtbot, county: Services) -> WorkListPage:  # type: ignore[no-untyped-def]
    return make_page(qtbot, county)


def test_every_field_round_trips_through_the_editor(
    qtbot, county: Services, drafted, answered
) -> None:
    page = _page(qtbot, county)
    click_row(qtbot, page, 0)
    ed = page.editor
    measures = county.worklists.measures(drafted.id)
    ed.number.setText("1-甲")
    # measures: search narrows the list; ticking adds after the first (main) measure
    ed.measures.search.setText("养老")
    visible = [
        ed.measures.list.item(i)
        for i in range(ed.measures.list.count())
        if not ed.measures.list.item(i).isHidden()
    ]
    texts = page._index.measure_text
    assert 0 < len(visible) < ed.measures.list.count()
    assert all(
        "养老" in item.text() or "养老" in texts[item.data(Qt.ItemDataRole.UserRole)]
        for item in visible
    )
    target = next(i for i in visible if "养老" in i.text())
    target.setCheckState(target.checkState().Checked)
    ed.content.setPlainText("本县综合任务")
    ed.target_text.setPlainText("新增养老床位")
    ed.target_value.setText("120")
    ed.target_unit.setText("张")
    # units: ticked from the local list (menu) and typed freely
    ed.lead_units.menu.aboutToShow.emit()
    action = next(a for a in ed.lead_units.menu.actions() if a.text() == "县民政局")
    action.setChecked(True)
    assert ed.lead_units.value() == ["县科技局", "县民政局"]
    ed.co_units.set_value(["县财政局", "某某协会"])
    ed.leader.setText("王副县长")
    ed.person.setText("李四")
    ed.phone.setText("0571-12345678")
    ed.start_on.set_value(date(2027, 3, 1))
    ed.deadline.set_value(date(2027, 11, 30))
    ed.milestones.fill_quarters()  # inside the window: Q1 is before 1 March
    assert [m.due_on for m in ed.milestones.milestones()] == [
        date(2027, 3, 31),
        date(2027, 6, 30),
        date(2027, 9, 30),
    ]
    ed.remarks.setPlainText("备注内容")
    assert page.save_task()
    rec = county.worklists.task(ed.current_id())
    assert rec.number == "1-甲" and rec.content == "本县综合任务"
    assert rec.measure_ids[0] == measures[0].id and len(rec.measure_ids) == 2
    assert (rec.target_text, rec.target_value, rec.target_unit) == ("新增养老床位", "120", "张")
    assert rec.lead_units == ["县科技局", "县民政局"]
    assert rec.co_units == ["县财政局", "某某协会"]
    assert (rec.leader, rec.person, rec.phone) == ("王副县长", "李四", "0571-12345678")
    assert (rec.start_on, rec.deadline) == (date(2027, 3, 1), date(2027, 11, 30))
    assert [m.percent for m in rec.milestones] == [33, 67, 100]
    assert rec.remarks == "备注内容"
    # the table shows the saved row at once, the coverage counts the second measure
    assert page.model.view(0).cells[0] == "1-甲"
    counts = {c.measure_id: c.tasks for c in county.worklists.coverage(drafted.id)}
    assert counts[rec.measure_ids[1]] == 2
    # clearing a date and the value works too
    ed.deadline.set_value(None)
    ed.target_value.setText("")
    assert page.save_task()
    rec = county.worklists.task(ed.current_id())
    assert rec.deadline is None and rec.target_value is None
    assert "缺完成时限" in page.model.view(0).row.problems


def test_bad_input_is_refused_and_the_edit_kept(qtbot, county: Services, drafted, answered) -> None:
    page = _page(qtbot, county)
    click_row(qtbot, page, 0)
    page.editor.start_on.set_value(date(2027, 12, 1))
    page.editor.deadline.set_value(date(2027, 6, 30))
    assert not page.save_task()
    kind, _title, text = answered["messages"][-1]
    assert kind == "warning" and "开始日期晚于完成时限" in text
    assert page.editor.is_dirty()  # nothing lost
    assert county.worklists.task(page.editor.current_id()).deadline == date(2027, 12, 31)


def test_milestone_table_edits(qtbot, county: Services, drafted, answered) -> None:
    page = _page(qtbot, county)
    click_row(qtbot, page, 1)
    ms = page.editor.milestones
    ms.add_milestone()
    ms.add_milestone()
    model = ms.model
    assert [m.label for m in ms.milestones()] == ["一季度", "二季度"]
    assert model.setData(model.index(0, 2), "完成方案")
    assert model.setData(model.index(0, 3), 30)
    assert model.setData(model.index(1, 3), 60)
    assert model.setData(model.index(1, 3), -1)  # blank again
    from PySide6.QtCore import QDate

    assert not model.setData(model.index(1, 0), QDate(2027, 3, 31))  # two on one day
    # told once the item editor has closed, not from inside setData
    qtbot.waitUntil(lambda: bool(answered["messages"]))
    assert answered["messages"][-1][0] == "warning"
    ms.table.selectRow(1)
    ms.remove_milestone()
    assert ms.milestones() == [MilestoneRecord(date(2027, 3, 31), "一季度", "完成方案", 30)]
    # replacing existing milestones by quarters asks first
    answered["confirm"] = False
    ms.fill_quarters()
    assert len(ms.milestones()) == 1
    answered["confirm"] = True
    ms.fill_quarters()
    assert len(ms.milestones()) == 4


def test_a_target_carried_over_from_the_notice_is_pointed_out(
    qtbot, county: Services, drafted, answered
) -> None:
    page = _page(qtbot, county)
    click_row(qtbot, page, 0)  # 研发设计方面: the draft copied 建设10个…集聚区 (the province's)
    ed = page.editor
    assert ed.target_text.toPlainText() == "建设10个科技服务业创新发展集聚区"
    assert ed.target_copied() and ed.target_note.isVisible()
    assert "上级文件中的目标原文" in ed.target_note.text()
    ed.target_text.setPlainText("建设1个县级科技服务业集聚区")
    assert not ed.target_note.isVisible()
    assert page.save_task()
    click_row(qtbot, page, 1)  # a measure without a target: nothing to point out
    assert not ed.target_text.toPlainText() and not ed.target_note.isVisible()
    click_row(qtbot, page, 0)
    assert not ed.target_note.isVisible()


def test_adding_a_milestone_after_the_quarters_stays_in_the_task_and_year(
    qtbot, county: Services, drafted, answered
) -> None:
    page = _page(qtbot, county)
    click_row(qtbot, page, 1)
    ms = page.editor.milestones
    ms.fill_quarters()
    ms.add_milestone()  # every quarter end is taken: a month end, not 1 January next year
    added = [m for m in ms.milestones() if m.label not in ("一季度", "二季度", "三季度", "四季度")]
    assert [(m.due_on, m.label) for m in added] == [(date(2027, 1, 31), "1月底")]
    # a task of the first half: new milestones stay inside its window
    page.editor.deadline.set_value(date(2027, 6, 30))
    ms.set_milestones([])
    for _ in range(3):
        ms.add_milestone()
    days = [m.due_on for m in ms.milestones()]
    assert days == [date(2027, 1, 31), date(2027, 3, 31), date(2027, 6, 30)]


def test_split_merge_move_renumber(qtbot, county: Services, drafted, answered) -> None:
    page = _page(qtbot, county)
    first = page.model.view(0).row
    click_row(qtbot, page, 0)
    page.split_current()  # the dialog offers one line per sentence of the task
    settle(qtbot, page)
    rows = county.worklists.rows(drafted.id)
    parts = [r for r in rows if r.number.startswith(f"{first.number}-")]
    assert len(parts) > 1
    assert page.selected_ids() == [p.id for p in parts]
    # merge two of them back
    page._select_rows([parts[0].id, parts[1].id])
    assert page.merge_button.isEnabled()
    page.merge_selected()
    settle(qtbot, page)
    rows = county.worklists.rows(drafted.id)
    assert len(rows) == 38 + len(parts) - 2
    merged = county.worklists.task(parts[0].id)
    assert parts[1].content in merged.content
    # move the merged task down one place, then renumber
    page._select_rows([parts[0].id])
    page.move_current(1)
    settle(qtbot, page)
    assert row_ids(page)[1] == parts[0].id
    page.renumber()
    settle(qtbot, page)
    numbers = [r.number for r in county.worklists.rows(drafted.id)]
    assert numbers[: len(parts) - 1] == [f"1-{k}" for k in range(1, len(parts))]
    assert page.model.view(0).row.number == "1-1"


def test_split_refuses_a_single_part(qtbot, county: Services, drafted, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "warning", lambda _p, _t, text: shown.append(text))

    def one_line(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.parts_edit.setPlainText("只有一段")
        return True

    monkeypatch.setattr(dialogs, "run_dialog", one_line)
    page = _page(qtbot, county)
    click_row(qtbot, page, 0)
    page.split_current()
    settle(qtbot, page)
    assert shown and "至少需要两段" in shown[-1]
    assert len(county.worklists.rows(drafted.id)) == 38


def test_delete_asks_and_undo_restores(qtbot, county: Services, drafted, answered) -> None:
    page = _page(qtbot, county)
    before = [(r.uid, r.content) for r in county.worklists.rows(drafted.id)]
    page._select_rows([page.model.view(2).row.id, page.model.view(3).row.id])
    answered["confirm"] = False
    page.delete_selected()
    settle(qtbot, page)
    assert len(county.worklists.rows(drafted.id)) == 38
    answered["confirm"] = True
    page.delete_selected()
    settle(qtbot, page)
    assert len(county.worklists.rows(drafted.id)) == 36
    assert page.undo_button.isEnabled() and "撤销" in page.message.text()
    page.undo()
    settle(qtbot, page)
    assert [(r.uid, r.content) for r in county.worklists.rows(drafted.id)] == before
    assert not page.undo_button.isEnabled()


def test_switching_task_with_unsaved_edits(qtbot, county: Services, drafted, answered) -> None:
    page = _page(qtbot, county)
    click_row(qtbot, page, 0)
    first = page.editor.current_id()
    page.editor.content.setPlainText("改过的内容")
    # cancel: the selection goes back and the edit stays
    answered["save"] = "cancel"
    click_row(qtbot, page, 1)
    assert page.editor.current_id() == first and page.editor.is_dirty()
    qtbot.waitUntil(lambda: page.selected_ids() == [first])
    # discard: the stored text stays, the other task opens
    answered["save"] = "discard"
    click_row(qtbot, page, 1)
    assert page.editor.current_id() == page.model.view(1).row.id
    assert county.worklists.task(first).content != "改过的内容"
    # save: stored, then the other task opens
    page.editor.content.setPlainText("保存的内容")
    answered["save"] = "save"
    click_row(qtbot, page, 2)
    assert county.worklists.task(page.model.view(1).row.id).content == "保存的内容"


def test_may_close_and_switching_list(qtbot, county: Services, drafted, answered) -> None:
    other = county.list_lifecycle.create(builtin_notice(county), 2028)
    page = _page(qtbot, county)
    assert page._summary.id == other.id  # the newest year comes first
    page.reload_lists(select=drafted.id)
    click_row(qtbot, page, 0)
    page.editor.content.setPlainText("未保存")
    answered["save"] = "cancel"
    assert not page.may_close()
    page.list_combo.setCurrentIndex(page.list_combo.findData(other.id))
    page.list_combo.activated.emit(page.list_combo.currentIndex())
    assert page._summary.id == drafted.id  # stayed
    assert page.list_combo.currentData() == drafted.id
    answered["save"] = "save"
    assert page.may_close()
    assert county.worklists.task(page.editor.current_id()).content == "未保存"
    page.list_combo.activated.emit(page.list_combo.findData(other.id))
    assert page._summary.id == other.id and page.model.rowCount() == 0


def test_main_window_close_asks_the_list_screen(qtbot, county: Services, drafted, answered):
    from desktop.app import build_main_window

    window = build_main_window(county)
    qtbot.addWidget(window)
    window.show()
    page = window.show_area("worklists")
    qtbot.waitUntil(page.idle)
    page._select_rows([page.model.view(0).row.id])
    page._load_task(page.model.view(0).row.id)
    page.editor.content.setPlainText("关窗前的修改")
    answered["save"] = "cancel"
    assert not window.close()
    answered["save"] = "save"
    assert window.close()
    assert county.worklists.rows(drafted.id)[0].content == "关窗前的修改"


def test_submitted_version_is_frozen_until_a_new_version(
    qtbot, county: Services, drafted, answered
) -> None:
    with county.sessions.begin() as s:  # what 上报 does (the exchange screen)
        from desktop.db.models import WorkList

        row = s.get(WorkList, drafted.id)
        assert row is not None
        row.state, row.submitted_at = "submitted", "2027-02-01T10:00:00+08:00"
    page = _page(qtbot, county)
    assert page.banner.isVisible() and "已冻结" in page.banner.text()
    assert page.new_version_button.isVisible()
    assert not page.add_button.isEnabled() and not page.draft_button.isEnabled()
    click_row(qtbot, page, 0)
    assert page.editor.content.isReadOnly() and not page.editor.save_button.isEnabled()
    page.delete_selected()
    settle(qtbot, page)
    assert len(county.worklists.rows(drafted.id)) == 38
    page.start_new_version()
    settle(qtbot, page)
    current = page._summary
    assert current.version == 2 and current.state == "draft"
    assert not page.banner.isVisible() and page.add_button.isEnabled()
    assert not page.editor.content.isReadOnly() or not page.editor.has_task()
    # the old version is still there to look at, read-only
    assert page.list_combo.findData(drafted.id) >= 0


def test_new_list_errors_are_plain_chinese(qtbot, county: Services, drafted, answered) -> None:
    page = _page(qtbot, county)

    def same_year(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.year.setValue(2027)
        return True

    answered_run = dialogs.run_dialog
    try:
        dialogs.run_dialog = same_year  # type: ignore[assignment]
        page.new_list()
    finally:
        dialogs.run_dialog = answered_run  # type: ignore[assignment]
    kind, _title, text = answered["messages"][-1]
    assert kind == "warning" and "已经存在" in text
    assert len(county.worklists.lists(own=True)) == 1


def test_not_applicable_needs_a_reason_and_can_be_undone(
    qtbot, county: Services, drafted, answered, monkeypatch
) -> None:
    page = _page(qtbot, county)
    measure = page.model.view(0).row.measure_ids[0]
    page.coverage.select(measure)
    asked: list[dict[str, object]] = []

    def ask(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs)
        return answered["text"]

    # the reason is asked by the dialog that stays open until one is written (or 取消)
    monkeypatch.setattr(dialogs, "ask_required_text", ask)
    answered["text"] = None  # 取消
    page.coverage.mark_not_applicable()
    assert "必须填写理由" in str(asked[-1]["missing"]) and asked[-1]["ok"] == "标为不适用"
    assert county.worklists.exclusions(drafted.id) == {}
    assert answered["messages"] == []  # no warning that would close the dialog
    answered["text"] = "本县不涉及"
    answered["confirm"] = True  # it has tasks: asked first
    page.coverage.mark_not_applicable()
    assert county.worklists.exclusions(drafted.id) == {measure: "本县不涉及"}
    page.coverage.select(measure)
    page.coverage.clear_not_applicable()
    assert county.worklists.exclusions(drafted.id) == {}


def test_accepted_warning_can_be_revoked(qtbot, county: Services, drafted, answered) -> None:
    page = _page(qtbot, county)
    page.run_check()
    qtbot.waitUntil(page.idle)
    panel = page.check_panel
    warning_row = next(
        r for r in range(panel.model.rowCount()) if not panel.model.item(r)[0].is_error
    )
    issue = panel.model.item(warning_row)[0]
    panel.view.setCurrentIndex(panel.model.index(warning_row))
    answered["text"] = "按上级要求暂不设节点"
    panel.accept_selected()
    qtbot.waitUntil(page.idle)
    assert county.list_checks.accepted_warnings(drafted.id)[issue.key] == "按上级要求暂不设节点"
    panel.select(issue.key)
    assert panel.revoke_button.isEnabled()
    panel.revoke_selected()
    qtbot.waitUntil(page.idle)
    assert issue.key not in county.list_checks.accepted_warnings(drafted.id)


def test_other_screens_open_a_task_in_the_list(qtbot, county: Services, drafted, answered):
    """The overview and the notice screen call load_list(list_id, select=[task])."""
    other = county.list_lifecycle.create(builtin_notice(county), 2028)
    page = _page(qtbot, county)
    assert page._summary.id == other.id
    target = county.worklists.rows(drafted.id)[20]
    page.load_list(drafted.id, select=[target.id])
    assert page._summary.id == drafted.id and page.list_combo.currentData() == drafted.id
    assert page.editor.current_id() == target.id and page.selected_ids() == [target.id]
    # a filter hiding the task is cleared; unsaved edits are asked about first
    page.filters.search.setText("不会匹配的词语")
    page.filters.flush_search()
    page.editor.content.setPlainText("编辑中")
    answered["save"] = "cancel"
    page.load_list(other.id)
    assert page._summary.id == drafted.id and page.editor.is_dirty()
    answered["save"] = "discard"
    first = county.worklists.rows(drafted.id)[0]
    page.load_list(drafted.id, select=[first.id])
    assert page.editor.current_id() == first.id and page.model.rowCount() == 38
