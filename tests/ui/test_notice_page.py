"""The notice screen: the built-in notice measure by measure, search, coverage, correction,
creating a work list, deleting, and the way to the import screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.app import build_main_window
from desktop.services.context import Services
from desktop.ui import dialogs
from desktop.ui.notices.correction_dialog import CorrectionDialog
from desktop.ui.notices.page import NoticesPage

GD = Path(__file__).resolve().parent.parent / "fixtures" / "notices" / "gd-2026-5-lead-coop.txt"


@pytest.fixture
def page(qtbot, county: Services) -> NoticesPage:  # type: ignore[no-untyped-def]
    widget = NoticesPage(
        county.notices,
        county.worklists,
        county.office,
        lifecycle=county.list_lifecycle,
        editing=county.task_editing,
    )
    qtbot.addWidget(widget)
    widget.setMinimumSize(1120, 740)  # keeps the offscreen window from resizing itself
    widget.show()
    return widget


def _measure_id(page: NoticesPage, code: str) -> int:
    tree = page.browser.tree_data
    assert tree is not None
    return next(m.id for m in tree.measures if m.code == code)


def _coverage_cell(page: NoticesPage, measure_id: int) -> str:
    index = page.browser.model.index_of(measure_id)
    return str(index.siblingAtColumn(2).data())


def test_builtin_notice_shows_38_measures_and_headline_targets(page, shots) -> None:  # type: ignore[no-untyped-def]
    browser = page.browser
    assert "浙政发〔2026〕16号" in browser.chooser.currentText()
    assert browser.model.measure_count() == 38
    info = browser.info.text()
    assert "服务业增加值突破7万亿元" in info and "各设区市政府" in info
    assert not browser.delete_button.isEnabled()  # the built-in notice stays
    assert page.grab().save(str(shots / "notices.png"))


def test_selecting_a_measure_shows_units_leads_and_targets(page) -> None:  # type: ignore[no-untyped-def]
    browser = page.browser
    browser.select_measure(_measure_id(page, "一.（一）.1"))
    text = browser.detail.browser.toPlainText()
    assert "1. 研发设计方面" in text
    assert "牵头单位：省科技厅" in text and "配合单位：省经信厅" in text
    assert "泛指单位：各设区市政府" in text
    assert "科技服务业创新发展集聚区" in text and "10" in text
    assert "未分解" in text
    assert _coverage_cell(page, _measure_id(page, "一.（一）.1")) == "未分解"
    index = browser.model.index_of(_measure_id(page, "一.（一）.1")).siblingAtColumn(2)
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#d9822b"
    # a joint measure says so
    browser.select_measure(_measure_id(page, "四"))
    assert "共同负责" in browser.detail.browser.toPlainText()


def test_search_filters_the_tree_and_highlights(page, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    browser = page.browser
    browser.search.setText("养老")
    assert browser.model.measure_count() == 1 == browser.model.match_count()
    assert "找到 1 个条目" in browser.found.text()
    assert browser.detail.measure is not None and browser.detail.measure.title == "养老方面"
    assert browser.tree.currentIndex().data(Qt.ItemDataRole.BackgroundRole) is not None
    qtmodeltester.check(browser.model)
    browser.search.setText("省科技厅")
    assert browser.model.match_count() > 3
    browser.search.setText("不存在的文字")
    assert browser.model.measure_count() == 0 and "没有条目包含" in browser.found.text()
    browser.search.setText("")
    assert browser.model.measure_count() == 38
    qtmodeltester.check(browser.model)


def test_create_list_with_draft_then_coverage_appears(  # type: ignore[no-untyped-def]
    qtbot, page, county: Services, answered
) -> None:
    builtin_id = page.browser.current_notice_id()
    with qtbot.waitSignal(page.list_created) as created:
        page.browser.create_list()  # the dialog is answered 确定 with its defaults
    list_id = created.args[0]
    summary = county.worklists.get(list_id)
    assert summary.notice_id == builtin_id and summary.tasks == 38
    kind, _title, text = answered["messages"][-1]
    assert kind == "info" and "初稿" in text and "年度清单" in text
    assert _coverage_cell(page, _measure_id(page, "一.（一）.1")) == "1 项"
    assert "已分解 38/38" in page.browser.lists_label.text()
    # asked again, the dialog proposes the next free year
    page.browser.create_list()
    years = sorted(s.year for s in county.worklists.lists(own=True))
    assert years == [summary.year, summary.year + 1]


def test_coverage_follows_changes_made_elsewhere(page, county: Services) -> None:  # type: ignore[no-untyped-def]
    notice_id = page.browser.current_notice_id()
    assert notice_id is not None
    wl = county.list_lifecycle.create(notice_id, 2027)
    county.task_editing.generate_draft(wl.id)
    measure = _measure_id(page, "一.（六）.17")
    rows = [r for r in county.worklists.rows(wl.id) if r.number == "17"]
    county.task_editing.delete_tasks(wl.id, [r.id for r in rows])
    county.task_editing.set_not_applicable(wl.id, measure, "本县无大宗商品交易平台")
    page.activated()
    assert _coverage_cell(page, measure) == "不适用"
    page.browser.select_measure(measure)
    assert "本县无大宗商品交易平台" in page.browser.detail.browser.toPlainText()
    assert "1 条不适用" in page.browser.lists_label.text()


def test_correction_dialog_saves_through_the_service(  # type: ignore[no-untyped-def]
    page, county: Services, answered, monkeypatch
) -> None:
    measure = _measure_id(page, "一.（一）.2")
    page.browser.select_measure(measure)

    def run(dialog):  # type: ignore[no-untyped-def]
        assert isinstance(dialog, CorrectionDialog)
        units = dialog.form.units
        units.item(0, 1).setCheckState(Qt.CheckState.Unchecked)
        units.item(1, 1).setCheckState(Qt.CheckState.Checked)
        dialog.save()
        return True

    monkeypatch.setattr(dialogs, "run_dialog", run)
    page.browser.detail.correct_button.click()
    notice_id = page.browser.current_notice_id()
    assert notice_id is not None
    m = next(x for x in county.notices.tree(notice_id).measures if x.id == measure)
    assert m.lead_units == ("省经信厅",)
    assert "牵头单位：省经信厅" in page.browser.detail.browser.toPlainText()
    assert "省经信厅牵头" in str(page.browser.model.index_of(measure).siblingAtColumn(1).data())


def test_correction_dialog_refuses_bad_input(qtbot, county: Services, answered) -> None:  # type: ignore[no-untyped-def]
    tree = county.notices.tree(next(n.id for n in county.notices.list() if n.builtin))
    measure = tree.measures[0]
    dialog = CorrectionDialog(county.notices, measure)
    qtbot.addWidget(dialog)
    dialog.form.add_unit()
    dialog.form.units.item(2, 0).setText("省科技厅")  # already listed
    dialog.save()
    assert answered["messages"][-1][0] == "warning" and "重复" in answered["messages"][-1][2]
    assert dialog.saved is None
    assert county.notices.tree(tree.notice.id).measures[0] == measure


def test_delete_an_unused_notice(page, county: Services, answered) -> None:  # type: ignore[no-untyped-def]
    imported = county.notices.import_file(GD)
    page.browser.reload(select_id=imported.id)
    assert page.browser.current_notice_id() == imported.id
    assert page.browser.delete_button.isEnabled()
    page.browser.delete_notice()
    assert county.notices.find_id(imported.doc_number) is None
    assert page.browser.current_notice_id() != imported.id


def test_import_button_opens_the_import_screen_and_back(  # type: ignore[no-untyped-def]
    qtbot, page, county: Services, answered
) -> None:
    page.browser.import_button.click()
    assert page.currentWidget() is page.importer
    answered["path"] = GD
    page.importer.open_file()
    qtbot.waitUntil(lambda: page.importer.parsed is not None, timeout=10_000)
    answered["save"] = "cancel"
    assert not page.may_close()
    assert page.importer.save()
    assert page.currentWidget() is page.browser
    assert "粤府办〔2026〕5号" in page.browser.chooser.currentText()
    assert page.browser.model.measure_count() == 7
    assert page.may_close()


def test_main_window_builds_the_notices_area(qtbot, county: Services, answered) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(county)
    qtbot.addWidget(window)
    window.show()
    area = window.show_area("notices")
    assert isinstance(area, NoticesPage)
    assert area.browser.model.measure_count() == 38
    with qtbot.waitSignal(area.list_created):
        area.browser.create_list()
    assert window.nav.currentItem().text() == "年度清单"
