"""Names that are certainly responsible units, for text where nothing says units follow.

Inside a note, the brackets or the label (责任单位：) already say that units follow, and
``unit_notes.looks_like_unit`` accepts any short word with a unit-like ending. In the text
of a task table whose cells are set apart only by single spaces or line breaks nothing
says where the task ends and the units begin; there a name must be more certainly a unit:

- it ends like one: 厅 局 委 办 院 中心 政府 集团 公司 海关 分行 管委会 工商联 …, but not
  格局 / 布局 / 平台 / 博览会 / 总部 / 上市公司, which end sentences as often as names;
- it starts like one: 省 市 县 区 国家 中共 人民银行 各 …, a province (山东高速集团,
  四川金融监管局) or a place (郑州市政府, 渝中区政府) — or it is a short department name
  (工信厅, 发改委);
- it does not start with a verb (推进, 建设 …) and is not a 省级…/国家级… object of one
  (省级技术创新中心);
- collectives (各市人民政府, 省有关部门, 各县（市、区）) end like a body or a place.

``glued`` tells a name that is two units run together (省发展改革委省有关部门: a cell
boundary lost) from one long name (国家金融监督管理总局山东监管局).
"""

from __future__ import annotations

import re
from functools import lru_cache

from desktop.core.notice.brackets import opening_of_final, split_top
from desktop.core.notice.unit_notes import COLLECTIVE_END, is_generic, place_only, shared_suffix

_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南"
    "|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆|兵团"
)
# how a full name starts: a level (省, 市, 县, 自治区 …), a province or a place, a
# national body (国家, 人民银行 …), or a collective (各 …)
_STRONG_START = re.compile(
    r"^(?:省|市|县|自治区|自治州|国家|国务院|中央|中共|共青团|团(?:省|市|县|区)委"
    rf"|人民银行|人行|中国|国网|国铁|各|全省|全市|全县|全区|{_PROVINCES})"
    r"|^(?:(?![行局厅委办部院会司处室])[\u4e00-\u9fff]){1,6}?"
    r"(?:省|(?<![城超都门上])市(?!场)|州|县|(?<![社园景街小辖乡镇])区)"
)
_PREFIX = re.compile(
    r"^(?:省|市|县|区|州|盟|旗|镇|乡|街道|自治区|自治州|国家|国务院|中央|中共|共青团|团(?:省|市|县|区)委"
    rf"|人民银行|人行|中国|国网|国铁|各|全省|全市|全县|全区|{_PROVINCES})"
    # a place: 郑州市政府, 渝中区政府 (a place's name holds no 行/局/厅 …: 民银行山东省分行 is
    # the end of a name cut by a line break)
    r"|^(?:(?![行局厅委办部院会司处室])[\u4e00-\u9fff]){1,6}?"
    r"(?:省|(?<![城超都门上])市(?!场)|州|县|(?<![社园景街小辖])区)"
)
# the level prefixes a unit run on after another one starts with (…改革委省财政厅)
_LEVEL_START = re.compile(r"^(?:省|市|县|区|州|各|自治区|人民银行|国家|中共|全省|全市|全县)")
_SUFFIX = re.compile(
    r"(?:厅|(?<!格|布|大|全|变|开|结|新|当|棋|残|时)局|委|(?<![举创承主协督代开])办|院"
    r"|(?:银|分|支)行|中心|政府|党委|部门|单位|集团|公司|海关|管委会|委员会|机关|署"
    r"|(?:工|协|商|学|联合|促进|贸促|字|金|常委|总)会|(?<![关互串物])联|(?<!合作)社"
    r"|(?<![内外全东西南北中总局干])部|(?:办公|研究|参事)室|(?:总|支|大)队"
    r"|(?:电视|广播电视|气象)台|(?:研究|事务|监测)所|学校|大学|学院|医院|军区|战区|协|专班|指挥部)$"
)
_SHORT_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:厅|局|委|办)$")
# a registered company or a university needs no level before its name
# (盘江煤电集团有限责任公司, 东北林业大学), but a task's object does not count
# (研究型大学, 一流学院, 科技型公司)
_INSTITUTION = re.compile(
    r"^[\u4e00-\u9fff（）]{2,20}(?:有限责任公司|股份有限公司|有限公司|大学|学院)$"
)
_NOT_AN_INSTITUTION = re.compile(r"[型级的类等]|一流|水平|高校|这|各|有关|相关")
_NOT_A_NAME_START = re.compile(
    r"^(?:推进|推动|加快|加强|加大|建设|建立|实施|开展|支持|完善|强化|深化|提升|打造|培育|落实|组织"
    r"|制定|鼓励|引导|促进|优化|扩大|发展|探索|创新|健全|规范|做好|抓好|开发|引进|设立|组建|举办"
    r"|新建|改造|实现|争取|用好|盘活|研究|出台|印发|编制|推广|依托|围绕|聚焦|坚持|持续|着力|积极"
    r"|全面|大力|进一步|统筹|构建|谋划|筹建|创建|申报|争创|承办|协调|对|在|以|按|将|由|为|与|和)"
)
_LEVEL_OBJECT = re.compile(r"^(?:省|市|县|区|国家)级(?!有关|相关|各)")
_ROLE_TAIL = re.compile(
    r"(?:（(?:牵头|配合|参与|协办|负责)）|按(?:照)?职责分工负责|分别负责|共同负责|负责|牵头|配合|参与"
    r"|协助|协同|等(?:单位|部门)?)$"
)
_BARE_PLACE = re.compile(r"各(?:设区)?[市州县区]")
_WORD = re.compile(r"^[\u3400-\u9fffA-Za-z0-9（）〔〕【】\[\]·、]{2,30}$")


def clean_name(item: str) -> str:
    """A unit as a cell lists it, without its role word (牵头, 配合, 等) or bracketed alias."""
    item = item.strip()
    for _ in range(3):
        m = _ROLE_TAIL.search(item)
        if m is None or m.start() == 0:
            break
        item = item[: m.start()]
    start = opening_of_final(item)
    if start > 0 and not item.startswith("各"):
        item = item[:start]
    return item


@lru_cache(maxsize=8192)  # a table names the same units row after row
def is_unit_name(name: str) -> bool:
    """Whether ``name`` is certainly a responsible unit or a collective of units."""
    if not _WORD.match(name) or _NOT_A_NAME_START.match(name):
        return False
    if is_generic(name):
        return COLLECTIVE_END.search(name) is not None
    if _LEVEL_OBJECT.match(name) or not _SUFFIX.search(name):
        return False
    return (
        _PREFIX.match(name) is not None
        or _SHORT_DEPARTMENT.match(name) is not None
        or name.endswith(("海关", "管委会", "管理委员会"))  # 长白山管委会
        or (_INSTITUTION.match(name) is not None and not _NOT_AN_INSTITUTION.search(name))
    )


@lru_cache(maxsize=8192)
def glued(name: str) -> bool:
    """Two units run together without a separator (省发展改革委省有关部门)."""
    for at in range(3, len(name) - 2):
        right = name[at:]
        if _LEVEL_START.match(right) and is_unit_name(name[:at]) and is_unit_name(right):
            return True
    return False


_GROWING = re.compile(r"^[\u3400-\u9fff（）〔〕【】\[\]·]{0,29}$")


def _may_grow(name: str) -> bool:
    """Whether more text after ``name`` may still make a unit of it (省工业和信息化 + 厅),
    not when it is too long, holds a figure or starts with a verb (年度完成投资1万亿元)."""
    return _GROWING.match(name) is not None and not _NOT_A_NAME_START.match(name)


_SEPARATORS = re.compile(r"[、，,；;]")
_BRACKETS = re.compile(r"[（〔【\[“‘《]")


@lru_cache(maxsize=8192)  # the same cells come back row after row
def unit_list(text: str) -> tuple[bool, float, bool]:
    """Read ``text`` as a list of units (a cell of a unit column).

    Returns ``(valid, doubt, may_grow)``: whether every item is a unit; how doubtful the
    reading is (1 for each item that is two units run together, 0.1 for each name that
    does not start like a full name: 旅游厅 or 乡建设厅 may be the end of 省文化和旅游厅
    or 省住房城乡建设厅 cut by a line break); and whether adding text after it may still
    give a list (every item but the last is a unit, and the last may grow into one).
    """
    if _BRACKETS.search(text):
        parts = split_top(text, "、，,；;")
    else:
        parts = _SEPARATORS.split(text)
    merged: list[str] = []
    for part in parts:  # 各市、县（市、区）政府 stays one collective
        if merged and _BARE_PLACE.fullmatch(merged[-1]):
            merged[-1] = f"{merged[-1]}、{part}"
        else:
            merged.append(part)
    merged = shared_suffix(merged)  # 长春市、松原市人民政府
    doubt = 0.0
    for k, part in enumerate(merged):
        name = clean_name(part)
        if not is_unit_name(name):
            # places still waiting for their government suffix (长春市、松原市人 / 民政府)
            places = all(
                place_only(clean_name(p)) and p[-1] in "市县区州盟旗" for p in merged[k:-1]
            )
            return False, 0.0, places and _may_grow(clean_name(merged[-1]))
        doubt += 1.0 if glued(name) else 0.0
        doubt += 0.0 if _STRONG_START.match(name) else 0.1
    return True, doubt, True
