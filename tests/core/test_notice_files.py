"""Reading notice files: encodings, .docx, and clear Chinese refusals for everything else."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from docx import Document

from desktop.core.notice import parse_notice_file, parse_notice_text, read_notice_file
from desktop.errors import NoticeFormatError, UserError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"
SAMPLE = FIXTURES / "gd-2026-5-lead-coop.txt"


def _summary(path: Path) -> list[tuple[str, list[str], list[str]]]:
    return [(m.code, m.units, m.lead_units) for m in parse_notice_file(path).measures]


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("gb18030.txt", lambda t: t.encode("gb18030")),
        ("gbk.txt", lambda t: t.encode("gbk")),
        ("bom.txt", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
        ("utf16.txt", lambda t: t.encode("utf-16")),
        ("notice.md", lambda t: t.encode("utf-8")),
        ("UPPER.TXT", lambda t: t.encode("utf-8")),
    ],
)
def test_text_encodings(tmp_path: Path, name: str, encode: object) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(encode(text))  # type: ignore[operator]
    assert read_notice_file(path).replace("\r\n", "\n") == text
    assert _summary(path) == _summary(SAMPLE)
    assert not parse_notice_file(path).source_text.startswith("\ufeff")


def test_docx_paragraphs_and_table_cells_in_order(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("江苏省人民政府文件")
    document.add_paragraph("苏政发〔2026〕30号")
    document.add_heading("江苏省人民政府关于促进服务消费的实施意见", level=1)
    document.add_paragraph("各市、县（市、区）人民政府，省各委办厅局，省各直属单位：")
    document.add_paragraph("为扩大服务消费，现提出如下意见。")
    document.add_paragraph("一、扩大餐饮消费")
    document.add_paragraph(
        "（一）发展特色餐饮。培育“苏菜”品牌，认定省级特色美食街区50个。"
        "（牵头单位：省商务厅；责任单位：省文化和旅游厅、省市场监管局）"
    )
    document.add_paragraph("（二）发展夜间经济。建设夜间消费集聚区。（省商务厅牵头，省公安厅配合）")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "附表"
    table.cell(0, 1).text = "说明"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "合并单元格只读一次"
    document.add_paragraph("江苏省人民政府")
    document.add_paragraph("2026年6月1日")
    path = tmp_path / "notice.docx"
    document.save(str(path))

    text = read_notice_file(path)
    lines = text.split("\n")
    assert lines.index(
        "（二）发展夜间经济。建设夜间消费集聚区。（省商务厅牵头，省公安厅配合）"
    ) < lines.index("附表")
    assert lines.index("附表") < lines.index("说明") < lines.index("江苏省人民政府")
    assert lines.count("合并单元格只读一次") == 1

    notice = parse_notice_file(path)
    assert notice.doc_number == "苏政发〔2026〕30号"
    assert notice.title == "江苏省人民政府关于促进服务消费的实施意见"
    assert notice.issued_on is not None and notice.issued_on.isoformat() == "2026-06-01"
    assert [(m.code, m.lead_units) for m in notice.measures] == [
        ("一.（一）", ["省商务厅"]),
        ("一.（二）", ["省商务厅"]),
    ]
    assert notice.measures[0].targets[0].subject == "省级特色美食街区"


def _refused(path: Path) -> str:
    with pytest.raises(NoticeFormatError) as info:
        read_notice_file(path)
    message = str(info.value)
    assert isinstance(info.value, UserError)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    return message


def test_garbage_binary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(random.Random(16).randbytes(4096))
    assert "无法识别文件内容" in _refused(path)


def test_control_characters_without_nul_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(1, 32)) * 20 + "通知".encode())
    assert "控制字符" in _refused(path)


@pytest.mark.parametrize(
    "content", [b"", b"   \r\n\n\t", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n"]
)
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _refused(path).startswith("文件为空")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 Word"),
        ("sheet.xlsx", b"PK\x03\x04", "不支持的文件类型"),
        ("renamed.txt", b"PK\x03\x04" + b"\0" * 64, "压缩包或 Word 文件"),
        ("broken.docx", "这不是Word文件".encode(), "无法打开 Word 文件"),
    ],
)
def test_wrong_kinds_of_file_are_refused(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in _refused(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "找不到文件" in _refused(tmp_path / "nope.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "不是文件" in _refused(folder)


def test_empty_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    Document().save(str(path))
    assert _refused(path).startswith("文件为空")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "文件为空"),
        ("\n \n---\n", "文件为空"),
        ("The quick brown fox jumps over the lazy dog. " * 20, "无法识别文件内容"),
        (
            "会议纪要：今天天气很好，大家讨论了下一步的工作安排，没有形成编号条目。" * 3,
            "未找到任何条目",
        ),
    ],
)
def test_text_that_is_not_a_notice(text: str, expected: str) -> None:
    with pytest.raises(NoticeFormatError, match=expected):
        parse_notice_text(text)
