"""A notice's measures as the plain ``MeasureRef`` shapes that lists, checks and packages share.

The one-click draft, the check before sending, the coverage view, the upward package, the
city's 汇总 and the department workbooks all label measures the same way: the measure's
number, then its title (``一、``-style headings, ``1. `` items, ``（一）`` kept as written).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.core.worklist import MeasureRef, TargetRef
from desktop.db.models import Measure


def measure_refs(session: Session, notice_id: int) -> list[MeasureRef]:
    refs = []
    for m in session.execute(
        select(Measure)
        .where(Measure.notice_id == notice_id)
        .order_by(Measure.position)
        .options(selectinload(Measure.units), selectinload(Measure.targets))
    ).scalars():
        sep = "" if m.number.startswith("（") else ("、" if m.is_heading else ". ")
        leads = tuple(u.name for u in m.units if u.is_lead)
        refs.append(
            MeasureRef(
                id=m.id,
                code=m.code,
                label=f"{m.number}{sep}{m.title}",
                text=m.text,
                title=m.title,
                lead_units=leads,
                co_units=tuple(u.name for u in m.units if not u.is_lead),
                joint=m.joint,
                targets=tuple(
                    TargetRef(t.subject, t.value, t.unit, t.qualifier, t.phrase) for t in m.targets
                ),
                position=m.position,
            )
        )
    return refs
