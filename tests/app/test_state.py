"""The reducer: events carry resulting state, so replays are idempotent and order-safe."""

from __future__ import annotations

from app import protocol as p
from app.state import RoomModel


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


def test_removing_a_meeting_removes_its_agenda() -> None:
    m = RoomModel(
        p.RoomState(
            room=p.RoomInfo(name="R"), meetings=[p.Meeting(id=1, title="x")], agenda=[item(1)]
        )
    )
    m.apply(p.MeetingRemoved(meeting_id=1))
    assert m.items == {} and m.meetings == {}


def test_explicit_numbers_win_over_outline() -> None:
    m = RoomModel(p.RoomState(room=p.RoomInfo(name="R")))
    m.apply(
        p.AgendaChanged(
            meeting_id=1, items=[p.AgendaItem(id=1, meeting_id=1, number="IV", title="t")]
        )
    )
    assert m.display_number(m.items[1]) == "IV"
