"""What a test needs from the machine, and what happens when it is not there.

``installer/dev.sh`` installs everything the suite needs on Debian/Ubuntu (poppler-utils,
LibreOffice Calc, the two WenQuanYi fonts). On a developer's own machine a test whose tool
or font is missing is skipped, naming it; under CI (``CI`` set, as ``.ci/run`` does) on
Linux it fails instead, because there it means ``dev.sh`` no longer installs what the suite
needs. On Windows (the Windows CI job) no such step exists: those tests are skipped there.

Only what no CI machine can have is skipped there too: :func:`impossible_here` marks such
a skip, and ``tests/conftest.py`` turns every other skip under CI into a failure. The list
of such skips is in docs/ARCHITECTURE.md (Testing).
"""

from __future__ import annotations

import os
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import NoReturn

import pytest

CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
DEV_SH_INSTALLS = sys.platform.startswith("linux")  # Debian/Ubuntu and their kin
IMPOSSIBLE = "impossible here: "

# The fonts installer/dev.sh installs: file name -> Debian package.
DEV_FONTS = {
    "wqy-zenhei.ttc": "fonts-wqy-zenhei",
    "wqy-microhei.ttc": "fonts-wqy-microhei",
}


def missing(what: str) -> NoReturn:
    """Skips the test (fails it under CI), saying what is not installed.

    On Windows and macOS (the Windows CI job among them) nothing installs these Debian
    packages: there the test cannot run, CI or not."""
    message = f"{what} is not installed; installer/dev.sh installs it"
    if not DEV_SH_INSTALLS:
        impossible_here(f"{what} is not installed; installer/dev.sh installs it on Linux only")
    if CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def impossible_here(reason: str) -> NoReturn:
    """Skips a test that cannot run on this kind of machine, CI or not (documented)."""
    pytest.skip(IMPOSSIBLE + reason)


def tool(name: str, package: str) -> str:
    """The path of command ``name`` (from Debian package ``package``)."""
    found = shutil.which(name)
    if found is None:
        missing(f"the command {name} (Debian package {package})")
    return found


def system_font_dirs() -> list[Path]:
    """The folders fonts are installed into on Linux (the program's own list)."""
    from desktop.core.reports.fonts import system_font_dirs as dirs

    return dirs()


@cache
def _installed_fonts() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in system_font_dirs():
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                found.setdefault(path.name.lower(), path)
    return found


def dev_font(file_name: str) -> Path:
    """The installed font file ``file_name``, one of :data:`DEV_FONTS`."""
    path = _installed_fonts().get(file_name)
    if path is None:
        missing(f"the font {file_name} (Debian package {DEV_FONTS[file_name]})")
    return path


def link(folder: Path, name: str, target: Path) -> Path:
    """``folder/name`` showing the font file ``target`` (a copy where links are refused)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    try:
        path.symlink_to(target)
    except OSError:  # no symlinks (Windows without the privilege)
        path.write_bytes(target.read_bytes())
    return path
