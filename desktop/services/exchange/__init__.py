"""上报与汇总: exporting a list upward as a package and importing those from below, the
city's 汇总 of what its localities reported, and the department Excel round trip (部门填报表)."""
