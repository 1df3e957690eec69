"""Setting up the office: asked once on first start, editable later in 单位设置."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from desktop.core.vocabulary import LABELS
from desktop.core.worklist import LEVELS
from desktop.errors import UserError
from desktop.services.office.service import OfficeInfo, OfficeService
from desktop.ui import dialogs
from desktop.ui.forms import ok_cancel, wrapped
from desktop.ui.limits import limit_line


class OfficeForm(QWidget):
    """The office's fields; used by the first-start dialog and the settings screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.locality = QLineEdit()
        self.locality.setPlaceholderText("例如：某某县")
        self.level = QComboBox()
        self.level.addItems(list(LEVELS))
        self.parent_locality = QLineEdit()
        self.parent_locality.setPlaceholderText("例如：某某市（县级填所属设区市）")
        self.code = QLineEdit()
        self.code.setPlaceholderText("行政区划代码，可不填")
        self.reporting_office = QLineEdit()
        self.reporting_office.setPlaceholderText("例如：某某县发展和改革局")
        self.operator = QLineEdit()
        self.reviewer = QLineEdit()
        self.phone = QLineEdit()
        for line, key in (
            (self.locality, "locality"),
            (self.parent_locality, "parent"),
            (self.reporting_office, "reporting_office"),
            (self.operator, "operator"),
            (self.reviewer, "reviewer"),
            (self.phone, "contact_phone"),
        ):
            limit_line(line, key)
        self.code.setMaxLength(6)
        form.addRow("本级地区名称 *", self.locality)
        form.addRow(f"{LABELS['level']} *", self.level)
        form.addRow(LABELS["parent"], self.parent_locality)
        form.addRow(LABELS["locality_code"], self.code)
        form.addRow(LABELS["reporting_office"], self.reporting_office)
        form.addRow(LABELS["operator"], self.operator)
        form.addRow(LABELS["reviewer"], self.reviewer)
        form.addRow(LABELS["contact_phone"], self.phone)

    def set_info(self, info: OfficeInfo) -> None:
        self.locality.setText(info.locality)
        self.level.setCurrentText(info.level)
        self.parent_locality.setText(info.parent)
        self.code.setText(info.locality_code)
        self.reporting_office.setText(info.reporting_office)
        self.operator.setText(info.operator)
        self.reviewer.setText(info.reviewer)
        self.phone.setText(info.contact_phone)

    def info(self) -> OfficeInfo:
        return OfficeInfo(
            locality=self.locality.text(),
            level=self.level.currentText(),
            parent=self.parent_locality.text(),
            locality_code=self.code.text(),
            reporting_office=self.reporting_office.text(),
            operator=self.operator.text(),
            reviewer=self.reviewer.text(),
            contact_phone=self.phone.text(),
        )


class OfficeSetupDialog(QDialog):
    """First start: who is this office? Saved through the office service."""

    def __init__(self, office: OfficeService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._office = office
        self.setWindowTitle("设置本级信息")
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                "欢迎使用清单台账。请先填写本单位所在地区和层级，上报和汇总时会用到这些信息。\n"
                "以后可在“单位设置”中修改。"
            )
        )
        self.form = OfficeForm()
        self.form.set_info(office.get())
        layout.addWidget(self.form)
        layout.addWidget(ok_cancel(self, "保存", cancel="以后再说", on_ok=self.save))

    def save(self) -> None:
        try:
            self._office.save(self.form.info())
        except UserError as err:
            dialogs.warning(self, "无法保存", str(err))
            return
        self.accept()
