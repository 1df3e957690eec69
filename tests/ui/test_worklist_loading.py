"""年度清单 opens at once: the first list is read in the background while the screen says so,
and a list chosen meanwhile wins over the read still on its way."""

from __future__ import annotations

from desktop.services.context import Services
from desktop.ui.worklist import WorkListPage
from tests.ui.worklist_helpers import builtin_notice, row_ids, settle


def _page(qtbot, services: Services) -> WorkListPage:  # type: ignore[no-untyped-def]
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
    page.setMinimumSize(960, 600)
    page.resize(1280, 760)
    page.show()
    return page


def test_the_first_list_shows_a_reading_state_then_its_rows(
    qtbot, county: Services, answered, shots
) -> None:  # type: ignore[no-untyped-def]
    wl = county.list_lifecycle.create(builtin_notice(county), 2027)
    county.task_editing.generate_draft(wl.id)
    page = _page(qtbot, county)
    page.activated()
    # the rows arrive through the event loop: until then the screen says it is reading
    assert page.body.currentIndex() == 0 and page.empty.text() == "正在读取清单……"
    assert not page.idle() and page.model.rowCount() == 0
    assert not page.delete_list_button.isEnabled() and not page.check_button.isEnabled()
    page.grab().save(str(shots / "worklist_reading.png"))
    settle(qtbot, page)
    assert page.body.currentIndex() == 1
    assert row_ids(page) == [r.id for r in county.worklists.rows(wl.id)]
    assert page._summary is not None and page._summary.id == wl.id


def test_a_list_chosen_while_the_first_is_read_stays_shown(
    qtbot, county: Services, answered
) -> None:  # type: ignore[no-untyped-def]
    notice = builtin_notice(county)
    first = county.list_lifecycle.create(notice, 2027)
    county.task_editing.generate_draft(first.id)
    other = county.list_lifecycle.create(notice, 2028)
    page = _page(qtbot, county)
    page.activated()  # reads the list offered first (the newest year, still empty) …
    assert page.list_combo.currentData() == other.id
    page.load_list(first.id)  # … while the user picks the drafted one
    settle(qtbot, page)
    assert page._summary is not None and page._summary.id == first.id
    assert row_ids(page) == [r.id for r in county.worklists.rows(first.id)]
    assert page.list_combo.currentData() == first.id
