"""The composition root of the desktop program.

It opens the data folder (lock, schema, built-in notice), builds the services and the main
window, and hands each screen only what it needs through its constructor. No other module
creates services or reaches for a global window.
"""

from __future__ import annotations

import sys
from functools import partial

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from desktop import APP_ID, APP_NAME, __version__
from desktop.errors import UserError
from desktop.paths import resolve_data_dir, resource_path
from desktop.services.context import Services, open_office
from desktop.ui import dialogs
from desktop.ui.error_report import install_excepthook, set_log_file
from desktop.ui.main_window import Area, MainWindow
from desktop.ui.office_dialog import OfficeSetupDialog


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
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


def build_areas(services: Services, window_ref: list[MainWindow]) -> list[Area]:
    """The areas of the main window, each built from the services it needs."""

    def settings_page() -> QWidget:
        from desktop.ui.settings_page import SettingsPage

        page = SettingsPage(services.office)
        page.saved.connect(lambda: window_ref[0].refresh_status())
        return page

    return [
        Area("notices", "上级文件", None, "查看和导入上级文件。"),
        Area("worklists", "年度清单", None, "在这里生成、编辑和校验本级年度重点工作清单。"),
        Area("progress", "进展填报", None, "按月或按季度填报各项任务的进展。"),
        Area("ledgers", "台账打印", None, "预览、打印和导出工作台账。"),
        Area("exchange", "上报与汇总", None, "导出上报包、导入下级上报包并汇总。"),
        Area("settings", "单位设置", settings_page),
        Area("system", "系统", partial(_system_page, services)),
    ]


def _system_page(services: Services) -> QWidget:
    from desktop.ui.system_page import SystemPage

    return SystemPage(services)


def build_main_window(services: Services) -> MainWindow:
    ref: list[MainWindow] = []
    window = MainWindow(services, build_areas(services, ref))
    ref.append(window)
    return window


def run_gui(data_dir: str | None = None) -> int:
    app = make_application()
    install_excepthook()
    try:
        services = open_office(resolve_data_dir(data_dir))
    except UserError as err:
        dialogs.error(None, f"{APP_NAME}无法启动", str(err))
        return 1
    set_log_file(services.data_dir.log_file)
    try:
        if not services.office.get().configured:
            dialog = OfficeSetupDialog(services.office)
            dialogs.run_dialog(dialog)
        window = build_main_window(services)
        window.show()
        return app.exec()
    finally:
        services.close()


def main() -> int:
    return run_gui(None)
