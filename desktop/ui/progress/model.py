"""The progress-entry table: one row per task, this period's entry editable in place.

A thin ``QAbstractTableModel`` over the service's plain rows. Edits are kept here, per task,
until the user saves (保存 writes them all in one transaction); a row with unsaved edits is
tinted. The status column shows what the status *will be* with the edit, computed by the
same rule as the stored status (``preview_status``), so the office sees a task turn from
滞后 to 按序时 as it types the percent. Filtering works on a list of visible row numbers and
resets the model — far faster than a proxy model over tens of thousands of rows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from desktop.core.dates import chinese_date, chinese_month_day
from desktop.core.figures import TaskFigures
from desktop.core.schema import limit, strip_controls, unprintable
from desktop.core.status import Status, StatusResult, Thresholds
from desktop.core.vocabulary import LABELS, NOT_REPORTED_WORD, STATUS_WORDS
from desktop.services.progress.service import ProgressEntry, ProgressRow, preview_figures
from desktop.ui.progress.colours import (
    EDITED_BACKGROUND,
    severity_background,
    severity_foreground,
)

# (key, heading, width in pixels)
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("number", LABELS["number"], 56),
    ("content", LABELS["content"], 220),
    ("lead", LABELS["lead_units"], 90),
    ("text", f"本期{LABELS['progress']}", 230),
    ("percent", LABELS["percent"], 76),
    ("expected", LABELS["expected_percent"], 64),
    ("status", LABELS["status"], 80),
    ("previous", LABELS["previous"], 190),
    ("deadline", LABELS["deadline"], 84),
    ("lag_reason", LABELS["lag_reason"], 150),
    ("problems", LABELS["problems"], 150),
    ("next_steps", LABELS["next_steps"], 150),
    ("completed_on", LABELS["completed_on"], 84),
    ("evidence", LABELS["evidence"], 120),
)
# the schema's field for each text column typed in the table
SCHEMA_KEYS = {"text": "progress", "lag_reason": "lag_reason", "problems": "problems"}
SCHEMA_KEYS |= {"next_steps": "next_steps", "evidence": "evidence"}
KEYS = tuple(c[0] for c in COLUMNS)
COLUMN = {key: i for i, key in enumerate(KEYS)}
EDITABLE = frozenset({"text", "percent", "lag_reason", "problems", "next_steps", "evidence"})
_TEXT_FIELDS = frozenset({"text", "lag_reason", "problems", "next_steps", "evidence"})

FILTERS: tuple[tuple[str, str], ...] = (
    ("all", "全部任务"),
    ("attention", "只看滞后/未填报"),
    ("lagging", "只看滞后"),
    ("unreported", "只看未填报"),
    ("unexplained", "只看未说明滞后原因"),
    ("edited", "只看未保存的修改"),
)

_ROLE = Qt.ItemDataRole
_INDEX = QModelIndex | QPersistentModelIndex


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ProgressTableModel(QAbstractTableModel):
    dirty_changed = Signal(bool)
    entry_changed = Signal(int)  # task id whose entry (and so status) changed

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ProgressRow] = []
        self._visible: list[int] = []
        self._edits: dict[int, ProgressEntry] = {}
        self._preview: dict[int, TaskFigures] = {}
        self._as_of = date.today()
        self._period = (date.today(), date.today())
        self._thresholds = Thresholds()
        self._read_only = False
        self._mode = "all"
        self._text = ""
        self._bold = QFont()
        self._bold.setBold(True)

    # loading and filtering --------------------------------------------------------------

    def load(
        self,
        rows: list[ProgressRow],
        *,
        as_of: date,
        period: tuple[date, date],
        thresholds: Thresholds,
        read_only: bool,
        keep_edits: bool = False,
    ) -> None:
        """``period``: its first and last day; ``as_of``: the day its status is read at."""
        was_dirty = self.is_dirty()
        self.beginResetModel()
        self._rows = rows
        self._as_of, self._period = as_of, period
        self._thresholds, self._read_only = thresholds, read_only
        known = {r.task_id for r in rows}
        self._edits = {k: v for k, v in self._edits.items() if k in known} if keep_edits else {}
        self._preview = {}
        for r in rows:
            if r.task_id in self._edits:
                self._preview[r.task_id] = self._compute(r, self._edits[r.task_id])
        self._visible = self._filtered()
        self.endResetModel()
        if was_dirty != self.is_dirty():
            self.dirty_changed.emit(self.is_dirty())

    def set_filter(self, mode: str, text: str = "") -> None:
        self.beginResetModel()
        self._mode, self._text = mode, text.strip()
        self._visible = self._filtered()
        self.endResetModel()

    @property
    def filter_mode(self) -> str:
        return self._mode

    def _filtered(self) -> list[int]:
        out = []
        text = self._text
        for i, r in enumerate(self._rows):
            if text and not (text in r.number or text in r.content or text in r.lead_units):
                continue
            if self._mode != "all" and not self._matches(r):
                continue
            out.append(i)
        return out

    def _matches(self, r: ProgressRow) -> bool:
        entry = self.entry_of(r)
        status = self.status_of(r).status
        unreported = self._expected(r) and entry.is_empty()
        lagging = status is Status.LAGGING
        if self._mode == "attention":
            return lagging or unreported
        if self._mode == "lagging":
            return lagging
        if self._mode == "unreported":
            return unreported
        if self._mode == "unexplained":
            return lagging and not (entry.lag_reason.strip() and entry.next_steps.strip())
        if self._mode == "edited":
            return r.task_id in self._edits
        return True

    def _expected(self, r: ProgressRow) -> bool:
        """Whether the task reports in this period: not closed out by its end (a closed-out
        task can no longer be reported for), unless it did report in it — as the service
        counts (``freezing.report_counts``)."""
        return r.closed_on is None or r.closed_on > self._period[1] or r.stored

    # reading -----------------------------------------------------------------------------

    def row_at(self, row: int) -> ProgressRow:
        return self._rows[self._visible[row]]

    def entry_of(self, r: ProgressRow) -> ProgressEntry:
        return self._edits.get(r.task_id, r.entry)

    def entry_at(self, row: int) -> ProgressEntry:
        return self.entry_of(self.row_at(row))

    def figures_of(self, r: ProgressRow) -> TaskFigures:
        """The task's figures with its pending edit (the one rule, ``preview_figures``)."""
        return self._preview.get(r.task_id, r.figures)

    def status_of(self, r: ProgressRow) -> StatusResult:
        return self.figures_of(r).result

    def status_at(self, row: int) -> StatusResult:
        return self.status_of(self.row_at(row))

    def visible_row_of(self, task_id: int) -> int:
        for row, i in enumerate(self._visible):
            if self._rows[i].task_id == task_id:
                return row
        return -1

    def has_task(self, task_id: int) -> bool:
        return any(r.task_id == task_id for r in self._rows)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def is_dirty(self) -> bool:
        return bool(self._edits)

    def edited(self) -> list[ProgressEntry]:
        return list(self._edits.values())

    def tally(self) -> tuple[int, int, int, int]:
        """(tasks expected to report, reported, lagging, lagging without explanation),
        counting unsaved edits as they stand."""
        expected = reported = lagging = unexplained = 0
        for r in self._rows:
            entry = self.entry_of(r)
            if self._expected(r):
                expected += 1
                reported += not entry.is_empty()
            if self.status_of(r).status is Status.LAGGING:
                lagging += 1
                if not (entry.lag_reason.strip() and entry.next_steps.strip()):
                    unexplained += 1
        return expected, reported, lagging, unexplained

    # editing -----------------------------------------------------------------------------

    def set_entry(self, row: int, entry: ProgressEntry) -> None:
        r = self.row_at(row)
        was_dirty = self.is_dirty()
        if entry == r.entry:
            self._edits.pop(r.task_id, None)
            self._preview.pop(r.task_id, None)
        else:
            self._edits[r.task_id] = entry
            self._preview[r.task_id] = self._compute(r, entry)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.entry_changed.emit(r.task_id)
        if was_dirty != self.is_dirty():
            self.dirty_changed.emit(self.is_dirty())

    def apply_edits(self, entries: list[ProgressEntry]) -> int:
        """Put pending edits back (a restored safety copy); returns how many rows change."""
        rows = {r.task_id: r for r in self._rows}
        was_dirty = self.is_dirty()
        self.beginResetModel()
        applied = 0
        for e in entries:
            r = rows.get(e.task_id)
            if r is None or e == r.entry:
                continue
            self._edits[e.task_id] = e
            self._preview[e.task_id] = self._compute(r, e)
            applied += 1
        self._visible = self._filtered()
        self.endResetModel()
        if was_dirty != self.is_dirty():
            self.dirty_changed.emit(self.is_dirty())
        return applied

    def accept_saved(self) -> None:
        """The edits are in the database now: they become the rows' stored entries."""
        if not self._edits:
            return
        self.beginResetModel()
        self._rows = [
            replace(
                r,
                entry=self._edits[r.task_id],
                figures=self._preview[r.task_id],
                stored=not self._edits[r.task_id].is_empty(),
            )
            if r.task_id in self._edits
            else r
            for r in self._rows
        ]
        self._edits, self._preview = {}, {}
        self.endResetModel()
        self.dirty_changed.emit(False)

    def discard_edits(self) -> None:
        self.load(
            self._rows,
            as_of=self._as_of,
            period=self._period,
            thresholds=self._thresholds,
            read_only=self._read_only,
        )

    def _compute(self, r: ProgressRow, entry: ProgressEntry) -> TaskFigures:
        return preview_figures(r, entry, self._as_of, self._thresholds)

    # Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _ROLE.DisplayRole:
            return COLUMNS[section][1]
        if orientation == Qt.Orientation.Vertical and role == _ROLE.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: _INDEX) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # a closed-out task takes no more reports
        closed = self.row_at(index.row()).closed_on is not None
        if not self._read_only and KEYS[index.column()] in EDITABLE and not closed:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _INDEX, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        r = self.row_at(index.row())
        key = KEYS[index.column()]
        if role == _ROLE.DisplayRole:
            return self._display(r, key)
        if role == _ROLE.EditRole:
            return self._edit_value(r, key)
        if role == _ROLE.ToolTipRole:
            return self._tooltip(r, key)
        if role == _ROLE.BackgroundRole:
            if key == "status":
                return severity_background(self.status_of(r).severity)
            if r.task_id in self._edits and key in EDITABLE | {"number"}:
                return QColor(EDITED_BACKGROUND)
            return None
        if role == _ROLE.ForegroundRole and key == "status":
            return severity_foreground(self.status_of(r).severity)
        if role == _ROLE.FontRole and (
            (key == "status" and self.status_of(r).status is Status.LAGGING)
            or (key == "number" and r.task_id in self._edits)
        ):
            return self._bold
        if role == _ROLE.TextAlignmentRole and key in ("percent", "expected", "status"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, r: ProgressRow, key: str) -> str:
        entry = self.entry_of(r)
        if key == "number":
            return ("● " if r.task_id in self._edits else "") + r.number
        if key == "content":
            return _one_line(r.content)
        if key == "lead":
            return r.lead_units
        if key == "deadline":
            return self._date(r.deadline)
        if key == "previous":
            shown = _one_line(r.previous_text)
            if r.previous_percent is not None:
                shown = f"{shown}（{r.previous_percent}%）" if shown else f"{r.previous_percent}%"
            return shown
        if key == "percent":
            return "" if entry.percent is None else f"{entry.percent}%"
        if key == "expected":
            return f"{self.status_of(r).expected_percent}%"
        if key == "status":
            f = self.figures_of(r)
            if f.not_applicable:
                return STATUS_WORDS["not_applicable"]
            if f.closed:
                return "已销号"
            return f"{f.result.label}（{NOT_REPORTED_WORD}）" if f.not_reported else f.result.label
        if key == "completed_on":
            return self._date(entry.completed_on)
        return _one_line(str(getattr(entry, key)))

    def _date(self, d: date | None) -> str:
        if d is None:
            return ""
        if d.year == self._as_of.year:
            return chinese_month_day(d)
        return chinese_date(d)

    def _edit_value(self, r: ProgressRow, key: str) -> Any:
        entry = self.entry_of(r)
        if key == "percent":
            return "" if entry.percent is None else str(entry.percent)
        if key in _TEXT_FIELDS:
            return getattr(entry, key)
        return self._display(r, key)

    def _tooltip(self, r: ProgressRow, key: str) -> str | None:
        if key == "status":
            return self.status_of(r).explanation
        if key == "content":
            return r.content
        if key == "previous" and r.previous_text:
            return f"{r.previous_label}：{r.previous_text}"
        if key in _TEXT_FIELDS:
            value = str(getattr(self.entry_of(r), key))
            return value or None
        return None

    def setData(self, index: _INDEX, value: Any, role: int = _ROLE.EditRole) -> bool:
        if role != _ROLE.EditRole or not index.isValid() or self._read_only:
            return False
        key = KEYS[index.column()]
        if key not in EDITABLE or self.row_at(index.row()).closed_on is not None:
            return False
        entry = self.entry_at(index.row())
        if key == "percent":
            percent = parse_percent(value)
            if percent is False:
                return False
            new = replace(entry, percent=percent)
        else:
            values: dict[str, Any] = {key: fit(SCHEMA_KEYS[key], str(value or ""))}
            new = replace(entry, **values)
        if new != entry:
            self.set_entry(index.row(), new)
        return True


def fit(key: str, text: str) -> str:
    """Text typed in a cell as field ``key`` takes it: without control characters and what
    the ledger cannot print, within the field's limit (the entry form below the table
    shows the counter and says why)."""
    text = strip_controls(text)
    bad = unprintable(text)
    if bad:
        text = "".join(ch for ch in text if ch not in bad)
    return text[: limit(key)]


def parse_percent(value: object) -> int | bool | None:
    """A percent typed in a cell: 0..100, '' for none; False when it is not one."""
    if value is None:
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value if 0 <= value <= 100 else False
    text = str(value).strip().rstrip("%％").strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        return False
    return number if 0 <= number <= 100 else False
