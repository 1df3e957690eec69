"""备份与恢复 (part of the 系统 area): the backups, what each holds, backing up and restoring.

The list shows the backups in the data folder (time, kind, size); choosing one reads what it
holds (office, lists, tasks, last change) off the UI thread. 立即备份 and 备份到… copy the
database in the background. Restoring asks for confirmation, then closes the main window
(unsaved edits are asked about as on any close) and leaves the restore to the composition
root (``desktop.app.run_gui``), which performs it with every connection closed and reopens
the program on the restored data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.safety.backups import (
    BackupContents,
    BackupInfo,
    BackupService,
    RestoreService,
)
from desktop.ui import dialogs
from desktop.ui.background import run_in_background
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint
from desktop.ui.table_model import AnyIndex, RowTableModel

log = logging.getLogger(__name__)

BACKUP_FILTER = "数据库备份 (*.sqlite3 *.db);;所有文件 (*)"
COLUMNS = ("备份时间", "类型", "大小", "文件名")


class BackupTableModel(RowTableModel[BackupInfo]):
    """The backups as rows: a thin model over a list of ``BackupInfo``."""

    def __init__(self) -> None:
        super().__init__(COLUMNS)

    def backup(self, row: int) -> BackupInfo:
        return self.row_at(row)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        info = self.row_for(index)
        if info is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (info.when_text, info.kind_label, info.size_text, info.path.name)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BackupDetails(QGroupBox):
    """What the chosen backup holds, read from the file itself."""

    def __init__(self) -> None:
        super().__init__("所选备份的内容")
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("office", "本级"),
            ("lists", "本级清单"),
            ("tasks", "任务"),
            ("lower", "下级清单"),
            ("notices", "上级文件"),
            ("last", "最后修改"),
            ("file", "文件"),
            ("state", "状态"),
        ):
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(f"{label}：", value)

    def show_reading(self, info: BackupInfo) -> None:
        for value in self.fields.values():
            value.setText("—")
        self.fields["file"].setText(f"{info.path.name}（{info.size_text}）")
        self.fields["state"].setText("正在读取…")

    def show_contents(self, contents: BackupContents) -> None:
        s = contents.summary
        info = contents.info
        self.fields["file"].setText(f"{info.path}（{info.size_text}）")
        if s is not None:
            parent = f"，上级：{s.parent}" if s.parent else ""
            office = f"{s.locality}（{s.level}{parent}）" if s.locality else "尚未设置本级"
            years = "、".join(f"{y} 年" for y in s.own_years)
            self.fields["office"].setText(office)
            self.fields["lists"].setText(f"{s.own_lists} 份" + (f"（{years}）" if years else ""))
            self.fields["tasks"].setText(f"{s.tasks} 项")
            self.fields["lower"].setText(f"{s.lower_lists} 份")
            self.fields["notices"].setText(f"{s.notices} 份")
            last = contents.last_change_text
            who = f"（{s.last_operator}）" if s.last_operator else ""
            self.fields["last"].setText(f"{last}{who}" if last else "没有修改记录")
        if contents.restorable:
            self.fields["state"].setText("完好，可以恢复")
        else:
            self.fields["state"].setText(contents.problem or "无法使用")

    def clear(self, text: str = "请在左侧选择一份备份。") -> None:
        for value in self.fields.values():
            value.setText("—")
        self.fields["state"].setText(text)


class BackupPanel(QWidget):
    """Backups of the data folder: list, details, backup now / to a folder, restore."""

    def __init__(
        self,
        backups: BackupService,
        restoring: RestoreService,
        *,
        close_window: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        self._backups, self._restoring = backups, restoring
        self._close_window = close_window or (lambda: self.window().close())
        self._peek_generation = 0
        self._contents: BackupContents | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = hint(
            "程序每次退出时自动备份，每天至少一次；自动备份保留最近 7 天、4 周和 12 个月各一份。"
            "导入上级文件或上报包之前、升级数据库之前、从备份恢复之前，也会先自动备份。"
            "建议定期用“备份到U盘或其他位置…”另存一份到本机以外。"
        )
        layout.addWidget(intro)

        buttons = QHBoxLayout()
        self.backup_now_button = QPushButton("立即备份")
        self.backup_now_button.clicked.connect(self.backup_now)
        self.backup_to_button = QPushButton("备份到U盘或其他位置…")
        self.backup_to_button.clicked.connect(self.backup_to)
        self.restore_button = QPushButton("从所选备份恢复…")
        self.restore_button.setObjectName("primary")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("从其他备份文件恢复…")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        for button in (self.backup_now_button, self.backup_to_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.restore_button, self.restore_file_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setVisible(False)
        layout.addWidget(self.status)

        row = QHBoxLayout()
        self.model = BackupTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        row.addWidget(self.table, 3)
        self.details = BackupDetails()
        row.addWidget(self.details, 2)
        layout.addLayout(row, 1)
        self.refresh()

    # list and details ------------------------------------------------------------------

    def refresh(self) -> None:
        rows = self._backups.list_backups()
        self.model.set_rows(rows)
        self._say(self._backups.prune_problem or "")
        self.restore_button.setEnabled(False)
        if rows:
            self.table.selectRow(0)
        else:
            self._contents = None
            self.details.clear("备份文件夹中还没有备份。可以点击“立即备份”。")

    def selected(self) -> BackupInfo | None:
        index = self.table.currentIndex()
        return self.model.backup(index.row()) if index.isValid() else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        info = self.model.backup(current.row())
        self._contents = None
        self.restore_button.setEnabled(False)
        self.details.show_reading(info)
        self._peek_generation += 1
        generation = self._peek_generation

        def done(contents: object) -> None:
            if not shiboken6.isValid(self) or generation != self._peek_generation:
                return  # the page has closed, or the user has moved on to another backup
            if not isinstance(contents, BackupContents):
                return
            self._contents = contents
            self.details.show_contents(contents)
            self.restore_button.setEnabled(contents.restorable)

        def failed(err: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._peek_generation:
                self.details.clear("无法读取这份备份。")
                show_error(self, err, title="无法读取备份")

        run_in_background(lambda _job: self._backups.peek(info.path), on_done=done, on_error=failed)

    # backing up ------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _busy(self, text: str) -> None:
        self._say(text)
        for button in (self.backup_now_button, self.backup_to_button, self.restore_file_button):
            button.setEnabled(not text)

    def _run_backup(self, work: Callable[[], BackupInfo], title: str) -> None:
        self._busy("正在备份，请稍候…")

        def done(info: object) -> None:
            if not shiboken6.isValid(self):
                return  # closed while backing up: the backup itself is done and listed
            self._busy("")
            self.refresh()
            if isinstance(info, BackupInfo):
                self._say(f"已备份：{info.path}（{info.size_text}）")
                dialogs.info(
                    self, title, f"已备份到：\n{info.path}\n\n大小 {info.size_text}，已校验完好。"
                )

        def failed(err: BaseException) -> None:
            if not shiboken6.isValid(self):
                show_error(None, err, title="备份未完成")
                return
            self._busy("")
            show_error(self, err, title="备份未完成")

        run_in_background(lambda _job: work(), on_done=done, on_error=failed)

    def backup_now(self) -> None:
        self._run_backup(self._backups.backup_now, "备份完成")

    def backup_to(self) -> None:
        target = dialogs.ask_save_path(
            self, "备份数据库到", BACKUP_FILTER, self._backups.suggested_backup_name()
        )
        if target is None:
            return
        # the save dialog asked before replacing the name the user chose, not one with a
        # suffix added after it closed
        confirmed = target.suffix.lower() in (".sqlite3", ".db")
        if not confirmed:
            target = target.with_name(target.name + ".sqlite3")
        self._run_backup(lambda: self._backups.backup_to(target, replace=confirmed), "备份完成")

    # restoring -------------------------------------------------------------------------

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            dialogs.warning(self, "从备份恢复", "请先在列表中选择一份备份。")
            return
        contents = self._contents
        if contents is None or contents.info.path != info.path:
            contents = self._read(info.path)
        if contents is not None:
            self._restore(contents)

    def restore_from_file(self) -> None:
        path = dialogs.ask_open_path(self, "选择备份文件", BACKUP_FILTER)
        if path is None:
            return
        contents = self._read(path)
        if contents is not None:
            self._restore(contents)

    def _read(self, path: Path) -> BackupContents | None:
        try:
            return self._backups.peek(path)
        except Exception as err:
            show_error(self, err, title="无法读取备份")
            return None

    def _restore(self, contents: BackupContents) -> None:
        if not contents.restorable:
            dialogs.warning(self, "不能从这份备份恢复", contents.problem or "这份备份无法使用。")
            return
        info = contents.info
        holdings = "\n".join(contents.holdings_lines())
        text = (
            f"将用这份备份替换当前的全部数据：\n\n{info.kind_label}，{info.when_text}，"
            f"{info.size_text}\n{holdings}\n\n"
            "当前的数据库会先另存为“恢复前”备份，需要时还可以恢复回来。\n"
            "恢复时主窗口会关闭，完成后自动重新打开。\n\n确定恢复吗？"
        )
        if not dialogs.confirm(self, "从备份恢复", text, ok="恢复"):
            return
        try:
            self._restoring.schedule_restore(info.path)
        except Exception as err:
            show_error(self, err, title="不能从这份备份恢复")
            return
        if not self._close_window():
            # the user kept the window open (unsaved edits): nothing is restored
            self._restoring.cancel_scheduled_restore()
            self._say("已取消恢复。")
