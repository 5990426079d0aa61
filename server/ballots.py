"""Ballots in batches: each ``ballot.cast`` is acknowledged only once it is committed, and the
casts that arrive while one batch commits go together in the next (group commit).

A hall votes at once: 2,000 ballots in a second or two. Committed one by one, each waits for its
own durable commit behind all the others (SQLite: a few thousand a second at best); committed
together, a batch costs about one. Each cast runs in a savepoint of its own within the batch, so a
refused one (not eligible, already voted, a poll that closed) is answered with its error and the
others commit. The batch writes its secret ballots last, in a shuffled order, so neither the
order of rows nor their place in the batch tells whose they are (server/domains/polls.py). One
``turnout.changed`` per poll per batch goes to staff.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from app import protocol as p
from server.domains import polls
from server.errors import ServiceError
from server.store import Caller, Outcome, Work

#: Runs a unit of work for a caller and sends the log entries it appended (the server's).
Commit = Callable[[Callable[[Work], Any], Caller], Awaitable[Outcome[Any]]]

log = logging.getLogger(__name__)

#: Casts committed together at most (a 2,000-ballot burst is a handful of batches).
MAX_BATCH = 500
#: Who the batch's own log entries are for: nobody (they are recorded without an author).
BATCH = Caller("ballots")


@dataclass
class _Pending:
    caller: Caller
    request: p.BallotCast
    answer: asyncio.Future[p.Ok]


class BallotBox:
    """Queues casts and commits them in batches, one batch at a time, through ``commit`` (the
    server's: a unit of work on its database thread, then its log entries sent)."""

    def __init__(self, commit: Commit) -> None:
        self._commit = commit
        self._queue: list[_Pending] = []
        self._running: asyncio.Task[None] | None = None

    async def cast(self, caller: Caller, request: p.BallotCast) -> p.Ok:
        """The answer once the cast is committed (raises its refusal as ServiceError)."""
        answer: asyncio.Future[p.Ok] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(caller, request, answer))
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(self._drain())
        return await answer

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                outcome = await self._commit(_unit(batch), BATCH)
            except Exception:  # the commit itself failed: nothing of the batch holds
                log.exception("a batch of %d ballots could not be committed", len(batch))
                for pending in batch:
                    if not pending.answer.done():
                        pending.answer.set_exception(
                            ServiceError(p.ErrorCode.INTERNAL, "the vote was not recorded")
                        )
                continue
            seq = outcome.seq
            for pending, refusal in zip(batch, outcome.result, strict=True):
                if pending.answer.done():
                    continue
                if refusal is None:
                    pending.answer.set_result(p.Ok(id=pending.request.id, seq=seq))
                else:
                    pending.answer.set_exception(refusal)


def _unit(batch: list[_Pending]) -> Callable[[Work], list[ServiceError | None]]:
    """The unit of work of one batch: each cast in its savepoint, then the secret ballots
    shuffled, then the turnout. Returns each cast's refusal, or ``None``."""

    def run(work: Work) -> list[ServiceError | None]:
        written = polls.Batch()
        refusals: list[ServiceError | None] = []
        for pending in batch:
            refusals.append(_one(work, pending, written))
        random.SystemRandom().shuffle(written.secret)
        work.db.add_all(written.secret)
        work.db.flush()
        if written.polls:
            polls.announce_turnout(work, written.polls)
        return refusals

    return run


def _one(work: Work, pending: _Pending, written: polls.Batch) -> ServiceError | None:
    secret_before = len(written.secret)
    receipts_before = dict(written.receipts)
    polls_before = set(written.polls)
    savepoint = work.db.begin_nested()
    try:
        work.caller = pending.caller
        device = pending.caller.device_id
        if device not in written.active:  # a revocation cannot commit during the batch
            work.require_active_device()
            if device is not None:
                written.active.add(device)
        polls.cast(work, pending.caller, pending.request, written)
    except (ServiceError, IntegrityError) as exc:
        savepoint.rollback()
        del written.secret[secret_before:]
        written.receipts = receipts_before
        written.polls = polls_before
        if isinstance(exc, IntegrityError):  # a race the checks did not see: the key held
            return ServiceError(p.ErrorCode.CONFLICT, "this delegate has already voted")
        return exc
    finally:
        work.caller = BATCH
    savepoint.commit()
    return None
