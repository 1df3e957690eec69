"""The frozen build's inputs: name and version from pyproject, what the spec bundles and
leaves out, and the paths a frozen program uses (resources, migrations, portable mode).

The build itself runs in ``installer/smoke.sh``; these checks are fast and need no PyInstaller.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from desktop import paths
from desktop.db import migrate

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


def load(name: str) -> ModuleType:
    """A module of installer/ (not a package: the spec and the scripts run it as files)."""
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


project_meta = load("project_meta")
frozen_filter = load("frozen_filter")


# ---------------------------------------------------------------- name and version


def test_meta_is_read_from_pyproject() -> None:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project = tomllib.load(fh)["project"]
    meta = project_meta.read_meta()
    assert meta.name == project["name"] == "policy-ledger"
    assert meta.version == project["version"]
    assert meta.installer_name == f"PolicyLedger-Setup-{meta.version}.exe"
    assert meta.deb_name("amd64") == f"policy-ledger_{meta.version}_amd64.deb"


def test_meta_follows_a_changed_pyproject(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "policy-ledger"\nversion = "2.10.3rc1"\n', "utf-8")
    meta = project_meta.read_meta(pyproject)
    assert meta.version == "2.10.3rc1"
    assert meta.numeric_version == "2.10.3.0"  # the Windows version resource takes digits only


def test_nsis_defines_carry_the_version_in_ascii() -> None:
    meta = project_meta.read_meta()
    defines = project_meta.nsis_defines(meta)
    assert f"-DAPP_VERSION={meta.version}" in defines
    assert f"-DOUT_FILE={meta.installer_name}" in defines
    assert "-DGUI_EXE=PolicyLedger.exe" in defines
    assert "-DCLI_EXE=policy-ledger.exe" in defines
    assert all(d.isascii() and d.startswith("-D") for d in defines)


def test_meta_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert project_meta.main(["project_meta.py", "version"]) == 0
    assert capsys.readouterr().out.strip() == project_meta.read_meta().version
    assert project_meta.main(["project_meta.py", "nonsense"]) == 2


# ---------------------------------------------------------------- the spec


def test_spec_is_python_and_uses_the_shared_helpers() -> None:
    source = (INSTALLER / "policy-ledger.spec").read_text(encoding="utf-8")
    compile(source, "policy-ledger.spec", "exec")
    for needle in (
        "project_meta.read_meta()",
        "frozen_filter.project_data(ROOT)",
        "frozen_filter.EXCLUDED_MODULES",
        'collect_submodules("alembic"',
        'collect_submodules("reportlab"',
        'collect_submodules("openpyxl"',
        'collect_submodules("docx"',
        "copy_metadata(META.name)",
        "console=False",  # the windowed Windows GUI executable
        "exclude_binaries=True",
        "entry.py",
    ):
        assert needle in source, needle


def test_entry_script_runs_the_command_line() -> None:
    source = (INSTALLER / "entry.py").read_text(encoding="utf-8")
    assert "from desktop.cli import main" in source
    assert "sys.exit(main())" in source


def test_project_data_bundles_migrations_and_resources() -> None:
    pairs = frozen_filter.project_data(ROOT)
    bundled = {(Path(dest) / Path(src).name).as_posix() for src, dest in pairs}
    assert "migrations/env.py" in bundled
    assert "migrations/script.py.mako" in bundled
    versions = (ROOT / "migrations" / "versions").glob("*.py")
    revisions = {f"migrations/versions/{p.name}" for p in versions}
    assert revisions and revisions <= bundled
    assert "resources/notices/zjzf-2026-16.txt" in bundled
    assert "resources/style.qss" in bundled
    assert "resources/icons/app.png" in bundled
    assert "resources/icons/app.ico" in bundled
    # the user guide (帮助 → 使用手册) and every picture it shows
    assert "resources/manual/index.html" in bundled
    guide = (ROOT / "resources" / "manual" / "index.html").read_text(encoding="utf-8")
    pictures = re.findall(r'<img src="([^"]+)"', guide)
    assert pictures and {f"resources/manual/{p}" for p in pictures} <= bundled
    assert not any("__pycache__" in item or item.endswith(".pyc") for item in bundled)
    assert all(Path(src).is_file() for src, _ in pairs)


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qt_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qtbase_zh_TW.qm", False),
        ("PySide6/translations/qtbase_ja.qm", False),  # the Windows layout
        ("PySide6/Qt/translations/qt_help_zh_CN.qm", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", False),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", True),
        ("PySide6/Qt/lib/libQt6Charts.so.6", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt6Quick.dll", False),
        ("PySide6/Qt6WebEngineCore.dll", False),
        ("libQt6Qml.so.6", False),  # the top-level link to a dropped library
        ("PySide6/Qt/qml/QtQuick/qmldir", False),
        ("libpython3.11.so.1.0", True),
        ("reportlab/fonts/Vera.ttf", True),
    ],
)
def test_unused_qt_parts_are_left_out(dest: str, kept: bool) -> None:
    assert frozen_filter.keep_entry(dest) is kept


def test_filter_toc_keeps_entry_order() -> None:
    toc = [
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/translations/qtbase_fr.qm", "/x/qtbase_fr.qm", "DATA"),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", "/x/qtbase_zh_CN.qm", "DATA"),
    ]
    assert [e[0] for e in frozen_filter.filter_toc(toc)] == [toc[0][0], toc[2][0]]


def test_prune_drops_libraries_only_dropped_plugins_needed() -> None:
    toc = [
        ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),  # was for the GTK theme only
        ("base_library.zip", "/src/base_library.zip", "DATA"),
    ]
    needs = {
        "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
        "/src/libqxcb.so": ["libQt6Gui.so.6", "/usr/lib/libxcb-cursor.so.0"],
    }
    kept = frozen_filter.prune_unreferenced(toc, lambda path: needs.get(path, []))
    assert [e[0] for e in kept] == [
        "PySide6/QtGui.abi3.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "libxcb-cursor.so.0",
        "base_library.zip",
    ]


def test_excludes_keep_what_the_program_needs() -> None:
    excluded = set(frozen_filter.EXCLUDED_MODULES)
    assert {"tkinter", "unittest", "PySide6.QtWebEngineCore", "PySide6.Qt3DCore"} <= excluded
    assert {"PySide6.QtQuick", "PySide6.QtQml", "PySide6.QtMultimedia", "PySide6.QtSql"} <= excluded
    assert {"PySide6.QtDesigner", "PySide6.QtBluetooth"} <= excluded
    for needed in (*frozen_filter.QT_MODULES_KEPT, "PySide6.QtWidgets", "PIL", "sqlite3"):
        assert needed not in excluded
    assert {"PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts"} <= set(
        frozen_filter.QT_MODULES_KEPT
    )
    assert {"PySide6.QtPrintSupport", "PySide6.QtSvg"} <= set(frozen_filter.QT_MODULES_KEPT)


def test_no_runtime_dependency_is_left_out_of_the_frozen_build() -> None:
    """A package the program needs at run time (pyproject dependencies) is never excluded."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    import_names = {"python-docx": "docx", "PySide6": "PySide6", "SQLAlchemy": "sqlalchemy"}
    excluded = set(frozen_filter.EXCLUDED_MODULES)
    for requirement in dependencies:
        distribution = requirement.split(">")[0].split("<")[0].split("=")[0].strip()
        module = import_names.get(distribution, distribution.lower())
        assert module not in excluded, f"{distribution} is a runtime dependency"


def test_windows_version_file(tmp_path: Path) -> None:
    meta = project_meta.read_meta()
    target = tmp_path / "version_info.txt"
    frozen_filter.write_windows_version_file(target, meta, "清单台账", "清单台账项目组")
    text = target.read_text(encoding="utf-8")
    numbers = tuple(int(p) for p in meta.numeric_version.split("."))
    assert f"filevers={numbers}" in text
    assert f"StringStruct('ProductVersion', '{meta.version}')" in text
    assert "清单台账" in text


# ---------------------------------------------------------------- paths when frozen


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Pretend to be a PyInstaller build unpacked in ``tmp_path/PolicyLedger``."""
    app_dir = tmp_path / "PolicyLedger"
    bundle = app_dir / "_internal"
    bundle.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(app_dir / "policy-ledger.exe"))
    monkeypatch.delenv("POLICY_LEDGER_HOME", raising=False)
    return app_dir


def test_resources_and_migrations_come_from_the_bundle(frozen: Path) -> None:
    bundle = frozen / "_internal"
    assert paths.program_root() == bundle
    assert paths.resource_path("notices", "zjzf-2026-16.txt") == (
        bundle / "resources" / "notices" / "zjzf-2026-16.txt"
    )
    assert paths.resource_path("icons", "app.png") == bundle / "resources" / "icons" / "app.png"
    assert paths.migrations_path() == bundle / "migrations"


def test_migration_runner_reads_revisions_from_the_bundle(frozen: Path) -> None:
    versions = frozen / "_internal" / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "0001_initial_schema.py").write_text("", encoding="utf-8")
    (versions / "0002_next.py").write_text("", encoding="utf-8")
    assert migrate.known_revisions() == ["0001", "0002"]


def test_source_tree_paths_when_not_frozen() -> None:
    assert not getattr(sys, "frozen", False)
    assert paths.resource_path("notices", "zjzf-2026-16.txt").is_file()
    assert (paths.migrations_path() / "env.py").is_file()
    assert paths.portable_data_dir() is None


def test_portable_marker_keeps_data_beside_the_program(frozen: Path) -> None:
    assert paths.portable_data_dir() is None
    assert paths.resolve_data_dir() != frozen / "data"
    (frozen / "portable.txt").write_text("", encoding="utf-8")
    assert paths.portable_data_dir() == frozen.resolve() / "data"
    assert paths.resolve_data_dir() == frozen.resolve() / "data"


def test_explicit_folder_and_environment_beat_portable_mode(
    frozen: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (frozen / "portable.txt").write_text("", encoding="utf-8")
    monkeypatch.setenv("POLICY_LEDGER_HOME", str(tmp_path / "from-env"))
    assert paths.resolve_data_dir() == (tmp_path / "from-env").resolve()
    assert paths.resolve_data_dir(tmp_path / "explicit") == (tmp_path / "explicit").resolve()


def test_portable_marker_is_ignored_from_source(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / "portable.txt").write_text("", encoding="utf-8")
    assert paths.portable_data_dir() is None
