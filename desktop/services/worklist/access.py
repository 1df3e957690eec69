"""Finding a work list or a task for a change, and recording the change.

Every work-list service goes through these: a list from the level below is read-only, a
submitted version is frozen (``ListFrozenError``: the screen offers 开始新版本), and every
change stamps the list, returns a checked list to 草稿 and writes one audit entry.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop.db.models import Task, WorkList
from desktop.errors import NotFoundError, UserError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.office.service import get_office


class ListFrozenError(UserError):
    def __init__(self, version: int) -> None:
        super().__init__(
            f"第{version}版清单已上报，已冻结，不能再修改。",
            hint="如需修改，请点击“开始新版本”，在新版本中编辑。",
        )


def get_list(session: Session, list_id: int) -> WorkList:
    wl = session.get(WorkList, list_id)
    if wl is None:
        raise NotFoundError("找不到这份清单，它可能已被删除。")
    return wl


def editable_list(session: Session, list_id: int) -> WorkList:
    wl = get_list(session, list_id)
    if not wl.own:
        raise ValidationError("下级上报的清单只能查看，不能修改。")
    if wl.state == "submitted":
        raise ListFrozenError(wl.version)
    return wl


def list_task(session: Session, list_id: int, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None or task.work_list_id != list_id:
        raise NotFoundError("找不到这项任务，它可能已被删除。")
    return task


def touch(
    session: Session,
    wl: WorkList,
    action: str,
    summary: str,
    before: object,
    after: object,
    entity_id: object = None,
    *,
    entity: str = "task",
    keep_state: bool = False,
) -> None:
    """The list changed: stamp it, a checked list goes back to 草稿, one audit entry."""
    wl.updated_at = now_text()
    if wl.state == "checked" and not keep_state:
        wl.state = "draft"
    audit.record(
        session,
        operator=get_office(session).operator,
        action=action,
        entity=entity if entity_id is not None else "work_list",
        entity_id=entity_id if entity_id is not None else wl.id,
        summary=f"{wl.year}年清单第{wl.version}版：{summary}",
        before=before,
        after=after,
    )
