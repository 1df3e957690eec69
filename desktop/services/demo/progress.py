"""Progress of the example office's first half year, worded the way county offices report it.

Each task gets a pace (slow, on plan, fast) and, per quarter, a percent near its plan and a
progress text built from the measure's topic (研发设计, 养老, 跨境电商 …) with figures that
differ from task to task, so the demo reads like a real ledger rather than one sentence
repeated. Lagging tasks carry problems, a reason and next steps — except a few in the latest
quarter, and a few tasks not yet reported for it, so the demo shows what the office chases.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

FIRST_QUARTER = (
    "制定印发《{topic}工作实施方案》，明确{n}项重点任务、责任分工和时间节点",
    "召开{topic}专题推进会{k}次，梳理形成年度项目清单{n}项",
    "完成{topic}底数摸排，走访企业{m}家，收集问题和建议{k}条",
    "向上争取{topic}专项资金{x}万元，首批资金已下达",
    "组织{topic}政策宣讲{k}场，覆盖企业和机构{m}家",
    "建立{topic}工作专班和月度调度机制，明确联络员{k}名",
)
SECOND_QUARTER = (
    "{n}个重点项目已开工{k}个，累计完成投资{x}万元",
    "举办{topic}供需对接活动{k}场，达成合作意向{n}项",
    "{topic}服务平台（一期）建成并试运行，入驻机构{n}家",
    "培育{topic}市级示范项目{k}个，{n}家企业纳入重点培育库",
    "开展年中督查，对{k}项推进偏慢事项实行清单化管理",
    "出台{topic}配套支持政策{k}条，已兑现奖补资金{x}万元",
)
FINISHED = (
    "年度任务已全面完成，{topic}相关成果已通过验收",
    "已完成全部建设内容并投入使用，服务企业{m}家次",
    "目标任务提前完成，形成{topic}典型案例{k}个",
)
LAG_REASONS = (
    "前期审批手续耗时较长，项目开工晚于计划",
    "项目用地指标尚未落实",
    "配套资金未及时到位",
    "合作企业投资意向调整，需重新对接",
    "专业人才和运营团队尚未配齐",
    "涉及多个部门，协调事项较多",
)
PROBLEMS = (
    "要素保障不足，项目推进慢于计划",
    "企业参与积极性不高，申报数量偏少",
    "平台建设技术方案仍在论证",
    "部分乡镇（街道）推进力度不平衡",
    "资金拨付流程较长",
)
NEXT_STEPS = (
    "加强部门协调，倒排工期，确保三季度赶上序时进度",
    "由分管领导牵头召开专题协调会，逐项解决堵点问题",
    "实行周调度、月通报，力争9月底前完成年度进度的75%",
    "加快资金拨付，督促项目单位加大投入",
    "加强政策宣传和上门服务，扩大企业参与面",
)
EVIDENCE = (
    "项目验收报告",
    "部门工作总结及相关照片",
    "会议纪要、政策文件",
    "合同及资金拨付凭证",
)

# of the tasks, the share whose latest quarter is not yet reported, and of the lagging
# tasks of that quarter, the share whose report does not yet say why
UNREPORTED_SHARE = 0.05
UNEXPLAINED_SHARE = 0.15


@dataclass(frozen=True)
class DemoTask:
    task_id: int
    topic: str  # 研发设计, 养老 …: the measure's title without 方面
    half_year: bool  # deadline 30 June: planned 50% by March, 100% by June


def topic_of(measure_title: str) -> str:
    title = measure_title.strip().removesuffix("方面")
    return title if len(title) <= 12 else title[:12]


def _fill(template: str, topic: str, rng: random.Random) -> str:
    return template.format(
        topic=topic,
        n=rng.randint(6, 15),
        k=rng.randint(2, 6),
        m=rng.randint(12, 120),
        x=rng.choice((50, 80, 120, 200, 350, 600, 1200, 2600)),
    )


def _text(quarter: int, pct: int, topic: str, rng: random.Random) -> str:
    if pct >= 100:
        return _fill(rng.choice(FINISHED), topic, rng) + "。"
    pool = FIRST_QUARTER if quarter == 1 else SECOND_QUARTER
    # half the reports name one thing done, half two: ledgers mix short and long entries
    clauses = rng.sample(pool, 1 if rng.random() < 0.5 else 2)
    return "；".join(_fill(c, topic, rng) for c in clauses) + "。"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def progress_rows(
    tasks: Sequence[DemoTask],
    period_ids: Sequence[int],
    year: int,
    rng: random.Random,
    *,
    operator: str,
    at: str,
) -> list[dict[str, object]]:
    """Report rows of the first two quarters (``period_ids`` in quarter order)."""
    rows: list[dict[str, object]] = []
    for task in tasks:
        pace = rng.random()
        skip_last = rng.random() < UNREPORTED_SHARE
        for quarter, period_id in enumerate(period_ids[:2], start=1):
            if quarter == 2 and skip_last:
                continue
            # the plan of the demo's milestones: 20% / 50% by March / June, or a half-year
            # task's 50% / 100%
            planned = (50, 100)[quarter - 1] if task.half_year else (20, 50)[quarter - 1]
            if pace < 0.12:
                pct = max(0, planned - rng.randint(15, 40))
            elif pace > 0.85:
                pct = min(100, planned + rng.randint(10, 25))
            else:
                pct = min(100, planned + rng.randint(-5, 5))
            lagging = planned - pct >= 10
            explained = not (quarter == 2 and rng.random() < UNEXPLAINED_SHARE)
            month = 3 * quarter
            rows.append(
                {
                    "task_id": task.task_id,
                    "period_id": period_id,
                    "text": _text(quarter, pct, task.topic, rng),
                    "percent": pct,
                    "problems": rng.choice(PROBLEMS) if lagging else "",
                    "next_steps": rng.choice(NEXT_STEPS) if lagging and explained else "",
                    "lag_reason": rng.choice(LAG_REASONS) if lagging and explained else "",
                    "completed_on": date(year, month, rng.randint(10, 28)) if pct >= 100 else None,
                    "evidence": rng.choice(EVIDENCE) if pct >= 100 else "",
                    "updated_at": at,
                    "updated_by": operator,
                }
            )
    return rows
