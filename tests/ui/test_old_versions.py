"""An app too old for its room, or newer than it, against the real server process on loopback:
the enrollment screen, the delegate app and the console say which version to install.

The app of another version is this one with ``p.SUPPORTED_VERSIONS`` changed in the test
process; the server runs in its own process, untouched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import protocol as p
from app.codes import EnrollmentCode
from app.enroll import enroll
from app.profile import Unlocked
from app.version import version
from server.datadir import DataDir
from tests.conftest import TEST_SCRYPT_COST, make_room
from tests.roomtool import RoomTool
from tests.server.test_process import server_process
from tests.ui.support import show_top
from ui.bridge import ClientBridge, NetworkThread
from ui.console.window import ConsoleWindow
from ui.delegate.window import DelegateWindow
from ui.widgets.enroll import EnrollWizard

TOO_OLD = (
    f"This app is too old for the room: please install version {version()} (protocol 3). "
    "Ask the technical staff."
)


@pytest.fixture
def room(tmp_path: Path) -> Iterator[tuple[DataDir, int]]:
    d = make_room(tmp_path / "room")
    with server_process(d) as (_proc, port):
        yield d, port


def code(d: DataDir, port: int) -> EnrollmentCode:
    tool = RoomTool.open(d)
    secret = tool.issue_code("secretary")
    tool.store.dispose()
    return EnrollmentCode(("127.0.0.1",), port, d.room_id(), secret)


def enrolled(d: DataDir, port: int, home: Path) -> Unlocked:
    return asyncio.run(enroll(home, code(d, port), "2468", cost=TEST_SCRYPT_COST))


def test_both_apps_tell_an_old_device_which_version_to_install(
    qtbot: QtBot,
    network: NetworkThread,
    room: tuple[DataDir, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d, port = room
    tablet = enrolled(d, port, tmp_path / "tablet")
    console = enrolled(d, port, tmp_path / "console")
    monkeypatch.setattr(p, "SUPPORTED_VERSIONS", (2,))  # the room moved on to protocol 3

    bridge = ClientBridge(network, tablet)
    window = DelegateWindow(bridge, tablet.identity)
    show_top(qtbot, window)
    bridge.start()
    qtbot.waitUntil(window.fatal_banner.isVisible, timeout=10_000)
    assert window.fatal_banner.text() == TOO_OLD
    bridge.stop()

    console_bridge = ClientBridge(network, console)
    console_window = ConsoleWindow(console_bridge, console.identity)
    show_top(qtbot, console_window)
    console_bridge.start()
    qtbot.waitUntil(lambda: console_window.message_label.text() == TOO_OLD, timeout=10_000)
    console_bridge.stop()


def test_the_enrollment_screen_says_which_side_to_update(
    qtbot: QtBot,
    network: NetworkThread,
    room: tuple[DataDir, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d, port = room
    for supported, said in [
        ((2,), TOO_OLD),
        (
            (4,),
            "The room server is older than this app: it speaks protocol 3, this app 4. Ask the "
            f"technical staff to update the room server, or to install version {version()} of "
            "the app.",
        ),
    ]:
        monkeypatch.setattr(p, "SUPPORTED_VERSIONS", supported)
        wizard = EnrollWizard(network, tmp_path / f"new{supported[0]}")
        show_top(qtbot, wizard)
        wizard.room_page.skip_button.click()
        wizard.code_page.code_edit.setText(code(d, port).text())
        wizard.code_page.submit()
        for _ in range(2):
            for digit in "2468":
                wizard.pin_page.pad.press(digit)
            wizard.pin_page.pad.submit()
        qtbot.waitUntil(lambda w=wizard: not w.busy_page.is_busy(), timeout=10_000)  # type: ignore[misc]
        assert wizard.page() == EnrollWizard.BUSY
        assert wizard.busy_page.error_text() == said
