"""What a reader shows, sent as a presentation: the page and the part of it in sight, once the
reader has been still for a moment — a swipe or a pinch is one presentation, not one per frame.
The console's presenter window (ui/console/presenter.py) and a delegate presenting from their
own reader (ui/delegate/follow.py) both send what :class:`ViewSender` says.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app import protocol as p
from ui.reader.window import ReaderWindow

#: How long the reader stays still before what it shows is sent (ms).
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


class ViewSender(QObject):
    """Says ``shown(page, region)`` (page from 1) when what ``reader`` shows has changed and
    held still for :data:`SETTLE_MS`; :meth:`send_now` says it at once (a presentation
    starting)."""

    shown = Signal(int, object)

    def __init__(self, reader: ReaderWindow) -> None:
        super().__init__(reader)
        self._reader = reader
        self._sent: tuple[int, p.Region] | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.send_now)
        view = reader.view
        reader.pageChanged.connect(self._moved)
        view.zoomChanged.connect(self._moved)
        view.horizontalScrollBar().valueChanged.connect(self._moved)
        view.verticalScrollBar().valueChanged.connect(self._moved)

    def _moved(self, *_args: object) -> None:
        self._settle.start()

    def stop(self) -> None:
        self._settle.stop()
        self._sent = None

    def send_now(self, *, again: bool = False) -> None:
        """Say what is in sight now, unless it was said already (``again``: say it anyway)."""
        reader = self._reader
        if reader.is_closed() or not reader.view.page_count():
            return
        shown = (reader.current_page() + 1, region_of(reader.view.visible_region()))
        if shown == self._sent and not again:
            return
        self._sent = shown
        self.shown.emit(*shown)
