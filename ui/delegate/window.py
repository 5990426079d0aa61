"""The delegate's main window: where the meeting is, and what each agenda item is about.

The window is built from a :class:`~ui.bridge.ClientBridge` and the device identity, nothing
else, so a test can drive it with a real client on loopback without going through ``main()``.
It draws the bridge's current model immediately — the last state stored on the device — so the
agenda is on screen, marked offline, before the room has even been reached.

Each part redraws only for the areas of the room state it shows (:class:`~ui.areas.AreaRouter`):
the header for the room and its meeting, the "now" banner and the agenda also for the agenda.
The agenda moving on leaves the header alone, and the agenda's rows are rebuilt only when the
agenda changed or another meeting is shown.

The banner on top says what is being discussed. It is live (yellow, "NOW") only while the
device is online; otherwise it says the item is the *last known* one, in a grey that reads as
not live, with how long ago the agenda was last synced, counting on while the room is away.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app import voting
from app.bundle import BundleHeader
from app.codes import CodeError
from app.docsync import Progress
from app.fileio import atomic_write
from app.state import Area, RoomView
from ui import reader as reader_process
from ui.areas import AreaRouter
from ui.bridge import ClientBridge
from ui.delegate.ballot import BallotScreen
from ui.delegate.follow import Follower
from ui.i18n import Translations
from ui.reader import ReaderWindow
from ui.theme import fix_window_minimum
from ui.widgets import about, errors
from ui.widgets.agenda import AgendaItemDetail, AgendaView, planned_text
from ui.widgets.documents import DocumentsBar
from ui.widgets.elided import ElidedLabel
from ui.widgets.header import Header
from ui.widgets.poll_words import clock, outcome_text
from ui.widgets.status import StatusIndicator, sync_age_text

if TYPE_CHECKING:
    from app.profile import Identity

#: How often the "last synced … ago" of the banner is brought up to date while not online.
AGE_REFRESH_MS = 10_000

#: How long a notice (a document that did not open) stays on screen.
NOTICE_MS = 10_000

#: Below this width (logical px) the agenda fills the window and an item's detail opens as its
#: own page: a 10" 1280x800 tablet at 150 % scaling is about 850 px wide.
NARROW_WIDTH = 960


class DelegateWindow(QMainWindow):
    """Header (room, meeting, delegate, connection), "now" bar, agenda list and item detail.

    What tests read: :attr:`agenda_view` (``current_item_id()``, ``selected_item_id()``),
    :attr:`status_indicator` (``status()``, ``sync_text()``), :attr:`detail`,
    :meth:`meeting_title`, :meth:`now_text`.
    """

    EMPTY, AGENDA, DETAIL = range(3)

    def __init__(
        self,
        bridge: ClientBridge,
        identity: Identity,
        translations: Translations | None = None,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("delegateWindow")
        self._bridge = bridge
        self._identity = identity
        self._model: RoomView = bridge.model
        self._fatal: tuple[str, str] | None = None
        self._clock = clock
        self._status = bridge.status
        self._last_sync = bridge.last_sync

        # The agenda screen, and the reader in its place while a document is open.
        self.screens = QStackedWidget(self)
        self.setCentralWidget(self.screens)
        central = QWidget(self.screens)
        central.setObjectName("central")
        self.screens.addWidget(central)
        self._agenda_screen = central
        self.ballot = BallotScreen(bridge, self.screens, clock=clock)
        self.screens.addWidget(self.ballot)
        self.ballot.backRequested.connect(self.close_ballot)
        self.ballot.checkInRequested.connect(self.check_in)
        self.ballot.castRecorded.connect(self._show_vote_bar)
        #: Polls seen open, so a poll's opening brings the ballot on screen once, not again.
        self._seen_open: set[int] = set()
        self.reader: ReaderWindow | None = None
        self._kiosk = False
        self._reader_doc: p.Document | None = None
        self._opening: int | None = None
        self._render_ready = False

        # header -------------------------------------------------------------------------
        header = Header(translations, central)
        self.room_label = ElidedLabel(header)
        self.room_label.setObjectName("headerRoom")
        self.room_label.setProperty("big", True)
        self.title_label = QLabel(header)
        self.title_label.setObjectName("headerTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.who_name = ElidedLabel(header)
        self.who_name.setObjectName("headerWho")
        self.who_name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.who_detail = ElidedLabel(header)
        self.who_detail.setObjectName("headerWhoDetail")
        self.who_detail.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label in (self.who_name, self.who_detail):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.who_name)
        who.addWidget(self.who_detail)
        self.status_indicator = StatusIndicator(header)
        self.language_switch = header.language_switch
        # The app's few commands that are not about the meeting on screen.
        self.menu_button = QToolButton(header)
        self.menu_button.setObjectName("menuButton")
        self.menu_button.setText("⋯")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.menu_button)
        self.import_action = menu.addAction("")
        self.import_action.triggered.connect(self.choose_bundle)
        self.about_action = about.add_action(menu, "hemicycle")
        self.menu_button.setMenu(menu)
        # Row 1: where and who (room, delegate, connection, language); row 2: the meeting
        # title on the full width, so a long Vietnamese title does not wrap into a column.
        header.add_title(self.room_label)
        header.add_side(who)
        header.add_side(self.status_indicator)
        header.add_side(self.menu_button)
        header.add_below(self.title_label)

        # banners ------------------------------------------------------------------------
        self.fatal_banner = QLabel(central)
        self.fatal_banner.setObjectName("fatalBanner")
        self.fatal_banner.setWordWrap(True)
        self.fatal_banner.hide()
        self.now_bar = QPushButton(central)
        self.now_bar.setObjectName("nowBar")
        self.now_bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.now_bar.clicked.connect(self._show_current)
        self._now_label = ElidedLabel(self.now_bar)
        self._now_label.setObjectName("nowBarText")
        self._now_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._age_label = QLabel(self.now_bar)  # "Not live · last synced 4 min ago"
        self._age_label.setObjectName("nowBarAge")
        self._age_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        now_box = QHBoxLayout(self.now_bar)
        now_box.setContentsMargins(20, 0, 20, 0)
        now_box.setSpacing(16)
        now_box.addWidget(self._now_label, 1)
        now_box.addWidget(self._age_label, 0, Qt.AlignmentFlag.AlignVCenter)
        self.age_timer = QTimer(self)
        self.age_timer.setInterval(AGE_REFRESH_MS)
        self.age_timer.timeout.connect(self._show_now)
        # A vote: open (tap to vote, time left) or its result; and the check-in for the meeting.
        self.vote_bar = QPushButton(central)
        self.vote_bar.setObjectName("voteBar")
        self.vote_bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.vote_bar.clicked.connect(self.show_ballot)
        self.vote_bar.hide()
        self.vote_timer = QTimer(self)
        self.vote_timer.setInterval(1000)
        self.vote_timer.timeout.connect(self._show_vote_bar)
        self.check_in_bar = QFrame(central)
        self.check_in_bar.setObjectName("checkInBar")
        self.check_in_text = QLabel(self.check_in_bar)
        self.check_in_text.setObjectName("checkInText")
        self.check_in_text.setWordWrap(True)
        self.check_in_button = QPushButton(self.check_in_bar)
        self.check_in_button.setObjectName("primaryButton")
        self.check_in_button.clicked.connect(self.check_in)
        check_in_box = QHBoxLayout(self.check_in_bar)
        check_in_box.setContentsMargins(20, 8, 20, 8)
        check_in_box.addWidget(self.check_in_text, 1)
        check_in_box.addWidget(self.check_in_button)
        self.check_in_bar.hide()
        self._checking_in = False
        self.follower = Follower(
            central,
            self.open_document,
            lambda: (self.reader, self._reader_doc),
            lambda: (
                self.is_ballot_shown() or (self.reader is not None and self.reader.annotating())
            ),
            me=identity.delegate.id if identity.delegate is not None else None,
            send=lambda msg, refused: bridge.request(msg, on_error=refused, receiver=self),
        )
        self.follower.refused.connect(
            lambda exc: self.show_notice(errors.describe_request_error(exc))
        )
        self.documents_bar = DocumentsBar(central)
        self.notice = QLabel(central)  # why a document did not open
        self.notice.setObjectName("noticeBanner")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.notice_timer = QTimer(self)
        self.notice_timer.setSingleShot(True)
        self.notice_timer.setInterval(NOTICE_MS)
        self.notice_timer.timeout.connect(self.notice.hide)

        # body ---------------------------------------------------------------------------
        self.body = QStackedWidget(central)
        self.empty_label = QLabel(self.body)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.agenda_view = AgendaView()
        self.detail = AgendaItemDetail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("agendaSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        agenda_panel = QFrame()
        agenda_panel.setObjectName("panel")
        panel_box = QVBoxLayout(agenda_panel)
        panel_box.setContentsMargins(0, 0, 0, 0)
        self.agenda_heading = QLabel(agenda_panel)
        self.agenda_heading.setObjectName("panelHeading")
        panel_box.addWidget(self.agenda_heading)
        panel_box.addWidget(self.agenda_view, 1)
        self.detail_panel = QFrame()
        self.detail_panel.setObjectName("panel")
        detail_box = QVBoxLayout(self.detail_panel)
        detail_box.setContentsMargins(0, 0, 0, 0)
        detail_box.addWidget(self.detail)
        self.splitter.addWidget(agenda_panel)
        self.splitter.addWidget(self.detail_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # Narrow screens: the agenda takes the whole body; tapping an item opens its detail
        # as a page of its own with a way back (list -> detail, as on a phone).
        detail_page = QFrame()
        detail_page.setObjectName("panel")
        self.back_button = QPushButton(detail_page)
        self.back_button.setObjectName("linkButton")
        self.back_button.clicked.connect(self.show_agenda)
        self.narrow_detail = AgendaItemDetail()
        page_box = QVBoxLayout(detail_page)
        page_box.setContentsMargins(8, 4, 0, 0)
        page_box.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        page_box.addWidget(self.narrow_detail, 1)
        self.body.addWidget(self.empty_label)
        self.body.addWidget(self.splitter)
        self.body.addWidget(detail_page)
        body_holder = QWidget(central)
        holder_box = QVBoxLayout(body_holder)
        holder_box.setContentsMargins(16, 12, 16, 16)
        holder_box.addWidget(self.body)

        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(header)
        column.addWidget(self.fatal_banner)
        column.addWidget(self.now_bar)
        column.addWidget(self.vote_bar)
        column.addWidget(self.follower.bar)
        column.addWidget(self.check_in_bar)
        column.addWidget(self.documents_bar)
        column.addWidget(self.notice)
        column.addWidget(body_holder, 1)

        self.agenda_view.itemSelected.connect(self._item_selected)
        self.agenda_view.clicked.connect(self._item_tapped)
        self._narrow = False
        self._router = AreaRouter()
        self._router.route(Area.ROOM | Area.MEETINGS, lambda *_: self._show_header())
        self._router.route(Area.ROOM | Area.MEETINGS | Area.AGENDA, self._show_agenda)
        self._router.route(Area.ROOM | Area.MEETINGS | Area.AGENDA, lambda *_: self._show_now())
        self._router.route(Area.ROOM | Area.MEETINGS | Area.VOTES, lambda *_: self._show_votes())
        self._router.route(Area.DOCUMENTS, lambda *_: self._item_selected(self._selected()))
        self._router.route(Area.DOCUMENTS | Area.MEETINGS, lambda *_: self._follow_reader())
        self._router.route(
            Area.PRESENTING | Area.DOCUMENTS | Area.ROOM | Area.MEETINGS,
            lambda model, *_: self.follower.show(model),
        )
        bridge.stateChanged.connect(self.show_model)
        bridge.statusChanged.connect(self.status_indicator.set_status)
        bridge.statusChanged.connect(self._status_changed)
        bridge.documentsChanged.connect(self._documents_changed)
        bridge.annotationsChanged.connect(self._annotations_changed)
        bridge.annotationStatus.connect(self._annotation_status)
        for detail in (self.detail, self.narrow_detail):
            detail.openRequested.connect(self.open_document)
        bridge.fatal.connect(self._on_fatal)
        self.status_indicator.set_status(bridge.status, bridge.last_sync)
        fix_window_minimum(self, 640, 420)
        self.resize(1280, 800)
        self.retranslate()
        self.show_model(bridge.model, Area.ALL)

    # ------------------------------------------------------------------ state

    def show_model(self, model: RoomView, areas: Area) -> None:
        """Take a room state from the bridge; redraw the parts that show ``areas`` of it."""
        self._model = model
        self._router.dispatch(model, areas)

    def _show_agenda(self, model: RoomView, areas: Area) -> None:
        """The agenda and the item detail; the rows are rebuilt only if the agenda changed or
        another meeting (or none) is shown."""
        meeting = model.active_meeting
        meeting_id = meeting.id if meeting is not None else None
        if areas & Area.AGENDA or meeting_id != self.agenda_view.meeting_id():
            self.agenda_view.set_model(model, meeting_id)
        if meeting is None:
            self.body.setCurrentIndex(self.EMPTY)
        elif self.body.currentIndex() == self.EMPTY:
            self.body.setCurrentIndex(self.AGENDA)
        self._item_selected(self.agenda_view.selected_item_id())

    def model(self) -> RoomView:
        return self._model

    def meeting_title(self) -> str:
        return self.title_label.text()

    def now_text(self) -> str:
        return self._now_label.text() if self.now_bar.isVisible() else ""

    def age_text(self) -> str:
        """The banner's "Not live · last synced … ago" ("" while live)."""
        return self._age_label.text() if self._age_label.isVisibleTo(self) else ""

    def is_live(self) -> bool:
        """Whether the banner shows the current item as live (the device is online)."""
        return self._status == "online"

    def _status_changed(self, status: str, last_sync: float | None) -> None:
        self._status = status
        self._last_sync = last_sync
        self._show_now()
        self._show_check_in()
        self._documents_changed(self._bridge.documents)

    def _documents_changed(self, progress: Progress) -> None:
        if progress.keyed and not self._render_ready:
            self._get_renderer_ready()
        self.documents_bar.set_progress(progress)
        for detail in (self.detail, self.narrow_detail):
            detail.set_document_state(progress, self._bridge.reading, self.is_live())
        self._follow_reader()

    def _selected(self) -> int | None:
        return self.agenda_view.selected_item_id()

    # ------------------------------------------------------------------ reading

    def _get_renderer_ready(self) -> None:
        """Once the device can read a document, a render process waits warm for it, so the
        first page shows without waiting for Python and MuPDF to start (DESIGN.md §8); it is
        stopped as the application quits."""
        self._render_ready = True
        reader_process.prepare()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(reader_process.shutdown)

    def watermark_text(self) -> str:
        """What every page on screen carries: who this device belongs to."""
        delegate = self._identity.delegate
        if delegate is not None:
            return f"{delegate.full_name} · {delegate.number}"
        return self.tr("Device no. %1").replace("%1", str(self._identity.device_id))

    def open_document(self, doc: p.Document) -> None:
        """Decrypt the document (off the GUI thread) and read it in place of the agenda."""
        if self.reader is not None or self._opening is not None:
            return
        self._opening = doc.id

        def opened(pdf: bytes) -> None:
            self._opening = None
            self._show_reader(doc, pdf)

        def failed(exc: BaseException) -> None:
            self._opening = None
            self.show_notice(errors.describe_open_error(exc))

        self._bridge.open_document(doc, opened, failed, receiver=self)

    def _show_reader(self, doc: p.Document, pdf: bytes) -> None:
        reading = self._bridge.reading(doc.id)
        revised = 0 < reading.version < doc.version
        page = reading.page if reading.version else 0
        changed = [n - 1 for n in doc.changed_pages] if revised else None
        reader = ReaderWindow(doc.title, pdf, self.watermark_text(), page, changed_pages=changed)
        reader.pageChanged.connect(self._page_read)
        reader.closed.connect(self._reader_closed)
        self.reader, self._reader_doc = reader, doc
        self.screens.addWidget(reader)
        self.screens.setCurrentWidget(reader)
        self._bridge.remember_page(doc, page)
        self._annotate(reader, doc)
        self.follower.reader_opened(reader, doc)

    # ------------------------------------------------------------------ annotations

    def _presenter_held_back(self) -> bool:
        """A ballot is on screen, or the delegate is writing on the page."""
        return self.is_ballot_shown() or (self.reader is not None and self.reader.annotating())

    def _annotate(self, reader: ReaderWindow, doc: p.Document) -> None:
        """A delegate writes on what they read; the records are theirs alone (app/annotations)."""
        notebook = self._bridge.notebook
        if notebook is None or self._identity.delegate is None:
            return
        annotator = reader.attach_annotations(
            doc, notebook.of_document(doc.id), self._bridge.annotate
        )
        annotator.idle.connect(lambda: self.follower.show(self._model))
        meeting = self._model.meetings.get(doc.meeting_id)
        reader.allow_export(meeting is not None and meeting.export_allowed and not self._kiosk)
        reader.exportReady.connect(lambda data: self._save_copy(doc, data))
        reader.notes.set_status(self._bridge.annotation_status)
        reader.notes.codeEntered.connect(self._pairing_code)
        reader.notes.giveRequested.connect(self._give_annotations)
        self._annotations_changed(set())

    def _save_copy(self, doc: p.Document, data: bytes) -> None:
        """Where the delegate saves their annotated copy (they chose to take it away)."""
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save my annotated copy"),
            str(Path.home() / f"{doc.title}.pdf"),
            self.tr("PDF documents (*.pdf)"),
        )
        if not path:
            return
        try:
            atomic_write(Path(path), data)
        except OSError as exc:
            self.show_notice(self.tr("The copy could not be saved: %1").replace("%1", str(exc)))
            return
        self.show_notice(self.tr("Your annotated copy is saved in %1.").replace("%1", path))

    def _annotations_changed(self, _ids: object) -> None:
        reader, doc, notebook = self.reader, self._reader_doc, self._bridge.notebook
        if reader is None or doc is None or notebook is None:
            return
        titles = {d.id: d.title for d in self._model.documents.values()}
        reader.set_annotations(
            notebook.of_document(doc.id), notebook.of_meeting(doc.meeting_id), titles
        )

    def _annotation_status(self, status: object) -> None:
        if self.reader is not None:
            self.reader.notes.set_status(status)  # type: ignore[arg-type]

    def _pairing_code(self, text: str) -> None:
        reader = self.reader
        try:
            self._bridge.enter_pairing_code(text)
        except CodeError as exc:
            if reader is not None:
                reader.notes.show_code_error(errors.describe_code_error(exc))

    def _give_annotations(self) -> None:
        reader = self.reader
        if reader is None:
            return

        def failed(exc: BaseException) -> None:
            if self.reader is reader:
                reader.notes.show_give_error(errors.describe_annotation_error(exc))

        self._bridge.give_annotations(reader.notes.show_code, failed, reader)

    def _page_read(self, page: int) -> None:
        if self._reader_doc is not None:
            self._bridge.remember_page(self._reader_doc, page)

    def _reader_closed(self) -> None:
        reader, self.reader, self._reader_doc = self.reader, None, None
        self.screens.setCurrentIndex(0)
        if reader is not None:
            self.screens.removeWidget(reader)
            reader.deleteLater()
        self._documents_changed(self._bridge.documents)  # "revised" is read now

    def _follow_reader(self) -> None:
        """What happened to the document being read: withdrawn (or its meeting wiped), or
        revised — the new version replaces it once it is on the device."""
        reader, reading = self.reader, self._reader_doc
        if reader is None or reading is None:
            return
        doc = self._model.documents.get(reading.id)
        if doc is None or doc.status != "published":
            self._reader_doc = None
            reader.withdraw()
            return
        if doc.version == reading.version or not self._bridge.documents.opens(doc):
            return
        self._reader_doc = doc  # being opened: asked once

        def revised(pdf: bytes) -> None:
            if self.reader is reader:
                notebook = self._bridge.notebook
                reader.revise(doc, notebook.of_document(doc.id) if notebook is not None else [])
                reader.show_revision(pdf, [n - 1 for n in doc.changed_pages])

        def failed(exc: BaseException) -> None:
            if self.reader is reader and self._reader_doc is doc:
                self._reader_doc = reading  # still reading the old one; tried again later
            self.show_notice(errors.describe_open_error(exc))

        self._bridge.open_document(doc, revised, failed, self)

    # ------------------------------------------------------------------ voting

    def _ballot(self) -> voting.Ballot | None:
        poll = voting.poll_on_screen(self._model)
        if poll is None:
            return None
        return voting.ballot_for(self._model, self._identity.delegate, poll)

    def _show_votes(self) -> None:
        """The vote bar, the check-in bar and the ballot screen, for the poll of the meeting
        shown; a poll that has just opened brings the ballot on screen of whoever may vote."""
        self._bridge.keep_ballots_of(self._model)
        ballot = self._ballot()
        meeting = self._model.active_meeting
        meeting_open = meeting is not None and meeting.status == "open"
        if ballot is not None:
            poll = ballot.poll
            self.ballot.show_ballot(ballot, meeting_open)
            if poll.status == "open" and poll.id not in self._seen_open:
                self._seen_open.add(poll.id)
                if ballot.may_vote and self._bridge.cast_of(poll.id) is None:
                    self.show_ballot()
        elif self.screens.currentWidget() is self.ballot:
            self.close_ballot()
        self._show_vote_bar()
        self._show_check_in()

    def _show_vote_bar(self) -> None:
        ballot = self._ballot()
        if ballot is None:
            self.vote_bar.hide()
            self.vote_timer.stop()
            return
        poll = ballot.poll
        state = "result"
        if poll.status == "open":
            cast = self._bridge.cast_of(poll.id)
            if cast is not None and cast.recorded:
                state, text = "voted", "✓  " + self.tr("You voted · %1").replace("%1", poll.title)
            elif ballot.may_vote:
                state, text = "open", self.tr("VOTE NOW · %1").replace("%1", poll.title)
            else:
                state, text = "voted", self.tr("Vote in progress · %1").replace("%1", poll.title)
            if poll.closes_at is not None:
                left = clock(poll.closes_at - self._clock())
                text += "   ·   " + self.tr("%1 left").replace("%1", left)
                if not self.vote_timer.isActive():
                    self.vote_timer.start()
        else:
            self.vote_timer.stop()
            outcome = poll.result.outcome if poll.result is not None else ""
            text = self.tr("RESULT · %1").replace("%1", poll.title)
            if poll.result is not None:
                text += "   ·   " + outcome_text(poll)
            state = f"result-{outcome}"
        self.vote_bar.setText(text)
        if self.vote_bar.property("state") != state:
            self.vote_bar.setProperty("state", state)
            self.vote_bar.style().unpolish(self.vote_bar)
            self.vote_bar.style().polish(self.vote_bar)
        self.vote_bar.show()

    def _show_check_in(self) -> None:
        delegate = self._identity.delegate
        meeting = self._model.active_meeting
        show = (
            delegate is not None
            and meeting is not None
            and meeting.status == "open"
            and voting.attendance_of(self._model, meeting.id, delegate.id) != "present"
        )
        self.check_in_bar.setVisible(show)
        self.check_in_button.setEnabled(self.is_live() and not self._checking_in)

    def check_in(self) -> None:
        """The delegate is here: one tap, at the start of a session."""
        meeting = self._model.active_meeting
        if meeting is None or self._checking_in:
            return
        self._checking_in = True
        self._show_check_in()

        def done(_reply: object) -> None:
            self._checking_in = False
            self._show_check_in()

        def failed(exc: BaseException) -> None:
            self._checking_in = False
            self._show_check_in()
            self.show_notice(errors.describe_request_error(exc))

        self._bridge.request(p.AttendanceCheckIn(id=0, meeting_id=meeting.id), done, failed, self)

    def show_ballot(self) -> None:
        """The ballot (or the result) in place of what is on screen; back returns to it."""
        if self.ballot.poll is not None:
            self.screens.setCurrentWidget(self.ballot)

    def close_ballot(self) -> None:
        self.screens.setCurrentWidget(self.reader or self._agenda_screen)
        self._show_vote_bar()
        self.follower.show(self._model)  # a presenter's page, held back by the ballot

    def is_ballot_shown(self) -> bool:
        return self.screens.currentWidget() is self.ballot

    def kiosk_menu(self) -> QMenu:
        """Kiosk mode (ui/kiosk.py): the ⋯ menu, for the secretariat's exit, without *Import
        documents from a file…*: a file dialog browses the tablet's folders, a way out of the
        app (a prepared tablet takes bundles with ``hemicycle --import-bundle``)."""
        self.import_action.setVisible(False)
        self._kiosk = True  # nor is an annotated copy saved to a folder
        menu = self.menu_button.menu()
        assert menu is not None
        return menu

    def choose_bundle(self) -> None:
        """Menu: pick a bundle file (a USB stick, a share) to import."""
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Import documents from a file"),
            str(Path.home()),
            self.tr("Document bundles (*.hcb);;All files (*)"),
        )
        if path:
            self.import_bundle_file(Path(path))

    def import_bundle_file(self, path: Path) -> None:
        """Take a meeting's documents from a bundle file; the keys come from the room."""

        def imported(got: tuple[BundleHeader, int]) -> None:
            header, _added = got
            self.show_notice(
                self.tr("%n document(s) of “%1” imported from %2.", "", len(header.documents))
                .replace("%1", header.meeting_title)
                .replace("%2", path.name)
                + " "
                + self.tr("They open once the room has sent this device their keys."),
                trouble=False,
            )

        def failed(exc: BaseException) -> None:
            self.show_notice(errors.describe_import_error(path.name, exc))

        self._bridge.import_bundle(path, imported, failed, self)

    def show_notice(self, text: str, *, trouble: bool = True) -> None:
        """A line under the banner for a while: why something did not work (red), or that it
        did (``trouble=False``, blue)."""
        self.notice.setProperty("kind", "trouble" if trouble else "done")
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setText(text)
        self.notice.show()
        self.notice_timer.start()

    def notice_text(self) -> str:
        return "" if self.notice.isHidden() else self.notice.text()

    def is_narrow(self) -> bool:
        return self._narrow

    def show_agenda(self) -> None:
        if self.body.currentIndex() == self.DETAIL:
            self.body.setCurrentIndex(self.AGENDA)

    def _item_selected(self, item_id: int | None) -> None:
        self.detail.show_item(self._model, item_id)
        self.narrow_detail.show_item(self._model, item_id)

    def _item_tapped(self, _index: object) -> None:
        if self._narrow and self.agenda_view.selected_item_id() is not None:
            self.body.setCurrentIndex(self.DETAIL)

    def _show_current(self) -> None:
        current = self.agenda_view.current_item_id()
        if current is not None:
            self.show_agenda()
            self.agenda_view.select_item(current)
            self.agenda_view.scroll_to_item(current)

    def _on_fatal(self, code: str, message: str) -> None:
        self._fatal = (code, message)
        self._show_fatal()

    # ------------------------------------------------------------------ text

    def _show_header(self) -> None:
        model = self._model
        meeting = model.active_meeting
        name = model.room.name if model.room.name != "?" else ""
        self.room_label.setText(name or self._identity.room_name)
        self.title_label.setText(meeting.title if meeting is not None else self.tr("No meeting"))
        self.setWindowTitle(f"Hemicycle — {self.room_label.text()}")

    def _show_now(self) -> None:
        """The banner: the item being discussed, live or last known, and how old that is."""
        model = self._model
        meeting = model.active_meeting
        current = model.current_item(meeting.id) if meeting is not None else None
        live = self.is_live()
        if live or current is None:
            self.age_timer.stop()
        elif not self.age_timer.isActive():
            self.age_timer.start()
        if current is not None:
            item = f"{model.display_number(current)}  {current.title}"
            if live:
                when = planned_text(current)
                text = self.tr("NOW") + "   " + item + (f"   ·   {when}" if when else "")
                self.now_bar.setToolTip(self.tr("Show the item being discussed"))
            else:
                text = self.tr("LAST KNOWN") + "   " + item
                self.now_bar.setToolTip(
                    self.tr(
                        "Not connected to the room: this is the last item received, and the "
                        "meeting may have moved on since."
                    )
                )
                self._age_label.setText(
                    self.tr("Not live · %1").replace(
                        "%1", sync_age_text(self._last_sync, self._clock())
                    )
                )
            self._now_label.setText(text)
            self._age_label.setVisible(not live)
            if self.now_bar.property("live") != live:
                self.now_bar.setProperty("live", live)
                for widget in (self.now_bar, self._now_label, self._age_label):
                    widget.style().unpolish(widget)
                    widget.style().polish(widget)
            self.now_bar.show()
        else:
            self.now_bar.hide()

    def _show_fatal(self) -> None:
        if self._fatal is not None:
            self.fatal_banner.setText(errors.describe_fatal(*self._fatal))
            self.fatal_banner.show()

    def retranslate(self) -> None:
        self.import_action.setText(self.tr("Import documents from a file…"))
        self.about_action.setText(about.menu_text())
        self.menu_button.setToolTip(self.tr("More"))
        delegate = self._identity.delegate
        if delegate is not None:
            self.who_name.setText(delegate.full_name)
            parts = [self.tr("Delegate no. %1").replace("%1", delegate.number)]
            if delegate.delegation:
                parts.append(delegate.delegation)
            self.who_detail.setText(" · ".join(parts))
        else:
            roles = {
                "secretary": self.tr("Secretariat"),
                "admin": self.tr("Administrator"),
                "display": self.tr("Hall display"),
            }
            self.who_name.setText(roles.get(self._identity.role, self._identity.role))
            self.who_detail.setText(
                self.tr("Device no. %1").replace("%1", str(self._identity.device_id))
            )
        self.agenda_heading.setText(self.tr("Agenda"))
        self.check_in_text.setText(
            self.tr(
                "You are not checked in for this meeting: check in to be counted present and vote."
            )
        )
        self.check_in_button.setText(self.tr("Check in"))
        self.back_button.setText("‹  " + self.tr("Back to the agenda"))
        self.empty_label.setText(
            self.tr(
                "No meeting is being shown yet.\nThe agenda appears here as soon as the "
                "secretariat opens the meeting."
            )
        )
        self._show_header()
        self._show_now()
        self._show_fatal()
        self._show_vote_bar()

    # ------------------------------------------------------------------ events

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._narrow = event.size().width() < NARROW_WIDTH
        self.detail_panel.setVisible(not self._narrow)
        self.who_detail.setVisible(not self._narrow)
        if not self._narrow:
            self.show_agenda()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
