"""The agenda's rules, run as units of work on a real database: the current item and its
ancestors, the depth limit, moves."""

from __future__ import annotations

import pytest

from app import protocol as p
from server.datadir import DataDir
from server.domains import agenda, meetings
from server.errors import ServiceError
from server.store import CLI
from tests.roomtool import RoomTool


@pytest.fixture
def room(room_dir: DataDir) -> RoomTool:
    return RoomTool.open(room_dir)


def statuses(room: RoomTool, *ids: int) -> list[str]:
    _seq, state = room.snapshot()
    by_id = {i.id: i.status for i in state.agenda}
    return [by_id[i] for i in ids]


def test_a_parent_stays_open_while_its_sub_items_run(room: RoomTool) -> None:
    m = room.new_meeting()
    one, two, three = (room.new_item(m, t) for t in ("Khai mạc", "Thảo luận", "Bế mạc"))
    two_a, two_b = room.new_item(m, "2.1", parent=two), room.new_item(m, "2.2", parent=two)
    room.set_current(m, two)
    room.set_current(m, two_a)  # into the sub-items: the parent is not finished
    assert statuses(room, one, two, two_a) == ["pending", "pending", "current"]
    room.set_current(m, two_b)
    assert statuses(room, two, two_a, two_b) == ["pending", "done", "current"]
    room.set_current(m, three)  # past the sub-items: the parent is done with its last one
    assert statuses(room, two, two_b, three) == ["done", "done", "current"]
    room.set_current(m, two_a)  # back into a finished item reopens it
    assert statuses(room, two, two_a, three) == ["pending", "current", "done"]


def test_the_agenda_is_at_most_eight_levels_deep(room: RoomTool) -> None:
    m = room.new_meeting()
    parent = None
    chain = []
    for level in range(p.MAX_AGENDA_DEPTH):
        parent = room.new_item(m, f"mức {level + 1}", parent=parent)
        chain.append(parent)
    with pytest.raises(ServiceError, match="8 levels"):
        room.new_item(m, "mức 9", parent=parent)
    # a two-level branch cannot move under the seventh level either
    top = room.new_item(m, "nhánh")
    room.new_item(m, "lá", parent=top)
    move = p.AgendaMove(id=0, item_id=top, parent_id=chain[6], position=0)
    with pytest.raises(ServiceError, match="8 levels"):
        room.store.run(lambda w: agenda.move(w, move), CLI)
    move = p.AgendaMove(id=0, item_id=top, parent_id=chain[5], position=0)
    room.store.run(lambda w: agenda.move(w, move), CLI)  # seventh and eighth level: fine
    under_itself = p.AgendaMove(id=0, item_id=chain[0], parent_id=chain[3], position=0)
    with pytest.raises(ServiceError, match="under itself"):
        room.store.run(lambda w: agenda.move(w, under_itself), CLI)


def test_a_closed_meeting_does_not_move_on(room: RoomTool) -> None:
    m = room.new_meeting()
    item = room.new_item(m)
    close = p.MeetingUpdate(id=0, meeting_id=m, status="closed")
    room.store.run(lambda w: meetings.update(w, close), CLI)
    with pytest.raises(ServiceError, match="closed"):
        room.set_current(m, item)


def test_a_refused_change_leaves_nothing_behind(room: RoomTool) -> None:
    m = room.new_meeting()
    before = room.last_seq()
    bad = p.AgendaAdd(id=0, meeting_id=m, parent_id=999, title="mồ côi")
    with pytest.raises(ServiceError):
        room.store.run(lambda w: agenda.add(w, bad), CLI)
    assert room.last_seq() == before
    assert room.snapshot()[1].agenda == []
