"""The PDF file format as our writer puts it down: every object where the cross-reference
table says, names and text strings escaped as the format requires, a file readers accept
in their strict modes."""

from __future__ import annotations

import re
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.core.reports import SignOff, write_ledger_pdf
from desktop.core.reports.pdf_file import PdfFile, name, number, text_string
from tests.core.ledger_samples import sample_document


def test_names_escape_what_the_format_reserves() -> None:
    assert name("ABCDEF+SimSun") == "/ABCDEF+SimSun"
    assert name("A B(c)/#") == "/A#20B#28c#29#2F#23"
    assert name("宋") == "/#E5#AE#8B"  # UTF-8 bytes, each written as #xx


def test_text_strings_are_utf16_with_a_byte_order_mark() -> None:
    assert text_string("台账") == "<FEFF53F08D26>"
    assert text_string("") == "<FEFF>"


def test_numbers_are_short_and_exact() -> None:
    assert [number(v) for v in (0, 12.0, -3, 841.8898, 0.5, 1 / 3)] == [
        "0",
        "12",
        "-3",
        "841.8898",
        "0.5",
        "0.33333",
    ]


def test_a_small_file_by_hand(tmp_path: Path) -> None:
    pdf = PdfFile()
    catalog, pages, info = pdf.reserve(), pdf.reserve(), pdf.reserve()
    content = pdf.add_stream(b"0 0 m 100 100 l S")
    page = pdf.add(
        f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 200 200] /Contents {content} 0 R >>"
    )
    pdf.put(pages, f"<< /Type /Pages /Count 1 /Kids [{page} 0 R] >>")
    pdf.put(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>")
    pdf.put(info, f"<< /Title {text_string('清单台账')} >>")
    path = tmp_path / "small.pdf"
    with open(path, "wb") as out:
        pdf.write(out, catalog, info)
    reader = PdfReader(path, strict=True)
    assert len(reader.pages) == 1 and reader.metadata is not None
    assert reader.metadata.title == "清单台账"
    assert reader.pages[0].get_contents().get_data() == b"0 0 m 100 100 l S"  # type: ignore[union-attr]


def test_an_object_never_set_is_a_bug_not_a_broken_file(tmp_path: Path) -> None:
    pdf = PdfFile()
    root = pdf.reserve()
    info = pdf.add("<< >>")
    with open(tmp_path / "x.pdf", "wb") as out, pytest.raises(ValueError, match="never set"):
        pdf.write(out, root, info)


@pytest.fixture(scope="module")
def ledger(ledger_font: str, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    doc = sample_document(60)
    doc.signoff = SignOff("示例县发展和改革局", "张三", "李四", "0571-12345678", "2027年7月5日")
    path = tmp_path_factory.mktemp("file") / "ledger.pdf"
    write_ledger_pdf(doc, path)
    return path.read_bytes()


def test_every_object_is_where_the_table_says(ledger: bytes) -> None:
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", ledger).group(1))  # type: ignore[union-attr]
    assert ledger[start:].startswith(b"xref\n0 ")
    head = re.match(rb"xref\n0 (\d+)\n", ledger[start:])
    assert head is not None
    size = int(head.group(1))
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf]) \n", ledger[start:])
    assert len(entries) == size and entries[0] == (b"0000000000", b"65535", b"f")
    for num, (offset, _gen, kind) in enumerate(entries[1:], 1):
        assert kind == b"n"
        assert ledger[int(offset) :].startswith(b"%d 0 obj\n" % num)
    assert re.search(rb"/Size %d " % size, ledger)


def test_every_stream_is_as_long_as_it_says(ledger: bytes) -> None:
    streams = re.findall(rb"/Length (\d+) /Filter /FlateDecode[^>]*>>\nstream\n", ledger)
    pages = len(re.findall(rb"/Type /Page ", ledger))
    fonts = len(re.findall(rb"/Subtype /Type0 ", ledger))
    # a content stream per page; each font's glyphs, code-to-glyph map and ToUnicode map
    assert pages > 1 and fonts >= 1 and len(streams) == pages + 3 * fonts
    for m in re.finditer(rb"/Length (\d+) /Filter /FlateDecode[^>]*>>\nstream\n", ledger):
        data = ledger[m.end() : m.end() + int(m.group(1))]
        assert ledger[m.end() + int(m.group(1)) :].startswith(b"\nendstream\nendobj\n")
        zlib.decompress(data)  # whole: nothing cut, nothing after


def test_strict_readers_accept_the_ledger(ledger: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ledger.pdf"
    path.write_bytes(ledger)
    reader = PdfReader(path, strict=True)
    meta = reader.metadata
    assert meta is not None and meta.author == "清单台账" and meta.producer == "清单台账"
    assert meta.creation_date is not None
    assert meta.creation_date.replace(tzinfo=None) == datetime(2027, 7, 5)
    assert meta.subject is not None and meta.subject.startswith("浙政发〔2026〕16号 ")
    assert meta.subject.endswith("服务业发展领导小组办公室） 截至2027年6月30日")
    for page in reader.pages:
        assert page.extract_text()
