"""PDF and OFD notices, old office formats, and files built to hurt the readers.

The built-in notice drawn as a printed 公文 (PDF, with a running header and page numbers)
and written as a minimal OFD must give the same 38 measures as its text. Hostile files —
zip bombs, DTD entities, page floods, damaged streams — are refused with one Chinese line
(``NoticeFormatError``), never with another exception.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from desktop.core.notice import ParsedNotice, parse_notice_file
from desktop.core.notice.budget import MB, NoticeBudget
from desktop.core.notice.ofd_reader import read_ofd
from desktop.errors import NoticeFormatError
from tests.core.notice_samples import ofd_members, write_ofd, write_pdf, write_table_pdf

ROOT = Path(__file__).resolve().parents[2]
NOTICE = ROOT / "resources" / "notices" / "zjzf-2026-16.txt"
SOURCE = NOTICE.read_text(encoding="utf-8")


def _essence(notice: ParsedNotice) -> list[tuple[Any, ...]]:
    return [
        (m.code, m.units, m.lead_units, m.joint, m.generic, "".join((m.title + m.text).split()))
        for m in notice.measures
    ]


@pytest.fixture(scope="module")
def reference() -> ParsedNotice:
    return parse_notice_file(NOTICE)


def _same(notice: ParsedNotice, reference: ParsedNotice) -> None:
    assert len(notice.measures) == 38
    strip = str.maketrans("", "", "。")
    assert [(*e[:5], e[5].translate(strip)) for e in _essence(notice)] == [
        (*e[:5], e[5].translate(strip)) for e in _essence(reference)
    ]
    assert (notice.doc_number, notice.title, notice.issued_on, notice.effective_on) == (
        reference.doc_number,
        reference.title,
        reference.issued_on,
        reference.effective_on,
    )


def test_builtin_notice_as_printed_pdf(tmp_path: Path, reference: ParsedNotice) -> None:
    path = write_pdf(SOURCE, tmp_path / "zjzf.pdf", header="浙江省人民政府文件")
    notice = parse_notice_file(path)
    _same(notice, reference)
    assert all("— " not in m.text and "人民政府文件" not in m.text for m in notice.measures)


def test_builtin_notice_as_pdf_indented_by_position(
    tmp_path: Path, reference: ParsedNotice
) -> None:
    path = write_pdf(SOURCE, tmp_path / "zjzf.pdf", positioned_indent=True)
    _same(parse_notice_file(path), reference)


@pytest.mark.parametrize("pieces", [1, 3, 40], ids=["line", "three-runs", "per-character"])
def test_builtin_notice_as_ofd(tmp_path: Path, reference: ParsedNotice, pieces: int) -> None:
    path = write_ofd(SOURCE, tmp_path / "zjzf.ofd", members=ofd_members(SOURCE, pieces=pieces))
    _same(parse_notice_file(path), reference)


_TABLE_NOTICE = ROOT / "tests" / "fixtures" / "notices" / "jl-2026-7-space-table.txt"
_TABLE_ROWS = [
    ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
    ["一、提振大宗消费"],
    [
        "1",
        "开展汽车以旧换新，全年带动汽车销售15万辆以上",
        "省商务厅",
        "省财政厅、省公安厅，各市（州）人民政府",
        "2026年12月底",
    ],
    [
        "2",
        "实施家电家居焕新行动，支持家装厨卫“小换新”，推动智能家电进社区、进乡村",
        "省商务厅、省工业和信息化厅",
        "省市场监管厅",
        "2026年12月底",
    ],
    ["3", "优化住房消费环境，落实住房公积金支持政策", "省住房城乡建设厅", "", "持续推进"],
    ["二、扩大服务消费"],
    [
        "4",
        "丰富冰雪旅游产品，打造冰雪消费集聚区10个",
        "省文化和旅游厅",
        "省体育局，长白山管委会",
        "2026年12月底",
    ],
    [
        "5",
        "发展银发经济，扩大社区助餐服务覆盖面",
        "省民政厅",
        "省卫生健康委、省商务厅",
        "2026年10月底",
    ],
    [
        "6",
        "推动托育服务扩容，新增普惠托位5000个",
        "省卫生健康委",
        "省发展改革委、省教育厅",
        "2026年12月底",
    ],
    ["三、改善消费环境"],
    [
        "7",
        "完善县域商业体系，建设乡镇商贸中心50个",
        "省商务厅",
        "省供销社、省邮政管理局",
        "2026年11月底",
    ],
    [
        "8",
        "加大消费信贷支持，鼓励金融机构降低消费贷款利率",
        "省委金融办、人民银行吉林省分行",
        "国家金融监督管理总局吉林监管局",
        "持续推进",
    ],
    ["9", "开展放心消费行动，畅通消费维权渠道", "省市场监管厅", "省有关部门", "每季度"],
]


@pytest.mark.parametrize(
    "widths", [(12, 62, 30, 40, 22), (10, 50, 24, 30, 18), (14, 45, 20, 26, 16)]
)
def test_ruled_task_table_in_a_pdf(tmp_path: Path, widths: tuple[float, ...]) -> None:
    """A 分工表 drawn as a ruled table: every cell wrapped at its column's width (narrow
    columns wrap the header too: 序 / 号), the header repeated on each page."""
    lines = [line for line in _TABLE_NOTICE.read_text(encoding="utf-8").splitlines() if line]
    head = lines[: lines.index("序号 重点任务 牵头单位 配合单位 完成时限")]
    tail = [line for line in lines if line.startswith(("抄送", "吉林省人民政府办公厅 "))]
    path = write_table_pdf(head, _TABLE_ROWS, tail, tmp_path / "table.pdf", widths=widths)
    reference = parse_notice_file(_TABLE_NOTICE)
    notice = parse_notice_file(path)
    assert [(m.code, m.units, m.lead_units, m.joint, m.generic) for m in notice.measures] == [
        (m.code, m.units, m.lead_units, m.joint, m.generic) for m in reference.measures
    ]
    assert [m.text for m in notice.measures] == [m.text for m in reference.measures]


def test_pdf_or_ofd_under_another_name_is_read_by_content(
    tmp_path: Path, reference: ParsedNotice
) -> None:
    pdf = write_pdf(SOURCE, tmp_path / "saved-as.txt")
    assert len(parse_notice_file(pdf).measures) == 38
    ofd = write_ofd(SOURCE, tmp_path / "from-oa.zip")
    assert len(parse_notice_file(ofd).measures) == 38


def test_scanned_pdf_says_so(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 400, 600, fill=1)  # a page with marks but no text layer
    pdf.showPage()
    pdf.save()
    with pytest.raises(NoticeFormatError, match="扫描件"):
        parse_notice_file(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog", "无法打开 PDF 文件"),
        (b"%PDF-1.4\n" + b"\x00" * 4096, "PDF"),
    ],
)
def test_damaged_pdf(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(NoticeFormatError, match=expected):
        parse_notice_file(path)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".doc"),
        ("notice.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".wps"),
        ("table.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".et"),
        ("renamed.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".doc"),
    ],
)
def test_old_formats_name_the_format_and_say_what_to_do(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(NoticeFormatError) as caught:
        parse_notice_file(path)
    message = str(caught.value)
    assert f"（{kind}）" in message and "另存为" in message and ".docx" in message
    assert "\n" not in message


def _ofd(tmp_path: Path, members: dict[str, str | bytes]) -> Path:
    path = tmp_path / "hostile.ofd"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return path


def _refused(path: Path, budget: NoticeBudget | None = None) -> str:
    with pytest.raises(NoticeFormatError) as caught:
        if budget is None:
            parse_notice_file(path)
        else:
            read_ofd(path, budget)
    message = str(caught.value)
    assert message and "\n" not in message
    return message


def test_ofd_zip_bomb_is_refused(tmp_path: Path) -> None:
    members: dict[str, str | bytes] = dict(
        ofd_members("一、测试\n（一）测试。（责任单位：省发展改革委）")
    )
    members["Doc_0/Pages/Page_0/Content.xml"] = b"<a>" + b" " * (40 * MB) + b"</a>"
    assert "超出" in _refused(_ofd(tmp_path, members))


def test_ofd_lying_sizes_are_caught_while_reading(tmp_path: Path) -> None:
    members = ofd_members(SOURCE)
    path = _ofd(tmp_path, dict(members))
    budget = NoticeBudget(path.name, member_bytes=2048)  # real members are larger than this
    assert "超出" in _refused(path, budget)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda m: m.pop("OFD.xml"), id="no-ofd-xml"),
        pytest.param(lambda m: m.pop("Doc_0/Document.xml"), id="no-document"),
        pytest.param(lambda m: m.update({"OFD.xml": "<ofd:OFD><unclosed>"}), id="broken-xml"),
        pytest.param(
            lambda m: m.update(
                {
                    "OFD.xml": '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><OFD><DocRoot>&b;</DocRoot></OFD>'
                }
            ),
            id="entities",
        ),
        pytest.param(
            lambda m: m.update(
                {"OFD.xml": "<OFD><DocBody><DocRoot>../../etc/passwd</DocRoot></DocBody></OFD>"}
            ),
            id="path-outside",
        ),
        pytest.param(
            lambda m: m.update(
                {"Doc_0/Pages/Page_0/Content.xml": "<Page>" + "<b/>" * 600_000 + "</Page>"}
            ),
            id="element-flood",
        ),
    ],
)
def test_damaged_or_hostile_ofd_is_refused(tmp_path: Path, mutate: Any) -> None:
    members: dict[str, str | bytes] = dict(ofd_members(SOURCE))
    mutate(members)
    _refused(_ofd(tmp_path, members))


def test_ofd_with_too_many_pages_is_refused(tmp_path: Path) -> None:
    members = ofd_members(SOURCE)
    pages = "".join(f'<Page ID="{i}" BaseLoc="Pages/Page_0/Content.xml"/>' for i in range(2500))
    members["Doc_0/Document.xml"] = f"<Document><Pages>{pages}</Pages></Document>"
    assert "页" in _refused(_ofd(tmp_path, dict(members)))


def test_not_a_zip_named_ofd(tmp_path: Path) -> None:
    path = tmp_path / "fake.ofd"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "OFD" in _refused(path) or "不支持" in _refused(path)


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (40 * MB))
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert "超出" in _refused(path)


def test_pdf_page_with_oversized_content_is_refused(tmp_path: Path) -> None:
    from desktop.core.notice.pdf_reader import read_pdf

    path = write_pdf(SOURCE, tmp_path / "zjzf.pdf")
    with pytest.raises(NoticeFormatError, match="超出"):
        read_pdf(path, NoticeBudget(path.name, page_bytes=1024))


def test_pdf_with_too_many_pages_is_refused(tmp_path: Path) -> None:
    from desktop.core.notice.pdf_reader import read_pdf

    path = write_pdf(SOURCE, tmp_path / "zjzf.pdf")
    with pytest.raises(NoticeFormatError, match="13 页"):
        read_pdf(path, NoticeBudget(path.name, pages=5))


@pytest.mark.parametrize("kind", ["pdf", "ofd"])
def test_damaged_bytes_give_a_message_or_a_notice_never_another_error(
    tmp_path: Path, kind: str
) -> None:
    """Bytes flipped and files cut short: one Chinese line or a parsed notice, nothing else."""
    import random

    source = tmp_path / f"good.{kind}"
    if kind == "pdf":
        write_pdf(SOURCE, source)
    else:
        write_ofd(SOURCE, source)
    good = source.read_bytes()
    rng = random.Random(20)
    for trial in range(24):
        data = bytearray(good)
        if trial % 3 == 0:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randrange(1, 40)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"bad-{trial}.{kind}"
        path.write_bytes(bytes(data))
        try:
            parse_notice_file(path)
        except NoticeFormatError as err:
            assert str(err) and "\n" not in str(err)


def test_damaged_pdf_on_the_command_line_says_one_line(tmp_path: Path) -> None:
    """pypdf's repair notes stay out of the user's way: stderr holds our line only."""
    import subprocess
    import sys

    path = write_pdf(SOURCE, tmp_path / "zjzf.pdf")
    data = bytearray(path.read_bytes())
    for at in range(len(data) // 3, len(data) // 3 + 400, 7):
        data[at] = 0x33
    path.write_bytes(bytes(data))
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "notice", "parse", str(path), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    lines = result.stderr.strip().splitlines()
    if result.returncode == 0:
        assert lines == [] and result.stdout.startswith("{")
    else:
        assert result.returncode == 2 and len(lines) == 1, result.stderr[-400:]


def test_pdf_whose_text_is_not_chinese_says_so(tmp_path: Path) -> None:
    """Fonts without a code table give Latin garbage in place of the characters."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "garbled.pdf"
    pdf = canvas.Canvas(str(path))
    for row in range(30):
        pdf.drawString(40, 800 - row * 20, "x#3$%&'()*+,-./0123456789:;<=>?@ABCD" * 2)
    pdf.showPage()
    pdf.save()
    with pytest.raises(NoticeFormatError, match="无法提取为中文"):
        parse_notice_file(path)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\0" * 100_000_000, id="stream-over-pypdf-limit"),
        pytest.param(b"BT /F1 12 Tf (a) Tj ET\n" * 200_000, id="page-of-many-commands"),
    ],
)
def test_pdf_decompression_bombs_are_refused(tmp_path: Path, content: bytes) -> None:
    from tests.core.notice_samples import pdf_with_content

    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with_content(content))
    assert "超出" in _refused(path)


@pytest.mark.parametrize(
    "flood",
    [b"<w:p/>" * 30_000, b"<w:p>" + b"<w:r/>" * 310_000 + b"</w:p>"],
    ids=["paragraphs", "runs"],
)
def test_docx_element_floods_are_refused(tmp_path: Path, flood: bytes) -> None:
    from docx import Document

    plain = tmp_path / "plain.docx"
    Document().save(str(plain))
    path = tmp_path / "flood.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + flood, 1)
            out.writestr(info.filename, data)
    assert "超出" in _refused(path)
