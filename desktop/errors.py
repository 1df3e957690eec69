"""Errors the user can act on, with a message in Chinese.

Two kinds of failure exist in this program: a problem in the user's environment or input
(a damaged file, a full disk, a missing list), and a bug. The first is a ``UserError`` whose
message is shown as it is, in Chinese, without a traceback. Anything else is a bug and goes
to the crash report and the log.
"""

from __future__ import annotations


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
