"""The installers' own files: the Linux desktop entry and launcher, the NSIS script, the
Windows build script and workflow, and the application icon in every size."""

from __future__ import annotations

import configparser
import importlib.util
import re
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
ICONS = ROOT / "resources" / "icons"
NSI = INSTALLER / "windows" / "policy-ledger.nsi"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


make_icons = load("make_icons")


# ---------------------------------------------------------------- Linux


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(INSTALLER / "linux" / "policy-ledger.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "清单台账"
    assert entry["Name[zh_CN]"] == "清单台账"
    assert "清单" in entry["Comment"] and entry["Comment"].isprintable()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in entry["Comment[zh_CN]"])
    assert entry["Categories"] == "Office;"
    assert entry["Icon"] == "policy-ledger"
    assert entry["Exec"] == "policy-ledger"
    assert entry["Terminal"] == "false"


def test_launcher_finds_the_program_relative_to_itself() -> None:
    text = (INSTALLER / "linux" / "policy-ledger.sh").read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n")
    assert '"$here/../../opt/policy-ledger/policy-ledger"' in text
    assert 'exec "$program" "$@"' in text


def test_deb_script_builds_what_the_package_needs() -> None:
    text = (INSTALLER / "linux" / "build-deb.sh").read_text(encoding="utf-8")
    assert "dpkg-deb --root-owner-group" in text
    assert "dpkg --print-architecture" in text
    assert "installer/project_meta.py version" in text
    # fonts the PDF writer can embed (TrueType): not fonts-noto-cjk, whose faces are all CFF
    assert "fonts-wqy-microhei | fonts-wqy-zenhei | fonts-arphic-uming" in text
    for lib in ("libegl1", "libgl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libfontconfig1"):
        assert lib in text
    assert '"$stage/opt/policy-ledger"' in text
    assert '"$stage/usr/bin/policy-ledger"' in text
    assert "usr/share/applications/policy-ledger.desktop" in text
    assert "for size in 16 32 48 64 128 256" in text
    assert "hicolor/scalable/apps/policy-ledger.svg" in text


def test_smoke_test_runs_after_pytest_in_the_test_command() -> None:
    dev = (INSTALLER / "dev.sh").read_text(encoding="utf-8")
    assert dev.index("-m pytest") < dev.index('echo "== packaging"; installer/smoke.sh')
    for package in ("nsis", "dpkg-dev", "desktop-file-utils", "binutils"):
        assert f" {package}" in dev
    smoke = (INSTALLER / "smoke.sh").read_text(encoding="utf-8")
    for step in ("selftest", "demo --tasks 50", "ledger pdf --year 2027", "pdffonts", "makensis"):
        assert step in smoke
    assert "dpkg -x" in smoke and "desktop-file-validate" in smoke


def test_dev_sh_installs_every_package_the_tests_need() -> None:
    """Each Debian package a test names (tests/needs.py: ``tool(...)``, the fonts) is one
    dev.sh installs: under CI such a test fails when it is missing."""
    from tests.needs import DEV_FONTS

    dev = (INSTALLER / "dev.sh").read_text(encoding="utf-8")
    listed = re.search(r"SYSTEM_PACKAGES=\(\n(.*?)\n\)", dev, re.S)
    assert listed is not None
    installed = set(listed.group(1).split())
    named = set(DEV_FONTS.values())
    for path in (INSTALLER.parent / "tests").rglob("*.py"):
        named |= set(re.findall(r'tool\("[^"]+", "([^"]+)"\)', path.read_text(encoding="utf-8")))
    assert {"poppler-utils", "libreoffice-calc-nogui", "fonts-wqy-zenhei"} <= named
    assert named <= installed, named - installed


# ---------------------------------------------------------------- Windows


def test_nsis_script_is_utf8_with_bom() -> None:
    raw = NSI.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # makensis reads it as UTF-8 on any code page
    raw.decode("utf-8")


@pytest.mark.parametrize(
    "needle",
    [
        "Unicode true",
        "RequestExecutionLevel user",
        '!include "MUI2.nsh"',
        '!insertmacro MUI_LANGUAGE "SimpChinese"',
        'InstallDir "$LOCALAPPDATA\\Programs\\${APP_ID}"',
        "同时删除本机数据（不可恢复）",
        "${NSD_CreateCheckbox}",
        "!define MUI_ICON",
        "!define MUI_UNICON",
        "$SMPROGRAMS\\${APP_NAME}.lnk",
        "$DESKTOP\\${APP_NAME}.lnk",
        'RMDir /r "$LOCALAPPDATA\\${APP_ID}"',
        "EnsureNotRunning",
        'WriteUninstaller "$INSTDIR\\${UNINSTALLER}"',
    ],
)
def test_nsis_script_contains(needle: str) -> None:
    assert needle in NSI.read_text(encoding="utf-8-sig")


def test_nsis_uninstall_entry_is_per_user() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    for value in (
        "DisplayName",
        "DisplayVersion",
        "Publisher",
        "DisplayIcon",
        "UninstallString",
        "EstimatedSize",
    ):
        assert f'HKCU "${{UNINST_KEY}}" "{value}"' in text, value
    assert "HKLM" not in text
    assert "RequestExecutionLevel admin" not in text


def test_nsis_keeps_data_unless_asked() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    # the checkbox starts unticked, and the data folder is removed only when it was ticked
    assert "StrCpy $DeleteData ${BST_UNCHECKED}" in text
    # the data folder, and the first version's one in the roaming profile
    removal = text.index('RMDir /r "$LOCALAPPDATA\\${APP_ID}"')
    assert "${If} $DeleteData == ${BST_CHECKED}" in text[removal - 80 : removal]
    assert text.count('RMDir /r "$APPDATA') == 1
    assert text.count('RMDir /r "$LOCALAPPDATA') == 1
    roaming = text.index('RMDir /r "$APPDATA\\${APP_ID}"')
    assert 0 < roaming - removal < 80  # in the same ticked branch
    # an upgrade or uninstall never removes a portable data folder inside the program folder
    assert 'RMDir /r "$INSTDIR"' not in text
    code = [line for line in text.splitlines() if not line.lstrip().startswith(";")]
    assert not [line for line in code if "portable.txt" in line]  # never created nor deleted


def test_nsis_takes_version_and_defaults_from_project_meta() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    meta_module = load("project_meta")
    for define in meta_module.nsis_defines(meta_module.read_meta()):
        name = define[2:].split("=", 1)[0]
        assert "${" + name + "}" in text, name
    assert f'!define APP_NAME "{meta_module.DISPLAY_NAME}"' in text
    assert f'!define APP_PUBLISHER "{meta_module.PUBLISHER}"' in text


def test_nsis_refuses_what_cannot_run_and_folders_it_cannot_write() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    init = text[
        text.index("Function .onInit") : text.index("FunctionEnd", text.index("Function .onInit"))
    ]
    assert "${IfNot} ${RunningX64}" in init  # PySide6 is 64-bit only
    assert "${IfNot} ${AtLeastBuild} ${MIN_WINDOWS_BUILD}" in init
    assert "!define MIN_WINDOWS_BUILD 17763" in text  # Windows 10 1809, Qt 6.11's floor
    assert init.index("RunningX64") < init.index("EnsureNotRunning")
    # the directory page checks the folder can be written (Program Files without admin)
    assert "!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave" in text
    leave = text.index("!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave")
    assert text.index("!insertmacro MUI_PAGE_DIRECTORY") - leave < 60
    section = text[text.index('Section "${APP_NAME}（必需）"') :]
    assert section.index("Call CheckWritable") < section.index('SetOutPath "$INSTDIR"')


def test_code_signing_is_wired_but_optional() -> None:
    text = NSI.read_text(encoding="utf-8-sig")
    assert "!ifdef SIGN_SCRIPT" in text
    assert "!uninstfinalize" in text and "!finalize" in text
    ps1 = (INSTALLER / "windows" / "build.ps1").read_text(encoding="utf-8-sig")
    assert "POLICY_LEDGER_SIGN_PFX" in ps1 and "-DSIGN_SCRIPT=" in ps1
    # the executables are signed before the self-test runs them
    assert ps1.index("code signing") < ps1.index('"selftest"')
    sign = INSTALLER / "windows" / "sign.ps1"
    assert sign.read_bytes().startswith(b"\xef\xbb\xbf")  # PowerShell 5.1 reads UTF-8 by its BOM
    source = sign.read_text(encoding="utf-8-sig")
    for needle in (
        "/fd SHA256",
        "/tr",
        "/td SHA256",
        "POLICY_LEDGER_SIGN_THUMBPRINT",
        "verify /pa",
    ):
        assert needle in source


def test_windows_build_script_and_workflow() -> None:
    ps1 = (INSTALLER / "windows" / "build.ps1").read_text(encoding="utf-8-sig")
    assert "PyInstaller" in ps1 and "installer\\policy-ledger.spec" in ps1
    assert "nsis-defines" in ps1 and "makensis" in ps1
    workflow = (ROOT / ".github" / "workflows" / "windows-installer.yml").read_text("utf-8")
    assert "runs-on: windows" in workflow
    assert 'python-version: "3.11"' in workflow
    assert "installer\\windows\\build.ps1" in workflow
    assert "dist\\PolicyLedger\\policy-ledger.exe selftest" in workflow
    assert "upload-artifact" in workflow
    # Windows is tested on every change: the suite with the encoding guard, then the build
    assert "runs-on: windows-latest" in workflow
    assert workflow.index("python -X warn_default_encoding -m pytest") < workflow.index(
        "installer\\windows\\build.ps1"
    )
    on = workflow[workflow.index("\non:") : workflow.index("\njobs:")]
    assert "push:" in on and "pull_request:" in on and "paths" not in on


# ---------------------------------------------------------------- icons


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ico_directory(data: bytes) -> list[tuple[int, int, bytes]]:
    """(width, height, image bytes) of every entry of an ICO file."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count > 0
    entries = []
    for i in range(count):
        w, h, _colors, _res, _planes, bpp, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        assert bpp == 32 and offset + size <= len(data)
        entries.append((w or 256, h or 256, data[offset : offset + size]))
    return entries


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256])
def test_png_icons_in_every_size(size: int) -> None:
    assert png_size(ICONS / f"app-{size}.png") == (size, size)


def test_window_icon_and_svg() -> None:
    assert png_size(ICONS / "app.png") == (256, 256)
    svg = (ICONS / "app.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and 'viewBox="0 0 256 256"' in svg


def test_ico_parses_with_every_windows_size() -> None:
    entries = ico_directory((ICONS / "app.ico").read_bytes())
    assert sorted(w for w, _, _ in entries) == [16, 24, 32, 48, 64, 128, 256]
    for width, height, image in entries:
        assert width == height
        if width >= 256:
            assert image.startswith(b"\x89PNG")
        else:  # a 32-bit DIB: header, pixels, AND mask
            header_size, dib_w, dib_h, _planes, bpp = struct.unpack("<IiiHH", image[:16])
            assert (header_size, dib_w, dib_h, bpp) == (40, width, 2 * width, 32)


def test_ico_writer_round_trip() -> None:
    red = bytes([0, 0, 255, 255]) * (16 * 16)  # BGRA
    images = [
        make_icons.IconImage(16, red, b"png16"),
        make_icons.IconImage(256, b"", b"\x89PNG-256"),
    ]
    entries = ico_directory(make_icons.build_ico(images))
    assert [(w, h) for w, h, _ in entries] == [(16, 16), (256, 256)]
    dib = entries[0][2]
    assert len(dib) == 40 + 16 * 16 * 4 + 4 * 16  # pixels plus a 32-bit-padded mask per row
    assert dib[40:44] == bytes([0, 0, 255, 255])
    assert entries[1][2] == b"\x89PNG-256"
    with pytest.raises(ValueError):
        make_icons.bmp_entry(16, b"short")
