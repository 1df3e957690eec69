"""Paragraphs of a notice: lines cut by a page break or a hard wrap joined back.

PDF text breaks every 28 characters or so, mid-word and mid-note; text saved from a web
page may come as one long line. A line is joined to the one before when that one was
cut mid-sentence (it ends open, with a bracket or quotation left open, or without the
punctuation that ends a sentence) and the new line does not start something of its own
(an item number, a note on its own line, a date, the back matter). Paragraphs are built
from their pieces, so joining stays linear however many lines a paragraph has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.notice.brackets import opening_of_final
from desktop.core.notice.numbering import is_heading_text, match_item
from desktop.core.notice.text import Line, is_date_line
from desktop.core.notice.unit_notes import (
    NOTE_LINE_RE,
    NOTE_OPENERS,
    is_note_body,
    looks_like_unit,
    note_line_cut,
)

TERMINAL = "。；！？：!?;:"
# Real paragraphs stay far below this; the bound keeps joining linear on unpunctuated junk.
_MAX_PARAGRAPH = 4000
_CLOSING_PUNCT = "。，、；：！？）》」”’"
_NOTE_HINT = re.compile(r"责任单位|牵头|配合|负责")
BACK_RE = re.compile(
    r"^本(?:实施)?(?:意见|通知|办法|方案|规定|细则|措施|若干措施|规划|计划|决定|政策|条例|行动方案)"
    r"[^。]{0,30}?(?:自|于|由).{0,40}?(?:施行|实施|执行|生效|负责解释)"
    r"|^（此件[^）]*）$|^抄送|^抄报|^附件[:：]?\d*[:：]?[^。，；]{0,40}$"
    r"|^[^。，]{2,30}办公(?:厅|室)\d{4}年"
)
# front-matter lines that stand alone however long:
# 广西壮族自治区人民政府办公厅文件, 桂政办发〔2026〕18号
_MASTHEAD_RE = re.compile(
    r"^[^。，；：]{2,30}文件$"
    r"|^[\u4e00-\u9fff]{1,12}\s*[〔\[【［（]\s*(?:19|20)\d{2}\s*[〕\]】］）]\s*第?\s*\d{1,4}\s*号$"
)
TITLE_END_RE = re.compile(
    r"(?:意见|通知|方案|办法|规定|细则|措施|规划|计划|决定|批复|纲要|条例|函|公告|通报)"
    r"(?:（(?:试行|暂行|修订|(?:19|20)\d{2}(?:年)?(?:[—–\-－~～至到](?:19|20)\d{2}年?)?)）)?$"
)


def is_title_text(text: str) -> bool:
    """A line that reads as a document title: 关于…的意见, or …行动方案（2026—2028年）."""
    if not TITLE_END_RE.search(text) or len(text) > 80:
        return False
    return "关于" in text or not any(c in text for c in "。，、；：！？")


@dataclass
class Para:
    """A paragraph after page-break joins."""

    text: str
    marked: bool = False


def is_note_paragraph(text: str) -> bool:
    """A paragraph that is only a responsible-units note (own-line or bracketed)."""
    if NOTE_LINE_RE.match(text):
        return True
    if text.startswith(NOTE_OPENERS) and opening_of_final(text.rstrip("。；")) == 0:
        inner = text.rstrip("。；")[1:-1]
        return _NOTE_HINT.search(inner) is not None and is_note_body(inner, at_end=True)
    return False


def _ends_terminal(text: str) -> bool:
    last = text[-1]
    if last in TERMINAL:
        return True
    if last in "”’" and len(text) > 1 and text[-2] in TERMINAL:
        return True
    if last in "）〕】]":
        start = opening_of_final(text)
        if start == 0 or (start > 0 and text[start - 1] in TERMINAL):
            return True
        return start > 0 and is_note_body(text[start + 1 : -1], at_end=True)
    return False


def _open_ended(text: str) -> bool:
    """A paragraph ending in 、，（ or an opening quote: certainly cut mid-sentence."""
    return text[-1] in "、，（“《"


def _unbalanced(text: str) -> bool:
    """A paragraph with a bracket or quotation left open: probably cut mid-note."""
    return text.count("（") > text.count("）") or text.count("“") > text.count("”")


def _is_fragment(para: Para) -> bool:
    text = para.text
    if para.marked:
        return False
    if _open_ended(text) or _unbalanced(text):
        return True
    if NOTE_LINE_RE.match(text):  # 牵头单位： / 配合单位：省发展改革委、省财
        return note_line_cut(text)
    if _ends_terminal(text) or is_date_line(text) or is_heading_text(text):
        return False
    if is_title_text(text):
        return False
    if _MASTHEAD_RE.match(text):
        return False
    return len(text) >= 15 or any(c in text for c in "，、；：“”（）")


def _alias_continues(text: str, previous: str) -> bool:
    """A line that starts with the bracketed alias of the last unit of a label line above
    it, a line break having come between the name and its alias."""
    if not text.startswith("（") or previous.endswith(("。", "；")):
        return False
    if not NOTE_LINE_RE.match(previous.rsplit("\n", 1)[-1]) and "单位：" not in previous:
        return False
    end = text.find("）")
    return 2 < end <= 32 and looks_like_unit(text[1:end]) and not NOTE_LINE_RE.match(text[1:])


def _continues(para: Para, previous: Para, *, unbalanced: bool) -> bool:
    text = para.text
    if para.marked:
        return False
    if _open_ended(previous.text):
        return True
    if match_item(text) or is_date_line(text) or BACK_RE.match(text) or _MASTHEAD_RE.match(text):
        return False
    return unbalanced or not is_note_paragraph(text)


class _Joined:
    """The paragraph being built: its pieces, kept apart so that joining stays linear."""

    def __init__(self, para: Para) -> None:
        self.pieces = [para.text]
        self.marked = para.marked
        self.length = len(para.text)
        self.tail = para.text[-_TAIL:]
        self.open = para.text.count("（") - para.text.count("）")
        self.quotes = para.text.count("“") - para.text.count("”")

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)
        self.tail = (self.tail + text)[-_TAIL:]
        self.open += text.count("（") - text.count("）")
        self.quotes += text.count("“") - text.count("”")

    def para(self) -> Para:
        return Para("".join(self.pieces), self.marked)

    def is_fragment(self) -> bool:
        if self.length < _MAX_PARAGRAPH:
            return _is_fragment(self.para())
        # a long paragraph (text copied without its breaks): cut when it stops mid-sentence
        if self.marked:
            return False
        return self.open > 0 or self.quotes > 0 or not _ends_terminal(self.tail)


_TAIL = 400


def join_fragments(lines: list[Line]) -> list[Para]:
    """Join paragraphs cut by a page break or a hard line wrap."""
    paras: list[_Joined] = []
    for line in lines:
        para = Para(line.text, line.marked)
        last = paras[-1] if paras else None
        if last is not None and not (last.marked or para.marked) and para.text[0] in _CLOSING_PUNCT:
            last.add(para.text)  # a line cannot start with 。，、）
            last.marked = False
        elif last is not None and _alias_continues(para.text, last.tail):
            last.add(para.text)  # 协同责任单位：…省市场监督管理局 / （省知识产权局）
        elif (
            last is not None
            and last.is_fragment()
            and _continues(
                para, Para(last.tail, last.marked), unbalanced=last.open > 0 or last.quotes > 0
            )
        ):
            last.add(para.text)
        else:
            paras.append(_Joined(para))
    return [joined.para() for joined in paras]
