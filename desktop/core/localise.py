"""改为本地目标: a task's text and target rewritten from the notice's terms into the office's.

A proposal, never a silent fix: sentences about other places are taken out, the province's
scope words become the office's (全省 → 全县, 省级 → 县级), and a target left as the notice
has it loses its number (the province's 20 is not the county's). What still reads as the
notice's wording is listed (``wording_problems``), so the form says what is left to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.checks import bare, notice_targets, wording_issues
from desktop.core.draft import split_sentences
from desktop.core.place_names import other_places
from desktop.core.worklist import MeasureRef, TaskRecord


@dataclass(frozen=True)
class LocalContext:
    """What a proposal and its live check need: the task's measures and the office."""

    measures: tuple[MeasureRef, ...]
    own_places: frozenset[str]
    level: str  # 县级 | 市级 | 省级


def scope_words(level: str) -> tuple[tuple[str, str], ...]:
    own = {"市级": "市", "省级": "省"}.get(level, "县")
    return (("全省", f"全{own}"), ("省级", f"{own}级"), ("各设区市", "各乡镇（街道）"))


def _localised(text: str, level: str) -> str:
    for old, new in scope_words(level):
        text = text.replace(old, new)
    return text


def propose(task: TaskRecord, context: LocalContext) -> TaskRecord:
    """The task with the notice's terms replaced by the office's, as far as that can be done
    without the office's own figures."""
    out = task.copy()
    kept = [s for s in split_sentences(task.content) if not other_places(s, context.own_places)]
    content = "".join(kept) if kept else ""
    out.content = _localised(content, context.level)
    targets: set[str] = set()
    for m in context.measures:
        targets |= notice_targets(m)
    if bare(task.target_text) in targets:
        out.target_text = _localised(task.target_text.strip(), context.level)
        out.target_value, out.target_unit = None, task.target_unit
    return out


def wording_problems(task: TaskRecord, context: LocalContext) -> list[str]:
    """What still reads as the notice's wording (the check's messages), for the form."""
    issues = wording_issues(task, "本任务", "", context.measures, context.own_places)
    return [i.message.replace("本任务 的", "", 1).replace("本任务 ", "", 1) for i in issues]
