"""修正条目: correcting one saved measure of a notice through the notice service.

Measures are read-only on the notice screen; this dialog is the one way to change a saved
measure. Saving is one audited transaction in ``NoticeService.correct_measure``; a refused
correction keeps the dialog open with the reason.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.notice import ParsedTarget
from desktop.errors import UserError
from desktop.services.notices.changes import MeasureCorrection
from desktop.services.notices.service import MeasureView, NoticeService
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint
from desktop.ui.look import fit_to_screen
from desktop.ui.notices.measure_form import MeasureForm


def correction_from_view(m: MeasureView) -> MeasureCorrection:
    return MeasureCorrection(
        title=m.title,
        text=m.text,
        units=m.units,
        lead_units=m.lead_units,
        joint=m.joint,
        generic=m.generic,
        targets=tuple(
            ParsedTarget(
                subject=t.subject,
                value=Decimal(t.value) if t.value is not None else None,
                unit=t.unit,
                qualifier=t.qualifier,
                year=t.year,
                phrase=t.phrase,
            )
            for t in m.targets
        ),
    )


class CorrectionDialog(QDialog):
    """Edits one saved measure; ``saved`` holds the corrected measure after 保存."""

    def __init__(
        self, notices: NoticeService, measure: MeasureView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notices = notices
        self._measure = measure
        self.saved: MeasureView | None = None
        self.setWindowTitle(f"修正条目 {measure.label}")
        fit_to_screen(self, 760, 680)
        layout = QVBoxLayout(self)
        intro = hint(
            "在这里修正程序对这一条目的理解（正文、责任单位、牵头、目标指标）。"
            "已建清单中的任务仍关联这一条目，但任务自己的单位和内容不会随之改变；"
            "以后重新导入同一文号的文件时，以新文件的内容为准。"
        )
        layout.addWidget(intro)
        self.form = MeasureForm()
        self.form.set_measure(
            f"{measure.label}（编码 {measure.code}）",
            correction_from_view(measure),
            note=measure.note,
            warnings=measure.warnings,
        )
        # the form is taller than a 1366×768 screen at 125 % leaves: it scrolls instead
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存修正")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            correction = self.form.correction()
            self.saved = self._notices.correct_measure(self._measure.id, correction)
        except UserError as err:
            dialogs.warning(self, "无法保存修正", str(err))
            return
        except Exception as err:  # a bug or a failing disk: reported, the dialog stays
            show_error(self, err, title="无法保存修正")
            return
        self.accept()
