"""Page layout of the PDF ledger, without fonts: page numbers, sign-off, the 序号 column."""

from __future__ import annotations

from desktop.core.reports import (
    LedgerDocument,
    LedgerMeasureGroup,
    LedgerPart,
    LedgerRow,
    LedgerSection,
)
from desktop.core.reports.pdf_style import LedgerStyle, geometry
from desktop.core.reports.pdf_table import TASK, TableLayout
from desktop.core.reports.textwrap_cjk import CjkWrapper


def _measure(ch: str) -> float:
    # half an em for Latin letters, digits and the hyphen, a whole one for Chinese: the
    # widths of the 宋体/明体 faces ledgers print in
    return 500.0 if ord(ch) < 0x2E80 else 1000.0


def _row(number: str) -> LedgerRow:
    return LedgerRow(number, "推进服务业扩能提质" * 3, "目标", "县发改局", "", "2027年12月底")


def _part(name: str, rows: int) -> LedgerPart:
    group = LedgerMeasureGroup("1. 研发设计方面", rows=[_row(f"1-{i}") for i in range(rows)])
    return LedgerPart(f"牵头单位：{name}", [LedgerSection("一、生产性服务业", [group])])


def _layout(doc: LedgerDocument) -> TableLayout:
    wrapper = CjkWrapper(_measure)
    style = LedgerStyle()
    return TableLayout(doc, style, geometry(doc.paper, style), wrapper, wrapper)


def _doc(**kw: object) -> LedgerDocument:
    return LedgerDocument(
        title="示例县2027年重点工作任务清单",
        basis="浙政发〔2026〕16号",
        office="示例县发展和改革局",
        as_of="截至2027年9月30日",
        parts=[_part("县科技局", 40), _part("县经信局", 3), _part("县商务局", 25)],
        **kw,  # type: ignore[arg-type]
    )


def _signoffs(layout: TableLayout) -> list[int]:
    return [
        i
        for i, page in enumerate(layout.pages)
        if any(t.text.startswith("填报单位（盖章）") for t in page.texts)
    ]


def test_each_part_numbers_its_own_pages_by_default() -> None:
    layout = _layout(_doc())
    pages = layout.layout()
    firsts = [i for i, p in enumerate(pages) if p.number == 1]
    assert len(firsts) == 3 and len(pages) > 3  # the by-unit ledger: one per unit
    for start, end in zip(firsts, [*firsts[1:], len(pages)], strict=True):
        assert [p.number for p in pages[start:end]] == list(range(1, end - start + 1))
        assert {p.total for p in pages[start:end]} == {end - start}
    assert len(_signoffs(layout)) == 3  # each unit's ledger is signed on its own


def test_a_document_numbered_through_counts_every_page_and_signs_once() -> None:
    layout = _layout(_doc(page_numbering="document"))
    pages = layout.layout()
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert {p.total for p in pages} == {len(pages)}
    assert _signoffs(layout) == [len(pages) - 1]
    # every part still starts on a new page of its own
    assert sorted({p.part for p in pages}) == [0, 1, 2]


def test_numbers_like_37_11_and_3_2_10_fit_the_number_column() -> None:
    doc = _doc()
    doc.parts = [
        LedgerPart(
            "",
            [
                LedgerSection(
                    "一、生产性服务业",
                    [LedgerMeasureGroup("1.", rows=[_row(n) for n in ("37-11", "3-2-10")])],
                )
            ],
        )
    ]
    layout = _layout(doc)
    layout.layout()
    numbers = [it.block.cells[0] for p in layout.pages for it in p.items if it.block.kind == TASK]
    assert numbers == [["37-11"], ["3-2-10"]]
