"""Kiosk mode for a prepared tablet: the app fills the screen and a delegate cannot close it or
leave it; a secretary can, with the exit PIN of the deployment file (app/deployment.py).

What the app itself does: its windows are full screen without a frame, a window put back to
normal size is made full screen again, every close is refused (Alt+F4, the window manager's
close, a task switcher's "close"), the menu offers no file dialog (in which the tablet's files
can be browsed, renamed and deleted), and the ⋯ menu's *Close the app…* asks for the exit PIN,
checked off the GUI thread against its scrypt hash, with the same brake on guessing as the
unlock screen (app/unlockguard.py, its own count). What no app can do is keep the user from
leaving it through the operating system — Alt+Tab, the Windows key, a tablet's home gesture,
Ctrl+Alt+Del, another virtual terminal: the tablet's own kiosk lock does that
(docs/operations.md, Preparing tablets).

The exit PIN is in the deployment file rather than sent by the room, so it works before the
tablet is enrolled, and with no network at all — exactly when IT needs it most.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.deployment import EXIT_PIN_MAX, ExitPin
from app.unlockguard import PinLocked, UnlockGuard
from ui.bridge import NetworkThread
from ui.theme import BACKGROUND
from ui.widgets import errors
from ui.widgets.pin import PinPad
from ui.widgets.unlock import SHORT_HEIGHT


@runtime_checkable
class KioskWindow(Protocol):
    """A window whose ⋯ menu can take the secretariat's exit (the gate and the delegate's)."""

    def kiosk_menu(self) -> QMenu: ...


def menu_text() -> str:
    return QCoreApplication.translate("Kiosk", "Close the app (secretariat)…")


class ExitPrompt(QFrame):
    """Over the whole window: the exit PIN pad, and Cancel. ``confirmed`` once the PIN is right."""

    confirmed = Signal()

    def __init__(
        self, window: QWidget, exit_pin: ExitPin, guard: UnlockGuard, network: NetworkThread
    ) -> None:
        super().__init__(window)
        self.setObjectName("kioskExit")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), BACKGROUND)
        self.setPalette(palette)
        self._window = window
        self._exit_pin = exit_pin
        self._guard = guard
        self._network = network
        self._busy = False
        self._error: tuple[str, str] | None = None

        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.text = QLabel(self)
        self.text.setObjectName("pageText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.pad = PinPad(self, max_length=EXIT_PIN_MAX)
        self.pad.setMaximumWidth(440)
        self.pad.submitted.connect(self.try_pin)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setMinimumSize(200, 52)
        self.cancel_button.clicked.connect(self.cancel)
        column = QVBoxLayout()
        column.setSpacing(10)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.text)
        column.addSpacing(8)
        column.addWidget(self.pad, 6, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 12, 24, 16)
        row.addStretch(1)
        row.addLayout(column, 4)
        row.addStretch(1)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.retranslate()

    def open(self) -> None:
        self.show()
        self.raise_()
        self.pad.setFocus()

    def is_busy(self) -> bool:
        return self._busy

    def error_text(self) -> str:
        return self.pad.message_text()

    def cancel(self) -> None:
        if not self._busy:
            self.close()
            self.deleteLater()

    def try_pin(self, pin: str) -> None:
        """Check ``pin`` (scrypt, ~0.2 s) on a worker thread; the pad waits meanwhile."""
        if self._busy:
            return
        self._busy = True
        self._error = None
        self.pad.setEnabled(False)
        self.retranslate()
        self._network.call(
            asyncio.to_thread(self._check, pin), self._checked, self._failed, receiver=self
        )

    def _check(self, pin: str) -> bool:
        self._guard.check()
        if self._exit_pin.matches(pin):
            self._guard.succeeded()
            return True
        self._guard.failed()
        return False

    def _checked(self, right: bool) -> None:
        self._busy = False
        self.pad.clear()
        if right:
            self.confirmed.emit()
            return
        self._done_checking(("wrong_pin", ""))

    def _failed(self, exc: BaseException) -> None:
        locked = isinstance(exc, PinLocked)
        detail = str(round(exc.seconds)) if isinstance(exc, PinLocked) else str(exc)
        self._done_checking(("locked" if locked else "vault", detail))

    def _done_checking(self, error: tuple[str, str]) -> None:
        self._busy = False
        self._error = error
        self.pad.setEnabled(True)
        self.pad.clear()
        self.pad.setFocus()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Close the app"))
        self.text.setText(
            self.tr("Checking…")
            if self._busy
            else self.tr(
                "For the secretariat: type the exit PIN to close Hemicycle on this tablet."
            )
        )
        self.cancel_button.setText(self.tr("Cancel"))
        if self._error is not None:
            self.pad.show_message(errors.describe_unlock_error(*self._error))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
            short = self._window.height() < SHORT_HEIGHT
            self.pad.set_side_by_side(short)
            self.pad.setMaximumWidth(720 if short else 440)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        else:
            self.pad.keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class Kiosk(QObject):
    """Holds the app's windows full screen and open until the secretariat's exit PIN lets go.

    ``home`` is the profile's folder: the count of wrong exit PINs is kept in ``home/kiosk``,
    apart from the unlock screen's, so guessing one does not lock the delegate out of the other.
    """

    def __init__(
        self,
        exit_pin: ExitPin,
        network: NetworkThread,
        home: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._exit_pin = exit_pin
        self._network = network
        self._guard_home = home / "kiosk"
        self._held: list[QWidget] = []
        self._actions: list[QAction] = []
        self.prompt: ExitPrompt | None = None

    def hold(self, window: QWidget) -> None:
        """Show ``window`` full screen, frameless, and refuse to let it close."""
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.installEventFilter(self)
        self._held.append(window)
        window.destroyed.connect(lambda *_: self._forget(window))
        window.showFullScreen()

    def let_go(self, window: QWidget) -> None:
        """The app is about to close ``window`` itself (the gate, once enrolled or unlocked)."""
        window.removeEventFilter(self)
        self._forget(window)

    def let_go_all(self) -> None:
        for window in list(self._held):
            self.let_go(window)

    def _forget(self, window: QObject) -> None:
        self._held = [held for held in self._held if held is not window]

    def offer_exit(self, window: KioskWindow) -> QAction:
        """Add *Close the app (secretariat)…* to the window's ⋯ menu."""
        assert isinstance(window, QWidget)
        action = window.kiosk_menu().addAction(menu_text())
        action.triggered.connect(lambda: self.ask_exit(window))
        self._actions.append(action)
        action.destroyed.connect(lambda *_: self._action_gone(action))
        return action

    def _action_gone(self, action: QAction) -> None:
        self._actions = [kept for kept in self._actions if kept is not action]

    def ask_exit(self, window: QWidget) -> ExitPrompt:
        """The exit PIN pad over ``window``; the right PIN closes the app."""
        if self.prompt is not None and self.prompt.parent() is window:
            self.prompt.open()
            return self.prompt
        self._guard_home.mkdir(parents=True, exist_ok=True, mode=0o700)
        prompt = ExitPrompt(window, self._exit_pin, UnlockGuard(self._guard_home), self._network)
        prompt.confirmed.connect(self.exit)
        prompt.destroyed.connect(lambda *_: self._prompt_gone(prompt))
        self.prompt = prompt
        prompt.open()
        return prompt

    def _prompt_gone(self, prompt: ExitPrompt) -> None:
        if self.prompt is prompt:
            self.prompt = None

    def exit(self) -> None:
        """The right exit PIN: let every window go, and quit (aboutToQuit saves and stops)."""
        self.let_go_all()
        QCoreApplication.quit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Close:
            event.ignore()
            return True
        if kind == QEvent.Type.WindowStateChange and isinstance(watched, QWidget):
            if not watched.isFullScreen():
                QTimer.singleShot(0, watched.showFullScreen)
        elif kind == QEvent.Type.LanguageChange:
            for action in self._actions:
                action.setText(menu_text())
        return False
