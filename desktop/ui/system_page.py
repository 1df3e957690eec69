"""系统: version and data folder, the thorough database check, and 备份与恢复."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.paths import DataDir
from desktop.services.safety.backups import BackupService, RestoreService
from desktop.services.safety.maintenance import SCHEMA_REVISION, MaintenanceService
from desktop.ui import dialogs
from desktop.ui.background import run_in_background
from desktop.ui.backup_page import BackupPanel
from desktop.ui.error_report import show_error


class SystemPage(QWidget):
    def __init__(
        self,
        data_dir: DataDir,
        maintenance: MaintenanceService,
        backups: BackupService,
        restoring: RestoreService,
    ) -> None:
        super().__init__()
        self._maintenance = maintenance
        layout = QVBoxLayout(self)
        title = QLabel("系统")
        title.setObjectName("pageTitle")
        layout.addWidget(title)

        about = QGroupBox("程序与数据")
        about_layout = QVBoxLayout(about)
        info = QLabel(
            f"{APP_NAME} 版本 {__version__}（数据库结构版本 {SCHEMA_REVISION}）<br>"
            f"数据文件夹：{data_dir.root}<br>"
            f"备份文件夹：{data_dir.backups}<br>"
            f"日志文件：{data_dir.log_file}"
        )
        info.setTextFormat(Qt.TextFormat.RichText)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        about_layout.addWidget(info)
        row = QHBoxLayout()
        self.check_button = QPushButton("检查数据库")
        self.check_button.clicked.connect(self.check)
        row.addWidget(self.check_button)
        self.check_status = QLabel(
            "完整检查数据库结构、外键、全文检索索引和审计记录链（每次启动时已做快速检查）。"
        )
        self.check_status.setObjectName("hint")
        row.addWidget(self.check_status, 1)
        about_layout.addLayout(row)
        layout.addWidget(about)

        box = QGroupBox("备份与恢复")
        box_layout = QVBoxLayout(box)
        self.backups = BackupPanel(backups, restoring)
        box_layout.addWidget(self.backups)
        layout.addWidget(box, 1)

    def activated(self) -> None:
        """Shown again: an import or an exit elsewhere may have added backups."""
        self.backups.refresh()

    def check(self) -> None:
        self.check_button.setEnabled(False)
        self.check_status.setText("正在检查数据库，请稍候…")

        def done(problems: object) -> None:
            if not shiboken6.isValid(self):
                return
            self.check_button.setEnabled(True)
            found = list(problems) if isinstance(problems, list) else []
            if found:
                self.check_status.setText("检查发现问题，详见提示。")
                dialogs.warning(
                    self,
                    "数据库检查",
                    "发现问题：\n" + "\n".join(found) + "\n\n请在下方从最近的完好备份恢复。",
                )
            else:
                self.check_status.setText("检查通过：数据库完整，审计记录链完好。")
                dialogs.info(self, "数据库检查", "数据库完整，审计记录链完好。")

        def failed(err: BaseException) -> None:
            if not shiboken6.isValid(self):
                show_error(None, err, title="检查未完成")
                return
            self.check_button.setEnabled(True)
            self.check_status.setText("检查未完成。")
            show_error(self, err, title="检查未完成")

        run_in_background(lambda _job: self._maintenance.check(), on_done=done, on_error=failed)
