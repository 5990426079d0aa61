"""How an agenda reads and is moved along: rules the console, the delegate app and the hall
display share, so none of them keeps its own copy.

An item whose sub-item is being discussed is itself *in progress*, whatever status it has
stored: it is not finished, and it is not merely coming up. The views show it that way from
the room state alone, so a parent never reads "done" while its sub-item is live, even if a
server or an old snapshot says otherwise.
"""

from __future__ import annotations

from typing import Literal

from app import protocol as p
from app.protocol import AgendaItem
from app.state import RoomReader

#: What an item is shown as: its stored status, or ``in_progress`` for an ancestor of the
#: current item.
ShownStatus = Literal["pending", "current", "in_progress", "done"]


def top_level_of(model: RoomReader, item_id: int) -> AgendaItem | None:
    """The top-level item that ``item_id`` is under (the item itself if it is top-level)."""
    item = model.items.get(item_id)
    if item is None:
        return None
    ancestors = model.ancestors(item)
    return ancestors[-1] if ancestors else item


def in_progress_ids(model: RoomReader, meeting_id: int) -> frozenset[int]:
    """The items shown as in progress in a meeting: every ancestor of its current item."""
    current = model.current_item(meeting_id)
    if current is None:
        return frozenset()
    return frozenset(item.id for item in model.ancestors(current))


def shown_status(model: RoomReader, item: AgendaItem) -> ShownStatus:
    """What ``item`` is shown as: ``in_progress`` above the current item, else its status."""
    if item.id in in_progress_ids(model, item.meeting_id):
        return "in_progress"
    return item.status


def next_item_id(model: RoomReader, meeting_id: int) -> int | None:
    """The item after the current one in agenda order (the first if none is current)."""
    order = [item.id for _, item in model.walk(meeting_id)]
    if not order:
        return None
    current = model.current_item(meeting_id)
    if current is None:
        return order[0]
    index = order.index(current.id) if current.id in order else -1
    return order[index + 1] if index + 1 < len(order) else None


def move_request(model: RoomReader, item: AgendaItem, direction: str) -> p.AgendaMove | None:
    """The ``agenda.move`` for up/down/indent/outdent, or ``None`` if the move is impossible.

    ``position`` is the index among the new siblings *without* the moved item (the server's
    rule), so "down" is ``index + 1`` and "up" is ``index - 1``.
    """
    siblings = model.children(item.meeting_id, item.parent_id)
    ids = [s.id for s in siblings]
    index = ids.index(item.id)
    if direction == "up" and index > 0:
        return p.AgendaMove(id=0, item_id=item.id, parent_id=item.parent_id, position=index - 1)
    if direction == "down" and index + 1 < len(ids):
        return p.AgendaMove(id=0, item_id=item.id, parent_id=item.parent_id, position=index + 1)
    if direction == "indent" and index > 0:
        new_parent = siblings[index - 1]
        position = len(model.children(item.meeting_id, new_parent.id))
        return p.AgendaMove(id=0, item_id=item.id, parent_id=new_parent.id, position=position)
    if direction == "outdent" and item.parent_id is not None:
        parent = model.items[item.parent_id]
        uncles = [s.id for s in model.children(item.meeting_id, parent.parent_id)]
        position = uncles.index(parent.id) + 1
        return p.AgendaMove(id=0, item_id=item.id, parent_id=parent.parent_id, position=position)
    return None
