"""The command line keeps its contract at the edges: a closed pipe ends quietly, a bug's
traceback goes to the log of the data folder in use, outside values are echoed cut short."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.errors import readable
from tests.conftest import BUILTIN_NOTICE, ROOT


@pytest.mark.posix_only  # Windows reports a closed pipe with other errors and no SIGPIPE
@pytest.mark.parametrize("as_json", [False, True])
def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path, as_json: bool) -> None:
    """``notice parse F | head -3``: the reader is gone before the output is written."""
    args = ["notice", "parse", str(BUILTIN_NOTICE), *(["--json"] if as_json else [])]
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "d"), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader has gone
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141
    assert err == ""
    assert not (tmp_path / "d" / "logs").exists()  # nothing to log: not a bug


def test_a_bugs_traceback_goes_to_the_data_folder_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import desktop.cli.notice_cmd as notice_cmd
    import desktop.paths

    default = tmp_path / "default"
    monkeypatch.setattr(desktop.paths, "default_data_dir", lambda: default)

    def broken(_args: object) -> int:
        raise RuntimeError("a bug in parsing")

    monkeypatch.setattr(notice_cmd, "_parse", broken)
    for chosen, env in ((tmp_path / "given", None), (tmp_path / "from-env", "env")):
        if env:
            monkeypatch.setenv("POLICY_LEDGER_HOME", str(chosen))
            code = main(["notice", "parse", str(BUILTIN_NOTICE)])
        else:
            code = main(["--data-dir", str(chosen), "notice", "parse", str(BUILTIN_NOTICE)])
        _, err = capsys.readouterr()
        log = chosen / "logs" / "policy-ledger.log"
        assert code == 70 and str(log) in err and "Traceback" not in err
        assert "RuntimeError: a bug in parsing" in log.read_text(encoding="utf-8")
    assert not default.exists()


def test_echoed_values_are_cut_to_a_readable_length(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digits = "9" * 4000
    root = tmp_path / "d"
    code = main(["--data-dir", str(root), "ledger", "pdf", "--year", digits, "--out", "x.pdf"])
    _, err = capsys.readouterr()
    assert code == 2 and len(err.splitlines()) == 1
    assert "9" * 59 in err and digits not in err and len(err) < 300
    code = main(["--data-dir", str(root), "demo", "--tasks", f"x{digits}"])
    _, err = capsys.readouterr()
    assert code == 2 and len(err.splitlines()) == 1 and len(err) < 300


def test_readable_keeps_paths_and_sentences_and_cuts_long_values() -> None:
    hint = '可运行 policy-ledger --data-dir "/home/user/a/very/long/folder/office" db check'
    assert readable(hint) == hint
    assert readable("完成百分比“" + "甲" * 500 + "”应为整数").count("甲") == 59
    assert len(readable("说明：" + "很长的句子。" * 400)) == 800
