"""The field where an enrollment code is typed: the whole code in sight, however long.

A typed code is 59 symbols and dashes with one IPv4 address, 79 with three, 83 with an IPv6
address: more than one line holds at a readable size on a tablet. So the field wraps, in a
fixed-width font, after whole groups of five (every line ends on a dash, the groups stand in
columns as on the card), and grows to as many lines as the code needs: it never scrolls
sideways. Enter submits instead of starting a new line; letters show in capitals, as printed.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QResizeEvent,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QTextEdit, QWidget

#: Fixed-width families tried in order; the system's fixed font comes after them.
MONOSPACE_FAMILIES = ("DejaVu Sans Mono", "Noto Sans Mono", "Cascadia Mono", "Consolas", "Menlo")
#: Symbols and dashes the field always has room for: a code with an IPv6 address (83).
RESERVED_LENGTH = 83
GROUP = 6  # five symbols and a dash


class CodeEdit(QTextEdit):
    """Plain-text code entry; ``returnPressed`` on Enter, ``imagePasted(QImage)`` when a
    picture is pasted into it (a screenshot of the QR code)."""

    returnPressed = Signal()
    imagePasted = Signal(QImage)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeEdit")
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        font = QFont(self.font())
        font.setFamilies([*MONOSPACE_FAMILIES, "monospace"])
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFixedPitch(True)
        self.setFont(font)
        self._fixing = False
        self.document().contentsChange.connect(self._normalise)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)

    # ------------------------------------------------------------------ text

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)
        self.moveCursor(self.textCursor().MoveOperation.End)

    def _normalise(self, position: int, _removed: int, added: int) -> None:
        """Capitals, and no line breaks, in whatever was just typed or pasted."""
        end = min(position + added, self.document().characterCount() - 1)
        if self._fixing or end <= position:
            return
        cursor = self.textCursor()
        cursor.setPosition(position)
        cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
        typed = cursor.selectedText()
        fixed = "".join(
            " " if c in "\u2029\u2028\n\r" else c.upper() if len(c.upper()) == 1 else c
            for c in typed
        )
        if fixed != typed:
            self._fixing = True
            keep = self.textCursor().position()
            cursor.insertText(fixed)
            moved = self.textCursor()
            moved.setPosition(min(keep, len(self.toPlainText())))
            self.setTextCursor(moved)
            self._fixing = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasImage():
            self.imagePasted.emit(QImage(source.imageData()))
            return
        self.insertPlainText(source.text())

    # ------------------------------------------------------------------ geometry

    def _advance(self) -> float:
        return QFontMetricsF(self.font()).horizontalAdvance("0")

    def groups_per_line(self) -> int:
        room = self.viewport().width() - 2 * self.document().documentMargin()
        return max(int(room // (self._advance() * GROUP)), 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Wrap after whole groups: the line is exactly so many groups wide (+1 px of slack;
        # the document's margins are inside the wrap width).
        width = self.groups_per_line() * GROUP * self._advance()
        margins = 2 * self.document().documentMargin()
        self.setLineWrapColumnOrWidth(math.ceil(width + margins) + 1)
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the text, and never less than a long (IPv6) code needs."""
        doc = self.document()
        sample = QTextDocument()  # laid out like the field's own, with a long code in it
        sample.setDefaultFont(self.font())
        sample.setDocumentMargin(doc.documentMargin())
        sample.setDefaultTextOption(doc.defaultTextOption())
        sample.setTextWidth(self.lineWrapColumnOrWidth())
        sample.setPlainText("0" * RESERVED_LENGTH)
        content = max(doc.size().height(), sample.size().height())
        margins = self.contentsMargins()  # the style sheet's border and padding
        height = math.ceil(content) + margins.top() + margins.bottom()
        if height != self.height():
            self.setFixedHeight(height)
