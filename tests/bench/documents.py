"""Documents on the wire: chunks served next to a bare TLS WebSocket serving the same bytes, and a
meeting pre-staged to every device while the agenda moves.

``python -m tests.bench.documents`` prints one JSON object on stdout (progress on stderr).

The meeting is four real manuals from Debian's ``lilypond-doc-pdf`` (about 51 MB: notation,
snippets, learning, internals), published through the same path as an upload (checked, cut
into chunks, sealed, stored). The room server runs as its own process (``hemicycle-server
run``). Simulated devices speak the real bulk protocol (app/bulklink.py: pinned TLS, signed
auth, ``blobs.get`` of ``FETCH_BATCH`` chunks, every frame decoded by the client's session);
they check nothing and keep nothing, as devices whose disk and CPU are elsewhere.

* **Throughput.** ``--clients`` devices fetch the whole meeting at once, from the room and from
  a bare server (``BARE_SERVER``: the same certificate and TLS settings, the same blobs held in
  memory, sent as the same ``address ‖ blob`` frames in answer to a list of addresses), in
  alternating rounds; the figure is bytes delivered per second of wall time, the ratio room /
  bare.
* **Pre-staging.** ``--devices`` enrolled devices hold their control connection (as the
  broadcast bench's delegates do) and all fetch the meeting over bulk connections, at most
  ``[limits] bulk_connections`` at a time (a device turned away with 503 tries again after a
  jittered delay, as the app does). Meanwhile the secretary moves the agenda; the time until the
  last delegate has each change is put next to the same measure with the hall idle, before.
  The total time is put next to the time the bare server's throughput would take for the same
  bytes.

The processes that simulate devices run at a lower CPU priority (``nice``): on a real hall the
devices' work is done by the devices, and here it must not take the server's two cores from it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import msgspec
import psutil
from sqlalchemy import select
from websockets.asyncio.client import connect

from app import protocol as p
from app.bulklink import BulkErrors, BulkLink
from app.connection import ConnectError, client_context
from app.docsync import FETCH_BATCH, RETRY_MAX, RETRY_MIN
from app.keys import DeviceKeys
from server import config as cfg
from server.datadir import DataDir
from server.db import DocumentBlob
from server.domains import agenda, meetings
from server.store import CLI
from tests.bench.broadcast import MemoryWatch, RoomSide, prepare_room, start_server, summary
from tests.bench.hall import SideProcess, log, raise_fd_limit
from tests.realdocs import FOLDER
from tests.roomtool import RoomTool

MANUALS = ("notation.pdf", "snippets.pdf", "learning.pdf", "internals.pdf")

BARE_SERVER = r"""
import asyncio, json, ssl, sys
import msgspec
from websockets.asyncio.server import serve
cert, key, blobfile = sys.argv[1], sys.argv[2], sys.argv[3]
with open(blobfile, "rb") as f:
    blobs = msgspec.msgpack.decode(f.read(), type=dict[bytes, bytes])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_cert_chain(cert, key)
async def handler(ws):
    async for frame in ws:
        req = json.loads(frame)
        for address in req["addresses"]:
            where = bytes.fromhex(address)
            await ws.send(where + blobs[where])
        await ws.send(json.dumps({"done": req["id"]}))
async def main():
    async with serve(handler, "127.0.0.1", 0, ssl=ctx, compression=None, max_size=2**20,
                     backlog=2048) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()
asyncio.run(main())
"""

#: (document id, its blob addresses), what each simulated device fetches.
Meeting = list[tuple[int, list[bytes]]]
Device = tuple[int, bytes, bytes]  # device id, raw signing and key-exchange private keys


# --------------------------------------------------------------------------- the room


def publish_meeting(root: Path) -> tuple[Meeting, int, int]:
    """The four manuals on one agenda item; returns what devices fetch, the meeting and the
    item (for the agenda changes)."""
    d = DataDir(root)
    _config, store = d.open()
    tool = RoomTool(store)
    meeting = store.run(lambda w: meetings.create(w, p.MeetingCreate(id=0, title="Tài liệu")), CLI)
    meeting_id = meeting.result.meeting_id
    item_req = p.AgendaAdd(id=0, meeting_id=meeting_id, title="Văn kiện")
    item_id = store.run(lambda w: agenda.add(w, item_req), CLI).result.item_id
    out: Meeting = []
    for name in MANUALS:
        t0 = time.perf_counter()
        done = tool.publish((FOLDER / name).read_bytes(), item_id=item_id, name=name)
        with store.read() as db:
            addresses = list(
                db.scalars(
                    select(DocumentBlob.address).where(DocumentBlob.document_id == done.document_id)
                )
            )
        out.append((done.document_id, addresses))
        log(f"published {name}: {len(addresses)} blobs in {time.perf_counter() - t0:.1f} s")
    store.dispose()
    return out, meeting_id, item_id


def blob_file(root: Path, meeting: Meeting, out: Path) -> int:
    """Every blob of the meeting, for the bare server; returns their total size."""
    _config, store = DataDir(root).open()
    from server.domains.documents import read_blobs

    blobs: dict[bytes, bytes] = {}
    with store.read() as db:
        for _doc, addresses in meeting:
            blobs.update(read_blobs(db, addresses))
    store.dispose()
    out.write_bytes(msgspec.msgpack.encode(blobs))
    return sum(len(b) for b in blobs.values())


def start_bare(root: Path, blobs: Path) -> tuple[subprocess.Popen[str], int]:
    cert, key = str(root / "room-cert.pem"), str(root / "room-key.pem")
    bare = subprocess.Popen(
        [sys.executable, "-c", BARE_SERVER, cert, key, str(blobs)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert bare.stdout is not None
    return bare, int(bare.stdout.readline())


# --------------------------------------------------------------------------- simulated devices
# These run in a worker process of their own (see ``devices_pool``).


class Counter:
    def __init__(self) -> None:
        self.bytes = 0
        self.turned_away = 0


async def _room_fetch(
    port: int, room_id: bytes, device: Device, meeting: Meeting, counter: Counter
) -> None:
    """One device fetches the meeting over bulk connections until it holds all of it: after a
    refusal or a cut, a jittered, growing delay, then only what it still lacks."""
    device_id, sign_raw, kx_raw = device
    keys = DeviceKeys.from_raw(sign_raw, kx_raw)
    lacking = {doc: dict.fromkeys(addresses) for doc, addresses in meeting}

    delay = RETRY_MIN
    while any(lacking.values()):
        try:
            link = await BulkLink.open(["127.0.0.1"], port, room_id, device_id, keys.sign.sign)
        except (ConnectError, *BulkErrors):
            counter.turned_away += 1
            await asyncio.sleep(random.uniform(0.5, 1.0) * delay)
            delay = min(delay * 2, RETRY_MAX)
            continue
        try:
            for doc, wanted in lacking.items():

                async def on_blob(
                    address: bytes, data: memoryview, wanted: dict[bytes, None] = wanted
                ) -> None:
                    del wanted[address]
                    counter.bytes += len(data)

                while wanted:
                    if await link.fetch(doc, list(wanted)[:FETCH_BATCH], on_blob):
                        raise RuntimeError(f"the room lacks blobs of document {doc}")
        except BulkErrors:
            await asyncio.sleep(random.uniform(0.5, 1.0) * RETRY_MIN)
        finally:
            await link.close()


async def _bare_fetch(port: int, meeting: Meeting, counter: Counter) -> None:
    async with connect(
        f"wss://127.0.0.1:{port}/",
        ssl=client_context(),
        compression=None,
        max_size=p.MAX_BLOB_FRAME,
        open_timeout=60,
    ) as ws:
        rid = 0
        for _doc, addresses in meeting:
            for start in range(0, len(addresses), FETCH_BATCH):
                rid += 1
                batch = addresses[start : start + FETCH_BATCH]
                await ws.send(json.dumps({"id": rid, "addresses": [a.hex() for a in batch]}))
                while True:
                    frame = await ws.recv()
                    if isinstance(frame, str):
                        break
                    counter.bytes += len(frame) - p.ADDRESS_BYTES


def fetch_round(
    kind: str, port: int, room_id: bytes, devices: list[Device], meeting: Meeting
) -> dict[str, Any]:
    """Every device fetches the whole meeting at once; wall time and bytes (worker process)."""

    async def run() -> dict[str, Any]:
        counter = Counter()
        t0, cpu0 = time.perf_counter(), time.process_time()
        if kind == "room":
            await asyncio.gather(
                *(_room_fetch(port, room_id, d, meeting, counter) for d in devices)
            )
        else:
            await asyncio.gather(*(_bare_fetch(port, meeting, counter) for _ in devices))
        return {
            "seconds": time.perf_counter() - t0,
            "client_cpu_s": time.process_time() - cpu0,
            "bytes": counter.bytes,
            "turned_away": counter.turned_away,
        }

    return asyncio.run(run())


def _lower_priority() -> None:
    raise_fd_limit()
    os.nice(10)


def devices_pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority
    )


# --------------------------------------------------------------------------- the run


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def throughput(
    pool: ProcessPoolExecutor,
    ports: dict[str, int],
    pids: dict[str, int],
    room_id: bytes,
    devices: list[Device],
    meeting: Meeting,
    rounds: int,
) -> dict[str, Any]:
    rates: dict[str, list[float]] = {"room": [], "bare": []}
    cpu: dict[str, list[float]] = {"room": [], "bare": []}
    for n in range(rounds):
        for kind in ("room", "bare") if n % 2 == 0 else ("bare", "room"):
            before = cpu_seconds(pids[kind])
            got = pool.submit(fetch_round, kind, ports[kind], room_id, devices, meeting).result()
            cpu[kind].append((cpu_seconds(pids[kind]) - before) / (got["bytes"] / 1e9))
            rate = got["bytes"] / got["seconds"] / 1e6
            rates[kind].append(rate)
            log(
                f"throughput {kind}: {got['bytes'] / 1e6:.0f} MB in {got['seconds']:.2f} s, "
                f"server {cpu[kind][-1]:.2f} CPU s/GB, "
                f"devices {got['client_cpu_s'] / (got['bytes'] / 1e9):.2f} CPU s/GB"
            )
    room, bare = statistics.median(rates["room"]), statistics.median(rates["bare"])
    return {
        "clients": len(devices),
        "rounds": rounds,
        "room_mb_per_s": {"median": round(room, 1), "all": [round(r, 1) for r in rates["room"]]},
        "bare_mb_per_s": {"median": round(bare, 1), "all": [round(r, 1) for r in rates["bare"]]},
        "ratio_median": round(room / bare, 3),
        "server_cpu_s_per_gb": round(statistics.median(cpu["room"]), 2),
        "bare_server_cpu_s_per_gb": round(statistics.median(cpu["bare"]), 2),
    }


def agenda_latency(control: SideProcess, changes: int, block: int) -> list[float]:
    latencies: list[float] = []
    while len(latencies) < changes:
        latencies += control.ask("changes", min(block, changes - len(latencies)))["latencies"]
    return latencies


def prestage(
    pool: ProcessPoolExecutor,
    control: SideProcess,
    port: int,
    room_id: bytes,
    devices: list[Device],
    meeting: Meeting,
    block: int,
) -> dict[str, Any]:
    """Every device fetches the meeting while the agenda moves every few seconds."""
    t0 = time.perf_counter()
    running = pool.submit(fetch_round, "room", port, room_id, devices, meeting)
    latencies: list[float] = []
    while not running.done():
        latencies += control.ask("changes", block)["latencies"]
        time.sleep(1.0)
    got = running.result()
    log(f"pre-staged {got['bytes'] / 1e9:.1f} GB in {got['seconds']:.0f} s")
    return {"got": got, "latencies": latencies, "wall_s": time.perf_counter() - t0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=2000, help="devices that pre-stage")
    ap.add_argument("--clients", type=int, default=20, help="devices fetching at once (throughput)")
    ap.add_argument("--rounds", type=int, default=4, help="throughput rounds per side")
    ap.add_argument("--changes", type=int, default=20, help="agenda changes measured idle")
    ap.add_argument("--block", type=int, default=2, help="agenda changes per block")
    ap.add_argument(
        "--bulk-connections",
        type=int,
        help="the room's [limits] bulk_connections (default: as a new room has it)",
    )
    args = ap.parse_args()
    missing = [name for name in MANUALS if not (FOLDER / name).is_file()]
    if missing:
        sys.exit(f"{FOLDER}: {', '.join(missing)} missing: install Debian's lilypond-doc-pdf")
    raise_fd_limit()
    servers: list[subprocess.Popen[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "room"
        log(f"preparing a room with {args.devices} enrolled devices…")
        enrolled = prepare_room(root, args.devices)
        d = DataDir(root)
        config = cfg.load(d.config)
        limits = msgspec.structs.replace(
            config.limits,
            connections_per_address=2 * args.devices + 100,
            bulk_connections=args.bulk_connections or config.limits.bulk_connections,
        )
        cfg.write(d.config, msgspec.structs.replace(config, limits=limits))
        meeting, _meeting_id, _item_id = publish_meeting(root)
        meeting_bytes = blob_file(root, meeting, Path(tmp) / "blobs.msgpack")
        raw: list[Device] = [(device_id, *keys.raw_private()) for device_id, keys in enrolled]
        delegates = raw[:-1]
        room_id = d.room_id()
        pool = devices_pool()
        control: SideProcess | None = None
        try:
            server, port = start_server(root)
            servers.append(server)
            bare, bare_port = start_bare(root, Path(tmp) / "blobs.msgpack")
            servers.append(bare)
            ports = {"room": port, "bare": bare_port}
            log(f"throughput: {args.clients} devices fetch {meeting_bytes / 1e6:.0f} MB at once")
            pids = {"room": server.pid, "bare": bare.pid}
            rate = throughput(
                pool, ports, pids, room_id, delegates[: args.clients], meeting, args.rounds
            )

            control = SideProcess(RoomSide, (str(root), port, raw, 2 * args.changes + 1000))
            control.answer()
            control.ask("changes", 1)  # opens the meeting and puts it on screen: not counted
            idle = agenda_latency(control, args.changes, args.block)
            watch = MemoryWatch(server.pid)
            staged = prestage(pool, control, port, room_id, delegates, meeting, args.block)
            peak = watch.stop()
        finally:
            if control is not None:
                control.close()
            pool.shutdown(cancel_futures=True)
            for proc in servers:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(30)
    idle_sum, during_sum = summary(idle), summary(staged["latencies"])
    total = staged["got"]["bytes"]
    bare_rate = rate["bare_mb_per_s"]["median"] * 1e6
    print(
        json.dumps(
            {
                "meeting": {"documents": list(MANUALS), "megabytes": round(meeting_bytes / 1e6, 1)},
                "chunks_served": rate,
                "prestage": {
                    "devices": len(delegates),
                    "bulk_connections": limits.bulk_connections,
                    "gigabytes": round(total / 1e9, 2),
                    "total_s": round(staged["got"]["seconds"], 1),
                    "bare_throughput_same_bytes_s": round(total / bare_rate, 1),
                    "ratio": round(staged["got"]["seconds"] / (total / bare_rate), 3),
                    "turned_away_then_retried": staged["got"]["turned_away"],
                    "server_peak_rss_mb": round(peak / 2**20, 1),
                },
                "agenda_last_client_ms": {
                    "idle": idle_sum,
                    "during_prestage": during_sum,
                    "ratio_median": round(during_sum["median"] / idle_sum["median"], 3),
                    "ratio_p99": round(during_sum["p99"] / idle_sum["p99"], 3),
                },
                "targets": {
                    "chunks_served.ratio_median": ">= 0.9",
                    "agenda_last_client_ms.ratio_median": "<= 1.25",
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
