"""Writing a sticky note: a bar in the reader (not a window of its own, which a kiosk tablet
would hide behind the reader) with the note's text, Save, Delete and Cancel.

``saved(note)`` gives the note with its text; ``deleted(note)`` asks for it to go (only for a
note already kept); ``closed`` follows either, or Cancel.
"""

from __future__ import annotations

import msgspec
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app import annotations as a

#: Characters a note may hold (it must seal within the room's record limit with its quote).
MAX_NOTE = 4_000


class NoteEditor(QFrame):
    saved = Signal(object)
    deleted = Signal(object)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self._note: a.Annotation | None = None
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("noteText")
        self.text.setFixedHeight(110)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("primaryButton")
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("dangerButton")
        self.cancel_button = QPushButton(self)
        for button in (self.save_button, self.delete_button, self.cancel_button):
            button.setMinimumHeight(44)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.addWidget(self.text)
        column.addLayout(row)
        self.save_button.clicked.connect(self._save)
        self.delete_button.clicked.connect(self._delete)
        self.cancel_button.clicked.connect(self.close_editor)
        self.text.textChanged.connect(self._limit)
        self.retranslate()
        self.hide()

    @property
    def note(self) -> a.Annotation | None:
        return self._note

    def edit(self, note: a.Annotation, kept: bool) -> None:
        """Show ``note`` to write; ``kept``: it exists already (it can be deleted)."""
        self._note = note
        self.text.setPlainText(note.text)
        self.delete_button.setVisible(kept)
        self.show()
        self.text.setFocus()

    def _limit(self) -> None:
        text = self.text.toPlainText()
        if len(text) > MAX_NOTE:
            self.text.setPlainText(text[:MAX_NOTE])

    def _save(self) -> None:
        note = self._note
        text = self.text.toPlainText().strip()
        if note is not None and text:
            self.saved.emit(msgspec.structs.replace(note, text=text))
        elif note is not None and self.delete_button.isVisible():
            self.deleted.emit(note)  # emptied: the note goes
        self.close_editor()

    def _delete(self) -> None:
        if self._note is not None:
            self.deleted.emit(self._note)
        self.close_editor()

    def close_editor(self) -> None:
        if self._note is None:
            return
        self._note = None
        self.hide()
        self.closed.emit()

    def retranslate(self) -> None:
        self.text.setPlaceholderText(self.tr("Write your note. Only you can read it."))
        self.save_button.setText(self.tr("Save note"))
        self.delete_button.setText(self.tr("Delete note"))
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
