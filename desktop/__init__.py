"""清单台账 (Policy Ledger): turns a provincial notice into a locality's annual work list,
tracks it, prints ledgers and exchanges packages with the levels above and below."""

import os as _os
import sys as _sys

APP_NAME = "清单台账"
APP_ID = "PolicyLedger"
_DIST = "policy_ledger-"


def _installed_version() -> str:
    """The installed distribution's version, read from its ``METADATA`` on ``sys.path``.

    ``importlib.metadata`` would load the ``email`` package and more — a twentieth of a
    second of every start and every command — to read one line. It is the fallback.
    """
    for entry in _sys.path:
        try:
            names = _os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith(_DIST) and name.endswith(".dist-info"):
                try:
                    with open(_os.path.join(entry, name, "METADATA"), encoding="utf-8") as f:
                        for line in f:
                            if line.startswith("Version:"):
                                return line.split(":", 1)[1].strip()
                            if not line.strip():
                                break  # the headers end here
                except OSError:
                    continue
    from importlib import metadata

    try:
        return metadata.version("policy-ledger")
    except metadata.PackageNotFoundError:  # a source tree that was not installed
        return "0.1.0"


__version__ = _installed_version()
