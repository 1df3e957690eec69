"""The registry of command-line commands; each module adds its own subcommands."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli import data_root
from desktop.errors import InputFileError

if TYPE_CHECKING:  # the services load when a command opens the data folder, not for --help
    from desktop.services.context import Services

# modules under desktop.cli that define ``register(subparsers)``
COMMAND_MODULES = (
    "office_cmd",
    "notice_cmd",
    "worklist_cmd",
    "ledger_cmd",
    "demo_cmd",
    "db_cmd",
    "selftest_cmd",
    "package_cmd",
)


def register_all(sub: Any) -> None:
    for name in COMMAND_MODULES:
        import_module(f"desktop.cli.{name}").register(sub)


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Services]:
    """The services of the data folder the command names, closed afterwards."""
    from desktop.services.context import open_office

    services = open_office(data_root(args))
    try:
        yield services
    finally:
        services.close()


def output_file(text: str, example: str) -> Path:
    """The file ``--out`` names; a folder (existing, or written with a trailing separator)
    is refused before anything is done, instead of becoming a file without a suffix."""
    out = Path(text).expanduser()
    if text.endswith(("/", "\\")) or out.is_dir():
        raise InputFileError(f"“{text}”是文件夹，请给出要写入的文件名，例如 {out / example}。")
    return out
