"""The tasks behind a cell of the coverage matrix: who does what for one measure, read only."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.services.exchange.aggregate import DrillRow
from desktop.ui.exchange.models import drill_model
from desktop.ui.exchange.widgets import table_view
from desktop.ui.look import fit_to_screen


class MeasureTasksDialog(QDialog):
    """覆盖该条目的任务: the tasks of one locality (or of a city and its counties) that
    serve one measure, with their figures."""

    def __init__(
        self, title: str, measure: str, rows: list[DrillRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, 1100, 560)
        layout = QVBoxLayout(self)
        localities = list(dict.fromkeys(r.locality for r in rows))
        heading = QLabel(
            f"条目：{measure}\n"
            + (
                f"{len(localities)} 个地区的 {len(rows)} 项任务（下级上报的清单只能查看）"
                if rows
                else "没有覆盖这一条目的任务。"
            )
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.model = drill_model(with_locality=len(localities) > 1)
        self.model.set_rows(rows)
        self.view = table_view(self.model)
        many = len(localities) > 1
        # the measure is the dialog's own, so its column is left out
        widths = (80,) * many + (46, 0, 300, 130, 90, 90, 200, 70, 110)
        for col, width in enumerate(widths):
            self.view.setColumnWidth(col, width)
        self.view.hideColumn(1 + many)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
