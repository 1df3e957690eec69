"""Trying a file operation again when another program holds the file for a moment.

On Windows a virus scanner (360, 火绒, Defender), OneDrive or WPS opens a file the moment
it appears or changes, and for a fraction of a second nobody else may rename, replace or
delete it: Windows says "access denied" (error 5), "being used by another process" (32)
or "locked" (33). Trying again a few times with a growing pause (about three seconds in
all) gets past the scan; only then does the user hear about it, with the usual message
(``desktop.core.env_errors``). Elsewhere these errors do not exist, so nothing is retried.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from desktop.locations import os_path

log = logging.getLogger(__name__)

T = TypeVar("T")

# ERROR_ACCESS_DENIED (also what a file pending deletion gives), ERROR_SHARING_VIOLATION,
# ERROR_LOCK_VIOLATION
HELD_WINERRORS = frozenset({5, 32, 33})
PAUSES: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5)


def briefly_held(err: BaseException) -> bool:
    """True for the Windows errors of a file another program holds open."""
    return isinstance(err, OSError) and getattr(err, "winerror", None) in HELD_WINERRORS


def retry_if_held(
    action: Callable[[], T],
    *,
    pauses: Sequence[float] = PAUSES,
    sleep: Callable[[float], None] | None = None,
) -> T:
    """``action()``, called again after each pause while it fails with a held file.

    Any other error, or the same one after the last pause, goes to the caller unchanged.
    """
    wait = sleep or time.sleep
    for pause in pauses:
        try:
            return action()
        except OSError as err:
            if not briefly_held(err):
                raise
            code = getattr(err, "winerror", None)
            log.info("文件暂时被占用（%s），%.2f 秒后重试：%s", code, pause, err.filename)
            wait(pause)
    return action()


def replace_file(source: Path, target: Path) -> None:
    """``os.replace``, tried again while another program holds either file for a moment."""
    retry_if_held(lambda: os.replace(os_path(source), os_path(target)))


def remove_file(path: Path) -> None:
    """Delete ``path`` if it is there, tried again while another program holds it."""
    retry_if_held(lambda: Path(os_path(path)).unlink(missing_ok=True))
