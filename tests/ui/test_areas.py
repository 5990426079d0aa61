"""Each part of a window is given only the updates that change what it draws."""

from __future__ import annotations

from typing import ClassVar

from app.state import Area, RoomView
from tests.ui.support import sample_model
from ui.areas import AreaRouter


class _MeetingList:
    areas: ClassVar[Area] = Area.ROOM | Area.MEETINGS

    def __init__(self, log: list[tuple[str, Area]]) -> None:
        self.log = log

    def show_model(self, model: RoomView, areas: Area) -> None:
        self.log.append(("meetings", areas))


def test_a_part_gets_only_the_updates_of_its_areas_and_only_those_areas() -> None:
    log: list[tuple[str, Area]] = []
    router = AreaRouter()
    router.add(_MeetingList(log))
    router.route(Area.ROOM | Area.MEETINGS | Area.AGENDA, lambda _m, a: log.append(("agenda", a)))
    router.route(Area.ROSTER, lambda _model, areas: log.append(("roster", areas)))
    view = sample_model().snapshot()

    router.dispatch(view, Area.AGENDA)
    assert log == [("agenda", Area.AGENDA)]
    log.clear()
    router.dispatch(view, Area.ROSTER)
    assert log == [("roster", Area.ROSTER)]
    log.clear()
    router.dispatch(view, Area.ROOM | Area.ROSTER)
    assert log == [("meetings", Area.ROOM), ("agenda", Area.ROOM), ("roster", Area.ROSTER)]
    log.clear()
    router.dispatch(view, Area.NONE)
    assert log == []
    router.dispatch(view, Area.ALL)  # in the order they were added
    assert [name for name, _ in log] == ["meetings", "agenda", "roster"]
