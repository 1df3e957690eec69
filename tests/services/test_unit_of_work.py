"""One transaction around several service calls (desktop.services.unit_of_work)."""

from __future__ import annotations

import pytest

from desktop.services.context import Services
from desktop.services.office.service import OfficeInfo
from desktop.services.unit_of_work import one_transaction

COUNTY = OfficeInfo(locality="某某县", level="县级", parent="某某市", operator="张三")


def builtin_notice(services: Services) -> int:
    return next(n.id for n in services.notices.list() if n.builtin)


def test_the_shared_session_factory_is_left_as_it_was(services: Services) -> None:
    before = dict(services.sessions.kw)
    with one_transaction(services) as within:
        assert within.sessions is not services.sessions
        assert dict(services.sessions.kw) == before
        within.office.save(COUNTY)
    assert dict(services.sessions.kw) == before
    assert services.office.get().locality == "某某县"  # committed when the block ended


def test_a_failure_half_way_leaves_nothing_behind(services: Services) -> None:
    notice = builtin_notice(services)
    with pytest.raises(RuntimeError), one_transaction(services) as within:
        within.office.save(COUNTY)
        made = within.list_lifecycle.create(notice, 2027)
        within.task_editing.generate_draft(made.id)
        assert within.worklists.rows(made.id)  # visible inside the transaction
        raise RuntimeError("断电")
    assert services.office.get().locality == ""
    assert services.worklists.lists() == []
