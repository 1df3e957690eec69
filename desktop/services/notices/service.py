"""Notices in the database: importing a parsed notice, listing, reading its tree, searching.

Re-importing a notice with the same document number updates it in place, matching sections
and measures by their outline code, so the tasks of the office's work lists keep pointing at
the same measures. A measure that disappeared from the new text is deleted only when no task
or 不适用 mark refers to it; otherwise it stays, flagged with a warning.

Besides importing, the office can correct one saved measure by hand (``correct_measure``),
see beforehand what replacing a notice would change (``compare``), and delete a notice that
no work list uses (``delete``).
"""

from __future__ import annotations

import builtins
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from desktop.core.notice import ParsedNotice, parse_notice_file
from desktop.core.schema import unprintable
from desktop.db.models import (
    Measure,
    MeasureExclusion,
    MeasureUnit,
    Notice,
    Task,
    TaskMeasure,
    WorkList,
)
from desktop.errors import NotFoundError, UserError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.notices.changes import (
    ImportComparison,
    MeasureCorrection,
    checked_correction,
    compare_states,
    state_of_parsed,
)
from desktop.services.notices.store import (
    GONE_WARNING,
    apply_parsed,
    audit_view,
    measure_state,
    new_target,
)
from desktop.services.notices.views import (
    MeasureView,
    NoticeSummary,
    NoticeTree,
    SectionView,
    TargetView,
    load_tree,
    measure_view,
    notice_summary,
)
from desktop.services.office.service import get_office

# the read models are part of this service's interface
__all__ = [
    "BUILTIN_NOTICE_FILE",
    "GONE_WARNING",
    "ImportComparison",
    "MeasureCorrection",
    "MeasureView",
    "NoticeExistsError",
    "NoticeService",
    "NoticeSummary",
    "NoticeTree",
    "SectionView",
    "TargetView",
]

BUILTIN_NOTICE_FILE = "zjzf-2026-16.txt"


class NoticeExistsError(UserError):
    """A notice with the same document number is already in the database."""

    def __init__(self, doc_number: str) -> None:
        super().__init__(
            f"数据库里已经有文号为“{doc_number}”的文件。",
            hint="如要用新文本替换它，请确认替换（命令行加 --replace）；已有清单不受影响。",
        )
        self.doc_number = doc_number


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
            return [notice_summary(n, counts.get(n.id, 0)) for n in notices]

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

    def not_applicable(self, notice_id: int) -> dict[int, str]:
        """Per measure id, the reason the office's current lists mark it 不适用."""
        with self._sessions() as session:
            rows = session.execute(
                select(MeasureExclusion.measure_id, WorkList.year, MeasureExclusion.reason)
                .join(WorkList, WorkList.id == MeasureExclusion.work_list_id)
                .where(WorkList.notice_id == notice_id, WorkList.own, WorkList.is_current)
                .order_by(WorkList.year)
            ).all()
        reasons: dict[int, str] = {}
        for measure_id, year, reason in rows:
            text = f"{year}年：{reason}"
            reasons[measure_id] = (
                f"{reasons[measure_id]}；{text}" if measure_id in reasons else text
            )
        return reasons

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
        _refuse_unprintable(parsed)
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
            apply_parsed(session, notice, parsed, source_name=source_name, builtin=builtin)
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
            return notice_summary(notice, count)

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

    def compare(self, parsed: ParsedNotice) -> ImportComparison | None:
        """What saving ``parsed`` would change in the saved notice of the same document
        number; None when there is none (a plain import)."""
        doc_number = (parsed.doc_number or "").strip()
        if not doc_number:
            return None
        with self._sessions() as session:
            notice = session.execute(
                select(Notice).where(Notice.doc_number == doc_number)
            ).scalar_one_or_none()
            if notice is None:
                return None
            measures = session.execute(
                select(Measure)
                .where(Measure.notice_id == notice.id)
                .options(selectinload(Measure.units), selectinload(Measure.targets))
            ).scalars()
            old = {m.code: measure_state(m) for m in measures}
            used_codes = set(
                session.execute(
                    select(Measure.code)
                    .join(TaskMeasure, TaskMeasure.measure_id == Measure.id)
                    .where(Measure.notice_id == notice.id)
                ).scalars()
            ) | set(
                session.execute(
                    select(Measure.code)
                    .join(MeasureExclusion, MeasureExclusion.measure_id == Measure.id)
                    .where(Measure.notice_id == notice.id)
                ).scalars()
            )
            lists = session.execute(
                select(func.count()).select_from(WorkList).where(WorkList.notice_id == notice.id)
            ).scalar_one()
            linked = session.execute(
                select(func.count(func.distinct(TaskMeasure.task_id)))
                .join(Measure, Measure.id == TaskMeasure.measure_id)
                .where(Measure.notice_id == notice.id)
            ).scalar_one()
            added, changed, unchanged, removed, kept = compare_states(
                old, [state_of_parsed(m) for m in parsed.measures], used_codes
            )
            return ImportComparison(
                notice_id=notice.id,
                doc_number=notice.doc_number,
                title=notice.title,
                imported_at=notice.imported_at,
                added=tuple(added),
                changed=tuple(changed),
                unchanged=unchanged,
                removed=tuple(removed),
                kept=tuple(kept),
                lists=lists,
                linked_tasks=linked,
            )

    def correct_measure(self, measure_id: int, correction: MeasureCorrection) -> MeasureView:
        """Correct one saved measure by hand, in one audited transaction.

        The tasks of work lists keep their link to the measure; their own units and texts
        are the office's and do not change with it.
        """
        c = checked_correction(correction)
        with self._sessions.begin() as session:
            m = session.get(Measure, measure_id)
            if m is None:
                raise NotFoundError("找不到这个条目，它可能已被删除或重新导入。")
            before = audit_view(m)
            aliases = {u.name: u.alias for u in m.units if u.alias}
            m.title, m.text, m.joint = c.title, c.text, c.joint
            m.generic = list(c.generic)
            # the user has looked at the measure: the parser's doubts are settled, while
            # the note that a re-import no longer contains it stays true
            m.warnings = [w for w in (m.warnings or []) if w == GONE_WARNING]
            m.units.clear()
            for t in list(m.targets):
                session.delete(t)
            session.flush()
            session.expire(m, ["targets"])
            leads = set(c.lead_units)
            m.units.extend(
                MeasureUnit(
                    position=i, name=name, alias=aliases.get(name, ""), is_lead=name in leads
                )
                for i, name in enumerate(c.units)
            )
            notice = m.notice
            for i, pt in enumerate(c.targets):
                session.add(new_target(notice, m, pt, i))
            session.flush()
            session.refresh(m)
            after = audit_view(m)
            audit.record(
                session,
                operator=get_office(session).operator,
                action="update",
                entity="measure",
                entity_id=m.id,
                summary=f"修正条目 {notice.doc_number} {m.code}",
                before=before,
                after=after,
            )
            return measure_view(m)

    def delete(self, notice_id: int) -> None:
        """Delete a notice that no work list is based on; the built-in notice stays."""
        with self._sessions.begin() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise NotFoundError("找不到这份上级文件，它可能已被删除。")
            if notice.builtin:
                raise ValidationError(f"{notice.doc_number} 是程序内置的文件，不能删除。")
            users = session.execute(
                select(WorkList.locality, WorkList.year)
                .where(WorkList.notice_id == notice_id)
                .distinct()
                .order_by(WorkList.year, WorkList.locality)
            ).all()
            if users:
                names = "、".join(f"{loc}{year}年" for loc, year in users[:4])
                more = f"等 {len(users)} 份" if len(users) > 4 else ""
                raise ValidationError(
                    f"{notice.doc_number} 正被清单使用（{names}{more}），不能删除。",
                    hint="如确需删除，请先删除依据这份文件的清单。",
                )
            summary = {"doc_number": notice.doc_number, "title": notice.title}
            session.delete(notice)
            session.flush()
            audit.record(
                session,
                operator=get_office(session).operator,
                action="delete",
                entity="notice",
                entity_id=notice_id,
                summary=f"删除上级文件 {summary['doc_number']}",
                before=summary,
            )


def _refuse_unprintable(parsed: ParsedNotice) -> None:
    """A measure's text becomes task text and the ledger prints it: a character its fonts
    cannot print (an emoji pasted into a notice) is refused here, naming the measure, rather
    than found at export or printed as a box."""
    for m in parsed.measures:
        bad = unprintable(f"{m.title}{m.text}")
        if bad:
            shown = "、".join(f"“{ch}”" for ch in bad[:5])
            raise ValidationError(
                f"条目 {m.code} 中的{shown}台账字体无法打印（表情符号、生僻字等）。",
                hint="请在导入界面或原文件中删除或改用常用字后再保存。",
            )
