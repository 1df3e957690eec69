"""Setting up the office: asked once on first start, editable later in 单位设置."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.vocabulary import LABELS
from desktop.core.worklist import LEVELS
from desktop.errors import UserError
from desktop.services.office.service import OfficeInfo, OfficeService
from desktop.ui import dialogs
from desktop.ui.forms import ok_cancel, wrapped
from desktop.ui.limits import limit_line

if TYPE_CHECKING:  # the 汇总 services load with the screen that needs them
    from desktop.services.exchange.aggregate import AggregateService


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
        self.code.setPlaceholderText("6 位数字，如 330502；功能区等没有代码的可不填")
        self.code_hint = QLabel()
        self.code_hint.setObjectName("hint")
        self.fill_code = QPushButton("填入")
        self.fill_code.clicked.connect(self._fill_code)
        code_row = QWidget()
        code_line = QHBoxLayout(code_row)
        code_line.setContentsMargins(0, 0, 0, 0)
        code_line.addWidget(self.code, 1)
        code_line.addWidget(self.code_hint)
        code_line.addWidget(self.fill_code)
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
        form.addRow(LABELS["locality_code"], code_row)
        self._suggested = ""
        for signal in (self.locality.textChanged, self.code.textChanged):
            signal.connect(self._suggest_code)
        self.level.currentIndexChanged.connect(self._suggest_code)
        self._suggest_code()
        form.addRow(LABELS["reporting_office"], self.reporting_office)
        form.addRow(LABELS["operator"], self.operator)
        form.addRow(LABELS["reviewer"], self.reviewer)
        form.addRow(LABELS["contact_phone"], self.phone)

    def _suggest_code(self) -> None:
        """The built-in table's code for the name and level typed, offered (never imposed)."""
        from desktop.core.localities import builtin_table
        from desktop.errors import ValidationError

        try:
            found = [
                e
                for e in builtin_table().named(self.locality.text())
                if e.level == self.level.currentText()
            ]
        except ValidationError:  # an invisible character: refused on saving
            found = []
        self._suggested = found[0].code if len(found) == 1 else ""
        show = bool(self._suggested) and self.code.text().strip() != self._suggested
        self.code_hint.setText(f"代码表：{self._suggested}" if show else "")
        self.code_hint.setVisible(show)
        self.fill_code.setVisible(show)

    def _fill_code(self) -> None:
        if self._suggested:
            self.code.setText(self._suggested)

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

    def __init__(
        self,
        office: OfficeService,
        parent: QWidget | None = None,
        lower: AggregateService | None = None,
    ) -> None:
        super().__init__(parent)
        self._office = office
        self._lower = lower
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
            info = self._office.save(self.form.info())
        except UserError as err:
            dialogs.warning(self, "无法保存", str(err))
            return
        if self._lower is not None:
            from desktop.ui.exchange.lower_offer import offer_lower_localities

            offer_lower_localities(self, self._lower, info)
        self.accept()
