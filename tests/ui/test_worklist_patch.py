"""After an edit the list screen reads only what changed, off the UI thread.

A change of a 20,000-task list must not freeze the window nor read the whole list again:
each change runs in the background behind a busy bar, and the rows are then patched in
place from the list's order and the rows of the tasks that changed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.services.context import Services
from desktop.services.worklist.queries import WorkListQueries
from desktop.services.worklist.rows import WorkListSummary
from desktop.ui.worklist import WorkListPage
from tests.ui.worklist_helpers import builtin_notice, make_page, row_ids, settle


@pytest.fixture
def drafted(county: Services) -> WorkListSummary:
    wl = county.list_lifecycle.create(builtin_notice(county), 2027)
    county.task_editing.generate_draft(wl.id)
    return wl


@pytest.fixture
def page(qtbot, county: Services, drafted: WorkListSummary, answered) -> WorkListPage:  # type: ignore[no-untyped-def]
    return make_page(qtbot, county)


def _whole_reads(page: WorkListPage, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the reads of every row of the list (what opening a list does)."""
    calls: list[int] = []
    original: Callable[[int], object] = page._worklists.rows

    def counted(list_id: int) -> object:
        calls.append(list_id)
        return original(list_id)

    monkeypatch.setattr(page._worklists, "rows", counted)
    return calls


def _same_as_stored(page: WorkListPage, county: Services, list_id: int) -> None:
    stored = WorkListQueries(county.sessions).rows(list_id)  # not the screen's (counted)
    assert row_ids(page) == [r.id for r in stored]
    assert [page.model.view(i).row.number for i in range(page.model.rowCount())] == [
        r.number for r in stored
    ]


def test_edits_patch_the_rows_without_reading_the_list_again(
    qtbot, page: WorkListPage, county: Services, drafted, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    reads = _whole_reads(page, monkeypatch)
    moved = page.model.view(4).row.id
    page._select_rows([moved])
    page.move_current(1)
    assert page.busy_bar.isVisible() and not page.up_button.isEnabled()  # waits, says so
    settle(qtbot, page)
    assert not page.busy_bar.isVisible()
    assert row_ids(page)[5] == moved and page.selected_ids() == [moved]
    _same_as_stored(page, county, drafted.id)

    page._select_rows([page.model.view(2).row.id, page.model.view(3).row.id])
    page.delete_selected()
    settle(qtbot, page)
    _same_as_stored(page, county, drafted.id)
    page.undo()
    settle(qtbot, page)
    _same_as_stored(page, county, drafted.id)

    page._select_rows([page.model.view(0).row.id])
    page.split_current()  # the dialog's own split: one part per sentence
    settle(qtbot, page)
    _same_as_stored(page, county, drafted.id)
    parts = page.selected_ids()
    assert len(parts) > 1
    page._select_rows(parts[:2])
    page.merge_selected()
    settle(qtbot, page)
    _same_as_stored(page, county, drafted.id)

    page.renumber()
    settle(qtbot, page)
    _same_as_stored(page, county, drafted.id)
    assert reads == []


def test_a_failed_undo_keeps_it_for_later(
    qtbot, page: WorkListPage, county: Services, drafted, monkeypatch, answered
) -> None:  # type: ignore[no-untyped-def]
    page._select_rows([page.model.view(1).row.id])
    page.delete_selected()
    settle(qtbot, page)

    def locked(_deleted: object) -> list[int]:
        from desktop.errors import UserError

        raise UserError("数据库正被其他程序使用，请稍后再试。")

    monkeypatch.setattr(page._editing, "restore_tasks", locked)
    page.undo()
    settle(qtbot, page)
    assert page.undo_button.isEnabled()
    assert any("稍后再试" in text for _k, _t, text in answered["messages"])
