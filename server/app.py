"""The room server: TLS WebSocket endpoint, request dispatch, event fan-out and resume.

One asyncio process. Database work runs on a single dedicated thread (the one writer), so the
event loop never blocks on SQLite. Every event reaches clients through :meth:`RoomServer._fan_out`,
in log order: a change made over the network is sent from the rows its transaction just
committed; changes made by another process (the command line, while the server runs) are found
by :meth:`RoomServer.pump`, which tails the log. Each event frame is encoded once and handed to
``websockets.broadcast``; a client whose send buffer grows past the configured limit is dropped
and resyncs on reconnect, so a slow tablet never grows server memory without bound.
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

import websockets
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from websockets.asyncio.server import Server, ServerConnection, broadcast, serve
from websockets.http11 import Request, Response

from app import protocol as p
from app.codes import CodeError, b32decode
from server.config import Config
from server.datadir import DataDir
from server.db import EventRow, make_engine
from server.migrate import upgrade
from server.service import Change, DeviceInfo, Room, ServiceError
from server.tls import server_context

log = logging.getLogger("hemicycle.server")

T = TypeVar("T")

WS_PATH = "/ws"
HELLO_TIMEOUT = 10.0
AUTH_TIMEOUT = 30.0
POLL_INTERVAL = 0.5
MAX_BAD_CODES = 5
CLOSE_UNSUPPORTED = 4001
CLOSE_AUTH = 4003


@dataclass(eq=False)
class Peer:
    """One connection and what the server knows about who is on the other end."""

    ws: ServerConnection
    challenge: bytes = field(default_factory=lambda: os.urandom(32))
    device: DeviceInfo | None = None
    bad_codes: int = 0

    @property
    def role(self) -> str | None:
        return self.device.role if self.device else None


@dataclass(frozen=True)
class LogEntry:
    seq: int
    audience: p.Audience
    frame: bytes


class RoomServer:
    """Serves one room data directory until :meth:`stop`."""

    def __init__(self, datadir: DataDir, config: Config) -> None:
        self.datadir = datadir
        self.config = config
        self.engine = make_engine(datadir.db)
        upgrade(self.engine)
        self.room = Room(self.engine)
        self.room_id = datadir.room_id()
        self.room_name = self.room.room_name()
        self._db_thread = ThreadPoolExecutor(1, thread_name_prefix="hemicycle-db")
        self._ssl = server_context(datadir.cert, datadir.key)
        self._server: Server | None = None
        self._peers: set[Peer] = set()
        self._all: set[ServerConnection] = set()
        self._staff: set[ServerConnection] = set()
        self._recent: collections.deque[LogEntry] = collections.deque(maxlen=p.MAX_REPLAY_EVENTS)
        self._sent_seq = 0
        self._snapshot: tuple[int, bytes] | None = None
        self._pump_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._presence_due = False
        self._devices: dict[int, DeviceInfo] = {}
        self.port = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self, host: str, port: int) -> None:
        self._sent_seq = await self.db(self.room.last_seq)
        # Refill the replay buffer so clients resuming after a restart get events, not snapshots.
        first = max(0, self._sent_seq - p.MAX_REPLAY_EVENTS)
        for row in await self.db(self.room.events_after, first, p.MAX_REPLAY_EVENTS):
            self._record(row)
        # Warm the device cache: a hall reconnecting at once then costs no database trip per
        # device. Later enrollments and revocations reach it through the log (see _record).
        self._devices = {d.id: d for d in await self.db(self.room.device_infos)}
        self._server = await serve(
            self._handle,
            host,
            port,
            ssl=self._ssl,
            compression=None,
            max_size=p.MAX_CONTROL_FRAME,
            process_request=self._check_path,
            server_header="Hemicycle",
            backlog=2048,  # a hall reconnecting at once must not overflow the accept queue
            logger=logging.getLogger("hemicycle.ws"),
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._spawn(self._poll_log())
        log.info(
            "serving room '%s' on %s:%d, seq %d", self.room_name, host, self.port, self._sent_seq
        )

    async def stop(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            self._server.close(close_connections=True)
            await self._server.wait_closed()
        self._db_thread.shutdown(wait=True)
        self.engine.dispose()
        log.info("stopped")

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a database call on the writer thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db_thread, partial(fn, *args, **kwargs))

    def _check_path(self, conn: ServerConnection, request: Request) -> Response | None:
        if request.path != WS_PATH:
            return conn.respond(404, "Hemicycle serves WebSocket connections on /ws\n")
        if len(self._peers) >= self.config.limits.max_connections:
            return conn.respond(503, "room server is full\n")
        return None

    # ------------------------------------------------------------------ event fan-out

    async def _poll_log(self) -> None:
        """Pick up events written by other processes (the command line) on the same database,
        and drop clients too slow to drain what they were sent."""
        while True:
            await asyncio.sleep(POLL_INTERVAL)
            self._drop_slow()
            try:
                if await self.db(self.room.last_seq) > self._sent_seq:
                    await self.pump()
            except Exception:
                log.exception("polling the event log failed")

    async def pump(self, until: int = 0) -> None:
        """Broadcast every logged event not yet sent, in order, at least up to ``until``."""
        async with self._pump_lock:
            while True:
                rows: list[EventRow] = await self.db(self.room.events_after, self._sent_seq, 500)
                for row in rows:
                    self._fan_out(row)
                if len(rows) < 500 and self._sent_seq >= until:
                    return

    def _record(self, row: EventRow) -> LogEntry:
        """Encode a logged event once and keep it for replay."""
        body = p.decode_event_body(row.body)
        frame = p.encode(p.Event(seq=row.seq, at=row.at, body=body))
        if isinstance(body, p.DeviceEnrolled | p.DeviceRevoked):
            self._devices.pop(body.device_id, None)  # device changes reach the cache via the log
        if isinstance(body, p.DeviceRevoked):
            self._end_sessions_of(body.device_id)
        entry = LogEntry(row.seq, "staff" if row.audience == "staff" else "all", frame)
        self._recent.append(entry)
        self._sent_seq = row.seq
        return entry

    def _end_sessions_of(self, device_id: int) -> None:
        frame = p.encode(
            p.Error(code=p.ErrorCode.DEVICE_REVOKED, message="this device was revoked")
        )
        for peer in [x for x in self._peers if x.device is not None and x.device.id == device_id]:
            log.info("closing the session of revoked device %d", device_id)
            self._all.discard(peer.ws)
            self._staff.discard(peer.ws)
            broadcast([peer.ws], frame, text=True)
            self._spawn(peer.ws.close(CLOSE_AUTH, "revoked"))

    def _fan_out(self, row: EventRow) -> None:
        entry = self._record(row)
        broadcast(self._staff if entry.audience == "staff" else self._all, entry.frame, text=True)

    def _drop_slow(self) -> None:
        """Checked twice a second rather than per event: a client can fall at most half a
        second of events further behind, and the broadcast path stays a single call."""
        limit = self.config.limits.slow_client_buffer
        slow = [ws for ws in self._all if ws.transport.get_write_buffer_size() > limit]
        for ws in slow:
            # A close frame would queue behind the very backlog that is the problem: abort,
            # which frees the buffer now. The client reconnects and resumes from its seq.
            log.warning("dropping slow client %s", ws.remote_address)
            self._all.discard(ws)
            self._staff.discard(ws)
            ws.transport.abort()

    def _can_replay(self, seq: int) -> bool:
        """Whether every event after ``seq`` is still in the in-memory replay buffer."""
        if seq > self._sent_seq:
            return False
        oldest = self._recent[0].seq if self._recent else self._sent_seq + 1
        return seq + 1 >= oldest

    async def _catch_up_frames(self, since: int | None, staff: bool) -> list[bytes]:
        """Frames that bring a client from ``since`` to the live stream. Nothing awaits after
        the buffer is read, so no broadcast can fall between these frames and the live ones."""
        while True:
            if since is not None and self._can_replay(since):
                start, frames = since, []
            else:
                snap_seq, snap_frame = await self._snapshot_frame()
                if not self._can_replay(snap_seq):
                    self._snapshot = None  # a burst rolled the buffer past it; rebuild
                    continue
                start, frames = snap_seq, [snap_frame]
            frames.extend(
                e.frame for e in self._recent if e.seq > start and (staff or e.audience == "all")
            )
            return frames

    async def _snapshot_frame(self) -> tuple[int, bytes]:
        """Cached snapshot, rebuilt only when the replay buffer no longer reaches back to it."""
        if self._snapshot is None or not self._can_replay(self._snapshot[0]):
            seq, state = await self.db(self.room.snapshot)
            if seq > self._sent_seq:  # another process wrote events the poll has not sent yet
                await self.pump(until=seq)
            self._snapshot = (seq, p.encode(p.Snapshot(seq=seq, state=state)))
        return self._snapshot

    # ------------------------------------------------------------------ presence

    def _presence_changed(self) -> None:
        if not self._presence_due:
            self._presence_due = True
            self._spawn(self._send_presence())

    async def _send_presence(self) -> None:
        await asyncio.sleep(0.5)
        self._presence_due = False
        broadcast(self._staff, p.encode(p.Presence(connected=self.presence())), text=True)

    def presence(self) -> dict[str, int]:
        counts = collections.Counter(peer.role for peer in self._peers if peer.role is not None)
        return {role: counts.get(role, 0) for role in ("delegate", "secretary", "display", "admin")}

    # ------------------------------------------------------------------ connections

    async def _handle(self, ws: ServerConnection) -> None:
        peer = Peer(ws)
        self._peers.add(peer)
        # A connection that neither enrolls nor authenticates in time gives its slot back.
        deadline = asyncio.get_running_loop().call_later(AUTH_TIMEOUT, self._expire, peer)
        try:
            if not await self._greet(peer):
                return
            async for frame in ws:
                await self._on_frame(peer, frame)
        except websockets.ConnectionClosed:
            pass
        finally:
            deadline.cancel()
            self._peers.discard(peer)
            self._all.discard(ws)
            self._staff.discard(ws)
            if peer.device is not None:
                self._presence_changed()

    def _expire(self, peer: Peer) -> None:
        if peer.device is None:
            self._spawn(peer.ws.close(CLOSE_AUTH, "authentication timeout"))

    async def _send(self, peer: Peer, msg: p.ServerMessage) -> None:
        await peer.ws.send(p.encode(msg), text=True)

    async def _greet(self, peer: Peer) -> bool:
        try:
            frame = await asyncio.wait_for(peer.ws.recv(), HELLO_TIMEOUT)
            hello = p.decode_client(frame)
        except TimeoutError:
            await peer.ws.close(CLOSE_AUTH, "no hello")
            return False
        except p.ProtocolError as exc:
            await self._send(peer, p.Error(code=exc.code, message=exc.message))
            await peer.ws.close(CLOSE_AUTH, "bad hello")
            return False
        if not isinstance(hello, p.Hello):
            await self._send(
                peer, p.Error(code=p.ErrorCode.BAD_MESSAGE, message="send hello first")
            )
            await peer.ws.close(CLOSE_AUTH, "bad hello")
            return False
        common = set(hello.protocols) & set(p.SUPPORTED_VERSIONS)
        if not common:
            await self._send(
                peer,
                p.Error(
                    code=p.ErrorCode.UNSUPPORTED_VERSION,
                    message=f"server speaks protocol {list(p.SUPPORTED_VERSIONS)}; update the app",
                ),
            )
            await peer.ws.close(CLOSE_UNSUPPORTED, "unsupported protocol version")
            return False
        await self._send(
            peer,
            p.Welcome(
                protocol=max(common),
                room_id=self.room_id.hex(),
                room_name=self.room_name,
                challenge=base64.b64encode(peer.challenge).decode(),
                server_time=time.time(),
            ),
        )
        return True

    async def _on_frame(self, peer: Peer, frame: str | bytes) -> None:
        if isinstance(frame, bytes):
            await self._send(
                peer,
                p.Error(code=p.ErrorCode.BAD_MESSAGE, message="binary frames are not accepted"),
            )
            return
        try:
            msg = p.decode_client(frame)
        except p.ProtocolError as exc:
            await self._send(
                peer, p.Error(id=p.request_id_of(frame), code=exc.code, message=exc.message)
            )
            return
        if isinstance(msg, p.Hello):
            await self._send(
                peer, p.Error(code=p.ErrorCode.BAD_MESSAGE, message="hello was already sent")
            )
            return
        try:
            await self._dispatch(peer, msg)
        except ServiceError as exc:
            await self._send(peer, p.Error(id=msg.id, code=exc.code, message=exc.message))
        except websockets.ConnectionClosed:
            raise
        except Exception:
            log.exception("request %s failed", p.message_type(msg))
            await self._send(
                peer, p.Error(id=msg.id, code=p.ErrorCode.INTERNAL, message="internal server error")
            )

    async def _dispatch(self, peer: Peer, msg: p.ClientRequest) -> None:
        if isinstance(msg, p.Enroll):
            await self._enroll(peer, msg)
            return
        if isinstance(msg, p.Auth):
            await self._auth(peer, msg)
            return
        if peer.device is None:
            raise ServiceError(p.ErrorCode.NOT_AUTHENTICATED, "authenticate first")
        if type(msg) in p.STAFF_REQUESTS and peer.role not in p.STAFF_ROLES:
            raise ServiceError(p.ErrorCode.FORBIDDEN, "only the secretariat may do this")
        actor = f"device:{peer.device.id}"
        change, rows = await self._mutate(msg, actor)
        if rows and rows[0].seq == self._sent_seq + 1 and not self._pump_lock.locked():
            for row in rows:  # next in line: send straight away, no read-back
                self._fan_out(row)
        else:  # another writer came in between: the log tail keeps the order
            await self.pump(until=change.seq)
        await self._send(peer, p.Ok(id=msg.id, seq=change.seq, object_id=change.object_id))

    async def _mutate(self, msg: p.ClientRequest, actor: str) -> tuple[Change, list[EventRow]]:
        """Run the request's change on the database thread; returns it with the log entries
        it appended, so they can be sent without reading them back."""
        call = self._change_for(msg, actor)

        def run() -> tuple[Change, list[EventRow]]:
            change = call()
            return change, list(self.room.appended)

        return await self.db(run)

    def _change_for(self, msg: p.ClientRequest, actor: str) -> Callable[[], Change]:
        room = self.room
        match msg:
            case p.MeetingCreate():
                return partial(room.create_meeting, msg.title, msg.starts_on, actor)
            case p.MeetingUpdate():
                return partial(
                    room.update_meeting,
                    msg.meeting_id,
                    actor,
                    title=msg.title,
                    starts_on=msg.starts_on,
                    status=msg.status,
                )
            case p.MeetingActivate():
                return partial(room.activate_meeting, msg.meeting_id, actor)
            case p.AgendaAdd():
                return partial(room.add_item, msg, actor)
            case p.AgendaUpdate():
                return partial(room.update_item, msg, actor)
            case p.AgendaRemove():
                return partial(room.remove_item, msg.item_id, actor)
            case p.AgendaMove():
                return partial(room.move_item, msg.item_id, msg.parent_id, msg.position, actor)
            case p.AgendaSetCurrent():
                return partial(room.set_current, msg.meeting_id, msg.item_id, actor)
        raise ServiceError(p.ErrorCode.BAD_MESSAGE, f"unexpected {p.message_type(msg)}")

    async def _enroll(self, peer: Peer, msg: p.Enroll) -> None:
        if peer.device is not None:
            raise ServiceError(p.ErrorCode.ALREADY_AUTHENTICATED, "this device is enrolled")
        try:
            secret = b32decode(msg.secret, 10)
            sign_key = base64.b64decode(msg.sign_key, validate=True)
            kx_key = base64.b64decode(msg.kx_key, validate=True)
        except (CodeError, ValueError):
            raise ServiceError(p.ErrorCode.BAD_MESSAGE, "malformed code or key") from None
        if len(sign_key) != 32 or len(kx_key) != 32:
            raise ServiceError(p.ErrorCode.BAD_MESSAGE, "device keys must be 32 bytes")
        try:
            device = await self.db(
                self.room.enroll, secret, msg.device_name, sign_key, kx_key, "network"
            )
        except ServiceError:
            peer.bad_codes += 1
            if peer.bad_codes >= MAX_BAD_CODES:
                await peer.ws.close(CLOSE_AUTH, "too many invalid codes")
            raise
        log.info("enrolled device %d as %s", device.id, device.role)
        await self.pump()
        await self._send(
            peer,
            p.Enrolled(id=msg.id, device_id=device.id, role=device.role, delegate=device.delegate),
        )

    async def _auth(self, peer: Peer, msg: p.Auth) -> None:
        if peer.device is not None:
            raise ServiceError(p.ErrorCode.ALREADY_AUTHENTICATED, "already authenticated")
        device = self._devices.get(msg.device_id)
        if device is None:
            device = await self.db(self.room.device, msg.device_id)
            if device is not None:
                self._devices[device.id] = device
        if device is None:
            raise ServiceError(
                p.ErrorCode.UNKNOWN_DEVICE, "this device is not enrolled in this room"
            )
        if device.revoked:
            await self._send(
                peer,
                p.Error(
                    id=msg.id, code=p.ErrorCode.DEVICE_REVOKED, message="this device was revoked"
                ),
            )
            await peer.ws.close(CLOSE_AUTH, "revoked")
            return
        try:
            signature = base64.b64decode(msg.signature, validate=True)
            Ed25519PublicKey.from_public_bytes(device.sign_key).verify(
                signature, p.AUTH_CONTEXT + self.room_id + peer.challenge
            )
        except (InvalidSignature, ValueError):
            raise ServiceError(p.ErrorCode.BAD_SIGNATURE, "signature does not verify") from None
        staff = device.role in p.STAFF_ROLES
        frames = await self._catch_up_frames(msg.since, staff)
        # From here to registration there is no await: no event can slip between the two.
        peer.device = device
        session = p.Session(
            id=msg.id,
            device_id=device.id,
            role=device.role,
            delegate=device.delegate,
            seq=self._sent_seq,
        )
        broadcast([peer.ws], p.encode(session), text=True)
        for frame in frames:
            broadcast([peer.ws], frame, text=True)
        self._all.add(peer.ws)
        if staff:
            self._staff.add(peer.ws)
            broadcast([peer.ws], p.encode(p.Presence(connected=self.presence())), text=True)
        self._presence_changed()


async def run_until_signalled(server: RoomServer, host: str, port: int, mdns: bool) -> None:
    """Serve until SIGTERM or SIGINT; announce the room on the LAN while serving."""
    import signal

    from app.discovery import Advertiser, interface_addresses

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await server.start(host, port)
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
    if advertiser is not None:
        with contextlib.suppress(Exception):
            await advertiser.stop()
    await server.stop()
