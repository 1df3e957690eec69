"""台账打印: choosing a ledger, the embedded preview, printing, saving and exporting.

The demo office (60 tasks) is built once per module and copied for each test, so each
test starts from the same data without paying for the demo every time.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desktop.services.context import Services, open_office
from desktop.services.demo.office import run_demo
from desktop.ui import dialogs
from desktop.ui.ledger_page import LedgerPage
from tests.needs import tool

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "office"
    services = open_office(root)
    try:
        run_demo(services, tasks=60)
    finally:
        services.close()
    return root


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Iterator[Services]:
    root = tmp_path / "office"
    shutil.copytree(demo_template, root)
    services = open_office(root)
    try:
        yield services
    finally:
        services.close()


def make_page(qtbot: QtBot, services: Services) -> LedgerPage:
    page = LedgerPage(services.ledgers, services.worklists, services.progress)
    qtbot.addWidget(page)
    # An explicit minimum keeps the layout from resizing the top-level window, which the
    # offscreen platform answers with a warning (inside the main window it never is one).
    page.setMinimumSize(900, 600)
    page.resize(1130, 740)
    page.show()
    page.activated()
    return page


def wait_idle(qtbot: QtBot, page: LedgerPage) -> None:
    qtbot.waitUntil(lambda: page.preview_is_current() and not page.is_busy(), timeout=WAIT_MS)


@pytest.fixture
def page(qtbot: QtBot, demo: Services) -> LedgerPage:
    page = make_page(qtbot, demo)
    wait_idle(qtbot, page)
    return page


def pdf_text(path: Path) -> str:
    """The PDF's text with whitespace squashed: where a reader puts spaces depends on the font."""
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))


def test_lists_the_office_list_and_shows_a_preview(
    page: LedgerPage, demo: Services, shots: Path
) -> None:
    own = demo.worklists.lists(own=True, current_only=True)[0]
    assert page.options.list_box.count() == 1
    assert page.options.list_box.currentText() == own.display
    assert page.options.list_id() == own.id
    document = page.preview.document
    assert document.status() == QPdfDocument.Status.Ready
    assert document.pageCount() > 0
    assert page.preview.page_total.text() == f"/ {document.pageCount()} 页"
    assert page.preview.page_box.value() == 1
    assert f"预览共 {document.pageCount()} 页" in page.busy.status_label.text()
    assert page.outputs.print_button.isEnabled() and page.outputs.xlsx_button.isEnabled()
    assert not page.error_banner.isVisible()
    # sign-off prefilled from the office
    assert page.options.filler_edit.text() == "周静"
    assert page.options.reviewer_edit.text() == "陈志强"
    assert page.options.phone_edit.text() == "0571-88880000"
    assert page.options.date_edit.text().endswith("日")
    assert page.grab().save(str(shots / "ledger.png"))


def test_progress_variant_with_a_period_and_the_frozen_mark(qtbot: QtBot, page: LedgerPage) -> None:
    options = page.options
    assert not options.period_box.isEnabled()  # the whole list needs no period
    options.set_variant("progress")
    assert options.period_box.isEnabled()
    labels = [options.period_box.itemText(i) for i in range(options.period_box.count())]
    assert labels[0] == "2027年第一季度（已冻结）"  # the demo froze the first quarter
    assert "2027年第二季度" in labels
    q2 = options.period_box.findText("2027年第二季度")
    options.period_box.setCurrentIndex(q2)
    wait_idle(qtbot, page)
    assert page.options.options().period_id is not None
    assert page.preview.path is not None
    assert "2027年第二季度进展" in pdf_text(page.preview.path)
    assert not page.banner.isVisible()

    options.period_box.setCurrentIndex(0)
    wait_idle(qtbot, page)
    assert page.banner.isVisible() and "已冻结" in page.banner.text()
    text = pdf_text(page.preview.path)
    assert "2027年第一季度进展" in text and "周静" in text


def test_lagging_variant_lists_lagging_tasks_only(qtbot: QtBot, page: LedgerPage) -> None:
    page.options.set_variant("lagging")
    wait_idle(qtbot, page)
    assert page.preview.path is not None
    text = pdf_text(page.preview.path)
    assert "滞后任务" in text
    assert "按序时" not in text  # only lagging tasks, no on-schedule ones


def test_edited_signoff_prints_and_can_be_reset(qtbot: QtBot, page: LedgerPage) -> None:
    page.options.set_signoff(filler="李四", phone="0571-12345678")
    assert not page.preview_is_current()
    wait_idle(qtbot, page)
    assert page.preview.path is not None
    text = pdf_text(page.preview.path)
    assert "李四" in text and "0571-12345678" in text and "陈志强" in text
    page.options.reset_signoff()
    assert page.options.filler_edit.text() == "周静"
    wait_idle(qtbot, page)
    assert "周静" in pdf_text(page.preview.path)


def test_a3_paper_changes_the_page_size(qtbot: QtBot, page: LedgerPage) -> None:
    a4 = page.preview.document.pagePointSize(0)
    page.options.set_paper("A3")
    wait_idle(qtbot, page)
    a3 = page.preview.document.pagePointSize(0)
    assert a3.width() > a4.width() * 1.3
    assert a3.width() > a3.height()  # landscape


def test_cancel_leaves_no_file_and_returns_to_idle(qtbot: QtBot, page: LedgerPage) -> None:
    folder = page.temp_folder()
    assert folder is not None
    before = sorted(folder.iterdir())
    shown = page.preview.path
    page.options.set_signoff(filler="王五")
    page.generate_preview()
    assert page.is_busy() and page.busy.cancel_button.isVisible()
    page.cancel()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert sorted(folder.iterdir()) == before  # no new preview, no temporary file
    assert page.preview.path == shown
    assert not page.preview_is_current()
    assert "已取消" in page.busy.status_label.text()
    assert not page.busy.progress_bar.isVisible() and not page.busy.cancel_button.isVisible()
    assert page.generate_button.isEnabled() and page.outputs.print_button.isEnabled()


def test_zoom_and_page_indicator(qtbot: QtBot, page: LedgerPage) -> None:
    preview = page.preview
    assert preview.fit_width_button.isChecked()
    fit = preview.effective_zoom()
    preview.zoom_in()
    assert preview.effective_zoom() > fit
    assert not preview.fit_width_button.isChecked()
    preview.zoom_out()
    preview.zoom_out()
    assert preview.effective_zoom() < fit
    assert preview.zoom_label.text() == f"{round(preview.effective_zoom() * 100)}%"
    preview.fit_page()
    assert preview.fit_page_button.isChecked()
    preview.page_box.setValue(3)
    qtbot.waitUntil(lambda: preview.current_page() == 2, timeout=WAIT_MS)
    assert preview.page_box.value() == 3
    preview.fit_width()
    assert preview.fit_width_button.isChecked()


def test_save_as_pdf_writes_the_previewed_file(
    page: LedgerPage, answered: dict[str, object], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "台账"
    target.parent.mkdir()
    answered["path"] = target
    page.save_pdf()
    saved = target.with_name("台账.pdf")  # the suffix is added when left out
    assert saved.exists()
    assert page.preview.path is not None
    assert saved.read_bytes() == page.preview.path.read_bytes()
    assert len(PdfReader(saved).pages) == page.preview.page_count()
    assert "已保存" in page.busy.status_label.text()


def test_save_as_pdf_after_a_change_saves_the_new_ledger(
    qtbot: QtBot, page: LedgerPage, answered: dict[str, object], tmp_path: Path
) -> None:
    answered["path"] = tmp_path / "滞后.pdf"
    page.options.set_variant("lagging")
    page.save_pdf()  # pressed before the preview caught up: it is generated first
    qtbot.waitUntil(lambda: (tmp_path / "滞后.pdf").exists(), timeout=WAIT_MS)
    assert "滞后任务" in pdf_text(tmp_path / "滞后.pdf")


@pytest.fixture
def a_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine has a printer (the test machine has none; the dialog is replaced)."""
    from desktop.ui.ledger import printing

    monkeypatch.setattr(printing, "printers_installed", lambda: True)


def pdftotext_pages(path: Path) -> list[str]:
    """The text of each page as poppler's pdftotext reads it, blanks left out."""
    import subprocess

    text = subprocess.run(
        [tool("pdftotext", "poppler-utils"), str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    return ["".join(page.split()) for page in text.split("\f")[:-1]]


def test_print_goes_through_the_print_dialog(
    qtbot: QtBot,
    page: LedgerPage,
    answered: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    a_printer: None,
) -> None:
    out = tmp_path / "printed.pdf"
    asked: list[dict[str, object]] = []

    def ask_printer(parent: object, printer: QPrinter, **kw: object) -> bool:
        asked.append({"doc": printer.docName(), **kw})
        assert printer.pageLayout().orientation().name == "Landscape"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(dialogs, "ask_printer", ask_printer)
    page.print_ledger()
    assert asked and asked[0]["pages"] == page.preview.page_count()
    assert "示例县2027年重点工作台账" in str(asked[0]["doc"])
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert out.exists()
    reader = PdfReader(out)
    assert len(reader.pages) == page.preview.page_count()
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape sheets
    # printed to a file, and said so: nothing claims a printer was used
    assert page.busy.status_label.text() == f"已打印到文件：{out}（{len(reader.pages)} 页）"


def test_printed_pages_are_the_pdfs_pages_drawn_as_text(
    qtbot: QtBot,
    page: LedgerPage,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    a_printer: None,
) -> None:
    out = tmp_path / "printed.pdf"

    def ask_printer(parent: object, printer: QPrinter, **kw: object) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(dialogs, "ask_printer", ask_printer)
    page.options.set_variant("progress")  # status colours, several pages, long rows
    wait_idle(qtbot, page)
    page.print_ledger()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert page.preview.path is not None
    printed, previewed = pdftotext_pages(out), pdftotext_pages(page.preview.path)
    assert len(printed) == len(previewed) == page.preview.page_count() > 1
    for number, (sheet, pdf_page) in enumerate(zip(printed, previewed, strict=True), 1):
        # the same characters on the same page; pdftotext may read cells that share a
        # baseline in another order when their positions differ by a hair
        assert sorted(sheet) == sorted(pdf_page), f"page {number}"
    assert printed[0][:40] == previewed[0][:40]  # the title block, in order
    # vector, not raster: the sheets carry text and no page images
    reader = PdfReader(out)
    for sheet in reader.pages:
        resources = sheet["/Resources"]
        xobjects = resources.get("/XObject", {}) if resources else {}
        assert not any(xobj.get_object().get("/Subtype") == "/Image" for xobj in xobjects.values())
    assert out.stat().st_size < 60_000 * len(reader.pages)


def test_without_a_printer_it_says_so_and_offers_a_pdf(
    qtbot: QtBot,
    page: LedgerPage,
    answered: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from desktop.ui.ledger import printing

    monkeypatch.setattr(printing, "printers_installed", lambda: False)
    offered: list[tuple[str, str, list[str]]] = []

    def choose(_parent, title, text, choices):  # type: ignore[no-untyped-def]
        offered.append((title, text, choices))
        return answered.get("choice")

    def no_dialog(*_a: object, **_k: object) -> bool:
        raise AssertionError("the print dialog must not open without a printer")

    monkeypatch.setattr(dialogs, "ask_choice", choose)
    monkeypatch.setattr(dialogs, "ask_printer", no_dialog)
    answered["choice"] = None  # closed: nothing written anywhere
    page.print_ledger()
    assert offered[0][0] == "没有可用的打印机" and offered[0][2] == ["另存为 PDF…"]
    assert "没有安装打印机" in offered[0][1]
    assert not page.is_busy() and "打印机" not in page.busy.status_label.text()

    answered["choice"] = 0  # 另存为 PDF…: the save dialog, then the preview's file
    answered["path"] = tmp_path / "台账.pdf"
    page.print_ledger()
    assert (tmp_path / "台账.pdf").read_bytes() == page.preview.path.read_bytes()  # type: ignore[union-attr]
    assert "已保存" in page.busy.status_label.text()


def test_print_a_page_range_and_a_refused_dialog(
    qtbot: QtBot,
    page: LedgerPage,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    a_printer: None,
) -> None:
    out = tmp_path / "range.pdf"

    def ask_printer(parent: object, printer: QPrinter, **kw: object) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(72)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        return True

    monkeypatch.setattr(dialogs, "ask_printer", ask_printer)
    page.print_ledger()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert len(PdfReader(out).pages) == 2

    out.unlink()
    monkeypatch.setattr(dialogs, "ask_printer", lambda *a, **k: False)
    page.print_ledger()
    assert not page.is_busy() and not out.exists()


def test_excel_and_csv_exports(
    qtbot: QtBot,
    page: LedgerPage,
    answered: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openpyxl import load_workbook

    answered["path"] = tmp_path / "台账.xlsx"
    page.export_xlsx()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    book = load_workbook(tmp_path / "台账.xlsx", read_only=True)
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    book.close()
    assert any("县科技局" in c for c in cells)
    assert "已导出" in page.busy.status_label.text()

    answered["path"] = tmp_path / "台账.csv"
    page.export_csv()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert "县科技局" in (tmp_path / "台账.csv").read_text(encoding="utf-8-sig")

    # the CSV dialog points to the Excel file as the one to open, and can switch to it
    asked: list[str] = []

    def choose(_parent, _title, text, choices):  # type: ignore[no-untyped-def]
        asked.append(text)
        return choices.index("改为导出 Excel")

    monkeypatch.setattr(dialogs, "ask_choice", choose)
    answered["path"] = tmp_path / "改为.xlsx"
    page.export_csv()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert "Excel" in asked[0] and ".xlsx" in asked[0]
    assert (tmp_path / "改为.xlsx").exists() and not (tmp_path / "改为.csv").exists()


def test_save_per_unit_writes_one_file_per_lead_unit(
    qtbot: QtBot, page: LedgerPage, answered: dict[str, object], tmp_path: Path
) -> None:
    folder = tmp_path / "各单位"
    answered["path"] = folder
    page.save_per_unit()
    assert page.is_busy() and not page.outputs.print_button.isEnabled()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    files = sorted(folder.glob("*.pdf"))
    assert len(files) > 3
    assert folder / "县科技局.pdf" in files
    assert not list(folder.glob(".*.tmp"))
    kind, _title, text = answered["messages"][-1]  # type: ignore[index]
    assert kind == "info" and f"{len(files)} 个牵头单位" in text


def test_cancelled_per_unit_save_leaves_no_files(
    qtbot: QtBot, page: LedgerPage, answered: dict[str, object], tmp_path: Path
) -> None:
    folder = tmp_path / "各单位"
    answered["path"] = folder
    page.save_per_unit()
    page.cancel()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert not folder.exists() or not any(folder.iterdir())
    assert "已取消" in page.busy.status_label.text()
    assert page.outputs.print_button.isEnabled()


def test_lower_level_lists_are_offered_and_marked(qtbot: QtBot, demo: Services) -> None:
    from desktop.db.models import WorkList
    from desktop.services.worklist.lifecycle import copy_list

    own = demo.worklists.lists(own=True, current_only=True)[0]
    with demo.sessions.begin() as session:
        old = session.get(WorkList, own.id)
        assert old is not None
        # a copy of the list stands in for one imported from a county below
        lower = copy_list(session, old, version=old.version + 1)
        old.is_current = True
        lower.own, lower.locality, lower.state, lower.version = False, "某乙县", "submitted", 1
    page = make_page(qtbot, demo)
    box = page.options.list_box
    texts = [box.itemText(i) for i in range(box.count())]
    assert texts[0] == own.display  # the office's own list first
    assert texts[1].startswith("【下级】") and "某乙县" in texts[1]
    box.setCurrentIndex(1)
    wait_idle(qtbot, page)
    assert page.banner.isVisible() and "某乙县" in page.banner.text()
    assert page.preview.path is not None
    assert "某乙县" in pdf_text(page.preview.path)


def test_missing_fonts_show_the_message_instead_of_a_preview(
    qtbot: QtBot, demo: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv("POLICY_LEDGER_NO_SYSTEM_FONTS", "1")
    monkeypatch.setenv("POLICY_LEDGER_FONT_DIRS", str(empty))
    page = make_page(qtbot, demo)
    qtbot.waitUntil(lambda: page.error_banner.isVisible(), timeout=WAIT_MS)
    assert "字体" in page.error_banner.text()
    assert page.preview.path is None
    assert "缺少中文字体" in page.preview.placeholder.text()
    assert not page.outputs.print_button.isEnabled()
    assert not page.outputs.save_pdf_button.isEnabled()
    assert page.outputs.xlsx_button.isEnabled()  # Excel needs no fonts
    assert not list(page.temp_folder().iterdir())  # type: ignore[union-attr]


def test_an_office_without_lists_says_what_to_do(qtbot: QtBot, services: Services) -> None:
    page = make_page(qtbot, services)
    assert page.preview.placeholder.text() == (
        "还没有可以打印的清单。\n请先在“年度清单”中新建本级清单，或在“上报与汇总”中导入下级上报包。"
    )
    assert not page.generate_button.isEnabled()
    assert not page.outputs.print_button.isEnabled() and not page.outputs.xlsx_button.isEnabled()
    assert not page.is_busy()


def test_closing_removes_the_preview_files(qtbot: QtBot, page: LedgerPage) -> None:
    folder = page.temp_folder()
    assert folder is not None and any(folder.iterdir())
    page.close()
    assert not folder.exists()


def test_the_main_window_builds_the_page(qtbot: QtBot, demo: Services) -> None:
    from desktop.app import build_main_window

    window = build_main_window(demo)
    qtbot.addWidget(window)
    page = window.show_area("ledgers")
    assert isinstance(page, LedgerPage)
    wait_idle(qtbot, page)
    assert page.preview.page_count() > 0
    page.cleanup()


def test_pages_to_print_follow_the_dialog_choices(qtbot: QtBot) -> None:
    from desktop.ui.ledger.printing import make_printer, pages_to_print

    printer = make_printer("A3", "台账")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # makes no copies itself
    assert printer.pageLayout().pageSize().id().name == "A3"
    assert pages_to_print(printer, 4) == [0, 1, 2, 3]
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert pages_to_print(printer, 4, current_page=2) == [2]
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    assert pages_to_print(printer, 3) == [2, 1, 0]
    printer.setPageOrder(QPrinter.PageOrder.FirstPageFirst)
    printer.setCopyCount(2)
    assert pages_to_print(printer, 2) == [0, 1, 0, 1]
    printer.setCollateCopies(False)
    assert pages_to_print(printer, 2) == [0, 0, 1, 1]


def test_ask_printer_offers_the_page_range(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog
    from PySide6.QtWidgets import QDialog

    from desktop.ui.ledger.printing import make_printer

    seen: list[QPrintDialog] = []

    def accept(dialog: QPrintDialog) -> int:
        seen.append(dialog)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    printer = make_printer("A4", "台账")
    assert dialogs.ask_printer(None, printer, pages=12, current_page=True)
    dialog = seen[0]
    assert (dialog.minPage(), dialog.maxPage()) == (1, 12)
    option = QAbstractPrintDialog.PrintDialogOption
    assert dialog.testOption(option.PrintPageRange)
    assert dialog.testOption(option.PrintCurrentPage)
    assert dialog.windowTitle() == "打印台账"


def test_after_carry_over_it_opens_on_this_years_list(
    qtbot: QtBot, demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In December the next year's draft exists beside this year's list; year-end printing
    is of this year's, so the screen opens there (as 进展填报 does)."""
    from datetime import date

    from desktop.services import clock

    own = demo.worklists.lists(own=True, current_only=True)[0]
    demo.list_lifecycle.create(own.notice_id, own.year + 1)
    monkeypatch.setattr(clock, "today", lambda session=None: date(own.year, 12, 20))
    page = make_page(qtbot, demo)
    wait_idle(qtbot, page)
    assert page.options.list_id() == own.id


def test_optional_columns_are_ticked_kept_and_printed(
    qtbot: QtBot, page: LedgerPage, demo: Services
) -> None:
    assert not any(box.isChecked() for box in page.options.column_boxes.values())
    assert "责任领导" not in pdf_text(page.preview.path)  # type: ignore[arg-type]
    page.options.column_boxes["leader"].setChecked(True)
    page.options.column_boxes["schedule"].setChecked(True)
    assert demo.ledgers.columns() == ("leader", "schedule")  # kept for the office at once
    qtbot.waitUntil(lambda: page.preview_is_current() and not page.is_busy(), timeout=WAIT_MS)
    text = "".join(pdf_text(page.preview.path).split())  # type: ignore[arg-type]
    assert "责任领导" in text and "节点/序时安排" in text
    # the screen opened again (or the program restarted) shows the office's choice
    again = make_page(qtbot, demo)
    wait_idle(qtbot, again)
    ticked = [k for k, box in again.options.column_boxes.items() if box.isChecked()]
    assert ticked == ["leader", "schedule"]
    again.cleanup()
