"""单位设置: the office's own details (units and the unit mapping join later)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.errors import UserError
from desktop.services.office import OfficeService
from desktop.ui import dialogs
from desktop.ui.office_dialog import OfficeForm


class SettingsPage(QWidget):
    saved = Signal()

    def __init__(self, office: OfficeService) -> None:
        super().__init__()
        self._office = office
        layout = QVBoxLayout(self)
        title = QLabel("单位设置")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.form = OfficeForm()
        self.form.set_info(office.get())
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_button = QPushButton("保存")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addStretch(1)

    def save(self) -> None:
        try:
            info = self._office.save(self.form.info())
        except UserError as err:
            dialogs.warning(self, "无法保存", str(err))
            return
        self.form.set_info(info)
        self.saved.emit()
