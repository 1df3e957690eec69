"""Reading the audit log (审计日志): filters, pages for a 100,000-row table, details, chain check.

The log is written by ``desktop.services.audit.log.record`` in the same transaction as each change.
This module only reads it: newest first, filtered by date range, operator, action, object
kind and text, in pages fetched by id (keyset paging, so the hundredth page costs what the
first does). Actions and object kinds are stored as stable codes and shown in Chinese here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.names import one_line
from desktop.core.vocabulary import LABELS
from desktop.db.models import AuditEntry
from desktop.errors import NotFoundError
from desktop.services.audit.log import verify_chain

ACTION_LABELS: dict[str, str] = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "import": "导入",
    "replace": "替换",
    "submit": "上报",
    "export": "导出",
    "progress": "填报进展",
    "freeze": "冻结本期",
    "unfreeze": "解冻本期",
    "close_out": "销号",
    "reopen": "撤销销号",
    "carry_over": "结转",
    "draft": "生成初稿",
    "create_task": "新增任务",
    "update_task": "修改任务",
    "delete_task": "删除任务",
    "restore_task": "撤销删除",
    "split_task": "拆分任务",
    "merge_task": "合并任务",
    "move_task": "调整顺序",
    "renumber": "重新编号",
    "not_applicable": "标为不适用",
    "clear_not_applicable": "取消不适用",
    "check": "校验",
    "accept_warning": "说明提醒",
    "revoke_warning": "撤回说明",
    "new_version": "开始新版本",
    "demo": "生成示例",
    "backup": "备份",
    "restore": "恢复",
    "aggregate": "汇总",
    "record": "记录数据状态",
    "pin_key": "记录下级密钥",
    "accept_key": "接受下级新密钥",
    "adopt": "沿用原密钥",
}

ENTITY_LABELS: dict[str, str] = {
    "notice": "上级文件",
    "measure": "条目",
    "work_list": "年度清单",
    "task": "工作任务",
    "progress": "进展",
    "period": "填报周期",
    "office": "本级设置",
    "local_units": "本级单位",
    "unit_mapping": "单位对应",
    "setting": "设置",
    "office_key": "本单位签名密钥",
    "sender_key": "下级签名密钥",
    "rows": "数据状态",
    "package": "上报包",
    "bundle": "汇总上报包",
    "locality": "下级地区名单",
    "database": "数据库",
}


# the fields most changes carry, for the "变更字段" line of the detail pane
FIELD_LABELS: dict[str, str] = {
    # a task's and a report's fields by their one name (desktop.core.vocabulary)
    **{
        key: LABELS[key]
        for key in (
            "percent",
            "problems",
            "next_steps",
            "lag_reason",
            "completed_on",
            "evidence",
            "closed_on",
            "closed_by",
            "close_evidence",
            "number",
            "content",
            "target_text",
            "target_value",
            "target_unit",
            "lead_units",
            "co_units",
            "leader",
            "person",
            "phone",
            "start_on",
            "deadline",
            "remarks",
            "milestones",
            "reopened",
        )
    },
    "text": LABELS["progress"],
    "measure_ids": LABELS["measures"],
    "cadence": "填报周期",
    "due_day": "填报截止日",
    **{
        key: LABELS[key]
        for key in (
            "explanation",
            "locality",
            "level",
            "parent",
            "reporting_office",
            "operator",
            "reviewer",
            "contact_phone",
            "locality_code",
        )
    },
    "frozen_at": "冻结时间",
    "frozen_by": "冻结人",
    "reason": "理由",
    "yellow_behind": "滞后阈值",
    "red_behind": "严重滞后阈值",
    "ahead_by": "超序时阈值",
    "due_soon_days": "临近到期天数",
    "uid": LABELS["uid"],
    "id": "序号",
    "year": "年度",
    "tasks": "任务数",
    "notice": "上级文件",
    "doc_number": "文号",
    "title": "标题",
    "measures": "条目数",
    "file": "文件",
    "sha256": "校验值",
    "units": "单位",
    "renamed": "改名",
    "period": "填报周期",
    "local": "本级单位",
    "local_unit_id": "本级单位",
    "ignored": "本级不承担",
    "from_year": "结转自年度",
    "from_list_id": "结转自清单",
    "carried_from_list_id": "结转自清单",
    "carried_from_uid": "结转自任务",
    "close_evidence": "销号佐证",
    "origin": "来源",
    "version": "版本",
    "locality_code": "行政区划代码",
    "configured": "已设置",
    "due_on": "日期",
    "label": "名称",
    "description": "说明",
    "key": "提醒",
    "message": "提示内容",
}


def readable(value: Any) -> str:
    """A stored before/after value as a Chinese person reads it: one "字段：值" line per field,
    lists joined with 、, nothing left as JSON syntax or English keys."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "\n".join(f"{field_label(k)}：{_value_text(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "\n\n".join(readable(v) for v in value)
    return _value_text(value)


def _value_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "、".join(_value_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{field_label(k)} {_value_text(v)}" for k, v in value.items())
    return str(value)


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def entity_label(code: str) -> str:
    return ENTITY_LABELS.get(code, code)


@dataclass(frozen=True)
class AuditFilter:
    """What the 审计日志 screen filters by; empty fields filter nothing."""

    date_from: date | None = None
    date_to: date | None = None  # inclusive
    operator: str = ""
    action: str = ""  # a code of ACTION_LABELS
    entity: str = ""  # a code of ENTITY_LABELS
    text: str = ""  # in the summary, the object id, or the before/after values


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    operator: str
    action: str
    entity: str
    entity_id: str
    summary: str

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def entity_label(self) -> str:
        return entity_label(self.entity)

    @property
    def object_text(self) -> str:
        return f"{self.entity_label} {self.entity_id}".strip()

    @property
    def when(self) -> str:
        """2027-04-01 10:20:31: the stored instant without its offset, for the table."""
        return self.at[:19].replace("T", " ")


@dataclass(frozen=True)
class AuditDetail:
    row: AuditRow
    before: str  # "字段：值" lines (``readable``), or the stored text when it is not JSON
    after: str
    changed: tuple[str, ...]  # keys whose value differs between before and after
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainCheck:
    whole: bool
    entries: int
    broken_id: int | None
    message: str


def _pretty(text: str) -> tuple[str, Any]:
    if not text:
        return "", None
    try:
        value = json.loads(text)
    except ValueError:
        return text, None
    return readable(value), value


def _changed(before: Any, after: Any) -> tuple[str, ...]:
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(set(before) | set(after))
        return tuple(k for k in keys if before.get(k) != after.get(k))
    if isinstance(after, dict) and before is None:
        return tuple(sorted(after))
    if isinstance(before, dict) and after is None:
        return tuple(sorted(before))
    return ()


def _escape_like(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(f: AuditFilter) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    # instants are ISO text in local time, so a day's entries share its "YYYY-MM-DD" prefix
    if f.date_from is not None:
        out.append(AuditEntry.at >= f.date_from.isoformat())
    if f.date_to is not None:
        out.append(AuditEntry.at < (f.date_to + timedelta(days=1)).isoformat())
    if f.operator:
        out.append(AuditEntry.operator == f.operator)
    if f.action:
        out.append(AuditEntry.action == f.action)
    if f.entity:
        out.append(AuditEntry.entity == f.entity)
    text = f.text.strip()
    if text:
        like = f"%{_escape_like(text)}%"
        # JSON keeps non-ASCII as typed (ensure_ascii=False), so Chinese text matches too
        out.append(
            or_(
                AuditEntry.summary.like(like, escape="\\"),
                AuditEntry.entity_id == text,
                AuditEntry.operator.like(like, escape="\\"),
                AuditEntry.before.like(like, escape="\\"),
                AuditEntry.after.like(like, escape="\\"),
            )
        )
    return out


_ROW_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.operator,
    AuditEntry.action,
    AuditEntry.entity,
    AuditEntry.entity_id,
    AuditEntry.summary,
)


class AuditQueryService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def count(self, f: AuditFilter | None = None) -> int:
        conds = _conditions(f or AuditFilter())
        with self._sessions() as session:
            query = select(func.count()).select_from(AuditEntry)
            if conds:
                query = query.where(and_(*conds))
            return int(session.execute(query).scalar_one())

    def page(
        self, f: AuditFilter | None = None, *, before_id: int | None = None, limit: int = 500
    ) -> list[AuditRow]:
        """Up to ``limit`` entries, newest first, older than ``before_id`` when given."""
        conds = _conditions(f or AuditFilter())
        if before_id is not None:
            conds.append(AuditEntry.id < before_id)
        with self._sessions() as session:
            query = select(*_ROW_COLUMNS).order_by(AuditEntry.id.desc()).limit(max(limit, 1))
            if conds:
                query = query.where(and_(*conds))
            # one line each, whatever an entry of an earlier version holds (core/names.py)
            return [AuditRow(*r[:6], one_line(r[6])) for r in session.execute(query).all()]

    def detail(self, entry_id: int) -> AuditDetail:
        with self._sessions() as session:
            e = session.get(AuditEntry, entry_id)
            if e is None:
                raise NotFoundError(f"找不到第 {entry_id} 条审计记录。")
            before, before_value = _pretty(e.before)
            after, after_value = _pretty(e.after)
            row = AuditRow(
                e.id, e.at, e.operator, e.action, e.entity, e.entity_id, one_line(e.summary)
            )
            return AuditDetail(
                row, before, after, _changed(before_value, after_value), e.prev_hash, e.hash
            )

    def operators(self) -> list[str]:
        with self._sessions() as session:
            return [
                o
                for o in session.execute(
                    select(AuditEntry.operator).distinct().order_by(AuditEntry.operator)
                ).scalars()
                if o
            ]

    def actions(self) -> list[tuple[str, str]]:
        """(code, label) of the actions present in the log, in label order."""
        with self._sessions() as session:
            codes = session.execute(select(AuditEntry.action).distinct()).scalars().all()
        return sorted(((c, action_label(c)) for c in codes), key=lambda p: p[1])

    def entities(self) -> list[tuple[str, str]]:
        with self._sessions() as session:
            codes = session.execute(select(AuditEntry.entity).distinct()).scalars().all()
        return sorted(((c, entity_label(c)) for c in codes), key=lambda p: p[1])

    def verify(self) -> ChainCheck:
        """Whether the hash chain is whole; where it first breaks if not."""
        with self._sessions() as session:
            entries = int(
                session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
            )
            problem = verify_chain(session)
        if problem is None:
            return ChainCheck(
                True, entries, None, f"审计记录链完好：共 {entries} 条记录，未被改动。"
            )
        return ChainCheck(
            False,
            entries,
            problem.entry_id,
            f"审计记录链断裂：{problem.message}。这条记录及其后的记录不可信，"
            "请从备份中核对，并报告单位信息管理人员。",
        )
