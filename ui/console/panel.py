"""What every panel of the console is made of: a card with a heading, the areas of the room
state it draws, and one way to send the secretary's requests and say how they went.

Every action is a protocol request sent through the bridge; no panel ever edits its model
itself. What the secretary sees change is the server's answer coming back as an event, exactly
what every delegate receives, so the console cannot drift from the room. A refused request is
reported in the window's message line in words, never swallowed. The server checks the
secretary's role; the buttons being here is not the control.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from app.state import Area, RoomView
from ui.bridge import ClientBridge
from ui.widgets import errors

#: A message for the window's message line: a callable, so it follows a language switch.
Text = Callable[[], str]


class Requests(QObject):
    """How the panels send requests to the room, and tell the window what became of them.

    ``said(text, error)`` carries every message for the window's message line.
    """

    said = Signal(object, bool)

    def __init__(self, bridge: ClientBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge

    def is_online(self) -> bool:
        """Whether changes can be sent: every button that sends one waits for Online."""
        return self._bridge.status == "online"

    def say(self, text: Text, error: bool = False) -> None:
        self.said.emit(text, error)

    def send(
        self,
        msg: Any,
        done: Text,
        on_ok: Callable[[Any], None] | None = None,
        *,
        receiver: QObject,
        on_error: Callable[[Text], None] | None = None,
        describe: Callable[[BaseException], str] = errors.describe_request_error,
    ) -> None:
        """Send ``msg``; say ``done`` when the room accepts it (then ``on_ok(reply)``), or why
        it refused, in the sentence ``describe`` makes of the failure (also handed to
        ``on_error``, for a panel that shows it too). Nothing is called back once
        ``receiver`` is gone."""
        self.say(lambda: self.tr("Sending…"))

        def ok(reply: Any) -> None:
            self.say(done)
            if on_ok is not None:
                on_ok(reply)

        def failed(exc: BaseException) -> None:
            def text() -> str:
                return describe(exc)

            self.say(text, error=True)
            if on_error is not None:
                on_error(text)

        self._bridge.request(msg, ok, failed, receiver=receiver)

    def ask(
        self,
        msg: Any,
        on_ok: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        receiver: QObject,
    ) -> None:
        """A question to the room that changes nothing (the readiness board's): no message
        in the message line, either way."""
        self._bridge.request(msg, on_ok, on_error, receiver=receiver)


def big_button(text: str, name: str, parent: QWidget) -> QPushButton:
    """A button at least 48 px high (a touch target), styled by its object name."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setMinimumHeight(48)
    return button


class ConsolePanel(QFrame):
    """A white card with a heading, drawing :attr:`areas` of the room state.

    Subclasses build their widgets under :attr:`heading` in :attr:`box`, draw in
    :meth:`show_model` (called by the window's :class:`~ui.areas.AreaRouter` only when one of
    :attr:`areas` changed), and set the texts and enabled states that depend on the selection,
    the connection and the language in :meth:`refresh`.
    """

    areas: ClassVar[Area] = Area.NONE

    def __init__(self, requests: Requests, model: RoomView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self._requests = requests
        self._model = model
        self.heading = QLabel(self)
        self.heading.setObjectName("panelHeading")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(self.heading)

    def model(self) -> RoomView:
        """The latest state of this panel's areas."""
        return self._model

    def show_model(self, model: RoomView, areas: Area) -> None:
        self._model = model
        self.refresh()

    def refresh(self) -> None:
        """Texts and enabled states from the model, the selection and the connection."""

    def retranslate(self) -> None:
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
