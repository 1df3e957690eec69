"""Finding Chinese fonts for the PDF ledgers, and the start-up check.

The fonts are the two installer/dev.sh installs, linked under the names the search knows.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.reports import fonts as fontmod
from desktop.core.reports.fonts import check_fonts, find_cjk_fonts
from desktop.core.reports.sfnt import covers, read_faces
from desktop.errors import FontMissingError
from tests.needs import dev_font, link


def zenhei() -> Path:
    return dev_font("wqy-zenhei.ttc")


def microhei() -> Path:
    return dev_font("wqy-microhei.ttc")


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("POLICY_LEDGER_FONT_DIRS", raising=False)
    monkeypatch.delenv("POLICY_LEDGER_NO_SYSTEM_FONTS", raising=False)
    fontmod.clear_cache()
    yield
    fontmod.clear_cache()


def test_no_font_raises_with_an_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICY_LEDGER_FONT_DIRS", str(tmp_path))
    with pytest.raises(FontMissingError) as err:
        find_cjk_fonts(system=False)
    message = str(err.value)
    assert "中文字体" in message
    if sys.platform.startswith("win"):
        assert "宋体" in message and "黑体" in message
    else:
        assert "sudo apt install fonts-wqy-microhei" in message


def test_start_up_check_reports_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICY_LEDGER_FONT_DIRS", str(tmp_path))
    monkeypatch.setenv("POLICY_LEDGER_NO_SYSTEM_FONTS", "1")
    message = check_fonts()
    assert message is not None and "中文字体" in message


def test_unusable_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "simhei.ttf").write_bytes(b"not a font at all")
    # A CFF-outline OpenType font (what Noto CJK .otf files are): reportlab cannot embed it.
    (tmp_path / "notosanscjksc-regular.otf").write_bytes(b"OTTO" + b"\x00" * 60)
    with pytest.raises(FontMissingError):
        find_cjk_fonts([tmp_path], system=False)


def test_env_dirs_inject_a_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    link(tmp_path, "wqy-microhei.ttc", microhei())
    monkeypatch.setenv("POLICY_LEDGER_FONT_DIRS", str(tmp_path))
    found = find_cjk_fonts(system=False)
    assert found.title.path.parent == tmp_path
    assert found.body.path == found.title.path  # one family serves both
    assert check_fonts() is None


def test_title_prefers_hei_and_body_prefers_fangsong(tmp_path: Path) -> None:
    link(tmp_path, "wqy-zenhei.ttc", zenhei())
    link(tmp_path, "simhei.ttf", zenhei())
    link(tmp_path, "simfang.ttf", microhei())
    found = find_cjk_fonts([tmp_path], system=False)
    assert found.title.path.name == "simhei.ttf"
    assert found.body.path.name == "simfang.ttf"
    assert found.title.style == "黑体" and found.body.style == "仿宋"


def test_a_chinese_font_under_an_unknown_name_is_probed(tmp_path: Path) -> None:
    link(tmp_path, "SomeOfficeFont.ttc", zenhei())
    found = find_cjk_fonts([tmp_path], system=False)
    assert found.body.path.name == "SomeOfficeFont.ttc"


def test_explicit_dirs_come_before_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    link(first, "wqy-zenhei.ttc", zenhei())
    link(second, "wqy-zenhei.ttc", zenhei())
    monkeypatch.setenv("POLICY_LEDGER_FONT_DIRS", str(second))
    assert find_cjk_fonts([first], system=False).title.path.parent == first


def test_registered_fonts_are_usable_by_reportlab(tmp_path: Path) -> None:
    link(tmp_path, "wqy-zenhei.ttc", zenhei())
    found = find_cjk_fonts([tmp_path], system=False)
    registered = found.register()
    font = registered[found.body]
    assert font.stringWidth("台账", 10) > 15


def test_sfnt_reader_sees_faces_and_coverage() -> None:
    faces = read_faces(zenhei())
    assert faces and faces[0].usable and faces[0].family
    assert covers(faces[0], "牵头单位")
    assert not covers(faces[0], "\U0010fffd")


def test_font_check_does_not_import_reportlab() -> None:
    import subprocess

    code = (
        "import sys; from desktop.core.reports import check_fonts; check_fonts(); "
        "print('reportlab' in sys.modules, 'openpyxl' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_system_fonts_with_chinese_looking_names_are_probed(tmp_path: Path) -> None:
    odd = link(tmp_path, "NotoSansSC-VariableFont_wght.ttf", zenhei())
    plain = link(tmp_path, "DejaVuSans.ttf", zenhei())
    files = {odd.name.lower(): odd, plain.name.lower(): plain}
    found = fontmod._probe_unknown(files, [])
    assert found is not None and found.path == odd
    assert fontmod._probe_unknown({plain.name.lower(): plain}, []) is None
