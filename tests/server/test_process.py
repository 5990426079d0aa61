"""The server as IT staff run it: a process that stops cleanly, and loses nothing when killed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app import protocol as p
from app.client import NotConnected, RequestError, RoomClient, Status
from app.codes import EnrollmentCode
from app.enroll import enroll
from server.datadir import DataDir
from tests.conftest import TEST_SCRYPT_COST
from tests.roomtool import RoomTool

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def server_process(d: DataDir, port: int = 0) -> Iterator[tuple[subprocess.Popen[str], int]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "run",
            str(d.root),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-mdns",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on" in line, line + (proc.stderr.read() if proc.stderr else "")
        yield proc, int(line.rsplit(":", 1)[1])
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_sigterm_and_sigint_stop_the_server_cleanly(room_dir: DataDir) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):
        with server_process(room_dir) as (proc, _port):
            proc.send_signal(sig)
            assert proc.wait(10) == 0
            assert proc.stderr is not None and "Traceback" not in proc.stderr.read()
    log = (room_dir.logs / "server.log").read_text()
    assert log.count("stopped") == 2


def test_killed_server_loses_no_acknowledged_change(room_dir: DataDir, tmp_path: Path) -> None:
    """SIGKILL in the middle of a stream of changes: everything acknowledged is on disk,
    the audit chain is intact, and the client resumes on the restarted server."""
    acked: list[int] = []

    async def scenario() -> None:
        with server_process(room_dir) as (proc, port):
            secret = RoomTool.open(room_dir).issue_code("secretary")
            code = EnrollmentCode(("127.0.0.1",), port, room_dir.room_id(), secret)
            unlocked = await enroll(tmp_path / "sec", code, "1234", cost=TEST_SCRYPT_COST)
            client = RoomClient(unlocked, on_state=lambda m, a: None, on_status=lambda s, t: None)
            task = asyncio.create_task(client.run())
            while client.status is not Status.ONLINE:
                await asyncio.sleep(0.02)
            meeting = await client.request(p.MeetingCreate(id=0, title="Phiên"))
            assert meeting.meeting_id is not None
            for n in range(400):
                if n == 150:
                    os.kill(proc.pid, signal.SIGKILL)
                try:
                    ok = await client.request(
                        p.AgendaAdd(id=0, meeting_id=meeting.meeting_id, title=f"Mục {n}")
                    )
                except (NotConnected, RequestError):
                    break
                assert ok.item_id is not None
                acked.append(ok.item_id)
            await client.stop()
            await task
        assert len(acked) >= 100

    asyncio.run(scenario())
    room = RoomTool.open(room_dir)
    _seq, state = room.snapshot()
    stored = {i.id for i in state.agenda}
    assert set(acked) <= stored
    assert room.verify_log()[1] is None
    with server_process(room_dir) as (proc, _port):
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
