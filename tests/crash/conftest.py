"""The long crash loops run only when asked for: ``pytest -m slow tests/crash``.

The default suite (``installer/dev.sh test``) runs the short versions; a test of this
folder marked ``slow`` is skipped unless the ``-m`` expression names ``slow``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="long crash loop: run with -m slow")
    for item in items:
        if "slow" in item.keywords and HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)
