"""A package's task figures, computed from its own data by the one rule (``core.figures``).

The sender writes them into ``data.json`` at export (what its screens showed that day);
anyone holding the package — a test, the receiver comparing, a later tool — gets the same
figures from the same data and day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from desktop.core.figures import ReportFact, TaskFacts, task_figures
from desktop.core.periods import holding_period
from desktop.core.status import PlannedPoint, Thresholds

from .model import PackageData, PackageFigures, TaskFigure


def thresholds_of(data: PackageData) -> Thresholds:
    """The sender's thresholds (the defaults for a package from before they travelled)."""
    return Thresholds.from_dict(dict(data.work_list.thresholds))


def package_figures(data: PackageData, as_of: date) -> PackageFigures:
    """Every task's figures as of the end of ``as_of``."""
    periods = {p.key: p for p in data.periods}
    current = holding_period(data.periods, as_of)
    reports: dict[str, list[ReportFact]] = defaultdict(list)
    for r in data.progress:
        p = periods[r.period_key]
        reports[r.task_uid].append(
            ReportFact(p.start, p.end, r.percent, r.completed_on, r.reopened)
        )
    excluded = {e.measure_code for e in data.exclusions}
    thresholds = thresholds_of(data)
    year = data.work_list.year
    out = []
    for t in data.tasks:
        facts = TaskFacts(
            start_on=t.start_on,
            deadline=t.deadline,
            closed_on=t.closed_on,
            not_applicable=bool(t.measure_codes) and set(t.measure_codes) <= excluded,
            milestones=tuple(PlannedPoint(m.due_on, m.percent) for m in t.milestones),
        )
        f = task_figures(
            facts,
            reports.get(t.uid, ()),
            as_of,
            year=year,
            current=None if current is None else (current.start, current.end),
            thresholds=thresholds,
        )
        out.append(TaskFigure(t.uid, f.status_value, f.percent, f.reported_in_current_period))
    return PackageFigures(as_of, "" if current is None else current.key, tuple(out))
