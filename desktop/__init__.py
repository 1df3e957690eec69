"""清单台账 (Policy Ledger): turns a provincial notice into a locality's annual work list,
tracks it, prints ledgers and exchanges packages with the levels above and below."""

from importlib import metadata as _metadata

APP_NAME = "清单台账"
APP_ID = "PolicyLedger"

try:
    __version__ = _metadata.version("policy-ledger")
except _metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.1.0"
