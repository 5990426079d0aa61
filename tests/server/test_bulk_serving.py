"""Serving blobs to a hall: a device's right to a document is asked again once the room's log
moves (so narrowing the readers or withdrawing counts on a connection already open), a hall
asking for the same blobs at once reads each from the database once, and the cache of served
blobs stays within its budget."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import protocol as p
from app.bulklink import BulkLink
from app.client import RequestError
from app.connection import Link
from app.session import ClientSession
from server.blobcache import BlobCache
from server.db import DocumentBlob
from server.domains import documents
from server.store import CLI
from tests.conftest import ServerThread
from tests.pdfs import make_pdf
from tests.server.test_documents import GROUP, _ignore, _member_and_outsider, bulk
from tests.server.test_server import enrolled


def _blobs_of(server: ServerThread, document_id: int) -> list[bytes]:
    with server.room.store.read() as db:
        query = select(DocumentBlob.address).where(DocumentBlob.document_id == document_id)
        return list(db.scalars(query))


async def _refused_soon(fetch: Any) -> p.ErrorCode | None:
    """The code of the first refusal of ``fetch()`` within 5 s (a change made by another
    process reaches the server within its feed's interval)."""
    for _ in range(100):
        try:
            await fetch()
        except RequestError as exc:
            return exc.code
        await asyncio.sleep(0.05)
    return None


def test_narrowing_the_readers_or_withdrawing_counts_on_an_open_connection(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    _inside, outside = _member_and_outsider(server)
    item = room.new_item(room.new_meeting())
    narrowed = room.publish(make_pdf(2, marker="thu hẹp"), item_id=item)
    withdrawn = room.publish(make_pdf(2, marker="rút lại"), item_id=item)
    narrowed_blobs, withdrawn_blobs = (
        _blobs_of(server, d.document_id) for d in (narrowed, withdrawn)
    )

    async def scenario() -> tuple[p.ErrorCode | None, p.ErrorCode | None]:
        # a delegate outside GROUP, with its bulk connection open and both documents served
        outsider = await enrolled(server, tmp_path / "d", number=outside)
        link = await bulk(server, outsider)
        assert await link.fetch(narrowed.document_id, narrowed_blobs, _ignore) == []
        assert await link.fetch(withdrawn.document_id, withdrawn_blobs, _ignore) == []
        # the secretariat narrows one document to GROUP and withdraws the other
        req = p.DocumentUpdate(id=0, document_id=narrowed.document_id, groups=[GROUP])
        room.store.run(lambda w: documents.update(w, req), CLI)
        one = await _refused_soon(
            lambda: link.fetch(narrowed.document_id, narrowed_blobs[:1], _ignore)
        )
        gone = p.DocumentWithdraw(id=0, document_id=withdrawn.document_id)
        room.store.run(lambda w: documents.withdraw(w, gone), CLI)
        other = await _refused_soon(
            lambda: link.fetch(withdrawn.document_id, withdrawn_blobs[:1], _ignore)
        )
        await link.close()
        return one, other

    assert asyncio.run(scenario()) == (p.ErrorCode.FORBIDDEN, p.ErrorCode.FORBIDDEN)


def test_a_hall_asking_for_the_same_blobs_at_once_reads_each_from_the_database_once(
    server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = server.room
    item = room.new_item(room.new_meeting())
    done = room.publish(make_pdf(30, marker="cả hội trường"), item_id=item)
    blobs = _blobs_of(server, done.document_id)
    read: collections.Counter[bytes] = collections.Counter()
    real = documents.read_blobs

    def counting(db: Any, addresses: Sequence[bytes]) -> dict[bytes, bytes]:
        read.update(addresses)
        return real(db, addresses)

    monkeypatch.setattr(documents, "read_blobs", counting)

    async def scenario() -> list[int]:
        devices = [
            await enrolled(server, tmp_path / f"d{n}", number=f"000{n}") for n in range(1, 7)
        ]
        links = [await bulk(server, d) for d in devices]
        got: list[int] = []

        async def fetch(link: Any) -> None:
            sizes: list[int] = []

            async def keep(_address: bytes, data: bytes) -> None:
                sizes.append(len(data))

            assert await link.fetch(done.document_id, blobs, keep) == []
            got.append(len(sizes))
            await link.close()

        await asyncio.gather(*(fetch(link) for link in links))
        return got

    assert asyncio.run(scenario()) == [len(blobs)] * 6  # each device got every blob…
    assert set(read) == set(blobs) and max(read.values()) == 1  # …each read once


def test_the_cache_keeps_the_blobs_served_last_within_its_budget() -> None:
    cache = BlobCache(budget=300)
    for n in range(4):
        cache.put(bytes([n]), bytes(100))
    assert len(cache) == 3 and cache.size == 300 and cache.get(b"\x00") is None
    assert cache.get(b"\x01") is not None  # used: now the most recent
    cache.put(b"\x04", bytes(100))
    assert cache.get(b"\x02") is None and cache.get(b"\x01") is not None
    cache.put(b"big", bytes(301))  # larger than the whole budget: not kept, nothing dropped
    assert cache.get(b"big") is None and len(cache) == 3
    off = BlobCache(budget=0)
    off.put(b"\x00", b"x")
    assert len(off) == 0


class _ScriptedRoom:
    """The room's side of a bulk connection, as frames: each ``blobs.get`` is answered with
    the given blob frames, then ``blobs.done``. The real room never sends a blob it was not
    asked for; a device must still refuse one (a room with a fault, or not the room)."""

    def __init__(self, blobs: list[bytes]) -> None:
        self.blobs = blobs
        self.frames: asyncio.Queue[str | bytes] = asyncio.Queue()

    async def send(self, frame: str | bytes, text: bool = False) -> None:
        req = p.decode_client(frame)
        assert isinstance(req, p.BlobsGet)
        for blob in self.blobs:
            self.frames.put_nowait(blob)
        self.frames.put_nowait(p.encode(p.BlobsDone(id=req.id, missing=[])).decode())

    async def recv(self) -> str | bytes:
        return await self.frames.get()


def _scripted_link(blobs: list[bytes]) -> BulkLink:
    session = ClientSession(bulk=True)
    session.welcome = p.Welcome(
        protocol=p.PROTOCOL_VERSION, room_id="ab" * 32, room_name="R", challenge="", server_time=0
    )
    ws: Any = _ScriptedRoom(blobs)
    return BulkLink(Link(ws, session, b"\xab" * 32, "127.0.0.1", 0, b""))


def test_a_device_takes_the_blobs_it_asked_for_and_refuses_any_other() -> None:
    asked, other = b"\x01" * p.ADDRESS_BYTES, b"\x02" * p.ADDRESS_BYTES
    got: list[tuple[bytes, bytes]] = []

    async def keep(address: bytes, data: memoryview) -> None:
        got.append((address, bytes(data)))

    async def scenario() -> None:
        assert await _scripted_link([asked + b"chunk"]).fetch(7, [asked], keep) == []
        with pytest.raises(p.ProtocolError, match="not asked for"):
            await _scripted_link([other + b"chunk"]).fetch(7, [asked], keep)

    asyncio.run(scenario())
    assert got == [(asked, b"chunk")]
