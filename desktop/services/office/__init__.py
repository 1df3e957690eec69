"""单位设置: the office this data folder belongs to, its local units, and the mapping from the
units named in notices to them."""
