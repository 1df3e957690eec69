"""校验结果: the check before sending as a clickable list, errors first, then warnings.

A click selects an issue (Ctrl/Shift add to the selection); a double click or Enter takes
the user to the task or measure to fix. Warnings may be accepted with one written
explanation for those selected or for all at once (全部说明), which is kept with the list
and sent upward (上报说明); an accepted warning can be revoked. An issue of the notice's
words kept as the office's offers 改为本地目标.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.checks import CheckIssue, CheckResult
from desktop.ui import dialogs
from desktop.ui.forms import hint

AnyIndex = QModelIndex | QPersistentModelIndex
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1
HINT = (
    "校验检查：每个条目都已分解为任务或标为不适用；每项任务都有本级的工作内容、牵头单位、"
    "本年度内的完成时限和目标指标。错误必须改正；提醒可以写明说明后接受。"
)
USAGE = (
    "单击选中，双击或按回车打开对应的任务；按住 Ctrl 或 Shift 可多选（Ctrl+A 全选），"
    "几条提醒共用一条说明。"
)


class CheckModel(QAbstractListModel):
    """Issues in the order the user should work through them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[CheckIssue, str | None]] = []
        self._red = QBrush(QColor("#a61b1b"))
        self._amber = QBrush(QColor("#8a5a00"))
        self._grey = QBrush(QColor("#7b8794"))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        issue, accepted = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if issue.is_error:
                return f"错误　{issue.message}"
            if accepted is not None:
                return f"已说明　{issue.message}（{accepted}）"
            return f"提醒　{issue.message}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if issue.is_error:
                return self._red
            return self._grey if accepted is not None else self._amber
        if role == Qt.ItemDataRole.ToolTipRole:
            if accepted is not None:
                return f"{issue.message}\n说明：{accepted}"
            return issue.message
        if role == ISSUE_ROLE:
            return issue
        return None

    def set_result(self, result: CheckResult | None) -> None:
        self.beginResetModel()
        if result is None:
            self._items = []
        else:
            accepted = result.accepted
            errors = [(i, None) for i in result.errors]
            open_ = [(i, None) for i in result.warnings if i.key not in accepted]
            done = [(i, accepted[i.key]) for i in result.warnings if i.key in accepted]
            self._items = [*errors, *open_, *done]
        self.endResetModel()

    def item(self, row: int) -> tuple[CheckIssue, str | None]:
        return self._items[row]

    def row_of(self, key: str) -> int | None:
        return next((i for i, (issue, _) in enumerate(self._items) if issue.key == key), None)


class CheckPanel(QWidget):
    issue_chosen = Signal(object)  # CheckIssue
    localise_requested = Signal(object)  # CheckIssue
    check_requested = Signal()
    accept_requested = Signal(list, str)  # [(key, message)], explanation
    revoke_requested = Signal(list)  # [key]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: CheckResult | None = None
        self._editable = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 11pt; font-weight: bold; padding: 2px;")
        self.hint = hint(HINT)
        self.model = CheckModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setStyleSheet("QListView::item { padding: 3px 4px; }")
        buttons = QHBoxLayout()
        self.run_button = QPushButton("重新校验")
        self.open_button = QPushButton("打开")
        self.open_button.setToolTip("打开选中问题对应的任务或条目（双击或回车）")
        self.localise_button = QPushButton("改为本地目标…")
        self.localise_button.setToolTip("把照搬上级文件的工作任务和目标指标改写为本级的")
        self.accept_button = QPushButton("接受提醒…")
        self.accept_button.setToolTip("为选中的提醒写明说明；说明随清单上报")
        self.accept_all_button = QPushButton("全部说明…")
        self.accept_all_button.setToolTip("为全部尚未说明的提醒填写同一条说明")
        self.revoke_button = QPushButton("撤回说明")
        for b in (
            self.run_button,
            self.open_button,
            self.localise_button,
            self.accept_button,
            self.accept_all_button,
            self.revoke_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addWidget(self.summary)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint(USAGE))
        self.run_button.clicked.connect(self.check_requested.emit)
        self.open_button.clicked.connect(self.open_current)
        self.localise_button.clicked.connect(self.localise_current)
        self.accept_button.clicked.connect(self.accept_selected)
        self.accept_all_button.clicked.connect(self.accept_all)
        self.revoke_button.clicked.connect(self.revoke_selected)
        # a click selects (Ctrl/Shift add to it); opening is a double click or Enter
        self.view.doubleClicked.connect(self._open)
        self.view.installEventFilter(self)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.set_result(None)

    def set_result(self, result: CheckResult | None, *, state_label: str = "") -> None:
        self.result = result
        self.model.set_result(result)
        if result is None:
            self.summary.setText("尚未校验")
            self.summary.setStyleSheet("font-size: 11pt; font-weight: bold; color: #334e68;")
        else:
            colour = "#2e7d32" if result.passed else "#a61b1b"
            tail = f"　清单状态：{state_label}" if state_label else ""
            if not result.issues:
                self.hint.setText(
                    "没有发现问题：条目都已分解或标为不适用，任务信息完整，可以上报。"
                )
            else:
                self.hint.setText(HINT)
            self.summary.setText(result.summary() + tail)
            self.summary.setStyleSheet(f"font-size: 11pt; font-weight: bold; color: {colour};")
        self._update_buttons()

    def mark_stale(self, state_label: str) -> None:
        """The list changed since the check: the issues shown may be fixed already."""
        if self.result is None:
            return
        self.summary.setText(
            f"{self.result.summary()}　清单状态：{state_label}\n清单已修改，请重新校验。"
        )
        self.summary.setStyleSheet("font-size: 11pt; font-weight: bold; color: #8a5a00;")

    def set_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        if busy:
            self.summary.setText("正在校验…")

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._update_buttons()

    def select(self, key: str) -> None:
        row = self.model.row_of(key)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row))

    def selected(self) -> list[tuple[CheckIssue, str | None]]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        return [self.model.item(r) for r in rows]

    def accept_selected(self) -> None:
        chosen = [i for i, accepted in self.selected() if not i.is_error and accepted is None]
        self._accept(chosen, f"选中的 {len(chosen)} 条提醒")

    def accept_all(self) -> None:
        """全部说明: one explanation for every warning not yet explained."""
        chosen = self.result.open_warnings if self.result is not None else []
        self._accept(chosen, f"全部 {len(chosen)} 条尚未说明的提醒")

    def _accept(self, chosen: list[CheckIssue], many: str) -> None:
        if not chosen or not self._editable:
            return
        what = chosen[0].message if len(chosen) == 1 else many
        text = dialogs.ask_required_text(
            self,
            "接受提醒",
            f"{what}\n\n请写明不需要改正的原因（说明随清单上报）：",
            missing="接受提醒必须写明说明。",
            field="check_explanation",
        )
        if text is None or not text.strip():  # cancelled
            return
        self.accept_requested.emit([(i.key, i.message) for i in chosen], text.strip())

    def revoke_selected(self) -> None:
        keys = [i.key for i, accepted in self.selected() if accepted is not None]
        if keys and self._editable:
            self.revoke_requested.emit(keys)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on the list opens the current issue (whatever the style's activation)."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def open_current(self) -> None:
        self._open(self.view.currentIndex())

    def localise_current(self) -> None:
        issue = self._localisable()
        if issue is not None and self._editable:
            self.localise_requested.emit(issue)

    def _localisable(self) -> CheckIssue | None:
        items = self.selected()
        if len(items) != 1 or not items[0][0].localisable or items[0][0].task_id is None:
            return None
        return items[0][0]

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.issue_chosen.emit(self.model.item(index.row())[0])

    def _update_buttons(self) -> None:
        items = self.selected()
        self.open_button.setEnabled(len(items) == 1)
        self.localise_button.setEnabled(self._editable and self._localisable() is not None)
        self.accept_button.setEnabled(
            self._editable and any(not i.is_error and a is None for i, a in items)
        )
        open_ = len(self.result.open_warnings) if self.result is not None else 0
        self.accept_all_button.setEnabled(self._editable and open_ > 0)
        self.accept_all_button.setText(f"全部说明（{open_} 条）…" if open_ else "全部说明…")
        self.revoke_button.setEnabled(self._editable and any(a is not None for _, a in items))
