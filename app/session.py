"""The client side of the connection rules, with no I/O: frames in, happenings out.

:class:`ClientSession` is the mirror of the server's ``server/session.py``. The apps' network
code (app/connection.py, app/client.py, app/enroll.py) only moves frames: it sends what the
session builds (``hello``, ``auth``, ``enroll``, requests with fresh ids) and feeds it every
frame received; the session says what happened. The rules it keeps:

* the server's first frame is ``welcome`` (or an error that ends the attempt);
* every answer is matched to the request it echoes; answers to nothing are ignored;
* snapshot parts are gathered and handed over together, when the last arrives;
* an event at or below the last applied ``seq`` is a replay overlap and is skipped;
* the resume point is the last applied ``seq`` *and* its entry's tag, so a room whose log went
  back (a failover, a restored backup) sends a snapshot instead of replaying onto it;
* a refusal that ends this device's standing (revoked, unknown) is :class:`Fatal`;
* binary frames come only on the bulk connection, as ``address ‖ blob`` (:class:`BlobArrived`),
  and only while a ``blobs.get`` is pending.

``tests/app/test_session.py`` drives it with frames alone.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from app import protocol as p
from app.keys import b64

#: Refusals after which this device must stop trying: it is not (any more) in the room.
FATAL_CODES = frozenset({p.ErrorCode.DEVICE_REVOKED, p.ErrorCode.UNKNOWN_DEVICE})


class Fatal(Exception):
    """The room refused this device for good."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotConnected(Exception):
    """The request could not be sent: the room is not reachable right now."""


class RequestError(Exception):
    """The server refused a request; ``code`` is a :class:`~app.protocol.ErrorCode`."""

    def __init__(self, code: p.ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Welcomed:
    welcome: p.Welcome


@dataclass(frozen=True)
class Opened:
    session: p.Session


@dataclass(frozen=True)
class Loaded:
    """A complete snapshot: replace the state with it."""

    seq: int
    tag: bytes
    state: p.RoomState


@dataclass(frozen=True)
class Applied:
    seq: int
    tag: bytes
    body: p.EventBody


@dataclass(frozen=True)
class Answered:
    request_id: int
    reply: p.ServerMessage


@dataclass(frozen=True)
class Refused:
    request_id: int
    code: p.ErrorCode
    message: str


@dataclass(frozen=True)
class PresenceSeen:
    presence: p.Presence


@dataclass(frozen=True)
class Notice:
    """An error the server sent about no request in particular (logged, not fatal)."""

    code: p.ErrorCode
    message: str


@dataclass(frozen=True)
class BlobArrived:
    """Bulk connection: a blob asked for. Its address is checked by whoever stores it."""

    address: bytes
    data: memoryview


Happening = (
    Welcomed | Opened | Loaded | Applied | Answered | Refused | PresenceSeen | Notice | BlobArrived
)


class ClientSession:
    def __init__(self, since: int | None = None, tag: bytes = b"", *, bulk: bool = False) -> None:
        self.bulk = bulk
        #: The last seq applied, and its entry's tag: what ``auth`` asks to resume from.
        self.seq = since
        self.tag = tag
        self.welcome: p.Welcome | None = None
        self._next_id = 0
        self._pending: set[int] = set()
        self._auth_id: int | None = None
        self._parts: list[p.RoomState] = []
        self._parts_seq: int | None = None

    def _new_id(self) -> int:
        self._next_id += 1
        self._pending.add(self._next_id)
        return self._next_id

    # ------------------------------------------------------------------ frames to send

    def hello(self, client: str) -> bytes:
        return p.encode(p.Hello(protocols=list(p.SUPPORTED_VERSIONS), client=client))

    def auth(self, device_id: int, sign: Callable[[bytes], bytes], room_id: bytes) -> bytes:
        """The signed ``auth`` answering this connection's challenge."""
        if self.welcome is None:
            raise p.ProtocolError(p.ErrorCode.BAD_MESSAGE, "no welcome yet")
        challenge = base64.b64decode(self.welcome.challenge)
        signature = sign(p.AUTH_CONTEXT + room_id + challenge)
        self._auth_id = self._new_id()
        return p.encode(
            p.Auth(
                id=self._auth_id,
                device_id=device_id,
                signature=b64(signature),
                since=self.seq,
                since_tag=self.tag or None,
            )
        )

    def expect(self, rid: int) -> None:
        """A request answered twice (an upload: ``ok``, then ``document.published``) awaits
        its second answer."""
        self._pending.add(rid)

    def request(self, msg: p.ClientRequest) -> tuple[int, bytes]:
        """A request with a fresh id; its answer comes back as Answered or Refused."""
        rid = self._new_id()
        return rid, p.encode(msgspec.structs.replace(msg, id=rid))

    # ------------------------------------------------------------------ frames received

    def receive(self, frame: str | bytes) -> list[Happening]:
        """Raises ProtocolError for a frame that breaks the rules, Fatal for a final refusal."""
        if isinstance(frame, bytes) and self.bulk and self.welcome is not None:
            if not self._pending or len(frame) <= p.ADDRESS_BYTES:
                raise p.ProtocolError(p.ErrorCode.BAD_MESSAGE, "a blob nobody asked for")
            view = memoryview(frame)  # a chunk is 64 KiB: handed on, not copied
            return [BlobArrived(frame[: p.ADDRESS_BYTES], view[p.ADDRESS_BYTES :])]
        msg = p.decode_server(frame)
        if self.welcome is None:
            if isinstance(msg, p.Welcome):
                self.welcome = msg
                return [Welcomed(msg)]
            if isinstance(msg, p.Error):
                raise p.ProtocolError(msg.code, msg.message)
            raise p.ProtocolError(
                p.ErrorCode.BAD_MESSAGE, f"expected welcome, got {p.message_type(msg)}"
            )
        match msg:
            case p.Event(seq=seq, tag=tag, body=body):
                if self.seq is not None and seq <= self.seq:
                    return []  # already applied (replay overlap)
                self.seq, self.tag = seq, tag
                return [Applied(seq, tag, body)]
            case p.Snapshot():
                return self._snapshot_part(msg)
            case p.Session():
                self._answered(msg.id)
                return [Opened(msg)]
            case p.Presence():
                return [PresenceSeen(msg)]
            case p.Error(id=rid, code=code, message=message):
                if code in FATAL_CODES and (rid is None or rid == self._auth_id):
                    raise Fatal(code, message)
                if rid is not None and rid == self._auth_id:
                    raise p.ProtocolError(code, message)  # e.g. rate limited: try again later
                if rid is not None and self._answered(rid):
                    return [Refused(rid, code, message)]
                return [Notice(code, message)]
            case p.Welcome():
                raise p.ProtocolError(p.ErrorCode.BAD_MESSAGE, "a second welcome")
        rid = getattr(msg, "id", None)
        if isinstance(rid, int) and self._answered(rid):
            return [Answered(rid, msg)]
        return []

    def _answered(self, rid: int) -> bool:
        if rid in self._pending:
            self._pending.discard(rid)
            return True
        return False

    def _snapshot_part(self, msg: p.Snapshot) -> list[Happening]:
        if msg.part == 0:
            self._parts, self._parts_seq = [], msg.seq
        elif msg.seq != self._parts_seq or msg.part != len(self._parts):
            raise p.ProtocolError(p.ErrorCode.BAD_MESSAGE, "snapshot parts out of order")
        self._parts.append(msg.state)
        if not msg.last:
            return []
        parts, self._parts = self._parts, []
        lists = {name: [x for s in parts for x in getattr(s, name)] for name in p.STATE_LISTS}
        state = p.RoomState(room=parts[-1].room, roster=parts[-1].roster, **lists)
        self.seq, self.tag = msg.seq, msg.tag
        return [Loaded(msg.seq, msg.tag, state)]
