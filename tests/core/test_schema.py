"""One schema per field (desktop.core.schema) and one name per field (desktop.core.vocabulary)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.exchange_files.model import PackageMilestone
from desktop.core.schema import (
    TEXT_LIMITS,
    clean,
    date_problem,
    decimal_problem,
    percent_problem,
    task_problems,
    text_problem,
    unprintable,
)
from desktop.core.vocabulary import LABELS, LEDGER_COLUMNS, status_word
from desktop.core.worklist import MilestoneRecord, TaskRecord


@pytest.mark.parametrize(
    ("raw", "key", "want"),
    [
        ("推进\x07项目\x1b建设\x00", "content", "推进项目建设"),
        ("第一行\r\n第二行\r第三行", "content", "第一行\n第二行\n第三行"),
        ("县发改局\n县科技局", "lead_units", "县发改局 县科技局"),
        ("\ufeff\u200b一季度\u200d", "milestone_label", "一季度"),
        ("  制表\t符  ", "remarks", "制表 符"),
        ("", "content", ""),
    ],
)
def test_clean(raw: str, key: str, want: str) -> None:
    assert clean(raw, key) == want


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("完成投资1.2亿元，同比增长3.5%（①②），“双招双引”", ""),
        ("王堃、李喆", ""),  # rare but in GBK: every Chinese font of a ledger has them
        ("项目进展顺利😀👍", "😀👍"),
        ("私用区\ue000字符", "\ue000"),
    ],
)
def test_unprintable(text: str, bad: str) -> None:
    assert unprintable(text) == bad


def test_text_problem_words() -> None:
    label = "x" * 21
    problem = text_problem("milestone_label", label)
    assert problem is not None
    assert problem.message == "“节点名称”不能超过 20 个字（现有 21 个字）"
    assert text_problem("milestone_label", "x" * 20) is None
    emoji = text_problem("content", "好😀")
    assert emoji is not None and "“工作任务/具体举措”中的“😀”台账字体无法打印" in emoji.message
    assert text_problem("phone", "0571\n8888") is not None  # one line only


def test_numbers_and_dates() -> None:
    assert percent_problem("percent", 100) is None
    assert percent_problem("percent", None) is None
    for bad in (101, -1, True):
        p = percent_problem("percent", bad)
        assert p is not None and p.message == "“完成百分比”应为 0 到 100 之间的整数"
    assert decimal_problem("target_value", "2.5") is None
    assert decimal_problem("target_value", "1e300") is not None
    assert decimal_problem("target_value", "1E+3") is None
    assert decimal_problem("target_value", "１２") is not None  # full-width digits
    d = date_problem("deadline", date(2207, 1, 1), date(2022, 1, 1), date(2037, 12, 31))
    assert d is not None and d.message == "“完成时限”应在 2022-01-01 至 2037-12-31 之间"


def test_task_problems_name_every_field() -> None:
    record = TaskRecord(
        number="1-1",
        content="好" * (TEXT_LIMITS["content"] + 1),
        lead_units=["县发改局"],
        person="赵磊😀",
        start_on=date(2027, 9, 1),
        deadline=date(2027, 6, 30),
        milestones=[MilestoneRecord(date(2027, 3, 31), "季" * 21, "", 120)],
    )
    words = [p.message for p in task_problems(record, 2027)]
    assert any(w.startswith("“工作任务/具体举措”不能超过") for w in words)
    assert any(w.startswith("“责任人”中的“😀”") for w in words)
    assert "“开始日期”晚于“完成时限”" in words
    assert any(w.startswith("“节点名称”不能超过 20 个字") for w in words)
    assert "“计划完成百分比”应为 0 到 100 之间的整数" in words
    # a package's milestone reads the same
    assert PackageMilestone(date(2027, 3, 31), "一季度").label == "一季度"


def test_a_task_at_every_limit_is_sound() -> None:
    full = TaskRecord(
        number="1" * TEXT_LIMITS["number"],
        content="务" * TEXT_LIMITS["content"],
        target_text="标" * TEXT_LIMITS["target_text"],
        target_value="123456789012345.123456",
        target_unit="个" * TEXT_LIMITS["target_unit"],
        lead_units=["局" * TEXT_LIMITS["lead_units"]],
        co_units=["办" * TEXT_LIMITS["co_units"]],
        leader="领" * TEXT_LIMITS["leader"],
        person="人" * TEXT_LIMITS["person"],
        phone="9" * TEXT_LIMITS["phone"],
        remarks="备" * TEXT_LIMITS["remarks"],
        start_on=date(2027, 1, 1),
        deadline=date(2027, 12, 31),
        milestones=[
            MilestoneRecord(
                date(2027, 3, 31),
                "节" * TEXT_LIMITS["milestone_label"],
                "述" * TEXT_LIMITS["milestone_description"],
                100,
            )
        ],
    )
    assert task_problems(full, 2027) == []


def test_vocabulary() -> None:
    assert LABELS["percent"] == "完成百分比"
    assert LABELS["completed_on"] == "完成日期"
    assert [c.label for c in LEDGER_COLUMNS][-3:] == ["进展情况", "完成百分比", "状态"]
    assert sum(c.share for c in LEDGER_COLUMNS) == pytest.approx(1.0)
    assert sum(c.plain_share for c in LEDGER_COLUMNS) == pytest.approx(1.0)
    assert [status_word(s) for s in ("done", "ahead", "on_track", "lagging", "not_started")] == [
        "已完成",
        "超序时",
        "按序时",
        "滞后",
        "未启动",
    ]
    assert status_word(None) == "不适用"
