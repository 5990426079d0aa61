"""The seam between the network thread (asyncio) and the GUI thread (Qt).

Everything that touches the network — discovery, enrollment, the room connection — runs on one
asyncio loop in a worker thread, the way Electrum does it, so a slow Wi-Fi handshake can never
freeze a delegate's screen. The GUI sends work with :meth:`NetworkThread.call`
(``run_coroutine_threadsafe``) and gets results back as queued Qt signals; nothing on the GUI
thread ever blocks on a future, except the bounded wait at application quit.

Rules that keep this safe:

* The client's callbacks run on the network thread. They never touch widgets: they hand an
  immutable snapshot of the room model (``app.state.RoomView``, made in constant time) to a
  Qt signal, and Qt queues it to the GUI thread.
* Bursts are coalesced: resuming after a long disconnection can replay a thousand events, but
  the GUI receives one immutable view per loop iteration, with the areas that changed, not
  one per event; views redraw only those areas.
* Shutdown stops the client, then the loop, then joins the thread, before Qt objects die, so no
  signal is ever emitted into a destroyed QObject.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from app import protocol as p
from app import voting
from app.annotation_sync import SyncStatus
from app.annotations import Annotation, Notebook, parse_pairing_code
from app.bundle import BundleHeader
from app.docstore import CannotOpen, DocStore, Reading
from app.docsync import Progress
from app.state import Area, RoomModel, RoomView

if TYPE_CHECKING:
    from app.discovery import RoomAnnouncement
    from app.profile import Identity, Unlocked

log = logging.getLogger("hemicycle.ui.bridge")

T = TypeVar("T")
ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class _Dispatcher(QObject):
    """Runs callables on the thread it lives in (the GUI thread), whoever posts them."""

    _posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        # Always queued, even when posted from the GUI thread itself, so a callback never runs
        # re-entrantly inside the call that scheduled it.
        self._posted.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def post(self, fn: Callable[[], None]) -> None:
        self._posted.emit(fn)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        fn()


class NetworkThread:
    """One asyncio event loop in a daemon thread, owned by the application.

    Create it on the GUI thread (its dispatcher must live there), :meth:`start` it once, and
    :meth:`stop` it when the application quits.
    """

    def __init__(self, name: str = "hemicycle-network") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._dispatcher = _Dispatcher()
        self._stopped = False

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            try:
                self._loop.run_until_complete(self._cancel_remaining())
                self._loop.run_until_complete(self._loop.shutdown_asyncgens())
                self._loop.run_until_complete(self._loop.shutdown_default_executor())
            finally:
                self._loop.close()

    @staticmethod
    async def _cancel_remaining() -> None:
        """Cancel whatever is still running (a client still reconnecting) and let it unwind."""
        me = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not me]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule ``coro`` on the network loop; the future resolves on the network thread."""
        if self._stopped:
            coro.close()
            raise RuntimeError("the network thread has stopped")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def call(
        self,
        coro: Coroutine[Any, Any, T],
        on_result: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        receiver: QObject | None = None,
    ) -> concurrent.futures.Future[T]:
        """Run ``coro`` on the network loop and deliver its outcome on the GUI thread.

        ``on_result`` gets the return value, ``on_error`` the exception. If ``receiver`` (usually
        the widget that asked) has been deleted by then, nothing is called. An error with no
        ``on_error`` is logged, never silently dropped. Cancelled calls deliver nothing, and so
        do calls made once the thread has stopped (the app is quitting: a panel answering a
        last failure by asking again is not an error).
        """
        if self._stopped:
            coro.close()
            stopped: concurrent.futures.Future[T] = concurrent.futures.Future()
            stopped.cancel()
            return stopped
        future = self.submit(coro)
        future.add_done_callback(
            lambda f: self._dispatcher.post(partial(_deliver, f, on_result, on_error, receiver))
        )
        return future

    def post(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread soon (safe to call from any thread)."""
        self._dispatcher.post(fn)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the loop (cancelling what still runs) and join the thread. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("network thread did not stop within %.1f s", timeout)
        elif not self._loop.is_closed():
            self._loop.close()


def _deliver(
    future: concurrent.futures.Future[Any],
    on_result: ResultCallback | None,
    on_error: ErrorCallback | None,
    receiver: QObject | None,
) -> None:
    if future.cancelled():
        return
    if receiver is not None and not shiboken6.isValid(receiver):
        return
    exc = future.exception()
    if exc is not None:
        if on_error is not None:
            on_error(exc)
        else:
            log.error("background task failed", exc_info=exc)
        return
    if on_result is not None:
        on_result(future.result())


# --------------------------------------------------------------------------- room client


class ClientLike(Protocol):
    """What the bridge needs from :class:`app.client.RoomClient` (a fake in tests)."""

    model: RoomModel
    last_sync: float | None

    @property
    def documents(self) -> DocStore | None:
        """The device's documents (``None`` in tests that have none)."""

    @property
    def status(self) -> str: ...

    async def run(self) -> None: ...

    async def stop(self) -> None: ...

    async def request(self, msg: Any) -> Any: ...

    async def upload(
        self, request: p.DocumentUpload, data: bytes, on_progress: Callable[[int, int], None]
    ) -> p.DocumentPublished: ...

    async def import_bundle(self, path: Path) -> tuple[BundleHeader, int]: ...


ClientFactory = Callable[..., ClientLike]


def _default_client_factory(unlocked: Unlocked, **callbacks: Any) -> ClientLike:
    """The real client; when the stored address stops answering it asks the LAN (mDNS) where
    the room is now, and the certificate pin still decides whether to trust the answer."""
    from app.client import RoomClient
    from app.discovery import locate

    client: ClientLike = RoomClient(unlocked, locate=locate, **callbacks)
    return client


class ClientBridge(QObject):
    """A :class:`~app.client.RoomClient` seen from Qt: signals in, requests out.

    All public signals are emitted on the GUI thread:

    * ``stateChanged(RoomView, Area)`` — the latest room state, immutable, and the areas that
      changed since the previous emission (a burst of events is one emission);
    * ``statusChanged(str, float | None)`` — ``"offline" | "connecting" | "online"`` and the
      time of the last sync (epoch seconds, ``None`` if never);
    * ``presenceChanged(Presence)`` — who is connected (staff devices only);
    * ``documentsChanged(Progress)`` — what the device holds of its documents
      (``app.docsync.Progress``), a few times a second at most while fetching;
    * ``fatal(str, str)`` — the room refused this device for good (e.g. it was revoked).

    The latest values are also readable as :attr:`model`, :attr:`status`, :attr:`last_sync`,
    so a window built after the client started can draw itself at once.
    """

    stateChanged = Signal(object, object)
    statusChanged = Signal(str, object)
    presenceChanged = Signal(object)
    documentsChanged = Signal(object)
    fatal = Signal(str, str)
    #: The delegate's annotations changed (ids), here or from another of their devices.
    annotationsChanged = Signal(object)
    #: Where the annotations' sync stands (app/annotation_sync.SyncStatus).
    annotationStatus = Signal(object)

    # Private hops from the network thread; queued because the bridge lives on the GUI thread.
    _stateReady = Signal(object, object, object)
    _statusReady = Signal(str, object)
    _presenceReady = Signal(object)
    _documentsReady = Signal(object)
    _fatalReady = Signal(str, str)
    _annotationsReady = Signal(object)
    _annotationStatusReady = Signal(object)

    def __init__(
        self,
        network: NetworkThread,
        unlocked: Unlocked,
        *,
        client_factory: ClientFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._network = network
        self._unlocked = unlocked
        self._closing = False
        self._flush_pending = False
        self._areas = Area.NONE
        self._run_future: concurrent.futures.Future[None] | None = None
        factory = client_factory or _default_client_factory
        self._client = factory(
            unlocked,
            on_state=self._on_state,
            on_status=self._on_status,
            on_presence=self._on_presence,
            on_fatal=self._on_fatal,
            on_documents=self._on_documents,
            on_annotations=self._on_annotation_status,
        )
        self._model = self._client.model.snapshot()
        self._ballots = unlocked.ballots()
        self._documents = Progress()
        self._status = str(self._client.status)
        self._last_sync = self._client.last_sync
        self._presence = p.Presence(connected={})
        self._stateReady.connect(self._state_ready)
        self._statusReady.connect(self._status_ready)
        self._presenceReady.connect(self._presence_ready)
        self._documentsReady.connect(self._documents_ready)
        self._fatalReady.connect(self.fatal)
        self._annotationsReady.connect(self.annotationsChanged)
        self._annotationStatusReady.connect(self._annotation_status_ready)
        self._annotation_status = SyncStatus()
        self._annotating = asyncio.Lock()
        notebook = self.notebook
        if notebook is not None:
            notebook.listeners.append(self._on_annotations)

    # ------------------------------------------------------------------ read side (GUI thread)

    @property
    def identity(self) -> Identity:
        return self._unlocked.identity

    @property
    def unlocked(self) -> Unlocked:
        return self._unlocked

    @property
    def network(self) -> NetworkThread:
        return self._network

    @property
    def model(self) -> RoomView:
        return self._model

    @property
    def status(self) -> str:
        return self._status

    @property
    def last_sync(self) -> float | None:
        return self._last_sync

    @property
    def presence(self) -> p.Presence:
        return self._presence

    @property
    def documents(self) -> Progress:
        return self._documents

    @property
    def notebook(self) -> Notebook | None:
        """The delegate's annotations on this device (``None``: a device without them)."""
        return getattr(self._client, "notebook", None)

    @property
    def annotation_status(self) -> SyncStatus:
        return self._annotation_status

    def annotate(self, notes: list[Annotation]) -> None:
        """Keep annotations made or changed here (written off the GUI thread), then synced."""
        notebook = self.notebook
        if notebook is None or not notes:
            return

        async def keep() -> None:
            async with self._annotating:  # in the order made: a later stroke is never undone
                await asyncio.to_thread(notebook.edit_many, notes)

        self._network.submit(keep())

    def give_annotations(
        self, on_code: Callable[[str], None], on_error: ErrorCallback, receiver: QObject
    ) -> None:
        """Leave the delegate's annotation key for their waiting devices; ``on_code`` gets the
        code to type on them."""
        sync = getattr(self._client, "annotations", None)
        if sync is None:
            return
        self._network.call(sync.give(), on_code, on_error, receiver)

    def enter_pairing_code(self, text: str) -> None:
        """The code shown on the delegate's other device; raises CodeError if mistyped."""
        sync = getattr(self._client, "annotations", None)
        if sync is None:
            return
        parse_pairing_code(text)  # a mistyped code is said here, at once

        async def enter() -> None:
            sync.enter_code(text)

        self._network.submit(enter())

    def reading(self, document_id: int) -> Reading:
        """Where the delegate stopped reading the document, and which version they read."""
        store = self._client.documents
        return store.reading(document_id) if store is not None else Reading()

    # ------------------------------------------------------------------ commands (GUI thread)

    def start(self) -> None:
        """Start connecting; the window shows the stored state meanwhile."""
        if self._run_future is not None:
            return
        self._run_future = self._network.submit(self._client.run())
        self._run_future.add_done_callback(self._run_finished)

    def request(
        self,
        msg: Any,
        on_ok: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        receiver: QObject | None = None,
    ) -> concurrent.futures.Future[Any]:
        """Send a protocol request; ``on_ok(p.Ok)`` or ``on_error(exc)`` run on the GUI thread.

        ``exc`` is ``app.client.RequestError`` (with ``.code``), ``NotConnected`` or
        ``TimeoutError``; see :func:`ui.widgets.errors.describe_request_error`.
        """
        return self._network.call(self._client.request(msg), on_ok, on_error, receiver)

    def import_bundle(
        self,
        path: Path,
        on_ok: Callable[[tuple[BundleHeader, int]], None],
        on_error: ErrorCallback,
        receiver: QObject,
    ) -> None:
        """Import a bundle file of documents (off the GUI thread); then the device syncs."""
        self._network.call(self._client.import_bundle(path), on_ok, on_error, receiver)

    def open_document(
        self,
        doc: p.Document,
        on_ok: Callable[[bytes], None],
        on_error: ErrorCallback,
        receiver: QObject | None = None,
    ) -> None:
        """Decrypt the document into memory, off the GUI thread; ``on_ok(pdf bytes)`` or
        ``on_error(exc)`` (``app.docstore.CannotOpen`` says why) run on the GUI thread."""
        store = self._client.documents
        if store is None:
            on_error(CannotOpen("missing", "this device keeps no documents"))
            return
        meeting = self._model.meetings.get(doc.meeting_id)
        opening = asyncio.to_thread(store.open, doc, meeting, self._last_sync, time.time)
        self._network.call(opening, on_ok, on_error, receiver)

    def upload(
        self,
        request: p.DocumentUpload,
        data: bytes,
        on_progress: Callable[[int, int], None],
        on_ok: Callable[[p.DocumentPublished], None],
        on_error: ErrorCallback,
        receiver: QObject,
    ) -> None:
        """Publish a PDF; ``on_progress(sent, total)`` follows the bytes sent, then ``on_ok``
        or ``on_error``, all on the GUI thread."""

        def progress(sent: int, total: int) -> None:  # network thread
            self._network.post(lambda: on_progress(sent, total))

        self._network.call(self._client.upload(request, data, progress), on_ok, on_error, receiver)

    def cast_of(self, poll_id: int) -> voting.Cast | None:
        """What this device cast in the poll, recorded by the room or still being sent."""
        return self._ballots.get(poll_id)

    def cast(
        self,
        poll: p.Poll,
        marks: dict[int, p.Marks],
        on_ok: Callable[[voting.Cast], None],
        on_error: ErrorCallback,
        receiver: QObject,
    ) -> None:
        """Vote: ``marks`` by delegate id (this delegate's own and the proxies held), kept on
        the device before it is sent (app/voting.py); ``on_ok`` once the room recorded it."""
        cast = voting.prepare(self._ballots, poll, marks)
        self._network.call(
            voting.send(self._ballots, self._client.request, cast), on_ok, on_error, receiver
        )

    def forget_cast(self, poll_id: int) -> None:
        """The room refused the cast: nothing of it counts, so nothing of it is kept."""
        self._ballots.forget(poll_id)

    def keep_cast(self, cast: voting.Cast) -> None:
        """Put back a recorded cast that a refused change would have replaced."""
        self._ballots.put(cast)

    def check_poll(
        self,
        poll: p.Poll,
        on_ok: Callable[[voting.Check], None],
        on_error: ErrorCallback,
        receiver: QObject,
    ) -> None:
        """Fetch a closed poll's published list and find this device's votes in it."""
        checking = voting.check(
            self._ballots, self._client.request, poll, self._unlocked.identity.room_key
        )
        self._network.call(checking, on_ok, on_error, receiver)

    def keep_ballots_of(self, view: RoomView) -> None:
        """Forget the casts of polls no longer on the device (a wiped meeting's)."""
        self._ballots.keep_only(view.polls)

    def remember_page(self, doc: p.Document, page: int) -> None:
        """The delegate is on ``page`` of ``doc``: where it opens next time (written off the
        GUI thread)."""
        store = self._client.documents
        if store is not None:
            self._network.submit(asyncio.to_thread(store.set_reading, doc.id, doc.version, page))

    def stop(self, timeout: float = 3.0) -> None:
        """Stop the client (it saves its state) and wait for it, at most ``timeout`` seconds.

        Blocking is acceptable only here, at quit: the window is already closing.
        """
        if self._closing:
            return
        self._closing = True
        run = self._run_future
        if run is None or not self._network.is_running():
            return
        try:
            self._network.submit(self._client.stop()).result(timeout)
            run.result(timeout)
        except concurrent.futures.TimeoutError:
            log.warning("room client did not stop in %.1f s; cancelling it", timeout)
            run.cancel()
        except concurrent.futures.CancelledError:
            pass
        except Exception:
            log.exception("room client failed while stopping")

    # ------------------------------------------------------------------ network thread side

    def _on_state(self, _view: RoomView, areas: Area) -> None:
        self._areas |= areas
        if self._closing or self._flush_pending:
            return
        self._flush_pending = True
        self._network.loop.call_soon(self._flush_state)

    def _flush_state(self) -> None:
        self._flush_pending = False
        if self._closing:
            return
        areas, self._areas = self._areas, Area.NONE
        self._stateReady.emit(self._client.model.snapshot(), areas, self._client.last_sync)

    def _on_status(self, status: str, last_sync: float | None) -> None:
        if not self._closing:
            self._statusReady.emit(str(status), last_sync)

    def _on_presence(self, presence: p.Presence) -> None:
        if not self._closing:
            self._presenceReady.emit(presence)

    def _on_fatal(self, code: str, message: str) -> None:
        if not self._closing:
            self._fatalReady.emit(str(code), message)

    def _on_annotations(self, ids: set[bytes]) -> None:  # any thread
        if not self._closing:
            self._annotationsReady.emit(ids)

    def _on_annotation_status(self, status: SyncStatus) -> None:
        if not self._closing:
            self._annotationStatusReady.emit(status)

    def _annotation_status_ready(self, status: SyncStatus) -> None:
        self._annotation_status = status
        self.annotationStatus.emit(status)

    def _on_documents(self, progress: Progress) -> None:
        if not self._closing:
            self._documentsReady.emit(progress)

    def _run_finished(self, future: concurrent.futures.Future[None]) -> None:
        if future.cancelled() or self._closing:
            return
        exc = future.exception()
        if exc is not None:
            log.error("room client crashed", exc_info=exc)
            self._fatalReady.emit("internal", str(exc) or type(exc).__name__)

    # ------------------------------------------------------------------ GUI thread side

    @Slot(object, object, object)
    def _state_ready(self, view: RoomView, areas: Area, last_sync: float | None) -> None:
        self._model = view
        self.stateChanged.emit(view, areas)
        if last_sync != self._last_sync:
            self._last_sync = last_sync
            self.statusChanged.emit(self._status, last_sync)

    @Slot(str, object)
    def _status_ready(self, status: str, last_sync: float | None) -> None:
        self._status = status
        self._last_sync = last_sync
        self.statusChanged.emit(status, last_sync)

    @Slot(object)
    def _presence_ready(self, presence: p.Presence) -> None:
        self._presence = presence
        self.presenceChanged.emit(presence)

    @Slot(object)
    def _documents_ready(self, progress: Progress) -> None:
        self._documents = progress
        self.documentsChanged.emit(progress)


# --------------------------------------------------------------------------- discovery


class BrowserLike(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def _default_browser_factory(
    interfaces: list[str] | None, on_change: Callable[[list[RoomAnnouncement]], None]
) -> BrowserLike:
    from app.discovery import RoomBrowser

    return RoomBrowser(interfaces, on_change=on_change)


class BrowserBridge(QObject):
    """The mDNS room browser for the first-run room list.

    ``roomsChanged(list[RoomAnnouncement])`` follows the rooms seen on the LAN;
    ``unavailable(str)`` says discovery could not start (multicast blocked, no interface), in
    which case the wizard points at typing the address. Both are emitted on the GUI thread.
    """

    roomsChanged = Signal(object)
    unavailable = Signal(str)
    _roomsReady = Signal(object)

    def __init__(
        self,
        network: NetworkThread,
        *,
        interfaces: list[str] | None = None,
        browser_factory: Callable[..., BrowserLike] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._network = network
        self._interfaces = interfaces
        self._factory = browser_factory or _default_browser_factory
        self._browser: BrowserLike | None = None
        self._started: concurrent.futures.Future[None] | None = None
        self._rooms: list[RoomAnnouncement] = []
        self._active = False
        self._roomsReady.connect(self._rooms_ready)

    def rooms(self) -> list[RoomAnnouncement]:
        return list(self._rooms)

    def is_active(self) -> bool:
        return self._active

    def start(self) -> None:
        if self._browser is not None:
            return
        self._active = True
        self._browser = self._factory(self._interfaces, self._on_change)
        self._started = self._network.call(
            self._browser.start(), on_error=self._start_failed, receiver=self
        )

    def _on_change(self, rooms: list[RoomAnnouncement]) -> None:
        # network thread
        if self._active:
            self._roomsReady.emit(list(rooms))

    @Slot(object)
    def _rooms_ready(self, rooms: list[RoomAnnouncement]) -> None:
        if self._active:
            self._rooms = rooms
            self.roomsChanged.emit(rooms)

    def _start_failed(self, exc: BaseException) -> None:
        log.info("room discovery unavailable: %s", exc)
        self._browser = None
        self._active = False
        self.unavailable.emit(str(exc))

    def stop(self, timeout: float | None = None) -> None:
        """Stop browsing. Waits at most ``timeout`` seconds (``None``: don't wait)."""
        self._active = False
        browser, self._browser = self._browser, None
        if browser is None or not self._network.is_running():
            return
        future = self._network.submit(_stop_browser(browser, self._started))
        if timeout is not None:
            try:
                future.result(timeout)
            except Exception as exc:
                log.info("room browser did not stop cleanly: %s", exc)


async def _stop_browser(
    browser: BrowserLike, started: concurrent.futures.Future[None] | None
) -> None:
    """Wait for a start still in progress, then stop; a failed start needs no stop."""
    if started is not None:
        try:
            await asyncio.wrap_future(started)
        except Exception:
            return
    await browser.stop()
