"""The office's optional ledger columns: kept per office, printed by every ledger file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.core.reports import check_fonts
from desktop.db.models import Milestone, Task
from desktop.errors import ValidationError
from desktop.services.context import Services, open_office
from desktop.services.demo.office import run_demo
from desktop.services.ledger.service import LedgerOptions
from tests.needs import missing

OFFICIAL = ["编号", "省级条目", "工作任务/具体举措", "目标指标", "牵头单位", "配合单位"]
OFFICIAL += ["完成时限", "进展情况", "完成百分比", "状态"]


@pytest.fixture
def demo(services: Services) -> int:
    return run_demo(services, tasks=30).list_id


def _first_task_with_milestones(services: Services, list_id: int) -> tuple[str, str, list[str]]:
    """(number, leader, milestone descriptions) of a task, read straight from the tables."""
    with services.sessions() as session:
        task = next(
            t
            for t in session.query(Task).filter(Task.work_list_id == list_id).order_by(Task.id)
            if session.query(Milestone).filter(Milestone.task_id == t.id).count()
        )
        described = [
            m.description
            for m in session.query(Milestone)
            .filter(Milestone.task_id == task.id)
            .order_by(Milestone.due_on)
        ]
        return task.number, task.leader, described


def test_the_official_layout_until_the_office_chooses(services: Services, demo: int) -> None:
    assert services.ledgers.columns() == ()
    doc = services.ledgers.document(demo)
    assert [c.label for c in doc.ledger_columns()] == OFFICIAL
    assert all(not r.leader and not r.schedule for r in _rows(doc))


def test_chosen_columns_are_kept_for_the_office(services: Services, demo: int) -> None:
    # chosen in any order, kept in print order
    assert services.ledgers.set_columns(["remarks", "leader", "schedule"]) == (
        "leader",
        "schedule",
        "remarks",
    )
    root = services.data_dir.root
    services.close()
    reopened = open_office(root)
    try:
        assert reopened.ledgers.columns() == ("leader", "schedule", "remarks")
        doc = reopened.ledgers.document(demo)
        labels = [c.label for c in doc.ledger_columns()]
        chosen = ["责任领导", "完成时限", "节点/序时安排"]
        assert labels == [*OFFICIAL[:6], *chosen, *OFFICIAL[7:], "备注"]
        number, leader, described = _first_task_with_milestones(reopened, demo)
        row = next(r for r in _rows(doc) if r.number == number)
        assert row.leader == leader and leader
        shown = [line.split("：", 1)[1].rsplit("（", 1)[0] for line in row.schedule.split("\n")]
        assert shown == described
        assert row.schedule.split("\n")[0].startswith("3月底：")  # the list's year left out
        # the screen may try a choice before keeping it: options override the office's
        plain = reopened.ledgers.document(demo, LedgerOptions(columns=()))
        assert [c.label for c in plain.ledger_columns()] == OFFICIAL
    finally:
        reopened.close()


def test_an_unknown_column_is_refused_and_nothing_changes(services: Services, demo: int) -> None:
    services.ledgers.set_columns(["person"])
    with pytest.raises(ValidationError, match="没有“电话”这一列"):
        services.ledgers.set_columns(["person", "电话"])
    assert services.ledgers.columns() == ("person",)


def test_pdf_excel_and_csv_print_the_chosen_columns(
    services: Services, demo: int, tmp_path: Path
) -> None:
    if check_fonts() is not None:
        missing("a Chinese font (Debian package fonts-wqy-zenhei)")
    services.ledgers.set_columns(["leader", "person", "schedule", "remarks"])
    number, leader, described = _first_task_with_milestones(services, demo)
    services.ledgers.write_pdf(demo, tmp_path / "台账.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "台账.pdf").pages)
    flat = "".join(text.split())
    for heading in ("责任领导", "责任人", "节点/序时安排", "备注"):
        assert heading in flat
    assert leader in flat and "".join(described[0].split()) in flat

    services.ledgers.write_xlsx(demo, tmp_path / "台账.xlsx")
    ws = load_workbook(tmp_path / "台账.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "编号")
    col = {h: i for i, h in enumerate(rows[head]) if h}
    row = next(r for r in rows[head + 1 :] if r[0] == number)
    assert row[col["责任领导"]] == leader
    assert described[0] in row[col["节点/序时安排"]]

    services.ledgers.write_csv(demo, tmp_path / "台账.csv")
    lines = list(csv.DictReader(io.StringIO((tmp_path / "台账.csv").read_text("utf-8-sig"))))
    line = next(r for r in lines if r["编号"] == f'="{number}"')
    assert line["责任领导"] == leader and described[0] in line["节点/序时安排"]
    assert "备注" in lines[0] and "责任人" in lines[0]


def _rows(doc):  # type: ignore[no-untyped-def]
    return [r for p in doc.parts for s in p.sections for g in s.groups for r in g.rows]


def test_a_frozen_period_keeps_the_columns_it_was_frozen_with(
    services: Services, demo: int
) -> None:
    frozen = [p for p in services.progress.periods(demo) if p.frozen]
    assert frozen  # the demo freezes the first quarter, before any column was chosen
    services.ledgers.set_columns(["leader", "remarks"])
    options = LedgerOptions(variant="progress", period_id=frozen[0].id)
    reprint = services.ledgers.document(demo, options)
    assert [c.label for c in reprint.ledger_columns()] == OFFICIAL
    live = services.ledgers.document(demo, LedgerOptions(variant="all"))
    assert "责任领导" in [c.label for c in live.ledger_columns()]
