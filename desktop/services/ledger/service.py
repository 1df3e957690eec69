"""Work ledgers (工作台账) of a work list: building the printed document and writing files.

Variants: the whole list (``all``), one part per lead unit (``by-unit``), the progress ledger
of a reporting period (``progress``), and the lagging tasks (``lagging``). A frozen period's
progress ledger is printed from the snapshot taken when it was frozen, so it reprints exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.dates import chinese_date
from desktop.core.reports import (
    LedgerDocument,
    LedgerMeasureGroup,
    LedgerPart,
    LedgerRow,
    LedgerSection,
    SignOff,
)
from desktop.core.reports.variants import VARIANTS
from desktop.db.models import (
    LocalUnit,
    Measure,
    MeasureExclusion,
    Notice,
    NoticeSection,
    ReportingPeriod,
    WorkList,
)
from desktop.errors import NotFoundError, ValidationError
from desktop.services.clock import today
from desktop.services.ledger.columns import (
    due_text,
    office_columns,
    save_office_columns,
    schedule_texts,
)
from desktop.services.office.keys import office_fingerprint
from desktop.services.office.service import get_office
from desktop.services.progress.figures import list_figures
from desktop.services.progress.status import (
    default_as_of,
    default_period,
    period_as_of,
)
from desktop.services.worklist.rows import TaskRow, task_rows


@dataclass(frozen=True)
class LedgerOptions:
    variant: str = "all"
    period_id: int | None = None  # progress / lagging: the period; None = the current one
    paper: str = "A4"
    filler: str | None = None  # sign-off names; None = the office's
    reviewer: str | None = None
    phone: str | None = None
    sign_date: str | None = None
    # the optional columns (责任领导 …); None = the office's choice
    columns: tuple[str, ...] | None = None


def office_signoff(session: Session) -> SignOff:
    """The office's names and today's date, as a ledger's sign-off block prints them."""
    office = get_office(session)
    return SignOff(
        unit=office.reporting_office or office.locality,
        filler=office.operator,
        reviewer=office.reviewer,
        phone=office.contact_phone,
        date=_date_text(today(session)),
        key_fingerprint=office_fingerprint(session),
    )


def notice_topic(title: str) -> str:
    """ "浙江省人民政府关于推进服务业扩能提质的实施意见" → "推进服务业扩能提质"."""
    m = re.search(r"关于(.+?)的(?:实施意见|若干意见|意见|通知|实施方案|方案|决定|办法)", title)
    return m.group(1) if m else ""


def _date_text(d: date | None) -> str:
    return chinese_date(d) if d else ""


def _deadline_text(d: date | None) -> str:
    return due_text(d) if d is not None else ""


class LedgerService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # the office's ledger columns -------------------------------------------------------

    def columns(self) -> tuple[str, ...]:
        """The optional columns the office's ledgers print (none: the official layout)."""
        with self._sessions() as session:
            return office_columns(session)

    def set_columns(self, keys: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Remember the office's optional columns for every ledger from now on."""
        with self._sessions.begin() as session:
            return save_office_columns(session, keys)

    # reading, for the 台账打印 screen ---------------------------------------------------

    def signoff_defaults(
        self, list_id: int | None = None, options: LedgerOptions | None = None
    ) -> SignOff:
        """The sign-off block a ledger gets when the user changes nothing: the office's
        names and today's date, written the way the ledger prints them; for the progress
        ledger of a frozen period, the names and date it was frozen with."""
        with self._sessions() as session:
            if list_id is not None and options is not None and options.variant == "progress":
                wl = session.get(WorkList, list_id)
                period = self._period(session, wl, options) if wl is not None else None
                if period is not None and period.snapshot:
                    frozen = document_from_json(period.snapshot).signoff
                    if frozen.date:
                        return frozen
            return office_signoff(session)

    def default_period_id(self, list_id: int) -> int:
        """The period a progress or lagging ledger shows when none is chosen
        (``default_period``: the same choice ``document`` and the progress screen make)."""
        with self._sessions.begin() as session:
            wl = session.get(WorkList, list_id)
            if wl is None:
                raise NotFoundError("找不到这份清单。")
            period = self._period(session, wl, LedgerOptions(variant="progress"))
            assert period is not None
            return period.id

    def document(self, list_id: int, options: LedgerOptions | None = None) -> LedgerDocument:
        options = options or LedgerOptions()
        if options.variant not in VARIANTS:
            raise ValidationError(f"没有“{options.variant}”这种台账，可选：" + "、".join(VARIANTS))
        if options.paper not in ("A4", "A3"):
            raise ValidationError("纸张只能是 A4 或 A3。")
        with self._sessions.begin() as session:
            wl = session.get(WorkList, list_id)
            if wl is None:
                raise NotFoundError("找不到这份清单。")
            period = self._period(session, wl, options)
            base = office_signoff(session)
            if options.variant == "progress" and period is not None and period.snapshot:
                doc = document_from_json(period.snapshot)
                # a frozen ledger reprints with the names and date it was frozen with
                if doc.signoff.date:
                    base = doc.signoff
            else:
                doc = build_document(session, wl, options.variant, period, options.columns)
            doc.paper = options.paper
            doc.signoff = SignOff(
                unit=base.unit or wl.locality,
                filler=base.filler if options.filler is None else options.filler,
                reviewer=base.reviewer if options.reviewer is None else options.reviewer,
                phone=base.phone if options.phone is None else options.phone,
                date=base.date if options.sign_date is None else options.sign_date,
                # every printed ledger carries the key the office signs with now
                key_fingerprint=office_fingerprint(session),
            )
            return doc

    def write_pdf(
        self,
        list_id: int,
        out: Path,
        options: LedgerOptions | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        from desktop.core.reports import write_ledger_pdf

        doc = self.document(list_id, options)
        return write_ledger_pdf(doc, out, progress=progress, cancelled=cancelled)

    def write_pdf_per_unit(
        self,
        list_id: int,
        folder: Path,
        options: LedgerOptions | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Path]:
        from desktop.core.reports import write_ledger_pdfs_per_part

        opts = options or LedgerOptions()
        doc = self.document(list_id, LedgerOptions(**{**asdict(opts), "variant": "by-unit"}))
        return write_ledger_pdfs_per_part(doc, folder, progress=progress, cancelled=cancelled)

    def write_xlsx(
        self, list_id: int, out: Path, options: LedgerOptions | None = None
    ) -> list[str]:
        """Writes the Excel copy; returns the cells cut at Excel's 32,767-character limit."""
        from desktop.core.reports import write_ledger_xlsx

        return write_ledger_xlsx(self.document(list_id, options), out)

    def write_csv(self, list_id: int, out: Path, options: LedgerOptions | None = None) -> None:
        from desktop.core.reports import write_ledger_csv

        write_ledger_csv(self.document(list_id, options), out)

    def _period(
        self, session: Session, wl: WorkList, options: LedgerOptions
    ) -> ReportingPeriod | None:
        if options.period_id is not None:
            period = session.get(ReportingPeriod, options.period_id)
            if period is None or period.work_list_id != wl.id:
                raise NotFoundError("找不到这个填报周期。")
            return period
        if options.variant not in ("progress", "lagging"):
            return None
        return default_period(session, wl)


def build_document(
    session: Session,
    wl: WorkList,
    variant: str,
    period: ReportingPeriod | None,
    columns: tuple[str, ...] | None = None,
) -> LedgerDocument:
    """The ledger of ``wl`` as it stands now (or at ``period``'s end), with the optional
    ``columns`` (None: the office's choice)."""
    if columns is None:
        columns = office_columns(session)
    notice = session.get(Notice, wl.notice_id)
    assert notice is not None
    as_of = period_as_of(session, wl, period) if period is not None else default_as_of(session, wl)
    rows = task_rows(session, wl.id)
    figures = list_figures(session, wl.id, as_of).tasks
    progress = _progress_text(
        session, wl.id, period, as_of, explained=variant in ("progress", "lagging")
    )
    shown_progress = bool(progress)
    if variant == "lagging":
        rows = [r for r in rows if figures[r.id].status_value == "lagging"]

    sections = {
        s.id: s
        for s in session.execute(
            select(NoticeSection).where(NoticeSection.notice_id == notice.id)
        ).scalars()
    }
    measures = list(
        session.execute(
            select(Measure).where(Measure.notice_id == notice.id).order_by(Measure.position)
        ).scalars()
    )
    excluded = dict(
        session.execute(
            select(MeasureExclusion.measure_id, MeasureExclusion.reason).where(
                MeasureExclusion.work_list_id == wl.id
            )
        ).all()
    )

    def top(section_id: int | None) -> NoticeSection | None:
        sec = sections.get(section_id) if section_id else None
        while sec is not None and sec.parent_id is not None:
            sec = sections.get(sec.parent_id)
        return sec

    shown = shown_progress or variant in ("progress", "lagging")
    schedules = schedule_texts(session, wl.id) if "schedule" in columns else {}

    def ledger_row(r: TaskRow) -> LedgerRow:
        f = figures[r.id]
        return LedgerRow(
            number=r.number,
            content=r.content,
            target=r.target_text,
            lead_units=r.lead_text,
            co_units=r.co_text,
            deadline=_deadline_text(r.deadline),
            progress=progress.get(r.id, ""),
            status=(f.status_value or "not_applicable") if shown else "",
            task_uid=r.uid,
            percent=f.percent if shown else None,
            closed=shown and f.closed,
            not_reported=shown and f.not_reported,
            leader=r.leader if "leader" in columns else "",
            person=r.person if "person" in columns else "",
            schedule=schedules.get(r.id, ""),
            remarks=r.remarks if "remarks" in columns else "",
        )

    def part(rows_in: list[TaskRow], heading: str) -> LedgerPart:
        by_measure: dict[int | None, list[TaskRow]] = {}
        for r in rows_in:
            by_measure.setdefault(r.measure_ids[0] if r.measure_ids else None, []).append(r)
        out_sections: list[LedgerSection] = []
        current: dict[int | None, LedgerSection] = {}
        for m in measures:
            tasks = by_measure.get(m.id, [])
            reason = excluded.get(m.id) if variant == "all" and not heading else None
            if not tasks and reason is None:
                continue
            sec = top(m.section_id)
            key = sec.id if sec else None
            if key not in current:
                title = (
                    f"{sec.number}{'' if sec.number.startswith('（') else '、'}{sec.title}"
                    if sec
                    else "其他"
                )
                current[key] = LedgerSection(title=title)
                out_sections.append(current[key])
            sep = "" if m.number.startswith("（") else ("、" if m.is_heading else ". ")
            current[key].groups.append(
                LedgerMeasureGroup(
                    label=f"{m.number}{sep}{m.title}",
                    detail=m.text,
                    not_applicable=reason,
                    rows=[ledger_row(r) for r in tasks],
                )
            )
        loose = by_measure.get(None, [])
        if loose:
            out_sections.append(
                LedgerSection(
                    title="其他工作任务",
                    groups=[
                        LedgerMeasureGroup(
                            label="（未关联省级条目）", rows=[ledger_row(r) for r in loose]
                        )
                    ],
                )
            )
        return LedgerPart(heading=heading, sections=out_sections)

    if variant == "by-unit":
        order = {
            n: i
            for i, n in enumerate(
                session.execute(select(LocalUnit.name).order_by(LocalUnit.position)).scalars()
            )
        }
        units = sorted(
            {u for r in rows for u in r.lead_units}, key=lambda u: (order.get(u, 10**6), u)
        )
        parts = [part([r for r in rows if u in r.lead_units], f"牵头单位：{u}") for u in units]
        parts = parts or [part([], "")]
    else:
        parts = [part(list(rows), "")]

    topic = notice_topic(notice.title)
    subtitle = {
        "progress": f"（{period.label}进展）" if period else "（进展情况）",
        "lagging": "（滞后任务）",
        "by-unit": "（按牵头单位）",
    }.get(variant, "")
    return LedgerDocument(
        title=f"{wl.locality}{topic}{wl.year}年重点工作任务清单",
        basis=notice.doc_number,
        office=get_office(session).reporting_office or wl.locality if wl.own else wl.locality,
        as_of=f"截至{_date_text(as_of)}"
        if (shown_progress or variant in ("progress", "lagging"))
        else "",
        parts=parts,
        show_progress=shown_progress or variant in ("progress", "lagging"),
        subtitle=subtitle,
        columns=tuple(columns),
    )


def _progress_text(
    session: Session,
    list_id: int,
    period: ReportingPeriod | None,
    as_of: date,
    *,
    explained: bool = False,
) -> dict[int, str]:
    """Per task, the progress text of ``period`` (or the latest up to ``as_of``).

    ``explained``: the progress and lagging ledgers also print the problems, the lag reason
    and the next steps — what freezing insists on and a leaders' meeting asks first — one
    per line after the progress, each only when filled in.
    """
    # plain SQL through the driver (its events still see it): one row per report of the list,
    # tens of thousands in a large one, where SQLAlchemy's row and date processing cost more
    # than the query; the periods' ends are compared as the ISO text they are stored as
    sql = (
        'SELECT r.task_id, r.text, r.problems, r.lag_reason, r.next_steps, p."end"'
        " FROM progress_report r JOIN reporting_period p ON p.id = r.period_id"
        " JOIN task t ON t.id = r.task_id WHERE t.work_list_id = ?"
    )
    params: tuple[object, ...]
    if period is not None:
        sql += " AND p.id = ?"
        params = (list_id, period.id)
    else:
        sql += " AND p.start <= ?"
        params = (list_id, as_of.isoformat())
    rows = session.connection().exec_driver_sql(sql, params).cursor.fetchall()
    best: dict[int, tuple[str, str]] = {}
    for task_id, text, problems, lag_reason, next_steps, end in rows:
        # the percent has its own column: the latest known one, by the one rule
        shown = text.strip()
        if explained:
            notes = [
                f"{name}：{value.strip()}"
                for name, value in (
                    ("存在问题", problems),
                    ("滞后原因", lag_reason),
                    ("下步打算", next_steps),
                )
                if value.strip()
            ]
            shown = "\n".join([shown, *notes] if shown else notes)
        if shown and (task_id not in best or end > best[task_id][0]):
            best[task_id] = (end, shown)
    return {k: v for k, (_, v) in best.items()}


def document_to_json(doc: LedgerDocument) -> str:
    return json.dumps(asdict(doc), ensure_ascii=False)


def document_from_json(text: str) -> LedgerDocument:
    data = json.loads(text)
    parts = [
        LedgerPart(
            heading=p["heading"],
            sections=[
                LedgerSection(
                    title=s["title"],
                    groups=[
                        LedgerMeasureGroup(
                            label=g["label"],
                            detail=g.get("detail", ""),
                            not_applicable=g.get("not_applicable"),
                            note=g.get("note"),
                            rows=[LedgerRow(**r) for r in g["rows"]],
                        )
                        for g in s["groups"]
                    ],
                )
                for s in p["sections"]
            ],
        )
        for p in data["parts"]
    ]
    return LedgerDocument(
        title=data["title"],
        basis=data["basis"],
        office=data["office"],
        as_of=data["as_of"],
        parts=parts,
        signoff=SignOff(**data.get("signoff", {})),
        paper=data.get("paper", "A4"),
        show_progress=data.get("show_progress", True),
        subtitle=data.get("subtitle", ""),
        page_numbering=data.get("page_numbering", "part"),
        columns=tuple(data.get("columns", ())),
    )
