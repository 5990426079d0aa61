"""The wire protocol, implemented once for server and clients.

Every control frame is a JSON text frame holding one object whose ``type`` field names the
message. The typed structs below are the schema: :func:`decode_client` and
:func:`decode_server` validate a frame at the edge and raise :class:`ProtocolError` with a
machine-readable code, so a malformed frame becomes an ``error`` reply, never a traceback.
The limits here are the only ones: the command line, the meeting and roster files and the
configuration check their values against these same types (:func:`check`).
``docs/protocol.md`` is the prose version of this module and changes with it.
"""

from __future__ import annotations

import datetime
import enum
import re
from typing import Annotated, Any, Literal, get_args

import msgspec
from msgspec import UNSET, UnsetType

PROTOCOL_VERSION = 3
SUPPORTED_VERSIONS = (3,)

#: The control connection's path: state, events, requests.
CONTROL_PATH = "/ws"
#: The bulk connection's path, on the same port: documents (``BULK_REQUESTS``).
BULK_PATH = "/bulk"

#: Largest frame a client may send; larger frames close the connection (1009).
MAX_CLIENT_FRAME = 64 * 1024
#: Largest frame the server sends. Every event, reply and snapshot part is built to fit, and
#: the server checks an event's size before it commits the change that produced it.
MAX_SERVER_FRAME = 256 * 1024
#: Bulk connection: largest binary frame of an upload a client sends.
MAX_UPLOAD_FRAME = 1024 * 1024
#: Bulk connection: largest binary frame the server sends (an address and a signed manifest of
#: the largest document, or a chunk).
MAX_BLOB_FRAME = 4 * 1024 * 1024
#: Blobs one ``blobs.get`` may ask for.
MAX_BLOBS_PER_GET = 256
#: Largest document anyone can upload (a room's own limit, in its configuration, is lower).
MAX_DOCUMENT_BYTES = 1024 * 1024 * 1024
#: Most devices a readiness board lists.
MAX_READINESS_DEVICES = 10_000
#: Deepest nesting of arrays and objects either side accepts; checked before decoding.
MAX_JSON_DEPTH = 16
#: Events replayed on resume before the server sends a snapshot instead.
MAX_REPLAY_EVENTS = 1000
#: Deepest agenda tree: an item may have sub-items down to this many levels in all.
MAX_AGENDA_DEPTH = 8
#: Most access groups a roster may define.
MAX_GROUPS = 200
#: Domain label mixed into the signed session challenge so a signature cannot be reused elsewhere.
AUTH_CONTEXT = b"hemicycle-auth-v1\x00"

# Text that reaches screens, terminals and logs never carries control characters (ANSI escapes,
# line breaks that forge log lines) or bidi overrides (text that displays as something else).
_CONTROLS = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
SINGLE_LINE = f"^[^{_CONTROLS}]*$"
MULTI_LINE = "^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
_CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"

# Field constraints, shared by every struct so limits are stated once.
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=SINGLE_LINE)]
Text = Annotated[str, msgspec.Meta(max_length=20_000, pattern=MULTI_LINE)]
Label = Annotated[str, msgspec.Meta(max_length=32, pattern=SINGLE_LINE)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=SINGLE_LINE)]
OptionalName = Annotated[str, msgspec.Meta(max_length=200, pattern=SINGLE_LINE)]
Number = Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=SINGLE_LINE)]
GroupName = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=SINGLE_LINE)]
Groups = Annotated[list[GroupName], msgspec.Meta(max_length=MAX_GROUPS)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**53)]
Seq = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
ReqId = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Count = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
B64Key = Annotated[str, msgspec.Meta(min_length=43, max_length=44)]
B64Sig = Annotated[str, msgspec.Meta(min_length=86, max_length=88)]
Secret = Annotated[str, msgspec.Meta(min_length=8, max_length=64)]
Date = datetime.date
Clock = Annotated[str, msgspec.Meta(pattern=_CLOCK)]
Minutes = Annotated[int, msgspec.Meta(ge=0, le=24 * 60)]
Position = Annotated[int, msgspec.Meta(ge=0, le=100_000)]
#: The first bytes of a log entry's chain hash: with its ``seq``, it says which entry a device
#: last applied, so a device is never replayed onto a log that is not the one it followed.
Tag = Annotated[bytes, msgspec.Meta(max_length=32)]
TAG_BYTES = 8

#: A blob's address: the SHA-256 of its bytes.
ADDRESS_BYTES = 32
Address = Annotated[bytes, msgspec.Meta(min_length=ADDRESS_BYTES, max_length=ADDRESS_BYTES)]
#: Most pages a document may have.
MAX_PAGES = 5000
GraceHours = Annotated[int, msgspec.Meta(ge=1, le=24 * 365)]

Role = Literal["delegate", "secretary", "display", "admin"]
ItemStatus = Literal["pending", "current", "done"]
MeetingStatus = Literal["draft", "open", "closed"]
DocumentStatus = Literal["published", "withdrawn"]

#: Every role, in the order they are listed to people.
ROLES: tuple[Role, ...] = get_args(Role)
STAFF_ROLES: frozenset[Role] = frozenset({"secretary", "admin"})

#: How a value that failed one of the patterns above is described to a person.
_PATTERN_WORDS = {
    SINGLE_LINE: "text without control characters or line breaks",
    MULTI_LINE: "text without control characters",
    _CLOCK: "a time HH:MM between 00:00 and 23:59",
}


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
    INVALID_ARGUMENT = "invalid_argument"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    #: A vote from someone who may not cast it (absent, no voting right, no proxy).
    NOT_ELIGIBLE = "not_eligible"
    #: A vote for a poll that is not open (not yet, or no longer).
    POLL_NOT_OPEN = "poll_not_open"
    INTERNAL = "internal"


class ProtocolError(Exception):
    """A message that cannot be accepted; carries the code sent back to the peer."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --------------------------------------------------------------------------- state objects


class _Obj(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Base of plain data objects carried inside messages. Frozen: a state object is a value,
    shared between the network thread and views without copying."""


class RoomInfo(_Obj, kw_only=True, frozen=True):
    name: Name
    active_meeting_id: int | None = None


class Meeting(_Obj, kw_only=True, frozen=True):
    id: Id
    title: Title
    starts_on: Date | None = None
    status: MeetingStatus = "draft"
    #: Access groups that see this meeting; empty: everyone.
    groups: Groups = []
    #: Devices delete this meeting's document keys and documents on contact.
    wiped: bool = False
    #: Hours a device out of contact with the room may still open this meeting's documents
    #: (``None``: as long as it holds them).
    offline_grace_hours: GraceHours | None = None
    #: When wiped, delegates keep their own annotations of it (without the text they quote).
    notes_kept: bool = False
    #: Delegates may export their own annotated copy of its documents, watermarked.
    export_allowed: bool = False


class Document(_Obj, kw_only=True, frozen=True):
    """A published document (its latest version) as devices see it. The content travels on the
    bulk connection: the signed manifest at ``manifest``, then the chunks it lists."""

    id: Id
    meeting_id: Id
    item_id: Id
    title: Title
    version: Count
    key_epoch: Count
    manifest: Address
    length: Count
    pages: Count
    #: Pages (1-based) that differ from the previous version; empty for the first one.
    changed_pages: Annotated[list[Count], msgspec.Meta(max_length=MAX_PAGES)] = []
    status: DocumentStatus = "published"
    #: Access groups that may read it; empty: whoever sees its meeting.
    groups: Groups = []


class WrappedKey(_Obj, kw_only=True, frozen=True):
    document_id: Id
    key_epoch: Count
    wrapped: Annotated[bytes, msgspec.Meta(max_length=128)]


class Holding(_Obj, kw_only=True, frozen=True):
    """How many of the chunks of a document's version a device holds."""

    document_id: Id
    version: Count
    held: Count


class DeviceReadiness(_Obj, array_like=True, kw_only=True, frozen=True):
    """One device on the readiness board: chunks of the meeting it holds of those it may read.
    Sent as an array (``[device, delegate, role, held, total, reported_at]``) so the board for
    thousands of devices fits one frame."""

    device_id: Id
    delegate_id: Id | None
    role: Role
    held: Count
    total: Count
    #: When the device last reported (``None``: never).
    reported_at: float | None


class AgendaItem(_Obj, kw_only=True, frozen=True):
    id: Id
    meeting_id: Id
    parent_id: Id | None = None
    position: Position = 0
    number: Label = ""
    title: Title
    description: Text = ""
    planned_start: Clock | None = None
    planned_minutes: Minutes | None = None
    status: ItemStatus = "pending"
    #: A delegate given the presenter role for this item: they may present its documents.
    presenter_id: Id | None = None


class Delegate(_Obj, kw_only=True, frozen=True):
    id: Id
    number: Number
    full_name: Name
    delegation: OptionalName = ""
    seat: Label = ""
    groups: Groups = []
    voting_right: bool = True
    #: Votes the delegate carries in a weighted poll.
    weight: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 1


class RosterInfo(_Obj, kw_only=True, frozen=True):
    """What staff know of the roster as a whole (the delegates travel separately)."""

    delegates: Count = 0
    groups: Groups = []


# --------------------------------------------------------------------------- votes

#: Options a poll may offer (candidates of an election included).
MAX_POLL_OPTIONS = 200
#: Votes one ``ballot.cast`` may carry: the delegate's own and those of the proxies held.
MAX_VOTES_PER_CAST = 500
#: A ballot's receipt: random bytes chosen by the voter's device, kept by it, published with the
#: ballot's choice after a secret poll closes, so the voter can find their ballot in the list.
RECEIPT_BYTES = 16
Receipt = Annotated[bytes, msgspec.Meta(min_length=RECEIPT_BYTES, max_length=RECEIPT_BYTES)]
Fraction = Annotated[int, msgspec.Meta(ge=1, le=1000)]
PollSeconds = Annotated[int, msgspec.Meta(ge=10, le=24 * 3600)]

AttendanceStatus = Literal["present", "absent", "excused"]
#: motion: yes / no / abstain on one question; single: one of the options; election: between
#: ``min_choices`` and ``max_choices`` of the candidates; per_candidate: yes / no / abstain on
#: each candidate.
PollKind = Literal["motion", "single", "election", "per_candidate"]
PollStatus = Literal["draft", "open", "closed", "cancelled"]
Answer = Literal["yes", "no", "abstain"]
#: simple: more yes than no; absolute: more than half of the basis; two_thirds: at least two
#: thirds of it; fraction: at least ``numerator / denominator`` of it.
MajorityRule = Literal["simple", "absolute", "two_thirds", "fraction"]
#: What a majority is a share of: votes cast (abstentions included or not, as the rule says),
#: valid votes, delegates present with a vote, all members with a vote.
MajorityBasis = Literal["cast", "valid", "present", "members"]
QuorumKind = Literal["none", "fraction", "count"]
Outcome = Literal["adopted", "rejected", "not_quorate", "elected", "tie", "no_result"]


class Attendance(_Obj, array_like=True, kw_only=True, frozen=True):
    meeting_id: Id
    delegate_id: Id
    status: AttendanceStatus
    #: Set by a secretary, not by the delegate's own check-in.
    manual: bool = False


class Majority(_Obj, kw_only=True, frozen=True):
    rule: MajorityRule = "simple"
    basis: MajorityBasis = "cast"
    numerator: Fraction = 1
    denominator: Fraction = 2
    #: Whether abstentions count among the votes cast a majority is a share of.
    abstentions_count: bool = False


class Quorum(_Obj, kw_only=True, frozen=True):
    """How many members with a vote must be present for a decision: a share of all of them
    (``fraction``, numerator / denominator) or a number (``count``)."""

    kind: QuorumKind = "none"
    numerator: Fraction = 1
    denominator: Fraction = 2
    count: Count = 0


class PollOption(_Obj, kw_only=True, frozen=True):
    id: Id
    label: Title


class Marks(_Obj, kw_only=True, frozen=True):
    """What one vote says. motion: ``answer``. single and election: the ``chosen`` option ids, or
    ``answer="abstain"`` with none chosen. per_candidate: ``answers``, one per option, in the
    poll's order."""

    answer: Answer | None = None
    chosen: Annotated[list[Id], msgspec.Meta(max_length=MAX_POLL_OPTIONS)] = []
    answers: Annotated[list[Answer], msgspec.Meta(max_length=MAX_POLL_OPTIONS)] = []


class OptionTotal(_Obj, array_like=True, kw_only=True, frozen=True):
    """Weighted votes for one option: ``yes`` is the votes choosing it (single, election) or
    saying yes to it (motion has one, per_candidate one per candidate)."""

    option_id: int
    yes: Count = 0
    no: Count = 0
    abstain: Count = 0


class PollResult(_Obj, kw_only=True, frozen=True):
    """The room's count and decision; every figure is weighted (a weight of 1 each if the poll
    is not weighted)."""

    cast: Count
    valid: Count
    abstain: Count
    present: Count
    members: Count
    quorum_needed: Count
    quorate: bool
    #: Votes an option needed to pass (motion, per_candidate) or to be elected.
    needed: Count
    totals: list[OptionTotal]
    outcome: Outcome
    elected: list[int] = []
    #: Options tied for the last places (election, single): a runoff is between them.
    tied: list[int] = []
    #: per_candidate: the candidates that passed.
    adopted: list[int] = []


class PaperCount(_Obj, kw_only=True, frozen=True):
    """Paper ballots counted by the tellers and entered by a secretary as the poll closes: the
    whole vote of a poll run on paper, or the ballots of those who voted on paper beside the
    devices (a device that failed in a secret poll). Figures are weighted as the poll is.

    ``ballots`` are the ballots counted, abstaining ones included; ``abstain`` those abstaining
    entirely; ``invalid`` the spoiled ones, reported and not counted. ``totals`` has one entry
    per option in the poll's order (a motion: one, option 0), as in :class:`PollResult`."""

    ballots: Count
    abstain: Count = 0
    invalid: Count = 0
    totals: Annotated[list[OptionTotal], msgspec.Meta(max_length=MAX_POLL_OPTIONS)] = []


class PollSpec(_Obj, kw_only=True, frozen=True):
    """Everything that decides who may vote and how a poll is counted; fixed once it opens."""

    kind: PollKind = "motion"
    secret: bool = False
    options: Annotated[list[PollOption], msgspec.Meta(max_length=MAX_POLL_OPTIONS)] = []
    min_choices: Count = 0
    max_choices: Count = 1
    abstain_allowed: bool = True
    majority: Majority = Majority()
    quorum: Quorum = Quorum()
    #: Roster groups whose members may vote; empty: every delegate with a voting right.
    groups: Groups = []
    weighted: bool = False
    #: A named vote may be changed until the poll closes.
    changeable: bool = False
    seconds: PollSeconds | None = None


# --------------------------------------------------------------------------- presenting

#: A page coordinate in ten-thousandths of the page's width or height, from its top left: the
#: same region on every screen whatever its size, in integers (an event's bytes are the same on
#: every machine).
PageFraction = Annotated[int, msgspec.Meta(ge=0, le=10_000)]
PageSpan = Annotated[int, msgspec.Meta(ge=1, le=10_000)]
PageNumber = Annotated[int, msgspec.Meta(ge=1, le=MAX_PAGES)]


class Region(_Obj, array_like=True, kw_only=True, frozen=True):
    """The part of a page the presenter shows (the whole page by default)."""

    x: PageFraction = 0
    y: PageFraction = 0
    w: PageSpan = 10_000
    h: PageSpan = 10_000


class Presentation(_Obj, kw_only=True, frozen=True):
    """What a meeting's presenter shows now: a document's page and the region of it in view.
    Followers open the document there (they hold it already: pre-staged) unless they stopped
    following. A device that may not read the document learns only that one of the meeting's
    documents it cannot open is being presented: it has no key and no title for that id."""

    meeting_id: Id
    document_id: Id
    #: The version the presenter shows (a revision moves them to the new one).
    version: Count
    page: PageNumber
    region: Region = Region()
    #: The delegate presenting; ``None``: the secretariat.
    presenter_id: Id | None = None
    presenter_name: OptionalName = ""


#: Bytes of one sealed annotation at most: a page's worth of ink fits.
MAX_ANNOTATION_BYTES = 12 * 1024
#: Sealed annotations per ``annotations.sync`` (the client also keeps the frame under its limit).
MAX_ANNOTATIONS_PER_SYNC = 200
#: Annotations a delegate may keep in the room (tombstones included).
MAX_ANNOTATIONS_PER_DELEGATE = 20_000
#: Bytes of a wrapped annotation key (app/annotations.py): ephemeral key, nonce, key and tag.
ANNOTATION_ENVELOPE_BYTES = 32 + 12 + 32 + 16
ANNOTATION_KEY_ID_BYTES = 16
AnnotationId = Annotated[bytes, msgspec.Meta(min_length=16, max_length=16)]
AnnotationKeyId = Annotated[
    bytes, msgspec.Meta(min_length=ANNOTATION_KEY_ID_BYTES, max_length=ANNOTATION_KEY_ID_BYTES)
]
KxPublic = Annotated[bytes, msgspec.Meta(min_length=32, max_length=32)]


class SealedAnnotation(_Obj, array_like=True, kw_only=True, frozen=True):
    """One annotation as the room keeps it: sealed on the delegate's device with a key only
    their devices hold. In the clear only what the room needs: which record it is, the meeting
    it belongs to (for the meeting's wipe), and its edit stamp (the last edit wins, on the room
    and on every device alike: the stamp and the device that made it, both bound into the
    sealing so the room cannot relabel an edit)."""

    id: AnnotationId
    meeting_id: Id
    stamp: Count
    device_id: Id
    sealed: Annotated[bytes, msgspec.Meta(min_length=28, max_length=MAX_ANNOTATION_BYTES)]


class KeyEnvelope(_Obj, array_like=True, kw_only=True, frozen=True):
    """The delegate's annotation key wrapped for one of their devices, readable only with that
    device's private key and the pairing code shown on the device that wrapped it."""

    device_id: Id
    envelope: Annotated[
        bytes,
        msgspec.Meta(min_length=ANNOTATION_ENVELOPE_BYTES, max_length=ANNOTATION_ENVELOPE_BYTES),
    ]


class WaitingDevice(_Obj, array_like=True, kw_only=True, frozen=True):
    """Another device of the delegate's that does not hold their annotation key yet."""

    device_id: Id
    kx_public: KxPublic


class Proxy(_Obj, array_like=True, kw_only=True, frozen=True):
    """``giver``'s vote at the meeting is carried by ``holder``. The giver's name and number
    travel with it: a holder's device has no roster, and its ballot names whose vote it casts."""

    meeting_id: Id
    giver_id: Id
    holder_id: Id
    giver_number: Number
    giver_name: Name


class NamedVote(_Obj, array_like=True, kw_only=True, frozen=True):
    delegate_id: Id
    marks: Marks
    #: Recorded by a secretary for a delegate whose device failed.
    manual: bool = False
    #: Cast by this delegate, holding ``delegate_id``'s proxy (``None``: by the voter or the
    #: secretariat).
    by: Id | None = None


class Poll(_Obj, kw_only=True, frozen=True):
    id: Id
    meeting_id: Id
    item_id: Id | None = None
    title: Title
    spec: PollSpec
    status: PollStatus = "draft"
    opened_at: float | None = None
    closes_at: float | None = None
    closed_at: float | None = None
    result: PollResult | None = None
    #: The paper ballots counted in the result, if any were.
    paper: PaperCount | None = None
    #: After close: SHA-256 of the published ballot list, and the room's signature of the
    #: result (docs/protocol.md §12 says what is signed). The list itself, named or secret, is
    #: fetched with ``poll.ballots``: it can be larger than one frame.
    ballots_hash: bytes = b""
    signature: bytes = b""


class Turnout(_Obj, kw_only=True, frozen=True):
    """Who has voted so far: a count always; for a named poll, the delegates too."""

    poll_id: Id
    voted: Count = 0
    eligible: Count = 0
    voters: list[Id] = []


class RoomState(_Obj, kw_only=True, frozen=True):
    """Everything a client shows, rebuilt from a snapshot plus the events after it.

    ``roster`` and ``delegates`` are sent to staff devices only; a delegate's state leaves them
    empty. Meetings (and their agenda) restricted to groups reach members of those groups and
    staff only.
    """

    room: RoomInfo
    meetings: list[Meeting] = []
    agenda: list[AgendaItem] = []
    roster: RosterInfo | None = None
    delegates: list[Delegate] = []
    documents: list[Document] = []
    polls: list[Poll] = []
    #: Everyone's, for the meetings shown (a hall's attendance list is public within it).
    attendance: list[Attendance] = []
    #: Every proxy of the meetings shown (public within the meeting, as attendance is).
    proxies: list[Proxy] = []
    #: Staff: each open poll's turnout.
    turnout: list[Turnout] = []
    #: What each shown meeting's presenter shows, for the meetings with one.
    presentations: list[Presentation] = []


#: The lists of a state, split over the parts of a snapshot (docs/protocol.md §5).
STATE_LISTS = (
    "meetings",
    "agenda",
    "documents",
    "delegates",
    "polls",
    "attendance",
    "proxies",
    "turnout",
    "presentations",
)


# --------------------------------------------------------------------------- events


class _EventBody(
    msgspec.Struct, tag_field="kind", forbid_unknown_fields=True, kw_only=True, frozen=True
):
    """Base of event payloads; each carries the resulting state of what changed."""


class RoomChanged(_EventBody, tag="room.changed", kw_only=True, frozen=True):
    room: RoomInfo


class MeetingChanged(_EventBody, tag="meeting.changed", kw_only=True, frozen=True):
    meeting: Meeting


class AgendaChanged(_EventBody, tag="agenda.changed", kw_only=True, frozen=True):
    meeting_id: Id
    items: list[AgendaItem] = []
    removed: list[Id] = []


class DocumentChanged(_EventBody, tag="document.changed", kw_only=True, frozen=True):
    document: Document


class AccessChanged(_EventBody, tag="access.changed", kw_only=True, frozen=True):
    """Who may see what changed (a meeting's groups, the roster's memberships). It carries
    nothing: the server follows it with a fresh snapshot for every device it concerns."""


class RosterChanged(_EventBody, tag="roster.changed", kw_only=True, frozen=True):
    """The roster was imported: how many delegates and which groups it has now."""

    delegates: Count
    groups: Groups = []


class DelegatesChanged(_EventBody, tag="delegates.changed", kw_only=True, frozen=True):
    delegates: list[Delegate]


class DeviceEnrolled(_EventBody, tag="device.enrolled", kw_only=True, frozen=True):
    device_id: Id
    role: Role
    delegate_number: str | None = None


class DeviceRevoked(_EventBody, tag="device.revoked", kw_only=True, frozen=True):
    device_id: Id


class CodeIssued(_EventBody, tag="code.issued", kw_only=True, frozen=True):
    """An enrollment code was issued (never the secret: who it is for, for the record)."""

    role: Role
    delegate_number: str | None = None


class AttendanceChanged(_EventBody, tag="attendance.changed", kw_only=True, frozen=True):
    meeting_id: int
    entries: list[Attendance]


class PollChanged(_EventBody, tag="poll.changed", kw_only=True, frozen=True):
    poll: Poll


class ProxyChanged(_EventBody, tag="proxy.changed", kw_only=True, frozen=True):
    """Who carries ``giver_id``'s vote at the meeting now (``proxy`` ``None``: nobody)."""

    meeting_id: int
    giver_id: int
    proxy: Proxy | None = None


class TurnoutChanged(_EventBody, tag="turnout.changed", kw_only=True, frozen=True):
    turnout: Turnout


class PresentationChanged(_EventBody, tag="presentation.changed", kw_only=True, frozen=True):
    """What the meeting's presenter shows now (``presentation`` ``None``: nothing)."""

    meeting_id: Id
    presentation: Presentation | None = None


class AnnotationsChanged(_EventBody, tag="annotations.changed", kw_only=True, frozen=True):
    """To one device: the delegate's annotations or annotation key changed on another of their
    devices; the device syncs (``annotations.sync``, ``annotations.key``). Carries nothing else."""


EventBody = (
    RoomChanged
    | MeetingChanged
    | AgendaChanged
    | DocumentChanged
    | AccessChanged
    | RosterChanged
    | DelegatesChanged
    | DeviceEnrolled
    | DeviceRevoked
    | CodeIssued
    | AttendanceChanged
    | ProxyChanged
    | PollChanged
    | TurnoutChanged
    | PresentationChanged
    | AnnotationsChanged
)


# --------------------------------------------------------------------------- messages


class _Msg(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Base of every frame. ``type`` is the tag; requests carry ``id`` echoed by the reply."""


# Client -> server -------------------------------------------------------------------


class Hello(_Msg, tag="hello", kw_only=True, frozen=True):
    protocols: Annotated[list[int], msgspec.Meta(min_length=1, max_length=8)]
    client: Annotated[str, msgspec.Meta(max_length=100, pattern=SINGLE_LINE)] = ""


class Enroll(_Msg, tag="enroll", kw_only=True, frozen=True):
    id: ReqId
    secret: Secret
    device_name: Name
    sign_key: B64Key
    kx_key: B64Key


class Auth(_Msg, tag="auth", kw_only=True, frozen=True):
    id: ReqId
    device_id: Id
    signature: B64Sig
    since: Seq | None = None
    #: The tag of the entry at ``since``; without it, or if it differs, a snapshot is sent.
    since_tag: Tag | None = None


class MeetingCreate(_Msg, tag="meeting.create", kw_only=True, frozen=True):
    id: ReqId
    title: Title
    starts_on: Date | None = None
    groups: Groups = []


class MeetingUpdate(_Msg, tag="meeting.update", kw_only=True, frozen=True):
    """Only the fields present change; ``starts_on: null`` clears the date."""

    id: ReqId
    meeting_id: Id
    title: Title | UnsetType = UNSET
    starts_on: Date | UnsetType | None = UNSET
    status: MeetingStatus | UnsetType = UNSET
    groups: Groups | UnsetType = UNSET
    #: With ``status: closed``: every device deletes the meeting's keys and documents.
    wipe: bool = False
    offline_grace_hours: GraceHours | UnsetType | None = UNSET
    notes_kept: bool | UnsetType = UNSET
    export_allowed: bool | UnsetType = UNSET


class MeetingActivate(_Msg, tag="meeting.activate", kw_only=True, frozen=True):
    id: ReqId
    meeting_id: Id | None


class AgendaAdd(_Msg, tag="agenda.add", kw_only=True, frozen=True):
    id: ReqId
    meeting_id: Id
    parent_id: Id | None = None
    position: Position | None = None
    number: Label | None = None
    title: Title
    description: Text = ""
    planned_start: Clock | None = None
    planned_minutes: Minutes | None = None


class AgendaUpdate(_Msg, tag="agenda.update", kw_only=True, frozen=True):
    """Only the fields present change. ``null`` clears a planned time; absent leaves it."""

    id: ReqId
    item_id: Id
    number: Label | UnsetType = UNSET
    title: Title | UnsetType = UNSET
    description: Text | UnsetType = UNSET
    planned_start: Clock | UnsetType | None = UNSET
    planned_minutes: Minutes | UnsetType | None = UNSET
    status: ItemStatus | UnsetType = UNSET


class AgendaRemove(_Msg, tag="agenda.remove", kw_only=True, frozen=True):
    id: ReqId
    item_id: Id


class AgendaMove(_Msg, tag="agenda.move", kw_only=True, frozen=True):
    id: ReqId
    item_id: Id
    parent_id: Id | None = None
    position: Position


class AgendaSetCurrent(_Msg, tag="agenda.set_current", kw_only=True, frozen=True):
    id: ReqId
    meeting_id: Id
    item_id: Id | None


class DeviceRevoke(_Msg, tag="device.revoke", kw_only=True, frozen=True):
    id: ReqId
    device_id: Id


class DocumentKeys(_Msg, tag="document.keys", kw_only=True, frozen=True):
    """This device's keys for these documents (those it may read; the others are left out)."""

    id: ReqId
    document_ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=500)]


class DeviceHolds(_Msg, tag="device.holds", kw_only=True, frozen=True):
    """What this device holds of the documents it may read (the secretariat's readiness)."""

    id: ReqId
    holdings: Annotated[list[Holding], msgspec.Meta(max_length=2000)]


class BlobsGet(_Msg, tag="blobs.get", kw_only=True, frozen=True):
    """Bulk connection: these blobs (a document's signed manifest and its chunks), each sent back
    as a binary frame ``address ‖ blob``, then ``blobs.done``."""

    id: ReqId
    document_id: Id
    addresses: Annotated[list[Address], msgspec.Meta(min_length=1, max_length=MAX_BLOBS_PER_GET)]


class DocumentUpload(_Msg, tag="document.upload", kw_only=True, frozen=True):
    """Bulk connection, staff: a PDF follows in binary frames, ``length`` bytes in all. With
    ``item_id``, a new document of that agenda item; with ``document_id``, a revised version of
    that document. Answered ``ok`` (send the bytes), then ``document.published`` or an error."""

    id: ReqId
    file_name: Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=SINGLE_LINE)]
    length: Annotated[int, msgspec.Meta(ge=1, le=MAX_DOCUMENT_BYTES)]
    item_id: Id | None = None
    document_id: Id | None = None
    #: New documents; the file name (without ``.pdf``) when left out.
    title: Title | None = None
    groups: Groups = []


class DocumentUpdate(_Msg, tag="document.update", kw_only=True, frozen=True):
    id: ReqId
    document_id: Id
    title: Title | UnsetType = UNSET
    #: Another item of the same meeting.
    item_id: Id | UnsetType = UNSET
    groups: Groups | UnsetType = UNSET


class DocumentWithdraw(_Msg, tag="document.withdraw", kw_only=True, frozen=True):
    """Devices delete the document; it is no longer served. The record of it stays."""

    id: ReqId
    document_id: Id


class ReadinessGet(_Msg, tag="readiness.get", kw_only=True, frozen=True):
    """Staff: what every device holds of a meeting's documents (the readiness board)."""

    id: ReqId
    meeting_id: Id


class AttendanceCheckIn(_Msg, tag="attendance.check_in", kw_only=True, frozen=True):
    """A delegate's device: the delegate is present at the meeting."""

    id: ReqId
    meeting_id: Id


class AttendanceSet(_Msg, tag="attendance.set", kw_only=True, frozen=True):
    """Staff: check delegates in or out by hand, or mark them excused."""

    id: ReqId
    meeting_id: Id
    delegate_ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=5000)]
    status: AttendanceStatus


class ProxySet(_Msg, tag="proxy.set", kw_only=True, frozen=True):
    """Staff: ``giver``'s vote at the meeting is carried by ``holder`` (``None``: by nobody)."""

    id: ReqId
    meeting_id: Id
    giver_id: Id
    holder_id: Id | None = None


class PollCreate(_Msg, tag="poll.create", kw_only=True, frozen=True):
    id: ReqId
    meeting_id: Id
    item_id: Id | None = None
    title: Title
    spec: PollSpec


class PollOpen(_Msg, tag="poll.open", kw_only=True, frozen=True):
    id: ReqId
    poll_id: Id


class PollClose(_Msg, tag="poll.close", kw_only=True, frozen=True):
    """Close an open poll and count it. With ``paper``, the paper ballots counted are added to
    the devices' votes; a draft poll closed with ``paper`` was run on paper alone."""

    id: ReqId
    poll_id: Id
    paper: PaperCount | None = None


class PollCancel(_Msg, tag="poll.cancel", kw_only=True, frozen=True):
    id: ReqId
    poll_id: Id


class Vote(_Obj, kw_only=True, frozen=True):
    """One vote of a ``ballot.cast``: whose it is (the delegate's own, or one of the proxies
    they hold), the receipt the device chose for it, and what it says."""

    delegate_id: Id
    receipt: Receipt
    marks: Marks


class PresentShow(_Msg, tag="present.show", kw_only=True, frozen=True):
    """Present a page of a document (and a region of it) to its meeting; sent again as the
    presenter pages and zooms."""

    id: ReqId
    document_id: Id
    page: PageNumber
    region: Region = Region()


class PresentStop(_Msg, tag="present.stop", kw_only=True, frozen=True):
    id: ReqId
    meeting_id: Id


class PresenterSet(_Msg, tag="presenter.set", kw_only=True, frozen=True):
    """Give a delegate the presenter role for an agenda item (``None``: take it back)."""

    id: ReqId
    item_id: Id
    delegate_id: Id | None = None


class AnnotationsSync(_Msg, tag="annotations.sync", kw_only=True, frozen=True):
    """A delegate's device: keep ``put`` (its edits since the last sync; an older edit than the
    room's is not kept) and send what changed after ``since`` (the ``cursor`` of the last
    reply; 0 for everything)."""

    id: ReqId
    since: Count = 0
    put: Annotated[list[SealedAnnotation], msgspec.Meta(max_length=MAX_ANNOTATIONS_PER_SYNC)] = []


class AnnotationKeyGet(_Msg, tag="annotations.key", kw_only=True, frozen=True):
    """Where this device stands with its delegate's annotation key (``annotations.key.state``)."""

    id: ReqId


class AnnotationKeyHeld(_Msg, tag="annotations.key.held", kw_only=True, frozen=True):
    """This device holds the annotation key with this id; the first device of a delegate to say
    so makes it the delegate's key. Another key id than the delegate's is refused."""

    id: ReqId
    key_id: AnnotationKeyId


class AnnotationKeyGive(_Msg, tag="annotations.key.give", kw_only=True, frozen=True):
    """A device holding the delegate's key leaves it, wrapped, for their waiting devices."""

    id: ReqId
    envelopes: Annotated[list[KeyEnvelope], msgspec.Meta(min_length=1, max_length=16)]


class BallotCast(_Msg, tag="ballot.cast", kw_only=True, frozen=True):
    """A delegate's vote and those of their proxies, in one action (each may say something
    else: a split). Sent again unchanged after a lost answer, it is accepted once. Sent by a
    secretary, it is a manual vote for a delegate whose device failed (named polls only)."""

    id: ReqId
    poll_id: Id
    votes: Annotated[list[Vote], msgspec.Meta(min_length=1, max_length=MAX_VOTES_PER_CAST)]


class PollBallots(_Msg, tag="poll.ballots", kw_only=True, frozen=True):
    """After a poll closes: its published list — a secret poll's (receipt, marks, weight), a
    named one's (delegate, marks, manual) — one page at a time, from entry ``start``."""

    id: ReqId
    poll_id: Id
    start: Count = 0


# Server -> client -------------------------------------------------------------------


class Welcome(_Msg, tag="welcome", kw_only=True, frozen=True):
    protocol: int
    room_id: str
    room_name: str
    challenge: str
    server_time: float


class Enrolled(_Msg, tag="enrolled", kw_only=True, frozen=True):
    id: ReqId
    device_id: Id
    role: Role
    delegate: Delegate | None = None


class Session(_Msg, tag="session", kw_only=True, frozen=True):
    id: ReqId
    device_id: Id
    role: Role
    delegate: Delegate | None = None
    seq: Seq


class Snapshot(_Msg, tag="snapshot", kw_only=True, frozen=True):
    """One part of the state at ``seq``. A client applies the parts together when the one with
    ``last`` arrives, so it never shows half a snapshot."""

    seq: Seq
    #: The tag of the entry at ``seq`` (empty for an empty log).
    tag: Tag = b""
    part: Count = 0
    last: bool = True
    state: RoomState


class Event(_Msg, tag="event", kw_only=True, frozen=True):
    seq: Seq
    #: Server time of the change; ``null`` for entries whose time is deliberately not recorded.
    at: float | None
    tag: Tag
    body: EventBody


class Ok(_Msg, tag="ok", kw_only=True, frozen=True):
    """A request succeeded; ``seq`` is the last log position its change produced."""

    id: ReqId
    seq: Seq | None = None


class MeetingCreated(_Msg, tag="meeting.created", kw_only=True, frozen=True):
    id: ReqId
    seq: Seq | None = None
    meeting_id: Id


class AgendaAdded(_Msg, tag="agenda.added", kw_only=True, frozen=True):
    id: ReqId
    seq: Seq | None = None
    item_id: Id


class KeysGiven(_Msg, tag="document.keys.given", kw_only=True, frozen=True):
    id: ReqId
    seq: Seq | None = None
    keys: list[WrappedKey]


#: Active content the room takes out of an uploaded PDF before storing it (server/pdfcheck.py).
RemovedKind = Literal[
    "javascript",
    "web_link",
    "remote_link",
    "launch",
    "embedded_file",
    "form_action",
    "xfa",
    "media",
    "automatic_action",
    "other_action",
]


class Removed(_Obj, kw_only=True, frozen=True):
    kind: RemovedKind
    count: Annotated[int, msgspec.Meta(ge=1, le=2**53)]


class DocumentPublished(_Msg, tag="document.published", kw_only=True, frozen=True):
    id: ReqId
    seq: Seq | None = None
    document_id: Id
    version: Count
    pages: Count
    changed_pages: list[Count] = []
    #: What was taken out of the file (the stored document is the cleaned one).
    removed: Annotated[list[Removed], msgspec.Meta(max_length=16)] = []


class Readiness(_Msg, tag="readiness", kw_only=True, frozen=True):
    id: ReqId
    meeting_id: Id
    devices: Annotated[list[DeviceReadiness], msgspec.Meta(max_length=MAX_READINESS_DEVICES)]


class PollCreated(_Msg, tag="poll.created", kw_only=True, frozen=True):
    id: ReqId
    seq: Seq | None = None
    poll_id: Id


class SecretBallot(_Obj, array_like=True, kw_only=True, frozen=True):
    receipt: Receipt
    marks: Marks
    weight: Count = 1


class Voter(_Obj, array_like=True, kw_only=True, frozen=True):
    """Who cast a named vote, for the screens that list them (devices have no roster)."""

    delegate_id: Id
    number: Number
    full_name: Name
    delegation: OptionalName = ""


class BallotList(_Msg, tag="poll.ballot_list", kw_only=True, frozen=True):
    """One page of a closed poll's published list: a secret poll's ``ballots`` in receipt
    order, or a named poll's ``named`` votes in delegate order with their ``voters``. The
    SHA-256 of the whole list is the poll's ``ballots_hash`` (docs/protocol.md §12); ``next``
    is the ``start`` of the next page, ``None`` on the last."""

    id: ReqId
    poll_id: Id
    ballots: list[SecretBallot] = []
    named: list[NamedVote] = []
    voters: list[Voter] = []
    next: Count | None = None


class AnnotationsSynced(_Msg, tag="annotations.synced", kw_only=True, frozen=True):
    """Annotations changed after the request's ``since`` (and the room's copy of any put that
    was older than it), one page at a time: with ``more``, ask again from ``cursor``."""

    id: ReqId
    cursor: Count
    records: list[SealedAnnotation] = []
    more: bool = False


class AnnotationKeyState(_Msg, tag="annotations.key.state", kw_only=True, frozen=True):
    """The delegate's annotation key id (``None``: no device has made one yet), whether this
    device said it holds it, the envelope left for it, and — for a device holding the key — the
    delegate's other devices waiting for it."""

    id: ReqId
    key_id: AnnotationKeyId | None = None
    held: bool = False
    envelope: KeyEnvelope | None = None
    waiting: Annotated[list[WaitingDevice], msgspec.Meta(max_length=64)] = []


class BlobsDone(_Msg, tag="blobs.done", kw_only=True, frozen=True):
    """All blobs of a ``blobs.get`` were sent; ``missing`` lists those the room does not have."""

    id: ReqId
    missing: list[Address] = []


class Error(_Msg, tag="error", kw_only=True, frozen=True):
    id: ReqId | None = None
    code: ErrorCode
    message: str


class Presence(_Msg, tag="presence", kw_only=True, frozen=True):
    """Ephemeral, staff only: connected devices per role, and which delegates are online as a
    bitmap over delegate ids (bit ``id`` of byte ``id // 8``, least significant first), so it
    stays small for any roster. Not part of the event log."""

    connected: dict[Role, Count]
    delegates_online: bytes = b""


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
    | DeviceRevoke
    | DocumentUpdate
    | DocumentWithdraw
    | DocumentKeys
    | DeviceHolds
    | ReadinessGet
    | BlobsGet
    | DocumentUpload
    | AttendanceCheckIn
    | AttendanceSet
    | ProxySet
    | PollCreate
    | PollOpen
    | PollClose
    | PollCancel
    | BallotCast
    | PollBallots
    | PresentShow
    | PresentStop
    | PresenterSet
    | AnnotationsSync
    | AnnotationKeyGet
    | AnnotationKeyHeld
    | AnnotationKeyGive
)
ClientMessage = Hello | ClientRequest
Reply = (
    Ok
    | MeetingCreated
    | AgendaAdded
    | DocumentPublished
    | KeysGiven
    | Readiness
    | BlobsDone
    | PollCreated
    | BallotList
    | AnnotationsSynced
    | AnnotationKeyState
)
ServerMessage = Welcome | Enrolled | Session | Snapshot | Event | Reply | Error | Presence

#: Every request type a client can send, for the policy table and its completeness test.
REQUEST_TYPES: tuple[type[ClientRequest], ...] = get_args(ClientRequest)
#: Requests sent on the bulk connection (``/bulk``), and only there (besides ``hello`` and
#: ``auth``); every other request only on the control connection.
BULK_REQUESTS: tuple[type[ClientRequest], ...] = (BlobsGet, DocumentUpload)

_client_decoder = msgspec.json.Decoder(ClientMessage)
_server_decoder = msgspec.json.Decoder(ServerMessage)
_event_body_decoder = msgspec.json.Decoder(EventBody)
_encoder = msgspec.json.Encoder()

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")


def check_depth(frame: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit``, before any decoder recurses.

    Counting the openers is one C-speed pass; only a frame with more of them than the limit
    (a snapshot part, an attack) is scanned bracket by bracket, strings skipped.
    """
    if frame.count(b"[") + frame.count(b"{") <= limit:
        return
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', frame)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                raise ProtocolError(ErrorCode.BAD_MESSAGE, f"nested deeper than {limit} levels")
        else:
            depth -= 1


def explain(exc: msgspec.ValidationError) -> str:
    """A validation error in words: the regexes of the field types become what they mean."""
    text = str(exc)
    for pattern, words in _PATTERN_WORDS.items():
        text = text.replace(f"`str` matching regex {pattern!r}", words)
    return text.replace("RFC3339 encoded date", "date YYYY-MM-DD")


def _decode(decoder: msgspec.json.Decoder[Any], frame: str | bytes, limit: int) -> Any:
    raw = frame.encode() if isinstance(frame, str) else frame
    if len(raw) > limit:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"frame larger than {limit} bytes")
    check_depth(raw)
    try:
        return decoder.decode(raw)
    except msgspec.ValidationError as exc:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"invalid message: {explain(exc)}") from None
    except msgspec.DecodeError as exc:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"not a JSON message: {exc}") from None


def decode_client(frame: str | bytes) -> ClientMessage:
    """Validate a frame received by the server."""
    result: ClientMessage = _decode(_client_decoder, frame, MAX_CLIENT_FRAME)
    return result


def decode_server(frame: str | bytes) -> ServerMessage:
    """Validate a frame received by a client."""
    result: ServerMessage = _decode(_server_decoder, frame, MAX_SERVER_FRAME)
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
    raw = frame.encode() if isinstance(frame, str) else frame
    try:
        check_depth(raw)
        value = msgspec.json.decode(raw, type=dict[str, Any]).get("id")
    except (ProtocolError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def message_type(msg: msgspec.Struct) -> str:
    """The ``type`` tag of a message instance."""
    tag = msg.__struct_config__.tag
    return str(tag)


def kind_of(body: EventBody) -> str:
    """The ``kind`` tag of an event body."""
    return str(body.__struct_config__.tag)


def check(value: object, kind: Any, what: str) -> Any:
    """Check a value from outside the wire (command line, files, config) against a field type
    of this module; raises ValueError naming ``what`` and saying what is expected."""
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as exc:
        raise ValueError(f"{what}: {explain(exc)}") from None
