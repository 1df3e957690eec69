"""Notices in the database: importing a parsed notice, listing, reading its tree, searching.

Re-importing a notice with the same document number updates it in place, matching sections
and measures by their outline code, so the tasks of the office's work lists keep pointing at
the same measures. A measure that disappeared from the new text is deleted only when no task
or 不适用 mark refers to it; otherwise it stays, flagged with a warning.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from desktop.core.notice import ParsedMeasure, ParsedNotice, ParsedTarget, parse_notice_file
from desktop.db.models import (
    Measure,
    MeasureExclusion,
    MeasureUnit,
    Notice,
    NoticeSection,
    Target,
    Task,
    TaskMeasure,
    WorkList,
)
from desktop.errors import NotFoundError, UserError, ValidationError
from desktop.services import audit
from desktop.services.clock import now_text
from desktop.services.office import get_office

BUILTIN_NOTICE_FILE = "zjzf-2026-16.txt"
GONE_WARNING = "重新导入的文件中已没有这一条目，因本级清单仍在使用而保留"


class NoticeExistsError(UserError):
    """A notice with the same document number is already in the database."""

    def __init__(self, doc_number: str) -> None:
        super().__init__(
            f"数据库里已经有文号为“{doc_number}”的文件。",
            hint="如要用新文本替换它，请确认替换（命令行加 --replace）；已有清单不受影响。",
        )
        self.doc_number = doc_number


# ----------------------------------------------------------------- read models for screens


@dataclass(frozen=True)
class NoticeSummary:
    id: int
    doc_number: str
    title: str
    issuer: str
    issued_on: str
    measures: int
    builtin: bool


@dataclass(frozen=True)
class TargetView:
    subject: str
    value: str | None
    unit: str
    qualifier: str | None
    year: int | None

    def display(self) -> str:
        value = f"{self.value}{self.unit}" if self.value is not None else self.unit
        qual = self.qualifier or ""
        year = f"到{self.year}年" if self.year else ""
        if qual in ("突破", "达到", "超过"):
            return f"{year}{self.subject}{qual}{value}"
        return f"{year}{self.subject}{value}{qual}"


@dataclass(frozen=True)
class MeasureView:
    id: int
    code: str
    number: str
    title: str
    text: str
    note: str
    section_id: int | None
    units: tuple[str, ...]
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    aliases: dict[str, str]
    generic: tuple[str, ...]
    joint: bool
    is_heading: bool
    targets: tuple[TargetView, ...]
    warnings: tuple[str, ...]

    @property
    def label(self) -> str:
        """Short label for tables and ledgers: "1. 研发设计方面" / "（一）加快推进数智化发展"."""
        sep = "" if self.number.startswith("（") or self.is_heading else ". "
        if self.is_heading and not self.number.startswith("（"):
            sep = "、"
        return f"{self.number}{sep}{self.title}".strip()


@dataclass(frozen=True)
class SectionView:
    id: int
    parent_id: int | None
    level: int
    number: str
    code: str
    title: str

    @property
    def label(self) -> str:
        sep = "" if self.number.startswith("（") else "、"
        return f"{self.number}{sep}{self.title}"


@dataclass
class NoticeTree:
    notice: NoticeSummary
    effective_on: str
    lead_rule: str
    generic_for_all: list[str]
    headline_targets: list[TargetView]
    sections: list[SectionView] = field(default_factory=list)
    measures: list[MeasureView] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def section(self, section_id: int | None) -> SectionView | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def top_section(self, section_id: int | None) -> SectionView | None:
        sec = self.section(section_id)
        while sec is not None and sec.parent_id is not None:
            sec = self.section(sec.parent_id)
        return sec


def _target_view(t: Target) -> TargetView:
    return TargetView(t.subject, t.value, t.unit, t.qualifier, t.year)


def measure_view(m: Measure) -> MeasureView:
    units = tuple(u.name for u in m.units)
    leads = tuple(u.name for u in m.units if u.is_lead)
    return MeasureView(
        id=m.id,
        code=m.code,
        number=m.number,
        title=m.title,
        text=m.text,
        note=m.note,
        section_id=m.section_id,
        units=units,
        lead_units=leads,
        co_units=tuple(u for u in units if u not in leads),
        aliases={u.name: u.alias for u in m.units if u.alias},
        generic=tuple(m.generic or ()),
        joint=m.joint,
        is_heading=m.is_heading,
        targets=tuple(_target_view(t) for t in m.targets),
        warnings=tuple(m.warnings or ()),
    )


def _summary(n: Notice, measures: int) -> NoticeSummary:
    return NoticeSummary(
        id=n.id,
        doc_number=n.doc_number,
        title=n.title,
        issuer=n.issuer,
        issued_on=n.issued_on.isoformat() if n.issued_on else "",
        measures=measures,
        builtin=n.builtin,
    )


# ----------------------------------------------------------------- the service


class NoticeService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # reading ----------------------------------------------------------------------------

    def list(self) -> list[NoticeSummary]:
        with self._sessions() as session:
            counts = dict(
                session.execute(
                    select(Measure.notice_id, func.count()).group_by(Measure.notice_id)
                ).all()
            )
            notices = session.execute(select(Notice).order_by(Notice.id)).scalars()
            return [_summary(n, counts.get(n.id, 0)) for n in notices]

    def find_id(self, doc_number: str) -> int | None:
        with self._sessions() as session:
            return session.execute(
                select(Notice.id).where(Notice.doc_number == doc_number)
            ).scalar_one_or_none()

    def tree(self, notice_id: int) -> NoticeTree:
        with self._sessions() as session:
            return load_tree(session, notice_id)

    def coverage_counts(self, notice_id: int) -> dict[int, int]:
        """Per measure id, how many tasks of the office's current lists cover it."""
        with self._sessions() as session:
            rows = session.execute(
                select(TaskMeasure.measure_id, func.count())
                .join(Task, Task.id == TaskMeasure.task_id)
                .join(WorkList, WorkList.id == Task.work_list_id)
                .where(WorkList.notice_id == notice_id, WorkList.own, WorkList.is_current)
                .group_by(TaskMeasure.measure_id)
            ).all()
            return {mid: n for mid, n in rows}

    def search(self, notice_id: int, query: str) -> builtins.list[int]:
        """Ids of measures whose text, title, note or units contain ``query``."""
        q = query.strip()
        if not q:
            return []
        tree = self.tree(notice_id)
        return [
            m.id
            for m in tree.measures
            if q in m.text or q in m.title or q in m.note or any(q in u for u in m.units)
        ]

    # writing ----------------------------------------------------------------------------

    def import_file(
        self, path: Path, *, replace: bool = False, builtin: bool = False
    ) -> NoticeSummary:
        parsed = parse_notice_file(path)
        return self.import_parsed(parsed, source_name=path.name, replace=replace, builtin=builtin)

    def import_parsed(
        self,
        parsed: ParsedNotice,
        *,
        source_name: str = "",
        replace: bool = False,
        builtin: bool = False,
    ) -> NoticeSummary:
        """Save a parsed (and possibly corrected) notice in one transaction."""
        doc_number = (parsed.doc_number or "").strip()
        if not doc_number:
            raise ValidationError("文件中没有找到文号，请在导入界面填写文号后再保存。")
        if not parsed.measures:
            raise ValidationError("没有识别出任何条目，无法保存。")
        with self._sessions.begin() as session:
            notice = session.execute(
                select(Notice).where(Notice.doc_number == doc_number)
            ).scalar_one_or_none()
            if notice is not None and not replace:
                raise NoticeExistsError(doc_number)
            action = "replace" if notice is not None else "import"
            if notice is None:
                notice = Notice(doc_number=doc_number)
                session.add(notice)
            _apply(session, notice, parsed, source_name=source_name, builtin=builtin)
            session.flush()
            operator = get_office(session).operator
            audit.record(
                session,
                operator=operator,
                action=action,
                entity="notice",
                entity_id=notice.id,
                summary=f"{'替换' if action == 'replace' else '导入'}上级文件 {doc_number}"
                f"（{len(parsed.measures)} 条）",
                after={
                    "doc_number": doc_number,
                    "title": notice.title,
                    "measures": len(parsed.measures),
                },
            )
            count = session.execute(
                select(func.count()).select_from(Measure).where(Measure.notice_id == notice.id)
            ).scalar_one()
            return _summary(notice, count)

    def ensure_builtin(self, path: Path) -> bool:
        """Load the built-in notice through the importer unless it is already there."""
        with self._sessions() as session:
            if session.execute(select(Notice.id).where(Notice.builtin)).first():
                return False
        parsed = parse_notice_file(path)
        if self.find_id(parsed.doc_number or "") is not None:
            return False
        self.import_parsed(parsed, source_name=path.name, builtin=True)
        return True


def load_tree(session: Session, notice_id: int) -> NoticeTree:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFoundError("找不到这份上级文件，它可能已被删除。")
    sections = session.execute(
        select(NoticeSection)
        .where(NoticeSection.notice_id == notice_id)
        .order_by(NoticeSection.position)
    ).scalars()
    measures = session.execute(
        select(Measure)
        .where(Measure.notice_id == notice_id)
        .order_by(Measure.position)
        .options(selectinload(Measure.units), selectinload(Measure.targets))
    ).scalars()
    mviews = [measure_view(m) for m in measures]
    return NoticeTree(
        notice=_summary(notice, len(mviews)),
        effective_on=notice.effective_on.isoformat() if notice.effective_on else "",
        lead_rule=notice.lead_rule,
        generic_for_all=list(notice.generic_for_all or []),
        headline_targets=[_target_view(t) for t in notice.headline_targets],
        sections=[
            SectionView(s.id, s.parent_id, s.level, s.number, s.code, s.title) for s in sections
        ],
        measures=mviews,
        warnings=list(notice.warnings or []),
    )


# ----------------------------------------------------------------- applying a parse result


def _decimal_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _apply(
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
        session.add(_target(notice, None, pt, pos))
    for pos, pm in enumerate(parsed.measures):
        measure = existing.pop(pm.code, None) or Measure(notice=notice, code=pm.code)
        _fill_measure(session, notice, measure, pm, pos)
        parent = by_code.get(pm.section_code or "")
        measure.section_id = parent.id if parent else None
    _retire_missing(session, list(existing.values()), len(parsed.measures))
    for gone in existing_sections.values():
        session.delete(gone)


def _target(notice: Notice, measure: Measure | None, pt: ParsedTarget, pos: int) -> Target:
    return Target(
        notice=notice,
        measure=measure,
        position=pos,
        year=pt.year,
        subject=pt.subject,
        value=_decimal_text(pt.value),
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
        session.add(_target(notice, m, pt, i))


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
