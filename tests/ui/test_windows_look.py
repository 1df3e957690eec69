"""The look on a Windows office PC: Fusion and a light palette whatever the system's colour
scheme, and windows that fit a 1366×768 screen at 125 % and 150 % scaling.

At 125 % Qt sees 1093×614 pixels, less a 48-pixel task bar: 1093×576; at 150 % 911×480.
The screen is stood in for by ``desktop.ui.look.available_area``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktop.app import build_main_window, make_application
from desktop.services.context import Services
from desktop.services.exchange.dept_excel_types import DeptImportPreview
from desktop.ui import look, main_window
from tests.services.progress_office import county_office, report_first_quarter

AT_125 = QRect(0, 0, 1093, 576)
AT_150 = QRect(0, 0, 911, 480)
# what the window frame and title bar take on Windows 10/11 (the widget size excludes them)
FRAME = (16, 40)


def _luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 … 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_fusion_and_light_colours_even_when_windows_is_dark(qapp: QApplication) -> None:
    before = QPalette(qapp.palette())
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202020"),
        (QPalette.ColorRole.WindowText, "#ffffff"),
        (QPalette.ColorRole.Base, "#1c1c1c"),
        (QPalette.ColorRole.Text, "#ffffff"),
        (QPalette.ColorRole.Button, "#2d2d2d"),
        (QPalette.ColorRole.ButtonText, "#ffffff"),
    ):
        dark.setColor(role, QColor(colour))
    qapp.setPalette(dark)  # what a dark Windows 11 hands Qt's own style
    sheet = qapp.styleSheet()
    try:
        qapp.setStyleSheet("")  # the style sheet wraps the style it is given
        look.apply_look(qapp)
        assert qapp.style().name() == "fusion"
        # (the light colour scheme asked of the platform is answered only by Windows and
        # desktop themes; the offscreen platform keeps "unknown")
        qapp.setPalette(dark)
        make_application()  # the program's start-up sets it all again
        assert qapp.styleSheet()
        palette = qapp.palette()
        role = QPalette.ColorRole
        pairs = [
            (role.Window, role.WindowText),
            (role.Base, role.Text),
            (role.AlternateBase, role.Text),
            (role.Button, role.ButtonText),
            (role.Highlight, role.HighlightedText),
            (role.ToolTipBase, role.ToolTipText),
        ]
        for ground, text in pairs:
            ratio = contrast(palette.color(ground), palette.color(text))
            assert ratio >= 7, (ground, text, ratio)
        # the style sheet's white tables and fields get the palette's text colour
        assert contrast(QColor("white"), palette.color(role.Text)) >= 7
        assert _luminance(palette.color(role.Window)) > 0.8  # light, not dark
    finally:
        qapp.setPalette(before)
        qapp.setStyleSheet(sheet)


@pytest.fixture
def office(services: Services) -> Services:
    office = county_office(services)
    report_first_quarter(office)
    return services


def _dialogs(services: Services) -> dict[str, Callable[[], QWidget]]:
    from desktop.ui.exchange.dept_preview import DeptPreviewDialog
    from desktop.ui.exchange.localities_dialog import LocalitiesDialog
    from desktop.ui.notices.correction_dialog import CorrectionDialog
    from desktop.ui.notices.create_list_dialog import CreateListDialog
    from desktop.ui.office_dialog import OfficeSetupDialog
    from desktop.ui.progress.yearend_dialogs import CarryOverDialog, CloseOutDialog
    from desktop.ui.worklist.list_dialogs import NewListDialog, SplitDialog

    wl = services.worklists.find_own(2027)
    assert wl is not None
    period = services.progress.periods(wl.id)[0]
    tree = services.notices.tree(next(n.id for n in services.notices.list() if n.builtin))
    tasks = [(r.number, r.content) for r in services.worklists.rows(wl.id)[:8]]
    preview = DeptImportPreview(wl.id, period.id, period.label, ("县科技局.xlsx",), (), (), 3, ())
    return {
        "销号": lambda: CloseOutDialog(tasks, date(2027, 12, 31), "张三"),
        "结转": lambda: CarryOverDialog(
            2027, lambda year: services.yearend.carry_preview(wl.id, year)
        ),
        "拆分": lambda: SplitDialog("3", "推进甲项目建设。完成乙项改造。"),
        "新建清单": lambda: NewListDialog(services.notices.list(), {2027: 1}, "某某县"),
        "下级地区": lambda: LocalitiesDialog(services.exchange.aggregate, ["戊县"], "县级"),
        "部门填报预览": lambda: DeptPreviewDialog(preview),
        "修正条目": lambda: CorrectionDialog(services.notices, tree.measures[0]),
        "本级信息": lambda: OfficeSetupDialog(services.office),
        "建立清单": lambda: CreateListDialog("浙政发〔2026〕16号", "某某县", 2027, {2026}),
    }


@pytest.mark.parametrize("area", [AT_125, AT_150], ids=["125%", "150%"])
def test_every_dialog_fits_a_small_screen(
    qtbot, office: Services, monkeypatch: pytest.MonkeyPatch, area: QRect
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(look, "available_area", lambda _widget=None: area)
    room = (area.width() - FRAME[0], area.height() - FRAME[1])
    too_big = {}
    for name, make in _dialogs(office).items():
        dialog = make()
        qtbot.addWidget(dialog)
        # what it opens at: the size given, or (when none is given) its size hint
        resized = dialog.testAttribute(Qt.WidgetAttribute.WA_Resized)
        opens = dialog.size() if resized else dialog.sizeHint()
        least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        for what, size in (("opens", opens), ("least", least)):
            if size.width() > room[0] or size.height() > room[1]:
                too_big[f"{name} {what}"] = size.toTuple()
    assert too_big == {}


def test_the_main_window_fits_at_125_percent(
    qtbot, office: Services, monkeypatch: pytest.MonkeyPatch, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(main_window, "available_area", lambda _widget=None: AT_125)
    room = (AT_125.width() - FRAME[0], AT_125.height() - FRAME[1])
    window = build_main_window(office)
    qtbot.addWidget(window)
    assert window.width() <= room[0] and window.height() <= room[1]
    assert window.minimumWidth() <= room[0] and window.minimumHeight() <= room[1]
    # beside the navigation (150) and the margins (24), every page fits its width: pages
    # may scroll up and down on so small a screen, never sideways
    beside = window.width() - 150 - 24
    wide = {}
    for key in window.area_keys():
        page = window.show_area(key)
        qtbot.wait(1)
        if page.minimumSizeHint().width() > beside:
            wide[key] = page.minimumSizeHint().width()
        assert window.minimumSizeHint().width() <= room[0]
    assert wide == {}
