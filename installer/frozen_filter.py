"""What the frozen build carries and what it leaves out, kept apart from the spec so tests
can check it.

The PySide6 wheels bring all of Qt (650 MB); the program uses Widgets, Gui, Core, the PDF
viewer, printing, SVG and charts. PyInstaller's Qt hooks collect only the Qt modules that are
imported, but every plugin of a collected module's types and every language's translations;
:func:`filter_toc` trims those to the plugins a desktop office program needs and to
Simplified Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

# Qt modules kept although nothing imports them yet: the ledger preview (QtPdf, QtPdfWidgets),
# printing (QtPrintSupport), SVG icons (QtSvg, QtSvgWidgets) and the progress charts (QtCharts).
QT_MODULES_KEPT = [
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtCharts",
]

_QT_EXCLUDED = [
    "Qt3DAnimation",
    "Qt3DCore",
    "Qt3DExtras",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DRender",
    "QtAxContainer",
    "QtBluetooth",
    "QtCanvasPainter",
    "QtConcurrent",
    "QtDataVisualization",
    "QtDBus",
    "QtDesigner",
    "QtGraphs",
    "QtGraphsWidgets",
    "QtHelp",
    "QtHttpServer",
    "QtLocation",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtNetworkAuth",
    "QtNfc",
    "QtOpenGL",
    "QtOpenGLWidgets",
    "QtPositioning",
    "QtQml",
    "QtQuick",
    "QtQuick3D",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuickWidgets",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtSerialBus",
    "QtSerialPort",
    "QtSpatialAudio",
    "QtSql",
    "QtStateMachine",
    "QtTest",
    "QtTextToSpeech",
    "QtUiTools",
    "QtWebChannel",
    "QtWebEngineCore",
    "QtWebEngineQuick",
    "QtWebEngineWidgets",
    "QtWebSockets",
    "QtWebView",
    "QtXml",
]

EXCLUDED_MODULES = [
    *(f"PySide6.{name}" for name in _QT_EXCLUDED),
    "PySide6.scripts",
    "tkinter",
    "_tkinter",
    "unittest",
    "pydoc_data",
    "lib2to3",
    "idlelib",
    "ensurepip",
    "venv",
    "distutils",
    "setuptools",
    "pkg_resources",
    "pip",
    "pytest",
    "_pytest",
    "hypothesis",
    "mypy",
    "IPython",
    "numpy",
    # Pillow stays (reportlab.lib.utils imports it), but not its bridges to other toolkits
    "PIL.ImageQt",
    "PIL.ImageTk",
    # its optional codecs, colour management and text drawing, each with its own libraries
    "PIL._avif",
    "PIL._webp",
    "PIL._imagingcms",
    "PIL._imagingft",
    "sqlalchemy.testing",
    "alembic.testing",
    "reportlab.graphics.testshapes",
]

# Qt plugin folders kept (everything under a folder not listed is dropped) and, within them,
# the plugin files dropped by name.
QT_PLUGIN_TYPES_KEPT = {
    "platforms",  # xcb / windows / wayland / offscreen
    "platformthemes",  # native file dialogs (GTK, portal)
    "platforminputcontexts",  # Chinese input methods (ibus, fcitx, compose)
    "imageformats",
    "iconengines",
    "xcbglintegrations",
    "printsupport",  # CUPS printers on Linux
    "styles",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-shell-integration",
}
QT_PLUGINS_DROPPED = re.compile(
    r"(qminimal|qminimalegl|qeglfs|qlinuxfb|qvnc|qvkkhrdisplay|qdirect2d|"
    r"qtiff|qwebp|qwbmp|qicns|qtga|qpdf|qmacheif|qmacjp2|"
    # GTK's theme plugin would load the system's GTK next to our copies of its libraries
    r"qgtk3|qtvirtualkeyboard|"
    r"adwaita|dmabuf-server|drm-egl-server|shm-emulation-server|vulkan-server|"
    r"fullscreen-shell|ivi-shell|qt-shell|wl-shell)",
    re.IGNORECASE,
)
# Qt libraries that a kept module may drag in but the program never needs
QT_LIBS_DROPPED = re.compile(
    r"Qt6(Quick|Qml|Quick3D|WebEngine|Multimedia|Designer|Bluetooth|Sql|3D|VirtualKeyboard|"
    r"Location|Positioning|Sensors|Test|Help|Graphs|DataVisualization|Lottie|Labs|ShaderTools|"
    r"SpatialAudio|TextToSpeech|RemoteObjects|Scxml|StateMachine|HttpServer|Nfc|SerialPort|"
    r"FFmpeg|EglFS|EglFs|WlShellIntegration)",
)
_TRANSLATION = re.compile(r"_([a-z]{2,3}(?:_[A-Z]{2})?)\.qm$")


def _parts(dest: str) -> tuple[str, ...]:
    return PurePosixPath(dest.replace("\\", "/")).parts


def keep_entry(dest: str) -> bool:
    """Whether a file the hooks collected (its destination path in the bundle) is kept."""
    parts = _parts(dest)
    if not parts:
        return True
    name = parts[-1]
    if parts[0] != "PySide6":
        # top-level links to the Qt libraries, and the libraries only dropped plugins need
        return not QT_LIBS_DROPPED.search(name)
    if "translations" in parts:
        match = _TRANSLATION.search(name)
        return bool(match) and match.group(1) == "zh_CN" and not name.startswith("qt_help")
    if "plugins" in parts:
        at = parts.index("plugins")
        folder = parts[at + 1] if len(parts) > at + 2 else ""
        return folder in QT_PLUGIN_TYPES_KEPT and not QT_PLUGINS_DROPPED.search(name)
    if "qml" in parts or ("resources" in parts and "qtwebengine" in name):
        return False
    return not QT_LIBS_DROPPED.search(name)


def filter_toc(toc: Iterable[Any]) -> list[Any]:
    """A PyInstaller TOC (``(dest, source, kind)`` tuples) without the unused Qt files."""
    return [entry for entry in toc if keep_entry(entry[0])]


def prune_unreferenced(toc: Iterable[Any], imports_of: Callable[[str], Iterable[str]]) -> list[Any]:
    """Drop the shared libraries that no kept module or plugin loads any more.

    The hooks resolve the dependencies of every plugin before :func:`filter_toc` drops
    some of those plugins (GTK's theme pulls in cairo, pango and a dozen more). The roots
    are the Python extension modules, the kept Qt plugins and libpython; ``imports_of(path)``
    gives the libraries a file loads, directly or not (``ldd`` on Linux).
    """
    entries = list(toc)
    roots = [
        e
        for e in entries
        if e[2] == "EXTENSION" or "plugins" in _parts(e[0]) or e[0].startswith("libpython")
    ]
    needed: set[str] = set()
    for entry in roots:
        needed.update(PurePosixPath(str(name)).name for name in imports_of(entry[1]))
    root_ids = {id(e) for e in roots}
    return [
        e
        for e in entries
        if id(e) in root_ids
        or e[2] not in ("BINARY", "SYMLINK")
        or PurePosixPath(e[0].replace("\\", "/")).name in needed
    ]


def project_data(root: Path) -> list[tuple[str, str]]:
    """``(source file, destination folder)`` pairs for ``migrations/`` and ``resources/``.

    Listed file by file so that caches (``__pycache__``) and editor leftovers stay out.
    """
    pairs: list[tuple[str, str]] = []
    migrations = root / "migrations"
    for pattern in ("*.py", "*.mako", "versions/*.py"):
        for path in sorted(migrations.glob(pattern)):
            pairs.append((str(path), str(path.parent.relative_to(root))))
    for path in sorted((root / "resources").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
            pairs.append((str(path), str(path.parent.relative_to(root))))
    return pairs


def write_windows_version_file(target: Path, meta: Any, display_name: str, publisher: str) -> None:
    """The version resource of the Windows executables (file properties → 详细信息)."""
    numbers = tuple(int(p) for p in meta.numeric_version.split("."))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404b0', [
      StringStruct('CompanyName', '{publisher}'),
      StringStruct('FileDescription', '{display_name}'),
      StringStruct('FileVersion', '{meta.version}'),
      StringStruct('InternalName', 'PolicyLedger'),
      StringStruct('OriginalFilename', 'PolicyLedger.exe'),
      StringStruct('ProductName', '{display_name}'),
      StringStruct('ProductVersion', '{meta.version}')])]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])
  ]
)
""",
        encoding="utf-8",
    )
