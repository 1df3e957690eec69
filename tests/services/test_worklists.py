"""The work-list workflow without a GUI: create → draft → edit → 不适用 → check → fix."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.worklist import MilestoneRecord, TaskRecord
from desktop.errors import ValidationError
from desktop.services.context import Services
from desktop.services.office.service import OfficeInfo
from desktop.services.worklist.access import ListFrozenError


@pytest.fixture
def county(services: Services) -> Services:
    services.office.save(
        OfficeInfo(locality="某某县", level="县级", parent="某某市", operator="张三")
    )
    return services


def _builtin(services: Services) -> int:
    return next(n for n in services.notices.list() if n.builtin).id


def test_office_setup_fills_default_units_and_mapping(county: Services) -> None:
    names = county.units.unit_names()
    assert "县科技局" in names and "县发改局" in names
    mapping = {m.provincial: m.local for m in county.units.mappings()}
    assert mapping["省科技厅"] == "县科技局"
    assert mapping["省委金融办"] == "县委金融办"


def test_draft_covers_every_measure_once_and_is_idempotent(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    result = county.task_editing.generate_draft(wl.id)
    assert result.measures == 38 and result.tasks == 38
    rows = county.worklists.rows(wl.id)
    assert [r.number for r in rows][:3] == ["1", "2", "3"]
    first = rows[0]
    assert first.lead_units == ("县科技局",) and "县经信局" in first.co_units
    assert first.deadline == date(2027, 12, 31)
    assert "科技服务业创新发展集聚区" in first.target_text
    again = county.task_editing.generate_draft(wl.id)
    assert again.tasks == 0
    assert len(county.worklists.rows(wl.id)) == 38


def test_draft_keeps_edits_and_fills_only_missing_measures(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    county.task_editing.generate_draft(wl.id)
    rows = county.worklists.rows(wl.id)
    edited = county.worklists.task(rows[0].id)
    edited.content = "本县自定的任务内容"
    county.task_editing.save_task(wl.id, edited)
    county.task_editing.delete_tasks(wl.id, [rows[1].id])
    result = county.task_editing.generate_draft(wl.id)
    assert result.tasks == 1
    contents = [r.content for r in county.worklists.rows(wl.id)]
    assert contents[0] == "本县自定的任务内容" and len(contents) == 38


def test_draft_per_sentence(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    result = county.task_editing.generate_draft(wl.id, per_sentence=True)
    assert result.tasks > 100
    numbers = [r.number for r in county.worklists.rows(wl.id)]
    assert numbers[0] == "1-1" and "1-2" in numbers


def test_check_flow_until_clean(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    county.task_editing.generate_draft(wl.id)
    result = county.list_checks.check(wl.id)
    assert not result.passed
    kinds = {i.kind for i in result.errors}
    # the draft keeps the notice's words: the province's targets and text are not the county's
    assert {"no-target", "target-copied", "content-copied", "copied-place"} <= kinds
    # fix: the county's own text and target, a milestone, one measure marked 不适用
    rows = county.worklists.rows(wl.id)
    measure = rows[-1].measure_ids[0]
    county.task_editing.delete_tasks(wl.id, [rows[-1].id])
    with pytest.raises(ValidationError):
        county.task_editing.set_not_applicable(wl.id, measure, "  ")
    county.task_editing.set_not_applicable(wl.id, measure, "本县不涉及")
    for r in county.worklists.rows(wl.id):
        rec = county.worklists.task(r.id)
        rec.content = f"本县推进第{r.number}项工作"
        rec.target_text, rec.target_value, rec.target_unit = "完成年度任务", None, ""
        rec.milestones = [MilestoneRecord(date(2027, 6, 30), "二季度", "过半", 50)]
        county.task_editing.save_task(wl.id, rec)
    result = county.list_checks.check(wl.id)
    for issue in result.open_warnings:
        county.list_checks.accept_warning(wl.id, issue.key, issue.message, "已与上级沟通")
    result = county.list_checks.check(wl.id)
    assert result.passed, result.issues
    assert county.worklists.get(wl.id).state == "checked"
    # any edit returns the list to 草稿
    rec = county.worklists.task(county.worklists.rows(wl.id)[0].id)
    rec.remarks = "补充说明"
    county.task_editing.save_task(wl.id, rec)
    assert county.worklists.get(wl.id).state == "draft"


def test_deadline_outside_year_is_an_error(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    saved = county.task_editing.save_task(
        wl.id,
        TaskRecord(
            content="跨年任务",
            target_text="完成",
            lead_units=["县发改局"],
            deadline=date(2028, 3, 31),
        ),
    )
    result = county.list_checks.check(wl.id)
    assert any(i.key == f"deadline-year:{saved.uid}" for i in result.errors)


def test_split_merge_move_renumber_and_undo_delete(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    county.task_editing.generate_draft(wl.id)
    rows = county.worklists.rows(wl.id)
    ids = county.task_editing.split_task(wl.id, rows[0].id, ["第一部分", "第二部分", "第三部分"])
    assert len(ids) == 3
    numbers = [r.number for r in county.worklists.rows(wl.id)][:4]
    assert numbers == ["1-1", "1-2", "1-3", "2"]
    merged = county.task_editing.merge_tasks(wl.id, ids[1:])
    rec = county.worklists.task(merged)
    assert rec.content == "第二部分\n第三部分"
    county.task_editing.move_task(wl.id, merged, -1)
    assert county.worklists.rows(wl.id)[0].id == merged
    county.task_editing.renumber(wl.id)
    assert [r.number for r in county.worklists.rows(wl.id)][:3] == ["1-1", "1-2", "2"]
    before = [(r.uid, r.content) for r in county.worklists.rows(wl.id)]
    deleted = county.task_editing.delete_tasks(wl.id, [county.worklists.rows(wl.id)[1].id])
    assert len(county.worklists.rows(wl.id)) == len(before) - 1
    county.task_editing.restore_tasks(deleted)
    assert [(r.uid, r.content) for r in county.worklists.rows(wl.id)] == before


def test_multi_measure_task_covers_both(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    measures = county.worklists.measures(wl.id)
    county.task_editing.save_task(
        wl.id,
        TaskRecord(
            content="综合任务",
            target_text="完成",
            lead_units=["县发改局"],
            deadline=date(2027, 12, 31),
            measure_ids=[measures[0].id, measures[1].id],
        ),
    )
    coverage = {c.measure_id: c for c in county.worklists.coverage(wl.id)}
    assert coverage[measures[0].id].tasks == 1 and coverage[measures[1].id].tasks == 1
    assert coverage[measures[2].id].state == "uncovered"


def test_search_uses_trigram_and_like(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    county.task_editing.generate_draft(wl.id)
    hits3 = county.worklists.search(wl.id, "孵化器")
    hits2 = county.worklists.search(wl.id, "养老")
    hits1 = county.worklists.search(wl.id, "港")
    assert hits3 and hits2 and hits1
    assert county.worklists.search(wl.id, "县科技局")  # unit names are searched too
    assert county.worklists.search(wl.id, "不存在的词语") == set()
    assert county.worklists.search(wl.id, '"引号') == set()


def test_submitted_version_is_frozen_and_new_version_copies(county: Services) -> None:
    wl = county.list_lifecycle.create(_builtin(county), 2027)
    county.task_editing.generate_draft(wl.id)
    with county.sessions.begin() as s:  # what 上报 does to the state (tested in exchange)
        from desktop.db.models import WorkList

        row = s.get(WorkList, wl.id)
        assert row is not None
        row.state = "submitted"
    rec = county.worklists.task(county.worklists.rows(wl.id)[0].id)
    with pytest.raises(ListFrozenError):
        county.task_editing.save_task(wl.id, rec)
    v2 = county.list_lifecycle.new_version(wl.id)
    assert v2.version == 2 and v2.state == "draft" and v2.tasks == 38
    assert [r.uid for r in county.worklists.rows(v2.id)] == [
        r.uid for r in county.worklists.rows(wl.id)
    ]
    current = county.worklists.lists(own=True, current_only=True)
    assert [c.id for c in current] == [v2.id]


def test_duplicate_list_is_refused(county: Services) -> None:
    county.list_lifecycle.create(_builtin(county), 2027)
    with pytest.raises(ValidationError, match="已经存在"):
        county.list_lifecycle.create(_builtin(county), 2027)
