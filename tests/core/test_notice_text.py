"""Normalisation, dates, page-break joins, glued numbers and the outline tree."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.notice import parse_notice_text
from desktop.core.notice.metadata import split_issuers
from desktop.core.notice.numbering import match_item
from desktop.core.notice.outline import build_outline
from desktop.core.notice.paragraphs import join_fragments
from desktop.core.notice.text import DATE_RE, normalise_line, normalise_lines, parse_date
from desktop.errors import NoticeFormatError


@pytest.mark.parametrize(
    ("raw", "text", "marked"),
    [
        ("### 一、分领域提升生产性服务业专业能力", "一、分领域提升生产性服务业专业能力", True),
        ("### **三、推进服务业数智化发展**", "三、推进服务业数智化发展", True),
        ("**1. 保障用地需求。**优先保障", "1.保障用地需求。优先保障", False),
        (
            "(责任单位:省市场监管局[省知识产权局],省版权局)",
            "（责任单位：省市场监管局[省知识产权局]，省版权局）",
            False,
        ),
        ("建设 10 个科技服务业创新发展集聚区", "建设10个科技服务业创新发展集聚区", False),
        (
            "## 浙江省人民政府 关于推进服务业扩能提质的实施意见",
            "浙江省人民政府关于推进服务业扩能提质的实施意见",
            True,
        ),
        ("１２．培育３０家　龙头企业", "12.培育30家龙头企业", False),
        ("完成投资1,000亿元，时间9:30", "完成投资1,000亿元，时间9:30", False),
        ("\ufeff 浙政发〔2026〕16号\u200b ", "浙政发〔2026〕16号", False),
        ("Model as a Service 模式", "Model as a Service模式", False),
        # Markdown from a converter escapes what would be syntax
        ("1\\. 建设老年食堂。", "1.建设老年食堂。", False),
        ("\\(一\\) 扩大供给 \\*", "（一）扩大供给*", False),
    ],
)
def test_normalise_line(raw: str, text: str, marked: bool) -> None:
    line = normalise_line(raw)
    assert line is not None and (line.text, line.marked) == (text, marked)


@pytest.mark.parametrize(
    "raw", ["", "   ", "---", "***", "- 3 -", "— 12 —", "7", "第 3 页 共 10 页"]
)
def test_lines_without_text_disappear(raw: str) -> None:
    assert normalise_line(raw) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年5月30日", date(2026, 5, 30)),
        ("二〇二六年五月三十日", date(2026, 5, 30)),
        ("二〇二六年十二月二十一日", date(2026, 12, 21)),
        ("2026年2月30日", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    m = DATE_RE.search(text)
    assert m is not None and parse_date(m) == expected


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("一、分领域提升", (1, "一", 1, "分领域提升")),
        ("十二、其他", (1, "十二", 12, "其他")),
        ("（六）支持商务服务", (2, "（六）", 6, "支持商务服务")),
        ("22.数字广告方面。", (3, "22", 22, "数字广告方面。")),
        ("3、孵化服务", (3, "3", 3, "孵化服务")),
        ("（1）打造品牌", (4, "（1）", 1, "打造品牌")),
        ("2.0版本上线", None),
        ("2026年工作要点", None),
        ("一是加强领导", None),
        ("十十、不是编号", None),  # no number, and no crash
        ("（十十）不是编号", None),
    ],
)
def test_match_item(text: str, item: tuple[int, str, int, str] | None) -> None:
    assert match_item(text) == item


def _paras(text: str) -> list[str]:
    return [p.text for p in join_fragments(normalise_lines(text))]


def test_page_break_fragments_are_joined() -> None:
    assert _paras("1. 研发设计方面。推动重大科学基础设\n\n施、科学数据开放。") == [
        "1.研发设计方面。推动重大科学基础设施、科学数据开放。"
    ]
    assert _paras("支持各地举办音乐节、\n- 3 -\n戏剧节等活动。") == [
        "支持各地举办音乐节、戏剧节等活动。"
    ]
    assert _paras("推进改革。（责任单位：省科技厅、\n\n省经信厅）") == [
        "推进改革。（责任单位：省科技厅、省经信厅）"
    ]
    assert _paras("推进改革。（责任单位：省科技厅，省经\n信厅）") == [
        "推进改革。（责任单位：省科技厅，省经信厅）"
    ]
    assert _paras("11. 银行、证券、保险方面\n。推进钱塘江金融港湾发展。") == [
        "11.银行、证券、保险方面。推进钱塘江金融港湾发展。"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "一、分领域提升生产性服务业专业能力\n（一）强化科技服务支撑作用",
        "四、完善政策支持体系\n优化服务业财政金融支持政策。",
        "浙江省人民政府\n2026年5月30日",
        "浙江省人民政府文件\n浙政发〔2026〕16号",
        "推动检测认证结果国际互认。\n（责任单位：省市场监管局、省科技厅）",
        "实施标志性产业链突破工程\n牵头单位：省工业和信息化厅\n责任单位：省发展改革委",
        "加强版权国际运营能力建设。（责任单位：省版权局）\n各地各部门要强化统筹协调。",
    ],
)
def test_paragraphs_that_are_not_fragments(text: str) -> None:
    assert len(_paras(text)) == len(text.split("\n"))


def _codes(text: str) -> list[str]:
    return [n.code for n in build_outline(join_fragments(normalise_lines(text))).walk()]


def test_glued_items_are_split_when_the_number_continues() -> None:
    text = (
        "一、总则\n（一）要素\n"
        "1. 保障用地。推行“标准地”。（责任单位：市自然资源局）2. 强化金融。扩大首贷。\n"
        "3. 降低用能成本。落实电价政策，推进平台2.0建设；2.细化措施。4. 加强人才。引进人才。"
    )
    assert _codes(text) == [
        "一",
        "一.（一）",
        "一.（一）.1",
        "一.（一）.2",
        "一.（一）.3",
        "一.（一）.4",
    ]


def test_outline_keeps_front_and_back_matter_apart() -> None:
    outline = build_outline(
        join_fragments(
            normalise_lines(
                "浙政发〔2026〕16号\n为推进工作，现提出如下意见。\n一、总体要求\n（一）推进改革。"
                "（责任单位：省发展改革委）\n本意见自2026年7月15日起施行。\n浙江省人民政府\n2026年5月30日"
            )
        )
    )
    assert [p.text for p in outline.head] == ["浙政发〔2026〕16号", "为推进工作，现提出如下意见。"]
    assert outline.back == ["本意见自2026年7月15日起施行。", "浙江省人民政府", "2026年5月30日"]
    assert [n.code for n in outline.walk()] == ["一", "一.（一）"]


def test_numbering_gap_is_reported() -> None:
    notice = parse_notice_text(
        "某市人民政府关于推进工作的通知\n一、重点任务\n1. 推进甲。（责任单位：市发改委）\n"
        "3. 推进丙。（责任单位：市财政局）\n某市人民政府\n2026年1月5日"
    )
    assert [m.code for m in notice.measures] == ["一.1", "一.3"]
    assert "编号不连续：3 的前一条编号为 1" in notice.warnings
    assert "未找到文号" in notice.warnings


def test_orphan_paragraph_between_measures_is_reported() -> None:
    notice = parse_notice_text(
        "某市人民政府关于推进工作的通知\n一、重点任务\n1. 推进甲。（责任单位：市发改委）\n"
        "这一段落没有编号也没有归属，解析器应当指出来。\n2. 推进乙。（责任单位：市财政局）"
    )
    assert [m.text for m in notice.measures] == ["推进甲。", "推进乙。"]
    assert any(w.startswith("有段落未归入任何条目：这一段落没有编号") for w in notice.warnings)


_PIECES = st.sampled_from(
    [
        "一、",
        "（二）",
        "3.",
        "（4）",
        "推进",
        "改革",
        "建设10个园区",
        "。",
        "，",
        "、",
        "（",
        "）",
        "责任单位：",
        "牵头单位：",
        "省科技厅",
        "各设区市政府",
        "牵头",
        "按职责分工负责",
        "\n",
        "\n\n",
        "“",
        "”",
        "2026年5月30日",
        "浙政发〔2026〕16号",
        "#",
        "**",
        "(",
        ":",
    ]
)


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_any_text_parses_or_is_refused_in_chinese(text: str) -> None:
    try:
        notice = parse_notice_text(text)
    except NoticeFormatError as err:
        assert str(err)
    else:
        assert notice.measures
        for measure in notice.measures:
            assert set(measure.lead_units) <= set(measure.units)
            assert not set(measure.units) & set(measure.generic)
        notice.to_json_dict()


def _minimal(front: str, back: str = "某省人民政府\n2026年5月30日") -> str:
    return f"{front}\n一、重点任务\n（一）推进改革。（责任单位：省发展改革委）\n{back}"


@pytest.mark.parametrize(
    ("front", "doc_number"),
    [
        ("浙政发〔2026〕16号", "浙政发〔2026〕16号"),
        ("浙政发[2026]16号", "浙政发〔2026〕16号"),
        ("浙政发【2026】16号", "浙政发〔2026〕16号"),
        ("浙政发(2026)16号", "浙政发〔2026〕16号"),
        ("浙政发〔2026〕第16号", "浙政发〔2026〕16号"),
        ("浙江省人民政府文件 浙政发〔2026〕16号", "浙政发〔2026〕16号"),
        ("浙政办发 〔 2026 〕 7 号 签发人：张三", "浙政办发〔2026〕7号"),
        ("为贯彻《国务院关于推进工作的意见》（国发〔2024〕10号），现提出如下意见。", None),
    ],
)
def test_doc_number_variants(front: str, doc_number: str | None) -> None:
    assert parse_notice_text(_minimal(front)).doc_number == doc_number


def test_dates_in_chinese_numerals_and_effective_on_printing() -> None:
    notice = parse_notice_text(
        _minimal(
            "某省人民政府关于推进工作的通知\n某政发〔2026〕3号",
            "本通知自印发之日起施行。\n某省人民政府\n二〇二六年五月三十日\n某省人民政府办公厅2026年6月8日印发",
        )
    )
    assert notice.issued_on == date(2026, 5, 30)
    assert notice.effective_on == date(2026, 6, 8)
    assert notice.issuer == "某省人民政府"


def test_title_of_a_plan_printed_without_guanyu() -> None:
    """…行动方案（2026—2028年） is the title even without 关于, and stays its own line."""
    notice = parse_notice_text(
        _minimal(
            "某政办函〔2026〕44号\n某市跨境电商高质量发展行动方案（2026—2028年）\n为加快发展，制定本方案。"
        )
    )
    assert notice.title == "某市跨境电商高质量发展行动方案（2026—2028年）"
    assert "未找到文件标题" not in notice.warnings


def test_control_characters_of_a_text_file_are_removed() -> None:
    from desktop.core.notice.text import normalise_lines

    lines = normalise_lines("一、总体\x07要求\x1b[0m\x00\n（一）加快\x08发展")
    assert [line.text for line in lines] == ["一、总体要求[0m", "（一）加快发展"]


def test_jointly_issued_notice_lists_its_issuers_apart() -> None:
    notice = parse_notice_text(
        "江南省农业农村厅  江南省林业局  杭城海关\n关于印发《种苗进出口便利措施》的通知\n"
        "江农发〔2026〕3号\n各设区市农业农村局：\n现将《种苗进出口便利措施》印发给你们。\n"
        "一、优化通关\n（一）推行预约查验。（责任单位：杭城海关）\n"
    )
    assert notice.issuer == "江南省农业农村厅、江南省林业局、杭城海关"


@pytest.mark.parametrize(
    ("text", "issuers"),
    [
        ("某省交通运输厅某省公安厅", ["某省交通运输厅", "某省公安厅"]),
        ("中共某县委某县人民政府", ["中共某县委", "某县人民政府"]),
        # one body's name, not two issuers
        ("国务院办公厅", ["国务院办公厅"]),
        ("某省人民政府办公厅", ["某省人民政府办公厅"]),
        ("自然资源部国土空间规划局", ["自然资源部国土空间规划局"]),
        ("国家税务总局某省税务局", ["国家税务总局某省税务局"]),
    ],
)
def test_issuers_run_together(text: str, issuers: list[str]) -> None:
    assert split_issuers(text) == issuers


def test_title_naming_its_issuer_before_an_attached_documents_title() -> None:
    """A web page prints the title above the number; the attached document's own title
    (关于…若干措施) below the covering letter is not the notice's title."""
    notice = parse_notice_text(
        "某市人民政府办公室关于印发《关于促进夜间消费的若干措施》的通知\n某政办发〔2026〕7号\n"
        "各区人民政府：\n《关于促进夜间消费的若干措施》已经市政府同意，现印发给你们。\n"
        "某市人民政府办公室\n2026年4月9日\n关于促进夜间消费的若干措施\n"
        "一、丰富业态\n（一）发展夜间集市。（市商务局负责）\n"
    )
    assert notice.title == "某市人民政府办公室关于印发《关于促进夜间消费的若干措施》的通知"
    assert notice.issuer == "某市人民政府办公室"


def test_one_line_copy_with_its_covering_letter_signed() -> None:
    """…若干措施的通知 ends the title at 通知, not at 措施; the covering letter's signature
    and date run on after its last sentence still give the date."""
    notice = parse_notice_text(
        "某市人民政府办公室关于印发某市促进夜间消费若干措施的通知 某政办函〔2026〕8号"
        "各区人民政府，市政府各部门：现将《某市促进夜间消费若干措施》印发给你们，请认真组织实施。"
        "某市人民政府办公室2026年4月9日某市促进夜间消费若干措施为促进消费，制定如下措施。"
        "一、丰富业态（一）发展夜间集市。推进街区改造。（责任单位：市商务局）"
    )
    assert notice.doc_number == "某政办函〔2026〕8号"
    assert notice.title == "某市人民政府办公室关于印发某市促进夜间消费若干措施的通知"
    assert notice.issued_on == date(2026, 4, 9)
    assert [m.units for m in notice.measures] == [["市商务局"]]


def test_masthead_atop_a_new_page_leaves_the_text() -> None:
    """Hard-wrapped PDF copy: the page number, then 某市人民政府办公室文件 atop the next
    page, inside a sentence that goes on."""
    lines = normalise_lines(
        "某市人民政府办公室文件\n一、重点任务\n（一）推进示范区建设。在甲乙两地建设一批\n\n"
        "— 2 —\n\n某市人民政府办公室文件\n示范区，打造集聚区。（牵头单位：市农业农村局）\n"
    )
    texts = [line.text for line in lines]
    assert texts.count("某市人民政府办公室文件") == 1  # the masthead of the first page stays
    assert texts[-1].startswith("示范区")
    # the same line in the body, not after a page number, is kept
    assert len(normalise_lines("一、任务\n某市人民政府办公室文件\n")) == 2
