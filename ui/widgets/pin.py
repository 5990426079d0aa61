"""PIN entry as a large on-screen pad, the way a delegate unlocks a tablet.

A pad (instead of a text field) avoids the tablet's on-screen keyboard covering half the screen
and makes the digits big enough for any finger. A physical keyboard still works: digits,
Backspace and Enter. The PIN itself is only ever shown as dots. The keys never move: the
message under the dots has its room kept whether it is shown or not.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.vault import MAX_PIN_LENGTH
from ui.widgets.steady import SteadyLabel

#: Lines kept for the message under the dots: every message the pad shows fits (wrong PIN,
#: wait before trying again, PINs differ), in English and Vietnamese, at the narrowest pad.
MESSAGE_LINES = 3


class PinPad(QWidget):
    """Masked display, a 3×4 grid of digits, erase and OK; ``submitted(pin)`` on OK/Enter."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None, max_length: int = MAX_PIN_LENGTH) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        self._max = max_length
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.display = QLineEdit(self)
        self.display.setObjectName("pinDisplay")
        self.display.setEchoMode(QLineEdit.EchoMode.Password)
        self.display.setReadOnly(True)
        self.display.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setMaxLength(max_length)

        self.message = SteadyLabel(self)
        self.message.setObjectName("errorText")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.reserve(lines=MESSAGE_LINES)
        # Its text must not widen the pad either: it wraps in the width the keys give it.
        policy = self.message.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.message.setSizePolicy(policy)
        self.message.hide()

        grid = QGridLayout()
        grid.setSpacing(10)
        self._digit_buttons: list[QPushButton] = []
        for n in range(10):
            button = self._make_button(str(n), "pinDigit")
            button.clicked.connect(lambda _=False, d=str(n): self.press(d))
            self._digit_buttons.append(button)
        for n in range(1, 10):
            grid.addWidget(self._digit_buttons[n], (n - 1) // 3, (n - 1) % 3)
        self.erase_button = self._make_button("⌫", "pinErase")
        self.erase_button.clicked.connect(self.erase)
        self.ok_button = self._make_button("", "pinOk")
        self.ok_button.clicked.connect(self.submit)
        grid.addWidget(self.erase_button, 3, 0)
        grid.addWidget(self._digit_buttons[0], 3, 1)
        grid.addWidget(self.ok_button, 3, 2)

        info = QVBoxLayout()
        info.setSpacing(12)
        info.addStretch(1)
        info.addWidget(self.display)
        info.addWidget(self.message)
        info.addStretch(1)
        self._box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(12)
        self._box.addLayout(info)
        self._box.addLayout(grid, 1)
        self._info = info
        self.display.textChanged.connect(self._update_buttons)
        self._update_buttons()
        self.retranslate()

    def _make_button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(name == "pinErase")
        button.setMinimumSize(72, 56)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return button

    # ------------------------------------------------------------------ API

    def set_side_by_side(self, on: bool) -> None:
        """Dots and message beside the keys instead of above them, for short landscape
        screens (a tablet at 150 % scaling is ~530 px high) so the OK key never scrolls away."""
        direction = QBoxLayout.Direction.LeftToRight if on else QBoxLayout.Direction.TopToBottom
        if self._box.direction() != direction:
            self._box.setDirection(direction)
            self._box.setSpacing(28 if on else 12)
            self._box.setStretch(0, 1 if on else 0)
            self._box.setStretch(1, 1)

    def is_side_by_side(self) -> bool:
        return self._box.direction() == QBoxLayout.Direction.LeftToRight

    def pin(self) -> str:
        return self.display.text()

    def press(self, digit: str) -> None:
        if digit.isdigit() and len(self.display.text()) < self._max:
            self.display.setText(self.display.text() + digit)
            self.show_message("")

    def erase(self) -> None:
        self.display.setText(self.display.text()[:-1])

    def clear(self) -> None:
        self.display.clear()

    def submit(self) -> None:
        if self.isEnabled() and self.pin():
            self.submitted.emit(self.pin())

    def show_message(self, text: str) -> None:
        """An error under the dots (wrong PIN, PINs differ); cleared by the next digit."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisible() else ""

    def _update_buttons(self) -> None:
        has_text = bool(self.display.text())
        self.erase_button.setEnabled(has_text)
        self.ok_button.setEnabled(has_text)

    # ------------------------------------------------------------------ events

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        if text and text.isdigit() and text.isascii():
            self.press(text)
        elif key == Qt.Key.Key_Backspace:
            self.erase()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Escape:
            self.clear()
        else:
            super().keyPressEvent(event)

    def retranslate(self) -> None:
        self.ok_button.setText(self.tr("OK"))
        self.erase_button.setToolTip(self.tr("Erase the last digit"))
        self.erase_button.setAccessibleName(self.tr("Erase the last digit"))
        self.display.setAccessibleName(self.tr("PIN"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
