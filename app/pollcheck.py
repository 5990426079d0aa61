"""A closed poll's published list, fetched and checked on the device: is it the list the room
signed, and is each of my votes in it as I cast it?

The list travels in pages (``poll.ballots`` from ``start``, answered with ``next``): a poll of
2,000 voters answering on 20 candidates is larger than a frame. The device rebuilds the whole
list, hashes it as app/pollrecord.py does and compares with the poll's signed ``ballots_hash``;
only then does it look for its own votes — by receipt in a secret poll, by delegate in a named one.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from app import pollrecord
from app import protocol as p

Request = Callable[[p.ClientRequest], Awaitable[p.ServerMessage]]

#: Pages a list may take at most: a room that keeps sending pages is answered with an error,
#: not followed for ever.
MAX_PAGES = 10_000


class ListError(Exception):
    """The room's answer is not a list this device can trust (said in plain words)."""


@dataclass(frozen=True)
class Published:
    """A closed poll's whole list, as the room published it."""

    poll_id: int
    ballots: list[p.SecretBallot]
    named: list[p.NamedVote]
    voters: dict[int, p.Voter]
    #: Whether its SHA-256 is the one the room signed with the result.
    matches: bool


async def fetch(request: Request, poll: p.Poll) -> Published:
    """Every page of ``poll``'s list (closed polls only)."""
    ballots: list[p.SecretBallot] = []
    named: list[p.NamedVote] = []
    voters: dict[int, p.Voter] = {}
    start: int | None = 0
    for _ in range(MAX_PAGES):
        if start is None:
            break
        page = await request(p.PollBallots(id=0, poll_id=poll.id, start=start))
        if not isinstance(page, p.BallotList) or page.poll_id != poll.id:
            raise ListError("the room answered with something other than this poll's list")
        ballots += page.ballots
        named += page.named
        voters.update((v.delegate_id, v) for v in page.voters)
        if page.next is not None and page.next <= start:
            raise ListError("the room's list does not move on from one page to the next")
        start = page.next
    else:
        raise ListError("the room's list did not end")
    digest = (
        pollrecord.secret_list_hash(ballots)
        if poll.spec.secret
        else pollrecord.named_list_hash(named)
    )
    return Published(poll.id, ballots, named, voters, digest == poll.ballots_hash)


class Found(enum.Enum):
    AS_CAST = "as_cast"
    OTHER_MARKS = "other_marks"
    MISSING = "missing"


def find(published: Published, poll: p.Poll, mine: Sequence[p.Vote]) -> dict[int, Found]:
    """For each of my votes (by the delegate it was cast for): whether the published list holds
    it as I cast it."""
    found: dict[int, Found] = {}
    if poll.spec.secret:
        by_receipt = {b.receipt: b.marks for b in published.ballots}
        for vote in mine:
            found[vote.delegate_id] = _compare(by_receipt.get(vote.receipt), vote.marks)
    else:
        by_voter = {v.delegate_id: v.marks for v in published.named}
        for vote in mine:
            found[vote.delegate_id] = _compare(by_voter.get(vote.delegate_id), vote.marks)
    return found


def _compare(listed: p.Marks | None, cast: p.Marks) -> Found:
    if listed is None:
        return Found.MISSING
    return Found.AS_CAST if listed == cast else Found.OTHER_MARKS
