"""The room itself: its name, and which meeting every delegate screen shows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server.db import Setting
from server.store import Work


def info(db: DbSession) -> p.RoomInfo:
    settings = {s.key: s.value for s in db.scalars(select(Setting))}
    active = settings.get("active_meeting")
    return p.RoomInfo(
        name=settings.get("room_name", "?"),
        active_meeting_id=int(active) if active else None,
    )


def init(work: Work, name: str) -> None:
    """Name a new room (``hemicycle-server init``)."""
    work.db.merge(Setting(key="room_name", value=name))
    work.emit(p.RoomChanged(room=p.RoomInfo(name=name)))


def show_meeting(work: Work, meeting_id: int | None) -> None:
    """Make ``meeting_id`` the meeting every delegate screen shows (``None``: none)."""
    if info(work.db).active_meeting_id == meeting_id:
        return
    work.db.merge(Setting(key="active_meeting", value=str(meeting_id) if meeting_id else ""))
    work.db.flush()
    work.emit(p.RoomChanged(room=info(work.db)))
