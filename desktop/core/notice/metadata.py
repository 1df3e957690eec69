"""Document metadata: number, title, issuer, signature date and effective date.

The front matter of an official document is short and regular: an optional header
(浙江省人民政府文件), the document number (浙政发〔2026〕16号, also printed with [] or
【】), the title (sometimes split over two lines or broken by a space), the addressees
(各市、县（市、区）人民政府…：) and the preamble. The back matter holds the effective date
(本实施意见自2026年7月15日起施行), the signature with its date, and the 印发 line whose
date is the printing date, not the issue date.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from desktop.core.notice.paragraphs import TITLE_END_RE, Para, is_title_text
from desktop.core.notice.text import DATE_LINE_RE, DATE_RE, is_date_line, parse_date
from desktop.core.notice.unit_names import is_unit_name

DOC_NUMBER_RE = re.compile(
    r"([\u4e00-\u9fff]{1,8}?)\s*[〔\[【［（]\s*((?:19|20)\d{2})\s*[〕\]】］）]\s*第?\s*(\d{1,4})\s*号"
)
_ISSUER_END = re.compile(
    r"(?:政府|办公厅|办公室|委员会|厅|局|委|部|院|省委|市委|县委|区委|署|会|海关)$"
)
_HEADER_RE = re.compile(r"^(.{2,30}?)文件$")
_EFFECTIVE_RE = re.compile(rf"自{DATE_RE.pattern}起(?:施行|实施|执行|生效)")
_PRINTED_RE = re.compile(rf"{DATE_RE.pattern}印发$")
_EFFECTIVE_ON_ISSUE = re.compile(r"自(印发|发布|公布|下发)之日起(?:施行|实施|执行|生效)")


@dataclass
class Metadata:
    """What the front and back matter say about the notice."""

    doc_number: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    effective_on: date | None = None
    preamble: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def normalise_doc_number(text: str) -> str | None:
    """The first document number in ``text``, written with 〔〕 (浙政发〔2026〕16号)."""
    m = DOC_NUMBER_RE.search(text)
    if not m:
        return None
    prefix = m.group(1).split("文件")[-1]
    return f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号"


def _find_doc_number(head: list[Para]) -> tuple[int, str | None]:
    """The line that carries the document number, preferring a line of its own.

    Only the front matter is searched: numbers quoted in the preamble
    (根据《…》（国发〔2024〕10号）) belong to other documents.
    """
    for i, para in enumerate(head):
        m = DOC_NUMBER_RE.search(para.text)
        if m and len(m.group(0)) * 2 >= len(para.text):
            return i, normalise_doc_number(para.text)
    for i, para in enumerate(head):
        if "。" not in para.text and "《" not in para.text and DOC_NUMBER_RE.search(para.text):
            return i, normalise_doc_number(para.text)
    return -1, None


def _issued_by(text: str) -> bool:
    """A title that names its issuer: 国务院办公厅关于印发…的通知."""
    return _ISSUER_END.search(text.split("关于", 1)[0]) is not None


def _find_title(head: list[Para], start: int) -> tuple[int, str | None]:
    """Index of the last title line and the joined title.

    A title that names its issuer comes first, wherever it stands (a web page prints it
    above the document number); the title of an attached document printed below the
    covering letter (关于…的若干政策措施) names none."""
    order = [*range(start, len(head)), *range(start)]
    named = [i for i in order if _issued_by(head[i].text)]
    for i in [*named, *(i for i in order if i not in named)]:
        text = head[i].text
        if "关于" not in text or len(text) > 80 or text.endswith("：") or "。" in text:
            continue
        title, end = text, i
        while not TITLE_END_RE.search(title) and end + 1 < len(head) and end < i + 3:
            following = head[end + 1].text
            if following.endswith("：") or "。" in following or is_date_line(following):
                break
            title, end = title + following, end + 1
        if title.startswith("关于") and i > 0:  # the issuer broken onto the line above
            above = head[i - 1].text
            if _ISSUER_END.search(above) and not DOC_NUMBER_RE.search(above):
                title = above + title
        return end, title.strip("《》")
    for i in range(start, len(head)):
        para = head[i]
        if para.marked and not _HEADER_RE.match(para.text) and "。" not in para.text:
            return i, para.text
    for i in range(start, len(head)):  # a plan printed on its own: …行动方案（2026—2028年）
        text = head[i].text
        if is_title_text(text) and not _HEADER_RE.match(text) and not DOC_NUMBER_RE.search(text):
            return i, text.strip("《》")
    return -1, None


# where the next of several issuers run together begins: a level (省 / 国家 / 中共), a
# place (陕西省财政厅, 西安海关), or the same place as the first (陕西省商务厅陕西省财政厅)
_NEXT_ISSUER = re.compile(
    r"^(?:省|市|县|区|州|自治区|国家|中共|中国|人民银行)|^[\u4e00-\u9fff]{1,4}?[省市县区州盟]"
    r"|^[\u4e00-\u9fff]{2,3}海关"
)
_MIN_ISSUER = 4  # 办公厅 after 国务院 is part of its name, not an issuer of its own


def split_issuers(text: str) -> list[str]:
    """The issuers of a jointly issued notice, run together when the spaces between them
    were lost: 陕西省商务厅西安海关陕西省财政厅 → 陕西省商务厅, 西安海关, 陕西省财政厅.
    One issuer's name (国务院办公厅, 自然资源部国土空间规划局, 国家税务总局湖南省税务局)
    stays whole."""
    for at in range(_MIN_ISSUER, len(text) - _MIN_ISSUER + 1):
        left, right = text[:at], text[at:]
        if not (_ISSUER_END.search(left) and is_unit_name(left)):
            continue
        if not (_NEXT_ISSUER.match(right) or right[:2] == text[:2]):
            continue
        if left.endswith(("总局", "总行", "总署")):  # 国家税务总局湖南省税务局 is one body
            continue
        tail = split_issuers(right)
        if all(len(p) >= _MIN_ISSUER and is_unit_name(p) for p in tail):
            return [left, *tail]
    return [text]


def _issuer(title: str | None, head: list[Para], back: list[str]) -> str | None:
    found = _one_issuer(title, head, back)
    return None if found is None else "、".join(split_issuers(found))


def _one_issuer(title: str | None, head: list[Para], back: list[str]) -> str | None:
    if title and "关于" in title:
        prefix = title.split("关于", 1)[0]
        if _ISSUER_END.search(prefix):
            return prefix
    for para in head[:3]:
        m = _HEADER_RE.match(para.text)
        if m:
            return m.group(1)
    for before, line in itertools.pairwise(back):
        if DATE_LINE_RE.match(line) and not line.endswith("印发") and _ISSUER_END.search(before):
            return before
    return None


def _dates(back: list[str], paras: list[str]) -> tuple[date | None, date | None]:
    """The signature date and the 印发 (printing) date."""
    signed: date | None = None
    printed: date | None = None
    for line in back + paras:
        m = DATE_LINE_RE.match(line)
        if m and m.group(4) != "印发":
            signed = signed or parse_date(m)
        m = _PRINTED_RE.search(line)
        if m:
            printed = printed or parse_date(m)
    return signed, printed


_TITLE_IN_TEXT = re.compile(
    r"关于[^。：；]{2,80}?(?:意见|通知|方案|办法|规定|细则|措施|规划|计划|决定|批复|纲要)"
    r"(?:（[^）]{1,14}）)?(?!的)(?=各|$|[\u4e00-\u9fff]{1,8}[〔\[【［（](?:19|20)\d{2})"
)
_ADDRESSEES = re.compile(r"各[^。：]{1,118}?[：:]")
# the covering letter's signature and date run on after its last sentence (one-line copy)
_SIGNED_IN_TEXT = re.compile(
    r"(?<=[。！）])\s*[^。，；：！？\s]{2,30}?"
    r"(?:政府|办公厅|办公室|委员会|厅|局|委|部|院|省委|市委|县委|区委|署|会)\s*"
    rf"({DATE_RE.pattern})"
)


def split_head(head: list[Para]) -> list[Para]:
    """Cut front-matter paragraphs that hold several parts (text copied without its line
    breaks): masthead, document number, title, addressees and preamble on one line."""
    out: list[Para] = []
    for para in head:
        text = para.text
        cuts: set[int] = set()
        number = DOC_NUMBER_RE.search(text[:200])
        before = _TITLE_IN_TEXT.search(text, 0, number.end()) if number else None
        if number and before and before.end() <= number.start() + 8:
            number = DOC_NUMBER_RE.search(text, before.end(), 200)  # the title printed first
            cuts.add(before.end())
        if number and "《" not in text[: number.start()]:
            masthead = _HEADER_RE.match(text[: number.start()]) or text.find(
                "文件", 0, number.end()
            )
            start = number.start()
            if isinstance(masthead, re.Match) or (isinstance(masthead, int) and masthead > 0):
                end = masthead.end() if isinstance(masthead, re.Match) else masthead + 2
                start = max(start, end) if end <= number.start() + 8 else start
                cuts.add(end)
            cuts.update((start, number.end()))
        title = _TITLE_IN_TEXT.search(text, number.end() if number else 0, 400)
        if title and (number or title.start() < 120):
            cuts.add(title.end())
            addressees = _ADDRESSEES.match(text, title.end())
            if addressees:
                cuts.add(addressees.end())
        for signed in _SIGNED_IN_TEXT.finditer(text):
            cuts.update((signed.start(), signed.start(1), signed.end()))
        edges = sorted(c for c in cuts if 0 < c < len(text))
        if not edges:
            out.append(para)
            continue
        for a, b in itertools.pairwise([0, *edges, len(text)]):
            if text[a:b].strip():
                out.append(Para(text[a:b].strip(), para.marked))
    return out


def read_metadata(head: list[Para], back: list[str]) -> Metadata:
    """Read the front matter (``head``) and back matter of an outlined notice."""
    meta = Metadata()
    head = split_head(head)
    number_at, meta.doc_number = _find_doc_number(head)
    title_at, meta.title = _find_title(head, number_at + 1)
    meta.issuer = _issuer(meta.title, head, back)
    body_start = max(number_at, title_at) + 1
    for i in range(body_start, len(head)):
        text = head[i].text
        if i == body_start and text.endswith("：") and len(text) <= 120:
            continue  # the addressees
        meta.preamble.append(text)
    meta.issued_on, printed = _dates(back, [p.text for p in head])
    for text in back + meta.preamble:
        m = _EFFECTIVE_RE.search(text)
        if m:
            meta.effective_on = parse_date(m)
            break
        on_issue = _EFFECTIVE_ON_ISSUE.search(text)
        if on_issue:
            meta.effective_on = printed if on_issue.group(1) == "印发" else meta.issued_on
            break
    if meta.doc_number is None:
        meta.warnings.append("未找到文号")
    if meta.title is None:
        meta.warnings.append("未找到文件标题")
    if meta.issued_on is None:
        meta.warnings.append("未找到成文日期（落款日期）")
    return meta
