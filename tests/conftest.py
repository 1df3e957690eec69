"""Test configuration shared by every test: offscreen Qt, temporary data folders, factories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.needs import CI, IMPOSSIBLE

# Qt renders offscreen in every test run: no display is needed, on CI or here.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("POLICY_LEDGER_HOME", None)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILTIN_NOTICE = ROOT / "resources" / "notices" / "zjzf-2026-16.txt"


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    return tmp_path / "office"


@pytest.fixture
def services(data_root: Path) -> Iterator[object]:
    """A freshly opened office (migrated, built-in notice loaded), closed afterwards."""
    from desktop.services.context import open_office

    opened = open_office(data_root)
    try:
        yield opened
    finally:
        opened.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI a skip is a failure, unless the test cannot run on any CI machine
    (``tests.needs.impossible_here``): a missing tool or font means ``installer/dev.sh``
    no longer installs what the suite needs, and a silent skip would hide it."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not CI or not report.skipped or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    if IMPOSSIBLE in reason:
        return
    report.outcome = "failed"
    report.longrepr = f"skipped under CI: {reason}"
