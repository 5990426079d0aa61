"""The roster: delegates, their delegations, seats, voting rights and access groups.

Only staff devices receive it (``roster.changed`` and ``delegates.changed`` are addressed to
staff), so a delegate never learns who else is in the hall. A roster import that changes
anyone's groups is followed by ``access.changed``: what those delegates' devices may see may
have changed, and the server sends them a fresh snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server import wire
from server.audience import STAFF
from server.db import DelegateRow, GroupMembership
from server.errors import ServiceError
from server.roster_csv import RosterRow
from server.store import Work


def info(db: DbSession) -> p.RosterInfo:
    total = db.scalar(select(func.count()).select_from(DelegateRow)) or 0
    groups = db.scalars(select(GroupMembership.group).distinct().order_by(GroupMembership.group))
    return p.RosterInfo(delegates=total, groups=list(groups))


def delegates(db: DbSession) -> list[p.Delegate]:
    return [wire.delegate(d) for d in db.scalars(select(DelegateRow).order_by(DelegateRow.id))]


def import_rows(work: Work, rows: Sequence[RosterRow]) -> tuple[int, int]:
    """Insert or update delegates by number; returns (added, updated)."""
    db = work.db
    existing = {d.number: d for d in db.scalars(select(DelegateRow))}
    known = {g for d in existing.values() for g in (m.group for m in d.groups)}
    wanted = known | {g for r in rows for g in r.groups}
    if len(wanted) > p.MAX_GROUPS:
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT,
            f"the roster would have {len(wanted)} groups; at most {p.MAX_GROUPS} are allowed",
        )
    added = updated = 0
    access = False
    touched: list[DelegateRow] = []
    for r in rows:
        d = existing.get(r.number)
        if d is None:
            d = DelegateRow(number=r.number)
            db.add(d)
            added += 1
        else:
            updated += 1
            access = access or [m.group for m in d.groups] != sorted(r.groups)
        d.full_name = r.full_name
        d.delegation = r.delegation
        d.voting_right = r.voting_right
        d.seat = r.seat
        d.weight = r.weight
        d.groups = [GroupMembership(group=g) for g in sorted(r.groups)]
        touched.append(d)
    db.flush()
    for d in touched:
        db.refresh(d, ["groups"])
    summary = info(db)
    work.emit(p.RosterChanged(delegates=summary.delegates, groups=summary.groups), STAFF)
    changed = sorted((wire.delegate(d) for d in touched), key=lambda d: d.id)
    for part in wire.batches(changed):
        work.emit(p.DelegatesChanged(delegates=part), STAFF)
    if access:
        work.emit(p.AccessChanged())
    return added, updated


def check_groups(db: DbSession, groups: Sequence[str]) -> None:
    """Refuse a group no delegate of the roster is in: a mistyped group would make a document
    no delegate may read, and nobody would notice until the session."""
    wanted = list(dict.fromkeys(groups))
    if not wanted:
        return
    query = select(GroupMembership.group).where(GroupMembership.group.in_(wanted)).distinct()
    known = set(db.scalars(query))
    unknown = [g for g in wanted if g not in known]
    if unknown:
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT,
            f"no delegate of the roster is in the group '{unknown[0]}' "
            "(groups come from the roster's groups column)",
        )
