"""The PIN screen: greets the delegate, checks the PIN off the GUI thread, says when it's wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.profile import PinLocked, WrongPin
from tests.ui.support import delegate_identity, show_top
from ui.bridge import NetworkThread
from ui.i18n import Translations
from ui.widgets.enroll import PinSetupPage
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


def _key_geometry(page: UnlockPage | PinSetupPage) -> list[QRect]:
    QApplication.processEvents()  # let the layouts settle first
    pad = page.pad
    buttons = [*pad.findChildren(QPushButton), pad.display]
    return [QRect(b.mapTo(page, QPoint(0, 0)), b.size()) for b in buttons]


@pytest.mark.parametrize(("width", "height"), [(853, 533), (1280, 800), (640, 1000)])
def test_the_pad_does_not_move_when_a_message_comes_and_goes(
    qtbot: QtBot, network: NetworkThread, translations: Translations, width: int, height: int
) -> None:
    """On a touch screen a key that jumps under the finger gets the wrong digit."""
    page = UnlockPage(network, FakeProfile("2580", locked_for=29.6))  # type: ignore[arg-type]
    show_top(qtbot, page, width, height)
    for language in ("en", "vi"):
        translations.set_language(language, remember=False)
        before = _key_geometry(page)
        for digit in "2580":
            page.pad.press(digit)
        page.pad.submit()
        qtbot.waitUntil(lambda: not page.is_busy())
        assert "30" in page.error_text()
        assert _key_geometry(page) == before
        page.pad.press("1")  # the next digit clears the message
        assert page.error_text() == ""
        assert _key_geometry(page) == before
        page.pad.clear()


@pytest.mark.parametrize(("width", "height"), [(853, 533), (1280, 800), (640, 1000)])
def test_the_pin_choice_pad_does_not_move_either(
    qtbot: QtBot, translations: Translations, width: int, height: int
) -> None:
    page = PinSetupPage()
    show_top(qtbot, page, width, height)

    def type_pin(pin: str) -> None:
        for digit in pin:
            page.pad.press(digit)
        page.pad.submit()

    for language in ("en", "vi"):
        translations.set_language(language, remember=False)
        before = _key_geometry(page)
        type_pin("12")  # too short
        assert page.error_text()
        assert _key_geometry(page) == before
        type_pin("2580")  # the prompt changes to "again"
        assert page.confirming()
        assert _key_geometry(page) == before
        type_pin("2581")  # different: back to the first prompt, with a message
        assert not page.confirming() and page.error_text()
        assert _key_geometry(page) == before
