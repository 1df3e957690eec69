"""Text normalisation for notices: one clean line per paragraph, ready to parse.

Notices arrive as Word files, as text saved by WPS or Notepad, or as Markdown produced by
a converter. The same notice may mix half- and full-width punctuation, carry ``#`` and
``**`` noise around headings, spaces between Chinese characters, page numbers and
separator rules. This module turns such input into a list of ``Line`` objects whose text
uses the conventions of an official document (full-width brackets, commas and colons,
no spaces between Chinese characters, half-width digits), and keeps a flag for lines that
were marked up as headings, so that later stages never glue a heading to the next line.
It also parses Chinese dates.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass
from datetime import date

from desktop.core.schema import strip_controls

# Chinese characters and full-width punctuation: spaces next to them are layout, not text.
_WIDE = "\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2014\u2026"
CJK = "\u3400-\u4dbf\u4e00-\u9fff"

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_SPACES = {ord("\u3000"): " ", ord("\u00a0"): " ", ord("\t"): " "}
# Full-width ASCII letters and digits and a few symbols that carry numbers.
_HALF: dict[int, int | str] = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_HALF.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_HALF.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_HALF.update({ord("％"): "%", ord("＋"): "+", ord("［"): "[", ord("］"): "]", ord("／"): "/"})
# parenthesised and dotted numbers as single characters: ⑴ → （1）, ⒈ → 1.
_HALF.update({0x2474 + i: f"（{i + 1}）" for i in range(20)})
_HALF.update({0x2488 + i: f"{i + 1}." for i in range(20)})
_HALF.update({ord("﹒"): "．"})

_MD_HEADING = re.compile(r"^(?:#{1,6}|>+)\s*")
_MD_RULE = re.compile(r"^(?:[-*_=]\s*){3,}$")
# a Markdown heading run into the middle of a line (web copy with its line breaks lost)
_MD_INLINE_HEADING = re.compile(r"(?<=[^A-Za-z0-9#&\s])\s*#{1,6}\s+")
_MD_INLINE_RULE = re.compile(r"(?<=[。！？）])\s*-{3,}\s*")
# converters escape what Markdown would read as syntax: 1\. / \(一\) / \*
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—－–~·\s]*\d{1,3}[-—－–~·\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)$"
)
_SPACE_RUN = re.compile(r"\s+")
_SPACE_WIDE = re.compile(rf"(?<=[{_WIDE}]) | (?=[{_WIDE}])")
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_COLON = re.compile(r"(?<![\dA-Za-z]):|:(?![\d/])")
_SEMI = re.compile(r";")
_QUESTION = re.compile(rf"(?<=[{CJK}])\?")
_BANG = re.compile(rf"(?<=[{CJK}])!")
_FULL_STOP_AFTER_DIGIT = re.compile(r"(?<=\d)．")
# a half-width full stop ending a Chinese sentence (web pages, converters): 。
_PERIOD = re.compile(rf"(?<=[{CJK}）”」】\]])\.(?![\d.])")


_HTML_TAG = re.compile(
    r"</?(?:p|br|div|span|td|tr|table|strong|b|font|section|h\d)\b[^>]{0,300}>", re.I
)
_HTML_BLOCK = re.compile(r"</?(?:p|br|div|tr|table|section|h\d)\b[^>]{0,300}>", re.I)
_HTML_TAG_INLINE = re.compile(r"</?(?:span|strong|b|font|td)\b[^>]{0,300}>", re.I)

# units set apart by spaces inside a note (责任单位：省发展改革委 省财政厅): a list
_NOTE_WITH_SPACES = re.compile(
    r"（[^（）]*(?:单位|部门)[:：][^（）]*）|^[【\[]?(?:牵头|责任|配合|协同|参与)[^:：]{0,6}[:：].*$"
)
_SPACE_BETWEEN_NAMES = re.compile(rf"(?<=[{CJK}）]) (?=[{CJK}])")


def _units_apart(m: re.Match[str]) -> str:
    return _SPACE_BETWEEN_NAMES.sub("、", m.group(0))


@dataclass(frozen=True)
class Line:
    """One non-empty line of normalised text; ``marked`` when Markdown made it a heading."""

    text: str
    marked: bool = False


def _normalise_punctuation(text: str) -> str:
    text = text.replace("(", "（").replace(")", "）")
    text = _COMMA.sub("，", text)
    text = _COLON.sub("：", text)
    text = _SEMI.sub("；", text)
    text = _QUESTION.sub("？", text)
    text = _BANG.sub("！", text)
    text = _PERIOD.sub("。", text)
    return _FULL_STOP_AFTER_DIGIT.sub(".", text)


def normalise_line(raw: str) -> Line | None:
    """Normalise one physical line; ``None`` for lines that carry no text (rules, page numbers)."""
    text = raw.translate(_INVISIBLE).translate(_SPACES).translate(_HALF).strip()
    text = _MD_ESCAPE.sub(r"\1", text)
    if not text or _MD_RULE.match(text) or _PAGE_NUMBER.match(text):
        return None
    marked = False
    heading = _MD_HEADING.match(text)
    if heading:
        marked = text.startswith("#")
        text = text[heading.end() :]
    if "#" in text:
        text = _MD_INLINE_HEADING.sub(" ", text)
    if "---" in text:
        text = _MD_INLINE_RULE.sub(" ", text)
    if "**" in text or "__" in text:
        bare = text.replace("**", "").replace("__", "")
        marked = marked or (text.startswith(("**", "__")) and text.endswith(("**", "__")))
        text = bare
    text = _SPACE_RUN.sub(" ", _normalise_punctuation(text)).strip()
    if " " in text:
        text = _NOTE_WITH_SPACES.sub(_units_apart, text)
    text = _SPACE_WIDE.sub("", text)
    return Line(text, marked) if text else None


def is_page_number(text: str) -> bool:
    """A line that is only a page number: 3, — 3 —, -3-, 第3页."""
    return _PAGE_NUMBER.match(text.strip()) is not None


def normalise_fragment(raw: str) -> str:
    """A piece of a line (table cells) in the document's conventions: full-width
    punctuation, half-width digits, tabs as spaces; the spaces are kept, since they may
    stand between cells. Unlike ``normalise_line`` it never drops the piece (a cell
    ``12`` is not a page number)."""
    text = raw.translate(_INVISIBLE).translate(_SPACES).translate(_HALF).strip()
    return _normalise_punctuation(text)


def normalise_lines(text: str) -> list[Line]:
    """Split decoded input into normalised, non-empty lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _HTML_TAG.search(text):  # text saved from a web page with its markup
        text = html.unescape(_HTML_BLOCK.sub("\n", _HTML_TAG_INLINE.sub("", text)))
    for sep in ("\f", "\v", "\u2028", "\u2029", "\x85"):
        text = text.replace(sep, "\n")
    # BEL, ESC, NUL … in a saved text file: nothing a measure's text may carry
    text = strip_controls(text)
    lines: list[Line] = []
    after_page = False  # a page number was the last line read: a new page starts
    for raw in text.split("\n"):
        line = normalise_line(raw)
        if line is None:
            if raw.strip() and is_page_number(normalise_fragment(raw)):
                after_page = True
            continue
        if after_page and _PAGE_HEADER.match(line.text) and lines:
            after_page = False
            continue  # 某省人民政府办公厅文件 printed atop the next page
        after_page = False
        lines.append(line)
    return _without_running_lines(lines)


# the masthead printed again atop a page: 某省人民政府办公厅文件
_PAGE_HEADER = re.compile(
    r"^[\u4e00-\u9fff]{2,30}(?:政府|办公厅|办公室|委员会|厅|局|委|部|院)文件$"
)
# a running header or footer of printed pages: a short line with no sentence in it
_RUNNING = re.compile(r"^[^。，；：！？（）“”、]{2,40}$")


def _page_apart(places: list[int]) -> bool:
    """Three or more occurrences, a page apart each time (gaps of eight lines or more that
    differ by little: printed pages hold about the same number of lines)."""
    if len(places) < 3:
        return False
    gaps = [b - a for a, b in itertools.pairwise(places)]
    return min(gaps) >= 8 and max(gaps) - min(gaps) <= max(3, min(gaps) // 5)


def _without_running_lines(lines: list[Line]) -> list[Line]:
    """Drop the repeats of a line printed on every page (浙江省人民政府文件 …).

    A short line without punctuation that recurs three times or more, word for word and
    a page apart each time, is a running header or footer of text taken from a PDF; its
    first occurrence stays (it is often the masthead of the first page).
    """
    where: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if len(line.text) >= 5 and _RUNNING.match(line.text):
            where.setdefault(line.text, []).append(index)
    running = {text for text, places in where.items() if _page_apart(places)}
    if not running:
        return lines
    seen: set[str] = set()
    kept: list[Line] = []
    for line in lines:
        if line.text in running:
            if line.text in seen:
                continue
            seen.add(line.text)
        kept.append(line)
    return kept


_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUM = "〇○Ｏ零一二三四五六七八九十"
DATE_RE = re.compile(
    rf"(\d{{4}}|[{_CN_NUM}]{{4}})年(\d{{1,2}}|[{_CN_NUM}]{{1,3}})月"
    rf"(\d{{1,2}}|[{_CN_NUM}]{{1,3}})日"
)
DATE_LINE_RE = re.compile(rf"^{DATE_RE.pattern}(印发|发布|签发)?$")


def chinese_number(text: str) -> int | None:
    """1–99 written with 一…十 (十二, 二十, 三十一) or as Arabic digits; else ``None``."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    tens, _, units = text.partition("十")
    if len(units) > 1 or len(tens) > 1 or units == "十":  # 十十 is no number
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _year(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = [_CN_DIGITS.get(ch) for ch in text]
    if any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


def parse_date(match: re.Match[str]) -> date | None:
    """The date of a ``DATE_RE`` match (2026年5月30日 or 二〇二六年五月三十日), if valid."""
    year = _year(match.group(1))
    month, day = chinese_number(match.group(2)), chinese_number(match.group(3))
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_date_line(text: str) -> bool:
    """A line that is only a date (a signature date or an 印发 date)."""
    return DATE_LINE_RE.match(text) is not None
