"""The embedded PDF preview of a ledger: continuous pages, zoom, and a page indicator.

It shows a generated PDF file with QtPdf (``QPdfDocument`` + ``QPdfView`` in multi-page
mode), or a short placeholder text while there is nothing to show. The screen around it
decides when to load what; this widget only displays and navigates.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.85, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)


class LedgerPreview(QWidget):
    """A toolbar (zoom, fit, page x / y) over a ``QPdfView``; ``toolbar`` takes extra
    buttons at its left end (the screen puts 生成预览 there)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #8a939e; border: none; }")
        self._path: Path | None = None

        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        self.zoom_out_button = self._tool("－", "缩小（Ctrl+-）", self.zoom_out)
        self.zoom_in_button = self._tool("＋", "放大（Ctrl++）", self.zoom_in)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(64)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_width_button = self._tool("适合宽度", "页面宽度充满预览区", self.fit_width)
        self.fit_page_button = self._tool("整页", "一次显示一整页", self.fit_page)
        for button in (self.fit_width_button, self.fit_page_button):
            button.setCheckable(True)  # checked: the zoom mode in force
            button.setStyleSheet(
                "QPushButton:checked { background: #dbe7f6; border-color: #2d5286; }"
            )
        self.page_box = QSpinBox()
        self.page_box.setPrefix("第 ")
        self.page_box.setMinimum(1)
        self.page_box.setMaximum(1)
        self.page_box.setKeyboardTracking(False)
        # Arrow buttons squeezed to nothing: with NoButtons the styled box hides its text.
        self.page_box.setStyleSheet(
            "QSpinBox::up-button, QSpinBox::down-button { width: 0px; border: none; }"
        )
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.setMinimumWidth(64)
        self.page_box.setToolTip("输入页码后按回车跳转")
        self.page_total = QLabel("/ 0 页")
        self.toolbar.addStretch(1)
        for widget in (
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            self.toolbar.addWidget(widget)
        self.toolbar.addSpacing(16)
        self.toolbar.addWidget(self.page_box)
        self.toolbar.addWidget(self.page_total)

        self.placeholder = QLabel()
        self.placeholder.setObjectName("hint")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.stack, 1)

        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.view.zoomFactorChanged.connect(lambda _f: self._update_zoom_label())
        self.view.zoomModeChanged.connect(lambda _m: self._update_zoom_label())
        self.page_box.valueChanged.connect(self._jump_from_box)
        self.show_placeholder("")

    def _tool(self, text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # showing ----------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        """The PDF file on show, or None."""
        return self._path

    def page_count(self) -> int:
        return self.document.pageCount() if self._path is not None else 0

    def current_page(self) -> int:
        """0-based index of the page at the top of the view."""
        return self.view.pageNavigator().currentPage()

    def show_pdf(self, path: Path) -> int:
        """Show ``path`` keeping the page the user was reading; returns its page count."""
        page = self.current_page() if self._path is not None else 0
        self.document.close()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self._path = None
            self.show_placeholder("无法显示预览文件，请点击“生成预览”重试。")
            return 0
        self._path = path
        count = self.document.pageCount()
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(max(count, 1))
        self.page_box.blockSignals(False)
        self.page_total.setText(f"/ {count} 页")
        self.stack.setCurrentWidget(self.view)
        self._set_controls_enabled(True)
        self.go_to(min(page, count - 1))
        self._page_changed(self.current_page())
        self._update_zoom_label()
        return count

    def show_placeholder(self, text: str) -> None:
        """Close the PDF on show (releasing its file) and show ``text`` instead."""
        self.document.close()
        self._path = None
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)
        self.page_total.setText("/ 0 页")
        self._set_controls_enabled(False)

    def _set_controls_enabled(self, on: bool) -> None:
        # Without a document the view controls go away: "第 1 / 0 页" would read as nonsense.
        for widget in (
            self.zoom_in_button,
            self.zoom_out_button,
            self.zoom_label,
            self.fit_width_button,
            self.fit_page_button,
            self.page_box,
            self.page_total,
        ):
            widget.setVisible(on)

    # navigating -------------------------------------------------------------------------

    def go_to(self, page: int) -> None:
        if 0 <= page < self.page_count():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def _jump_from_box(self, number: int) -> None:
        if number - 1 != self.current_page():
            self.go_to(number - 1)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)

    def effective_zoom(self) -> float:
        """The zoom the view shows at, also in the fit modes (where Qt computes it)."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return float(self.view.zoomFactor())
        size = self.document.pagePointSize(max(self.current_page(), 0))
        dpi = self.view.logicalDpiX() or 96
        page_w, page_h = size.width() / 72 * dpi, size.height() / 72 * dpi
        margins = self.view.documentMargins()
        viewport = self.view.viewport().size()
        room_w = viewport.width() - margins.left() - margins.right()
        room_h = viewport.height() - margins.top() - margins.bottom()
        if page_w <= 0 or page_h <= 0:
            return 1.0
        if mode == QPdfView.ZoomMode.FitToWidth:
            return max(room_w / page_w, 0.05)
        return max(min(room_w / page_w, room_h / page_h), 0.05)

    def zoom_in(self) -> None:
        current = self.effective_zoom()
        self._set_zoom(next((z for z in ZOOM_STEPS if z > current + 0.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        current = self.effective_zoom()
        smaller = [z for z in ZOOM_STEPS if z < current - 0.01]
        self._set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def _set_zoom(self, factor: float) -> None:
        page = self.current_page()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self.go_to(page)
        self._update_zoom_label()

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_zoom_label()

    def fit_page(self) -> None:
        page = self.current_page()
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.go_to(page)
        self._update_zoom_label()

    def _update_zoom_label(self) -> None:
        if self.page_count() == 0:
            self.zoom_label.setText("")
            return
        self.zoom_label.setText(f"{round(self.effective_zoom() * 100)}%")
        mode = self.view.zoomMode()
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_zoom_label()  # the fit modes change the zoom with the width
