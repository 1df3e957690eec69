"""Which locality a package is from, and whether it belongs here: identity by code.

A locality is its 行政区划代码 (GB/T 2260) where it has one, its name (compared after
normalisation, ``desktop.core.names``) where it has none — a functional area such as a new
district. Lists held at an upper level are found by code, so a county that corrects its
name's spelling stays one locality; a name that only looks like another (a full-width
letter, an invisible character) never makes a second one.

A package belongs here when it was sent to this office (its parent is this office's
locality), from a lower level, from within this office's code, and — when the office keeps
a list of the localities it expects — from one of them. A county's list that came up inside
its city's combined package belongs to that city: the province's list of expected counties
(``locality.parent``) is checked under the city that carried it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.core.localities import code_level, may_report_under, under
from desktop.core.names import normalise_name, same_name
from desktop.core.worklist import LEVELS
from desktop.db.models import Locality, WorkList
from desktop.errors import PackageError
from desktop.services.office.service import OfficeInfo


class _Sent(Protocol):
    @property
    def locality(self) -> str: ...
    @property
    def locality_code(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def parent(self) -> str: ...


@dataclass(frozen=True)
class Sender:
    """Who a package says it is from."""

    name: str
    code: str
    level: str
    parent: str

    @classmethod
    def of(cls, m: _Sent) -> Sender:
        return cls(m.locality, m.locality_code, m.level, m.parent)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.code}）" if self.code else self.name


@dataclass(frozen=True)
class Carried:
    """A list that came inside a lower office's combined package."""

    sender: Sender  # the office that sent the combined package (the city)
    bundle_id: int
    part: str  # the part's file name
    sha256: str  # of the combined package file
    own: bool  # the sender's own list (not one it carried for a lower locality)


class _Expected(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def code(self) -> str: ...


E = TypeVar("E", bound=_Expected)


def match_locality(name: str, code: str, entries: Sequence[E]) -> E | None:
    """The entry that is this locality: by code where both have one, else by name. A code
    that names one entry while the name names another is refused (it is one or the other,
    and the user must say which)."""
    by_code = next((e for e in entries if code and e.code == code), None)
    if by_code is not None:
        if not same_name(by_code.name, name):
            raise PackageError(
                f"上报包的地区“{name}”的行政区划代码是 {code}，"
                f"而本级名单中代码 {code} 是“{by_code.name}”。",
                hint="如地区已更名，请先在“下级地区名单”中改正名称后再导入。",
            )
        return by_code
    by_name = next((e for e in entries if same_name(e.name, name)), None)
    if by_name is not None and by_name.code and code and by_name.code != code:
        raise PackageError(
            f"上报包的地区“{name}”的行政区划代码是 {code}，"
            f"与本级名单中的代码 {by_name.code} 不一致。",
            hint="请与报送单位核对其行政区划代码，或改正本级的下级地区名单。",
        )
    return by_name


def check_sender(session: Session, office: OfficeInfo, s: Sender) -> None:
    """A package sent directly to this office must come from one of its lower localities."""
    if not office.locality:
        raise PackageError(
            "本级还没有设置地区名称，无法判断上报包是否报给本级。",
            hint="请先在“单位设置”中填写本级地区。",
        )
    if same_name(s.name, office.locality) or (s.code and s.code == office.locality_code):
        raise PackageError(f"这是本级（{office.locality}）自己的上报包，不能导入到本级。")
    if not same_name(s.parent, office.locality):
        raise PackageError(
            f"这个上报包是{s.name}报给“{s.parent}”的，不是报给本级（{office.locality}）的，"
            "未导入。",
            hint="请确认文件没有拿错，或请报送单位核对其上级设置。",
        )
    if office.level in LEVELS and LEVELS.index(s.level) >= LEVELS.index(office.level):
        raise PackageError(
            f"上报包来自{s.level}的{s.name}，本级是{office.level}，只能导入下级的上报包。"
        )
    _check_code(s, office.locality, office.locality_code)
    expected = _expected(session, s.level, "")
    if expected and match_locality(s.name, s.code, expected) is None:
        raise PackageError(
            f"{s.name}不在本级的下级地区名单中，未导入。",
            hint="如确属本级下级，请先在“上报与汇总”的下级地区名单中添加它。",
        )


def check_carried(session: Session, office: OfficeInfo, carried: Carried, s: Sender) -> None:
    """A county's list inside its city's package (the package itself checked that the
    county's parent is the city and its code lies within the city's): it must not be this
    office, and, when the office lists the counties it expects under that city, be one."""
    city = carried.sender
    if same_name(s.name, office.locality) or (s.code and s.code == office.locality_code):
        raise PackageError(
            f"{city.name}的上报包中含有本级（{office.locality}）自己的清单，已拒绝导入。"
        )
    _check_code(s, city.name, city.code)
    # names are stored in their one spelling (the list is normalised when saved, the
    # package's names when read), so the city's own expected localities are found in SQL
    parent = normalise_name(city.name)
    under_city = Locality.parent == parent
    if city.code:
        under_city = or_(under_city, Locality.code.startswith(city.code[:4], autoescape=True))
    expected = [
        e
        for e in session.execute(
            select(Locality).where(Locality.level == s.level, under_city)
        ).scalars()
        if e.parent == parent or (e.code and city.code and under(e.code, city.code))
    ]
    if expected and match_locality(s.name, s.code, expected) is None:
        raise PackageError(
            f"{city.name}的上报包中的{s.name}不在本级为{city.name}列出的下级地区名单中，"
            "整个上报包未导入。",
            hint=f"如确属{city.name}的下级，请先在“上报与汇总”的下级地区名单中添加它。",
        )


def _check_code(s: Sender, upper: str, upper_code: str) -> None:
    if not s.code:
        return
    if code_level(s.code) != s.level:
        raise PackageError(
            f"上报包中{s.name}的行政区划代码 {s.code} 与其层级（{s.level}）不符，未导入。",
            hint="请报送单位在“单位设置”中改正行政区划代码后重新导出。",
        )
    if upper_code and not may_report_under(s.code, upper_code):
        raise PackageError(
            f"{s.name}的行政区划代码 {s.code} 不在{upper}（{upper_code}）之内："
            f"这不是{upper}下级地区的上报包，未导入。",
            hint="请确认文件没有拿错（是否来自其他省、市）。",
        )


def _expected(session: Session, level: str, parent: str) -> list[Locality]:
    """The office's expected localities of ``level`` under ``parent`` ("": directly)."""
    query = select(Locality).where(Locality.level == level, Locality.parent == parent)
    return list(session.execute(query).scalars())


def held_versions(
    session: Session, name: str, code: str, year: int, notice_id: int
) -> list[WorkList]:
    """Every version held of a lower locality's list: by code, and — for lists stored
    before the locality had a code, or a locality without one — by its normalised name."""
    key = normalise_name(name)
    same = (WorkList.locality == key) & (WorkList.locality_code == "")
    who = or_(WorkList.locality_code == code, same) if code else WorkList.locality == key
    return list(
        session.execute(
            select(WorkList).where(
                who,
                WorkList.year == year,
                WorkList.notice_id == notice_id,
                WorkList.own.is_(False),
            )
        ).scalars()
    )
