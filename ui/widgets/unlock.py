"""The PIN screen shown each time the app opens on an enrolled device.

Who the device belongs to (room, delegate) is readable without the PIN, so the screen greets the
delegate by name: someone who picked up the wrong tablet notices before typing anything. The
PIN check (scrypt, deliberately slow) runs off the GUI thread so the pad stays responsive.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.bridge import NetworkThread
from ui.widgets import errors
from ui.widgets.pin import PinPad

if TYPE_CHECKING:
    from app.profile import Profile, Unlocked


#: Below this height (logical px) the PIN pad goes side by side with its dots.
SHORT_HEIGHT = 600


class UnlockPage(QWidget):
    """Greeting, PIN pad, and the wrong-PIN message; emits ``unlocked(Unlocked)``."""

    unlocked = Signal(object)

    def __init__(
        self,
        network: NetworkThread,
        profile: Profile,
        *,
        unlock_fn: Callable[[str], Unlocked] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPage")
        self._network = network
        self._profile = profile
        self._unlock_fn = unlock_fn or profile.unlock
        self._busy = False
        self._error: tuple[str, str] | None = None

        self.room_label = QLabel(self)
        self.room_label.setObjectName("unlockRoom")
        self.room_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.room_label.setWordWrap(True)
        self.who_label = QLabel(self)
        self.who_label.setObjectName("unlockWho")
        self.who_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who_label.setWordWrap(True)
        self.prompt = QLabel(self)
        self.prompt.setObjectName("pinPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad(self)
        self.pad.setMaximumWidth(440)
        self.pad.submitted.connect(self.try_pin)
        self.pad.display.textChanged.connect(self._typing)

        column = QVBoxLayout()
        column.setSpacing(10)
        column.addStretch(1)
        column.addWidget(self.room_label)
        column.addWidget(self.who_label)
        column.addSpacing(8)
        column.addWidget(self.prompt)
        column.addWidget(self.pad, 6, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        # Scrollable so that a small screen (a tablet at 150 % scaling) never cuts the pad.
        inner = QWidget()
        inner.setObjectName("unlockBody")
        row = QHBoxLayout(inner)
        row.setContentsMargins(24, 12, 24, 16)
        row.addStretch(1)
        row.addLayout(column, 4)
        row.addStretch(1)
        area = QScrollArea(self)
        area.setObjectName("pageScroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(area)
        self.retranslate()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        short = event.size().height() < SHORT_HEIGHT
        self.pad.set_side_by_side(short)
        self.pad.setMaximumWidth(720 if short else 440)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.pad.setFocus()

    def is_busy(self) -> bool:
        return self._busy

    def error_text(self) -> str:
        return self.pad.message_text()

    def _typing(self, text: str) -> None:
        if text:
            self._error = None

    def try_pin(self, pin: str) -> None:
        """Check ``pin`` in a worker thread; the pad is disabled meanwhile."""
        if self._busy:
            return
        self._busy = True
        self._error = None
        self.pad.setEnabled(False)
        self.retranslate()
        self._network.call(
            asyncio.to_thread(self._unlock_fn, pin),
            on_result=self._done,
            on_error=self._failed,
            receiver=self,
        )

    def _done(self, unlocked: Unlocked) -> None:
        self._busy = False
        self.pad.clear()
        self.unlocked.emit(unlocked)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.pad.setEnabled(True)
        self.pad.clear()
        self.pad.setFocus()
        kind = {"WrongPin": "wrong_pin", "PinLocked": "locked"}.get(type(exc).__name__, "vault")
        detail = str(round(getattr(exc, "seconds", 0))) if kind == "locked" else str(exc)
        self._error = (kind, detail)
        self.retranslate()

    def retranslate(self) -> None:
        identity = self._profile.identity
        if identity is not None:
            self.room_label.setText(identity.room_name)
            delegate = identity.delegate
            if delegate is not None:
                self.who_label.setText(
                    self.tr("%1 — delegate no. %2")
                    .replace("%1", delegate.full_name)
                    .replace("%2", delegate.number)
                )
            elif identity.role == "secretary":
                self.who_label.setText(self.tr("Secretariat device"))
            else:
                self.who_label.setText("")
        self.prompt.setText(self.tr("Checking…") if self._busy else self.tr("Enter your PIN"))
        if self._error is not None:
            self.pad.show_message(errors.describe_unlock_error(*self._error))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
