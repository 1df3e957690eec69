"""The optional ledger columns an office prints, and what they print.

The office's choice (责任领导, 责任人, 节点/序时安排, 备注; none by default: the official
layout) is one of its settings: a ``Setting`` row holding the column keys as JSON, like the
status thresholds. Every ledger built for the office's lists carries it, so the PDF, the
printed sheets, Excel and CSV show the same columns; a frozen period's ledger keeps the
columns it was frozen with.
"""

from __future__ import annotations

import calendar
import json
from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.dates import chinese_date
from desktop.core.vocabulary import OPTIONAL_LEDGER_COLUMNS, label
from desktop.db.models import Milestone, Setting, Task, WorkList
from desktop.errors import ValidationError
from desktop.services.audit import log as audit
from desktop.services.office.service import get_office

COLUMNS_KEY = "ledger_columns"


def office_columns(session: Session) -> tuple[str, ...]:
    """The optional columns the office chose, in print order (none: the official layout)."""
    row = session.get(Setting, COLUMNS_KEY)
    if row is None or not row.value:
        return ()
    try:
        keys = json.loads(row.value)
    except ValueError:
        return ()
    if not isinstance(keys, list):
        return ()
    return tuple(k for k in OPTIONAL_LEDGER_COLUMNS if k in keys)


def save_office_columns(session: Session, keys: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Keeps the office's choice (in the caller's transaction) and notes it in the audit log."""
    unknown = [k for k in keys if k not in OPTIONAL_LEDGER_COLUMNS]
    if unknown:
        names = "、".join(label(k) for k in OPTIONAL_LEDGER_COLUMNS)
        raise ValidationError(f"台账没有“{unknown[0]}”这一列，可选：{names}。")
    chosen = tuple(k for k in OPTIONAL_LEDGER_COLUMNS if k in keys)
    row = session.get(Setting, COLUMNS_KEY) or Setting(key=COLUMNS_KEY)
    before = row.value
    row.value = json.dumps(list(chosen))
    if row.value == before:
        return chosen
    session.add(row)
    audit.record(
        session,
        operator=get_office(session).operator,
        action="update",
        entity="setting",
        entity_id=COLUMNS_KEY,
        summary="台账列：" + ("、".join(label(k) for k in chosen) or "标准格式"),
        before=before,
        after=list(chosen),
    )
    return chosen


def due_text(day: date) -> str:
    """A date as the ledger prints a deadline: ``2027年12月底`` for a month's last day."""
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return f"{day.year}年{day.month}月底"
    return chinese_date(day)


def schedule_texts(session: Session, list_id: int) -> dict[int, str]:
    """Per task, its milestones as the 节点/序时安排 column prints them, one a line:
    ``3月底：完成方案（30%）`` — the year only when it is not the list's."""
    year = session.execute(select(WorkList.year).where(WorkList.id == list_id)).scalar_one()
    query = (
        select(Milestone.task_id, Milestone.due_on, Milestone.description, Milestone.percent)
        .join(Task, Task.id == Milestone.task_id)
        .where(Task.work_list_id == list_id)
        .order_by(Milestone.task_id, Milestone.due_on)
    )
    lines: dict[int, list[str]] = defaultdict(list)
    for task_id, due_on, description, percent in session.execute(query):
        when = due_text(due_on)
        if due_on.year == year:
            when = when.removeprefix(f"{year}年")
        what = "：".join(p for p in (when, description.strip()) if p)
        if percent is not None:
            what += f"（{percent}%）"
        lines[task_id].append(what)
    return {k: "\n".join(v) for k, v in lines.items()}
