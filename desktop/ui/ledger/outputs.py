"""The 输出 box of the 台账打印 screen: print, save as PDF, per-unit PDFs, Excel and CSV."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop.ui import dialogs


def warn_cut_cells(parent: QWidget, title: str, cut: object) -> None:
    """Say which Excel cells an export cut at the 32,767-character limit (if it cut any)."""
    if isinstance(cut, list) and cut:
        from desktop.core.reports.xlsx_writer import cut_cells_note

        dialogs.warning(parent, title, cut_cells_note(cut))


class OutputButtons(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("输出", parent)
        self.print_button = QPushButton("打印…")
        self.print_button.setObjectName("primary")
        # The shared style gives #primary its colours over :disabled; say "disabled" here.
        self.print_button.setStyleSheet(
            "QPushButton#primary:disabled { background: #f0f2f5; color: #9aa5b1;"
            " border-color: #b8c4d4; }"
        )
        self.print_button.setToolTip("用系统打印对话框选择打印机、页码范围和份数（Ctrl+P）")
        self.save_pdf_button = QPushButton("另存为 PDF…")
        self.save_pdf_button.setToolTip("把预览中的台账原样保存为 PDF 文件")
        self.per_unit_button = QPushButton("按单位分别保存…")
        self.per_unit_button.setToolTip("每个牵头单位一个 PDF 文件，保存到所选文件夹")
        self.xlsx_button = QPushButton("导出 Excel…")
        self.xlsx_button.setToolTip("与台账同样的列，便于在 WPS / Excel 中编辑和汇总")
        self.csv_button = QPushButton("导出 CSV…")
        layout = QVBoxLayout(self)
        for button in (self.print_button, self.save_pdf_button, self.per_unit_button):
            layout.addWidget(button)
        row = QHBoxLayout()
        row.addWidget(self.xlsx_button)
        row.addWidget(self.csv_button)
        layout.addLayout(row)

    def set_enabled(self, *, pdf: bool, files: bool) -> None:
        """``pdf``: the outputs that need a PDF (and so the fonts); ``files``: the others."""
        for button in (self.print_button, self.save_pdf_button, self.per_unit_button):
            button.setEnabled(pdf)
        for button in (self.xlsx_button, self.csv_button):
            button.setEnabled(files)
