"""汇总 at the city: who reported, who is late, coverage, status counts, drill-down, ledger."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.errors import ValidationError
from desktop.services.context import Services
from desktop.services.exchange.aggregate import LowerLocality, Overview

from .exchange_support import YEAR, city, county, export


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, int]]]:
    """Packages of three counties, with the counts each county sees itself on the day the
    city reads them (the end of the year: the tests' calendar)."""
    out = {}
    for i, name in enumerate(("甲县", "乙县", "戊县")):
        root = tmp_path_factory.mktemp(f"c{i}")
        services = county(root / "office", name, tasks=40 + 5 * i, seed=i)
        try:
            wl = services.worklists.find_own(YEAR)
            counts = services.progress.figures(wl.id, date(YEAR, 12, 31)).counts()
            out[name] = (export(services, root), {k: v for k, v in counts.items() if v})
        finally:
            services.close()
    return out


@pytest.fixture
def upper(tmp_path: Path, packages: dict[str, tuple[Path, dict[str, int]]]) -> Iterator[Services]:
    services = city(tmp_path / "city")
    batch = services.exchange.import_packages([p for p, _ in packages.values()])
    assert not batch.failures
    services.exchange.aggregate.save_localities(
        [
            LowerLocality("甲县", "330101"),
            LowerLocality("乙县"),
            LowerLocality("丙县"),
            LowerLocality("丁县", expected=False),
        ]
    )
    yield services
    services.close()


def overview(services: Services) -> Overview:
    choice = services.exchange.aggregate.choices()[0]
    assert (choice.year, choice.doc_number) == (YEAR, "浙政发〔2026〕16号")
    return services.exchange.aggregate.overview(choice.year, choice.notice_id)


def test_who_reported_and_who_is_late(upper: Services) -> None:
    view = overview(upper)
    table = {s.locality: s for s in view.localities}
    assert list(table) == ["甲县", "乙县", "丙县", "丁县", "戊县"]
    assert view.late == ["丙县"] and view.reported == 3
    # the tests' day is the last of 2027: the packages report the second quarter, and the
    # fourth quarter's due day (25 December) has passed
    assert table["甲县"].reported and table["甲县"].code == "330101"
    assert table["甲县"].state_label == "已上报" and table["甲县"].overdue == "2027年第四季度"
    assert table["丙县"].state_label == "未上报" and table["丁县"].state_label == "无需上报"
    assert table["戊县"].state_label == "已上报（名单外）"
    assert table["乙县"].version == 1 and table["乙县"].tasks == 45
    assert table["甲县"].period_label == "2027年第二季度" and table["甲县"].exported_at


def test_without_a_locality_list_nobody_is_outside_it(
    tmp_path: Path, packages: dict[str, tuple[Path, dict[str, int]]]
) -> None:
    """A city (or province) that keeps no list takes every package: “名单外” would puzzle."""
    services = city(tmp_path / "nolist")
    try:
        services.exchange.import_packages([packages["甲县"][0]])
        view = overview(services)
        assert [(s.locality, s.listed, s.reported) for s in view.localities] == [
            ("甲县", True, True)
        ]
        assert view.late == []
    finally:
        services.close()


def test_status_counts_match_the_county(
    upper: Services, packages: dict[str, tuple[Path, dict[str, int]]]
) -> None:
    table = {s.locality: s for s in overview(upper).localities}
    for name, (_, counts) in packages.items():
        got = {k: v for k, v in table[name].counts if v}
        assert got == counts, name


def test_coverage_matrix(upper: Services) -> None:
    view = overview(upper)
    matrix = view.coverage
    # every locality expected to report has a column (丙县 has not reported), and so has one
    # outside the list that did (戊县, never counted)
    assert matrix.localities == ("甲县", "乙县", "丙县", "戊县")
    assert matrix.expected == (True, True, True, False)
    assert len(matrix.measure_codes) == 38
    row = matrix.measure_codes.index("一.（六）.17")
    assert all(cell.not_applicable for cell in matrix.cells[row] if cell.reported)
    # marked 不适用 by every county that reported: covered by none of the three expected
    c = matrix.coverage(row)
    assert (c.covered, c.expected, c.not_applicable, c.not_reported) == (0, 3, 2, 1)
    assert c.text == "0/3"
    first = matrix.coverage(0)
    assert (first.covered, first.expected, first.not_reported) == (2, 3, 1)
    assert sum(c.tasks for r in matrix.cells for c in [r[1]]) >= 45
    assert matrix.uncovered(0) == 0
    table = {s.locality: s for s in view.localities}
    assert table["甲县"].not_applicable == 1


def test_drill_down_is_the_county_list(upper: Services) -> None:
    view = overview(upper)
    jia = next(s for s in view.localities if s.locality == "甲县")
    assert jia.list_id is not None
    rows = upper.exchange.aggregate.drill_down(jia.list_id)
    assert len(rows) == 40 and rows[0].number and rows[0].lead_units
    got = Counter(
        r.status if r.status == "done" or not r.not_reported else "not_reported" for r in rows
    )
    assert got == Counter({k: v for k, v in jia.counts if v})
    assert any(r.progress for r in rows) and all(r.measures for r in rows)


def test_combined_ledger_one_part_per_locality(upper: Services, tmp_path: Path) -> None:
    choice = upper.exchange.aggregate.choices()[0]
    doc = upper.exchange.aggregate.combined_document(choice.year, choice.notice_id)
    # first the summary: each locality's counts, 本期未填报 apart from 滞后, then the lists
    summary, *lists = doc.parts
    assert summary.heading == "各地区进展汇总"
    assert [p.heading.split("（")[0] for p in lists] == ["甲县", "乙县", "戊县"]
    by_title = {s.title.split("（")[0]: s for s in summary.sections}
    notes = {g.label: g.note or "" for g in by_title["各地区任务状态"].groups}
    reporting = {g.label: g.note or "" for g in by_title["上报情况"].groups}
    assert reporting["县（市、区）"].startswith("应报 3 个，已报 2 个")
    assert "未上报 1 个：丙县" in reporting["县（市、区）"]
    assert reporting["丙县"].startswith("未上报")
    table = {s.locality: s for s in overview(upper).localities}
    for name in ("甲县", "乙县", "戊县"):
        counts = dict(table[name].counts)
        assert f"本期未填报 {counts['not_reported']}" in notes[name], name
        assert f"滞后 {counts['lagging']}" in notes[name], name
    assert notes["合计"].startswith("3 份清单")
    assert doc.title.startswith("示例市") and doc.title.endswith("汇总")
    pdf = tmp_path / "汇总.pdf"
    pages = upper.exchange.aggregate.write_combined_pdf(choice.year, choice.notice_id, pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == pages >= 3
    texts = [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]
    # one file, bound as one: pages are numbered straight through, not per locality
    assert all(f"第{i}页共{pages}页" in t for i, t in enumerate(texts, 1))
    starts = [
        i for i, t in enumerate(texts) for p in doc.parts if re.sub(r"\s+", "", p.heading) in t
    ]
    assert len(starts) == 4 and starts[0] == 0  # the summary, then each locality on a new page
    # signed off once, at the end, with the city office's names
    office = upper.office.get()
    assert doc.signoff.filler == office.operator and doc.signoff.unit
    assert doc.signoff.unit == (office.reporting_office or office.locality)
    assert sum("填报单位（盖章）" in t for t in texts) == 1 and office.operator in texts[-1]
    xlsx = tmp_path / "汇总.xlsx"
    upper.exchange.aggregate.write_combined_xlsx(choice.year, choice.notice_id, xlsx)
    assert [n.split("（")[0] for n in load_workbook(xlsx).sheetnames] == [
        "各地区进展汇总",
        "甲县",
        "乙县",
        "戊县",
    ]


def test_combined_ledger_includes_the_city_own_list(upper: Services) -> None:
    from .exchange_support import own_list_ready

    own_list_ready(upper)
    choice = upper.exchange.aggregate.choices()[0]
    doc = upper.exchange.aggregate.combined_document(choice.year, choice.notice_id)
    assert doc.parts[1].heading.startswith("本级：示例市")


def test_locality_list_is_validated(upper: Services) -> None:
    agg = upper.exchange.aggregate
    before = agg.localities()
    for bad, message in (
        ([LowerLocality(" ")], "不能为空"),
        ([LowerLocality("甲县"), LowerLocality("甲县")], "重复"),
        ([LowerLocality("示例市")], "不能列为自己的下级"),
        ([LowerLocality("甲县", level="乡级")], "层级"),
    ):
        with pytest.raises(ValidationError, match=message):
            agg.save_localities(bad)
    assert agg.localities() == before
    assert [x.name for x in agg.save_localities([LowerLocality(" 乙县 ")])] == ["乙县"]


def test_nothing_to_aggregate(tmp_path: Path) -> None:
    services = city(tmp_path / "empty")
    try:
        notice = next(n for n in services.notices.list() if n.builtin)
        view = services.exchange.aggregate.overview(YEAR, notice.id)
        assert view.localities == () and view.coverage.localities == ()
        with pytest.raises(ValidationError, match="还没有可汇总的清单"):
            services.exchange.aggregate.combined_document(YEAR, notice.id)
    finally:
        services.close()
