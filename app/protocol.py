"""The wire protocol, implemented once for server and clients.

Every control frame is a JSON text frame holding one object whose ``type`` field names the
message. The typed structs below are the schema: :func:`decode_client` and
:func:`decode_server` validate a frame at the edge and raise :class:`ProtocolError` with a
machine-readable code, so a malformed frame becomes an ``error`` reply, never a traceback.
``docs/protocol.md`` is the prose version of this module and changes with it.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS = (1,)

#: Largest control frame either side accepts; larger frames close the connection (1009).
MAX_CONTROL_FRAME = 64 * 1024
#: Events replayed on resume before the server sends a snapshot instead.
MAX_REPLAY_EVENTS = 1000
#: Domain label mixed into the signed session challenge so a signature cannot be reused elsewhere.
AUTH_CONTEXT = b"hemicycle-auth-v1\x00"

# Field constraints, shared by every struct so limits are stated once.
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Text = Annotated[str, msgspec.Meta(max_length=20_000)]
Label = Annotated[str, msgspec.Meta(max_length=32)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**53)]
Seq = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
ReqId = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
B64Key = Annotated[str, msgspec.Meta(min_length=43, max_length=44)]
B64Sig = Annotated[str, msgspec.Meta(min_length=86, max_length=88)]
Secret = Annotated[str, msgspec.Meta(min_length=8, max_length=64)]
Date = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Clock = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Minutes = Annotated[int, msgspec.Meta(ge=0, le=24 * 60)]

Role = Literal["delegate", "secretary", "display", "admin"]
ItemStatus = Literal["pending", "current", "done"]
MeetingStatus = Literal["draft", "open", "closed"]
Audience = Literal["all", "staff"]

STAFF_ROLES: frozenset[str] = frozenset({"secretary", "admin"})


class ErrorCode(enum.StrEnum):
    """Typed error codes; clients translate these, the ``message`` is for logs and humans."""

    BAD_MESSAGE = "bad_message"
    UNSUPPORTED_VERSION = "unsupported_version"
    NOT_AUTHENTICATED = "not_authenticated"
    ALREADY_AUTHENTICATED = "already_authenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    INVALID_CODE = "invalid_code"
    UNKNOWN_DEVICE = "unknown_device"
    DEVICE_REVOKED = "device_revoked"
    BAD_SIGNATURE = "bad_signature"
    INVALID_ARGUMENT = "invalid_argument"
    CONFLICT = "conflict"
    INTERNAL = "internal"


class ProtocolError(Exception):
    """A message that cannot be accepted; carries the code sent back to the peer."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --------------------------------------------------------------------------- state objects


class _Obj(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of plain data objects carried inside messages."""


class RoomInfo(_Obj, kw_only=True):
    name: Name
    active_meeting_id: int | None = None


class Meeting(_Obj, kw_only=True):
    id: Id
    title: Title
    starts_on: Date | None = None
    status: MeetingStatus = "draft"


class AgendaItem(_Obj, kw_only=True):
    id: Id
    meeting_id: Id
    parent_id: Id | None = None
    position: Annotated[int, msgspec.Meta(ge=0)] = 0
    number: Label = ""
    title: Title
    description: Text = ""
    planned_start: Clock | None = None
    planned_minutes: Minutes | None = None
    status: ItemStatus = "pending"


class Delegate(_Obj, kw_only=True):
    number: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    full_name: Name
    delegation: Annotated[str, msgspec.Meta(max_length=200)] = ""
    seat: Annotated[str, msgspec.Meta(max_length=32)] = ""


class RoomState(_Obj, kw_only=True):
    """Everything a client shows, rebuilt from a snapshot plus the events after it."""

    room: RoomInfo
    meetings: list[Meeting] = []
    agenda: list[AgendaItem] = []


# --------------------------------------------------------------------------- events


class _EventBody(msgspec.Struct, tag_field="kind", forbid_unknown_fields=True, kw_only=True):
    """Base of event payloads; each carries the resulting state of what changed."""


class RoomChanged(_EventBody, tag="room.changed", kw_only=True):
    room: RoomInfo


class MeetingChanged(_EventBody, tag="meeting.changed", kw_only=True):
    meeting: Meeting


class MeetingRemoved(_EventBody, tag="meeting.removed", kw_only=True):
    meeting_id: Id


class AgendaChanged(_EventBody, tag="agenda.changed", kw_only=True):
    meeting_id: Id
    items: list[AgendaItem] = []
    removed: list[Id] = []


class RosterChanged(_EventBody, tag="roster.changed", kw_only=True):
    delegates: Annotated[int, msgspec.Meta(ge=0)]


class DeviceEnrolled(_EventBody, tag="device.enrolled", kw_only=True):
    device_id: Id
    role: Role
    delegate_number: str | None = None


class DeviceRevoked(_EventBody, tag="device.revoked", kw_only=True):
    device_id: Id


class CodeIssued(_EventBody, tag="code.issued", kw_only=True):
    """An enrollment code was issued (never the secret: who it is for, for the record)."""

    role: Role
    delegate_number: str | None = None


EventBody = (
    RoomChanged
    | MeetingChanged
    | MeetingRemoved
    | AgendaChanged
    | RosterChanged
    | DeviceEnrolled
    | DeviceRevoked
    | CodeIssued
)

#: Event kinds that only staff devices receive (they still enter the hash-chained log).
STAFF_ONLY_KINDS: frozenset[str] = frozenset(
    {"roster.changed", "device.enrolled", "device.revoked", "code.issued"}
)


def audience_of(body: EventBody) -> Audience:
    """Who may receive an event: the server filters on this, the client never needs to."""
    kind = body.__struct_config__.tag
    return "staff" if kind in STAFF_ONLY_KINDS else "all"


# --------------------------------------------------------------------------- messages


class _Msg(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, kw_only=True):
    """Base of every frame. ``type`` is the tag; requests carry ``id`` echoed by the reply."""


# Client -> server -------------------------------------------------------------------


class Hello(_Msg, tag="hello", kw_only=True):
    protocols: Annotated[list[int], msgspec.Meta(min_length=1, max_length=8)]
    client: Annotated[str, msgspec.Meta(max_length=100)] = ""


class Enroll(_Msg, tag="enroll", kw_only=True):
    id: ReqId
    secret: Secret
    device_name: Name
    sign_key: B64Key
    kx_key: B64Key


class Auth(_Msg, tag="auth", kw_only=True):
    id: ReqId
    device_id: Id
    signature: B64Sig
    since: Seq | None = None


class MeetingCreate(_Msg, tag="meeting.create", kw_only=True):
    id: ReqId
    title: Title
    starts_on: Date | None = None


class MeetingUpdate(_Msg, tag="meeting.update", kw_only=True):
    id: ReqId
    meeting_id: Id
    title: Title | None = None
    starts_on: Date | None = None
    status: MeetingStatus | None = None


class MeetingActivate(_Msg, tag="meeting.activate", kw_only=True):
    id: ReqId
    meeting_id: Id | None


class AgendaAdd(_Msg, tag="agenda.add", kw_only=True):
    id: ReqId
    meeting_id: Id
    parent_id: Id | None = None
    position: Annotated[int, msgspec.Meta(ge=0)] | None = None
    number: Label | None = None
    title: Title
    description: Text = ""
    planned_start: Clock | None = None
    planned_minutes: Minutes | None = None


class AgendaUpdate(_Msg, tag="agenda.update", kw_only=True):
    """Only the fields present change. ``null`` clears a planned time; absent leaves it."""

    id: ReqId
    item_id: Id
    number: Label | UnsetType = UNSET
    title: Title | UnsetType = UNSET
    description: Text | UnsetType = UNSET
    planned_start: Clock | UnsetType | None = UNSET
    planned_minutes: Minutes | UnsetType | None = UNSET
    status: ItemStatus | UnsetType = UNSET


class AgendaRemove(_Msg, tag="agenda.remove", kw_only=True):
    id: ReqId
    item_id: Id


class AgendaMove(_Msg, tag="agenda.move", kw_only=True):
    id: ReqId
    item_id: Id
    parent_id: Id | None = None
    position: Annotated[int, msgspec.Meta(ge=0)]


class AgendaSetCurrent(_Msg, tag="agenda.set_current", kw_only=True):
    id: ReqId
    meeting_id: Id
    item_id: Id | None


# Server -> client -------------------------------------------------------------------


class Welcome(_Msg, tag="welcome", kw_only=True):
    protocol: int
    room_id: str
    room_name: str
    challenge: str
    server_time: float


class Enrolled(_Msg, tag="enrolled", kw_only=True):
    id: ReqId
    device_id: Id
    role: Role
    delegate: Delegate | None = None


class Session(_Msg, tag="session", kw_only=True):
    id: ReqId
    device_id: Id
    role: Role
    delegate: Delegate | None = None
    seq: Seq


class Snapshot(_Msg, tag="snapshot", kw_only=True):
    seq: Seq
    state: RoomState


class Event(_Msg, tag="event", kw_only=True):
    seq: Seq
    at: float
    body: EventBody


class Ok(_Msg, tag="ok", kw_only=True):
    id: ReqId
    seq: Seq | None = None
    object_id: int | None = None


class Error(_Msg, tag="error", kw_only=True):
    id: ReqId | None = None
    code: ErrorCode
    message: str


class Presence(_Msg, tag="presence", kw_only=True):
    """Ephemeral, staff only: connected devices per role. Not part of the event log."""

    connected: dict[str, int]


ClientRequest = (
    Enroll
    | Auth
    | MeetingCreate
    | MeetingUpdate
    | MeetingActivate
    | AgendaAdd
    | AgendaUpdate
    | AgendaRemove
    | AgendaMove
    | AgendaSetCurrent
)
ClientMessage = Hello | ClientRequest
ServerMessage = Welcome | Enrolled | Session | Snapshot | Event | Ok | Error | Presence

#: Requests only staff may send; the server checks this table, never the client.
STAFF_REQUESTS: frozenset[type[Any]] = frozenset(
    {
        MeetingCreate,
        MeetingUpdate,
        MeetingActivate,
        AgendaAdd,
        AgendaUpdate,
        AgendaRemove,
        AgendaMove,
        AgendaSetCurrent,
    }
)

_client_decoder = msgspec.json.Decoder(ClientMessage)
_server_decoder = msgspec.json.Decoder(ServerMessage)
_event_body_decoder = msgspec.json.Decoder(EventBody)
_encoder = msgspec.json.Encoder()


def _decode(decoder: msgspec.json.Decoder[Any], frame: str | bytes) -> Any:
    if len(frame) > MAX_CONTROL_FRAME:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"frame larger than {MAX_CONTROL_FRAME} bytes")
    try:
        return decoder.decode(frame)
    except msgspec.ValidationError as exc:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"invalid message: {exc}") from None
    except msgspec.DecodeError as exc:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"not a JSON message: {exc}") from None


def decode_client(frame: str | bytes) -> ClientMessage:
    """Validate a frame received by the server."""
    result: ClientMessage = _decode(_client_decoder, frame)
    return result


def decode_server(frame: str | bytes) -> ServerMessage:
    """Validate a frame received by a client."""
    result: ServerMessage = _decode(_server_decoder, frame)
    return result


def decode_event_body(data: bytes) -> EventBody:
    """Decode an event body as stored in the server's log."""
    result: EventBody = _event_body_decoder.decode(data)
    return result


def encode(obj: msgspec.Struct) -> bytes:
    """Encode any message, event body or state object as compact UTF-8 JSON."""
    return _encoder.encode(obj)


def request_id_of(frame: str | bytes) -> int | None:
    """Best-effort request id of a frame that failed validation, so the error can echo it."""
    try:
        raw = msgspec.json.decode(frame)
    except msgspec.DecodeError:
        return None
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def message_type(msg: msgspec.Struct) -> str:
    """The ``type`` tag of a message instance."""
    tag = msg.__struct_config__.tag
    return str(tag)
