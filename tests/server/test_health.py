"""GET /health on the room's port over real TLS, and ``status`` against a running and a stopped
server."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect

from app.codes import format_room_id
from app.connection import client_context
from app.version import version
from server.cli import main
from server.health import HEALTH_PATH, NotAnswering, NotRunning, fetch
from tests.conftest import ServerThread, make_room
from tests.server.test_server import Recorder, enrolled


def raw_get(port: int, path: str = HEALTH_PATH) -> tuple[str, dict[str, str], bytes]:
    """The bare HTTP exchange a monitoring tool has (curl -k): status line, headers, body."""
    tcp = socket.create_connection(("127.0.0.1", port), timeout=5)
    with client_context().wrap_socket(tcp, server_hostname="127.0.0.1") as tls:
        tls.sendall(f"GET {path} HTTP/1.1\r\nHost: room\r\n\r\n".encode())
        data = b""
        while chunk := tls.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *fields = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (f.partition(":") for f in fields)}
    return status, headers, body


def test_health_answers_over_tls_without_enrollment(server: ServerThread, tmp_path: Path) -> None:
    d = server.datadir
    status, headers, body = raw_get(server.port)
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    report = json.loads(body)
    assert report["ok"] is True and report["database"] is True
    assert report["room_id"] == format_room_id(d.room_id())
    assert report["version"] == version()
    assert report["connected"] == {"delegate": 0, "secretary": 0, "display": 0, "admin": 0}
    assert report["disk_free_bytes"] > report["disk_needed_bytes"] > 0
    # counts and the room ID only: no name of the room or of anyone
    assert "Đại hội".encode() not in body and "room_name" not in report

    async def with_devices() -> dict[str, int]:
        secretary = await Recorder(await enrolled(server, tmp_path / "s", "secretary")).start()
        delegate = await Recorder(await enrolled(server, tmp_path / "d", number="0002")).start()
        deadline = time.monotonic() + 10
        while True:
            seen = await asyncio.to_thread(fetch, "127.0.0.1", server.port, d.room_id())
            if seen.connected["delegate"] == 1 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.05)
        for r in (secretary, delegate):
            await r.stop()
        return seen.connected

    assert asyncio.run(with_devices()) == {"delegate": 1, "secretary": 1, "display": 0, "admin": 0}
    # the other paths are unchanged
    assert raw_get(server.port, "/nothing")[0] == "HTTP/1.1 404 Not Found"


def test_health_answers_when_the_room_is_full(tmp_path: Path) -> None:
    """A monitoring probe is answered before the connection limits: a full room is up."""
    d = make_room(tmp_path / "room")
    d.config.write_text(
        d.config.read_text().replace("max_connections = 4000", "max_connections = 1")
    )
    st = ServerThread(d)
    st.start()
    try:

        async def full() -> tuple[str, str]:
            url = f"wss://127.0.0.1:{st.port}/ws"
            async with connect(url, ssl=client_context()):
                refused = await asyncio.to_thread(raw_get, st.port, "/ws")
                answered = await asyncio.to_thread(raw_get, st.port)
            return refused[0], answered[0]

        assert asyncio.run(full()) == ("HTTP/1.1 503 Service Unavailable", "HTTP/1.1 200 OK")
    finally:
        st.close()


def test_health_is_pinned_to_the_room(server: ServerThread, tmp_path: Path) -> None:
    other = make_room(tmp_path / "other")
    with pytest.raises(NotAnswering, match="its certificate is not this room's"):
        fetch("127.0.0.1", server.port, other.room_id())
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(NotRunning, match=f"nothing listens on 127.0.0.1:{port}"):
        fetch("127.0.0.1", port, other.room_id())


def test_health_says_503_when_the_disk_is_full(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = shutil.disk_usage

    def almost_full(path: Any) -> Any:
        return real(path)._replace(free=10_000_000)

    monkeypatch.setattr(shutil, "disk_usage", almost_full)
    status, _headers, body = raw_get(server.port)
    assert status == "HTTP/1.1 503 Service Unavailable"
    assert json.loads(body)["ok"] is False
    assert main(["status", str(server.datadir.root), "--port", str(server.port)]) == 2
    assert "runs but needs attention" in capsys.readouterr().err


def test_status_of_a_running_server(
    server: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    root = server.datadir.root
    server.room.new_meeting("Phiên khai mạc")
    backup = root.parent / "backup.tar"
    backup.write_bytes(b"")
    (root / "last-backup.json").write_text(
        json.dumps({"at": time.time() - 7200, "file": str(backup)})
    )
    capsys.readouterr()
    assert main(["status", str(root), "--port", str(server.port)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Room:         'Đại hội thử nghiệm', ID {server.datadir.room_id_text()}"
    assert lines[1].startswith(f"Server:       running on 127.0.0.1:{server.port}, Hemicycle ")
    assert lines[2] == "Connected:    0 delegates, 0 secretaries, 0 displays, 0 admins"
    assert lines[3] == "Database:     answers"
    assert lines[4].startswith("Disk:         ") and "needed); the data directory uses" in lines[4]
    assert lines[5] == "Meetings:     1 (1 draft)"
    assert lines[6].startswith("Last backup:  ") and lines[6].endswith(f"(2 h 0 min ago): {backup}")


def test_status_of_a_stopped_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = make_room(tmp_path / "room")
    capsys.readouterr()
    assert main(["status", str(d.root), "--port", "1"]) == 2
    out, err = capsys.readouterr()
    assert "Server:       NOT RUNNING (nothing listens on 127.0.0.1:1)" in out.splitlines()
    assert "Last backup:  none recorded in this data directory" in out.splitlines()
    assert err.startswith("error: the room server is not running on 127.0.0.1:1: start it")


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{not json", "is not a backup record (damaged?)"),
        (b'["at", 1]', "does not say when"),
        (b'{"at": "yesterday"}', "does not say when"),
        (b'{"at": true}', "does not say when"),
        (b'{"at": 1e300}', "does not say when"),
        (
            b'{"at": 1700000000, "file": "/nowhere/backup.tar"}',
            ": /nowhere/backup.tar (no longer there)",
        ),
        (b'{"at": 1700000000}', "2023-11-"),
    ],
)
def test_the_last_backup_record_is_read_defensively(
    tmp_path: Path, content: bytes, said: str
) -> None:
    from server.cli_ops import last_backup

    (tmp_path / "last-backup.json").write_bytes(content)
    assert said in last_backup(tmp_path)
    if os.geteuid() != 0:  # root reads anything
        (tmp_path / "last-backup.json").chmod(0)
        assert "cannot be read" in last_backup(tmp_path)
