"""Screenshots of the real screens for the user guide (``resources/manual/images``).

Opens the demo office (``demo``'s example county and its list) in a temporary data folder,
shows each area of the main window offscreen and saves it, so the pictures in the guide
are always the program as it is. The generated files are committed, so a build never needs
to run this. Run it after changing a screen::

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_manual_images.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "resources" / "manual" / "images"
WINDOW = (1280, 800)
WIDTH = 1000  # the pictures' width in the guide's files (the guide shows them at 800)


def _settle(app: object, seconds: float, until: object = None) -> None:
    """Lets the screen load (background work, the ledger preview) and paint."""
    deadline = time.monotonic() + 60
    start = time.monotonic()
    while time.monotonic() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        done = until() if callable(until) else True
        if done and time.monotonic() - start >= seconds:
            return
        time.sleep(0.02)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    from desktop.app import build_main_window, make_application
    from desktop.services.context import open_office
    from desktop.services.demo.office import run_demo
    from desktop.ui import dialogs

    app = make_application([sys.argv[0]])
    # nothing may stop the pictures with a question
    for name in ("info", "warning", "error"):
        setattr(dialogs, name, lambda *a, **k: None)
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        services = open_office(Path(tmp) / "清单台账")
        try:
            run_demo(services, tasks=60)
            window = build_main_window(services)
            window.resize(*WINDOW)
            window.show()
            for key in window.area_keys():
                page = window.show_area(key)
                ready = getattr(page, "preview_is_current", None)
                busy = getattr(page, "is_busy", lambda: False)
                until = (lambda r=ready, b=busy: r() and not b()) if ready else None
                _settle(app, 1.5, until)
                image = window.grab().toImage()
                image = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
                # 256 colours are plenty for a screen: a third of the file, text still crisp
                image = image.convertToFormat(
                    QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
                )
                target = IMAGES / f"{key}.png"
                if not image.save(str(target), "PNG", 9):
                    print(f"could not write {target}", file=sys.stderr)
                    return 1
                print(target.relative_to(ROOT))
            for widget in window.findChildren(type(window.page("ledgers"))):
                widget.cleanup()
            window.close()
        finally:
            services.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
