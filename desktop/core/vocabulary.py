"""One vocabulary: each field's one Chinese name, and the columns every table shares.

A field is called the same on the entry forms, the tables on screen, the PDF ledgers, the
Excel and CSV exports, the department workbook, the audit browser and in every message
about it. Screens and writers take the label from :data:`LABELS`; the ledger files (PDF,
Excel, CSV) take their columns — order, PDF width shares, Excel widths, alignment, number
format — from :data:`LEDGER_COLUMNS`. The words a status is printed with are
:data:`STATUS_WORDS` (``desktop.core.figures`` decides which one applies).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "LABELS",
    "LEDGER_COLUMNS",
    "NOT_REPORTED_WORD",
    "OPTIONAL_LEDGER_COLUMNS",
    "PERCENT_FORMAT",
    "STATUS_WORDS",
    "Column",
    "label",
    "ledger_columns",
    "percent_text",
    "status_word",
]

# field key → its one Chinese name
LABELS: dict[str, str] = {
    # the task
    "number": "编号",
    "measures": "省级条目",
    "content": "工作任务/具体举措",
    "target_text": "目标指标",
    "target_value": "目标值",
    "target_unit": "计量单位",
    "lead_units": "牵头单位",
    "co_units": "配合单位",
    "leader": "责任领导",
    "person": "责任人",
    "phone": "联系电话",
    "start_on": "开始日期",
    "deadline": "完成时限",
    "remarks": "备注",
    "milestones": "节点",
    "schedule": "节点/序时安排",  # the ledger column: a task's milestones, one a line
    "milestone_label": "节点名称",
    "milestone_due_on": "节点日期",
    "milestone_description": "形象进度",
    "milestone_percent": "计划完成百分比",
    "closed_on": "销号日期",
    "closed_by": "销号人",
    "close_evidence": "销号依据",
    "uid": "任务ID",
    # a progress report
    "progress": "进展情况",
    "percent": "完成百分比",
    "problems": "存在问题",
    "next_steps": "下步打算",
    "lag_reason": "滞后原因",
    "completed_on": "完成日期",
    "evidence": "佐证材料",
    "reopened": "重新打开",
    "previous": "上期进展",
    # derived figures
    "status": "状态",
    "reported": "本期填报",
    "expected_percent": "序时进度",
    # the list and the office
    "section": "领域",
    "exclusion_reason": "不适用理由",
    "explanation": "上报说明",
    "check_explanation": "提醒说明",
    "locality": "地区",
    "locality_code": "行政区划代码",
    "level": "层级",
    "parent": "上级地区",
    "reporting_office": "填报单位",
    "operator": "填报人",
    "reviewer": "审核人",
    "contact_phone": "联系电话",
    "period": "填报周期",
    "unit": "牵头单位",
}

STATUS_WORDS: dict[str, str] = {
    "done": "已完成",
    "ahead": "超序时",
    "on_track": "按序时",
    "lagging": "滞后",
    "not_started": "未启动",
    "not_applicable": "不适用",
}
NOT_REPORTED_WORD = "本期未填报"
# Excel's own percent format: the cell holds the fraction (0.4) and shows 40%
PERCENT_FORMAT = "0%"


def label(key: str) -> str:
    """The Chinese name of a field (``KeyError`` for a field nobody named: a slip)."""
    return LABELS[key]


def status_word(status: str | None) -> str:
    """已完成 / 超序时 / 按序时 / 滞后 / 未启动; 不适用 for ``None``; "" for ``""``."""
    if status is None:
        return STATUS_WORDS["not_applicable"]
    return STATUS_WORDS.get(status, status)


def percent_text(percent: int | None) -> str:
    """``40%``, or nothing when no percent is known."""
    return "" if percent is None else f"{percent}%"


@dataclass(frozen=True)
class Column:
    """A column of the ledger files: which field, its width on paper and in Excel."""

    key: str
    share: float  # share of the PDF's printable width with progress shown
    plain_share: float  # … and for the list alone (no progress yet)
    excel_width: int  # Excel column width (characters of the default font)
    align: int  # 0 left, 1 centred, 2 centred when one line else left
    number_format: str = "@"  # Excel: text unless said otherwise

    @property
    def label(self) -> str:
        return LABELS[self.key]


# The ledger's columns, in print order: the PDF, the Excel workbook and the CSV file (which
# puts 领域 first, the band the PDF prints above the rows) all follow it.
LEDGER_COLUMNS: tuple[Column, ...] = (
    Column("number", 0.045, 0.045, 6, 1),
    Column("measures", 0.11, 0.12, 18, 0),
    Column("content", 0.19, 0.24, 44, 0),
    Column("target_text", 0.1, 0.115, 20, 0),
    Column("lead_units", 0.075, 0.08, 12, 2),
    Column("co_units", 0.08, 0.085, 15, 2),
    # "2027年12月底" on one line in any of the ledger fonts (digits up to 0.6 em: 60 pt at
    # 9 pt type, 63 pt of room on A4)
    Column("deadline", 0.09, 0.09, 14, 2),
    Column("progress", 0.195, 0.13, 26, 0),
    Column("percent", 0.045, 0.04, 7, 1, PERCENT_FORMAT),
    Column("status", 0.07, 0.055, 11, 1),
)

# Columns an office may add to its ledgers (county ledgers often name who answers for each
# task and its schedule); the official layout has none of them. Each goes in at a fixed
# place: 责任领导 and 责任人 after 配合单位, 节点/序时安排 after 完成时限, 备注 last. Their width
# is taken from the long text columns (省级条目, 工作任务, 目标, 进展).
OPTIONAL_LEDGER_COLUMNS: dict[str, Column] = {
    "leader": Column("leader", 0.055, 0.06, 10, 2),
    "person": Column("person", 0.05, 0.055, 10, 2),
    "schedule": Column("schedule", 0.12, 0.13, 26, 0),
    "remarks": Column("remarks", 0.07, 0.08, 16, 0),
}
_AFTER = {"leader": "co_units", "person": "leader", "schedule": "deadline", "remarks": "status"}
_SHRINKING = ("measures", "content", "target_text", "progress")


def ledger_columns(optional: tuple[str, ...] | list[str] = ()) -> tuple[Column, ...]:
    """The ledger's columns with the ``optional`` ones the office chose, in print order;
    the shares still add up to one. Unknown keys are ignored."""
    chosen = [k for k in OPTIONAL_LEDGER_COLUMNS if k in optional]
    if not chosen:
        return LEDGER_COLUMNS
    columns = list(LEDGER_COLUMNS)
    for key in chosen:
        at = next(i for i, c in enumerate(columns) if c.key == _AFTER[key])
        columns.insert(at + 1, OPTIONAL_LEDGER_COLUMNS[key])
    extra = sum(OPTIONAL_LEDGER_COLUMNS[k].share for k in chosen)
    extra_plain = sum(OPTIONAL_LEDGER_COLUMNS[k].plain_share for k in chosen)
    room = sum(c.share for c in LEDGER_COLUMNS if c.key in _SHRINKING)
    room_plain = sum(c.plain_share for c in LEDGER_COLUMNS if c.key in _SHRINKING)
    out = []
    for c in columns:
        if c.key in _SHRINKING:
            c = Column(
                c.key,
                c.share * (room - extra) / room,
                c.plain_share * (room_plain - extra_plain) / room_plain,
                c.excel_width,
                c.align,
                c.number_format,
            )
        out.append(c)
    return tuple(out)
