"""A notice whose numbering repeats under one heading imports whole, never failing on codes."""

from __future__ import annotations

from pathlib import Path

from desktop.services.context import Services

TEXT = (
    "某市人民政府关于推进甲乙工作的实施意见\n某政发〔2026〕3号\n一、主要任务\n"
    "1. 推进甲。做好甲。（责任单位：市发展改革委）\n2. 推进乙。做好乙。（责任单位：市财政局）\n"
    "2. 推进丙。做好丙。（责任单位：市科技局）\n1. 推进丁。做好丁。（责任单位：市商务局）\n"
    "某市人民政府\n2026年3月1日\n"
)


def test_repeated_numbers_import_with_unique_codes(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "repeated.txt"
    path.write_text(TEXT, encoding="utf-8")
    summary = services.notices.import_file(path)
    tree = services.notices.tree(summary.id)
    assert [m.code for m in tree.measures] == ["一.1", "一.2", "一.2#2", "一.1#2"]
    assert [m.title for m in tree.measures] == ["推进甲", "推进乙", "推进丙", "推进丁"]
