"""单位设置 tabs for the office's departments (本级单位) and the unit mapping (单位对应)."""
