"""The same notice, whatever its line breaks: one line of web copy, any hard wrap.

The parser reads item numbers, notes and the front and back matter wherever they stand
in a paragraph, so the built-in notice gives the same 38 measures when every line break
is removed or when it is re-wrapped at any width. (The Markdown marks of the stored text
are dropped first: a web page or a PDF has none, and a wrap that cuts ``**`` in two
leaves a stray ``*`` no real document has. Lines of fewer than four characters are not
tried: a line holding only ``10`` cannot be told from a page number.)
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.notice import ParsedNotice, parse_notice_file, parse_notice_text

ROOT = Path(__file__).resolve().parents[2]
NOTICE = ROOT / "resources" / "notices" / "zjzf-2026-16.txt"
PLAIN = re.sub(r"^#+\s*", "", NOTICE.read_text(encoding="utf-8"), flags=re.M)
PLAIN = PLAIN.replace("**", "").replace("---", "")
REFERENCE = parse_notice_file(NOTICE)


def _essence(notice: ParsedNotice) -> list[tuple[Any, ...]]:
    """Code, units, leads, joint, collectives, and the words of title and text."""
    return [
        (m.code, m.units, m.lead_units, m.joint, m.generic, re.sub(r"[\s。]", "", m.title + m.text))
        for m in notice.measures
    ]


def _wrap(text: str, width: int) -> str:
    return "\n".join(
        "\n".join(textwrap.wrap(line, width)) if line.strip() else "" for line in text.split("\n")
    )


def test_one_line_gives_the_same_38_measures_and_metadata() -> None:
    for joiner in ("", " "):
        notice = parse_notice_text(joiner.join(NOTICE.read_text(encoding="utf-8").splitlines()))
        assert len(notice.measures) == 38
        assert _essence(notice) == _essence(REFERENCE)
        assert (notice.doc_number, notice.title, notice.issued_on, notice.effective_on) == (
            "浙政发〔2026〕16号",
            "浙江省人民政府关于推进服务业扩能提质的实施意见",
            REFERENCE.issued_on,
            REFERENCE.effective_on,
        )
        assert notice.lead_rule == REFERENCE.lead_rule
        assert "各地各部门要强化" not in notice.measures[-1].text


@settings(max_examples=40, deadline=None, derandomize=True)
@given(width=st.integers(min_value=4, max_value=400), blank=st.booleans())
def test_rewrapped_at_any_width_gives_the_same_measures(width: int, blank: bool) -> None:
    text = _wrap(PLAIN, width)
    if not blank:
        text = "\n".join(line for line in text.split("\n") if line.strip())
    assert _essence(parse_notice_text(text)) == _essence(REFERENCE)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(cuts=st.lists(st.integers(min_value=0, max_value=len(PLAIN) - 1), max_size=60))
def test_line_breaks_removed_or_added_anywhere_give_the_same_measures(cuts: list[int]) -> None:
    one_line = PLAIN.replace("\n", "")
    pieces, last = [], 0
    # a break inside an item number (1|1. / （一|） / 三|、) cannot be told from two numbers
    inside = set("0123456789一二三四五六七八九十（）()、.．")
    usable = [c for c in cuts if not ({*one_line[max(0, c - 1) : c + 1]} & inside)]
    for cut in sorted(usable):
        pieces.append(one_line[last:cut])
        last = cut
    pieces.append(one_line[last:])
    text = "\n".join(pieces)
    assert _essence(parse_notice_text(text)) == _essence(REFERENCE)
