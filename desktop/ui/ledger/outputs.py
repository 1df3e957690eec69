"""The 输出 box of the 台账打印 screen: print, save as PDF, per-unit PDFs, Excel and CSV."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop.ui import dialogs

NO_PRINTER = (
    "这台电脑上没有安装打印机，无法直接打印。\n"
    "可以把台账另存为 PDF，拷到有打印机的电脑上打印；安装打印机后再点“打印…”即可直接打印。"
)
CSV_NOTE = (
    "CSV 是纯文本表格，供其他程序读取。\n"
    "要在 Excel 或 WPS 中查看、修改或打印台账，请打开“导出 Excel…”生成的 .xlsx 文件："
    "它保留台账的列宽、合并单元格和格式。"
)


def offer_pdf_without_printer(parent: QWidget) -> bool:
    """No printer on this computer: say so; True when the user chose 另存为 PDF…."""
    return dialogs.ask_choice(parent, "没有可用的打印机", NO_PRINTER, ["另存为 PDF…"]) == 0


def ask_csv_or_excel(parent: QWidget) -> int | None:
    """导出 CSV says the Excel file is the one to open: 0 the CSV, 1 Excel instead."""
    return dialogs.ask_choice(parent, "导出 CSV", CSV_NOTE, ["继续导出 CSV", "改为导出 Excel"])


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
        self.csv_button.setToolTip(
            "纯文本表格，供其他程序读取；在 Excel / WPS 中查看请用“导出 Excel…”"
        )
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
