"""Ballots in batches: each ``ballot.cast`` is acknowledged only once it is committed, and the
casts that arrive while one batch commits go together in the next (server/groupcommit.py).

A hall votes at once: 2,000 ballots in a second or two. Committed one by one, each waits for its
own durable commit behind all the others (SQLite: a few thousand a second at best); committed
together, a batch costs about one. And a batch does the work of one: what its checks need is read
in a few queries, each cast is checked in memory (a refused one — not eligible, already voted, a
poll that closed — is answered with its error and takes nothing), and what passed is written in a
few statements: the voters in key order, the secret ballots last in a shuffled order, so neither
the order of rows nor their place in the batch tells whose they are (server/domains/polls.py).
One ``turnout.changed`` per poll per batch goes to staff.
"""

from __future__ import annotations

from collections.abc import Sequence

from app import protocol as p
from server.domains import polls
from server.errors import ServiceError
from server.groupcommit import Commit, GroupCommit
from server.store import Caller, Work

#: Casts committed together at most (a 2,000-ballot burst is a handful of batches).
MAX_BATCH = 500
#: Who the batch's own log entries are for: nobody (they are recorded without an author).
BATCH = Caller("ballots")


def ballot_box(commit: Commit) -> GroupCommit[p.BallotCast]:
    """The server's ballot box: casts committed in batches through ``commit``."""
    return GroupCommit(commit, _unit, BATCH, MAX_BATCH)


def _unit(work: Work, casts: Sequence[tuple[Caller, p.BallotCast]]) -> list[ServiceError | None]:
    """One batch: what its checks need read at once, each cast checked in memory, what passed
    written in a few statements, then the turnout."""
    db = work.db
    written = polls.read_batch(db, list(casts))
    refusals: list[ServiceError | None] = []
    for caller, request in casts:
        try:
            polls.cast(written, caller, request)
        except ServiceError as exc:
            refusals.append(exc)
        else:
            refusals.append(None)
    polls.write_batch(db, written)
    if written.touched:
        polls.announce_turnout(work, written)
    return refusals
