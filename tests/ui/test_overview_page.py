"""首页 on screen: the figures are the service's, the charts draw, a task opens from a list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage

from desktop.app import build_main_window
from desktop.core.status import Status
from desktop.services.context import Services
from desktop.ui.overview_page import OverviewPage
from tests.services.progress_office import county_office, report_first_quarter


def _page(qtbot, services: Services) -> OverviewPage:  # type: ignore[no-untyped-def]
    page = OverviewPage(services.overview)
    qtbot.addWidget(page)
    page.resize(1130, 760)
    page.show()
    qtbot.waitUntil(lambda: not page.is_loading())
    return page


def _coloured_pixels(image: QImage, step: int = 7) -> int:
    """Pixels that are neither white nor grey: bars, not background."""
    count = 0
    for x in range(0, image.width(), step):
        for y in range(0, image.height(), step):
            c = QColor(image.pixel(x, y))
            if max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) > 40:
                count += 1
    return count


def test_figures_match_the_service_and_charts_draw(
    qtbot, services: Services, shots: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from desktop.services import clock

    # 10 April: the first quarter reported, the second running with nothing in yet
    moment = datetime(2027, 4, 10, 10, 0).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)
    office = county_office(services)
    report_first_quarter(office)
    page = _page(qtbot, services)
    expected = services.overview.overview(office.list_id)
    assert page.current is not None and page.current.counts == expected.counts
    assert page.total_tile.number.text() == "38"
    for status in (Status.DONE, Status.LAGGING, Status.ON_TRACK, "not_reported"):
        assert page.tiles[status].number.text() == str(expected.counts.of(status))
    # nobody has reported the running quarter: 本期未填报, not 滞后
    assert page.tiles["not_reported"].number.text() == "37"
    assert page.tiles[Status.LAGGING].number.text() == "0"
    assert page.tabs.tabText(0) == f"滞后任务（{len(expected.lagging)}）"
    assert page.lagging_model.rowCount() == len(expected.lagging) == 3
    assert page.section_model.rowCount() == len(expected.by_section)
    assert page.unit_model.rowCount() == len(expected.by_unit)
    assert page.reminder.text() == (expected.reminder.text if expected.reminder else "")
    bars = page.completion_chart.bar_set
    assert bars is not None and bars.count() == len(expected.by_section)
    assert [b.label() for b in page.period_chart.bar_sets][:2] == ["已完成", "超序时"]
    for chart in (page.completion_chart, page.period_chart):
        image = chart.grab().toImage()
        assert not image.isNull() and image.width() > 200 and image.height() > 150
        assert _coloured_pixels(image) > 20, "the chart drew no bars"
    assert page.grab().save(str(shots / "overview.png"))


def test_double_click_opens_the_task(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office)
    page = _page(qtbot, services)
    index = page.lagging_model.index(1, 1)
    with qtbot.waitSignal(page.open_task) as signal:
        page.lagging_view.doubleClicked.emit(index)
    assert signal.args == [office.list_id, page.lagging_model.items[1].task_id]


def test_main_window_starts_on_the_overview_and_jumps_to_progress(  # type: ignore[no-untyped-def]
    qtbot, services: Services, answered
) -> None:
    office = county_office(services)
    report_first_quarter(office)
    window = build_main_window(services)
    qtbot.addWidget(window)
    window.show()
    keys = window.area_keys()
    assert keys[0] == "overview" and window.nav.item(0).text() == "首页"
    assert keys.index("audit") == keys.index("system") - 1
    assert window.nav.currentRow() == 0
    overview = window.page("overview")
    assert isinstance(overview, OverviewPage)
    qtbot.waitUntil(lambda: not overview.is_loading())
    task_id = overview.lagging_model.items[0].task_id
    overview.open_task.emit(office.list_id, task_id)
    progress = window.page("progress")
    assert window.nav.currentItem().text() == "进展填报"
    qtbot.waitUntil(lambda: not progress.is_loading())  # type: ignore[attr-defined]
    assert progress.form.task_id == task_id  # type: ignore[attr-defined]
    overview.open_progress.emit(office.list_id, 0)
    qtbot.waitUntil(lambda: not progress.is_loading())  # type: ignore[attr-defined]
    assert progress.model.filter_mode == "unreported"  # type: ignore[attr-defined]


def test_without_a_list_the_overview_says_what_to_do(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, services)
    assert page.empty.isVisible() and not page.content.isVisible()
    assert "新建" in page.empty.text()


def test_overdue_periods_are_reminded_and_report_opens_the_first(  # type: ignore[no-untyped-def]
    qtbot, services: Services, answered, monkeypatch, shots: Path
) -> None:
    from datetime import date, datetime

    from desktop.services import clock
    from desktop.ui.progress import ProgressPage

    moment = datetime(2027, 10, 12, 10, 0).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)
    office = county_office(services)
    report_first_quarter(office)
    office.report(2, office.entry(4, text="三季度推进", percent=70), office.entry(5, text="招标中"))
    page = _page(qtbot, services)
    lines = page.reminder.text().split("\n")
    # task 3 finished in the first quarter: no later period expects its report
    assert lines == [
        "2027年第二季度进展已于6月25日截止，尚有 37 项未填报。",
        "2027年第三季度进展已于9月25日截止，尚有 35 项未填报。",
        "2027年第四季度进展应于12月25日前填报，尚有 37 项未填报。",
    ]
    assert page.reminder.objectName() == "errorBanner" and page.report_button.isVisible()
    assert page.current is not None and page.current.as_of == date(2027, 10, 12)
    # a report with text but no percent keeps the first quarter's percent in force
    shown = {b.task_id: b for b in page.lagging_model.items}
    row = page.lagging_model.items.index(shown[office.task_ids[5]])
    assert page.lagging_model.data(page.lagging_model.index(row, 5)) == "25%"
    page.grab().save(str(shots / "overview_overdue.png"))
    with qtbot.waitSignal(page.open_progress) as signal:
        page.report_button.click()
    assert signal.args == [office.list_id, office.periods[1].id]
    # the progress screen opens that period, showing what is missing
    progress = ProgressPage(
        services.progress,
        services.worklists,
        services.yearend,
        services.office,
        freezing=services.freezing,
        unsaved=services.unsaved_progress,
    )
    qtbot.addWidget(progress)
    qtbot.waitUntil(lambda: not progress.is_loading())
    assert progress.period is not None and progress.period.key == "2027-Q3"  # its default
    progress.show_list(office.list_id, "unreported", office.periods[1].id)
    qtbot.waitUntil(lambda: not progress.is_loading())
    assert progress.period.key == "2027-Q2" and progress.model.filter_mode == "unreported"
    assert progress.model.rowCount() == 38


def test_period_chart_labels_break_lines_and_stay_short_when_many(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The chart's axis draws rich text: a plain newline ran the four quarter labels together
    and the axis dropped two of them; twelve months only fit without the frozen line."""
    from PySide6.QtCharts import QBarCategoryAxis

    from desktop.services.overview.service import PeriodStats, StatusCounts
    from desktop.ui.overview_charts import PeriodChart, period_labels

    def stats(shorts: list[str]) -> list[PeriodStats]:
        counts = StatusCounts(done=5, on_track=40, lagging=15)
        return [PeriodStats(i, f"k{i}", s, s, True, counts) for i, s in enumerate(shorts)]

    quarters = stats(["一季度", "二季度", "三季度", "四季度"])
    assert period_labels(quarters)[0] == "一季度<br>（已冻结）"
    assert all("\n" not in label for label in period_labels(quarters))
    chart = PeriodChart()
    qtbot.addWidget(chart)
    chart.show_periods(stats([f"{m}月" for m in range(1, 13)]))
    axis = next(a for a in chart.chart().axes() if isinstance(a, QBarCategoryAxis))
    assert axis.categories() == [f"{m}月" for m in range(1, 13)]
    assert chart.chart().title() == "各期任务状态（已冻结 12 期）"
    chart.show_periods(quarters)
    assert chart.chart().title() == "各期任务状态"
