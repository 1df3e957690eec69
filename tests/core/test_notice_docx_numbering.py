"""Word's automatic list numbering in .docx notices: the numbers come back in front of the text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from desktop.core.notice import parse_notice_file, parse_notice_text, read_notice_file
from desktop.core.notice.docx_numbering import DocxNumbering, format_number
from desktop.errors import NoticeFormatError

W = nsdecls("w")

# 一、 / （一） / 1. — the outline of a Chinese government notice as a multilevel list.
OUTLINE_LEVELS = """
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
  <w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
  <w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
  <w:lvlText w:val="%3."/></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
  <w:lvlText w:val="（%4）"/></w:lvl>
"""

FRONT = [
    "江苏省人民政府文件",
    "苏政发〔2026〕30号",
    "江苏省人民政府关于促进服务消费的实施意见",
    "各市、县（市、区）人民政府，省各委办厅局，省各直属单位：",
    "为扩大服务消费，现提出如下意见。",
]
# (level or None for an unnumbered paragraph, text without its number, typed number)
BODY: list[tuple[int | None, str, str]] = [
    (0, "扩大餐饮消费", "一、"),
    (
        1,
        "发展特色餐饮。培育“苏菜”品牌，认定省级特色美食街区50个。"
        "（牵头单位：省商务厅；责任单位：省文化和旅游厅、省市场监管局）",
        "（一）",
    ),
    (1, "提升餐饮服务品质。", "（二）"),
    (2, "推广明厨亮灶。年底前覆盖率达到90%。（省市场监管局负责）", "1."),
    (2, "发展预制菜产业。培育龙头企业10家。（省农业农村厅、省商务厅按职责分工负责）", "2."),
    (0, "发展文旅消费", "二、"),
    (1, "丰富旅游产品。（省文化和旅游厅牵头，省发展改革委配合）", "（一）"),
    (2, "建设旅游度假区。新增省级旅游度假区5家。（省文化和旅游厅负责）", "1."),
    (None, "各地各部门要加强组织领导，确保各项措施落到实处。", ""),
]
BACK = ["江苏省人民政府", "2026年6月1日"]


def _typed_text() -> str:
    body = [number + text for _, text, number in BODY]
    return "\n".join([*FRONT, *body, *BACK])


def _numbering(document: DocxDocument) -> Any:
    return document.part.numbering_part.element


def add_list(
    document: DocxDocument,
    abstract_id: int,
    num_id: int,
    levels: str,
    *,
    overrides: str = "",
    extra: str = "",
) -> None:
    """Define abstract list ``abstract_id`` with ``levels`` and the instance ``num_id``."""
    root = _numbering(document)
    abstract = parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{extra}{levels}</w:abstractNum>'
    )
    first_num = root.find(qn("w:num"))
    if first_num is None:
        root.append(abstract)
    else:
        first_num.addprevious(abstract)  # the schema wants every abstractNum before the nums
    add_num(document, num_id, abstract_id, overrides)


def add_num(document: DocxDocument, num_id: int, abstract_id: int, overrides: str = "") -> None:
    _numbering(document).append(
        parse_xml(
            f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            f"{overrides}</w:num>"
        )
    )


def number(paragraph: Paragraph, num_id: int | str, ilvl: int | str | None = 0) -> Paragraph:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        num_pr.append(parse_xml(f'<w:ilvl {W} w:val="{ilvl}"/>'))
    num_pr.append(parse_xml(f'<w:numId {W} w:val="{num_id}"/>'))
    return paragraph


def _save(document: DocxDocument, path: Path) -> Path:
    document.save(str(path))
    return path


def _summary(notice: Any) -> list[tuple[str, str, list[str], list[str]]]:
    return [(m.code, m.title, m.units, m.lead_units) for m in notice.measures]


def _sections(notice: Any) -> list[tuple[str, str]]:
    return [(s.code, s.title) for s in notice.sections]


def _outline_document(numbered: Any, document: DocxDocument | None = None) -> DocxDocument:
    """The sample notice; ``numbered(document, paragraph, level)`` numbers a body paragraph."""
    document = document or Document()
    for line in FRONT:
        document.add_paragraph(line)
    for level, text, _ in BODY:
        paragraph = document.add_paragraph(text)
        if level is not None:
            numbered(document, paragraph, level)
    for line in BACK:
        document.add_paragraph(line)
    return document


def test_outline_numbers_come_back(tmp_path: Path) -> None:
    def numbered(document: DocxDocument, paragraph: Paragraph, level: int) -> None:
        number(paragraph, 101, level)

    document = _outline_document(numbered)
    add_list(document, 90, 101, OUTLINE_LEVELS)
    path = _save(document, tmp_path / "numbered.docx")

    lines = read_notice_file(path).split("\n")
    assert "一、扩大餐饮消费" in lines
    assert "二、发展文旅消费" in lines
    assert "（二）提升餐饮服务品质。" in lines
    assert lines.count("1. 推广明厨亮灶。年底前覆盖率达到90%。（省市场监管局负责）") == 1
    assert "1. 建设旅游度假区。新增省级旅游度假区5家。（省文化和旅游厅负责）" in lines
    assert "各地各部门要加强组织领导，确保各项措施落到实处。" in lines

    expected = parse_notice_text(_typed_text())
    notice = parse_notice_file(path)
    assert len(expected.measures) >= 4
    assert _summary(notice) == _summary(expected)
    assert _sections(notice) == _sections(expected)
    assert notice.title == expected.title
    assert "一.（二）.2" in [m.code for m in notice.measures]


def test_numbering_inherited_from_styles(tmp_path: Path) -> None:
    def numbered(document: DocxDocument, paragraph: Paragraph, level: int) -> None:
        if level == 0:
            paragraph.style = document.styles["公文一级标题"]
        elif level == 1:
            paragraph.style = document.styles["公文二级标题"]
        else:
            paragraph.style = document.styles["公文条目"]

    document = Document()
    styles = document.styles
    h1 = styles.add_style("公文一级标题", WD_STYLE_TYPE.PARAGRAPH)
    base = styles.add_style("公文二级基础", WD_STYLE_TYPE.PARAGRAPH)
    h2 = styles.add_style("公文二级标题", WD_STYLE_TYPE.PARAGRAPH)
    h2.base_style = base  # numbering reaches 公文二级标题 through w:basedOn
    item = styles.add_style("公文条目", WD_STYLE_TYPE.PARAGRAPH)
    for style, ilvl in ((h1, None), (base, 1), (item, 2)):
        num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
        if ilvl is not None:
            num_pr.append(parse_xml(f'<w:ilvl {W} w:val="{ilvl}"/>'))
        num_pr.append(parse_xml(f'<w:numId {W} w:val="102"/>'))
    _outline_document(numbered, document)
    add_list(document, 91, 102, OUTLINE_LEVELS)
    path = _save(document, tmp_path / "styled.docx")

    expected = parse_notice_text(_typed_text())
    notice = parse_notice_file(path)
    assert _summary(notice) == _summary(expected)
    assert _sections(notice) == _sections(expected)


def test_level_found_through_pstyle_link_and_numid_zero(tmp_path: Path) -> None:
    """A style with numId only takes the level whose w:pStyle names it; numId 0 turns off."""
    document = Document()
    levels = OUTLINE_LEVELS.replace(
        '<w:lvl w:ilvl="1"><w:start w:val="1"/>',
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:pStyle w:val="Sub"/>',
    )
    sub = document.styles.add_style("Sub", WD_STYLE_TYPE.PARAGRAPH)
    sub.element.get_or_add_pPr().get_or_add_numPr().append(parse_xml(f'<w:numId {W} w:val="103"/>'))
    add_list(document, 92, 103, levels)
    number(document.add_paragraph("总体要求"), 103, 0)
    document.add_paragraph("指导思想", style="Sub")
    number(document.add_paragraph("不编号的段落", style="Sub"), 0, None)
    document.add_paragraph("工作目标", style="Sub")
    lines = read_notice_file(_save(document, tmp_path / "link.docx")).split("\n")
    assert lines == ["一、总体要求", "（一）指导思想", "不编号的段落", "（二）工作目标"]


def test_restart_with_start_override(tmp_path: Path) -> None:
    document = Document()
    decimal = '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    decimal += '<w:lvlText w:val="%1."/></w:lvl>'
    add_list(document, 93, 104, decimal)
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    add_num(document, 105, 93, restart)
    from_five = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>'
    add_num(document, 106, 93, from_five)
    for text in ("甲", "乙", "丙"):
        number(document.add_paragraph(text), 104)
    for text in ("丁", "戊"):
        number(document.add_paragraph(text), 105)
    number(document.add_paragraph("己"), 106)
    number(document.add_paragraph("庚"), 106)
    lines = read_notice_file(_save(document, tmp_path / "restart.docx")).split("\n")
    assert lines == ["1. 甲", "2. 乙", "3. 丙", "1. 丁", "2. 戊", "5. 己", "6. 庚"]


def test_deeper_levels_restart_and_legal_numbering(tmp_path: Path) -> None:
    document = Document()
    levels = """
    <w:lvl w:ilvl="0"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl>
    <w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>
      <w:isLgl/></w:lvl>
    <w:lvl w:ilvl="2"><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%3"/>
      <w:lvlRestart w:val="0"/></w:lvl>
    """
    add_list(document, 94, 107, levels)
    for ilvl, text in [(0, "总则"), (1, "目的"), (2, "甲"), (1, "范围"), (0, "附则"), (1, "解释")]:
        number(document.add_paragraph(text), 107, ilvl)
    number(document.add_paragraph("乙"), 107, 2)
    lines = read_notice_file(_save(document, tmp_path / "legal.docx")).split("\n")
    assert lines == [
        "第一章 总则",
        "1.1 目的",
        "① 甲",
        "1.2 范围",
        "第二章 附则",
        "2.1 解释",
        "② 乙",  # lvlRestart 0: never restarts
    ]


def test_bullets_and_template_list_styles(tmp_path: Path) -> None:
    document = Document()
    bullet = '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
    bullet += '<w:lvlText w:val="•"/></w:lvl>'
    add_list(document, 95, 108, bullet)
    number(document.add_paragraph("加强组织领导。"), 108)
    number(document.add_paragraph("强化资金保障。"), 108)
    document.add_paragraph("要点一", style="List Bullet")
    document.add_paragraph("第一项", style="List Number")  # the template's own numbered style
    document.add_paragraph("第二项", style="List Number")
    lines = read_notice_file(_save(document, tmp_path / "bullets.docx")).split("\n")
    assert lines == ["加强组织领导。", "强化资金保障。", "要点一", "1. 第一项", "2. 第二项"]


def test_empty_numbered_paragraph_counts_but_stays_empty(tmp_path: Path) -> None:
    document = Document()
    add_list(document, 96, 109, OUTLINE_LEVELS)
    number(document.add_paragraph("总体要求"), 109, 0)
    number(document.add_paragraph(""), 109, 0)
    number(document.add_paragraph("保障措施"), 109, 0)
    lines = read_notice_file(_save(document, tmp_path / "empty.docx")).split("\n")
    assert lines == ["一、总体要求", "", "三、保障措施"]


MALFORMED = {
    "missing num": ("", 999, 0),
    "missing abstract": ('<w:num w:numId="120"><w:abstractNumId w:val="777"/></w:num>', 120, 0),
    "missing level": (
        '<w:abstractNum w:abstractNumId="97"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="121"><w:abstractNumId w:val="97"/></w:num>',
        121,
        5,
    ),
    "junk values": (
        '<w:abstractNum w:abstractNumId="x"/>'
        '<w:abstractNum w:abstractNumId="98"><w:lvl w:ilvl="zero"/><w:lvl><w:start w:val="a"/>'
        "</w:lvl></w:abstractNum>"
        '<w:num w:numId="oops"><w:abstractNumId w:val="98"/></w:num>'
        '<w:num w:numId="122"><w:abstractNumId/>'
        '<w:lvlOverride w:ilvl="99"><w:startOverride w:val="q"/></w:lvlOverride></w:num>',
        122,
        "one",
    ),
    "style link cycle": (
        '<w:abstractNum w:abstractNumId="99"><w:numStyleLink w:val="Loop"/></w:abstractNum>'
        '<w:num w:numId="123"><w:abstractNumId w:val="99"/></w:num>',
        123,
        0,
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_numbering_falls_back_to_plain_text(tmp_path: Path, case: str) -> None:
    xml, num_id, ilvl = MALFORMED[case]
    document = Document()
    root = _numbering(document)
    for child in parse_xml(f"<w:numbering {W}>{xml}</w:numbering>"):
        root.append(child)
    loop = document.styles.add_style("Loop", WD_STYLE_TYPE.PARAGRAPH)
    loop.element.get_or_add_pPr().get_or_add_numPr().append(
        parse_xml(f'<w:numId {W} w:val="123"/>')
    )
    loop.element.append(parse_xml(f'<w:basedOn {W} w:val="Loop"/>'))  # a basedOn cycle too
    document.add_paragraph("一、总体要求")
    number(document.add_paragraph("（一）指导思想。"), num_id, ilvl)
    document.add_paragraph("在循环样式中", style="Loop")
    lines = read_notice_file(_save(document, tmp_path / "bad.docx")).split("\n")
    assert lines == ["一、总体要求", "（一）指导思想。", "在循环样式中"]


def test_rendering_failure_reads_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = Document()
    add_list(document, 96, 110, OUTLINE_LEVELS)
    number(document.add_paragraph("总体要求"), 110, 0)

    def broken(self: DocxNumbering, paragraph: Paragraph) -> str:
        raise AttributeError("boom")

    monkeypatch.setattr(DocxNumbering, "text", broken)
    assert read_notice_file(_save(document, tmp_path / "plain.docx")) == "总体要求"


def test_numbering_part_that_is_not_xml_is_a_format_error(tmp_path: Path) -> None:
    path = _save(Document(), tmp_path / "good.docx")
    broken = tmp_path / "broken-numbering.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(
                info, b"<w:numbering" if info.filename.endswith("numbering.xml") else data
            )
    broken.write_bytes(buffer.getvalue())
    with pytest.raises(NoticeFormatError, match="无法打开 Word 文件"):
        read_notice_file(broken)


@pytest.mark.parametrize(
    ("fmt", "values", "expected"),
    [
        ("chineseCounting", (1, 10, 11, 20, 21, 99), "一 十 十一 二十 二十一 九十九"),
        ("chineseCountingThousand", (1, 10, 11, 20, 21, 105), "一 十 十一 二十 二十一 一百零五"),
        ("japaneseCounting", (1, 10, 11, 20, 100), "一 十 十一 二十 百"),
        ("ideographTraditional", (1, 2, 3, 10, 11), "甲 乙 丙 癸 甲"),
        ("decimalFullWidth", (1, 12), "１ １２"),
        ("decimalEnclosedCircle", (1, 10, 21), "① ⑩ ㉑"),
        ("decimalEnclosedCircleChinese", (3, 60), "③ 60"),
        ("upperLetter", (1, 26, 27), "A Z AA"),
        ("lowerLetter", (2,), "b"),
        ("upperRoman", (4, 9, 14), "IV IX XIV"),
        ("lowerRoman", (3,), "iii"),
        ("decimal", (7,), "7"),
        ("somethingNew", (7,), "7"),
    ],
)
def test_number_formats(fmt: str, values: tuple[int, ...], expected: str) -> None:
    assert " ".join(format_number(n, fmt) for n in values) == expected
