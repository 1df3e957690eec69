"""Plain records of a work list and its tasks, shared by the draft, the checks and the reports.

These are the Qt-free, database-free shapes the domain logic works on; the services fill
them from the database and the screens show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

LEVELS = ("县级", "市级", "省级")  # the office a list belongs to, from the bottom up
LIST_STATES = {"draft": "草稿", "checked": "已校验", "submitted": "已上报"}
CADENCES = {"quarterly": "按季度", "monthly": "按月"}


@dataclass(frozen=True)
class MilestoneRecord:
    due_on: date
    label: str = ""
    description: str = ""
    percent: int | None = None


@dataclass
class TaskRecord:
    """Every field of a task (PRODUCT.md step 4) as plain data."""

    id: int | None = None
    uid: str = ""
    number: str = ""
    content: str = ""
    target_text: str = ""
    target_value: str | None = None
    target_unit: str = ""
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    leader: str = ""
    person: str = ""
    phone: str = ""
    start_on: date | None = None
    deadline: date | None = None
    remarks: str = ""
    measure_ids: list[int] = field(default_factory=list)
    milestones: list[MilestoneRecord] = field(default_factory=list)
    origin: str = "manual"
    closed_on: date | None = None
    closed_by: str = ""
    close_evidence: str = ""
    carried_from_uid: str = ""
    position: int = 0

    def copy(self) -> TaskRecord:
        return TaskRecord(
            **{
                **self.__dict__,
                "lead_units": list(self.lead_units),
                "co_units": list(self.co_units),
                "measure_ids": list(self.measure_ids),
                "milestones": list(self.milestones),
            }
        )


@dataclass(frozen=True)
class MeasureRef:
    """What the draft and the checks need to know of a measure."""

    id: int
    code: str
    label: str
    text: str = ""
    title: str = ""
    lead_units: tuple[str, ...] = ()
    co_units: tuple[str, ...] = ()
    joint: bool = False
    targets: tuple[TargetRef, ...] = ()
    position: int = 0


@dataclass(frozen=True)
class TargetRef:
    subject: str
    value: str | None
    unit: str
    qualifier: str | None
    phrase: str = ""

    def text(self) -> str:
        if self.phrase:
            return self.phrase
        value = f"{self.value}{self.unit}" if self.value is not None else self.unit
        return f"{self.subject}{value}{self.qualifier or ''}"


def join_units(units: list[str] | tuple[str, ...]) -> str:
    return "、".join(u for u in units if u)


def split_units(text: str) -> list[str]:
    """Unit names from text such as "县科技局、县经信局" (also split at ， , ; ；).

    Blanks and repeats are dropped; the order is kept.
    """
    out: list[str] = []
    for piece in (
        text.replace("，", "、")
        .replace(",", "、")
        .replace("；", "、")
        .replace(";", "、")
        .split("、")
    ):
        name = piece.strip()
        if name and name not in out:
            out.append(name)
    return out
