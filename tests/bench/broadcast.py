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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import psutil
import websockets
from websockets.asyncio.client import ClientConnection, connect

from app import protocol as p
from app.client import Backoff
from app.connection import ConnectError, client_context, open_link
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
cert, key, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
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
    async with serve(handler, "127.0.0.1", port, ssl=ctx, compression=None, backlog=2048) as server:
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


def start_server(root: Path, port: int = 0) -> tuple[subprocess.Popen[str], int]:
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
            str(port),
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
        self.seq: int | None = None
        self.sessions = 0
        self.session_at = 0.0  # wall clock of the last session start (comparable across processes)
        self.stopping = False

    async def connect(self, port: int, room_id: bytes | None) -> None:
        """Room mode (``room_id`` given): pinned TLS, hello, signed auth resuming from ``seq``.
        Bare mode: a plain TLS WebSocket to the baseline server."""
        if room_id is None:
            self.ws = await connect(
                f"wss://127.0.0.1:{port}/ws",
                ssl=client_context(),
                compression=None,
                open_timeout=60,
            )
            self._session_started()
            self.ready.set()
            return
        link = await open_link(["127.0.0.1"], port, lambda rid: rid == room_id, timeout=60)
        self.ws = link.ws
        challenge = base64.b64decode(link.welcome.challenge)
        sig = self.keys.sign.sign(p.AUTH_CONTEXT + room_id + challenge)
        auth = p.Auth(
            id=0, device_id=self.device_id, signature=base64.b64encode(sig).decode(), since=self.seq
        )
        await link.ws.send(p.encode(auth), text=True)

    def _session_started(self) -> None:
        self.sessions += 1
        self.session_at = time.time()

    async def stay(self, port: int, room_id: bytes | None) -> None:
        """Stay connected like the real client: on loss, wait a jittered backoff and resume."""
        backoff = Backoff()
        while not self.stopping:
            sessions = self.sessions
            try:
                await self.connect(port, room_id)
                await self.listen()
            except (OSError, TimeoutError, ConnectError, websockets.WebSocketException):
                pass
            if self.sessions > sessions:
                backoff.reset()
            if self.stopping:
                return
            await asyncio.sleep(backoff.next_delay())

    async def listen(self) -> None:
        assert self.ws is not None
        async for frame in self.ws:
            now = time.perf_counter()
            msg = p.decode_server(frame)
            if isinstance(msg, p.Session):
                self._session_started()
            elif isinstance(msg, p.Snapshot):
                self.seq = msg.seq
                self.ready.set()
            elif isinstance(msg, p.Event):
                self.arrivals[msg.seq] = now
                self.seq = msg.seq
                self.last_event = msg
            elif isinstance(msg, p.Ok) and msg.seq is not None:
                self.acks[msg.id] = msg.seq

    async def close(self) -> None:
        self.stopping = True
        if self.ws is not None:
            await self.ws.close()


async def connect_all(delegates: list[Delegate], port: int, room_id: bytes | None) -> float:
    """First connection of every delegate, at most CONNECT_CONCURRENCY handshakes at a time."""
    sem = asyncio.Semaphore(CONNECT_CONCURRENCY)
    t0 = time.perf_counter()

    async def one(d: Delegate) -> None:
        async with sem:
            d.task = asyncio.ensure_future(d.stay(port, room_id))
            await d.ready.wait()

    await asyncio.gather(*(one(d) for d in delegates))
    return time.perf_counter() - t0


async def measure_restart(delegates: list[Delegate], restart: Restart) -> dict[str, float]:
    """Ask the orchestrator to restart the server; time until every delegate has resumed."""
    before = {id(d): d.sessions for d in delegates}
    restart.requested.set()
    await asyncio.get_running_loop().run_in_executor(None, restart.done.wait, 120)
    deadline = time.time() + 60
    while time.time() < deadline and any(d.sessions <= before[id(d)] for d in delegates):
        await asyncio.sleep(0.01)
    resumed = sum(d.sessions > before[id(d)] for d in delegates)
    last = max(d.session_at for d in delegates)
    return {
        "resumed": resumed,
        "after_kill_s": round(last - restart.killed_at.value, 3),
        "after_listening_s": round(last - restart.listening_at.value, 3),
    }


async def measure_room(
    port: int,
    room_id: bytes,
    devices: list[tuple[int, DeviceKeys]],
    changes: int,
    room: Room,
    restart: Restart,
) -> dict[str, Any]:
    delegates = [Delegate(i, k) for i, k in devices[:-1]]
    connect_s = await connect_all(delegates, port, room_id)
    log(f"room: {len(delegates)} delegates connected in {connect_s:.2f} s")
    sec_id, sec_keys = devices[-1]
    secretary = Delegate(sec_id, sec_keys)
    secretary.task = asyncio.ensure_future(secretary.stay(port, room_id))
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
    await secretary.close()
    resume = await measure_restart(delegates, restart)
    log(
        f"room: {resume['resumed']} delegates resumed {resume['after_listening_s']} s after restart"
    )
    for d in delegates:
        await d.close()
    return {
        "connect_all_s": round(connect_s, 3),
        "latencies": latencies,
        "sample": sample,
        "resume": resume,
    }


async def measure_bare(
    port: int, n: int, changes: int, sample: p.Event, restart: Restart
) -> dict[str, Any]:
    delegates = [Delegate(0, DeviceKeys.generate()) for _ in range(n)]
    connect_s = await connect_all(delegates, port, None)
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
    resume = await measure_restart(delegates, restart)
    for d in delegates:
        await d.close()
    return {"connect_all_s": round(connect_s, 3), "latencies": latencies, "resume": resume}


# --------------------------------------------------------------------------- phases
# Each measuring phase drives its simulated delegates from a fresh process, so neither phase
# inherits the other's heap, garbage-collector debt or closed sockets. The orchestrator (this
# process) owns the servers and restarts one when the phase asks.


@dataclass
class Restart:
    """Between a phase and the orchestrator: the request, and when the server went and came."""

    requested: Any  # multiprocessing.Event
    done: Any  # multiprocessing.Event
    killed_at: Any  # multiprocessing.Value("d"): wall clock
    listening_at: Any  # multiprocessing.Value("d"): wall clock


def _room_phase(
    root: str,
    port: int,
    devices: list[tuple[int, bytes, bytes]],
    changes: int,
    restart: Restart,
    out: multiprocessing.queues.Queue[dict[str, Any]],
) -> None:
    raise_fd_limit()
    keys = [(device_id, DeviceKeys.from_raw(sign, kx)) for device_id, sign, kx in devices]
    room = Room(make_engine(Path(root) / "room.db"))
    room_id = DataDir(Path(root)).room_id()
    res = asyncio.run(measure_room(port, room_id, keys, changes, room, restart))
    res["sample"] = p.encode(res["sample"])
    out.put(res)


def _bare_phase(
    port: int,
    n: int,
    changes: int,
    sample: bytes,
    restart: Restart,
    out: multiprocessing.queues.Queue[dict[str, Any]],
) -> None:
    raise_fd_limit()
    event = p.decode_server(sample)
    assert isinstance(event, p.Event)
    out.put(asyncio.run(measure_bare(port, n, changes, event, restart)))


def run_phase(
    target: Any, args: tuple[Any, ...], do_restart: Callable[[Restart], None]
) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    restart = Restart(ctx.Event(), ctx.Event(), ctx.Value("d", 0.0), ctx.Value("d", 0.0))
    queue: multiprocessing.queues.Queue[dict[str, Any]] = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, restart, queue))
    proc.start()
    try:
        while not restart.requested.wait(1):
            if not proc.is_alive():
                raise RuntimeError("the measuring process died before the restart")
        do_restart(restart)
        restart.done.set()
        result: dict[str, Any] = queue.get(timeout=900)
    finally:
        proc.join(60)
        if proc.is_alive():
            proc.kill()
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
        servers: list[subprocess.Popen[str]] = []
        first, port = start_server(root)
        servers.append(first)
        watch = MemoryWatch(first.pid)

        def restart_room(r: Restart) -> None:
            r.killed_at.value = time.time()
            servers[-1].send_signal(signal.SIGTERM)
            servers[-1].wait(60)
            again, _ = start_server(root, port)
            r.listening_at.value = time.time()
            servers.append(again)

        try:
            res = run_phase(_room_phase, (str(root), port, raw, args.changes), restart_room)
        finally:
            peak = watch.stop()
            for proc in servers:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(30)

        bares: list[subprocess.Popen[str]] = []

        def start_bare(bare_port: int) -> int:
            bare = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    BARE_SERVER,
                    str(root / "room-cert.pem"),
                    str(root / "room-key.pem"),
                    str(bare_port),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            assert bare.stdout is not None
            bares.append(bare)
            return int(bare.stdout.readline())

        bare_port = start_bare(0)
        bare_watch = MemoryWatch(bares[0].pid)

        def restart_bare(r: Restart) -> None:
            r.killed_at.value = time.time()
            bares[-1].terminate()
            bares[-1].wait(60)
            start_bare(bare_port)
            r.listening_at.value = time.time()

        try:
            base = run_phase(
                _bare_phase, (bare_port, args.delegates, args.changes, res["sample"]), restart_bare
            )
        finally:
            bare_peak = bare_watch.stop()
            for proc in bares:
                proc.kill()
                proc.wait()
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
                "restart_resume": res["resume"],
                "bare_restart_reconnect": base["resume"],
                "server_peak_rss_mb": round(peak / 2**20, 1),
                "bare_server_peak_rss_mb": round(bare_peak / 2**20, 1),
                "targets": {
                    "ratio_median": "<= 1.25",
                    "restart_resume.after_listening_s": "<= 5",
                    "server_peak_rss_mb": "<= 800",
                    "source": "DESIGN.md §8",
                },
                "cpu_count": os.cpu_count(),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
