"""The composition root of the desktop program.

It opens the data folder (lock, schema, built-in notice), builds the services and the main
window, and hands each screen only what it needs through its constructor. No other module
creates services or reaches for a global window.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from desktop import APP_ID, APP_NAME, __version__
from desktop.paths import resolve_data_dir, resource_path
from desktop.ui import dialogs
from desktop.ui.background import wait_in_background
from desktop.ui.error_report import install_excepthook, set_log_file
from desktop.ui.look import apply_look
from desktop.ui.main_window import Area, MainWindow
from desktop.ui.qt_chinese import install_chinese_translation

if TYPE_CHECKING:  # the services load while the window already shows
    from desktop.services.context import ScreenServices, Services

# the main window's areas, in order: (key, title); their screens are built on first visit
AREAS: tuple[tuple[str, str], ...] = (
    ("overview", "首页"),
    ("notices", "上级文件"),
    ("worklists", "年度清单"),
    ("progress", "进展填报"),
    ("ledgers", "台账打印"),
    ("exchange", "上报与汇总"),
    ("settings", "单位设置"),
    ("audit", "审计日志"),
    ("system", "系统"),
)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("policy-ledger")  # links the window to its menu entry on Linux
    apply_look(app)  # Fusion and a light palette: the same look on Windows 10/11 and Linux
    install_chinese_translation(app)
    icon = resource_path("icons", "app.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    font = QFont(app.font())
    font.setFamilies(
        [
            "Microsoft YaHei UI",
            "Microsoft YaHei",
            "PingFang SC",
            "Noto Sans CJK SC",
            "WenQuanYi Micro Hei",
            "WenQuanYi Zen Hei",
            "SimSun",
        ]
    )
    font.setPointSize(10)
    app.setFont(font)
    style = resource_path("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def build_areas(services: ScreenServices, window_ref: list[MainWindow]) -> list[Area]:
    """The areas of the main window, each built from the services it needs."""

    def notices_page() -> QWidget:
        from desktop.ui.notices.page import NoticesPage

        page = NoticesPage(
            services.notices,
            services.worklists,
            services.office,
            lifecycle=services.list_lifecycle,
            editing=services.task_editing,
        )
        page.list_created.connect(lambda list_id: _open_work_list(window_ref[0], list_id))
        return page

    def settings_page() -> QWidget:
        from desktop.ui.settings_page import SettingsPage

        page = SettingsPage(services.office, services.units, services.exchange.aggregate)
        page.saved.connect(lambda: window_ref[0].refresh_status())
        return page

    def worklist_page() -> QWidget:
        from desktop.ui.worklist import WorkListPage

        return WorkListPage(
            services.worklists,
            services.units,
            services.notices,
            services.progress,
            lifecycle=services.list_lifecycle,
            editing=services.task_editing,
            checks=services.list_checks,
        )

    factories: dict[str, Callable[[], QWidget]] = {
        "overview": partial(_overview_page, services, window_ref),
        "notices": notices_page,
        "worklists": worklist_page,
        "progress": partial(_progress_page, services),
        "ledgers": partial(_ledger_page, services),
        "exchange": partial(_exchange_page, services, window_ref),
        "settings": settings_page,
        "audit": partial(_audit_page, services),
        "system": partial(_system_page, services),
    }
    return [Area(key, title, factories[key]) for key, title in AREAS]


def _open_work_list(window: MainWindow, list_id: int) -> None:
    """A list was created on the notice screen: show it in 年度清单."""
    page = window.show_area("worklists")
    load_list = getattr(page, "load_list", None)
    if callable(load_list):
        load_list(list_id)


def _overview_page(services: ScreenServices, window_ref: list[MainWindow]) -> QWidget:
    from desktop.ui.overview_page import OverviewPage

    page = OverviewPage(services.overview)
    page.open_task.connect(lambda lid, tid: _open_task_progress(window_ref[0], lid, tid))
    page.show_in_list.connect(lambda lid, tid: _show_task_in_list(window_ref[0], lid, tid))
    page.open_progress.connect(lambda lid, pid: _open_progress(window_ref[0], lid, pid))
    page.open_aggregate.connect(lambda: window_ref[0].show_area("exchange"))
    return page


def _progress_page(services: ScreenServices) -> QWidget:
    from desktop.ui.progress import ProgressPage

    return ProgressPage(
        services.progress,
        services.worklists,
        services.yearend,
        services.office,
        freezing=services.freezing,
        unsaved=services.unsaved_progress,
    )


def _audit_page(services: ScreenServices) -> QWidget:
    from desktop.ui.audit_page import AuditPage

    return AuditPage(services.audit_log)


def _open_task_progress(window: MainWindow, list_id: int, task_id: int) -> None:
    """A task chosen on the overview: its progress, where a lag is explained."""
    page = window.show_area("progress")
    show_task = getattr(page, "show_task", None)
    if callable(show_task):
        show_task(list_id, task_id)


def _show_task_in_list(window: MainWindow, list_id: int, task_id: int) -> None:
    """A task chosen on the overview, to be seen in 年度清单 (progress if that cannot)."""
    page = window.show_area("worklists")
    load_list = getattr(page, "load_list", None)
    if callable(load_list):
        load_list(list_id, select=[task_id])
    else:
        _open_task_progress(window, list_id, task_id)


def _open_progress(window: MainWindow, list_id: int, period_id: int = 0) -> None:
    """The overview's 去填报: the list's tasks not yet reported for the period reminded of
    (``period_id``; 0 for the list's default period)."""
    page = window.show_area("progress")
    show_list = getattr(page, "show_list", None)
    if callable(show_list):
        show_list(list_id, "unreported", period_id or None)


def _system_page(services: ScreenServices) -> QWidget:
    from desktop.ui.system_page import SystemPage

    return SystemPage(services.data_dir, services.maintenance, services.backups, services.restoring)


def _exchange_page(services: ScreenServices, window_ref: list[MainWindow]) -> QWidget:
    from desktop.ui.exchange_page import ExchangePage

    page = ExchangePage(
        services.exchange,
        services.worklists,
        services.office,
        lifecycle=services.list_lifecycle,
        checks=services.list_checks,
    )
    page.open_task.connect(lambda lid, tid: _show_task_in_list(window_ref[0], lid, tid))
    return page


def _ledger_page(services: ScreenServices) -> QWidget:
    from desktop.ui.ledger_page import LedgerPage

    return LedgerPage(services.ledgers, services.worklists, services.progress)


def build_main_window(services: ScreenServices) -> MainWindow:
    window = MainWindow(services.data_dir.root, AREAS)
    attach(window, services)
    return window


def attach(window: MainWindow, services: ScreenServices) -> None:
    """Give a window that is already showing the services of its open data folder."""
    window.attach(services.office, build_areas(services, [window]))


def run_gui(data_dir: str | None = None) -> int:
    """Show the window, open the data folder behind it, run until it closes, back up, exit.

    The window appears at once with a loading page; the data folder (lock, start-up check,
    migrations, services) opens in the background meanwhile. A damaged database is offered
    its newest good backup before anything writes to it. A restore chosen in 系统 runs after
    the window closes, with every connection closed; the program then reopens the data folder
    (upgrading an older backup) and a new window.
    """
    app = make_application()
    install_excepthook()
    root = resolve_data_dir(data_dir)
    first_start = True
    while True:
        window = MainWindow(root, AREAS)
        window.show()
        services = _open_behind(window, root)
        if services is None:
            window.close()
            window.deleteLater()
            return 1
        from desktop.ui import startup_checks as startup

        set_log_file(services.data_dir.log_file, services.data_dir.root)
        try:
            if not window.isVisible():  # closed while the data folder was opening
                return 0
            if not services.office.get().configured:
                from desktop.ui.office_dialog import OfficeSetupDialog

                dialog = OfficeSetupDialog(services.office, lower=services.exchange.aggregate)
                dialogs.run_dialog(dialog)
            attach(window, services)
            startup.after_start(
                window,
                services.backups,
                services.data_dir.db_path,
                check_fonts=first_start,
                wal_damage=(services.wal_damage, services.restoring),
            )
            first_start = False
            code = app.exec()
            window.deleteLater()
            restore = services.restoring.take_scheduled_restore()
            if restore is None:
                startup.backup_on_exit(services.backups)
                return code
            startup.run_scheduled_restore(services.restoring, restore)
        finally:
            services.close()


def _open_behind(window: MainWindow, root: Path) -> Services | None:
    """The data folder opened off the UI thread while ``window`` shows its loading page
    (after the damaged-database dialog, when needed); None when the program cannot start."""
    from desktop.services.context import open_office
    from desktop.ui import startup_checks as startup

    window.repaint()  # painted before the first import of the database layer
    return startup.open_office_interactively(
        root, lambda folder: wait_in_background(lambda: open_office(folder))
    )


def main() -> int:
    return run_gui(None)
