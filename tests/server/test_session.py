"""The connection rules on both sides, driven by frames alone: no socket, no server."""

from __future__ import annotations

import msgspec
import pytest

from app import protocol as p
from app.session import Answered, ClientSession, Fatal, Loaded, Opened, Refused
from server.session import (
    CLOSE_AUTH,
    CLOSE_RATE_LIMITED,
    CLOSE_UNSUPPORTED,
    MAX_BAD_CODES,
    Close,
    Handle,
    Phase,
    Send,
    ServerSession,
)

WELCOME = p.Welcome(protocol=0, room_id="ab" * 32, room_name="R", challenge="AAAA", server_time=1.0)
HELLO = p.encode(p.Hello(protocols=[p.PROTOCOL_VERSION])).decode()


def sent(actions: list[object]) -> list[p.ServerMessage]:
    return [a.message for a in actions if isinstance(a, Send)]


def closed(actions: list[object]) -> list[int]:
    return [a.code for a in actions if isinstance(a, Close)]


def greeted() -> ServerSession:
    s = ServerSession(WELCOME)
    (welcome,) = sent(s.receive(HELLO))
    assert isinstance(welcome, p.Welcome) and welcome.protocol == p.PROTOCOL_VERSION
    return s


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (HELLO.encode(), CLOSE_AUTH),  # hello as a binary frame
        ('{"type": "meeting.create", "id": 1, "title": "x"}', CLOSE_AUTH),  # not hello first
        ("garbage", CLOSE_AUTH),
        (p.encode(p.Hello(protocols=[1])).decode(), CLOSE_UNSUPPORTED),
    ],
)
def test_the_first_frame_must_be_a_text_hello_we_speak(frame: str | bytes, code: int) -> None:
    s = ServerSession(WELCOME)
    actions = s.receive(frame)
    assert isinstance(sent(actions)[0], p.Error) and closed(actions) == [code]
    assert s.phase is Phase.CLOSED and s.receive(HELLO) == []


def test_requests_are_handed_over_and_answered_with_their_id() -> None:
    s = greeted()
    req = p.MeetingCreate(id=41, title="x")
    assert s.receive(p.encode(req).decode()) == [Handle(req)]
    (reply,) = sent(s.succeeded(req, p.MeetingCreated(id=0, meeting_id=7)))
    assert reply == p.MeetingCreated(id=41, meeting_id=7)
    (error,) = sent(s.failed(req, p.ErrorCode.NOT_FOUND, "no"))
    assert isinstance(error, p.Error) and error.id == 41


def test_malformed_frames_echo_a_readable_id_and_keep_the_session() -> None:
    s = greeted()
    (error,) = sent(s.receive('{"type": "meeting.create", "id": 9}'))
    assert isinstance(error, p.Error) and error.id == 9 and error.code == p.ErrorCode.BAD_MESSAGE
    (error,) = sent(s.receive(b"\x00binary"))
    assert isinstance(error, p.Error) and error.code == p.ErrorCode.BAD_MESSAGE
    (error,) = sent(s.receive(HELLO))
    assert isinstance(error, p.Error) and "already" in error.message
    assert s.phase is Phase.OPEN


def test_enroll_and_auth_only_before_the_session_is_open() -> None:
    s = greeted()
    auth = p.Auth(id=1, device_id=3, signature="A" * 88)
    assert s.receive(p.encode(auth).decode()) == [Handle(auth)]
    s.succeeded(auth, p.Session(id=0, device_id=3, role="delegate", seq=0))
    assert s.authenticated
    for again in (
        auth,
        p.Enroll(id=2, secret="0" * 16, device_name="x", sign_key="A" * 44, kx_key="A" * 44),
    ):
        (error,) = sent(s.receive(p.encode(again).decode()))
        assert isinstance(error, p.Error) and error.code == p.ErrorCode.ALREADY_AUTHENTICATED


def test_five_refused_codes_close_the_connection() -> None:
    s = greeted()
    enroll = p.Enroll(id=1, secret="0" * 16, device_name="x", sign_key="A" * 44, kx_key="A" * 44)
    for n in range(MAX_BAD_CODES):
        actions = s.failed(enroll, p.ErrorCode.INVALID_CODE, "no")
        assert closed(actions) == ([CLOSE_AUTH] if n == MAX_BAD_CODES - 1 else [])
    assert s.phase is Phase.CLOSED


@pytest.mark.parametrize(
    ("code", "close"),
    [
        (p.ErrorCode.DEVICE_REVOKED, CLOSE_AUTH),
        (p.ErrorCode.UNKNOWN_DEVICE, CLOSE_AUTH),
        (p.ErrorCode.RATE_LIMITED, CLOSE_RATE_LIMITED),
        (p.ErrorCode.NOT_FOUND, None),
    ],
)
def test_refusals_that_end_a_devices_standing_close(code: p.ErrorCode, close: int | None) -> None:
    s = greeted()
    req = p.AgendaRemove(id=5, item_id=1)
    assert closed(s.failed(req, code, "x")) == ([close] if close else [])


def test_revocation_and_the_auth_deadline() -> None:
    s = greeted()
    assert closed(s.expired()) == [CLOSE_AUTH]
    s = greeted()
    auth = p.Auth(id=1, device_id=3, signature="A" * 88)
    s.succeeded(auth, p.Session(id=0, device_id=3, role="delegate", seq=0))
    assert s.expired() == []  # authenticated in time
    actions = s.revoked()
    assert sent(actions)[0] == p.Error(
        code=p.ErrorCode.DEVICE_REVOKED, message="this device was revoked"
    )
    assert closed(actions) == [CLOSE_AUTH] and s.revoked() == []


# ---------------------------------------------------------------------- the client's side


def welcomed(since: int | None = None) -> ClientSession:
    c = ClientSession(since)
    c.receive(p.encode(msgspec.structs.replace(WELCOME, protocol=p.PROTOCOL_VERSION)))
    return c


def test_the_client_expects_welcome_first() -> None:
    c = ClientSession()
    with pytest.raises(p.ProtocolError):
        c.receive(p.encode(p.Ok(id=1)))
    c = ClientSession()
    with pytest.raises(p.ProtocolError) as err:
        c.receive(p.encode(p.Error(code=p.ErrorCode.UNSUPPORTED_VERSION, message="update")))
    assert err.value.code == p.ErrorCode.UNSUPPORTED_VERSION


def test_answers_are_matched_to_their_requests_and_strays_ignored() -> None:
    c = welcomed()
    rid, frame = c.request(p.AgendaRemove(id=0, item_id=1))
    assert p.decode_client(frame) == p.AgendaRemove(id=rid, item_id=1)
    assert c.receive(p.encode(p.Ok(id=rid + 100))) == []  # answers nothing we asked
    assert c.receive(p.encode(p.Ok(id=rid, seq=3))) == [Answered(rid, p.Ok(id=rid, seq=3))]
    assert c.receive(p.encode(p.Ok(id=rid))) == []  # answered once
    rid2, _ = c.request(p.AgendaRemove(id=0, item_id=2))
    refused = c.receive(p.encode(p.Error(id=rid2, code=p.ErrorCode.FORBIDDEN, message="no")))
    assert refused == [Refused(rid2, p.ErrorCode.FORBIDDEN, "no")]


def test_a_final_refusal_of_the_device_is_fatal() -> None:
    c = welcomed()
    c.auth(3, lambda data: b"\x00" * 64, b"\x01" * 32)
    with pytest.raises(Fatal):
        c.receive(p.encode(p.Error(id=1, code=p.ErrorCode.UNKNOWN_DEVICE, message="no")))
    c = welcomed()
    with pytest.raises(Fatal):  # revoked while connected: no request id
        c.receive(p.encode(p.Error(code=p.ErrorCode.DEVICE_REVOKED, message="revoked")))


def test_snapshot_parts_are_applied_together_and_replays_skipped() -> None:
    c = welcomed(since=5)
    c.auth(3, lambda data: b"\x00" * 64, b"\x01" * 32)
    assert isinstance(
        c.receive(p.encode(p.Session(id=1, device_id=3, role="delegate", seq=9)))[0], Opened
    )
    room = p.RoomInfo(name="R")
    m1, m2 = p.Meeting(id=1, title="a"), p.Meeting(id=2, title="b")
    assert (
        c.receive(
            p.encode(
                p.Snapshot(seq=9, part=0, last=False, state=p.RoomState(room=room, meetings=[m1]))
            )
        )
        == []
    )
    assert c.seq == 5  # nothing applied until the last part
    (loaded,) = c.receive(
        p.encode(p.Snapshot(seq=9, part=1, last=True, state=p.RoomState(room=room, meetings=[m2])))
    )
    assert isinstance(loaded, Loaded) and loaded.state.meetings == [m1, m2] and c.seq == 9
    event = p.Event(seq=9, at=1.0, tag=b"12345678", body=p.RoomChanged(room=room))
    assert c.receive(p.encode(event)) == []  # at or below the last applied seq
    assert len(c.receive(p.encode(msgspec.structs.replace(event, seq=10)))) == 1
    with pytest.raises(p.ProtocolError, match="out of order"):
        c.receive(p.encode(p.Snapshot(seq=12, part=3, last=True, state=p.RoomState(room=room))))
