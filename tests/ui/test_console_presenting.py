"""The console presents a document to the hall, against the real room server on loopback: the
presenter window opens it, a page turned and a zoom reach the room's presentation once the
reader is still, and closing the window ends it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.app.test_render_worker import vietnamese_pdf
from tests.conftest import ServerThread
from tests.ui.test_console_votes import database, english  # noqa: F401  (its fixtures)
from ui import reader
from ui.console.window import ConsoleWindow
from ui.reader.showing import region_of


def _presented(live: ServerThread) -> list[tuple[int, int, int]]:
    _seq, state = live.room.snapshot()
    return [(x.document_id, x.page, x.region.w) for x in state.presentations]


def test_the_secretary_presents_and_the_room_follows_each_page(
    qtbot: QtBot, console: ConsoleWindow, live: ServerThread
) -> None:
    _seq, state = live.room.snapshot()
    item = state.agenda[0]
    doc = live.room.publish(vietnamese_pdf(6), item_id=item.id, title="Dự thảo Nghị quyết")
    panel = console.documents_panel
    panel.set_item(item.id)
    qtbot.waitUntil(lambda: panel.document_list.count() == 1, timeout=10_000)
    panel.document_list.item(0).setSelected(True)
    # Present waits for the document to be on this console
    qtbot.waitUntil(panel.present_button.isEnabled, timeout=20_000)
    panel.present_button.click()
    window = panel.presenter
    assert window is not None and not panel.present_button.isEnabled()  # one at a time
    qtbot.waitUntil(lambda: window.reader is not None, timeout=10_000)
    qtbot.waitUntil(lambda: _presented(live) != [], timeout=10_000)
    assert _presented(live)[0][:2] == (doc.document_id, 1)

    shown = window.reader
    assert shown is not None
    shown.view.set_page(3)  # the secretary turns to page 4
    qtbot.waitUntil(lambda: _presented(live)[0][1] == 4, timeout=10_000)
    shown.view.set_zoom(3.0)  # and zooms: the hall sees the part in sight
    qtbot.waitUntil(lambda: _presented(live)[0][2] < 10_000, timeout=10_000)

    window.close()
    qtbot.waitUntil(lambda: _presented(live) == [], timeout=10_000)
    qtbot.waitUntil(lambda: panel.presenter is None)
    assert panel.present_button.isEnabled()
    reader.shutdown()


def test_a_region_in_sight_becomes_the_wire_region_within_the_page() -> None:
    whole = region_of((0.0, 0.0, 1.0, 1.0))
    assert (whole.x, whole.y, whole.w, whole.h) == (0, 0, 10_000, 10_000)
    lower = region_of((0.25, 0.5, 0.5, 0.5))
    assert (lower.x, lower.y, lower.w, lower.h) == (2_500, 5_000, 5_000, 5_000)
    # rounding past the edge is pulled back inside, never beyond the page
    edge = region_of((0.99995, 0.0, 0.00004, 1.0000001))
    assert edge.x + edge.w <= 10_000 and edge.y + edge.h <= 10_000 and edge.w >= 1
