"""Thin table models of the 上报与汇总 screen, each over a list of the services' plain rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.core.checks import CheckIssue
from desktop.core.figures import Coverage
from desktop.core.reports import STATUS_COLOURS
from desktop.core.vocabulary import LABELS, NOT_REPORTED_WORD, percent_text, status_word
from desktop.services.exchange.aggregate import (
    STATUS_ORDER,
    CoverageMatrix,
    DrillRow,
    LocalityStatus,
)
from desktop.services.exchange.aggregate_types import STATE_LABELS
from desktop.services.exchange.service import SubmissionView
from desktop.ui.table_model import AnyIndex, RowTableModel

Row = TypeVar("Row")
Display = Qt.ItemDataRole.DisplayRole
Tooltip = Qt.ItemDataRole.ToolTipRole
Foreground = Qt.ItemDataRole.ForegroundRole
Background = Qt.ItemDataRole.BackgroundRole
Align = Qt.ItemDataRole.TextAlignmentRole

RED = QColor("#b42318")
GREEN = QColor("#1a7f37")
GREY = QColor("#6b7280")
AMBER = QColor("#9a6700")
LATE_BG = QColor("#fde8e8")
NA_BG = QColor("#eef1f5")
CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def status_colour(status: str) -> QColor:
    r, g, b = STATUS_COLOURS.get(status, (0.0, 0.0, 0.0))
    return QColor.fromRgbF(r, g, b)


def short_time(at: str) -> str:
    """``2027-07-20T10:15:02+08:00`` → ``2027-07-20 10:15``."""
    return at[:16].replace("T", " ") if at else ""


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    centre: bool = False
    tooltip: Callable[[Row], str] | None = None
    colour: Callable[[Row], QColor | None] | None = None
    background: Callable[[Row], QColor | None] | None = None


class RowsModel(RowTableModel[Row]):
    """A read-only table over plain rows, described column by column."""

    def __init__(self, columns: Sequence[Column[Row]]) -> None:
        super().__init__([c.title for c in columns])
        self._columns = list(columns)

    def data(self, index: AnyIndex, role: int = Display) -> Any:
        row = self.row_for(index)
        if row is None:
            return None
        column = self._columns[index.column()]
        if role == Display:
            return column.text(row)
        if role == Tooltip:
            return column.tooltip(row) if column.tooltip else column.text(row) or None
        if role == Align and column.centre:
            return CENTRE
        if role == Foreground and column.colour is not None:
            colour = column.colour(row)
            return QBrush(colour) if colour is not None else None
        if role == Background and column.background is not None:
            colour = column.background(row)
            return QBrush(colour) if colour is not None else None
        return None


# --------------------------------------------------------------------------- the models


def report_model() -> RowsModel[LocalityStatus]:
    """上报情况: one row per lower locality."""

    def state_colour(s: LocalityStatus) -> QColor | None:
        if s.late:
            return RED
        if s.not_resent:
            return AMBER
        return GREEN if s.reported else GREY

    def late_bg(s: LocalityStatus) -> QColor | None:
        return LATE_BG if s.late else None

    def count(status: str) -> Column[LocalityStatus]:
        return Column(
            STATE_LABELS[status],
            lambda s: str(s.count(status)) if s.list_id is not None else "",
            centre=True,
            colour=lambda s: status_colour(status) if s.count(status) else None,
        )

    return RowsModel(
        [
            Column(
                "地区",
                lambda s: s.name,
                tooltip=lambda s: (
                    (f"{s.locality}（{s.code}）" if s.code else s.locality)
                    + (f"，经{s.group}上报" if s.group else "")
                ),
                background=late_bg,
            ),
            Column("状态", lambda s: s.state_label, True, colour=state_colour, background=late_bg),
            Column("版本", lambda s: f"第{s.version}版" if s.list_id is not None else "", True),
            Column("任务数", lambda s: str(s.tasks) if s.list_id is not None else "", True),
            Column(
                "不适用", lambda s: str(s.not_applicable) if s.list_id is not None else "", True
            ),
            *[count(status) for status in STATUS_ORDER],
            Column(
                LABELS["period"],
                # a list reported before any progress: say so rather than leave a gap
                lambda s: s.period_label or ("尚无进展" if s.list_id is not None else ""),
                True,
            ),
            Column(
                "本期",
                lambda s: s.current_period,
                True,
                tooltip=lambda s: (
                    f"按{s.as_of}计算，本期为{s.current_period}"
                    if s.as_of and s.current_period
                    else ""
                ),
            ),
            Column(
                "逾期未报",
                lambda s: s.overdue if s.list_id is not None else "",
                True,
                tooltip=lambda s: (
                    f"{s.overdue}的报送时限已过，{s.locality}最近一次报送的是"
                    f"{s.period_label or '清单（尚无进展）'}"
                    if s.overdue and s.list_id is not None
                    else ""
                ),
                colour=lambda s: AMBER if s.overdue else None,
            ),
            Column("导出时间", lambda s: short_time(s.exported_at), True),
            Column("导入时间", lambda s: short_time(s.imported_at), True),
        ]
    )


def drill_model(*, with_locality: bool = False) -> RowsModel[DrillRow]:
    """任务明细: a list's tasks read only; ``with_locality`` for tasks of several lists."""

    def status(r: DrillRow) -> str:
        word = status_word(None if r.status == "not_applicable" else r.status)
        if r.closed:
            word += "（已销号）"
        return f"{word}（{NOT_REPORTED_WORD}）" if r.not_reported else word

    where: list[Column[DrillRow]] = (
        [Column(LABELS["locality"], lambda r: r.locality, True)] if with_locality else []
    )
    return RowsModel(
        [
            *where,
            Column(LABELS["number"], lambda r: r.number, True),
            Column(LABELS["measures"], lambda r: r.measures),
            Column(LABELS["content"], lambda r: r.content),
            Column(LABELS["target_text"], lambda r: r.target),
            Column(
                LABELS["lead_units"],
                lambda r: r.lead_units,
                tooltip=lambda r: f"牵头：{r.lead_units}\n配合：{r.co_units or '无'}",
            ),
            Column(
                LABELS["deadline"], lambda r: r.deadline.isoformat() if r.deadline else "", True
            ),
            Column(LABELS["progress"], lambda r: r.progress),
            Column(LABELS["percent"], lambda r: percent_text(r.percent), True),
            Column(
                LABELS["status"],
                status,
                True,
                colour=lambda r: status_colour("not_reported" if r.not_reported else r.status),
            ),
        ]
    )


def submission_model() -> RowsModel[SubmissionView]:
    return RowsModel(
        [
            Column("上报时间", lambda s: short_time(s.at), True),
            Column("清单", lambda s: f"{s.year}年 {s.doc_number}"),
            Column("内容", lambda s: s.what, True),
            Column("填报周期", lambda s: s.period_label or s.period_key, True),
            Column("经办人", lambda s: s.operator, True),
            Column("校验码（SHA-256）", lambda s: s.sha256[:16], tooltip=lambda s: s.sha256),
            Column("文件", lambda s: s.file_name),
        ]
    )


def issue_model(accepted: Callable[[], dict[str, str]]) -> RowsModel[CheckIssue]:
    def kind(i: CheckIssue) -> str:
        if i.is_error:
            return "错误"
        return "提醒（已说明）" if i.key in accepted() else "提醒（待说明）"

    def colour(i: CheckIssue) -> QColor | None:
        if i.is_error:
            return RED
        return GREY if i.key in accepted() else QColor("#9a6700")

    return RowsModel(
        [
            Column("类别", kind, True, colour=colour),
            Column("内容", lambda i: i.message),
            Column("说明", lambda i: accepted().get(i.key, "")),
        ]
    )


class CoverageModel(QAbstractTableModel):
    """覆盖情况: measures (rows) × localities (columns) with task counts; then 已覆盖地区 —
    covered over the localities expected to report — and 不适用, counted apart.

    At a province the matrix holds every city's own list and every county's; shown
    ``grouped`` it has one column per city, each cell the measure's coverage over that
    city's expected localities (``CoverageMatrix.coverage`` over its columns: the one rule).
    """

    def __init__(self) -> None:
        super().__init__()
        self._m = CoverageMatrix((), (), (), ())
        self._groups: tuple[str, ...] = ()  # grouped: one column per city

    @property
    def matrix(self) -> CoverageMatrix:
        return self._m

    @property
    def grouped(self) -> bool:
        return bool(self._groups)

    def set_matrix(self, matrix: CoverageMatrix, *, grouped: bool = False) -> None:
        self.beginResetModel()
        self._m = matrix
        self._groups = matrix.group_names if grouped else ()
        self.endResetModel()

    def columns_of(self, column: int) -> list[int]:
        """The matrix columns behind a table column (a city's, when grouped)."""
        n = self._width()
        if not 1 <= column <= n:
            return []
        if self._groups:
            return self._m.members(self._groups[column - 1])
        return [column - 1]

    def group_at(self, column: int) -> str:
        return self._groups[column - 1] if self._groups and 1 <= column <= self._width() else ""

    def _width(self) -> int:
        return len(self._groups) if self._groups else len(self._m.localities)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._m.measure_codes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._width() + 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        n = self._width()
        if role == Tooltip:
            if section == n + 1:
                return "有任务的地区数 / 应上报的地区数（名单外的地区不计）"
            if section == n + 2:
                return "标为不适用的应上报地区数（不算作已覆盖）"
            if self._groups and 1 <= section <= n:
                return f"{self._groups[section - 1]}本级及所辖县（市、区）；双击查看该市各地区"
            return None
        if role != Display:
            return None
        if section == 0:
            return LABELS["measures"]
        if 1 <= section <= n:
            if self._groups:
                return self._groups[section - 1]
            name = self._m.localities[section - 1]
            return name if self._m.is_expected(section - 1) else f"{name}（名单外）"
        return {n + 1: "已覆盖地区", n + 2: "不适用"}.get(section)

    def data(self, index: AnyIndex, role: int = Display) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        n = self._width()
        if not 0 <= r < len(self._m.measure_codes) or not 0 <= c <= n + 2:
            return None
        if c == 0:
            if role in (Display, Tooltip):
                return self._m.measure_labels[r] if role == Display else self._m.measure_codes[r]
            return None
        if c > n:
            cov = self._m.coverage(r)
            if role == Display:
                return cov.text if c == n + 1 else str(cov.not_applicable)
            if role == Align:
                return CENTRE
            if role == Tooltip and c == n + 1:
                return _coverage_tip("", cov)
            if role == Foreground and c == n + 1 and cov.covered < cov.expected:
                return QBrush(RED)
            if role == Foreground and c == n + 2 and cov.not_applicable:
                return QBrush(GREY)
            return None
        if self._groups:
            return self._group_cell(r, c, role)
        cell = self._m.cells[r][c - 1]
        if role == Display:
            if not cell.reported:
                return self._m.absent_word(c - 1)
            if cell.not_applicable is not None:
                return "不适用"
            return str(cell.tasks) if cell.tasks else "未覆盖"
        if role == Align:
            return CENTRE
        if role == Tooltip:
            if not cell.reported:
                word = self._m.absent_word(c - 1)
                return f"{self._m.localities[c - 1]}：{word}"
            if cell.not_applicable is not None:
                return f"不适用：{cell.not_applicable}"
            return f"{self._m.localities[c - 1]}：{cell.tasks} 项任务（双击查看）"
        if role == Background:
            if not cell.reported or cell.not_applicable is not None:
                return QBrush(NA_BG)
            return QBrush(LATE_BG) if not cell.tasks else None
        if role == Foreground:
            if not cell.reported or cell.not_applicable is not None:
                return QBrush(GREY)
            return QBrush(RED) if not cell.tasks else None
        return None

    def _group_cell(self, r: int, c: int, role: int) -> Any:
        group = self._groups[c - 1]
        cov = self._m.coverage(r, self._m.members(group))
        if role == Display:
            return cov.text
        if role == Align:
            return CENTRE
        if role == Tooltip:
            return _coverage_tip(group, cov) + "（双击查看任务）"
        if role == Background:
            return QBrush(LATE_BG) if cov.covered < cov.expected else None
        if role == Foreground:
            return QBrush(RED) if cov.covered < cov.expected else None
        return None


def _coverage_tip(where: str, cov: Coverage) -> str:
    return (
        f"{where}应上报 {cov.expected} 个地区：有任务 {cov.covered} 个，"
        f"不适用 {cov.not_applicable} 个，未上报 {cov.not_reported} 个，"
        f"未分解 {cov.uncovered} 个"
    )


def drill_label(s: LocalityStatus) -> str:
    """The name in the 任务明细 chooser: 湖州市 · 吴兴区 under a city, 湖州市本级 for its own."""
    if s.group:
        return f"{s.group} · {s.locality}"
    return f"{s.locality}本级" if s.bundle else s.locality
