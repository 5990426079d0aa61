"""``make bench``: connect N simulated delegates over TLS, move the agenda K times, and put every
figure next to a bare ``websockets.broadcast`` of the same bytes measured in the same run.

The room server runs as its own process (``hemicycle-server run``) so its memory can be read and
it does not share a GIL with the simulated delegates. The delegates speak the real protocol:
pinned TLS, hello, signed auth, snapshot, then live events. The baseline is a minimal websockets
server, same certificate, same TLS settings, that broadcasts the same event frame when asked; its
clients run the same receive-and-decode code, so the ratio isolates what the room server adds
(validation, the durable commit, the log read) to a bare ``websockets.broadcast``.
Output is one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import multiprocessing.queues
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import msgspec
import psutil
from websockets.asyncio.client import ClientConnection, connect

from app import protocol as p
from app.connection import client_context, open_link
from app.keys import DeviceKeys
from server.datadir import DataDir
from server.db import make_engine
from server.roster import RosterRow
from server.service import Room

ROOT = Path(__file__).resolve().parents[2]
CONNECT_CONCURRENCY = 100

BARE_SERVER = r"""
import asyncio, ssl, sys
from websockets.asyncio.server import broadcast, serve
cert, key = sys.argv[1], sys.argv[2]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_cert_chain(cert, key)
clients = set()
async def handler(ws):
    if ws.request.path == "/control":
        async for frame in ws:
            broadcast(clients, frame)
        return
    clients.add(ws)
    try:
        await ws.wait_closed()
    finally:
        clients.discard(ws)
async def main():
    async with serve(handler, "127.0.0.1", 0, ssl=ctx, compression=None, backlog=2048) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()
asyncio.run(main())
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class MemoryWatch:
    """Samples a process's RSS every 50 ms; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except psutil.Error:
                return
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered), 2), "p99": round(p99, 2), "n": len(ordered)}


# --------------------------------------------------------------------------- the room


def prepare_room(root: Path, n: int) -> tuple[Room, list[tuple[int, DeviceKeys]]]:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "init",
            str(root),
            "--name",
            "Bench",
            "--host",
            "127.0.0.1",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    room = Room(make_engine(root / "room.db"))
    rows = [
        RosterRow(
            line=i + 2,
            number=f"{i:05d}",
            full_name=f"Đại biểu {i}",
            delegation="",
            groups=(),
            voting_right=True,
            seat="",
        )
        for i in range(n)
    ]
    room.import_roster(rows)
    devices = []
    for row in rows:
        keys = DeviceKeys.generate()
        secret = room.issue_code("delegate", row.number)
        info = room.enroll(secret, "bench", keys.sign_public, keys.kx_public)
        devices.append((info.id, keys))
    keys = DeviceKeys.generate()
    info = room.enroll(
        room.issue_code("secretary"), "bench-console", keys.sign_public, keys.kx_public
    )
    devices.append((info.id, keys))
    return room, devices


def start_server(root: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "run",
            str(root),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-mdns",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, int(line.rsplit(":", 1)[1])


# --------------------------------------------------------------------------- simulated delegates


class Delegate:
    def __init__(self, device_id: int, keys: DeviceKeys) -> None:
        self.device_id = device_id
        self.keys = keys
        self.arrivals: dict[int, float] = {}
        self.acks: dict[int, int] = {}
        self.ready = asyncio.Event()
        self.ws: ClientConnection | None = None
        self.last_event: p.Event | None = None
        self.task: asyncio.Future[None] | None = None

    async def connect(self, port: int, room_id: bytes) -> None:
        link = await open_link(["127.0.0.1"], port, lambda rid: rid == room_id, timeout=60)
        self.ws = link.ws
        challenge = base64.b64decode(link.welcome.challenge)
        sig = self.keys.sign.sign(p.AUTH_CONTEXT + room_id + challenge)
        auth = p.Auth(id=0, device_id=self.device_id, signature=base64.b64encode(sig).decode())
        await link.ws.send(p.encode(auth), text=True)

    async def listen(self) -> None:
        assert self.ws is not None
        async for frame in self.ws:
            now = time.perf_counter()
            msg = p.decode_server(frame)
            if isinstance(msg, p.Snapshot):
                self.ready.set()
            elif isinstance(msg, p.Event):
                self.arrivals[msg.seq] = now
                self.last_event = msg
            elif isinstance(msg, p.Ok) and msg.seq is not None:
                self.acks[msg.id] = msg.seq


async def connect_all(delegates: list[Delegate], port: int, room_id: bytes) -> float:
    sem = asyncio.Semaphore(CONNECT_CONCURRENCY)
    t0 = time.perf_counter()

    async def one(d: Delegate) -> None:
        async with sem:
            await d.connect(port, room_id)
            d.task = asyncio.ensure_future(d.listen())
            await d.ready.wait()

    await asyncio.gather(*(one(d) for d in delegates))
    return time.perf_counter() - t0


async def measure_room(
    port: int, room_id: bytes, devices: list[tuple[int, DeviceKeys]], changes: int, room: Room
) -> dict[str, Any]:
    delegates = [Delegate(i, k) for i, k in devices[:-1]]
    connect_s = await connect_all(delegates, port, room_id)
    log(f"room: {len(delegates)} delegates connected in {connect_s:.2f} s")
    sec_id, sec_keys = devices[-1]
    secretary = Delegate(sec_id, sec_keys)
    await secretary.connect(port, room_id)
    secretary.task = asyncio.ensure_future(secretary.listen())
    await secretary.ready.wait()
    meeting_id = room.create_meeting("Bench", None, "bench").object_id
    items = []
    for n in range(changes + 1):
        items.append(
            room.add_item(
                p.AgendaAdd(id=0, meeting_id=meeting_id or 0, title=f"Mục {n}"), "bench"
            ).object_id
        )
    await asyncio.sleep(1.5)  # let the CLI-written events reach everybody first
    latencies: list[float] = []
    assert secretary.ws is not None
    # The first change also opens the meeting and puts it on screen (three events, not one):
    # it warms up and is not counted.
    for n, item_id in enumerate(items):
        t0 = time.perf_counter()
        await secretary.ws.send(
            p.encode(p.AgendaSetCurrent(id=n + 1, meeting_id=meeting_id or 0, item_id=item_id)),
            text=True,
        )
        deadline = t0 + 30
        while n + 1 not in secretary.acks and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        seq = secretary.acks[n + 1]  # the server replies only after it broadcast the event
        while time.perf_counter() < deadline and not all(seq in d.arrivals for d in delegates):
            await asyncio.sleep(0.001)
        if n > 0:
            latencies.append((max(d.arrivals[seq] for d in delegates) - t0) * 1000)
        await asyncio.sleep(0.05)
    sample = delegates[0].last_event
    for d in [*delegates, secretary]:
        if d.ws is not None:
            await d.ws.close()
    return {"connect_all_s": round(connect_s, 3), "latencies": latencies, "sample": sample}


async def measure_bare(port: int, n: int, changes: int, sample: p.Event) -> dict[str, Any]:
    delegates = [Delegate(0, DeviceKeys.generate()) for _ in range(n)]
    sem = asyncio.Semaphore(CONNECT_CONCURRENCY)
    t0 = time.perf_counter()

    async def one(d: Delegate) -> None:
        async with sem:
            d.ws = await connect(
                f"wss://127.0.0.1:{port}/ws",
                ssl=client_context(),
                compression=None,
                open_timeout=60,
            )
            d.task = asyncio.ensure_future(d.listen())

    await asyncio.gather(*(one(d) for d in delegates))
    connect_s = time.perf_counter() - t0
    await asyncio.sleep(0.5)
    control = await connect(
        f"wss://127.0.0.1:{port}/control", ssl=client_context(), compression=None
    )
    latencies = []
    for k in range(1, changes + 1):
        frame = p.encode(msgspec.structs.replace(sample, seq=k))
        t0 = time.perf_counter()
        await control.send(frame, text=True)
        deadline = t0 + 30
        while time.perf_counter() < deadline and not all(k in d.arrivals for d in delegates):
            await asyncio.sleep(0.001)
        latencies.append((max(d.arrivals[k] for d in delegates) - t0) * 1000)
        await asyncio.sleep(0.05)
    await control.close()
    for d in delegates:
        if d.ws is not None:
            await d.ws.close()
    return {"connect_all_s": round(connect_s, 3), "latencies": latencies}


# --------------------------------------------------------------------------- phases
# Each measuring phase drives its simulated delegates from a fresh process, so neither phase
# inherits the other's heap, garbage-collector debt or closed sockets.


def _room_phase(
    root: str,
    port: int,
    devices: list[tuple[int, bytes, bytes]],
    changes: int,
    out: multiprocessing.queues.Queue[dict[str, Any]],
) -> None:
    raise_fd_limit()
    keys = [(device_id, DeviceKeys.from_raw(sign, kx)) for device_id, sign, kx in devices]
    room = Room(make_engine(Path(root) / "room.db"))
    room_id = DataDir(Path(root)).room_id()
    res = asyncio.run(measure_room(port, room_id, keys, changes, room))
    res["sample"] = p.encode(res["sample"])
    out.put(res)


def _bare_phase(
    port: int,
    n: int,
    changes: int,
    sample: bytes,
    out: multiprocessing.queues.Queue[dict[str, Any]],
) -> None:
    raise_fd_limit()
    event = p.decode_server(sample)
    assert isinstance(event, p.Event)
    out.put(asyncio.run(measure_bare(port, n, changes, event)))


def in_fresh_process(target: Any, *args: Any) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.queues.Queue[dict[str, Any]] = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    try:
        result: dict[str, Any] = queue.get(timeout=1200)
    finally:
        proc.join(60)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--delegates", type=int, default=2000)
    ap.add_argument("--changes", type=int, default=30)
    args = ap.parse_args()
    raise_fd_limit()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "room"
        log(f"preparing a room with {args.delegates} enrolled devices…")
        _room, devices = prepare_room(root, args.delegates)
        raw = [(device_id, *keys.raw_private()) for device_id, keys in devices]
        proc, port = start_server(root)
        watch = MemoryWatch(proc.pid)
        try:
            res = in_fresh_process(_room_phase, str(root), port, raw, args.changes)
        finally:
            peak = watch.stop()
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
        bare = subprocess.Popen(
            [
                sys.executable,
                "-c",
                BARE_SERVER,
                str(root / "room-cert.pem"),
                str(root / "room-key.pem"),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert bare.stdout is not None
        bare_port = int(bare.stdout.readline())
        bare_watch = MemoryWatch(bare.pid)
        try:
            base = in_fresh_process(
                _bare_phase, bare_port, args.delegates, args.changes, res["sample"]
            )
        finally:
            bare_peak = bare_watch.stop()
            bare.kill()
            bare.wait()
    room_lat = summary(res["latencies"])
    bare_lat = summary(base["latencies"])
    print(
        json.dumps(
            {
                "delegates": args.delegates,
                "changes": args.changes,
                "event_frame_bytes": len(res["sample"]),
                "connect_all_s": res["connect_all_s"],
                "bare_connect_all_s": base["connect_all_s"],
                "last_client_latency_ms": room_lat,
                "bare_broadcast_last_client_ms": bare_lat,
                "ratio_median": round(room_lat["median"] / bare_lat["median"], 3),
                "ratio_p99": round(room_lat["p99"] / bare_lat["p99"], 3),
                "server_peak_rss_mb": round(peak / 2**20, 1),
                "bare_server_peak_rss_mb": round(bare_peak / 2**20, 1),
                "target": "ratio_median <= 1.25, server_peak_rss_mb <= 800 (DESIGN.md §8)",
                "cpu_count": os.cpu_count(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
