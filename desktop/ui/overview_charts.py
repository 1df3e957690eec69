"""The overview's charts (QtCharts): completion by field, and status over the periods.

Both draw without animation, so they render at once — also offscreen, where the overview's
screenshots and tests grab them — and take their colours from the status palette the tables
use, so 滞后 is the same red everywhere.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication

from desktop.core.figures import BUCKET_LABELS
from desktop.services.overview.service import STATUS_ORDER, GroupStats, PeriodStats
from desktop.ui.progress.colours import STATUS_COLOURS

_AXIS_COLOUR = QColor("#5b6573")
_GRID_COLOUR = QColor("#e3e8ef")


def _font(size: int, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSize(size)
    font.setBold(bold)
    return font


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(_font(11, bold=True))
    chart.setTitleBrush(QColor("#1f3a5f"))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(4)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setFont(_font(9))
    return chart


_LABEL_LINE = 16  # px per category label of the 8 pt axis font, with the spacing Qt keeps


def _style_axis(axis: QBarCategoryAxis | QValueAxis) -> None:
    axis.setTruncateLabels(False)  # the axis makes room for the whole label instead
    axis.setLabelsFont(_font(9))
    axis.setLabelsColor(_AXIS_COLOUR)
    axis.setGridLineColor(_GRID_COLOUR)
    axis.setLinePenColor(_GRID_COLOUR)


class CompletionChart(QChartView):
    """各领域平均完成百分比: one horizontal bar per field, the first field on top."""

    def __init__(self) -> None:
        super().__init__(_chart("各领域平均完成百分比"))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.bar_set: QBarSet | None = None

    def show_groups(self, groups: list[GroupStats]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        ordered = list(reversed(groups))  # a horizontal chart draws its first category lowest
        # the category axis hides every other label when they do not fit: give each field a
        # line of its own (a dozen fields need more than the usual 220 px)
        self.setMinimumHeight(max(220, 80 + _LABEL_LINE * len(groups)))
        bars = QBarSet("平均完成百分比")
        bars.setColor(QColor("#3a7bd5"))
        bars.setBorderColor(QColor("#3a7bd5"))
        bars.setLabelColor(QColor("#243b53"))
        bars.setLabelFont(_font(8))
        for g in ordered:
            bars.append(g.average_percent)
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setBarWidth(0.7)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value%")
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([g.short for g in ordered])
        categories.setLabelsFont(_font(8))
        values = QValueAxis()
        values.setRange(0, 100)
        values.setTickCount(6)
        values.setLabelFormat("%d%%")
        _style_axis(values)
        categories.setTruncateLabels(False)
        categories.setLabelsColor(_AXIS_COLOUR)
        categories.setGridLineVisible(False)
        categories.setLinePenColor(_GRID_COLOUR)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        chart.legend().hide()
        self.bar_set = bars


# up to this many periods each frozen one says so under its name; more (monthly) would not fit
_MARKED_PERIODS = 6


def period_labels(periods: list[PeriodStats]) -> list[str]:
    """The category labels of the period chart. The axis draws its labels as rich text, so a
    line break is ``<br>`` (a plain newline is ignored: the labels ran together and the axis
    dropped every other one)."""
    if len(periods) > _MARKED_PERIODS:
        return [p.short for p in periods]
    return [f"{p.short}<br>（已冻结）" if p.frozen else p.short for p in periods]


class PeriodChart(QChartView):
    """各期任务状态: a stacked bar per period, one segment per status."""

    def __init__(self) -> None:
        super().__init__(_chart("各期任务状态"))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.bar_sets: list[QBarSet] = []

    def show_periods(self, periods: list[PeriodStats]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QStackedBarSeries()
        series.setBarWidth(0.55)
        self.bar_sets = []
        top = 1
        for status in STATUS_ORDER:
            bars = QBarSet(BUCKET_LABELS[status])
            colour = QColor(STATUS_COLOURS[status])
            bars.setColor(colour)
            bars.setBorderColor(colour)
            bars.setLabelColor(QColor("white"))
            bars.setLabelFont(_font(8))
            for p in periods:
                bars.append(p.counts.of(status))
            series.append(bars)
            self.bar_sets.append(bars)
        for p in periods:
            top = max(top, p.counts.total)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(period_labels(periods) or ["（尚无）"])
        frozen = sum(p.frozen for p in periods)
        compact = len(periods) > _MARKED_PERIODS
        title = f"各期任务状态（已冻结 {frozen} 期）" if compact and frozen else "各期任务状态"
        chart.setTitle(title)
        values = QValueAxis()
        values.setRange(0, top)
        values.setLabelFormat("%d")
        values.setTickCount(5)
        for axis in (categories, values):
            _style_axis(axis)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        chart.legend().show()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
