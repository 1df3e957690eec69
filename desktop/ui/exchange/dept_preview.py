"""The preview of a department workbook import: every change, every refused row, then confirm."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.vocabulary import LABELS
from desktop.services.exchange.dept_excel import DeptImportPreview
from desktop.ui.exchange.models import RED, Column, RowsModel
from desktop.ui.exchange.widgets import set_banner, table_view
from desktop.ui.forms import hint
from desktop.ui.look import fit_to_screen


@dataclass(frozen=True)
class ChangeLine:
    number: str
    content: str
    label: str
    before: str
    after: str
    files: str


@dataclass(frozen=True)
class RefusedLine:
    file: str
    row: str
    number: str
    reason: str


class DeptPreviewDialog(QDialog):
    """Shows what the returned workbooks would change; accepting applies them."""

    def __init__(self, preview: DeptImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("导入部门填报表：修改预览")
        fit_to_screen(self, 1100, 640)
        layout = QVBoxLayout(self)
        summary = QLabel()
        summary.setWordWrap(True)
        set_banner(
            summary,
            f"{preview.period_label}：{preview.summary}。"
            + ("确认后写入本期进展。" if preview.changes else "没有可导入的修改。"),
            "errorBanner" if preview.refused else "banner",
        )
        layout.addWidget(summary)
        layout.addWidget(hint("来自：" + "、".join(preview.files)))

        tabs = QTabWidget()
        self.changes = RowsModel[ChangeLine](
            [
                Column(LABELS["number"], lambda c: c.number, True),
                Column(LABELS["content"], lambda c: c.content),
                Column("修改项", lambda c: c.label, True),
                Column("原内容", lambda c: c.before),
                Column("新内容", lambda c: c.after),
                Column("来自", lambda c: c.files),
            ]
        )
        self.changes.set_rows(
            [
                ChangeLine(c.number, c.content, f.label, f.before, f.after, "、".join(c.files))
                for c in preview.changes
                for f in c.changes
            ]
        )
        change_view = table_view(self.changes)
        for col, width in enumerate((60, 300, 90, 220, 220)):
            change_view.setColumnWidth(col, width)
        # every change is read before it is accepted: show whole texts, not elided ones
        change_view.resizeRowsToContents()
        tabs.addTab(change_view, f"将修改（{len(preview.changes)} 项任务）")

        self.refused = RowsModel[RefusedLine](
            [
                Column("文件", lambda r: r.file),
                Column("行", lambda r: r.row, True),
                Column("编号", lambda r: r.number, True),
                Column("未导入的原因", lambda r: r.reason, colour=lambda r: RED),
            ]
        )
        self.refused.set_rows(
            [
                RefusedLine(r.file, str(r.excel_row) if r.excel_row else "", r.number, r.reason)
                for r in preview.refused
            ]
        )
        refused_view = table_view(self.refused)
        for col, width in enumerate((260, 50, 70)):
            refused_view.setColumnWidth(col, width)
        tabs.addTab(refused_view, f"被拒绝的行（{len(preview.refused)}）")

        missing = QLabel("\n".join(preview.missing) or "（无）")
        missing.setWordWrap(True)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.addWidget(hint("以下任务属于这些填报表的牵头单位，但表中没有对应的行（可能被删除）："))
        box.addWidget(missing)
        box.addStretch(1)
        tabs.addTab(holder, f"表中缺少的任务（{len(preview.missing)}）")
        layout.addWidget(tabs, 1)

        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton(
            "导入这些修改", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(bool(preview.changes))
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
