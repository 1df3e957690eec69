"""The fonts the PDF ledger tests print with: chosen by the test run, not found on the machine.

``ledger_font`` runs a test once with each font ``installer/dev.sh`` installs, selected the
way an office would select it: the font's folder in ``POLICY_LEDGER_FONT_DIRS`` and the
system font folders switched off (``POLICY_LEDGER_NO_SYSTEM_FONTS``). Whatever else the
machine has (AR PL, Noto, Windows fonts copied over) does not change what these tests see.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.core.reports import fonts as fontmod
from tests.needs import DEV_FONTS, dev_font, link, tool


@pytest.fixture(scope="module", params=sorted(DEV_FONTS))
def ledger_font(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The file name of the one font the ledgers of this test are printed in."""
    tool("pdftotext", "poppler-utils")
    name = request.param
    folder = tmp_path_factory.mktemp("fonts")
    link(folder, name, dev_font(name))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICY_LEDGER_FONT_DIRS", str(folder))
        patch.setenv("POLICY_LEDGER_NO_SYSTEM_FONTS", "1")
        fontmod.clear_cache()
        try:
            yield name
        finally:
            fontmod.clear_cache()
