"""上报与汇总 screen: a county exports its package; a city imports, aggregates and drills down."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.services.context import Services
from desktop.services.exchange.aggregate import LowerLocality
from desktop.ui import dialogs
from desktop.ui.exchange.dept_preview import DeptPreviewDialog
from desktop.ui.exchange.localities_dialog import LocalitiesDialog
from desktop.ui.exchange_page import ExchangePage
from tests.services.exchange_support import YEAR, city, county, export

WAIT = 60_000


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = []
    for i, name in enumerate(("甲县", "乙县")):
        root = tmp_path_factory.mktemp(f"c{i}")
        services = county(root / "office", name, tasks=40, seed=i)
        try:
            out.append(export(services, root))
        finally:
            services.close()
    return out


@pytest.fixture
def county_office(tmp_path: Path) -> Iterator[Services]:
    services = county(tmp_path / "county", tasks=40)
    yield services
    services.close()


@pytest.fixture
def city_office(tmp_path: Path) -> Iterator[Services]:
    services = city(tmp_path / "city")
    yield services
    services.close()


def page_of(qtbot, services: Services) -> ExchangePage:  # type: ignore[no-untyped-def]
    page = ExchangePage(
        services.exchange,
        services.worklists,
        services.office,
        lifecycle=services.list_lifecycle,
        checks=services.list_checks,
    )
    qtbot.addWidget(page)
    page.setMinimumSize(960, 600)  # keeps the offscreen plugin from warning on show
    page.resize(1130, 760)
    page.show()
    return page


def test_county_sees_the_export_side(qtbot, county_office: Services, answered) -> None:  # type: ignore[no-untyped-def]
    page = page_of(qtbot, county_office)
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs == ["向上级上报", "部门填报"] and page.aggregate is None
    assert "本级：示例县（县级，上级：示例市）" in page.role.text()


def test_county_export_flow(
    qtbot, qtmodeltester, county_office: Services, answered, tmp_path: Path, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    page = page_of(qtbot, county_office)
    tab = page.submit
    assert tab is not None and tab.current_list() is not None
    usb = tmp_path / "U盘"
    usb.mkdir()
    answered["path"] = usb
    tab.export_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    kind, title, text = answered["messages"][-1]
    assert (kind, title) == ("info", "上报包已导出") and "SHA-256" in text
    fingerprint = county_office.office.key_fingerprint()
    assert fingerprint and "第 1 次导出" in text
    assert fingerprint.replace(" ", "\u00a0") in text  # on one line, to compare by group
    files = list(usb.glob("*.zip"))
    assert [f.name for f in files] == ["示例县_2027_浙政发〔2026〕16号_v1.zip"]
    assert tab.history.rowCount() == 1
    qtmodeltester.check(tab.history)
    assert tab.history.data(tab.history.index(0, 3)) == "2027年第二季度"
    assert "已上报" in tab.list_box.currentText() and "已冻结" in tab.state_label.text()
    assert page.grab().save(str(shots / "exchange_county.png"))


def test_export_refused_until_the_check_passes(
    qtbot, qtmodeltester, services: Services, answered
) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.office.service import OfficeInfo

    services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
    notice = next(n for n in services.notices.list() if n.builtin)
    wl = services.list_lifecycle.create(notice.id, YEAR)
    services.task_editing.generate_draft(wl.id)
    page = page_of(qtbot, services)
    tab = page.submit
    assert tab is not None
    tab.export_button.click()
    assert answered["messages"][-1][:2] == ("warning", "不能上报")
    assert "校验未通过" in tab.result_label.text() and tab.issue_box.isVisible()
    kinds = {tab.issues.data(tab.issues.index(r, 0)) for r in range(tab.issues.rowCount())}
    assert kinds == {"错误", "提醒（待说明）"}
    qtmodeltester.check(tab.issues)
    # explain the first warning: it is then shown as explained
    row = next(
        r
        for r in range(tab.issues.rowCount())
        if tab.issues.data(tab.issues.index(r, 0)) == "提醒（待说明）"
    )
    tab.issue_view.setCurrentIndex(tab.issues.index(row, 0))
    assert tab.explain_button.isEnabled()
    answered["text"] = "年底前一次完成，不设节点"
    tab.explain_selected()
    texts = [tab.issues.data(tab.issues.index(r, 2)) for r in range(tab.issues.rowCount())]
    assert "年底前一次完成，不设节点" in texts
    assert services.worklists.get(wl.id).state != "submitted"


def test_a_wrong_file_alone_is_not_called_partly_imported_nor_tampered(
    qtbot, city_office: Services, answered, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """An Excel workbook chosen by mistake (renamed .zip, or picked with 所有文件): the
    user is told it is not a package at all — not that a package was damaged or tampered
    with — and, nothing having been imported, not “部分上报包未导入”."""
    from openpyxl import Workbook

    workbook = tmp_path / "汇总表.xlsx"
    Workbook().save(workbook)
    wrong = workbook.rename(tmp_path / "甲县上报.zip")
    page = page_of(qtbot, city_office)
    tab = page.aggregate
    assert tab is not None
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: [wrong])
    tab.import_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    kind, title, text = answered["messages"][-1]
    assert (kind, title) == ("warning", "上报包未导入")
    assert "不是清单台账的上报包" in text and "选错了文件" in text
    assert "改动" not in text and "子文件夹" not in text
    assert city_office.exchange.aggregate.choices() == []


def test_city_imports_and_aggregates(
    qtbot,
    qtmodeltester,
    city_office: Services,
    packages: list[Path],
    answered,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shots: Path,
) -> None:  # type: ignore[no-untyped-def]
    city_office.exchange.aggregate.save_localities(
        [LowerLocality("甲县"), LowerLocality("乙县"), LowerLocality("丙县")]
    )
    page = page_of(qtbot, city_office)
    tab = page.aggregate
    assert tab is not None and page.tabs.tabText(0) == "汇总下级上报"
    assert "还没有导入下级的上报包" in tab.summary.text()
    junk = tmp_path / "坏文件.zip"
    junk.write_bytes(b"garbage")
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: [*packages, junk])
    tab.import_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    kind, title, text = answered["messages"][-1]
    assert (kind, title) == ("warning", "部分上报包未导入")
    assert "已导入甲县 2027年清单第1版" in text and "坏文件.zip" in text and "不是 zip" in text

    assert tab.reports.rowCount() == 3
    states = [tab.reports.data(tab.reports.index(r, 1)) for r in range(3)]
    assert states == ["已上报", "已上报", "未上报"]
    assert "未上报 1 个：丙县" in tab.summary.text()
    # 甲县, 乙县 and 丙县 (expected, not reported), then 已覆盖地区 and 不适用
    assert tab.coverage.columnCount() == 6 and tab.coverage.rowCount() == 38
    horizontal = tab.coverage_view.horizontalHeader().orientation()
    assert [tab.coverage.headerData(c, horizontal) for c in (3, 4, 5)] == [
        "丙县",
        "已覆盖地区",
        "不适用",
    ]
    assert tab.coverage.data(tab.coverage.index(0, 3)) == "未上报"
    assert tab.coverage.headerData(1, tab.coverage_view.horizontalHeader().orientation()) == "甲县"
    for model in (tab.reports, tab.coverage, tab.drill):
        qtmodeltester.check(model)
    tab.tabs.setCurrentIndex(1)
    assert page.grab().save(str(shots / "exchange_city_coverage.png"))

    tab._open_locality(tab.reports.index(1, 0))
    assert tab.tabs.currentIndex() == 2 and tab.locality_box.currentText() == "乙县"
    assert tab.drill.rowCount() == 40
    assert page.grab().save(str(shots / "exchange_city_drill.png"))
    # 状态 (the last column) shows without scrolling sideways in the default window
    # (1256 px wide), where the table gets about 1000 px
    page.resize(1060, 640)
    view = tab.drill_view
    qtbot.waitUntil(lambda: view.viewport().width() <= 1010)
    fixed = sum(view.columnWidth(c) for c in range(tab.drill.columnCount() - 1))
    assert fixed + 60 <= view.viewport().width()

    answered["path"] = tmp_path / "汇总"
    tab.export_combined("pdf")
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    assert (tmp_path / "汇总.pdf").stat().st_size > 10_000
    assert answered["messages"][-1][1] == "汇总台账已生成"

    # importing the same packages again changes nothing and says so
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: packages[:1])
    tab.import_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    assert "已导入过，未作改动" in answered["messages"][-1][2]


def test_localities_dialog_edits_the_list(qtbot, city_office: Services, answered) -> None:  # type: ignore[no-untyped-def]
    agg = city_office.exchange.aggregate
    dialog = LocalitiesDialog(agg, ["戊县"], "县级")
    qtbot.addWidget(dialog)
    answered["text"] = "甲县\n乙县\n\n甲县"
    dialog.add_many()
    dialog.add_reported()
    assert dialog.names() == ["甲县", "乙县", "戊县"]
    dialog.table.setCurrentCell(2, 0)
    dialog.move_row(-1)
    dialog.table.item(0, 1).setText("330101")
    dialog.add_row()  # left blank: dropped on save
    dialog.save()
    assert [(x.name, x.code) for x in agg.localities()] == [
        ("甲县", "330101"),
        ("戊县", ""),
        ("乙县", ""),
    ]
    dialog = LocalitiesDialog(agg, [], "县级")
    qtbot.addWidget(dialog)
    dialog.table.item(1, 0).setText("甲县")
    dialog.save()
    assert answered["messages"][-1][:2] == ("warning", "名单未保存")
    assert len(agg.localities()) == 3


def test_department_round_trip_on_screen(
    qtbot,
    county_office: Services,
    answered,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shots: Path,
) -> None:  # type: ignore[no-untyped-def]
    page = page_of(qtbot, county_office)
    tab = page.dept
    page.tabs.setCurrentWidget(tab)
    assert tab.unit_list.count() > 5
    tab._check_all(False)
    tab.unit_list.item(0).setCheckState(tab.unit_list.item(0).checkState().Checked)
    answered["path"] = tmp_path / "out"
    tab.export_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    assert answered["messages"][-1][1] == "填报表已导出"
    (book,) = list((tmp_path / "out").glob("*.xlsx"))
    wb = load_workbook(book)
    wb["任务进展"].cell(row=4, column=9, value="部门填写的新进展")  # 进展情况
    wb["任务进展"].cell(row=4, column=10, value=1)  # 完成百分比: a plain 1, 1% or 100%?
    wb.save(book)

    shown: list[DeptPreviewDialog] = []
    questions: list[str] = []

    def accept(dialog: DeptPreviewDialog) -> bool:
        shown.append(dialog)
        return True

    def choose(parent, title, text, choices):  # type: ignore[no-untyped-def]
        questions.append(text)
        return choices.index("100%")

    monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: [book])
    monkeypatch.setattr(dialogs, "ask_choice", choose)
    monkeypatch.setattr(dialogs, "run_dialog", accept)
    tab.import_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy and bool(shown), timeout=WAIT)
    # asked once, naming the row, then read again with the answer
    assert len(questions) == 1 and "第 4 行" in questions[0] and "1% 还是 100%" in questions[0]
    (dialog,) = shown
    qtbot.addWidget(dialog)
    # one task, two fields: its progress text and the percent settled as 100
    assert dialog.changes.rowCount() == 2 and dialog.apply_button.isEnabled()
    cells = {dialog.changes.data(dialog.changes.index(r, 4)) for r in range(2)}
    assert cells == {"部门填写的新进展", "100"}
    dialog.resize(1100, 640)
    assert dialog.grab().save(str(shots / "exchange_dept_preview.png"))
    assert answered["messages"][-1][:2] == ("info", "导入完成")
    period = tab.current_period()
    wl = county_office.worklists.find_own(YEAR)
    assert period is not None
    texts = [r.entry.text for r in county_office.progress.rows(wl.id, period)]
    assert "部门填写的新进展" in texts


def test_main_window_builds_the_area(qtbot, county_office: Services, answered) -> None:  # type: ignore[no-untyped-def]
    from desktop.app import build_main_window

    window = build_main_window(county_office)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window.show_area("exchange"), ExchangePage)


def _drafted_with_warnings(services: Services) -> int:
    from desktop.services.office.service import OfficeInfo

    services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
    notice = next(n for n in services.notices.list() if n.builtin)
    wl = services.list_lifecycle.create(notice.id, YEAR)
    services.task_editing.generate_draft(wl.id)
    return wl.id


def test_many_warnings_share_one_explanation(
    qtbot, services: Services, answered, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    list_id = _drafted_with_warnings(services)
    page = page_of(qtbot, services)
    tab = page.submit
    assert tab is not None
    result = tab.run_check()
    assert result is not None and len(result.open_warnings) > 5
    asked: list[str] = []

    def ask(parent, title, label, text="", **kwargs):  # type: ignore[no-untyped-def]
        asked.append(label)
        return answered["text"]

    monkeypatch.setattr(dialogs, "ask_required_text", ask)
    # Ctrl+A selects every row; the errors among them are left out of the explanation
    tab.issue_view.setFocus()
    qtbot.keyClick(tab.issue_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(tab.issue_view.selectionModel().selectedRows()) == tab.issues.rowCount()
    assert tab.explain_button.isEnabled()
    answered["text"] = "按上级统一部署推进"
    tab.explain_selected()
    assert len(asked) == 1 and f"所选的 {len(result.warnings)} 条提醒" in asked[0]
    accepted = services.list_checks.accepted_warnings(list_id)
    assert set(accepted) == {w.key for w in result.warnings}
    assert set(accepted.values()) == {"按上级统一部署推进"}


def test_explain_all_open_warnings_at_once(
    qtbot, services: Services, answered, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    list_id = _drafted_with_warnings(services)
    page = page_of(qtbot, services)
    tab = page.submit
    assert tab is not None
    assert not tab.explain_all_button.isEnabled()  # nothing checked yet
    result = tab.run_check()
    assert result is not None
    first = result.open_warnings[0]
    services.list_checks.accept_warning(list_id, first.key, first.message, "已单独说明")
    result = tab.run_check()
    assert result is not None
    open_count = len(result.open_warnings)
    assert tab.explain_all_button.isEnabled()
    assert tab.explain_all_button.text() == f"全部说明（{open_count} 条）…"
    answered["text"] = None  # 取消: nothing stored
    tab.explain_all_button.click()
    assert set(services.list_checks.accepted_warnings(list_id)) == {first.key}
    answered["text"] = "本年度统一说明"
    tab.explain_all_button.click()
    accepted = services.list_checks.accepted_warnings(list_id)
    assert accepted[first.key] == "已单独说明"  # an explained warning keeps its own words
    assert len(accepted) == open_count + 1
    assert not tab.explain_all_button.isEnabled()  # no warning left without one


def test_export_confirmation_names_the_period_and_warns_when_few_are_filled(
    qtbot, county_office: Services, answered, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.progress.types import ProgressEntry

    asked: list[tuple[str, str, str, bool]] = []

    def confirm(parent, title, text, *, ok="确定", warn=False):  # type: ignore[no-untyped-def]
        asked.append((title, text, ok, warn))
        return False

    monkeypatch.setattr(dialogs, "confirm", confirm)
    page = page_of(qtbot, county_office)
    tab = page.submit
    assert tab is not None
    tab.export_button.click()
    title, text, ok, warn = asked[-1]
    assert (title, ok, warn) == ("导出上报包", "导出", False)
    assert text.startswith(f"报送周期：{YEAR}年第二季度（已填报 ")
    # one task reports for the third quarter: the package would report that quarter
    wl = county_office.worklists.find_own(YEAR)
    from tests.services.exchange_support import live_on

    live_on(county_office, date(YEAR, 8, 15))  # the third quarter has begun
    q3 = next(p for p in county_office.progress.periods(wl.id) if p.key == f"{YEAR}-Q3")
    first = county_office.worklists.rows(wl.id)[0]
    county_office.progress.save(wl.id, q3.id, [ProgressEntry(first.id, text="推进中", percent=70)])
    tab.export_button.click()
    title, text, ok, warn = asked[-1]
    assert (title, ok, warn) == ("进展尚未填报齐全", "仍然导出", True)
    assert f"报送周期：{YEAR}年第三季度（已填报 1/40 项）" in text and "不到一半" in text
    assert county_office.worklists.get(wl.id).state != "submitted"  # 取消: nothing exported


def test_city_deletes_a_wrongly_imported_package(
    qtbot, city_office: Services, packages: list[Path], answered, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    for package in packages:
        city_office.exchange.import_package(package)
    page = page_of(qtbot, city_office)
    tab = page.aggregate
    assert tab is not None and tab.delete_button.isVisible()
    assert not tab.delete_button.isEnabled()  # nothing selected
    row = next(r for r in range(tab.reports.rowCount()) if tab.reports.row_at(r).locality == "甲县")
    tab.report_view.selectRow(row)
    assert tab.delete_button.isEnabled()
    assert page.grab().save(str(shots / "exchange_city_delete.png"))
    answered["confirm"] = False
    tab.delete_button.click()
    assert len(city_office.worklists.lists(own=False)) == 2
    answered["confirm"] = True
    tab.delete_button.click()
    assert tab.busy.busy and not tab.delete_button.isEnabled()  # backing up, off the UI thread
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    left = city_office.worklists.lists(own=False)
    assert [s.locality for s in left] == ["乙县"]
    shown = [tab.reports.row_at(r) for r in range(tab.reports.rowCount())]
    assert [s.locality for s in shown if s.reported] == ["乙县"]  # the screen follows
    assert not tab.delete_button.isEnabled()
    # imported again, the package is simply new
    assert city_office.exchange.import_package(packages[0]).outcome == "imported"


def test_a_list_reported_without_progress_says_so_in_the_period_column(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A city's own list often goes to the province before any progress: the 填报周期 cell
    says 尚无进展 instead of staying blank (which reads as missing data)."""
    from PySide6.QtCore import Qt

    from desktop.services.exchange.aggregate import LocalityStatus
    from desktop.ui.exchange.models import report_model

    model = report_model()
    model.set_rows(
        [
            LocalityStatus("示例市", "", False, True, list_id=1, version=1, tasks=38),
            LocalityStatus("甲县", "", True, True, list_id=2, period_label="2027年第二季度"),
            LocalityStatus("丙县", "", True, True),
        ]
    )
    horizontal = Qt.Orientation.Horizontal
    column = next(
        c for c in range(model.columnCount()) if model.headerData(c, horizontal) == "填报周期"
    )
    cells = [model.data(model.index(r, column)) for r in range(3)]
    assert cells == ["尚无进展", "2027年第二季度", ""]


def test_a_click_on_an_issue_selects_and_a_double_click_opens_its_task(
    qtbot, services: Services, answered
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    list_id = _drafted_with_warnings(services)
    page = page_of(qtbot, services)
    tab = page.submit
    assert tab is not None
    tab.run_check()
    opened: list[tuple[int, int]] = []
    page.open_task.connect(lambda lid, tid: opened.append((lid, tid)))
    view = tab.issue_view
    index = tab.issues.index(0, 1)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [] and len(view.selectionModel().selectedRows()) == 1
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [(list_id, tab.issues.row_at(0).task_id)]


def test_a_changed_key_is_asked_about_with_both_fingerprints(
    qtbot,
    city_office: Services,
    packages: list[Path],
    answered,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    """The first package pins 甲县's key (its fingerprint shown to compare with the paper
    ledger); a package signed by another key is asked about, old and new fingerprints shown,
    and imported only when the user accepts."""
    from desktop.core import signing
    from tests.services.exchange_support import repack

    page = page_of(qtbot, city_office)
    tab = page.aggregate
    assert tab is not None
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: packages[:1])
    tab.import_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    old = city_office.exchange.inspect(packages[0]).manifest.signer
    assert old is not None
    first = answered["messages"][-1][2]
    assert old.fingerprint in first and "纸质台账" in first

    other = signing.generate_key()
    newer = repack(
        packages[0],
        tmp_path / "newer.zip",
        data=lambda d: d["work_list"].update(version=2),
        manifest=lambda m: m.update(list_version=2, export_sequence=2),
        key=other,
    )
    asked: list[str] = []

    def confirm(parent, title, text, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: [newer])
    answer = False
    tab.import_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    # each fingerprint on one line: its groups joined by no-break spaces
    shown = asked[0].replace("\u00a0", " ") if asked else ""
    assert len(asked) == 1 and old.fingerprint in shown and other.fingerprint in shown
    assert f"原指纹：{old.fingerprint.replace(' ', chr(0xA0))}\n" in asked[0]
    assert answered["messages"][-1][1] == "上报包未导入"
    overview = city_office.exchange.aggregate.overview(YEAR, _notice(city_office))
    assert [s.version for s in overview.localities if s.reported] == [1]

    answer = True
    tab.import_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    qtbot.waitUntil(lambda: "已接受甲县的新签名密钥" in answered["messages"][-1][2], timeout=WAIT)


def _notice(services: Services) -> int:
    return next(n.id for n in services.notices.list() if n.builtin)
