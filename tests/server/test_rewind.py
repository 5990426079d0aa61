"""A log that goes back behind what devices hold — a failover to a standby that lacked the last
entries, a restored backup — never leaves a device on changes the room no longer has: a device
resumes from its last entry's seq *and* tag, and a server that sees its log rewritten resyncs
everyone."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import delete

from app import protocol as p
from server.cli import main as server_cli
from server.datadir import DataDir
from server.db import AgendaItemRow, EventRow
from tests.conftest import ServerThread
from tests.roomtool import RoomTool
from tests.server.test_server import Recorder, enrolled, until


def lose_the_last(room: RoomTool, entries: int, keep_items: set[int]) -> None:
    """What a failover to an asynchronous standby that lacked them leaves: the newest log
    entries and the rows they made, gone."""
    last = room.last_seq()
    with room.store.engine.begin() as conn:
        conn.execute(delete(EventRow).where(EventRow.seq > last - entries))
        conn.execute(delete(AgendaItemRow).where(AgendaItemRow.id.not_in(keep_items)))


def add(root: str, meeting: int, title: str) -> int:
    assert server_cli(["agenda", "add", root, str(meeting), "--title", title]) == 0
    return 0


def test_devices_never_stay_on_changes_the_room_lost(roster_room: DataDir, tmp_path: Path) -> None:
    st = ServerThread(roster_room)
    st.start()
    root = str(roster_room.root)
    try:
        room = st.room
        meeting = room.new_meeting()
        first = room.new_item(meeting, "Mục 1")

        async def scenario() -> None:
            live = await Recorder(await enrolled(st, tmp_path / "live")).start()
            away = await Recorder(await enrolled(st, tmp_path / "away", number="0002")).start()
            for title in ("Mục 2", "Mục 3"):
                add(root, meeting, title)
            await until(
                lambda: len(away.client.model.items) == 3 and len(live.client.model.items) == 3
            )
            await away.stop()  # offline, holding entries about to be lost
            lose_the_last(room, 2, {first})
            # new entries overtake what was sent: the same seqs, another chain
            for title in ("Sau sự cố 1", "Sau sự cố 2", "Sau sự cố 3"):
                add(root, meeting, title)
            expected = room.snapshot()[1]
            assert [i.title for i in expected.agenda] == [
                "Mục 1",
                "Sau sự cố 1",
                "Sau sự cố 2",
                "Sau sự cố 3",
            ]
            await until(lambda: live.client.model.to_state() == expected, timeout=10)
            back = await Recorder(away.client.unlocked).start()
            await until(lambda: back.client.model.to_state() == expected, timeout=10)
            for r in (live, back):
                await r.stop()

        asyncio.run(scenario())
    finally:
        st.close()


def test_a_restarted_server_does_not_replay_onto_another_chain(
    roster_room: DataDir, tmp_path: Path
) -> None:
    """The same after a restart: the replay buffer holds entries with the device's seq, but not
    its tag, so the device gets a snapshot."""
    st = ServerThread(roster_room)
    st.start()
    root = str(roster_room.root)
    try:
        room = st.room
        meeting = room.new_meeting()
        first = room.new_item(meeting, "Mục 1")

        async def before() -> Recorder:
            d = await Recorder(await enrolled(st, tmp_path / "d")).start()
            for title in ("Mục 2", "Mục 3"):
                add(root, meeting, title)
            await until(lambda: len(d.client.model.items) == 3)
            await d.stop()
            return d

        away = asyncio.run(before())
        held, port = away.client.seq, st.port
        st.stop()
        lose_the_last(room, 2, {first})
        for title in ("Sau sự cố 1", "Sau sự cố 2", "Sau sự cố 3"):
            add(root, meeting, title)
        assert room.last_seq() > held  # the device's seq exists again, on another chain
        st.start(port=port)

        async def after() -> None:
            back = await Recorder(away.client.unlocked).start()
            expected = room.snapshot()[1]
            await until(lambda: back.client.model.to_state() == expected, timeout=10)
            await back.stop()

        asyncio.run(after())
    finally:
        st.close()


def test_resuming_needs_the_tag_of_the_entry(server: ServerThread, tmp_path: Path) -> None:
    """A resume point names an entry by seq and tag: the right tag gets a replay, a wrong one
    (or none) a snapshot."""
    from app.connection import open_link
    from app.session import Loaded

    async def scenario() -> list[bool]:
        unlocked = await enrolled(server, tmp_path / "d")
        d = await Recorder(unlocked).start()
        await d.stop()
        seq, tag = d.client.seq, d.client.tag
        assert seq is not None and len(tag) == p.TAG_BYTES
        server.room.new_meeting()  # one more entry to replay
        got_snapshot = []
        for given in (tag, b"\x00" * p.TAG_BYTES, b""):
            link = await open_link(["127.0.0.1"], server.port, lambda r: True, since=seq, tag=given)
            ident = unlocked.identity
            await link.ws.send(
                link.session.auth(ident.device_id, unlocked.keys.sign.sign, ident.room_id),
                text=True,
            )
            snapshot = False
            while link.session.seq is None or link.session.seq < server.room.last_seq():
                for h in link.session.receive(await asyncio.wait_for(link.ws.recv(), 5)):
                    snapshot = snapshot or isinstance(h, Loaded)
            got_snapshot.append(snapshot)
            await link.ws.close()
        return got_snapshot

    assert asyncio.run(scenario()) == [False, True, True]
