"""The command line's parser is built for the one command a line names (the other nine
are neither imported nor built): each line parses exactly as with every command."""

from __future__ import annotations

import pytest

from desktop.cli import build_parser
from desktop.cli.commands import COMMAND_MODULES, named_command
from desktop.errors import UserError

LINES = [
    ["ledger", "pdf", "--year", "2027", "--out", "a.pdf"],
    ["--data-dir", "d", "ledger", "pdf", "--year", "2027", "--out", "a", "--variant", "lagging"],
    ["--data-dir=d", "ledger", "pdf", "--year", "2027", "--out", "x", "--per-unit-folder"],
    ["--data-dir", "d", "notice", "list", "--json"],
    ["office", "show", "--json"],
    ["worklist", "export-xlsx", "--year", "2027", "--out", "b.xlsx"],
    ["db", "check"],
    ["selftest"],
    ["demo"],
    ["progress", "periods", "--year", "2027"],
    ["--data-dir", "d"],  # the window
]


@pytest.mark.parametrize("line", LINES)
def test_a_line_parses_as_with_every_command(line: list[str]) -> None:
    assert vars(build_parser(line).parse_args(line)) == vars(build_parser().parse_args(line))


def test_the_command_word() -> None:
    assert named_command(["--data-dir", "ledger", "notice", "list"]) == "notice"
    assert named_command(["--data-dir=x", "db", "check"]) == "db"
    assert named_command(["--help"]) is None
    assert named_command(["--data", "x", "db"]) is None  # an abbreviation: the full parser
    assert named_command(["--data-dir", "x"]) is None


def test_help_and_mistakes_still_name_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser(["--help"]).parse_args(["--help"])
    shown = capsys.readouterr().out
    for module in COMMAND_MODULES:
        assert module.removesuffix("_cmd") in shown
    with pytest.raises(UserError, match="ledgr") as caught:
        build_parser(["ledgr", "pdf"]).parse_args(["ledgr", "pdf"])
    assert "ledger" in str(caught.value) and "notice" in str(caught.value)
