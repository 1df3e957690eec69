"""Shared helpers of the list-screen tests: build the page, wait for its background work."""

from __future__ import annotations

from desktop.services.context import Services
from desktop.ui.worklist import WorkListPage


def make_page(qtbot, services: Services) -> WorkListPage:  # type: ignore[no-untyped-def]
    page = WorkListPage(
        services.worklists,
        services.units,
        services.notices,
        services.progress,
        lifecycle=services.list_lifecycle,
        editing=services.task_editing,
        checks=services.list_checks,
    )
    qtbot.addWidget(page)
    # an explicit minimum keeps the layout from pushing size hints to the offscreen window
    # (the plugin warns, and warnings fail the tests)
    page.setMinimumSize(960, 600)
    page.resize(1280, 760)
    page.show()
    page.activated()
    settle(qtbot, page)
    return page


def settle(qtbot, page: WorkListPage) -> None:  # type: ignore[no-untyped-def]
    """Wait until statuses, drafts and checks started in the background have reported."""
    qtbot.waitUntil(page.idle, timeout=20_000)


def builtin_notice(services: Services) -> int:
    return next(n for n in services.notices.list() if n.builtin).id


def row_ids(page: WorkListPage) -> list[int]:
    return [page.model.view(r).row.id for r in range(page.model.rowCount())]


def click_row(qtbot, page: WorkListPage, row: int) -> None:  # type: ignore[no-untyped-def]
    """Click a row of the task table as a user would (no modifier keys held)."""
    from PySide6.QtCore import Qt

    index = page.model.index(row, 0)
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        rect.center(),
    )
