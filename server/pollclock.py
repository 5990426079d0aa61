"""Closing polls when their time is up: the room's clock, not a secretary's click.

Every poll opened with a time limit is watched from its ``poll.changed`` (and, after a restart,
from the database), and closed through the same path as ``poll.close`` when its time comes. With
several server processes on one database each watches; the first to close it wins and the
others find it closed.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import select

from app import protocol as p
from server.db import PollRow
from server.domains import polls
from server.groupcommit import Commit
from server.store import Caller, Store, Work

log = logging.getLogger(__name__)

TIMER = Caller("timer")


class PollClock:
    def __init__(self, store: Store, commit: Commit) -> None:
        self._store = store
        self._commit = commit
        self._timers: dict[int, asyncio.TimerHandle] = {}

    async def start(self) -> None:
        """Watch the polls open now (a restart finds those it was watching)."""
        for poll_id, closes_at in await asyncio.to_thread(self._open_polls):
            self._watch(poll_id, closes_at)

    def stop(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    def _open_polls(self) -> list[tuple[int, float]]:
        with self._store.read() as db:
            query = select(PollRow.id, PollRow.closes_at).where(
                PollRow.status == "open", PollRow.closes_at.is_not(None)
            )
            return [(i, c) for i, c in db.execute(query) if c is not None]

    def saw(self, poll: p.Poll) -> None:
        """A poll changed: watch it if it is open with a time limit, or stop watching."""
        if poll.status == "open" and poll.closes_at is not None:
            self._watch(poll.id, poll.closes_at)
        elif (timer := self._timers.pop(poll.id, None)) is not None:
            timer.cancel()

    def _watch(self, poll_id: int, closes_at: float) -> None:
        if poll_id in self._timers:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, closes_at - time.time())
        self._timers[poll_id] = loop.call_later(
            delay, lambda: asyncio.ensure_future(self._close(poll_id))
        )

    async def _close(self, poll_id: int) -> None:
        self._timers.pop(poll_id, None)

        def unit(work: Work) -> None:
            poll = work.db.get(PollRow, poll_id)
            if poll is not None and poll.status == "open":
                polls.close(work, poll)

        try:
            await self._commit(unit, TIMER)
        except Exception:
            log.exception("closing poll %d at its time failed", poll_id)
