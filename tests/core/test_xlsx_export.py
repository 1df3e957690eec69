"""The Excel and CSV exports of a ledger, read back with openpyxl, csv and LibreOffice."""

from __future__ import annotations

import csv
import io
import random
import subprocess
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from desktop.core.reports import (
    LedgerDocument,
    LedgerMeasureGroup,
    LedgerPart,
    LedgerSection,
    by_lead_unit,
    write_ledger_csv,
    write_ledger_xlsx,
)
from tests.core.ledger_samples import sample_document, sample_row
from tests.needs import tool


def small_doc() -> LedgerDocument:
    rng = random.Random(11)
    rows = [sample_row(rng, f"1-{i}") for i in range(1, 4)]
    rows[0].number = "1"
    rows[1].content = "=1+1"
    rows[1].target = "+10%"
    rows[2].progress = "-已推进\n第二行"
    rows[2].co_units = "@县财政局"
    groups = [
        LedgerMeasureGroup("1. 研发设计方面", rows=rows),
        LedgerMeasureGroup("2. 成果转移转化方面", not_applicable="本县无相关产业基础"),
    ]
    return LedgerDocument(
        title="示例县推进服务业扩能提质2027年重点工作任务清单",
        basis="浙政发〔2026〕16号",
        office="示例县发展和改革局",
        as_of="截至2027年6月30日",
        parts=[LedgerPart("", [LedgerSection("一、分领域提升生产性服务业专业能力", groups)])],
    )


def header_row(ws: object) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):  # type: ignore[attr-defined]
        if row[0].value == "编号":
            return int(row[0].row)
    raise AssertionError("no header row")


def test_values_types_and_merged_cells(tmp_path: Path) -> None:
    doc = small_doc()
    path = tmp_path / "清单.xlsx"
    write_ledger_xlsx(doc, path)
    ws = load_workbook(path).active
    assert ws.title == "工作任务清单"
    h = header_row(ws)
    assert [c.value for c in ws[h]][:10] == [
        "编号",
        "省级条目",
        "工作任务/具体举措",
        "目标指标",
        "牵头单位",
        "配合单位",
        "完成时限",
        "进展情况",
        "完成百分比",
        "状态",
    ]
    assert ws.cell(h, 11).value == "任务ID" and ws.column_dimensions["K"].hidden
    assert ws.cell(1, 1).value == doc.title
    assert ws.cell(h + 1, 1).value == "一、分领域提升生产性服务业专业能力"
    first = h + 2
    rows = doc.parts[0].sections[0].groups[0].rows
    for i, r in enumerate(rows):
        cells = [c.value for c in ws[first + i]]
        assert cells[0] == r.number and isinstance(cells[0], str)
        assert cells[2:8] == [r.content, r.target, r.lead_units, r.co_units, r.deadline, r.progress]
        # the percent is a number Excel can sum, shown as a percent
        assert cells[8] == (None if r.percent is None else r.percent / 100)
        assert ws.cell(first + i, 9).number_format == "0%"
        assert cells[10] == r.task_uid
        assert ws.cell(first + i, 1).data_type == "s"
        assert ws.cell(first + i, 1).number_format == "@"
    # Nothing a spreadsheet would run as a formula.
    for value in ("=1+1", "+10%", "@县财政局", "-已推进\n第二行"):
        cell = next(c for row in ws.iter_rows() for c in row if c.value == value)
        assert cell.data_type == "s" and cell.quotePrefix, value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"B{first}:B{first + 2}" in merged  # the measure spans its tasks
    assert f"A{h + 1}:J{h + 1}" in merged  # the section band
    assert f"C{first + 3}:J{first + 3}" in merged  # 不适用 across the task columns
    assert ws.cell(first + 3, 3).value == "不适用：本县无相关产业基础"
    assert ws.cell(first + 1, 10).font.color.rgb.endswith(("00", "33"))  # coloured status


def test_print_setup_and_frozen_header(tmp_path: Path) -> None:
    doc = sample_document(50)
    doc.paper = "A3"
    write_ledger_xlsx(doc, tmp_path / "a3.xlsx")
    ws = load_workbook(tmp_path / "a3.xlsx").active
    h = header_row(ws)
    assert ws.freeze_panes == f"A{h + 1}"
    assert ws.print_title_rows.replace("$", "") == f"{h}:{h}"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A3)
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.cell(h + 2, 3).alignment.wrap_text


def test_one_sheet_per_unit_with_safe_names(tmp_path: Path) -> None:
    doc = by_lead_unit(sample_document(80), ["县科技局", "县经信局"])
    doc.parts[
        1
    ].heading = "牵头单位：县经信局[数据]/很长很长很长很长很长很长很长很长很长很长的单位名称"
    write_ledger_xlsx(doc, tmp_path / "units.xlsx")
    wb = load_workbook(tmp_path / "units.xlsx")
    # the unit's name, the characters Excel refuses replaced, cut to 27 (room for "（2）")
    assert wb.sheetnames == ["县科技局", "县经信局_数据__" + "很长" * 9]


def test_chinese_is_plain_utf8_in_the_package(tmp_path: Path) -> None:
    write_ledger_xlsx(small_doc(), tmp_path / "x.xlsx")
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        sheets = "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        )
    assert "牵头单位" in sheets and "&#" not in sheets


def test_csv_is_utf8_with_bom_and_formula_safe(tmp_path: Path) -> None:
    doc = small_doc()
    path = tmp_path / "清单.csv"
    write_ledger_csv(doc, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    # the ledger's columns in its order, after the field; then 本期填报 and 销号
    assert rows[0] == [
        "领域",
        "编号",
        "省级条目",
        "工作任务/具体举措",
        "目标指标",
        "牵头单位",
        "配合单位",
        "完成时限",
        "进展情况",
        "完成百分比",
        "状态",
        "本期填报",
        "销号",
    ]
    assert len(rows) == 1 + 3 + 1
    # 编号 always as a formula giving its text; cells a spreadsheet would run or change too
    assert rows[1][:3] == ["一、分领域提升生产性服务业专业能力", '="1"', "1. 研发设计方面"]
    assert rows[2][1] == '="1-2"'
    assert rows[2][3] == '="=1+1"' and rows[2][4] == '="+10%"'
    assert rows[3][8] == '="-已推进"&CHAR(10)&"第二行"'
    assert rows[3][6] == '="@县财政局"'
    assert "'" not in raw.decode("utf-8-sig")  # no apostrophe guard left to show
    assert rows[4][3] == "不适用：本县无相关产业基础"
    assert rows[4][10] == "不适用"
    first = doc.parts[0].sections[0].groups[0].rows[0]
    assert rows[1][9] == f"{first.percent}%"
    assert rows[1][10] in ("已完成", "超序时", "按序时", "滞后", "未启动")  # no marker


def _csv_opened_as_excel_does(csv_path: Path, tmp_path: Path) -> list[tuple[object, ...]]:
    """The CSV opened by LibreOffice the way a double-click opens it in Excel or WPS (UTF-8,
    "detect special numbers" and formulas evaluated), saved as .xlsx and read back."""
    profile = (tmp_path / "lo-profile").as_uri()
    # comma, double quote, UTF-8, from line 1, standard columns, zh-CN, quoted fields not
    # forced to text, detect special numbers, …, evaluate formulas
    options = "CSV:44,34,76,1,,2052,false,true,false,false,false,-1,true"
    subprocess.run(
        [
            tool("soffice", "libreoffice-calc-nogui"),
            f"-env:UserInstallation={profile}",
            "--headless",
            f"--infilter={options}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(csv_path),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    book = load_workbook(tmp_path / "out" / (csv_path.stem + ".xlsx"), data_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_a_double_clicked_csv_shows_every_cell_as_written(tmp_path: Path) -> None:
    doc = small_doc()
    rows = doc.parts[0].sections[0].groups[0].rows
    rows[0].number = "1-1"  # read as 1月1日 by a spreadsheet left to itself
    rows[1].number = "2-4"
    rows[2].number = "1.10"  # … and as 1.1
    rows[0].lead_units = "+86 571 8888 0000"
    rows[0].target = '=SUM(A1:A3) 与 "引号"'
    rows[1].deadline = "2027年12月31日"
    path = tmp_path / "清单.csv"
    write_ledger_csv(doc, path)
    shown = _csv_opened_as_excel_does(path, tmp_path)
    assert shown[0][:3] == ("领域", "编号", "省级条目")
    assert [r[1] for r in shown[1:4]] == ["1-1", "2-4", "1.10"]
    assert shown[1][5] == "+86 571 8888 0000"
    assert shown[1][4] == '=SUM(A1:A3) 与 "引号"'
    assert shown[2][3] == "=1+1" and shown[2][4] == "+10%"
    assert shown[2][7] == "2027年12月31日"
    assert shown[3][8] == "-已推进\n第二行"
    assert shown[3][6] == "@县财政局"
    for row in shown:
        for cell in row:
            assert not (isinstance(cell, str) and cell.startswith("'")), row


def test_libreoffice_opens_the_workbook(tmp_path: Path) -> None:
    soffice = tool("soffice", "libreoffice-calc-nogui")
    path = tmp_path / "清单.xlsx"
    write_ledger_xlsx(small_doc(), path)
    profile = (tmp_path / "lo-profile").as_uri()
    utf8_csv = "csv:Text - txt - csv (StarCalc):44,34,76"  # comma, double quote, UTF-8
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            utf8_csv,
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "清单.csv").read_text("utf-8-sig"))))
    assert any("牵头单位" in row for row in rows)
    # The text "=1+1" came through as text: a formula would have exported as 2.
    assert any("=1+1" in row for row in rows)
    assert any("1" in row for row in rows)  # 编号 "1" kept


def test_rows_are_tall_enough_for_long_progress_in_libreoffice(tmp_path: Path) -> None:
    """LibreOffice on Linux draws 宋体 cells in a CJK face 1.45 em high (14.2–14.5 pt a line
    at 10 pt): rows sized for Excel's 宋体 cut the last line of long progress cells off."""
    doc = small_doc()
    rows = doc.parts[0].sections[0].groups[0].rows
    rows[0].progress = "\n".join(
        [
            "出台孵化服务配套支持政策3条，已兑现奖补资金350万元。（完成34%）",
            "存在问题：企业参与积极性不高，申报数量偏少",
            "滞后原因：前期审批手续耗时较长，项目开工晚于计划",
            "下步打算：加强政策宣传和上门服务，扩大企业参与面",
        ]
    )
    rows[1].progress = "短"
    rows[1].deadline = "2027年12月底"
    write_ledger_xlsx(doc, tmp_path / "进展.xlsx")
    ws = load_workbook(tmp_path / "进展.xlsx").active
    first = header_row(ws) + 2
    # 3 + 2 + 2 + 2 lines at about 13 Chinese characters a line, 14.2 pt each in LibreOffice
    assert ws.row_dimensions[first].height >= 9 * 14.2
    # a deadline like 2027年12月底 stays on one line: the row is one line high
    assert ws.row_dimensions[first + 1].height < 2 * 14.2


def test_text_past_excels_cell_limit_is_cut_with_a_note_and_reported(tmp_path: Path) -> None:
    from desktop.core.reports.xlsx_writer import cut_cells_note

    note = "……（以下超出 Excel 单元格 32767 字的上限，从略；全文见 PDF 台账）"
    doc = small_doc()
    rows = doc.parts[0].sections[0].groups[0].rows
    rows[0].content = "甲" * 40_000
    rows[1].progress = "乙" * 32_767  # exactly at Excel's limit: kept whole
    path = tmp_path / "长文本.xlsx"
    cut = write_ledger_xlsx(doc, path)
    ws = load_workbook(path).active
    first = header_row(ws) + 2
    kept = ws.cell(first, 3).value
    assert len(kept) == 32_767 and kept.endswith(note) and kept.startswith("甲甲")
    assert ws.cell(first + 1, 8).value == "乙" * 32_767
    assert cut == [f"工作表“工作任务清单”第 {first} 行（编号 1）“工作任务/具体举措”"]
    assert cut_cells_note(cut) == (
        f"{cut[0]}的文字超过 Excel 单元格 32767 字的上限，已截断并在单元格中注明；"
        "全文请看 PDF 台账。"
    )
    assert write_ledger_xlsx(small_doc(), tmp_path / "短.xlsx") == []
