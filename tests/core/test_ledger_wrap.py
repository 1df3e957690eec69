"""CJK line breaking for ledger cells: widths, 避头尾, Latin words, hard breaks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.reports.textwrap_cjk import CjkWrapper, clean_text

# Chinese typesetting: closing punctuation never starts a line, opening never ends one.
NO_LINE_START = "，。、；：？！）」』》】〕”’"
NO_LINE_END = "（「『《【〔“‘"


def _measure(ch: str) -> float:
    return 500.0 if ord(ch) < 0x2E80 and ch not in "，。（）；：、" else 1000.0


def wrapper() -> CjkWrapper:
    return CjkWrapper(_measure)


def test_short_text_is_one_line() -> None:
    assert wrapper().wrap("推进服务业扩能提质", 100, 10) == ["推进服务业扩能提质"]


def test_breaks_between_chinese_characters_at_the_width() -> None:
    lines = wrapper().wrap("一二三四五六七八九十" * 2, 50, 10)  # five characters a line
    assert lines == ["一二三四五", "六七八九十", "一二三四五", "六七八九十"]


def test_no_line_starts_with_closing_punctuation() -> None:
    # The comma would start line two; the character before it moves down with it.
    lines = wrapper().wrap("一二三四五，六七八", 50, 10)
    assert lines == ["一二三四", "五，六七八"]
    assert all(line[0] not in NO_LINE_START for line in lines)


def test_no_line_ends_with_opening_bracket() -> None:
    lines = wrapper().wrap("一二三四（五六七）", 50, 10)
    assert lines[0] == "一二三四"
    assert lines[1].startswith("（")


def test_latin_words_and_numbers_stay_together() -> None:
    lines = wrapper().wrap("完成投资12345亿元", 50, 10)  # 2 + 2.5 + 2 em in 5 em
    assert lines == ["完成投资", "12345亿元"]
    lines = wrapper().wrap("推进GDP统计", 40, 10)
    assert "GDP" in lines[0] + "|" + lines[1] and not any(line.endswith("G") for line in lines)


def test_word_longer_than_a_line_is_broken_inside() -> None:
    lines = wrapper().wrap("A" * 30, 50, 10)  # ten half-width letters a line
    assert lines == ["A" * 10] * 3


def test_hard_line_breaks_are_kept_and_blank_runs_collapsed() -> None:
    assert wrapper().wrap(clean_text("第一段\r\n\r\n\r\n第二段"), 200, 10) == [
        "第一段",
        "",
        "第二段",
    ]


def test_clean_text_drops_invisible_junk() -> None:
    assert clean_text("\ufeff  任务\x00名称\u200b\t说明 ") == "任务名称 说明"


def test_truncate_adds_an_ellipsis_within_the_width() -> None:
    w = wrapper()
    short = w.truncate("一二三四五六七八", 50, 10)
    assert short.endswith("…") and w.width(short, 10) <= 50


TEXT = st.text(
    alphabet=st.sampled_from(list("推进服务业扩能提质重点工作，。；（）“”AB12 .%")), max_size=120
)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.integers(min_value=2, max_value=30))
def test_every_line_fits_and_no_text_is_lost(text: str, ems: int) -> None:
    w = wrapper()
    text = clean_text(text)
    lines = w.wrap(text, ems * 10, 10)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        # Only a single character or an unbreakable word may exceed the width.
        if w.width(line, 10) > ems * 10 + 1e-6:
            assert len(line) == 1 or line.isascii()


# Chinese prose: characters with at most one punctuation mark or bracket between them.
PROSE = st.lists(
    st.tuples(
        st.sampled_from(list("推进服务业扩能提质重点")),
        st.sampled_from(["", "，", "。", "（", "）"]),
    ),
    min_size=1,
    max_size=60,
).map(lambda pairs: "".join(a + b for a, b in pairs))


@settings(max_examples=150, deadline=None)
@given(PROSE, st.integers(min_value=4, max_value=20))
def test_kinsoku_holds_in_prose(text: str, ems: int) -> None:
    lines = wrapper().wrap(text, ems * 10, 10)
    assert "".join(lines) == text
    assert all(line[0] not in NO_LINE_START for line in lines[1:])
    assert all(line[-1] not in NO_LINE_END for line in lines[:-1])
