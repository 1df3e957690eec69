"""校验 catches the notice's own words kept as the office's: targets, text, other places."""

from __future__ import annotations

from datetime import date

from desktop.core.checks import ERROR, WARNING, check_work_list
from desktop.core.place_names import locality_place, other_places, own_localities
from desktop.core.worklist import MeasureRef, MilestoneRecord, TargetRef, TaskRecord

MEASURE = MeasureRef(
    id=1,
    code="一.1",
    label="1",
    text="加快零碳园区建设，建成20个左右省级零碳园区。推动宁波舟山国际物流枢纽建设。",
    targets=(TargetRef("省级零碳园区", "20", "个", "左右", phrase="建成20个左右省级零碳园区"),),
)
OWN = own_localities("安吉县", "湖州市")


def _task(**fields: object) -> TaskRecord:
    base = TaskRecord(
        id=7,
        uid="u7",
        number="3",
        content="建设县级零碳园区",
        target_text="建成县级零碳园区1个",
        target_value="1",
        target_unit="个",
        lead_units=["县发改局"],
        deadline=date(2027, 12, 31),
        measure_ids=[1],
        milestones=[MilestoneRecord(date(2027, 6, 30), "二季度")],
    )
    for key, value in fields.items():
        setattr(base, key, value)
    return base


def _issues(task: TaskRecord) -> dict[str, str]:
    result = check_work_list(
        year=2027,
        measures=[MEASURE],
        excluded={},
        tasks=[task],
        local_units={"县发改局"},
        own_places=OWN,
    )
    return {i.kind: i.severity for i in result.issues}


def test_a_local_task_passes() -> None:
    assert _issues(_task()) == {}


def test_the_provinces_target_is_an_error() -> None:
    issues = _issues(_task(target_text="建成20个左右省级零碳园区", target_value="20"))
    assert issues == {"target-copied": ERROR}


def test_text_left_as_the_notice_has_it_is_an_error() -> None:
    whole = _issues(_task(content=MEASURE.text))
    assert whole["content-copied"] == ERROR
    one_sentence = _issues(_task(content="加快零碳园区建设，建成20个左右省级零碳园区"))
    assert one_sentence == {"content-copied": ERROR}


def test_another_place_copied_from_the_notice_is_an_error() -> None:
    issues = _issues(_task(content="推动宁波舟山国际物流枢纽建设，配套建设县内物流园"))
    assert issues == {"copied-place": ERROR}


def test_another_place_in_the_offices_own_words_is_a_warning() -> None:
    assert _issues(_task(content="主动融入杭州都市圈，承接产业转移")) == {"other-place": WARNING}
    # its own county and its city are its own
    assert _issues(_task(content="推进安吉县与湖州市区联动发展")) == {}


def test_target_value_must_be_one_of_the_texts_numbers() -> None:
    assert _issues(_task(target_value="20")) == {"target-value": ERROR}
    assert _issues(_task(target_text="完成投资1.2亿元", target_value="1.20")) == {}
    assert _issues(_task(target_text="完成投资1,200万元", target_value="1200")) == {}
    # a target without digits gives nothing to compare
    assert _issues(_task(target_text="全面完成年度任务", target_value="100")) == {}


def test_localities_table() -> None:
    assert other_places("推动宁波舟山国际物流枢纽建设，支持义乌发展", OWN) == [
        "宁波市",
        "舟山市",
        "义乌市",
    ]
    # short forms that read as ordinary words match only in full
    assert other_places("发展临海产业，建设屋顶天台光伏", OWN) == []
    assert other_places("天台县", OWN) == ["天台县"]
    city = own_localities("湖州市", "浙江省")
    assert {"安吉县", "德清县"} <= city and "杭州市" not in city
    assert locality_place("湖州市") == ("市级", "浙江省")
    assert locality_place("安吉") == ("县级", "湖州市")
    assert locality_place("示例县") == (None, None)
