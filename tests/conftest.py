"""Test configuration shared by every test: offscreen Qt, temporary data folders, factories."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.needs import CI, IMPOSSIBLE

# Qt renders offscreen in every test run: no display is needed, on CI or here.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("POLICY_LEDGER_HOME", None)
# the expected database schema and parsed font metrics are cached per user (desktop.paths.
# cache_dir): the tests and the programs they start share one cache of their own, never the user's
if "POLICY_LEDGER_CACHE" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="policy-ledger-test-cache-")
    os.environ["POLICY_LEDGER_CACHE"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``posix_only`` (SIGKILL, geteuid, chmod, mount) are skipped on Windows
    only; everywhere else they run."""
    if sys.platform != "win32":
        return
    skip = pytest.mark.skip(
        reason=IMPOSSIBLE + "uses calls Windows does not have (SIGKILL, chmod…)"
    )
    for item in items:
        if item.get_closest_marker("posix_only") is not None:
            item.add_marker(skip)


# The day the tests' offices live on: the lists the tests build are for 2027, and a list's
# periods can be filled in only once they have begun, so the calendar stands at the end of
# 2027 (every period of the year begun). A test about another day fixes ``clock.now`` itself
# (``monkeypatch`` applied in the test wins), or gives its office a demo date.
TEST_NOW = (2027, 12, 31, 9, 0)


@pytest.fixture(autouse=True)
def office_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    from desktop.services import clock

    moment = datetime(*TEST_NOW).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)


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
