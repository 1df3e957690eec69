"""台账打印: building the ledger document of a work list from the database and writing it
as PDF, Excel or CSV (the writers themselves are in ``desktop.core.reports``)."""
