"""``make bench``: connect N simulated delegates over TLS, move the agenda K times and turn a
presented document's page K times, and put every figure next to a bare ``websockets.broadcast``
of the same bytes measured in the same run.

The room server runs as its own process (``hemicycle-server run``) so its memory can be read and
it does not share a GIL with the simulated delegates. The delegates speak the real protocol:
pinned TLS, hello, signed auth, snapshot, then live events. The baseline is a minimal websockets
server, same certificate, same TLS settings, that broadcasts the same event frame when asked; its
clients run the same receive-and-decode code, so the ratio isolates what the room server adds
(validation, the durable commit) to a bare ``websockets.broadcast``. Both sides stay connected
in their own processes and are measured in alternating blocks, so the noise of a shared machine
falls on both alike. Last, each server is restarted (SIGTERM, start again on the same port) and
the time until every delegate has resumed is put next to bare TLS reconnection.
Output is one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import msgspec
import psutil
from websockets.asyncio.client import ClientConnection, connect

from app import protocol as p
from app.codes import new_secret, secret_text
from app.connection import client_context
from app.keys import DeviceKeys, b64
from server import config as cfg
from server import publishing
from server.datadir import DataDir
from server.domains import agenda, devices, meetings, roster
from server.roster_csv import RosterRow
from server.store import CLI
from tests.bench.hall import Delegate, SideProcess, connect_all, log, raise_fd_limit
from tests.pdfs import make_pdf

ROOT = Path(__file__).resolve().parents[2]

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


def prepare_room(root: Path, n: int) -> list[tuple[int, DeviceKeys]]:
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
    d = DataDir(root)
    # Every simulated delegate connects from 127.0.0.1: one address holds them all.
    config = cfg.load(d.config)
    limits = msgspec.structs.replace(config.limits, connections_per_address=n + 100)
    cfg.write(d.config, msgspec.structs.replace(config, limits=limits))
    _config, store = d.open()
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
    store.run(lambda work: roster.import_rows(work, rows), CLI)
    holders: list[tuple[p.Role, str | None]] = [("delegate", r.number) for r in rows]
    holders.append(("secretary", None))
    out = []
    for role, number in holders:
        keys, secret = DeviceKeys.generate(), new_secret()
        store.run(
            partial(devices.issue, role=role, secrets=[(number, secret)], lifetime_days=1), CLI
        )
        req = p.Enroll(
            id=0,
            secret=secret_text(secret),
            device_name="bench",
            sign_key=b64(keys.sign_public),
            kx_key=b64(keys.kx_public),
        )
        enrolled = store.run(partial(devices.enroll, req=req), CLI).result
        out.append((enrolled.device_id, keys))
    store.dispose()
    return out


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


# --------------------------------------------------------------------------- measuring sides
# A side is the room or the bare baseline: a process of its own holding N connected delegates
# and doing what the orchestrator asks. Blocks of changes alternate between the two sides, so
# both are measured under the same conditions of this shared, noisy machine.


class Side:
    """What both sides share: the delegates, and timing their resume after a server restart."""

    def __init__(self) -> None:
        self.delegates: list[Delegate] = []
        self._before: dict[int, int] = {}

    def mark(self) -> None:
        self._before = {id(d): d.sessions for d in self.delegates}

    async def resumed(self, killed_at: float, listening_at: float) -> dict[str, float]:
        def waiting() -> int:
            return sum(d.sessions <= self._before[id(d)] for d in self.delegates)

        deadline = time.time() + 60
        while time.time() < deadline and waiting():
            await asyncio.sleep(0.01)
        last = max(d.session_at for d in self.delegates)
        return {
            "resumed": len(self.delegates) - waiting(),
            "after_kill_s": round(last - killed_at, 3),
            "after_listening_s": round(last - listening_at, 3),
        }

    async def close(self) -> None:
        for d in self.delegates:
            await d.close()


class RoomSide(Side):
    def __init__(
        self, root: str, port: int, devices: list[tuple[int, bytes, bytes]], changes: int
    ) -> None:
        super().__init__()
        self.port = port
        self.room_id = DataDir(Path(root)).room_id()
        _config, self.store = DataDir(Path(root)).open()
        keys = [(device_id, DeviceKeys.from_raw(sign, kx)) for device_id, sign, kx in devices]
        self.delegates = [Delegate(i, k) for i, k in keys[:-1]]
        self.secretary = Delegate(*keys[-1])
        self.total = changes
        self.items: list[int] = []
        self.meeting_id = 0
        self.sent = 0
        self.document_id = 0
        self.pages = 0
        self.turned = 0

    async def setup(self) -> dict[str, Any]:
        connect_s = await connect_all(self.delegates, self.port, self.room_id)
        log(f"room: {len(self.delegates)} delegates connected in {connect_s:.2f} s")
        self.secretary.task = asyncio.ensure_future(self.secretary.stay(self.port, self.room_id))
        await self.secretary.ready.wait()
        made = p.MeetingCreate(id=0, title="Bench")
        self.meeting_id = self.store.run(lambda w: meetings.create(w, made), CLI).result.meeting_id
        for n in range(self.total):
            req = p.AgendaAdd(id=0, meeting_id=self.meeting_id, title=f"Mục {n}")
            self.items.append(self.store.run(partial(agenda.add, req=req), CLI).result.item_id)
        # a document to present: its pages turned are the followers' events
        self.pages = 40
        upload = publishing.Upload(
            "Tài liệu.pdf", make_pdf(self.pages), self.items[0], None, None, ()
        )
        limits = publishing.pdf_limits(cfg.DocumentsSection())
        outcome = await publishing.publish(
            self.store, upload, CLI, limits, db=publishing.in_thread, cpu=publishing.in_thread
        )
        self.document_id = outcome.result.document_id
        await asyncio.sleep(1.5)  # let these CLI-side events reach everybody first
        return {"connect_all_s": round(connect_s, 3)}

    async def _timed(self, requests: list[p.ClientRequest]) -> dict[str, Any]:
        """Send each request as the secretary and time until the last delegate has the event
        its reply names (the server replies after it broadcast it)."""
        assert self.secretary.ws is not None
        latencies = []
        for req in requests:
            rid = getattr(req, "id")  # noqa: B009  (every request of the union has one)
            t0 = time.perf_counter()
            await self.secretary.ws.send(p.encode(req), text=True)
            deadline = t0 + 30
            while rid not in self.secretary.replies and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            reply = self.secretary.replies[rid][1]
            assert isinstance(reply, p.Ok) and reply.seq is not None, reply
            seq = reply.seq
            while time.perf_counter() < deadline and not all(
                seq in d.arrivals for d in self.delegates
            ):
                await asyncio.sleep(0.001)
            latencies.append((max(d.arrivals[seq] for d in self.delegates) - t0) * 1000)
            await asyncio.sleep(0.05)
        sample = self.delegates[0].last_event
        assert sample is not None
        return {"latencies": latencies, "sample": p.encode(sample)}

    async def changes(self, k: int) -> dict[str, Any]:
        """The secretary moves the agenda ``k`` times; time until the last delegate has it."""
        requests: list[p.ClientRequest] = []
        for _ in range(k):
            item_id = self.items[self.sent]
            self.sent += 1
            requests.append(
                p.AgendaSetCurrent(id=self.sent, meeting_id=self.meeting_id, item_id=item_id)
            )
        return await self._timed(requests)

    async def presents(self, k: int) -> dict[str, Any]:
        """The secretary presents the next page ``k`` times (a region, as a zoom would); time
        until the last follower has it."""
        requests: list[p.ClientRequest] = []
        for _ in range(k):
            self.turned += 1
            region = p.Region(x=0, y=(self.turned % 2) * 5_000, w=10_000, h=5_000)
            requests.append(
                p.PresentShow(
                    id=1_000_000 + self.turned,
                    document_id=self.document_id,
                    page=self.turned % self.pages + 1,
                    region=region,
                )
            )
        return await self._timed(requests)

    async def close(self) -> None:
        await self.secretary.close()
        await super().close()


class BareSide(Side):
    def __init__(self, port: int, n: int) -> None:
        super().__init__()
        self.port = port
        self.delegates = [Delegate(0, DeviceKeys.generate()) for _ in range(n)]
        self.control: ClientConnection | None = None
        self.sent = 0

    async def setup(self) -> dict[str, Any]:
        connect_s = await connect_all(self.delegates, self.port, None)
        log(f"bare: {len(self.delegates)} clients connected in {connect_s:.2f} s")
        return {"connect_all_s": round(connect_s, 3)}

    async def changes(self, k: int, sample: bytes) -> dict[str, Any]:
        """Broadcast the room's own event frame ``k`` times; time until the last client has it."""
        event = p.decode_server(sample)
        assert isinstance(event, p.Event)
        if self.control is None:
            self.control = await connect(
                f"wss://127.0.0.1:{self.port}/control", ssl=client_context(), compression=None
            )
        latencies = []
        for _ in range(k):
            self.sent += 1
            seq = 1_000_000 + self.sent
            frame = p.encode(msgspec.structs.replace(event, seq=seq))
            t0 = time.perf_counter()
            await self.control.send(frame, text=True)
            deadline = t0 + 30
            while time.perf_counter() < deadline and not all(
                seq in d.arrivals for d in self.delegates
            ):
                await asyncio.sleep(0.001)
            latencies.append((max(d.arrivals[seq] for d in self.delegates) - t0) * 1000)
            await asyncio.sleep(0.05)
        return {"latencies": latencies}

    async def close(self) -> None:
        if self.control is not None:
            await self.control.close()
            self.control = None
        await super().close()


def start_bare(root: Path, port: int = 0) -> tuple[subprocess.Popen[str], int]:
    cert, key = str(root / "room-cert.pem"), str(root / "room-key.pem")
    bare = subprocess.Popen(
        [sys.executable, "-c", BARE_SERVER, cert, key, str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert bare.stdout is not None
    return bare, int(bare.stdout.readline())


def restart(
    side: SideProcess,
    servers: list[subprocess.Popen[str]],
    start: Callable[[], subprocess.Popen[str]],
) -> dict[str, Any]:
    """Stop the side's server (SIGTERM, as systemd would), start it again on the same port, and
    time until every delegate of the side has a session again."""
    side.ask("mark")
    killed_at = time.time()
    servers[-1].send_signal(signal.SIGTERM)
    servers[-1].wait(60)
    servers.append(start())
    listening_at = time.time()
    return side.ask("resumed", killed_at, listening_at)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--delegates", type=int, default=2000)
    ap.add_argument("--changes", type=int, default=30)
    ap.add_argument("--block", type=int, default=5, help="changes per side before switching")
    args = ap.parse_args()
    raise_fd_limit()
    rooms: list[subprocess.Popen[str]] = []
    bares: list[subprocess.Popen[str]] = []
    sides: list[SideProcess] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "room"
        log(f"preparing a room with {args.delegates} enrolled devices…")
        enrolled = prepare_room(root, args.delegates)
        raw = [(device_id, *keys.raw_private()) for device_id, keys in enrolled]
        try:
            server, port = start_server(root)
            rooms.append(server)
            watch = MemoryWatch(server.pid)
            room = SideProcess(RoomSide, (str(root), port, raw, args.changes + 1))
            sides.append(room)
            room_setup = room.answer()
            bare_server, bare_port = start_bare(root)
            bares.append(bare_server)
            bare_watch = MemoryWatch(bare_server.pid)
            bare = SideProcess(BareSide, (bare_port, args.delegates))
            sides.append(bare)
            bare_setup = bare.answer()
            # The first change also opens the meeting and puts it on screen (three events, not
            # one): it warms up and is not counted.
            room.ask("changes", 1)
            room_lat: list[float] = []
            bare_lat: list[float] = []
            done = 0
            while done < args.changes:
                k = min(args.block, args.changes - done)
                block = room.ask("changes", k)
                sample = block["sample"]  # the baseline broadcasts the very frame just measured
                room_lat += block["latencies"]
                bare_lat += bare.ask("changes", k, sample)["latencies"]
                done += k
            # presenting: a page turned, to every follower, against the same bytes bare
            room.ask("presents", 1)  # the first presentation warms up and is not counted
            present_lat: list[float] = []
            present_bare: list[float] = []
            done = 0
            while done < args.changes:
                k = min(args.block, args.changes - done)
                block = room.ask("presents", k)
                present_sample = block["sample"]
                present_lat += block["latencies"]
                present_bare += bare.ask("changes", k, present_sample)["latencies"]
                done += k
            peak, bare_peak = watch.stop(), bare_watch.stop()
            room_resume = restart(room, rooms, lambda: start_server(root, port)[0])
            log(f"room: resumed {room_resume}")
            bare_resume = restart(bare, bares, lambda: start_bare(root, bare_port)[0])
            log(f"bare: reconnected {bare_resume}")
        finally:
            for side in sides:
                side.close()
            for proc in [*rooms, *bares]:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(30)
    room_sum, bare_sum = summary(room_lat), summary(bare_lat)
    shown_sum, shown_bare = summary(present_lat), summary(present_bare)
    print(
        json.dumps(
            {
                "delegates": args.delegates,
                "changes": args.changes,
                "event_frame_bytes": len(sample),
                "connect_all_s": room_setup["connect_all_s"],
                "bare_connect_all_s": bare_setup["connect_all_s"],
                "last_client_latency_ms": room_sum,
                "bare_broadcast_last_client_ms": bare_sum,
                "ratio_median": round(room_sum["median"] / bare_sum["median"], 3),
                "ratio_p99": round(room_sum["p99"] / bare_sum["p99"], 3),
                "presenter_page_change": {
                    "event_frame_bytes": len(present_sample),
                    "last_follower_ms": shown_sum,
                    "bare_broadcast_last_client_ms": shown_bare,
                    "ratio_median": round(shown_sum["median"] / shown_bare["median"], 3),
                    "ratio_p99": round(shown_sum["p99"] / shown_bare["p99"], 3),
                },
                "restart_resume": room_resume,
                "bare_restart_reconnect": bare_resume,
                "server_peak_rss_mb": round(peak / 2**20, 1),
                "bare_server_peak_rss_mb": round(bare_peak / 2**20, 1),
                "targets": {
                    "ratio_median": "<= 1.25",
                    "presenter_page_change.ratio_median": "<= 1.25",
                    "restart_resume.after_listening_s": "<= 5",
                    "server_peak_rss_mb": "<= 800",
                    "source": "docs/operations.md §3 (the numbers the design holds the server to)",
                },
                "cpu_count": os.cpu_count(),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
