"""The list screen's item models (checked by qtmodeltester) and its plain-Python rows."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from desktop.core.checks import CheckIssue, CheckResult
from desktop.core.figures import TaskFigures
from desktop.core.status import Severity, Status, StatusResult
from desktop.core.worklist import MilestoneRecord
from desktop.services.context import Services
from desktop.services.worklist.queries import CoverageRow
from desktop.services.worklist.task_rows import TaskRow
from desktop.ui.worklist.check_panel import CheckModel
from desktop.ui.worklist.coverage import CoverageModel
from desktop.ui.worklist.milestones import MilestoneModel, quarter_milestones
from desktop.ui.worklist.notice_index import NoticeIndex
from desktop.ui.worklist.rows import (
    COLUMN_KEYS,
    DUE_SOON,
    NO_LEAD,
    FilterState,
    apply_filters,
    build_views,
    sort_views,
)
from desktop.ui.worklist.table_model import TaskTableModel
from tests.ui.worklist_helpers import builtin_notice


@pytest.fixture
def index(services: Services) -> NoticeIndex:
    return NoticeIndex(services.notices.tree(builtin_notice(services)))


def _row(i: int, measure: int, **kw: object) -> TaskRow:
    values: dict[str, object] = {
        "id": i,
        "uid": f"u{i}",
        "number": str(i),
        "position": i,
        "content": f"任务{i}",
        "target_text": "完成",
        "lead_units": ("县发改局",),
        "co_units": (),
        "deadline": date(2027, 12, 31),
        "start_on": None,
        "leader": "",
        "person": "",
        "phone": "",
        "remarks": "",
        "measure_ids": (measure,),
        "milestones": 0,
        "closed_on": None,
        "problems": (),
    }
    values.update(kw)
    return TaskRow(**values)  # type: ignore[arg-type]


def _status(
    status: Status, severity: Severity, *, due_soon: bool = False, not_reported: bool = False
) -> TaskFigures:
    result = StatusResult(status, severity, 50, 40, 10, due_soon, False, "说明")
    return TaskFigures(
        date(2027, 6, 30), status, 40, None, False, False, not not_reported, True, result
    )


def test_notice_index_names_measures_with_their_section(index: NoticeIndex) -> None:
    first = index.measures[0]
    assert index.measure_full[first.id] == "一（一）1. 研发设计方面"
    # numbers restart in each top-level section; the prefix keeps them apart
    fulls = list(index.measure_full.values())
    assert len(set(fulls)) == len(fulls)
    sub = index.measure_section[first.id]
    assert sub is not None and len(index.section_chain[sub]) == 2
    assert index.section_label[sub] == "一（一）强化科技服务支撑作用"


def test_filters_and_sorting_over_plain_rows(index: NoticeIndex) -> None:
    m = [x.id for x in index.measures]
    rows = [
        _row(1, m[0], number="1-2"),
        _row(2, m[0], number="1-10", lead_units=(), problems=("缺牵头单位",)),
        _row(3, m[30], number="2", deadline=None, problems=("缺完成时限",)),
        _row(4, m[5], number="1-1", lead_units=("县科技局",)),
        _row(5, m[5], number="1-3", lead_units=("县科技局",)),
    ]
    statuses = {
        1: _status(Status.ON_TRACK, Severity.NONE),
        2: _status(Status.LAGGING, Severity.RED),
        4: _status(Status.ON_TRACK, Severity.BLUE, due_soon=True),
        5: _status(Status.LAGGING, Severity.RED, not_reported=True),
    }
    views = build_views(rows, index, statuses)
    ids = lambda vs: [v.row.id for v in vs]  # noqa: E731
    assert ids(apply_filters(views, FilterState())) == [1, 2, 3, 4, 5]
    assert ids(apply_filters(views, FilterState(lead_unit="县科技局"))) == [4, 5]
    assert ids(apply_filters(views, FilterState(lead_unit=NO_LEAD))) == [2]
    assert ids(apply_filters(views, FilterState(problems_only=True))) == [2, 3]
    # 滞后 is the lagging tasks that reported; one that owes its report is 本期未填报
    assert ids(apply_filters(views, FilterState(status=Status.LAGGING.value))) == [2]
    assert ids(apply_filters(views, FilterState(status="not_reported"))) == [5]
    assert views[4].cells[COLUMN_KEYS.index("status")] == "滞后（本期未填报）"
    assert views[4].cells[COLUMN_KEYS.index("percent")] == "40%"
    assert ids(apply_filters(views, FilterState(status=DUE_SOON))) == [4]
    assert ids(apply_filters(views, FilterState(measure_id=m[0]))) == [1, 2]
    top = index.section_chain[index.measure_section[m[30]]][-1]
    assert ids(apply_filters(views, FilterState(section_id=top))) == [3]
    assert ids(apply_filters(views, FilterState(search_ids=frozenset({3, 4})))) == [3, 4]
    col = COLUMN_KEYS.index
    assert ids(sort_views(views, col("number"), False, index)) == [4, 1, 5, 2, 3]
    assert ids(sort_views(views, col("deadline"), True, index)) == [3, 1, 2, 4, 5]
    assert ids(sort_views(views, col("status"), False, index)) == [2, 5, 4, 1, 3]
    assert ids(sort_views(views, col("measure"), False, index)) == [1, 2, 4, 5, 3]
    # text columns put empty cells last in both directions
    assert ids(sort_views(views, col("lead"), True, index))[-1] == 2
    assert ids(sort_views(views, col("lead"), False, index))[-1] == 2


def test_task_table_model(qtmodeltester, index: NoticeIndex) -> None:
    m = index.measures[0].id
    rows = [_row(i, m, problems=("缺目标指标",) if i % 3 == 0 else ()) for i in range(1, 40)]
    views = build_views(rows, index, {1: _status(Status.LAGGING, Severity.RED)})
    model = TaskTableModel()
    model.notice_index = index
    model.set_views(views)
    qtmodeltester.check(model)
    assert model.rowCount() == 39 and model.row_of(5) == 4
    assert model.data(model.index(0, COLUMN_KEYS.index("status"))) == "滞后"
    assert model.data(model.index(2, 0), 8) is not None  # problem rows are tinted
    model.set_views(views[:3])
    qtmodeltester.check(model)


def test_coverage_model(qtmodeltester, index: NoticeIndex) -> None:
    rows = [
        CoverageRow(x.id, x.code, x.label, x.section_id, n % 3, "不涉及" if n == 4 else None)
        for n, x in enumerate(index.measures)
    ]
    model = CoverageModel()
    model.set_rows(rows, index)
    qtmodeltester.check(model)
    counts = model.counts()
    assert counts["excluded"] == 1 and counts["uncovered"] + counts["covered"] == len(rows) - 1
    model.set_open_only(True)
    assert model.rowCount() == counts["uncovered"]
    assert {model.data(model.index(r, 2)) for r in range(model.rowCount())} == {"未分解"}
    qtmodeltester.check(model)


def test_check_model_orders_errors_first(qtmodeltester) -> None:
    issues = (
        CheckIssue("w1", "warning", "提醒一", task_id=1),
        CheckIssue("e1", "error", "错误一", task_id=2),
        CheckIssue("w2", "warning", "提醒二", task_id=3),
    )
    model = CheckModel()
    model.set_result(CheckResult(issues, {"w1": "已说明"}))
    qtmodeltester.check(model)
    texts = [model.data(model.index(r)) for r in range(3)]
    assert texts[0].startswith("错误") and "提醒二" in texts[1] and "已说明" in texts[2]


def test_milestone_model(qtmodeltester) -> None:
    model = MilestoneModel()
    model.set_milestones(quarter_milestones(2027, None, date(2027, 9, 30)))
    qtmodeltester.check(model)
    assert [m.percent for m in model.milestones()] == [33, 67, 100]
    model.add(MilestoneRecord(date(2027, 5, 31), "5月", "", None))
    assert [m.due_on.month for m in model.milestones()] == [3, 5, 6, 9]
    qtmodeltester.check(model)


def test_milestone_model_refuses_a_second_node_on_the_same_day(qtbot) -> None:
    """A duplicate date is turned down with a reason, and the rows stay as they were."""
    model = MilestoneModel()
    model.set_milestones(quarter_milestones(2027, None, date(2027, 9, 30)))
    before = model.milestones()
    with qtbot.waitSignal(model.refused) as signal:
        assert not model.setData(model.index(1, 0), QDate(2027, 3, 31))
    assert "同一日期" in signal.args[0]
    assert model.milestones() == before
