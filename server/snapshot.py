"""The state a device is sent when it cannot be caught up event by event, in frame-sized parts.

What goes in is what the device's view admits (server/audience.py): meetings of its groups,
their agenda and the documents it may read; the roster only for staff. The parts are built so
each fits a frame; a client applies them together when the last one arrives
(``docs/protocol.md`` §5).
"""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server import eventlog, wire
from server.audience import View
from server.domains import (
    agenda,
    attendance,
    documents,
    meetings,
    polls,
    presenting,
    room,
    roster,
)

#: Room left in each part for the envelope, the room and roster info that every part repeats.
_RESERVE = 16 * 1024


def build(db: DbSession, view: View) -> tuple[int, bytes, p.RoomState]:
    """The state ``view`` may see, and the seq and tag it is current at, read in one
    transaction."""
    seq, tag = eventlog.head(db)
    shown = meetings.visible(db, view)
    return (
        seq,
        tag,
        p.RoomState(
            room=room.info(db),
            meetings=[wire.meeting(m) for m in shown],
            agenda=agenda.items_of(db, [m.id for m in shown]),
            documents=documents.visible(db, view, shown),
            roster=roster.info(db) if view.staff else None,
            delegates=roster.delegates(db) if view.staff else [],
            polls=polls.of_meetings(db, [m.id for m in shown]),
            attendance=attendance.of_meeting(db, [m.id for m in shown]),
            proxies=attendance.proxies_of(db, [m.id for m in shown]),
            turnout=polls.open_turnouts(db) if view.staff else [],
            presentations=presenting.of_meetings(db, [m.id for m in shown]),
        ),
    )


def frames(seq: int, tag: bytes, state: p.RoomState) -> list[bytes]:
    """``snapshot`` frames for a state, each within ``MAX_SERVER_FRAME``."""
    budget = p.MAX_SERVER_FRAME - _RESERVE
    names = p.STATE_LISTS
    parts: list[dict[str, list[object]]] = [{name: [] for name in names}]
    size = 0
    for name in names:
        for obj in getattr(state, name):
            n = len(p.encode(obj)) + 1
            if size + n > budget and any(parts[-1].values()):
                parts.append({name: [] for name in names})
                size = 0
            parts[-1][name].append(obj)
            size += n
    last = len(parts) - 1
    return [
        p.encode(
            p.Snapshot(
                seq=seq,
                tag=tag,
                part=i,
                last=i == last,
                state=p.RoomState(room=state.room, roster=state.roster, **part),  # type: ignore[arg-type]
            )
        )
        for i, part in enumerate(parts)
    ]
