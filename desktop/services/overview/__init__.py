"""首页: where the office's list stands at a glance, and what is due."""
