"""为本级建立年度清单: year, reporting cadence and whether to propose a draft at once."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QVBoxLayout, QWidget

from desktop.ui.forms import ok_cancel, set_ok_enabled, wrapped, year_spin

CADENCES = (("quarterly", "按季度填报进展"), ("monthly", "按月填报进展"))


class CreateListDialog(QDialog):
    """Asks what list to create; the notice screen calls the service after 确定."""

    def __init__(
        self,
        notice_text: str,
        locality: str,
        year: int,
        taken_years: set[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("为本级建立年度清单")
        self._taken = taken_years
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                f"依据 {notice_text}，为{locality or '本级'}建立一年的重点工作清单。"
                "建好后到“年度清单”中编辑任务、校验并上报。"
            )
        )
        form = QFormLayout()
        self.year = year_spin(year)
        self.cadence = QComboBox()
        for key, label in CADENCES:
            self.cadence.addItem(label, key)
        self.draft = QCheckBox("同时生成初稿：为每个条目建议一项本级任务（映射好牵头、配合单位）")
        self.draft.setChecked(True)
        form.addRow("年度", self.year)
        form.addRow("进展填报", self.cadence)
        layout.addLayout(form)
        layout.addWidget(self.draft)
        self.taken = wrapped()
        self.taken.setObjectName("errorBanner")
        layout.addWidget(self.taken)
        self.buttons = ok_cancel(self, "建立清单")
        layout.addWidget(self.buttons)
        self.year.valueChanged.connect(self._year_changed)
        self._year_changed(year)

    def _year_changed(self, year: int) -> None:
        taken = year in self._taken
        self.taken.setText(f"{year} 年的清单已经建立过了，请到“年度清单”中打开它。")
        self.taken.setVisible(taken)
        set_ok_enabled(self.buttons, not taken)

    def chosen_year(self) -> int:
        return self.year.value()

    def chosen_cadence(self) -> str:
        return str(self.cadence.currentData())

    def with_draft(self) -> bool:
        return self.draft.isChecked()
