"""Under CI a skip fails the run, unless the test cannot run on any CI machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SAMPLE = """
import pytest
from tests.needs import impossible_here, tool


def test_plain_skip():
    pytest.skip("some reason")


def test_missing_tool():
    package = "no-such-package"
    tool("no-such-command-here", package)


def test_impossible():
    impossible_here("needs a real printer")


def test_passes():
    pass
"""


def run_sample(tmp_path: Path, ci: str | None) -> str:
    """pytest's report of SAMPLE, run with the suite's own hook (tests/conftest.py)."""
    (tmp_path / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_runtest_makereport  # noqa: F401\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:qt", "-rA"]
    command += ["-q", "-c", os.devnull, "--rootdir", str(tmp_path), "test_sample.py"]
    result = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env
    )
    return result.stdout


@pytest.mark.parametrize("ci", [None, "false"])
def test_outside_ci_missing_things_are_skipped(tmp_path: Path, ci: str | None) -> None:
    out = run_sample(tmp_path, ci)
    assert "1 passed, 3 skipped" in out, out
    assert "no-such-command-here (Debian package no-such-package) is not installed" in out


def test_under_ci_only_the_impossible_is_skipped(tmp_path: Path) -> None:
    out = run_sample(tmp_path, "true")
    assert "2 failed, 1 passed, 1 skipped" in out, out
    assert "FAILED test_sample.py::test_plain_skip - skipped under CI: Skipped: some reason" in out
    assert (
        "FAILED test_sample.py::test_missing_tool - Failed: the command no-such-command-here" in out
    )
    assert "impossible here: needs a real printer" in out
