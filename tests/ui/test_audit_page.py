"""审计日志 on screen: pages in as it scrolls, filters, before/after side by side, chain check."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.db.models import AuditEntry
from desktop.services.audit import log as audit
from desktop.services.audit.query import AuditFilter
from desktop.services.context import Services
from desktop.ui.audit_model import AuditTableModel
from desktop.ui.audit_page import AuditPage
from tests.services.progress_office import county_office, report_first_quarter


def _many(services: Services, n: int) -> None:
    with services.sessions.begin() as session:
        for i in range(n):
            audit.record(
                session,
                operator="王五",
                action="update",
                entity="task",
                entity_id=i,
                summary=f"批量修改 #{i}",
                before={"remarks": ""},
                after={"remarks": f"备注{i}"},
            )


def _page(qtbot, services: Services) -> AuditPage:  # type: ignore[no-untyped-def]
    page = AuditPage(services.audit_log)
    qtbot.addWidget(page)
    page.resize(1130, 760)
    page.show()
    return page


def test_model_fetches_page_by_page(qtmodeltester, services: Services) -> None:  # type: ignore[no-untyped-def]
    _many(services, 1200)
    model = AuditTableModel(services.audit_log)
    model.set_filter(AuditFilter(operator="王五"))
    assert model.total == 1200 and model.rowCount() == 500  # one page read, not 1,200
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 1000
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 1200
    assert model.data(model.index(0, 4)) == "批量修改 #1199"
    assert model.data(model.index(0, 2)) == "修改"
    assert model.data(model.index(0, 3)) == "工作任务 1199"
    model.set_filter(AuditFilter(operator="王五"))
    qtmodeltester.check(model)  # (the tester fetches every page itself)


def test_a_failing_count_leaves_the_model_as_it_was(
    qtmodeltester, services: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _many(services, 3)
    model = AuditTableModel(services.audit_log)
    model.set_filter(AuditFilter(operator="王五"))
    resets: list[str] = []
    model.modelAboutToBeReset.connect(lambda: resets.append("begin"))
    model.modelReset.connect(lambda: resets.append("end"))

    def broken(_f: AuditFilter) -> int:
        raise OSError("disk I/O error")

    monkeypatch.setattr(services.audit_log, "count", broken)
    with pytest.raises(OSError):
        model.set_filter(AuditFilter(operator="李四"))
    # no reset was begun that is never ended: the views still show the old rows
    assert resets == []
    assert model.total == 3 and model.rowCount() == 3
    assert model.data(model.index(0, 4)) == "批量修改 #2"
    qtmodeltester.check(model)


def test_filters_and_detail(qtbot, services: Services, shots: Path) -> None:  # type: ignore[no-untyped-def]
    office = county_office(services)
    report_first_quarter(office)
    office.report(0, office.entry(5, text="按计划推进，新增签约项目1个", percent=30))
    page = _page(qtbot, services)
    total = services.audit_log.count()
    assert page.model.total == total and f"共 {total} 条记录" in page.count_label.text()
    # newest first: the progress just saved, its changed fields marked in the detail pane
    assert "任务 6" in page.detail_title.text()
    assert page.changed_label.text() == "变更字段：完成百分比、进展情况"
    assert "完成百分比：25" in page.before.toPlainText()
    assert "完成百分比：30" in page.after.toPlainText()
    page.grab().save(str(shots / "audit.png"))
    page.action.setCurrentIndex(page.action.findData("progress"))
    assert page.model.total == 39
    page.text.setText("用地指标未落实")
    page.apply_filter()  # what the typing timer does
    assert page.model.total == 3
    page.clear_filter()
    assert page.model.total == total and page.action.currentIndex() == 0
    page.entity.setCurrentIndex(page.entity.findData("work_list"))
    assert all(page.model.row_at(r).entity == "work_list" for r in range(page.model.rowCount()))


def test_chain_check_whole_and_broken(qtbot, services: Services, answered) -> None:  # type: ignore[no-untyped-def]
    county_office(services)
    page = _page(qtbot, services)
    page.verify()
    qtbot.waitUntil(lambda: not page.is_checking())
    assert page.last_check is not None and page.last_check.whole
    assert answered["messages"][-1][0] == "info" and page.chain_banner.objectName() == "banner"
    with services.sessions.begin() as session:
        entry = session.get(AuditEntry, 3)
        assert entry is not None
        entry.operator = "冒名者"
    page.verify()
    qtbot.waitUntil(lambda: not page.is_checking())
    assert page.last_check is not None and page.last_check.broken_id == 3
    kind, _title, text = answered["messages"][-1]
    assert kind == "warning" and "第 3 条审计记录的内容被改动过" in text
    assert page.chain_banner.objectName() == "errorBanner" and page.chain_banner.isVisible()
