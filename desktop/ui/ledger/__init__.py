"""The parts of the 台账打印 screen (``desktop.ui.ledger_page``): options, preview, printing."""
