"""Ledger variants: per lead unit (one file or a folder), progress of a period, lagging tasks.

PDFs are printed once in each font installer/dev.sh installs (``ledger_font``) and their
text is compared with whitespace squashed: where a reader puts spaces depends on the font.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.core.reports import (
    by_lead_unit,
    for_period,
    lagging_only,
    lead_units,
    split_units,
    write_ledger_pdf,
    write_ledger_pdfs_per_part,
)
from desktop.core.reports.pdf_writer import part_file_names
from tests.core.ledger_samples import sample_document
from tests.needs import tool


def pdftotext(path: Path) -> str:
    exe = tool("pdftotext", "poppler-utils")
    return subprocess.run([exe, str(path), "-"], capture_output=True, check=True).stdout.decode()


def pages_text(path: Path) -> list[str]:
    """The text of each page, whitespace removed."""
    return [re.sub(r"\s+", "", page) for page in pdftotext(path).split("\f")[:-1]]


def test_split_units() -> None:
    assert split_units("县科技局、县经信局") == ["县科技局", "县经信局"]
    assert split_units(" 县发改局，县财政局; 县统计局 ") == ["县发改局", "县财政局", "县统计局"]
    assert split_units("") == []


def test_by_lead_unit_puts_each_task_under_each_of_its_leads() -> None:
    doc = sample_document(200)
    split = by_lead_unit(doc)
    units = lead_units(doc)
    assert [p.heading for p in split.parts] == [f"牵头单位：{u}" for u in units]
    for unit, part in zip(units, split.parts, strict=True):
        rows = [r for s in part.sections for g in s.groups for r in g.rows]
        assert rows and all(unit in split_units(r.lead_units) for r in rows)
    joint = sum(
        len(split_units(r.lead_units))
        for p in doc.parts
        for s in p.sections
        for g in s.groups
        for r in g.rows
    )
    assert split.row_count() == joint


def test_lagging_only_keeps_lagging_rows() -> None:
    doc = lagging_only(sample_document(200))
    rows = [r for p in doc.parts for s in p.sections for g in s.groups for r in g.rows]
    assert rows and all(r.status == "lagging" for r in rows)
    assert doc.subtitle == "（滞后任务）"


def test_by_unit_ledger_starts_each_unit_on_a_new_page(ledger_font: str, tmp_path: Path) -> None:
    doc = by_lead_unit(sample_document(150), ["县科技局", "县经信局", "县商务局"])
    path = tmp_path / "by-unit.pdf"
    pages = write_ledger_pdf(doc, path)
    texts = pages_text(path)
    assert len(texts) == pages
    starts = [i for i, t in enumerate(texts) if "第1页共" in t]
    assert len(starts) == 3 and starts[0] == 0
    for start, unit in zip(starts, ["县科技局", "县经信局", "县商务局"], strict=True):
        assert f"牵头单位：{unit}" in texts[start]
        assert "示例县推进服务业扩能提质2027年重点工作任务清单" in texts[start]
    # Page numbers restart per unit: each unit's ledger is handed out on its own.
    ends = [*starts[1:], pages]
    for start, end in zip(starts, ends, strict=True):
        for number, text in enumerate(texts[start:end], 1):
            assert f"第{number}页共{end - start}页" in text, (start, number)


def test_one_file_per_unit_into_a_folder(ledger_font: str, tmp_path: Path) -> None:
    doc = by_lead_unit(sample_document(120), ["县科技局", "县经信局"])
    doc.parts[1].heading = "牵头单位：县经信局/县数据局?"  # not a legal Windows file name
    seen: list[int] = []
    paths = write_ledger_pdfs_per_part(doc, tmp_path / "out", progress=lambda d, t: seen.append(d))
    assert [p.name for p in paths] == ["县科技局.pdf", "县经信局_县数据局_.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    assert "牵头单位：县科技局" in pages_text(paths[0])[0]
    assert len(PdfReader(paths[1]).pages) >= 1
    assert seen[-1] == doc.row_count()


def test_part_file_names_are_distinct_and_safe() -> None:
    doc = by_lead_unit(sample_document(60), ["县科技局", "县科技局", "CON"])
    assert part_file_names(doc) == ["县科技局.pdf", "县科技局（2）.pdf", "_CON.pdf"]


def test_a_unit_name_starting_with_a_dot_never_gives_a_hidden_file() -> None:
    doc = by_lead_unit(sample_document(60), [".县科技局", "..", " .县经信局"])
    names = part_file_names(doc)
    assert names == ["县科技局.pdf", "台账02.pdf", "县经信局.pdf"]
    assert not any(n.startswith(".") for n in names)


def test_progress_ledger_of_a_period(ledger_font: str, tmp_path: Path) -> None:
    doc = for_period(sample_document(60), "2027年第二季度", "截至2027年6月30日")
    path = tmp_path / "progress.pdf"
    write_ledger_pdf(doc, path)
    first = pages_text(path)[0]
    assert "（2027年第二季度进展）" in first and "截至2027年6月30日" in first


def test_lagging_ledger(ledger_font: str, tmp_path: Path) -> None:
    source = sample_document(300)
    doc = lagging_only(source)
    path = tmp_path / "lagging.pdf"
    write_ledger_pdf(doc, path)
    text = "".join(pages_text(path))
    assert "（滞后任务）" in text
    assert text.count("▲滞后") == doc.row_count() > 0
    lines = pdftotext(path).splitlines()  # a status cell is one word on a line of its own
    assert lines.count("▲滞后") == doc.row_count()
    for word in ("已完成", "超序时", "按序时", "未启动"):
        assert word not in lines, word


def test_an_empty_variant_still_prints(ledger_font: str, tmp_path: Path) -> None:
    doc = lagging_only(sample_document(5, progress=False))
    path = tmp_path / "none.pdf"
    assert write_ledger_pdf(doc, path) == 1
    assert "无相关任务" in pages_text(path)[0]


def test_cancelling_the_folder_export_leaves_nothing(ledger_font: str, tmp_path: Path) -> None:
    from desktop.core.reports import Cancelled

    doc = by_lead_unit(sample_document(400), ["县科技局", "县经信局", "县商务局"])
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2  # after the first unit's file is written

    with pytest.raises(Cancelled):
        write_ledger_pdfs_per_part(doc, tmp_path, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    from desktop.errors import UserError

    with pytest.raises(UserError, match="保存位置不存在"):
        write_ledger_pdf(sample_document(3), tmp_path / "no" / "such" / "x.pdf")
