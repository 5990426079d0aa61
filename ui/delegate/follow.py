"""Following the presenter on a delegate's device.

A delegate's device is *following* by default: when the meeting's presenter shows a page, the
reader goes there and shows the region presented, opening the document if needed (it is
pre-staged, so opening is local and a page turned is one small event). The delegate is *away*
once they turn a page or zoom by their own hand, open another document, or tap *Stop
following*; then nothing moves by itself, and the bar under the reader's top bar offers *Back
to presenter*, one tap. On the agenda screen a bar says what is presented and opens it. A vote
on screen is never covered by a presenter's page (the ballot stays until the delegate leaves
it). A device that may not read the presented document is told that one is presented that it
may not open — nothing else: it has no title and no key for it.

A delegate a secretary gave the presenter role for an agenda item presents its documents from
their own reader: *Present to the hall* in the reader's bar, and from then on what their reader
shows goes to the room (ui/reader/showing.py) until *Stop presenting*, the secretariat taking
over, or the role taken back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from app import protocol as p
from app.state import RoomView
from ui.reader.showing import ViewSender
from ui.reader.window import ReaderWindow

#: The region of a presentation as shares of the page (what the reader's view takes).
Shares = tuple[float, float, float, float]


def shares(region: p.Region) -> Shares:
    return (region.x / 10_000, region.y / 10_000, region.w / 10_000, region.h / 10_000)


class Follower(QObject):
    """Keeps one delegate window's reader with the presenter of the meeting on screen.

    The window gives it ``open_document`` (decrypt and show a document in the reader),
    ``reading`` (the reader open now and its document) and ``busy`` (something the presenter
    must not cover or move: a ballot, a page the delegate is writing on), places :attr:`bar`
    on its agenda screen, and calls :meth:`show` when the state changes and
    :meth:`reader_opened` when a reader opens. ``me`` is the
    device's delegate (who may hold the presenter role); ``send`` sends a request to the room;
    what the room refuses of it is said by ``refused(exc)``."""

    refused = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        open_document: Callable[[p.Document], None],
        reading: Callable[[], tuple[ReaderWindow | None, p.Document | None]],
        busy: Callable[[], bool],
        *,
        me: int | None = None,
        send: Callable[[p.ClientRequest, Callable[[BaseException], None]], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._open = open_document
        self._reading = reading
        self._busy = busy
        self._me = me
        self._send = send
        self._model: RoomView | None = None
        self.following = True
        #: This delegate presents what their reader shows (they hold the item's role).
        self.presenting = False
        self._sender: ViewSender | None = None
        self._tap: Callable[[], None] | None = None  # what the reader bar's button does now
        self._wanted: int | None = None  # a document opened to follow the presenter
        self.bar = QPushButton(parent)
        self.bar.setObjectName("presentingBar")
        self.bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.bar.setMinimumHeight(48)
        self.bar.clicked.connect(self.back_to_presenter)
        self.bar.hide()

    # ------------------------------------------------------------------ what is presented

    def presentation(self) -> p.Presentation | None:
        """What the presenter of the meeting on screen shows, if anything."""
        model = self._model
        if model is None or model.room.active_meeting_id is None:
            return None
        return model.presentations.get(model.room.active_meeting_id)

    def presented_document(self) -> p.Document | None:
        """The presented document, if this device may read it."""
        shown = self.presentation()
        if shown is None or self._model is None:
            return None
        doc = self._model.documents.get(shown.document_id)
        return doc if doc is not None and doc.status == "published" else None

    def _presenter(self, shown: p.Presentation) -> str:
        """Who presents, as the subject of a sentence."""
        return shown.presenter_name or self.tr("The secretariat")

    # ------------------------------------------------------------------ the window's calls

    def show(self, model: RoomView) -> None:
        self._model = model
        self._apply()

    def reader_opened(self, reader: ReaderWindow, doc: p.Document) -> None:
        """A reader opened on ``doc``: on the presenter's page if that is what was wanted;
        opened by the delegate on another document, they are away."""
        reader.wandered.connect(self._wander)
        reader.presenterRequested.connect(self._bar_tapped)
        followed = self.presented_document()
        if self._wanted != doc.id and (followed is None or followed.id != doc.id):
            self.following = False  # the delegate chose another document
        self._wanted = None
        self._apply()

    def back_to_presenter(self) -> None:
        """Follow again: the presented page now, and the next ones by themselves."""
        self.following = True
        self._wanted = None  # opened again if it did not open before
        self._apply()

    def stop_following(self) -> None:
        self.following = False
        self._apply()

    # ------------------------------------------------------------------ inside

    def may_present(self, doc: p.Document) -> bool:
        """Whether this device's delegate holds the presenter role for ``doc``'s item."""
        model = self._model
        item = model.items.get(doc.item_id) if model is not None else None
        return self._me is not None and item is not None and item.presenter_id == self._me

    def start_presenting(self) -> None:
        """Present what the reader shows, from now until :meth:`stop_presenting`."""
        reader, reading = self._reading()
        if reader is None or reading is None or not self.may_present(reading):
            return
        self.presenting, self.following = True, False
        self._sender = ViewSender(reader)
        self._sender.shown.connect(lambda page, region: self._show_page(reading, page, region))
        self._sender.send_now(again=True)
        self._apply()

    def stop_presenting(self) -> None:
        shown = self.presentation()
        self._end_presenting()
        if shown is not None and shown.presenter_id == self._me and self._send is not None:
            self._send(p.PresentStop(id=0, meeting_id=shown.meeting_id), self._refused)
        self._apply()

    def _end_presenting(self) -> None:
        self.presenting = False
        if self._sender is not None:
            self._sender.stop()
            self._sender.deleteLater()
            self._sender = None

    def _show_page(self, doc: p.Document, page: int, region: p.Region) -> None:
        if self.presenting and self._send is not None:
            self._send(
                p.PresentShow(id=0, document_id=doc.id, page=page, region=region), self._refused
            )

    def _refused(self, exc: BaseException) -> None:
        self._end_presenting()
        self._apply()
        self.refused.emit(exc)

    def _bar_tapped(self) -> None:
        if self._tap is not None:
            self._tap()

    def _wander(self) -> None:
        if self.following and not self.presenting:
            self.following = False
            self._apply()

    def _apply(self) -> None:
        shown = self.presentation()
        doc = self.presented_document()
        reader, reading = self._reading()
        if self.presenting and (
            reader is None
            or reading is None
            or not self.may_present(reading)
            or (shown is not None and shown.presenter_id != self._me)
        ):
            self._end_presenting()  # closed, the role taken back, or someone else took over
        mine = shown is not None and self._me is not None and shown.presenter_id == self._me
        if mine and not self.presenting:  # their own, stopped here: not a presenter to follow
            shown, doc = None, None
        self._show_bars(shown, doc, reader, reading)
        if self.presenting or shown is None or doc is None or not self.following:
            return
        if self._busy():
            return
        if reader is None:
            if self._wanted != doc.id:
                self._wanted = doc.id
                self._open(doc)  # reader_opened follows once it is on screen
            return
        if reading is None or reading.id != doc.id:
            self._wanted = doc.id
            reader.close_document()  # the presenter moved to another document
            self._open(doc)
            return
        reader.follow(shown.page - 1, shares(shown.region))

    def _show_bars(
        self,
        shown: p.Presentation | None,
        doc: p.Document | None,
        reader: ReaderWindow | None,
        reading: p.Document | None,
    ) -> None:
        self._tap = None
        if reader is not None and reading is not None and self.presenting:
            page = shown.page if shown is not None else reader.current_page() + 1
            self._tap = self.stop_presenting
            reader.set_presenter_bar(
                self.tr("You are presenting “%1” to the hall: page %2")
                .replace("%1", reading.title)
                .replace("%2", str(page)),
                self.tr("Stop presenting"),
            )
            self.bar.hide()
            return
        if shown is None:
            self.bar.hide()
            if reader is not None and reading is not None and self.may_present(reading):
                self._tap = self.start_presenting
                reader.set_presenter_bar(
                    self.tr("You may present this document to the hall."),
                    self.tr("Present to the hall"),
                )
            elif reader is not None:
                reader.set_presenter_bar("", "")
            return
        who = self._presenter(shown)
        if doc is None:
            text = self.tr("%1 is presenting a document this device may not open.").replace(
                "%1", who
            )
            self.bar.setText(text)
            self.bar.setEnabled(False)
            self.bar.show()
            if reader is not None:
                reader.set_presenter_bar(text, "")
            return
        self.bar.setText(
            self.tr("%1 is presenting “%2”, page %3 — tap to follow")
            .replace("%1", who)
            .replace("%2", doc.title)
            .replace("%3", str(shown.page))
        )
        self.bar.setEnabled(True)
        self.bar.show()
        if reader is None:
            return
        if self.following and reading is not None and reading.id == doc.id:
            self._tap = self.stop_following
            following = (
                self.tr("Following %1: page %2").replace("%1", shown.presenter_name)
                if shown.presenter_name
                else self.tr("Following the secretariat: page %2")
            )
            reader.set_presenter_bar(
                following.replace("%2", str(shown.page)), self.tr("Stop following")
            )
        else:
            self._tap = self.back_to_presenter
            reader.set_presenter_bar(
                self.tr("%1 is presenting “%2”, page %3.")
                .replace("%1", who)
                .replace("%2", doc.title)
                .replace("%3", str(shown.page)),
                self.tr("Back to presenter"),
            )
