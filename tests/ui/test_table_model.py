"""RowTableModel: the headings-over-plain-rows scaffolding every flat table shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from desktop.ui.table_model import AnyIndex, RowTableModel


@dataclass(frozen=True)
class Town:
    name: str
    tasks: int


class TownModel(RowTableModel[Town]):
    def __init__(self) -> None:
        super().__init__(("地区", "任务数"))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        town = self.row_for(index)
        if town is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (town.name, str(town.tasks))[index.column()]


class NumberedTownModel(TownModel):
    numbered_rows = True


def test_headings_rows_and_resets(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = TownModel()
    events: list[str] = []
    model.modelAboutToBeReset.connect(lambda: events.append("begin"))
    model.modelReset.connect(lambda: events.append("end"))
    assert (model.rowCount(), model.columnCount()) == (0, 2)
    model.set_rows(Town(n, i) for i, n in enumerate(("甲县", "乙县", "丙县")))
    assert events == ["begin", "end"]
    assert (model.rowCount(), model.columnCount()) == (3, 2)
    assert model.row_at(1) == Town("乙县", 1)
    assert model.data(model.index(2, 0)) == "丙县"
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    assert [model.headerData(c, horizontal) for c in range(3)] == ["地区", "任务数", None]
    assert model.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(0, vertical) is None  # no row numbers unless asked for
    assert model.rowCount(model.index(0, 0)) == 0 and model.columnCount(model.index(0, 0)) == 0
    assert model.row_for(QModelIndex()) is None
    qtmodeltester.check(model)


def test_numbered_rows(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = NumberedTownModel()
    model.set_rows([Town("甲县", 4), Town("乙县", 0)])
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(2)] == [1, 2]
    qtmodeltester.check(model)
