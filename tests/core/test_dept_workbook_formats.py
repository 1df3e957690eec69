"""A spreadsheet of another program (WPS .et, LibreOffice .ods) is asked to be saved as .xlsx."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop.core.exchange_files.dept_workbook_read import read_dept_workbook
from desktop.errors import InputFileError

OLE = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)


def _ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        # ODF's first member, stored: what LibreOffice writes
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return path


@pytest.mark.parametrize(
    ("name", "kind"),
    [("填报表.ods", "LibreOffice"), ("填报表.et", "WPS 表格"), ("填报表.xls", "旧版 Excel")],
)
def test_other_programs_files_are_asked_to_be_saved_as_xlsx(
    tmp_path: Path, name: str, kind: str
) -> None:
    path = tmp_path / name
    if name.endswith(".ods"):
        _ods(path)
    else:
        path.write_bytes(OLE)
    with pytest.raises(InputFileError) as caught:
        read_dept_workbook(path)
    assert kind in caught.value.message and "损坏" not in caught.value.message
    assert "另存为" in (caught.value.hint or "") and ".xlsx" in (caught.value.hint or "")


def test_the_same_files_renamed_to_xlsx_are_recognised(tmp_path: Path) -> None:
    ods = _ods(tmp_path / "改名的.xlsx")
    with pytest.raises(InputFileError, match="实际是LibreOffice"):
        read_dept_workbook(ods)
    et = tmp_path / "WPS保存的.xlsx"
    et.write_bytes(OLE)
    with pytest.raises(InputFileError, match="WPS 表格"):
        read_dept_workbook(et)
