"""The import screen: open, check, correct, save; replace with confirmation; refuse junk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.services.context import Services
from desktop.ui import dialogs
from desktop.ui.notices.import_page import NoticeImportPage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notices"
AH = FIXTURES / "ah-2026-8-joint.txt"
GD = FIXTURES / "gd-2026-5-lead-coop.txt"


def _open(qtbot, page: NoticeImportPage, answered, path: Path) -> None:  # type: ignore[no-untyped-def]
    answered["path"] = path
    page.open_file()
    qtbot.waitUntil(lambda: page._job is None, timeout=10_000)


def _code_index(page: NoticeImportPage, code: str) -> int:
    assert page.parsed is not None
    return next(i for i, m in enumerate(page.parsed.measures) if m.code == code)


@pytest.fixture
def page(qtbot, county: Services) -> NoticeImportPage:  # type: ignore[no-untyped-def]
    widget = NoticeImportPage(county.notices)
    qtbot.addWidget(widget)
    # a fixed minimum keeps the layout from resizing the offscreen window as texts change
    widget.setMinimumSize(1120, 740)
    widget.show()
    return widget


def test_open_shows_tree_source_and_clickable_warnings(qtbot, page, answered, shots) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, page, answered, AH)
    assert page.parsed is not None and page.model.measure_count() == 7
    assert page.metadata.doc_number.text() == "皖政办〔2026〕8号"
    assert page.metadata.issued_on.text() == "2026-04-02"
    assert "嵌入式养老服务综合体" in page.source.toPlainText()
    assert page.source.isReadOnly()
    texts = [page.warnings.item(i).text() for i in range(page.warnings.count())]
    assert any("未找到责任单位" in t for t in texts)
    assert any("牵头单位不明确" in t for t in texts)
    # the least certain measure comes first and is selected, its span highlighted
    measure_texts = [t for t in texts if not t.startswith("⚠ 全文")]
    assert "未找到责任单位" in measure_texts[0] and "把握 20%" in measure_texts[0]
    assert "牵头单位不明确" in measure_texts[1] and "把握 60%" in measure_texts[1]
    assert page._current == _code_index(page, "二.（四）")
    [selection] = page.source.extraSelections()
    assert "建立养老服务机构信用评价制度" in selection.cursor.selectedText()
    # clicking the other warning selects its measure
    unclear = next(i for i, t in enumerate(texts) if "牵头单位不明确" in t)
    page.warnings.itemClicked.emit(page.warnings.item(unclear))
    assert page._current == _code_index(page, "二.（一）")
    [selection] = page.source.extraSelections()
    assert "发展智慧健康养老" in selection.cursor.selectedText()
    assert page.tree.currentIndex().data(Qt.ItemDataRole.DecorationRole) is not None
    assert page.grab().save(str(shots / "import.png"))


def test_correct_lead_unit_then_save(qtbot, page, county: Services, answered) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, page, answered, AH)
    page.select_measure(_code_index(page, "二.（一）"))
    units = page.form.units
    assert units.item(0, 0).text() == "省经济和信息化厅"
    units.item(0, 1).setCheckState(Qt.CheckState.Unchecked)
    units.item(1, 1).setCheckState(Qt.CheckState.Checked)
    assert page.apply_button.isEnabled()
    assert page.save()
    assert answered["messages"][-1][0] == "info"
    assert "已导入 皖政办〔2026〕8号" in answered["messages"][-1][2]
    assert page.parsed is None  # the screen is ready for the next file
    notice_id = county.notices.find_id("皖政办〔2026〕8号")
    assert notice_id is not None
    m = next(x for x in county.notices.tree(notice_id).measures if x.code == "二.（一）")
    assert m.lead_units == ("省民政厅",) and m.co_units == ("省经济和信息化厅",)
    assert not m.warnings  # the user settled the parser's doubt


def test_reimport_asks_before_replacing_and_keeps_task_links(  # type: ignore[no-untyped-def]
    qtbot, page, county: Services, answered, monkeypatch
) -> None:
    first = county.notices.import_file(GD)
    wl = county.list_lifecycle.create(first.id, 2027)
    county.task_editing.generate_draft(wl.id)
    coverage = county.notices.coverage_counts(first.id)
    asked: list[str] = []

    def confirm(parent, title, text, **kw):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answered["confirm"]

    monkeypatch.setattr(dialogs, "confirm", confirm)
    _open(qtbot, page, answered, GD)
    page.select_measure(0)
    page.form.text.setPlainText("培育家政服务龙头企业，打造本省家政品牌。")
    answered["confirm"] = False
    assert not page.save()  # declined: nothing replaced, the import stays on screen
    assert page.parsed is not None
    assert "粤府办〔2026〕5号" in asked[-1] and "修改 1 条" in asked[-1]
    assert "7 项任务" in asked[-1] and "关联保持不变" in asked[-1]
    tree = county.notices.tree(first.id)
    assert "打造本省家政品牌" not in tree.measures[0].text

    answered["confirm"] = True
    assert page.save()
    assert "修改 1 条" in answered["messages"][-1][2]
    after = county.notices.tree(first.id)
    assert "打造本省家政品牌" in after.measures[0].text
    assert county.notices.coverage_counts(first.id) == coverage
    assert [n.doc_number for n in county.notices.list()].count("粤府办〔2026〕5号") == 1


def test_garbage_file_gets_a_chinese_message_and_saves_nothing(  # type: ignore[no-untyped-def]
    qtbot, page, county: Services, answered, tmp_path: Path
) -> None:
    junk = tmp_path / "照片.txt"
    junk.write_bytes(bytes(range(256)) * 40)
    before = county.notices.list()
    _open(qtbot, page, answered, junk)
    kind, title, text = answered["messages"][-1]
    assert kind == "warning" and "无法识别" in title
    assert "照片.txt" in text and "Traceback" not in text
    assert page.parsed is None and not page.save_button.isEnabled()
    assert county.notices.list() == before


def test_pasted_text_without_number_is_refused_until_filled(  # type: ignore[no-untyped-def]
    qtbot, page, county: Services, answered
) -> None:
    page.start_paste()
    assert not page.source.isReadOnly() and page.parse_button.isVisible()
    page.source.setPlainText(GD.read_text(encoding="utf-8"))
    page.parse_pasted()
    qtbot.waitUntil(lambda: page.parsed is not None, timeout=10_000)
    assert page.source_name == "粘贴的文本"
    page.metadata.doc_number.setText("")
    page.metadata.issued_on.setText("2026年2月30日")
    assert not page.save()
    assert "文号" in answered["messages"][-1][2]
    page.metadata.doc_number.setText("粤府办〔2026〕99号")
    assert not page.save()
    assert "不是有效日期" in answered["messages"][-1][2]
    assert county.notices.find_id("粤府办〔2026〕99号") is None
    page.metadata.issued_on.setText("2026年2月26日")
    assert page.save()
    saved = county.notices.find_id("粤府办〔2026〕99号")
    assert saved is not None
    assert county.notices.tree(saved).notice.issued_on == "2026-02-26"


def test_bad_target_is_refused_and_switching_asks(  # type: ignore[no-untyped-def]
    qtbot, page, answered
) -> None:
    _open(qtbot, page, answered, GD)
    page.select_measure(0)
    assert page.form.targets.rowCount() == 1  # 30家左右
    page.form.targets.item(0, 1).setText("三十")
    assert not page.apply_form()
    assert "不是数字" in answered["messages"][-1][2]
    answered["confirm"] = False  # keep editing: the selection stays
    page.select_measure(1)
    assert page._current == 0
    page.form.targets.item(0, 1).setText("40")
    page.select_measure(1)  # valid now: applied on the way
    assert page._current == 1
    assert page.parsed is not None
    assert str(page.parsed.measures[0].targets[0].value) == "40"


def test_may_close_asks_about_an_unsaved_import(qtbot, page, answered) -> None:  # type: ignore[no-untyped-def]
    assert page.may_close()  # nothing loaded: nothing to ask
    _open(qtbot, page, answered, GD)
    answered["save"] = "cancel"
    assert not page.may_close()
    answered["save"] = "discard"
    assert page.may_close()


def test_import_tree_model_is_sound(qtbot, qtmodeltester, page, answered) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, page, answered, FIXTURES / "hb-2026-15-fourth-level.txt")
    assert page.model.measure_count() == 7
    qtmodeltester.check(page.model)
    page.model.set_filter("夜间")
    assert page.model.match_count() == page.model.measure_count() == 2
    qtmodeltester.check(page.model)


def test_cancelled_parse_is_dropped(qtbot, page, answered) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from desktop.ui.background import wait_for_background

    answered["path"] = GD
    page.open_file()
    assert page.progress.isVisible() and not page.open_button.isEnabled()
    page.cancel_parse()
    assert wait_for_background()
    QApplication.processEvents()  # the finished job reports back; it must be ignored
    assert page.parsed is None and page.open_button.isEnabled()
    assert not page.has_unsaved()


GX = FIXTURES / "gx-2026-18-heading-no-units.txt"


def test_delete_a_wrongly_parsed_measure_before_saving(  # type: ignore[no-untyped-def]
    qtbot, page, county: Services, answered, monkeypatch
) -> None:
    asked: list[tuple[str, str]] = []

    def confirm(parent, title, text, **kw):  # type: ignore[no-untyped-def]
        asked.append((title, text))
        return answered["confirm"]

    monkeypatch.setattr(dialogs, "confirm", confirm)
    _open(qtbot, page, answered, GX)
    assert page.model.measure_count() == 8
    page.select_measure(0)
    assert page.delete_button.isEnabled() and not page.merge_button.isEnabled()
    last = _code_index(page, "五")
    page.select_measure(last)
    assert page.merge_button.isEnabled()
    answered["confirm"] = False  # declined: nothing changes
    assert not page.delete_measure()
    assert page.parsed is not None and len(page.parsed.measures) == 8
    assert asked[-1][0] == "删除条目" and "五、加强数字人才培养" in asked[-1][1]

    answered["confirm"] = True
    page.delete_button.click()
    assert len(page.parsed.measures) == page.model.measure_count() == 7
    assert "五" not in [m.code for m in page.parsed.measures]
    assert page._current == 6  # the measure before it is selected now
    assert not any("加强数字人才培养" in t for t in page.warnings_pane.texts())
    assert "7 个条目" in page.summary.text()
    assert page.save()
    saved = county.notices.find_id("桂政办发〔2026〕18号")
    assert saved is not None
    assert [m.code for m in county.notices.tree(saved).measures][-1] == "四.（六）"
    assert len(county.notices.tree(saved).measures) == 7


def test_merge_a_measure_into_the_one_before(  # type: ignore[no-untyped-def]
    qtbot, page, county: Services, answered
) -> None:
    _open(qtbot, page, answered, GX)
    index = _code_index(page, "三")
    page.select_measure(index)
    page.form.title.setText("强化要素保障措施")  # an edit not yet applied is carried along
    page.form.title.textEdited.emit("强化要素保障措施")
    assert page.merge_measure()
    assert page.parsed is not None and len(page.parsed.measures) == 7
    merged = page.parsed.measures[index - 1]
    assert merged.code == "二.（五）" and page._current == index - 1
    assert merged.text.endswith(
        "三、强化要素保障措施。统筹自治区相关专项资金支持数字经济重大项目建设，"
        "优先保障数据中心、算力设施等项目用地用能需求。"
    )
    assert merged.units == ["自治区商务厅", "南宁海关", "自治区大数据发展局"]
    assert page.form.text.toPlainText() == merged.text  # the editor shows the merged measure
    assert page.save()
    saved = county.notices.find_id("桂政办发〔2026〕18号")
    assert saved is not None and len(county.notices.tree(saved).measures) == 7


def test_closing_section_warning_locates_the_heading(qtbot, page, answered) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, page, answered, GX)
    texts = page.warnings_pane.texts()
    at = next(i for i, t in enumerate(texts) if "按保障条款处理" in t)
    page.warnings.itemClicked.emit(page.warnings.item(at))
    [selection] = page.source.extraSelections()
    assert selection.cursor.selectedText() == "六、组织实施"
