"""A small county office with a drafted 2027 list, for the progress, year-end and overview tests.

The draft gives one task per measure of the built-in notice (38), each from 1 January to
31 December without milestones, so the 序时进度 at the end of March is 25% (90 of 365 days)
and at the end of June 50% (181 of 365 days, rounded half up).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktop.services.context import Services
from desktop.services.office.service import OfficeInfo
from desktop.services.progress.service import PeriodView, ProgressEntry

YEAR = 2027


@dataclass(frozen=True)
class Office:
    services: Services
    list_id: int
    task_ids: list[int]
    periods: list[PeriodView]

    def entry(self, index: int, **values: object) -> ProgressEntry:
        return replace(ProgressEntry(task_id=self.task_ids[index]), **values)  # type: ignore[arg-type]

    def report(self, period: int, *entries: ProgressEntry) -> int:
        return self.services.progress.save(self.list_id, self.periods[period].id, list(entries))


def county_office(services: Services, *, operator: str = "张三") -> Office:
    services.office.save(
        OfficeInfo(locality="某某县", level="县级", parent="某某市", operator=operator)
    )
    notice_id = next(n for n in services.notices.list() if n.builtin).id
    wl = services.list_lifecycle.create(notice_id, YEAR)
    services.task_editing.generate_draft(wl.id)
    ids = [r.id for r in services.worklists.rows(wl.id)]
    return Office(services, wl.id, ids, services.progress.periods(wl.id))


def report_first_quarter(office: Office, *, lagging_explained: bool = True) -> None:
    """Q1 for every task: most on track (25%), tasks 0–2 lagging (5%), task 3 done."""
    entries = []
    for i in range(len(office.task_ids)):
        if i < 3:
            entries.append(
                office.entry(
                    i,
                    text="前期手续办理中",
                    percent=5,
                    lag_reason="用地指标未落实" if lagging_explained else "",
                    next_steps="协调自然资源部门加快办理" if lagging_explained else "",
                )
            )
        elif i == 3:
            from datetime import date

            entries.append(
                office.entry(i, text="已全面完成", percent=100, completed_on=date(YEAR, 3, 20))
            )
        else:
            entries.append(office.entry(i, text="按计划推进", percent=25))
    office.report(0, *entries)
