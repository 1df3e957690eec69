"""A realistic example office for trying the program and for benchmarks (``demo``).

示例县 under 示例市 (or another county the caller names) with the default units, the
year's work list derived from the built-in notice, plausible local tasks with targets,
milestones and responsible people, one measure marked 不适用, and progress for the first
half of the year (``demo.progress``) with some tasks lagging. The first quarter is frozen,
as an office does once its report is in; some tasks finished by June are closed out (销号);
the second quarter still has a few tasks to chase. The office carries its own date, 30 June
of its year (``demo_day``), so the demo reads as a year in progress on any calendar; the
command line's ``--as-of`` and the status bar's 演示日期 say so. ``tasks`` scales the list for
benchmarks; the rows are written in one transaction with bulk inserts, so 20,000 tasks take
seconds.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop.core.draft import split_sentences
from desktop.core.periods import generate_periods
from desktop.core.place_names import locality_place, other_places, own_localities
from desktop.core.worklist import MeasureRef, TargetRef
from desktop.db.models import (
    CheckNote,
    Milestone,
    Notice,
    ProgressReport,
    ReportingPeriod,
    Task,
    TaskMeasure,
    TaskUnit,
    WorkList,
)
from desktop.errors import UserError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text, set_demo_date
from desktop.services.context import Services
from desktop.services.demo.progress import DemoTask, progress_rows, topic_of
from desktop.services.notices.measure_refs import measure_refs
from desktop.services.office.service import OfficeInfo
from desktop.services.unit_of_work import one_transaction

TOWNS = (
    "城关镇",
    "东城街道",
    "西城街道",
    "南湖街道",
    "北山镇",
    "新桥镇",
    "白塔乡",
    "青石镇",
    "云溪乡",
    "河口镇",
    "江南街道",
    "梅岭镇",
)
LEADERS = ("王建国副县长", "李红梅副县长", "陈志强副县长", "张海波常务副县长")
PEOPLE = ("赵磊", "钱芳", "孙伟", "周静", "吴斌", "郑洁", "冯涛", "陈晨", "褚明", "卫华")
TARGETS = (
    "出台实施方案1个，年底前完成年度任务",
    "培育市级以上示范项目2个",
    "新增服务业市场主体50家以上",
    "完成投资1.2亿元",
    "建成服务平台1个",
    "组织对接活动不少于4场",
    "引进培育相关机构3家",
    "服务企业200家次以上",
)
MILESTONES = (
    (3, "一季度", "制定工作方案，明确责任分工", 20),
    (6, "二季度", "推进项目实施，完成过半", 50),
    (9, "三季度", "加快推进，开展中期评估", 75),
    (12, "四季度", "全面完成年度任务并总结", 100),
)
OPERATOR = "周静"
# the demo's tasks are the county's own work, not the notice's sentences word for word:
# each says where it starts (a town or street, in turn)
LOCAL_STEP = "，{town}先行推进"
# how many of the tasks finished by June the demo closes out (销号) on 30 June
CLOSED_SHARE = 0.4
NOT_APPLICABLE_CODE = "一.（六）.17"
NOT_APPLICABLE_REASON = "本县无大宗商品交易平台和期货交割库，不涉及该项工作"


def demo_day(year: int) -> date:
    """The example office's own date: the last day of its second quarter — the first quarter
    frozen, the second still running with a few tasks not yet reported, the rest ahead."""
    return date(year, 6, 30)


@dataclass(frozen=True)
class DemoResult:
    list_id: int
    tasks: int
    locality: str
    year: int


def run_demo(
    services: Services,
    *,
    locality: str = "示例县",
    year: int = 2027,
    tasks: int | None = None,
    seed: int = 16,
    level: str | None = None,
    parent: str | None = None,
    code: str | None = None,
) -> DemoResult:
    """Fill an empty data folder with the example office and its list for ``year``.

    The office is 示例县 under 示例市 unless told otherwise; a Zhejiang locality named
    without ``level`` and ``parent`` gets them from the table of localities (湖州市 is a
    市级 office under 浙江省, 安吉县 a 县级 one under 湖州市).

    All of it is one transaction (``one_transaction``): a crash or power cut half-way
    leaves the data folder as it was, never with half an example office in it.
    """
    with one_transaction(services) as within:
        office = demo_office(locality, level=level, parent=parent, code=code)
        return _fill_office(within, office=office, year=year, tasks=tasks, seed=seed)


def demo_office(
    locality: str, *, level: str | None = None, parent: str | None = None, code: str | None = None
) -> OfficeInfo:
    """The example office's details: what was given, else what the table of localities
    says, else 示例县's."""
    known_level, known_parent = locality_place(locality)
    level = level or known_level or "县级"
    if parent is None:
        parent = known_parent or ("浙江省" if level == "市级" else "示例市")
    if level == "省级":
        parent = parent if parent != "示例市" else ""
    if code is None:
        code = _demo_code(locality)
    return OfficeInfo(
        locality=locality,
        level=level,
        parent=parent,
        locality_code=code,
        reporting_office=f"{locality}发展和改革局（{locality}服务业发展领导小组办公室）",
        operator=OPERATOR,
        reviewer="陈志强",
        contact_phone="0571-88880000",
    )


def _fill_office(
    services: Services, *, office: OfficeInfo, year: int, tasks: int | None, seed: int
) -> DemoResult:
    locality = office.locality
    if tasks is not None and tasks < 1:
        raise UserError("任务数量至少为 1。")
    if services.worklists.lists(own=True):
        raise UserError(
            "这个数据文件夹已经有本级清单，示例数据只能写入新的数据文件夹。",
            hint="请用 --data-dir 指定一个空文件夹。",
        )
    services.office.save(office)
    notices = [n for n in services.notices.list() if n.builtin]
    if not notices:
        raise UserError("内置上级文件不存在，无法生成示例。")
    summary = services.list_lifecycle.create(notices[0].id, year)
    rng = random.Random(seed)
    map_unit = services.units.mapper()
    local_units = set(services.units.unit_names())
    with services.sessions.begin() as session:
        # the example office lives on its own date, in the middle of its year, so that it
        # shows a year in progress whatever the calendar says (演示日期 in the status bar)
        set_demo_date(session, demo_day(year))
        count = _fill(session, summary.id, year, tasks, rng, map_unit, local_units, office)
        audit.record(
            session,
            operator=OPERATOR,
            action="demo",
            entity="work_list",
            entity_id=summary.id,
            summary=f"生成示例清单：{count} 项任务",
        )
    _freeze_and_close(services, summary.id, year, rng)
    services.list_checks.check(summary.id)
    return DemoResult(summary.id, count, locality, year)


def _freeze_and_close(services: Services, list_id: int, year: int, rng: random.Random) -> None:
    """Through the services, as the office would: freeze the first quarter, close out some
    of the tasks finished by June."""
    periods = services.progress.periods(list_id)
    services.freezing.freeze_period(list_id, periods[0].id)
    finished = [
        r.task_id
        for r in services.progress.rows(list_id, periods[1].id)
        if r.entry.percent == 100 and r.closed_on is None
    ]
    chosen = sorted(rng.sample(finished, int(len(finished) * CLOSED_SHARE)))
    if chosen:
        services.yearend.close_out_many(
            list_id,
            chosen,
            date(year, 6, 30),
            "项目验收报告及年中督查核查意见",
            OPERATOR,
        )


def _localise(text: str) -> str:
    for old, new in (
        ("全省", "全县"),
        ("省级", "县级"),
        ("浙江", "本县"),
        ("各地", "各乡镇（街道）"),
    ):
        text = text.replace(old, new)
    return text


def _fill(
    session: Session,
    list_id: int,
    year: int,
    wanted: int | None,
    rng: random.Random,
    map_unit: object,
    local_units: set[str],
    office: OfficeInfo,
) -> int:
    assert callable(map_unit)
    wl = session.get(WorkList, list_id)
    assert wl is not None
    notice = session.get(Notice, wl.notice_id)
    assert notice is not None
    measures = [m for m in measure_refs(session, wl.notice_id)]
    excluded = [m for m in measures if m.code == NOT_APPLICABLE_CODE]
    work = [m for m in measures if m not in excluded]
    from desktop.db.models import MeasureExclusion

    for m in excluded:
        session.add(
            MeasureExclusion(
                work_list_id=list_id,
                measure_id=m.id,
                reason=NOT_APPLICABLE_REASON,
                created_at=now_text(),
            )
        )
    own = own_localities(office.locality, office.parent)
    # the office's own work: sentences about other places are the province's, not its own
    sentences = {
        m.id: [s for s in split_sentences(m.text) if not other_places(s, own)] or [m.title]
        for m in work
    }
    total = wanted if wanted is not None else sum(len(s) for s in sentences.values())
    total = max(total, 1)
    groups = _groups(work, sentences, total)
    now = now_text()
    task_rows, unit_rows, milestone_rows = [], [], []
    link_rows: list[tuple[str, int]] = []
    position = 0
    for index, (group, n) in enumerate(groups, start=1):
        m = group[0]
        leads = [u for u in (map_unit(x) for x in m.lead_units) if u] or ["县发改局"]
        cos = [u for u in (map_unit(x) for x in m.co_units) if u and u not in leads]
        leads = [u for u in leads if u in local_units] or ["县发改局"]
        cos = [u for u in dict.fromkeys(cos) if u in local_units and u not in leads]
        pieces = sentences[m.id]
        for k in range(n):
            sentence = _localise(pieces[k % len(pieces)]).rstrip("。；，")
            sentence += LOCAL_STEP.format(town=TOWNS[position % len(TOWNS)])
            if k >= len(pieces):
                sentence += f"（{TOWNS[(k // len(pieces)) % len(TOWNS)]}）"
            target, value, unit = rng.choice(TARGETS), None, ""
            if m.targets and k == 0:
                target, value, unit = _local_target(m.targets[0]) or (target, None, "")
            uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            task_rows.append(
                {
                    "work_list_id": list_id,
                    "uid": uid,
                    "number": str(index) if n == 1 else f"{index}-{k + 1}",
                    "position": position,
                    "content": sentence + "。",
                    "target_text": target,
                    "target_value": value,
                    "target_unit": unit,
                    "leader": rng.choice(LEADERS),
                    "person": rng.choice(PEOPLE),
                    "phone": f"138{rng.randrange(10**7, 10**8)}",
                    "start_on": date(year, 1, 1),
                    "deadline": date(year, 12, 31) if rng.random() < 0.8 else date(year, 6, 30),
                    "remarks": "",
                    "origin": "draft",
                    "closed_on": None,
                    "closed_by": "",
                    "close_evidence": "",
                    "carried_from_uid": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            unit_rows.append((uid, leads, cos[: rng.randint(0, len(cos))] if cos else []))
            link_rows.extend((uid, x.id) for x in group)
            position += 1
    session.execute(insert(Task), task_rows)
    ids = dict(session.execute(select(Task.uid, Task.id).where(Task.work_list_id == list_id)).all())
    deadlines: dict[str, date] = {str(r["uid"]): r["deadline"] for r in task_rows}  # type: ignore[misc]
    session.execute(
        insert(TaskUnit),
        [
            {"task_id": ids[uid], "role": role, "position": i, "name": name}
            for uid, leads, cos in unit_rows
            for i, (role, name) in enumerate(
                [("lead", u) for u in leads] + [("co", u) for u in cos]
            )
        ],
    )
    session.execute(
        insert(TaskMeasure),
        [
            {"task_id": ids[uid], "measure_id": mid, "position": i}
            for uid, mid, i in _positions(link_rows)
        ],
    )
    for uid, tid in ids.items():
        ms = (
            MILESTONES
            if deadlines[uid].month == 12
            else ((3, "一季度", "完成方案和前期工作", 50), (6, "二季度", "全面完成", 100))
        )
        for month, label, text, pct in ms:
            milestone_rows.append(
                {
                    "task_id": tid,
                    "due_on": _month_end(year, month),
                    "label": label,
                    "description": text,
                    "percent": pct,
                }
            )
    session.execute(insert(Milestone), milestone_rows)

    periods = []
    for spec in generate_periods(year, "quarterly", 25):
        period = ReportingPeriod(
            work_list_id=list_id,
            key=spec.key,
            label=spec.label,
            start=spec.start,
            end=spec.end,
            due_on=spec.due_on,
        )
        session.add(period)
        periods.append(period)
    session.flush()
    topics = {m.id: topic_of(m.title) for m in work}
    measure_of: dict[str, int] = {}
    for uid, mid in link_rows:
        measure_of.setdefault(uid, mid)
    demo_tasks = [
        DemoTask(tid, topics[measure_of[uid]], deadlines[uid].month == 6)
        for uid, tid in ids.items()
    ]
    reports = progress_rows(
        demo_tasks, [p.id for p in periods], year, rng, operator=OPERATOR, at=now
    )
    session.execute(insert(ProgressReport), reports)
    session.add(
        CheckNote(
            work_list_id=list_id,
            key="demo",
            message="示例数据",
            explanation="示例数据，仅供试用",
            accepted_at=now,
            accepted_by=OPERATOR,
        )
    )
    return len(task_rows)


def _local_target(target: TargetRef) -> tuple[str, str | None, str] | None:
    """The province's target at the county's scale (a tenth of its figure, at least one):
    建设10个科技服务业创新发展集聚区 → 建设1个…; None when it would read as the province's."""
    text = target.text()
    if target.value is None:
        local = _localise(text)
        return (local, None, "") if local != text else None
    figure = max(1, round(Decimal(target.value) / 10))
    local = _localise(text.replace(target.value, str(figure), 1))
    if local == text or str(figure) not in local:
        return None
    return local, str(figure), target.unit


def _groups(
    work: list[MeasureRef], sentences: dict[int, list[str]], total: int
) -> list[tuple[list[MeasureRef], int]]:
    """The measures each run of tasks serves and how many tasks it has: ``total`` tasks in
    all. More tasks than measures spread over the measures by their sentences; fewer
    tasks serve several measures each, so every measure is still covered."""
    if total < len(work):
        size, extra = divmod(len(work), total)
        out, start = [], 0
        for i in range(total):
            end = start + size + (1 if i < extra else 0)
            out.append((work[start:end], 1))
            start = end
        return out
    weights = [len(sentences[m.id]) for m in work]
    counts = [1] * len(work)
    extra_tasks = total - len(work)
    weight_sum = sum(weights)
    for i, w in enumerate(weights):
        counts[i] += extra_tasks * w // weight_sum
    i = 0
    while sum(counts) < total:
        counts[i % len(counts)] += 1
        i += 1
    return [([m], n) for m, n in zip(work, counts, strict=True)]


def _positions(links: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    seen: dict[str, int] = {}
    out = []
    for uid, mid in links:
        out.append((uid, mid, seen.get(uid, 0)))
        seen[uid] = seen.get(uid, 0) + 1
    return out


def _month_end(year: int, month: int) -> date:
    import calendar

    return date(year, month, calendar.monthrange(year, month)[1])


def _demo_code(locality: str) -> str:
    """示例县 has its made-up code 330999; a county or city of the built-in table keeps its
    real code; another invented one has none — several example counties must be several
    localities, and localities are told apart by code."""
    from desktop.core.localities import builtin_table

    if locality == "示例县":
        return "330999"
    found = [e for e in builtin_table().named(locality) if e.level in ("县级", "市级")]
    return found[0].code if len(found) == 1 else ""
