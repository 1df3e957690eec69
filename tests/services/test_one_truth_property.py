"""One truth, tried at random: for random progress histories and days, every task's status
and percent read the same in ``worklist show``, the CSV, the Excel export, the PDF ledger,
the package's data and the city's view after import."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, select

from desktop.cli import main
from desktop.core.reports import check_fonts
from desktop.db.models import ProgressReport, ReportingPeriod, Task
from desktop.services.context import open_office
from tests.needs import missing, tool

from .exchange_support import YEAR, city, own_list_ready

WORDS = {"已完成": "done", "超序时": "ahead", "按序时": "on_track", "滞后": "lagging"}
WORDS |= {"未启动": "not_started", "不适用": None}
DAYS = [date(YEAR, 2, 15), date(YEAR, 5, 20), date(YEAR, 6, 30), date(YEAR, 8, 10)]
QUARTERS = {f"{YEAR}-Q{q}": q for q in range(1, 5)}
SHOWN = 6  # the tasks given random histories; the rest of the list reports nothing


def csv_text(cell: str) -> str:
    """A CSV cell written as ``="1-1"`` (kept as text for spreadsheets), as plain text."""
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A county with a list that passes the check, and its city: copied for every case."""
    tool("pdftotext", "poppler-utils")  # the ledger is read back by poppler
    if check_fonts() is not None:
        missing("a Chinese TrueType font (Debian package fonts-wqy-zenhei)")
    root = tmp_path_factory.mktemp("truth")
    county = open_office(root / "county")
    try:
        from desktop.services.office.service import OfficeInfo

        county.office.save(
            OfficeInfo(locality="示例县", level="县级", parent="示例市", operator="张三")
        )
        county.progress.periods(own_list_ready(county))  # the periods made once, here
    finally:
        county.close()
    city(root / "city").close()
    yield root / "county", root / "city"


# one quarter's report: nothing, text only, a percent, done on a day, or reopened at a percent
REPORT = st.one_of(
    st.none(),
    st.just(("text", None)),
    st.tuples(st.just("percent"), st.integers(0, 100)),
    st.tuples(st.just("done"), st.integers(1, 28)),
    st.tuples(st.just("reopen"), st.integers(0, 90)),
)
TASK = st.tuples(
    st.sampled_from([None, date(YEAR, 1, 1), date(YEAR, 4, 1)]),  # start
    st.sampled_from([date(YEAR, 6, 30), date(YEAR, 12, 31)]),  # deadline
    st.booleans(),  # closed out on 30 June
    st.lists(REPORT, min_size=4, max_size=4),
)


def _cli(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(root), *args])
    return code, out.getvalue()


def _json(root: Path, *args: str) -> Any:
    code, text = _cli(root, *args)
    assert code == 0, text
    return json.loads(text)


def _fill(root: Path, tasks: list[tuple[Any, ...]]) -> None:
    """Write the random histories straight into the database (entry's own rules are
    tested elsewhere; here any history must read the same everywhere)."""
    services = open_office(root)
    try:
        with services.sessions.begin() as session:
            ids = list(session.execute(select(Task.id).order_by(Task.position)).scalars())
            periods = {p.key: p for p in session.execute(select(ReportingPeriod)).scalars()}
            session.execute(delete(ProgressReport))
            # one report the list always has, so the ledgers print their status columns
            q1 = periods[f"{YEAR}-Q1"]
            session.add(ProgressReport(task_id=ids[-1], period_id=q1.id, text="推进中"))
            for tid, (start, deadline, closed, reports) in zip(ids, tasks, strict=False):
                task = session.get(Task, tid)
                assert task is not None
                task.start_on, task.deadline = start, deadline
                task.closed_on = date(YEAR, 6, 30) if closed else None
                task.closed_by = "张三" if closed else ""
                task.close_evidence = "验收报告" if closed else ""
                for key, report in zip(QUARTERS, reports, strict=True):
                    if report is None:
                        continue
                    kind, value = report
                    p = periods[key]
                    row = ProgressReport(task_id=tid, period_id=p.id, text=f"{kind}进展")
                    if kind == "percent":
                        row.percent = value
                    elif kind == "done":
                        row.percent = 100
                        row.completed_on = date(YEAR, p.end.month, value)
                    elif kind == "reopen":
                        row.percent, row.reopened = value, True
                    session.add(row)
    finally:
        services.close()


def _csv(root: Path, day: date, tmp: Path) -> dict[str, tuple[str | None, int | None]]:
    out = tmp / "清单.csv"
    assert _cli(root, "worklist", "export-csv", "--year", str(YEAR), "--as-of", str(day),
                "--out", str(out))[0] == 0  # fmt: skip
    rows = csv.DictReader(io.StringIO(out.read_text("utf-8-sig")))
    return {
        csv_text(r["编号"]): (
            WORDS[r["状态"]],
            int(r["完成百分比"][:-1]) if r["完成百分比"] else None,
        )
        for r in rows
        if csv_text(r["编号"])
    }


def _xlsx(root: Path, day: date, tmp: Path) -> dict[str, tuple[str | None, int | None]]:
    out = tmp / "清单.xlsx"
    assert _cli(root, "worklist", "export-xlsx", "--year", str(YEAR), "--as-of", str(day),
                "--out", str(out))[0] == 0  # fmt: skip
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "编号")
    col = {h: i for i, h in enumerate(rows[head]) if h}
    found = {}
    for r in rows[head + 1 :]:
        number, word, percent = r[col["编号"]], r[col["状态"]], r[col["完成百分比"]]
        if not number or not word:
            continue
        first = str(word).split("\n")[0].lstrip("▲")
        found[str(number)] = (WORDS[first], None if percent is None else round(percent * 100))
    return found


def _pdf_counts(root: Path, day: date, tmp: Path) -> tuple[Counter[str], Counter[int]]:
    """The status words and percents printed in the progress ledger of the day's period,
    read back by poppler from the two columns."""
    from desktop.core.reports.pdf_style import PROGRESS_COLUMN_SHARES, LedgerStyle, geometry

    holding = next(k for k, q in QUARTERS.items() if (day.month - 1) // 3 + 1 == q)
    out = tmp / "台账.pdf"
    code, _ = _cli(root, "ledger", "pdf", "--year", str(YEAR), "--variant", "progress",
                   "--period", holding, "--as-of", str(day), "--out", str(out))  # fmt: skip
    assert code == 0
    geo = geometry("A4", LedgerStyle(), PROGRESS_COLUMN_SHARES)

    def column(c: int) -> str:
        x0, x1 = geo.xs[c], geo.xs[c + 1]
        crop = ["-x", str(int(x0) + 1), "-y", "0", "-W", str(int(x1 - x0) - 2)]
        crop += ["-H", str(int(geo.page_height))]
        text = subprocess.run(
            ["pdftotext", *crop, str(out), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8")
        return re.sub(r"\s+", "", text)

    words = column(len(geo.xs) - 2)
    statuses: Counter[str] = Counter()
    for word, status in WORDS.items():
        if status is not None:
            statuses[status] = words.count(word)
    percents = Counter(int(p) for p in re.findall(r"(\d+)%", column(len(geo.xs) - 3)))
    return statuses, percents


@given(st.lists(TASK, min_size=SHOWN, max_size=SHOWN), st.sampled_from(DAYS))
@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_output_reads_the_same(
    base: tuple[Path, Path], tasks: list[tuple[Any, ...]], day: date
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        county, upper = tmp / "county", tmp / "city"
        shutil.copytree(base[0], county)
        shutil.copytree(base[1], upper)
        _fill(county, tasks)
        year = str(YEAR)
        shown = _json(county, "worklist", "show", "--year", year, "--as-of", str(day), "--json")
        truth = {t["code"]: (t["status"], t["percent"]) for t in shown["tasks"]}
        by_uid = {t["uid"]: (t["status"], t["percent"]) for t in shown["tasks"]}
        assert len(truth) == len(shown["tasks"]) == 38

        assert _csv(county, day, tmp) == truth
        assert _xlsx(county, day, tmp) == truth
        statuses, percents = _pdf_counts(county, day, tmp)
        assert statuses == Counter(s for s, _ in truth.values() if s is not None)
        assert percents == Counter(p for _, p in truth.values() if p is not None)

        package = tmp / "上报包.zip"
        assert _cli(county, "package", "export", "--year", year, "--as-of", str(day),
                    "--out", str(package))[0] == 0  # fmt: skip
        with zipfile.ZipFile(package) as z:
            data = json.loads(z.read(next(n for n in z.namelist() if n.endswith("data.json"))))
        figures = {f["task"]: (f["status"], f["percent"]) for f in data["figures"]["tasks"]}
        assert data["figures"]["as_of"] == day.isoformat() and figures == by_uid

        assert _cli(upper, "package", "import", str(package))[0] == 0
        seen = _json(upper, "worklist", "show", "--year", year, "--locality", "示例县",
                     "--as-of", str(day), "--json")  # fmt: skip
        assert {t["uid"]: (t["status"], t["percent"]) for t in seen["tasks"]} == by_uid
