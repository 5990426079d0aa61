"""A prepared tablet's first start, offscreen, with the real room server on loopback: the
deployment file fills in and pins the room, sets the language and hides its switch, and holds
the app full screen as a kiosk that only the secretariat's exit PIN closes; a broken file is
said on screen and the app starts without it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.codes import format_room_id, short_room_id
from app.deployment import Deployment, find, hash_exit_pin, load
from app.enroll import EnrollError, enroll
from app.profile import Profile
from app.resources import sample_dir
from server.cli import main as server_cli
from tests.conftest import TEST_SCRYPT_COST, ServerThread, make_room
from tests.ui.support import OTHER_ROOM_ID
from ui.bridge import NetworkThread
from ui.delegate.window import DelegateWindow
from ui.i18n import LANGUAGES, Translations
from ui.kiosk import ExitPrompt
from ui.startup import AppController, GateWindow, set_start_language
from ui.widgets import errors
from ui.widgets.enroll import EnrollWizard
from ui.widgets.language import LanguageSwitch

EXIT_PIN = "20261201"
PIN = "2468"


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[ServerThread]:
    """The room server with the sample roster, on SQLite (the app does not care which)."""
    room = make_room(tmp_path / "room")
    assert server_cli(["roster", "import", str(room.root), str(sample_dir() / "roster.csv")]) == 0
    st = ServerThread(room)
    st.start()
    yield st
    st.close()


def prepared(tmp_path: Path, port: int, room_id: bytes, *, kiosk: bool = True) -> Path:
    """A deployment file as IT writes it for the image."""
    path = tmp_path / "deployment.toml"
    exit_pin = hash_exit_pin(EXIT_PIN, TEST_SCRYPT_COST)
    path.write_text(
        f"""[room]
address = "127.0.0.1"
port = {port}
id = "{format_room_id(room_id)}"

[language]
default = "vi"
delegates_may_change = false

[kiosk]
enabled = {"true" if kiosk else "false"}
exit_pin = "{exit_pin}"
""",
        encoding="utf-8",
    )
    return path


def controller_for(
    network: NetworkThread, translations: Translations, home: Path, deployment: Deployment
) -> AppController:
    set_start_language(translations, None, deployment)
    controller = AppController(
        "delegate",
        Profile(home),
        network,
        translations,
        DelegateWindow,
        discover=False,
        deployment=deployment,
    )
    controller.start()
    return controller


def switches_shown(window: QWidget) -> list[LanguageSwitch]:
    return [s for s in window.findChildren(LanguageSwitch) if s.isVisibleTo(window)]


def exit_action_of(window: QWidget) -> object:
    assert isinstance(window, (GateWindow, DelegateWindow))
    texts = {a.text(): a for a in window.kiosk_menu().actions() if a.isVisible()}
    # in the language the tablet was prepared with
    return texts[QCoreApplication.translate("Kiosk", "Close the app (secretariat)…")]


def test_the_deployment_file_at_first_start(
    qtbot: QtBot,
    network: NetworkThread,
    translations: Translations,
    hall: ServerThread,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    room_id = hall.datadir.room_id()
    deployment = load(prepared(tmp_path, hall.port, room_id), LANGUAGES)
    controller = controller_for(network, translations, tmp_path / "tablet", deployment)
    gate = controller.gate
    assert gate is not None
    qtbot.addWidget(gate)
    qtbot.waitExposed(gate)

    # the language the file says, and no switch to change it
    assert translations.language() == "vi"
    assert gate.sub_label.text() == "Tài liệu và chương trình họp"
    assert switches_shown(gate) == []
    # the room filled in and pinned
    wizard = gate.content
    assert isinstance(wizard, EnrollWizard)
    page = wizard.room_page
    assert page.address_edit.text() == "127.0.0.1" and page.port_edit.text() == str(hall.port)
    assert page.address_edit.isVisibleTo(gate) and not page.rooms_list.isVisibleTo(gate)
    assert short_room_id(room_id) in page.text.text()
    assert page.next_button.isEnabled()
    # a kiosk: full screen, no frame, and it does not close
    assert gate.isFullScreen()
    assert gate.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not gate.close() and gate.isVisible()
    gate.showNormal()
    qtbot.waitUntil(gate.isFullScreen)  # put back at once

    # enrollment, as a delegate does it on the prepared tablet
    page.next_button.click()
    assert wizard.page() == EnrollWizard.CODE
    wizard.code_page.code_edit.setText(hall.code("delegate", "0001").text())
    wizard.code_page.submit()
    for _ in range(2):
        for digit in PIN:
            wizard.pin_page.pad.press(digit)
        wizard.pin_page.pad.submit()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=15_000)
    window = controller.window
    assert isinstance(window, DelegateWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.status_indicator.status() == "online", timeout=10_000)
    identity = Profile(tmp_path / "tablet").identity
    assert identity is not None and identity.room_id == room_id
    # the main window is held the same way; its menu opens no file dialog
    assert window.isFullScreen() and window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert switches_shown(window) == []
    assert not window.import_action.isVisible()
    assert not window.close() and window.isVisible()

    # the secretariat's exit: a wrong PIN is refused, the right one closes the app
    quits: list[bool] = []
    monkeypatch.setattr(QCoreApplication, "quit", lambda: quits.append(True))
    exit_action_of(window).trigger()  # type: ignore[attr-defined]
    prompt = controller.kiosk.prompt if controller.kiosk is not None else None
    assert isinstance(prompt, ExitPrompt) and prompt.isVisible()
    for digit in "20261202":
        prompt.pad.press(digit)
    prompt.pad.submit()
    qtbot.waitUntil(lambda: not prompt.is_busy() and prompt.error_text() != "")
    assert prompt.error_text() == errors.describe_unlock_error("wrong_pin")
    assert quits == []
    for digit in EXIT_PIN:
        prompt.pad.press(digit)
    prompt.pad.submit()
    qtbot.waitUntil(lambda: quits == [True])
    assert window.close()  # let go: the app may close now
    controller.shutdown()


def test_a_prepared_tablet_refuses_another_room(
    qtbot: QtBot,
    network: NetworkThread,
    translations: Translations,
    hall: ServerThread,
    tmp_path: Path,
) -> None:
    """The code of a card for another room is refused before connecting, and a server that is
    not the file's room is refused even when the code would take it."""
    deployment = load(prepared(tmp_path, hall.port, OTHER_ROOM_ID, kiosk=False), LANGUAGES)
    controller = controller_for(network, translations, tmp_path / "tablet", deployment)
    gate = controller.gate
    assert gate is not None and not gate.isFullScreen()  # no kiosk in this file
    qtbot.addWidget(gate)
    wizard = gate.content
    assert isinstance(wizard, EnrollWizard)
    wizard.room_page.next_button.click()
    wizard.code_page.code_edit.setText(hall.code("delegate", "0002").text())
    wizard.code_page.submit()
    assert wizard.page() == EnrollWizard.CODE
    assert wizard.code_page.error_text() == errors.code_for_other_room()
    with pytest.raises(EnrollError) as refused:
        asyncio.run(
            enroll(
                tmp_path / "other",
                hall.code("delegate", "0002"),
                PIN,
                cost=TEST_SCRYPT_COST,
                room_id=OTHER_ROOM_ID,
            )
        )
    assert refused.value.code == "wrong_room"
    controller.shutdown()


def test_a_broken_deployment_file_is_said_and_the_app_starts_without_it(
    qtbot: QtBot, network: NetworkThread, translations: Translations, tmp_path: Path
) -> None:
    path = tmp_path / "deployment.toml"
    path.write_text('[room]\naddress = "10.20.0.5"\nport = 84430\n', encoding="utf-8")
    deployment, problem = find(str(path), LANGUAGES)
    assert deployment is None and problem is not None
    controller = AppController(
        "delegate",
        Profile(tmp_path / "tablet"),
        network,
        translations,
        DelegateWindow,
        discover=False,
        deployment=deployment,
        deployment_error=problem,
    )
    controller.start()
    gate = controller.gate
    assert gate is not None
    qtbot.addWidget(gate)
    qtbot.waitExposed(gate)
    said = gate.notice_text()
    assert said == errors.describe_deployment_error(problem)
    assert said.startswith(f"The deployment file {path} cannot be used ([room] port: ")
    assert said.endswith("Tell the technical staff.")
    # as if there were no file: no kiosk, the language switch, nothing filled in
    assert controller.kiosk is None and not gate.isFullScreen()
    assert switches_shown(gate) != []
    wizard = gate.content
    assert isinstance(wizard, EnrollWizard) and wizard.room_page.address_edit.text() == ""
    translations.set_language("vi", remember=False)  # said again in the delegate's language
    assert gate.notice_text() == errors.describe_deployment_error(problem)
    assert gate.close()
    controller.shutdown()
