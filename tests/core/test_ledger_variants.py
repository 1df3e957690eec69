"""Ledger variants: per lead unit (one file or a folder), progress of a period, lagging tasks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.core.reports import (
    by_lead_unit,
    check_fonts,
    for_period,
    lagging_only,
    lead_units,
    split_units,
    write_ledger_pdf,
    write_ledger_pdfs_per_part,
)
from desktop.core.reports.pdf_writer import part_file_names
from tests.core.ledger_samples import sample_document

needs_pdf = pytest.mark.skipif(
    shutil.which("pdftotext") is None or check_fonts() is not None,
    reason="needs poppler-utils and a Chinese font",
)


def pages_text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


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


@needs_pdf
def test_by_unit_ledger_starts_each_unit_on_a_new_page(tmp_path: Path) -> None:
    doc = by_lead_unit(sample_document(150), ["县科技局", "县经信局", "县商务局"])
    path = tmp_path / "by-unit.pdf"
    pages = write_ledger_pdf(doc, path)
    texts = pages_text(path)
    assert len(texts) == pages
    starts = [i for i, t in enumerate(texts) if re.search(r"第\s*1\s*页", t)]
    assert len(starts) == 3
    for start, unit in zip(starts, ["县科技局", "县经信局", "县商务局"], strict=True):
        assert f"牵头单位：{unit}" in texts[start]
        assert doc.title in texts[start]
    # Page numbers restart per unit: each unit's ledger is handed out on its own.
    totals = [int(m) for t in texts for m in re.findall(r"共\s*(\d+)\s*页", t)]
    assert sum(set(totals)) <= pages and len(totals) == pages


@needs_pdf
def test_one_file_per_unit_into_a_folder(tmp_path: Path) -> None:
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


@needs_pdf
def test_progress_ledger_of_a_period(tmp_path: Path) -> None:
    doc = for_period(sample_document(60), "2027年第二季度", "截至2027年6月30日")
    path = tmp_path / "progress.pdf"
    write_ledger_pdf(doc, path)
    first = pages_text(path)[0]
    assert "（2027年第二季度进展）" in first and "截至2027年6月30日" in first


@needs_pdf
def test_lagging_ledger(tmp_path: Path) -> None:
    source = sample_document(300)
    doc = lagging_only(source)
    path = tmp_path / "lagging.pdf"
    write_ledger_pdf(doc, path)
    text = "".join(pages_text(path))
    assert "（滞后任务）" in text
    assert text.count("▲滞后") == doc.row_count() > 0
    for word in ("已完成", "超序时", "按序时", "未启动"):
        statuses = re.findall(rf"^{word}$", text, flags=re.M)
        assert not statuses, word


@needs_pdf
def test_an_empty_variant_still_prints(tmp_path: Path) -> None:
    doc = lagging_only(sample_document(5, progress=False))
    path = tmp_path / "none.pdf"
    assert write_ledger_pdf(doc, path) == 1
    assert "无相关任务" in pages_text(path)[0]


@needs_pdf
def test_cancelling_the_folder_export_leaves_nothing(tmp_path: Path) -> None:
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
