"""Responsible-unit notes: find them in a measure and work out who leads.

A note comes in many shapes: ``（责任单位：A、B）``, ``（牵头单位：A；责任单位：B、C）``,
``（A牵头，B、C配合）``, ``（A、B牵头，C按职责分工负责）``, ``（A、B等按职责分工负责）``,
a line of its own (``牵头单位：A``), units with aliases (``省市场监管局〔省知识产权局〕``)
and generic collectives (各设区市政府, 省有关部门 …). A note may also carry sentences
that speak for the whole document: the first-listed-leads rule
(除特别注明外，排第一位的为牵头单位) and remarks such as 以下均需各设区市政府落实.

A remark names collectives that every measure it covers must carry out, in wordings such
as 以下均需X落实 / 以上措施均需X落实 / 各项措施均由X负责落实 / 上述任务由X负责落实 /
X负责落实以上各项措施 / X为以下各项任务的共同责任单位, often followed by 不再列出. X is
one or several collectives or named bodies separated by 、 or 和 (各设区市人民政府、赣江新区
管委会); in a remark even a named body counts as a collective, since it is not the
responsible unit of one measure. 以上/上述 covers the measures before the remark, 以下/下列
those after it, 各项/所有/本意见所列 all of them (``Remark.scope``).

``parse_note`` turns the body of one note into items with a role; ``resolve`` decides
the lead units of a measure once the document-wide rule is known; ``find_doc_rules``
reads the rule and the remarks in free text.

Longer than 500 lines: the note patterns, the parser of one note and the document-wide
rules share one vocabulary (roles, separators, collectives); split apart, a change to a
wording would have to be made in several files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum

from desktop.core.notice.brackets import groups, opening_of_final, split_top


class Role(IntEnum):
    """What a note says of a unit; a higher value wins when a unit is named twice."""

    CO = 1  # 配合 / 参与
    RESP = 2  # 责任单位 with no marker: the document's rule decides
    JOINT = 3  # 按职责分工负责 / 分别负责 / 负责
    LEAD = 4  # 牵头


_LABELS: dict[str, Role | None] = {
    "牵头责任单位": Role.LEAD,
    "牵头责任部门": Role.LEAD,
    "协同责任单位": Role.CO,
    "配合责任单位": Role.CO,
    "参与责任单位": Role.CO,
    "共同责任单位": Role.JOINT,
    "责任主体": Role.RESP,
    # the internal divisions of an office (see _DIVISION_LABELS)
    "牵头处室": Role.LEAD,
    "牵头科室": Role.LEAD,
    "责任处室": Role.RESP,
    "责任科室": Role.RESP,
    "承办处室": Role.RESP,
    "配合处室": Role.CO,
    "配合科室": Role.CO,
    # labels that name a person or a date, never a unit: the clause is left out
    "牵头负责领导": None,
    "牵头负责同志": None,
    "牵头领导": None,
    "责任领导": None,
    "分管领导": None,
    "联系领导": None,
    "包抓领导": None,
    "包联领导": None,
    "挂钩领导": None,
    "牵头省领导": None,
    "牵头市领导": None,
    "牵头县领导": None,
    "牵头区领导": None,
    "责任省领导": None,
    "责任市领导": None,
    "责任县领导": None,
    "联系省领导": None,
    "联系市领导": None,
    "分管省领导": None,
    "分管市领导": None,
    "责任人": None,
    "联系人": None,
    "联络员": None,
    "联系电话": None,
    "完成时限": None,
    "完成时间": None,
    "时间节点": None,
    "时限要求": None,
    "进度安排": None,
    "时限": None,
    "牵头单位": Role.LEAD,
    "牵头部门": Role.LEAD,
    "主责单位": Role.LEAD,
    "主责部门": Role.LEAD,
    "牵头": Role.LEAD,
    "责任单位": Role.RESP,
    "主要责任单位": Role.RESP,
    "责任部门": Role.RESP,
    "实施单位": Role.RESP,
    "配合单位": Role.CO,
    "配合部门": Role.CO,
    "协同单位": Role.CO,
    "协同部门": Role.CO,
    "协办单位": Role.CO,
    "协办部门": Role.CO,
    "参与单位": Role.CO,
    "参与部门": Role.CO,
    "协助单位": Role.CO,
    "协助部门": Role.CO,
    "配合": Role.CO,
    "参与": Role.CO,
    "协同": Role.CO,
    "协办": Role.CO,
    "主责": Role.LEAD,
}
# labels naming the divisions (处室) of an office: the units of a department's own work
# plan, but beside 牵头单位 / 配合单位 only the issuing office's division that follows the
# work up (责任处室：省政府办公厅农业农村处), no responsible unit
_DIVISION_LABELS = frozenset(k for k in _LABELS if k.endswith(("处室", "科室")))
_LABEL_ALT = "|".join(sorted(_LABELS, key=len, reverse=True))
LABEL_RE = re.compile(rf"^[【\[]?({_LABEL_ALT})(?:[】\]][:：]?|[:：])")
NOTE_LINE_RE = re.compile(rf"^（?[【\[]?(?:{_LABEL_ALT})(?:[】\]][:：]?|[:：])")
# a second label run on without punctuation (牵头单位：A  配合单位：B, the spaces dropped)
_FULL_LABEL_ALT = "|".join(k for k in sorted(_LABELS, key=len, reverse=True) if len(k) > 2)
NOTE_OPENERS = ("（", "〔", "【")
NOTE_CLOSERS = ("）", "〕", "】")
_MID_LABEL = re.compile(rf"[【\[]?(?:{_FULL_LABEL_ALT})(?:[】\]][:：]?|[:：])")
# A会同B负责: A leads, B cooperates
_TOGETHER = "会同"
_TOGETHER_TAIL = re.compile(
    r"(?:等(?:单位|部门)?)?(?:共同|按职责分工|按照职责分工)?(?:负责|推进|落实|实施|组织实施)*$"
)

_COLLECTIVE = "(?:等(?:单位|部门)?)?"
_SUFFIXES: list[tuple[re.Pattern[str], Role]] = [
    (re.compile(r"(?:为|是)牵头(?:单位|部门)$"), Role.LEAD),
    (re.compile(r"(?:为|是)(?:配合|协同|参与)(?:单位|部门)$"), Role.CO),
    (re.compile(r"(?:为|是)责任(?:单位|部门)$"), Role.RESP),
    (re.compile(rf"{_COLLECTIVE}(?:共同|联合)?牵头(?:负责|落实|实施|推进)?$"), Role.LEAD),
    (
        re.compile(
            rf"{_COLLECTIVE}(?:负责|共同|积极)?(?:配合|参与|协助|协同|协办)"
            r"(?:落实|实施)?$"
        ),
        Role.CO,
    ),
    (
        re.compile(
            rf"{_COLLECTIVE}(?:按职责分工|按照职责分工|根据职责分工|按职责|按照职责|按分工|依职责)"
            r"(?:负责|落实|抓好落实|推进)?$"
        ),
        Role.JOINT,
    ),
    (re.compile(rf"{_COLLECTIVE}(?:分别|共同)?负责(?:落实|实施|推进)?$"), Role.JOINT),
    (re.compile(rf"{_COLLECTIVE}(?:组织|抓好|推进|贯彻)?落实$"), Role.JOINT),
    (re.compile(r"等(?:单位|部门)?$"), Role.RESP),
]
_ITEM_MARKERS = {"牵头": Role.LEAD, "牵头单位": Role.LEAD, "牵头负责": Role.LEAD}
_ITEM_MARKERS.update({"配合": Role.CO, "配合单位": Role.CO, "参与": Role.CO, "协办": Role.CO})

# the document's first-listed rule: 排第一位的为牵头单位 / 列第一位者为牵头单位 / 排在
# 第一位的为牵头单位 / 第一个单位为牵头单位 / 排名首位的单位牵头 / 列于首位者牵头
RULE_RE = re.compile(
    r"(?:排|列|排列|位|排名|列于|排于|居)(?:在|于)?(?:第一|首|前)(?:位|个|名|家)?(?:的|者)?"
    r"(?:责任)?(?:单位|部门)?(?:为|是|系|作为)?牵头"
    r"|(?:第一|首)(?:(?:个|家|位)(?:责任)?(?:单位|部门)?|(?:责任)?(?:单位|部门))(?:为|是|系|作为)?牵头"
)
_RULE_CLAUSE = re.compile(
    r"^(?:除(?:特别|另有|单独|特殊)?(?:注明|说明|标注|列明)外"
    r"|(?:以)?下同|全文同)$"
)
_REMARK_RE = re.compile(
    r"^(?:以下|下列|上述|各项|所有|全部|本[^，]{0,8}所列)?[^，]{0,8}?均(?:需|由|要|应|须)"
    r"(.+?)(?:负责)?(?:组织|抓好|贯彻|推进)?落实$"
    r"|^(?:以下|下列|上述|各项|所有|全部)?[^，]{0,8}?(?:责任单位)?均(?:含|包括)(.+)$"
)
_NOT_LISTED = re.compile(
    r"^(?:以下|以上|下同|均)?不再(?:一一|单独|重复|逐一|另行|分别)?(?:重复)?(?:列出|列明|列举|单列|标注|注明)$"
)

# remarks: a scope word (以上措施 / 以下各项任务 / 各项措施 / 本意见所列任务) and the collectives
_SCOPE_WORD = (
    r"以上|以下|上述|下列|前述|下述|上列|前列|各项|所有|全部"
    r"|本(?:实施)?(?:意见|通知|方案|措施|文件|行动方案|若干措施|政策)?(?:中)?所列"
)
_SCOPE_NOUN = (
    r"(?:各项|所有|全部|这些)?"
    r"(?:[^，。；、：均需须由为要应]{0,4}?(?:措施|任务|工作|举措|事项|条目|内容|条款|政策|意见|要求|目标)){0,2}"
    r"(?:中的|中)?(?:涉及[^，。；]{1,12}?的)?"
)
_ABOVE = ("以上", "上述", "前述", "上列", "前列")
_BELOW = ("以下", "下列", "下述")


def _scope(name: str) -> str:
    return rf"(?P<{name}>{_SCOPE_WORD}){_SCOPE_NOUN}"


_X = r"(?P<x>[^，。；：]+?)"
_MODAL = r"(?:均|都|皆|统一|一律)?(?:需要|需|须|要|应当|应由|应|交由|由|请)?"
_MODAL_AFTER = r"(?:均|都|皆|统一|一律)?(?:需要|需|须|要|应当|应)?"
_ACT = (
    r"(?:负责|结合实际|因地制宜|认真|切实|积极|按要求|按照要求|共同"
    r"|(?:按照|按|根据|依)(?:职责分工|职责|分工))*"
    r"(?:组织|抓好|贯彻|推进|抓|做好|狠抓)?(?:落实|实施|执行|贯彻落实|组织实施)(?:到位)?"
)
_REMARK_FORMS = [
    # 以上措施均需X落实 / 各项措施均由X负责落实 / 以上各项措施，X均需落实
    re.compile(rf"^(?:{_scope('scope')}，?)?{_MODAL}{_X}{_MODAL_AFTER}{_ACT}$"),
    # X负责落实以上各项措施
    re.compile(
        rf"^{_X}(?:均|都)?(?:负责|要|需|须|应)?(?:抓好|组织|做好)?(?:落实|实施|执行)(?:好)?"
        rf"{_scope('scope')}(?:的落实)?$"
    ),
    # X为以下各项任务的共同责任单位 / 以上措施中，X均为责任单位
    re.compile(
        rf"^(?:{_scope('scope')}，?)?{_X}(?:均|都)?(?:为|是|作为)(?:{_scope('scope2')}的)?"
        r"(?:共同|当然)?(?:责任单位|责任主体|落实主体|实施主体|实施单位)$"
    ),
    # 以下各项任务的责任单位均包括X
    re.compile(
        rf"^{_scope('scope')}，?的?(?:责任单位)?(?:均|都)?(?:含|包括|包含)(?P<x>[^，。；：]+)$"
    ),
]
_CONJ = re.compile(r"以及|和|及|与")
# a deadline inside a note names no unit: 2026年底前完成 / 长期坚持 / 持续推进
_TIME_CLAUSE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年|(?:19|20)\d{2}\s*[—–\-~至到]|长期|持续|逐年|每年|常态化)"
    r"[^，；、]{0,20}$"
)
TRAILING_DEADLINE = re.compile(
    r"(?:(?:19|20)\d{2}年(?:\d{1,2}月)?(?:底|末|年底|前|以前|起)*(?:完成)?"
    r"|长期坚持|持续推进|持续实施|长期推进)$"
)
_BARE_ROLE_END = re.compile(r"(?:牵头|配合|负责|落实|参与|协同|协助|协办)[。；]?$")
_NOT_A_NAME = re.compile(r"[由需均须要]|负责|落实|职责|分工|按照|结合|措施|任务|会同|^.{21,}$")


@dataclass(frozen=True)
class Remark:
    """A sentence extending measures with collectives: 以上措施均需各设区市政府落实.

    ``scope`` is "above" (以上/上述: the measures before it), "below" (以下/下列: the
    measures after it) or "all".
    """

    names: tuple[str, ...]
    scope: str
    text: str


def _scope_of(word: str | None) -> str:
    if word is None:
        return "all"
    if word.startswith(_ABOVE):
        return "above"
    if word.startswith(_BELOW):
        return "below"
    return "all"


def _split_conj(part: str) -> list[str] | None:
    """``A和B`` split where both sides are units (never 省发展和改革委员会); None if not units."""
    for m in _CONJ.finditer(part):
        left, right = part[: m.start()], part[m.end() :]
        if len(right) < 3 or left.count("（") != left.count("）") or not looks_like_unit(left):
            continue  # 各州（市）党委和政府 is one collective
        rest = _split_conj(right)
        if rest is not None:
            return [left, *rest]
    return [part] if looks_like_unit(part) else None


def _remark_names(segment: str) -> list[str] | None:
    """The collectives of a remark, or None when any of them is not a unit-like name."""
    names: list[str] = []
    for part in _place_lists([p.strip() for p in split_top(segment, "、") if p.strip()]):
        split = _split_conj(part.removesuffix("等"))
        if split is None or any(_NOT_A_NAME.search(n) for n in split):
            return None
        names += [n for n in split if n not in names]
    return names or None


def match_remark(sentence: str, *, unscoped: str | None = None) -> Remark | None:
    """The remark a sentence (or clause) states, or None.

    Strict: every name must look like a unit or a collective, and a scope word (以上/以下/
    各项 …) is required — unless the sentence goes on to say 不再列出, which makes it a
    remark by itself; ``unscoped`` is then the scope that clause implies.
    """
    sentence = sentence.strip().rstrip("。；")
    if len(sentence) > 160:
        return None
    for form in _REMARK_FORMS:
        m = form.match(sentence)
        if not m:
            continue
        words = m.groupdict()
        word = words.get("scope") or words.get("scope2")
        if word is None and unscoped is None:
            continue
        names = _remark_names(m.group("x"))
        if names:
            scope = _scope_of(word) if word else unscoped
            return Remark(tuple(names), scope or "all", sentence)
    return None


def _not_listed_scope(clause: str) -> str | None:
    """The scope a 不再列出 clause implies (以下不再列出 → below), or None for another clause."""
    if not _NOT_LISTED.match(clause):
        return None
    return "below" if clause.startswith(("以下", "下同")) else _scope_of(clause[:2])


# a level and a body without the name of a place after a collective: 各盟行政公署、市人民政府,
# 有关州、市人民政府 — the end of the collective, not one named unit; several levels
# (州、市人民政府, 旗县人民政府, 市（州）政府) are a collective by themselves
_BODY = r"(?:人民)?(?:政府|行政公署|公署|管委会|党委|党委和政府|党委、政府)"
_SEVERAL_LEVELS = (
    r"(?:[市州县区盟旗乡镇]{1,3}(?:、[市州县区盟旗乡镇]{1,3})+|[市州县区盟旗乡镇]{2,3}"
    r"|[市县区]（[市州县区、]+）)"
)
BARE_LEVEL_BODY = re.compile(rf"^(?:[市州县区盟旗乡镇]|{_SEVERAL_LEVELS}){_BODY}$")
GENERIC_RE = re.compile(
    r"^(?:各|全省|全市|全县|全区|所有)|有关|相关|其他|其它|各级|各部门|各单位"
    # 自治区各行政执法部门, 省直各单位, 市级各部门: a level, then 各
    r"|^(?:省|市|县|区|州|盟|旗|自治区|自治州|省直|市直|县直|区直|省级|市级|县级|区级)各"
    r"|各[^、，；]{0,12}(?:部门|单位|机关|机构)$"
    # 沿海各市县人民政府, 沿江各县（市、区）政府: places qualified, then 各
    r"|^[\u4e00-\u9fff]{1,8}各[^、，；]{0,12}(?:政府|党委|管委会)$"
    rf"|^[\u4e00-\u9fff]{{1,8}}各[市州县区盟旗]{{1,3}}(?:、[市州县区盟旗]{{1,3}})+{_BODY}$"
    rf"|^{_SEVERAL_LEVELS}{_BODY}$"
    r"|^(?:设区市|县（市、区）|市、县（市、区）|县（市）|区、县（市）|区县|乡镇（街道）|乡镇|街道)"
    r"(?:人民)?(?:政府|党委|部门)?$"
    r"|（(?:县、)?市、区）|（区、县）|（县、市）"
    r"|^(?:功能板块|功能区|开发区|园区|平台公司|企业|高校|学校|医院|银行|金融机构|社会组织"
    r"|市场主体|经营主体|行业协会)$"
)
# how a collective ends: 各市（州）, 各县（市、区）政府, 省有关部门 (not 各市（州）人民, cut by a
# line break)
COLLECTIVE_END = re.compile(
    r"(?:[市州县区盟旗地级）]|部门|单位|政府|党委|管委会|公署|乡镇|街道|园区|开发区|企业|高校|银行|机构"
    r"|学校|医院|协会|商会)$"
)
_IN_BRACKETS = re.compile(r"（[^（）]*）")
# local governments as a collective (各区政府, 相关区县（市）人民政府): a body after them
# (园区管委会) shares their 各 / 有关 / 相关
_LOCAL_GOVERNMENTS = re.compile(r"^(?:各|有关|相关)[^、]{0,12}(?:[市州县区盟]|政府|管委会|党委)$")
_PLACE_BODY = re.compile(
    r"^(?:[^省市县厅局委办]{0,10}(?:示范区|新区|开发区|实验区|功能区|园区|片区))?"
    r"(?:人民)?(?:政府|管委会|党委和政府|党委)(?:按职责分工负责|负责落实|负责|落实)?$"
)
# levels waiting for their body (各市、县政府), also qualified by a place (沿海各区、市政府)
_BARE_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{1,6}?)?各(?:设区)?[市州县区乡镇街道（）、]+$")
_UNIT_SUFFIX = re.compile(
    r"(?:厅|局|委|办|部|会|院|行|署|处|室|中心|政府|部门|单位|集团|公司|海关|队|联|社|所|站|馆|台"
    r"|学校|大学|学院|管委会|口岸|机构|机关|园区|协|区|组|专班|指挥部|银行|医院|联社|总站|企业)$"
)
_WORD_ITEM = re.compile(r"^[\u3400-\u9fffA-Za-z0-9（）〔〕【】\[\]·、]{2,30}$")


@dataclass
class NoteItem:
    """One unit of a note with the role the note gives it."""

    name: str
    role: Role
    generic: bool
    alias: str | None = None
    division: bool = False  # named under a 处室 label


@dataclass
class NoteParse:
    """What one note says, before the document's rule is applied."""

    items: list[NoteItem] = field(default_factory=list)
    rule: str | None = None
    remark_generic: list[str] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    # A、B，省有关部门按职责分工负责: the joint reading rests on a clause naming only a
    # collective, so a document-wide first-listed-leads rule still decides the lead
    joint_by_collective: bool = False

    def add_remark(self, remark: Remark) -> None:
        self.remarks.append(remark)
        self.remark_generic += [n for n in remark.names if n not in self.remark_generic]


@dataclass
class Resolution:
    """The responsible units of one measure, ready for ``ParsedMeasure``."""

    units: list[str]
    aliases: dict[str, str]
    lead_units: list[str]
    joint: bool
    generic: list[str]
    warnings: list[str]
    # how the lead units were decided: marked (牵头), joint (按职责分工负责), single (one unit),
    # rule (the document's first-listed rule), guess (first listed, no rule), none
    basis: str = "none"


def is_generic(name: str) -> bool:
    """A collective such as 各设区市政府 or 省有关部门 rather than one named unit."""
    return GENERIC_RE.search(name) is not None


def looks_like_unit(name: str) -> bool:
    """A plausible unit name: short, no sentence punctuation, a unit-like ending."""
    if not _WORD_ITEM.match(name):
        return False
    bare = _split_alias(name)[0]
    return is_generic(bare) or _UNIT_SUFFIX.search(bare) is not None


def _split_alias(item: str) -> tuple[str, str | None]:
    start = opening_of_final(item)
    if start <= 0:
        return item, None
    return item[:start], item[start + 1 : -1]


def _strip_suffix(segment: str) -> tuple[str, Role | None]:
    for pattern, role in _SUFFIXES:
        m = pattern.search(segment)
        if m and m.start() > 0:
            rest = segment[: m.start()]
            return rest, role
    return segment, None


def _place_lists(raw: list[str]) -> list[str]:
    """Join 各市、县（市、区）政府, 各盟行政公署、市人民政府 and 有关州、市人民政府 back
    together after a split at 、."""
    merged: list[str] = []
    for part in raw:
        if merged and (
            _BARE_PLACE.match(merged[-1])
            or (BARE_LEVEL_BODY.match(part) and is_generic(merged[-1]))
        ):
            merged[-1] = f"{merged[-1]}、{part}"
        else:
            merged.append(part)
    return merged


# 武昌区、汉阳区人民政府 / 南宁、桂林、北海市人民政府: one government suffix for a list of places
_GOVERNMENT_TAIL = re.compile(r"^[\u4e00-\u9fff]{1,10}?([市县区州盟旗])((?:人民)?政府)$")
_PLACE_ONLY = re.compile(
    r"^[\u4e00-\u9fff]{1,8}[市县区州盟旗]$|^(?![省市县区州])[\u4e00-\u9fff]{2,4}$"
)
_ZONE = re.compile(r"(?:新|开发|高新|经开|园|示范|试验|保税|综合|功能|城|片|景|矿|林|牧)区$")


def place_only(part: str) -> bool:
    """A place written without its body (武昌区, 临高县, 南宁), not a unit of its own."""
    return (
        _PLACE_ONLY.match(part) is not None
        and _ZONE.search(part) is None
        and not is_generic(part)
        and (part[-1] in "市县区州盟旗" or _UNIT_SUFFIX.search(part) is None)
    )


def shared_suffix(parts: list[str]) -> list[str]:
    """Give the places before ``汉阳区人民政府`` its government suffix: 武昌区、汉阳区人民政府
    → 武昌区人民政府、汉阳区人民政府; 南宁、桂林、北海市人民政府 → 南宁市人民政府 …"""
    out = list(parts)
    for i, part in enumerate(parts):
        m = _GOVERNMENT_TAIL.match(part)
        if m is None or i == 0 or not place_only(parts[i - 1]):
            continue
        j = i
        while j > 0 and place_only(parts[j - 1]):
            j -= 1
            place = parts[j]
            out[j] = (
                place + m.group(2)
                if place[-1] in "市县区州盟旗"
                and not (len(place) == 2 and place[-1] == "州")  # 柳州
                else place + m.group(1) + m.group(2)
            )
    return out


def _split_etc(part: str) -> list[str]:
    """``能源局等省有关部门``: the named unit and the collective after 等."""
    at = part.find("等")
    if at <= 0:
        return [part]
    before, after = part[:at], part[at + 1 :]
    if after and is_generic(after) and not is_generic(before) and looks_like_unit(before):
        return [before, after]
    return [part]


def _items(segment: str, role: Role) -> list[NoteItem]:
    merged = _place_lists([p.strip() for p in split_top(segment, "、,") if p.strip()])
    merged = shared_suffix(merged)
    items: list[NoteItem] = []
    # A和B / A及各县（市、区）政府: split only where both sides are units
    merged = [name for part in merged for name in _split_conj(part.removesuffix("等")) or [part]]
    merged = [name for part in merged for name in _split_etc(part)]
    after_places = False
    for part in merged:
        part = part.removesuffix("等")
        # 各省辖市、济源示范区政府 / 各区政府、管委会: more places of the same collective
        generic = is_generic(part) or (after_places and _PLACE_BODY.match(part) is not None)
        bare = _IN_BRACKETS.sub("", part)  # 各市（含定州、辛集市）政府 → 各市政府
        after_places = generic and (after_places or _LOCAL_GOVERNMENTS.match(bare) is not None)
        name, alias = (part, None) if generic else _split_alias(part)
        item_role = role
        if alias is not None and alias in _ITEM_MARKERS:
            item_role, alias = _ITEM_MARKERS[alias], None
        name, marker = _strip_suffix(name)
        if marker is not None:
            item_role = marker
        if name:
            items.append(NoteItem(name, item_role, generic or is_generic(name), alias))
    return items


def _loose_remark(clause: str, parse: NoteParse) -> bool:
    """The older, looser reading of a remark clause: only generic names count."""
    remark = _REMARK_RE.match(clause)
    if not remark:
        return False
    names = [p for p in split_top(remark.group(1) or remark.group(2), "、") if p]
    generic = [n for n in names if is_generic(n)]
    parse.leftovers.extend(n for n in names if not is_generic(n))
    if generic:
        parse.add_remark(Remark(tuple(generic), _scope_of(clause[:2]), clause))
    return True


def _doc_level(clauses: list[str], parse: NoteParse, *, strict: bool = False) -> list[str]:
    """Take the rule and remark clauses out of a sentence; return the clauses that remain.

    A remark may span two clauses (以上各项措施，X均需落实). ``strict`` accepts only
    remarks with a scope word whose names all look like units (free text in the body of
    the notice, where a looser reading would mistake ordinary sentences for remarks).
    """
    has_rule = any(RULE_RE.search(clause) for clause in clauses)
    keep: list[str] = []
    rule: list[str] = []
    i = 0
    while i < len(clauses):
        clause = clauses[i]
        if has_rule and (RULE_RE.search(clause) or _RULE_CLAUSE.match(clause)):
            if not clause.endswith("同"):  # keep 除特别注明外 and the rule, drop 下同
                rule.append(clause)
            i += 1
            continue
        pair = match_remark(f"{clause}，{clauses[i + 1]}") if i + 1 < len(clauses) else None
        remark = pair or match_remark(clause)
        if remark is None and i + 1 < len(clauses):  # X均需落实，不再列出
            listed = _not_listed_scope(clauses[i + 1])
            remark = match_remark(clause, unscoped=listed) if listed else None
        if remark is not None:
            parse.add_remark(remark)
            i += 2 if pair else 1
            continue
        if (strict or not _loose_remark(clause, parse)) and not _NOT_LISTED.match(clause):
            keep.append(clause)
        i += 1
    if rule:
        parse.rule = "，".join(rule)
    return keep


def find_doc_rules(text: str, *, strict: bool = False) -> NoteParse:
    """Rule and remark sentences in free text (a preamble, a 注 paragraph, the text of a
    section), also inside brackets (…现提出如下意见（以下各项任务均需…落实）。)."""
    parse = NoteParse()
    text = text.strip().rstrip("。；")
    if opening_of_final(text) == 0:
        text = text[1:-1]
    for sentence in split_top(text, "。；！"):
        _doc_level(
            [c.strip() for c in split_top(sentence, "，") if c.strip()], parse, strict=strict
        )
    for start, end in groups(text):
        inner = find_doc_rules(text[start:end], strict=True)
        parse.rule = parse.rule or inner.rule
        for remark in inner.remarks:
            parse.add_remark(remark)
    return parse


def _label_break(m: re.Match[str]) -> str:
    """A label run on after a unit (牵头单位：A配合单位：B) starts a new sentence."""
    before = m.string[m.start() - 1] if m.start() else "；"
    return m.group(0) if before in "，,；;：:（【[" else f"；{m.group(0)}"


def _together_items(clause: str) -> list[NoteItem] | None:
    """``A会同B、C负责``: A leads and B, C cooperate; None for a clause of another shape."""
    at = clause.find(_TOGETHER)
    if at <= 0 or clause[:at].count("（") != clause[:at].count("）"):
        return None
    left = clause[:at].removeprefix("由")
    right = _TOGETHER_TAIL.sub("", clause[at + len(_TOGETHER) :])
    items = _items(left, Role.LEAD) + _items(right, Role.CO)
    if not left or not right or not all(looks_like_unit(i.name) or i.generic for i in items):
        return None
    return items


def parse_note(body: str) -> NoteParse:
    """Parse the inside of a note (without its brackets)."""
    parse = NoteParse()
    carry: Role | None = None
    ignoring = False
    division = False
    after_lead = False
    joint_tail = collective_tail = False
    body = _MID_LABEL.sub(_label_break, body.strip().rstrip("。；"))
    for sentence in split_top(body, "。；;"):
        clauses = [c.strip() for c in split_top(sentence, "，,") if c.strip()]
        for clause in _doc_level(clauses, parse):
            label = LABEL_RE.match(clause)
            if label:  # a label holds for the clauses after it: 责任单位：A、B，C
                carry = _LABELS[label.group(1)]
                ignoring = carry is None
                division = label.group(1) in _DIVISION_LABELS
                clause = clause[label.end() :].strip()
            if ignoring or _TIME_CLAUSE.match(clause):  # 牵头负责领导：… / 2026年底前完成
                continue
            together = _together_items(clause)
            if together is not None:
                for item in together:
                    item.division = division
                parse.items += together
                after_lead = True
                continue
            rest, marker = _strip_suffix(clause)
            if rest.startswith("由") and len(rest) > 1:  # 由A牵头 / 由A、B负责
                rest = rest[1:]
            if marker is not None:
                role = marker
            elif carry is not None:
                role = carry
            else:  # A牵头，B、C: the units after a lead cooperate
                role = Role.CO if after_lead else Role.RESP
            after_lead = after_lead or role is Role.LEAD
            found = _items(rest, role)
            for item in found:
                item.division = division
                if looks_like_unit(item.name) or item.generic:
                    parse.items.append(item)
                else:
                    parse.leftovers.append(item.name)
            joint_tail = bool(found) and marker is Role.JOINT
            collective_tail = joint_tail and all(item.generic for item in found)
    # A、B，各区政府按职责分工负责 / A，B，C按职责分工负责: the closing 按职责分工负责
    # speaks for every unit listed before it
    if joint_tail and not any(i.role in (Role.LEAD, Role.CO) for i in parse.items):
        for item in parse.items:
            if item.role is Role.RESP:
                item.role = Role.JOINT
                parse.joint_by_collective = collective_tail
    return parse


def note_line_cut(text: str) -> bool:
    """A label line whose last unit a line break cut off: ``配合单位：省发展改革委、省财``
    (PDF text wrapped at the page's width); the next line goes on with the name."""
    if text.startswith(NOTE_OPENERS):  # a bracketed note: its brackets say where it ends
        return False
    labels = list(_LABEL_ANYWHERE.finditer(text))
    if not labels or not NOTE_LINE_RE.match(text):
        return False
    label = labels[-1]
    name = label.group(0).strip("【】[]：:")
    if _LABELS.get(name, Role.RESP) is None:  # 牵头负责领导：… names a person
        return False
    body = text[label.end() :].strip()
    if not body:
        return True  # the units follow on the next line
    if body.endswith(("。", "；")):
        return False
    last = split_top(body, "、，,；;")[-1].strip()
    if not last or _TIME_CLAUSE.match(last):
        return False
    rest, _role = _strip_suffix(last.removesuffix("等"))
    if is_generic(rest):  # 各市（州）人民 / 政府
        return COLLECTIVE_END.search(rest) is None
    return not looks_like_unit(rest)


def is_note_body(body: str, *, at_end: bool) -> bool:
    """Whether the inside of a bracket group is a responsible-units note."""
    if LABEL_RE.match(body):
        return True
    if "。" in body:
        return False
    if not at_end:  # in the middle of the text: only with its roles said (A牵头，B配合)
        return is_bare_note(body)
    parse = parse_note(body)
    return bool(parse.items) and not parse.leftovers


def split_notes(text: str) -> tuple[str, list[str]]:
    """Remove the note groups ``（…）`` from a measure's text; return text and notes."""
    notes: list[str] = []
    pieces: list[str] = []
    last = 0
    for start, end in note_groups(text):
        tail = text[end : end + 8].strip() if len(text) - end <= 8 else "…"
        at_end = tail in ("", "。", "；") and (start == 0 or text[start - 1] in "。；！？")
        if is_note_body(text[start + 1 : end - 1], at_end=at_end):
            pieces.append(text[last:start])
            notes.append(text[start:end])
            last = end
    pieces.append(text[last:])
    rest = "".join(pieces).strip()
    # a note without brackets ending the paragraph: …。A、B牵头；C配合 / …。牵头单位：A
    sentence = split_top(rest.rstrip("。；"), "。！？")[-1].strip()
    deadline = TRAILING_DEADLINE.search(sentence)  # a deadline column run on: …落实2026年底前
    if deadline and deadline.start() > 0 and _BARE_ROLE_END.search(sentence[: deadline.start()]):
        rest, sentence = (
            rest[: rest.rfind(sentence) + deadline.start()],
            sentence[: deadline.start()],
        )
    start = bare_note_start(sentence) if sentence else -1
    if start >= 0 and (start > 0 or sentence != rest.rstrip("。；")):
        bare = sentence[start:]
        notes.append(bare)
        rest = rest[: rest.rfind(bare)].strip()
    return rest, notes


def note_groups(text: str) -> list[tuple[int, int]]:
    """The outermost （…）, 〔…〕 and 【…】 groups of ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for opener, closer in zip(NOTE_OPENERS, NOTE_CLOSERS, strict=True):
        if opener in text:
            spans += groups(text, opener, closer)
    spans.sort()
    outer: list[tuple[int, int]] = []
    for span in spans:
        if not outer or span[0] >= outer[-1][1]:
            outer.append(span)
    return outer


_LABEL_ANYWHERE = re.compile(rf"[【\[]?(?:{_FULL_LABEL_ALT})(?:[】\]][:：]?|[:：])")


def bare_note_start(sentence: str) -> int:
    """Where a note without brackets starts in the last sentence of a paragraph, or -1:
    0 for a sentence that is a note (A、B牵头；C配合), the index of its first label for
    a labelled note run on after the text (…经验牵头单位：A责任单位：B)."""
    if is_bare_note(sentence):
        return 0
    m = _LABEL_ANYWHERE.search(sentence)
    if m and m.start() > 0 and is_bare_note(sentence[m.start() :]):
        return m.start()
    return -1


def is_bare_note(text: str) -> bool:
    """A note written without brackets, as in a flattened table or a line of its own:
    ``A、B牵头；C、D配合；各州（市）党委和政府落实`` or ``牵头单位：A责任单位：B``."""
    text = text.strip().rstrip("。；")
    if not text or len(text) > 200 or "。" in text:
        return False
    labelled = NOTE_LINE_RE.match(text) is not None
    if not labelled and not _BARE_ROLE_END.search(text):
        return False
    parse = parse_note(text)
    if parse.leftovers or not parse.items:
        return False
    if any(_NOT_A_NAME.search(item.name) for item in parse.items):
        return False
    return labelled or any(not item.generic for item in parse.items)


def _first_in_each(notes: list[NoteParse], roles: dict[str, Role]) -> list[str]:
    """The first unit each note lists (a measure with two notes has two lists)."""
    leads: list[str] = []
    for note in notes:
        named = [i.name for i in note.items if not i.generic and roles.get(i.name) is Role.RESP]
        if named and named[0] not in leads:
            leads.append(named[0])
    return leads


def resolve(notes: list[NoteParse], *, first_listed_leads: bool) -> Resolution:
    """Decide units, lead units and warnings of one measure from its notes."""
    roles: dict[str, Role] = {}
    aliases: dict[str, str] = {}
    generic: list[str] = []
    warnings: list[str] = []
    # divisions (责任处室) are the units only where no note names a unit otherwise
    divisions_only = not any(not i.division and not i.generic for note in notes for i in note.items)
    for note in notes:
        for item in note.items:
            if item.division and not divisions_only:
                continue
            if item.generic:
                if item.name not in generic:
                    generic.append(item.name)
                continue
            role = item.role
            if role is Role.JOINT and note.joint_by_collective and first_listed_leads:
                role = Role.RESP
            roles[item.name] = max(role, roles.get(item.name, role))
            if item.alias and item.name not in aliases:
                aliases[item.name] = item.alias
        warnings.extend(f"无法识别的责任单位：{left}" for left in note.leftovers)
    if sum(1 for note in notes if note.items) > 1:
        warnings.append("条目含多个责任单位注释，已合并")
    units = list(roles)
    leads = [u for u in units if roles[u] is Role.LEAD]
    basis = "marked"
    if not leads:
        leads, basis = [u for u in units if roles[u] is Role.JOINT], "joint"
    if not leads:
        resp = [u for u in units if roles[u] is Role.RESP]
        if len(resp) == 1:
            leads, basis = resp[:1], "single"
        elif resp and first_listed_leads:  # the first listed in each note leads
            leads, basis = _first_in_each(notes, roles), "rule"
        elif resp:
            leads, basis = resp[:1], "guess"
            warnings.append("牵头单位不明确，按排第一位处理")
    if not units:
        basis = "none"
        warnings.append("仅有泛指单位，未找到具体责任单位" if generic else "未找到责任单位")
    elif not leads:
        basis = "none"
        warnings.append("未写明牵头单位")
    # joint: the note names no lead and says 按职责分工负责 / 分别负责, so every named unit
    # leads; two units marked 牵头 are two leads, not a joint responsibility
    joint = basis == "joint" and len(leads) > 1
    return Resolution(units, aliases, leads, joint, generic, warnings, basis)
