"""What the command line writes to, and in which encoding.

- ``--json`` output is UTF-8 always, whatever the console or the pipe (programs read it).
- Human output (messages, tables, help) goes to a Windows console through Python's own
  console writer, which needs no code page. Redirected or piped in cmd or PowerShell 5.1
  (``> 结果.txt``, ``| findstr``) it is encoded in the console's code page (936 on a
  Chinese Windows), which is what ``type``, Notepad's "ANSI" and PowerShell 5.1 read;
  UTF-8 there would show as mojibake. Characters the code page lacks become "?".
- Without a console at all (another program's pipe), on Linux and macOS: UTF-8.
- ``PYTHONIOENCODING`` set by the user wins over all of this.
- The windowed Windows program has no ``sys.stdout`` / ``sys.stderr`` at all (``None``):
  they are pointed at the null device, so a command run from a shortcut never fails on
  writing its output.
- A pipe closed by its reader (``policy-ledger notice parse F | head -3``) is no error:
  the command stops, stdout is pointed at the null device so that Python's last flush
  has nowhere to fail, and the exit status is 141 (128 + SIGPIPE), what a shell reports
  for a program the closed pipe stopped.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO


def _console_output_code_page() -> int:
    """The attached console's output code page, 0 when there is no console (Windows only)."""
    import ctypes

    return int(ctypes.windll.kernel32.GetConsoleOutputCP())  # type: ignore[attr-defined]


def human_encoding(
    stream: TextIO,
    *,
    platform: str = sys.platform,
    console_code_page: Callable[[], int] = _console_output_code_page,
) -> str:
    """The encoding human output to ``stream`` should use (see the module's description)."""
    if platform != "win32":
        return "utf-8"
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError, OSError):
        interactive = False
    if interactive:
        return "utf-8"  # Python's console writer takes UTF-8 and writes UTF-16 to the console
    try:
        code_page = console_code_page()
    except (AttributeError, OSError):
        code_page = 0
    if code_page in (0, 65001):
        return "utf-8"
    return f"cp{code_page}"


def configure_streams(
    *,
    platform: str = sys.platform,
    console_code_page: Callable[[], int] = _console_output_code_page,
    environ: Mapping[str, str] = os.environ,
) -> None:
    """Point ``sys.stdout``/``sys.stderr`` where they can be written, in the right encoding."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    if environ.get("PYTHONIOENCODING"):
        return
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        encoding = human_encoding(stream, platform=platform, console_code_page=console_code_page)
        reconfigure(encoding=encoding, errors="replace")


EXIT_CLOSED_PIPE = 141


def closed_pipe() -> int:
    """Stdout's reader has gone: end quietly (see the module's description)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass  # no file descriptor (a test's stream): nothing will be flushed to a pipe
    return EXIT_CLOSED_PIPE


def print_json(value: Any) -> None:
    """``value`` as indented JSON on stdout, in UTF-8 whatever the stream's encoding."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n"
    stream = sys.stdout
    if stream is None:
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (a test's StringIO): it takes text
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
