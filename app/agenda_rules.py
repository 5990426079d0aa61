"""How an agenda reads, beyond each item's stored status: rules the views share.

An item whose sub-item is being discussed is itself *in progress*, whatever status it has
stored: it is not finished, and it is not merely coming up. The views show it that way from
the room state alone, so a parent never reads "done" while its sub-item is live, even if a
server or an old snapshot says otherwise.
"""

from __future__ import annotations

from typing import Literal

from app.protocol import AgendaItem
from app.state import RoomModel

#: What an item is shown as: its stored status, or ``in_progress`` for an ancestor of the
#: current item.
ShownStatus = Literal["pending", "current", "in_progress", "done"]


def ancestors_of(model: RoomModel, item_id: int) -> list[AgendaItem]:
    """The item's parent, grandparent … up to its top-level item (nearest first).

    Empty for a top-level or unknown item. A parent missing from the model ends the chain,
    and a loop in the parent links (a corrupt state) is walked only once.
    """
    out: list[AgendaItem] = []
    seen = {item_id}
    item = model.items.get(item_id)
    while item is not None and item.parent_id is not None and item.parent_id not in seen:
        seen.add(item.parent_id)
        item = model.items.get(item.parent_id)
        if item is not None:
            out.append(item)
    return out


def top_level_of(model: RoomModel, item_id: int) -> AgendaItem | None:
    """The top-level item that ``item_id`` is under (the item itself if it is top-level)."""
    ancestors = ancestors_of(model, item_id)
    return ancestors[-1] if ancestors else model.items.get(item_id)


def in_progress_ids(model: RoomModel, meeting_id: int) -> frozenset[int]:
    """The items shown as in progress in a meeting: every ancestor of its current item."""
    current = model.current_item(meeting_id)
    if current is None:
        return frozenset()
    return frozenset(item.id for item in ancestors_of(model, current.id))


def shown_status(model: RoomModel, item: AgendaItem) -> ShownStatus:
    """What ``item`` is shown as: ``in_progress`` above the current item, else its status."""
    if item.id in in_progress_ids(model, item.meeting_id):
        return "in_progress"
    return item.status
