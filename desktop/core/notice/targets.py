"""Quantitative targets: 建设10个…集聚区, 建成20个左右省级零碳园区, 突破7万亿元, 达到60%左右.

Three shapes are recognised, each needing an Arabic number followed by a unit:

- a count after a verb: ``建设10个科技服务业创新发展集聚区`` (subject after the unit);
- a count at the end of a clause: ``培育专精特新企业100家以上`` (subject before the number);
- a level reached: ``服务业增加值突破7万亿元`` / ``占GDP比重达到60%左右`` (subject before the
  verb; a subject that starts with 占 continues the previous one).

Numbers inside quotation marks (“315”科技创新体系, “5+X”) are labels, never targets, and
numbers without a unit (平台2.0) or in words (一批) are left alone. A year stated in the
same sentence (到2030年) is carried over to the target.
"""

from __future__ import annotations

import re
from decimal import Decimal

from desktop.core.notice.brackets import split_top
from desktop.core.notice.model import ParsedTarget

_NUM = r"(?P<num>\d+(?:\.\d+)?)"
_PRE = r"(?P<pre>约|超过|不少于|不低于|至少|近|逾|累计)?"
_POST = r"(?P<post>左右|以上|以内|以下|余)?"
_COUNT_UNIT = (
    r"(?P<unit>万人次|万人|万个|万家|万户|万套|万台|万张|万亩|万吨|人次|批次"
    r"|个|家|项|条|座|处|所|名|场|次|套|款|户|支|张|亩|公里)"
)
_METRIC_UNIT = (
    r"(?P<unit>万亿元|亿元|万元|元|%|个百分点|万人次|亿人次|万人|万吨|万标箱|万辆|万户"
    r"|万平方米|平方米|公里|家|个|项|座)"
)
_COUNT_VERB = (
    r"(?P<verb>建设|建成|培育|打造|新增|创建|认定|布局|引进|招引|形成|新建|推出|举办|评选|遴选"
    r"|争创|创成|建立|设立|组建|实施|落地|储备|谋划|发展|培训|培养|吸引|带动|开展|新培育|新认定"
    r"|新建成)"
)
_LEVEL_VERB = (
    r"(?P<verb>突破|达到|力争达到|超过|保持在|稳定在|提高到|提高至|提升到|提升至|增长到|增长至|增长"
    r"|增至|增加到|增加至|不低于|不少于|控制在|降低到|降低至|下降到|下降至|减少到|减少至|降至|下降|达)"
)
_STOP = "，。；、：“”！？（）"
_COUNT_AFTER = re.compile(
    rf"{_COUNT_VERB}{_PRE}{_NUM}{_COUNT_UNIT}{_POST}(?P<subject>[^{_STOP}]{{2,30}}?)(?=[{_STOP}]|等|$)"
)
_COUNT_BEFORE = re.compile(
    rf"{_COUNT_VERB}(?P<subject>[^{_STOP}]{{2,20}}?){_PRE}{_NUM}{_COUNT_UNIT}{_POST}(?=[{_STOP}]|$)"
)
_LEVEL = re.compile(
    rf"(?P<subject>[^{_STOP}]{{0,40}}?){_LEVEL_VERB}{_PRE}{_NUM}{_METRIC_UNIT}{_POST}"
)
_YEAR = re.compile(r"(?:到|至|在)(20\d{2})年|(20\d{2})年(?:前|底前|底|末)")
_SUBJECT_NOISE = re.compile(
    r"^(?:(?:力争|确保|争取|预计|其中|使|实现|推动|全面|基本|到|至|在|20\d{2}年(?:底|末|前)?|全省|全市|全县"
    r"|全区|我省|我市|我县|我区|，)+)"
)
_STRONG_VERBS = {"突破", "超过", "不低于", "不少于"}
# 引进培育X企业5家: the second verb of a pair is not part of the subject
_LEADING_VERB = re.compile(rf"^{_COUNT_VERB}(?![型性式])(?=..)")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”|‘[^’]*’|《[^》]*》", text)]


def _qualifier(match: re.Match[str], clause: str) -> str | None:
    post, pre = match.group("post"), match.group("pre")
    verb = match.groupdict().get("verb")
    if post and post != "余":
        return post
    if pre:
        return pre
    if post:
        return post
    if verb in _STRONG_VERBS:
        return verb
    if "力争" in clause:
        return "力争"
    return None


def _year_at(sentence: str, position: int) -> int | None:
    year = None
    for m in _YEAR.finditer(sentence):
        if m.start() <= position:
            year = int(m.group(1) or m.group(2))
    return year


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _sentence_targets(sentence: str) -> list[tuple[int, ParsedTarget]]:
    found: list[tuple[int, ParsedTarget]] = []
    quoted = _quoted_spans(sentence)
    taken: list[tuple[int, int]] = []
    previous = ""
    for pattern in (_COUNT_AFTER, _COUNT_BEFORE, _LEVEL):
        for m in pattern.finditer(sentence):
            if _overlaps(m.span("num"), quoted) or _overlaps(m.span(), taken):
                continue
            subject = _SUBJECT_NOISE.sub("", m.group("subject")).strip()
            if pattern is _COUNT_BEFORE:
                subject = _LEADING_VERB.sub("", subject)
            verb = m.group("verb")
            if pattern is _LEVEL and verb in ("增长", "下降"):
                subject += verb
            if pattern is _LEVEL and (not subject or subject.startswith("占")):
                subject = previous + subject
            if len(subject) < 2:
                continue
            if pattern is _LEVEL:
                previous = subject
            phrase = m.group(0).lstrip("，")
            target = ParsedTarget(
                subject=subject,
                value=Decimal(m.group("num")),
                unit=m.group("unit"),
                qualifier=_qualifier(m, sentence[: m.end()]),
                year=_year_at(sentence, m.start("num")),
                phrase=phrase,
            )
            found.append((m.start("num"), target))
            taken.append(m.span())
    return found


def find_targets(text: str) -> list[ParsedTarget]:
    """All quantitative targets in ``text``, in reading order."""
    out: list[ParsedTarget] = []
    for sentence in split_top(text, "。；！？\n"):
        if not any(ch.isdigit() for ch in sentence):
            continue
        out.extend(t for _, t in sorted(_sentence_targets(sentence), key=lambda pair: pair[0]))
    return out
