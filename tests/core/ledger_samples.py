"""A realistic synthetic ledger, for the tests and the ledger benchmark (not shipped).

The text is assembled from the vocabulary of a service-industry notice, so line
breaking, glyph subsets and page counts behave as they do with real lists.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from desktop.core.reports.model import (
    LedgerDocument,
    LedgerMeasureGroup,
    LedgerPart,
    LedgerRow,
    LedgerSection,
    SignOff,
)

SECTIONS = (
    "一、分领域提升生产性服务业专业能力",
    "二、分领域提升生活性服务业品质水平",
    "三、推动服务业融合发展和集聚发展",
    "四、深化服务业改革开放",
    "五、强化服务业发展要素保障",
)
MEASURES = (
    "研发设计方面",
    "成果转移转化方面",
    "孵化服务方面",
    "检验检测认证方面",
    "知识产权方面",
    "现代物流方面",
    "金融服务方面",
    "商务咨询方面",
    "人力资源服务方面",
    "节能环保服务方面",
    "文化旅游方面",
    "养老托育方面",
    "家政服务方面",
    "体育健身方面",
    "商贸消费方面",
    "两业融合方面",
    "集聚区建设方面",
    "平台经济方面",
    "标准品牌方面",
    "开放合作方面",
    "用地保障方面",
    "人才支撑方面",
    "统计监测方面",
)
UNITS = (
    "县发改局",
    "县科技局",
    "县经信局",
    "县商务局",
    "县财政局",
    "县人力社保局",
    "县自然资源局",
    "县住建局",
    "县交通运输局",
    "县文广旅体局",
    "县卫生健康局",
    "县市场监管局",
    "县统计局",
    "县民政局",
    "县教育局",
    "县农业农村局",
    "县金融办",
    "县数据局",
    "县税务局",
    "人行县支行",
)
VERBS = (
    "推动",
    "支持",
    "加快",
    "鼓励",
    "深化",
    "完善",
    "建设",
    "培育",
    "打造",
    "落实",
    "开展",
    "强化",
    "提升",
    "组织",
    "健全",
    "优化",
    "引导",
    "探索",
    "实施",
    "推进",
)
OBJECTS = (
    "大型科研仪器和科学数据等创新资源向企业开放共享",
    "研发公共服务平台建设",
    "概念验证中心和中试平台布局",
    "科技型企业孵化器分级培育",
    "质量基础设施“一站式”服务",
    "知识产权代理、运营、评估等服务能力",
    "多式联运和城乡高效配送体系",
    "供应链金融和科技金融产品创新",
    "人力资源服务产业园建设",
    "合同能源管理和环境污染第三方治理",
    "文旅深度融合和全域旅游示范区创建",
    "社区嵌入式养老托育服务设施",
    "家政服务员技能培训和信用建设",
    "全民健身场地设施补短板",
    "县域商业体系和夜间经济集聚区",
    "先进制造业和现代服务业融合试点",
    "现代服务业创新发展区提档升级",
    "平台企业规范健康持续发展",
    "“浙江制造”标准和服务品牌培育",
    "服务贸易和数字贸易创新发展",
    "服务业重大项目用地保障",
    "高技能人才和现代服务业领军人才引育",
    "服务业统计监测和运行分析制度",
)
MODIFIERS = (
    "，按照“一项目一方案”要求压实责任",
    "，形成可复制可推广的经验做法",
    "，定期开展督查通报",
    "，做好与省市政策的衔接",
    "，建立季度调度和年度评估机制",
    "，每季度报送工作进展",
    "，确保年底前取得阶段性成效",
    "，力争纳入省级试点",
    "，对接长三角地区优质资源",
    "，统筹用好各级专项资金",
    "，完善配套政策和考核办法",
    "",
)
TARGETS = (
    "建成{n}个县级以上平台",
    "新增规上服务业企业{n}家",
    "完成投资{n}亿元",
    "培育示范企业{n}家",
    "服务业增加值增长{n}%左右",
    "开展培训{n}场次",
    "新增就业{n}人",
    "形成典型案例{n}个",
    "实现全覆盖",
    "完成年度目标任务",
)
PROGRESS = (
    "已召开专题推进会{n}次，完成年度任务的{p}%。",
    "已制定实施方案并印发，{n}个项目进入实施阶段。",
    "正在开展前期调研，完成企业走访{n}家。",
    "受资金到位滞后影响，进度慢于序时，已协调财政部门加快拨付。",
    "项目已开工建设，累计完成投资{n}亿元。",
    "已完成，相关材料已归档。",
)
STATUSES = ("done", "ahead", "on_track", "on_track", "on_track", "lagging", "not_started")


def clauses_of(text: str) -> list[str]:
    """Clauses (between ，。；) of a notice's text, to feed :func:`sample_document`."""
    parts = re.split(r"[，。；：！？,;\s]+", re.sub(r"[#（）()〔〕“”]", "", text))
    return [p for p in parts if 4 <= len(p) <= 40]


def _sentence(rng: random.Random, parts: int, corpus: Sequence[str]) -> str:
    out = []
    for _ in range(parts):
        if corpus and rng.random() < 0.7:
            out.append("，".join(rng.choice(corpus) for _ in range(rng.randint(1, 3))))
        else:
            out.append(rng.choice(VERBS) + rng.choice(OBJECTS) + rng.choice(MODIFIERS))
    return "；".join(out) + "。"


def sample_row(
    rng: random.Random, number: str, *, progress: bool = True, corpus: Sequence[str] = ()
) -> LedgerRow:
    """One task with text of realistic length (about 30–250 characters of content)."""
    n = rng.randint(2, 60)
    units = rng.sample(UNITS, rng.randint(1, 5))
    leads = rng.randint(1, 2) if len(units) > 2 else 1
    status = rng.choice(STATUSES) if progress else ""
    return LedgerRow(
        number=number,
        content=_sentence(rng, rng.choice((1, 1, 2, 2, 3, 4)), corpus),
        target=rng.choice(TARGETS).format(n=n),
        lead_units="、".join(units[:leads]),
        co_units="、".join(units[leads:]),
        deadline=f"2027年{rng.randint(3, 12)}月底",
        progress=rng.choice(PROGRESS).format(n=n, p=rng.randint(10, 100)) if progress else "",
        status=status,
        task_uid=f"T{rng.getrandbits(48):012x}",
        # derived from the row's own figures, so the random sequence (and every ledger
        # sampled before these columns existed) stays the same
        percent=None if not progress or status == "not_started" else _percent(status, n),
        not_reported=progress and status not in ("done", "not_started") and n % 9 == 0,
    )


def _percent(status: str, n: int) -> int:
    return 100 if status == "done" else {"ahead": 60, "lagging": 10}.get(status, 30) + n % 20


def sample_document(
    rows: int = 300,
    *,
    seed: int = 2027,
    locality: str = "示例县",
    year: int = 2027,
    progress: bool = True,
    paper: str = "A4",
    corpus: Sequence[str] = (),
) -> LedgerDocument:
    """A whole-list ledger with ``rows`` tasks across sections and measures.

    ``corpus`` (e.g. :func:`clauses_of` a notice) widens the vocabulary to that of a real
    list; without it the text uses a few hundred distinct characters.
    """
    rng = random.Random(seed)
    sections = [LedgerSection(t) for t in SECTIONS]
    groups: list[LedgerMeasureGroup] = []
    for i, label in enumerate(MEASURES):
        group = LedgerMeasureGroup(f"{i + 1}. {label}")
        sections[i * len(SECTIONS) // len(MEASURES)].groups.append(group)
        groups.append(group)
    groups[-3].not_applicable = "本县无相关产业基础，经领导小组研究不纳入本年度清单。"
    live = [g for g in groups if g.not_applicable is None]
    for i in range(rows):
        group = live[i * len(live) // max(1, rows)]
        number = f"{live.index(group) + 1}-{len(group.rows) + 1}"
        group.rows.append(sample_row(rng, number, progress=progress, corpus=corpus))
    return LedgerDocument(
        title=f"{locality}推进服务业扩能提质{year}年重点工作任务清单",
        basis="浙政发〔2026〕16号",
        office=f"{locality}发展和改革局（{locality}服务业发展领导小组办公室）",
        as_of=f"截至{year}年6月30日" if progress else "",
        parts=[LedgerPart("", sections)],
        signoff=SignOff(unit=f"{locality}发展和改革局", date=f"{year}年7月5日"),
        paper=paper,
        show_progress=progress,
    )
