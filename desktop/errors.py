"""Errors the user can act on, with a message in Chinese.

Two kinds of failure exist in this program: a problem in the user's environment or input
(a damaged file, a full disk, a missing list), and a bug. The first is a ``UserError`` whose
message is shown as it is, in Chinese, without a traceback. Anything else is a bug and goes
to the crash report and the log.
"""

from __future__ import annotations

import re
from functools import cache

CLIP_AT = 60


def clip(value: object, limit: int = CLIP_AT) -> str:
    """``value`` as text cut to ``limit`` characters, for a message that echoes something
    from outside (a cell, a file name, a typed number): a 4,000-digit number or a line of
    garbage must not fill the screen. Line breaks become spaces."""
    try:
        text = " ".join(str(value).split())
    except ValueError:  # an int past Python's 4,300-digit limit for str()
        return "（位数过多的数字）"
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}…（共 {len(text)} 字）"


MESSAGE_AT = 800
PATH_AT = 400  # a file path in a hint must stay whole to be copied


@cache
def _long_runs() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A long run outside CJK text, and a long quoted value: compiled when a message is
    first made readable (a millisecond every command would pay, most of them for nothing)."""
    return (
        re.compile(r"[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]{" + str(CLIP_AT + 1) + ",}"),
        re.compile("“([^”]{" + str(CLIP_AT + 1) + ",})”"),
    )


def readable(message: str) -> str:
    """A message as it may be shown: every long run of digits, letters or symbols (a
    4,000-digit number, a line of garbage) and every long quoted value (“…”) cut to
    :data:`CLIP_AT` characters, and the whole kept to :data:`MESSAGE_AT` — the last guard
    before a message echoing outside input reaches the screen or the console. A file path
    (a run with a separator) is kept up to :data:`PATH_AT`, so a command in a hint can
    still be copied."""
    long_run, long_quote = _long_runs()
    text = long_quote.sub(lambda m: f"“{clip(m.group(1))}”", message)
    text = long_run.sub(_clip_run, text)
    if len(text) > MESSAGE_AT:
        text = text[: MESSAGE_AT - 1] + "…"
    return text


def _clip_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if ("/" in run or "\\" in run) and len(run) <= PATH_AT:
        return run
    return clip(run)


class UserError(Exception):
    """An error the user can understand and act on; ``str(err)`` is a Chinese sentence."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}{self.hint}" if self.hint else self.message


class InputFileError(UserError):
    """A file the user gave us cannot be read or is not what it should be."""


class NoticeFormatError(InputFileError):
    """A notice file or text that cannot be understood as a notice."""


class OldFormatError(NoticeFormatError):
    """A notice in an old office format (.doc, .wps …) that must become .docx first."""


class PackageError(InputFileError):
    """An upward package that is damaged, forged or does not belong here."""


class DatabaseError(UserError):
    """The database cannot be opened, is damaged, locked, or comes from a newer program."""


class InstanceLockedError(DatabaseError):
    """Another copy of the program is already using the data folder."""


class FontMissingError(UserError):
    """No usable Chinese font for PDF output."""


class NotFoundError(UserError):
    """A list, notice or task the user named does not exist."""


class ValidationError(UserError):
    """Input that breaks a rule of the domain (a 不适用 mark without a reason, …)."""
