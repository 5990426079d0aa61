"""Rows as the wire shows them: the one place a database row becomes a protocol object."""

from __future__ import annotations

import datetime
from typing import TypeVar, cast

import msgspec

from app import protocol as p
from server.db import AgendaItemRow, DelegateRow, MeetingRow

T = TypeVar("T", bound=msgspec.Struct)


def role(value: str) -> p.Role:
    """A role read back from the database, checked: the wire type admits only the known ones."""
    for known in p.ROLES:
        if value == known:
            return known
    raise ValueError(f"unknown role in database: {value}")


def date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def meeting(m: MeetingRow) -> p.Meeting:
    return p.Meeting(
        id=m.id,
        title=m.title,
        starts_on=datetime.date.fromisoformat(m.starts_on) if m.starts_on else None,
        status=cast(p.MeetingStatus, m.status),
        groups=[g.group for g in m.groups],
        wiped=m.wiped,
        offline_grace_hours=m.offline_grace_hours,
        notes_kept=m.notes_kept,
        export_allowed=m.export_allowed,
    )


def item(i: AgendaItemRow) -> p.AgendaItem:
    return p.AgendaItem(
        id=i.id,
        meeting_id=i.meeting_id,
        parent_id=i.parent_id,
        position=i.position,
        number=i.number,
        title=i.title,
        description=i.description,
        planned_start=i.planned_start,
        planned_minutes=i.planned_minutes,
        status=cast(p.ItemStatus, i.status),
        presenter_id=i.presenter_id,
    )


def delegate(d: DelegateRow) -> p.Delegate:
    return p.Delegate(
        id=d.id,
        number=d.number,
        full_name=d.full_name,
        delegation=d.delegation,
        seat=d.seat,
        groups=[g.group for g in d.groups],
        voting_right=d.voting_right,
        weight=d.weight or 1,
    )


#: Room left in a frame for the envelope around a batch of objects (type, seq, ids…).
_ENVELOPE = 4096


def batches(objects: list[T], budget: int = p.MAX_SERVER_FRAME - _ENVELOPE) -> list[list[T]]:
    """Split objects into runs whose encoded size fits ``budget``, in order.

    Every object fits on its own by the field limits of the protocol, so an event or snapshot
    part built from one run always fits a frame. An empty input gives one empty run, so a
    change that only removes things still produces its event.
    """
    out: list[list[T]] = [[]]
    size = 0
    for obj in objects:
        n = len(p.encode(obj)) + 1
        if out[-1] and size + n > budget:
            out.append([])
            size = 0
        out[-1].append(obj)
        size += n
    return out
