"""Hints and banners keep their place: nothing moves under the pointer when one toggles."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Services
from desktop.services.demo.office import run_demo
from desktop.services.office.service import OfficeInfo
from desktop.ui.ledger_page import LedgerPage
from tests.ui.worklist_helpers import builtin_notice, click_row, make_page


def _at(widget: QWidget) -> QPoint:
    QApplication.processEvents()  # layouts settle on the next turn of the event loop
    return widget.mapTo(widget.window(), QPoint(0, 0))


def test_the_target_hint_keeps_its_place_while_typing(
    qtbot: QtBot, services: Services, answered: dict[str, object], shots: Path
) -> None:
    services.office.save(OfficeInfo(locality="安吉县", level="县级", parent="湖州市"))
    wl = services.list_lifecycle.create(builtin_notice(services), 2027)
    services.task_editing.generate_draft(wl.id)
    page = make_page(qtbot, services)
    click_row(qtbot, page, 0)
    editor = page.editor
    assert editor.target_note.isVisible()  # the province's target, as the draft put it
    page.grab().save(str(shots / "editor_target_hint.png"))
    watched = (editor.lead_units, editor.co_units, editor.deadline, editor.target_value)
    before = [(_at(w), w.size()) for w in watched]
    editor.target_text.setPlainText("建成县级科技服务业集聚区1个")
    assert not editor.target_note.isVisible()
    assert [(_at(w), w.size()) for w in watched] == before
    editor.target_text.setPlainText(services.worklists.task(editor.current_id()).target_text)
    assert editor.target_note.isVisible()
    assert [(_at(w), w.size()) for w in watched] == before


def test_the_frozen_note_of_the_ledger_screen_moves_no_button(
    qtbot: QtBot, services: Services, shots: Path
) -> None:
    run_demo(services, tasks=40)
    page = LedgerPage(services.ledgers, services.worklists, services.progress)
    qtbot.addWidget(page)
    page.setMinimumSize(900, 600)
    page.resize(1130, 740)
    page.show()
    page.activated()
    options = page.options
    options.set_variant("progress")
    outputs = page.outputs
    buttons = (outputs.print_button, outputs.save_pdf_button, outputs.xlsx_button)
    q2 = options.period_box.findText("2027年第二季度")
    options.period_box.setCurrentIndex(q2)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert not page.banner.isVisible()
    before = [_at(b) for b in buttons]
    options.period_box.setCurrentIndex(0)  # the frozen first quarter
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert page.banner.isVisible() and "已冻结" in page.banner.text()
    assert [_at(b) for b in buttons] == before
    page.grab().save(str(shots / "ledger_frozen_note.png"))
