"""The client's sync engine: stay connected to the room, keep the state current, survive drops.

One :class:`RoomClient` per open profile. :meth:`RoomClient.run` loops: connect (pinned TLS),
sign the server's challenge, resume from the last ``seq`` it applied (or take a snapshot), apply
events as they come, and on any loss of connection wait a jittered, growing delay and try again.
The connection's rules are the client session's (app/session.py); this module is its driver.
The state is saved to the encrypted local store shortly after every change, on a worker thread
(encryption and fsync never hold up the network loop), so the app reopens offline on what it
last saw. Callbacks run on the client's own asyncio thread; the Qt layer marshals them to the
GUI thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import msgspec
import websockets

from app import bundle
from app import protocol as p
from app import session as s
from app.annotation_sync import AnnotationSync, SyncStatus
from app.bulklink import BulkLink
from app.bundle import BundleHeader
from app.connection import ConnectError, Link, VersionRefused, WrongRoom, open_link
from app.discovery import RoomAnnouncement
from app.docsync import DocSync, Progress
from app.profile import Unlocked
from app.session import NotConnected, RequestError
from app.state import Area, RoomView

log = logging.getLogger("hemicycle.client")

REQUEST_TIMEOUT = 15.0
SAVE_DELAY = 0.5


class Status(enum.StrEnum):
    OFFLINE = "offline"
    CONNECTING = "connecting"
    ONLINE = "online"


@dataclass
class Backoff:
    """Exponential backoff with full jitter, so 2,000 tablets don't reconnect in lockstep.

    For the first ``fast_for`` seconds of an outage the window stays under ``fast_cap``: a room
    server restarting, or a Wi-Fi access point coming back, is caught within a couple of
    seconds. A longer outage lets the window grow to ``cap`` so a hall of tablets does not keep
    hammering a server that is gone.
    """

    base: float = 0.25
    fast_cap: float = 2.0
    fast_for: float = 20.0
    cap: float = 30.0
    attempt: int = 0
    since: float | None = None

    def next_delay(self) -> float:
        now = time.monotonic()
        if self.since is None:
            self.since = now
        cap = self.fast_cap if now - self.since < self.fast_for else self.cap
        delay = random.uniform(0, min(cap, self.base * 2**self.attempt))
        self.attempt += 1
        return delay

    def reset(self) -> None:
        self.attempt = 0
        self.since = None


class RoomClient:
    """Keeps one device in sync with its room.

    ``on_state(view, areas)`` receives an immutable :class:`~app.state.RoomView` and the areas
    that changed since the previous call.
    """

    def __init__(
        self,
        unlocked: Unlocked,
        *,
        on_state: Callable[[RoomView, Area], None],
        on_status: Callable[[Status, float | None], None],
        on_presence: Callable[[p.Presence], None] | None = None,
        on_fatal: Callable[[str, str], None] | None = None,
        on_documents: Callable[[Progress], None] | None = None,
        on_annotations: Callable[[SyncStatus], None] | None = None,
        backoff: Backoff | None = None,
        locate: Callable[[bytes], Awaitable[RoomAnnouncement | None]] | None = None,
    ) -> None:
        self.unlocked = unlocked
        self.identity = unlocked.identity
        self.model, resume, self.last_sync = unlocked.load_stored()
        self.seq: int | None = resume[0] if resume is not None else None
        self.tag = resume[1] if resume is not None else b""
        self.status = Status.OFFLINE
        self._on_state = on_state
        self._on_status = on_status
        self._on_presence = on_presence
        self._on_fatal = on_fatal
        self._backoff = backoff or Backoff()
        self._locate = locate
        self._link: Link | None = None
        self._pending: dict[int, asyncio.Future[p.ServerMessage]] = {}
        self._stopping = asyncio.Event()
        self._save_task: asyncio.Task[None] | None = None
        #: The log position the room was at when this session opened: the state is current
        #: (documents may be pruned against it) once the device has caught up to it.
        self._session_seq: int | None = None
        self._told = False  # what the documents' sync was last told of _current
        self.documents = unlocked.documents()
        self.docsync = DocSync(
            self.documents,
            request=self.request,
            open_bulk=self._open_bulk,
            on_progress=on_documents or (lambda _progress: None),
        )
        self.notebook = unlocked.notebook()
        delegate = self.identity.delegate
        #: A delegate's device keeps their annotations in step with their other devices.
        self.annotations: AnnotationSync | None = None
        if delegate is not None and self.identity.role == "delegate":
            self.annotations = AnnotationSync(
                self.notebook,
                request=self.request,
                delegate_id=delegate.id,
                device_id=self.identity.device_id,
                kx=unlocked.keys.kx,
                on_status=on_annotations,
            )

    # ------------------------------------------------------------------ public

    async def run(self) -> None:
        """Connect and stay connected until :meth:`stop` or a fatal refusal (revoked device);
        the documents are kept complete meanwhile."""
        tasks = [asyncio.ensure_future(self.docsync.run())]
        self.docsync.update(self.model.snapshot(), online=False)
        sync = self.annotations
        if sync is not None:
            tasks.append(asyncio.ensure_future(sync.run()))
            loop = asyncio.get_running_loop()

            def edited(_ids: set[bytes]) -> None:  # any thread; merges leave nothing unsent
                if self.notebook.unsent:
                    loop.call_soon_threadsafe(sync.wake)

            self.notebook.listeners.append(edited)
        try:
            await self._connected()
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _connected(self) -> None:
        while not self._stopping.is_set():
            self._set_status(Status.CONNECTING)
            try:
                await self._session()
            except s.Fatal as exc:
                log.warning("room refused this device: %s", exc)
                self._set_status(Status.OFFLINE)
                if self._on_fatal is not None:
                    self._on_fatal(exc.code, exc.message)
                return
            except VersionRefused as exc:
                # Until this app or the room server is updated, nothing will change: say so
                # (the message names the version needed) instead of retrying for ever.
                log.warning("room speaks another protocol: %s", exc)
                self._set_status(Status.OFFLINE)
                if self._on_fatal is not None:
                    self._on_fatal(p.ErrorCode.UNSUPPORTED_VERSION, exc.message)
                return
            except (ConnectError, OSError, TimeoutError, websockets.ConnectionClosed) as exc:
                log.info("connection lost: %s", exc)
            except p.ProtocolError as exc:
                log.warning("protocol error from server: %s", exc)
            finally:
                self._drop_link()
            self._set_status(Status.OFFLINE)
            delay = self._backoff.next_delay()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
        await self._flush_save()

    async def stop(self) -> None:
        self._stopping.set()
        if self._link is not None:
            await self._link.ws.close()

    async def request(self, msg: p.ClientRequest) -> p.ServerMessage:
        """Send a request and wait for its typed reply; raises :class:`RequestError` on refusal."""
        link = self._link
        if link is None or self.status is not Status.ONLINE:
            raise NotConnected("not connected to the room")
        rid, frame = link.session.request(msg)
        future: asyncio.Future[p.ServerMessage] = asyncio.get_running_loop().create_future()
        self._pending[rid] = future
        try:
            await link.ws.send(frame, text=True)
            return await asyncio.wait_for(future, REQUEST_TIMEOUT)
        except websockets.ConnectionClosed:
            raise NotConnected("the connection dropped before the room answered") from None
        finally:
            self._pending.pop(rid, None)

    async def upload(
        self,
        request: p.DocumentUpload,
        data: bytes,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> p.DocumentPublished:
        """Publish a PDF (staff): sent on a bulk connection of its own; the room checks it and
        answers with what it published, or refuses it (:class:`RequestError`, saying why)."""
        if self.status is not Status.ONLINE:
            raise NotConnected("not connected to the room")
        try:
            bulk = await self._open_bulk()
            try:
                return await bulk.upload(request, data, on_progress)
            finally:
                await bulk.close()
        except (OSError, ConnectError, websockets.ConnectionClosed) as exc:
            raise NotConnected(f"the upload was cut off: {exc}") from None

    async def import_bundle(self, path: Path) -> tuple[BundleHeader, int]:
        """Keep the blobs of a bundle file (``hemicycle-server doc bundle``, from a USB stick
        or a share), each checked against its address, then sync: only the keys, and what
        the bundle lacked, come over the air. Raises BundleError or OSError."""
        blobs, room_id = self.documents.blobs, self.identity.room_id

        def read() -> tuple[BundleHeader, int]:
            with path.open("rb") as f:
                return bundle.import_into(f, room_id, blobs.put, blobs.has)

        got = await asyncio.to_thread(read)
        self.docsync.update(self.model.snapshot(), self._told)
        return got

    # ------------------------------------------------------------------ session

    async def _session(self) -> None:
        ident = self.identity
        link = await self._open(ident.room_id)
        self._link = link
        if link.room_key != self.identity.room_key:  # a profile from before documents existed
            self.identity = msgspec.structs.replace(self.identity, room_key=link.room_key)
            self.unlocked.profile.save_identity(self.identity)
            self.documents.room_key = link.room_key
        ident = self.identity
        await link.ws.send(
            link.session.auth(ident.device_id, self.unlocked.keys.sign.sign, ident.room_id),
            text=True,
        )
        async for frame in link.ws:
            for happening in link.session.receive(frame):
                self._happened(happening)

    async def _open_bulk(self) -> BulkLink:
        """A bulk connection to where the control connection is (app/bulklink.py)."""
        link = self._link
        if link is None:
            raise NotConnected("not connected to the room")
        ident = self.identity
        return await BulkLink.open(
            [link.address], link.port, ident.room_id, ident.device_id, self.unlocked.keys.sign.sign
        )

    async def _open(self, room_id: bytes) -> Link:
        """Connect at the known addresses; if none answers, ask the LAN where the room is now."""

        def pins(rid: bytes) -> bool:
            return rid == room_id

        ident = self.identity
        try:
            return await open_link(ident.addresses, ident.port, pins, since=self.seq, tag=self.tag)
        except (WrongRoom, VersionRefused):
            raise
        except ConnectError:
            if self._locate is None:
                raise
            room = await self._locate(room_id)
            if room is None:
                raise
            if set(room.addresses) <= set(ident.addresses) and room.port == ident.port:
                raise
            link = await open_link(room.addresses, room.port, pins, since=self.seq, tag=self.tag)
        log.info("room moved to %s port %d", link.address, room.port)
        self.identity = msgspec.structs.replace(
            ident, addresses=tuple(dict.fromkeys([link.address, *ident.addresses])), port=room.port
        )
        self.unlocked.profile.save_identity(self.identity)
        return link

    def _happened(self, happening: s.Happening) -> None:
        match happening:
            case s.Applied(seq=seq, tag=tag, body=body):
                self.seq, self.tag = seq, tag
                self._synced(self.model.apply(body))
            case s.Loaded(seq=seq, tag=tag, state=state):
                self.seq, self.tag = seq, tag
                self._synced(self.model.load(state))
            case s.Opened(session=session):
                self._session_seq = session.seq
                self._backoff.reset()
                self.last_sync = time.time()
                self._set_status(Status.ONLINE)
            case s.Answered(request_id=rid, reply=reply):
                future = self._pending.get(rid)
                if future is not None and not future.done():
                    future.set_result(reply)
            case s.Refused(request_id=rid, code=code, message=message):
                future = self._pending.get(rid)
                if future is not None and not future.done():
                    future.set_exception(RequestError(code, message))
            case s.PresenceSeen(presence=presence):
                if self._on_presence is not None:
                    self._on_presence(presence)
            case s.Notice(code=code, message=message):
                log.warning("server error: %s %s", code, message)

    def _synced(self, areas: Area) -> None:
        self.last_sync = time.time()
        view = self.model.snapshot()
        if areas & Area.MEETINGS:
            for meeting in view.meetings.values():
                if meeting.wiped:
                    self.notebook.wipe_meeting(meeting.id, meeting.notes_kept)
        if areas & Area.ANNOTATIONS and self.annotations is not None:
            self.annotations.wake()
        self._on_state(view, areas)
        if areas & (Area.DOCUMENTS | Area.MEETINGS | Area.ROOM) or self._current != self._told:
            self._documents_update()
        if self._save_task is None or self._save_task.done():
            self._save_task = asyncio.ensure_future(self._save_soon())

    async def _save_soon(self) -> None:
        await asyncio.sleep(SAVE_DELAY)
        await self._save_now()

    async def _save_now(self) -> None:
        """Seal and write the state on a worker thread, from an immutable snapshot."""
        if self.seq is not None:
            await asyncio.to_thread(
                self.unlocked.save_state,
                self.model.snapshot(),
                self.seq,
                self.tag,
                self.last_sync,
            )

    async def _flush_save(self) -> None:
        if self._save_task is not None and not self._save_task.done():
            self._save_task.cancel()
            await self._save_now()

    def _drop_link(self) -> None:
        self._link = None
        self._session_seq = None
        for future in self._pending.values():
            if not future.done():
                future.set_exception(NotConnected("connection lost"))
        self._pending.clear()

    def _set_status(self, status: Status) -> None:
        if status is not self.status:
            self.status = status
            self._on_status(status, self.last_sync)
            self._documents_update()
            if self.annotations is not None:
                self.annotations.update(status is Status.ONLINE)

    @property
    def _current(self) -> bool:
        """Online, and the state is the room's as of this session (not yesterday's copy)."""
        seq, opened = self.seq, self._session_seq
        return (
            self.status is Status.ONLINE
            and opened is not None
            and seq is not None
            and seq >= opened
        )

    def _documents_update(self) -> None:
        self._told = self._current
        self.docsync.update(self.model.snapshot(), self._told)
