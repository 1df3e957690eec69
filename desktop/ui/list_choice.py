"""Which of the office's lists a screen opens on by default: the one being worked on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.services import clock


def working_list(lists: Sequence[Any]) -> int | None:
    """This year's list; else the latest one before this year; else the earliest.

    After 结转 in December the new year's draft exists beside this year's list; the
    screens still open on this year's, where the year-end printing and reporting happen.
    ``lists`` hold ``id`` and ``year`` (work-list summaries).
    """
    if not lists:
        return None
    year = clock.today().year
    for s in lists:
        if s.year == year:
            return int(s.id)
    past = sorted((s for s in lists if s.year < year), key=lambda s: -s.year)
    return int(past[0].id if past else min(lists, key=lambda s: s.year).id)
