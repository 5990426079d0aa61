"""Agenda rules the views share: an item above the one being discussed is in progress."""

from __future__ import annotations

from app import protocol as p
from app.agenda_rules import in_progress_ids, shown_status, top_level_of
from app.state import RoomModel


def item(
    i: int, parent: int | None = None, pos: int = 0, status: p.ItemStatus = "pending"
) -> p.AgendaItem:
    return p.AgendaItem(
        id=i, meeting_id=1, parent_id=parent, position=pos, title=f"Mục {i}", status=status
    )


def model(*items: p.AgendaItem) -> RoomModel:
    return RoomModel(
        p.RoomState(
            room=p.RoomInfo(name="R", active_meeting_id=1),
            meetings=[p.Meeting(id=1, title="Phiên")],
            agenda=list(items),
        )
    )


def agenda(current: int, stored: p.ItemStatus = "done") -> RoomModel:
    """1, 2 (2.1, 2.2 (2.2.1)), 3; ``current`` is current, 2 is stored as ``stored``."""
    statuses: dict[int, p.ItemStatus] = {1: "done", 2: stored, 21: "done", 22: stored}
    statuses[current] = "current"
    return model(
        item(1, status=statuses.get(1, "pending")),
        item(2, pos=1, status=statuses.get(2, "pending")),
        item(21, parent=2, status=statuses.get(21, "pending")),
        item(22, parent=2, pos=1, status=statuses.get(22, "pending")),
        item(221, parent=22, status=statuses.get(221, "pending")),
        item(3, pos=2, status=statuses.get(3, "pending")),
    )


def test_ancestors_go_up_to_the_top_level() -> None:
    m = agenda(current=221)
    assert [a.id for a in m.ancestors(m.items[221])] == [22, 2]
    assert m.ancestors(m.items[2]) == []
    assert top_level_of(m, 221) == m.items[2]
    assert top_level_of(m, 3) == m.items[3]
    assert top_level_of(m, 999) is None


def test_every_ancestor_of_the_current_item_is_in_progress_whatever_it_stored() -> None:
    for stored in ("done", "pending"):
        m = agenda(current=221, stored=stored)
        assert in_progress_ids(m, 1) == {2, 22}
        assert [shown_status(m, m.items[i]) for i in (1, 2, 22, 221, 21, 3)] == [
            "done",
            "in_progress",
            "in_progress",
            "current",
            "done",
            "pending",
        ]


def test_nothing_is_in_progress_without_a_current_sub_item() -> None:
    m = agenda(current=3)
    assert in_progress_ids(m, 1) == frozenset()
    assert shown_status(m, m.items[2]) == "done"
    no_current = model(item(1, status="done"), item(2, parent=1, status="done"))
    assert in_progress_ids(no_current, 1) == frozenset()


def test_a_broken_parent_chain_ends_the_walk() -> None:
    looped = model(item(1, parent=2), item(2, parent=1, status="current"))
    assert [a.id for a in looped.ancestors(looped.items[2])] == [1]
    orphan = model(item(5, parent=404, status="current"))
    assert orphan.ancestors(orphan.items[5]) == []
    assert in_progress_ids(orphan, 1) == frozenset()
