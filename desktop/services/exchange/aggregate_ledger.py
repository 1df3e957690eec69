"""The combined ledger (汇总台账) of an upper office, and its summary pages.

The file starts with the summary: who was expected to report at each level, who did and who
did not (逾期 and 未随市重报 named), the period each list reports and the day it is read at,
and each locality's tasks counted by state — 本期未填报 apart from 滞后 — with the totals
(the one rule, ``progress.figures``). Then one part per list, each starting a new page: the
office's own list first; at a province, each city's own list followed by its counties'
(``within`` keeps one city's). Pages are numbered through the whole file, which is signed off
once with the office's names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.dates import chinese_date
from desktop.core.reports import LedgerDocument, LedgerMeasureGroup, LedgerPart, LedgerSection
from desktop.core.reports.fileio import safe_filename
from desktop.db.models import MeasureExclusion, Notice, WorkList
from desktop.errors import NotFoundError, ValidationError
from desktop.services.clock import today
from desktop.services.exchange.aggregate_reporting import (
    Holdings,
    level_summaries,
    read_holdings,
    statuses,
)
from desktop.services.exchange.aggregate_types import STATE_LABELS, STATUS_ORDER, LocalityStatus
from desktop.services.ledger.columns import office_columns
from desktop.services.ledger.service import build_document, notice_topic, office_signoff
from desktop.services.progress.figures import ListFigures, lists_figures


def combined_document(
    session: Session,
    year: int,
    notice_id: int,
    *,
    include_own: bool = True,
    within: str | None = None,
) -> LedgerDocument:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFoundError("找不到这份上级文件。")
    h = read_holdings(session, year, notice_id)
    rows = statuses(h)
    if within:
        rows = [r for r in rows if r.group == within or (not r.group and r.locality == within)]
        if not rows:
            raise ValidationError(f"{year}年 {notice.doc_number} 中没有{within}的清单。")
    by_id = {wl.id: wl for wl in h.lists}
    chosen: list[tuple[WorkList, str]] = []
    if include_own and within is None and h.own is not None:
        chosen.append((h.own, f"本级：{h.own.locality}"))
    for r in rows:
        if r.list_id is not None:
            chosen.append((by_id[r.list_id], _heading_name(r)))
    if not chosen:
        raise ValidationError(f"{year}年 {notice.doc_number} 还没有可汇总的清单。")
    parts: list[LedgerPart] = [_summary_part(session, h, rows, chosen)]
    for wl, who in chosen:
        doc = build_document(session, wl, "all", None)
        as_of = f"，{doc.as_of}" if doc.as_of else ""
        for part in doc.parts:
            parts.append(replace(part, heading=f"{who}（第{wl.version}版{as_of}）"))
    where = h.office.locality or "本级"
    scope = within or where
    return LedgerDocument(
        title=f"{scope}{notice_topic(notice.title)}{year}年重点工作任务清单汇总",
        basis=notice.doc_number,
        office=h.office.reporting_office or where,
        as_of=f"汇总日期：{chinese_date(today(session))}",
        parts=parts,
        signoff=office_signoff(session),
        show_progress=True,
        subtitle=f"（{len(chosen)} 份清单）",
        page_numbering="document",
        columns=office_columns(session),  # the office's ledger columns, as its own
    )


def ledger_file_name(
    locality: str, year: int, doc_number: str, within: str | None, suffix: str
) -> str:
    """The default file name: the office's locality (and the city, for one city's part),
    the year and the notice — 浙江省_湖州市_2027年重点工作任务清单汇总_浙政发〔2026〕16号.pdf."""
    scope = f"{locality}_{within}" if within else locality
    stem = f"{scope}_{year}年重点工作任务清单汇总_{doc_number}"
    return safe_filename(stem, default="汇总台账", limit=120) + suffix


def _heading_name(r: LocalityStatus) -> str:
    if r.group:
        return f"{r.group} · {r.locality}"
    return f"{r.locality}（本级清单）" if r.bundle else r.locality


def _summary_part(
    session: Session,
    h: Holdings,
    rows: Sequence[LocalityStatus],
    chosen: Sequence[tuple[WorkList, str]],
) -> LedgerPart:
    """The first pages: who reported at each level; each list's counts by state, 本期未填报
    apart from 滞后, on the day each list is read at; the totals."""
    lists = [wl for wl, _ in chosen]
    figures = dict(h.figures)
    figures.update(lists_figures(session, [wl for wl in lists if wl.id not in figures]))
    na = dict(
        session.execute(
            select(MeasureExclusion.work_list_id, func.count())
            .where(MeasureExclusion.work_list_id.in_([wl.id for wl in lists]))
            .group_by(MeasureExclusion.work_list_id)
        ).all()
    )
    reporting = [
        LedgerMeasureGroup(label=f"{s.title}", note=s.text) for s in level_summaries(list(rows))
    ]
    reporting += [
        LedgerMeasureGroup(label=r.name.strip(), note=_reporting_note(r))
        for r in rows
        if not r.folded
        and (r.late or r.not_resent or r.overdue or (r.bundle and r.list_id is None))
    ]
    groups = []
    totals: dict[str, int] = {s: 0 for s in STATUS_ORDER}
    periods: dict[str, int] = {}
    for wl, who in chosen:
        f: ListFigures = figures[wl.id]
        counts = f.counts()
        for s in STATUS_ORDER:
            totals[s] += counts[s]
        if f.period is not None:
            periods[f.period.label] = periods.get(f.period.label, 0) + 1
        period = f"，本期为{f.period.label}" if f.period is not None else ""
        parts = "、".join(f"{STATE_LABELS[s]} {counts[s]}" for s in STATUS_ORDER)
        groups.append(
            LedgerMeasureGroup(
                label=who,
                note=(
                    f"第{wl.version}版，截至{chinese_date(f.as_of)}"
                    f"{period}：任务 {len(f.tasks)} 项（{parts}）；"
                    f"标为不适用的条目 {na.get(wl.id, 0)} 个"
                ),
            )
        )
    all_parts = "、".join(f"{STATE_LABELS[s]} {totals[s]}" for s in STATUS_ORDER)
    groups.append(
        LedgerMeasureGroup(
            label="合计",
            note=f"{len(chosen)} 份清单，任务 {sum(totals.values())} 项（{all_parts}）",
        )
    )
    period_lines = [
        LedgerMeasureGroup(label="汇总日期", note=chinese_date(h.today)),
        LedgerMeasureGroup(
            label="本期",
            note="；".join(f"{label}（{n} 份清单）" for label, n in sorted(periods.items()))
            or "尚无填报周期",
        ),
    ]
    return LedgerPart(
        heading="各地区进展汇总",
        sections=[
            LedgerSection(title="上报情况（应报、已报、未报）", groups=reporting),
            LedgerSection(title="各地区任务状态（本期未填报单列，不计入滞后）", groups=groups),
            LedgerSection(title="报送周期", groups=period_lines),
        ],
    )


def _reporting_note(r: LocalityStatus) -> str:
    """未上报; 已上报（无本级清单）; 未随湖州市重报（第1版，报送周期：…）; …；逾期未报…."""
    if r.list_id is None:
        return r.state_label
    period = f"第{r.version}版，报送周期：{r.period_label or '尚无进展'}"
    overdue = f"；逾期未报{r.overdue}" if r.overdue else ""
    return f"{r.state_label}（{period}）{overdue}"
