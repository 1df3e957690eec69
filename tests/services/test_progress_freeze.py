"""Freezing a period: refused while a lag is unexplained; afterwards the ledger reprints
exactly as it was, whatever happens to the tasks and the later periods."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.db.models import AuditEntry
from desktop.errors import ValidationError
from desktop.services.context import Services
from desktop.services.ledger.service import LedgerOptions, document_to_json
from desktop.services.progress.freezing import UnexplainedLaggingError
from tests.needs import tool
from tests.services.progress_office import YEAR, Office, county_office, report_first_quarter

SIGNED = LedgerOptions(variant="progress", sign_date=f"{YEAR}年4月2日")


def _audit_count(services: Services) -> int:
    with services.sessions() as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def _period_options(office: Office, period: int) -> LedgerOptions:
    return LedgerOptions(**{**SIGNED.__dict__, "period_id": office.periods[period].id})


def _ledger(office: Office, period: int) -> str:
    options = _period_options(office, period)
    return document_to_json(office.services.ledgers.document(office.list_id, options))


def test_freeze_refused_while_lagging_tasks_lack_reasons(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office, lagging_explained=False)
    before = _audit_count(services)
    with pytest.raises(UnexplainedLaggingError) as refused:
        services.freezing.freeze_period(office.list_id, office.periods[0].id)
    err = refused.value
    assert [t.task_id for t in err.tasks] == office.task_ids[:3]
    assert err.tasks[0].missing == "滞后原因和下步打算"
    assert "3 项滞后任务" in str(err) and "不能冻结" in str(err)
    assert not services.progress.periods(office.list_id)[0].frozen
    assert _audit_count(services) == before  # nothing written
    # a reason alone is not enough: the next steps are missing
    office.report(0, office.entry(0, text="前期手续办理中", percent=5, lag_reason="用地未落实"))
    with pytest.raises(UnexplainedLaggingError) as again:
        services.freezing.freeze_period(office.list_id, office.periods[0].id)
    assert again.value.tasks[0].missing == "下步打算"


def test_unreported_lagging_task_blocks_freezing(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    # Q2 reported for one task only: everything else lags at the end of June, unexplained
    office.report(1, office.entry(5, text="二季度推进", percent=50))
    with pytest.raises(UnexplainedLaggingError) as refused:
        services.freezing.freeze_period(office.list_id, office.periods[1].id)
    assert refused.value.tasks[0].missing == "本期进展、滞后原因和下步打算"
    assert len(refused.value.tasks) == 36
    assert "等共 36 项" in str(refused.value)


def test_frozen_ledger_reprints_exactly(services: Services, tmp_path: Path) -> None:
    pdftotext = tool("pdftotext", "poppler-utils")
    office = county_office(services)
    report_first_quarter(office)
    at_freezing = _ledger(office, 0)
    frozen = services.freezing.freeze_period(office.list_id, office.periods[0].id)
    assert frozen.frozen and frozen.frozen_by == "张三"
    with services.sessions() as session:
        entry = session.execute(
            select(AuditEntry).where(AuditEntry.action == "freeze")
        ).scalar_one()
    assert json.loads(entry.after)["lagging"] == 3 and entry.entity == "period"
    pdf_before = tmp_path / "before.pdf"
    services.ledgers.write_pdf(office.list_id, pdf_before, _period_options(office, 0))

    # later: the first task is rewritten, a second period reports, thresholds change
    record = services.worklists.task(office.task_ids[0])
    record.content = "改写后的任务内容，冻结的台账不应出现这句话"
    services.task_editing.save_task(office.list_id, record)
    office.report(1, office.entry(0, text="二季度已完成", percent=100))
    from desktop.core.status import Thresholds

    services.progress.set_thresholds(Thresholds(yellow_behind=3, red_behind=5))
    with pytest.raises(ValidationError, match="已冻结"):
        office.report(0, office.entry(5, text="补报", percent=30))

    assert _ledger(office, 0) == at_freezing
    assert "改写后的任务内容" not in at_freezing
    assert "改写后的任务内容" in _ledger(office, 1)
    pdf_after = tmp_path / "after.pdf"
    services.ledgers.write_pdf(office.list_id, pdf_after, _period_options(office, 0))
    text_before, text_after = (
        subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        ).stdout
        for pdf in (pdf_before, pdf_after)
    )
    assert text_before == text_after
    squashed = re.sub(r"\s+", "", text_after)  # where poppler puts spaces depends on the font
    assert "前期手续办理中" in squashed and "改写后的任务内容" not in squashed


def test_unfreeze_needs_a_reason_and_reopens_editing(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    q1 = office.periods[0]
    with pytest.raises(ValidationError, match="没有冻结"):
        services.freezing.unfreeze_period(office.list_id, q1.id, "更正")
    services.freezing.freeze_period(office.list_id, q1.id)
    with pytest.raises(ValidationError, match="已于"):
        services.freezing.freeze_period(office.list_id, q1.id)
    with pytest.raises(ValidationError, match="理由"):
        services.freezing.unfreeze_period(office.list_id, q1.id, "   ")
    assert services.progress.periods(office.list_id)[0].frozen
    services.freezing.unfreeze_period(office.list_id, q1.id, "更正任务5的完成进度")
    assert not services.progress.periods(office.list_id)[0].frozen
    assert office.report(0, office.entry(5, text="按计划推进", percent=30)) == 1
    with services.sessions() as session:
        last = session.execute(
            select(AuditEntry).where(AuditEntry.action == "unfreeze")
        ).scalar_one()
    assert "更正任务5的完成进度" in last.summary
    assert json.loads(last.before)["frozen_by"] == "张三"
    # the ledger follows the live data again, until the period is frozen anew
    assert '"percent": 30' in _ledger(office, 0)  # task 5, the only one at 30%


def test_freezing_counts_tasks_closed_before_the_period_as_not_due(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    services.yearend.close_out(office.task_ids[3], date(YEAR, 3, 25), "验收报告")
    summary = services.progress.summary(office.list_id, office.periods[1].id)
    assert summary.expected == 37  # task 3 was closed in March: it reports no more


def test_frozen_ledger_keeps_the_sign_off_it_was_frozen_with(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.context import open_office
    from desktop.services.demo.office import run_demo
    from desktop.services.ledger.service import LedgerOptions

    services = open_office(tmp_path / "office")
    try:
        result = run_demo(services, tasks=40)
        frozen = [p for p in services.progress.periods(result.list_id) if p.frozen]
        assert frozen, "the demo freezes its first quarter"
        options = LedgerOptions(variant="progress", period_id=frozen[0].id)
        before = services.ledgers.document(result.list_id, options).signoff
        office = services.office.get()
        office.operator = "新来的同事"
        services.office.save(office)
        after = services.ledgers.document(result.list_id, options)
        assert after.signoff == before and after.signoff.filler != "新来的同事"
        assert services.ledgers.signoff_defaults(result.list_id, options) == before
        current = LedgerOptions(variant="all")
        assert services.ledgers.document(result.list_id, current).signoff.filler == "新来的同事"
    finally:
        services.close()
