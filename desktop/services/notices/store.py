"""Writing a parsed notice into the database, matching what is already there by outline code.

Sections and measures are updated in place when their code (一.（一）.1) is unchanged, so
tasks and 不适用 marks keep pointing at the same rows; a measure that disappeared is deleted
only when nothing refers to it, otherwise kept with ``GONE_WARNING``. Used by
``desktop.services.notices.service`` inside its transactions; never opens a session itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.notice import ParsedMeasure, ParsedNotice, ParsedTarget
from desktop.db.models import (
    Measure,
    MeasureExclusion,
    MeasureUnit,
    Notice,
    NoticeSection,
    Target,
    TaskMeasure,
)
from desktop.services.clock import now_text
from desktop.services.notices.changes import MeasureState, measure_label, target_key

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

    # sections, matched by code
    existing_sections = {s.code: s for s in notice.sections}
    by_code: dict[str, NoticeSection] = {}
    for pos, ps in enumerate(parsed.sections):
        sec = existing_sections.pop(ps.code, None) or NoticeSection(notice=notice, code=ps.code)
        sec.level, sec.number, sec.title, sec.position = ps.level, ps.number, ps.title, pos
        sec.parent_id = by_code[ps.parent_code].id if ps.parent_code in by_code else None
        session.add(sec)
        session.flush()
        by_code[ps.code] = sec

    # measures, matched by code
    existing = {m.code: m for m in notice.measures}
    for t in [t for t in notice.targets if t.measure_id is None]:
        session.delete(t)
    for pos, pt in enumerate(parsed.targets):
        session.add(new_target(notice, None, pt, pos))
    for pos, pm in enumerate(parsed.measures):
        measure = existing.pop(pm.code, None) or Measure(notice=notice, code=pm.code)
        _fill_measure(session, notice, measure, pm, pos)
        parent = by_code.get(pm.section_code or "")
        measure.section_id = parent.id if parent else None
    _retire_missing(session, list(existing.values()), len(parsed.measures))
    for gone in existing_sections.values():
        session.delete(gone)


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


def _fill_measure(
    session: Session, notice: Notice, m: Measure, pm: ParsedMeasure, pos: int
) -> None:
    m.number, m.title, m.text, m.note = pm.number, pm.title, pm.text, pm.note
    m.joint, m.is_heading = pm.joint, pm.is_heading
    m.generic, m.warnings, m.position = list(pm.generic), list(pm.warnings), pos
    session.add(m)
    m.units.clear()
    for t in list(m.targets):
        session.delete(t)
    session.flush()
    session.expire(m, ["targets"])
    leads = set(pm.lead_units)
    m.units.extend(
        MeasureUnit(position=i, name=name, alias=pm.aliases.get(name, ""), is_lead=name in leads)
        for i, name in enumerate(pm.units)
    )
    for i, pt in enumerate(pm.targets):
        session.add(new_target(notice, m, pt, i))


def _retire_missing(session: Session, gone: Sequence[Measure], start: int) -> None:
    for i, m in enumerate(gone):
        used = (
            session.execute(
                select(TaskMeasure.task_id).where(TaskMeasure.measure_id == m.id).limit(1)
            ).first()
            or session.execute(
                select(MeasureExclusion.id).where(MeasureExclusion.measure_id == m.id).limit(1)
            ).first()
        )
        if used:
            if GONE_WARNING not in (m.warnings or []):
                m.warnings = [*(m.warnings or []), GONE_WARNING]
            m.position = start + i
        else:
            session.delete(m)
