"""What a ledger reads about its list, its periods and the office, over ``Read``.

The work list's own row (``ListHead``), its reporting periods (``PeriodHead``, with the
frozen ledger's snapshot) and the default one (``chosen_period``, by
``desktop.core.periods.choose_default_period``), the office's names, key fingerprint,
today and chosen ledger columns. Loads no SQLAlchemy (``desktop.services.ledger.build``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from desktop.core.dates import chinese_date
from desktop.core.own_list import pick_own_list
from desktop.core.periods import (
    choose_default_period,
    generate_periods,
    kept_periods,
    list_day,
)
from desktop.core.reports import SignOff
from desktop.core.vocabulary import OPTIONAL_LEDGER_COLUMNS
from desktop.errors import NotFoundError
from desktop.services.clock import DEMO_DATE_KEY, demo_date_from, today_given
from desktop.services.reading import Read, setting_value

COLUMNS_KEY = "ledger_columns"


class NeedsWrite(Exception):
    """The ledger cannot be read as the database stands: something must be written first
    (the list's reporting periods are not made yet); the caller opens the office fully."""


@dataclass(frozen=True)
class ListHead:
    """What a ledger needs of its work list's own row."""

    id: int
    notice_id: int
    year: int
    locality: str
    own: bool
    cadence: str
    due_day: int
    thresholds: str | None


@dataclass(frozen=True)
class PeriodHead:
    """A reporting period as a ledger reads it (``snapshot``: the frozen ledger, or "")."""

    id: int
    key: str
    label: str
    start: date
    end: date
    frozen_at: str
    snapshot: str = ""


@dataclass(frozen=True)
class OfficeNames:
    reporting_office: str
    locality: str
    operator: str
    reviewer: str
    contact_phone: str


def list_head(read: Read, list_id: int) -> ListHead:
    found = read(
        "SELECT id, notice_id, year, locality, own, cadence, due_day, thresholds"
        " FROM work_list WHERE id = ?",
        (list_id,),
    )
    if not found:
        raise NotFoundError("找不到这份清单。")
    i, notice_id, year, locality, own, cadence, due_day, thresholds = found[0]
    return ListHead(i, notice_id, year, locality, bool(own), cadence, due_day, thresholds)


def _period_rows(read: Read, where: str, params: tuple[object, ...]) -> list[PeriodHead]:
    return [
        PeriodHead(i, key, label, date.fromisoformat(start), date.fromisoformat(end), frozen or "")
        for i, key, label, start, end, frozen in read(
            'SELECT id, key, label, start, "end", frozen_at FROM reporting_period'
            f" WHERE {where} ORDER BY id",
            params,
        )
    ]


def period_head(read: Read, list_id: int, period_id: int) -> PeriodHead:
    """Period ``period_id`` of list ``list_id``, with its frozen ledger."""
    found = _period_rows(read, "id = ? AND work_list_id = ?", (period_id, list_id))
    if not found:
        raise NotFoundError("找不到这个填报周期。")
    snapshot = read("SELECT snapshot FROM reporting_period WHERE id = ?", (period_id,))[0][0]
    p = found[0]
    return PeriodHead(p.id, p.key, p.label, p.start, p.end, p.frozen_at, snapshot or "")


def office_today(read: Read) -> date:
    """The office's today (``desktop.services.clock.today``), read without a session."""
    return today_given(demo_date_from(setting_value(read, DEMO_DATE_KEY)))


def columns_from(value: str | None) -> tuple[str, ...]:
    """The optional columns a stored setting (JSON) names, in print order."""
    if not value:
        return ()
    try:
        keys = json.loads(value)
    except ValueError:
        return ()
    if not isinstance(keys, list):
        return ()
    return tuple(k for k in OPTIONAL_LEDGER_COLUMNS if k in keys)


def office_names(read: Read) -> OfficeNames:
    found = read(
        "SELECT reporting_office, locality, operator, reviewer, contact_phone FROM office"
        " WHERE id = 1",
        (),
    )
    return OfficeNames(*found[0]) if found else OfficeNames("", "", "", "", "")


def office_fingerprint_of(read: Read) -> str:
    """The fingerprint of the office's key, "" before it has one."""
    found = read("SELECT fingerprint FROM office_key ORDER BY id DESC LIMIT 1", ())
    return (found[0][0] or "") if found else ""


def office_signoff(read: Read) -> SignOff:
    """The office's names and today's date, as a ledger's sign-off block prints them."""
    office = office_names(read)
    return SignOff(
        unit=office.reporting_office or office.locality,
        filler=office.operator,
        reviewer=office.reviewer,
        phone=office.contact_phone,
        date=chinese_date(office_today(read)),
        key_fingerprint=office_fingerprint_of(read),
    )


def own_list_id(read: Read, year: int, doc_number: str | None) -> int:
    """The office's current list for ``year`` (``desktop.core.own_list.pick_own_list``), in
    the order the list screen shows them."""
    current = read(
        "SELECT w.id, n.doc_number FROM work_list w JOIN notice n ON n.id = w.notice_id"
        " WHERE w.own AND w.is_current AND w.year = ? ORDER BY w.locality, w.version",
        (year,),
    )
    return pick_own_list(year, doc_number, [(i, doc) for i, doc in current])


def period_id_by_key(read: Read, list_id: int, key: str) -> int:
    """The id of the list's period ``key`` (``2027-Q2``); ``NeedsWrite`` when it is not
    made (yet): opening the office fully makes the periods, or says the key is unknown."""
    found = read(
        "SELECT id FROM reporting_period WHERE work_list_id = ? AND key = ?", (list_id, key)
    )
    if not found:
        raise NeedsWrite(f"period {key} not found")
    return int(found[0][0])


def chosen_period(
    read: Read, wl: ListHead, variant: str, period_id: int | None
) -> PeriodHead | None:
    """The period a ledger is printed for, read without writing: the one the caller names,
    none for a ledger without a period, else the default one (``choose_default_period``).
    Raises ``NeedsWrite`` when the list's periods are not all made yet."""
    if period_id is not None:
        return period_head(read, wl.id, period_id)
    if variant not in ("progress", "lagging"):
        return None
    stored = _period_rows(read, "work_list_id = ?", (wl.id,))
    wanted = {s.key for s in generate_periods(wl.year, wl.cadence, wl.due_day)}
    if not wanted <= {p.key for p in stored}:
        raise NeedsWrite("reporting periods not made yet")
    reported = {
        r[0]
        for r in read(
            "SELECT DISTINCT r.period_id FROM progress_report r"
            " JOIN reporting_period p ON p.id = r.period_id WHERE p.work_list_id = ?",
            (wl.id,),
        )
    }
    periods = kept_periods(stored, wanted, lambda p: p.id in reported)
    day = list_day(office_today(read), wl.year)
    chosen = choose_default_period(periods, day, reported)
    return period_head(read, wl.id, chosen.id)
