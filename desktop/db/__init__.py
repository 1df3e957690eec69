"""Persistence: the SQLite database, its schema and migrations, backups and checks."""

BUSY_TIMEOUT_MS = 10_000  # how long a connection waits for another one's write to finish
