"""The server's log cannot be forged or flooded by what the network sends."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
import websockets

from app import protocol as p
from server.datadir import DataDir
from server.logsetup import EscapingFormatter, RepeatFilter, escape
from tests.server.test_process import server_process
from tests.server.test_server import raw_session


def test_control_characters_are_escaped_on_one_line() -> None:
    record = logging.LogRecord(
        "hemicycle.server",
        logging.INFO,
        __file__,
        1,
        "device %s",
        ("a\nCRITICAL fake\x1b[2J",),
        None,
    )
    line = EscapingFormatter("%(levelname)s %(message)s").format(record)
    assert line == "INFO device a\\nCRITICAL fake\\x1b[2J"
    assert escape("Đại hội\tXIV") == "Đại hội\\tXIV"  # letters stay, controls show


def test_a_repeated_message_is_counted_not_written() -> None:
    seen = RepeatFilter(burst=5, window=60)
    records = [
        logging.LogRecord("x", logging.WARNING, __file__, 1, "refusing %s", (n,), None)
        for n in range(1000)
    ]
    passed = [r for r in records if seen.filter(r)]
    assert len(passed) == 5
    other = logging.LogRecord("x", logging.WARNING, __file__, 1, "something else", (), None)
    assert seen.filter(other)


@pytest.mark.slow
def test_two_dozen_hostile_clients_do_not_flood_the_log(room_dir: DataDir) -> None:
    deep = '{"type": "hello", "protocols": [2], "client": ' + "[" * 1000 + "]" * 1000 + "}"

    async def flood(port: int) -> None:
        async def one() -> None:
            for _ in range(20):
                try:
                    ws = await raw_session(port)
                except (OSError, websockets.InvalidStatus):
                    continue
                try:
                    await ws.send(deep)
                    await asyncio.wait_for(ws.recv(), 5)
                    await ws.send(p.encode(p.Hello(protocols=[p.PROTOCOL_VERSION])), text=True)
                    await asyncio.wait_for(ws.recv(), 5)
                    for _ in range(20):
                        await ws.send(deep)
                        await asyncio.wait_for(ws.recv(), 5)
                except websockets.ConnectionClosed:
                    pass
                finally:
                    await ws.close()

        await asyncio.gather(*(one() for _ in range(24)))  # more than one address may hold

    with server_process(room_dir) as (_proc, port):
        asyncio.run(flood(port))
        log = Path(room_dir.logs / "server.log").read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert 0 < log.count("too many") <= 25  # refused connections were logged, then counted
    assert len(log.encode()) < 64 * 1024, len(log)
