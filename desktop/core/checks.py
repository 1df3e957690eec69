"""The check before sending (校验): hard errors block submission, warnings may be accepted.

Hard errors: a measure neither covered by a task nor marked 不适用; a task without a lead
unit, a deadline or a target; a deadline outside the list's year. Warnings: a task with no
milestones; a lead unit that is not in the office's unit list. Every issue has a stable key,
so an accepted warning (with its written explanation) stays accepted across checks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from desktop.core.dates import chinese_date
from desktop.core.worklist import MeasureRef, TaskRecord

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class CheckIssue:
    key: str
    severity: str  # ERROR | WARNING
    message: str
    task_id: int | None = None
    measure_id: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(frozen=True)
class CheckResult:
    issues: tuple[CheckIssue, ...]
    accepted: Mapping[str, str]  # warning key -> explanation

    @property
    def errors(self) -> list[CheckIssue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[CheckIssue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def open_warnings(self) -> list[CheckIssue]:
        return [i for i in self.warnings if i.key not in self.accepted]

    @property
    def passed(self) -> bool:
        """No hard errors and every warning accepted with an explanation."""
        return not self.errors and not self.open_warnings

    def summary(self) -> str:
        if self.passed:
            accepted = len(self.warnings)
            return "校验通过" + (f"（{accepted} 条提醒已说明）" if accepted else "")
        return f"{len(self.errors)} 个错误，{len(self.open_warnings)} 条提醒待处理"


def _task_name(task: TaskRecord) -> str:
    return f"任务 {task.number}" if task.number else "未编号的任务"


def check_work_list(
    *,
    year: int,
    measures: Sequence[MeasureRef],
    excluded: Mapping[int, str],
    tasks: Sequence[TaskRecord],
    local_units: Collection[str],
    accepted: Mapping[str, str] | None = None,
) -> CheckResult:
    issues: list[CheckIssue] = []
    covered = {mid for t in tasks for mid in t.measure_ids}
    for m in measures:
        if m.id in excluded:
            if not excluded[m.id].strip():
                issues.append(
                    CheckIssue(
                        f"na-reason:{m.code}",
                        ERROR,
                        f"条目 {m.label} 标为不适用，但没有填写理由",
                        measure_id=m.id,
                    )
                )
        elif m.id not in covered:
            issues.append(
                CheckIssue(
                    f"uncovered:{m.code}",
                    ERROR,
                    f"条目 {m.label} 未分解：既没有任务，也没有标为不适用",
                    measure_id=m.id,
                )
            )
    known = set(local_units)
    for t in tasks:
        name = _task_name(t)
        key = t.uid or str(t.id)
        if not t.content.strip():
            issues.append(
                CheckIssue(f"no-content:{key}", ERROR, f"{name} 没有填写工作任务内容", task_id=t.id)
            )
        if not [u for u in t.lead_units if u.strip()]:
            issues.append(CheckIssue(f"no-lead:{key}", ERROR, f"{name} 没有牵头单位", task_id=t.id))
        if t.deadline is None:
            issues.append(
                CheckIssue(f"no-deadline:{key}", ERROR, f"{name} 没有完成时限", task_id=t.id)
            )
        elif t.deadline.year != year:
            issues.append(
                CheckIssue(
                    f"deadline-year:{key}",
                    ERROR,
                    f"{name} 的完成时限 {chinese_date(t.deadline)} 不在 {year} 年内",
                    task_id=t.id,
                )
            )
        if not t.target_text.strip() and t.target_value is None:
            issues.append(
                CheckIssue(f"no-target:{key}", ERROR, f"{name} 没有目标指标", task_id=t.id)
            )
        if not t.measure_ids:
            issues.append(
                CheckIssue(
                    f"no-measure:{key}", WARNING, f"{name} 没有关联任何省级条目", task_id=t.id
                )
            )
        if not t.milestones:
            issues.append(
                CheckIssue(
                    f"no-milestone:{key}", WARNING, f"{name} 没有设置节点（形象进度）", task_id=t.id
                )
            )
        if known:
            for unit in t.lead_units:
                if unit.strip() and unit not in known:
                    issues.append(
                        CheckIssue(
                            f"unknown-lead:{key}:{unit}",
                            WARNING,
                            f"{name} 的牵头单位“{unit}”不在本级单位名单中",
                            task_id=t.id,
                        )
                    )
    return CheckResult(tuple(issues), dict(accepted or {}))
