"""Dates written the Chinese way (2027年3月5日), without the C library's ``strftime``.

``f"{d:%Y年%m月%d日}"`` goes through ``strftime``, which on Windows encodes the format in
the "language for non-Unicode programs" code page: on a PC set to anything but Chinese,
Python 3.11 raises ``UnicodeEncodeError`` for 年. These helpers build the text from the
numbers instead, the same on every system and locale.
"""

from __future__ import annotations

from datetime import date


def chinese_date(day: date) -> str:
    """``2027年3月5日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_month_day(day: date) -> str:
    """``3月5日`` (the year said elsewhere)."""
    return f"{day.month}月{day.day}日"
