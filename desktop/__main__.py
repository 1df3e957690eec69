"""``python -m desktop``: the GUI without a command, the command line with one."""

from desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
