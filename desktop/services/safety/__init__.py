"""The safety of the data: automatic and manual backups, restoring one, the start-up check
and the thorough database check (系统)."""
