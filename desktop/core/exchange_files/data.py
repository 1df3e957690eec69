"""``data.json``: the list version as JSON, written deterministically and read with full checks.

The same list gives the same bytes, so exporting an unchanged version twice gives the same
checksum and the level above tells "already imported" from "newer progress of the version".
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass, replace
from datetime import date
from typing import Any

from desktop.core.schema import (
    FieldProblem,
    report_problems,
    strip_controls,
    task_problems,
    text_problem,
)
from desktop.core.status import Status, Thresholds
from desktop.errors import PackageError

from .fields import Reader
from .model import (
    CADENCES,
    DATA_FORMAT_NAME,
    FORMAT_VERSION,
    LEVELS,
    LIST_STATES,
    MAX_LINKS,
    MAX_MILESTONES,
    MAX_PERIODS,
    MAX_TASKS,
    ORIGINS,
    ListInfo,
    PackageCheckNote,
    PackageData,
    PackageExclusion,
    PackageFigures,
    PackageMilestone,
    PackagePeriod,
    PackageProgress,
    PackageTask,
    PackageWarning,
    TaskFigure,
)

_WHERE = "数据文件（data.json）"
# a package that breaks the field schema was written wrongly, not damaged on the way
_SCHEMA_HINT = (
    "请报送单位在清单台账中改正后重新导出上报包（程序导出前按同样的规则检查，"
    "新版程序导出的上报包不会出现这种情况）。"
)
_STATUSES = tuple(s.value for s in Status)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def data_to_json(data: PackageData) -> dict[str, Any]:
    wl = data.work_list
    return {
        "format": DATA_FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "work_list": {
            "locality": wl.locality,
            "locality_code": wl.locality_code,
            "level": wl.level,
            "parent": wl.parent,
            "year": wl.year,
            "version": wl.version,
            "notice": {"doc_number": wl.notice_doc_number, "title": wl.notice_title},
            "title": wl.title,
            "state": wl.state,
            "cadence": wl.cadence,
            "due_day": wl.due_day,
            "explanation": wl.explanation,
            "created_at": wl.created_at,
            "checked_at": wl.checked_at,
            "submitted_at": wl.submitted_at,
            "submitted_by": wl.submitted_by,
            **({"status_thresholds": dict(wl.thresholds)} if wl.thresholds else {}),
        },
        "tasks": [
            {
                "uid": t.uid,
                "number": t.number,
                "position": t.position,
                "content": t.content,
                "target_text": t.target_text,
                "target_value": t.target_value,
                "target_unit": t.target_unit,
                "lead_units": list(t.lead_units),
                "co_units": list(t.co_units),
                "leader": t.leader,
                "person": t.person,
                "phone": t.phone,
                "start_on": _d(t.start_on),
                "deadline": _d(t.deadline),
                "remarks": t.remarks,
                "origin": t.origin,
                "closed_on": _d(t.closed_on),
                "closed_by": t.closed_by,
                "close_evidence": t.close_evidence,
                "carried_from_uid": t.carried_from_uid,
                "measures": list(t.measure_codes),
                "milestones": [
                    {
                        "due_on": m.due_on.isoformat(),
                        "label": m.label,
                        "description": m.description,
                        "percent": m.percent,
                    }
                    for m in t.milestones
                ],
            }
            for t in data.tasks
        ],
        "exclusions": [
            {"measure": e.measure_code, "reason": e.reason, "created_at": e.created_at}
            for e in data.exclusions
        ],
        "periods": [
            {
                "key": p.key,
                "label": p.label,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "due_on": _d(p.due_on),
                "frozen_at": p.frozen_at,
                "frozen_by": p.frozen_by,
            }
            for p in data.periods
        ],
        "progress": [
            {
                "task": p.task_uid,
                "period": p.period_key,
                "text": p.text,
                "percent": p.percent,
                "problems": p.problems,
                "next_steps": p.next_steps,
                "lag_reason": p.lag_reason,
                "completed_on": _d(p.completed_on),
                "evidence": p.evidence,
                "updated_at": p.updated_at,
                "updated_by": p.updated_by,
                **({"reopened": True} if p.reopened else {}),
            }
            for p in data.progress
        ],
        "check": {
            "summary": data.check_summary,
            "notes": [
                {
                    "key": n.key,
                    "message": n.message,
                    "explanation": n.explanation,
                    "accepted_at": n.accepted_at,
                    "accepted_by": n.accepted_by,
                }
                for n in data.check_notes
            ],
            "warnings": [
                {"key": w.key, "message": w.message, "explanation": w.explanation}
                for w in data.warnings
            ],
        },
        **({"figures": _figures_json(data.figures)} if data.figures is not None else {}),
    }


def _figures_json(f: PackageFigures) -> dict[str, Any]:
    return {
        "as_of": f.as_of.isoformat(),
        "period": f.period_key,
        "tasks": [
            {
                "task": t.task_uid,
                "status": t.status,
                "percent": t.percent,
                "reported_in_current_period": t.reported_in_current_period,
            }
            for t in f.tasks
        ],
    }


def data_bytes(data: PackageData) -> bytes:
    return json.dumps(data_to_json(data), ensure_ascii=False, indent=1).encode("utf-8")


# --------------------------------------------------------------------------- reading


def data_from_json(obj: object) -> PackageData:
    """The list version, or ``PackageError`` naming the first field that is wrong."""
    r = Reader(obj, _WHERE, "")
    if r.obj.get("format") != DATA_FORMAT_NAME:
        r.fail("format", f"应为“{DATA_FORMAT_NAME}”")
    fv = r.integer("format_version", 1, 10**6)
    if fv > FORMAT_VERSION:
        raise PackageError(
            f"上报包数据的格式版本是 {fv}，比本程序支持的版本（{FORMAT_VERSION}）新。",
            hint="请先把清单台账升级到最新版本再导入。",
        )
    info = _list_info(r.child("work_list"))
    tasks = tuple(
        _task(t, i, info.year) for i, t in enumerate(r.objects("tasks", max_items=MAX_TASKS))
    )
    uids = [t.uid for t in tasks]
    if len(set(uids)) != len(uids):
        dup = next(u for u in uids if uids.count(u) > 1)
        r.fail("tasks", f"中任务ID“{dup}”重复")
    exclusions = tuple(
        PackageExclusion(
            measure_code=e.name("measure", max_len=80),
            reason=_reason(e),
            created_at=e.instant("created_at", required=False),
        )
        for e in r.objects("exclusions", max_items=10_000)
    )
    _schema(info.explanation and text_problem("explanation", info.explanation), "清单的")
    codes = [e.measure_code for e in exclusions]
    if len(set(codes)) != len(codes):
        r.fail("exclusions", "中同一条目标了多次不适用")
    periods = tuple(_period(p) for p in r.objects("periods", max_items=MAX_PERIODS))
    keys = [p.key for p in periods]
    if len(set(keys)) != len(keys):
        r.fail("periods", "中填报周期重复")
    progress = _progress(r, {t.uid: t.number for t in tasks}, set(keys), info.year)
    check = r.child("check")
    notes = tuple(
        PackageCheckNote(
            key=n.name("key", max_len=200),
            message=n.text("message", max_len=2000),
            explanation=_explained(n),
            accepted_at=n.instant("accepted_at", required=False),
            accepted_by=n.text("accepted_by", max_len=60),
        )
        for n in check.objects("notes", max_items=MAX_TASKS * 4)
    )
    if len({n.key for n in notes}) != len(notes):
        check.fail("check.notes", "中同一提醒说明了多次")
    warnings = tuple(
        PackageWarning(
            key=w.name("key", max_len=200),
            message=w.text("message", max_len=2000),
            explanation=w.text("explanation", max_len=20_000),
        )
        for w in check.objects("warnings", max_items=MAX_TASKS * 4)
    )
    figures = r.optional_child("figures") if "figures" in r.obj else None
    return PackageData(
        work_list=info,
        tasks=tasks,
        exclusions=exclusions,
        periods=periods,
        progress=progress,
        check_notes=notes,
        warnings=warnings,
        check_summary=check.text("summary", max_len=200),
        figures=None if figures is None else _figures(figures, set(uids), set(keys)),
    )


def _schema(problem: FieldProblem | str | None, whose: str) -> None:
    """Refuse a value that breaks the field schema, saying which and what, in the words of
    the sender's own forms."""
    if problem:
        raise PackageError(f"上报包中{whose}{problem}。", hint=_SCHEMA_HINT)


def _whose_task(number: str, index: int) -> str:
    clean = number.strip()
    if clean and len(clean) <= 30 and clean.isprintable():
        return f"编号为“{clean}”的任务"
    return f"第 {index + 1} 项任务"


def _figures(f: Reader, uids: set[str], keys: set[str]) -> PackageFigures:
    period = f.text("period", max_len=10)
    if period and period not in keys:
        f.fail(f"{f.path}.period", f"指向不存在的填报周期“{period}”")
    tasks = []
    for t in f.objects("tasks", max_items=MAX_TASKS):
        uid = t.name("task", max_len=36)
        if uid not in uids:
            t.fail(f"{t.path}.task", f"指向不存在的任务“{uid}”")
        status = None if t.obj.get("status") is None else t.choice("status", _STATUSES)
        tasks.append(
            TaskFigure(
                task_uid=uid,
                status=status,
                percent=t.optional_integer("percent", 0, 100),
                reported_in_current_period=t.boolean("reported_in_current_period"),
            )
        )
    return PackageFigures(as_of=f.day("as_of"), period_key=period, tasks=tuple(tasks))


def _explained(n: Reader) -> str:
    (text,) = n.loose_texts(("explanation",))
    _schema(
        text_problem("check_explanation", text), "提醒“" + str(n.obj.get("message"))[:40] + "”的"
    )
    return text


def _reason(e: Reader) -> str:
    (reason,) = e.loose_texts(("reason",))
    if not reason.strip():
        e.fail(f"{e.path}.reason", "不适用必须有理由，但为空")
    _schema(text_problem("exclusion_reason", reason), f"条目“{e.obj.get('measure')}”的")
    return reason


def _list_info(w: Reader) -> ListInfo:
    notice = w.child("notice")
    return ListInfo(
        locality=w.locality("locality"),
        locality_code=w.code("locality_code"),
        level=w.choice("level", LEVELS),
        parent=w.locality("parent"),
        year=w.integer("year", 2000, 2100),
        version=w.integer("version", 1, 100_000),
        notice_doc_number=notice.name("doc_number", max_len=80),
        notice_title=notice.text("title", max_len=2000),
        title=w.text("title", max_len=500),
        state=w.choice("state", LIST_STATES),
        cadence=w.choice("cadence", CADENCES),
        due_day=w.integer("due_day", 1, 31),
        explanation=w.loose_texts(("explanation",))[0],
        created_at=w.instant("created_at", required=False),
        checked_at=w.instant("checked_at", required=False),
        submitted_at=w.instant("submitted_at", required=False),
        submitted_by=w.text("submitted_by", max_len=60),
        thresholds=_thresholds(w),
    )


def _thresholds(w: Reader) -> tuple[tuple[str, int], ...]:
    found = w.optional_child("status_thresholds") if "status_thresholds" in w.obj else None
    if found is None:
        return ()
    try:
        return tuple(sorted(Thresholds.from_dict(found.obj).to_dict().items()))
    except ValueError as err:
        found.fail(found.path, f"不是有效的状态阈值（{err}）")
        raise


def _task(t: Reader, index: int, year: int) -> PackageTask:
    milestones = []
    for m in t.objects("milestones", max_items=MAX_MILESTONES):
        label, description = m.loose_texts(("label", "description"))
        milestones.append(
            PackageMilestone(
                due_on=m.day("due_on"),
                label=label,
                description=description,
                percent=m.optional_integer("percent", 0, 100),
            )
        )
    if len({m.due_on for m in milestones}) != len(milestones):
        t.fail(f"{t.path}.milestones", "中同一日期有多个节点")
    codes = t.names("measures", max_items=MAX_LINKS, max_len=80)
    if len(set(codes)) != len(codes):
        t.fail(f"{t.path}.measures", "中同一条目出现多次")
    start_on, deadline = t.optional_day("start_on"), t.optional_day("deadline")
    # a unit named twice would be stored (and counted in the per-unit views) twice
    leads = tuple(dict.fromkeys(t.loose_names("lead_units")))
    (
        number, content, target_text, target_unit, leader, person, phone, remarks,
        closed_by, close_evidence,
    ) = t.loose_texts(_TASK_TEXTS)  # fmt: skip
    target_value = t.obj.get("target_value")
    if target_value is not None and not isinstance(target_value, str):
        t.fail(f"{t.path}.target_value", "应为数字文本")
    task = PackageTask(
        uid=t.name("uid", max_len=36),
        number=number,
        position=t.integer("position", 0, 10**7),
        content=content,
        target_text=target_text,
        target_value=target_value,
        target_unit=target_unit,
        lead_units=leads,
        co_units=tuple(u for u in dict.fromkeys(t.loose_names("co_units")) if u not in leads),
        leader=leader,
        person=person,
        phone=phone,
        start_on=start_on,
        deadline=deadline,
        remarks=remarks,
        origin=t.choice("origin", ORIGINS),
        closed_on=t.optional_day("closed_on"),
        closed_by=closed_by,
        close_evidence=close_evidence,
        carried_from_uid=t.text("carried_from_uid", max_len=36),
        measure_codes=codes,
        milestones=tuple(sorted(milestones, key=lambda m: m.due_on)),
    )
    problems = task_problems(task, year)
    if problems:
        _schema(problems[0], f"{_whose_task(number, index)}的")
    return task


_TASK_TEXTS = (
    "number",
    "content",
    "target_text",
    "target_unit",
    "leader",
    "person",
    "phone",
    "remarks",
    "closed_by",
    "close_evidence",
)
_PROGRESS_TEXTS = ("text", "problems", "next_steps", "lag_reason", "evidence")


def _period(p: Reader) -> PackagePeriod:
    start, end = p.day("start"), p.day("end")
    if start > end:
        p.fail(f"{p.path}.start", "晚于结束日期")
    return PackagePeriod(
        key=p.name("key", max_len=10),
        label=p.text("label", max_len=30),
        start=start,
        end=end,
        due_on=p.optional_day("due_on"),
        frozen_at=p.instant("frozen_at", required=False),
        frozen_by=p.text("frozen_by", max_len=60),
    )


def _progress(
    r: Reader, numbers: dict[str, str], keys: set[str], year: int
) -> tuple[PackageProgress, ...]:
    out = []
    seen: set[tuple[str, str]] = set()
    for p in r.objects("progress", max_items=MAX_TASKS * MAX_PERIODS):
        task, period = p.name("task", max_len=36), p.name("period", max_len=10)
        if task not in numbers:
            p.fail(f"{p.path}.task", f"指向不存在的任务“{task}”")
        if period not in keys:
            p.fail(f"{p.path}.period", f"指向不存在的填报周期“{period}”")
        if (task, period) in seen:
            p.fail(p.path, "与前面的进展重复（同一任务同一周期）")
        seen.add((task, period))
        text, problems, next_steps, lag_reason, evidence = p.loose_texts(_PROGRESS_TEXTS)
        report = PackageProgress(
            task_uid=task,
            period_key=period,
            text=text,
            percent=p.optional_integer("percent", 0, 100),
            problems=problems,
            next_steps=next_steps,
            lag_reason=lag_reason,
            completed_on=p.optional_day("completed_on"),
            evidence=evidence,
            updated_at=p.instant("updated_at", required=False),
            updated_by=p.text("updated_by", max_len=60),
            reopened=p.optional_boolean("reopened"),
        )
        found = report_problems(report, year)
        if found:
            number = numbers[task]
            _schema(found[0], f"编号为“{number}”的任务{period}的进展中")
        out.append(report)
    return tuple(out)


def without_controls(data: PackageData) -> PackageData:
    """``data`` with control characters taken out of every text (an older version of the
    program stored what a notice .txt carried in); everything else as it is."""
    stripped: PackageData = _strip(data)
    return stripped


def _strip(value: Any) -> Any:
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, tuple):
        return tuple(_strip(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _strip(getattr(value, f.name))
            for f in fields(value)
            if isinstance(getattr(value, f.name), str | tuple)
            or is_dataclass(getattr(value, f.name))
        }
        return replace(value, **changes)
    return value
