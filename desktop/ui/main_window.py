"""The main window: a navigation of the product's areas beside the area's screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.core.dates import chinese_date
from desktop.services.office.service import OfficeService
from desktop.ui import dialogs
from desktop.ui.look import available_area, client_area


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    factory: Callable[[], QWidget] | None  # None: not built yet
    hint: str = ""


class PendingArea(QWidget):
    """Says plainly that an area is not available yet; nothing pretends to work."""

    def __init__(self, title: str, hint: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        text = QLabel(f"“{title}”功能尚未完成，将在后续版本中提供。\n{hint}")
        text.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addStretch(1)


SMALL_SCREEN = QSize(1200, 700)


class _AtLeastMinimum(QWidget):
    """Holds a page at the size it is given, and asks for no more than the page's minimum.

    A QScrollArea would otherwise scroll as soon as a page with wrapped labels (height for
    width) is shorter than it would *like* to be, not only when it is cramped."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.page = page
        page.setParent(self)
        page.installEventFilter(self)
        page.show()

    def minimumSizeHint(self) -> QSize:
        return self.page.minimumSizeHint().expandedTo(self.page.minimumSize())

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.page.setGeometry(0, 0, event.size().width(), event.size().height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the page's minimum may have changed
        return False


class PageFrame(QScrollArea):
    """An area's page, scrolled only when the window is smaller than the page's minimum
    (1366×768 at 125–150 %), so the window never has to grow beyond the screen."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(_AtLeastMinimum(page))


class MainWindow(QMainWindow):
    """Built by the composition root with the areas it should show; it needs the office (for
    the status bar) and the data folder (shown, and where the window placement is kept)."""

    closing = Signal()

    def __init__(self, office: OfficeService, data_folder: Path, areas: list[Area]) -> None:
        super().__init__()
        self._office, self._data_folder = office, data_folder
        self._areas = areas
        self._built: dict[str, QWidget] = {}
        self.setWindowTitle(APP_NAME)
        self._place_on_screen()

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        for area in areas:
            item = QListWidgetItem(area.title)
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            item.setSizeHint(QSize(140, 40))
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # built on first visit
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        self.stack.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_row)

        self._office_label = QLabel()
        self._demo_label = QLabel()
        self._demo_label.setObjectName("demoDate")
        self._demo_label.setStyleSheet("color: #9a3412; font-weight: bold; padding: 0 8px;")
        self._folder_label = QLabel()
        self.statusBar().addWidget(self._office_label)
        self.statusBar().addWidget(self._demo_label)
        self.statusBar().addPermanentWidget(self._folder_label)
        self.refresh_status()
        self._build_menu()
        self.nav.setCurrentRow(0)

    # navigation -------------------------------------------------------------------------

    def area_keys(self) -> list[str]:
        return [a.key for a in self._areas]

    def show_area(self, key: str) -> QWidget:
        row = self.area_keys().index(key)
        self.nav.setCurrentRow(row)
        return self._page(row)

    def page(self, key: str) -> QWidget:
        return self._page(self.area_keys().index(key))

    def _page(self, row: int) -> QWidget:
        area = self._areas[row]
        if area.key not in self._built:
            widget = area.factory() if area.factory else PendingArea(area.title, area.hint)
            old = self.stack.widget(row)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self.stack.insertWidget(row, PageFrame(widget))
            self._built[area.key] = widget
        return self._built[area.key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        page = self._page(row)
        self.stack.setCurrentIndex(row)
        activated = getattr(page, "activated", None)
        if callable(activated):
            activated()

    # chrome -----------------------------------------------------------------------------

    def refresh_status(self) -> None:
        office = self._office.get()
        where = office.locality or "（未设置本级）"
        parent = f"，上级：{office.parent}" if office.parent else ""
        self._office_label.setText(f"本级：{where}（{office.level}{parent}）")
        # the example office lives on its own date: say so wherever one looks
        demo = self._office.demo_date()
        self._demo_label.setVisible(demo is not None)
        if demo is not None:
            self._demo_label.setText(f"演示日期：{chinese_date(demo)}")
            self._demo_label.setToolTip(
                "这是示例数据：状态、序时进度和各填报周期都按这一天计算，而不是按今天的日期。"
            )
        self._folder_label.setText(f"数据文件夹：{self._data_folder}")

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于清单台账(&A)", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def about_text(self) -> str:
        return (
            f"<h3>{APP_NAME}</h3><p>版本 {__version__}</p>"
            "<p>把上级文件分解为本级年度重点工作清单，跟踪进展，打印工作台账，逐级上报汇总。</p>"
            f"<p>数据文件夹：{self._data_folder}</p>"
        )

    def show_about(self) -> None:
        dialogs.info(self, f"关于{APP_NAME}", self.about_text())

    # window placement ---------------------------------------------------------------------

    def _window_settings(self) -> QSettings:
        """Window placement per data folder, beside the database (not in the database: it is
        the desk's arrangement, not the office's data)."""
        path = self._data_folder / "window.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)

    def _place_on_screen(self) -> None:
        """Last session's placement, or a size that fits the screen (1366×768 laptops are
        common in offices: a fixed 1280×800 would hide the status bar and Save buttons)."""
        area = client_area(available_area())
        self.setMinimumSize(QSize(min(960, area.width()), min(600, area.height())))
        saved = self._window_settings().value("geometry")
        if isinstance(saved, QByteArray) and self.restoreGeometry(saved):
            return
        # a small screen (1366×768 at 125 % leaves 1093×576) is used whole
        small = area.width() < SMALL_SCREEN.width() or area.height() < SMALL_SCREEN.height()
        across, down = (1.0, 1.0) if small else (0.92, 0.9)
        width = min(1440, max(self.minimumWidth(), int(area.width() * across)))
        height = min(900, max(self.minimumHeight(), int(area.height() * down)))
        self.resize(width, height)
        self.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)

    def save_placement(self) -> None:
        settings = self._window_settings()
        settings.setValue("geometry", self.saveGeometry())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for widget in self._built.values():
            may_close = getattr(widget, "may_close", None)
            if callable(may_close) and not may_close():
                event.ignore()
                return
        self.save_placement()  # QSettings reports no error; a read-only folder just forgets it
        self.closing.emit()
        event.accept()
