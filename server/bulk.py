"""The bulk connection's work: blobs out to devices, uploads in from the secretariat.

Documents travel on a connection of their own (``/bulk``, the same port and TLS context), so an
agenda change or a ballot on the control connection never waits behind a download, and a device
busy downloading is never taken for a slow client: the hub (server/fanout.py) never sees this
connection. What keeps it within bounds:

* **Memory.** A ``blobs.get`` is read a few blobs at a time (``READ_BATCH``) and each frame is
  awaited into the socket before the next batch is read, so one connection holds at most one
  batch, and only ``SENDERS_AT_ONCE`` connections send at once; blobs served lately stay in a
  cache of a fixed budget (server/blobcache.py), which is what a hall pre-staging one meeting
  reads; the number of bulk connections is capped (``[limits] bulk_connections``). Uploads
  are taken one or two at a time (``UPLOADS_AT_ONCE``), each at most the room's size limit.
* **The database.** Blobs are read on reader threads of their own, never on the thread that
  writes (server/transport.py's database thread): a download never queues behind a change, and
  a change never queues behind a download. Each request is checked: the device may read the
  document and every blob asked for belongs to it. The database's answer is kept until the
  next entry of the room's log — every change of who may read what is one — reaches this
  server (at once for its own changes, within the feed's interval for another process's,
  server/feed.py), and is then asked again.
* **CPU.** Checking and sealing an upload runs on a worker thread, the PDF check itself in a
  child process (server/pdfcheck.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from websockets.asyncio.server import ServerConnection

from app import protocol as p
from server import publishing
from server.blobcache import BlobCache
from server.domains import devices, documents
from server.errors import ServiceError
from server.pdfcheck import PdfLimits
from server.store import Caller, Outcome, Store

T = TypeVar("T")

#: Blobs read from the database at once for one connection (at most 1 MiB of chunks).
READ_BATCH = 4
#: Uploads received and published at once.
UPLOADS_AT_ONCE = 2
READER_THREADS = 2
#: (device, document) answers kept at most, until the log moves: a hall's worth of documents.
ALLOWED_KEPT = 50_000
#: Downloads that send at the same moment; the others wait their turn (in order), a batch at a
#: time. Sending is bound by the CPU, not by how many send: hundreds of connections sending at
#: once only fill hundreds of buffers, and put a secretary's request behind all of them.
#: ``make bench`` on two cores (chunks served vs bare; an agenda change during a hall's
#: pre-staging vs idle): 3 → 0.85-0.94x, 1.23-1.54x (three runs, medians 0.87x, 1.24x);
#: 6 → 0.85x, 1.27x; 16 → 0.84x, 1.36x (one run each). With devices that no longer copy each
#: chunk: 3 → 0.99x, 1.40x (one run).
SENDERS_AT_ONCE = 3
#: Seconds downloads wait after an entry of the log goes out, so the event reaches every
#: device first: sending one to 2,000 devices takes ~0.1 s on two cores.
EVENT_FIRST = 0.2


class BulkService:
    def __init__(
        self,
        store: Store,
        limits: PdfLimits,
        write: Callable[..., Any],
        cache_bytes: int,
    ) -> None:
        self.store = store
        self.limits = limits
        self.cache = BlobCache(cache_bytes)
        self._allowed: set[tuple[int, int]] = set()
        self._addresses: dict[int, frozenset[bytes]] = {}
        self._resume_at = 0.0
        self._senders = asyncio.Semaphore(SENDERS_AT_ONCE)
        self._generation = 0
        self._reading: dict[bytes, asyncio.Future[dict[bytes, bytes]]] = {}
        self._write = write  # runs a call on the server's one database (writer) thread
        self._readers = ThreadPoolExecutor(READER_THREADS, thread_name_prefix="hemicycle-read")
        self._cpu = ThreadPoolExecutor(1, thread_name_prefix="hemicycle-seal")
        self.uploads = asyncio.Semaphore(UPLOADS_AT_ONCE)

    def close(self) -> None:
        self._readers.shutdown(wait=True)
        self._cpu.shutdown(wait=True)

    async def _read(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, partial(self._in_read, fn, *args))

    def _in_read(self, fn: Callable[..., T], *args: Any) -> T:
        with self.store.read() as db:
            return fn(db, *args)

    async def require_active(self, device_id: int) -> None:
        """Refuse a device revoked since its bulk connection authenticated (before an upload
        takes a slot; the commit checks again)."""
        info = await self._read(devices.info, device_id)
        if info is None or info.revoked:
            raise ServiceError(p.ErrorCode.DEVICE_REVOKED, "this device was revoked")

    def log_moved(self) -> None:
        """An entry was added to the room's log: any of them may change who may read what
        (a revocation, a withdrawal, a new version, a group), so it is asked again; and the
        event goes out to every device now, so downloads stand aside for a moment
        (``EVENT_FIRST``): an agenda change is never queued behind them."""
        self._generation += 1
        self._allowed.clear()
        self._addresses.clear()
        self._resume_at = asyncio.get_running_loop().time() + EVENT_FIRST

    async def _readable(self, device_id: int, document_id: int) -> frozenset[bytes]:
        """The blobs a device may fetch of a document. The database's answer holds until the
        log moves; asking it for every request of a hall pre-staging a meeting would cost
        the server a fifth of what it can send. One set of addresses per document, shared
        by every device that may read it."""
        key = (device_id, document_id)
        blobs = self._addresses.get(document_id)
        if blobs is None or key not in self._allowed:
            generation = self._generation
            blobs = await self._read(self._check, device_id, document_id)
            if generation == self._generation:  # nothing changed while it was asked
                if len(self._allowed) >= ALLOWED_KEPT:
                    self._allowed.clear()
                self._allowed.add(key)
                self._addresses[document_id] = blobs
        return blobs

    def _check(self, db: Any, device_id: int, document_id: int) -> frozenset[bytes]:
        """On a reader thread: refuse unless the device may read the document now; its blobs."""
        documents.require_readable(db, device_id, document_id)
        known = self._addresses.get(document_id)
        return known if known is not None else documents.blob_addresses(db, document_id)

    async def _events_first(self) -> None:
        wait = self._resume_at - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)

    async def _frames_of(self, addresses: list[bytes]) -> dict[bytes, bytes]:
        """Frames of blobs not in the cache, read from the database; a blob another connection
        is reading at this moment is waited for, not read again (a hall starts pre-staging a
        meeting all at once, and each of its blobs would otherwise be read hundreds of times
        before the first read reached the cache)."""
        theirs = {a: self._reading[a] for a in addresses if a in self._reading}
        mine = [a for a in addresses if a not in theirs]
        out: dict[bytes, bytes] = {}
        if mine:
            done: asyncio.Future[dict[bytes, bytes]] = asyncio.get_running_loop().create_future()
            for where in mine:
                self._reading[where] = done
            try:
                read = await self._read(documents.read_blobs, mine)
                out = {where: where + data for where, data in read.items()}
                for where, frame in out.items():
                    self.cache.put(where, frame)
            finally:
                done.set_result(out)  # empty if this read failed: the others read it themselves
                for where in mine:
                    del self._reading[where]
        for where, reading in theirs.items():
            theirs_read = (await reading).get(where)
            out[where] = theirs_read if theirs_read is not None else await self._frame_of(where)
        return {a: f for a, f in out.items() if f}

    async def _frame_of(self, address: bytes) -> bytes:
        read = await self._read(documents.read_blobs, [address])
        return address + read[address] if address in read else b""

    async def blobs(self, ws: ServerConnection, device_id: int, req: p.BlobsGet) -> p.BlobsDone:
        """Send each blob asked for as a binary frame ``address ‖ blob``; report the missing."""
        wanted = list(dict.fromkeys(req.addresses))
        if not (await self._readable(device_id, req.document_id)).issuperset(wanted):
            raise ServiceError(
                p.ErrorCode.FORBIDDEN, "some of those blobs are not of that document"
            )
        missing: list[bytes] = []
        cache = self.cache
        for start in range(0, len(wanted), READ_BATCH):
            batch = wanted[start : start + READ_BATCH]
            frames = {a: f for a in batch if (f := cache.get(a)) is not None}
            lacking = [a for a in batch if a not in frames]
            if lacking:
                frames.update(await self._frames_of(lacking))
            await self._events_first()
            async with self._senders:
                for where in batch:
                    if where in frames:
                        await ws.send(frames[where])
                    else:
                        missing.append(where)
        return p.BlobsDone(id=req.id, missing=missing)

    async def publish(
        self, req: p.DocumentUpload, data: bytes, caller: Caller
    ) -> Outcome[p.DocumentPublished]:
        loop = asyncio.get_running_loop()

        def on(pool: Any) -> publishing.Runner[Any]:
            async def run(fn: Callable[[], Any]) -> Any:
                return await loop.run_in_executor(pool, fn)

            return run

        return await publishing.publish(
            self.store,
            publishing.Upload.of(req, data),
            caller,
            self.limits,
            db=lambda fn: self._write(fn),
            cpu=on(self._cpu),
        )
