"""Documents on the real server: publishing, who gets keys and blobs, revisions, withdrawal,
wipe — asserted on the server's own records and on what crosses the wire."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from sqlalchemy import select

from app import docformat
from app import protocol as p
from app.bulklink import BulkLink
from app.client import RequestError
from app.connection import open_link
from app.docformat import DocumentError
from app.profile import Unlocked
from server.cli import main as server_cli
from server.db import BlobRow, DocumentVersionRow, DocumentWrapRow
from server.domains import agenda, documents, meetings
from server.errors import ServiceError
from server.store import CLI
from tests.conftest import ServerThread
from tests.pdfs import make_pdf, needles
from tests.server.test_server import Recorder, enrolled, until

GROUP = "uy-ban-kiem-tra"  # a group of the sample roster


def _member_and_outsider(server: ServerThread) -> tuple[str, str]:
    dlgs = server.room.delegates()
    inside = next(d.number for d in dlgs if GROUP in d.groups)
    outside = next(d.number for d in dlgs if GROUP not in d.groups)
    return inside, outside


async def bulk(server: ServerThread, unlocked: Unlocked) -> BulkLink:
    ident = unlocked.identity
    return await BulkLink.open(
        ["127.0.0.1"], server.port, ident.room_id, ident.device_id, unlocked.keys.sign.sign
    )


def test_published_document_reaches_a_device_complete_and_opens(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    meeting = room.new_meeting()
    item = room.new_item(meeting)
    pdf = make_pdf(5, marker="Bản gốc")
    done = room.publish(pdf, item_id=item)
    assert done.pages == 5 and done.version == 1

    async def scenario() -> bytes:
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        docs = d.client.documents
        await until(lambda: d.client.docsync.progress.ready(done.document_id), 20)
        doc = d.client.model.documents[done.document_id]
        meeting_row = d.client.model.meetings[meeting]
        data = docs.open(doc, meeting_row, d.client.last_sync, lambda: d.client.last_sync or 0)
        await d.stop()
        return data

    data = asyncio.run(scenario())
    opened = pymupdf.open(stream=data, filetype="pdf")
    assert opened.page_count == 5
    assert "Bản gốc" in opened[4].get_text()
    # the device told the room what it holds: the readiness board says ready
    staff = room.store.run(
        lambda w: documents.readiness(w, p.ReadinessGet(id=0, meeting_id=meeting)), CLI
    ).result
    delegate_rows = [r for r in staff.devices if r.role == "delegate"]
    assert delegate_rows and all(r.held == r.total > 0 for r in delegate_rows)


def test_a_group_document_never_reaches_a_device_outside_the_group(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    inside, outside = _member_and_outsider(server)
    meeting = room.new_meeting()
    item = room.new_item(meeting)
    public = room.publish(make_pdf(2, marker="công khai"), item_id=item)
    secret = room.publish(make_pdf(2, marker="mật"), item_id=item, groups=(GROUP,))
    with room.store.read() as db:
        secret_manifest = db.scalar(
            select(DocumentVersionRow.manifest).where(
                DocumentVersionRow.document_id == secret.document_id
            )
        )
    assert secret_manifest is not None

    async def scenario() -> dict[str, Any]:
        member_u = await enrolled(server, tmp_path / "in", number=inside)
        outsider_u = await enrolled(server, tmp_path / "out", number=outside)
        member = await Recorder(member_u).start()
        outsider = await Recorder(outsider_u).start()
        await until(lambda: member.client.docsync.progress.ready(secret.document_id), 20)
        await until(lambda: outsider.client.docsync.progress.ready(public.document_id), 20)
        # the outsider's own state never lists it
        seen = dict(outsider.client.model.documents)
        # asking for its key gets nothing; asking for its blobs is refused
        keys = await outsider.client.request(
            p.DocumentKeys(id=0, document_ids=[secret.document_id, public.document_id])
        )
        link = await bulk(server, outsider_u)
        try:
            await link.fetch(secret.document_id, [secret_manifest], _ignore)
            refused = None
        except RequestError as exc:
            refused = exc.code
        # nor may it fetch the secret manifest through the public document it may read
        try:
            await link.fetch(public.document_id, [secret_manifest], _ignore)
            through_public = None
        except RequestError as exc:
            through_public = exc.code
        await link.close()
        # on the wire: everything the outsider's control connection receives from scratch
        wire = await _raw_catch_up(server, outsider_u)
        await member.stop()
        await outsider.stop()
        return {
            "seen": seen,
            "keys": keys,
            "refused": refused,
            "through_public": through_public,
            "wire": wire,
            "blobs": outsider.client.documents.blobs.addresses(),
        }

    got = asyncio.run(scenario())
    assert secret.document_id not in got["seen"] and public.document_id in got["seen"]
    assert [k.document_id for k in got["keys"].keys] == [public.document_id]
    assert got["refused"] == p.ErrorCode.FORBIDDEN
    assert got["through_public"] == p.ErrorCode.FORBIDDEN
    assert secret_manifest not in got["blobs"]
    frames = got["wire"]
    b64 = base64.b64encode(secret_manifest).decode()
    assert not any(b64 in f for f in frames)
    assert not any(f'"id":{secret.document_id},"meeting_id"' in f for f in frames)
    assert any(f'"id":{public.document_id},"meeting_id"' in f for f in frames)
    # and on the server: no wrap of the secret document for any device outside the group
    with room.store.read() as db:
        holders = set(
            db.scalars(
                select(DocumentWrapRow.device_id).where(
                    DocumentWrapRow.document_id == secret.document_id
                )
            )
        )
    members = {d[0].id for d in room.devices() if d[1] == inside}
    assert holders and holders <= members


async def _ignore(_address: bytes, _data: memoryview) -> None:
    return None


async def _raw_catch_up(server: ServerThread, unlocked: Unlocked) -> list[str]:
    """Every frame a control connection of this device receives from a snapshot on."""
    room_id = server.datadir.room_id()
    link = await open_link(["127.0.0.1"], server.port, lambda rid: rid == room_id)
    ident = unlocked.identity
    await link.ws.send(
        link.session.auth(ident.device_id, unlocked.keys.sign.sign, room_id), text=True
    )
    frames: list[str] = []
    while True:
        frame = await asyncio.wait_for(link.ws.recv(), 10)
        assert isinstance(frame, str)
        frames.append(frame)
        if '"type":"snapshot"' in frame and '"last":true' in frame:
            break
    await link.ws.close()
    return frames


def test_a_revision_sends_only_the_chunks_that_changed(
    server: ServerThread, tmp_path: Path
) -> None:
    """A real edit — one page of the 930-page notation manual changed, the file saved by the
    editor — and the device fetches only the chunks the new version does not share."""
    from tests.realdocs import real_pdf

    original = real_pdf("notation.pdf").read_bytes()
    doc = pymupdf.open(stream=original, filetype="pdf")
    doc[99].insert_text((72, 72), "Sửa đổi: trang này đã thay đổi.", fontsize=11)
    revised = doc.tobytes(incremental=False, garbage=0)
    room = server.room
    meeting = room.new_meeting()
    item = room.new_item(meeting)
    first = room.publish(original, item_id=item, name="notation.pdf")
    fetched: list[int] = []

    async def scenario() -> tuple[int, int]:
        d = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        await until(lambda: d.client.docsync.progress.ready(first.document_id), 120)
        total_first = d.client.docsync.progress.documents[first.document_id].total
        real_fetch = BulkLink.fetch

        async def counting(self: BulkLink, document_id: int, addresses: Any, on_blob: Any) -> Any:
            fetched.extend([1] * len(addresses))
            return await real_fetch(self, document_id, addresses, on_blob)

        BulkLink.fetch = counting  # type: ignore[method-assign]
        try:
            second = await asyncio.to_thread(
                room.publish, revised, document_id=first.document_id, name="notation.pdf"
            )

            def revised_here() -> bool:
                doc = d.client.model.documents[first.document_id]
                return doc.version == 2 and d.client.docsync.progress.opens(doc)

            await until(revised_here, 120)
        finally:
            BulkLink.fetch = real_fetch  # type: ignore[method-assign]
        assert 100 in second.changed_pages
        total = d.client.docsync.progress.documents[first.document_id].total
        await d.stop()
        return total_first, total

    total_first, total_second = asyncio.run(scenario())
    sent = len(fetched) - 1  # the new manifest
    assert total_first > 400 and total_second > 400
    assert 0 < sent < total_second * 0.25, (sent, total_second)


def test_withdrawn_documents_are_deleted_and_no_longer_served(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    meeting = room.new_meeting()
    item = room.new_item(meeting)
    done = room.publish(make_pdf(2), item_id=item)

    async def scenario() -> tuple[int, Any]:
        u = await enrolled(server, tmp_path / "d1")
        d = await Recorder(u).start()
        await until(lambda: d.client.docsync.progress.ready(done.document_id), 20)
        held = len(d.client.documents.blobs.addresses())
        room.store.run(
            lambda w: documents.withdraw(w, p.DocumentWithdraw(id=0, document_id=done.document_id)),
            CLI,
        )
        await until(lambda: not d.client.documents.blobs.addresses(), 20)
        doc = d.client.model.documents[done.document_id]
        link = await bulk(server, u)
        try:
            await link.fetch(done.document_id, [doc.manifest], _ignore)
            code = None
        except RequestError as exc:
            code = exc.code
        await link.close()
        await d.stop()
        return held, code

    held, code = asyncio.run(scenario())
    assert held >= 2  # a manifest and at least one chunk were there before
    assert code == p.ErrorCode.FORBIDDEN


def test_an_item_with_documents_is_removed_once_they_are_moved(
    server: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    room = server.room
    meeting = room.new_meeting()
    item, other = room.new_item(meeting), room.new_item(meeting, "Mục khác")
    done = room.publish(make_pdf(1), item_id=item, title="Báo cáo")
    with pytest.raises(ServiceError) as err:
        room.store.run(lambda w: agenda.remove(w, p.AgendaRemove(id=0, item_id=item)), CLI)
    assert err.value.code is p.ErrorCode.CONFLICT and "Báo cáo" in err.value.message
    assert "doc move" in err.value.message
    root = str(server.datadir.root)
    elsewhere = room.new_item(room.new_meeting())
    move = ["doc", "move", root, str(done.document_id), "--item"]
    assert server_cli([*move, str(elsewhere)]) == 2  # only within its meeting
    assert "only within its meeting" in capsys.readouterr().err
    assert server_cli([*move, str(other)]) == 0
    assert server_cli(["agenda", "remove", root, str(item)]) == 0
    assert server_cli(["doc", "list", root, "--meeting", str(meeting)]) == 0
    assert "Báo cáo" in capsys.readouterr().out
    assert server_cli(["doc", "list", root, "--meeting", "99"]) == 2
    assert "99" in capsys.readouterr().err


def test_nothing_readable_of_a_document_is_in_the_data_directory(roster_room: Any) -> None:
    """Every file of the room's data directory, and every blob and summary in its database, is
    searched for the page text and for pieces of the stored PDF itself: only ciphertext is
    there. The same search finds them in the plaintext, so it can fail."""
    server = ServerThread(roster_room)
    server.start()
    try:
        room = server.room
        item = room.new_item(room.new_meeting())
        marker = b"SECRET-MINUTES-4711"
        pdf = make_pdf(3, marker=marker.decode(), deflate=False)
        done = room.publish(pdf, item_id=item)
        with room.store.read() as db:
            records = list(db.scalars(select(BlobRow.data))) + list(
                db.scalars(select(DocumentVersionRow.summary))
            )
            keys = room.store.keys
            assert keys is not None
            version = db.get(DocumentVersionRow, (done.document_id, 1))
            assert version is not None
            stored = _plaintext(db, version.manifest, done.document_id, keys)
    finally:
        server.close()
    sought = needles(stored, marker.decode())
    assert len(sought) > 20 and all(n in stored for n in sought)  # the search can succeed
    files = [f.read_bytes() for f in roster_room.root.rglob("*") if f.is_file()]
    for blob in [*records, *files]:
        assert not [n for n in sought if n in blob]


def _plaintext(db: Any, manifest_address: bytes, document_id: int, keys: Any) -> bytes:
    from server.db import DocumentRow

    signed = documents.read_blobs(db, [manifest_address])[manifest_address]
    manifest = docformat.open_manifest(signed, keys.public)
    doc = db.get(DocumentRow, document_id)
    key = keys.storage.open(doc.sealed_key, "key", document_id, doc.key_epoch)
    chunks = documents.read_blobs(db, [c.address for c in manifest.chunks])
    return docformat.assemble(manifest, chunks.__getitem__, key)


def test_a_wiped_meeting_is_served_to_no_one(server: ServerThread, tmp_path: Path) -> None:
    room = server.room
    meeting = room.new_meeting()
    done = room.publish(make_pdf(2), item_id=room.new_item(meeting))

    async def scenario() -> tuple[int, list[Any], bool]:
        u = await enrolled(server, tmp_path / "d1")
        d = await Recorder(u).start()
        await until(lambda: d.client.docsync.progress.ready(done.document_id), 20)
        room.store.run(
            lambda w: meetings.update(
                w, p.MeetingUpdate(id=0, meeting_id=meeting, status="closed", wipe=True)
            ),
            CLI,
        )
        await until(lambda: not d.client.documents.blobs.addresses(), 20)
        keys = await d.client.request(p.DocumentKeys(id=0, document_ids=[done.document_id]))
        reopen_refused = False
        try:
            room.store.run(
                lambda w: meetings.update(
                    w, p.MeetingUpdate(id=0, meeting_id=meeting, status="open")
                ),
                CLI,
            )
        except ServiceError:
            reopen_refused = True
        gone = done.document_id not in d.client.model.documents
        await d.stop()
        return int(gone), list(keys.keys), reopen_refused

    gone, keys, reopen_refused = asyncio.run(scenario())
    assert gone and keys == [] and reopen_refused


def test_the_manifest_the_room_serves_is_signed_and_bound_to_its_document(
    server: ServerThread,
) -> None:
    room = server.room
    done = room.publish(make_pdf(2), item_id=room.new_item(room.new_meeting()))
    with room.store.read() as db:
        version = db.scalar(
            select(DocumentVersionRow).where(DocumentVersionRow.document_id == done.document_id)
        )
        assert version is not None
        signed = db.get(BlobRow, version.manifest)
    assert signed is not None and docformat.address(signed.data) == version.manifest
    keys = room.store.keys
    assert keys is not None
    manifest = docformat.open_manifest(signed.data, keys.public)
    assert (manifest.document_id, manifest.version) == (done.document_id, 1)
    assert json.loads(version.changed_pages) == []
    with pytest.raises(DocumentError):  # any other key fails the signature
        docformat.open_manifest(signed.data, b"\x01" * 32)


def test_a_group_no_delegate_is_in_is_refused_before_the_upload_is_checked(
    server: ServerThread,
) -> None:
    room = server.room
    item = room.new_item(room.new_meeting())
    with pytest.raises(ServiceError) as err:
        room.publish(make_pdf(1), item_id=item, groups=("uy-ban-kiem-traa",))
    assert "no delegate of the roster is in the group 'uy-ban-kiem-traa'" in err.value.message
    done = room.publish(make_pdf(1), item_id=item, groups=(GROUP,))
    narrow = p.DocumentUpdate(id=0, document_id=done.document_id, groups=["khong-co"])
    with pytest.raises(ServiceError):
        room.store.run(lambda w: documents.update(w, narrow), CLI)
