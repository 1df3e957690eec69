"""The optional ledger columns an office prints: reading and keeping the office's choice.

The office's choice (责任领导, 责任人, 节点/序时安排, 备注; none by default: the official
layout) is one of its settings: a ``Setting`` row holding the column keys as JSON, like the
status thresholds. Every ledger built for the office's lists carries it, so the PDF, the
printed sheets, Excel and CSV show the same columns; a frozen period's ledger keeps the
columns it was frozen with. What each column prints is built with the ledger
(``desktop.services.ledger.build``: ``ledger_row``, ``schedule_texts``).
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from desktop.core.vocabulary import OPTIONAL_LEDGER_COLUMNS, label
from desktop.db.models import Setting
from desktop.errors import ValidationError
from desktop.services.audit import log as audit
from desktop.services.ledger.heads import COLUMNS_KEY, columns_from
from desktop.services.office.service import get_office


def office_columns(session: Session) -> tuple[str, ...]:
    """The optional columns the office chose, in print order (none: the official layout)."""
    row = session.get(Setting, COLUMNS_KEY)
    return columns_from(row.value if row is not None else None)


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
