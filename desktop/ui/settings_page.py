"""单位设置: the office's own details, its departments and the provincial → local mapping.

Three tabs, each saved with its own button; leaving the program with unsaved edits on any
of them asks first (``may_close``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.services.office.local_units import UnitService
from desktop.services.office.service import OfficeInfo, OfficeService
from desktop.ui import dialogs
from desktop.ui.forms import hint
from desktop.ui.office_dialog import OfficeForm
from desktop.ui.units.mapping import MappingTab
from desktop.ui.units.unit_list import UnitListTab

if TYPE_CHECKING:  # the 汇总 services load with the screen that needs them
    from desktop.services.exchange.aggregate import AggregateService


class SettingsPage(QWidget):
    saved = Signal()

    def __init__(
        self, office: OfficeService, units: UnitService, lower: AggregateService | None = None
    ) -> None:
        super().__init__()
        self._office = office
        self._lower = lower
        self._stored: OfficeInfo = office.get()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("单位设置")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        office_tab = QWidget()
        outer = QHBoxLayout(office_tab)
        column = QWidget()
        column.setMaximumWidth(720)
        outer.addWidget(column, 1)
        outer.addStretch(0)
        office_layout = QVBoxLayout(column)
        office_layout.setContentsMargins(0, 0, 0, 0)
        intro = hint(
            "本级地区和层级决定默认的部门名单和单位对应；填报单位、填报人等印在台账落款处。"
        )
        office_layout.addWidget(intro)
        self.form = OfficeForm()
        self.form.set_info(self._stored)
        office_layout.addWidget(self.form)
        row = QHBoxLayout()
        self.office_state = QLabel()
        self.office_state.setObjectName("hint")
        self.save_button = QPushButton("保存本级信息")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.office_state)
        row.addStretch(1)
        row.addWidget(self.save_button)
        office_layout.addLayout(row)
        office_layout.addWidget(self._key_box())
        office_layout.addStretch(1)

        self.unit_list = UnitListTab(units)
        self.mapping = MappingTab(units)
        self.tabs.addTab(office_tab, "本级信息")
        self.tabs.addTab(self.unit_list, "本级单位")
        self.tabs.addTab(self.mapping, "单位对应")
        # a saved unit list changes the choices and may leave provincial units unmapped
        self.unit_list.saved.connect(self._units_saved)
        for edit in (
            self.form.locality,
            self.form.parent_locality,
            self.form.code,
            self.form.reporting_office,
            self.form.operator,
            self.form.reviewer,
            self.form.phone,
        ):
            edit.textChanged.connect(self._office_edited)
        self.form.level.currentIndexChanged.connect(self._office_edited)
        QShortcut(
            QKeySequence("Ctrl+S"),
            self,
            self.save_current_tab,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def _key_box(self) -> QGroupBox:
        box = QGroupBox("本单位签名密钥")
        box_layout = QVBoxLayout(box)
        self.key_fingerprint = QLabel()
        self.key_fingerprint.setObjectName("keyFingerprint")
        self.key_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.key_fingerprint.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.key_fingerprint.setFont(font)
        box_layout.addWidget(self.key_fingerprint)
        box_layout.addWidget(
            hint(
                "本级导出的上报包都用这把密钥签名（SM2/SM3）。指纹印在每份台账的落款处：上级首次"
                "导入本级的上报包时，会与盖章的纸质台账（或电话）核对，此后只认这把密钥。"
                "密钥保存在本机数据库中，随备份一起保存；换电脑时请用备份恢复，不要重新建库。"
            )
        )
        self._show_key()
        return box

    def _show_key(self) -> None:
        fingerprint = self._office.key_fingerprint()
        self.key_fingerprint.setText(fingerprint or "（保存本级信息后生成）")

    # the main window's interface -------------------------------------------------------

    def activated(self) -> None:
        """Shown again: a notice imported meanwhile brings new provincial units."""
        self._show_key()
        if not self.mapping.is_dirty():
            self.mapping.reload()
        if not self.unit_list.is_dirty():
            self.unit_list.reload()

    def may_close(self) -> bool:
        dirty = self.dirty_parts()
        if not dirty:
            return True
        answer = dialogs.ask_save_changes(self, "单位设置中的" + "、".join(dirty))
        if answer == "cancel":
            return False
        if answer == "discard":
            return True
        return self.save_all()

    # saving ----------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the office's details (本级信息)."""
        try:
            info = self._office.save(self.form.info())
        except UserError as err:
            dialogs.warning(self, "无法保存", str(err))
            return False
        self._stored = info
        self.form.set_info(info)
        self.office_state.setText("已保存")
        self._show_key()
        if self._lower is not None:
            from desktop.ui.exchange.lower_offer import offer_lower_localities

            offer_lower_localities(self, self._lower, info)
        # a first configuration fills the default units and mapping
        if not self.unit_list.is_dirty():
            self.unit_list.reload()
        if not self.mapping.is_dirty():
            self.mapping.reload()
        self.saved.emit()
        return True

    def save_current_tab(self) -> None:
        current = self.tabs.currentWidget()
        if current is self.unit_list:
            self.unit_list.save()
        elif current is self.mapping:
            self.mapping.save()
        else:
            self.save()

    def save_all(self) -> bool:
        if self.office_dirty() and not self.save():
            return False
        if self.unit_list.is_dirty() and not self.unit_list.save():
            return False
        return not self.mapping.is_dirty() or self.mapping.save()

    def office_dirty(self) -> bool:
        shown = replace(self.form.info(), configured=self._stored.configured)
        return shown != self._stored

    def dirty_parts(self) -> list[str]:
        parts = []
        if self.office_dirty():
            parts.append("本级信息")
        if self.unit_list.is_dirty():
            parts.append("本级单位")
        if self.mapping.is_dirty():
            parts.append("单位对应")
        return parts

    def _office_edited(self) -> None:
        self.office_state.setText("● 有未保存的修改" if self.office_dirty() else "")

    def _units_saved(self) -> None:
        self.mapping.reload(keep_changes=self.mapping.is_dirty())
