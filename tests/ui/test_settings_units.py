"""单位设置: the office tab, the unit list (本级单位) and the mapping (单位对应)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop.core.worklist import TaskRecord
from desktop.services.context import Services
from desktop.services.office.local_units import MappingChange
from desktop.ui.settings_page import SettingsPage
from desktop.ui.units.mapping import IGNORED, LOCAL, NOTE, MappingModel
from tests.ui.worklist_helpers import builtin_notice


def _page(qtbot, services: Services) -> SettingsPage:  # type: ignore[no-untyped-def]
    page = SettingsPage(services.office, services.units)
    qtbot.addWidget(page)
    page.setMinimumSize(960, 600)  # keeps the offscreen plugin from warning on show
    page.resize(1130, 740)
    page.show()
    return page


def test_unit_list_add_rename_move_delete_save(qtbot, county: Services, answered) -> None:
    wl = county.list_lifecycle.create(builtin_notice(county), 2027)
    county.task_editing.save_task(
        wl.id,
        TaskRecord(
            content="任务", lead_units=["县科技局"], target_text="完成", deadline=date(2027, 6, 30)
        ),
    )
    page = _page(qtbot, county)
    tab = page.unit_list
    names = tab.names()
    assert "县科技局" in names and not tab.is_dirty()
    # add
    tab.add_unit()
    tab.list.currentItem().setText("县大数据中心")
    assert tab.is_dirty() and tab.save_button.isEnabled()
    # rename (in place: mapping and tasks follow)
    row = names.index("县科技局")
    tab.list.item(row).setText("县科学技术局")
    # move the new unit up
    tab.list.setCurrentRow(tab.list.count() - 1)
    tab.move_current(-1)
    assert tab.names()[-2] == "县大数据中心"
    # every deletion asks first (saying how many tasks use the unit)
    unused = next(i for i in range(tab.list.count()) if tab.list.item(i).text() == "县审计局")
    tab.list.setCurrentRow(unused)
    answered["confirm"] = False
    tab.delete_current()
    assert "县审计局" in tab.names()
    answered["confirm"] = True
    tab.delete_current()
    assert "县审计局" not in tab.names()
    answered["confirm"] = False
    tab.list.setCurrentRow(tab.names().index("县科学技术局"))
    tab.delete_current()  # refused: 1 task uses it
    assert "县科学技术局" in tab.names()
    assert tab.save()
    stored = county.units.unit_names()
    assert "县大数据中心" in stored and "县审计局" not in stored and "县科学技术局" in stored
    mapping = {m.provincial: m.local for m in county.units.mappings()}
    assert mapping["省科技厅"] == "县科学技术局"
    assert county.worklists.rows(wl.id)[0].lead_units == ("县科学技术局",)
    assert not tab.is_dirty()


def test_unit_list_restore_defaults_and_duplicates(qtbot, county: Services, answered) -> None:
    page = _page(qtbot, county)
    tab = page.unit_list
    tab.list.setCurrentRow(0)
    tab.delete_current()
    tab.add_unit()
    assert tab.problem.text() == ""  # the new row is being named: not yet a problem
    tab.list.currentItem().setText("县发改局")  # already in the list
    # said as typed, before 保存: the row is marked and 保存 waits
    assert "“县发改局”重复出现" in tab.problem.text() and not tab.save_button.isEnabled()
    assert not tab.save()
    assert "重复" in answered["messages"][-1][2]
    assert tab.is_dirty()  # nothing lost, nothing stored
    tab.list.item(0).setText("")  # a name cleared
    assert "第 1 行没有填写名称" in tab.problem.text() and not tab.save_button.isEnabled()
    tab.reload()
    assert tab.problem.text() == ""
    tab.list.item(0).setText("临时单位")
    answered["confirm"] = True
    tab.restore_defaults()
    assert tab.names() == county.units.default_unit_names()


def test_mapping_tab_flags_edits_ignores_and_rematches(
    qtbot, county: Services, answered, shots: Path
) -> None:
    names = county.units.unit_names()
    county.units.save_units([n for n in names if n != "县科技局"])  # 省科技厅 becomes unmapped
    page = _page(qtbot, county)
    page.tabs.setCurrentWidget(page.mapping)
    tab = page.mapping
    model = tab.model
    assert "尚未对应" in tab.count.text()
    flagged = model.flagged_count()
    assert flagged >= 1
    tab.flagged_only.setChecked(True)
    assert model.rowCount() == flagged
    assert page.grab().save(str(shots / "settings_mapping_flagged.png"))
    row = next(r for r in range(model.rowCount()) if model.entry(r).provincial == "省科技厅")
    assert model.setData(model.index(row, LOCAL), "县经信局")
    assert model.setData(model.index(row, NOTE), "本县科技工作由经信局承担")
    assert tab.is_dirty() and model.flagged_count() == flagged - 1
    # another one: 本级不承担
    others = [r for r in range(model.rowCount()) if model.entry(r).flagged]
    if others:
        tab.table.selectRow(others[0])
        tab.ignore_button.click()
    assert tab.save()
    mapping = {m.provincial: m for m in county.units.mappings()}
    assert mapping["省科技厅"].local == "县经信局" and mapping["省科技厅"].source == "user"
    assert mapping["省科技厅"].note == "本县科技工作由经信局承担"
    assert not [m for m in mapping.values() if m.flagged]
    assert "全部省级单位都已对应" in tab.count.text()
    # 重新匹配 keeps what the user set by hand
    tab.rematch()
    assert "重新对应" in answered["messages"][-1][2]
    assert {m.provincial: m.local for m in county.units.mappings()}["省科技厅"] == "县经信局"


def test_mapping_model(qtmodeltester, county: Services) -> None:
    model = MappingModel()
    model.set_entries(county.units.mappings())
    qtmodeltester.check(model)
    assert model.setData(model.index(0, LOCAL), IGNORED)
    assert model.data(model.index(0, LOCAL)) == "本级不承担"
    provincial = model.entry(0).provincial
    assert model.changes() == [MappingChange(provincial, None, True, model.entry(0).note)]
    qtmodeltester.check(model)


def test_unsaved_settings_are_asked_about_on_close(qtbot, county: Services, answered) -> None:
    page = _page(qtbot, county)
    assert page.may_close()
    page.form.reporting_office.setText("某某县发改局")
    page.unit_list.add_unit()
    page.unit_list.list.currentItem().setText("县新设单位")
    assert page.dirty_parts() == ["本级信息", "本级单位"]
    answered["save"] = "cancel"
    assert not page.may_close()
    answered["save"] = "save"
    assert page.may_close()
    assert county.office.get().reporting_office == "某某县发改局"
    assert "县新设单位" in county.units.unit_names()
    assert page.dirty_parts() == []


def test_choosing_a_unit_in_the_combo_counts_at_once_with_a_manual_note(
    qtbot, county: Services, answered
) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QComboBox

    names = county.units.unit_names()
    county.units.save_units([n for n in names if n != "县科技局"])  # 省科技厅 becomes unmapped
    page = _page(qtbot, county)
    page.tabs.setCurrentWidget(page.mapping)
    tab, model = page.mapping, page.mapping.model
    row = next(r for r in range(model.rowCount()) if model.entry(r).provincial == "省科技厅")
    stale_note = model.data(model.index(row, NOTE))
    assert "请重新指定" in stale_note  # what the screen said while it had no unit
    index = model.index(row, LOCAL)
    tab.table.setCurrentIndex(index)
    tab.table.edit(index)
    combo = tab.table.indexWidget(index)
    assert isinstance(combo, QComboBox)
    choice = combo.findData("县经信局")
    combo.setCurrentIndex(choice)
    combo.activated.emit(choice)  # picked from the list: no other row clicked
    assert model.entry(row).local == "县经信局"
    assert tab.save_button.isEnabled() and tab.is_dirty()
    qtbot.waitUntil(lambda: tab.table.state() != QAbstractItemView.State.EditingState)
    # the proposal's note ("未找到…请手动指定") gives way to the manual one
    assert model.data(model.index(row, NOTE)) == "手动指定" != stale_note
    assert tab.save()
    stored = {m.provincial: m for m in county.units.mappings()}["省科技厅"]
    assert (stored.local, stored.source, stored.note) == ("县经信局", "user", "手动指定")


def test_saving_units_with_mapping_edits_open_updates_the_mapping_and_keeps_them(
    qtbot, county: Services, answered
) -> None:
    page = _page(qtbot, county)
    model = page.mapping.model
    rows = {model.entry(r).provincial: r for r in range(model.rowCount())}
    model.setData(model.index(rows["省海洋经济厅"], LOCAL), "县商务局")
    assert page.mapping.is_dirty()
    names = page.unit_list.names()
    page.unit_list.list.setCurrentRow(names.index("县数据局"))
    page.unit_list.delete_current()
    assert page.unit_list.save()
    entries = {model.entry(r).provincial: model.entry(r) for r in range(model.rowCount())}
    # the deleted unit's provincial unit is shown unmapped at once, not as still mapped
    assert entries["省数据局"].flagged and "1 个单位尚未对应" in page.mapping.count.text()
    # the unsaved choice is still there and still unsaved
    assert entries["省海洋经济厅"].local == "县商务局" and page.mapping.is_dirty()
    assert page.mapping.save()
    stored = {m.provincial: m.local for m in county.units.mappings()}
    assert stored["省海洋经济厅"] == "县商务局" and stored["省数据局"] is None


def test_an_office_not_yet_set_up_is_told_where_its_units_come_from(
    qtbot, services: Services, answered
) -> None:
    page = _page(qtbot, services)  # 以后再说 at the first start: no units yet
    assert page.unit_list.names() == []
    assert "本级信息" in page.unit_list.count.text()
    assert "恢复默认" in page.unit_list.count.text()
    page.form.locality.setText("某某县")
    assert page.save()
    assert page.unit_list.names() and page.unit_list.count.text().startswith("共 ")
