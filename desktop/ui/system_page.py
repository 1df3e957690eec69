"""系统: version, data folder, database check and backup."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop import APP_NAME, __version__
from desktop.services.context import Services
from desktop.services.maintenance import SCHEMA_REVISION, MaintenanceService
from desktop.ui import dialogs
from desktop.ui.error_report import show_error


class SystemPage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self._maintenance = MaintenanceService(services.data_dir)
        layout = QVBoxLayout(self)
        title = QLabel("系统")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        info = QLabel(
            f"{APP_NAME} 版本 {__version__}（数据库结构版本 {SCHEMA_REVISION}）\n"
            f"数据文件夹：{services.data_dir.root}\n"
            f"数据库：{services.data_dir.db_path}\n"
            f"备份：{services.data_dir.backups}\n"
            f"日志：{services.data_dir.log_file}"
        )
        info.setTextInteractionFlags(info.textInteractionFlags().TextSelectableByMouse)
        layout.addWidget(info)
        row = QHBoxLayout()
        self.check_button = QPushButton("检查数据库")
        self.check_button.clicked.connect(self.check)
        self.backup_button = QPushButton("备份到…")
        self.backup_button.clicked.connect(self.backup)
        row.addWidget(self.check_button)
        row.addWidget(self.backup_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def check(self) -> None:
        problems = self._maintenance.check()
        if problems:
            dialogs.warning(self, "数据库检查", "发现问题：\n" + "\n".join(problems))
        else:
            dialogs.info(self, "数据库检查", "数据库完整，审计记录链完好。")

    def backup(self) -> None:
        target = dialogs.ask_save_path(
            self,
            "备份数据库到",
            "数据库备份 (*.sqlite3)",
            self._maintenance.suggested_backup_name(),
        )
        if target is None:
            return
        try:
            self._maintenance.backup_to(target)
        except Exception as err:
            show_error(self, err)
            return
        dialogs.info(self, "备份完成", f"已备份到：\n{target}")
