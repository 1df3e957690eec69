"""The registry of command-line commands; each module adds its own subcommands."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli import data_root
from desktop.errors import InputFileError

if TYPE_CHECKING:  # the services load when a command opens the data folder, not for --help
    from desktop.paths import DataDir
    from desktop.services.context import Services
    from desktop.services.safety.wal_check import WalDamage

# modules under desktop.cli that define ``register(subparsers)``, each adding the command
# it is named after (``ledger_cmd``: ``ledger``)
COMMAND_MODULES = (
    "office_cmd",
    "notice_cmd",
    "worklist_cmd",
    "ledger_cmd",
    "demo_cmd",
    "db_cmd",
    "selftest_cmd",
    "package_cmd",
    "progress_cmd",
    "dept_cmd",
)


def register_all(sub: Any, only: str | None = None) -> None:
    """Adds every command to ``sub``, or only the command ``only`` when it is one."""
    names = [f"{only}_cmd"] if f"{only}_cmd" in COMMAND_MODULES else COMMAND_MODULES
    for name in names:
        import_module(f"desktop.cli.{name}").register(sub)


def named_command(args: Sequence[str]) -> str | None:
    """The command word of a command line (``ledger`` of ``--data-dir D ledger pdf …``);
    None when an option other than ``--data-dir`` comes first (help, the version, an
    abbreviation argparse would expand), or no command is named."""
    words = iter(args)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("--data-dir="):
            return None if word.startswith("-") else word
    return None


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Services]:
    """The services of the data folder the command names, closed afterwards."""
    from desktop.services.context import open_office

    services = open_office(data_root(args))
    say_wal_damage(services.wal_damage, services.data_dir)
    try:
        yield services
    finally:
        services.close()


def say_wal_damage(damage: WalDamage | None, data_dir: DataDir) -> None:
    """A damaged write-ahead log found at start, said once: it is emptied from now on."""
    if damage is not None:
        from desktop.cli import say

        say(f"注意：{damage.message()}{damage.console_hint(data_dir)}")


def output_file(text: str, example: str) -> Path:
    """The file ``--out`` names; a folder (existing, or written with a trailing separator)
    is refused before anything is done, instead of becoming a file without a suffix."""
    out = Path(text).expanduser()
    if text.endswith(("/", "\\")) or out.is_dir():
        raise InputFileError(f"“{text}”是文件夹，请给出要写入的文件名，例如 {out / example}。")
    return out


def day(text: str) -> date:
    """A date given on the command line (``2027-06-30``)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应写成 2027-06-30") from None


day.__name__ = "日期"  # argparse names the type in its message


def add_as_of(parser: Any) -> None:
    """``--as-of DATE``: the day the command's figures are computed for (its "today")."""
    parser.add_argument(
        "--as-of",
        type=day,
        default=None,
        metavar="DATE",
        help="按哪一天计算状态和进度（默认今天；示例单位为其演示日期）",
    )
