"""The reader: one confidential document, as a delegate reads it on a tablet.

A top bar (close, title, search, contents, pages), the page (:mod:`ui.reader.pageview`) with
the contents or the thumbnails beside it, and a bottom bar (previous, page number, next,
zoom, fit width, whole page, dark pages). Every control is at least 44 px tall and the bars
fit a 10" tablet at 150 % scaling (850 logical pixels across).

The document lives in a render process (:mod:`ui.reader.renderer`) from construction to
:meth:`ReaderWindow.close_document`; the window keeps no copy of the PDF. What can happen to
it while it is read:

* **revised** (:meth:`ReaderWindow.show_revision`): the new version opens on the same page,
  a banner says which pages changed and their thumbnails say "Changed";
* **withdrawn** (:meth:`ReaderWindow.withdraw`): the pages go off the screen at once, the
  renderer stops, and a message says why until the delegate closes the reader;
* **renderer crashed**: a new one takes over, a banner says so, the page comes back;
* **cannot be shown** (damaged, locked, crashing the renderer again and again): a message.

Following a presenter (ui/delegate/follow.py drives it): :meth:`ReaderWindow.follow` shows the
page and region the presenter shows, and ``wandered`` says the delegate turned a page or
zoomed by their own hand; the presenter bar under the top bar says who presents and holds the
one-tap way back (``presenterRequested``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import msgspec
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIntValidator, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import annotations as a
from app import protocol as p
from app import render as r
from ui.reader.annotating import Annotator, Tool
from ui.reader.note_editor import NoteEditor
from ui.reader.notes_panel import NotesPanel
from ui.reader.outline import OutlineView
from ui.reader.pageview import Fit, PageView
from ui.reader.renderer import Picture, RenderClient
from ui.reader.search import SearchBar
from ui.reader.thumbnails import ThumbnailStrip
from ui.theme import fix_window_minimum
from ui.widgets.elided import ElidedLabel

#: How long the banner saying the renderer was restarted stays up.
RESTART_NOTICE_MS = 8000
SIDEBAR_WIDTH = 300
#: Below this width (logical px: a 10" tablet at 150 % is about 850 px) the contents or the
#: thumbnails leave room for the page again once one has chosen where to go.
NARROW_WIDTH = 960
#: Changed pages listed one by one in the revision banner, up to this many.
LISTED_CHANGES = 8


class ReaderWindow(QWidget):
    """See :mod:`ui.reader` for how to use it."""

    pageChanged = Signal(int)
    closed = Signal()
    #: The delegate turned the page or zoomed by their own hand (not :meth:`follow`).
    wandered = Signal()
    #: The presenter bar's button was tapped.
    presenterRequested = Signal()
    #: The delegate's annotated copy, watermarked (bytes of a PDF), for the app to save.
    exportReady = Signal(bytes)

    READING, MESSAGE = range(2)

    def __init__(
        self,
        title: str,
        pdf: bytes,
        watermark: str,
        initial_page: int = 0,
        parent: QWidget | None = None,
        *,
        changed_pages: Sequence[int] | None = None,
    ) -> None:
        """``changed_pages`` (from 0): the document is a revision of the version the delegate
        read last; it opens with those pages marked, as :meth:`show_revision` does."""
        super().__init__(parent)
        self.setObjectName("readerWindow")
        self._title = title
        self._watermark = watermark
        self._page = max(initial_page, 0)
        self._opening = "first" if changed_pages is None else "revision"
        self._changed: frozenset[int] = frozenset(changed_pages or ())
        self._message: tuple[str, str] | None = None  # (kind, extra text)
        self._closed = False
        self._banner_kind: str | None = None  # "revision" or "restart" while one is shown
        #: Where :meth:`follow` asked to go, kept until the document is open.
        self._target: tuple[int, tuple[float, float, float, float]] | None = None
        self._steering = False  # the page moves for follow(), not for the delegate
        self.client = RenderClient(self)

        # top bar ------------------------------------------------------------------------
        top = QFrame(self)
        top.setObjectName("readerBar")
        self.close_button = QPushButton(top)
        self.close_button.setObjectName("readerBarButton")
        self.title_label = ElidedLabel(top)
        self.title_label.setObjectName("readerTitle")
        self.title_label.setText(title)
        self.search_button = QPushButton(top)
        self.contents_button = QPushButton(top)
        self.pages_button = QPushButton(top)
        self._panels = QButtonGroup(self)
        self._panels.setExclusive(False)
        for button in (self.search_button, self.contents_button, self.pages_button):
            button.setObjectName("readerBarButton")
            button.setCheckable(True)
        self._panels.addButton(self.contents_button)
        self._panels.addButton(self.pages_button)
        top_row = QHBoxLayout(top)
        top_row.setContentsMargins(8, 6, 8, 6)
        top_row.setSpacing(6)
        top_row.addWidget(self.close_button)
        top_row.addWidget(self.title_label, 1)
        top_row.addWidget(self.search_button)
        top_row.addWidget(self.contents_button)
        top_row.addWidget(self.pages_button)
        self.notes_button = QPushButton(top)
        self.notes_button.setObjectName("readerBarButton")
        self.notes_button.setCheckable(True)
        self.notes_button.hide()
        self._panels.addButton(self.notes_button)
        top_row.addWidget(self.notes_button)

        # presenter bar (shown while a presenter presents) ----------------------------------
        self.presenter_bar = QFrame(self)
        self.presenter_bar.setObjectName("presenterBar")
        self.presenter_label = QLabel(self.presenter_bar)
        self.presenter_label.setObjectName("presenterText")
        self.presenter_label.setWordWrap(True)
        self.presenter_button = QPushButton(self.presenter_bar)
        self.presenter_button.setObjectName("primaryButton")
        self.presenter_button.setMinimumHeight(44)
        self.presenter_button.clicked.connect(self.presenterRequested)
        presenter_row = QHBoxLayout(self.presenter_bar)
        presenter_row.setContentsMargins(12, 6, 8, 6)
        presenter_row.addWidget(self.presenter_label, 1)
        presenter_row.addWidget(self.presenter_button)
        self.presenter_bar.hide()

        # annotation tools (shown once annotations are attached) ---------------------------
        self.tools_bar = QFrame(self)
        self.tools_bar.setObjectName("toolsBar")
        self.read_tool = QPushButton(self.tools_bar)
        self.highlight_tool = QPushButton(self.tools_bar)
        self.pen_tool = QPushButton(self.tools_bar)
        self.note_tool = QPushButton(self.tools_bar)
        self.bookmark_button = QPushButton(self.tools_bar)
        self._tools = QButtonGroup(self)
        for button, tool in (
            (self.read_tool, Tool.READ),
            (self.highlight_tool, Tool.HIGHLIGHT),
            (self.pen_tool, Tool.PEN),
            (self.note_tool, Tool.NOTE),
        ):
            button.setObjectName("toolButton")
            button.setCheckable(True)
            button.setProperty("tool", str(tool))
            self._tools.addButton(button)
        self.read_tool.setChecked(True)
        self.bookmark_button.setObjectName("toolButton")
        self.bookmark_button.setCheckable(True)
        self.export_button = QPushButton(self.tools_bar)
        self.export_button.setObjectName("toolButton")
        self.export_button.hide()
        tools_row = QHBoxLayout(self.tools_bar)
        tools_row.setContentsMargins(8, 4, 8, 4)
        tools_row.setSpacing(4)
        for button in (self.read_tool, self.highlight_tool, self.pen_tool, self.note_tool):
            tools_row.addWidget(button)
        tools_row.addStretch(1)
        tools_row.addWidget(self.export_button)
        tools_row.addWidget(self.bookmark_button)
        self.tools_bar.hide()
        self.note_editor = NoteEditor(self)
        self.notes = NotesPanel()
        self.annotator: Annotator | None = None
        self._meeting_notes: list[a.Annotation] = []
        self._titles: Mapping[int, str] = {}

        # banner, body -------------------------------------------------------------------
        self.banner = QLabel(self)
        self.banner.setObjectName("readerBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(self._hide_banner)

        self.view = PageView(self.client)
        self.search_bar = SearchBar(self.client, self.view)
        self.search_bar.hide()
        self.outline = OutlineView()
        self.thumbnails = ThumbnailStrip(self.client)
        self.sidebar = QStackedWidget()
        self.sidebar.setObjectName("readerSidebar")
        self.sidebar.addWidget(self.outline)
        self.sidebar.addWidget(self.thumbnails)
        self.sidebar.addWidget(self.notes)
        self.sidebar.setFixedWidth(SIDEBAR_WIDTH)
        self.sidebar.hide()
        reading = QWidget()
        reading_row = QHBoxLayout(reading)
        reading_row.setContentsMargins(0, 0, 0, 0)
        reading_row.setSpacing(0)
        reading_row.addWidget(self.sidebar)
        reading_row.addWidget(self.view, 1)

        message_page = QFrame()
        message_page.setObjectName("readerMessagePage")
        self.message_label = QLabel(message_page)
        self.message_label.setObjectName("readerMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_close = QPushButton(message_page)
        self.message_close.setObjectName("primaryButton")
        message_box = QVBoxLayout(message_page)
        message_box.setContentsMargins(40, 40, 40, 40)
        message_box.addStretch(1)
        message_box.addWidget(self.message_label)
        message_box.addSpacing(24)
        message_box.addWidget(self.message_close, 0, Qt.AlignmentFlag.AlignHCenter)
        message_box.addStretch(2)

        self.body = QStackedWidget(self)
        self.body.addWidget(reading)
        self.body.addWidget(message_page)

        # bottom bar ---------------------------------------------------------------------
        self.controls = QFrame(self)
        self.controls.setObjectName("readerControls")
        self.previous_button = QPushButton("‹", self.controls)
        self.next_button = QPushButton("›", self.controls)
        self.zoom_out_button = QPushButton("−", self.controls)
        self.zoom_in_button = QPushButton("+", self.controls)
        for button in (
            self.previous_button,
            self.next_button,
            self.zoom_out_button,
            self.zoom_in_button,
        ):
            button.setObjectName("iconButton")
            button.setFixedWidth(48)
        self.page_field = QLineEdit(self.controls)
        self.page_field.setObjectName("pageField")
        self.page_field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_field.setFixedWidth(68)
        self.page_validator = QIntValidator(1, 1, self.page_field)
        self.page_field.setValidator(self.page_validator)
        self.page_count_label = QLabel(self.controls)
        self.page_count_label.setObjectName("pageCount")
        self.changed_label = QLabel(self.controls)
        self.changed_label.setObjectName("changedPage")
        self.changed_label.hide()
        self.zoom_label = QLabel(self.controls)
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setMinimumWidth(64)
        self.fit_width_button = QPushButton(self.controls)
        self.fit_page_button = QPushButton(self.controls)
        self.dark_button = QPushButton(self.controls)
        for button in (self.fit_width_button, self.fit_page_button, self.dark_button):
            button.setObjectName("toolButton")
            button.setCheckable(True)
        bottom = QHBoxLayout(self.controls)
        bottom.setContentsMargins(8, 6, 8, 6)
        bottom.setSpacing(4)
        bottom.addWidget(self.previous_button)
        bottom.addWidget(self.page_field)
        bottom.addWidget(self.page_count_label)
        bottom.addWidget(self.next_button)
        bottom.addWidget(self.changed_label)
        bottom.addStretch(1)
        bottom.addWidget(self.zoom_out_button)
        bottom.addWidget(self.zoom_label)
        bottom.addWidget(self.zoom_in_button)
        bottom.addWidget(self.fit_width_button)
        bottom.addWidget(self.fit_page_button)
        bottom.addStretch(1)
        bottom.addWidget(self.dark_button)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(top)
        column.addWidget(self.presenter_bar)
        column.addWidget(self.tools_bar)
        column.addWidget(self.note_editor)
        column.addWidget(self.search_bar)
        column.addWidget(self.banner)
        column.addWidget(self.body, 1)
        column.addWidget(self.controls)

        # wiring -------------------------------------------------------------------------
        self.close_button.clicked.connect(self.close_document)
        self.message_close.clicked.connect(self.close_document)
        self.search_button.toggled.connect(self._toggle_search)
        self.search_bar.closed.connect(lambda: self.search_button.setChecked(False))
        self.contents_button.toggled.connect(lambda on: self._toggle_panel(self.outline, on))
        self.pages_button.toggled.connect(lambda on: self._toggle_panel(self.thumbnails, on))
        self.notes_button.toggled.connect(lambda on: self._toggle_panel(self.notes, on))
        self.notes.goTo.connect(self._go_to)
        self.previous_button.clicked.connect(self.view.previous_page)
        self.next_button.clicked.connect(self.view.next_page)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.fit_width_button.clicked.connect(lambda: self.view.set_fit(Fit.WIDTH))
        self.fit_page_button.clicked.connect(lambda: self.view.set_fit(Fit.PAGE))
        self.dark_button.toggled.connect(self._set_dark)
        self.page_field.returnPressed.connect(self._typed_page)
        self.view.pageChanged.connect(self._page_turned)
        self.view.zoomChanged.connect(self._show_zoom)
        for moved in (
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            moved.clicked.connect(self.wandered)
        self.thumbnails.pageRequested.connect(self._go_to)
        self.outline.jumpRequested.connect(self._jump)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(lambda: self.search_button.setChecked(True))

        client = self.client
        client.opened.connect(self._on_opened)
        client.failed.connect(self._on_failed)
        client.layout.connect(self._on_layout)
        client.outline.connect(self._on_outline)
        client.picture.connect(self._on_picture)
        client.pageFailed.connect(lambda failed: self.view.page_failed(failed.job))
        client.restarted.connect(self._on_restarted)
        client.gaveUp.connect(lambda: self._show_message("crashing"))

        self.setWindowTitle(title)
        if parent is None:
            fix_window_minimum(self, 640, 420)
        self.retranslate()
        self._show_zoom()
        self._enable(False)
        client.open(pdf, watermark, self._page)

    # ------------------------------------------------------------------ the API

    def current_page(self) -> int:
        """The page read now, from 0 (what ``pageChanged`` last said)."""
        return self._page

    def follow(self, page: int, region: tuple[float, float, float, float]) -> None:
        """Show what the presenter shows: ``page`` (from 0) with ``region`` (shares of the
        page's width and height: x, y, w, h) in view — once the document is open if it is not
        yet. Does not say ``wandered``."""
        self._target = (page, region)
        if self.view.page_count():
            self._steer()

    def _steer(self) -> None:
        target, self._target = self._target, None
        if target is None:
            return
        page, region = target
        self._steering = True
        try:
            self.view.show_region(page, *region)
        finally:
            self._steering = False

    # ------------------------------------------------------------------ annotations

    def attach_annotations(
        self,
        document: p.Document,
        records: list[a.Annotation],
        edit: Callable[[list[a.Annotation]], None],
    ) -> Annotator:
        """Let the delegate annotate: ``records`` are the document's, ``edit(records)`` keeps
        what is made or changed here. The tools and the Notes panel appear."""
        annotator = Annotator(self.view, self.client, edit, self)
        annotator.set_document(document, records)
        annotator.noteRequested.connect(self._edit_note)
        annotator.changed.connect(self._show_bookmark)
        annotator.changed.connect(self._list_annotations)
        self.note_editor.saved.connect(lambda note: annotator.keep([note]))
        self.note_editor.deleted.connect(
            lambda note: annotator.keep(
                [msgspec.structs.replace(note, deleted=True, quote=None, text="")]
            )
        )
        self.note_editor.closed.connect(annotator.note_closed)
        self._tools.buttonToggled.connect(self._tool_chosen)
        self.bookmark_button.clicked.connect(self._toggle_bookmark)
        self.export_button.clicked.connect(self._export)
        self.client.exported.connect(self._exported)
        self.annotator = annotator
        self.tools_bar.show()
        self.notes_button.show()
        return annotator

    def set_annotations(
        self,
        records: list[a.Annotation],
        meeting: list[a.Annotation],
        titles: Mapping[int, str],
    ) -> None:
        """The document's records and the meeting's changed (here or on another device)."""
        if self.annotator is None:
            return
        self._meeting_notes, self._titles = meeting, titles
        self.annotator.set_records(records)  # listed as it says it changed

    def _list_annotations(self) -> None:
        annotator = self.annotator
        if annotator is None or annotator.document is None:
            return
        doc = annotator.document.id
        mine = annotator.records
        meeting = [n for n in self._meeting_notes if n.document_id != doc] + mine
        self.notes.set_records(doc, mine, meeting, self._titles)

    def revise(self, document: p.Document, records: list[a.Annotation]) -> None:
        """The revised version about to be shown (:meth:`show_revision`) is ``document``."""
        if self.annotator is not None:
            self.annotator.set_document(document, records)

    def allow_export(self, on: bool) -> None:
        """Whether the delegate may save their annotated copy (the meeting allows it)."""
        self.export_button.setVisible(on and self.annotator is not None)

    def _export(self) -> None:
        if self.annotator is not None:
            self.export_button.setEnabled(False)  # until the copy is made
            self.client.export(self.annotator.export_notes())

    def _exported(self, data: bytes) -> None:
        self.export_button.setEnabled(True)
        self.exportReady.emit(data)

    def annotating(self) -> bool:
        """The delegate is writing on the page: a presenter must not move it now."""
        return self.annotator is not None and self.annotator.busy()

    def _tool_chosen(self, button: QPushButton, on: bool) -> None:
        if on and self.annotator is not None:
            self.annotator.set_tool(Tool(str(button.property("tool"))))

    def _toggle_bookmark(self) -> None:
        if self.annotator is not None:
            name = self.tr("Page %1").replace("%1", str(self._page + 1))
            self.annotator.toggle_bookmark(self._page, name)

    def _show_bookmark(self) -> None:
        marked = self.annotator is not None and self.annotator.bookmark(self._page) is not None
        self.bookmark_button.setChecked(marked)
        self.bookmark_button.setText(
            self.tr("Bookmarked") if marked else self.tr("Bookmark this page")
        )

    def _edit_note(self, note: a.Annotation) -> None:
        kept = self.annotator is not None and any(n.id == note.id for n in self.annotator.records)
        self.note_editor.edit(note, kept)

    def set_presenter_bar(self, text: str, button: str) -> None:
        """Say who presents what (``text``, empty: hide the bar), with ``button`` to tap (empty:
        none)."""
        self.presenter_bar.setVisible(bool(text))
        self.presenter_label.setText(text)
        self.presenter_button.setText(button)
        self.presenter_button.setVisible(bool(button))

    def show_revision(self, pdf: bytes, changed_pages: list[int]) -> None:
        """A revised version replaces the document: it opens on the page read now, and the
        pages in ``changed_pages`` (from 0) are marked as changed."""
        if self._closed or self._message is not None:
            return
        self._opening = "revision"
        self._changed = frozenset(changed_pages)
        self.client.open(pdf, self._watermark, self._page)

    def withdraw(self, reason: str = "") -> None:
        """The document was withdrawn: nothing of it stays on screen or in memory here, and a
        message (with ``reason``, if given) says so until the delegate closes the reader."""
        if self._closed:
            return
        self._show_message("withdrawn", reason)

    def close_document(self) -> None:
        """Stop the renderer, drop every image, and say ``closed()`` (once)."""
        if self._closed:
            return
        self._closed = True
        self._forget()
        self.closed.emit()
        if self.isWindow():
            self.close()

    def is_closed(self) -> bool:
        return self._closed

    def message_text(self) -> str:
        """What the message page says ("" while the document is shown)."""
        return self.message_label.text() if self.body.currentIndex() == self.MESSAGE else ""

    def banner_text(self) -> str:
        return self.banner.text() if self.banner.isVisibleTo(self) else ""

    # ------------------------------------------------------------------ renderer

    def _on_opened(self, opened: r.Opened) -> None:
        reason, self._opening = self._opening, "restart"
        self._enable(True)
        if reason == "restart":
            self.view.refresh()
            self.thumbnails.refresh()
            self.search_bar.restart()
            return
        self._page = min(self._page, opened.pages - 1)
        self.page_validator.setRange(1, opened.pages)
        self.page_count_label.setText(self.tr("of %1").replace("%1", str(opened.pages)))
        self._steering = True  # opening is not the delegate turning a page
        try:
            self.view.set_document(opened.pages, opened.size, self._page)
        finally:
            self._steering = False
        self.thumbnails.set_document(opened.pages, opened.size)
        self.thumbnails.set_changed(self._changed)
        self.thumbnails.set_current(self._page)
        self._page_changed(self._page)
        self._steer()  # a presenter being followed: their page, not the one read last
        if self.annotator is not None:
            self.annotator.place_again(sorted(self._changed), opened.pages)
        if reason == "revision":
            self._banner_timer.stop()
            self._show_banner("revision")
            self.search_bar.restart()
        self.view.setFocus()

    def _on_layout(self, layout: r.Layout) -> None:
        self.view.set_sizes(layout.sizes)
        self.thumbnails.set_sizes(layout.sizes)

    def _on_outline(self, outline: r.Outline) -> None:
        self.outline.set_entries(outline.entries)
        self.outline.show_page(self._page)

    def _on_picture(self, picture: Picture) -> None:
        if picture.lane == "thumbs":
            self.thumbnails.add_picture(picture)
        else:
            self.view.add_picture(picture)

    def _on_failed(self, failed: r.Failed) -> None:
        self._show_message(failed.reason)

    def _on_restarted(self) -> None:
        self._show_banner("restart")
        self._banner_timer.start(RESTART_NOTICE_MS)

    def _show_banner(self, kind: str) -> None:
        self._banner_kind = kind
        self.banner.setProperty("kind", "info" if kind == "revision" else "warning")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self._show_banner_text()
        self.banner.show()

    def _hide_banner(self) -> None:
        self._banner_kind = None
        self.banner.hide()

    def _show_banner_text(self) -> None:
        if self._banner_kind == "restart":
            self.banner.setText(
                self.tr(
                    "The page display stopped unexpectedly and has been restarted. "
                    "Nothing was lost."
                )
            )
            return
        if self._banner_kind != "revision":
            return
        pages = sorted(self._changed)
        if not pages:
            text = self.tr("A revised version of this document has arrived.")
        elif len(pages) == 1:
            text = self.tr("A revised version has arrived: page %1 changed.").replace(
                "%1", str(pages[0] + 1)
            )
        elif len(pages) <= LISTED_CHANGES:
            text = self.tr("A revised version has arrived: pages %1 changed.").replace(
                "%1", ", ".join(str(p + 1) for p in pages)
            )
        else:
            text = self.tr("A revised version has arrived: %1 pages changed.").replace(
                "%1", str(len(pages))
            )
        self.banner.setText(text)

    def _show_message(self, kind: str, extra: str = "") -> None:
        """Take the document off the screen for good and say why."""
        self._message = (kind, extra)
        self._forget()
        self._hide_banner()
        self.search_bar.hide()
        self.sidebar.hide()
        self.controls.hide()
        for button in (self.search_button, self.contents_button, self.pages_button):
            button.hide()
        self.body.setCurrentIndex(self.MESSAGE)
        self._show_message_text()

    def _forget(self) -> None:
        """Stop the renderer and drop what was drawn or read from the document: its pages,
        thumbnails, contents and search hits."""
        self.client.close()
        self.view.clear()
        self.thumbnails.set_document(0, (1.0, 1.0))
        self.outline.set_entries([])

    # ------------------------------------------------------------------ reading

    def _page_turned(self, page: int) -> None:
        self._page_changed(page)
        if not self._steering:
            self.wandered.emit()

    def _page_changed(self, page: int) -> None:
        self._page = page
        self.client.set_first_page(page)
        self.page_field.setText(str(page + 1))
        self.thumbnails.set_current(page)
        self.outline.show_page(page)
        self.changed_label.setVisible(page in self._changed)
        self._show_bookmark()
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < self.view.page_count())
        self.pageChanged.emit(page)

    def _typed_page(self) -> None:
        text = self.page_field.text()
        if text.isdigit():
            self._go_to(int(text) - 1)

    def _go_to(self, page: int) -> None:
        self.view.set_page(page)
        self.page_field.setText(str(self.view.page() + 1))
        self._chosen()

    def _jump(self, page: int, y: float) -> None:
        self.view.set_page(page, y)
        self._chosen()

    def _chosen(self) -> None:
        """A page was chosen in the page field, the thumbnails or the contents."""
        if self.width() < NARROW_WIDTH and self.sidebar.isVisible():
            self.contents_button.setChecked(False)
            self.pages_button.setChecked(False)
            self.notes_button.setChecked(False)
        self.view.setFocus()

    def _show_zoom(self) -> None:
        self.zoom_label.setText(f"{round(self.view.zoom() * 100)} %")
        self.fit_width_button.setChecked(self.view.fit() is Fit.WIDTH)
        self.fit_page_button.setChecked(self.view.fit() is Fit.PAGE)

    def _set_dark(self, dark: bool) -> None:
        self.view.set_dark(dark)
        self.thumbnails.set_dark(dark)

    def _toggle_search(self, on: bool) -> None:
        if on:
            self.search_bar.show()
            self.search_bar.field.setFocus()
            self.search_bar.field.selectAll()
        elif self.search_bar.isVisible():
            self.search_bar.dismiss()
            self.view.setFocus()

    def _toggle_panel(self, panel: QWidget, on: bool) -> None:
        buttons = {
            self.outline: self.contents_button,
            self.thumbnails: self.pages_button,
            self.notes: self.notes_button,
        }
        others = [b for w, b in buttons.items() if w is not panel]
        if on:
            for other in others:
                other.setChecked(False)
            self.sidebar.setCurrentWidget(panel)
            self.sidebar.show()
            if panel is self.outline:
                self.outline.show_page(self._page)
            elif panel is self.thumbnails:
                self.thumbnails.set_current(self._page, centre=True)
        elif not any(other.isChecked() for other in others):
            self.sidebar.hide()

    def _enable(self, on: bool) -> None:
        for widget in (
            self.search_button,
            self.contents_button,
            self.pages_button,
            self.previous_button,
            self.next_button,
            self.page_field,
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_width_button,
            self.fit_page_button,
            self.dark_button,
        ):
            widget.setEnabled(on)

    # ------------------------------------------------------------------ text

    def _show_message_text(self) -> None:
        if self._message is None:
            return
        kind, extra = self._message
        texts = {
            "withdrawn": self.tr("This document has been withdrawn by the secretariat."),
            "damaged": self.tr("This document cannot be opened: the file is damaged."),
            "locked": self.tr("This document cannot be opened: it is protected by a password."),
            "empty": self.tr("This document has no pages."),
            "crashing": self.tr(
                "This document cannot be displayed: the page display keeps stopping on it. "
                "Please tell the secretariat."
            ),
        }
        text = texts[kind]
        self.message_label.setText(f"{text}\n\n{extra}" if extra else text)

    def retranslate(self) -> None:
        self.close_button.setText("‹  " + self.tr("Close"))
        self.search_button.setText(self.tr("Search"))
        self.contents_button.setText(self.tr("Contents"))
        self.pages_button.setText(self.tr("Pages"))
        self.notes_button.setText(self.tr("Notes"))
        self.read_tool.setText(self.tr("Read"))
        self.highlight_tool.setText(self.tr("Highlight"))
        self.pen_tool.setText(self.tr("Pen"))
        self.note_tool.setText(self.tr("Note"))
        self.export_button.setText(self.tr("Save my annotated copy…"))
        self._show_bookmark()
        self.previous_button.setToolTip(self.tr("Previous page"))
        self.next_button.setToolTip(self.tr("Next page"))
        self.page_field.setToolTip(self.tr("Type a page number to go to it"))
        self.zoom_in_button.setToolTip(self.tr("Zoom in"))
        self.zoom_out_button.setToolTip(self.tr("Zoom out"))
        self.fit_width_button.setText(self.tr("Fit width"))
        self.fit_page_button.setText(self.tr("Whole page"))
        self.dark_button.setText(self.tr("Dark pages"))
        self.changed_label.setText(self.tr("Changed"))
        self.changed_label.setToolTip(self.tr("This page changed in the revised version"))
        self.message_close.setText(self.tr("Close"))
        if self.view.page_count():
            self.page_count_label.setText(
                self.tr("of %1").replace("%1", str(self.view.page_count()))
            )
        self._show_banner_text()
        self._show_message_text()

    # ------------------------------------------------------------------ events

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_document()
        super().closeEvent(event)
