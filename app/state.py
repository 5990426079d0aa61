"""The room state as a client sees it, and the one reducer that applies events to it.

The server never sends partial diffs: each event carries the resulting state of the objects it
touched, so applying it is a replace, and replaying snapshot + events always lands on the same
state the server holds. The same reducer serves the delegate app, the console and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.protocol import (
    AgendaChanged,
    AgendaItem,
    CodeIssued,
    DeviceEnrolled,
    DeviceRevoked,
    EventBody,
    Meeting,
    MeetingChanged,
    MeetingRemoved,
    RoomChanged,
    RoomInfo,
    RoomState,
    RosterChanged,
)


class RoomModel:
    """Mutable, indexed form of :class:`RoomState` with event application."""

    def __init__(self, state: RoomState | None = None) -> None:
        self.room = RoomInfo(name="?")
        self.meetings: dict[int, Meeting] = {}
        self.items: dict[int, AgendaItem] = {}
        if state is not None:
            self.load(state)

    def load(self, state: RoomState) -> None:
        """Replace everything with a snapshot."""
        self.room = state.room
        self.meetings = {m.id: m for m in state.meetings}
        self.items = {i.id: i for i in state.agenda}

    def apply(self, body: EventBody) -> None:
        """Apply one event. Unknown object ids in removals are ignored (idempotent replay)."""
        match body:
            case RoomChanged(room=room):
                self.room = room
            case MeetingChanged(meeting=meeting):
                self.meetings[meeting.id] = meeting
            case MeetingRemoved(meeting_id=meeting_id):
                self.meetings.pop(meeting_id, None)
                for item_id in [i.id for i in self.items.values() if i.meeting_id == meeting_id]:
                    del self.items[item_id]
            case AgendaChanged(items=items, removed=removed):
                for item_id in removed:
                    self.items.pop(item_id, None)
                for item in items:
                    self.items[item.id] = item
            case RosterChanged() | DeviceEnrolled() | DeviceRevoked() | CodeIssued():
                pass  # staff bookkeeping; nothing a client renders from the room state

    def to_state(self) -> RoomState:
        """Canonical snapshot: meetings by id, agenda items by id."""
        return RoomState(
            room=self.room,
            meetings=sorted(self.meetings.values(), key=lambda m: m.id),
            agenda=sorted(self.items.values(), key=lambda i: i.id),
        )

    # ------------------------------------------------------------------ queries for views

    @property
    def active_meeting(self) -> Meeting | None:
        mid = self.room.active_meeting_id
        return self.meetings.get(mid) if mid is not None else None

    def children(self, meeting_id: int, parent_id: int | None) -> list[AgendaItem]:
        """Items directly under ``parent_id`` (``None``: top level), in agenda order."""
        kids = [
            i
            for i in self.items.values()
            if i.meeting_id == meeting_id and i.parent_id == parent_id
        ]
        return sorted(kids, key=lambda i: (i.position, i.id))

    def walk(self, meeting_id: int) -> Iterable[tuple[int, AgendaItem]]:
        """Depth-first agenda order with depth, the order a printed agenda reads in."""

        def visit(parent: int | None, depth: int) -> Iterable[tuple[int, AgendaItem]]:
            for item in self.children(meeting_id, parent):
                yield depth, item
                yield from visit(item.id, depth + 1)

        return visit(None, 0)

    def display_number(self, item: AgendaItem) -> str:
        """The item's label: its explicit number, or its outline position (``2.1``) if none."""
        if item.number:
            return item.number
        own = str(item.position + 1)
        parent = self.items.get(item.parent_id) if item.parent_id is not None else None
        return f"{self.display_number(parent)}.{own}" if parent is not None else own

    def current_item(self, meeting_id: int) -> AgendaItem | None:
        for item in self.items.values():
            if item.meeting_id == meeting_id and item.status == "current":
                return item
        return None
