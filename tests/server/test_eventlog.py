"""The hash-chained log: entries that record no author and no time (what a secret ballot's
turnout needs) chain and verify like the others, and cannot be passed off as recorded ones."""

from __future__ import annotations

from sqlalchemy import update

from app import protocol as p
from server import eventlog
from server.audience import ALL
from server.datadir import DataDir
from server.db import EventRow
from server.store import CLI, Work
from tests.roomtool import RoomTool


def test_anonymous_entries_record_neither_author_nor_time(room_dir: DataDir) -> None:
    room = RoomTool.open(room_dir)

    def turnout(work: Work) -> None:
        work.emit(p.RoomChanged(room=p.RoomInfo(name="R")), ALL, anonymous=True)

    row = room.store.run(turnout, CLI).rows[0]
    stored = room.events_after(row.seq - 1, 1)[0]
    assert stored.actor is None and stored.at is None
    assert room.verify_log()[1] is None
    event = p.decode_server(
        p.encode(
            p.Event(seq=row.seq, at=None, tag=b"12345678", body=p.decode_event_body(stored.body))
        )
    )
    assert isinstance(event, p.Event) and event.at is None


def test_filling_in_an_author_or_a_time_breaks_the_chain(room_dir: DataDir) -> None:
    room = RoomTool.open(room_dir)
    row = room.store.run(
        lambda w: w.emit(p.RoomChanged(room=p.RoomInfo(name="R")), ALL, anonymous=True), CLI
    ).rows[0]
    for values in ({"actor": "device:7"}, {"at": 1763712000.0}, {"actor": ""}):
        with room.store.engine.begin() as conn:
            conn.execute(update(EventRow).where(EventRow.seq == row.seq).values(**values))
        assert room.verify_log()[1] == row.seq, values
        with room.store.engine.begin() as conn:
            conn.execute(
                update(EventRow).where(EventRow.seq == row.seq).values(actor=None, at=None)
            )
        assert room.verify_log()[1] is None


def test_recorded_and_unrecorded_fields_hash_differently() -> None:
    base = EventRow(seq=1, at=None, kind="k", audience="all", actor=None, body=b"{}", hash=b"")
    variants = [
        EventRow(seq=1, at=None, kind="k", audience="all", actor=None, body=b"{}", hash=b""),
        EventRow(seq=1, at=0.0, kind="k", audience="all", actor=None, body=b"{}", hash=b""),
        EventRow(seq=1, at=None, kind="k", audience="all", actor="", body=b"{}", hash=b""),
    ]
    digests = [eventlog.chain_hash(eventlog.GENESIS, r) for r in variants]
    assert digests[0] == eventlog.chain_hash(eventlog.GENESIS, base)
    assert len(set(digests)) == 3
