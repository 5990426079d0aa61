"""Schema round-trips and rejections: every message type, and what the edge refuses."""

from __future__ import annotations

import datetime

import msgspec
import pytest

from app import protocol as p

ITEM = p.AgendaItem(
    id=3,
    meeting_id=1,
    parent_id=2,
    position=1,
    number="2.1",
    title="Báo cáo chính trị",
    description="Trình bày dự thảo",
    planned_start="08:50",
    planned_minutes=60,
    status="current",
)
STATE = p.RoomState(
    room=p.RoomInfo(name="Đại hội", active_meeting_id=1),
    meetings=[
        p.Meeting(
            id=1,
            title="Phiên 1",
            starts_on=datetime.date(2026, 11, 23),
            status="open",
            groups=["A"],
        )
    ],
    agenda=[ITEM],
    roster=p.RosterInfo(delegates=1, groups=["A"]),
    delegates=[p.Delegate(id=1, number="0001", full_name="Lê Văn Ánh", groups=["A"])],
)
KEY = "A" * 43 + "="
SIG = "B" * 86 + "=="

CLIENT = [
    p.Hello(protocols=[2], client="t"),
    p.Enroll(
        id=1, secret="ABCDEFGH12345678", device_name="Máy tính bảng", sign_key=KEY, kx_key=KEY
    ),
    p.Auth(id=0, device_id=7, signature=SIG, since=12, since_tag=b"\x01" * 8),
    p.Auth(id=0, device_id=7, signature=SIG),
    p.MeetingCreate(id=2, title="Phiên bế mạc", starts_on=datetime.date(2026, 11, 25)),
    p.MeetingCreate(id=2, title="Ban Thường vụ", groups=["Ban Thường vụ"]),
    p.MeetingUpdate(id=3, meeting_id=1, status="closed"),
    p.MeetingUpdate(id=3, meeting_id=1, starts_on=None, groups=[]),
    p.MeetingActivate(id=4, meeting_id=None),
    p.AgendaAdd(
        id=5, meeting_id=1, parent_id=2, title="Mục", planned_start="23:59", planned_minutes=0
    ),
    p.AgendaUpdate(id=6, item_id=3, status="done"),
    p.AgendaRemove(id=7, item_id=3),
    p.AgendaMove(id=8, item_id=3, parent_id=None, position=0),
    p.AgendaSetCurrent(id=9, meeting_id=1, item_id=3),
    p.DeviceRevoke(id=10, device_id=4),
]
SERVER = [
    p.Welcome(protocol=2, room_id="ab" * 32, room_name="Đại hội", challenge="x", server_time=1.5),
    p.Enrolled(
        id=1,
        device_id=7,
        role="delegate",
        delegate=p.Delegate(id=1, number="0001", full_name="Lê Văn Ánh"),
    ),
    p.Session(id=0, device_id=7, role="secretary", seq=4),
    p.Snapshot(seq=4, tag=b"\x02" * 8, state=STATE),
    p.Snapshot(seq=4, part=1, last=False, state=STATE),
    p.Event(
        seq=5,
        at=1.0,
        tag=b"12345678",
        body=p.AgendaChanged(meeting_id=1, items=[ITEM], removed=[4]),
    ),
    p.Event(seq=6, at=1.0, tag=b"12345678", body=p.RoomChanged(room=p.RoomInfo(name="X"))),
    p.Event(seq=7, at=None, tag=b"12345678", body=p.AccessChanged()),
    p.Event(seq=8, at=1.0, tag=b"12345678", body=p.DeviceEnrolled(device_id=1, role="display")),
    p.Event(seq=9, at=1.0, tag=b"12345678", body=p.RosterChanged(delegates=2, groups=["A", "B"])),
    p.Event(seq=10, at=1.0, tag=b"12345678", body=p.DelegatesChanged(delegates=STATE.delegates)),
    p.Ok(id=3, seq=9),
    p.MeetingCreated(id=3, seq=9, meeting_id=2),
    p.AgendaAdded(id=3, seq=9, item_id=2),
    p.Error(id=None, code=p.ErrorCode.FORBIDDEN, message="no"),
    p.Presence(connected={"delegate": 3}, delegates_online=b"\x06"),
]


@pytest.mark.parametrize("msg", CLIENT, ids=lambda m: p.message_type(m))
def test_client_messages_round_trip(msg: msgspec.Struct) -> None:
    assert p.decode_client(p.encode(msg)) == msg


@pytest.mark.parametrize("msg", SERVER, ids=lambda m: p.message_type(m))
def test_server_messages_round_trip(msg: msgspec.Struct) -> None:
    assert p.decode_server(p.encode(msg)) == msg


def test_vietnamese_text_travels_as_utf8_json() -> None:
    frame = p.encode(p.MeetingCreate(id=1, title="Đại hội đại biểu lần thứ XIV"))
    assert "Đại hội".encode() in frame


@pytest.mark.parametrize(
    ("frame", "fragment"),
    [
        (b"", "not a JSON"),
        (b"{", "not a JSON"),
        (b"[]", "invalid message"),
        (b'{"id": 1}', "type"),
        (b'{"type": "shutdown", "id": 1}', "shutdown"),
        (b'{"type": "meeting.create", "id": 1}', "title"),
        (b'{"type": "meeting.create", "id": "1", "title": "x"}', "id"),
        (b'{"type": "meeting.create", "id": -1, "title": "x"}', "id"),
        (b'{"type": "meeting.create", "id": 1, "title": ""}', "title"),
        (
            b'{"type": "meeting.create", "id": 1, "title": "x", "starts_on": "23/11/2026"}',
            "starts_on",
        ),
        (b'{"type": "meeting.create", "id": 1, "title": "x", "admin": true}', "admin"),
        (
            b'{"type": "agenda.add", "id": 1, "meeting_id": 1, "title": "x", "planned_start": "24:00"}',
            "planned_start",
        ),
        (b'{"type": "agenda.update", "id": 1, "item_id": 1, "status": "cancelled"}', "status"),
        (b'{"type": "hello", "protocols": []}', "protocols"),
        (b'{"type": "auth", "id": 0, "device_id": 0, "signature": "x"}', "device_id"),
    ],
)
def test_invalid_client_frames_are_rejected_with_bad_message(frame: bytes, fragment: str) -> None:
    with pytest.raises(p.ProtocolError) as err:
        p.decode_client(frame)
    assert err.value.code == p.ErrorCode.BAD_MESSAGE
    assert fragment in err.value.message


def test_oversized_frame_is_rejected_before_parsing() -> None:
    frame = b'{"type": "meeting.create", "id": 1, "title": "' + b"x" * p.MAX_CLIENT_FRAME + b'"}'
    with pytest.raises(p.ProtocolError, match="larger than"):
        p.decode_client(frame)


def test_server_frames_are_validated_too() -> None:
    with pytest.raises(p.ProtocolError):
        p.decode_server(
            b'{"type": "event", "seq": 1, "at": 0, "body": {"kind": "agenda.exploded"}}'
        )


@pytest.mark.parametrize(
    ("frame", "expected"),
    [(b'{"type": "x", "id": 42}', 42), (b'{"id": true}', None), (b"garbage", None), (b"[1]", None)],
)
def test_request_id_is_echoed_when_recoverable(frame: bytes, expected: int | None) -> None:
    assert p.request_id_of(frame) == expected


@pytest.mark.parametrize(
    "frame",
    [
        b"[" * 17 + b"]" * 17,
        b'{"type": "hello", "protocols": [2], "client": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"a": ' * 40 + b"1" + b"}" * 40,
    ],
)
def test_deep_nesting_is_refused_before_decoding(frame: bytes) -> None:
    for decode in (p.decode_client, p.decode_server):
        with pytest.raises(p.ProtocolError, match="nested deeper"):
            decode(frame)
    assert p.request_id_of(frame) is None


def test_brackets_inside_strings_are_not_nesting() -> None:
    title = "[" * 40 + "{" * 40
    msg = p.MeetingCreate(id=1, title=title)
    assert p.decode_client(p.encode(msg)) == msg


@pytest.mark.parametrize(
    "title", ["a\nb", "\x1b[31mred", "tab\there", "\u202egnp.exe", "c1\x9bcontrol"]
)
def test_titles_and_names_refuse_control_characters(title: str) -> None:
    with pytest.raises(p.ProtocolError, match="control characters"):
        p.decode_client(p.encode(p.MeetingCreate(id=1, title=title)))
    with pytest.raises(ValueError, match="control characters"):
        p.check(title, p.Name, "--name")


def test_descriptions_keep_line_breaks_but_not_escapes() -> None:
    ok = p.AgendaAdd(id=1, meeting_id=1, title="t", description="dòng 1\r\ndòng 2\tcột")
    assert p.decode_client(p.encode(ok)) == ok
    with pytest.raises(p.ProtocolError):
        p.decode_client(p.encode(p.AgendaAdd(id=1, meeting_id=1, title="t", description="\x1b[2J")))


@pytest.mark.parametrize("value", ["2026-13-45", "2026-02-30", "26-1-1", "hôm nay"])
def test_impossible_dates_are_refused(value: str) -> None:
    frame = b'{"type": "meeting.create", "id": 1, "title": "x", "starts_on": "%s"}' % value.encode()
    with pytest.raises(p.ProtocolError, match="date YYYY-MM-DD"):
        p.decode_client(frame)


def test_check_explains_values_from_outside_the_wire() -> None:
    with pytest.raises(ValueError, match=r"--start: .*HH:MM between 00:00 and 23:59"):
        p.check("25:00", p.Clock, "--start")
    with pytest.raises(ValueError, match="--name"):
        p.check("", p.Name, "--name")
    with pytest.raises(ValueError, match="--name"):
        p.check("x" * 201, p.Name, "--name")
    assert p.check("Đại hội", p.Name, "--name") == "Đại hội"


def test_every_role_is_listed_once() -> None:
    assert p.ROLES == ("delegate", "secretary", "display", "admin")
    assert set(p.ROLES) > p.STAFF_ROLES


def test_agenda_update_tells_absent_from_cleared() -> None:
    absent = p.decode_client(b'{"type": "agenda.update", "id": 1, "item_id": 2}')
    cleared = p.decode_client(
        b'{"type": "agenda.update", "id": 1, "item_id": 2, "planned_start": null}'
    )
    assert isinstance(absent, p.AgendaUpdate) and isinstance(cleared, p.AgendaUpdate)
    assert absent.planned_start is msgspec.UNSET and cleared.planned_start is None
    with pytest.raises(p.ProtocolError):
        p.decode_client(b'{"type": "agenda.update", "id": 1, "item_id": 2, "title": null}')
