"""Which part of a window redraws for which change of the room state.

The bridge emits one immutable :class:`~app.state.RoomView` per burst of events, with the
:class:`~app.state.Area` flags the burst changed. A window does not redraw everything each
time: every part of it declares the areas it draws, and an :class:`AreaRouter` hands each
update only to the parts whose areas it touches, with just those areas, as Anki's
``OpChanges`` let its screens do. The agenda moving on does not rebuild the meeting list, and a
roster import does not touch the agenda.

A part receives the state it draws from only through the router, so it always holds the latest
state of its areas, and reads nothing else from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol

from app.state import Area, RoomView

Draw = Callable[[RoomView, Area], None]


class AreaView(Protocol):
    """A part of a window that draws some areas of the room state."""

    #: The areas it draws; it is given an update only when one of them changed.
    areas: ClassVar[Area]

    def show_model(self, model: RoomView, areas: Area) -> None:
        """Draw ``model``; ``areas`` (never empty) are those of :attr:`areas` that changed."""


class AreaRouter:
    """Calls, for each update, only the parts of a window that draw what it changed.

    Parts are called in the order they were added. One that others follow (a list whose
    selection another panel shows) is added after them: when its new state makes it change its
    selection, they already hold the same state.
    """

    def __init__(self) -> None:
        self._routes: list[tuple[Area, Draw]] = []

    def add(self, view: AreaView) -> None:
        self.route(view.areas, view.show_model)

    def route(self, areas: Area, draw: Draw) -> None:
        """Call ``draw(model, changed)`` for updates that change one of ``areas``."""
        self._routes.append((areas, draw))

    def dispatch(self, model: RoomView, areas: Area) -> None:
        for wanted, draw in self._routes:
            changed = areas & wanted
            if changed:
                draw(model, changed)
