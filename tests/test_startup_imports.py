"""Opening the program loads only what its first screen needs.

The window shows before the database layer is imported, and once the overview is filled in,
neither the report writers (reportlab, openpyxl), python-docx nor Alembic (for a database at
the program's revision) have been loaded — they load when a ledger is printed, a workbook
exported, a notice read or a database upgraded. Checked in a fresh interpreter, so nothing a
test loaded before counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from desktop.db.schema_check import expected_schemas
from desktop.services.context import open_office
from desktop.services.demo.office import run_demo

DRIVER = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtCore import QTimer
    import desktop.app as app
    from desktop.ui.main_window import MainWindow

    WATCHED = ("sqlalchemy", "alembic", "reportlab", "openpyxl", "docx")
    seen = {}
    show = MainWindow.show

    def loaded():
        return sorted(m for m in WATCHED if m in sys.modules)

    def shown(window):
        show(window)
        seen.setdefault("window", loaded())

        def filled():
            if window.is_ready() and window.page("overview").current is not None:
                seen["overview"] = loaded()
                print(json.dumps(seen), flush=True)
                os._exit(0)

        timer = QTimer(window)
        timer.timeout.connect(filled)
        timer.start(20)

    MainWindow.show = shown
    app.run_gui(sys.argv[1])
    """
)


def test_the_window_shows_first_and_the_heavy_libraries_wait(tmp_path: Path) -> None:
    root = tmp_path / "office"
    services = open_office(root)
    try:
        run_demo(services, tasks=20)
    finally:
        services.close()
    # an office opened before has the expected schema in the user's cache (the tests share
    # one): a new database skips the check, so the cache is made here when this test runs first
    expected_schemas()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["window"] == []  # painted before the database layer was imported
    assert seen["overview"] == ["sqlalchemy"]


LEDGER_DRIVER = textwrap.dedent(
    """
    import json, runpy, sys
    sys.argv = ["policy-ledger", *sys.argv[1:]]
    try:
        runpy.run_module("desktop", run_name="__main__")
    except SystemExit as done:
        code = done.code
    WATCHED = ("sqlalchemy", "alembic", "desktop.db.models", "PySide6", "openpyxl", "docx",
               "reportlab", "PIL",
               # what a start needs only when something goes wrong: a record to log, a
               # damaged file to offer a backup for
               "logging.handlers", "desktop.services.safety.backups")
    print(json.dumps({"code": code, "loaded": sorted(m for m in WATCHED if m in sys.modules)}))
    """
)
# reportlab and Pillow made unimportable, as if they were not installed
WITHOUT_REPORTLAB = textwrap.dedent(
    """
    import sys

    class Gone:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("reportlab", "PIL"):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Gone())
    """
)


def _ledger_command(
    root: Path, out: Path, *extra: str, driver: str = LEDGER_DRIVER
) -> dict[str, object]:
    args = ["--data-dir", str(root), "ledger", "pdf", "--year", "2027", "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", driver, *args, *extra],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_printing_a_ledger_loads_no_orm(tmp_path: Path) -> None:
    """``ledger pdf`` reads over a plain connection (``desktop.services.reader``): most of
    a short command's time would go to importing SQLAlchemy and the models. Nor does it
    load reportlab (or Pillow): it prints with reportlab made unimportable."""
    root = tmp_path / "office"
    services = open_office(root)
    try:
        run_demo(services, tasks=20)
    finally:
        services.close()
    expected_schemas()  # the cache of the expected schema, as an office opened before has
    for variant in ("all", "progress", "lagging"):
        seen = _ledger_command(root, tmp_path / f"{variant}.pdf", "--variant", variant)
        assert seen == {"code": 0, "loaded": []}, variant
        assert (tmp_path / f"{variant}.pdf").read_bytes().startswith(b"%PDF")
    seen = _ledger_command(
        root, tmp_path / "q1.pdf", "--variant", "progress", "--period", "2027-Q1"
    )
    assert seen == {"code": 0, "loaded": []}
    # the fonts are read and subset by the program itself (desktop.core.reports.truetype)
    out = tmp_path / "without.pdf"
    seen = _ledger_command(root, out, driver=WITHOUT_REPORTLAB + LEDGER_DRIVER)
    assert seen == {"code": 0, "loaded": []}
    assert out.read_bytes() == (tmp_path / "all.pdf").read_bytes()


def test_a_new_office_prints_through_the_full_open(tmp_path: Path) -> None:
    """A folder with no database yet must be set up (which writes): the command opens the
    office fully and says what a new office lacks, as before."""
    seen = _ledger_command(tmp_path / "new", tmp_path / "x.pdf")
    assert seen["code"] == 2
    assert "sqlalchemy" in seen["loaded"]  # type: ignore[operator]
    assert not (tmp_path / "x.pdf").exists()
