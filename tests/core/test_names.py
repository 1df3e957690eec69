"""Names that cannot be forged (one spelling per name) and outside text kept to one line."""

from __future__ import annotations

import pytest

from desktop.core.names import normalise_name, one_line, same_name
from desktop.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("示\uf9b5县", "示例县"),  # compatibility ideograph (NFC keeps it, NFKC does not)
        ("示例\u00a0县", "示例县"),  # no-break space
        ("示例\u3000县", "示例县"),  # ideographic space
        ("ＡＢ县", "AB县"),  # full-width letters
        ("县发改局(物价局)", "县发改局（物价局）"),  # brackets as official names print them
        ("县发改局（物价局）", "县发改局（物价局）"),
    ],
)
def test_one_spelling(typed: str, stored: str) -> None:
    assert normalise_name(typed) == stored


@pytest.mark.parametrize(
    "ch",
    ["\u200b", "\ufeff", "\u2060", "\u00ad", "\ufe0f", "\u202e", "\u2028", "\x07", "\U000e0101"],
)
def test_an_invisible_character_is_refused_by_position(ch: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_name(f"示例{ch}县", "地区名称")
    message = str(caught.value)
    assert "地区名称" in message and "第 3 个字符" in message and f"U+{ord(ch):04X}" in message
    assert not same_name(f"示例{ch}县", "示例县")


def test_one_line_shows_breaks_and_controls_and_cuts_long_text() -> None:
    assert one_line("示例县_2027.zip") == "示例县_2027.zip"
    assert one_line("甲\n乙\u202e丙\t丁") == "甲⟨U+000A⟩乙⟨U+202E⟩丙⟨U+0009⟩丁"
    cut = one_line("县" * 500, 80)
    assert cut == "县" * 79 + "…" and len(cut) == 80
    assert "\n" not in one_line("a\r\nb" * 100, 20) and len(one_line("a\r\nb" * 100, 20)) == 20
