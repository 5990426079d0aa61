"""The delegate window against the real room server on loopback (TLS, websockets, SQLite):
it follows the secretary live, shows when the room is gone, and reopens offline on the last
agenda it received."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from app.client import RoomClient
from app.discovery import locate
from app.enroll import enroll
from app.profile import Profile, Unlocked
from server.cli import main as server_cli
from tests.conftest import TEST_SCRYPT_COST, ServerThread
from ui.bridge import ClientBridge, NetworkThread
from ui.delegate.window import DelegateWindow

PIN = "2468"


def loopback_client(unlocked: Unlocked, **callbacks: Any) -> RoomClient:
    """The real client; its mDNS fallback stays on loopback in tests."""
    return RoomClient(
        unlocked, locate=lambda rid: locate(rid, ["127.0.0.1"], timeout=0.5), **callbacks
    )


def open_window(
    qtbot: QtBot, network: NetworkThread, unlocked: Unlocked
) -> tuple[DelegateWindow, ClientBridge]:
    bridge = ClientBridge(network, unlocked, client_factory=loopback_client)
    window = DelegateWindow(bridge, unlocked.identity)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    bridge.start()
    return window, bridge


def test_delegate_window_follows_live_then_opens_offline(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> None:
    home = tmp_path / "tablet"
    code = live.code("delegate", "0001")
    unlocked = asyncio.run(enroll(home, code, PIN, "Tablet", cost=TEST_SCRYPT_COST))
    window, bridge = open_window(qtbot, network, unlocked)
    qtbot.waitUntil(lambda: window.status_indicator.status() == "online", timeout=10_000)
    root = str(live.datadir.root)
    _seq, state = live.room.snapshot()
    meeting = state.meetings[0]
    report = next(i for i in state.agenda if i.title.startswith("Báo cáo chính trị"))
    pause = next(i for i in state.agenda if i.title == "Nghỉ giải lao")

    assert server_cli(["agenda", "current", root, str(meeting.id), str(report.id)]) == 0
    qtbot.waitUntil(lambda: window.agenda_view.current_item_id() == report.id, timeout=10_000)
    assert window.meeting_title() == meeting.title
    assert "Báo cáo chính trị" in window.now_text()

    live.room.set_current(meeting.id, pause.id)  # the secretary moves on
    qtbot.waitUntil(lambda: window.agenda_view.current_item_id() == pause.id, timeout=10_000)
    assert "Nghỉ giải lao" in window.now_text()

    live.stop()  # the room server goes away: the window says so and keeps the agenda
    qtbot.waitUntil(lambda: window.status_indicator.status() != "online", timeout=10_000)
    assert window.agenda_view.current_item_id() == pause.id
    bridge.stop()
    window.close()

    # the app is closed and opened again with no server: the last agenda is there, offline
    reopened = Profile(home).unlock(PIN)
    window2, bridge2 = open_window(qtbot, network, reopened)
    assert window2.agenda_view.current_item_id() == pause.id
    assert window2.meeting_title() == meeting.title
    qtbot.waitUntil(lambda: window2.status_indicator.status() in ("offline", "connecting"))
    assert window2.status_indicator.sync_text() != ""
    bridge2.stop()
    window2.close()
