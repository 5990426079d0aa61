"""The console's readiness board for a 1,600-delegate roster: who holds the meeting's
documents, "not ready" first, counts per delegation, search — from the room's ``readiness``
reply (the reply itself is tested against the real server in tests/server/test_documents.py)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import msgspec
import pytest
from pytestqt.qtbot import QtBot

from app import protocol as p
from tests.ui.support import FakeClient, FakeUnlocked, delegate_identity, roster_model
from ui.bridge import ClientBridge, NetworkThread
from ui.console.readiness_panel import EVERYONE, NOT_READY, READY
from ui.console.window import ConsoleWindow

TOTAL = 900  # chunks of the meeting


def _plain(text: str) -> str:
    """Numbers without the locale's thousands separators."""
    return re.sub(r"(?<=\d)[.,\u00a0\u202f ](?=\d{3})", "", text)


def _board() -> p.Readiness:
    """Delegate n's device holds everything when n % 5 != 0, a part when n % 10 == 5, nothing
    when n % 10 == 0; delegates 1591-1600 have no device."""
    devices = []
    for n in range(1, 1591):
        held = TOTAL if n % 5 else (TOTAL // 3 if n % 10 == 5 else 0)
        devices.append(
            p.DeviceReadiness(
                device_id=n,
                delegate_id=n,
                role="delegate",
                held=held,
                total=TOTAL,
                reported_at=time.time() - 120,
            )
        )
    return p.Readiness(id=0, meeting_id=1, devices=devices)


class BoardClient(FakeClient):
    asked: ClassVar[list[p.ReadinessGet]] = []

    async def request(self, msg: Any) -> Any:
        if isinstance(msg, p.ReadinessGet):
            BoardClient.asked.append(msg)
            return msgspec.structs.replace(_board(), id=msg.id)
        return await super().request(msg)


@pytest.fixture
def console(qtbot: QtBot, network: NetworkThread) -> Iterator[ConsoleWindow]:
    unlocked = FakeUnlocked(delegate_identity("secretary"))
    unlocked.model = roster_model(1600)
    unlocked.status = "online"
    unlocked.last_sync = time.time()
    bridge = ClientBridge(network, unlocked, client_factory=BoardClient)  # type: ignore[arg-type]
    window = ConsoleWindow(bridge, delegate_identity("secretary"))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    bridge.start()
    yield window
    bridge.stop()


def test_the_board_counts_who_holds_the_documents_and_lists_the_not_ready_first(
    qtbot: QtBot, console: ConsoleWindow
) -> None:
    BoardClient.asked.clear()
    panel = console.readiness_panel
    console.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.shown.rowCount() == 328, timeout=10_000)
    assert BoardClient.asked and BoardClient.asked[0].meeting_id == 1
    assert panel.delegates.rowCount() == 1600
    # 1,590 devices: 4 in 5 complete (1,272), 318 not; and 10 delegates without a device
    assert "1272 of 1600 delegates hold all its documents; 10 have no device" in _plain(
        panel.summary_label.text()
    )
    # "not ready" is what the board opens on
    assert _plain(panel.filter_buttons[NOT_READY].text()) == "Not ready (328)"
    held = {panel.shown.data(panel.shown.index(r, 3)) for r in range(panel.shown.rowCount())}
    assert held == {"33 % (300 of 900)", "0 % (0 of 900)", "No device"}
    panel.set_filter(READY)
    assert panel.shown.rowCount() == 1272
    panel.set_filter(EVERYONE)
    assert panel.shown.rowCount() == 1600
    panel.search_edit.setText("0005")
    qtbot.waitUntil(lambda: panel.shown.rowCount() == 1)
    assert panel.shown.data(panel.shown.index(0, 3)) == "33 % (300 of 900)"
    assert panel.shown.data(panel.shown.index(0, 4)) == "2 min ago"
    panel.search_edit.clear()
    panel.set_filter(NOT_READY)


def test_each_delegation_says_how_many_are_not_ready_and_picking_one_lists_them(
    qtbot: QtBot, console: ConsoleWindow
) -> None:
    panel = console.readiness_panel
    console.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.shown.rowCount() == 328, timeout=10_000)
    counts = panel.delegations
    per = [counts.count(i) for i in range(counts.rowCount())]
    assert sum(c.total for c in per) == 1600
    assert sum(c.not_ready for c in per) == 328
    worst = max(per, key=lambda c: c.not_ready)
    assert per[0] == worst  # the delegation with most delegates not ready comes first
    panel.delegation_table.selectRow(0)
    qtbot.waitUntil(lambda: panel.shown.rowCount() == worst.not_ready)
    delegations = {panel.shown.data(panel.shown.index(r, 2)) for r in range(panel.shown.rowCount())}
    assert delegations == {worst.delegation}
