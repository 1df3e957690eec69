"""The one-click draft (生成初稿): a proposed local task for every measure of a notice.

Content comes from the measure's text (optionally one task per sentence), targets are carried
over, lead and co-units are mapped to local units, the deadline defaults to the year's end and
quarterly milestones are left blank for the office to fill. Measures that already have a task
or are marked 不适用 are skipped, so running the draft again never duplicates or overwrites.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date

from desktop.core.worklist import MeasureRef, TargetRef, TaskRecord

# a sentence ends at 。；！？ (full or half width); quotes closing right after stay with it
_SENTENCE = re.compile(r"[^。；;！!？?]+[。；;！!？?]?[”’」』]?")


@dataclass(frozen=True)
class DraftOptions:
    year: int
    per_sentence: bool = False


def split_sentences(text: str) -> list[str]:
    """Sentences of a measure's text, stripped, without empty pieces."""
    return [s.strip() for s in _SENTENCE.findall(text.replace("\n", "")) if s.strip(" 。；;")]


def _targets_for(sentence: str, targets: Sequence[TargetRef]) -> list[TargetRef]:
    return [t for t in targets if t.phrase and t.phrase in sentence]


def _target_fields(targets: Sequence[TargetRef]) -> tuple[str, str | None, str]:
    if not targets:
        return "", None, ""
    text = "；".join(t.text() for t in targets)
    if len(targets) == 1:
        return text, targets[0].value, targets[0].unit
    return text, None, ""


def draft_tasks(
    measures: Sequence[MeasureRef],
    *,
    covered: Collection[int],
    excluded: Collection[int],
    map_unit: Callable[[str], str],
    options: DraftOptions,
) -> list[tuple[MeasureRef, list[TaskRecord]]]:
    """Proposed tasks for every measure not ``covered`` by a task and not ``excluded``.

    ``map_unit`` turns a provincial unit name into the local unit that carries it (or returns
    the name unchanged when it is not mapped, so the check can flag it).
    """
    deadline = date(options.year, 12, 31)
    start = date(options.year, 1, 1)
    out: list[tuple[MeasureRef, list[TaskRecord]]] = []
    for index, measure in enumerate(measures, start=1):
        if measure.id in covered or measure.id in excluded:
            continue
        leads = _mapped(measure.lead_units, map_unit)
        cos = [u for u in _mapped(measure.co_units, map_unit) if u not in leads]
        pieces = split_sentences(measure.text) if options.per_sentence else [measure.text.strip()]
        pieces = [p for p in pieces if p] or [measure.title or measure.label]
        tasks: list[TaskRecord] = []
        for k, piece in enumerate(pieces, start=1):
            own = _targets_for(piece, measure.targets) if options.per_sentence else []
            target_text, value, unit = _target_fields(
                own if options.per_sentence else measure.targets
            )
            tasks.append(
                TaskRecord(
                    number=str(index) if len(pieces) == 1 else f"{index}-{k}",
                    content=piece,
                    target_text=target_text,
                    target_value=value,
                    target_unit=unit,
                    lead_units=list(leads),
                    co_units=list(cos),
                    start_on=start,
                    deadline=deadline,
                    measure_ids=[measure.id],
                    origin="draft",
                )
            )
        out.append((measure, tasks))
    return out


def _mapped(units: Sequence[str], map_unit: Callable[[str], str]) -> list[str]:
    result: list[str] = []
    for unit in units:
        local = map_unit(unit)
        if local and local not in result:
            result.append(local)
    return result


def renumber(groups: Sequence[Sequence[int]]) -> list[str]:
    """Numbers for tasks in list order, grouped by the measure they serve first.

    ``groups`` holds, per measure in order, the positions of its tasks; a measure with one
    task gets "n", with several "n-1", "n-2"…. Returns the numbers in the order given.
    """
    numbers: list[str] = []
    for n, group in enumerate(groups, start=1):
        if len(group) == 1:
            numbers.append(str(n))
        else:
            numbers.extend(f"{n}-{k}" for k in range(1, len(group) + 1))
    return numbers
