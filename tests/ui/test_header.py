"""One header for every window: titles left, the window's indicators, the language switch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.support import delegate_identity, show_top
from ui.console.window import ConsoleWindow
from ui.delegate.window import DelegateWindow
from ui.i18n import Translations
from ui.startup import GateWindow
from ui.widgets.header import Header
from ui.widgets.language import LanguageSwitch
from ui.widgets.status import StatusIndicator


def _header_of(window: QWidget) -> Header:
    headers = window.findChildren(Header)
    assert len(headers) == 1
    header = headers[0]
    assert header.objectName() == "header"
    assert len(header.findChildren(LanguageSwitch)) == 1
    assert header.geometry().top() == 0 and header.width() == window.width()  # on top
    return header


def _texts(header: Header) -> list[str]:
    return [label.text() for label in header.findChildren(QLabel) if label.text()]


def test_the_gate_window_uses_the_header(qtbot: QtBot, translations: Translations) -> None:
    gate = GateWindow("secretary", QWidget(), translations)
    show_top(qtbot, gate)
    header = _header_of(gate)
    assert _texts(header)[:2] == ["Hemicycle", "Secretariat console"]


def test_the_delegate_window_uses_the_header(
    qtbot: QtBot, translations: Translations, make_bridge: Callable[..., Any]
) -> None:
    bridge, _ = make_bridge()
    window = DelegateWindow(bridge, delegate_identity(), translations)
    show_top(qtbot, window)
    header = _header_of(window)
    assert window.status_indicator in header.findChildren(StatusIndicator)
    assert window.language_switch is header.findChildren(LanguageSwitch)[0]
    texts = _texts(header)
    assert "Hội trường Ba Đình" in texts and "Đại hội — Phiên khai mạc" in texts
    assert "Nguyễn Thị Hồng Nhung" in texts
    # the meeting title has the whole width, under the room, the delegate and the switch
    assert window.title_label.geometry().top() > window.room_label.geometry().bottom()


def test_the_console_window_uses_the_header(
    qtbot: QtBot, translations: Translations, make_bridge: Callable[..., Any]
) -> None:
    bridge, _ = make_bridge()
    window = ConsoleWindow(bridge, delegate_identity("secretary"), translations)
    show_top(qtbot, window)
    header = _header_of(window)
    assert window.status_indicator in header.findChildren(StatusIndicator)
    assert window.delegates_panel.count_button.parent() is header
    assert _texts(header)[:2] == ["Hội trường Ba Đình", "Secretariat console"]
