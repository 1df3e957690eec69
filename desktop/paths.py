"""Where things live: the data folder of an office and the program's bundled resources.

``resource_path()`` serves both the source tree and a frozen (PyInstaller) build, so no
other module needs to know how the program was started.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop.locations import absolute

ENV_HOME = "POLICY_LEDGER_HOME"
ENV_CACHE = "POLICY_LEDGER_CACHE"
APP_FOLDER = "PolicyLedger"
DB_FILE = "ledger.sqlite3"
BACKUP_DIR = "backups"
LOG_DIR = "logs"
PORTABLE_MARKER = "portable.txt"


def program_root() -> Path:
    """The folder holding ``desktop/``, ``migrations/`` and ``resources/``."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A bundled resource, e.g. ``resource_path("notices", "zjzf-2026-16.txt")``."""
    return program_root().joinpath("resources", *parts)


def migrations_path() -> Path:
    return program_root() / "migrations"


def portable_data_dir() -> Path | None:
    """The data folder beside the executable when the portable marker file is there."""
    if not getattr(sys, "frozen", False):
        return None
    exe_dir = absolute(sys.executable).parent
    if (exe_dir / PORTABLE_MARKER).exists():
        return exe_dir / "data"
    return None


def default_data_dir() -> Path:
    """The platform's per-user application-data folder for the program.

    On Windows the *local* one (``%LOCALAPPDATA%\\PolicyLedger``): a roaming profile would
    carry gigabytes of backups to the server at every log-on and let two computers
    overwrite each other's database. On Linux ``~/.local/share/PolicyLedger``.
    """
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_FOLDER, appauthor=False, roaming=False))


def cache_dir() -> Path:
    """The per-user folder for what the program can always rebuild (the expected database
    schema of each revision): ``POLICY_LEDGER_CACHE`` if set, else the platform's cache
    folder. Per user, never the shared temporary folder, where another account could put
    a file of its own in our place; never the data folder, which is backed up and holds
    only the office's own data. Parsed font metrics are kept here too."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return absolute(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_FOLDER, appauthor=False))


def roaming_data_dir() -> Path | None:
    """Where the first version kept the data on Windows (``%APPDATA%\\PolicyLedger``, in the
    roaming profile); None where that is the same folder as ``default_data_dir()``."""
    from platformdirs import user_data_dir

    roaming = Path(user_data_dir(APP_FOLDER, appauthor=False, roaming=True))
    return None if roaming == default_data_dir() else roaming


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` first, then ``POLICY_LEDGER_HOME``, portable mode, the per-user folder.

    Made absolute without resolving (``desktop.locations.absolute``): a mapped network
    drive stays ``Z:\\…`` instead of becoming its UNC path.
    """
    if explicit:
        return absolute(explicit)
    env = os.environ.get(ENV_HOME)
    if env:
        return absolute(env)
    portable = portable_data_dir()
    if portable is not None:
        return portable
    return default_data_dir()


class DataDir:
    """The layout of one office's data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILE

    @property
    def backups(self) -> Path:
        return self.root / BACKUP_DIR

    @property
    def logs(self) -> Path:
        return self.root / LOG_DIR

    @property
    def log_file(self) -> Path:
        return self.logs / "policy-ledger.log"

    @property
    def lock_file(self) -> Path:
        return self.root / "instance.lock"

    @property
    def carried_key_file(self) -> Path:
        """The office's key kept through a restore of a backup made before offices had keys
        (``desktop.services.office.keys``); present only until the next start adopts it."""
        return self.root / "office-key-carried.json"

    def create(self) -> None:
        for folder in (self.root, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
