"""The PIN screen: greets the delegate, checks the PIN off the GUI thread, says when it's wrong."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.profile import PinLocked, WrongPin
from tests.ui.support import delegate_identity, show_top
from ui.bridge import NetworkThread
from ui.i18n import Translations
from ui.widgets.unlock import UnlockPage


class FakeProfile:
    def __init__(self, pin: str, locked_for: float = 0) -> None:
        self.identity = delegate_identity()
        self.home = Path("/nonexistent")
        self.pin = pin
        self.locked_for = locked_for

    def unlock(self, pin: str) -> object:
        if self.locked_for:
            raise PinLocked(self.locked_for)
        if pin != self.pin:
            raise WrongPin()
        return "unlocked"


def _page(qtbot: QtBot, network: NetworkThread) -> UnlockPage:
    page = UnlockPage(network, FakeProfile("2580"))  # type: ignore[arg-type]
    show_top(qtbot, page, 853, 533)
    return page


def test_greets_the_delegate_by_name(qtbot: QtBot, network: NetworkThread) -> None:
    page = _page(qtbot, network)
    assert page.room_label.text() == "Hội trường Ba Đình"
    assert page.who_label.text() == "Nguyễn Thị Hồng Nhung — delegate no. 0123"


def test_wrong_pin_is_said_and_cleared(qtbot: QtBot, network: NetworkThread) -> None:
    page = _page(qtbot, network)
    for digit in "1111":
        page.pad.press(digit)
    page.pad.submit()
    qtbot.waitUntil(lambda: not page.is_busy())
    assert page.error_text() == "Wrong PIN. Try again."
    assert page.pad.pin() == ""
    page.pad.press("2")
    assert page.error_text() == ""


def test_right_pin_unlocks(qtbot: QtBot, network: NetworkThread) -> None:
    page = _page(qtbot, network)
    with qtbot.waitSignal(page.unlocked) as done:
        for digit in "2580":
            page.pad.press(digit)
        page.pad.submit()
    assert done.args == ["unlocked"]


def test_short_screens_put_the_pad_beside_the_dots(qtbot: QtBot, network: NetworkThread) -> None:
    page = _page(qtbot, network)
    assert page.pad.is_side_by_side()
    page.resize(1280, 800)
    qtbot.waitUntil(lambda: not page.pad.is_side_by_side())


def test_a_locked_device_says_how_long_to_wait(
    qtbot: QtBot, network: NetworkThread, translations: Translations
) -> None:
    page = UnlockPage(network, FakeProfile("2580", locked_for=29.6))  # type: ignore[arg-type]
    show_top(qtbot, page, 853, 533)
    for digit in "2580":
        page.pad.press(digit)
    page.pad.submit()
    qtbot.waitUntil(lambda: not page.is_busy())
    assert page.error_text() == "Too many wrong PINs. Wait 30 seconds, then try again."
    translations.set_language("vi", remember=False)
    qtbot.waitUntil(lambda: "30 giây" in page.error_text())
