"""The command line: ``python -m desktop [--data-dir DIR] [COMMAND ...]`` (see CONTRACT.md).

Commands call the same services as the GUI. A user error — including a problem of the
computer such as a full disk or a read-only folder (``desktop.core.env_errors``) — prints
one Chinese line on stderr and exits 2; a bug writes its traceback to the log and exits 70;
success exits 0. A reader that stops early (``| head``) ends the command quietly with
141, as a shell expects of a process whose pipe closed. Output for programs (``--json``)
is UTF-8 JSON on stdout and nothing else; human output follows the Windows console's code
page when redirected (``console``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop import APP_NAME, __version__
from desktop.cli.console import closed_pipe, configure_streams
from desktop.cli.console import print_json as print_json
from desktop.errors import UserError

EXIT_USER_ERROR = 2
EXIT_BUG = 70

Handler = Callable[[argparse.Namespace], int]


# argparse's own words, in Chinese; it looks them up through its module-level ``_`` (gettext)
ARGPARSE_CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示程序版本并退出",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选择：%(value)r（可选：%(choices)s）"
    ),
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "one of the arguments %s is required": "必须给出其中一个参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 有歧义，可能是 %(matches)s"
    ),
}


def _chinese_argparse() -> None:
    original = getattr(argparse, "_", None)

    def translate(text: str) -> str:
        return ARGPARSE_CHINESE.get(text, original(text) if callable(original) else text)

    argparse._ = translate  # type: ignore[attr-defined]


_chinese_argparse()


_HEADING = re.compile(r"^(\S[^\n]*):$", re.MULTILINE)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes in Chinese as a user error."""

    def format_help(self) -> str:
        # argparse ends its section headings with a half-width colon: 选项: → 选项：
        return _HEADING.sub(r"\1：", super().format_help())

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"命令行参数有误：{message}", hint=f"（运行 {self.prog} --help 查看用法）")


def build_parser(args: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser: of every command, or, when ``args`` name one (the
    first word after the program's own options), of that command alone — the same parse
    for it, without importing and building the other nine (a sixteenth of a short
    command). Help, a version, a mistyped command: every command, as always."""
    from desktop.cli import commands

    parser = _Parser(prog="policy-ledger", description=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--data-dir", help="本单位数据文件夹（默认：POLICY_LEDGER_HOME 或用户数据目录）"
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help="显示程序版本并退出",  # the version action's own help text is not translatable
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    commands.register_all(sub, None if args is None else commands.named_command(args))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    configure_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(args_list).parse_args(args_list)
    except UserError as err:
        say(str(err))
        return EXIT_USER_ERROR
    except BrokenPipeError:  # --help into a closed pipe
        return closed_pipe()
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        from desktop.app import run_gui

        return run_gui(args.data_dir)
    try:
        from desktop.services.clock import as_of_day

        with as_of_day(getattr(args, "as_of", None)):
            code = handler(args)
        sys.stdout.flush()  # a pipe closed early is found here, not at Python's exit
        if argv is None:
            leave_the_rest_to_exit()
        return code
    except BrokenPipeError:
        return closed_pipe()
    except UserError as err:
        say(str(err))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        say("已中断。")
        return 130
    except Exception as err:
        from desktop.core.env_errors import environment_error
        from desktop.logs import log_bug
        from desktop.paths import DataDir, resolve_data_dir

        root = resolve_data_dir(args.data_dir)
        # a full disk, a read-only folder, a locked or damaged file: the user's to fix,
        # said in one line like any other user error (desktop.core.env_errors)
        problem = environment_error(err, where=root)
        if problem is not None:
            say(str(problem))
            return EXIT_USER_ERROR
        log_file = DataDir(root).log_file
        try:
            log_bug(log_file, " ".join(args_list))
            where = f"详情已写入日志：{log_file}"
        except OSError:
            import traceback

            traceback.print_exc()
            where = "日志无法写入，详情见上方"
        say(f"程序内部错误，命令未完成。{where}")
        return EXIT_BUG


def leave_the_rest_to_exit() -> None:
    """After a command run as the process's own (not called by a test or another
    program): its files are closed and its lock let go, and what is left is the program's
    own objects. The interpreter's last cycle collection at exit would walk every one of
    them — a few hundred thousand after a ledger — only to free memory the process gives
    back anyway: they are moved out of its reach (``gc.freeze``). Nothing else changes:
    the exit handlers run, logs are flushed and closed, objects are still finalized when
    their last reference goes."""
    import gc

    gc.freeze()


def say(message: str) -> None:
    """One line on stderr, cut to a readable length (``desktop.errors.readable``); a
    stderr nobody reads any more is not an error of its own."""
    from desktop.errors import readable

    with contextlib.suppress(BrokenPipeError, ValueError):
        print(readable(message), file=sys.stderr)


def data_root(args: argparse.Namespace) -> Path:
    from desktop.paths import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false")
