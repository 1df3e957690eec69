"""The main window: a navigation of the product's areas beside the area's screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.core.dates import chinese_date
from desktop.ui import dialogs
from desktop.ui.look import available_area, client_area

if TYPE_CHECKING:
    from desktop.services.office.service import OfficeService
    from desktop.ui.manual import ManualWindow


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


class LoadingArea(QWidget):
    """Shown while the data folder opens: says what is happening, with a busy bar — the
    window is there at once, and never looks finished while it is still empty."""

    def __init__(self, title: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        self.text = QLabel("正在打开数据文件夹，检查数据库并读取本单位的清单……")
        self.text.setObjectName("hint")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: how long it takes is not known
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(360)
        layout.addWidget(heading)
        layout.addWidget(self.text)
        layout.addWidget(self.bar)
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
    """The window of one data folder, shown before the folder is open.

    The composition root makes it with the areas' titles and shows it at once (with a
    loading page); once the data folder is open it ``attach``-es the office (for the status
    bar) and the areas, each with the factory that builds its screen on first visit. The
    data folder is shown, and is where the window placement is kept."""

    closing = Signal()

    def __init__(self, data_folder: Path, titles: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._office: OfficeService | None = None
        self._data_folder = data_folder
        self._keys = [key for key, _ in titles]
        self._areas: list[Area] = []
        self._built: dict[str, QWidget] = {}
        self._manual: ManualWindow | None = None
        self.setWindowTitle(APP_NAME)
        self._place_on_screen()
        # file dialogs open where this desk last saved or opened a file
        dialogs.remember_folders_in(self._data_folder / "window.ini")

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        # the first area's place shows the loading page until its screen is built
        self.loading = LoadingArea(titles[0][1] if titles else APP_NAME)
        for i, (key, title) in enumerate(titles):
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(140, 40))
            self.nav.addItem(item)
            self.stack.addWidget(self.loading if i == 0 else QWidget())  # built on first visit
        self.stack.setCurrentIndex(0)
        self.nav.setEnabled(False)  # until the data folder is open
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        self.stack.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.setCurrentRow(0)
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

    def attach(self, office: OfficeService, areas: list[Area]) -> None:
        """The data folder is open: the office and the areas (in the order of the titles)."""
        if [a.key for a in areas] != self._keys:
            raise ValueError("areas do not match the window's titles")
        self._office, self._areas = office, areas
        self.nav.setEnabled(True)
        self.refresh_status()
        self._show_row(max(0, self.nav.currentRow()))

    def is_ready(self) -> bool:
        """Whether the data folder is open and the areas can be shown."""
        return self._office is not None

    # navigation -------------------------------------------------------------------------

    def area_keys(self) -> list[str]:
        return list(self._keys)

    def show_area(self, key: str) -> QWidget:
        row = self.area_keys().index(key)
        self.nav.setCurrentRow(row)
        return self._page(row)

    def page(self, key: str) -> QWidget:
        return self._page(self.area_keys().index(key))

    def _page(self, row: int) -> QWidget:
        if not self._areas:
            raise RuntimeError("the data folder is not open yet")
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
        if row < 0 or not self._areas:
            return
        page = self._page(row)
        self.stack.setCurrentIndex(row)
        activated = getattr(page, "activated", None)
        if callable(activated):
            activated()

    # chrome -----------------------------------------------------------------------------

    def refresh_status(self) -> None:
        self._folder_label.setText(f"数据文件夹：{self._data_folder}")
        if self._office is None:
            self._office_label.setText("正在打开数据文件夹……")
            self._demo_label.hide()
            return
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

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        manual = QAction("使用手册(&M)", self)
        manual.setShortcut(QKeySequence("F1"))  # on every system, as the guide says
        manual.setToolTip("打开本页面的使用说明（F1）")
        manual.triggered.connect(lambda: self.show_manual(self.current_area()))
        help_menu.addAction(manual)
        keys = QAction("快捷键(&K)", self)
        keys.triggered.connect(lambda: self.show_manual("shortcuts"))
        help_menu.addAction(keys)
        help_menu.addSeparator()
        about = QAction("关于清单台账(&A)", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def current_area(self) -> str:
        """The key of the area on show ("" before the data folder is open)."""
        row = self.nav.currentRow()
        return self._keys[row] if self._areas and 0 <= row < len(self._keys) else ""

    def show_manual(self, section: str = "") -> None:
        """帮助 → 使用手册 (F1): the guide, at ``section`` (an area's key or a topic)."""
        if self._manual is None:
            from desktop.ui.manual import ManualWindow

            self._manual = ManualWindow(self)
        self._manual.show_section(section)

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
