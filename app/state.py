"""The room state as a client sees it, and the one reducer that applies events to it.

The server never sends partial diffs: each event carries the resulting state of the objects it
touched, so applying it is a replace, and replaying snapshot + events always lands on the same
state the server holds. The same reducer serves the delegate app, the console and the tests.

:class:`RoomModel` is the network side's mutable model. :meth:`RoomModel.apply` says which
:class:`Area` of the state an event changed, and :meth:`RoomModel.snapshot` hands out an
immutable :class:`RoomView` in constant time: the model copies one area's table only when it
next changes it (copy on write). So the GUI gets a consistent picture per burst of events
without a full copy of the model, and each view redraws only the areas that changed, as Anki's
``OpChanges`` let its screens do.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from app.protocol import (
    AccessChanged,
    AgendaChanged,
    AgendaItem,
    AnnotationsChanged,
    Attendance,
    AttendanceChanged,
    CodeIssued,
    Delegate,
    DelegatesChanged,
    DeviceEnrolled,
    DeviceRevoked,
    Document,
    DocumentChanged,
    EventBody,
    Meeting,
    MeetingChanged,
    Poll,
    PollChanged,
    Presentation,
    PresentationChanged,
    Proxy,
    ProxyChanged,
    RoomChanged,
    RoomInfo,
    RoomState,
    RosterChanged,
    RosterInfo,
    Turnout,
    TurnoutChanged,
)

_TABLES = (
    "meetings",
    "items",
    "delegates",
    "documents",
    "polls",
    "attendance",
    "proxies",
    "turnout",
    "presentations",
)


def _by_id(doc: Document) -> int:
    return doc.id


class Area(enum.Flag):
    """Parts of the state a change can touch; views subscribe to the ones they draw."""

    NONE = 0
    ROOM = enum.auto()  # the room's name, which meeting is shown
    MEETINGS = enum.auto()
    AGENDA = enum.auto()
    DOCUMENTS = enum.auto()
    ROSTER = enum.auto()  # staff only: roster summary and delegates
    VOTES = enum.auto()  # polls, attendance, proxies, turnout
    PRESENTING = enum.auto()  # what each meeting's presenter shows
    #: Not room state: the delegate's annotations changed on another of their devices (sync).
    ANNOTATIONS = enum.auto()
    ALL = ROOM | MEETINGS | AGENDA | DOCUMENTS | ROSTER | VOTES | PRESENTING | ANNOTATIONS


class RoomReader:
    """What views ask of a room state; shared by the model and its immutable snapshots."""

    room: RoomInfo
    roster: RosterInfo | None

    @property
    def meetings(self) -> Mapping[int, Meeting]:
        raise NotImplementedError

    @property
    def items(self) -> Mapping[int, AgendaItem]:
        raise NotImplementedError

    @property
    def delegates(self) -> Mapping[int, Delegate]:
        raise NotImplementedError

    @property
    def documents(self) -> Mapping[int, Document]:
        raise NotImplementedError

    @property
    def polls(self) -> Mapping[int, Poll]:
        raise NotImplementedError

    @property
    def attendance(self) -> Mapping[tuple[int, int], Attendance]:
        """By (meeting id, delegate id)."""
        raise NotImplementedError

    @property
    def proxies(self) -> Mapping[tuple[int, int], Proxy]:
        """By (meeting id, giver id)."""
        raise NotImplementedError

    @property
    def turnout(self) -> Mapping[int, Turnout]:
        """Staff: by poll id."""
        raise NotImplementedError

    @property
    def presentations(self) -> Mapping[int, Presentation]:
        """By meeting id: what its presenter shows, for meetings with one."""
        raise NotImplementedError

    def documents_of(self, item_id: int) -> list[Document]:
        """An agenda item's documents, in the order they were attached."""
        return sorted((d for d in self.documents.values() if d.item_id == item_id), key=_by_id)

    def _children_index(self) -> Mapping[tuple[int, int | None], list[AgendaItem]]:
        index: dict[tuple[int, int | None], list[AgendaItem]] = {}
        for item in self.items.values():
            index.setdefault((item.meeting_id, item.parent_id), []).append(item)
        for kids in index.values():
            kids.sort(key=lambda i: (i.position, i.id))
        return index

    def to_state(self) -> RoomState:
        """Canonical snapshot: every list by id."""
        return RoomState(
            room=self.room,
            meetings=sorted(self.meetings.values(), key=lambda m: m.id),
            agenda=sorted(self.items.values(), key=lambda i: i.id),
            roster=self.roster,
            delegates=sorted(self.delegates.values(), key=lambda d: d.id),
            documents=sorted(self.documents.values(), key=_by_id),
            polls=sorted(self.polls.values(), key=lambda q: q.id),
            attendance=[self.attendance[k] for k in sorted(self.attendance)],
            proxies=[self.proxies[k] for k in sorted(self.proxies)],
            turnout=sorted(self.turnout.values(), key=lambda t: t.poll_id),
            presentations=[self.presentations[k] for k in sorted(self.presentations)],
        )

    @property
    def active_meeting(self) -> Meeting | None:
        mid = self.room.active_meeting_id
        return self.meetings.get(mid) if mid is not None else None

    def children(self, meeting_id: int, parent_id: int | None) -> list[AgendaItem]:
        """Items directly under ``parent_id`` (``None``: top level), in agenda order."""
        return list(self._children_index().get((meeting_id, parent_id), ()))

    def walk(self, meeting_id: int) -> Iterator[tuple[int, AgendaItem]]:
        """Depth-first agenda order with depth, the order a printed agenda reads in."""
        index = self._children_index()
        stack: list[tuple[int, Iterator[AgendaItem]]] = [
            (0, iter(index.get((meeting_id, None), ())))
        ]
        while stack:
            depth, kids = stack[-1]
            item = next(kids, None)
            if item is None:
                stack.pop()
                continue
            yield depth, item
            stack.append((depth + 1, iter(index.get((meeting_id, item.id), ()))))

    def ancestors(self, item: AgendaItem) -> list[AgendaItem]:
        """Parent first, up to the top level (a broken chain simply ends)."""
        out: list[AgendaItem] = []
        seen = {item.id}
        parent = self.items.get(item.parent_id) if item.parent_id is not None else None
        while parent is not None and parent.id not in seen:
            out.append(parent)
            seen.add(parent.id)
            parent = self.items.get(parent.parent_id) if parent.parent_id is not None else None
        return out

    def display_number(self, item: AgendaItem) -> str:
        """The item's label: its explicit number, or its outline position (``2.1``) if none;
        an ancestor's explicit number stands for the part above it."""
        if item.number:
            return item.number
        parts = [str(item.position + 1)]
        for ancestor in self.ancestors(item):
            if ancestor.number:
                parts.append(ancestor.number)
                break
            parts.append(str(ancestor.position + 1))
        return ".".join(reversed(parts))

    def current_item(self, meeting_id: int) -> AgendaItem | None:
        for item in self.items.values():
            if item.meeting_id == meeting_id and item.status == "current":
                return item
        return None


@dataclass(frozen=True, eq=False)
class RoomView(RoomReader):
    """An immutable room state: safe to hand to another thread, cheap to keep."""

    room: RoomInfo
    roster: RosterInfo | None
    _meetings: Mapping[int, Meeting]
    _items: Mapping[int, AgendaItem]
    _delegates: Mapping[int, Delegate]
    _documents: Mapping[int, Document]
    _polls: Mapping[int, Poll]
    _attendance: Mapping[tuple[int, int], Attendance]
    _proxies: Mapping[tuple[int, int], Proxy]
    _turnout: Mapping[int, Turnout]
    _presentations: Mapping[int, Presentation]

    @property
    def presentations(self) -> Mapping[int, Presentation]:
        return self._presentations

    @property
    def polls(self) -> Mapping[int, Poll]:
        return self._polls

    @property
    def attendance(self) -> Mapping[tuple[int, int], Attendance]:
        return self._attendance

    @property
    def proxies(self) -> Mapping[tuple[int, int], Proxy]:
        return self._proxies

    @property
    def turnout(self) -> Mapping[int, Turnout]:
        return self._turnout

    @property
    def meetings(self) -> Mapping[int, Meeting]:
        return self._meetings

    @property
    def documents(self) -> Mapping[int, Document]:
        return self._documents

    @property
    def items(self) -> Mapping[int, AgendaItem]:
        return self._items

    @property
    def delegates(self) -> Mapping[int, Delegate]:
        return self._delegates

    @functools.cached_property
    def _index(self) -> Mapping[tuple[int, int | None], list[AgendaItem]]:
        return super()._children_index()

    def _children_index(self) -> Mapping[tuple[int, int | None], list[AgendaItem]]:
        return self._index


class RoomModel(RoomReader):
    """The mutable state a client keeps, with event application and O(1) snapshots."""

    def __init__(self, state: RoomState | None = None) -> None:
        self.room = RoomInfo(name="?")
        self.roster = None
        self._tables: dict[str, dict[Any, object]] = {name: {} for name in _TABLES}
        self._shared: set[str] = set()
        self._view: RoomView | None = None
        if state is not None:
            self.load(state)

    @property
    def meetings(self) -> Mapping[int, Meeting]:
        return self._tables["meetings"]  # type: ignore[return-value]

    @property
    def items(self) -> Mapping[int, AgendaItem]:
        return self._tables["items"]  # type: ignore[return-value]

    @property
    def delegates(self) -> Mapping[int, Delegate]:
        return self._tables["delegates"]  # type: ignore[return-value]

    @property
    def documents(self) -> Mapping[int, Document]:
        return self._tables["documents"]  # type: ignore[return-value]

    @property
    def polls(self) -> Mapping[int, Poll]:
        return self._tables["polls"]  # type: ignore[return-value]

    @property
    def attendance(self) -> Mapping[tuple[int, int], Attendance]:
        return self._tables["attendance"]  # type: ignore[return-value]

    @property
    def proxies(self) -> Mapping[tuple[int, int], Proxy]:
        return self._tables["proxies"]  # type: ignore[return-value]

    @property
    def turnout(self) -> Mapping[int, Turnout]:
        return self._tables["turnout"]  # type: ignore[return-value]

    @property
    def presentations(self) -> Mapping[int, Presentation]:
        return self._tables["presentations"]  # type: ignore[return-value]

    def _children_index(self) -> Mapping[tuple[int, int | None], list[AgendaItem]]:
        return self.snapshot()._children_index()

    def _writable(self, name: str) -> dict[Any, object]:
        """The table ``name``, copied first if a snapshot still shares it."""
        self._view = None
        if name in self._shared:
            self._tables[name] = dict(self._tables[name])
            self._shared.discard(name)
        return self._tables[name]

    def snapshot(self) -> RoomView:
        if self._view is None:
            self._view = RoomView(
                self.room,
                self.roster,
                MappingProxyType(self.meetings),
                MappingProxyType(self.items),
                MappingProxyType(self.delegates),
                MappingProxyType(self.documents),
                MappingProxyType(self.polls),
                MappingProxyType(self.attendance),
                MappingProxyType(self.proxies),
                MappingProxyType(self.turnout),
                MappingProxyType(self.presentations),
            )
            self._shared = set(self._tables)
        return self._view

    def load(self, state: RoomState) -> Area:
        """Replace everything with a snapshot."""
        self._view = None
        self._shared.clear()
        self.room = state.room
        self.roster = state.roster
        self._tables = {
            "meetings": {m.id: m for m in state.meetings},
            "items": {i.id: i for i in state.agenda},
            "delegates": {d.id: d for d in state.delegates},
            "documents": {d.id: d for d in state.documents},
            "polls": {q.id: q for q in state.polls},
            "attendance": {(a.meeting_id, a.delegate_id): a for a in state.attendance},
            "proxies": {(x.meeting_id, x.giver_id): x for x in state.proxies},
            "turnout": {t.poll_id: t for t in state.turnout},
            "presentations": {x.meeting_id: x for x in state.presentations},
        }
        return Area.ALL

    def apply(self, body: EventBody) -> Area:
        """Apply one event; returns the areas it changed. Unknown ids in removals are ignored
        (idempotent replay)."""
        match body:
            case RoomChanged(room=room):
                self._view = None
                self.room = room
                return Area.ROOM
            case MeetingChanged(meeting=meeting):
                self._writable("meetings")[meeting.id] = meeting
                gone = [d.id for d in self.documents.values() if d.meeting_id == meeting.id]
                if not meeting.wiped or not gone:
                    return Area.MEETINGS
                docs = self._writable("documents")  # a wiped meeting's documents are no more
                for document_id in gone:
                    del docs[document_id]
                return Area.MEETINGS | Area.DOCUMENTS
            case DocumentChanged(document=document):
                self._writable("documents")[document.id] = document
                return Area.DOCUMENTS
            case PresentationChanged(meeting_id=meeting_id, presentation=presentation):
                presentations = self._writable("presentations")
                if presentation is None:
                    presentations.pop(meeting_id, None)
                else:
                    presentations[meeting_id] = presentation
                return Area.PRESENTING
            case AgendaChanged(items=items, removed=removed):
                table = self._writable("items")
                for item_id in removed:
                    table.pop(item_id, None)
                for item in items:
                    table[item.id] = item
                return Area.AGENDA
            case RosterChanged(delegates=count, groups=groups):
                self._view = None
                self.roster = RosterInfo(delegates=count, groups=groups)
                return Area.ROSTER
            case DelegatesChanged(delegates=delegates):
                table = self._writable("delegates")
                for delegate in delegates:
                    table[delegate.id] = delegate
                return Area.ROSTER
            case PollChanged(poll=poll):
                self._writable("polls")[poll.id] = poll
                if poll.status != "open" and poll.id in self.turnout:
                    del self._writable("turnout")[poll.id]
                return Area.VOTES
            case TurnoutChanged(turnout=turnout):  # always before its poll's close
                self._writable("turnout")[turnout.poll_id] = turnout
                return Area.VOTES
            case AttendanceChanged(entries=entries):
                table = self._writable("attendance")
                for entry in entries:
                    table[(entry.meeting_id, entry.delegate_id)] = entry
                return Area.VOTES
            case ProxyChanged(meeting_id=meeting_id, giver_id=giver_id, proxy=proxy):
                proxies = self._writable("proxies")
                if proxy is None:
                    proxies.pop((meeting_id, giver_id), None)
                else:
                    proxies[(meeting_id, giver_id)] = proxy
                return Area.VOTES
            case AnnotationsChanged():
                return Area.ANNOTATIONS
            case AccessChanged() | DeviceEnrolled() | DeviceRevoked() | CodeIssued():
                return Area.NONE  # a snapshot follows access changes; the rest is bookkeeping
        return Area.NONE
