"""The parts of the 上报与汇总 screen: tabs, models and dialogs."""
