"""Presenting a document to the hall from the console.

**Present** in the documents panel opens the document in a window of its own (on the
projector's screen, or beside the console): the reader, with a bar saying that the hall
follows it and a **Stop presenting** button. Every page turned, zoom and scroll is sent to the
room as ``present.show`` — the page and the part of it in sight — once the reader has been
still for a moment (ui/reader/showing.py); the delegates' readers follow
(ui/delegate/follow.py). Closing the window stops the presentation.

**Presenter…** gives a delegate the presenter role for the selected agenda item (or takes it
back): they may then present its documents from their own tablet.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from ui.bridge import ClientBridge
from ui.console.delegate_picker import DelegatePicker, delegate_line
from ui.console.panel import Requests
from ui.reader.showing import ViewSender
from ui.reader.window import ReaderWindow
from ui.theme import fix_window_minimum
from ui.widgets import errors


class PresenterWindow(QWidget):
    """The document presented, in a window of its own; ``stopped`` once it is closed."""

    stopped = Signal()

    def __init__(
        self, requests: Requests, bridge: ClientBridge, doc: p.Document, watermark: str
    ) -> None:
        super().__init__(None)
        self.setObjectName("presenterWindow")
        self._requests = requests
        self._doc = doc
        self._watermark = watermark
        self._stopped = False
        self.reader: ReaderWindow | None = None
        self.setWindowTitle(doc.title)
        bar = QFrame(self)
        bar.setObjectName("presenterBar")
        self.status_label = QLabel(bar)
        self.status_label.setObjectName("presenterText")
        self.status_label.setWordWrap(True)
        self.stop_button = QPushButton(bar)
        self.stop_button.setObjectName("dangerButton")
        self.stop_button.setMinimumHeight(44)
        self.stop_button.clicked.connect(self.close)
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 6, 8, 6)
        row.addWidget(self.status_label, 1)
        row.addWidget(self.stop_button)
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(bar)
        self._sender: ViewSender | None = None
        self.retranslate()
        fix_window_minimum(self, 640, 480)
        self.resize(1100, 800)
        self.status_label.setText(self.tr("Opening “%1”…").replace("%1", doc.title))
        bridge.open_document(doc, self._opened, self._failed, receiver=self)

    def retranslate(self) -> None:
        self.stop_button.setText(self.tr("Stop presenting"))

    def _opened(self, pdf: bytes) -> None:
        if self._stopped:
            return
        reader = ReaderWindow(self._doc.title, pdf, self._watermark, 0, self)
        reader.close_button.hide()  # the window's own Stop presenting closes it
        self._column.addWidget(reader, 1)
        self.reader = reader
        self._sender = ViewSender(reader)
        self._sender.shown.connect(self._send)
        self.status_label.setText(
            self.tr("Presenting to the hall: the delegates following see this page.")
        )

    def _failed(self, exc: BaseException) -> None:
        self.status_label.setText(errors.describe_open_error(exc))

    def _send(self, page: int, region: p.Region) -> None:
        if self._stopped:
            return
        self._requests.send(
            p.PresentShow(id=0, document_id=self._doc.id, page=page, region=region),
            lambda: self.tr("Presenting page %1.").replace("%1", str(page)),
            receiver=self,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._stopped:
            self._stopped = True
            if self._sender is not None:
                self._sender.stop()
            self._requests.send(
                p.PresentStop(id=0, meeting_id=self._doc.meeting_id),
                lambda: self.tr("The presentation has ended."),
                receiver=self._requests,  # answered after this window is gone
            )
            if self.reader is not None:
                self.reader.close_document()
            self.stopped.emit()
        super().closeEvent(event)


class PresenterRoleDialog(QDialog):
    """Who presents ``item``'s documents besides the secretariat: one delegate, found by typing,
    or nobody (``delegate_id`` then ``None``)."""

    def __init__(
        self,
        parent: QWidget | None,
        item: p.AgendaItem,
        delegates: Iterable[p.Delegate],
        current: p.Delegate | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Presenter of an agenda item"))
        self._take_back = False
        text = QLabel(
            self.tr(
                "Who may present the documents of “%1” to the hall from their own tablet? "
                "The secretariat always may."
            ).replace("%1", item.title),
            self,
        )
        text.setObjectName("confirmText")
        text.setWordWrap(True)
        now = QLabel(
            self.tr("Presenter now: %1").replace("%1", delegate_line(current))
            if current is not None
            else self.tr("No delegate presents this item now."),
            self,
        )
        now.setObjectName("voteHint")
        now.setWordWrap(True)
        self.ok_button = QPushButton(self.tr("Give the role"), self)
        self.ok_button.setObjectName("primaryButton")
        self.ok_button.setMinimumHeight(48)
        self.ok_button.setEnabled(False)
        self.ok_button.clicked.connect(self.accept)
        self.picker = DelegatePicker(delegates, self)
        self.picker.picked.connect(lambda chosen: self.ok_button.setEnabled(chosen is not None))
        self.take_back_button = QPushButton(self.tr("Take the role back"), self)
        self.take_back_button.setObjectName("dangerButton")
        self.take_back_button.setMinimumHeight(48)
        self.take_back_button.setVisible(current is not None)
        self.take_back_button.clicked.connect(self._taken_back)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.setMinimumHeight(48)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.take_back_button)
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.ok_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(12)
        box.addWidget(text)
        box.addWidget(now)
        box.addWidget(self.picker, 1)
        box.addLayout(row)
        fix_window_minimum(self, 560, 520)
        self.resize(620, 600)
        self.picker.search_edit.setFocus()

    def _taken_back(self) -> None:
        self._take_back = True
        self.accept()

    def delegate_id(self) -> int | None:
        """The delegate chosen, or ``None`` to take the role back."""
        return None if self._take_back else self.picker.selected_id()
