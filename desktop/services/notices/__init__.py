"""上级文件: importing and re-importing notices, correcting measures by hand, reading a
notice's tree, and the measures a work list can cover."""
