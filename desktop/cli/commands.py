"""The registry of command-line commands; each module adds its own subcommands."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from desktop.cli import data_root
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
