"""The network thread and the bridges: results and signals always land on the GUI thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app import protocol as p
from app.state import Area, RoomView
from tests.ui.support import FakeClient, sample_model
from ui.bridge import BrowserBridge, NetworkThread


def test_call_delivers_the_result_on_the_gui_thread(qtbot: QtBot, network: NetworkThread) -> None:
    seen: list[tuple[Any, bool]] = []

    async def work() -> int:
        assert threading.current_thread() is not threading.main_thread()
        await asyncio.sleep(0.01)
        return 42

    network.call(
        work(),
        on_result=lambda v: seen.append((v, threading.current_thread() is threading.main_thread())),
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]


def test_call_delivers_errors(qtbot: QtBot, network: NetworkThread) -> None:
    errors: list[BaseException] = []

    async def boom() -> None:
        raise ValueError("nope")

    network.call(boom(), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)


def test_stop_cancels_what_still_runs(qapp: Any) -> None:
    network = NetworkThread()
    network.start()
    cancelled = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    network.submit(forever())
    network.stop(timeout=5)
    assert cancelled.is_set()
    assert not network.is_running()
    with pytest.raises(RuntimeError):
        network.submit(forever())
    # a call made while the app quits runs nothing and delivers nothing
    delivered: list[object] = []
    late = network.call(forever(), delivered.append, delivered.append)
    assert late.cancelled() and not delivered


def test_client_bridge_forwards_state_status_presence_and_fatal(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge()
    assert bridge.model.current_item(1) is not None and bridge.status == "offline"
    bridge.start()
    with qtbot.waitSignal(bridge.statusChanged) as status:
        client.push_status(network, "online", 1000.0)
    assert status.args == ["online", 1000.0]
    assert bridge.status == "online"

    new = sample_model(current=5, done=(1, 2, 3, 4))
    with qtbot.waitSignal(bridge.stateChanged) as state:
        client.push_state(network, new)
    received, areas = state.args
    assert isinstance(received, RoomView)  # immutable: the GUI never shares mutable state
    assert received.current_item(1).id == 5 and areas == Area.ALL
    assert bridge.model is received

    seen = p.Presence(connected={"delegate": 12})
    with qtbot.waitSignal(bridge.presenceChanged) as presence:
        network.loop.call_soon_threadsafe(client.on_presence, seen)
    assert presence.args == [seen]

    with qtbot.waitSignal(bridge.fatal) as fatal:
        network.loop.call_soon_threadsafe(client.on_fatal, "device_revoked", "revoked")
    assert fatal.args == ["device_revoked", "revoked"]


def test_bursts_of_events_reach_the_gui_as_one_update(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge()
    updates: list[Any] = []
    bridge.stateChanged.connect(lambda view, areas: updates.append((view, areas)))

    def burst() -> None:
        for current, area in ((5, Area.AGENDA), (7, Area.AGENDA), (8, Area.ROOM)):
            client.model = sample_model(current=current)
            client.on_state(client.model.snapshot(), area)

    network.loop.call_soon_threadsafe(burst)
    qtbot.waitUntil(lambda: bool(updates))
    qtbot.wait(50)
    assert len(updates) == 1
    view, areas = updates[0]
    assert view.current_item(1).id == 8
    assert areas == Area.AGENDA | Area.ROOM  # what every event of the burst changed


def test_requests_answer_on_the_gui_thread(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge()
    answers: list[Any] = []
    msg = p.AgendaRemove(id=0, item_id=3)
    bridge.request(msg, on_ok=answers.append)
    qtbot.waitUntil(lambda: bool(answers))
    assert client.requests == [msg] and answers == [p.Ok(id=0)]


def test_bridge_stop_stops_the_client(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge()
    bridge.start()
    qtbot.wait(20)
    bridge.stop(timeout=2)
    assert client.stopped


class _Browser:
    def __init__(self, interfaces: Any, on_change: Any, fail: bool = False) -> None:
        self.on_change = on_change
        self.fail = fail
        self.stopped = False

    async def start(self) -> None:
        if self.fail:
            raise OSError("multicast blocked")
        self.on_change(["room"])

    async def stop(self) -> None:
        self.stopped = True


def test_browser_bridge_lists_rooms(qtbot: QtBot, network: NetworkThread) -> None:
    browsers: list[_Browser] = []

    def factory(interfaces: Any, on_change: Any) -> _Browser:
        browsers.append(_Browser(interfaces, on_change))
        return browsers[-1]

    bridge = BrowserBridge(network, browser_factory=factory)
    with qtbot.waitSignal(bridge.roomsChanged) as rooms:
        bridge.start()
    assert rooms.args == [["room"]]
    bridge.stop(timeout=2)
    assert browsers[0].stopped


def test_browser_bridge_reports_unavailable_discovery(qtbot: QtBot, network: NetworkThread) -> None:
    bridge = BrowserBridge(network, browser_factory=lambda i, cb: _Browser(i, cb, fail=True))
    with qtbot.waitSignal(bridge.unavailable) as failed:
        bridge.start()
    assert "multicast blocked" in failed.args[0]
    assert not bridge.is_active()


def test_fake_client_is_the_real_clients_shape() -> None:
    """Guard: the fake used here keeps the constructor and methods of app.client.RoomClient."""
    import inspect

    from app.client import RoomClient

    for name in ("run", "stop", "request"):
        assert inspect.iscoroutinefunction(getattr(RoomClient, name))
        assert inspect.iscoroutinefunction(getattr(FakeClient, name))
    params = inspect.signature(RoomClient).parameters
    assert {"on_state", "on_status", "on_presence", "on_fatal"} <= set(params)
