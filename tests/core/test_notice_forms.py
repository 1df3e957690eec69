"""The forms offices meet, each stated by hand: who leads, who cooperates, what is generic.

The fixtures under ``tests/fixtures/notices/`` were written for these forms (not copied
from real documents); ``test_notice_fixtures`` compares every field with the
``.expected.json`` files, these tests spell out the facts each form is about.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.core.notice import ParsedMeasure, parse_notice_file, parse_notice_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"


def _measures(stem: str) -> dict[str, ParsedMeasure]:
    return {m.code: m for m in parse_notice_file(FIXTURES / f"{stem}.txt").measures}


def test_label_lines_and_person_lines() -> None:
    ms = _measures("gz-2026-4-label-lines")
    assert ms["一.（一）"].units == ["省通信管理局", "省大数据局", "省农业农村厅"]
    assert ms["一.（一）"].lead_units == ["省通信管理局"]
    assert "王某某" not in ms["一.（一）"].text + "".join(ms["一.（一）"].units)
    assert ms["一.（二）"].lead_units == ["省商务厅"]  # 牵头责任单位 / 协同责任单位
    assert ms["一.（二）"].co_units == ["省交通运输厅", "省邮政管理局", "省供销社"]
    assert ms["二.（四）"].generic == ["各市（州）人民政府"]  # 共同责任单位 with a collective
    assert ms["二.（六）"].units == ["省文化和旅游厅", "省大数据局"]  # 联系人 line left out
    assert ms["三.（八）"].joint and ms["三.（八）"].lead_units == ["省教育厅", "省卫生健康委"]


def test_mixed_notes_in_every_bracket() -> None:
    ms = _measures("km-2026-9-mixed-note")
    first = ms["一.1"]
    assert (first.units, first.lead_units) == (
        ["市商务局", "市住房城乡建设局", "市自然资源规划局"],
        ["市商务局"],
    )
    assert first.generic == ["各县区、功能板块"]
    assert ms["一.3"].units == ["市商务局", "市投资促进局"]  # 〔责任单位：…〕
    assert ms["二.4"].co_units == ["市商务局", "市文化和旅游局"]  # 【牵头单位：…；配合单位：…】
    assert ms["二.6"].lead_units == ["市委金融办", "人民银行昆明市分行"]
    assert ms["二.7"].lead_units == ["市人力资源社会保障局"]


def test_flattened_table_without_brackets() -> None:
    ms = _measures("yn-2026-12-flat-table")
    assert list(ms) == ["1", "2", "3", "4", "5", "6", "7"]
    first = ms["1"]
    assert first.lead_units == ["省发展改革委", "省交通运输厅"]
    assert first.co_units == ["省工业和信息化厅", "中国铁路昆明局集团"]
    assert first.generic == ["各州（市）党委和政府"]
    assert first.text.endswith("提高铁路货运比重。") and "序号" not in first.title + first.text
    assert ms["3"].co_units == ["省公安厅", "省财政厅"] and ms["3"].generic == []
    assert ms["7"].units == ["省发展改革委", "省商务厅", "省国资委", "省市场监管局"]


def test_whole_document_on_one_line() -> None:
    notice = parse_notice_file(FIXTURES / "cq-2026-8-oneline.txt")
    assert notice.doc_number == "渝府办发〔2026〕8号"
    assert notice.title == "重庆市人民政府办公厅关于进一步激发民间投资活力的实施意见"
    assert [m.code for m in notice.measures] == [
        "一.（一）", "一.（二）", "二.（三）", "二.（四）", "二.（五）", "三.（六）", "三.（七）",
    ]  # fmt: skip
    ms = {m.code: m for m in notice.measures}
    assert ms["二.（三）"].lead_units == ["市规划自然资源局"]
    assert ms["二.（三）"].co_units == ["市发展改革委"]
    assert "重庆市人民政府办公厅" not in ms["三.（七）"].text  # the signature is back matter
    assert str(notice.issued_on) == "2026-04-03"


def test_numbering_forms_and_restarts() -> None:
    ms = _measures("nm-2026-3-numbering")
    assert list(ms) == [
        "一.（一）.1", "一.（一）.2", "一.（一）.3", "一.（二）.（1）", "一.（二）.（2）",
        "二.（一）.1", "二.（一）.2", "二.（二）.（1）",
    ]  # fmt: skip
    # ① ② under one note are the measure's own list
    assert ms["一.（二）.（2）"].text.endswith("②建设乳业检验检测平台。")
    assert ms["一.（一）.1"].units == ["自治区发展改革委", "交通运输厅"]


def test_half_width_and_aliases() -> None:
    ms = _measures("sx-2026-5-halfwidth-alias")
    assert ms["一.（一）"].units == ["省科技厅", "省工业和信息化厅", "省财政厅"]  # trailing 等
    assert ms["一.（二）"].aliases == {"省市场监管局": "省知识产权局"}
    assert ms["一.（三）"].units == ["省科技厅", "省教育厅", "省国资委"]
    assert ms["二.（四）"].co_units == ["省通信管理局", "省大数据局"]  # 等部门配合
    assert ms["二.（五）"].units == ["省发展改革委", "省商务厅"]
    assert all("." not in m.text.replace("...", "") for m in ms.values())


def test_text_taken_from_a_pdf() -> None:
    notice = parse_notice_file(FIXTURES / "ln-2026-7-pdf-text.txt")
    ms = {m.code: m for m in notice.measures}
    assert len(ms) == 8 and notice.doc_number == "辽政发〔2026〕7号"
    assert "标识解析二级节点覆盖重点产业集群" in ms["一.（一）"].text
    assert ms["一.（一）"].units == ["省工业和信息化厅", "省通信管理局"]
    assert ms["二.（四）"].units == ["省工业和信息化厅", "省国资委", "省科技厅"]
    for m in notice.measures:  # no page numbers, running headers or 抄送 inside a measure
        assert not re.search(r"— \d —|-\d-|人民政府文件|抄送|印发", m.title + m.text), m.code
    assert str(notice.effective_on) == "2026-06-01"


def test_repeated_numbers_get_unique_codes_and_warnings() -> None:
    text = (
        "某市人民政府关于推进甲乙工作的实施意见\n某政发〔2026〕3号\n一、主要任务\n"
        "1. 推进甲。做好甲。（责任单位：市发展改革委）\n2. 推进乙。做好乙。（责任单位：市财政局）\n"
        "2. 推进丙。做好丙。（责任单位：市科技局）\n2. 推进丁。做好丁。（责任单位：市商务局）\n"
    )
    notice = parse_notice_text(text)
    assert [m.code for m in notice.measures] == ["一.1", "一.2", "一.2#2", "一.2#3"]
    assert [m.units for m in notice.measures][2:] == [["市科技局"], ["市商务局"]]
    repeats = [w for w in notice.warnings if w.startswith("编号重复")]
    assert len(repeats) == 2 and "一.2#3" in repeats[1]


def test_table_rows_with_their_cells_apart() -> None:
    """Tabs (a Word or web table copied) and Markdown pipes, with the header naming columns."""
    text = (
        "某省人民政府办公厅关于印发某省物流降本增效行动方案的通知\n某政办发〔2026〕2号\n"
        "一、重点任务\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t优化运输结构。推进大宗货物公转铁。\t省发展改革委、省交通运输厅\t省财政厅\t2026年底\n"
        "2\t降低用地成本\t省自然资源厅\t省发展改革委\t长期坚持\n"
        "3\t发展多式联运。建设示范工程。\t省交通运输厅\t\t2027年\n"
        "二、保障措施\n| 序号 | 工作任务 | 责任单位 | 完成时间 |\n|---|---|---|---|\n"
        "| 4 | 加强资金保障。统筹专项资金。 | 省财政厅、省发展改革委 | 持续推进 |\n"
    )
    ms = {m.code: m for m in parse_notice_text(text).measures}
    assert list(ms) == ["一.1", "一.2", "一.3", "二.4"]
    assert ms["一.1"].lead_units == ["省发展改革委", "省交通运输厅"]
    assert ms["一.1"].co_units == ["省财政厅"]
    assert ms["一.2"].units == ["省自然资源厅", "省发展改革委"] and ms["一.2"].lead_units == [
        "省自然资源厅"
    ]
    assert ms["一.3"].units == ["省交通运输厅"]  # an empty 配合单位 cell
    assert ms["二.4"].units == ["省财政厅", "省发展改革委"]
    assert all("2026年底" not in m.text and "长期坚持" not in m.text for m in ms.values())


_TABLE_HEAD = "某省人民政府办公厅关于印发某省物流降本增效任务分工的通知\n某政办发〔2026〕5号\n"


@pytest.mark.parametrize(
    "rows",
    [
        # one space between cells, the 配合单位 cell of row 2 empty
        "序号 重点任务 牵头单位 配合单位 完成时限\n"
        "1 优化运输结构，推进大宗货物公转铁 省发展改革委、省交通运输厅 "
        "省财政厅，各市政府 2026年底\n"
        "2 降低物流用地成本 省自然资源厅 长期坚持\n",
        # the task cell wrapped onto a second line, tabs between the cells
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t优化运输结构，推进大宗\n货物公转铁\t省发展改革委、省交通运输厅\t省财政厅，各市政府\t2026年底\n"
        "2\t降低物流用地成本\t省自然资源厅\t\t长期坚持\n",
        # runs of spaces, the empty cell leaving only a longer run
        "序号  重点任务  牵头单位  配合单位  完成时限\n"
        "1  优化运输结构，推进大宗货物公转铁  省发展改革委、省交通运输厅  "
        "省财政厅，各市政府  2026年底\n"
        "2  降低物流用地成本  省自然资源厅      长期坚持\n",
        # one cell a line, names wrapped at a narrow column's width
        "序号\n重点任务\n牵头单位\n配合单位\n完成时限\n1\n优化运输结构，推进大宗\n货物公转铁\n"
        "省发展改革委、\n省交通运输厅\n省财政厅，各市\n政府\n2026年\n底\n"
        "2\n降低物流用地成本\n省自然资源\n厅\n长期坚持\n",
    ],
    ids=["single-spaces", "tabs-wrapped", "space-runs", "cell-lines"],
)
def test_task_table_rows_in_every_layout(rows: str) -> None:
    ms = parse_notice_text(_TABLE_HEAD + rows).measures
    assert [(m.code, m.text) for m in ms] == [
        ("1", "优化运输结构，推进大宗货物公转铁。"),
        ("2", "降低物流用地成本。"),
    ]
    assert ms[0].lead_units == ["省发展改革委", "省交通运输厅"] and not ms[0].joint
    assert ms[0].co_units == ["省财政厅"] and ms[0].generic == ["各市政府"]
    assert ms[1].units == ms[1].lead_units == ["省自然资源厅"]


def test_table_with_two_task_columns_and_one_list_of_units() -> None:
    """重点任务 | 具体措施: the title and the text; one list of units: the lead column's."""
    text = (
        _TABLE_HEAD + "序号 重点任务 具体措施 牵头单位 责任单位 完成时限\n"
        "1 优化政务服务 推行“一网通办”，网上可办率达到98% 市政务服务和数据管理局 "
        "市有关部门 2026年12月\n"
        "2 降低企业成本 落实减税降费政策 市税务局、市财政局 持续推进\n"
    )
    first, second = parse_notice_text(text).measures
    assert (first.title, first.text) == ("优化政务服务", "推行“一网通办”，网上可办率达到98%。")
    assert first.generic == ["市有关部门"]
    assert second.lead_units == ["市税务局", "市财政局"] and not second.warnings


def test_table_rows_end_where_the_back_matter_starts() -> None:
    text = (
        _TABLE_HEAD + "一、重点任务\n序号 重点任务 牵头单位 完成时限\n"
        "1 优化运输结构 省发展改革委 2026年底\n二、保障措施\n"
        "1 加强资金保障 省财政厅 持续推进\n"
        "抄送：省委各部门。\n某省人民政府办公厅 2026年3月2日印发\n"
    )
    notice = parse_notice_text(text)
    assert [(m.code, m.units) for m in notice.measures] == [
        ("一.1", ["省发展改革委"]),
        ("二.1", ["省财政厅"]),  # the count starts again after a section row
    ]
    assert notice.measures[1].text == "加强资金保障。"


def test_text_saved_from_a_web_page_with_its_markup() -> None:
    text = (
        "<p>某省人民政府关于推进某工作的实施意见</p><p>某政发〔2026〕1号</p>"
        "<p><strong>一、重点任务</strong></p>"
        "<p>（一）推进甲。做好甲&nbsp;工作。（责任单位：省发展改革委、省财政厅）</p>"
        "<p>（二）推进乙。做好乙工作。（省商务厅牵头，省财政厅配合）</p>"
    )
    notice = parse_notice_text(text)
    assert notice.title == "某省人民政府关于推进某工作的实施意见"
    assert [m.text for m in notice.measures] == ["做好甲工作。", "做好乙工作。"]
    assert notice.measures[1].lead_units == ["省商务厅"]


def test_places_after_a_collective_and_a_closing_by_duty() -> None:
    text = (
        "某省人民政府关于推进某工作的实施意见\n某政发〔2026〕1号\n一、重点任务\n"
        "（一）甲。做好甲。（省发展改革委牵头，省直有关部门配合，各省辖市、济源示范区政府负责落实）\n"
        "（二）乙。做好乙。（市发改委、市财政局、市自然资源和规划局，各区政府、管委会按职责分工负责）\n"
        "（三）丙。做好丙。（责任单位：省发改委、工信厅，各设区市人民政府、平潭综合实验区管委会）\n"
        "（四）丁。做好丁。（省发展改革委牵头，省有关单位按职责分工负责；2026年底前完成）\n"
    )
    ms = parse_notice_text(text).measures
    assert [m.units for m in ms] == [
        ["省发展改革委"],
        ["市发改委", "市财政局", "市自然资源和规划局"],
        ["省发改委", "工信厅"],
        ["省发展改革委"],
    ]
    assert ms[0].generic == ["省直有关部门", "各省辖市", "济源示范区政府"]
    assert ms[1].joint and ms[1].lead_units == ms[1].units  # 按职责分工负责 covers all
    assert ms[1].generic == ["各区政府", "管委会"]
    assert ms[2].generic == ["各设区市人民政府", "平潭综合实验区管委会"]
    assert ms[3].lead_units == ["省发展改革委"] and not ms[3].warnings


def test_flattened_table_with_its_deadline_column_run_on() -> None:
    text = (
        "云南省人民政府办公厅关于印发某措施的通知\n云政办发〔2026〕9号\n"
        "序号重点任务责任单位完成时限1优化运输结构。推进公转铁。省发展改革委、省交通运输厅牵头；"
        "省财政厅配合；各州（市）党委和政府落实2026年底前2降低用地成本。保障用地。"
        "省自然资源厅牵头；省发展改革委配合长期坚持3发展多式联运。建设示范工程。"
        "省交通运输厅牵头；省商务厅配合2027年6月底前\n"
    )
    ms = parse_notice_text(text).measures
    assert [(m.code, m.text) for m in ms] == [
        ("1", "推进公转铁。"),
        ("2", "保障用地。"),
        ("3", "建设示范工程。"),
    ]
    assert ms[0].generic == ["各州（市）党委和政府"] and ms[0].co_units == ["省财政厅"]
    assert ms[1].lead_units == ["省自然资源厅"] and ms[2].co_units == ["省商务厅"]


def test_parts_articles_and_list_numbers() -> None:
    """第一部分 / 第一条 / 1）, and the short labels 牵头：… 参与：…"""
    text = (
        "某省人民政府关于推进某工作的若干措施\n某政发〔2026〕1号\n第一部分 总体要求\n一、重点任务\n"
        "第一条 支持甲。做好甲。（牵头：省发展改革委；参与：省财政厅）\n"
        "第二条 支持乙。做好乙，具体包括：1）做好乙一；2）做好乙二。（责任单位：省商务厅）\n"
        "第三条 支持丙。（责任单位：省科技厅）第四条 支持丁。（责任单位：省教育厅）\n"
    )
    ms = parse_notice_text(text).measures
    assert [m.code for m in ms] == [
        "第一部分.一.第一条",
        "第一部分.一.第二条",
        "第一部分.一.第三条",
        "第一部分.一.第四条",
    ]
    assert ms[0].lead_units == ["省发展改革委"] and ms[0].co_units == ["省财政厅"]
    assert ms[1].text.endswith("2）做好乙二。") and ms[1].units == ["省商务厅"]
    assert [m.units for m in ms[2:]] == [["省科技厅"], ["省教育厅"]]


def test_text_beyond_any_notice_is_refused_at_once() -> None:
    from desktop.core.notice.parser import MAX_CHARS
    from desktop.errors import NoticeFormatError

    text = "一、甲\n（一）乙。（责任单位：省发展改革委）\n" * (MAX_CHARS // 20)
    with pytest.raises(NoticeFormatError, match="文字过多"):
        parse_notice_text(text)


def test_by_duty_after_commas_and_places_with_brackets() -> None:
    text = (
        "某省人民政府关于推进某工作的实施意见\n某政发〔2026〕1号\n一、重点任务\n"
        "（一）甲。做好甲。（省发展改革委，省财政厅，省自然资源厅按职责分工负责）\n"
        "（二）乙。做好乙。\n"
        "责任单位：省发展改革委、省工业和信息化厅，各市（含定州、辛集市）政府、雄安新区管委会。\n"
    )
    first, second = parse_notice_text(text).measures
    assert first.joint and first.lead_units == ["省发展改革委", "省财政厅", "省自然资源厅"]
    assert second.units == ["省发展改革委", "省工业和信息化厅"]
    assert second.generic == ["各市（含定州、辛集市）政府", "雄安新区管委会"]


def test_word_task_table_with_a_cell_merged_down(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    for line in ("某省人民政府办公厅关于印发某方案的通知", "某政办发〔2026〕2号", "一、重点任务"):
        document.add_paragraph(line)
    table = document.add_table(rows=4, cols=5)
    rows = [
        ("序号", "重点任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "优化运输结构。推进公转铁。", "省发展改革委", "省财政厅、省交通运输厅", "2026年底"),
        ("2", "降低用地成本", "省自然资源厅", "省发展改革委", "长期坚持"),
        ("3", "发展多式联运", "", "", "2027年"),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(2, 2).merge(table.cell(3, 2)).text = "省自然资源厅"  # one lead for two rows
    path = tmp_path / "table.docx"
    document.save(str(path))
    ms = parse_notice_file(path).measures
    assert [(m.code, m.units, m.lead_units) for m in ms] == [
        ("一.1", ["省发展改革委", "省财政厅", "省交通运输厅"], ["省发展改革委"]),
        ("一.2", ["省自然资源厅", "省发展改革委"], ["省自然资源厅"]),
        ("一.3", ["省自然资源厅"], ["省自然资源厅"]),
    ]


def test_word_task_table_with_one_unit_per_line(tmp_path: Path) -> None:
    """Unit cells listing one unit a line (line breaks or paragraphs, no 、): each line is
    a unit of its own column, the lead column's units stay leads."""
    from docx import Document

    document = Document()
    for line in ("某市人民政府办公室关于印发某清单的通知", "某政办〔2026〕4号", "一、重点任务"):
        document.add_paragraph(line)
    table = document.add_table(rows=4, cols=5)
    rows = [
        ("序号", "重点任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "建设滨江绿道。", "市园林局", "市水务局\n市交通运输局", "2026年底"),
        (
            "2",
            "改造老旧市场。",
            "市商务局\n市市场监管局",
            "东城区人民政府\n西城区人民政府",
            "2027年",
        ),
        ("3", "推广充电设施。", "市发展改革委", "", "长期坚持"),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value  # a line break inside the cell
    cell = table.cell(3, 3)  # two paragraphs in one cell
    cell.text = "市电力公司"
    cell.add_paragraph("各县（市）区人民政府")
    path = tmp_path / "lines.docx"
    document.save(str(path))
    ms = parse_notice_file(path).measures
    assert [(m.text, m.units, m.lead_units, m.generic) for m in ms] == [
        ("建设滨江绿道。", ["市园林局", "市水务局", "市交通运输局"], ["市园林局"], []),
        (
            "改造老旧市场。",
            ["市商务局", "市市场监管局", "东城区人民政府", "西城区人民政府"],
            ["市商务局", "市市场监管局"],
            [],
        ),
        (
            "推广充电设施。",
            ["市发展改革委", "市电力公司"],
            ["市发展改革委"],
            ["各县（市）区人民政府"],
        ),
    ]


def test_tab_separated_task_table_with_one_unit_per_line() -> None:
    """Text copied from a table: cells apart by tabs, a unit cell's units one a line."""
    text = (
        "某市人民政府办公室关于印发某清单的通知\n某政办〔2026〕5号\n一、重点任务\n"
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t疏浚城区河道。\t市水务局\t市城管局\n市生态环境局\t2026年底\n"
        "2\t建设智慧停车。\t市公安局\n市住房城乡建设局\t南湖区人民政府\n北湖区人民政府\t2027年\n"
    )
    ms = parse_notice_text(text).measures
    assert [(m.text, m.units, m.lead_units) for m in ms] == [
        ("疏浚城区河道。", ["市水务局", "市城管局", "市生态环境局"], ["市水务局"]),
        (
            "建设智慧停车。",
            ["市公安局", "市住房城乡建设局", "南湖区人民政府", "北湖区人民政府"],
            ["市公安局", "市住房城乡建设局"],
        ),
    ]


_ATTACHED = "某市人民政府办公室关于印发某市降本增效若干措施的通知\n某政办字〔2026〕3号\n"
_BODY = (
    "某市降本增效若干措施\n一、降低成本\n1.降低用电成本。推进电力直接交易。（责任单位：市发展改革委）\n"
    "2.降低物流成本。发展多式联运。（责任单位：市交通运输局）\n"
)


@pytest.mark.parametrize(
    "attachments",
    [
        "附件：1.重点企业名单\n　　　2.任务进度表\n",
        "附件：\n1.重点企业名单\n2.任务进度表\n",
        "附件：1.重点企业名单2.任务进度表\n",  # the list on one line
    ],
    ids=["indented", "list-below", "one-line"],
)
def test_list_of_attachments_before_the_body(attachments: str) -> None:
    """The covering letter's 附件 list is numbered too: its titles are no measures."""
    text = _ATTACHED + attachments + "某市人民政府办公室\n2026年3月2日\n" + _BODY
    ms = parse_notice_text(text).measures
    assert [(m.code, m.units) for m in ms] == [
        ("一.1", ["市发展改革委"]),
        ("一.2", ["市交通运输局"]),
    ]


def test_list_of_attachments_in_a_one_line_copy() -> None:
    text = (
        _ATTACHED + "各县（市、区）人民政府，市政府各部门：现将《某市降本增效若干措施》印发给你们，"
        "请认真贯彻执行。附件：1.重点企业名单2.任务进度表某市人民政府办公室2026年3月2日"
        + _BODY.replace("措施\n", "措施为降低企业成本，制定如下措施。")
    ).replace("\n", "")
    ms = parse_notice_text(text).measures
    assert [m.units for m in ms] == [["市发展改革委"], ["市交通运输局"]]


def test_table_one_cell_a_line_with_a_person_column() -> None:
    """牵头市领导 / 联系人 name people: their cells are neither units nor task text."""
    text = _TABLE_HEAD + (
        "序号\n重点任务\n牵头市领导\n牵头单位\n责任单位\n联系人\n完成时限\n"
        "1\n推动甲产业集群发展\n王某某\n市工业和信息化局\n市商务局、市市场监管局\n赵某\n2026年12月底前\n"
        "2\n推进乙园区扩能\n副市长 刘某\n市发展改革委\n市自然资源局\n钱某\n2026年9月底前\n"
    )
    ms = parse_notice_text(text).measures
    assert [(m.code, m.text) for m in ms] == [
        ("1", "推动甲产业集群发展。"),
        ("2", "推进乙园区扩能。"),
    ]
    assert [(m.units, m.lead_units) for m in ms] == [
        (["市工业和信息化局", "市商务局", "市市场监管局"], ["市工业和信息化局"]),
        (["市发展改革委", "市自然资源局"], ["市发展改革委"]),
    ]


@pytest.mark.parametrize(
    ("header", "row", "units"),
    [
        # beside a unit column, the issuing office's division that follows the work up
        ("序号\t重点任务\t牵头单位\t责任处室\t完成时限", "市商务局\t综合处", ["市商务局"]),
        # a department's own work plan: its divisions are the units
        (
            "序号\t重点任务\t牵头处室\t配合处室\t完成时限",
            "对外贸易处\t综合处",
            ["对外贸易处", "综合处"],
        ),
    ],
)
def test_division_columns(header: str, row: str, units: list[str]) -> None:
    text = _TABLE_HEAD + header + f"\n1\t推进外贸稳规模\t{row}\t2026年底\n"
    (measure,) = parse_notice_text(text).measures
    assert (measure.units, measure.lead_units) == (units, units[:1])


def test_table_cells_naming_a_university_and_a_company() -> None:
    """A row whose unit cell names a university or a company keeps its place."""
    text = _TABLE_HEAD + (
        "序号\n重点任务\n责任单位\n完成时限\n"
        "1\n建设甲实验室\n市科技局（牵头）、东北林业大学\n2026年12月底\n"
        "2\n建设乙基地\n市发展改革委（牵头）、长江勘测规划设计研究有限责任公司\n2026年9月底\n"
    )
    ms = parse_notice_text(text).measures
    assert [(m.code, m.units, m.lead_units) for m in ms] == [
        ("1", ["市科技局", "东北林业大学"], ["市科技局"]),
        ("2", ["市发展改革委", "长江勘测规划设计研究有限责任公司"], ["市发展改革委"]),
    ]


def test_notes_inside_the_text_with_their_roles_said() -> None:
    """（A牵头，B配合） right after the words it belongs to, not after a full stop, is a
    note; a bracket without roles (高新区) stays text."""
    text = (
        "某方案\n一、重点任务\n"
        "（一）发展养老服务。推进社区设施建设（市民政局牵头，市卫生健康委配合）。\n"
        "（二）建设开发区。推进国家级开发区（高新区）建设。（市商务局负责）\n"
    )
    first, second = parse_notice_text(text).measures
    assert (first.text, first.units, first.lead_units) == (
        "推进社区设施建设。",
        ["市民政局", "市卫生健康委"],
        ["市民政局"],
    )
    assert second.text == "推进国家级开发区（高新区）建设。" and second.units == ["市商务局"]


def test_parts_said_one_two_three_each_with_a_note() -> None:
    """一是…（note）；二是…（note）: each part is a measure under its item; parts
    sharing one note at the end stay one measure."""
    text = (
        "某方案\n一、重点任务\n"
        "（一）扩大消费。一是打造夜间街区（市商务局牵头，市公安局配合）；"
        "二是举办购物节，发放消费券（市财政局负责）。\n"
        "（二）发展养老服务。一是推进社区设施建设；二是加强人员培训。（市民政局牵头，市人社局配合）\n"
    )
    notice = parse_notice_text(text)
    assert [(m.code, m.text) for m in notice.measures] == [
        ("一.（一）.一是", "打造夜间街区。"),
        ("一.（一）.二是", "举办购物节，发放消费券。"),
        ("一.（二）", "一是推进社区设施建设；二是加强人员培训。"),
    ]
    assert [(m.units, m.lead_units) for m in notice.measures] == [
        (["市商务局", "市公安局"], ["市商务局"]),
        (["市财政局"], ["市财政局"]),
        (["市民政局", "市人社局"], ["市民政局"]),
    ]
    assert [(s.code, s.title) for s in notice.sections] == [
        ("一", "重点任务"),
        ("一.（一）", "扩大消费"),
    ]
    assert not any(m.is_heading for m in notice.measures)


def test_deadline_in_a_quarter_ends_its_row() -> None:
    """2026年第3季度 is a deadline: the row ends with it and nothing is left over."""
    text = _TABLE_HEAD + (
        "序号\n重点任务\n牵头单位\n完成时限\n"
        "1\n降低企业用电成本\n市发展改革委\n2026年第3季度\n"
        "2\n降低企业用地成本\n市自然资源局\n2026年第四季度\n"
    )
    notice = parse_notice_text(text)
    assert [(m.text, m.units) for m in notice.measures] == [
        ("降低企业用电成本。", ["市发展改革委"]),
        ("降低企业用地成本。", ["市自然资源局"]),
    ]
    assert not any("未归入" in w for w in notice.warnings)


def test_parts_with_labelled_notes_after_or_before_the_full_stop() -> None:
    text = (
        "某方案\n一、重点任务\n（一）扩大消费。一是打造夜间街区（责任单位：市商务局）；"
        "二是优化消费环境。（责任单位：市市场监管局）\n"
    )
    ms = parse_notice_text(text).measures
    assert [(m.number, m.title, m.text, m.units) for m in ms] == [
        ("一是", "打造夜间街区", "打造夜间街区。", ["市商务局"]),
        ("二是", "优化消费环境", "优化消费环境。", ["市市场监管局"]),
    ]


_PRINCIPLES = (
    "某市人民政府办公室关于印发某项工作方案的通知\n某政办发〔2026〕5号\n"
    "各县（区）人民政府，市政府各部门：\n现将方案印发给你们，请认真贯彻落实。\n"
    "一、工作目标\n到2027年，完成各项目标任务。\n二、重点任务\n实施两项重点任务（详见附件）。\n"
    "三、保障措施\n（一）加强组织领导。建立专班统筹推进。\n（二）强化督促落实。定期通报进展。\n"
)
_TASK_TABLE = (
    "附件\n重点任务分工表\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
    "1\t建设甲类设施\t市发展改革委\t市财政局\t2026年底\n"
    "2\t培育乙类企业\t市工业和信息化局、市商务局\t市市场监管局\t持续推进\n"
    "抄送：市委各部门。\n"
)


def test_attached_task_table_below_a_body_of_principles() -> None:
    """A body whose numbered headings name no unit, its measures in 附件 分工表: the rows
    are the measures, the body is read as the preamble."""
    notice = parse_notice_text(_PRINCIPLES + _TASK_TABLE)
    got = [(m.code, m.units, m.lead_units) for m in notice.measures]
    assert got == [
        ("1", ["市发展改革委", "市财政局"], ["市发展改革委"]),
        ("2", ["市工业和信息化局", "市商务局", "市市场监管局"], ["市工业和信息化局", "市商务局"]),
    ]
    assert notice.measures[0].text.startswith("建设甲类设施")
    assert notice.doc_number == "某政办发〔2026〕5号"
    assert any("附件" in w for w in notice.warnings)


def test_body_that_names_units_keeps_its_own_measures_over_an_attachment() -> None:
    body = _PRINCIPLES.replace("（详见附件）。", "。（责任单位：市科技局）")
    notice = parse_notice_text(body + _TASK_TABLE)
    assert [m.units for m in notice.measures if m.units] == [["市科技局"]]
    assert "附件中另有 2 项列有责任单位的条目未导入，请核对附件" in notice.warnings


def test_two_attached_tables_each_give_their_rows() -> None:
    second = (
        "附件2\n重点项目表\n序号\t重点任务\t责任单位\t完成时限\n"
        "1\t建设丙项目\t市交通运输局\t2026年底\n"
    )
    text = _PRINCIPLES + _TASK_TABLE.replace("附件\n", "附件1\n").replace(
        "抄送：市委各部门。\n", ""
    )
    notice = parse_notice_text(text + second + "抄送：市委各部门。\n")
    got = [(m.code, m.units) for m in notice.measures]
    assert got == [
        ("1", ["市发展改革委", "市财政局"]),
        ("2", ["市工业和信息化局", "市商务局", "市市场监管局"]),
        ("附件2.1", ["市交通运输局"]),
    ]


def test_one_line_copy_with_a_comma_in_its_section_headings() -> None:
    """Headings such as 一、稳住基本盘，增强新动能 run straight into their first item."""
    text = (
        "某市人民政府办公室关于印发若干措施的通知　　某政办发〔2026〕8号　　各县（区）人民政府："
        "　　一、稳住基本盘，增强新动能　　（一）扶持甲类企业。落实甲类扶持政策。"
        "（责任单位：市经信局）"
        "　　（二）扩大乙类投资。推进乙类项目建设。（责任单位：市发展改革委）"
        "　　二、优化服务环境，激发市场活力　　（三）简化审批流程。推行一网通办。"
        "（责任单位：市政务服务局）"
    )
    notice = parse_notice_text(text)
    got = [(m.code, m.units) for m in notice.measures]
    assert got == [
        ("一.（一）", ["市经信局"]),
        ("一.（二）", ["市发展改革委"]),
        ("二.（三）", ["市政务服务局"]),
    ]
    titles = [s.title for s in notice.sections]
    assert titles == ["稳住基本盘，增强新动能", "优化服务环境，激发市场活力"]


def test_note_after_the_heading_and_the_body_on_the_next_line() -> None:
    """（二）扩大文旅消费（责任单位：A，B，C） with its body below: long notes, commas
    between the units and collectives keep the body with its measure."""
    text = (
        "某市人民政府办公室关于印发若干措施的通知\n某政办发〔2026〕3号\n各区县人民政府：\n"
        "一、重点任务\n"
        "（一）扩大文旅消费（责任单位：市文化旅游委，市委宣传部，市体育局）\n"
        "丰富夜间文旅产品，培育消费新场景。\n"
        "（二）建设消费中心城市（责任单位：市商务委，各区县政府）\n"
        "推进知名商圈建设。\n"
        "（三）保障工资支付（责任单位：市人力资源社会保障局、市住房城乡建委、市交通运输委、市水利局）\n"
        "落实工资专用账户制度。\n"
    )
    notice = parse_notice_text(text)
    assert [m.text for m in notice.measures] == [
        "丰富夜间文旅产品，培育消费新场景。",
        "推进知名商圈建设。",
        "落实工资专用账户制度。",
    ]
    assert notice.measures[1].generic == ["各区县政府"]
    assert not any("未归入" in w for w in notice.warnings)
