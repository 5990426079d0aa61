"""Search over the whole document: a bar with the query, the hits found, and next / previous.

The render process searches every page (from the page shown onwards, then round), counting
the hits of each page and reporting pages as it goes, so the first hits are there at once in a
book that takes seconds to search. The page shown gets the boxes of its hits
(:class:`~app.render.Locate`) and the view paints them; next and previous go through the hits
in document order, across pages, round from the last to the first.

Typing searches by itself after a pause; the first hit found (at or after the page shown) is
shown at once, as in a browser. Case never matters, and a query typed without diacritics
ignores them ("nghi quyet" finds "Nghị quyết"), for tablets without Vietnamese input.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app import render as r
from ui.reader.pageview import PageView
from ui.reader.renderer import RenderClient

#: The pause after the last key typed before searching.
TYPING_PAUSE_MS = 350


class SearchResults:
    """The hits of one query, counted per page as they are reported."""

    def __init__(self, query: str, pages: int) -> None:
        self.query = query
        self.pages = pages
        self.counts: dict[int, int] = {}
        self._order: list[int] = []  # pages with hits, sorted
        self.searched = 0
        self.done = False

    def add(self, page: int, count: int) -> None:
        if page not in self.counts:
            bisect.insort(self._order, page)
        self.counts[page] = count

    def total(self) -> int:
        return sum(self.counts.values())

    def ordinal(self, page: int, index: int) -> int:
        """The hit's number, from 1, among those known."""
        before = self._order[: bisect.bisect_left(self._order, page)]
        return sum(self.counts[p] for p in before) + index + 1

    def after(self, page: int, index: int | None) -> tuple[int, int] | None:
        """The hit after hit ``index`` of ``page`` (after the page's top for ``None``),
        round to the first."""
        if not self._order:
            return None
        if index is not None and index + 1 < self.counts.get(page, 0):
            return page, index + 1
        at = (
            bisect.bisect_right(self._order, page)
            if index is not None
            else bisect.bisect_left(self._order, page)
        )
        return (self._order[at % len(self._order)], 0)

    def before(self, page: int, index: int | None) -> tuple[int, int] | None:
        """The hit before hit ``index`` of ``page`` (before the page for ``None``), round to
        the last."""
        if not self._order:
            return None
        if index is not None and index > 0:
            return page, index - 1
        at = bisect.bisect_left(self._order, page) - 1
        previous = self._order[at % len(self._order)]
        return previous, self.counts[previous] - 1


class SearchBar(QFrame):
    """The search bar; ``closed()`` when it is dismissed (the hits go with it)."""

    closed = Signal()

    def __init__(self, client: RenderClient, view: PageView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBar")
        self._client = client
        self._view = view
        self._results: SearchResults | None = None
        self._current: tuple[int, int] | None = None  # (page, index) of the hit shown
        self._jump_to_first = False
        self.field = QLineEdit(self)
        self.field.setObjectName("searchEdit")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.previous_button = QPushButton("‹", self)
        self.next_button = QPushButton("›", self)
        for button in (self.previous_button, self.next_button):
            button.setObjectName("iconButton")
            button.setFixedWidth(52)
        self.status = QLabel(self)
        self.status.setObjectName("searchStatus")
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("linkButton")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.setSpacing(8)
        row.addWidget(self.field, 1)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(self.status)
        row.addWidget(self.close_button)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._start)
        self.field.textEdited.connect(lambda _: self._typing.start())
        self.field.returnPressed.connect(self._enter)
        self.next_button.clicked.connect(self.next_hit)
        self.previous_button.clicked.connect(self.previous_hit)
        self.close_button.clicked.connect(self.dismiss)
        client.hits.connect(self._on_hits)
        client.progress.connect(self._on_progress)
        client.boxes.connect(self._on_boxes)
        view.pageChanged.connect(self._on_page)
        self.retranslate()

    # ------------------------------------------------------------------ searching

    def search(self, query: str) -> None:
        """Search for ``query`` now (what typing does after a pause)."""
        self.field.setText(query)
        self._start()

    def _start(self) -> None:
        self._typing.stop()
        query = self.field.text().strip()
        if self._results is not None and query == self._results.query:
            return
        self._current = None
        self._view.set_hits([], None)
        if not query:
            self._results = None
            self._client.search("", 0)
        else:
            self._results = SearchResults(query, self._view.page_count())
            self._jump_to_first = True
            self._client.search(query, self._view.page())
        self._show_status()

    def restart(self) -> None:
        """Search again from scratch (a revised document, a new renderer)."""
        query = self._results.query if self._results is not None else ""
        self._results = None
        if query:
            self.search(query)

    def results(self) -> SearchResults | None:
        return self._results

    def current(self) -> tuple[int, int] | None:
        return self._current

    def _enter(self) -> None:
        if self._typing.isActive() or self._results is None:
            self._start()
        else:
            self.next_hit()

    def _on_hits(self, hits: r.SearchHits) -> None:
        results = self._results
        if results is None or hits.query != results.query:
            return
        results.add(hits.page, hits.count)
        if self._jump_to_first:
            self._jump_to_first = False
            self._go(results.after(self._view.page(), None))
        elif hits.page == self._view.page():
            self._client.locate(results.query, hits.page)
        self._show_status()

    def _on_progress(self, progress: r.SearchProgress) -> None:
        results = self._results
        if results is None or progress.query != results.query:
            return
        results.searched, results.done = progress.searched, progress.done
        if progress.done:
            self._jump_to_first = False
        self._show_status()

    def _on_boxes(self, boxes: r.HitBoxes) -> None:
        results = self._results
        if results is None or boxes.query != results.query or boxes.page != self._view.page():
            return
        index = self._current[1] if self._current and self._current[0] == boxes.page else None
        self._view.set_hits(boxes.hits, index)

    def _on_page(self, page: int) -> None:
        """Another page is shown: its hits, if it has any, are asked for."""
        results = self._results
        if self._current is not None and self._current[0] != page:
            self._current = None
        if results is not None and page in results.counts:
            self._client.locate(results.query, page)
        self._show_status()

    # ------------------------------------------------------------------ moving

    def next_hit(self) -> None:
        if self._results is not None:
            self._go(self._results.after(*self._from()))

    def previous_hit(self) -> None:
        if self._results is not None:
            self._go(self._results.before(*self._from()))

    def _from(self) -> tuple[int, int | None]:
        if self._current is not None:
            return self._current
        return self._view.page(), None

    def _go(self, target: tuple[int, int] | None) -> None:
        if target is None or self._results is None:
            return
        self._current = target
        page, index = target
        if page == self._view.page() and self._view.hits():
            self._view.set_hits(self._view.hits(), index)
        elif page == self._view.page():
            self._client.locate(self._results.query, page)
        else:
            self._view.set_page(page)
        self._show_status()

    def dismiss(self) -> None:
        self._typing.stop()
        if self._results is not None:
            self._client.search("", 0)
        self._results = None
        self._current = None
        self._view.set_hits([], None)
        self.field.clear()
        self.hide()
        self.closed.emit()

    # ------------------------------------------------------------------ text

    def status_text(self) -> str:
        return self.status.text()

    def _show_status(self) -> None:
        results = self._results
        has_hits = results is not None and bool(results.counts)
        self.previous_button.setEnabled(has_hits)
        self.next_button.setEnabled(has_hits)
        if results is None:
            self.status.setText("")
            return
        total = results.total()
        if self._current is not None and total:
            text = self.tr("Hit %1 of %2").replace("%1", str(results.ordinal(*self._current)))
            text = text.replace("%2", str(total))
        elif total == 1:
            text = self.tr("1 hit")
        elif total:
            text = self.tr("%1 hits").replace("%1", str(total))
        elif results.done:
            text = self.tr("Not found")
        else:
            text = ""
        if not results.done:
            share = str(results.searched * 100 // max(results.pages, 1))
            if text:
                text = self.tr("%1 · searching… %2 %").replace("%1", text).replace("%2", share)
            else:
                text = self.tr("Searching… %1 %").replace("%1", share)
        self.status.setText(text)

    def retranslate(self) -> None:
        self.field.setPlaceholderText(self.tr("Search in the document"))
        self.previous_button.setToolTip(self.tr("Previous hit"))
        self.next_button.setToolTip(self.tr("Next hit"))
        self.close_button.setText(self.tr("Done"))
        self._show_status()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.dismiss()
                return True
            if event.key() == Qt.Key.Key_Return and event.modifiers() & (
                Qt.KeyboardModifier.ShiftModifier
            ):
                self.previous_hit()
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
