"""Annotations through the protocol, against the real server: the first device of a delegate
makes the key, a second one is paired by a code typed between the two screens, records made on
one appear on the other, edits made offline on both merge, another delegate never receives
them, the room holds no annotation text anywhere (database, its files, its log), and a wipe
takes them or — where the meeting keeps notes — leaves them without the text they quote."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import select

from app import annotations as a
from app import protocol as p
from app.anchoring import Quote
from app.annotation_sync import AnnotationSync, KeyStatus
from app.codes import CodeError
from app.profile import Unlocked
from server.db import AnnotationRow
from tests.conftest import ServerThread
from tests.server.test_server import Recorder, enrolled, until
from tests.server.test_votes import ask, refused

SECRET_NOTE = "Ghi chú mật: phản đối khoản 4"
QUOTED = "điều khoản ngân sách bí mật"


def _note(meeting_id: int, text: str, page: int = 1, kind: a.Kind = "note") -> a.Annotation:
    return a.Annotation(
        id=a.new_id(),
        document_id=1,
        meeting_id=meeting_id,
        doc_version=1,
        kind=kind,
        page=page,
        rects=[a.Rect(1_000, 2_000, 3_000, 400)],
        quote=Quote(exact=QUOTED, prefix="trước ", suffix=" sau", page=page - 1),
        text=text,
    )


def _sync(recorder: Recorder) -> AnnotationSync:
    sync = recorder.client.annotations
    assert sync is not None
    return sync


def _texts(recorder: Recorder) -> set[str]:
    return {n.text for n in recorder.client.notebook.live()}


async def _paired(server: ServerThread, home: Path) -> tuple[Recorder, Recorder, Unlocked]:
    """Delegate 0001's two devices, the second paired from the first."""
    first = await Recorder(await enrolled(server, home / "tablet")).start()
    await until(lambda: _sync(first).status.key is KeyStatus.READY)
    second_profile = await enrolled(server, home / "laptop")
    second = await Recorder(second_profile).start()
    await until(lambda: _sync(second).status.key is KeyStatus.PAIRING)
    code = await _sync(first).give()
    await until(lambda: _sync(second).status.envelope)
    wrong = a.pairing_code(a.new_pairing_secret())
    _sync(second).enter_code(wrong)
    await until(lambda: _sync(second).status.wrong_code)
    assert _sync(second).status.key is KeyStatus.PAIRING
    with pytest.raises(CodeError):
        _sync(second).enter_code(code[:-1] + ("0" if code[-1] != "0" else "1"))
    _sync(second).enter_code(code)
    await until(lambda: _sync(second).status.key is KeyStatus.READY)
    assert second.client.notebook.key == first.client.notebook.key
    return first, second, second_profile


def test_two_devices_of_a_delegate_share_annotations_the_room_cannot_read(
    server: ServerThread, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    room = server.room
    meeting = room.new_meeting()

    async def scenario() -> None:
        first, second, _ = await _paired(server, tmp_path)
        other = await Recorder(await enrolled(server, tmp_path / "other", number="0002")).start()
        await until(lambda: _sync(other).status.key is KeyStatus.READY)
        # two keys: each delegate has their own
        assert other.client.notebook.key != first.client.notebook.key

        made = first.client.notebook.edit(_note(meeting, SECRET_NOTE))
        await until(lambda: SECRET_NOTE in _texts(second))
        assert second.client.notebook.get(made.id) == made
        # an edit on the second device comes back to the first
        second.client.notebook.edit(msgspec.structs.replace(made, text="sửa lại"))
        await until(lambda: _texts(first) == {"sửa lại"})
        # a deletion travels as a tombstone
        first.client.notebook.delete(made.id)
        await until(lambda: not second.client.notebook.live())
        again = first.client.notebook.edit(_note(meeting, SECRET_NOTE, page=2))
        await until(lambda: second.client.notebook.get(again.id) is not None)

        # the other delegate has nothing of it, and asking gives nothing either
        reply = await ask(other.client, p.AnnotationsSync(id=0, since=0))
        assert isinstance(reply, p.AnnotationsSynced) and reply.records == []
        assert other.client.notebook.live() == []
        # a device puts only its own edits; a key id that is not the delegate's is refused
        forged = a.seal(first.client.notebook.key or b"", 1, again)
        assert await refused(other.client, p.AnnotationsSync(id=0, put=[forged])) is (
            p.ErrorCode.INVALID_ARGUMENT
        )
        wrong_key = p.AnnotationKeyHeld(id=0, key_id=a.key_id(a.new_key()))
        assert await refused(first.client, wrong_key) is p.ErrorCode.CONFLICT
        # a key is given only to the delegate's own devices
        theirs = other.client.identity.device_id
        give = p.AnnotationKeyGive(
            id=0, envelopes=[p.KeyEnvelope(device_id=theirs, envelope=bytes(92))]
        )
        assert await refused(first.client, give) is p.ErrorCode.NOT_FOUND
        # the secretariat has no annotations to sync
        sec = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        assert sec.client.annotations is None
        assert await refused(sec.client, p.AnnotationsSync(id=0)) is p.ErrorCode.FORBIDDEN
        for r in (first, second, other, sec):
            await r.stop()

    asyncio.run(scenario())
    with room.store.read() as db:
        stored = list(db.scalars(select(AnnotationRow)))
    assert len(stored) == 2 and all(len(r.sealed) > 28 for r in stored)
    needles = [t.encode() for t in (SECRET_NOTE, "sửa lại", QUOTED, "phản đối")]
    server.stop()  # the database, its write-ahead log and the log files, as they are on disk
    files = [f.read_bytes() for f in server.datadir.root.rglob("*") if f.is_file()]
    assert files
    for blob in files:
        assert not [n for n in needles if n in blob]
    logged = caplog.text.encode()
    assert caplog.records  # the room's log and the devices' were captured
    assert not [n for n in needles if n in logged]


def test_edits_made_offline_on_two_devices_merge(server: ServerThread, tmp_path: Path) -> None:
    room = server.room
    meeting = room.new_meeting()

    async def scenario() -> None:
        first, second, second_profile = await _paired(server, tmp_path)
        shared = first.client.notebook.edit(_note(meeting, "chung"))
        doomed = first.client.notebook.edit(_note(meeting, "sẽ xoá"))
        await until(lambda: len(second.client.notebook.live()) == 2)
        await second.stop()
        # offline on the second device: a new note, an edit of the shared one, a deletion
        notebook = second_profile.notebook()
        notebook.edit(_note(meeting, "máy hai"))
        notebook.delete(doomed.id)
        # meanwhile on the first: its own new note, and a later edit of the shared one
        first.client.notebook.edit(_note(meeting, "máy một"))
        await asyncio.sleep(0.01)
        notebook.edit(msgspec.structs.replace(shared, text="sửa ở máy hai"))
        await asyncio.sleep(0.01)
        first.client.notebook.edit(msgspec.structs.replace(shared, text="sửa sau cùng"))
        back = await Recorder(second_profile).start()
        want = {"máy một", "máy hai", "sửa sau cùng"}
        await until(lambda: _texts(back) == want and _texts(first) == want)
        assert back.client.notebook.unsent == 0 and first.client.notebook.unsent == 0
        await first.stop()
        await back.stop()

    asyncio.run(scenario())


def test_a_wipe_takes_annotations_or_leaves_them_without_their_quotes(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    gone, kept = room.new_meeting(), room.new_meeting()

    async def scenario() -> None:
        first, second, _ = await _paired(server, tmp_path)
        sec = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        first.client.notebook.edit(_note(gone, "đi cùng cuộc họp"))
        first.client.notebook.edit(_note(kept, "được giữ lại"))
        await until(lambda: len(second.client.notebook.live()) == 2)
        await ask(sec.client, p.MeetingUpdate(id=0, meeting_id=kept, notes_kept=True))
        for meeting in (gone, kept):
            await ask(
                sec.client, p.MeetingUpdate(id=0, meeting_id=meeting, status="closed", wipe=True)
            )
        for device in (first, second):
            await until(lambda d=device: _texts(d) == {"được giữ lại"})  # type: ignore[misc]
            await until(lambda d=device: all(n.quote is None for n in d.client.notebook.live()))
        for r in (first, second, sec):
            await r.stop()

    asyncio.run(scenario())
    with room.store.read() as db:
        assert {r.meeting_id for r in db.scalars(select(AnnotationRow))} == {kept}
