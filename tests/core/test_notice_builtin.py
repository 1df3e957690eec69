"""The built-in notice 浙政发〔2026〕16号 parses exactly as the acceptance gold says.

The expected values live in ``tests/fixtures/notices/zjzf-2026-16.expected.json``, inside
the repository, so these tests run in any clone. How long parsing takes is measured by
``benchmarks/bench_notice.py``.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.core.notice import ParsedNotice, parse_notice_file, parse_notice_text

ROOT = Path(__file__).resolve().parents[2]
NOTICE = ROOT / "resources" / "notices" / "zjzf-2026-16.txt"
GOLD_COPY = ROOT / "tests" / "fixtures" / "notices" / "zjzf-2026-16.expected.json"
GOLD: dict[str, Any] = json.loads(GOLD_COPY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def notice() -> ParsedNotice:
    return parse_notice_file(NOTICE)


def _gold_code(g: dict[str, Any]) -> str:
    parts = [g["part"]]
    if g["section"]:
        parts.append(g["section"].replace("(", "（").replace(")", "）"))
    if g["item"]:
        parts.append(g["item"])
    return ".".join(parts)


def test_metadata(notice: ParsedNotice) -> None:
    assert notice.doc_number == GOLD["doc_number"] == "浙政发〔2026〕16号"
    assert notice.title == "浙江省人民政府关于推进服务业扩能提质的实施意见"
    assert notice.issuer == GOLD["issuer"]
    assert notice.issued_on == date.fromisoformat(GOLD["issued_on"])  # signature, not 印发
    assert notice.effective_on == date.fromisoformat(GOLD["effective_on"])
    assert notice.lead_rule == "除特别注明外，排第一位的为牵头单位"
    assert notice.generic_for_all == GOLD["generic_for_all"]


def test_measures_units_and_leads(notice: ParsedNotice) -> None:
    assert len(notice.measures) == len(GOLD["measures"]) == 38
    got = [(m.code, m.units, m.lead_units, m.joint) for m in notice.measures]
    want = [(_gold_code(g), g["units"], g["lead_units"], g["joint"]) for g in GOLD["measures"]]
    assert got == want


def test_measure_numbers_and_titles(notice: ParsedNotice) -> None:
    for measure, g in zip(notice.measures, GOLD["measures"], strict=True):
        assert measure.title.startswith(g["title"]), (measure.code, measure.title)
        assert measure.number == (
            g["item"] or (g["section"] or g["part"]).replace("(", "（").replace(")", "）")
        )
    assert notice.measures[0].title == "研发设计方面"
    assert notice.measures[10].title == "银行、证券、保险、期货方面"


def test_heading_measures(notice: ParsedNotice) -> None:
    headings = [m for m in notice.measures if m.is_heading]
    assert [m.code for m in headings] == ["三.（一）", "三.（二）", "三.（三）", "三.（四）", "四"]
    assert [m.section_code for m in headings] == ["三", "三", "三", "三", "四"]
    assert headings[1].title == "打响“浙江服务”品牌"
    assert headings[4].text.startswith("优化服务业财政金融支持政策")
    codes = [s.code for s in notice.sections]
    assert "四" in codes and "三.（一）" not in codes
    assert all(m.section_code in codes for m in notice.measures)


def test_sections(notice: ParsedNotice) -> None:
    got = [(s.code, s.level, s.parent_code) for s in notice.sections]
    assert got[:3] == [("一", 1, None), ("一.（一）", 2, "一"), ("一.（二）", 2, "一")]
    assert [s.code for s in notice.sections if s.level == 1] == ["一", "二", "三", "四"]
    assert len(notice.sections) == 4 + 6 + 4
    assert notice.sections[0].title == "分领域提升生产性服务业专业能力"


def test_generic_collective_never_a_named_unit(notice: ParsedNotice) -> None:
    for measure in notice.measures:
        assert measure.generic == ["各设区市政府"], measure.code
        assert "各设区市政府" not in measure.units


def test_aliases_stripped_and_kept(notice: ParsedNotice) -> None:
    by_code = {m.code: m for m in notice.measures}
    assert by_code["一.（一）.5"].aliases == {"省市场监管局": "省知识产权局"}  # [] brackets
    assert by_code["一.（四）.12"].aliases == {"省市场监管局": "省知识产权局"}  # 〔〕 brackets
    assert all("知识产权局" not in u for m in notice.measures for u in m.units)


def test_page_breaks_joined_and_notes_removed(notice: ParsedNotice) -> None:
    text = "".join(m.text for m in notice.measures)
    for joined in (
        "重大科学基础设施、科学数据",
        "人工智能算力券",
        "推动期货机构更好发挥",
        "碳交易等服务机构",
        "集成改革试点",
        "支持检验检测机构开展新兴领域",
        "限制性措施",
    ):
        assert joined in text
    assert "责任单位" not in text and "牵头单位" not in text
    assert all("\n" not in m.text for m in notice.measures)
    assert notice.measures[0].text.startswith("有序推动大型科研仪器")
    assert notice.measures[0].note.startswith("（责任单位：省科技厅、省经信厅，各设区市政府。")


def test_closing_paragraphs_not_in_last_measure(notice: ParsedNotice) -> None:
    last = notice.measures[-1]
    assert last.text.endswith("支持一人公司（OPC）等创新创业。")
    for closing in ("各地各部门要强化", "施行", "抄送", "印发", "浙江省人民政府", "此件公开发布"):
        assert all(closing not in m.text for m in notice.measures), closing


def test_headline_targets(notice: ParsedNotice) -> None:
    got = [(t.year, t.subject, t.value, t.unit, t.qualifier) for t in notice.targets]
    assert got == [
        (2030, "服务业增加值", Decimal("7"), "万亿元", "突破"),
        (2030, "服务业增加值占GDP比重", Decimal("60"), "%", "左右"),
        (2030, "生产性服务业占服务业比重", Decimal("55"), "%", "左右"),
    ]
    assert all(isinstance(t.value, Decimal) for t in notice.targets)


def test_measure_targets_and_no_false_positives(notice: ParsedNotice) -> None:
    got = {
        m.code: [(t.subject, t.value, t.unit, t.qualifier) for t in m.targets]
        for m in notice.measures
    }
    with_targets = {code: targets for code, targets in got.items() if targets}
    assert with_targets == {
        "一.（一）.1": [("科技服务业创新发展集聚区", Decimal("10"), "个", None)],
        "一.（五）.14": [("省级零碳园区", Decimal("20"), "个", "左右")],
    }
    everything = [(t.year, t.subject, str(t.value), t.unit) for t in notice.targets]
    everything += [
        (t.year, t.subject, str(t.value), t.unit) for m in notice.measures for t in m.targets
    ]
    gold = [tuple(row) for row in GOLD["quantitative_targets"]]
    assert [(str(y) if y else None, s, v, u) for y, s, v, u in everything] == gold


def test_warnings(notice: ParsedNotice) -> None:
    assert all(m.warnings == [] for m in notice.measures)
    # the notice itself writes 省人社保厅 in two notes and 省人社厅 in another: say so
    assert notice.warnings == ["单位名称可能不一致：省人社保厅／省人社厅"]


def test_json_dict_follows_contract(notice: ParsedNotice) -> None:
    d = notice.to_json_dict()
    json.dumps(d, ensure_ascii=False)
    assert {"doc_number", "title", "issuer", "issued_on", "sections", "measures", "targets"} <= set(
        d
    )
    assert d["issued_on"] == "2026-05-30" and d["effective_on"] == "2026-07-15"
    assert d["sections"][0] == {
        "code": "一",
        "number": "一",
        "title": "分领域提升生产性服务业专业能力",
        "level": 1,
        "parent_code": None,
    }
    first = d["measures"][0]
    contract = {
        "code",
        "number",
        "title",
        "text",
        "units",
        "lead_units",
        "joint",
        "generic",
        "targets",
    }
    assert contract <= set(first)
    assert first["code"] == "一.（一）.1" and first["number"] == "1"
    target = first["targets"][0]
    assert target["value"] == 10 and type(target["value"]) is int
    assert {"subject", "value", "unit", "qualifier"} <= set(target)
    assert d["targets"][0] == {
        "year": 2030,
        "subject": "服务业增加值",
        "value": 7,
        "unit": "万亿元",
        "qualifier": "突破",
        "phrase": "力争到2030年全省服务业增加值突破7万亿元",
    }


def _essence(notice: ParsedNotice) -> list[tuple[Any, ...]]:
    return [
        (
            m.code,
            m.title,
            m.text.replace("\n", ""),
            m.units,
            m.lead_units,
            m.joint,
            m.generic,
            m.targets,
        )
        for m in notice.measures
    ]


def _wrap(text: str, width: int) -> str:
    return "\n".join(
        "\n".join(textwrap.wrap(line, width)) if line.strip() else "" for line in text.split("\n")
    )


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(
            lambda t: "\n".join(line for line in t.split("\n") if line.strip()), id="no-blank-lines"
        ),
        pytest.param(lambda t: t.translate(str.maketrans("（），：；", "(),:;")), id="half-width"),
        pytest.param(lambda t: t.translate(str.maketrans("(),:;", "（），：；")), id="full-width"),
        pytest.param(
            lambda t: re.sub(r"^#+\s*", "", t, flags=re.M).replace("**", ""), id="no-markdown"
        ),
        pytest.param(lambda t: _wrap(t, 28), id="hard-wrapped-28"),
        pytest.param(lambda t: _wrap(t, 40), id="hard-wrapped-40"),
        pytest.param(lambda t: t.replace("\n\n", "\n\n- 7 -\n\f\n"), id="page-numbers"),
    ],
)
def test_reformatted_notice_parses_the_same(notice: ParsedNotice, variant: Any) -> None:
    source = NOTICE.read_text(encoding="utf-8")
    other = parse_notice_text(variant(source))
    assert _essence(other) == _essence(notice)
    assert (other.doc_number, other.title, other.issued_on) == (
        notice.doc_number,
        notice.title,
        notice.issued_on,
    )
    assert other.targets == notice.targets
