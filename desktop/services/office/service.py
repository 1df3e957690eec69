"""The office this data folder belongs to: its locality, level, parent and contacts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.localities import code_problem
from desktop.core.names import name_problem, normalise_name
from desktop.core.schema import clean, text_problem
from desktop.core.worklist import LEVELS
from desktop.db.models import Office, WorkList
from desktop.errors import ValidationError
from desktop.services import clock
from desktop.services.audit import log as audit
from desktop.services.office.keys import office_fingerprint


@dataclass
class OfficeInfo:
    locality: str = ""
    level: str = "县级"
    parent: str = ""
    locality_code: str = ""
    reporting_office: str = ""
    operator: str = ""
    reviewer: str = ""
    contact_phone: str = ""
    configured: bool = False

    @property
    def short_level(self) -> str:
        """县 / 市 / 省: the prefix local unit names take (县发改局, 市发改局)."""
        return self.level[:1] if self.level else "县"


def get_office(session: Session) -> OfficeInfo:
    row = session.get(Office, 1)
    if row is None:
        return OfficeInfo()
    return OfficeInfo(
        locality=row.locality,
        level=row.level,
        parent=row.parent,
        locality_code=row.locality_code,
        reporting_office=row.reporting_office,
        operator=row.operator,
        reviewer=row.reviewer,
        contact_phone=row.contact_phone,
        configured=row.configured,
    )


class OfficeService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        after_save: Callable[[Session, OfficeInfo], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._after_save = after_save

    def get(self) -> OfficeInfo:
        with self._sessions() as session:
            return get_office(session)

    def today(self) -> date:
        """The office's today (``clock.today``: its demo date, if it carries one)."""
        with self._sessions() as session:
            return clock.today(session)

    def key_fingerprint(self) -> str:
        """The fingerprint of the key the office signs its packages with ("" before its
        first change, when the key is made)."""
        with self._sessions() as session:
            return office_fingerprint(session)

    def demo_date(self) -> date | None:
        """The demo office's own date (演示日期), or None for an office on the calendar."""
        with self._sessions() as session:
            return clock.demo_date(session)

    def save(self, info: OfficeInfo) -> OfficeInfo:
        """Validate and store the office; the first save also marks it configured."""
        # names are checked as typed: cleaning would silently drop an invisible character
        for key, label in (("locality", "本级地区名称"), ("parent", "上级地区名称")):
            invisible = name_problem(getattr(info, key).strip(), label)
            if invisible is not None:
                raise ValidationError(f"{invisible}。")
        info = OfficeInfo(
            **{
                **asdict(info),
                **{
                    key: clean(getattr(info, key), key)
                    for key in (
                        "locality",
                        "parent",
                        "reporting_office",
                        "operator",
                        "reviewer",
                        "contact_phone",
                    )
                },
                "locality_code": clean(info.locality_code, "locality_code"),
            }
        )
        if not info.locality:
            raise ValidationError("请填写本级地区名称，例如“某某县”。")
        # one spelling per name: look-alikes are one name, invisible characters refused
        locality = normalise_name(info.locality, "本级地区名称")
        info.parent = normalise_name(info.parent, "上级地区名称") if info.parent else ""
        for key in ("locality", "parent", "reporting_office", "operator", "reviewer"):
            problem = text_problem(key, getattr(info, key))
            if problem is not None:
                raise ValidationError(f"{problem}。")
        problem = text_problem("contact_phone", info.contact_phone)
        if problem is not None:
            raise ValidationError(f"{problem}。")
        if info.level not in LEVELS:
            raise ValidationError(f"层级只能是 {'、'.join(LEVELS)} 之一，收到的是“{info.level}”。")
        if info.locality_code:
            wrong = code_problem(info.locality_code, info.level)
            if wrong is not None:
                raise ValidationError(f"{wrong}。")
        with self._sessions.begin() as session:
            row = session.get(Office, 1)
            before = asdict(get_office(session)) if row else None
            if row is None:
                row = Office(id=1)
                session.add(row)
            row.locality = locality
            row.level = info.level
            row.parent = info.parent.strip()
            row.locality_code = info.locality_code.strip()
            row.reporting_office = info.reporting_office.strip()
            row.operator = info.operator.strip()
            row.reviewer = info.reviewer.strip()
            row.contact_phone = info.contact_phone.strip()
            row.configured = True
            # the office's own lists carry its name, code, level and parent (packages,
            # ledgers and ``worklist list`` follow)
            session.execute(
                update(WorkList)
                .where(WorkList.own.is_(True))
                .values(
                    locality=row.locality,
                    locality_code=row.locality_code,
                    level=row.level,
                    parent=row.parent,
                )
            )
            session.flush()
            after = get_office(session)
            audit.record(
                session,
                operator=after.operator,
                action="update" if before else "create",
                entity="office",
                entity_id=1,
                summary=f"本级设置：{after.locality}（{after.level}）",
                before=before,
                after=asdict(after),
            )
            if self._after_save is not None:
                self._after_save(session, after)  # same transaction
        return after
