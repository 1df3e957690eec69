"""Service helpers the list and settings screens rely on: single rows, inserting beside a task,
accepting warnings together, fast search, renaming units in place, saving a mapping at once."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.worklist import TaskRecord
from desktop.errors import NotFoundError, ValidationError
from desktop.services.context import Services
from desktop.services.office.local_units import MappingChange
from desktop.services.office.service import OfficeInfo


@pytest.fixture
def county(services: Services) -> Services:
    services.office.save(
        OfficeInfo(locality="某某县", level="县级", parent="某某市", operator="张三")
    )
    return services


def _list(services: Services, year: int = 2027) -> int:
    notice = next(n for n in services.notices.list() if n.builtin).id
    wl = services.list_lifecycle.create(notice, year)
    services.task_editing.generate_draft(wl.id)
    return wl.id


def test_row_reads_one_task_like_rows(county: Services) -> None:
    list_id = _list(county)
    rows = county.worklists.rows(list_id)
    assert county.worklists.row(list_id, rows[7].id) == rows[7]
    with pytest.raises(NotFoundError):
        county.worklists.row(list_id, 10**6)


def test_new_task_goes_below_the_given_task(county: Services) -> None:
    list_id = _list(county)
    rows = county.worklists.rows(list_id)
    saved = county.task_editing.save_task(
        list_id,
        TaskRecord(content="插在第三项后", measure_ids=list(rows[2].measure_ids)),
        after=rows[2].id,
    )
    after = county.worklists.rows(list_id)
    assert [r.id for r in after][:5] == [rows[0].id, rows[1].id, rows[2].id, saved.id, rows[3].id]
    assert [r.position for r in after] == list(range(len(after)))
    end = county.task_editing.save_task(list_id, TaskRecord(content="放在最后"))
    assert county.worklists.rows(list_id)[-1].id == end.id
    with pytest.raises(NotFoundError):
        county.task_editing.save_task(list_id, TaskRecord(content="x"), after=10**6)
    assert len(county.worklists.rows(list_id)) == len(rows) + 2


def test_accept_and_revoke_several_warnings_at_once(county: Services) -> None:
    list_id = _list(county)
    warnings = county.list_checks.check(list_id).open_warnings[:3]
    assert len(warnings) == 3
    with pytest.raises(ValidationError):
        county.list_checks.accept_warnings(list_id, [(w.key, w.message) for w in warnings], " ")
    assert county.list_checks.accepted_warnings(list_id) == {}
    county.list_checks.accept_warnings(
        list_id, [(w.key, w.message) for w in warnings], "节点待省里统一下达"
    )
    accepted = county.list_checks.accepted_warnings(list_id)
    assert set(accepted) == {w.key for w in warnings}
    assert set(accepted.values()) == {"节点待省里统一下达"}
    county.list_checks.revoke_warnings(list_id, [warnings[0].key, warnings[1].key])
    assert set(county.list_checks.accepted_warnings(list_id)) == {warnings[2].key}


def test_search_stays_within_the_list(county: Services) -> None:
    first = _list(county, 2027)
    second = _list(county, 2028)
    hits = county.worklists.search(first, "孵化器")
    assert hits and hits.isdisjoint(county.worklists.search(second, "孵化器"))
    assert hits <= {r.id for r in county.worklists.rows(first)}


def test_rename_keeps_mapping_and_follows_into_open_lists(county: Services) -> None:
    list_id = _list(county)
    frozen_id = _list(county, 2026)
    with county.sessions.begin() as s:
        from desktop.db.models import WorkList

        for wl_id, state in ((list_id, "checked"), (frozen_id, "submitted")):
            row = s.get(WorkList, wl_id)
            assert row is not None
            row.state = state
    names = county.units.unit_names()
    renamed = [("县科学技术局" if n == "县科技局" else n) for n in names]
    county.units.save_units(renamed, renamed={"县科技局": "县科学技术局"})
    assert county.units.unit_names() == renamed
    mapping = {m.provincial: m.local for m in county.units.mappings()}
    assert mapping["省科技厅"] == "县科学技术局"
    leads = {u for r in county.worklists.rows(list_id) for u in r.lead_units}
    assert "县科学技术局" in leads and "县科技局" not in leads
    assert county.worklists.get(list_id).state == "draft"  # changed, so checked no more
    frozen = {u for r in county.worklists.rows(frozen_id) for u in r.lead_units}
    assert "县科技局" in frozen  # a submitted version keeps what it was sent with
    # renaming onto a name another unit has is refused, and nothing changes
    with pytest.raises(ValidationError, match="已经有了"):
        county.units.save_units(
            [n for n in renamed if n != "县发改局"], renamed={"县发改局": "县科学技术局"}
        )
    assert county.units.unit_names() == renamed


def test_deleting_a_unit_flags_its_mapping_plainly(county: Services) -> None:
    names = county.units.unit_names()
    county.units.save_units([n for n in names if n != "县科技局"])
    entry = next(m for m in county.units.mappings() if m.provincial == "省科技厅")
    assert entry.flagged and "已从本级单位名单删除" in entry.note


def test_adding_a_unit_back_maps_the_provincial_units_left_without_one(
    county: Services,
) -> None:
    names = county.units.unit_names()
    county.units.save_units([n for n in names if n != "县科技局"])
    county.units.save_units([*[n for n in names if n != "县科技局"], "县科技局"])
    entry = next(m for m in county.units.mappings() if m.provincial == "省科技厅")
    assert entry.local == "县科技局" and not entry.flagged


def test_a_mapping_left_open_by_hand_stays_open_when_units_change(county: Services) -> None:
    county.units.set_mappings([MappingChange("省科技厅", None, note="待定")])
    county.units.save_units([*county.units.unit_names(), "县营商环境建设局"])
    entry = next(m for m in county.units.mappings() if m.provincial == "省科技厅")
    assert entry.local is None and entry.note == "待定"


def test_mapping_looked_at_before_the_office_was_set_up_is_filled_with_the_units(
    services: Services,
) -> None:
    assert all(m.flagged for m in services.units.mappings())  # no units yet: nothing found
    services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
    mapping = {m.provincial: m for m in services.units.mappings()}
    assert mapping["省科技厅"].local == "县科技局"
    assert not [m.provincial for m in mapping.values() if m.flagged]


def test_set_mappings_is_all_or_nothing(county: Services) -> None:
    before = {m.provincial: m for m in county.units.mappings()}
    with pytest.raises(ValidationError, match="不在本级单位名单"):
        county.units.set_mappings(
            [
                MappingChange("省科技厅", "县经信局", note="本县由经信局承担"),
                MappingChange("省商务厅", "不存在的局"),
            ]
        )
    assert {m.provincial: m for m in county.units.mappings()} == before
    county.units.set_mappings(
        [
            MappingChange("省科技厅", "县经信局", note="本县由经信局承担"),
            MappingChange("省商务厅", "县商务局", ignored=True),
        ]
    )
    after = {m.provincial: m for m in county.units.mappings()}
    assert after["省科技厅"].local == "县经信局" and after["省科技厅"].note == "本县由经信局承担"
    assert after["省商务厅"].ignored and after["省商务厅"].local is None


def test_default_unit_names_follow_the_level(county: Services) -> None:
    names = county.units.default_unit_names()
    assert "县发改局" in names and all(not n.startswith("市") for n in names)


def test_rows_keep_dates_and_units_in_order(county: Services) -> None:
    list_id = _list(county)
    saved = county.task_editing.save_task(
        list_id,
        TaskRecord(
            content="检查读取",
            lead_units=["县甲局", "县乙局"],
            co_units=["县丙局"],
            start_on=date(2027, 2, 1),
            deadline=date(2027, 9, 30),
        ),
    )
    assert saved.id is not None
    row = county.worklists.row(list_id, saved.id)
    assert row.lead_units == ("县甲局", "县乙局") and row.co_units == ("县丙局",)
    assert (row.start_on, row.deadline) == (date(2027, 2, 1), date(2027, 9, 30))
    assert row.problems == ("缺目标指标",)


def test_a_manual_mapping_gets_a_manual_note(county: Services) -> None:
    from desktop.services.office.local_units import MappingChange

    names = county.units.unit_names()
    county.units.save_units([n for n in names if n != "县科技局"])
    before = {m.provincial: m for m in county.units.mappings()}["省科技厅"]
    assert before.local is None and before.note  # the rules' note: nothing found
    # the screen hands back the note it showed: it belonged to the proposal, not the choice
    county.units.set_mappings([MappingChange("省科技厅", "县经信局", False, before.note)])
    after = {m.provincial: m for m in county.units.mappings()}["省科技厅"]
    assert (after.local, after.note) == ("县经信局", "手动指定")
    county.units.set_mapping("省科技厅", None, ignored=True, note="手动指定")
    assert {m.provincial: m.note for m in county.units.mappings()}["省科技厅"] == "本级不承担"
    # a note the office writes stays; handed back unchanged with another unit, it described
    # the old choice and gives way
    county.units.set_mapping("省科技厅", "县经信局", note="由经信局统筹")
    assert {m.provincial: m.note for m in county.units.mappings()}["省科技厅"] == "由经信局统筹"
    county.units.set_mapping("省科技厅", "县经信局", note="由经信局统筹推进")
    assert {m.provincial: m.note for m in county.units.mappings()}["省科技厅"] == "由经信局统筹推进"
    county.units.set_mapping("省科技厅", "县发改局", note="由经信局统筹推进")
    assert {m.provincial: m.note for m in county.units.mappings()}["省科技厅"] == "手动指定"
    # set_mapping without a note: the manual note
    county.units.set_mapping("省发展改革委", "县发改局")
    assert {m.provincial: m.note for m in county.units.mappings()}["省发展改革委"] == "手动指定"
