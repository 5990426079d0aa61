"""The reducer: events carry resulting state, so replays are idempotent and order-safe."""

from __future__ import annotations

import pytest

from app import protocol as p
from app.state import Area, RoomModel


def item(
    i: int, parent: int | None = None, pos: int = 0, status: p.ItemStatus = "pending"
) -> p.AgendaItem:
    return p.AgendaItem(
        id=i, meeting_id=1, parent_id=parent, position=pos, title=f"Mục {i}", status=status
    )


def test_events_rebuild_the_tree_and_numbers() -> None:
    m = RoomModel(p.RoomState(room=p.RoomInfo(name="R")))
    m.apply(p.MeetingChanged(meeting=p.Meeting(id=1, title="Phiên")))
    m.apply(p.RoomChanged(room=p.RoomInfo(name="R", active_meeting_id=1)))
    m.apply(p.AgendaChanged(meeting_id=1, items=[item(1), item(2, pos=1), item(3, parent=2)]))
    assert [(d, i.id) for d, i in m.walk(1)] == [(0, 1), (0, 2), (1, 3)]
    assert m.display_number(m.items[3]) == "2.1"
    m.apply(p.AgendaChanged(meeting_id=1, items=[item(2, pos=1, status="current")]))
    assert m.current_item(1) == m.items[2]
    snapshot = m.to_state()
    m.apply(p.AgendaChanged(meeting_id=1, removed=[2, 3]))
    m.apply(p.AgendaChanged(meeting_id=1, removed=[2, 3]))  # replayed: no error
    assert list(m.items) == [1]
    assert RoomModel(snapshot).to_state() == snapshot


def test_each_event_names_the_area_it_changed() -> None:
    m = RoomModel(p.RoomState(room=p.RoomInfo(name="R")))
    assert m.apply(p.MeetingChanged(meeting=p.Meeting(id=1, title="x"))) == Area.MEETINGS
    assert m.apply(p.RoomChanged(room=p.RoomInfo(name="R", active_meeting_id=1))) == Area.ROOM
    assert m.apply(p.AgendaChanged(meeting_id=1, items=[item(1)])) == Area.AGENDA
    assert m.apply(p.RosterChanged(delegates=1)) == Area.ROSTER
    assert m.apply(p.AccessChanged()) == Area.NONE
    assert m.load(m.to_state()) == Area.ALL


def test_snapshots_are_immutable_and_cheap() -> None:
    """A snapshot shares the model's tables until the model next changes one: then only that
    table is copied, and the snapshot keeps showing what it showed."""
    m = RoomModel(p.RoomState(room=p.RoomInfo(name="R"), agenda=[item(1)]))
    first = m.snapshot()
    assert m.snapshot() is first  # nothing changed: the same object
    m.apply(p.AgendaChanged(meeting_id=1, items=[item(2, pos=1)]))
    second = m.snapshot()
    assert list(first.items) == [1] and list(second.items) == [1, 2]
    assert first.meetings is not None and second.meetings == first.meetings
    with pytest.raises(TypeError):
        second.items[3] = item(3)  # type: ignore[index]


def test_deep_trees_walk_and_number_without_recursion() -> None:
    depth = 5000
    items = [item(i, parent=i - 1 if i > 1 else None) for i in range(1, depth + 1)]
    m = RoomModel(p.RoomState(room=p.RoomInfo(name="R"), agenda=items))
    walked = list(m.walk(1))
    assert len(walked) == depth and walked[-1][0] == depth - 1
    assert m.display_number(m.items[depth]) == ".".join(["1"] * depth)


def test_explicit_numbers_win_over_outline() -> None:
    m = RoomModel(p.RoomState(room=p.RoomInfo(name="R")))
    m.apply(
        p.AgendaChanged(
            meeting_id=1, items=[p.AgendaItem(id=1, meeting_id=1, number="IV", title="t")]
        )
    )
    assert m.display_number(m.items[1]) == "IV"


def test_proxies_are_replaced_and_removed_by_their_events() -> None:
    m = RoomModel(p.RoomState(room=p.RoomInfo(name="R")))
    held = p.Proxy(meeting_id=1, giver_id=7, holder_id=3, giver_number="0007", giver_name="Lê Lan")
    assert m.apply(p.ProxyChanged(meeting_id=1, giver_id=7, proxy=held)) == Area.VOTES
    moved = p.Proxy(meeting_id=1, giver_id=7, holder_id=4, giver_number="0007", giver_name="Lê Lan")
    m.apply(p.ProxyChanged(meeting_id=1, giver_id=7, proxy=moved))
    assert m.proxies == {(1, 7): moved}
    snapshot = m.to_state()
    assert RoomModel(snapshot).proxies == {(1, 7): moved}
    m.apply(p.ProxyChanged(meeting_id=1, giver_id=7))
    m.apply(p.ProxyChanged(meeting_id=1, giver_id=7))  # replayed: no error
    assert m.proxies == {}
