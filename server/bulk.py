"""The bulk connection's work: blobs out to devices, uploads in from the secretariat.

Documents travel on a connection of their own (``/bulk``, the same port and TLS context), so an
agenda change or a ballot on the control connection never waits behind a download, and a device
busy downloading is never taken for a slow client: the hub (server/fanout.py) never sees this
connection. What keeps it within bounds:

* **Memory.** A ``blobs.get`` is read a few blobs at a time (``READ_BATCH``) and each frame is
  awaited into the socket before the next batch is read, so one connection holds at most one
  batch; the number of bulk connections is capped (``[limits] bulk_connections``). Uploads are
  taken one or two at a time (``UPLOADS_AT_ONCE``), each at most the room's size limit.
* **The database.** Blobs are read on reader threads of their own, never on the thread that
  writes (server/transport.py's database thread): a download never queues behind a change, and
  a change never queues behind a download. Each read re-checks, at that moment, that the device
  may read the document and that every blob asked for belongs to it.
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


class BulkService:
    def __init__(
        self,
        store: Store,
        limits: PdfLimits,
        write: Callable[..., Any],
    ) -> None:
        self.store = store
        self.limits = limits
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

    async def blobs(self, ws: ServerConnection, device_id: int, req: p.BlobsGet) -> p.BlobsDone:
        """Send each blob asked for as a binary frame ``address ‖ blob``; report the missing."""
        wanted = list(dict.fromkeys(req.addresses))
        await self._read(documents.blobs_for, device_id, req.document_id, wanted)
        missing: list[bytes] = []
        for start in range(0, len(wanted), READ_BATCH):
            batch = wanted[start : start + READ_BATCH]
            found = await self._read(documents.read_blobs, batch)
            for where in batch:
                data = found.get(where)
                if data is None:
                    missing.append(where)
                else:
                    await ws.send(where + data)
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
