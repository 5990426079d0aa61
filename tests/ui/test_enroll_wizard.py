"""First run: the room list, the code checked offline, the PIN chosen twice, the enrollment."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from pytestqt.qtbot import QtBot

from app import vault
from app.codes import EnrollmentCode
from app.discovery import RoomAnnouncement
from tests.ui.support import OTHER_ROOM_ID, ROOM_ID, enrollment_code, show_top
from ui.bridge import BrowserBridge, NetworkThread
from ui.widgets import errors
from ui.widgets.enroll import EnrollWizard


class FakeEnrollError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Enroller:
    """Records what ``enroll`` was called with; succeeds or fails as told."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[tuple[Any, ...]] = []

    async def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        if self.error is not None:
            raise self.error
        return "unlocked-profile"


class FakeBrowser:
    rooms: ClassVar[list[RoomAnnouncement]] = [
        RoomAnnouncement("Hội trường Ba Đình", ROOM_ID, 1, ("10.0.0.7",), 9443, "a._hemicycle"),
        RoomAnnouncement("Phòng họp số 3", OTHER_ROOM_ID, 1, ("10.0.0.9",), 8443, "b._hemicycle"),
    ]

    def __init__(self, interfaces: Any, on_change: Any) -> None:
        self.on_change = on_change

    async def start(self) -> None:
        self.on_change(list(self.rooms))

    async def stop(self) -> None:
        pass


def _wizard(
    qtbot: QtBot,
    network: NetworkThread,
    tmp_path: Path,
    enroller: Enroller | None = None,
    browser: BrowserBridge | None = None,
) -> EnrollWizard:
    wizard = EnrollWizard(network, tmp_path, browser=browser, enroll_fn=enroller or Enroller())
    show_top(qtbot, wizard, 1280, 720)
    return wizard


def _type_pin(wizard: EnrollWizard, pin: str) -> None:
    for digit in pin:
        wizard.pin_page.pad.press(digit)
    wizard.pin_page.pad.submit()


def test_discovered_rooms_are_listed_with_their_short_id(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    browser = BrowserBridge(network, browser_factory=FakeBrowser)
    wizard = _wizard(qtbot, network, tmp_path, browser=browser)
    qtbot.waitUntil(lambda: len(wizard.room_page.rooms()) == 2)
    assert not wizard.room_page.next_button.isEnabled()
    wizard.room_page.select_room(0)
    assert wizard.room_page.next_button.isEnabled()
    wizard.room_page.next_button.click()
    assert wizard.page() == EnrollWizard.CODE
    browser.stop(timeout=2)


def test_a_mistyped_code_is_explained_inline(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard.room_page.skip_button.click()
    text = enrollment_code().text()
    swapped = "7" if text[3] != "7" else "8"
    wizard.code_page.code_edit.setText(text[:3] + swapped + text[4:])
    wizard.code_page.next_button.click()
    assert wizard.page() == EnrollWizard.CODE
    assert wizard.code_page.error_text() == (
        "The code does not check out: a symbol is mistyped or missing."
    )
    assert wizard.code_page.error_label.isVisible()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the code first."),
        ("ABC", "The code is too short: a symbol group is missing."),
        ("UUUUU-UUUUU-UU", "“U” cannot appear in a code. Codes use digits and the letters A–Z."),
    ],
)
def test_other_code_mistakes(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path, typed: str, message: str
) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard.room_page.skip_button.click()
    wizard.code_page.code_edit.setText(typed)
    wizard.code_page.submit()
    assert wizard.code_page.error_text() == message


def test_code_accepts_lowercase_spaces_and_no_dashes(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard.room_page.skip_button.click()
    sloppy = enrollment_code().text().lower().replace("-", " ")
    qtbot.keyClicks(wizard.code_page.code_edit, sloppy)  # type: ignore[no-untyped-call]
    assert wizard.code_page.code_edit.text() == sloppy.upper()  # shown as printed
    wizard.code_page.next_button.click()
    assert wizard.code_page.error_text() == ""
    assert wizard.page() == EnrollWizard.PIN


def test_a_code_for_another_room_is_refused_before_connecting(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    browser = BrowserBridge(network, browser_factory=FakeBrowser)
    wizard = _wizard(qtbot, network, tmp_path, browser=browser)
    qtbot.waitUntil(lambda: len(wizard.room_page.rooms()) == 2)
    wizard.room_page.select_room(1)  # Phòng họp số 3
    wizard.room_page.next_button.click()
    wizard.code_page.code_edit.setText(enrollment_code(ROOM_ID).text())
    wizard.code_page.submit()
    assert wizard.page() == EnrollWizard.CODE
    assert "different room" in wizard.code_page.error_text()
    browser.stop(timeout=2)


def test_pin_page_rejects_mismatched_pins(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    enroller = Enroller()
    wizard = _wizard(qtbot, network, tmp_path, enroller)
    wizard._code_accepted(enrollment_code())
    assert wizard.page() == EnrollWizard.PIN
    _type_pin(wizard, "2580")
    assert wizard.pin_page.confirming()
    _type_pin(wizard, "2581")
    assert not wizard.pin_page.confirming()
    assert wizard.pin_page.error_text() == "The two PINs are different. Choose your PIN again."
    assert wizard.pin_page.pad.pin() == ""
    assert wizard.page() == EnrollWizard.PIN
    assert enroller.calls == []


def test_pin_too_short(qtbot: QtBot, network: NetworkThread, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard._code_accepted(enrollment_code())
    _type_pin(wizard, "123")
    assert not wizard.pin_page.confirming()
    assert wizard.pin_page.error_text() == "The PIN must have 4 to 12 digits."


def test_the_pin_rule_is_the_vaults(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page checks with ``app.vault.check_pin`` and words its numbers, nothing of its own."""
    monkeypatch.setattr(vault, "MIN_PIN_LENGTH", 6)
    monkeypatch.setattr(vault, "MAX_PIN_LENGTH", 10)
    wizard = _wizard(qtbot, network, tmp_path)
    wizard._code_accepted(enrollment_code())
    assert wizard.pin_page.prompt.text().startswith("Choose a PIN of 6 to 10 digits.")
    _type_pin(wizard, "12345")
    assert not wizard.pin_page.confirming()
    assert wizard.pin_page.error_text() == "The PIN must have 6 to 10 digits."
    assert errors.describe_enroll_error("bad_pin", "") == "The PIN must have 6 to 10 digits."
    _type_pin(wizard, "123456")
    assert wizard.pin_page.confirming()


def test_matching_pins_enroll_with_the_chosen_room(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    enroller = Enroller()
    browser = BrowserBridge(network, browser_factory=FakeBrowser)
    wizard = _wizard(qtbot, network, tmp_path, enroller, browser)
    qtbot.waitUntil(lambda: len(wizard.room_page.rooms()) == 2)
    wizard.room_page.select_room(0)
    wizard.room_page.next_button.click()
    wizard.code_page.code_edit.setText(enrollment_code().text())
    wizard.code_page.submit()
    _type_pin(wizard, "2580")
    with qtbot.waitSignal(wizard.enrolled) as done:
        _type_pin(wizard, "2580")
        assert wizard.page() == EnrollWizard.BUSY
    assert done.args == ["unlocked-profile"]
    home, code, pin, device_name, extra, extra_port = enroller.calls[0]
    assert (home, pin, device_name, extra) == (tmp_path, "2580", None, ("10.0.0.7",))
    assert isinstance(code, EnrollmentCode)
    # the announced address is tried at the announced port; the card's own stays as printed
    assert extra_port == 9443 and code.port != 9443
    assert not browser.is_active()


def test_typed_address_is_used_when_multicast_is_blocked(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    enroller = Enroller()
    wizard = _wizard(qtbot, network, tmp_path, enroller)  # no browser: discovery unavailable
    assert wizard.room_page.manual_frame.isVisible()
    wizard.room_page.address_edit.setText("192.168.5.20")
    wizard.room_page.port_edit.setText("8500")
    wizard.room_page.next_button.click()
    wizard.code_page.code_edit.setText(enrollment_code().text())
    wizard.code_page.submit()
    _type_pin(wizard, "1357")
    with qtbot.waitSignal(wizard.enrolled):
        _type_pin(wizard, "1357")
    *_, extra, extra_port = enroller.calls[0]
    assert extra == ("192.168.5.20",)
    assert extra_port == 8500


@pytest.mark.parametrize(
    ("code", "page", "fragment"),
    [
        ("invalid_code", EnrollWizard.CODE, "unknown or has already been used"),
        ("unreachable", EnrollWizard.BUSY, "could not be reached"),
        ("wrong_room", EnrollWizard.BUSY, "security certificate does not match"),
    ],
)
def test_enrollment_errors_are_told_in_plain_words(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path, code: str, page: int, fragment: str
) -> None:
    wizard = _wizard(qtbot, network, tmp_path, Enroller(FakeEnrollError(code, "technical")))
    wizard._code_accepted(enrollment_code())
    _type_pin(wizard, "2580")
    _type_pin(wizard, "2580")
    qtbot.waitUntil(
        lambda: (
            wizard.page() == page and (page != EnrollWizard.BUSY or not wizard.busy_page.is_busy())
        )
    )
    shown = (
        wizard.code_page.error_text()
        if page == EnrollWizard.CODE
        else (wizard.busy_page.error_text())
    )
    assert fragment in shown
    if page == EnrollWizard.BUSY:
        assert wizard.busy_page.retry_button.isVisible()
