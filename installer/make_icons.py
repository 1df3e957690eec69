"""Renders the application icon from ``resources/icons/app.svg`` into the files the program,
the Linux package and the Windows installer use:

- ``app-16.png`` … ``app-256.png``: the hicolor theme sizes of the Linux desktop entry;
- ``app.png`` (256 px): the window and taskbar icon (``desktop.app.make_application``);
- ``app.ico``: the Windows executables, shortcuts and the NSIS installer and uninstaller.

The generated files are committed, so a build never needs to run this. Run it after changing
the SVG::

    .venv/bin/python installer/make_icons.py

The ICO container is written here rather than with Pillow: small sizes as 32-bit BMP entries
(what Explorer, NSIS and the Windows resource compiler expect at 16–128 px), 256 px as a
PNG entry (the Vista format, keeps the file small).
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "app.svg"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
HICOLOR_SIZES = (16, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_ENTRY_MIN = 256  # entries this large are stored as PNG


@dataclass(frozen=True)
class IconImage:
    """One rendered size: straight (not premultiplied) BGRA rows top-down, and its PNG."""

    size: int
    bgra: bytes
    png: bytes


def png_name(size: int) -> str:
    return f"app-{size}.png"


def bmp_entry(size: int, bgra: bytes) -> bytes:
    """An ICO image as a DIB: header, bottom-up BGRA rows, then the (empty) AND mask."""
    if len(bgra) != size * size * 4:
        raise ValueError(f"{size}px image needs {size * size * 4} bytes, got {len(bgra)}")
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    stride = size * 4
    rows = b"".join(bgra[y * stride : (y + 1) * stride] for y in reversed(range(size)))
    mask_stride = ((size + 31) // 32) * 4  # 1 bit a pixel, rows padded to 32 bits
    return header + rows + bytes(mask_stride * size)


def build_ico(images: Sequence[IconImage]) -> bytes:
    """A multi-size ICO file: ICONDIR, one ICONDIRENTRY per image, then the image data."""
    payloads = [
        img.png if img.size >= PNG_ENTRY_MIN else bmp_entry(img.size, img.bgra) for img in images
    ]
    offset = 6 + 16 * len(images)
    directory = struct.pack("<HHH", 0, 1, len(images))
    for img, data in zip(images, payloads, strict=True):
        dim = 0 if img.size >= 256 else img.size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return directory + b"".join(payloads)


def render(svg: Path, sizes: Sequence[int]) -> list[IconImage]:
    """Render the SVG at each size with Qt's SVG renderer (offscreen, no display needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    images = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        straight = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory
        bgra = bytes(straight.constBits())[: size * size * 4]
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        straight.save(buffer, "PNG")
        buffer.close()
        images.append(IconImage(size, bgra, bytes(data.data())))
    return images


def main() -> int:
    images = render(SVG, PNG_SIZES)
    for img in images:
        (ICONS / png_name(img.size)).write_bytes(img.png)
    by_size = {img.size: img for img in images}
    (ICONS / "app.png").write_bytes(by_size[256].png)
    ico = build_ico([by_size[s] for s in ICO_SIZES])
    (ICONS / "app.ico").write_bytes(ico)
    print(f"{len(images)} PNG, app.png and app.ico ({len(ico) // 1024} KB) in {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
