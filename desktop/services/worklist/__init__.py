"""年度清单: reading work lists as plain rows, creating and versioning them, the one-click
draft, editing tasks (split, merge, move, 不适用), the check before sending, deleting a list."""
