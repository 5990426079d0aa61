"""Group commit: requests of one kind that a hall sends at once — ballots, check-ins — are
committed together, each answered only once its batch is committed.

Committed one by one, 2,000 requests arriving in a second each wait for their own durable
commit behind all the others, and each sends its own event to the whole hall; committed
together, a batch costs about one commit and one event. While a batch commits, the requests
that arrive queue for the next. A batch's unit of work (given by the capability: server/
ballots.py, server/domains/attendance.py) checks each request and returns its refusal or
``None``: a refused request takes nothing, the others commit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import IntegrityError

from app import protocol as p
from server.errors import ServiceError
from server.store import Caller, Outcome, Work

#: Runs a unit of work for a caller and sends the log entries it appended (the server's).
Commit = Callable[[Callable[[Work], Any], Caller], Awaitable[Outcome[Any]]]

R = TypeVar("R", bound=p.ClientRequest)
#: A batch's unit of work: each request's refusal, or ``None``, in order.
Unit = Callable[[Work, Sequence[tuple[Caller, R]]], list[ServiceError | None]]

log = logging.getLogger(__name__)


@dataclass
class _Pending(Generic[R]):
    caller: Caller
    request: R
    answer: asyncio.Future[p.Ok]


class GroupCommit(Generic[R]):
    """Queues requests and commits them in batches of at most ``max_batch``, one batch at a
    time, through ``commit`` (the server's: a unit of work on its database thread, then its log
    entries sent), as ``author``."""

    def __init__(self, commit: Commit, unit: Unit[R], author: Caller, max_batch: int) -> None:
        self._commit = commit
        self._unit = unit
        self._author = author
        self._max = max_batch
        self._queue: list[_Pending[R]] = []
        self._running: asyncio.Task[None] | None = None

    async def submit(self, caller: Caller, request: R) -> p.Ok:
        """The answer once the request is committed (raises its refusal as ServiceError)."""
        answer: asyncio.Future[p.Ok] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(caller, request, answer))
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(self._drain())
        return await answer

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self._max], self._queue[self._max :]
            await self._commit_batch(batch)

    async def _commit_batch(self, batch: list[_Pending[R]]) -> None:
        items = [(pending.caller, pending.request) for pending in batch]

        def unit(work: Work) -> list[ServiceError | None]:
            return self._unit(work, items)

        try:
            outcome = await self._commit(unit, self._author)
        except IntegrityError:
            # The database refused what the checks let through (its keys hold): nothing of
            # the batch holds. Each request is tried alone, so only the one at fault fails.
            if len(batch) == 1:
                refused = ServiceError(p.ErrorCode.CONFLICT, "this conflicts with what is stored")
                self._answer(batch, [refused], None)
                return
            for pending in batch:
                await self._commit_batch([pending])
            return
        except Exception:  # the commit itself failed: nothing of the batch holds
            log.exception("a batch of %d requests could not be committed", len(batch))
            failed = ServiceError(p.ErrorCode.INTERNAL, "not recorded: try again")
            self._answer(batch, [failed] * len(batch), None)
            return
        self._answer(batch, outcome.result, outcome.seq)

    @staticmethod
    def _answer(
        batch: list[_Pending[R]], refusals: list[ServiceError | None], seq: int | None
    ) -> None:
        for pending, refusal in zip(batch, refusals, strict=True):
            if pending.answer.done():
                continue
            if refusal is None:
                pending.answer.set_result(p.Ok(id=pending.request.id, seq=seq))
            else:
                pending.answer.set_exception(refusal)
