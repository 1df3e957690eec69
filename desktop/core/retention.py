"""Which automatic backups to keep: a rolling daily / weekly / monthly schedule.

The program backs the database up on every exit and at least once a day, so without a
limit the backups folder would grow without end. This module decides, from the backups'
times alone, which ones to keep; it never touches a file (the backup service deletes what
is not kept), so the rule can be tested with any number of dates.

The rule follows the well-known "grandfather-father-son" scheme as borg and restic apply
it: going from the newest backup back in time,

- ``last``: the newest N backups are kept whatever their dates;
- ``daily``: the newest backup of each of the N most recent days that have backups;
- ``weekly``: the newest backup of each of the N most recent ISO weeks;
- ``monthly``: the newest backup of each of the N most recent calendar months.

A period whose newest backup is already kept by an earlier rule does not count towards a
later rule, so the rules add up: seven days, then four more weeks, then twelve more
months. Applied after every new backup, the kept set rolls forward smoothly; applying the
rule to a kept set keeps all of it (the rule is idempotent), so pruning never cascades.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RetentionPolicy:
    """How many backups each rule keeps; zero switches a rule off."""

    last: int = 0
    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    @property
    def most(self) -> int:
        """The largest number of backups the policy can keep."""
        return self.last + self.daily + self.weekly + self.monthly


# automatic backups (on exit, daily): 7 daily + 4 weekly + 12 monthly
AUTOMATIC = RetentionPolicy()
# backups taken before an action (导入前, 恢复前): the newest twenty, whatever their dates
BEFORE_ACTION = RetentionPolicy(last=20, daily=0, weekly=0, monthly=0)


def _day(when: datetime) -> Hashable:
    return when.date()


def _week(when: datetime) -> Hashable:
    iso = when.isocalendar()
    return (iso.year, iso.week)


def _month(when: datetime) -> Hashable:
    return (when.year, when.month)


def kept_indices(times: Sequence[datetime], policy: RetentionPolicy = AUTOMATIC) -> set[int]:
    """Indices into ``times`` of the backups to keep under ``policy``.

    ``times`` may be in any order and may repeat; ties are broken by position (the later
    entry counts as newer), so the answer is deterministic.
    """
    newest_first = sorted(range(len(times)), key=lambda i: (times[i], i), reverse=True)
    kept: set[int] = set(newest_first[: max(policy.last, 0)])
    rules: tuple[tuple[int, Callable[[datetime], Hashable]], ...] = (
        (policy.daily, _day),
        (policy.weekly, _week),
        (policy.monthly, _month),
    )
    for count, period_of in rules:
        if count <= 0:
            continue
        taken = 0
        previous: Hashable = None
        for i in newest_first:
            period = period_of(times[i])
            if period == previous:
                continue  # only the newest backup of a period is a candidate
            previous = period
            if i in kept:
                continue  # already kept by an earlier rule: the period does not count
            kept.add(i)
            taken += 1
            if taken == count:
                break
    return kept


def to_delete(times: Sequence[datetime], policy: RetentionPolicy = AUTOMATIC) -> list[int]:
    """Indices of the backups the policy lets go, oldest first."""
    keep = kept_indices(times, policy)
    return sorted((i for i in range(len(times)) if i not in keep), key=lambda i: (times[i], i))
