"""Keeping the device's documents complete: keys over the control connection, content over the
bulk one, in the background, resuming where it stopped.

:class:`DocSync` runs on the client's asyncio loop beside the room connection
(app/client.py). Each time the state or the connection changes it makes a pass:

1. forget what the state no longer lists (withdrawn, wiped, older versions — app/docstore.py);
2. ask for the keys it lacks (``document.keys``, control connection);
3. fetch what is missing of each document — its signed manifest, then the chunks the manifest
   lists that are not here, which for a revision are only the changed ones — over a bulk
   connection opened for the purpose (app/bulklink.py) and closed after; the current meeting's
   documents first;
4. tell the room what it holds (``device.holds``), every few seconds while fetching and at the
   end, for the secretariat's readiness board.

Everything fetched is checked before it is kept (the address of every blob, the signature and
ids of every manifest), and kept as soon as it arrives, so a pass cut short by a Wi-Fi drop
loses at most the blobs in flight; the next pass asks only for what is still missing. A failed
pass is retried after a jittered, growing delay (the room may be refusing bulk connections
because it is serving as many as it can).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from app import protocol as p
from app.bulklink import BulkErrors, BulkLink
from app.docformat import DocumentError
from app.docstore import DocStore, Holding
from app.session import NotConnected, RequestError
from app.state import RoomReader

log = logging.getLogger("hemicycle.documents")

#: Chunks asked for per ``blobs.get`` (about 16 MB): the room checks each request against the
#: database, so a few large requests cost it less than many small ones; what arrives is kept
#: blob by blob, so a cut loses no more than with small ones.
FETCH_BATCH = p.MAX_BLOBS_PER_GET
#: Seconds between holdings reports while fetching, and between progress reports to the screen.
HOLDS_INTERVAL = 10.0
PROGRESS_INTERVAL = 0.2
RETRY_MIN, RETRY_MAX = 2.0, 60.0


@dataclass(frozen=True)
class Progress:
    """What the device holds of the documents it may read, for the screen."""

    documents: Mapping[int, Holding] = field(default_factory=dict)
    #: Documents whose key is here.
    keyed: frozenset[int] = frozenset()
    #: A pass is fetching right now.
    fetching: bool = False
    #: Why the last pass stopped short, if it did.
    trouble: str | None = None

    def ready(self, document_id: int) -> bool:
        """Whether the version of the document this progress counted is here, with its key."""
        h = self.documents.get(document_id)
        return h is not None and h.complete and document_id in self.keyed

    def opens(self, doc: p.Document) -> bool:
        """Whether this version of ``doc`` is here with its key. The screen asks this of the
        documents it shows: a revision it already shows may not be counted yet."""
        h = self.documents.get(doc.id)
        return h is not None and h.version == doc.version and self.ready(doc.id)

    @property
    def held(self) -> int:
        return sum(min(h.held, h.total) for h in self.documents.values())

    @property
    def total(self) -> int:
        return sum(h.total for h in self.documents.values())


def readable(view: RoomReader) -> list[p.Document]:
    """The documents a device should hold: published, of a meeting it sees that is not wiped;
    the meeting shown in the hall first."""
    active = view.room.active_meeting_id
    out = []
    for doc in view.documents.values():
        meeting = view.meetings.get(doc.meeting_id)
        if doc.status == "published" and meeting is not None and not meeting.wiped:
            out.append(doc)
    return sorted(out, key=lambda d: (d.meeting_id != active, d.id))


class DocSync:
    def __init__(
        self,
        store: DocStore,
        *,
        request: Callable[[p.ClientRequest], Awaitable[p.ServerMessage]],
        open_bulk: Callable[[], Awaitable[BulkLink]],
        on_progress: Callable[[Progress], None],
    ) -> None:
        self.store = store
        self._request = request
        self._open_bulk = open_bulk
        self._on_progress = on_progress
        self._view: RoomReader | None = None
        self._online = False
        self._wake = asyncio.Event()
        self._reported: dict[int, tuple[int, int]] = {}
        self._progress = Progress()
        self._last_progress = 0.0
        self._failures = 0

    @property
    def progress(self) -> Progress:
        return self._progress

    def update(self, view: RoomReader, online: bool) -> None:
        """The state or the connection changed: make a pass soon. ``online``: connected, and
        ``view`` is the room's current state (so what it does not list may be deleted)."""
        self._view, self._online = view, online
        self._wake.set()

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            view, online = self._view, self._online
            if view is None:
                continue
            try:
                await self._pass(view, online)
                self._failures = 0
            except (*BulkErrors, NotConnected, RequestError, DocumentError) as exc:
                self._failures += 1
                log.info("documents: pass stopped (%s); retrying", exc)
                self._publish(view, fetching=False, trouble=str(exc) or type(exc).__name__)
                delay = min(RETRY_MAX, RETRY_MIN * 2 ** min(self._failures, 5))
                await asyncio.sleep(random.uniform(delay / 2, delay))
                self._wake.set()

    # ------------------------------------------------------------------ one pass

    async def _pass(self, view: RoomReader, online: bool) -> None:
        docs = readable(view)
        if not online:  # a stored state is not the room's word on what to delete
            self._publish(view, fetching=False)
            return
        await asyncio.to_thread(self.store.keep_only, docs)
        self._publish(view, fetching=False)
        await self._fetch_keys(docs)
        todo = [d for d in docs if await asyncio.to_thread(self.store.missing, d)]
        if todo:
            bulk = await self._open_bulk()
            try:
                for doc in todo:
                    await self._fetch(bulk, view, doc)
                    if self._wake.is_set():
                        break  # the state changed: start again from it
            finally:
                await bulk.close()
        await self._report(docs)
        self._publish(view, fetching=False)

    async def _fetch_keys(self, docs: list[p.Document]) -> None:
        lacking = [d.id for d in docs if not self.store.has_key(d)]
        for start in range(0, len(lacking), 500):
            reply = await self._request(
                p.DocumentKeys(id=0, document_ids=lacking[start : start + 500])
            )
            if isinstance(reply, p.KeysGiven):
                await asyncio.to_thread(self.store.put_keys, reply.keys)

    async def _fetch(self, bulk: BulkLink, view: RoomReader, doc: p.Document) -> None:
        store = self.store
        last_report = time.monotonic()

        async def keep(address: bytes, data: memoryview) -> None:
            if address == doc.manifest:
                await asyncio.to_thread(store.put_manifest, doc, bytes(data))
            else:
                await asyncio.to_thread(store.blobs.put, address, data)
            self._publish(view, fetching=True, throttle=True)

        while True:
            missing = await asyncio.to_thread(store.missing, doc)
            if not missing:
                break
            absent = await bulk.fetch(doc.id, missing[:FETCH_BATCH], keep)
            if absent:
                raise DocumentError(f"the room lacks part of document {doc.id}")
            if time.monotonic() - last_report > HOLDS_INTERVAL:
                await self._report([doc])
                last_report = time.monotonic()
        await self._report([doc])

    async def _report(self, docs: list[p.Document]) -> None:
        """Tell the room what changed in what this device holds."""
        out = []
        for doc in docs:
            h = await asyncio.to_thread(self.store.holding, doc)
            if self._reported.get(doc.id) != (doc.version, h.held):
                out.append(p.Holding(document_id=doc.id, version=doc.version, held=h.held))
        for start in range(0, len(out), 2000):
            part = out[start : start + 2000]
            await self._request(p.DeviceHolds(id=0, holdings=part))
            for sent in part:
                self._reported[sent.document_id] = (sent.version, sent.held)

    def _publish(
        self,
        view: RoomReader,
        *,
        fetching: bool,
        trouble: str | None = None,
        throttle: bool = False,
    ) -> None:
        now = time.monotonic()
        if throttle and now - self._last_progress < PROGRESS_INTERVAL:
            return
        self._last_progress = now
        docs = readable(view)
        store = self.store
        self._progress = Progress(
            documents={d.id: store.holding(d) for d in docs},
            keyed=frozenset(d.id for d in docs if store.has_key(d)),
            fetching=fetching,
            trouble=trouble,
        )
        self._on_progress(self._progress)
