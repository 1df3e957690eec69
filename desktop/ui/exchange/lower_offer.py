"""At set-up, a city or the province is offered its lower localities from the built-in table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desktop.services.office.service import OfficeInfo
from desktop.ui import dialogs
from desktop.ui.error_report import show_error

if TYPE_CHECKING:
    from desktop.services.exchange.aggregate import AggregateService


def offer_lower_localities(parent: QWidget, aggregate: AggregateService, info: OfficeInfo) -> bool:
    """When a city's or the province's list of lower localities is still empty, offer the
    ones the built-in table of 行政区划代码 lists for it; True when they were taken."""
    if info.level not in ("市级", "省级") or aggregate.localities():
        return False
    offer, source = aggregate.builtin_offer()
    if not offer:
        return False
    direct = [i for i in offer if not i.parent]
    below = len(offer) - len(direct)
    names = "、".join(i.name for i in direct[:12]) + ("等" if len(direct) > 12 else "")
    more = f"，以及它们所辖的 {below} 个县（市、区）" if below else ""
    text = (
        f"按内置的行政区划代码表（{source}），{info.locality}的下级地区有 "
        f"{len(direct)} 个：{names}{more}。\n\n"
        "是否把它们列入“下级地区名单”？汇总时据此查看谁已上报、谁还没有；"
        "功能区等代码表中没有的地区，可以以后在“上报与汇总”中添加。"
    )
    if not dialogs.confirm(parent, "下级地区名单", text, ok="列入名单"):
        return False
    try:
        aggregate.save_localities(offer)
    except Exception as err:
        show_error(parent, err, title="名单未保存")
        return False
    return True
