"""Finding the Chinese fonts the ledgers embed, and the start-up font check.

A ledger embeds every glyph it prints as a TrueType subset, so it needs a TrueType
Chinese font on the machine: on Windows the system's 黑体/仿宋/宋体, on Linux (UOS,
Kylin, Debian) WenQuanYi, AR PL or a TrueType Noto. The title prefers a 黑体/小标宋 face,
the body a 仿宋/宋体 face; where only one family exists it serves both. When nothing
usable exists we raise :class:`~desktop.errors.FontMissingError` with a message saying
what to install, never a PDF of empty boxes.

Search order: the ``extra_dirs`` argument, then ``POLICY_LEDGER_FONT_DIRS``
(``os.pathsep``-separated), then the system font folders (unless ``system=False`` or
``POLICY_LEDGER_NO_SYSTEM_FONTS=1``). The ledger reads its faces with :mod:`.truetype`
(:meth:`FontSet.load`); this module does not import reportlab, only
:meth:`FontSet.register` does, for drawing with reportlab.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.errors import FontMissingError

from .sfnt import FaceInfo, SfntError, charmap, covers, read_faces

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

    from .truetype import TrueTypeFace

ENV_DIRS = "POLICY_LEDGER_FONT_DIRS"
ENV_NO_SYSTEM = "POLICY_LEDGER_NO_SYSTEM_FONTS"

# (file name in lower case, face index in a collection, style). Earlier is better.
TITLE_CANDIDATES: tuple[tuple[str, int, str], ...] = (
    ("fzxbsjw.ttf", 0, "小标宋"),
    ("fzxbsjw--gb1-0.ttf", 0, "小标宋"),
    ("方正小标宋简体.ttf", 0, "小标宋"),
    ("simhei.ttf", 0, "黑体"),
    ("msyh.ttc", 0, "雅黑"),
    ("msyh.ttf", 0, "雅黑"),
    ("wqy-zenhei.ttc", 0, "黑体"),
    ("wqy-microhei.ttc", 0, "黑体"),
    ("notosanssc-regular.ttf", 0, "黑体"),
    ("notosanscjksc-regular.ttf", 0, "黑体"),
    ("droidsansfallbackfull.ttf", 0, "黑体"),
    ("droidsansfallback.ttf", 0, "黑体"),
)
BODY_CANDIDATES: tuple[tuple[str, int, str], ...] = (
    ("simfang.ttf", 0, "仿宋"),
    ("仿宋_gb2312.ttf", 0, "仿宋"),
    ("fs_gb2312.ttf", 0, "仿宋"),
    ("simsun.ttc", 0, "宋体"),
    ("simsun.ttf", 0, "宋体"),
    ("uming.ttc", 0, "明体"),
    ("notoserifsc-regular.ttf", 0, "宋体"),
    ("wqy-zenhei.ttc", 0, "黑体"),
    ("wqy-microhei.ttc", 0, "黑体"),
    ("simkai.ttf", 0, "楷体"),
    ("ukai.ttc", 0, "楷体"),
    ("msyh.ttc", 0, "雅黑"),
    ("notosanssc-regular.ttf", 0, "黑体"),
    ("droidsansfallbackfull.ttf", 0, "黑体"),
    ("droidsansfallback.ttf", 0, "黑体"),
)
# Extra faces tried, in order, for a character the body and title faces lack.
FALLBACK_CANDIDATES: tuple[str, ...] = (
    "simsun.ttc",
    "msyh.ttc",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "uming.ttc",
    "droidsansfallbackfull.ttf",
)

FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
# File names that suggest a Chinese font, probed only when no known file exists.
_CJK_NAME = re.compile(r"cjk|hans|(sc|cn|gb)[-_.\[]|song|hei|kai|fang|ming|chinese")


@dataclass(frozen=True)
class FontFace:
    """One face of a font file, as the ledger embeds it."""

    path: Path
    index: int
    family: str
    style: str

    @property
    def reportlab_name(self) -> str:
        """The (ASCII) name the face is registered under with reportlab."""
        stem = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in self.path.stem)
        return f"PL-{stem}-{self.index}-{zlib.crc32(str(self.path).encode()):08x}"


@dataclass(frozen=True)
class FontSet:
    """The faces a ledger uses: title (黑体/小标宋), body (仿宋/宋体) and fallbacks."""

    title: FontFace
    body: FontFace
    fallbacks: tuple[FontFace, ...] = ()

    @property
    def title_name(self) -> str:
        return self.title.reportlab_name

    @property
    def body_name(self) -> str:
        return self.body.reportlab_name

    def faces(self) -> list[FontFace]:
        """Every distinct face, title and body first."""
        seen: list[FontFace] = []
        for face in (self.title, self.body, *self.fallbacks):
            if face not in seen:
                seen.append(face)
        return seen

    def register(self) -> dict[FontFace, TTFont]:
        """Registers every face with reportlab (once per process), for drawing with
        reportlab; returns the font objects. The ledgers do not need it (:meth:`load`)."""
        return {face: _register(face) for face in self.faces()}

    def load(self, face: FontFace) -> TrueTypeFace:
        """The parsed face, as the ledger's PDF writer embeds it (read once per process
        while the file is unchanged)."""
        return load_face(face)

    def describe(self) -> str:
        """A one-line human description, e.g. for logs and the about box."""
        title, body = self.title, self.body
        return f"标题：{title.family}（{title.path.name}）；正文：{body.family}（{body.path.name}）"


_loaded: dict[tuple[str, int], tuple[tuple[int, int], TrueTypeFace]] = {}
_registered: dict[str, TTFont] = {}
_register_lock = threading.Lock()


def load_face(face: FontFace) -> TrueTypeFace:
    """Face ``face`` parsed (:func:`.truetype_read.parse_face`): kept per file and face while the
    file's size and modification time stay the same; raises ``FontMissingError``."""
    from .truetype import FontFileError
    from .truetype_read import parse_face

    key = (str(face.path), face.index)
    with _register_lock:
        try:
            st = face.path.stat()
            stamp = (st.st_size, st.st_mtime_ns)
            known = _loaded.get(key)
            if known is not None and known[0] == stamp:
                return known[1]
            parsed = parse_face(face.path, face.index)
        except (FontFileError, OSError) as exc:
            raise FontMissingError(
                f"字体文件“{face.path}”无法使用（{exc}）。", hint=_install_hint()
            ) from exc
        _loaded[key] = (stamp, parsed)
        return parsed


def _register(face: FontFace) -> TTFont:
    name = face.reportlab_name
    with _register_lock:
        if name in _registered:
            return _registered[name]
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        try:
            font = TTFont(name, str(face.path), subfontIndex=face.index)
        except (TTFError, OSError) as exc:
            raise FontMissingError(
                f"字体文件“{face.path}”无法使用（{exc}）。", hint=_install_hint()
            ) from exc
        pdfmetrics.registerFont(font)
        _registered[name] = font
        return font


def _install_hint() -> str:
    if sys.platform.startswith("win"):
        return (
            "请确认系统自带的宋体、黑体、仿宋（C:\\Windows\\Fonts 下的 simsun.ttc、simhei.ttf、"
            "simfang.ttf）没有被删除，必要时从其他电脑复制并安装这些字体。"
        )
    return (
        "请安装中文字体，例如在终端执行 sudo apt install fonts-wqy-microhei fonts-wqy-zenhei"
        "（统信UOS/麒麟可在应用商店安装“文泉驿微米黑”“文泉驿正黑”），"
        f"或把存放 .ttf/.ttc 字体文件的文件夹写入环境变量 {ENV_DIRS}。"
    )


MISSING_FONT = "找不到可用于生成PDF台账的中文字体（需要TrueType格式的宋体、仿宋或黑体）。"


def missing_font_message() -> str:
    """The Chinese message shown when no usable font exists."""
    return MISSING_FONT + _install_hint()


def system_font_dirs() -> list[Path]:
    """The platform's font folders, existing or not."""
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        dirs = [Path(windir) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local/share")
    return [
        data_home / "fonts",
        home / ".fonts",
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
    ]


def search_dirs(
    extra_dirs: Sequence[str | Path] | None = None, *, system: bool = True
) -> list[Path]:
    """The folders searched, in order of preference."""
    dirs = [Path(d) for d in extra_dirs or ()]
    dirs += [Path(d) for d in os.environ.get(ENV_DIRS, "").split(os.pathsep) if d.strip()]
    if system and os.environ.get(ENV_NO_SYSTEM, "") not in ("1", "true", "yes"):
        dirs += system_font_dirs()
    return dirs


def _font_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """File name (lower case) → first path found, earlier folders winning."""
    found: dict[str, Path] = {}
    for top in dirs:
        if not top.is_dir():
            continue
        for root, subdirs, files in os.walk(top):
            subdirs.sort()
            for name in sorted(files):
                if name.lower().endswith(FONT_SUFFIXES):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def _usable_face(path: Path, index: int, style: str) -> FontFace | None:
    try:
        faces = read_faces(path)
    except SfntError:
        return None
    if index >= len(faces) or not faces[index].usable:
        # A collection whose first face is unusable may still have a usable one.
        good = [f for f in faces if f.usable]
        if not good:
            return None
        info = good[0]
    else:
        info = faces[index]
    return FontFace(path, info.index, info.family or path.stem, style)


def _probe_unknown(files: dict[str, Path], allowed: list[Path]) -> FontFace | None:
    """Any TrueType face with Chinese glyphs: among all files of folders the user named,
    and among system fonts whose names suggest Chinese (a TrueType Noto SC, say)."""
    roots = [os.path.join(os.path.abspath(d), "") for d in allowed]
    for name, path in files.items():
        named = any(os.path.abspath(path).startswith(r) for r in roots)
        if not named and not _CJK_NAME.search(name):
            continue
        try:
            faces: list[FaceInfo] = read_faces(path)
            for info in faces:
                if info.usable and covers(info):
                    return FontFace(path, info.index, info.family or path.stem, "中文")
        except SfntError:
            continue
    return None


def _pick(files: dict[str, Path], candidates: Sequence[tuple[str, int, str]]) -> FontFace | None:
    for name, index, style in candidates:
        if name in files:
            face = _usable_face(files[name], index, style)
            if face is not None:
                return face
    return None


def find_cjk_fonts(
    extra_dirs: Sequence[str | Path] | None = None, *, system: bool = True
) -> FontSet:
    """The best title and body faces on this machine; raises ``FontMissingError``."""
    dirs = search_dirs(extra_dirs, system=system)
    key = (tuple(str(d) for d in dirs),)
    cached = _found.get(key)
    if cached is not None:
        return cached
    files = _font_files(dirs)
    title = _pick(files, TITLE_CANDIDATES)
    body = _pick(files, BODY_CANDIDATES)
    if title is None and body is None:
        user_dirs = [Path(d) for d in extra_dirs or ()]
        user_dirs += [Path(d) for d in os.environ.get(ENV_DIRS, "").split(os.pathsep) if d]
        title = body = _probe_unknown(files, user_dirs)
    if title is None or body is None:
        title = title or body
        body = body or title
    if title is None or body is None:
        raise FontMissingError(MISSING_FONT, hint=_install_hint())
    fallbacks = []
    for name in FALLBACK_CANDIDATES:
        face = _pick(files, [(name, 0, "后备")])
        if face is not None and face.path not in (title.path, body.path):
            fallbacks.append(face)
    result = FontSet(title, body, tuple(fallbacks))
    _found[key] = result
    return result


_found: dict[tuple[tuple[str, ...]], FontSet] = {}


def clear_cache() -> None:
    """Forget what was found (after the user installed a font, and in tests)."""
    _found.clear()
    _charmaps.clear()
    with _register_lock:
        _loaded.clear()


_charmaps: dict[tuple[str, ...], list[Callable[[int], bool]]] = {}
_charmaps_lock = threading.Lock()


def fonts_have(ch: str) -> bool:
    """Whether the ledger's fonts on this machine (title, body and fallbacks, as the PDF
    writer chains them) have a glyph for ``ch``; False when no Chinese font is found."""
    try:
        fonts = find_cjk_fonts()
    except FontMissingError:
        return False
    key = tuple(f"{face.path}#{face.index}" for face in fonts.faces())
    with _charmaps_lock:
        tests = _charmaps.get(key)
        if tests is None:
            tests = []
            for face in fonts.faces():
                try:
                    info = read_faces(face.path)[face.index]
                    tests.append(charmap(info))
                except (SfntError, IndexError):
                    continue
            _charmaps[key] = tests
    code = ord(ch)
    return any(has(code) for has in tests)


def check_fonts(extra_dirs: Sequence[str | Path] | None = None) -> str | None:
    """The start-up check: ``None`` when a usable Chinese font exists, else the message."""
    try:
        find_cjk_fonts(extra_dirs)
    except FontMissingError as exc:
        return str(exc)
    return None
