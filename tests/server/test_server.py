"""The real server on loopback with TLS, real websockets and a real SQLite file."""

from __future__ import annotations

import asyncio
import base64
import socket
import ssl
from pathlib import Path
from typing import Any

import msgspec
import pytest
import websockets
from websockets.asyncio.client import connect

from app import protocol as p
from app.client import RequestError, RoomClient, Status
from app.codes import EnrollmentCode
from app.connection import WrongRoom, client_context, open_link
from app.enroll import EnrollError, enroll
from app.profile import Unlocked
from app.resources import sample_dir
from app.state import Area, RoomView
from server.cli import main as server_cli
from tests.conftest import TEST_SCRYPT_COST, ServerThread, make_room

PIN = "2468"


class Recorder:
    """A RoomClient with everything it reported kept for assertions."""

    def __init__(self, unlocked: Unlocked) -> None:
        self.states: list[p.RoomState] = []
        self.statuses: list[Status] = []
        self.presence: list[p.Presence] = []
        self.fatal: list[tuple[str, str]] = []
        self.client = RoomClient(
            unlocked,
            on_state=self._state,
            on_status=lambda s, _t: self.statuses.append(s),
            on_presence=self.presence.append,
            on_fatal=lambda c, m: self.fatal.append((c, m)),
        )
        self.task: asyncio.Task[None] | None = None

    def _state(self, view: RoomView, _areas: Area) -> None:
        self.states.append(view.to_state())

    async def start(self) -> Recorder:
        self.task = asyncio.create_task(self.client.run())
        await until(lambda: self.client.status is Status.ONLINE)
        return self

    async def stop(self) -> None:
        await self.client.stop()
        assert self.task is not None
        await asyncio.wait_for(self.task, 10)


async def until(predicate: Any, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def enrolled(
    server: ServerThread, home: Path, role: str = "delegate", number: str | None = None
) -> Unlocked:
    if role == "delegate" and number is None:
        number = "0001"
    code = server.code(role, number)
    return await enroll(home, code, PIN, f"{role}-{home.name}", cost=TEST_SCRYPT_COST)


def current_title(client: RoomClient) -> str | None:
    model = client.model
    meeting = model.active_meeting
    if meeting is None:
        return None
    item = model.current_item(meeting.id)
    return item.title if item else None


def test_enroll_authenticate_and_agenda_reaches_three_clients(
    server: ServerThread, tmp_path: Path
) -> None:
    async def scenario() -> None:
        secretary = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        delegates = [
            await Recorder(await enrolled(server, tmp_path / f"d{n}", number=f"000{n}")).start()
            for n in (1, 2, 3)
        ]
        assert delegates[0].client.identity.delegate is not None
        assert delegates[0].client.identity.delegate.number == "0001"
        meeting = await secretary.client.request(p.MeetingCreate(id=0, title="Phiên khai mạc"))
        first = await secretary.client.request(
            p.AgendaAdd(id=0, meeting_id=meeting.meeting_id, title="Khai mạc Đại hội")
        )
        second = await secretary.client.request(
            p.AgendaAdd(id=0, meeting_id=meeting.meeting_id, title="Báo cáo chính trị")
        )
        await secretary.client.request(
            p.AgendaSetCurrent(id=0, meeting_id=meeting.meeting_id, item_id=second.item_id)
        )
        for d in delegates:
            await until(lambda d=d: current_title(d.client) == "Báo cáo chính trị")
            # every client lands on exactly the server's state
            assert d.client.model.to_state() == server.room.snapshot()[1]
        await secretary.client.request(
            p.AgendaSetCurrent(id=0, meeting_id=meeting.meeting_id, item_id=first.item_id)
        )
        for d in delegates:
            await until(lambda d=d: current_title(d.client) == "Khai mạc Đại hội")
            done = d.client.model.items[second.item_id]
            assert done.status == "done"
        await until(
            lambda: bool(secretary.presence) and secretary.presence[-1].connected["delegate"] == 3
        )
        # the bitmap names the three delegates online, by delegate id
        online = secretary.presence[-1].delegates_online
        ids = {i for i in range(len(online) * 8) if online[i >> 3] & (1 << (i & 7))}
        assert ids == {
            d.client.identity.delegate.id for d in delegates if d.client.identity.delegate
        }
        for r in [secretary, *delegates]:
            await r.stop()

    asyncio.run(scenario())


def test_reconnect_receives_exactly_the_missed_events(server: ServerThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        secretary = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        meeting = await secretary.client.request(p.MeetingCreate(id=0, title="Phiên 1"))
        delegate_unlocked = await enrolled(server, tmp_path / "d1")
        d = await Recorder(delegate_unlocked).start()
        await until(lambda: meeting.meeting_id in d.client.model.meetings)
        seq_before, tag_before = d.client.seq, d.client.tag
        await d.stop()
        # three changes while the delegate is away
        for title in ("Mục 1", "Mục 2", "Mục 3"):
            await secretary.client.request(
                p.AgendaAdd(id=0, meeting_id=meeting.meeting_id, title=title)
            )
        # reconnect through the raw protocol to see exactly what is sent after the session
        link = await open_link(
            ["127.0.0.1"], server.port, lambda rid: rid == server.datadir.room_id()
        )
        challenge = base64.b64decode(link.welcome.challenge)
        keys = delegate_unlocked.keys
        sig = keys.sign.sign(p.AUTH_CONTEXT + server.datadir.room_id() + challenge)
        ident = delegate_unlocked.identity
        await link.ws.send(
            p.encode(
                p.Auth(
                    id=0,
                    device_id=ident.device_id,
                    signature=base64.b64encode(sig).decode(),
                    since=seq_before,
                    since_tag=tag_before,
                )
            ),
            text=True,
        )
        session = p.decode_server(await link.ws.recv())
        assert isinstance(session, p.Session)
        received = []
        while len(received) < 3:
            msg = p.decode_server(await asyncio.wait_for(link.ws.recv(), 5))
            if isinstance(msg, p.Presence):
                continue
            received.append(msg)
        assert all(isinstance(m, p.Event) for m in received)
        # staff-only entries (enrollments) are skipped: a delegate sees gaps, never duplicates
        expected = [r.seq for r in server.room.events_after(seq_before, 100) if r.audience == "all"]
        assert [m.seq for m in received] == expected
        assert [m.body.items[0].title for m in received] == ["Mục 1", "Mục 2", "Mục 3"]
        with pytest.raises(TimeoutError):  # and nothing more
            await asyncio.wait_for(link.ws.recv(), 0.5)
        await link.ws.close()
        # the real client resumes from its stored seq and converges
        d2 = await Recorder(delegate_unlocked).start()
        await until(lambda: len(d2.client.model.items) == 3)
        assert d2.client.seq == server.room.last_seq()
        await d2.stop()
        await secretary.stop()

    asyncio.run(scenario())


def test_client_far_behind_gets_a_snapshot(server: ServerThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        unlocked = await enrolled(server, tmp_path / "d1")
        client = RoomClient(unlocked, on_state=lambda m, a: None, on_status=lambda s, t: None)
        client.seq = 10_000  # from a room database that was since replaced
        task = asyncio.create_task(client.run())
        await until(lambda: client.status is Status.ONLINE)
        await until(lambda: client.seq == server.room.last_seq())
        assert client.model.room.name == "Đại hội thử nghiệm"
        await client.stop()
        await task

    asyncio.run(scenario())


def test_pinned_client_refuses_a_server_with_another_certificate(tmp_path: Path) -> None:
    real = ServerThread(make_room(tmp_path / "real"))
    impostor = ServerThread(make_room(tmp_path / "impostor", name="Đại hội thử nghiệm"))
    real.start()
    impostor.start()
    try:
        code = real.code("secretary")
        # same code, but the address now leads to the impostor
        hijacked = EnrollmentCode(("127.0.0.1",), impostor.port, code.room_pin, code.secret)

        async def scenario() -> None:
            with pytest.raises(EnrollError) as err:
                await enroll(tmp_path / "sec", EnrollmentCode.parse(hijacked.text()), PIN)
            assert err.value.code == "wrong_room"
            with pytest.raises(WrongRoom):
                await open_link(
                    ["127.0.0.1"], impostor.port, lambda rid: rid == real.datadir.room_id()
                )
            # an enrolled device never authenticates against the impostor either
            unlocked = await enroll(tmp_path / "sec2", code, PIN, cost=TEST_SCRYPT_COST)
            moved = msgspec.structs.replace(unlocked.identity, port=impostor.port)
            unlocked = Unlocked(unlocked.profile, moved, unlocked.secrets)
            client = RoomClient(unlocked, on_state=lambda m, a: None, on_status=lambda s, t: None)
            task = asyncio.create_task(client.run())
            await asyncio.sleep(1.0)
            assert client.status is not Status.ONLINE
            await client.stop()
            await task

        asyncio.run(scenario())
        assert not (tmp_path / "sec" / "identity.json").exists()
    finally:
        real.close()
        impostor.close()


def test_codes_are_single_use_and_wrong_codes_are_refused(
    server: ServerThread, tmp_path: Path
) -> None:
    async def scenario() -> None:
        code = server.code("delegate", "0002")
        await enroll(tmp_path / "a", code, PIN, cost=TEST_SCRYPT_COST)
        with pytest.raises(EnrollError) as err:
            await enroll(tmp_path / "b", code, PIN)
        assert err.value.code == p.ErrorCode.INVALID_CODE
        forged = EnrollmentCode(code.addresses, code.port, code.room_pin, b"\x01" * 10)
        with pytest.raises(EnrollError) as err:
            await enroll(tmp_path / "c", forged, PIN)
        assert err.value.code == p.ErrorCode.INVALID_CODE
        # a re-issued code replaces the earlier unused one
        old = server.code("delegate", "0003")
        new = server.code("delegate", "0003")
        with pytest.raises(EnrollError):
            await enroll(tmp_path / "d", old, PIN)
        await enroll(tmp_path / "e", new, PIN, cost=TEST_SCRYPT_COST)

    asyncio.run(scenario())


def test_delegate_cannot_change_the_agenda(server: ServerThread, tmp_path: Path) -> None:
    async def scenario() -> None:
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        with pytest.raises(RequestError) as err:
            await d.client.request(p.MeetingCreate(id=0, title="Hijack"))
        assert err.value.code == p.ErrorCode.FORBIDDEN
        with pytest.raises(RequestError) as err:
            await d.client.request(p.AgendaSetCurrent(id=0, meeting_id=1, item_id=None))
        assert err.value.code == p.ErrorCode.FORBIDDEN
        assert server.room.snapshot()[1].meetings == []
        await d.stop()

    asyncio.run(scenario())


async def raw_session(port: int) -> websockets.asyncio.client.ClientConnection:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return await connect(f"wss://127.0.0.1:{port}/ws", ssl=ctx, compression=None)


def test_invalid_messages_get_typed_errors_not_tracebacks(server: ServerThread) -> None:
    async def scenario() -> None:
        ws = await raw_session(server.port)
        await ws.send(p.encode(p.Hello(protocols=[p.PROTOCOL_VERSION])), text=True)
        assert isinstance(p.decode_server(await ws.recv()), p.Welcome)
        deep = (
            '{"type": "meeting.create", "id": 11, "title": "x", "groups": '
            + "[" * 1000
            + "]" * 1000
            + "}"
        )
        cases: list[tuple[str | bytes, int | None]] = [
            ("not json", None),
            ('{"type": "nope", "id": 5}', 5),
            ('{"type": "meeting.create", "id": 6}', 6),  # missing title
            ('{"type": "meeting.create", "id": 7, "title": "x", "extra": 1}', 7),
            ('{"type": "meeting.create", "id": 8, "title": "' + "x" * 600 + '"}', 8),
            ('{"type": "meeting.create", "id": 12, "title": "a\\u001b[2Jb"}', 12),
            ('{"type": "meeting.create", "id": 13, "title": "x", "starts_on": "2026-13-45"}', 13),
            (deep, None),
            ('{"type": "meeting.create", "id": 9, "title": "x"}', 9),  # not authenticated
            ('{"type": "hello", "protocols": [2]}', None),
            (b"\x00\x01binary", None),
            ("[1, 2, 3]", None),
        ]
        codes = []
        for frame, rid in cases:
            await ws.send(frame)
            reply = p.decode_server(await asyncio.wait_for(ws.recv(), 5))
            assert isinstance(reply, p.Error), frame
            assert reply.id == rid
            codes.append(reply.code)
        assert codes[:8] == [p.ErrorCode.BAD_MESSAGE] * 8
        assert codes[8] == p.ErrorCode.NOT_AUTHENTICATED
        # an unknown device is refused and the connection closed: it has nothing more to do
        await ws.send(
            '{"type": "auth", "id": 10, "device_id": 99, "signature": "' + "A" * 86 + '=="}'
        )
        reply = p.decode_server(await asyncio.wait_for(ws.recv(), 5))
        assert isinstance(reply, p.Error) and reply.code == p.ErrorCode.UNKNOWN_DEVICE
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        # an oversized frame closes the connection (1009), the server lives on
        ws = await raw_session(server.port)
        await ws.send(p.encode(p.Hello(protocols=[p.PROTOCOL_VERSION])), text=True)
        await ws.recv()
        await ws.send("x" * (p.MAX_CLIENT_FRAME + 10))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        ws2 = await raw_session(server.port)
        await ws2.send(p.encode(p.Hello(protocols=[99])), text=True)
        reply = p.decode_server(await ws2.recv())
        assert isinstance(reply, p.Error) and reply.code == p.ErrorCode.UNSUPPORTED_VERSION
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws2.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001

    asyncio.run(scenario())
    log = server.datadir.logs / "server.log"
    assert not log.exists() or "Traceback" not in log.read_text()


def test_hello_sent_as_a_binary_frame_is_refused(server: ServerThread) -> None:
    async def scenario() -> None:
        ws = await raw_session(server.port)
        await ws.send(p.encode(p.Hello(protocols=[p.PROTOCOL_VERSION])))  # bytes: a binary frame
        reply = p.decode_server(await asyncio.wait_for(ws.recv(), 5))
        assert isinstance(reply, p.Error) and reply.code == p.ErrorCode.BAD_MESSAGE
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4003

    asyncio.run(scenario())


def test_a_wrong_signature_and_an_unknown_device_get_the_same_answer(
    server: ServerThread, tmp_path: Path
) -> None:
    """Checked in that order: nobody without a device's key learns whether it exists or was
    revoked."""
    root = str(server.datadir.root)

    async def attempt(device_id: int, key: Any) -> p.ErrorCode:
        link = await open_link(["127.0.0.1"], server.port, lambda rid: True)
        wrong = key.sign(b"something else")
        await link.ws.send(
            p.encode(p.Auth(id=1, device_id=device_id, signature=base64.b64encode(wrong).decode())),
            text=True,
        )
        reply = p.decode_server(await link.ws.recv())
        await link.ws.close()
        assert isinstance(reply, p.Error)
        return reply.code

    async def scenario() -> tuple[p.ErrorCode, p.ErrorCode, p.ErrorCode]:
        active = await enrolled(server, tmp_path / "d1")
        revoked = await enrolled(server, tmp_path / "d2", number="0002")
        assert server_cli(["device", "revoke", root, str(revoked.identity.device_id)]) == 0
        key = active.keys.sign
        return (
            await attempt(active.identity.device_id, key),
            await attempt(revoked.identity.device_id, key),
            await attempt(9999, key),
        )

    assert set(asyncio.run(scenario())) == {p.ErrorCode.UNKNOWN_DEVICE}


def test_cli_changes_reach_connected_clients(server: ServerThread, tmp_path: Path) -> None:
    root = str(server.datadir.root)
    sample = sample_dir() / "meeting.json"

    async def scenario() -> None:
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        assert server_cli(["meeting", "import", root, str(sample)]) == 0
        await until(lambda: len(d.client.model.items) > 10)
        meeting_id = next(iter(d.client.model.meetings))
        item = d.client.model.children(meeting_id, None)[1]
        assert server_cli(["agenda", "current", root, str(meeting_id), str(item.id)]) == 0
        await until(lambda: current_title(d.client) == item.title, timeout=5)
        assert d.client.model.to_state() == server.room.snapshot()[1]
        await d.stop()

    asyncio.run(scenario())
    assert server_cli(["audit", "verify", root]) == 0


def test_state_survives_in_the_local_store_and_opens_offline(
    server: ServerThread, tmp_path: Path
) -> None:
    from app.profile import Profile

    async def scenario() -> None:
        sec = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        m = await sec.client.request(p.MeetingCreate(id=0, title="Phiên bế mạc"))
        it = await sec.client.request(p.AgendaAdd(id=0, meeting_id=m.meeting_id, title="Bế mạc"))
        await sec.client.request(
            p.AgendaSetCurrent(id=0, meeting_id=m.meeting_id, item_id=it.item_id)
        )
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        await until(lambda: current_title(d.client) == "Bế mạc")
        await d.stop()
        await sec.stop()

    asyncio.run(scenario())
    server.stop()  # the room is gone: the tablet is offline
    unlocked = Profile(tmp_path / "d1").unlock(PIN)
    model, last_sync = unlocked.load_state()
    assert last_sync is not None
    meeting = model.active_meeting
    assert meeting is not None and model.current_item(meeting.id) is not None
    raw = (tmp_path / "d1" / "state.bin").read_bytes()
    assert not [t for t in ("Bế mạc", "Phiên bế mạc") if t.encode() in raw]  # sealed


def test_ssl_context_is_tls13_only() -> None:
    assert client_context().minimum_version == ssl.TLSVersion.TLSv1_3


def test_a_client_that_stops_reading_is_dropped_and_resyncs(
    roster_room: Any, tmp_path: Path
) -> None:
    """A tablet that stops draining its socket must not grow server memory: past the configured
    buffer its connection is aborted and, reconnecting, it resumes to the same state as everyone."""
    text = roster_room.config.read_text()
    roster_room.config.write_text(
        text.replace("slow_client_buffer = 1048576", "slow_client_buffer = 65536")
    )
    st = ServerThread(roster_room)
    st.start()
    try:

        async def scenario() -> None:
            sec = await Recorder(await enrolled(st, tmp_path / "sec", "secretary")).start()
            unlocked = await enrolled(st, tmp_path / "d1")
            link = await open_link(["127.0.0.1"], st.port, lambda rid: True)
            # shrink the receive window so the server's own buffer fills quickly
            sock = link.ws.transport.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            challenge = base64.b64decode(link.welcome.challenge)
            sig = unlocked.keys.sign.sign(p.AUTH_CONTEXT + st.datadir.room_id() + challenge)
            auth = p.Auth(
                id=0,
                device_id=unlocked.identity.device_id,
                signature=base64.b64encode(sig).decode(),
            )
            await link.ws.send(p.encode(auth), text=True)
            link.ws.transport.pause_reading()  # the tablet stops reading
            server = st.server
            assert server is not None
            device_id = unlocked.identity.device_id
            await until(lambda: any(v.device_id == device_id for v in server.hub.views.values()))
            # The kernel's buffers on loopback hold megabytes before the server's own buffer
            # grows at all; shrinking the server side's send buffer makes the backlog land where
            # the limit is checked within a few events instead of hundreds.
            theirs = next(ws for ws, v in server.hub.views.items() if v.device_id == device_id)
            theirs.transport.get_extra_info("socket").setsockopt(
                socket.SOL_SOCKET, socket.SO_SNDBUF, 4096
            )
            meeting = await sec.client.request(p.MeetingCreate(id=0, title="Phiên"))
            item = await sec.client.request(
                p.AgendaAdd(id=0, meeting_id=meeting.meeting_id, title="Mục")
            )
            sent = 0
            while len(server.hub.views) > 1 and sent < 200:  # until only the secretary is left
                await sec.client.request(
                    p.AgendaUpdate(
                        id=0, item_id=item.item_id, description=f"{sent} " + "ư" * 19_000
                    )
                )
                sent += 1
            await until(lambda: len(server.hub.views) == 1, timeout=5)
            assert sent < 200  # dropped once its backlog passed the limit, not after everything
            link.ws.transport.resume_reading()
            with pytest.raises(websockets.ConnectionClosed):
                while True:
                    await asyncio.wait_for(link.ws.recv(), 10)
            again = await Recorder(unlocked).start()
            await until(lambda: again.client.model.to_state() == st.room.snapshot()[1])
            await again.stop()
            await sec.stop()

        asyncio.run(scenario())
    finally:
        st.close()


def test_client_finds_a_room_that_moved_through_mdns_on_loopback(
    server: ServerThread, tmp_path: Path
) -> None:
    """The server machine got a new address (here: a new port) after enrollment: the stored
    address fails, discovery finds the room by its ID, the pin still decides, the new address is
    remembered."""
    from app.discovery import Advertiser, locate
    from app.profile import Profile

    async def scenario() -> None:
        unlocked = await enrolled(server, tmp_path / "d1")
        stale = msgspec.structs.replace(unlocked.identity, port=1)  # nothing listens on port 1
        unlocked.profile.save_identity(stale)
        unlocked = Unlocked(unlocked.profile, stale, unlocked.secrets)
        room_id = server.datadir.room_id()
        advertiser = Advertiser("Đại hội thử nghiệm", room_id, server.port, ["127.0.0.1"])
        await advertiser.start()
        try:
            client = RoomClient(
                unlocked,
                on_state=lambda m, a: None,
                on_status=lambda s, t: None,
                locate=lambda rid: locate(rid, ["127.0.0.1"], timeout=5),
            )
            task = asyncio.create_task(client.run())
            await until(lambda: client.status is Status.ONLINE, timeout=20)
            await client.stop()
            await task
        finally:
            await advertiser.stop()
        identity = Profile(tmp_path / "d1").identity
        assert identity is not None and identity.port == server.port

    asyncio.run(scenario())


def test_planned_time_can_be_cleared_and_absent_fields_stay(
    server: ServerThread, tmp_path: Path
) -> None:
    async def scenario() -> None:
        sec = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        m = await sec.client.request(p.MeetingCreate(id=0, title="Phiên"))
        it = await sec.client.request(
            p.AgendaAdd(
                id=0,
                meeting_id=m.meeting_id,
                title="Mục",
                planned_start="08:00",
                planned_minutes=30,
            )
        )
        await sec.client.request(p.AgendaUpdate(id=0, item_id=it.item_id, planned_start=None))
        item = sec.client.model.items[it.item_id]
        assert item.planned_start is None and item.planned_minutes == 30 and item.title == "Mục"
        await sec.stop()

    asyncio.run(scenario())


def test_revoked_device_is_cut_off_at_once_and_cannot_return(
    server: ServerThread, tmp_path: Path
) -> None:
    root = str(server.datadir.root)

    async def scenario() -> None:
        d = Recorder(await enrolled(server, tmp_path / "d1"))
        await d.start()
        device_id = d.client.identity.device_id
        assert server_cli(["device", "revoke", root, str(device_id)]) == 0  # another process
        assert d.task is not None
        await asyncio.wait_for(d.task, 10)  # run() ends by itself: the refusal is final
        assert d.fatal and d.fatal[0][0] == p.ErrorCode.DEVICE_REVOKED
        again = RoomClient(
            d.client.unlocked, on_state=lambda m, a: None, on_status=lambda s, t: None
        )
        refused: list[str] = []
        again._on_fatal = lambda code, msg: refused.append(code)
        await asyncio.wait_for(again.run(), 10)
        assert refused == [p.ErrorCode.DEVICE_REVOKED]

    asyncio.run(scenario())
    assert server_cli(["device", "revoke", root, "999"]) == 2


def test_a_connection_that_never_authenticates_gives_its_slot_back(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    import server.transport as server_app

    monkeypatch.setattr(server_app, "AUTH_TIMEOUT", 0.5)

    async def scenario() -> None:
        ws = await raw_session(server.port)
        await ws.send(p.encode(p.Hello(protocols=[p.PROTOCOL_VERSION])), text=True)
        assert isinstance(p.decode_server(await ws.recv()), p.Welcome)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4003

    asyncio.run(scenario())


def test_a_rogue_answer_at_one_address_does_not_stop_the_real_room(tmp_path: Path) -> None:
    """A look-alike server answers at the first address a device tries; the device moves on to
    the next address instead of giving up, and still refuses to talk to the look-alike."""
    real = ServerThread(make_room(tmp_path / "real"))
    rogue = ServerThread(make_room(tmp_path / "rogue"))
    real.start()
    rogue.start(port=real.port, host="127.0.0.2")
    try:

        async def scenario() -> None:
            room_id = real.datadir.room_id()
            link = await open_link(
                ["127.0.0.2", "127.0.0.1"], real.port, lambda rid: rid == room_id
            )
            assert link.address == "127.0.0.1"
            await link.ws.close()
            with pytest.raises(WrongRoom):
                await open_link(["127.0.0.2"], real.port, lambda rid: rid == room_id)

        asyncio.run(scenario())
    finally:
        real.close()
        rogue.close()


def test_enrollment_survives_a_rogue_announcement_on_another_port(tmp_path: Path) -> None:
    """The room list offered a look-alike (same name, another port): enrollment skips it and
    reaches the room at the address and port printed on the card."""
    real = ServerThread(make_room(tmp_path / "real"))
    rogue = ServerThread(make_room(tmp_path / "rogue"))
    real.start()
    rogue.start()
    try:
        code = real.code("secretary")
        unlocked = asyncio.run(
            enroll(
                tmp_path / "sec",
                code,
                PIN,
                extra_addresses=["127.0.0.1"],
                extra_port=rogue.port,
                cost=TEST_SCRYPT_COST,
            )
        )
        assert unlocked.identity.port == real.port
        assert unlocked.identity.room_id == real.datadir.room_id()
    finally:
        real.close()
        rogue.close()
