"""The command line's output on a Windows console, redirected or piped, and in the windowed
program, which has no ``sys.stdout`` at all.

The streams are stood in for by text streams over byte buffers, as Python sets them up on
Windows: a console (``isatty``), or a file or pipe in the locale's code page.
"""

from __future__ import annotations

import io
import sys

import pytest

from desktop.cli import console


class FakeStream(io.TextIOWrapper):
    """sys.stdout as Python makes it for a console (``tty``) or a redirect."""

    def __init__(self, encoding: str, *, tty: bool) -> None:
        super().__init__(io.BytesIO(), encoding=encoding, errors="strict")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    def bytes(self) -> bytes:
        self.flush()
        return self.buffer.getvalue()  # type: ignore[attr-defined]


def _configure(
    monkeypatch: pytest.MonkeyPatch,
    stdout: object,
    stderr: object,
    *,
    platform: str = "win32",
    code_page: int = 936,
    environ: dict[str, str] | None = None,
) -> None:
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    console.configure_streams(
        platform=platform, console_code_page=lambda: code_page, environ=environ or {}
    )


def test_redirected_output_in_cmd_follows_the_console_code_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # policy-ledger db backups > 备份清单.txt   (cmd, Chinese Windows: code page 936)
    out, err = FakeStream("cp1252", tty=False), FakeStream("cp1252", tty=False)
    _configure(monkeypatch, out, err)
    print("自动备份 2027-03-31 浙政发〔2026〕16号 🙂")
    print("已备份到 D:\\U盘\\清单台账备份.sqlite3", file=sys.stderr)
    assert out.bytes() == "自动备份 2027-03-31 浙政发〔2026〕16号 ?\n".encode("gbk")
    assert err.bytes().decode("gbk") == "已备份到 D:\\U盘\\清单台账备份.sqlite3\n"


def test_json_is_utf8_whatever_the_console(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = FakeStream("cp1252", tty=False), FakeStream("cp1252", tty=False)
    _configure(monkeypatch, out, err)
    print("说明：")  # human text before, in the code page
    console.print_json({"locality": "某某县", "doc": "浙政发〔2026〕16号", "emoji": "🙂"})
    text = out.bytes()
    head, _, body = text.partition(b"\n")
    assert head.decode("gbk") == "说明："
    assert body.decode("utf-8") == (
        '{\n  "locality": "某某县",\n  "doc": "浙政发〔2026〕16号",\n  "emoji": "🙂"\n}\n'
    )


def test_a_console_window_gets_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python writes to a real console with WriteConsoleW; its text layer takes UTF-8
    out, err = FakeStream("utf-8", tty=True), FakeStream("utf-8", tty=True)
    _configure(monkeypatch, out, err)
    print("清单台账")
    assert out.encoding == "utf-8" and out.bytes() == "清单台账\n".encode()


@pytest.mark.parametrize(
    ("code_page", "expected"), [(0, "utf-8"), (65001, "utf-8"), (437, "cp437")]
)
def test_pipes_without_a_console_and_utf8_consoles(code_page: int, expected: str) -> None:
    stream = FakeStream("cp1252", tty=False)
    found = console.human_encoding(stream, platform="win32", console_code_page=lambda: code_page)
    assert found == expected


def test_linux_is_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = FakeStream("ascii", tty=False), FakeStream("ascii", tty=False)
    _configure(monkeypatch, out, err, platform="linux")
    print("某某县")
    assert out.bytes() == "某某县\n".encode()


def test_pythonioencoding_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = FakeStream("utf-8", tty=False), FakeStream("utf-8", tty=False)
    _configure(monkeypatch, out, err, environ={"PYTHONIOENCODING": "utf-8"})
    print("某某县")
    assert out.bytes() == "某某县\n".encode()


def test_the_windowed_program_has_no_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    # PolicyLedger.exe (no console): sys.stdout and sys.stderr are None
    _configure(monkeypatch, None, None)
    assert sys.stdout is not None and sys.stderr is not None
    print("自检通过。")
    print("失败", file=sys.stderr)
    console.print_json({"ok": True})
    sys.stdout.close()
    sys.stderr.close()


def test_print_json_without_any_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    console.print_json({"ok": True})  # nothing to write to, and no error


def test_a_command_in_the_windowed_program_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """``PolicyLedger.exe notice parse … --json`` from a shortcut: no stdout, no crash."""
    from desktop.cli import main
    from tests.conftest import BUILTIN_NOTICE

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["notice", "parse", str(BUILTIN_NOTICE), "--json"]) == 0
    assert main(["notice", "parse", "没有这个文件.txt"]) == 2  # the error line goes nowhere
