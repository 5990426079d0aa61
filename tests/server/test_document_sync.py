"""A device's documents against the real server: pre-staged in the background, read with the
server gone, resumed after a cut without fetching twice, imported from a bundle, expired."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from app import bundle
from app import protocol as p
from app.bulklink import BulkLink
from app.client import RoomClient
from app.docstore import BlobStore, CannotOpen
from app.profile import Profile
from server.cli import main as server_cli
from server.domains import meetings
from server.store import CLI
from tests.conftest import ServerThread
from tests.pdfs import make_pdf, needles
from tests.server.test_server import PIN, Recorder, enrolled, until


def count_fetches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Blobs asked for over bulk connections from now on, one entry per blob."""
    asked: list[int] = []
    real = BulkLink.fetch

    async def counting(self: BulkLink, document_id: int, addresses: Any, on_blob: Any) -> Any:
        asked.extend([document_id] * len(addresses))
        return await real(self, document_id, addresses, on_blob)

    monkeypatch.setattr(BulkLink, "fetch", counting)
    return asked


def test_prestaged_documents_open_with_the_server_stopped_and_after_a_restart_offline(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    meeting = room.new_meeting()
    item = room.new_item(meeting)
    done = room.publish(make_pdf(4, marker="Đọc khi mất mạng"), item_id=item)

    async def prestage() -> None:
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        await until(lambda: d.client.docsync.progress.ready(done.document_id), 20)
        await d.stop()

    asyncio.run(prestage())
    server.stop()

    async def offline() -> bytes:
        unlocked = Profile(tmp_path / "d1").unlock(PIN)
        client = RoomClient(unlocked, on_state=lambda *_: None, on_status=lambda *_: None)
        doc = client.model.documents[done.document_id]
        return client.documents.open(
            doc, client.model.meetings[meeting], client.last_sync, time.time
        )

    data = asyncio.run(offline())
    assert "Đọc khi mất mạng" in pymupdf.open(stream=data, filetype="pdf")[3].get_text()


def test_an_interrupted_download_resumes_without_fetching_held_chunks_again(
    server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server goes away in the middle of the 930-page manual; when it is back, the device
    asks only for what it does not hold: never a blob it has, and each blob once, but those
    that were on their way when the connection broke."""
    from app.docsync import FETCH_BATCH
    from tests.realdocs import real_pdf

    room = server.room
    item = room.new_item(room.new_meeting())
    done = room.publish(real_pdf("notation.pdf").read_bytes(), item_id=item, name="notation.pdf")
    port = server.port
    asked: list[tuple[bytes, bool]] = []  # every blob asked for, and whether it was held then
    real = BulkLink.fetch

    async def scenario() -> tuple[int, int]:
        stores: list[BlobStore] = []  # the device's, once it runs (nothing is held before)

        async def watched(self: BulkLink, document_id: int, addresses: Any, on_blob: Any) -> Any:
            asked.extend((a, bool(stores) and stores[0].has(a)) for a in addresses)
            return await real(self, document_id, addresses, on_blob)

        # watched from the start: the download may begin before start() returns
        monkeypatch.setattr(BulkLink, "fetch", watched)
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        store = d.client.documents.blobs
        stores.append(store)
        await until(lambda: len(store.addresses()) > 60, 60)
        await asyncio.to_thread(server.stop)  # the Wi-Fi goes, mid-download
        held_at_cut = len(store.addresses())
        await asyncio.to_thread(server.start, port)
        await until(lambda: d.client.docsync.progress.ready(done.document_id), 120)
        total = d.client.docsync.progress.documents[done.document_id].total
        await d.stop()
        return held_at_cut, total

    held_at_cut, total = asyncio.run(scenario())
    assert 60 < held_at_cut < total
    assert not [a for a, held in asked if held]  # nothing it held was asked for again
    addresses = [a for a, _ in asked]
    again = len(addresses) - len(set(addresses))  # asked twice: lost in flight at the cut
    assert len(set(addresses)) == total + 1  # every chunk and the manifest, all fetched
    assert again <= FETCH_BATCH


def test_a_bundle_imported_from_a_file_opens_with_only_keys_from_the_room(
    server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = server.room
    meeting = room.new_meeting()
    item = room.new_item(meeting)
    # what a scan for leaked plaintext looks for (the marker as the page writes it, pieces of
    # each file), each too varied to turn up by chance in 0.6 MB of ciphertext
    markers = ["VOLUME-ONE-0417", "VOLUME-TWO-0418"]
    pdfs = [make_pdf(n, marker=m, deflate=False) for n, m in zip((3, 2), markers, strict=True)]
    sought = [n for pdf, m in zip(pdfs, markers, strict=True) for n in needles(pdf, m)]
    assert len(sought) > 40 and all(any(n in pdf for pdf in pdfs) for n in sought)
    first = room.publish(pdfs[0], item_id=item)
    second = room.publish(pdfs[1], item_id=item)
    out = tmp_path / "meeting.hcb"
    assert server_cli(["doc", "bundle", str(server.datadir.root), str(meeting), str(out)]) == 0
    data = out.read_bytes()
    assert not [n for n in sought if n in data]

    async def enroll_then_import() -> None:
        await enrolled(server, tmp_path / "d1")

    asyncio.run(enroll_then_import())
    # imaging: no PIN, no network — the profile's identity and the bundle file only
    identity = Profile(tmp_path / "d1").identity
    assert identity is not None
    blobs = BlobStore(tmp_path / "d1")
    with out.open("rb") as f:
        header, added = bundle.import_into(f, identity.room_id, blobs.put, blobs.has)
    assert [d.id for d in header.documents] == [first.document_id, second.document_id]
    assert added == len(blobs.addresses()) > 2
    asked = count_fetches(monkeypatch)

    async def scenario() -> tuple[bytes, list[Any]]:
        unlocked = Profile(tmp_path / "d1").unlock(PIN)
        d = await Recorder(unlocked).start()
        await until(lambda: d.client.docsync.progress.ready(first.document_id), 20)
        await until(lambda: d.client.docsync.progress.ready(second.document_id), 20)
        doc = d.client.model.documents[second.document_id]
        opened = d.client.documents.open(
            doc, d.client.model.meetings[meeting], d.client.last_sync, time.time
        )
        await d.stop()
        return opened, list(asked)

    opened, fetched = asyncio.run(scenario())
    assert fetched == []  # nothing but the keys came over the air
    assert markers[1] in pymupdf.open(stream=opened, filetype="pdf")[0].get_text()


def test_a_bundle_of_another_room_or_damaged_is_refused(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    meeting = room.new_meeting()
    room.publish(make_pdf(2), item_id=room.new_item(meeting))
    out = tmp_path / "m.hcb"
    assert server_cli(["doc", "bundle", str(server.datadir.root), str(meeting), str(out)]) == 0
    blobs = BlobStore(tmp_path / "dev")
    with out.open("rb") as f, pytest.raises(bundle.BundleError, match="another room"):
        bundle.import_into(f, b"\0" * 32, blobs.put, blobs.has)
    data = bytearray(out.read_bytes())
    data[-10] ^= 0xFF  # one bit of the last blob
    damaged = tmp_path / "damaged.hcb"
    damaged.write_bytes(bytes(data))
    with damaged.open("rb") as f, pytest.raises(bundle.BundleError, match="damaged"):
        bundle.import_into(f, server.datadir.room_id(), blobs.put, blobs.has)
    truncated = tmp_path / "cut.hcb"
    truncated.write_bytes(bytes(data[: len(data) // 2]))
    with truncated.open("rb") as f, pytest.raises(bundle.BundleError, match="incomplete"):
        bundle.import_into(f, server.datadir.room_id(), lambda *_: None, lambda _a: False)
    with (tmp_path / "x").open("wb") as f:
        f.write(b"%PDF-1.7 not a bundle")
    with (tmp_path / "x").open("rb") as f, pytest.raises(bundle.BundleError, match="not a"):
        bundle.import_into(f, server.datadir.room_id(), blobs.put, blobs.has)


def test_past_the_offline_grace_period_documents_no_longer_open(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    meeting = room.new_meeting()
    done = room.publish(make_pdf(2), item_id=room.new_item(meeting))
    room.store.run(
        lambda w: meetings.update(
            w, p.MeetingUpdate(id=0, meeting_id=meeting, offline_grace_hours=2)
        ),
        CLI,
    )

    async def scenario() -> tuple[Any, Any, float]:
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        await until(lambda: d.client.docsync.progress.ready(done.document_id), 20)
        await until(lambda: d.client.model.meetings[meeting].offline_grace_hours == 2)
        await d.stop()
        return (
            d.client.model.documents[done.document_id],
            d.client.model.meetings[meeting],
            d.client.last_sync or 0.0,
        )

    doc, meeting_row, synced = asyncio.run(scenario())
    store = Profile(tmp_path / "d1").unlock(PIN).documents()
    assert store.open(doc, meeting_row, synced, lambda: synced + 3600)  # an hour away: fine
    with pytest.raises(CannotOpen) as err:
        store.open(doc, meeting_row, synced, lambda: synced + 3 * 3600)
    assert err.value.reason == "expired"


def test_the_device_keeps_no_plaintext(server: ServerThread, tmp_path: Path) -> None:
    """Every file of the device's profile is searched for the page text and for pieces of the
    PDF as the device opens it: only ciphertext (and sealed records) are there."""
    room = server.room
    meeting = room.new_meeting()
    marker = "DEVICE-SECRET-0815"
    done = room.publish(make_pdf(3, marker=marker, deflate=False), item_id=room.new_item(meeting))

    async def scenario() -> bytes:
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        await until(lambda: d.client.docsync.progress.ready(done.document_id), 20)
        doc = d.client.model.documents[done.document_id]
        data = d.client.documents.open(
            doc, d.client.model.meetings[meeting], d.client.last_sync, time.time
        )
        d.client.documents.set_reading(doc.id, doc.version, 2)
        await d.stop()
        return data

    plain = asyncio.run(scenario())
    sought = needles(plain, marker)
    assert len(sought) > 20 and all(n in plain for n in sought)  # the search can succeed
    for f in (tmp_path / "d1").rglob("*"):
        if f.is_file():
            content = f.read_bytes()
            assert not [n for n in sought if n in content], f


def test_the_document_keys_of_several_devices_are_their_own(
    server: ServerThread, tmp_path: Path
) -> None:
    """Each device's wrap opens with its own key only: one device's wrap is useless to another."""
    from app import docformat

    room = server.room
    done = room.publish(make_pdf(1), item_id=room.new_item(room.new_meeting()))

    async def scenario() -> list[tuple[Any, Any]]:
        out = []
        for n in ("0001", "0002", "0004"):
            u = await enrolled(server, tmp_path / n, number=n)
            d = await Recorder(u).start()
            reply = await d.client.request(p.DocumentKeys(id=0, document_ids=[done.document_id]))
            out.append((u, reply.keys[0]))
            await d.stop()
        return out

    got = asyncio.run(scenario())
    keys = set()
    for u, wrapped in got:
        key = docformat.unwrap_key(
            wrapped.wrapped, u.keys.kx, done.document_id, 1, u.identity.device_id
        )
        keys.add(key)
    assert len(keys) == 1  # the same document key, wrapped three times
    (u0, _w0), (_u1, w1) = got[0], got[1]
    with pytest.raises(docformat.DocumentError):
        docformat.unwrap_key(w1.wrapped, u0.keys.kx, done.document_id, 1, u0.identity.device_id)


def test_a_device_whose_catch_up_ends_before_the_log_does_is_current_and_fetches(
    server: ServerThread, tmp_path: Path
) -> None:
    """The last entries of the log are for staff only (the device's own enrollment, a code
    issued): the device is sent none of them, and must still know it is current — else it
    would wait for an event for itself before fetching anything."""
    room = server.room
    meeting = room.new_meeting()
    room.set_current(meeting, None)
    doc = room.publish(make_pdf(3), item_id=room.new_item(meeting))

    async def scenario() -> None:
        first = await Recorder(await enrolled(server, tmp_path / "first")).start()
        document = first.client.model.documents[doc.document_id]
        await until(lambda: first.client.documents.has_key(document))
        second = await Recorder(await enrolled(server, tmp_path / "second")).start()
        assert room.last_seq() > (second.client.seq or 0)  # entries it is never sent
        await until(lambda: second.client.documents.has_key(document))
        await until(lambda: not second.client.documents.missing(document))
        await first.stop()
        await second.stop()

    asyncio.run(scenario())
