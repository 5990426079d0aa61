"""The delegate window: opens on the stored agenda (offline), then follows the room live."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import msgspec
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app import protocol as p
from app.state import Area, RoomModel
from tests.ui.support import delegate_identity, long_model, sample_model
from ui import theme
from ui.bridge import NetworkThread
from ui.delegate.window import DelegateWindow
from ui.i18n import Translations


def _window(
    qtbot: QtBot,
    bridge: Any,
    width: int = 1280,
    height: int = 800,
    clock: Callable[[], float] = time.time,
) -> DelegateWindow:
    window = DelegateWindow(bridge, delegate_identity(), clock=clock)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_opens_on_the_stored_agenda_marked_offline(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, _ = make_bridge(last_sync=1_700_000_000.0)
    window = _window(qtbot, bridge)
    assert window.meeting_title() == "Đại hội — Phiên khai mạc"
    assert window.agenda_view.current_item_id() == 4
    assert window.status_indicator.status() == "offline"
    assert window.status_indicator.sync_text().startswith("Last synced")
    assert window.now_text().startswith("LAST KNOWN   2  Báo cáo chính trị")  # not live
    assert window.detail.title_text() == "2  Báo cáo chính trị"
    assert window.who_name.text() == "Nguyễn Thị Hồng Nhung"


def test_follows_the_secretary_live(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge()
    window = _window(qtbot, bridge)
    bridge.start()
    client.push_status(network, "online", 1_700_000_000.0)
    qtbot.waitUntil(lambda: window.status_indicator.status() == "online")
    client.push_state(network, sample_model(current=7, done=(1, 2, 3, 4, 5, 6)))
    qtbot.waitUntil(lambda: window.agenda_view.current_item_id() == 7)
    assert window.now_text().startswith("NOW   4  Nghỉ giải lao")
    assert window.is_live() and window.age_text() == ""
    assert window.detail.title_text() == "4  Nghỉ giải lao"  # selection followed
    client.push_status(network, "connecting", 1_700_000_100.0)
    qtbot.waitUntil(lambda: window.status_indicator.status() == "connecting")
    assert window.status_indicator.state_text() == "Reconnecting…"


def test_without_an_active_meeting_says_so(qtbot: QtBot, make_bridge: Callable[..., Any]) -> None:
    model = sample_model()
    model.room = p.RoomInfo(name="Hội trường", active_meeting_id=None)
    bridge, _ = make_bridge(model=model)
    window = _window(qtbot, bridge)
    assert window.body.currentIndex() == DelegateWindow.EMPTY
    assert "No meeting is being shown yet" in window.empty_label.text()
    assert window.now_text() == ""


def test_never_synced_device_shows_the_room_it_enrolled_in(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    empty = RoomModel(p.RoomState(room=p.RoomInfo(name="Hội trường Ba Đình")))
    bridge, _ = make_bridge(model=empty, last_sync=None)
    window = _window(qtbot, bridge)
    assert window.room_label.text() == "Hội trường Ba Đình"
    assert window.status_indicator.sync_text() == "Never synced"


def test_revoked_device_gets_a_banner(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge()
    window = _window(qtbot, bridge)
    network.loop.call_soon_threadsafe(client.on_fatal, "device_revoked", "revoked")
    qtbot.waitUntil(window.fatal_banner.isVisible)
    assert "removed from the room" in window.fatal_banner.text()


def test_narrow_tablet_opens_details_as_a_page(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, _ = make_bridge()
    window = _window(qtbot, bridge, 853, 533)
    assert window.is_narrow()
    assert not window.detail_panel.isVisible()
    view = window.agenda_view
    view.scrollTo(view.model().index(view.item_ids().index(7), 0))
    rect = view.item_rect(7)
    qtbot.mouseClick(  # type: ignore[no-untyped-call]
        view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert window.body.currentIndex() == DelegateWindow.DETAIL
    assert window.narrow_detail.title_text() == "4  Nghỉ giải lao"
    window.back_button.click()
    assert window.body.currentIndex() == DelegateWindow.AGENDA


def _banner_colour(window: DelegateWindow) -> Any:
    image = window.now_bar.grab().toImage()
    return image.pixelColor(QPoint(image.width() // 2, 3))


def test_out_of_reach_the_banner_says_last_known_and_counts_the_time(
    qtbot: QtBot,
    network: NetworkThread,
    make_bridge: Callable[..., Any],
    translations: Translations,
) -> None:
    """A grey dot is easy to miss: the big banner itself stops saying the item is live."""
    now = [1_700_000_000.0]
    bridge, client = make_bridge(last_sync=now[0] - 4 * 60 - 5)
    window = _window(qtbot, bridge, clock=lambda: now[0])
    bridge.start()
    assert not window.is_live()
    assert window.now_text().startswith("LAST KNOWN   2  Báo cáo chính trị")
    assert window.age_text() == "Not live · last synced 4 min ago"
    assert _banner_colour(window) != theme.MARKER
    assert window.age_timer.isActive()

    now[0] += 61  # time goes by, the room is still away: the age keeps counting
    window.age_timer.timeout.emit()
    assert window.age_text() == "Not live · last synced 5 min ago"
    now[0] += 2 * 3600
    window.age_timer.timeout.emit()
    assert window.age_text() == "Not live · last synced 2 h 5 min ago"
    translations.set_language("vi", remember=False)
    assert window.now_text().startswith("ĐƯỢC BIẾT LẦN CUỐI   2  Báo cáo chính trị")
    assert window.age_text() == "Không trực tiếp · đồng bộ lần cuối 2 giờ 5 phút trước"
    translations.set_language("en", remember=False)

    client.push_status(network, "online", now[0])  # back: live again
    qtbot.waitUntil(window.is_live)
    assert window.now_text().startswith("NOW   2  Báo cáo chính trị")
    assert window.age_text() == ""
    assert not window.age_timer.isActive()
    assert _banner_colour(window) == theme.MARKER

    client.push_status(network, "connecting", now[0])  # reconnecting is not live either
    qtbot.waitUntil(lambda: not window.is_live())
    assert window.now_text().startswith("LAST KNOWN")
    assert window.age_text() == "Not live · last synced under a minute ago"
    assert window.age_timer.isActive()


def test_a_device_never_synced_says_so_in_the_banner(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, _ = make_bridge(last_sync=None)
    window = _window(qtbot, bridge)
    assert window.age_text() == "Not live · never synced"


def test_the_agenda_moving_on_redraws_the_banner_and_the_agenda_not_the_header(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(status="online")
    window = _window(qtbot, bridge)
    moved = sample_model(current=5, done=(1, 2, 3, 4))
    # Said to change the agenda only: what else differs in this state is not redrawn.
    moved.room = p.RoomInfo(name="Phòng khác", active_meeting_id=1)
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, moved, Area.AGENDA)
    assert window.now_text().startswith("NOW   3  Thảo luận tại hội trường")
    assert window.agenda_view.current_item_id() == 5
    assert window.room_label.text() == "Hội trường Ba Đình"
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, moved, Area.ROOM)
    assert window.room_label.text() == "Phòng khác"


def test_a_meeting_renamed_changes_the_title_and_keeps_the_agenda_as_it_was(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(model=long_model(), status="online")
    window = _window(qtbot, bridge, 1280, 600)
    view = window.agenda_view
    view.select_item(3)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 4)
    scroll = view.verticalScrollBar().value()
    resets = [0]
    view.model().modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
    renamed = long_model()
    renamed.meetings[1] = msgspec.structs.replace(renamed.meetings[1], title="Phiên họp thứ hai")
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, renamed, Area.MEETINGS)
    assert window.meeting_title() == "Phiên họp thứ hai"
    assert resets == [0]
    assert view.selected_item_id() == 3 and view.verticalScrollBar().value() == scroll
    assert window.detail.title_text() == "3  Mục thứ 3 của chương trình"
