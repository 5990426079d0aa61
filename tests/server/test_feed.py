"""The SQLite event feed: it wakes the server for another writer's commit, and stopping it can
never close its connection under a read still in flight (that crashed the process)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from server.feed import SqliteFeed
from tests.conftest import make_room
from tests.roomtool import RoomTool


def sqlite_room(tmp_path: Path) -> RoomTool:
    """The feed under test is SQLite's; PostgreSQL's is LISTEN (tests/server/test_pgnotify.py)."""
    return RoomTool.open(make_room(tmp_path / "room"))


def test_another_writers_commit_wakes_the_server(tmp_path: Path) -> None:
    room = sqlite_room(tmp_path)

    async def scenario() -> int:
        woken = asyncio.Event()
        count = 0

        def wake() -> None:
            nonlocal count
            count += 1
            woken.set()

        feed = SqliteFeed(str(room.store.engine.url.database))
        await feed.start(wake)
        await asyncio.sleep(0.3)
        assert count == 0  # nothing written: no wake-up
        room.new_meeting()
        await asyncio.wait_for(woken.wait(), 2)
        await feed.stop()
        return count

    assert asyncio.run(scenario()) >= 1


def test_stopping_never_races_a_read(tmp_path: Path) -> None:
    room = sqlite_room(tmp_path)
    path = str(room.store.engine.url.database)

    async def scenario() -> None:
        for n in range(150):
            feed = SqliteFeed(path)
            await feed.start(lambda: None)
            await asyncio.sleep((n % 5) * 0.025)  # stop at every point of the poll cycle
            await feed.stop()

    asyncio.run(scenario())
