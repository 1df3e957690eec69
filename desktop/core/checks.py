"""The check before sending (校验): hard errors block submission, warnings may be accepted.

Hard errors: a measure neither covered by a task nor marked 不适用; a task without a lead
unit, a deadline or a target; a deadline outside the list's year; a target or task text left
word for word as the notice has it (the province's target is not the county's); a text that
names another locality in words taken from the notice; a 目标数值 that none of the target
text's numbers is. Warnings: a task with no milestones; a lead unit that is not in the
office's unit list; another locality named in the office's own words (a co-operation may be
meant, so it can be explained). Every issue has a stable key, so an accepted warning (with
its written explanation) stays accepted across checks.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from desktop.core.dates import chinese_date
from desktop.core.draft import split_sentences
from desktop.core.place_names import other_places, spellings_of
from desktop.core.worklist import MeasureRef, TaskRecord

ERROR = "error"
WARNING = "warning"
# the issues 改为本地目标 fixes: words of the notice kept as the office's own
LOCALISE_KINDS = frozenset(
    {"target-copied", "content-copied", "copied-place", "other-place", "target-value"}
)


@dataclass(frozen=True)
class CheckIssue:
    key: str
    severity: str  # ERROR | WARNING
    message: str
    task_id: int | None = None
    measure_id: int | None = None

    @property
    def kind(self) -> str:
        """The rule that raised it (the key up to its first colon)."""
        return self.key.split(":", 1)[0]

    @property
    def localisable(self) -> bool:
        """Fixed by rewriting the task in the office's own terms (改为本地目标)."""
        return self.kind in LOCALISE_KINDS

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
    own_places: Collection[str] = (),
) -> CheckResult:
    """``own_places``: the localities the office may name as its own
    (``localities.own_localities``); every other Zhejiang locality a task names is flagged."""
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
    by_id = {m.id: m for m in measures}
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
        linked = [by_id[i] for i in t.measure_ids if i in by_id]
        issues += wording_issues(t, name, key, linked, own_places)
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


def bare(text: str) -> str:
    """Text compared for identity: no white space, no closing punctuation."""
    return re.sub(r"\s+", "", text).rstrip("。；;，,.")


def notice_targets(measure: MeasureRef) -> set[str]:
    """The wordings of a measure's targets as the draft carries them over (each, and all
    of them joined)."""
    texts = {t.text() for t in measure.targets} | {t.phrase for t in measure.targets}
    if measure.targets:
        texts.add("；".join(t.text() for t in measure.targets))
    return {bare(t) for t in texts if t.strip()}


def notice_sentences(measure: MeasureRef) -> set[str]:
    """The measure's text, whole and sentence by sentence, as compared with a task's."""
    return {bare(s) for s in [measure.text, *split_sentences(measure.text)] if s.strip()}


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def has_numbers(text: str) -> bool:
    """The text names a figure in digits (a target whose 目标数值 can be checked)."""
    return bool(_numbers(text))


def _numbers(text: str) -> list[Decimal]:
    return [Decimal(n) for n in _NUMBER.findall(re.sub(r"(?<=\d),(?=\d{3})", "", text))]


def wording_issues(
    t: TaskRecord,
    name: str,
    key: str,
    linked: Sequence[MeasureRef],
    own_places: Collection[str],
) -> list[CheckIssue]:
    """The notice's own words left in a task: its targets, its sentences, other places."""
    issues: list[CheckIssue] = []
    target = bare(t.target_text)
    if target and any(target in notice_targets(m) for m in linked):
        issues.append(
            CheckIssue(
                f"target-copied:{key}",
                ERROR,
                f"{name} 的目标指标与上级文件的目标原文相同（“{t.target_text.strip()}”），"
                "请改为本级要完成的目标",
                task_id=t.id,
            )
        )
    content = bare(t.content)
    if content and any(content in notice_sentences(m) for m in linked):
        issues.append(
            CheckIssue(
                f"content-copied:{key}",
                ERROR,
                f"{name} 的工作任务与上级文件原文相同，请写明本级要做的具体工作",
                task_id=t.id,
            )
        )
    if t.target_value is not None and t.target_text.strip():
        numbers = _numbers(t.target_text)
        try:
            value = Decimal(t.target_value)
        except InvalidOperation:
            value = None
        if numbers and value is not None and value not in numbers:
            issues.append(
                CheckIssue(
                    f"target-value:{key}",
                    ERROR,
                    f"{name} 的目标数值 {t.target_value} 与目标指标“{t.target_text.strip()}”"
                    "中的数字不符",
                    task_id=t.id,
                )
            )
    text = f"{t.content}\n{t.target_text}"
    places = other_places(text, own_places)
    if places:
        source = "\n".join(m.text + "\n" + "；".join(x.text() for x in m.targets) for m in linked)
        copied = [p for p in places if any(s in source for s in spellings_of([p]))]
        own_words = [p for p in places if p not in copied]
        if copied:
            issues.append(
                CheckIssue(
                    f"copied-place:{key}",
                    ERROR,
                    f"{name} 照搬了上级文件中关于{'、'.join(copied)}的内容，请删去或改为本级的工作",
                    task_id=t.id,
                )
            )
        if own_words:
            issues.append(
                CheckIssue(
                    f"other-place:{key}:{'、'.join(own_words)}",
                    WARNING,
                    f"{name} 提到了其他地方（{'、'.join(own_words)}），请确认是本级的工作",
                    task_id=t.id,
                )
            )
    return issues
