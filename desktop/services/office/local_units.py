"""The office's local units and the mapping from provincial units to them.

Defaults come from ``desktop.core.local_units`` (a sensible department list for a county or a
city, naming rules and a table of exceptions); every unit and every mapping entry can be
edited. A provincial unit with no local unit is flagged until the office maps or ignores it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.local_units import default_local_units, is_generic_collective, propose_mapping
from desktop.core.names import normalise_name
from desktop.core.schema import clean, text_problem
from desktop.db.models import LocalUnit, MeasureUnit, Task, TaskUnit, UnitMapping, WorkList
from desktop.errors import ValidationError
from desktop.services.audit import log as audit
from desktop.services.office.service import OfficeInfo, get_office


@dataclass(frozen=True)
class UnitView:
    id: int
    name: str
    short_name: str
    position: int
    tasks: int  # how many tasks of any list name it


@dataclass(frozen=True)
class MappingChange:
    """One entry as edited on the mapping screen."""

    provincial: str
    local: str | None
    ignored: bool = False
    note: str = ""


@dataclass(frozen=True)
class MappingView:
    provincial: str
    local: str | None
    source: str  # rule | default | user | none
    ignored: bool
    note: str

    @property
    def flagged(self) -> bool:
        return self.local is None and not self.ignored


USER_NOTES = ("手动指定", "本级不承担", "尚未指定本级单位")


def user_note(local: str | None, *, ignored: bool) -> str:
    """The note of an entry the office set by hand (when it wrote none of its own)."""
    if ignored:
        return "本级不承担"
    return "手动指定" if local else "尚未指定本级单位"


class UnitService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # local units -----------------------------------------------------------------------

    def units(self) -> list[UnitView]:
        with self._sessions() as session:
            use = dict(
                session.execute(select(TaskUnit.name, func.count()).group_by(TaskUnit.name)).all()
            )
            rows = session.execute(select(LocalUnit).order_by(LocalUnit.position, LocalUnit.id))
            return [
                UnitView(u.id, u.name, u.short_name, u.position, use.get(u.name, 0))
                for u in rows.scalars()
            ]

    def unit_names(self) -> list[str]:
        """The names in the office's order (without counting their use, which reads every
        task's units)."""
        with self._sessions() as session:
            return list(
                session.execute(
                    select(LocalUnit.name).order_by(LocalUnit.position, LocalUnit.id)
                ).scalars()
            )

    def save_units(
        self, names: Sequence[str], *, renamed: Mapping[str, str] | None = None
    ) -> list[UnitView]:
        """Replace the unit list by ``names`` in this order.

        ``renamed`` (old name → new name) renames units in place, so that their mapping
        entries stay; tasks of the office's lists that are not yet submitted follow the new
        name (a submitted version is frozen and keeps the name it was sent with). Without
        it a changed name is a deleted unit plus a new one.
        """
        clean: list[str] = []
        for raw in names:
            name = normalise_name(raw.strip(), "单位名称") if raw.strip() else ""
            if not name:
                continue
            if name in clean:
                raise ValidationError(f"单位“{name}”重复出现，请删除重复的一行。")
            clean.append(name)
        renames = {
            old.strip(): normalise_name(new, "单位名称")
            for old, new in (renamed or {}).items()
            if old.strip() and new.strip() and old.strip() != normalise_name(new, "单位名称")
        }
        with self._sessions.begin() as session:
            existing = {u.name: u for u in session.execute(select(LocalUnit)).scalars()}
            for old, new in renames.items():
                unit = existing.get(old)
                if unit is None or new not in clean:
                    continue
                if new in existing:
                    raise ValidationError(f"不能把“{old}”改名为“{new}”：这个名称已经有了。")
                unit.name, unit.short_name = new, _short(new)
                existing[new] = existing.pop(old)
                _rename_in_open_lists(session, old, new)
            session.flush()
            for pos, name in enumerate(clean):
                unit = existing.pop(name, None) or LocalUnit(name=name, short_name=_short(name))
                unit.position = pos
                session.add(unit)
            orphaned = set(
                session.execute(
                    select(UnitMapping.provincial_name).where(
                        UnitMapping.local_unit_id.in_([u.id for u in existing.values()])
                    )
                ).scalars()
            )
            for gone in existing.values():
                # its mapping entries lose their unit: say so instead of keeping a stale note
                session.execute(
                    update(UnitMapping)
                    .where(UnitMapping.local_unit_id == gone.id)
                    .values(
                        local_unit_id=None,
                        note=f"原对应的“{gone.name}”已从本级单位名单删除，请重新指定",
                    )
                    .execution_options(synchronize_session=False)
                )
                session.delete(gone)
            session.flush()
            # a unit added (back) takes up the provincial units left without one; those that
            # just lost theirs keep their note until the office chooses again
            _fill_unmapped(session, get_office(session).level, skip=orphaned)
            audit.record(
                session,
                operator=get_office(session).operator,
                action="update",
                entity="local_units",
                summary=f"本级单位名单（{len(clean)} 个）"
                + (f"，改名 {len(renames)} 个" if renames else ""),
                after={"units": clean, "renamed": renames} if renames else clean,
            )
        return self.units()

    def add_unit(self, name: str) -> list[str]:
        """新增单位 (from a task's unit picker): ``name`` goes to the end of the office's list,
        in one transaction; returns the names in order. A name already there is kept as is."""
        name = clean(name, "lead_units").strip()
        if not name:
            raise ValidationError("请填写单位名称。")
        name = normalise_name(name, "单位名称")  # the one spelling, as the list's own
        if any(sep in name for sep in "、，,；;"):
            raise ValidationError("一次只能新增一个单位，名称中不能有“、”或逗号。")
        problem = text_problem("lead_units", name)
        if problem is not None:
            raise ValidationError(f"{problem}。")
        with self._sessions.begin() as session:
            names = list(
                session.execute(
                    select(LocalUnit.name).order_by(LocalUnit.position, LocalUnit.id)
                ).scalars()
            )
            if name in names:
                return names
            last = session.execute(select(func.max(LocalUnit.position))).scalar()
            session.add(LocalUnit(name=name, short_name=_short(name), position=(last or 0) + 1))
            session.flush()
            office = get_office(session)
            _fill_unmapped(session, office.level, skip=set())
            audit.record(
                session,
                operator=office.operator,
                action="update",
                entity="local_units",
                summary=f"本级单位名单：新增“{name}”",
                after=[*names, name],
            )
            return [*names, name]

    def default_unit_names(self) -> list[str]:
        """The default department list for the office's level (for 恢复默认)."""
        with self._sessions() as session:
            level = get_office(session).level
        return [spec.name for spec in default_local_units(level)]

    def on_office_saved(self, session: Session, office: OfficeInfo) -> None:
        """A newly configured office gets the default units of its level, in the same
        transaction as the office itself (a crash never leaves an office without units)."""
        fill_default_units(session, office.level)

    def ensure_defaults(self, level: str) -> bool:
        """Fill the unit list and the mapping for a new office; False when units exist."""
        with self._sessions.begin() as session:
            return fill_default_units(session, level)

    # mapping ---------------------------------------------------------------------------

    def mappings(self) -> list[MappingView]:
        with self._sessions() as session:
            level = get_office(session).level
            _propose_all(session, level, overwrite=False)
            session.commit()
            rows = session.execute(
                select(UnitMapping, LocalUnit.name)
                .outerjoin(LocalUnit, LocalUnit.id == UnitMapping.local_unit_id)
                .order_by(UnitMapping.provincial_name)
            ).all()
            return [
                MappingView(
                    m.provincial_name,
                    name,
                    m.source if name else ("user" if m.ignored else "none"),
                    m.ignored,
                    m.note,
                )
                for m, name in rows
            ]

    def set_mapping(
        self, provincial: str, local: str | None, *, ignored: bool = False, note: str = ""
    ) -> None:
        self.set_mappings([MappingChange(provincial, local, ignored, note)])

    def set_mappings(self, changes: Sequence[MappingChange]) -> None:
        """Save several entries edited on the mapping screen, all or none."""
        with self._sessions.begin() as session:
            for change in changes:
                _set_mapping(
                    session,
                    change.provincial,
                    change.local,
                    ignored=change.ignored,
                    note=change.note,
                )

    def repropose(self) -> int:
        """Propose again every entry the office has not set by hand; returns how many changed."""
        with self._sessions.begin() as session:
            office = get_office(session)
            changed = _propose_all(session, office.level, overwrite=True)
            audit.record(
                session,
                operator=office.operator,
                action="update",
                entity="unit_mapping",
                summary=f"重新匹配单位对应（{changed} 项有变化）",
            )
            return changed

    def mapper(self) -> Callable[[str], str]:
        """provincial name → local unit name; an unmapped unit keeps its own name."""
        with self._sessions() as session:
            _propose_all(session, get_office(session).level, overwrite=False)
            session.commit()
            table = dict(
                session.execute(
                    select(UnitMapping.provincial_name, LocalUnit.name).join(
                        LocalUnit, LocalUnit.id == UnitMapping.local_unit_id
                    )
                ).all()
            )
            ignored = set(
                session.execute(
                    select(UnitMapping.provincial_name).where(UnitMapping.ignored)
                ).scalars()
            )

        def map_unit(name: str) -> str:
            if name in ignored:
                return ""
            return table.get(name, name)

        return map_unit


def _set_mapping(
    session: Session, provincial: str, local: str | None, *, ignored: bool, note: str
) -> None:
    provincial = provincial.strip()
    if not provincial:
        raise ValidationError("省级单位名称不能为空。")
    local = None if ignored else ((local or "").strip() or None)
    unit_id = None
    if local:
        unit_id = session.execute(
            select(LocalUnit.id).where(LocalUnit.name == local)
        ).scalar_one_or_none()
        if unit_id is None:
            raise ValidationError(f"“{local}”不在本级单位名单中，请先在单位名单里添加。")
    row = session.execute(
        select(UnitMapping).where(UnitMapping.provincial_name == provincial)
    ).scalar_one_or_none()
    before = None
    written = note.strip()
    if row is None:
        row = UnitMapping(provincial_name=provincial)
        session.add(row)
    else:
        before = {"local_unit_id": row.local_unit_id, "ignored": row.ignored}
        moved = (row.local_unit_id, bool(row.ignored)) != (unit_id, ignored)
        # the note shown with the old entry (a rule's, or "未找到对应…") handed back
        # unchanged: it explains a proposal the user has just overruled
        if written == (row.note or "").strip() and (row.source != "user" or moved):
            written = ""
    row.local_unit_id, row.ignored, row.source = unit_id, ignored, "user"
    # our own words for the old entry ("手动指定" …) are rewritten for the new one
    row.note = user_note(local, ignored=ignored) if written in ("", *USER_NOTES) else written
    session.flush()
    audit.record(
        session,
        operator=get_office(session).operator,
        action="update",
        entity="unit_mapping",
        entity_id=provincial,
        summary=f"单位对应：{provincial} → {local or ('本级不承担' if ignored else '（不对应）')}",
        before=before,
        after={"local": local, "ignored": ignored},
    )


def _rename_in_open_lists(session: Session, old: str, new: str) -> None:
    """Tasks of the office's unsubmitted lists follow a renamed unit; a checked list that
    changes goes back to 草稿, as after any other edit."""
    open_tasks = (
        select(Task.id)
        .join(WorkList, WorkList.id == Task.work_list_id)
        .where(WorkList.own, WorkList.state != "submitted")
    )
    touched = set(
        session.execute(
            select(Task.work_list_id)
            .join(TaskUnit, TaskUnit.task_id == Task.id)
            .where(TaskUnit.name == old, Task.id.in_(open_tasks))
        ).scalars()
    )
    if not touched:
        return
    session.execute(
        update(TaskUnit)
        .where(TaskUnit.name == old, TaskUnit.task_id.in_(open_tasks))
        .values(name=new)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(WorkList)
        .where(WorkList.id.in_(touched), WorkList.state == "checked")
        .values(state="draft", checked_at="")
        .execution_options(synchronize_session=False)
    )


def fill_default_units(session: Session, level: str) -> bool:
    """The default units of ``level`` and their mapping, unless the office has units."""
    if session.execute(select(LocalUnit.id).limit(1)).first():
        return False
    specs = default_local_units(level)
    for pos, spec in enumerate(specs):
        session.add(LocalUnit(name=spec.name, short_name=spec.short_name, position=pos))
    session.flush()
    # entries proposed before there were any units (the mapping looked at before the office
    # was set up) found nothing: propose them again; those set by hand stay
    _propose_all(session, level, overwrite=True)
    audit.record(
        session,
        operator=get_office(session).operator,
        action="create",
        entity="local_units",
        summary=f"按{level}默认名单建立本级单位（{len(specs)} 个）",
        after=[spec.name for spec in specs],
    )
    return True


def _short(name: str) -> str:
    return name[1:] if name[:1] in "县市省区" and len(name) > 2 else name


def _fill_unmapped(session: Session, level: str, *, skip: set[str]) -> int:
    """Map the entries still without a local unit (not ignored, not set by hand, not in
    ``skip``) where the rules now find one; returns how many were filled."""
    rows = session.execute(
        select(UnitMapping).where(
            UnitMapping.local_unit_id.is_(None),
            UnitMapping.ignored.is_(False),
            UnitMapping.source != "user",
        )
    ).scalars()
    todo = [r for r in rows if r.provincial_name not in skip]
    if not todo:
        return 0
    locals_by_name = {u.name: u.id for u in session.execute(select(LocalUnit)).scalars()}
    filled = 0
    for row in todo:
        proposal = propose_mapping(row.provincial_name, list(locals_by_name), level)
        new_id = locals_by_name.get(proposal.local) if proposal.local else None
        if new_id is None:
            continue
        row.local_unit_id = new_id
        row.source = proposal.source
        row.note = proposal.note
        filled += 1
    session.flush()
    return filled


def _propose_all(session: Session, level: str, *, overwrite: bool) -> int:
    """Create (or with ``overwrite`` refresh) mapping entries for every provincial unit."""
    names = [
        n
        for n in session.execute(select(MeasureUnit.name).distinct()).scalars()
        if not is_generic_collective(n)
    ]
    locals_by_name = {u.name: u.id for u in session.execute(select(LocalUnit)).scalars()}
    rows = {m.provincial_name: m for m in session.execute(select(UnitMapping)).scalars()}
    user_exceptions = {
        p: name
        for p, name in session.execute(
            select(UnitMapping.provincial_name, LocalUnit.name)
            .join(LocalUnit, LocalUnit.id == UnitMapping.local_unit_id)
            .where(UnitMapping.source == "user")
        )
    }
    changed = 0
    for name in sorted(set(names)):
        row = rows.get(name)
        if row is not None and (row.source == "user" or not overwrite):
            continue
        proposal = propose_mapping(name, list(locals_by_name), level, user_exceptions)
        if row is None:
            row = UnitMapping(provincial_name=name)
            session.add(row)
        new_id = locals_by_name.get(proposal.local) if proposal.local else None
        if row.local_unit_id != new_id or row.id is None:
            changed += 1
        row.local_unit_id = new_id
        row.source = proposal.source if proposal.local else "rule"
        row.note = proposal.note
    session.flush()
    return changed
