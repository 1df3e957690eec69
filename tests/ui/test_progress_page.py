"""进展填报 on screen: enter, save, keep unsaved edits safe, freeze, thresholds, year end."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.core.status import Status
from desktop.services.context import Services
from desktop.services.progress.service import ProgressEntry
from desktop.ui import dialogs
from desktop.ui.progress import ProgressPage
from desktop.ui.progress.model import COLUMN, ProgressTableModel
from desktop.ui.progress.threshold_dialog import ThresholdDialog
from desktop.ui.progress.yearend_dialogs import CloseOutDialog
from tests.services.progress_office import Office, county_office, report_first_quarter


def _page(qtbot, office: Office, period: int = 0) -> ProgressPage:  # type: ignore[no-untyped-def]
    s = office.services
    page = ProgressPage(
        s.progress,
        s.worklists,
        s.yearend,
        s.office,
        freezing=s.freezing,
        unsaved=s.unsaved_progress,
    )
    qtbot.addWidget(page)
    page.resize(1130, 760)
    page.show()
    qtbot.waitUntil(lambda: not page.is_loading())
    if page.period_combo.currentIndex() != period:
        page.period_combo.setCurrentIndex(period)
        qtbot.waitUntil(lambda: not page.is_loading())
    return page


def _select(page: ProgressPage, row: int) -> None:
    page.table.setCurrentIndex(page.model.index(row, COLUMN["text"]))


def test_model_passes_the_model_tester(qtmodeltester, services: Services) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office)
    q1 = office.periods[0]
    model = ProgressTableModel()
    model.load(
        services.progress.rows(office.list_id, q1.id),
        as_of=q1.end,
        period=(q1.start, q1.end),
        thresholds=services.progress.thresholds(),
        read_only=False,
    )
    qtmodeltester.check(model)
    model.set_filter("lagging")
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    assert model.data(model.index(0, COLUMN["status"])) == "滞后"


def test_a_failing_history_is_logged_not_hidden(
    qtbot, services: Services, answered, caplog, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    page = _page(qtbot, office)

    def broken(_task_id: int) -> list[object]:
        raise RuntimeError("history query failed")

    monkeypatch.setattr(services.progress, "history", broken)
    with caplog.at_level(logging.WARNING, logger="desktop.ui.progress.page"):
        _select(page, 1)
    # the row still opens for typing, without a message box in the way ...
    assert page.form.task_id == page.model.row_at(1).task_id
    assert answered["messages"] == []
    # ... and the failure, with its traceback, is in the log
    failures = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert len(failures) == 1 and str(failures[0].exc_info[1]) == "history query failed"


def test_enter_progress_in_the_form_and_save(
    qtbot, services: Services, answered, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    page = _page(qtbot, office)
    assert page.summary.text().startswith("2027年第一季度") and "已填报 0/38" in page.summary.text()
    _select(page, 0)
    page.form.text.setPlainText("召开专题推进会2次，完成方案编制")
    page.form.percent.setValue(30)
    assert page.model.is_dirty() and page.save_button.isEnabled()
    assert page.model.data(page.model.index(0, COLUMN["status"])) == "按序时"
    assert page.model.data(page.model.index(0, COLUMN["number"])).startswith("● ")
    page.next_task()  # Ctrl+Enter
    assert page.table.currentIndex().row() == 1
    page.form.text.setPlainText("尚未启动")
    page.form.percent.setValue(0)
    assert page.model.status_at(1).status is Status.LAGGING
    assert page.form.lag_label.text() == "滞后原因 *"  # required while lagging
    page.grab().save(str(shots / "progress_edit.png"))
    page.save_button.click()
    assert not page.model.is_dirty()
    rows = services.progress.rows(office.list_id, office.periods[0].id)
    assert (rows[0].entry.text, rows[0].entry.percent) == ("召开专题推进会2次，完成方案编制", 30)
    assert rows[1].status.status is Status.LAGGING
    qtbot.waitUntil(lambda: not page.is_loading())
    assert "已填报 2/38" in page.summary.text()


def test_enter_in_a_cell_moves_down(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    page = _page(qtbot, office)
    index = page.model.index(0, COLUMN["percent"])
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText("35")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the delegate commits and closes the editor on the next turn of the event loop
    qtbot.waitUntil(lambda: page.table.currentIndex().row() == 1)
    assert page.model.data(page.model.index(0, COLUMN["percent"])) == "35%"
    assert page.model.edited() == [ProgressEntry(task_id=office.task_ids[0], percent=35)]


def test_switching_period_with_unsaved_edits_asks(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    page = _page(qtbot, office)
    _select(page, 0)
    page.form.text.setPlainText("待保存的进展")
    answered["save"] = "cancel"
    page.period_combo.setCurrentIndex(1)
    assert page.period is not None and page.period.id == office.periods[0].id
    assert page.period_combo.currentIndex() == 0 and page.model.is_dirty()
    answered["save"] = "save"
    page.period_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not page.is_loading())
    assert page.period.id == office.periods[1].id
    saved = services.progress.rows(office.list_id, office.periods[0].id)[0].entry
    assert saved.text == "待保存的进展"
    _select(page, 0)
    page.form.text.setPlainText("不要的修改")
    answered["save"] = "discard"
    page.period_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not page.is_loading())
    assert not page.model.is_dirty()
    assert services.progress.rows(office.list_id, office.periods[1].id)[0].entry.text == ""


def test_may_close_protects_unsaved_edits(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    page = _page(qtbot, office)
    _select(page, 2)
    page.form.percent.setValue(20)
    answered["save"] = "cancel"
    assert page.may_close() is False
    answered["save"] = "save"
    assert page.may_close() is True
    assert services.progress.rows(office.list_id, office.periods[0].id)[2].entry.percent == 20


def test_freeze_refused_then_frozen(qtbot, services: Services, answered, shots: Path) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office, lagging_explained=False)
    page = _page(qtbot, office)
    page.freeze_button.click()
    kind, title, text = answered["messages"][-1]
    assert (kind, title) == ("warning", "暂不能冻结") and "3 项滞后任务" in text
    assert page.model.filter_mode == "unexplained" and page.model.rowCount() == 3
    for row in range(3):
        _select(page, row)
        page.form.lag_reason.setPlainText("用地指标未落实")
        page.form.next_steps.setPlainText("协调自然资源部门加快办理")
    qtbot.waitUntil(lambda: "未说明" not in page.summary.text())  # the line follows the typing
    page.freeze_button.click()  # saves the edits first (answered "save"), then freezes
    assert answered["messages"][-1][:2] == ("info", "冻结本期")
    qtbot.waitUntil(lambda: not page.is_loading())
    assert services.progress.periods(office.list_id)[0].frozen
    assert page.period_combo.itemText(0).endswith("（已冻结）")
    assert page.model.read_only and not page.form.text.isEnabled()
    assert page.freeze_button.text() == "解冻本期…" and page.frozen_note.isVisible()
    page.grab().save(str(shots / "progress_frozen.png"))
    answered["text"] = "更正一项任务的完成进度"
    page.freeze_button.click()
    qtbot.waitUntil(lambda: not page.is_loading())
    assert not services.progress.periods(office.list_id)[0].frozen
    assert not page.model.read_only


def test_thresholds_dialog_changes_the_status(
    qtbot, services: Services, answered, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office)
    page = _page(qtbot, office)
    assert page.model.status_at(0).status is Status.LAGGING

    def answer(dialog: ThresholdDialog) -> bool:
        dialog.yellow.setValue(25)
        dialog.red.setValue(40)
        return True

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    page.threshold_button.click()
    qtbot.waitUntil(lambda: not page.is_loading())
    assert services.progress.thresholds().yellow_behind == 25
    assert page.model.status_at(0).status is Status.ON_TRACK


def test_close_out_and_carry_over(qtbot, services: Services, answered, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office)
    page = _page(qtbot, office)

    def answer(dialog: object) -> bool:
        if isinstance(dialog, CloseOutDialog):
            dialog.evidence.setPlainText("项目验收报告")
        return True

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    _select(page, 4)  # not finished: refused by the service, shown as it says
    page.close_action.trigger()
    assert answered["messages"][-1][0] == "warning" and "尚未完成" in answered["messages"][-1][2]
    _select(page, 3)
    page.close_action.trigger()
    assert answered["messages"][-1][2] == "已销号 1 项任务。"
    qtbot.waitUntil(lambda: not page.is_loading())
    # closed at the end of the list's year: the first quarter's view still shows it done
    assert services.worklists.task(office.task_ids[3]).closed_on == date(2027, 12, 31)
    assert page.model.data(page.model.index(3, COLUMN["status"])) == "已完成"
    page.carry_action.trigger()
    _kind, title, text = answered["messages"][-1]
    assert title == "结转完成" and "已将 37 项未完成任务结转到 2028 年清单（新建）" in text
    assert page.list_combo.count() == 2


def test_show_task_brings_it_into_view(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office)
    page = _page(qtbot, office)
    page.set_filter("lagging")
    page.show_task(office.list_id, office.task_ids[20])
    assert page.model.filter_mode == "all"
    assert page.current_row() is not None
    assert page.current_row().task_id == office.task_ids[20]  # type: ignore[union-attr]
    assert page.form.task_id == office.task_ids[20]


def test_without_a_list_the_page_says_what_to_do(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    page = ProgressPage(
        services.progress,
        services.worklists,
        services.yearend,
        services.office,
        freezing=services.freezing,
        unsaved=services.unsaved_progress,
    )
    qtbot.addWidget(page)
    page.show()
    assert page.empty.isVisible() and "年度清单" in page.empty.text()
    assert not page.save_button.isEnabled() and not page.freeze_button.isEnabled()
    assert page.may_close()


def test_unsaved_typing_survives_a_crash(qtbot, services: Services, answered, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    first = _page(qtbot, office)
    _select(first, 0)
    first.form.text.setPlainText("下午录入、尚未保存的进展")
    first.form.percent.setValue(40)
    assert first.draft_timer.isActive()  # the safety copy is written a few seconds later
    first.draft_timer.timeout.emit()
    typed = first.model.edited()

    # the program dies without saving or asking; next time the screen opens, it offers
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, *_a, **_k: asked.append(title) or True
    )
    second = _page(qtbot, office)
    assert asked == ["恢复未保存的进展"]
    assert second.model.edited() == typed and second.save_button.isEnabled()
    second.save()
    assert services.unsaved_progress.load(office.list_id, office.periods[0].id) is None
    saved = services.progress.rows(office.list_id, office.periods[0].id)[0].entry
    assert (saved.text, saved.percent) == ("下午录入、尚未保存的进展", 40)


def test_a_declined_copy_is_dropped(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    services.unsaved_progress.keep(
        office.list_id, office.periods[0].id, [ProgressEntry(office.task_ids[1], text="旧的")]
    )
    answered["confirm"] = False
    page = _page(qtbot, office)
    assert not page.model.is_dirty()
    assert services.unsaved_progress.load(office.list_id, office.periods[0].id) is None


def test_closed_out_tasks_are_read_only_and_passed_by(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office)
    services.yearend.close_out(office.task_ids[3], date(2027, 4, 2), "验收报告")
    page = _page(qtbot, office)
    _select(page, 2)
    page.next_task()  # Ctrl+Enter passes the closed-out task 3 by
    assert page.table.currentIndex().row() == 4
    assert page.form.text.isEnabled()
    _select(page, 3)  # chosen by hand: shown, not editable, and says why
    assert not page.form.text.isEnabled() and not page.form.percent.isEnabled()
    assert page.form.status_hint.text() == "已销号的任务不能再填报，如需修改请先撤销销号。"
    cell = page.model.index(3, COLUMN["text"])
    assert not page.model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert not page.model.setData(cell, "再写一次")
    assert page.model.flags(page.model.index(4, COLUMN["text"])) & Qt.ItemFlag.ItemIsEditable
    # the last task closed out too: Ctrl+Enter from the one before stays put
    office.report(0, office.entry(37, text="完成", percent=100))
    services.yearend.close_out(office.task_ids[-1], date(2027, 4, 2), "验收报告")
    page.reload()
    qtbot.waitUntil(lambda: not page.is_loading())
    _select(page, 36)
    page.next_task()
    assert page.table.currentIndex().row() == 36


def test_freezing_with_unreported_tasks_asks_first(
    qtbot, services: Services, answered, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.status import Thresholds

    office = county_office(services)
    # lenient thresholds: nobody lags at the end of March, so only the gaps are in the way
    services.progress.set_thresholds(Thresholds(yellow_behind=30, red_behind=40))
    office.report(0, *[office.entry(i, text="推进中", percent=25) for i in range(30)])
    page = _page(qtbot, office)
    asked: list[str] = []

    def confirm(_parent, _title, text, **_k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return False

    monkeypatch.setattr(dialogs, "confirm", confirm)
    page.freeze_button.click()
    assert "尚有 8 项未填报，冻结后不能再补填，确定冻结吗？" in asked[-1]
    assert "截至2027年3月底" in asked[-1]
    assert not services.progress.periods(office.list_id)[0].frozen  # declined
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    page.freeze_button.click()
    assert services.progress.periods(office.list_id)[0].frozen


def test_freeze_refusal_names_the_real_filter(
    qtbot, services: Services, answered, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office, lagging_explained=False)
    page = _page(qtbot, office)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **_k: asked.append(a[2]) or True)
    page.freeze_button.click()
    assert asked == []  # refused before anything is asked
    _kind, _title, text = answered["messages"][-1]
    assert "筛选下拉框中选择“只看未说明滞后原因”" in text and "勾选" not in text
    assert page.filter_combo.currentText() == "只看未说明滞后原因"


def test_carry_over_warns_mid_year_and_carries_the_ticked_tasks(
    qtbot, services: Services, answered, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from desktop.services import clock
    from desktop.ui.progress.yearend_dialogs import CarryOverDialog

    moment = datetime(2027, 10, 12, 10, 0).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)
    office = county_office(services)
    report_first_quarter(office)
    page = _page(qtbot, office)
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **_k: asked.append(a[2]) or next(answers))
    shown: list[CarryOverDialog] = []

    def untick(dialog: object) -> bool:
        assert isinstance(dialog, CarryOverDialog)
        shown.append(dialog)
        assert len(dialog.chosen_ids()) == 37  # every unfinished task, ticked at first
        model = dialog.model
        model.setData(model.index(0, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
        model.setData(
            model.index(1, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
        )
        assert "已勾选 35 项" in dialog.summary.text()
        return True

    monkeypatch.setattr(dialogs, "run_dialog", untick)
    page.carry_action.trigger()
    assert "2027年尚未结束" in asked[0] and "截至2027年10月12日" in asked[0]
    assert not shown  # declined: no dialog, nothing carried
    page.carry_action.trigger()
    _kind, title, text = answered["messages"][-1]
    assert title == "结转完成" and "已将 35 项未完成任务结转到 2028 年清单（新建）" in text
    new_list = next(s for s in services.worklists.lists(own=True) if s.year == 2028)
    carried = {r.carried_from_uid for r in services.worklists.records(new_list.id)}
    unticked = {r.uid for r in services.worklists.records(office.list_id)[:2]}
    assert len(carried) == 35 and not carried & unticked


def test_carry_dialog_ticks_and_ok(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.progress.yearend_dialogs import CarryOverDialog

    office = county_office(services)
    report_first_quarter(office)
    dialog = CarryOverDialog(
        2027, lambda year: services.yearend.carry_preview(office.list_id, year)
    )
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert len(dialog.chosen_ids()) == 37 and ok.isEnabled()
    dialog.none_button.click()
    assert dialog.chosen_ids() == [] and not ok.isEnabled()
    dialog.all_button.click()
    assert len(dialog.chosen_ids()) == 37 and ok.isEnabled()
    first = dialog.model.index(0, 0)
    assert dialog.model.flags(first) & Qt.ItemFlag.ItemIsUserCheckable
    assert dialog.model.data(first, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_after_the_last_list_is_deleted_no_period_of_it_is_left(
    qtbot, services: Services, answered
) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    page = _page(qtbot, office)
    page.activated()  # shown for the first time, just after it was built
    assert page.period_combo.count() == len(office.periods)
    services.list_lifecycle.delete_list(office.list_id)
    page.activated()  # what the main window calls when the screen comes to the front
    assert page.empty.isVisible() and page.list_combo.count() == 0
    assert page.period_combo.count() == 0 and page.period is None
    assert not page.save_button.isEnabled() and not page.freeze_button.isEnabled()


def test_revert_resets_the_form_and_a_keystroke_brings_nothing_back(
    qtbot, services: Services, answered
) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    page = _page(qtbot, office)
    _select(page, 0)
    page.form.text.setPlainText("要放弃的进展")
    page.form.percent.setValue(40)
    assert page.model.is_dirty()
    page.revert_button.click()  # 撤销修改, confirmed
    assert not page.model.is_dirty() and not page.revert_button.isEnabled()
    assert page.form.text.toPlainText() == "" and page.form.entry().percent is None
    # typing now edits the stored (empty) entry, not the discarded one
    page.form.problems.setPlainText("新的问题")
    assert page.model.edited() == [ProgressEntry(task_id=office.task_ids[0], problems="新的问题")]
