"""About Hemicycle, from the ⋯ menu of the delegate app and of the console."""

from __future__ import annotations

import platform
from collections.abc import Callable
from typing import Any

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from pytestqt.qtbot import QtBot

from app import version
from app.protocol import PROTOCOL_VERSION
from tests.ui.support import delegate_identity
from ui.console.window import ConsoleWindow
from ui.delegate.window import DelegateWindow
from ui.widgets.about import AboutDialog


def about_box(qtbot: QtBot, window: Any) -> AboutDialog:
    qtbot.addWidget(window)
    window.show()
    assert window.about_action.text() == "About Hemicycle…"
    window.about_action.trigger()
    box = window.findChild(AboutDialog, "aboutDialog")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    return box


@pytest.mark.parametrize(
    ("program", "build"),
    [
        ("hemicycle", lambda bridge: DelegateWindow(bridge, delegate_identity())),
        ("hemicycle-console", lambda bridge: ConsoleWindow(bridge, delegate_identity("secretary"))),
    ],
)
def test_about_says_version_protocol_and_what_it_runs_on(
    qtbot: QtBot, make_bridge: Callable[..., Any], program: str, build: Callable[[Any], Any]
) -> None:
    bridge, _ = make_bridge()
    window = build(bridge)
    box = about_box(qtbot, window)
    assert box.windowTitle() == "About Hemicycle"
    text = box.text_label.text()
    assert f"Hemicycle {version.version()}" in text
    assert f"Protocol version {PROTOCOL_VERSION}" in text
    assert (
        f"Runs on Qt {qVersion()} (PySide6 {pyside_version}), "
        f"PyMuPDF {version.installed('PyMuPDF')} and Python {platform.python_version()}."
    ) in text
    details = box.details.toPlainText().splitlines()
    assert details[0] == f"{program} {version.version()} (protocol {PROTOCOL_VERSION})"
    assert details[1:] == version.details()
    assert box.windowModality() == Qt.WindowModality.WindowModal  # not the whole app
    with qtbot.waitSignal(box.destroyed):  # closed, and gone
        box.close_button.click()
