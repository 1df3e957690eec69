"""撤销 / 重做 on the list screen: a ``QUndoStack`` of the task edits made while it is open.

Each command holds two actions the page carries out through its services (save the task as
it was, restore deleted tasks, move back …); a command is pushed after its change is
stored, so its first ``redo`` does nothing. The page names tasks by ``uid`` inside the
actions: an undone deletion brings tasks back under new ids.

The actions run in the background; when one fails, the stack steps back to where it was
without running anything (``step_back``), so the change stays there to try again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack


class TaskCommand(QUndoCommand):
    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._redo, self._undo = redo, undo
        self._skip = True  # pushed after the change was made

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self._redo()

    def undo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self._undo()

    def skip_next(self) -> None:
        self._skip = True


def step_back(stack: QUndoStack, undone: bool) -> None:
    """An undo (``undone``) or redo that failed: move the stack's index back over the
    command without running it again."""
    index = stack.index() if undone else stack.index() - 1
    command = stack.command(index)
    if isinstance(command, TaskCommand):
        command.skip_next()
        if undone:
            stack.redo()
        else:
            stack.undo()
