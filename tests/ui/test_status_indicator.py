"""The connection indicator says online / reconnecting / offline, in colour and in words."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from ui import theme
from ui.widgets.status import StatusIndicator


def _at(hour: int, minute: int) -> float:
    return dt.datetime.combine(dt.date.today(), dt.time(hour, minute)).timestamp()


def test_online_is_green_with_last_sync(qtbot: QtBot) -> None:
    ind = StatusIndicator()
    qtbot.addWidget(ind)
    ind.set_status("online", _at(9, 41))
    assert ind.status() == "online"
    assert ind.color() == theme.ONLINE
    assert ind.state_text() == "Online"
    assert ind.sync_text() == "Last synced 09:41"


def test_reconnecting_is_amber_and_keeps_the_last_sync_time(qtbot: QtBot) -> None:
    ind = StatusIndicator()
    qtbot.addWidget(ind)
    ind.set_status("connecting", _at(14, 5))
    assert ind.color() == theme.CONNECTING
    assert ind.state_text() == "Reconnecting…"
    assert ind.sync_text() == "Last synced 14:05"


def test_first_connection_says_connecting(qtbot: QtBot) -> None:
    ind = StatusIndicator()
    qtbot.addWidget(ind)
    ind.set_status("connecting", None)
    assert ind.state_text() == "Connecting…"
    assert ind.sync_text() == "Never synced"


def test_offline_is_grey(qtbot: QtBot) -> None:
    ind = StatusIndicator()
    qtbot.addWidget(ind)
    ind.set_status("offline", _at(8, 0))
    assert ind.status() == "offline"
    assert ind.color() == theme.OFFLINE
    assert ind.state_text() == "Offline"
    assert ind.sync_text() == "Last synced 08:00"


def test_an_older_sync_shows_the_date(qtbot: QtBot) -> None:
    ind = StatusIndicator()
    qtbot.addWidget(ind)
    when = dt.datetime(2020, 11, 23, 17, 30)
    ind.set_status("offline", when.timestamp())
    assert ind.sync_text() == "Last synced 23/11 17:30"
