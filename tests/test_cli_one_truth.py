"""The commands of one truth (CONTRACT.md, "Added for one truth"), run through ``main``:
``worklist show``, ``progress periods|set|freeze``, ``dept export|import``, and the CSV and
package they must agree with."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop.cli import main

YEAR = "2027"


def csv_text(cell: str) -> str:
    """A CSV cell written as ``="1-1"`` (kept as text for spreadsheets), as plain text."""
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell


class Cli:
    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root, self.capsys = root, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--data-dir", str(self.root), *args])
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def json(self, *args: str) -> Any:
        code, out, err = self(*args)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    cli = Cli(tmp_path / "county", capsys)
    assert cli("demo", "--tasks", "60")[0] == 0
    yield cli


def test_periods_know_the_demo_office_day(demo: Cli) -> None:
    periods = demo.json("progress", "periods", "--year", YEAR, "--json")
    assert [(p["key"], p["state"], p["frozen"]) for p in periods] == [
        ("2027-Q1", "past", True),
        ("2027-Q2", "current", False),
        ("2027-Q3", "future", False),
        ("2027-Q4", "future", False),
    ]
    assert (
        periods[1] | {"start": "2027-04-01", "end": "2027-06-30", "due": "2027-06-25"}
        == (periods[1])
    )
    # the demo office lives on 30 June: its figures are read then
    shown = demo.json("worklist", "show", "--year", YEAR, "--json")
    assert shown["as_of"] == "2027-06-30" and shown["period"] == "2027-Q2"
    # --as-of moves the day (and with it which period is running)
    later = demo.json("progress", "periods", "--year", YEAR, "--as-of", "2027-08-01", "--json")
    assert [p["state"] for p in later] == ["past", "past", "current", "future"]


def test_future_periods_can_be_neither_filled_nor_frozen(demo: Cli) -> None:
    task = demo.json("worklist", "show", "--year", YEAR, "--json")["tasks"][0]["code"]
    code, _out, err = demo(
        "progress", "set", "--year", YEAR, "--task", task, "--period", "2027-Q3", "--percent", "60"
    )
    assert code == 2 and "第三季度还没有开始" in err and "Traceback" not in err
    code, _out, err = demo("progress", "freeze", "--year", YEAR, "--period", "2027-Q4")
    assert code == 2 and "还没有开始" in err and "不能冻结" in err


def test_progress_set_reads_back_in_show_and_csv(demo: Cli, tmp_path: Path) -> None:
    before = demo.json("worklist", "show", "--year", YEAR, "--json")
    owing = [t for t in before["tasks"] if t["not_reported"]]
    assert owing, "the demo leaves a few tasks unreported in its running quarter"
    task = owing[0]
    assert task["status"] in ("lagging", "on_track", "not_started", "ahead")
    assert not task["reported_in_current_period"]
    code, _out, err = demo(
        "progress",
        "set",
        "--year",
        YEAR,
        "--task",
        task["code"],
        "--period",
        "2027-Q2",
        "--percent",
        "55",
        "--text",
        "二季度推进顺利",
    )
    assert code == 0, err
    after = {t["uid"]: t for t in demo.json("worklist", "show", "--year", YEAR, "--json")["tasks"]}
    now = after[task["uid"]]
    assert now["percent"] == 55 and now["reported_in_current_period"]
    assert not now["not_reported"] and now["status"] == "on_track"  # 55% against 50%
    # the CSV prints the same word and percent for every task on the same day
    out = tmp_path / "清单.csv"
    assert demo("worklist", "export-csv", "--year", YEAR, "--out", str(out))[0] == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    words = {"done": "已完成", "ahead": "超序时", "on_track": "按序时", "lagging": "滞后"}
    words |= {"not_started": "未启动"}
    by_number = {csv_text(r["编号"]): r for r in rows if csv_text(r["编号"])}
    for t in after.values():
        r = by_number[t["code"]]
        assert r["状态"] == (words[t["status"]] if t["status"] else "不适用"), t["code"]
        assert r["完成百分比"] == ("" if t["percent"] is None else f"{t['percent']}%")
        assert (r["本期填报"] == "本期未填报") == t["not_reported"], t["code"]


def test_a_finished_task_reopens_only_when_told(demo: Cli) -> None:
    shown = demo.json("worklist", "show", "--year", YEAR, "--json")
    task = next(t for t in shown["tasks"] if t["status"] == "on_track")
    base = ["progress", "set", "--year", YEAR, "--task", task["code"]]
    done = [*base, "--period", "2027-Q2", "--percent", "100", "--completed-on", "2027-06-10"]
    assert demo(*done)[0] == 0
    # a report that finishes the task and gives a lower percent contradicts itself
    code, _out, err = demo(*base, "--period", "2027-Q2", "--percent", "80")
    assert code == 2 and "应为 100%" in err
    # in August the third quarter runs; the task finished in June stays finished ...
    august = [*base, "--period", "2027-Q3", "--as-of", "2027-08-01"]
    code, _out, err = demo(*august, "--text", "巩固提升")
    assert code == 0, err
    later = demo.json("worklist", "show", "--year", YEAR, "--as-of", "2027-08-01", "--json")
    now = next(t for t in later["tasks"] if t["uid"] == task["uid"])
    assert (now["status"], now["percent"]) == ("done", 100)
    # ... a lower percent is refused unless the report says it reopens the task
    code, _out, err = demo(*august, "--percent", "60")
    assert code == 2 and "重新打开" in err
    assert demo(*august, "--percent", "60", "--reopen")[0] == 0
    later = demo.json("worklist", "show", "--year", YEAR, "--as-of", "2027-08-01", "--json")
    now = next(t for t in later["tasks"] if t["uid"] == task["uid"])
    assert now["percent"] == 60 and now["status"] != "done"


def test_department_workbook_round_trip(demo: Cli, tmp_path: Path) -> None:
    shown = demo.json("worklist", "show", "--year", YEAR, "--json")
    unit = shown["tasks"][0]["lead_units"][0]
    book = tmp_path / "填报表.xlsx"
    code, _out, err = demo(
        "dept", "export", "--year", YEAR, "--unit", unit, "--period", "2027-Q2", "--out", str(book)
    )
    assert code == 0, err
    wb = load_workbook(book)
    ws = wb["任务进展"]
    headers = [c.value for c in ws[3]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    mine = [t for t in shown["tasks"] if unit in t["lead_units"]]
    codes = [ws.cell(r, col["编号"]).value for r in range(4, 4 + len(mine))]
    # as Excel, WPS and LibreOffice store 100% and 50% typed in a cell; a plain 0.5; a plain 1
    typed = [(1, "0%"), (0.5, "0%"), (0.5, "General"), (1, "General")]
    for i, (value, fmt) in enumerate(typed[: len(mine)]):
        cell = ws.cell(4 + i, col["完成百分比"])
        cell.value, cell.number_format = value, fmt
        ws.cell(4 + i, col["完成日期"]).value = None
    wb.save(book)
    preview = demo.json("dept", "import", str(book), "--json")
    assert preview["unit"] == unit and preview["period"] == "2027-Q2"
    percents = {c["code"]: c["new"] for c in preview["changes"] if c["field"] == "percent"}
    refused = {r["code"]: r for r in preview["refused"]}
    expected = dict(zip(codes, [100, 50, 50, None], strict=False))
    for number, want in expected.items():
        if want is None:
            assert number in refused and "1% 还是 100%" in refused[number]["reason"]
            assert refused[number]["row"] == 4 + codes.index(number)
        elif number in percents:
            assert percents[number] == want, number
        elif number in refused:  # finished in the first quarter: completion is sticky
            assert "已于" in refused[number]["reason"], refused[number]
        else:  # unchanged: it stood at that percent already
            assert after_show(shown, number)["percent"] == want
    applied = demo.json("dept", "import", str(book), "--apply", "--json")
    assert applied["applied"] >= 1
    after = {t["code"]: t for t in demo.json("worklist", "show", "--year", YEAR, "--json")["tasks"]}
    for number, want in percents.items():
        # a task closed out (销号) is finished whatever a later report says
        assert after[number]["percent"] == (100 if after[number]["closed"] else want)


def after_show(shown: dict[str, Any], number: str) -> dict[str, Any]:
    return next(t for t in shown["tasks"] if t["code"] == number)


def test_a_row_of_another_units_task_is_refused(demo: Cli, tmp_path: Path) -> None:
    shown = demo.json("worklist", "show", "--year", YEAR, "--json")
    units = sorted({u for t in shown["tasks"] for u in t["lead_units"]})
    first, other = units[0], units[1]
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    args = ["dept", "export", "--year", YEAR, "--period", "2027-Q2"]
    assert demo(*args, "--unit", first, "--out", str(ours))[0] == 0
    assert demo(*args, "--unit", other, "--out", str(theirs))[0] == 0
    # a row copied whole from the other unit's workbook, its ID and key cells with it: the
    # first whose task the unit does not lead jointly
    source = load_workbook(theirs)["任务进展"]
    copied = next(
        list(row)
        for row in source.iter_rows(min_row=4, values_only=True)
        if first not in after_show(shown, str(row[0]))["lead_units"]
    )
    code = copied[0]
    wb = load_workbook(ours)
    ws = wb["任务进展"]
    last = ws.max_row + 1
    for i, value in enumerate(copied, 1):
        ws.cell(last, i).value = value
    wb.save(ours)
    preview = demo.json("dept", "import", str(ours), "--json")
    (row,) = [r for r in preview["refused"] if r["code"] == code]
    assert row["row"] == last and f"不是本表的牵头单位{first}" in row["reason"]


def test_the_package_follows_the_office(demo: Cli, tmp_path: Path) -> None:
    assert (
        demo("office", "set", "--locality", "新名县", "--level", "县级", "--code", "330188")[0] == 0
    )
    pkg = tmp_path / "p.zip"
    code, _out, err = demo("package", "export", "--year", YEAR, "--out", str(pkg))
    assert code == 0, err
    with zipfile.ZipFile(pkg) as z:
        names = z.namelist()
        manifest = json.loads(z.read(next(n for n in names if n.endswith("manifest.json"))))
        data = json.loads(z.read(next(n for n in names if n.endswith("data.json"))))
    assert manifest["locality"]["name"] == "新名县" and manifest["locality"]["code"] == "330188"
    assert manifest["locality"]["parent"] == "示例市"
    assert data["work_list"]["locality"] == "新名县"
    assert data["work_list"]["locality_code"] == "330188"
    # the figures of the export day travel: the same as worklist show
    shown = demo.json("worklist", "show", "--year", YEAR, "--json")
    figures = {f["task"]: f for f in data["figures"]["tasks"]}
    assert data["figures"]["as_of"] == shown["as_of"]
    for t in shown["tasks"]:
        f = figures[t["uid"]]
        assert (f["status"], f["percent"]) == (t["status"], t["percent"]), t["code"]
        assert f["reported_in_current_period"] == t["reported_in_current_period"]
