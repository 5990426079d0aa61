"""Server-to-device sizes are bounded by design: a congress-sized state reaches every device in
frames it accepts, so no agenda, roster or old log entry can lock tablets out."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest
from sqlalchemy import insert

from app import protocol as p
from server import eventlog
from server.cli import main as server_cli
from server.db import EventRow
from server.errors import ServiceError
from server.store import CLI
from tests.conftest import ServerThread
from tests.roomtool import OPERATOR
from tests.server.test_server import Recorder, enrolled, until

SYLLABLES = [
    "Đại",
    "hội",
    "đại",
    "biểu",
    "toàn",
    "quốc",
    "lần",
    "thứ",
    "mười",
    "bốn",
    "của",
    "Đảng",
    "thảo",
    "luận",
    "báo",
    "cáo",
    "chính",
    "trị",
]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(SYLLABLES) for _ in range(n))


def congress_meeting(path: Path, items: int = 300, description_words: int = 1500) -> Path:
    """A meeting file as big as a congress day: hundreds of items with long descriptions."""
    rng = random.Random(14)
    plan = {
        "title": "Đại hội XIV — Ngày thứ hai",
        "items": [
            {
                "title": f"Tham luận số {n}: {words(rng, 12)}",
                "description": words(rng, description_words),
                "items": [{"title": f"Ý kiến {n}.{k}"} for k in range(2)],
            }
            for n in range(items // 3)
        ],
    }
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return path


def congress_roster(path: Path, delegates: int = 1600) -> Path:
    rng = random.Random(7)
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
    lines = ["number,full_name,delegation,groups,seat"]
    for n in range(1, delegates + 1):
        name = f"{rng.choice(families)} {rng.choice(['Văn', 'Thị', 'Quốc', 'Minh'])} {rng.choice(SYLLABLES).capitalize()}"
        groups = "ban-chap-hanh" if n % 10 == 0 else ""
        lines.append(f"{n:04d},{name},Đoàn số {n % 63 + 1},{groups},{chr(65 + n % 26)}-{n:04d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_congress_day_reaches_every_device_in_frames_it_accepts(
    server: ServerThread, tmp_path: Path
) -> None:
    root = str(server.datadir.root)

    async def scenario() -> None:
        live = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        console = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        before = server.room.last_seq()
        assert server_cli(["roster", "import", root, str(congress_roster(tmp_path / "r.csv"))]) == 0
        assert (
            server_cli(["meeting", "import", root, str(congress_meeting(tmp_path / "m.json"))]) == 0
        )
        rows = server.room.events_after(before, 10_000)
        frames = [
            p.encode(p.Event(seq=r.seq, at=r.at, tag=b"12345678", body=p.decode_event_body(r.body)))
            for r in rows
        ]
        assert sum(len(f) for f in frames) > 4 * p.MAX_SERVER_FRAME  # far more than one frame
        assert max(len(f) for f in frames) <= p.MAX_SERVER_FRAME
        assert [r.kind for r in rows].count("agenda.changed") > 1  # one commit, several events
        state, staff_state = server.room.snapshot()[1], server.room.snapshot(OPERATOR)[1]
        assert len(state.agenda) == 300 and len(staff_state.delegates) == 1600
        await until(lambda: live.client.model.to_state() == state, timeout=30)
        await until(lambda: console.client.model.to_state() == staff_state, timeout=30)
        # a device with nothing gets the same state as a snapshot in parts
        late = await Recorder(await enrolled(server, tmp_path / "d2", number="0002")).start()
        await until(lambda: late.client.model.to_state() == server.room.snapshot()[1], timeout=30)
        staff = await Recorder(await enrolled(server, tmp_path / "s2", "secretary")).start()
        await until(lambda: len(staff.client.model.delegates) == 1600, timeout=30)
        for r in (live, console, late, staff):
            await r.stop()

    asyncio.run(scenario())
    with server.room.store.read() as db:
        from server import snapshot

        seq, tag, state = snapshot.build(db, OPERATOR)
    parts = snapshot.frames(seq, tag, state)
    assert len(parts) > 2 and max(len(f) for f in parts) <= p.MAX_SERVER_FRAME


def test_the_longest_item_the_protocol_allows_fits_one_frame(server: ServerThread) -> None:
    meeting = server.room.new_meeting()
    worst = p.AgendaAdd(
        id=0,
        meeting_id=meeting,
        title="𝔄" * 500,  # four bytes a character
        description="𝔄" * 19_000 + '"\\' * 500,  # four-byte characters and escapes
        number="𝔄" * 32,
    )
    from server.domains import agenda

    outcome = server.room.store.run(lambda w: agenda.add(w, worst), CLI)
    (row,) = outcome.rows
    frame = p.encode(
        p.Event(seq=row.seq, at=row.at, tag=b"12345678", body=p.decode_event_body(row.body))
    )
    assert p.MAX_CLIENT_FRAME < len(frame) <= p.MAX_SERVER_FRAME


def test_an_event_too_large_to_send_is_refused_before_commit(server: ServerThread) -> None:
    room = server.room
    before = room.last_seq()
    huge = p.RosterChanged(delegates=1, groups=["x" * 64] * 200)  # fine
    too_big = p.AgendaChanged(meeting_id=1, removed=list(range(100_000, 160_000)))
    with pytest.raises(ServiceError) as err:
        room.store.run(lambda w: eventlog.append(w.db, too_big, OPERATOR_AUDIENCE, "cli", 1.0), CLI)
    assert err.value.code == p.ErrorCode.INVALID_ARGUMENT
    assert room.last_seq() == before
    room.store.run(lambda w: eventlog.append(w.db, huge, OPERATOR_AUDIENCE, "cli", 1.0), CLI)
    assert room.last_seq() == before + 1


def test_an_oversized_entry_left_by_an_older_version_does_not_lock_devices_out(
    roster_room: object, tmp_path: Path
) -> None:
    """Version 0.1 could log an event larger than devices accept. The server sends devices
    that need it a snapshot instead, before and after a restart."""
    from server.datadir import DataDir

    d = roster_room
    assert isinstance(d, DataDir)
    st = ServerThread(d)
    st.start()
    try:
        room = st.room
        meeting = room.new_meeting()
        # what 0.1 wrote: one agenda.changed with every item, beyond the frame limit
        items = [
            p.AgendaItem(
                id=10_000 + n, meeting_id=meeting, title=f"Mục {n}", description="ư" * 1000
            )
            for n in range(200)
        ]
        body = p.encode(p.AgendaChanged(meeting_id=meeting, items=items))
        assert len(body) > p.MAX_SERVER_FRAME

        def legacy(work: object) -> None:
            db = work.db  # type: ignore[attr-defined]
            last = db.execute(
                EventRow.__table__.select().order_by(EventRow.seq.desc()).limit(1)
            ).first()
            row = EventRow(
                seq=last.seq + 1,
                at=1.0,
                kind="agenda.changed",
                audience="all",
                actor="cli",
                body=body,
                hash=b"",
            )
            row.hash = eventlog.chain_hash(last.hash, row)
            db.execute(
                insert(EventRow).values(
                    seq=row.seq,
                    at=row.at,
                    kind=row.kind,
                    audience=row.audience,
                    actor=row.actor,
                    body=row.body,
                    hash=row.hash,
                )
            )

        async def scenario() -> None:
            away = await Recorder(await enrolled(st, tmp_path / "away")).start()
            await away.stop()  # will resume from before the oversized entry
            live = await Recorder(await enrolled(st, tmp_path / "live", number="0002")).start()
            room.store.run(legacy, CLI)  # type: ignore[arg-type]  # another process writes it
            second = room.new_meeting("Phiên sau")
            await until(lambda: second in live.client.model.meetings)  # still connected, in step
            back = await Recorder(away.client.unlocked).start()
            await until(lambda: second in back.client.model.meetings)
            assert back.client.model.to_state() == room.snapshot()[1]
            for r in (live, back):
                await r.stop()

        asyncio.run(scenario())
        st.stop()
        st.start()  # the replay buffer is refilled from the log, oversized entry included

        async def after_restart() -> None:
            d = await Recorder(await enrolled(st, tmp_path / "later", number="0003")).start()
            await until(lambda: d.client.model.to_state() == room.snapshot()[1])
            await d.stop()

        asyncio.run(after_restart())
        assert room.verify_log()[1] is None
    finally:
        st.close()


from server.audience import STAFF as OPERATOR_AUDIENCE  # noqa: E402
