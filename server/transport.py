"""The room server process: TLS WebSocket connections driven by their sessions, and the log tail.

One asyncio process. Each connection's rules live in its :class:`~server.session.ServerSession`
(sans-I/O); this module only moves frames and runs the work a session hands over:
authentication against a warm device cache, enrollment and requests through the dispatcher
(server/dispatch.py) on one database thread, so the event loop never blocks on the database.

Every event reaches devices through :meth:`RoomServer._publish`, in log order. A change made
over the network is sent from the rows its transaction just committed; changes made by anyone
else (the command line, another server process on PostgreSQL) are found through the event feed
(server/feed.py), which wakes :meth:`RoomServer.pump` to tail the log. Fan-out, replay and
snapshots are the hub's (server/fanout.py); who is connected is presence's (server/presence.py).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import logging
import os
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import msgspec
import websockets
from websockets.asyncio.server import Server, ServerConnection, broadcast, serve
from websockets.http11 import Request, Response

from app import protocol as p
from server import dispatch, eventlog, pdfcheck, publishing, snapshot
from server.audience import Audience, View
from server.ballots import ballot_box
from server.bulk import BulkService
from server.config import Config
from server.datadir import DataDir
from server.db import EventRow
from server.domains import devices, polls, room
from server.domains.attendance import check_ins
from server.domains.devices import DeviceInfo
from server.errors import ServiceError
from server.fanout import Hub, LogEntry
from server.feed import EventFeed, feed_for
from server.groupcommit import GroupCommit
from server.health import HEALTH_PATH, Health
from server.pollclock import PollClock
from server.presence import Presence
from server.quietgc import QuietCollector
from server.session import (
    CLOSE_UNSUPPORTED,
    Action,
    Close,
    Handle,
    Phase,
    Publish,
    Send,
    ServerSession,
)
from server.store import NETWORK, Caller, Outcome, Store, Work
from server.throttle import FailureThrottle
from server.tls import server_context

log = logging.getLogger("hemicycle.server")

T = TypeVar("T")

HELLO_TIMEOUT = 10.0
AUTH_TIMEOUT = 30.0
SLOW_CHECK_INTERVAL = 0.5
#: Close code for "the room's log went back; reconnect" (1012: service restart).
CLOSE_LOG_CHANGED = 1012
PRESENCE_DELAY = 0.5


@dataclass(eq=False)
class Peer:
    """One connection: its session rules, its challenge, and who it turned out to be."""

    ws: ServerConnection
    session: ServerSession
    challenge: bytes
    source: str
    device: DeviceInfo | None = None
    timers: list[asyncio.TimerHandle] = field(default_factory=list)
    #: Holds one of the bulk service's upload slots (an upload is being received).
    uploading: bool = False

    @property
    def caller(self) -> Caller:
        return self.device.caller if self.device is not None else NETWORK


class RoomServer:
    """Serves one room data directory until :meth:`stop`."""

    def __init__(self, datadir: DataDir, config: Config, store: Store) -> None:
        self.datadir = datadir
        self.config = config
        self.store = store
        store.checkpoint_later = True  # after the events are sent: _settle
        #: Told of every request and event; the process's full collections wait for a gap
        #: (server/quietgc.py; taken over by the process, run_until_signalled).
        self.quiet = QuietCollector()
        self.room_id = datadir.room_id()
        self.room_name = "?"
        self.hub = Hub(config.limits.slow_client_buffer)
        self.presence = Presence()
        self._db_thread = ThreadPoolExecutor(1, thread_name_prefix="hemicycle-db")
        self._ssl = server_context(datadir.cert, datadir.key)
        self._server: Server | None = None
        self._feed: EventFeed = feed_for(store)
        self._peers: set[Peer] = set()
        self._per_source: collections.Counter[str] = collections.Counter()
        self._bulk_peers = 0
        self.bulk = BulkService(
            store,
            publishing.pdf_limits(config.documents),
            self.db,
            config.documents.cache_megabytes * 2**20,
        )
        #: Requests a hall sends at once, committed in batches (server/groupcommit.py).
        self.groups: dict[type[p.ClientRequest], GroupCommit[Any]] = {
            p.BallotCast: ballot_box(self.commit),
            p.AttendanceCheckIn: check_ins(self.commit),
        }
        self.clock = PollClock(store, self.commit)
        self._failures = FailureThrottle(
            config.limits.failed_attempts, config.limits.failed_attempt_seconds
        )
        self._devices: dict[int, DeviceInfo] = {}
        #: Hash of the last entry sent: the next one must extend it (see _publish).
        self._last_hash: bytes | None = None
        self._pump_lock = asyncio.Lock()
        self._pump_due = False
        self._presence_due = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self.port = 0
        self.health = Health(self)

    # ------------------------------------------------------------------ lifecycle

    async def start(self, host: str, port: int) -> None:
        def facts() -> tuple[str, int]:
            with self.store.read() as db:
                return room.info(db).name, eventlog.last_seq(db)

        self.room_name, last = await self.db(facts)
        # Refill the replay buffer so devices resuming after a restart get events, not snapshots;
        # the entry before the first kept is read too, for the tag a device resuming there holds.
        first = max(0, last - p.MAX_REPLAY_EVENTS - 1)
        rows = await self.db(self.store.events_after, first, p.MAX_REPLAY_EVENTS + 1)
        if rows:
            self.hub.forget_history(rows[0].seq, eventlog.tag(rows[0].hash))
            self._last_hash = rows[0].hash
        for row in rows[1:]:
            self._publish(row)
        # Warm the device cache: a hall reconnecting at once then costs no database trip per
        # device. Later enrollments and revocations reach it through the log (_publish).
        self._devices = {d.id: d for d in await self.db(self._all_devices)}
        # a secret poll whose close was committed by a server stopped before it was settled
        await self._settle(await self.db(self.store.run, polls.settle_all, polls.SETTLER))
        await self.clock.start()
        await self._feed.start(self._wake)
        self._server = await serve(
            self._handle,
            host,
            port,
            ssl=self._ssl,
            compression=None,
            max_size=p.MAX_CLIENT_FRAME,
            process_request=self._admit,
            server_header="Hemicycle",
            backlog=2048,  # a hall reconnecting at once must not overflow the accept queue
            logger=logging.getLogger("hemicycle.ws"),
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._spawn(self._check_slow())
        log.info("serving room %r on %s:%d, seq %d", self.room_name, host, self.port, last)

    async def stop(self) -> None:
        self.clock.stop()
        await self._feed.stop()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            self._server.close(close_connections=True)
            await self._server.wait_closed()
        self._db_thread.shutdown(wait=True)
        self.bulk.close()
        self.store.dispose()
        log.info("stopped")

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a database call on the one database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db_thread, partial(fn, *args))

    async def commit(self, fn: Callable[[Work], T], caller: Caller) -> Outcome[T]:
        """Run a unit of work on the database thread, then send what it appended."""
        outcome = await self.db(self.store.run, fn, caller)
        await self._settle(outcome)
        return outcome

    def _all_devices(self) -> list[DeviceInfo]:
        with self.store.read() as db:
            return devices.all_infos(db)

    def _device(self, device_id: int) -> DeviceInfo | None:
        with self.store.read() as db:
            return devices.info(db, device_id)

    def _admit(
        self, conn: ServerConnection, request: Request
    ) -> Response | Awaitable[Response] | None:
        if request.path == HEALTH_PATH:  # plain HTTPS, never upgraded, before any limit
            return self.health.respond(conn)
        if request.path not in (p.CONTROL_PATH, p.BULK_PATH):
            return conn.respond(404, "Hemicycle serves WebSocket connections on /ws and /bulk\n")
        if len(self._peers) >= self.config.limits.max_connections:
            log.warning(
                "refusing a connection: %d are open ([limits] max_connections)", len(self._peers)
            )
            return conn.respond(503, "room server is full\n")
        if request.path == p.BULK_PATH and self._bulk_peers >= self.config.limits.bulk_connections:
            # Devices retry later: the documents are not going anywhere. (The log says so at
            # most 20 times a minute: server/logsetup.py quiets repeated messages.)
            log.info(
                "turning a download away for now: %d are being served ([limits] "
                "bulk_connections); the device retries later",
                self._bulk_peers,
            )
            return conn.respond(503, "the room is serving as many downloads as it can\n")
        if self._per_source[_source(conn)] >= self.config.limits.connections_per_address:
            log.warning("refusing a connection: address %s holds too many", _source(conn))
            return conn.respond(503, "too many connections from this address\n")
        return None

    # ------------------------------------------------------------------ connections

    async def _handle(self, ws: ServerConnection) -> None:
        challenge = os.urandom(32)
        welcome = p.Welcome(
            protocol=p.PROTOCOL_VERSION,
            room_id=self.room_id.hex(),
            room_name=self.room_name,
            challenge=base64.b64encode(challenge).decode(),
            server_time=time.time(),
        )
        bulk = ws.request is not None and ws.request.path == p.BULK_PATH
        if bulk:
            # Upload frames are larger than control frames; the limit is read frame by frame.
            ws.protocol.max_message_size = p.MAX_UPLOAD_FRAME
            self._bulk_peers += 1
        peer = Peer(ws, ServerSession(welcome, bulk=bulk), challenge, _source(ws))
        self._peers.add(peer)
        self._per_source[peer.source] += 1
        loop = asyncio.get_running_loop()
        # A connection that neither greets nor authenticates in time gives its slot back.
        peer.timers = [
            loop.call_later(HELLO_TIMEOUT, self._expire, peer, Phase.HELLO),
            loop.call_later(AUTH_TIMEOUT, self._expire, peer, Phase.OPEN),
        ]
        try:
            async for frame in ws:
                await self._perform(peer, peer.session.receive(frame))
        except websockets.ConnectionClosed:
            pass
        finally:
            for timer in peer.timers:
                timer.cancel()
            self._peers.discard(peer)
            self._per_source[peer.source] -= 1
            if self._per_source[peer.source] <= 0:
                del self._per_source[peer.source]
            if bulk:
                self._bulk_peers -= 1
            if peer.uploading:
                self.bulk.uploads.release()
            if ws in self.hub.views:
                self.hub.unsubscribe(ws)
            if peer.device is not None and not bulk:
                self.presence.left(peer.device.role, _delegate_id(peer.device))
                self._presence_changed()

    def _expire(self, peer: Peer, phase: Phase) -> None:
        if peer.session.phase in (phase, Phase.HELLO):
            self._spawn(self._perform(peer, peer.session.expired()))

    async def _perform(self, peer: Peer, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Send):
                await peer.ws.send(p.encode(action.message), text=True)
            elif isinstance(action, Close):
                if action.code == CLOSE_UNSUPPORTED:  # IT's clue to a tablet left behind
                    log.warning("refusing an app at %s: %s here", peer.source, action.reason)
                await peer.ws.close(action.code, action.reason)
            elif isinstance(action, Handle):
                await self._perform(peer, await self._work(peer, action.request))
            elif isinstance(action, Publish):
                await self._perform(peer, await self._publish_upload(peer, action))

    async def _work(self, peer: Peer, request: p.ClientRequest) -> list[Action]:
        self.quiet.busy()
        try:
            if isinstance(request, p.Auth):
                if peer.session.bulk:
                    return await self._auth_bulk(peer, request)
                return await self._auth(peer, request)
            if isinstance(request, p.Enroll):
                reply: p.ServerMessage = await self._enroll(peer, request)
            elif isinstance(request, p.BlobsGet):
                dispatch.route_for(request).policy.admit(peer.caller)
                assert peer.device is not None
                reply = await self.bulk.blobs(peer.ws, peer.device.id, request)
            elif isinstance(request, p.DocumentUpload):
                reply = await self._accept_upload(peer, request)
            elif (group := self.groups.get(type(request))) is not None:
                dispatch.route_for(request).policy.admit(peer.caller)
                reply = await group.submit(peer.caller, request)
            else:
                reply = await self._request(peer, request)
        except ServiceError as exc:
            return peer.session.failed(request, exc.code, exc.message)
        except websockets.ConnectionClosed:
            raise
        except Exception:
            log.exception("request %s failed", p.message_type(request))
            return peer.session.failed(request, p.ErrorCode.INTERNAL, "internal server error")
        return peer.session.succeeded(request, reply)

    def _check_attempts(self, peer: Peer) -> None:
        if not self._failures.allowed(peer.source):
            log.warning("refusing attempts from %s for a while: too many failed", peer.source)
            raise ServiceError(p.ErrorCode.RATE_LIMITED, "too many failed attempts; wait a minute")

    async def _enroll(self, peer: Peer, req: p.Enroll) -> p.ServerMessage:
        self._check_attempts(peer)
        route = dispatch.route_for(req)
        route.policy.admit(peer.caller)
        try:
            outcome = await self.db(dispatch.execute, self.store, route, peer.caller, req)
        except ServiceError as exc:
            if exc.code is p.ErrorCode.INVALID_CODE:
                self._failures.failed(peer.source)
            raise
        enrolled = outcome.result
        assert isinstance(enrolled, p.Enrolled)
        log.info("enrolled device %d as %s", enrolled.device_id, enrolled.role)
        await self._settle(outcome)
        return enrolled

    async def _request(self, peer: Peer, req: p.ClientRequest) -> p.ServerMessage:
        route = dispatch.route_for(req)
        route.policy.admit(peer.caller)
        outcome = await self.db(dispatch.execute, self.store, route, peer.caller, req)
        await self._settle(outcome)
        reply = outcome.result
        assert isinstance(reply, p.Reply)
        return reply

    # ------------------------------------------------------------------ the bulk connection

    async def _auth_bulk(self, peer: Peer, req: p.Auth) -> list[Action]:
        """The bulk connection authenticates as the control one does, and then only asks:
        no snapshot, no events, no presence."""
        self._check_attempts(peer)
        dispatch.route_for(req).policy.admit(peer.caller)
        device = await self.db(self._device, req.device_id)
        try:
            device = devices.authenticate(device, req, self.room_id, peer.challenge)
        except ServiceError as exc:
            if exc.code is p.ErrorCode.UNKNOWN_DEVICE:
                self._failures.failed(peer.source)
            raise
        for timer in peer.timers:
            timer.cancel()
        peer.timers.clear()
        peer.device = device
        session = p.Session(
            id=req.id,
            device_id=device.id,
            role=device.role,
            delegate=device.delegate,
            seq=self.hub.sent_seq,
        )
        return peer.session.succeeded(req, session)

    async def _accept_upload(self, peer: Peer, req: p.DocumentUpload) -> p.Ok:
        dispatch.route_for(req).policy.admit(peer.caller)
        assert peer.device is not None  # admitted: authenticated
        await self.bulk.require_active(peer.device.id)
        limit = self.config.documents.max_megabytes * 1024 * 1024
        if req.length > limit:
            raise ServiceError(
                p.ErrorCode.INVALID_ARGUMENT,
                f"{req.file_name} is {req.length / 1e6:.0f} MB; this room takes documents of "
                f"at most {self.config.documents.max_megabytes} MB",
            )
        await self.bulk.uploads.acquire()  # released once published, refused or disconnected
        peer.uploading = True
        return p.Ok(id=req.id)

    async def _publish_upload(self, peer: Peer, upload: Publish) -> list[Action]:
        request = upload.request
        try:
            outcome = await self.bulk.publish(request, upload.data, peer.caller)
            await self._settle(outcome)
            reply = msgspec.structs.replace(outcome.result, seq=outcome.seq)
        except ServiceError as exc:
            return peer.session.failed(request, exc.code, exc.message)
        except pdfcheck.PdfRefused as exc:
            return peer.session.failed(request, p.ErrorCode.INVALID_ARGUMENT, str(exc))
        except Exception:
            log.exception("publishing %s failed", request.file_name)
            return peer.session.failed(request, p.ErrorCode.INTERNAL, "internal server error")
        finally:
            peer.uploading = False
            self.bulk.uploads.release()
        log.info(
            "published document %d version %d (%s)",
            reply.document_id,
            reply.version,
            request.file_name,
        )
        return peer.session.succeeded(request, reply)

    async def _auth(self, peer: Peer, req: p.Auth) -> list[Action]:
        self._check_attempts(peer)
        dispatch.route_for(req).policy.admit(peer.caller)
        while True:
            floor = self.hub.access_floor
            device = self._devices.get(req.device_id)
            if device is None:
                device = await self.db(self._device, req.device_id)
                if device is not None:
                    self._devices[device.id] = device
            try:
                device = devices.authenticate(device, req, self.room_id, peer.challenge)
            except ServiceError as exc:
                if exc.code is p.ErrorCode.UNKNOWN_DEVICE:
                    self._failures.failed(peer.source)
                raise
            frames, caught_up = await self._catch_up(req.since, req.since_tag, device.view)
            if self.hub.access_floor == floor:
                break  # else who sees what changed meanwhile: look the device up again
            self._devices.pop(req.device_id, None)
        for timer in peer.timers:  # authenticated in time
            timer.cancel()
        peer.timers.clear()
        # From here to registration there is no await: no event can slip between the two.
        session = p.Session(
            id=req.id,
            device_id=device.id,
            role=device.role,
            delegate=device.delegate,
            seq=caught_up,
        )
        for action in peer.session.succeeded(req, session):
            if isinstance(action, Send):
                broadcast([peer.ws], p.encode(action.message), text=True)
        for frame in frames:
            broadcast([peer.ws], frame, text=True)
        peer.device = device
        self.hub.subscribe(peer.ws, device.view)
        if device.view.staff:
            broadcast([peer.ws], p.encode(self.presence.message()), text=True)
        self.presence.joined(device.role, _delegate_id(device))
        self._presence_changed()
        return []

    # ------------------------------------------------------------------ the log

    def _wake(self) -> None:
        """The feed saw another writer: tail the log soon (coalesced)."""
        if not self._pump_due:
            self._pump_due = True
            self._spawn(self._pump_soon())

    async def _pump_soon(self) -> None:
        """One look at the log's head, without the pump's lock (most wake-ups are this
        process's own commits): tail it if it grew; resync everyone if it went back."""
        self._pump_due = False
        try:
            head = await self.db(self._head)
            if head is None or (head.seq == self.hub.sent_seq and head.hash == self._last_hash):
                return  # nothing new: the usual case
            await self.pump(check_head=True)
        except Exception:
            log.exception("reading the event log failed")

    async def _settle(self, outcome: Outcome[Any]) -> None:
        """After a unit of work committed: send what it appended, then — off the path of the
        events — run the units of work it left to follow it, and empty SQLite's log if it
        asked for that (a secret poll closed: its rows written again, then the log emptied)."""
        await self._deliver(outcome.rows)
        for fn, caller in outcome.follow_ups:
            try:
                await self._settle(await self.db(self.store.run, fn, caller))
            except Exception:
                # what it was to do is found in the database and done at the next start
                log.exception("a unit of work following a committed change failed")
        if outcome.empty_log:
            await self.db(self.store.empty_wal)

    async def _deliver(self, rows: list[EventRow]) -> None:
        """Send what a unit of work just appended, keeping log order."""
        self.quiet.busy()
        if not rows:
            return
        if rows[0].seq <= self.hub.sent_seq:  # appended where entries were already sent
            self._rewound(rows[-1].seq, eventlog.tag(rows[-1].hash))
            self._last_hash = rows[-1].hash
            return
        if rows[0].seq == self.hub.sent_seq + 1 and not self._pump_lock.locked():
            for row in rows:  # next in line: send straight away, no read-back
                self._publish(row)
        else:  # another writer came in between: the log tail keeps the order
            await self.pump(until=rows[-1].seq)

    async def pump(self, until: int = 0, check_head: bool = False) -> None:
        """Send every logged event not yet sent, in order, at least up to ``until``. With
        ``check_head``, also make sure the log did not go back behind what was sent."""
        async with self._pump_lock:
            if check_head:
                head = await self.db(self._head)
                behind = head is not None and head.seq < self.hub.sent_seq
                replaced = head is not None and head.seq == self.hub.sent_seq
                if head is not None and (behind or (replaced and head.hash != self._last_hash)):
                    self._rewound(head.seq, eventlog.tag(head.hash))
                    self._last_hash = head.hash
                    return
            while True:
                rows = await self.db(self.store.events_after, self.hub.sent_seq, 500)
                for row in rows:
                    self._publish(row)
                if len(rows) < 500 and self.hub.sent_seq >= until:
                    return

    def _head(self) -> EventRow | None:
        with self.store.read() as db:
            rows = eventlog.after(db, eventlog.last_seq(db) - 1, 1)
        return rows[0] if rows else None

    def _rewound(self, seq: int, tag: bytes) -> None:
        """The log is behind what was sent (a failover to a standby that lacked the last
        entries, a restored backup). Devices may hold changes the room no longer has: every
        connection is closed, and each device, resuming, gets a snapshot (its tag no longer
        names an entry of this log). The log's head (``seq``, ``tag``) is where sending starts
        again: no device is connected to have missed what led up to it."""
        log.warning(
            "the room's log went back from entry %d to %d; every device resyncs",
            self.hub.sent_seq,
            seq,
        )
        self.hub.rewind(seq, tag)
        self._devices.clear()
        self.bulk.log_moved()
        for peer in list(self._peers):
            if peer.ws in self.hub.views:
                self.hub.unsubscribe(peer.ws)
            self._spawn(peer.ws.close(CLOSE_LOG_CHANGED, "the room's log changed"))

    def _publish(self, row: EventRow) -> None:
        """Encode a logged event once, act on what it means for sessions, and fan it out.

        Each entry must extend the chain the server has sent: one that does not (the log was
        replaced behind it, and new entries overtook what it had sent) is a rewind."""
        follows = self._last_hash is None or eventlog.chain_hash(self._last_hash, row) == row.hash
        self._last_hash = row.hash
        self.bulk.log_moved()
        if not follows:
            self._rewound(row.seq, eventlog.tag(row.hash))
            return
        try:
            body = p.decode_event_body(row.body)
            audience = Audience.decode(row.audience)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
            log.warning("log entry %d cannot be sent to devices; they resync instead", row.seq)
            self.hub.forget_history(row.seq, eventlog.tag(row.hash))
            return
        tag = eventlog.tag(row.hash)
        frame = p.encode(p.Event(seq=row.seq, at=row.at, tag=tag, body=body))
        if len(frame) > p.MAX_SERVER_FRAME:
            log.warning("log entry %d is too large to send; devices resync instead", row.seq)
            self.hub.forget_history(row.seq, tag)
            return
        if isinstance(body, p.PollChanged):
            self.clock.saw(body.poll)
        if isinstance(body, p.DeviceEnrolled | p.DeviceRevoked):
            self._devices.pop(body.device_id, None)
        if isinstance(body, p.DeviceRevoked):
            self._end_sessions_of(body.device_id)
        if isinstance(body, p.DelegatesChanged):
            self._devices.clear()  # names and groups changed; reloaded on next use
        if isinstance(body, p.AccessChanged):
            resyncing = self._withdraw_views(row.seq)
            self.hub.publish(LogEntry(row.seq, tag, audience, frame))
            self._spawn(self._resync(resyncing))
            return
        self.hub.publish(LogEntry(row.seq, tag, audience, frame))

    def _end_sessions_of(self, device_id: int) -> None:
        for peer in [x for x in self._peers if x.device is not None and x.device.id == device_id]:
            log.info("closing the session of revoked device %d", device_id)
            if peer.ws in self.hub.views:
                self.hub.unsubscribe(peer.ws)
            self._spawn(self._perform(peer, peer.session.revoked()))

    # ------------------------------------------------------------------ catching up

    async def _catch_up(
        self, since: int | None, tag: bytes | None, view: View
    ) -> tuple[list[bytes], int]:
        """Frames that bring a device from ``since`` (the entry tagged ``tag``) to the live
        stream, and the seq it is at once it has them (the session's ``seq``: entries after it
        that are not for this device never reach it, so it is current there). Nothing awaits
        after the replay buffer is read, so no broadcast can fall between these and the live
        ones."""
        while True:
            if since is not None and self.hub.can_replay(since, tag, view):
                return self.hub.replay(since, view)
            seq, snap_tag, frames = await self._snapshot(view)
            if self.hub.can_replay(seq, snap_tag, view):
                events, last = self.hub.replay(seq, view)
                return frames + events, last

    async def _snapshot(self, view: View) -> tuple[int, bytes, list[bytes]]:
        cached = self.hub.cached_snapshot(view)
        if cached is not None:
            return cached

        def build() -> tuple[int, bytes, list[bytes]]:
            with self.store.read() as db:
                seq, tag, state = snapshot.build(db, view)
            return seq, tag, snapshot.frames(seq, tag, state)

        seq, tag, frames = await self.db(build)
        if seq > self.hub.sent_seq:  # another writer's events the feed has not sent yet
            await self.pump(until=seq)
        self.hub.keep_snapshot(view, seq, tag, frames)
        return seq, tag, frames

    def _withdraw_views(self, seq: int) -> list[Peer]:
        """Who sees what changed at ``seq``: take every non-staff device out of live fan-out
        (so none receives an event under its old view) until it has its new snapshot."""
        self.hub.access_changed(seq)
        withdrawn = []
        for peer in self._peers:
            view = self.hub.views.get(peer.ws)
            if view is not None and not view.staff:
                self.hub.unsubscribe(peer.ws)
                withdrawn.append(peer)
        return withdrawn

    async def _resync(self, peers: list[Peer]) -> None:
        """Send each withdrawn device the snapshot of its new view, then put it back live."""
        fresh = {d.id: d for d in await self.db(self._all_devices)}
        self._devices = dict(fresh)
        for peer in peers:
            if peer not in self._peers or peer.device is None:
                continue
            device = fresh.get(peer.device.id)
            if device is None or device.revoked:
                continue
            try:
                frames, _seq = await self._catch_up(None, None, device.view)
            except Exception:
                log.exception("resyncing device %d failed; it resyncs on reconnect", device.id)
                self._spawn(peer.ws.close(1011, "resync failed"))
                continue
            if peer not in self._peers:
                continue
            for frame in frames:
                broadcast([peer.ws], frame, text=True)
            peer.device = device
            self.hub.subscribe(peer.ws, device.view)

    # ------------------------------------------------------------------ housekeeping

    async def _check_slow(self) -> None:
        """Checked twice a second rather than per event: a client can fall at most half a
        second of events further behind, and the broadcast path stays a single call."""
        while True:
            await asyncio.sleep(SLOW_CHECK_INTERVAL)
            self.hub.drop_slow()

    def _presence_changed(self) -> None:
        if not self._presence_due:
            self._presence_due = True
            self._spawn(self._send_presence())

    async def _send_presence(self) -> None:
        await asyncio.sleep(PRESENCE_DELAY)
        self._presence_due = False
        broadcast(self.hub.staff(), p.encode(self.presence.message()), text=True)


def _source(ws: ServerConnection) -> str:
    address = ws.remote_address
    return str(address[0]) if address else "?"


def _delegate_id(device: DeviceInfo) -> int | None:
    return device.delegate.id if device.delegate is not None else None


async def run_until_signalled(server: RoomServer, host: str, port: int, mdns: bool) -> None:
    """Serve until SIGTERM or SIGINT; announce the room on the LAN while serving."""
    import signal

    from app.discovery import Advertiser, interface_addresses

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await server.start(host, port)
    server.quiet.take_over()
    collector = asyncio.ensure_future(server.quiet.run())
    advertiser: Advertiser | None = None
    if mdns:
        addresses = server.config.discovery.interfaces or interface_addresses(host)
        advertiser = Advertiser(
            server.room_name, server.room_id, server.port, addresses, p.PROTOCOL_VERSION
        )
        try:
            await advertiser.start()
            log.info("announced on %s", ", ".join(addresses))
        except Exception:
            log.exception("mDNS announcement failed; clients can still type the address")
            advertiser = None
    print(f"Hemicycle room server listening on {host}:{server.port}", flush=True)
    await stop.wait()
    log.info("signal received, shutting down")
    collector.cancel()
    server.quiet.give_back()
    if advertiser is not None:
        with contextlib.suppress(Exception):
            await advertiser.stop()
    await server.stop()
