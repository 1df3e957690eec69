"""单位设置 tabs for the office's departments (本级单位) and the unit mapping (单位对应)."""

# the program's style sheet colours #primary buttons even when disabled; a save button with
# nothing to save must look disabled
DISABLED_PRIMARY = (
    "QPushButton:disabled { background: #f0f2f5; color: #9aa5b1; border-color: #c3ccd8; }"
)
