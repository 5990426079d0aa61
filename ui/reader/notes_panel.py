"""The reader's list of the delegate's own annotations: this document's or the whole meeting's,
searchable (diacritics optional, as the agenda's search), the ones a revision could not place
listed apart with the text they were made on — and the pairing that brings the delegate's
annotations to another of their devices.

The panel only shows and asks: ``goTo(page)`` for a tap on an annotation of this document,
``giveRequested`` and ``codeEntered(text)`` for the pairing, which the app carries out.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import annotations as a
from app.annotation_sync import KeyStatus, SyncStatus
from app.textfold import matches, search_key, search_words

#: Characters of a quote or a note shown in a line of the list.
EXCERPT = 90
_PAGE = Qt.ItemDataRole.UserRole


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


class NotesPanel(QWidget):
    goTo = Signal(int)
    giveRequested = Signal()
    codeEntered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self._document: list[a.Annotation] = []
        self._meeting: list[a.Annotation] = []
        self._titles: Mapping[int, str] = {}
        self._document_id = 0
        self._status = SyncStatus()

        self.search = QLineEdit(self)
        self.search.setObjectName("notesSearch")
        self.search.setClearButtonEnabled(True)
        self.this_document = QPushButton(self)
        self.whole_meeting = QPushButton(self)
        scope = QButtonGroup(self)
        for button in (self.this_document, self.whole_meeting):
            button.setObjectName("segmentButton")
            button.setCheckable(True)
            scope.addButton(button)
        self.this_document.setChecked(True)
        self.list = QListWidget(self)
        self.list.setObjectName("notesList")
        self.list.setWordWrap(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setMinimumHeight(60)  # the pairing box's words come first on a short screen
        self.empty = QLabel(self)
        self.empty.setObjectName("notesEmpty")
        self.empty.setWordWrap(True)

        # pairing ---------------------------------------------------------------------------
        self.pairing = QFrame(self)
        self.pairing.setObjectName("pairingBox")
        self.pairing_text = QLabel(self.pairing)
        self.pairing_text.setWordWrap(True)
        self.code_field = QLineEdit(self.pairing)
        self.code_field.setObjectName("codeField")
        self.code_button = QPushButton(self.pairing)
        self.code_button.setObjectName("primaryButton")
        self.code_error = QLabel(self.pairing)
        self.code_error.setObjectName("fieldError")
        self.code_error.setWordWrap(True)
        self.code_error.hide()
        self.give_button = QPushButton(self.pairing)
        self.give_button.setObjectName("toolButton")
        self.shown_code = QLabel(self.pairing)
        self.shown_code.setObjectName("pairingCode")
        self.shown_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shown_code.setWordWrap(True)
        self.shown_code.hide()
        box = QVBoxLayout(self.pairing)
        box.setContentsMargins(10, 8, 10, 8)
        box.addWidget(self.pairing_text)
        box.addWidget(self.code_field)
        box.addWidget(self.code_button)
        box.addWidget(self.code_error)
        box.addWidget(self.give_button)
        box.addWidget(self.shown_code)

        scope_row = QHBoxLayout()
        scope_row.setSpacing(0)
        scope_row.addWidget(self.this_document)
        scope_row.addWidget(self.whole_meeting)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(6)
        column.addLayout(scope_row)
        column.addWidget(self.search)
        column.addWidget(self.list, 1)
        column.addWidget(self.empty)
        column.addWidget(self.pairing)

        self.search.textChanged.connect(self._fill)
        scope.buttonToggled.connect(lambda _b, _on: self._fill())
        self.list.itemClicked.connect(self._clicked)
        self.code_button.clicked.connect(self._enter)
        self.code_field.returnPressed.connect(self._enter)
        self.give_button.clicked.connect(self.giveRequested)
        self.retranslate()
        self.set_status(SyncStatus())

    # ------------------------------------------------------------------ content

    def set_records(
        self,
        document_id: int,
        document: list[a.Annotation],
        meeting: list[a.Annotation],
        titles: Mapping[int, str],
    ) -> None:
        """This document's records, the meeting's, and the meeting's document titles."""
        self._document_id = document_id
        self._document, self._meeting, self._titles = document, meeting, titles
        self._fill()

    def _label(self, note: a.Annotation, with_title: bool) -> str:
        kinds = {
            "highlight": self.tr("Highlight"),
            "ink": self.tr("Ink"),
            "note": self.tr("Note"),
            "bookmark": self.tr("Bookmark"),
        }
        head = self.tr("Page %1").replace("%1", str(note.page)) + " · " + kinds[note.kind]
        if with_title:
            head = self._titles.get(note.document_id, "") + " · " + head
        lines = [head]
        if note.text:
            lines.append(_excerpt(note.text))
        if note.quote is not None and note.quote.exact and note.kind != "bookmark":
            lines.append("“" + _excerpt(note.quote.exact) + "”")
        return "\n".join(lines)

    def _fill(self) -> None:
        meeting = self.whole_meeting.isChecked()
        records = self._meeting if meeting else self._document
        words = search_words(self.search.text())

        def wanted(note: a.Annotation) -> bool:
            if not words:
                return True
            quote = note.quote.exact if note.quote is not None else ""
            return matches(words, search_key(note.text, quote))

        shown = sorted(
            (n for n in records if wanted(n)),
            key=lambda n: (n.document_id != self._document_id, n.document_id, n.page, n.stamp),
        )
        placed = [n for n in shown if not n.orphaned]
        orphans = [n for n in shown if n.orphaned]
        self.list.clear()
        for note in placed:
            item = QListWidgetItem(self._label(note, meeting), self.list)
            if note.document_id == self._document_id:
                item.setData(_PAGE, note.page - 1)
        if orphans:
            header = QListWidgetItem(self.tr("Not found in this version"), self.list)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            for note in orphans:
                QListWidgetItem(self._label(note, meeting), self.list)
        if shown or self._status.key is KeyStatus.PAIRING:
            self.empty.hide()  # pairing: its own words say what to do
        else:
            self.empty.setText(
                self.tr("Nothing matches your search.")
                if words
                else self.tr(
                    "Your highlights, ink, notes and bookmarks are listed here. "
                    "Only you can read them."
                )
            )
            self.empty.show()

    def orphan_count(self) -> int:
        return sum(1 for n in self._document if n.orphaned)

    def _clicked(self, item: QListWidgetItem) -> None:
        page = item.data(_PAGE)
        if isinstance(page, int):
            self.goTo.emit(page)

    # ------------------------------------------------------------------ pairing

    def set_status(self, status: SyncStatus) -> None:
        self._status = status
        pairing = status.key is KeyStatus.PAIRING
        for widget in (self.code_field, self.code_button):
            widget.setVisible(pairing)
        self.give_button.setVisible(status.key is KeyStatus.READY)
        if pairing:
            self.shown_code.hide()
        if pairing and status.wrong_code:
            self.show_code_error(
                self.tr("That code did not open your annotations. Type the code shown now.")
            )
        self._pairing_text()
        self._fill()

    def _pairing_text(self) -> None:
        status = self._status
        if status.key is KeyStatus.PAIRING:
            text = self.tr(
                "Your annotations are on another of your devices. On that device, open "
                "a document, choose Notes, then “Bring to another device”, and type the "
                "code it shows here."
            )
        elif status.key is KeyStatus.READY and status.unsent:
            text = self.tr(
                "%Ln annotation(s) to send when the room is in reach.", "", status.unsent
            )
        elif status.key is KeyStatus.READY:
            text = self.tr("Your annotations are kept on your devices, sealed.")
        else:
            text = self.tr("Your annotations are kept on this device until the room is in reach.")
        self.pairing_text.setText(text)

    def _enter(self) -> None:
        text = self.code_field.text().strip()
        if text:
            self.code_error.hide()
            self.codeEntered.emit(text)

    def show_code_error(self, text: str) -> None:
        self.code_error.setText(text)
        self.code_error.show()

    def show_code(self, code: str) -> None:
        """The code to type on the other device, shown until the panel closes."""
        self.shown_code.setText(
            self.tr("Type this code on your other device:") + "\n" + code.replace("-", " ")
        )
        self.shown_code.show()

    def show_give_error(self, text: str) -> None:
        self.shown_code.setText(text)
        self.shown_code.show()

    # ------------------------------------------------------------------ text

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search your annotations"))
        self.this_document.setText(self.tr("This document"))
        self.whole_meeting.setText(self.tr("This meeting"))
        self.code_field.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XX")
        self.code_button.setText(self.tr("Use this code"))
        self.give_button.setText(self.tr("Bring to another device"))
        self._pairing_text()
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
