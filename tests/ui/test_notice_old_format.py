"""An old .doc/.wps notice: converted by LibreOffice when the user agrees, else one message.

The conversion runs the office program the computer has; here a stand-in program plays
LibreOffice (it writes the .docx that LibreOffice would write), so the test needs no
office suite and checks our side: the command, the offer, the parse of the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docx import Document

from desktop.core.notice import convert
from desktop.core.notice.convert import convert_to_docx
from desktop.errors import NoticeFormatError
from desktop.services.context import Services
from desktop.ui.notices.import_page import NoticeImportPage

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
TEXT = [
    "某市人民政府关于推进甲乙工作的实施意见",
    "某政发〔2026〕3号",
    "一、主要任务",
    "1. 推进甲。做好甲。（牵头单位：市发展改革委；配合单位：市财政局）",
    "2. 推进乙。做好乙。（责任单位：市科技局）",
]


def _stand_in(tmp_path: Path) -> str:
    """A program taking LibreOffice's arguments and writing OUTDIR/STEM.docx."""
    docx = tmp_path / "converted-source.docx"
    document = Document()
    for line in TEXT:
        document.add_paragraph(line)
    document.save(str(docx))
    program = tmp_path / "soffice"
    program.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys\nfrom pathlib import Path\n"
        "args = sys.argv[1:]\nassert '--headless' in args\n"
        "assert args[args.index('--convert-to') + 1] == 'docx'\n"
        "out = Path(args[args.index('--outdir') + 1])\nsource = Path(args[-1])\n"
        f"shutil.copy({str(docx)!r}, out / (source.stem + '.docx'))\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    return str(program)


def test_convert_to_docx_runs_the_office_program(tmp_path: Path) -> None:
    old = tmp_path / "notice.wps"
    old.write_bytes(OLE)
    out = tmp_path / "out"
    out.mkdir()
    result = convert_to_docx(old, out, program=_stand_in(tmp_path))
    assert result == out / "notice.docx" and result.is_file()


def test_failed_or_missing_conversion_says_what_to_do(tmp_path: Path) -> None:
    old = tmp_path / "notice.doc"
    old.write_bytes(OLE)
    with pytest.raises(NoticeFormatError, match=r"另存为 \.docx"):
        convert_to_docx(old, tmp_path, program=str(tmp_path / "no-office-here"))
    silent = tmp_path / "does-nothing"
    silent.write_text(f"#!{sys.executable}\n", encoding="utf-8")
    silent.chmod(0o755)
    with pytest.raises(NoticeFormatError, match="未能转换"):
        convert_to_docx(old, tmp_path, program=str(silent))


@pytest.mark.parametrize("agree", [True, False])
def test_old_doc_is_converted_when_the_user_agrees(
    qtbot, county: Services, answered, tmp_path: Path, monkeypatch, agree: bool
) -> None:  # type: ignore[no-untyped-def]
    program = _stand_in(tmp_path)
    monkeypatch.setattr(convert, "office_converter", lambda: program)
    page = NoticeImportPage(county.notices)
    qtbot.addWidget(page)
    old = tmp_path / "notice.doc"
    old.write_bytes(OLE)
    answered["path"] = old
    answered["confirm"] = agree
    page.open_file()
    qtbot.waitUntil(lambda: page._job is None, timeout=20_000)
    if agree:
        assert page.parsed is not None and "已转换" in page.source_name
        assert [m.units for m in page.parsed.measures] == [
            ["市发展改革委", "市财政局"],
            ["市科技局"],
        ]
    else:
        assert page.parsed is None and answered["messages"] == []


def test_without_an_office_program_the_message_is_shown(
    qtbot, county: Services, answered, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(convert, "office_converter", lambda: None)
    page = NoticeImportPage(county.notices)
    qtbot.addWidget(page)
    old = tmp_path / "notice.wps"
    old.write_bytes(OLE)
    answered["path"] = old
    page.open_file()
    qtbot.waitUntil(lambda: page._job is None, timeout=10_000)
    assert page.parsed is None
    [(kind, _title, text)] = answered["messages"]
    assert kind == "warning" and "WPS 文字文档（.wps）" in text and ".docx" in text
