"""Guards that catch on Linux what would break on a Windows PC.

- An ``open()``, ``read_text()`` or ``write_text()`` of ours without an encoding uses the
  locale's code page on Windows (cp936, cp1252): ``installer/dev.sh test`` runs pytest
  under ``-X warn_default_encoding`` and pyproject turns the warning into an error for the
  modules of ``desktop`` and ``tests`` (ruff's PLW1514 finds the plain cases before that).
- The frozen-build helpers run once with an ASCII locale and UTF-8 mode off, as a script
  run by ``build.ps1`` on a Windows set to another language would.
- Tests that need calls Windows lacks are marked ``posix_only`` and skipped there only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent

needs_guard = pytest.mark.skipif(
    not sys.flags.warn_default_encoding,
    reason="run pytest with python -X warn_default_encoding, as installer/dev.sh test does",
)


def _run_as_module(name: str, source: str, **names: object) -> None:
    exec(compile(source, f"{name.replace('.', '/')}.py", "exec"), {"__name__": name, **names})


@needs_guard
def test_an_open_of_ours_without_an_encoding_fails_the_run(tmp_path: Path) -> None:
    target = tmp_path / "清单.txt"
    with pytest.raises(EncodingWarning):
        _run_as_module("desktop.core.example", "open(target, 'w').close()", target=target)
    with pytest.raises(EncodingWarning):
        _run_as_module("desktop.example", "target.write_text('清单')", target=target)
    with pytest.raises(EncodingWarning):
        _run_as_module("tests.example", "target.read_text()", target=target)
    # with the encoding given, nothing is said
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _run_as_module(
            "desktop.example", "target.write_text('清单', encoding='utf-8')", target=target
        )


@needs_guard
def test_other_libraries_only_warn(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    with pytest.warns(EncodingWarning):
        _run_as_module("openpyxl.example", "open(target, 'w').close()", target=target)


def test_the_test_command_and_the_linter_carry_the_guards() -> None:
    import tomllib

    dev = (ROOT / "installer" / "dev.sh").read_text(encoding="utf-8")
    assert "-X warn_default_encoding -m pytest" in dev
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert (
        "error::EncodingWarning:desktop"
        in config["tool"]["pytest"]["ini_options"]["filterwarnings"]
    )
    lint = config["tool"]["ruff"]["lint"]
    assert "PLW1514" in lint["select"] and lint["preview"] and lint["explicit-preview-rules"]


def _ascii_locale() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON", "LANG"))}
    # an ASCII locale with UTF-8 mode and locale coercion off: the default encoding is
    # ASCII, as cp1252 or cp936 would be for Chinese text on Windows
    env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    return env


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    strict = ["-X", "warn_default_encoding", "-W", "error::EncodingWarning"]
    done = subprocess.run(
        [sys.executable, *strict, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["installer/project_meta.py", "version"],
        ["installer/project_meta.py", "nsis-defines"],
        ["installer/project_meta.py", "installer-name"],
        [
            "-c",
            "import sys; sys.path.insert(0, 'installer'); import frozen_filter; "
            "print(len(frozen_filter.project_data(__import__('pathlib').Path('.'))))",
        ],
        ["installer/entry.py", "--version"],
    ],
    ids=["version", "nsis-defines", "installer-name", "frozen_filter", "entry"],
)
def test_the_frozen_build_helpers_need_no_utf8_locale(args: list[str]) -> None:
    assert _run(args, _ascii_locale()) == _run(args)


def test_posix_only_tests_are_skipped_on_windows_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import conftest

    class Item(SimpleNamespace):
        def get_closest_marker(self, name: str) -> object:
            return self.marked if name == "posix_only" else None

        def add_marker(self, marker: pytest.MarkDecorator) -> None:
            self.added.append(marker.mark)

    items = [Item(marked=True, added=[]), Item(marked=None, added=[])]
    conftest.pytest_collection_modifyitems(None, items)  # type: ignore[arg-type]
    assert items[0].added == [] and items[1].added == []  # here: everything runs
    monkeypatch.setattr(sys, "platform", "win32")
    conftest.pytest_collection_modifyitems(None, items)  # type: ignore[arg-type]
    assert [m.name for m in items[0].added] == ["skip"] and items[1].added == []
