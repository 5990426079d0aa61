"""Presenting a document to the hall from the console.

**Present** in the documents panel opens the document in a window of its own (on the
projector's screen, or beside the console): the reader, with a bar saying that the hall
follows it and a **Stop presenting** button. Every page turned, zoom and scroll is sent to the
room as ``present.show`` — the page and the part of it in sight — once the reader has been
still for a moment, so a swipe is one event and not fifty; the delegates' readers follow
(ui/delegate/follow.py). Closing the window stops the presentation.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import protocol as p
from ui.bridge import ClientBridge
from ui.console.panel import Requests
from ui.reader.window import ReaderWindow
from ui.theme import fix_window_minimum
from ui.widgets import errors

#: How long the reader stays still before what it shows is sent (ms): a page turned or a pinch
#: is one presentation, not one per frame.
SETTLE_MS = 150


def region_of(shares: tuple[float, float, float, float]) -> p.Region:
    """The wire's region (ten-thousandths, within the page) of shares of a page."""
    x, y, w, h = (min(max(round(v * 10_000), 0), 10_000) for v in shares)
    w, h = max(1, min(w, 10_000 - x)), max(1, min(h, 10_000 - y))
    if x + w > 10_000:
        x = 10_000 - w
    if y + h > 10_000:
        y = 10_000 - h
    return p.Region(x=x, y=y, w=w, h=h)


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
        self._sent: tuple[int, p.Region] | None = None
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
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.send_view)
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
        view = reader.view
        reader.pageChanged.connect(self._moved)
        view.zoomChanged.connect(self._moved)
        view.horizontalScrollBar().valueChanged.connect(self._moved)
        view.verticalScrollBar().valueChanged.connect(self._moved)
        self.status_label.setText(
            self.tr("Presenting to the hall: the delegates following see this page.")
        )
        self._moved()

    def _failed(self, exc: BaseException) -> None:
        self.status_label.setText(errors.describe_open_error(exc))

    def _moved(self, *_args: object) -> None:
        self._settle.start()

    def send_view(self) -> None:
        """Send what is in sight now, unless it was sent already."""
        reader = self.reader
        if reader is None or self._stopped or not reader.view.page_count():
            return
        shown = (reader.current_page() + 1, region_of(reader.view.visible_region()))
        if shown == self._sent:
            return
        self._sent = shown
        page, region = shown
        self._requests.send(
            p.PresentShow(id=0, document_id=self._doc.id, page=page, region=region),
            lambda: self.tr("Presenting page %1.").replace("%1", str(page)),
            receiver=self,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._stopped:
            self._stopped = True
            self._settle.stop()
            self._requests.send(
                p.PresentStop(id=0, meeting_id=self._doc.meeting_id),
                lambda: self.tr("The presentation has ended."),
                receiver=self._requests,  # answered after this window is gone
            )
            if self.reader is not None:
                self.reader.close_document()
            self.stopped.emit()
        super().closeEvent(event)
