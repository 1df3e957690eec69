"""The PDF ledger, read back by readers other than ours (poppler's pdftotext/pdffonts, pypdf).

Every ledger here is printed once in each font installer/dev.sh installs (``ledger_font``,
tests/core/conftest.py). Text is compared with whitespace squashed, or with patterns that
allow it: where a reader puts a space depends on the gaps a font leaves, not on the ledger.
"""

from __future__ import annotations

import io
import itertools
import random
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.core.reports import (
    Cancelled,
    LedgerDocument,
    LedgerMeasureGroup,
    LedgerPart,
    LedgerRow,
    LedgerSection,
    SignOff,
    write_ledger_pdf,
)
from desktop.core.reports import fonts as fontmod
from desktop.core.reports.pdf_style import LedgerStyle, geometry
from desktop.core.reports.pdf_writer import column_shares
from tests.core.ledger_samples import sample_document, sample_row
from tests.needs import dev_font, link, tool


def pdftotext(path: Path, *args: str) -> str:
    exe = tool("pdftotext", "poppler-utils")
    out = subprocess.run([exe, *args, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def pdffonts(path: Path) -> str:
    exe = tool("pdffonts", "poppler-utils")
    out = subprocess.run(
        [exe, str(path)], capture_output=True, text=True, encoding="utf-8", check=True
    )
    return out.stdout


def column_text(path: Path, column: int, pages: int, doc: LedgerDocument) -> str:
    """The text of one table column, page after page, read through poppler's crop box."""
    geo = geometry("A4", LedgerStyle(), column_shares(doc))
    x0, x1 = geo.xs[column], geo.xs[column + 1]
    crop = ["-x", str(int(x0) + 1), "-y", "0", "-W", str(int(x1 - x0) - 2)]
    return "".join(
        pdftotext(path, "-f", str(p), "-l", str(p), *crop, "-H", str(int(geo.page_height)))
        for p in range(1, pages + 1)
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def one_group_doc(
    rows: list[LedgerRow], label: str = "1. 研发设计方面", **kw: object
) -> LedgerDocument:
    group = LedgerMeasureGroup(label, rows=rows)
    section = LedgerSection("一、分领域提升生产性服务业专业能力", [group])
    return LedgerDocument(
        title="示例县推进服务业扩能提质2027年重点工作任务清单",
        basis="浙政发〔2026〕16号",
        office="示例县发展和改革局",
        as_of="截至2027年6月30日",
        parts=[LedgerPart("", [section])],
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def ledger_300(
    ledger_font: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, int, LedgerDocument]:
    doc = sample_document(300)
    doc.signoff = SignOff("示例县发展和改革局", "张三", "李四", "0571-12345678", "2027年7月5日")
    path = tmp_path_factory.mktemp("ledger") / "清单.pdf"
    pages = write_ledger_pdf(doc, path)
    return path, pages, doc


def test_chinese_is_readable_by_other_readers(ledger_300: tuple[Path, int, LedgerDocument]) -> None:
    path, _pages, doc = ledger_300
    text = pdftotext(path)
    for s in (
        doc.title,
        "浙政发〔2026〕16号",
        "截至2027年6月30日",
        "牵头单位",
        "完成时限",
        "进展情况",
        "填报单位（盖章）",
        "填报人",
        "审核人",
        "联系电话",
        "张三",
        "0571-12345678",
    ):
        assert s in text, s
    first_row = doc.parts[0].sections[0].groups[0].rows[0]
    assert squash(first_row.content) in squash(column_text(path, 2, 1, doc))
    reader = PdfReader(path)
    assert "牵头单位" in reader.pages[0].extract_text()
    assert reader.metadata is not None
    assert reader.metadata.title == doc.title and reader.metadata.author == "清单台账"


def test_every_font_is_an_embedded_truetype_subset(
    ledger_300: tuple[Path, int, LedgerDocument],
) -> None:
    path = ledger_300[0]
    rows = pdffonts(path).splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes", row  # emb
        assert cols[-4] == "yes", row  # sub
        assert cols[-3] == "yes", row  # uni: a ToUnicode map, so text can be copied
        assert "TrueType" in row, row
    assert b"Helvetica" not in path.read_bytes()


def test_header_and_footer_on_every_page(ledger_300: tuple[Path, int, LedgerDocument]) -> None:
    path, pages, _doc = ledger_300
    assert pages == len(PdfReader(path).pages) >= 10
    texts = pdftotext(path).split("\f")[:pages]
    for number, page in enumerate(texts, 1):
        assert f"第{number}页共{pages}页" in squash(page), number
        # The sign-off takes the last row with it, so no page is without the table.
        assert "牵头单位" in page, number
    assert "填报人" in texts[-1]


def test_no_text_runs_past_its_column(ledger_300: tuple[Path, int, LedgerDocument]) -> None:
    path, pages, doc = ledger_300
    geo = geometry("A4", LedgerStyle(), column_shares(doc))
    xs = geo.xs
    html = pdftotext(path, "-bbox", "-f", "2", "-l", str(pages - 1))  # no title, no sign-off
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<', html)
    assert len(words) > 500
    footer = geo.page_height - geo.bottom  # below the table (poppler counts y from the top)
    for x0, y0, x1, word in words:
        left, right = float(x0), float(x1)
        if word.startswith("不适用") or left < xs[0] + 8 or float(y0) >= footer:
            continue  # merged cells and section bands span columns; the footer is no cell
        column = max(i for i, x in enumerate(xs[:-1]) if x <= left + 0.5)
        assert right <= xs[column + 1] + 0.5, (word, left, right, column)


def test_every_reader_reads_the_footer_with_its_spaces(ledger_font: str, tmp_path: Path) -> None:
    """The footer's spaces are real space characters half an em wide, whatever the font:
    poppler finds words by their gaps (a narrower gap between Chinese characters reads
    as no space), pypdf and copy and paste read the characters."""
    path = tmp_path / "footer.pdf"
    pages = write_ledger_pdf(sample_document(30), path)
    assert pages >= 2
    for args in ((), ("-layout",), ("-raw",)):
        page = pdftotext(path, "-f", "2", "-l", "2", *args)
        assert f"第 2 页 共 {pages} 页" in page, args
    assert f"第 2 页 共 {pages} 页" in PdfReader(path).pages[1].extract_text()
    bbox = pdftotext(path, "-bbox", "-f", "1", "-l", "1")
    words = re.findall(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]*)<', bbox)
    footer = words[-6:]
    assert [w for _, _, w in footer] == ["第", "1", "页", "共", str(pages), "页"]
    gaps = [float(b[0]) - float(a[1]) for a, b in itertools.pairwise(footer)]
    assert all(abs(gap - 4.5) < 0.3 for gap in gaps), gaps  # half of 9 pt


def test_page_count_and_progress_for_a_long_list(ledger_font: str, tmp_path: Path) -> None:
    doc = sample_document(1200, seed=7)
    seen: list[tuple[int, int]] = []
    pages = write_ledger_pdf(doc, tmp_path / "long.pdf", progress=lambda d, t: seen.append((d, t)))
    assert pages == len(PdfReader(tmp_path / "long.pdf").pages)
    assert 1200 / 20 < pages < 1200 / 2
    assert seen[-1] == (1200, 1200)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    text = squash(pdftotext(tmp_path / "long.pdf"))
    assert f"第{pages}页共{pages}页" in text


def test_a_cell_longer_than_a_page_is_split_without_losing_text(
    ledger_font: str, tmp_path: Path
) -> None:
    rng = random.Random(5)
    long_row = sample_row(rng, "1-2")
    paragraphs = [f"第{i}段：" + sample_row(rng, "x").content * 3 for i in range(1, 16)]
    long_row.content = "\n".join(paragraphs)
    doc = one_group_doc([sample_row(rng, "1-1"), long_row, sample_row(rng, "1-3")])
    path = tmp_path / "long-cell.pdf"
    pages = write_ledger_pdf(doc, path)
    assert pages >= 3
    column = column_text(path, 2, pages, doc).replace("工作任务/具体举措", "")
    expected = "".join(squash(r.content) for r in doc.parts[0].sections[0].groups[0].rows)
    assert expected in squash(column)
    text = pdftotext(path)
    assert "1.研发设计方面（续）" in squash(text)
    assert squash(text).count("1-2") >= pages - 1  # the number repeats on every piece


def test_not_applicable_and_empty_measures(ledger_font: str, tmp_path: Path) -> None:
    doc = one_group_doc([sample_row(random.Random(1), "1-1")])
    groups = doc.parts[0].sections[0].groups
    groups.append(LedgerMeasureGroup("2. 成果转移转化方面", not_applicable="本县无相关产业基础"))
    groups.append(LedgerMeasureGroup("3. 孵化服务方面"))
    path = tmp_path / "na.pdf"
    write_ledger_pdf(doc, path)
    text = squash(pdftotext(path))
    assert "不适用：本县无相关产业基础" in text
    assert "3.孵化服务方面" in text


def test_long_measure_label_is_shown_whole(ledger_font: str, tmp_path: Path) -> None:
    label = "7. 现代物流方面：" + "推动物流枢纽、冷链物流和城乡配送体系建设，" * 6
    doc = one_group_doc([sample_row(random.Random(2), "7-1")], label=label)
    path = tmp_path / "label.pdf"
    write_ledger_pdf(doc, path)
    assert squash(label) in squash(column_text(path, 1, 1, doc))


def test_without_progress_the_progress_columns_are_empty(ledger_font: str, tmp_path: Path) -> None:
    row = sample_row(random.Random(3), "1-1")
    row.progress, row.status = "已召开专题推进会", "lagging"
    path = tmp_path / "plain.pdf"
    write_ledger_pdf(one_group_doc([row], show_progress=False), path)
    text = pdftotext(path)
    assert "进展情况" in text and "已召开专题推进会" not in text and "滞后" not in text


def test_status_is_printed_in_words(ledger_font: str, tmp_path: Path) -> None:
    rng = random.Random(4)
    rows = []
    for i, status in enumerate(("done", "ahead", "on_track", "lagging", "not_started", "closed")):
        row = sample_row(rng, f"1-{i + 1}")
        row.status = status
        rows.append(row)
    path = tmp_path / "status.pdf"
    write_ledger_pdf(one_group_doc(rows), path)
    text = pdftotext(path)
    for word in ("已完成", "超序时", "按序时", "▲滞后", "未启动", "已销号"):
        assert word in text, word


def test_a3_paper(ledger_font: str, tmp_path: Path) -> None:
    doc = sample_document(40)
    doc.paper = "A3"
    write_ledger_pdf(doc, tmp_path / "a3.pdf")
    box = PdfReader(tmp_path / "a3.pdf").pages[0].mediabox
    assert round(float(box.width)) == 1191 and round(float(box.height)) == 842


def test_writes_to_a_stream(ledger_font: str, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    pages = write_ledger_pdf(sample_document(20), buffer)
    assert buffer.getvalue().startswith(b"%PDF") and pages >= 1


def test_cancel_leaves_no_file_and_keeps_the_old_one(ledger_font: str, tmp_path: Path) -> None:
    target = tmp_path / "ledger.pdf"
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(Cancelled):
        write_ledger_pdf(sample_document(1000), target, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old ledger")
    calls = 0
    with pytest.raises(Cancelled):
        write_ledger_pdf(sample_document(1000), target, cancelled=cancelled)
    assert target.read_bytes() == b"old ledger"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.pdf"]


def fonts_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]
) -> fontmod.FontSet:
    """The fonts the program finds when a folder holds only ``files`` (name → the
    development font it is a copy of) and the system font folders are off."""
    fonts = tmp_path / "fonts"
    for name, source in files.items():
        link(fonts, name, dev_font(source))
    monkeypatch.setenv("POLICY_LEDGER_FONT_DIRS", str(fonts))
    monkeypatch.setenv("POLICY_LEDGER_NO_SYSTEM_FONTS", "1")
    fontmod.clear_cache()
    try:
        return fontmod.find_cjk_fonts()
    finally:
        fontmod.clear_cache()


def test_a_character_missing_from_the_body_face_comes_from_a_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An office whose 黑体 and 仿宋 lack a rare character of a name (Micro Hei has no CJK
    Extension A) gets it from another installed face (Zen Hei has it), found by the
    program's own search; a character no face has is logged, not dropped silently."""
    found = fonts_only(
        tmp_path,
        monkeypatch,
        {"simhei.ttf": "wqy-microhei.ttc", "simfang.ttf": "wqy-microhei.ttc",
         "wqy-zenhei.ttc": "wqy-zenhei.ttc"},
    )  # fmt: skip
    assert (found.title.path.name, found.body.path.name) == ("simhei.ttf", "simfang.ttf")
    assert [f.path.name for f in found.fallbacks] == ["wqy-zenhei.ttc"]
    row = sample_row(random.Random(6), "1-1")
    row.content = "联系人刘䶮：䶮字只在正黑里，𠮷字哪种字体都没有。"
    path = tmp_path / "fallback.pdf"
    with caplog.at_level("WARNING"):
        write_ledger_pdf(one_group_doc([row]), path, fonts=found)
    assert "联系人刘䶮：䶮字只在正黑里" in squash(pdftotext(path))
    listed = pdffonts(path)
    assert "WenQuanYiMicroHei" in listed and "WenQuanYiZenHei" in listed
    assert "𠮷" in caplog.text


def test_no_font_means_a_clear_error_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.errors import FontMissingError

    monkeypatch.setenv("POLICY_LEDGER_FONT_DIRS", str(tmp_path / "no-fonts"))
    monkeypatch.setenv("POLICY_LEDGER_NO_SYSTEM_FONTS", "1")
    fontmod.clear_cache()
    try:
        with pytest.raises(FontMissingError, match="中文字体"):
            write_ledger_pdf(sample_document(5), tmp_path / "x.pdf")
    finally:
        fontmod.clear_cache()
    assert list(tmp_path.iterdir()) == []


def test_two_ledgers_at_once(ledger_font: str, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    docs = [sample_document(150, seed=s) for s in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        pages = list(pool.map(lambda i: write_ledger_pdf(docs[i], tmp_path / f"{i}.pdf"), (0, 1)))
    for i, doc in enumerate(docs):
        text = squash(pdftotext(tmp_path / f"{i}.pdf"))
        column = squash(column_text(tmp_path / f"{i}.pdf", 2, pages[i], doc))
        last = squash(doc.parts[0].sections[-1].groups[-1].rows[-1].content)
        # the last row may run over a page break: its first and last lines are whole
        assert last[:8] in column and last[-8:] in column
        assert f"共{pages[i]}页" in text


def test_reported_progress_gets_a_wider_column() -> None:
    rng = random.Random(4)
    plain = one_group_doc([sample_row(rng, "1-1")])
    for row in plain.parts[0].sections[0].groups[0].rows:
        row.progress = ""
    reported = one_group_doc([sample_row(rng, "1-1")])
    reported.parts[0].sections[0].groups[0].rows[0].progress = "已召开专题推进会，完成年度任务的40%"

    def progress_width(doc: LedgerDocument) -> float:
        xs = geometry("A4", LedgerStyle(), column_shares(doc)).xs
        return xs[8] - xs[7]

    assert progress_width(reported) > progress_width(plain) * 1.3
    for doc in (plain, reported):
        assert abs(sum(column_shares(doc)) - 1) < 1e-9


def test_a_character_beyond_the_bmp_is_printed_from_the_font_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Characters beyond the BMP (a rare name character; here the 太玄经 signs Zen Hei has)
    get codes of their own in the font, print with their glyphs and read back."""
    from pypdf import PdfReader

    found = fonts_only(tmp_path, monkeypatch, {"wqy-zenhei.ttc": "wqy-zenhei.ttc"})
    row = sample_row(random.Random(7), "1-1")
    row.content = "太玄经𝌆𝌇两符"
    row.lead_units = "县𝌆局"  # a centred cell too
    path = tmp_path / "wide.pdf"
    write_ledger_pdf(one_group_doc([row]), path, fonts=found)
    text = squash(pdftotext(path))
    assert "太玄经𝌆𝌇两符" in text and "县𝌆局" in text
    font = PdfReader(path).pages[0]["/Resources"]["/Font"]  # type: ignore[index]
    (cid_font,) = next(iter(font.values())).get_object()["/DescendantFonts"]
    gids = cid_font.get_object()["/CIDToGIDMap"].get_object().get_data()
    # the two signs got the first codes of the surrogate range, each its own glyph
    first, second = (int.from_bytes(gids[2 * c : 2 * c + 2], "big") for c in (0xD800, 0xD801))
    assert first and second and first != second


def test_the_cycle_collector_is_held_off_while_a_ledger_is_drawn_and_put_back_as_it_was(
    ledger_font: str, tmp_path: Path
) -> None:
    import gc

    from desktop.core.reports import pdf_writer

    seen: list[bool] = []
    progress = lambda done, total: seen.append(gc.isenabled())  # noqa: E731
    assert gc.isenabled()
    write_ledger_pdf(sample_document(30), tmp_path / "a.pdf", progress=progress)
    assert seen and not any(seen[1:]) and gc.isenabled()  # the first tick comes before
    gc.disable()
    try:
        with pdf_writer.no_cycle_collection, pdf_writer.no_cycle_collection:
            assert not gc.isenabled()
        assert not gc.isenabled()  # a caller's choice stands
    finally:
        gc.enable()
