"""Local units of the office and the mapping from provincial units to them.

A provincial notice names provincial departments (省科技厅, 人行浙江省分行 …); the office
needs its own departments (县科技局, 人行县支行 …) on every task. This module holds

- a sensible default department list for a Zhejiang county (县级) and city (市级), which
  the office then edits;
- ``propose_mapping``: for one provincial unit, the local unit it most likely falls to,
  with where the proposal came from and a Chinese note saying why.

The proposal is tried in this order:

1. the office's own exceptions (``exceptions``: provincial name → local full name);
2. the built-in exception table ``DEFAULT_EXCEPTIONS`` for the level, which covers the
   units whose local counterpart is not named after them (省体育局 → 县文化广电旅游体育局,
   浙江证监局 → 县委金融办, 省能源局 → 县发改局 …);
3. naming rules: drop the provincial prefix (省 / 浙江 / 浙江省 / 中共浙江省委 …), turn the
   provincial form into the local forms (厅 → 局, 发展改革委 → 发改局/发改委,
   人社保厅 → 人力社保局 …) and look for a local unit of that name; then a conservative
   "contains the stem" match of at least two characters, flagged for checking.

A proposal always names one of the given local units, or none: an exception whose
target is not in the office's list falls through to the next step, and the note says so.
Pure standard library: the services store the result, the UI shows the notes.

Longer than 500 lines: about half of it is data — the default department lists of a county,
a city and a province, the built-in exceptions and synonyms — kept beside the rules that read them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "DEFAULT_EXCEPTIONS",
    "EXCEPTION_NOTES",
    "LocalUnitSpec",
    "MappingProposal",
    "default_local_units",
    "is_generic_collective",
    "level_prefix",
    "map_units",
    "propose_mapping",
]

SOURCE_USER = "user"
SOURCE_DEFAULT = "default"
SOURCE_RULE = "rule"
SOURCE_NONE = "none"

NOTE_UNMAPPED = "未找到对应的本级单位，请手动指定"
NOTE_GENERIC = "泛指单位，不对应具体的本级单位"

_LEVEL_PREFIXES: dict[str, str] = {"县级": "县", "市级": "市", "省级": "省"}
# The characters a local unit name may start with: a county-level city names its
# departments 市X局 and a district 区X局 even though the office is 县级.
_LEVEL_CHARS = "县市区省"


@dataclass(frozen=True)
class LocalUnitSpec:
    """A department of the office's locality: full name (县发改局) and short name (发改局)."""

    name: str
    short_name: str


@dataclass(frozen=True)
class MappingProposal:
    """The proposed local unit for one provincial unit, and why.

    ``source`` is ``user`` (the office's own exception), ``default`` (the built-in
    exception table), ``rule`` (naming rules) or ``none`` (nothing found, ``local`` None).
    """

    provincial: str
    local: str | None
    source: str
    note: str


def level_prefix(level: str) -> str:
    """The one-character prefix of unit names at a level: 县级 → 县, 市级 → 市, 省级 → 省."""
    try:
        return _LEVEL_PREFIXES[level]
    except KeyError:
        raise ValueError(f"未知的行政层级：“{level}”，应为县级、市级或省级") from None


# --------------------------------------------------------------------------- default lists

# (stem, short name) in the order a county office usually lists its departments; the
# full name is prefix + stem. The short name is what a crowded ledger column shows; an
# empty one means the full name is already short (县委办).
_COUNTY_UNITS: tuple[tuple[str, str], ...] = (
    ("委办", ""),
    ("政府办", "政府办"),
    ("委组织部", "组织部"),
    ("委宣传部", "宣传部"),
    # Zhejiang's 2024 reform set up a party finance office at county level too.
    ("委金融办", "金融办"),
    ("发改局", "发改局"),
    ("经信局", "经信局"),
    ("教育局", "教育局"),
    ("科技局", "科技局"),
    ("公安局", "公安局"),
    ("民政局", "民政局"),
    ("司法局", "司法局"),
    ("财政局", "财政局"),
    ("人力社保局", "人力社保局"),
    ("自然资源和规划局", "自然资源规划局"),
    # County environment bureaus are branches of the city bureau since the vertical reform.
    ("生态环境分局", "生态环境分局"),
    ("住建局", "住建局"),
    ("交通运输局", "交通运输局"),
    ("水利局", "水利局"),
    ("农业农村局", "农业农村局"),
    ("商务局", "商务局"),
    # Culture, radio and TV, tourism and sport are one bureau in a Zhejiang county.
    ("文化广电旅游体育局", "文广旅体局"),
    ("卫生健康局", "卫生健康局"),
    ("退役军人事务局", "退役军人事务局"),
    ("应急管理局", "应急管理局"),
    ("审计局", "审计局"),
    ("市场监管局", "市场监管局"),
    ("统计局", "统计局"),
    ("医保分局", "医保分局"),
    ("数据局", "数据局"),
    ("综合行政执法局", "综合执法局"),
    ("投资促进中心", "投促中心"),
    ("税务局", "税务局"),
    ("金融监管支局", "金融监管支局"),
    ("总工会", "总工会"),
    ("妇联", "妇联"),
    ("科协", "科协"),
)

_CITY_UNITS: tuple[tuple[str, str], ...] = (
    ("委办", ""),
    ("政府办", "政府办"),
    ("委组织部", "组织部"),
    ("委宣传部", "宣传部"),
    ("委金融办", "金融办"),
    ("发改委", "发改委"),
    ("经信局", "经信局"),
    ("教育局", "教育局"),
    ("科技局", "科技局"),
    ("公安局", "公安局"),
    ("民政局", "民政局"),
    ("司法局", "司法局"),
    ("财政局", "财政局"),
    ("人力社保局", "人力社保局"),
    ("自然资源和规划局", "自然资源规划局"),
    ("生态环境局", "生态环境局"),
    ("住建局", "住建局"),
    ("交通运输局", "交通运输局"),
    ("水利局", "水利局"),
    ("农业农村局", "农业农村局"),
    ("商务局", "商务局"),
    ("文化广电旅游局", "文广旅局"),
    # A city keeps a separate sports bureau, unlike a county.
    ("体育局", "体育局"),
    ("卫生健康委", "卫生健康委"),
    ("退役军人事务局", "退役军人事务局"),
    ("应急管理局", "应急管理局"),
    ("审计局", "审计局"),
    ("国资委", "国资委"),
    ("市场监管局", "市场监管局"),
    ("统计局", "统计局"),
    ("医保局", "医保局"),
    ("数据局", "数据局"),
    ("综合行政执法局", "综合执法局"),
    ("投资促进局", "投促局"),
    ("税务局", "税务局"),
    ("邮政管理局", "邮政管理局"),
    ("金融监管分局", "金融监管分局"),
    ("总工会", "总工会"),
    ("妇联", "妇联"),
    ("科协", "科协"),
)

# A provincial office's "local" units are the provincial departments themselves, named as
# the notices name them; the mapping is then mostly the identity.
_PROVINCE_UNITS: tuple[tuple[str, str], ...] = (
    ("省委办公厅", "省委办公厅"),
    ("省政府办公厅", "省政府办公厅"),
    ("省委组织部", "省委组织部"),
    ("省委宣传部", "省委宣传部"),
    ("省委金融办", "省委金融办"),
    ("省发展改革委", "省发展改革委"),
    ("省经信厅", "省经信厅"),
    ("省教育厅", "省教育厅"),
    ("省科技厅", "省科技厅"),
    ("省民政厅", "省民政厅"),
    ("省司法厅", "省司法厅"),
    ("省财政厅", "省财政厅"),
    ("省人力社保厅", "省人力社保厅"),
    ("省自然资源厅", "省自然资源厅"),
    ("省生态环境厅", "省生态环境厅"),
    ("省建设厅", "省建设厅"),
    ("省交通运输厅", "省交通运输厅"),
    ("省农业农村厅", "省农业农村厅"),
    ("省商务厅", "省商务厅"),
    ("省文化广电和旅游厅", "省文化广电和旅游厅"),
    ("省卫生健康委", "省卫生健康委"),
    ("省应急管理厅", "省应急管理厅"),
    ("省市场监管局", "省市场监管局"),
    ("省体育局", "省体育局"),
    ("省统计局", "省统计局"),
    ("省医保局", "省医保局"),
    ("省数据局", "省数据局"),
    ("省海洋经济厅", "省海洋经济厅"),
    ("省能源局", "省能源局"),
    ("省邮政管理局", "省邮政管理局"),
    ("省税务局", "省税务局"),
    ("人行浙江省分行", "人行浙江省分行"),
    ("浙江金融监管局", "浙江金融监管局"),
    ("浙江证监局", "浙江证监局"),
    ("省总工会", "省总工会"),
)


def default_local_units(level: str, *, prefix: str | None = None) -> list[LocalUnitSpec]:
    """A realistic department list for a Zhejiang county (县级) or city (市级).

    ``prefix`` replaces the level's own prefix in the names, for a district (区) or a
    county-level city (市) whose departments are called 区发改局 / 市发改局. Official names
    vary from place to place; the office edits the list.
    """
    own = level_prefix(level)
    if own == "省":
        return [LocalUnitSpec(name, short) for name, short in _PROVINCE_UNITS]
    p = prefix or own
    table = _COUNTY_UNITS if own == "县" else _CITY_UNITS
    units = [LocalUnitSpec(f"{p}{stem}", short or f"{p}{stem}") for stem, short in table]
    # The central bank's local office: a 支行 under a county, a 分行 in a city. It goes
    # after the party and government offices, where such lists usually put it.
    bank = f"人行{p}支行" if own == "县" else f"人行{p}分行"
    at = next(i for i, u in enumerate(units) if u.name.endswith("税务局"))
    units.insert(at + 1, LocalUnitSpec(bank, "人行"))
    return units


# --------------------------------------------------------------------------- exceptions

# Per level prefix: provincial name → local unit, as a stem (prefix + stem is the full
# name) or as a full name (人行县支行). Only the units the naming rules cannot find, or
# would find wrongly, need an entry; a few obvious ones are listed anyway so that the
# office sees them as "default" entries it may edit.
DEFAULT_EXCEPTIONS: dict[str, dict[str, str]] = {
    "县": {
        "省发展改革委": "发改局",
        "省人社保厅": "人力社保局",
        "省人社厅": "人力社保局",
        "省卫生健康委": "卫生健康局",
        "省建设厅": "住建局",
        "省自然资源厅": "自然资源和规划局",
        "省生态环境厅": "生态环境分局",
        "省文化广电和旅游厅": "文化广电旅游体育局",
        "省体育局": "文化广电旅游体育局",
        "省文物局": "文化广电旅游体育局",
        "人行浙江省分行": "人行县支行",
        "浙江金融监管局": "金融监管支局",
        "浙江证监局": "委金融办",
        "省海洋经济厅": "发改局",
        "省邮政管理局": "交通运输局",
        "省能源局": "发改局",
        "省粮食和物资储备局": "发改局",
        "省版权局": "委宣传部",
        "省新闻出版局": "委宣传部",
        "省电影局": "委宣传部",
        "省知识产权局": "市场监管局",
        "省药监局": "市场监管局",
        "省医保局": "医保分局",
        "省林业局": "自然资源和规划局",
        "省乡村振兴局": "农业农村局",
        "省国资委": "财政局",
        "省政府办公厅": "政府办",
        "省委办公厅": "委办",
    },
    "市": {
        "省发展改革委": "发改委",
        "省人社保厅": "人力社保局",
        "省人社厅": "人力社保局",
        "省卫生健康委": "卫生健康委",
        "省建设厅": "住建局",
        "省自然资源厅": "自然资源和规划局",
        "省文化广电和旅游厅": "文化广电旅游局",
        "省文物局": "文化广电旅游局",
        "人行浙江省分行": "人行市分行",
        "浙江金融监管局": "金融监管分局",
        "浙江证监局": "委金融办",
        "省海洋经济厅": "发改委",
        "省能源局": "发改委",
        "省粮食和物资储备局": "发改委",
        "省版权局": "委宣传部",
        "省新闻出版局": "委宣传部",
        "省电影局": "委宣传部",
        "省知识产权局": "市场监管局",
        "省药监局": "市场监管局",
        "省林业局": "自然资源和规划局",
        "省乡村振兴局": "农业农村局",
        "省政府办公厅": "政府办",
        "省委办公厅": "委办",
    },
    "省": {
        "省人社保厅": "省人力社保厅",
        "省人社厅": "省人力社保厅",
        "省版权局": "省委宣传部",
        "省知识产权局": "省市场监管局",
    },
}

# Why a default entry is what it is, shown to the office next to the proposal.
EXCEPTION_NOTES: dict[str, dict[str, str]] = {
    "县": {
        "省卫生健康委": "县级为卫生健康局",
        "省生态环境厅": "县级生态环境机构为设区市生态环境局的分局",
        "省文化广电和旅游厅": "县级文化、广电、旅游、体育合并设置",
        "省体育局": "县级文化、广电、旅游、体育合并设置",
        "省文物局": "县级文物工作由文化广电旅游体育部门承担",
        "人行浙江省分行": "人民银行在县级的机构为县支行",
        "浙江金融监管局": "金融监管总局在县级的派出机构为监管支局",
        "浙江证监局": "证监会不设县级机构，由党委金融办对接",
        "省海洋经济厅": (
            "县级一般不单设海洋经济部门，默认由发改部门承担；设有海洋经济部门的沿海地区请改"
        ),
        "省邮政管理局": "邮政管理不设县级机构，寄递物流工作默认由交通运输部门协调",
        "省能源局": "县级一般不单设能源局，能源工作由发改部门承担",
        "省粮食和物资储备局": "粮食和物资储备工作由发改部门承担",
        "省版权局": "版权工作由党委宣传部门承担",
        "省新闻出版局": "新闻出版工作由党委宣传部门承担",
        "省电影局": "电影工作由党委宣传部门承担",
        "省知识产权局": "知识产权工作由市场监管部门承担",
        "省药监局": "药品监管由市场监管部门承担",
        "省医保局": "县级医保机构多为设区市医保局的分局",
        "省林业局": "林业工作由自然资源和规划部门承担",
        "省乡村振兴局": "乡村振兴工作由农业农村部门承担",
        "省国资委": "县级国资监管一般由财政部门承担",
    },
    "市": {
        "省文物局": "文物工作由文化广电旅游部门承担",
        "人行浙江省分行": "人民银行在设区市的机构为市分行",
        "浙江金融监管局": "金融监管总局在设区市的派出机构为监管分局",
        "浙江证监局": "证监会不设市级机构，由党委金融办对接",
        "省海洋经济厅": "默认由发改部门承担；设有海洋经济发展局的沿海城市请改",
        "省能源局": "能源工作一般由发改部门承担",
        "省粮食和物资储备局": "粮食和物资储备工作由发改部门承担",
        "省版权局": "版权工作由党委宣传部门承担",
        "省新闻出版局": "新闻出版工作由党委宣传部门承担",
        "省电影局": "电影工作由党委宣传部门承担",
        "省知识产权局": "知识产权工作由市场监管部门承担",
        "省药监局": "药品监管由市场监管部门承担",
        "省林业局": "林业工作由自然资源和规划部门承担",
        "省乡村振兴局": "乡村振兴工作由农业农村部门承担",
    },
    "省": {
        "省版权局": "省版权局在省委宣传部挂牌",
        "省知识产权局": "省知识产权局在省市场监管局挂牌",
    },
}

# Provincial stem (prefix removed) → local stems to try, most likely first. Only the
# forms the generic 厅 → 局 / 委员会 → 委 rules do not produce need to be here.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "发展改革委": ("发改委", "发改局"),
    "发展和改革委员会": ("发改委", "发改局"),
    "发改委": ("发改委", "发改局"),
    "经济和信息化厅": ("经信局",),
    "经信厅": ("经信局",),
    "科学技术厅": ("科技局",),
    "人力资源和社会保障厅": ("人力社保局", "人社局", "人力社保厅"),
    "人力社保厅": ("人力社保局", "人社局"),
    "人社厅": ("人力社保局", "人社局", "人力社保厅"),
    "人社保厅": ("人力社保局", "人社局", "人力社保厅"),
    "卫生健康委": ("卫生健康局", "卫生健康委", "卫健局", "卫健委"),
    "卫生健康委员会": ("卫生健康局", "卫生健康委", "卫健局", "卫健委"),
    "市场监督管理局": ("市场监管局",),
    "自然资源厅": ("自然资源和规划局", "自然资源局"),
    "生态环境厅": ("生态环境局", "生态环境分局"),
    "住房和城乡建设厅": ("住建局", "住房和城乡建设局", "建设局"),
    "建设厅": ("住建局", "住房和城乡建设局", "建设局"),
    "文化广电和旅游厅": ("文化广电旅游局", "文化广电旅游体育局", "文广旅局", "文广旅体局"),
    "医疗保障局": ("医保局", "医保分局"),
    "医保局": ("医保局", "医保分局", "医疗保障局"),
    "政府办公厅": ("政府办", "政府办公室"),
    "委办公厅": ("委办", "委办公室"),
    "大数据发展管理局": ("数据局",),
    "统计局": ("统计局",),
}

# Leading forms of a provincial name, longest first, and what they become; the result
# always starts with 省 so that the exception table needs one key per unit.
_CANONICAL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("国家税务总局浙江省", "省"),
    ("中共浙江省委员会", "省委"),
    ("中共浙江省委", "省委"),
    ("浙江省人民政府", "省政府"),
    ("浙江省委", "省委"),
    ("浙江省", "省"),
    ("省人民政府", "省政府"),
    ("浙江", "省"),
)
_ALIAS_TAIL = re.compile(r"(?:〔[^〔〕]*〕|\[[^\[\]]*\]|【[^【】]*】|（[^（）]*）|\([^()]*\))$")
_UNIT_SUFFIX = re.compile(r"(?:委员会|办公厅|办公室|分局|支局|分行|支行|中心|局|厅|委|办|部|会)$")
_BANK_PREFIXES = ("人行", "中国人民银行", "人民银行")
_ENDS_LIKE_BUREAU = re.compile(r"^(?!委).+(?<!办公)[厅委]$")


def _clean(name: str) -> str:
    """Without spaces and without a trailing alias (省市场监管局〔省知识产权局〕)."""
    name = re.sub(r"\s+", "", name)
    stripped = _ALIAS_TAIL.sub("", name)
    return stripped or name


def _canonical(name: str) -> str:
    """The 省… form of a provincial name, used to look it up in an exception table."""
    name = _clean(name)
    for old, new in _CANONICAL_PREFIXES:
        if name.startswith(old) and len(name) > len(old):
            return new + name[len(old) :]
    return name


def _level_free(name: str) -> str:
    """The name without its level character: 县科技局 → 科技局, 人行县支行 → 人行支行."""
    if len(name) > 2 and name[0] in _LEVEL_CHARS:
        return name[1:]
    if len(name) > 3 and name.startswith("人行") and name[2] in _LEVEL_CHARS:
        return "人行" + name[3:]
    return name


def _keys(name: str) -> set[str]:
    # Both forms: "县市场监管局" must give "市场监管局", yet a bare "市场监管局" typed by
    # the office must not be reduced to "场监管局" only.
    return {name, _level_free(name)}


@dataclass(frozen=True)
class _Unit:
    name: str
    keys: frozenset[str]


def _units(local_units: Sequence[str | LocalUnitSpec]) -> list[_Unit]:
    units: list[_Unit] = []
    for item in local_units:
        if isinstance(item, LocalUnitSpec):
            keys = _keys(item.name) | ({item.short_name} if item.short_name else set())
            units.append(_Unit(item.name, frozenset(keys)))
        else:
            units.append(_Unit(item, frozenset(_keys(item))))
    return units


def _resolve_target(target: str, units: list[_Unit], prefix: str) -> str | None:
    """The local unit an exception's target names: full name, prefix + stem, or same stem."""
    target = _clean(target)
    for unit in units:
        if unit.name == target:
            return unit.name
    for unit in units:
        if unit.name == prefix + target:
            return unit.name
    wanted = _keys(target)
    for unit in units:
        if unit.keys & wanted:
            return unit.name
    return None


def _lookup(table: Mapping[str, str], provincial: str) -> str | None:
    if provincial in table:
        return table[provincial]
    wanted = _canonical(provincial)
    for key, value in table.items():
        if _canonical(key) == wanted:
            return value
    return None


def _candidates(stem: str) -> list[str]:
    """Local stems a provincial stem may appear as, most likely first."""
    found: list[str] = list(_SYNONYMS.get(stem, ()))
    found.append(stem)
    if stem.endswith("委员会"):
        found += [stem[:-3] + "委", stem[:-3] + "局"]
    elif _ENDS_LIKE_BUREAU.search(stem):
        # 商务厅 → 商务局, 民宗委 → 民宗局; not 办公厅 (→ 办) and not 委宣传部-like stems.
        found.append(stem[:-1] + "局")
    # 文化广电和旅游局 is often written without 和.
    found += [c.replace("和", "") for c in found if "和" in c]
    return list(dict.fromkeys(found))


def _core(stem: str) -> str:
    return _UNIT_SUFFIX.sub("", stem).replace("和", "")


def _by_rules(provincial: str, units: list[_Unit]) -> tuple[str, str] | None:
    """(local unit, note) from the naming rules, or None."""
    cleaned = _clean(provincial)
    for unit in units:
        if unit.name in (provincial, cleaned):
            return unit.name, f"与本级单位同名：{unit.name}"
    canonical = _canonical(provincial)
    if canonical.startswith(_BANK_PREFIXES) or cleaned.startswith(_BANK_PREFIXES):
        # 人行浙江省分行 → whatever the office calls its central-bank office.
        for unit in units:
            if unit.name.startswith(_BANK_PREFIXES):
                return unit.name, f"按命名规则：{cleaned} → {unit.name}"
        return None
    stem = canonical[1:] if canonical.startswith("省") and len(canonical) > 1 else canonical
    candidates = _candidates(stem)
    for candidate in candidates:
        for unit in units:
            if candidate in unit.keys:
                return unit.name, f"按命名规则：{cleaned} → {unit.name}"
    # Conservative fuzzy step: the core of a local name (without level and 局/厅/委…
    # ending) begins or ends with the stem's core of two characters or more. Two
    # characters, so that one shared character never makes a match; at a word edge, so
    # that 人事 does not find 退役军人事务局 while 体育 finds 文化广电旅游体育局.
    # The shortest such name is the closest.
    best: _Unit | None = None
    for candidate in candidates:
        core = _core(candidate)
        if len(core) < 2:
            continue
        for unit in units:
            local = _core(_level_free(unit.name))
            if (local.startswith(core) or local.endswith(core)) and (
                best is None or len(unit.name) < len(best.name)
            ):
                best = unit
        if best is not None:
            return best.name, f"按名称相近匹配：{cleaned} → {best.name}，请核对"
    return None


# The same collectives the notice parser sets apart (desktop.core.notice.unit_notes); kept
# here rather than imported so that this module does not load the whole parser.
_GENERIC = re.compile(
    r"^(?:各|全省|全市|全县|全区|所有)|有关|相关|其他|其它|各级|各部门|各单位"
    r"|^(?:设区市|县（市、区）|市、县（市、区）|县（市）|区、县（市）|区县|乡镇（街道）|乡镇|街道)"
    r"(?:人民)?(?:政府|党委|部门)?$"
)


def is_generic_collective(name: str) -> bool:
    """A collective (各设区市政府, 省有关部门, 各县（市、区）政府 …), never mapped to one unit."""
    name = re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")
    return bool(name) and _GENERIC.search(name) is not None


def propose_mapping(
    provincial: str,
    local_units: Sequence[str | LocalUnitSpec],
    level: str,
    exceptions: Mapping[str, str] | None = None,
) -> MappingProposal:
    """Propose the local unit for one provincial unit; see the module docstring for the order.

    ``local_units`` are the office's units (names, or specs whose short names also count);
    ``exceptions`` are the office's own entries, provincial name → local full name.
    """
    prefix = level_prefix(level)
    if is_generic_collective(provincial):
        return MappingProposal(provincial, None, SOURCE_NONE, NOTE_GENERIC)
    units = _units(local_units)
    fallbacks: list[str] = []

    if exceptions:
        target = _lookup(exceptions, provincial)
        if target is not None:
            found = _resolve_target(target, units, prefix)
            if found is not None:
                note = f"按本单位设定：{_clean(provincial)} → {found}"
                return MappingProposal(provincial, found, SOURCE_USER, note)
            fallbacks.append(f"设定的“{target}”不在本级单位名单中")

    table = DEFAULT_EXCEPTIONS.get(prefix, {})
    target = _lookup(table, provincial)
    if target is not None:
        found = _resolve_target(target, units, prefix)
        if found is not None:
            why = _lookup(EXCEPTION_NOTES.get(prefix, {}), provincial)
            note = f"按默认对照：{_clean(provincial)} → {found}"
            note = f"{note}（{why}）" if why else note
            return MappingProposal(provincial, found, SOURCE_DEFAULT, _after(fallbacks, note))
        shown = target if target.startswith((*_BANK_PREFIXES, prefix)) else prefix + target
        fallbacks.append(f"默认对照的“{shown}”不在本级单位名单中")

    ruled = _by_rules(provincial, units)
    if ruled is not None:
        local, note = ruled
        return MappingProposal(provincial, local, SOURCE_RULE, _after(fallbacks, note))
    return MappingProposal(provincial, None, SOURCE_NONE, _after(fallbacks, NOTE_UNMAPPED))


def _after(fallbacks: list[str], note: str) -> str:
    """The note, preceded by the exceptions that were skipped on the way to it."""
    return "；".join([*fallbacks, note])


def map_units(
    provincial: Sequence[str],
    local_units: Sequence[str | LocalUnitSpec],
    level: str,
    exceptions: Mapping[str, str] | None = None,
) -> list[MappingProposal]:
    """Proposals for the distinct, named provincial units, in first-seen order.

    Generic collectives (各设区市政府 …) are left out: they fall to the whole locality,
    not to one department. A unit named twice gets one proposal.
    """
    seen: set[str] = set()
    proposals: list[MappingProposal] = []
    for name in provincial:
        key = _clean(name)
        if not key or key in seen or is_generic_collective(key):
            continue
        seen.add(key)
        proposals.append(propose_mapping(name, local_units, level, exceptions))
    return proposals
