"""Read models of notices for screens and commands: frozen dataclasses, never ORM objects.

``load_tree`` reads a saved notice whole (sections, measures with their units and targets,
headline targets) in a few queries; a notice has about a hundred nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.db.models import Measure, Notice, NoticeSection, Target
from desktop.errors import NotFoundError
from desktop.services.notices.changes import measure_label


@dataclass(frozen=True)
class NoticeSummary:
    id: int
    doc_number: str
    title: str
    issuer: str
    issued_on: str
    measures: int
    builtin: bool
    source_name: str = ""
    imported_at: str = ""

    @property
    def display(self) -> str:
        """For choosers: "浙政发〔2026〕16号 浙江省人民政府关于…"."""
        return f"{self.doc_number}  {self.title}".strip()


@dataclass(frozen=True)
class TargetView:
    subject: str
    value: str | None
    unit: str
    qualifier: str | None
    year: int | None
    phrase: str = ""

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
        return measure_label(self.number, self.title, self.is_heading)


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


def target_view(t: Target) -> TargetView:
    return TargetView(t.subject, t.value, t.unit, t.qualifier, t.year, t.phrase)


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
        targets=tuple(target_view(t) for t in m.targets),
        warnings=tuple(m.warnings or ()),
    )


def notice_summary(n: Notice, measures: int) -> NoticeSummary:
    return NoticeSummary(
        id=n.id,
        doc_number=n.doc_number,
        title=n.title,
        issuer=n.issuer,
        issued_on=n.issued_on.isoformat() if n.issued_on else "",
        measures=measures,
        builtin=n.builtin,
        source_name=n.source_name,
        imported_at=n.imported_at,
    )


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
        notice=notice_summary(notice, len(mviews)),
        effective_on=notice.effective_on.isoformat() if notice.effective_on else "",
        lead_rule=notice.lead_rule,
        generic_for_all=list(notice.generic_for_all or []),
        headline_targets=[target_view(t) for t in notice.headline_targets],
        sections=[
            SectionView(s.id, s.parent_id, s.level, s.number, s.code, s.title) for s in sections
        ],
        measures=mviews,
        warnings=list(notice.warnings or []),
    )
