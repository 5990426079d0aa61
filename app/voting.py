"""A delegate's side of a vote: which poll the ballot screen shows, whose votes this device
carries and why it may not, the device's own record of what it cast, and the check of that
record against the list the room publishes after close.

The room decides who may vote (server/domains/polls.py); the device's view is a forecast from
what it knows — its delegate's voting right and groups as enrolled, the attendance and proxies
of the meeting — so a ballot screen can say at once why a delegate cannot vote, and a refusal
from the room still wins.

**The ballot book** is the device's own record of its votes: for each poll, the votes it cast
(for its delegate and the proxies held) with the receipts it chose. It is written, sealed with
the device's store key, *before* the cast is sent, so a cast whose answer was lost is sent again
with the same receipts and counted once (docs/protocol.md §12); it lets the app show what was
cast after a restart, and find its receipts in a secret poll's published list. It is the only
place the link between this delegate and their secret choice exists outside the delegate's
head, on the delegate's own device, encrypted; a wiped meeting's entries are deleted with it.
"""

from __future__ import annotations

import asyncio
import enum
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import msgspec

from app import pollcheck, pollrecord, tally
from app import protocol as p
from app.sealedfile import seal_to, unseal_from
from app.state import RoomReader

_AAD = b"hemicycle-ballots-v1"

Request = Callable[[p.ClientRequest], Awaitable[p.ServerMessage]]


class Ineligible(enum.Enum):
    """Why the device's delegate may not cast their own vote in a poll."""

    NOT_A_DELEGATE = "not_a_delegate"
    NO_VOTING_RIGHT = "no_voting_right"
    NOT_IN_GROUPS = "not_in_groups"
    NOT_CHECKED_IN = "not_checked_in"
    EXCUSED = "excused"


@dataclass(frozen=True)
class Seat:
    """One vote the device may cast: its delegate's own, or a proxy held."""

    delegate_id: int
    number: str
    name: str
    own: bool


@dataclass(frozen=True)
class Ballot:
    """What the ballot screen shows for one poll: the votes this device may cast (its own
    first, then the proxies it holds) and, if its own is not among them, why."""

    poll: p.Poll
    seats: list[Seat]
    reason: Ineligible | None

    @property
    def may_vote(self) -> bool:
        return bool(self.seats)


def poll_on_screen(view: RoomReader) -> p.Poll | None:
    """The poll the delegate's screen shows: the open one of the meeting shown, or else its
    poll closed last (its result) — ``None`` if there is neither."""
    meeting = view.active_meeting
    if meeting is None:
        return None
    polls = [q for q in view.polls.values() if q.meeting_id == meeting.id]
    opened = [q for q in polls if q.status == "open"]
    if opened:
        return max(opened, key=lambda q: (q.opened_at or 0, q.id))
    closed = [q for q in polls if q.status == "closed"]
    return max(closed, key=lambda q: (q.closed_at or 0, q.id)) if closed else None


def attendance_of(view: RoomReader, meeting_id: int, delegate_id: int) -> p.AttendanceStatus | None:
    entry = view.attendance.get((meeting_id, delegate_id))
    return entry.status if entry is not None else None


def ballot_for(view: RoomReader, delegate: p.Delegate | None, poll: p.Poll) -> Ballot:
    """Whose votes this device may cast in ``poll``, as far as the device can tell."""
    if delegate is None:
        return Ballot(poll, [], Ineligible.NOT_A_DELEGATE)
    status = attendance_of(view, poll.meeting_id, delegate.id)
    reason: Ineligible | None = None
    if not delegate.voting_right:
        reason = Ineligible.NO_VOTING_RIGHT
    elif not tally.has_vote(delegate, poll.spec):
        reason = Ineligible.NOT_IN_GROUPS
    elif status == "excused":
        reason = Ineligible.EXCUSED
    elif status != "present":
        reason = Ineligible.NOT_CHECKED_IN
    seats = []
    if reason is None:
        seats.append(Seat(delegate.id, delegate.number, delegate.full_name, own=True))
    if status == "present":  # a holder votes their proxies only while present themselves
        held = sorted(
            (
                x
                for x in view.proxies.values()
                if x.meeting_id == poll.meeting_id and x.holder_id == delegate.id
            ),
            key=lambda x: x.giver_number,
        )
        seats += [Seat(x.giver_id, x.giver_number, x.giver_name, own=False) for x in held]
    return Ballot(poll, seats, reason)


# --------------------------------------------------------------------------- the ballot book


class Cast(msgspec.Struct, kw_only=True):
    """What the device sent for one poll, and whether the room recorded it."""

    poll_id: int
    votes: list[p.Vote]
    recorded: bool = False
    at: float = 0.0


class _Book(msgspec.Struct):
    casts: dict[int, Cast] = {}


class BallotBook:
    """The device's sealed record of its casts, by poll (AES-256-GCM under the store key,
    written atomically: a crash leaves the previous copy)."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key
        self._book = self._load()

    def _load(self) -> _Book:
        return unseal_from(self.path, self._key, _AAD, _Book) or _Book()

    def _save(self) -> None:
        seal_to(self.path, self._key, _AAD, self._book)

    def get(self, poll_id: int) -> Cast | None:
        return self._book.casts.get(poll_id)

    def put(self, cast: Cast) -> None:
        self._book.casts[cast.poll_id] = cast
        self._save()

    def forget(self, poll_id: int) -> None:
        if self._book.casts.pop(poll_id, None) is not None:
            self._save()

    def keep_only(self, polls: Mapping[int, p.Poll]) -> None:
        """Delete the casts of polls the device no longer has (a wiped meeting's, or a
        cancelled poll's)."""
        gone = [i for i in self._book.casts if i not in polls or polls[i].status == "cancelled"]
        for poll_id in gone:
            del self._book.casts[poll_id]
        if gone:
            self._save()


def prepare(book: BallotBook, poll: p.Poll, marks: Mapping[int, p.Marks]) -> Cast:
    """The cast to send for these marks (by delegate id). The same marks as a cast not yet
    recorded reuse its receipts — sending it again is then harmless; anything else gets new
    ones."""
    earlier = book.get(poll.id)
    if (
        earlier is not None
        and not earlier.recorded
        and {v.delegate_id: v.marks for v in earlier.votes} == dict(marks)
    ):
        return earlier
    votes = [
        p.Vote(delegate_id=d, receipt=os.urandom(p.RECEIPT_BYTES), marks=m)
        for d, m in marks.items()
    ]
    return Cast(poll_id=poll.id, votes=votes, at=time.time())


async def send(book: BallotBook, request: Request, cast: Cast) -> Cast:
    """Keep the cast, send it, and keep it as recorded once the room says so. A refusal is
    raised (``RequestError``); a lost answer too (``NotConnected``, ``TimeoutError``), with the
    cast kept to be sent again unchanged."""
    await asyncio.to_thread(book.put, cast)
    await request(p.BallotCast(id=0, poll_id=cast.poll_id, votes=cast.votes))
    done = Cast(poll_id=cast.poll_id, votes=cast.votes, recorded=True, at=cast.at)
    await asyncio.to_thread(book.put, done)
    return done


@dataclass(frozen=True)
class Check:
    """A closed poll's published list, checked: signed by the room, and this device's votes."""

    published: pollcheck.Published
    signed: bool
    mine: dict[int, pollcheck.Found]


async def check(book: BallotBook, request: Request, poll: p.Poll, room_key: bytes) -> Check:
    """Fetch the list of a closed poll and look for what this device cast in it."""
    published = await pollcheck.fetch(request, poll)
    cast = book.get(poll.id)
    mine = pollcheck.find(published, poll, cast.votes) if cast and cast.recorded else {}
    return Check(published, pollrecord.signature_holds(poll, room_key), mine)
