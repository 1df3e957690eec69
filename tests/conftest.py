"""Test configuration shared by every test: offscreen Qt, temporary data folders, factories."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt renders offscreen in every test run: no display is needed, on CI or here.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("POLICY_LEDGER_HOME", None)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILTIN_NOTICE = ROOT / "resources" / "notices" / "zjzf-2026-16.txt"


@pytest.fixture(scope="session", autouse=True)
def font_metrics_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Parsed font metrics go to a folder of the test run, never the user's cache."""
    folder = tmp_path_factory.mktemp("font-metrics")
    old = os.environ.get("POLICY_LEDGER_CACHE_DIR")
    os.environ["POLICY_LEDGER_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("POLICY_LEDGER_CACHE_DIR", None)
    else:
        os.environ["POLICY_LEDGER_CACHE_DIR"] = old


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
    skip = pytest.mark.skip(reason="uses calls Windows does not have (SIGKILL, geteuid, chmod)")
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
