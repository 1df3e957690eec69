"""The example office of the ``demo`` command (and the benchmarks): a county with a filled list,
progress through half a year, a frozen period and closed-out tasks."""
