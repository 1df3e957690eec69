"""Old office formats (.doc, .wps, .et …) converted to .docx by LibreOffice, where installed.

The program does not read these binary formats itself; the message for such a file says
to save it as .docx in WPS or Word. Where LibreOffice is installed (common on UOS and
Kylin desktops), the import screen offers to convert the file first: LibreOffice runs
headless with a profile of its own in a temporary folder (so a LibreOffice window the
user has open is not disturbed), under a time limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from desktop.errors import NoticeFormatError

CONVERT_SECONDS = 90
_WINDOWS_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def office_converter() -> str | None:
    """The LibreOffice program on this computer, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if os.name == "nt":
        return next((p for p in _WINDOWS_PLACES if Path(p).is_file()), None)
    return None


def convert_to_docx(path: Path, out_dir: Path, *, program: str | None = None) -> Path:
    """Convert an old office file to .docx in ``out_dir``; the new file's path."""
    program = program or office_converter()
    if program is None:
        raise NoticeFormatError(
            "本机没有安装 LibreOffice，无法转换；请在 WPS 或 Word 中另存为 .docx"
        )
    with tempfile.TemporaryDirectory(prefix="policy-ledger-lo-") as profile:
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(out_dir),
            str(path),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired as err:
            raise NoticeFormatError(
                f"LibreOffice 转换 {path.name} 超过 {CONVERT_SECONDS} 秒仍未完成，已停止"
            ) from err
        except OSError as err:
            raise NoticeFormatError(
                f"无法启动 LibreOffice（{err.strerror or err}）；"
                "请在 WPS 或 Word 中打开它，另存为 .docx 后再导入"
            ) from err
    result = out_dir / f"{path.stem}.docx"
    if not result.is_file():
        raise NoticeFormatError(
            f"LibreOffice 未能转换 {path.name}；请在 WPS 或 Word 中打开它，另存为 .docx 后再导入"
        )
    return result
