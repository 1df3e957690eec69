"""The program's name and version as ``pyproject.toml`` states them, for every packaging step.

The PyInstaller spec, the NSIS defines, the Debian control file and the Windows build script
all read them here, so a release changes the version in one place only. Standard library
only: the spec imports this module inside PyInstaller, and the shell scripts run it with any
Python 3.11.

    python installer/project_meta.py version     → 0.1.0
    python installer/project_meta.py nsis-defines → -DAPP_VERSION=0.1.0 ... (one per line)
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

DISPLAY_NAME = "清单台账"  # what the office sees: window title, shortcuts, installer
APP_ID = "PolicyLedger"  # folder and registry names on Windows (ASCII)
PUBLISHER = "清单台账项目组"
GUI_EXE = "PolicyLedger"  # Windows: windowed, opens the program
CLI_EXE = "policy-ledger"  # console: the command line (and the only executable on Linux)
LINUX_DIST_DIR = "policy-ledger"  # dist/policy-ledger on Linux; dist\PolicyLedger on Windows


@dataclass(frozen=True)
class ProjectMeta:
    name: str  # the distribution name, e.g. "policy-ledger"
    version: str
    description: str

    @property
    def numeric_version(self) -> str:
        """``X.Y.Z.W`` for the Windows version resource (digits only)."""
        parts = [_leading_int(p) for p in self.version.split(".")[:4]]
        return ".".join(str(p) for p in [*parts, 0, 0, 0, 0][:4])

    @property
    def installer_name(self) -> str:
        """The file name of the Windows installer (ASCII, safe on every file system)."""
        return f"{APP_ID}-Setup-{self.version}.exe"

    def deb_name(self, arch: str) -> str:
        return f"{self.name}_{self.version}_{arch}.deb"


def _leading_int(text: str) -> int:
    digits = ""
    for ch in text:
        if not ch.isdigit():
            break
        digits += ch
    return int(digits or 0)


def read_meta(pyproject: Path = PYPROJECT) -> ProjectMeta:
    with pyproject.open("rb") as fh:
        project = tomllib.load(fh)["project"]
    return ProjectMeta(
        name=str(project["name"]),
        version=str(project["version"]),
        description=str(project.get("description", "")),
    )


def nsis_defines(meta: ProjectMeta) -> list[str]:
    """``makensis`` arguments that inject the name and version into the NSIS script.

    ASCII only: a Windows shell may pass a Chinese argument through the wrong code page, so
    the Chinese display name and publisher are written in the NSIS script itself.
    """
    return [
        f"-DAPP_ID={APP_ID}",
        f"-DPKG_NAME={meta.name}",
        f"-DAPP_VERSION={meta.version}",
        f"-DAPP_NUMERIC_VERSION={meta.numeric_version}",
        f"-DGUI_EXE={GUI_EXE}.exe",
        f"-DCLI_EXE={CLI_EXE}.exe",
        f"-DOUT_FILE={meta.installer_name}",
    ]


def main(argv: list[str]) -> int:
    meta = read_meta()
    what = argv[1] if len(argv) > 1 else "version"
    if what == "version":
        print(meta.version)
    elif what == "name":
        print(meta.name)
    elif what == "installer-name":
        print(meta.installer_name)
    elif what == "nsis-defines":
        print("\n".join(nsis_defines(meta)))
    else:
        print(f"unknown: {what}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
