"""The main window: Chinese navigation, status bar, areas, about box, first start."""

from __future__ import annotations

from pathlib import Path

from desktop.app import build_main_window
from desktop.services.context import Services
from desktop.ui.main_window import PendingArea
from desktop.ui.office_dialog import OfficeSetupDialog


def test_main_window_areas_and_status(qtbot, county: Services, shots: Path, answered) -> None:
    window = build_main_window(county)
    qtbot.addWidget(window)
    window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    for wanted in (
        "上级文件",
        "年度清单",
        "进展填报",
        "台账打印",
        "上报与汇总",
        "单位设置",
        "系统",
    ):
        assert wanted in titles
    status = window._office_label.text()
    assert "某某县" in status and "某某市" in status
    assert str(county.data_dir.root) in window._folder_label.text()
    for key in window.area_keys():
        page = window.show_area(key)
        assert page.isVisible()
        if isinstance(page, PendingArea):
            assert "尚未完成" in page.findChildren(type(window._office_label))[1].text()
    window.show_about()
    _kind, title, text = answered["messages"][-1]
    assert "关于" in title and "版本" in text
    assert window.grab().save(str(shots / "main.png"))


def test_first_start_dialog_saves_office(qtbot, services: Services, answered) -> None:
    dialog = OfficeSetupDialog(services.office)
    qtbot.addWidget(dialog)
    dialog.form.locality.setText("新县")
    dialog.form.parent_locality.setText("新市")
    dialog.save()
    office = services.office.get()
    assert office.configured and office.locality == "新县" and office.parent == "新市"


def test_first_start_dialog_refuses_empty_locality(qtbot, services: Services, answered) -> None:
    dialog = OfficeSetupDialog(services.office)
    qtbot.addWidget(dialog)
    dialog.form.locality.setText("  ")
    dialog.save()
    assert answered["messages"][-1][0] == "warning"
    assert not services.office.get().configured


def test_settings_page_saves_and_refreshes_status(qtbot, county: Services, answered) -> None:
    window = build_main_window(county)
    qtbot.addWidget(window)
    page = window.show_area("settings")
    page.form.parent_locality.setText("另一个市")
    page.save()
    assert county.office.get().parent == "另一个市"
    assert "另一个市" in window._office_label.text()


def test_window_fits_the_screen_and_remembers_its_place(qtbot, county: Services, answered) -> None:
    from PySide6.QtGui import QGuiApplication

    window = build_main_window(county)
    qtbot.addWidget(window)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert window.width() <= area.width() and window.height() <= area.height()
    window.setGeometry(area.x() + 10, area.y() + 20, window.minimumWidth(), window.minimumHeight())
    placed = window.geometry()
    window.close()
    assert (county.data_dir.root / "window.ini").exists()
    again = build_main_window(county)
    qtbot.addWidget(again)
    # the offscreen screen is 800×600, so Qt keeps a restored window inside it: compare sizes
    assert again.size() == placed.size()
    assert "geometry" in (county.data_dir.root / "window.ini").read_text(encoding="latin-1")
