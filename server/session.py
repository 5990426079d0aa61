"""The server side of one connection's rules, with no I/O: frames in, actions out.

Like the ``websockets`` library's own protocol objects, :class:`ServerSession` never touches a
socket. The transport (server/transport.py) feeds it every frame it receives and carries out
the actions it returns; the outcome of work the session hands over (an enrollment, an
authentication, a request) is reported back through :meth:`succeeded` / :meth:`failed`, which
return the frames to send. The rules it enforces:

* the first frame is a text ``hello`` naming a protocol version the server speaks, else the
  connection is refused (4001 for versions, 4003 otherwise);
* requests are answered one at a time, in order, and every answer echoes the request's
  ``id`` (the transport reads the next frame only once the previous one is answered);
* ``enroll`` and ``auth`` happen at most once, and only before a session is open;
* five refused enrollment codes on one connection close it (4003);
* a refusal that ends the device's standing (revoked, unknown) closes the connection (4003);
* the bulk connection (``/bulk``) takes ``hello``, ``auth`` and the bulk requests only
  (``p.BULK_REQUESTS``), the control connection everything else; no enrollment on bulk;
* binary frames are accepted only on the bulk connection, and only as the bytes of an upload
  the server said ``ok`` to: exactly ``length`` of them, then the session hands the whole
  file over (:class:`Publish`); a text frame or extra bytes during an upload end it (4003).

``tests/server/test_session.py`` drives it with frames alone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import msgspec

from app import protocol as p
from app.connection import version_refusal

CLOSE_UNSUPPORTED = 4001
CLOSE_AUTH = 4003
CLOSE_RATE_LIMITED = 4029
MAX_BAD_CODES = 5


class Phase(enum.Enum):
    HELLO = "hello"  # waiting for hello
    OPEN = "open"  # greeted; may enroll or authenticate
    SESSION = "session"  # authenticated
    CLOSED = "closed"


@dataclass(frozen=True)
class Send:
    message: p.ServerMessage


@dataclass(frozen=True)
class Close:
    code: int
    reason: str


@dataclass(frozen=True)
class Handle:
    """Work for the transport: run ``request`` and report the outcome back."""

    request: p.ClientRequest


@dataclass(frozen=True)
class Publish:
    """Work for the transport: all bytes of an upload arrived; publish them."""

    request: p.DocumentUpload
    data: bytes


Action = Send | Close | Handle | Publish

#: Refusals after which a connection is of no further use to anyone.
_FINAL = frozenset({p.ErrorCode.DEVICE_REVOKED, p.ErrorCode.UNKNOWN_DEVICE})


class ServerSession:
    def __init__(self, welcome: p.Welcome, *, bulk: bool = False) -> None:
        self._welcome: p.Welcome | None = welcome
        self.phase = Phase.HELLO
        self.bulk = bulk
        self._bad_codes = 0
        self._upload: p.DocumentUpload | None = None
        self._received = bytearray()

    @property
    def authenticated(self) -> bool:
        return self.phase is Phase.SESSION

    def receive(self, frame: str | bytes) -> list[Action]:
        """A frame arrived from the client."""
        if self.phase is Phase.CLOSED:
            return []
        if self.phase is Phase.HELLO:
            return self._hello(frame)
        if self._upload is not None:
            return self._upload_bytes(frame)
        if isinstance(frame, bytes):
            return [self._error(None, p.ErrorCode.BAD_MESSAGE, "binary frames are not accepted")]
        try:
            msg = p.decode_client(frame)
        except p.ProtocolError as exc:
            return [self._error(p.request_id_of(frame), exc.code, exc.message)]
        if isinstance(msg, p.Hello):
            return [self._error(None, p.ErrorCode.BAD_MESSAGE, "hello was already sent")]
        if isinstance(msg, p.Enroll | p.Auth) and self.phase is Phase.SESSION:
            return [self._error(msg.id, p.ErrorCode.ALREADY_AUTHENTICATED, "already authenticated")]
        if not isinstance(msg, p.Auth) and isinstance(msg, p.BULK_REQUESTS) != self.bulk:
            where = "the control connection" if self.bulk else "the bulk connection (/bulk)"
            return [self._error(msg.id, p.ErrorCode.BAD_MESSAGE, f"send this on {where}")]
        return [Handle(msg)]

    def _upload_bytes(self, frame: str | bytes) -> list[Action]:
        upload = self._upload
        assert upload is not None
        if isinstance(frame, str) or len(self._received) + len(frame) > upload.length:
            self._upload, self._received = None, bytearray()
            return [
                self._error(upload.id, p.ErrorCode.BAD_MESSAGE, "the upload was not as announced"),
                self._close(CLOSE_AUTH, "bad upload"),
            ]
        self._received += frame
        if len(self._received) < upload.length:
            return []
        data, self._upload, self._received = bytes(self._received), None, bytearray()
        return [Publish(upload, data)]

    def _hello(self, frame: str | bytes) -> list[Action]:
        if isinstance(frame, bytes):
            return self._refuse(p.ErrorCode.BAD_MESSAGE, "send hello as a text frame first")
        try:
            msg = p.decode_client(frame)
        except p.ProtocolError as exc:
            return self._refuse(exc.code, exc.message)
        if not isinstance(msg, p.Hello):
            return self._refuse(p.ErrorCode.BAD_MESSAGE, "send hello first")
        common = set(msg.protocols) & set(p.SUPPORTED_VERSIONS)
        if not common:
            self.phase = Phase.CLOSED
            # The message names what the room speaks and which Hemicycle it is, in words
            # every app ever released can decode (app/connection.py reads them back).
            return [
                Send(
                    p.Error(
                        code=p.ErrorCode.UNSUPPORTED_VERSION,
                        message=version_refusal(msg.protocols),
                    )
                ),
                Close(CLOSE_UNSUPPORTED, f"protocol {sorted(set(msg.protocols))} not spoken"),
            ]
        self.phase = Phase.OPEN
        welcome, self._welcome = self._welcome, None  # sent once; not kept for the session
        assert welcome is not None
        return [Send(msgspec.structs.replace(welcome, protocol=max(common)))]

    def _refuse(self, code: p.ErrorCode, message: str) -> list[Action]:
        self.phase = Phase.CLOSED
        return [Send(p.Error(code=code, message=message)), Close(CLOSE_AUTH, "bad hello")]

    @staticmethod
    def _error(rid: int | None, code: p.ErrorCode, message: str) -> Send:
        return Send(p.Error(id=rid, code=code, message=message))

    # ------------------------------------------------------------------ outcomes

    def succeeded(self, request: p.ClientRequest, reply: p.ServerMessage) -> list[Action]:
        """The work for ``request`` is done; ``reply`` goes back with the request's id."""
        if self.phase is Phase.CLOSED:
            return []
        if isinstance(request, p.Auth):
            self.phase = Phase.SESSION
        if isinstance(request, p.DocumentUpload) and isinstance(reply, p.Ok):
            self._upload = request  # the file's bytes come next
        return [Send(msgspec.structs.replace(reply, id=request.id))]

    def failed(self, request: p.ClientRequest, code: p.ErrorCode, message: str) -> list[Action]:
        """The work for ``request`` was refused."""
        if self.phase is Phase.CLOSED:
            return []
        actions: list[Action] = [self._error(request.id, code, message)]
        if isinstance(request, p.Enroll) and code is p.ErrorCode.INVALID_CODE:
            self._bad_codes += 1
            if self._bad_codes >= MAX_BAD_CODES:
                actions.append(self._close(CLOSE_AUTH, "too many invalid codes"))
        elif code is p.ErrorCode.RATE_LIMITED:
            actions.append(self._close(CLOSE_RATE_LIMITED, "too many attempts"))
        elif code in _FINAL:
            actions.append(self._close(CLOSE_AUTH, "refused"))
        return actions

    def revoked(self) -> list[Action]:
        """The device of this session was revoked while connected."""
        if self.phase is Phase.CLOSED:
            return []
        return [
            self._error(None, p.ErrorCode.DEVICE_REVOKED, "this device was revoked"),
            self._close(CLOSE_AUTH, "revoked"),
        ]

    def expired(self) -> list[Action]:
        """The connection did not authenticate in time."""
        if self.phase in (Phase.SESSION, Phase.CLOSED):
            return []
        return [self._close(CLOSE_AUTH, "authentication timeout")]

    def _close(self, code: int, reason: str) -> Close:
        self.phase = Phase.CLOSED
        return Close(code, reason)
