"""Fixtures for the Qt tests: themed app, compiled translations, a network thread, bridges,
a real room server with the sample meeting."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.enroll import enroll
from app.profile import Identity, Unlocked
from app.resources import sample_dir, translations_dir
from server.cli import main as server_cli
from tests.conftest import TEST_SCRYPT_COST, ServerThread
from tests.ui.support import FakeClient, FakeUnlocked, delegate_identity
from tests.ui.test_live_end_to_end import PIN, loopback_client
from ui.bridge import ClientBridge, NetworkThread
from ui.catalogs import compile_catalogs
from ui.console.window import ConsoleWindow
from ui.i18n import Translations
from ui.theme import apply_theme


@pytest.fixture(scope="session", autouse=True)
def themed(qapp: QApplication) -> None:
    """Real fonts and style sheet, so sizes and colours are those users see."""
    apply_theme(qapp)


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Vietnamese catalogue compiled from the committed .ts (``.qm`` is never committed)."""
    out = tmp_path_factory.mktemp("qm")
    compile_catalogs(translations_dir(), out)
    return out


@pytest.fixture
def translations(qapp: QApplication, qm_dir: Path) -> Iterator[Translations]:
    tr = Translations(qapp, directory=qm_dir)
    yield tr
    tr.set_language("en", remember=False)


@pytest.fixture
def network(qapp: QApplication) -> Iterator[NetworkThread]:
    thread = NetworkThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
def make_bridge(network: NetworkThread) -> Iterator[Callable[..., tuple[ClientBridge, FakeClient]]]:
    bridges: list[ClientBridge] = []

    def make(
        identity: Identity | None = None, **unlocked_attrs: Any
    ) -> tuple[ClientBridge, FakeClient]:
        unlocked = FakeUnlocked(identity or delegate_identity())
        for key, value in unlocked_attrs.items():
            setattr(unlocked, key, value)
        bridge = ClientBridge(network, unlocked, client_factory=FakeClient)  # type: ignore[arg-type]
        bridges.append(bridge)
        return bridge, FakeClient.instances[-1]

    yield make
    for bridge in bridges:
        bridge.stop()


@pytest.fixture
def live(server: ServerThread) -> Iterator[ServerThread]:
    """The real server on loopback, with the sample meeting (roster, agenda) imported."""
    meeting = sample_dir() / "meeting.json"
    assert server_cli(["meeting", "import", str(server.datadir.root), str(meeting)]) == 0
    yield server


@pytest.fixture
def console(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> Iterator[ConsoleWindow]:
    """The console enrolled as a secretary, online, on the sample meeting (open, on screen)."""
    _seq, state = live.room.snapshot()
    live.room.set_current(state.meetings[0].id, state.agenda[0].id)
    unlocked: Unlocked = asyncio.run(
        enroll(tmp_path / "console", live.code("secretary"), PIN, "Console", cost=TEST_SCRYPT_COST)
    )
    bridge = ClientBridge(network, unlocked, client_factory=loopback_client)
    window = ConsoleWindow(bridge, unlocked.identity)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    bridge.start()
    qtbot.waitUntil(window.requests.is_online, timeout=10_000)
    qtbot.waitUntil(lambda: len(window.attendance_panel.delegates.delegates()) == 40)
    qtbot.waitUntil(lambda: window.attendance_panel.meeting() is not None)
    yield window
    bridge.stop()
