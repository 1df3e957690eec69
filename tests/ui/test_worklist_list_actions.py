"""年度清单: opening a task from the table with the other tabs in front, 删除清单, the year
offered for a new list, and the status of a closed-out task."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from desktop.services import clock
from desktop.services.context import Services
from desktop.services.progress.types import ProgressEntry
from desktop.services.worklist.rows import WorkListSummary
from desktop.ui.notices.create_list_dialog import CreateListDialog
from desktop.ui.worklist.list_dialogs import NewListDialog
from tests.ui.worklist_helpers import builtin_notice, click_row, make_page, settle


@pytest.fixture
def drafted(county: Services) -> WorkListSummary:
    wl = county.list_lifecycle.create(builtin_notice(county), 2027)
    county.task_editing.generate_draft(wl.id)
    return wl


@pytest.mark.parametrize("tab", ["coverage", "check_panel"])
def test_enter_on_a_row_shows_the_task_before_anything_is_typed(
    qtbot, county: Services, drafted, answered, tab: str
) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, county)
    page.tabs.setCurrentWidget(getattr(page, tab))
    page.table.setFocus()
    click_row(qtbot, page, 2)
    assert page.tabs.currentWidget() is getattr(page, tab)  # a click alone keeps the tab
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.tabs.currentWidget() is page.editor
    assert page.editor.content.isVisible() and page.editor.content.hasFocus()
    page.editor.content.insertPlainText("（补充）")
    assert page.editor.is_dirty() and page.editor.current_id() == page.model.view(2).row.id


def test_double_click_opens_the_task_in_the_details_tab(
    qtbot, county: Services, drafted, answered
) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, county)
    page.tabs.setCurrentWidget(page.coverage)
    click_row(qtbot, page, 4)
    page.table.activated.emit(page.model.index(4, 3))  # what a double-click emits
    assert page.tabs.currentWidget() is page.editor and page.editor.content.hasFocus()


def test_delete_list_asks_with_the_count_then_removes_every_version(
    qtbot, county: Services, drafted, answered, monkeypatch, shots
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import dialogs

    other = county.list_lifecycle.create(builtin_notice(county), 2028)
    page = make_page(qtbot, county)
    page.load_list(drafted.id)
    settle(qtbot, page)
    assert page.delete_list_button.isEnabled()
    page.grab().save(str(shots / "worklist_delete_button.png"))
    asked: list[tuple[str, str, str]] = []

    def confirm(parent, title, text, *, ok="确定"):  # type: ignore[no-untyped-def]
        asked.append((title, text, ok))
        return answered["confirm"]

    monkeypatch.setattr(dialogs, "confirm", confirm)
    answered["confirm"] = False
    page.delete_list()
    settle(qtbot, page)
    title, text, ok = asked[-1]
    assert (title, ok) == ("删除清单", "删除清单")
    assert "某某县 2027年 浙政发〔2026〕16号" in text
    assert "第1版（草稿）" in text and "共 38 项任务" in text and "自动备份" in text
    assert county.worklists.get(drafted.id).tasks == 38  # 取消: nothing went

    answered["confirm"] = True
    page.delete_list()
    settle(qtbot, page)
    settle(qtbot, page)
    assert [s.id for s in county.worklists.lists()] == [other.id]
    assert page._summary is not None and page._summary.id == other.id
    assert page.list_combo.count() == 1 and "已删除" in page.message.text()
    backups = list((county.data_dir.root / "backups").glob("删除清单前*"))
    assert len(backups) == 1
    # the last list goes too: the screen says there is none
    page.delete_list()
    settle(qtbot, page)
    settle(qtbot, page)
    assert page._summary is None and page.body.currentIndex() == 0
    assert not page.delete_list_button.isEnabled()


def test_both_ways_of_creating_a_list_offer_the_same_year(
    qtbot, county: Services, answered, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import dialogs
    from desktop.ui.notices.page import NoticesPage

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 3, 9, 0).astimezone())
    notice = builtin_notice(county)
    offered: dict[str, int] = {}

    def run(dialog):  # type: ignore[no-untyped-def]
        if isinstance(dialog, NewListDialog):
            offered["年度清单"] = dialog.values()[1]
        elif isinstance(dialog, CreateListDialog):
            offered["上级文件"] = dialog.chosen_year()
        return False  # 取消: only the offer is looked at

    monkeypatch.setattr(dialogs, "run_dialog", run)
    page = make_page(qtbot, county)
    page.new_list()
    notices = NoticesPage(
        county.notices,
        county.worklists,
        county.office,
        lifecycle=county.list_lifecycle,
        editing=county.task_editing,
    )
    qtbot.addWidget(notices)
    notices.browser.create_list()
    assert offered == {"年度清单": 2027, "上级文件": 2027}
    county.list_lifecycle.create(notice, 2027)
    page.new_list()
    notices.browser.create_list()
    assert offered == {"年度清单": 2028, "上级文件": 2028}


def test_a_closed_out_task_shows_as_closed(qtbot, county: Services, drafted, answered) -> None:  # type: ignore[no-untyped-def]
    rows = county.worklists.rows(drafted.id)
    period = county.progress.periods(drafted.id)[0]
    county.progress.save(
        drafted.id, period.id, [ProgressEntry(rows[0].id, text="已建成", percent=100)]
    )
    county.yearend.close_out(rows[0].id, date(2027, 3, 20), "验收文件 某政发〔2027〕1号")
    page = make_page(qtbot, county)
    status_col = next(
        c
        for c in range(page.model.columnCount())
        if page.model.headerData(c, Qt.Orientation.Horizontal) == "状态"
    )
    # the status word every ledger prints, closed out said after it
    assert page.model.data(page.model.index(0, status_col)) == "已完成（已销号）"
    assert "销号" in page.model.data(page.model.index(0, status_col), Qt.ItemDataRole.ToolTipRole)
    assert "已销号" not in page.model.data(page.model.index(1, status_col))


def test_cancel_stops_a_deletion_before_it_commits(
    qtbot, county: Services, drafted, answered, shots
) -> None:  # type: ignore[no-untyped-def]
    """删除清单 shows its steps and 取消; pressed while the tasks are deleted but not yet
    committed, the list stays whole and the screen says nothing changed."""
    import threading

    page = make_page(qtbot, county)
    lifecycle = county.list_lifecycle
    deleted_not_committed, release = threading.Event(), threading.Event()

    class Held:
        """The real service, held after its deletion step until the test lets it go on."""

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(lifecycle, name)

        def delete_list(self, list_id, *, progress, cancelled):  # type: ignore[no-untyped-def]
            def report(done: int, total: int) -> None:
                progress(done, total)
                if done == 2:
                    deleted_not_committed.set()
                    release.wait(20)

            return lifecycle.delete_list(list_id, progress=report, cancelled=cancelled)

    page._lifecycle = Held()
    page.delete_list()
    qtbot.waitUntil(deleted_not_committed.is_set, timeout=20_000)
    qtbot.waitUntil(lambda: page.busy_bar.value() == 2, timeout=5_000)
    assert page.cancel_button.isVisible() and page.busy_bar.maximum() == 3
    page.grab().save(str(shots / "worklist_delete_running.png"))
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert not page.cancel_button.isEnabled() and "正在取消" in page.message.text()
    release.set()
    settle(qtbot, page)
    assert "已取消" in page.message.text() and not page.cancel_button.isVisible()
    assert not answered["messages"]  # no error dialog: 取消 is not a failure
    assert county.worklists.get(drafted.id).tasks == 38
    assert len(county.worklists.rows(drafted.id)) == 38
    assert page._summary is not None and page._summary.id == drafted.id
    assert page.delete_list_button.isEnabled()
