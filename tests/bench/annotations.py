"""``make bench``: a delegate's 1,000 annotations synced to their second device, through the
real room (TLS, websockets, SQLite), next to a bare TLS websockets exchange of the same frames.

One device writes 1,000 annotations — 600 highlights quoting the LilyPond manual's real text
(where the Debian package is installed; else generated sentences), 200 notes, 150 ink, 50
bookmarks — and sends them. The second device, paired, then takes them all from cursor 0;
that download is timed :data:`ROUNDS` times (the notebook emptied between), each with the
bytes of the frames it sent and received. The baseline replays exactly those frames — the same
requests, the same replies, one after the other — over a bare TLS websockets connection on
loopback, in the same run — and, apart, opening the 1,000 sealed records alone (AES-GCM and
msgpack), which the download does on the device. Output is one JSON object on stdout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import ssl
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import websockets

from app import annotations as a
from app import protocol as p
from app.anchoring import Quote
from app.annotation_sync import KeyStatus
from app.client import RoomClient
from app.enroll import enroll
from app.resources import sample_dir
from server.cli import main as server_cli
from tests.conftest import TEST_SCRYPT_COST, ServerThread, make_room
from tests.realdocs import FOLDER

ANNOTATIONS = 1000
ROUNDS = 5


def _sentences(rng: random.Random) -> list[str]:
    manual = FOLDER / "notation.pdf"
    if manual.exists():
        import pymupdf

        with pymupdf.open(manual) as pdf:
            text = " ".join(pdf[i].get_text() for i in range(40, 240))
        words = text.split()
    else:
        words = ("nghị quyết đại hội ngân sách giáo dục kế hoạch phát triển bền vững " * 50).split()
    return [" ".join(words[i : i + rng.randint(6, 14)]) for i in range(0, len(words) - 20, 17)]


def _annotations(meeting_id: int, rng: random.Random) -> list[a.Annotation]:
    texts = _sentences(rng)
    out = []
    for i in range(ANNOTATIONS):
        kind: a.Kind = (
            "highlight" if i < 600 else "note" if i < 800 else "ink" if i < 950 else "bookmark"
        )
        exact = rng.choice(texts)
        quote = Quote(exact=exact, prefix=rng.choice(texts)[:40], suffix=rng.choice(texts)[:40])
        strokes = []
        if kind == "ink":
            strokes = [
                [rng.randrange(10_000) for _ in range(80)] for _stroke in range(3)
            ]  # 3 strokes of 40 points
        out.append(
            a.Annotation(
                id=a.new_id(),
                document_id=1,
                meeting_id=meeting_id,
                doc_version=1,
                kind=kind,
                page=rng.randint(1, 930),
                rects=[a.Rect(rng.randrange(9_000), rng.randrange(9_000), 800, 120)],
                strokes=strokes,
                point=[5_000, 5_000] if kind == "note" else [],
                quote=quote,
                text=rng.choice(texts) if kind == "note" else "",
            )
        )
    return out


class Wire:
    """The frames a device's annotation sync sent and received, as bytes on the wire."""

    def __init__(self, client: RoomClient) -> None:
        self.sent: list[bytes] = []
        self.received: list[bytes] = []
        self._request = client.request

    async def request(self, msg: p.ClientRequest) -> p.ServerMessage:
        reply = await self._request(msg)
        self.sent.append(p.encode(msg))
        self.received.append(p.encode(reply))
        return reply


async def _until(predicate: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the sync did not finish in time")
        await asyncio.sleep(0.005)


async def _room_run(server: ServerThread, home: Path) -> dict[str, Any]:
    rng = random.Random(14)
    meeting = server.room.new_meeting()
    writer_u = await enroll(
        home / "tablet", server.code("delegate", "0001"), "2468", "tablet", cost=TEST_SCRYPT_COST
    )
    reader_u = await enroll(
        home / "laptop", server.code("delegate", "0001"), "2468", "laptop", cost=TEST_SCRYPT_COST
    )
    writer = RoomClient(writer_u, on_state=lambda *_: None, on_status=lambda *_: None)
    reader = RoomClient(reader_u, on_state=lambda *_: None, on_status=lambda *_: None)
    tasks = [asyncio.ensure_future(writer.run())]
    w_sync = writer.annotations
    assert w_sync is not None
    await _until(lambda: w_sync.status.key is KeyStatus.READY)
    notes = _annotations(meeting, rng)
    t0 = time.perf_counter()
    writer.notebook.edit_many(notes)
    await _until(lambda: writer.notebook.unsent == 0)
    upload = time.perf_counter() - t0
    key = writer.notebook.key
    assert key is not None
    records = [a.seal(key, 1, n) for n in writer.notebook.live()]
    sealed = [len(r.sealed) for r in records]
    opening = []
    for _round in range(ROUNDS):
        t0 = time.perf_counter()
        for record in records:
            a.unseal(key, 1, record)
        opening.append(time.perf_counter() - t0)

    tasks.append(asyncio.ensure_future(reader.run()))
    r_sync = reader.annotations
    assert r_sync is not None
    await _until(lambda: r_sync.status.key is KeyStatus.PAIRING)
    code = await w_sync.give()
    await _until(lambda: r_sync.status.envelope)
    r_sync.enter_code(code)
    await _until(
        lambda: r_sync.status.key is KeyStatus.READY and len(reader.notebook.live()) == ANNOTATIONS
    )

    times: list[float] = []
    wire = Wire(reader)
    r_sync._request = wire.request  # the frames of the timed downloads are counted
    for _round in range(ROUNDS):
        wire.sent.clear()
        wire.received.clear()
        book = reader.notebook._book
        book.records, book.cursor, book.dirty = {}, 0, set()
        t0 = time.perf_counter()
        r_sync.wake()
        await _until(lambda: len(reader.notebook.live()) == ANNOTATIONS)
        times.append(time.perf_counter() - t0)
    frames = (list(wire.sent), list(wire.received))
    for client in (writer, reader):
        await client.stop()
    for task in tasks:
        await asyncio.wait_for(task, 10)
    return {
        "upload_s": round(upload, 3),
        "sealed_bytes": sum(sealed),
        "sealed_per_annotation_median": statistics.median(sealed),
        "download_s": [round(t, 3) for t in times],
        "download_median_s": round(statistics.median(times), 3),
        "unseal_alone_median_s": round(statistics.median(opening), 3),
        "requests": len(frames[0]),
        "bytes_sent": sum(len(f) for f in frames[0]),
        "bytes_received": sum(len(f) for f in frames[1]),
        "_frames": frames,
    }


def _bare(cert: Path, key: Path, frames: tuple[list[bytes], list[bytes]]) -> list[float]:
    """The same requests and replies over a bare TLS websockets connection, timed."""
    sent, received = frames
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.check_hostname = False
    client_ctx.verify_mode = ssl.CERT_NONE

    async def main() -> list[float]:
        async def answer(ws: Any) -> None:
            i = 0
            async for _frame in ws:
                await ws.send(received[i].decode())
                i = (i + 1) % len(received)

        async with websockets.serve(
            answer, "127.0.0.1", 0, ssl=server_ctx, compression=None, max_size=None
        ) as srv:
            port = srv.sockets[0].getsockname()[1]
            times = []
            async with websockets.connect(
                f"wss://127.0.0.1:{port}", ssl=client_ctx, compression=None, max_size=None
            ) as ws:
                for _round in range(ROUNDS):
                    t0 = time.perf_counter()
                    for frame in sent:
                        await ws.send(frame.decode())
                        await ws.recv()
                    times.append(time.perf_counter() - t0)
            return times

    return asyncio.run(main())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with contextlib.redirect_stdout(sys.stderr):  # stdout is the JSON's alone
            room = make_room(home / "room", "Đại hội đại biểu")
            server_cli(["roster", "import", str(room.root), str(sample_dir() / "roster.csv")])
        server = ServerThread(room)
        server.start()
        try:
            result: dict[str, Any] = {}

            def run() -> None:
                result.update(asyncio.run(_room_run(server, home)))

            thread = threading.Thread(target=run)
            thread.start()
            thread.join()
        finally:
            server.close()
        frames = result.pop("_frames")
        bare = _bare(room.cert, room.key, frames)
    result["bare_download_s"] = [round(t, 3) for t in bare]
    result["bare_download_median_s"] = round(statistics.median(bare), 3)
    result["download_vs_bare"] = round(
        result["download_median_s"] / result["bare_download_median_s"], 2
    )
    print(json.dumps({"annotation_sync": {"annotations": ANNOTATIONS, **result}}, indent=2))


if __name__ == "__main__":
    main()
