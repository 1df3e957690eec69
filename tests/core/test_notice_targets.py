"""Quantitative targets: what counts as one, and what only looks like a number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.core.notice.targets import find_targets


def _targets(text: str) -> list[tuple[int | None, str, Decimal | None, str, str | None]]:
    return [(t.year, t.subject, t.value, t.unit, t.qualifier) for t in find_targets(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "建设10个科技服务业创新发展集聚区。",
            [(None, "科技服务业创新发展集聚区", Decimal("10"), "个", None)],
        ),
        ("建成20个左右省级零碳园区。", [(None, "省级零碳园区", Decimal("20"), "个", "左右")]),
        ("打造5个以上数字贸易特色园区。", [(None, "数字贸易特色园区", Decimal("5"), "个", "以上")]),
        ("培育专精特新企业100家以上。", [(None, "专精特新企业", Decimal("100"), "家", "以上")]),
        (
            "每年培训家政服务人员10万人次以上。",
            [(None, "家政服务人员", Decimal("10"), "万人次", "以上")],
        ),
        (
            "到2027年建成社区嵌入式养老服务综合体300个。",
            [(2027, "社区嵌入式养老服务综合体", Decimal("300"), "个", None)],
        ),
        (
            "全省社会物流总费用与地区生产总值的比率降至12.5%左右。",
            [(None, "社会物流总费用与地区生产总值的比率", Decimal("12.5"), "%", "左右")],
        ),
        (
            "服务业增加值年均增长6%左右。",
            [(None, "服务业增加值年均增长", Decimal("6"), "%", "左右")],
        ),
        (
            "力争数字经济核心产业增加值达到1.5万亿元。",
            [(None, "数字经济核心产业增加值", Decimal("1.5"), "万亿元", "力争")],
        ),
        (
            "规上服务业企业营业收入超过3000亿元。",
            [(None, "规上服务业企业营业收入", Decimal("3000"), "亿元", "超过")],
        ),
        (
            "到2028年，社会物流总费用占地区生产总值比率下降到12.5%左右。",
            [(2028, "社会物流总费用占地区生产总值比率", Decimal("12.5"), "%", "左右")],
        ),
        ("新增家庭养老床位1万张。", [(None, "家庭养老床位", Decimal("1"), "万张", None)]),
        ("新增物流仓储用地3000亩。", [(None, "物流仓储用地", Decimal("3000"), "亩", None)]),
        (
            "引进培育年营业收入超10亿元物流企业15家。",
            [(None, "年营业收入超10亿元物流企业", Decimal("15"), "家", None)],
        ),
        ("培育发展型企业10家。", [(None, "发展型企业", Decimal("10"), "家", None)]),
    ],
)
def test_targets_found(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _targets(text) == expected


def test_headline_targets_share_year_and_elided_subject() -> None:
    text = (
        "推进全省服务业扩能提质，力争到2030年全省服务业增加值突破7万亿元、占GDP比重达到60%左右，"
        "生产性服务业占服务业比重达到55%左右，现提出如下实施意见。"
    )
    assert _targets(text) == [
        (2030, "服务业增加值", Decimal("7"), "万亿元", "突破"),
        (2030, "服务业增加值占GDP比重", Decimal("60"), "%", "左右"),
        (2030, "生产性服务业占服务业比重", Decimal("55"), "%", "左右"),
    ]
    assert [t.phrase for t in find_targets(text)][1] == "占GDP比重达到60%左右"


@pytest.mark.parametrize(
    "text",
    [
        "推动概念验证中心在“315”科技创新体系重点领域全覆盖。",
        "加快推动中试平台在“415X”先进制造业集群重点领域全覆盖。",
        "培育打造质量基础设施服务平台2.0，高水平建设集聚区。",
        "打造全省“5+X”优势产业物流供应链协同集群。",
        "建设一批高质量科学数据集。",
        "围绕五大先进制造业领域和X个农业领域布局。",
        "每个县（市、区）聚焦1至2个主导产业。",
        "本实施意见自2026年7月15日起施行。",
        "实施“千县万镇”工程，建设“1510”服务体系。",
        "认定一批“浙江精品”。",
    ],
)
def test_labels_and_vague_amounts_are_not_targets(text: str) -> None:
    assert find_targets(text) == []


def test_values_are_exact_decimals() -> None:
    (target,) = find_targets("新增公共充电桩2.5万个。")
    assert (target.subject, target.value, target.unit) == ("公共充电桩", Decimal("2.5"), "万个")
    assert isinstance(target.value, Decimal) and str(target.value) == "2.5"
