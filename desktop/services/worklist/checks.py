"""The check before sending (校验) of a work list, and the warnings the office has explained.

The rules are ``desktop.core.checks``; here they run over the list as stored. A list that
passes becomes 已校验 (unless already submitted); a warning is accepted with a written
explanation (one for several at once) and stays accepted in later versions.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.checks import CheckResult, check_work_list
from desktop.core.localise import LocalContext
from desktop.core.place_names import own_localities
from desktop.core.schema import clean, text_problem
from desktop.core.worklist import TaskRecord
from desktop.db.models import CheckNote, LocalUnit, MeasureExclusion, WorkList
from desktop.errors import ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.notices.measure_refs import measure_refs
from desktop.services.office.service import get_office
from desktop.services.worklist.access import editable_list, get_list, list_task, touch
from desktop.services.worklist.rows import task_record, task_records


def check_list(session: Session, wl: WorkList) -> CheckResult:
    """The check of a stored list (校验, and 上报's check before export)."""
    office = get_office(session)
    return check_work_list(
        year=wl.year,
        measures=measure_refs(session, wl.notice_id),
        excluded=dict(
            session.execute(
                select(MeasureExclusion.measure_id, MeasureExclusion.reason).where(
                    MeasureExclusion.work_list_id == wl.id
                )
            ).all()
        ),
        tasks=task_records(session, wl.id),
        local_units=set(session.execute(select(LocalUnit.name)).scalars()),
        accepted=dict(
            session.execute(
                select(CheckNote.key, CheckNote.explanation).where(CheckNote.work_list_id == wl.id)
            ).all()
        ),
        own_places=own_localities(wl.locality or office.locality, office.parent),
    )


class WorkListChecks:
    """Checking a list and the office's explanations of its warnings."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def check(self, list_id: int) -> CheckResult:
        """Run the check; a list that passes becomes 已校验 (unless already submitted)."""
        with self._sessions.begin() as session:
            wl = get_list(session, list_id)
            result = check_list(session, wl)
            if wl.own and wl.state != "submitted":
                new_state = "checked" if result.passed else "draft"
                if new_state != wl.state:
                    wl.state = new_state
                    wl.checked_at = now_text() if result.passed else ""
                    audit.record(
                        session,
                        operator=get_office(session).operator,
                        action="check",
                        entity="work_list",
                        entity_id=wl.id,
                        summary=result.summary(),
                    )
            return result

    def local_context(self, list_id: int, task_id: int) -> tuple[TaskRecord, LocalContext]:
        """A task as stored and what 改为本地目标 needs to propose and check its wording:
        its measures, the office's own places and level."""
        with self._sessions() as session:
            wl = get_list(session, list_id)
            task = task_record(session, list_task(session, list_id, task_id))
            office = get_office(session)
            measures = {m.id: m for m in measure_refs(session, wl.notice_id)}
            return task, LocalContext(
                tuple(measures[i] for i in task.measure_ids if i in measures),
                own_localities(wl.locality or office.locality, office.parent),
                office.level,
            )

    def accept_warning(self, list_id: int, key: str, message: str, explanation: str) -> None:
        self.accept_warnings(list_id, [(key, message)], explanation)

    def accept_warnings(
        self, list_id: int, warnings: Sequence[tuple[str, str]], explanation: str
    ) -> None:
        """Accept several warnings (key, message) with one written explanation, all at once."""
        explanation = clean(explanation, "check_explanation")
        problem = text_problem("check_explanation", explanation)
        if problem is not None:
            raise ValidationError(f"{problem}。")
        if not explanation.strip():
            raise ValidationError("接受提醒必须写明说明。")
        if not warnings:
            return
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            notes = {
                n.key: n
                for n in session.execute(
                    select(CheckNote).where(
                        CheckNote.work_list_id == list_id,
                        CheckNote.key.in_([k for k, _ in warnings]),
                    )
                ).scalars()
            }
            office = get_office(session)
            for key, message in warnings:
                note = notes.get(key)
                if note is None:
                    note = notes[key] = CheckNote(work_list_id=list_id, key=key)
                    session.add(note)
                note.message, note.explanation = message, explanation.strip()
                note.accepted_at, note.accepted_by = now_text(), office.operator
            first = warnings[0][1]
            more = f"等 {len(warnings)} 条" if len(warnings) > 1 else ""
            touch(
                session,
                wl,
                "accept_warning",
                f"说明提醒：{first}{more}",
                None,
                explanation,
                keep_state=True,
            )

    def revoke_warning(self, list_id: int, key: str) -> None:
        self.revoke_warnings(list_id, [key])

    def revoke_warnings(self, list_id: int, keys: Sequence[str]) -> None:
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            session.execute(
                delete(CheckNote).where(
                    CheckNote.work_list_id == list_id, CheckNote.key.in_(list(keys))
                )
            )
            touch(session, wl, "revoke_warning", "撤回提醒说明", list(keys), None)

    def accepted_warnings(self, list_id: int) -> dict[str, str]:
        with self._sessions() as session:
            return dict(
                session.execute(
                    select(CheckNote.key, CheckNote.explanation).where(
                        CheckNote.work_list_id == list_id
                    )
                ).all()
            )
