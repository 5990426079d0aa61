"""An app and a room of different protocol versions, through the real server process on
loopback: the room refuses the ``hello`` naming what it speaks and which Hemicycle it is, and
the app reads that as "update me" or "update the room", during enrollment and afterwards.

An app of another version is this one with ``p.SUPPORTED_VERSIONS`` changed in the test
process; the server, another process, is untouched by it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import websockets

from app import protocol as p
from app.client import RoomClient
from app.codes import EnrollmentCode
from app.connection import VersionRefused, client_context
from app.enroll import EnrollError, enroll
from app.version import version
from server.datadir import DataDir
from tests.conftest import TEST_SCRYPT_COST, make_room
from tests.roomtool import RoomTool
from tests.server.test_process import server_process


def code_for(room: DataDir, port: int) -> EnrollmentCode:
    tool = RoomTool.open(room)
    secret = tool.issue_code("secretary")
    tool.store.dispose()
    return EnrollmentCode(("127.0.0.1",), port, room.room_id(), secret)


async def refusal_of(port: int, offered: list[int]) -> tuple[p.ServerMessage, int | None]:
    """A bare ``hello`` offering ``offered``: the room's answer and its close code."""
    async with websockets.connect(
        f"wss://127.0.0.1:{port}{p.CONTROL_PATH}", ssl=client_context()
    ) as ws:
        await ws.send(p.encode(p.Hello(protocols=offered, client="old/0")), text=True)
        reply = p.decode_server(await ws.recv())
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    return reply, closed.value.rcvd.code if closed.value.rcvd else None


def test_an_old_app_is_told_the_version_the_room_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = make_room(tmp_path / "room")

    async def scenario(port: int) -> None:
        reply, close = await refusal_of(port, [2])
        assert isinstance(reply, p.Error) and reply.code == p.ErrorCode.UNSUPPORTED_VERSION
        assert close == 4001
        assert reply.message == (
            f"the room speaks protocol {list(p.SUPPORTED_VERSIONS)} (hemicycle {version()}); "
            "update the app"
        )
        # A device enrolled while the versions matched, then left behind by the room.
        unlocked = await enroll(
            tmp_path / "tablet", code_for(room, port), "2468", cost=TEST_SCRYPT_COST
        )
        monkeypatch.setattr(p, "SUPPORTED_VERSIONS", (2,))
        fatal: list[tuple[str, str]] = []
        client = RoomClient(
            unlocked,
            on_state=lambda _v, _a: None,
            on_status=lambda _s, _t: None,
            on_fatal=lambda code, message: fatal.append((code, message)),
        )
        await asyncio.wait_for(client.run(), 10)  # returns: retrying would not help
        ((code, message),) = fatal
        assert code == p.ErrorCode.UNSUPPORTED_VERSION
        refused = VersionRefused(message)
        assert refused.app_too_old
        assert refused.room_protocols == (3,) and refused.room_version == version()
        # A new tablet of the old version cannot enroll, and is told why.
        with pytest.raises(EnrollError) as failed:
            await enroll(tmp_path / "new", code_for(room, port), "2468", cost=TEST_SCRYPT_COST)
        assert failed.value.code == p.ErrorCode.UNSUPPORTED_VERSION
        assert VersionRefused(failed.value.message).room_version == version()
        assert not (tmp_path / "new" / "identity.json").exists()

    with server_process(room) as (_proc, port):
        asyncio.run(scenario(port))
    log = (room.logs / "server.log").read_text()
    assert "refusing an app at 127.0.0.1: protocol [2] not spoken here" in log


def test_an_app_newer_than_the_room_is_told_the_room_must_be_updated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = make_room(tmp_path / "room")

    async def scenario(port: int) -> None:
        reply, _close = await refusal_of(port, [4, 5])
        assert isinstance(reply, p.Error)
        assert reply.message.endswith("this app is newer: update the room server")
        monkeypatch.setattr(p, "SUPPORTED_VERSIONS", (4,))
        with pytest.raises(EnrollError) as failed:
            await enroll(tmp_path / "new", code_for(room, port), "2468", cost=TEST_SCRYPT_COST)
        refused = VersionRefused(failed.value.message)
        assert not refused.app_too_old and refused.room_protocols == (3,)

    with server_process(room) as (_proc, port):
        asyncio.run(scenario(port))


def test_the_refusal_of_a_room_of_0_1_0_is_read_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """What 0.1.0 said: its protocols, without its Hemicycle version."""
    legacy = VersionRefused("the room speaks protocol [3]; update the app")
    assert legacy.room_protocols == (3,) and legacy.room_version is None
    monkeypatch.setattr(p, "SUPPORTED_VERSIONS", (4,))
    assert not VersionRefused("the room speaks protocol [3]; update the app").app_too_old
    assert VersionRefused("no versions named").app_too_old  # unknown: the usual case
