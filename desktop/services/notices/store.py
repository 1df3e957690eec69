"""Writing a parsed notice into the database, matching what is already there by outline code.

Sections and measures are updated in place when their code (一.（一）.1) is unchanged, so
tasks and 不适用 marks keep pointing at the same rows; a measure that disappeared is deleted
only when nothing refers to it, otherwise kept with ``GONE_WARNING``. Used by
``desktop.services.notices.service`` inside its transactions; never opens a session itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from desktop.core.notice import ParsedNotice, ParsedTarget
from desktop.db.models import (
    Base,
    Measure,
    MeasureExclusion,
    Notice,
    Target,
    TaskMeasure,
)
from desktop.services.clock import now_text
from desktop.services.notices.changes import MeasureState, measure_label, target_key

# the tables written in bulk (Core, typed as tables)
SECTIONS = Base.metadata.tables["notice_section"]
MEASURES = Base.metadata.tables["measure"]
UNITS = Base.metadata.tables["measure_unit"]
TARGETS = Base.metadata.tables["target"]

GONE_WARNING = "重新导入的文件中已没有这一条目，因本级清单仍在使用而保留"


def measure_state(m: Measure) -> MeasureState:
    return MeasureState(
        code=m.code,
        label=measure_label(m.number, m.title, m.is_heading),
        title=m.title,
        text=m.text,
        units=tuple(u.name for u in m.units),
        lead_units=tuple(u.name for u in m.units if u.is_lead),
        joint=m.joint,
        generic=tuple(m.generic or ()),
        targets=tuple(
            target_key(t.subject, t.value, t.unit, t.qualifier, t.year) for t in m.targets
        ),
    )


def audit_view(m: Measure) -> dict[str, object]:
    return {
        "code": m.code,
        "title": m.title,
        "text": m.text,
        "units": [u.name for u in m.units],
        "lead_units": [u.name for u in m.units if u.is_lead],
        "joint": m.joint,
        "generic": list(m.generic or ()),
        "targets": [t.phrase or t.subject for t in m.targets],
    }


# ----------------------------------------------------------------- applying a parse result


def _stored_decimal(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def apply_parsed(
    session: Session, notice: Notice, parsed: ParsedNotice, *, source_name: str, builtin: bool
) -> None:
    """Write ``parsed`` into ``notice`` (new, or saved before and matched by outline code).

    A notice of ten thousand measures must save in seconds, so the rows are written in bulk:
    one ``executemany`` per table for what is inserted and for what is updated, one
    ``DELETE`` for what goes, and the ids of new rows read back once per table — a fixed
    number of statements whatever the number of measures.
    """
    notice.title = parsed.title or ""
    notice.issuer = parsed.issuer or ""
    notice.issued_on = parsed.issued_on
    notice.effective_on = parsed.effective_on
    notice.lead_rule = parsed.lead_rule or ""
    notice.generic_for_all = list(parsed.generic_for_all)
    notice.warnings = list(parsed.warnings)
    notice.source_name = source_name
    notice.source_text = parsed.source_text
    notice.builtin = notice.builtin or builtin
    notice.imported_at = now_text()
    session.flush()
    conn = session.connection()
    section_ids = _write_sections(conn, notice.id, parsed)
    measure_ids, gone = _write_measures(conn, notice.id, parsed, section_ids)
    _write_units_and_targets(conn, notice.id, parsed, measure_ids, gone)
    _retire_missing(conn, gone, len(parsed.measures))
    session.expire(notice, ["sections", "measures", "targets"])


def _ids_by_code(conn: Connection, table: Table, notice_id: int) -> dict[str, int]:
    return dict(
        conn.execute(select(table.c.code, table.c.id).where(table.c.notice_id == notice_id)).all()
    )


def _update_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """UPDATE rows by id: ``rows`` carry ``row_id`` and the same columns each."""
    if rows:
        columns: dict[str, Any] = {k: bindparam(k) for k in rows[0] if k != "row_id"}
        conn.execute(update(table).where(table.c.id == bindparam("row_id")).values(columns), rows)


def _write_sections(conn: Connection, notice_id: int, parsed: ParsedNotice) -> dict[str, int]:
    """Sections matched by code; returns code → id of the parsed ones."""
    table = SECTIONS
    existing = _ids_by_code(conn, table, notice_id)
    fields = [
        {"code": ps.code, "level": ps.level, "number": ps.number, "title": ps.title, "position": i}
        for i, ps in enumerate(parsed.sections)
    ]
    new = [{**f, "notice_id": notice_id} for f in fields if f["code"] not in existing]
    if new:
        conn.execute(insert(table), new)
    _update_many(
        conn, table, [{**f, "row_id": existing[f["code"]]} for f in fields if f["code"] in existing]
    )
    ids = _ids_by_code(conn, table, notice_id)
    wanted = {ps.code for ps in parsed.sections}
    gone = [sid for code, sid in ids.items() if code not in wanted]
    if gone:
        conn.execute(delete(table).where(table.c.id.in_(gone)))
    _update_many(
        conn,
        table,
        [
            {"row_id": ids[ps.code], "parent_id": ids.get(ps.parent_code or "")}
            for ps in parsed.sections
        ],
    )
    return {code: sid for code, sid in ids.items() if code in wanted}


def _write_measures(
    conn: Connection, notice_id: int, parsed: ParsedNotice, section_ids: dict[str, int]
) -> tuple[dict[str, int], list[int]]:
    """Measures matched by code; returns code → id of the parsed ones, and the ids of saved
    measures the parse no longer has (oldest position first)."""
    table = MEASURES
    existing = dict(
        conn.execute(
            select(table.c.code, table.c.id)
            .where(table.c.notice_id == notice_id)
            .order_by(table.c.position, table.c.id)
        ).all()
    )
    fields = [
        {
            "code": pm.code,
            "number": pm.number,
            "title": pm.title,
            "text": pm.text,
            "note": pm.note,
            "joint": pm.joint,
            "is_heading": pm.is_heading,
            "generic": list(pm.generic),
            "warnings": list(pm.warnings),
            "position": i,
            "section_id": section_ids.get(pm.section_code or ""),
        }
        for i, pm in enumerate(parsed.measures)
    ]
    new = [{**f, "notice_id": notice_id} for f in fields if f["code"] not in existing]
    if new:
        conn.execute(insert(table), new)
    _update_many(
        conn, table, [{**f, "row_id": existing[f["code"]]} for f in fields if f["code"] in existing]
    )
    wanted = {pm.code for pm in parsed.measures}
    gone = [mid for code, mid in existing.items() if code not in wanted]
    ids = _ids_by_code(conn, table, notice_id)
    return {code: mid for code, mid in ids.items() if code in wanted}, gone


def _write_units_and_targets(
    conn: Connection,
    notice_id: int,
    parsed: ParsedNotice,
    measure_ids: dict[str, int],
    gone: list[int],
) -> None:
    """The units and targets of the parsed measures, and the headline targets, replaced whole
    (a measure that is gone keeps its own)."""
    units, targets = UNITS, TARGETS
    parsed_ids = list(measure_ids.values())
    measures = MEASURES
    of_parsed = select(measures.c.id).where(
        measures.c.notice_id == notice_id, measures.c.id.not_in(gone)
    )
    conn.execute(delete(units).where(units.c.measure_id.in_(of_parsed)))
    conn.execute(
        delete(targets).where(
            targets.c.notice_id == notice_id,
            or_(targets.c.measure_id.is_(None), targets.c.measure_id.in_(of_parsed)),
        )
    )
    assert len(parsed_ids) == len(parsed.measures)
    unit_rows = [
        {
            "measure_id": measure_ids[pm.code],
            "position": i,
            "name": name,
            "alias": pm.aliases.get(name, ""),
            "is_lead": name in pm.lead_units,
        }
        for pm in parsed.measures
        for i, name in enumerate(pm.units)
    ]
    if unit_rows:
        conn.execute(insert(units), unit_rows)
    target_rows = [target_row(notice_id, None, pt, i) for i, pt in enumerate(parsed.targets)]
    target_rows += [
        target_row(notice_id, measure_ids[pm.code], pt, i)
        for pm in parsed.measures
        for i, pt in enumerate(pm.targets)
    ]
    if target_rows:
        conn.execute(insert(targets), target_rows)


def target_row(
    notice_id: int, measure_id: int | None, pt: ParsedTarget, pos: int
) -> dict[str, Any]:
    return {
        "notice_id": notice_id,
        "measure_id": measure_id,
        "position": pos,
        "year": pt.year,
        "subject": pt.subject,
        "value": _stored_decimal(pt.value),
        "unit": pt.unit,
        "qualifier": pt.qualifier,
        "phrase": pt.phrase,
    }


def new_target(notice: Notice, measure: Measure | None, pt: ParsedTarget, pos: int) -> Target:
    return Target(
        notice=notice,
        measure=measure,
        position=pos,
        year=pt.year,
        subject=pt.subject,
        value=_stored_decimal(pt.value),
        unit=pt.unit,
        qualifier=pt.qualifier,
        phrase=pt.phrase,
    )


def _retire_missing(conn: Connection, gone: Sequence[int], start: int) -> None:
    """Saved measures the new parse lacks: deleted unless a task or a 不适用 mark refers to
    them; those are kept at the end, with ``GONE_WARNING``."""
    if not gone:
        return
    used = set(
        conn.execute(
            select(TaskMeasure.measure_id).where(TaskMeasure.measure_id.in_(gone))
        ).scalars()
    ) | set(
        conn.execute(
            select(MeasureExclusion.measure_id).where(MeasureExclusion.measure_id.in_(gone))
        ).scalars()
    )
    table = MEASURES
    warnings = dict(
        conn.execute(select(table.c.id, table.c.warnings).where(table.c.id.in_(list(used)))).all()
    )
    _update_many(
        conn,
        table,
        [
            {
                "row_id": mid,
                "position": start + i,
                "warnings": [
                    *(warnings[mid] or []),
                    *([] if GONE_WARNING in (warnings[mid] or []) else [GONE_WARNING]),
                ],
            }
            for i, mid in enumerate(gone)
            if mid in used
        ],
    )
    unused = [mid for mid in gone if mid not in used]
    if unused:
        conn.execute(delete(table).where(table.c.id.in_(unused)))
