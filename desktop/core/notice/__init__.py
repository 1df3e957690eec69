"""The notice parser: turns a policy notice (.txt or .docx) into sections, measures,
responsible units and targets.

Qt-free and database-free; only the standard library and python-docx. The importer
screen, the ``notice parse`` command and the seeding of the built-in notice all call
``parse_notice_file`` or ``parse_notice_text`` and show or store the ``ParsedNotice``.
Input that is not a notice raises ``desktop.errors.NoticeFormatError`` with a Chinese
message; doubts about a notice that was understood are returned as ``warnings``.
"""

from desktop.core.notice.files import read_notice_file
from desktop.core.notice.model import ParsedMeasure, ParsedNotice, ParsedSection, ParsedTarget
from desktop.core.notice.parser import parse_notice_file, parse_notice_text

__all__ = [
    "ParsedMeasure",
    "ParsedNotice",
    "ParsedSection",
    "ParsedTarget",
    "parse_notice_file",
    "parse_notice_text",
    "read_notice_file",
]
