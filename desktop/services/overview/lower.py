"""首页 of a city or the province: how its lower levels stand in reporting.

The reporting table of 汇总 (``exchange.aggregate``) for the year the page shows — or the
newest year with lists from below — reduced to what the first screen needs: one line per
level (expected, reported, missing, overdue, not re-sent) and the localities' rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.db.models import WorkList
from desktop.services.exchange.aggregate_types import LevelSummary, LocalityStatus
from desktop.services.office.service import get_office


@dataclass(frozen=True)
class LowerLevels:
    """首页 of an upper office: how its lower levels stand in reporting, for one year."""

    label: str  # 2027年 浙政发〔2026〕16号 ("" when nothing has come from below yet)
    levels: tuple[LevelSummary, ...]
    localities: tuple[LocalityStatus, ...]
    expected: int  # localities on the office's list of lower localities

    @property
    def lines(self) -> list[str]:
        if not self.label:
            waiting = f"名单中的 {self.expected} 个下级地区都还没有上报。" if self.expected else ""
            return [f"还没有导入下级的上报包。{waiting}"]
        many = len(self.levels) > 1
        return [f"{level.title}：{level.text}" if many else level.text for level in self.levels]

    @property
    def problem(self) -> bool:
        return any(level.missing or level.not_resent for level in self.levels)


def lower_levels(sessions: sessionmaker[Session], year: int | None = None) -> LowerLevels | None:
    """Who of the lower levels has reported for ``year`` (the newest year with lists from
    below when None, or when ``year`` has none); None for a county that holds nothing from
    below."""
    from desktop.services.exchange.aggregate import AggregateService

    with sessions() as session:
        office = get_office(session)
        held = set(
            session.execute(
                select(WorkList.year, WorkList.notice_id).where(WorkList.own.is_(False)).distinct()
            ).all()
        )
    aggregate = AggregateService(sessions)
    expected = len(aggregate.localities())
    choices = [c for c in aggregate.choices() if (c.year, c.notice_id) in held]
    if not choices:
        if office.level == "县级" and not expected:
            return None
        return LowerLevels("", (), (), expected)
    choice = next((c for c in choices if c.year == year), choices[0])
    view = aggregate.overview(choice.year, choice.notice_id)
    return LowerLevels(choice.label, view.levels, view.localities, expected)
