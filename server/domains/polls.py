"""Polls: prepared on an agenda item, opened, voted in, closed and counted by the room.

A poll's rules (``PollSpec``: kind, named or secret, majority, quorum, who may vote, weights,
time limit) are checked when it is created (app/tally.py) and fixed once it opens. Each change
is announced as ``poll.changed`` with the poll's whole state, to the meeting's audience; the
result travels in it once the poll is closed, signed by the room (app/pollrecord.py).

Who may vote: a delegate with a voting right, in the poll's groups if it names any, present at
the meeting (server/domains/attendance.py) — or, for an absent delegate who gave a proxy for the
meeting, the delegate holding it, if present. Votes are cast through server/ballots.py, which
commits them in batches; :func:`cast` is one ``ballot.cast`` inside such a batch.

Secrecy. A secret poll keeps who voted (``poll_voters``: poll and delegate, nothing else) apart
from what was voted (``secret_ballots``: poll, receipt, marks, weight — no voter, no time), in
tables without a rowid; the batch writes its secret ballots in a shuffled order after all its
voters; the log records the turnout, anonymously. When the poll closes, both its tables' rows
are written again in key order and the write-ahead log is emptied, so where the rows lie on disk
no longer follows the order the votes came in. docs/security.md §4.15 gives the argument and its
limits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session as DbSession

from app import pollrecord, tally
from app import protocol as p
from server import audience
from server.db import (
    DelegateRow,
    GroupMembership,
    PollRow,
    ProxyRow,
    SecretBallotRow,
    VoterRow,
)
from server.dispatch import declare, route
from server.domains import agenda, attendance, meetings, roster
from server.errors import ServiceError
from server.policy import STAFF, Policy
from server.store import Caller, Work

#: Who sends ``ballot.cast``: a delegate's device for its delegate (and the proxies held), a
#: secretary for a manual vote. It is served by server/ballots.py, in batches.
VOTERS = Policy(roles=frozenset({"delegate", "secretary", "admin"}))
#: Who may fetch a closed secret poll's ballot list: any device but a display's.
READERS = Policy(roles=frozenset({"delegate", "secretary", "admin"}))

#: Encoded entries one ``poll.ballot_list`` page carries at most, in bytes: a page stays well
#: within a frame whatever the marks (200 candidates each answered) and the voters' names.
PAGE_BYTES = p.MAX_SERVER_FRAME // 2

_spec_decoder = msgspec.json.Decoder(p.PollSpec)
_result_decoder = msgspec.json.Decoder(p.PollResult)
_marks_decoder = msgspec.json.Decoder(p.Marks)


def get(db: DbSession, poll_id: int) -> PollRow:
    poll = db.get(PollRow, poll_id)
    if poll is None:
        raise ServiceError(p.ErrorCode.NOT_FOUND, f"no poll with id {poll_id}")
    return poll


def spec_of(poll: PollRow) -> p.PollSpec:
    return _spec_decoder.decode(poll.spec)


def wire(poll: PollRow) -> p.Poll:
    return p.Poll(
        id=poll.id,
        meeting_id=poll.meeting_id,
        item_id=poll.item_id,
        title=poll.title,
        spec=spec_of(poll),
        status=poll.status,  # type: ignore[arg-type]
        opened_at=poll.opened_at,
        closes_at=poll.closes_at,
        closed_at=poll.closed_at,
        result=_result_decoder.decode(poll.result) if poll.result else None,
        ballots_hash=poll.ballots_hash,
        signature=poll.signature,
    )


def of_meetings(db: DbSession, meeting_ids: list[int]) -> list[p.Poll]:
    if not meeting_ids:
        return []
    rows = db.scalars(
        select(PollRow).where(PollRow.meeting_id.in_(meeting_ids)).order_by(PollRow.id)
    )
    return [wire(r) for r in rows]


def _announce(work: Work, poll: PollRow) -> None:
    work.db.flush()
    meeting = meetings.get(work.db, poll.meeting_id)
    work.emit(p.PollChanged(poll=wire(poll)), meetings.audience_of(meeting))


# --------------------------------------------------------------------------- who may vote


@dataclass(frozen=True)
class Electorate:
    """The delegates who may vote in a poll now, and the counts quorum and majority use."""

    #: delegate id -> weight, for every member with a vote (present or not).
    members: dict[int, int]
    present: set[int]
    #: giver -> holder, for the meeting's proxies.
    proxies: dict[int, int] = field(default_factory=dict)

    def may_vote(self, voter: int, sender: int | None) -> str | None:
        """Why ``sender`` (a delegate, or ``None`` for a secretary) may not cast ``voter``'s
        vote, or ``None`` if they may."""
        if voter not in self.members:
            return "this delegate has no vote in this poll"
        if sender is None:
            return None
        if voter == sender:
            return None if voter in self.present else "check in first: only delegates present vote"
        if self.proxies.get(voter) != sender:
            return "you do not hold this delegate's proxy"
        if sender not in self.present:
            return "check in first: only delegates present vote"
        return None

    def present_weight(self, voted: set[int]) -> int:
        """Members present, represented by a proxy held by someone present, or who voted."""
        here = {
            d
            for d in self.members
            if d in self.present or d in voted or self.proxies.get(d) in self.present
        }
        return sum(self.members[d] for d in here)


def electorate(db: DbSession, poll: PollRow, spec: p.PollSpec) -> Electorate:
    query = select(DelegateRow.id, DelegateRow.weight).where(DelegateRow.voting_right.is_(True))
    if spec.groups:
        in_groups = select(GroupMembership.delegate_id).where(
            GroupMembership.group.in_(spec.groups)
        )
        query = query.where(DelegateRow.id.in_(in_groups))
    members = {d: (w if spec.weighted else 1) for d, w in db.execute(query)}
    query_proxies = select(ProxyRow.giver_id, ProxyRow.holder_id).where(
        ProxyRow.meeting_id == poll.meeting_id
    )
    proxies = {giver: holder for giver, holder in db.execute(query_proxies)}
    return Electorate(members, attendance.present(db, poll.meeting_id), proxies)


# --------------------------------------------------------------------------- staff requests


@route(p.PollCreate, STAFF)
def handle_create(work: Work, req: p.PollCreate) -> p.PollCreated:
    db = work.db
    meeting = meetings.get(db, req.meeting_id)
    if meeting.status == "closed":
        raise ServiceError(p.ErrorCode.CONFLICT, "this meeting is closed")
    if req.item_id is not None and agenda.get(db, req.item_id).meeting_id != meeting.id:
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "that agenda item is of another meeting")
    try:
        tally.check_spec(req.spec)
    except tally.PollError as exc:
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, str(exc)) from None
    roster.check_groups(db, req.spec.groups)
    poll = PollRow(
        meeting_id=meeting.id,
        item_id=req.item_id,
        title=req.title,
        spec=p.encode(req.spec).decode(),
        status="draft",
        ballots_hash=b"",
        signature=b"",
    )
    db.add(poll)
    db.flush()
    _announce(work, poll)
    return p.PollCreated(id=req.id, poll_id=poll.id)


@route(p.PollOpen, STAFF)
def handle_open(work: Work, req: p.PollOpen) -> p.Ok:
    poll = get(work.db, req.poll_id)
    if poll.status != "draft":
        raise ServiceError(p.ErrorCode.CONFLICT, f"this poll is {poll.status}, not ready to open")
    if meetings.get(work.db, poll.meeting_id).status != "open":
        raise ServiceError(p.ErrorCode.CONFLICT, "open the meeting first")
    spec = spec_of(poll)
    now = time.time()
    poll.status, poll.opened_at = "open", now
    poll.closes_at = now + spec.seconds if spec.seconds is not None else None
    _announce(work, poll)
    return p.Ok(id=req.id)


@route(p.PollClose, STAFF)
def handle_close(work: Work, req: p.PollClose) -> p.Ok:
    close(work, get(work.db, req.poll_id))
    return p.Ok(id=req.id)


@route(p.PollCancel, STAFF)
def _cancel(work: Work, req: p.PollCancel) -> p.Ok:
    poll = get(work.db, req.poll_id)
    if poll.status not in ("draft", "open"):
        raise ServiceError(p.ErrorCode.CONFLICT, f"this poll is {poll.status}")
    poll.status = "cancelled"
    # what was voted in a cancelled poll is never counted, so it is not kept
    work.db.execute(delete(SecretBallotRow).where(SecretBallotRow.poll_id == poll.id))
    work.db.execute(delete(VoterRow).where(VoterRow.poll_id == poll.id))
    if spec_of(poll).secret:
        work.empty_log_after_commit()  # nor are the pages that held it in the order it came
    _announce(work, poll)
    return p.Ok(id=req.id)


def close(work: Work, poll: PollRow) -> None:
    """Count, decide, sign and announce; the timer closes a poll through here too."""
    if poll.status != "open":
        raise ServiceError(p.ErrorCode.CONFLICT, f"this poll is {poll.status}, not open")
    db = work.db
    spec = spec_of(poll)
    voters = set(db.scalars(select(VoterRow.delegate_id).where(VoterRow.poll_id == poll.id)))
    who = electorate(db, poll, spec)
    counted, digest = ballots_of(db, poll.id, spec)
    members = sum(who.members.values())
    result = tally.count(spec, counted, who.present_weight(voters), members)
    poll.status, poll.closed_at = "closed", time.time()
    poll.result = p.encode(result).decode()
    poll.ballots_hash = digest
    unsigned = wire(poll)
    poll.signature = work.keys.signing.sign(pollrecord.signed_bytes(unsigned, result, digest))
    if spec.secret:
        _write_again_in_key_order(work, poll.id)
    _announce(work, poll)


def _write_again_in_key_order(work: Work, poll_id: int) -> None:
    """Write a closed secret poll's voters and ballots again, all at once and in key order
    (delegate id; receipt, which is random), then have the write-ahead log emptied.

    While the poll was open each batch added its rows where the database puts new rows: SQLite
    writes a page's cells one after the other from its end, PostgreSQL appends to the table's
    heap and stamps each row with the transaction (and savepoint) that wrote it (``xmin``). So
    where a voter's row and a ballot's row lie, or which transaction wrote them, would tell which
    ballot came with which voter. Deleted and written again in one transaction, in key order,
    they tell nothing of it; SQLite overwrites the deleted rows (``secure_delete``,
    server/db.py) and the WAL that held the batches is emptied after the commit
    (:meth:`Work.empty_log_after_commit`). docs/security.md §4.15 says what remains."""
    db = work.db
    voters = list(
        db.scalars(
            select(VoterRow.delegate_id)
            .where(VoterRow.poll_id == poll_id)
            .order_by(VoterRow.delegate_id)
        )
    )
    ballots = [
        {"poll_id": poll_id, "receipt": receipt, "marks": marks, "weight": weight}
        for receipt, marks, weight in db.execute(
            select(SecretBallotRow.receipt, SecretBallotRow.marks, SecretBallotRow.weight)
            .where(SecretBallotRow.poll_id == poll_id)
            .order_by(SecretBallotRow.receipt)
        )
    ]
    db.execute(delete(SecretBallotRow).where(SecretBallotRow.poll_id == poll_id))
    db.execute(delete(VoterRow).where(VoterRow.poll_id == poll_id))
    if voters:
        db.execute(insert(VoterRow), [{"poll_id": poll_id, "delegate_id": d} for d in voters])
    if ballots:
        db.execute(insert(SecretBallotRow), ballots)
    work.empty_log_after_commit()


def ballots_of(db: DbSession, poll_id: int, spec: p.PollSpec) -> tuple[list[tally.Counted], bytes]:
    """A poll's ballots as counted, and the hash of their list (app/pollrecord.py)."""
    if spec.secret:
        secret = secret_ballots(db, poll_id)
        return [tally.Counted(b.marks, b.weight) for b in secret], pollrecord.secret_list_hash(
            secret
        )
    named = named_votes(db, poll_id)
    weights = named_weights(db, poll_id)
    counted = [tally.Counted(v.marks, weights[v.delegate_id]) for v in named]
    return counted, pollrecord.named_list_hash(named)


def secret_ballots(db: DbSession, poll_id: int) -> list[p.SecretBallot]:
    rows = db.scalars(
        select(SecretBallotRow)
        .where(SecretBallotRow.poll_id == poll_id)
        .order_by(SecretBallotRow.receipt)
    )
    return [
        p.SecretBallot(receipt=r.receipt, marks=_marks_decoder.decode(r.marks), weight=r.weight)
        for r in rows
    ]


def _named_rows(db: DbSession, poll_id: int) -> list[VoterRow]:
    query = select(VoterRow).where(VoterRow.poll_id == poll_id).order_by(VoterRow.delegate_id)
    return list(db.scalars(query))


def _named(row: VoterRow) -> p.NamedVote:
    marks = _marks_decoder.decode(row.marks or "{}")
    return p.NamedVote(delegate_id=row.delegate_id, marks=marks, manual=bool(row.manual))


def named_votes(db: DbSession, poll_id: int) -> list[p.NamedVote]:
    return [_named(r) for r in _named_rows(db, poll_id)]


def named_weights(db: DbSession, poll_id: int) -> dict[int, int]:
    """Each voter's weight as recorded with their vote (a named poll)."""
    return {r.delegate_id: r.weight or 1 for r in _named_rows(db, poll_id)}


@route(p.PollBallots, READERS)
def _ballots(work: Work, req: p.PollBallots) -> p.BallotList:
    db = work.db
    poll = get(db, req.poll_id)
    if poll.status != "closed":
        raise ServiceError(p.ErrorCode.CONFLICT, "the ballots are published when the poll closes")
    if spec_of(poll).secret:
        secret = secret_ballots(db, poll.id)
        end = _page_end([len(p.encode(b)) for b in secret], req.start)
        return p.BallotList(
            id=req.id, poll_id=poll.id, ballots=secret[req.start : end], next=_next(secret, end)
        )
    named = named_votes(db, poll.id)
    people = {
        d.id: p.Voter(
            delegate_id=d.id, number=d.number, full_name=d.full_name, delegation=d.delegation
        )
        for d in db.scalars(
            select(DelegateRow)
            .join(VoterRow, VoterRow.delegate_id == DelegateRow.id)
            .where(VoterRow.poll_id == poll.id)
        )
    }
    sizes = [len(p.encode(v)) + len(p.encode(people[v.delegate_id])) for v in named]
    end = _page_end(sizes, req.start)
    votes = named[req.start : end]
    return p.BallotList(
        id=req.id,
        poll_id=poll.id,
        named=votes,
        voters=[people[v.delegate_id] for v in votes],
        next=_next(named, end),
    )


def _page_end(sizes: list[int], start: int) -> int:
    """Where a page that begins at entry ``start`` ends: as many entries as fit
    :data:`PAGE_BYTES`, one at least."""
    size, end = 0, start
    while end < len(sizes):
        size += sizes[end] + 2
        if size > PAGE_BYTES and end > start:
            break
        end += 1
    return end


def _next(entries: list[Any], end: int) -> int | None:
    return end if end < len(entries) else None


# --------------------------------------------------------------------------- casting


@dataclass
class Batch:
    """What a batch of ``ballot.cast`` requests wrote, for the end of its transaction: the
    secret ballots (written last, shuffled) and the polls whose turnout changed."""

    secret: list[SecretBallotRow] = field(default_factory=list)
    #: (poll, receipt) -> (marks, weight) of the secret ballots written so far.
    receipts: dict[tuple[int, bytes], tuple[str, int]] = field(default_factory=dict)
    polls: set[int] = field(default_factory=set)
    #: Who may vote, per poll, read once per batch: nothing else writes while it commits.
    electorates: dict[int, Electorate] = field(default_factory=dict)
    #: The polls cast in, and their rules, read once per batch for the same reason (and held:
    #: the session would otherwise forget the row after each cast and read it again).
    rows: dict[int, tuple[PollRow, p.PollSpec]] = field(default_factory=dict)
    #: Devices found active in this batch (server/ballots.py).
    active: set[int] = field(default_factory=set)


def cast(work: Work, caller: Caller, req: p.BallotCast, batch: Batch) -> None:
    """Check and record one ``ballot.cast`` (inside the batch's transaction, in a savepoint of
    its own). Sent again after a lost answer, it changes nothing and succeeds."""
    db = work.db
    known = batch.rows.get(req.poll_id)
    if known is None:
        poll = get(db, req.poll_id)
        known = batch.rows[poll.id] = (poll, spec_of(poll))
    poll, spec = known
    if poll.status != "open":
        raise ServiceError(p.ErrorCode.POLL_NOT_OPEN, f"this poll is {poll.status}")
    if poll.closes_at is not None and time.time() > poll.closes_at:
        raise ServiceError(p.ErrorCode.POLL_NOT_OPEN, "the time for this vote is up")
    staff = caller.role in p.STAFF_ROLES  # a secretary's vote for a delegate is a manual one
    if staff and spec.secret:
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT, "a secret poll takes no manual votes: use paper counts"
        )
    sender = None if staff else caller.delegate_id
    if not staff and sender is None:
        raise ServiceError(p.ErrorCode.FORBIDDEN, "this device is not enrolled for a delegate")
    who = batch.electorates.get(poll.id)
    if who is None:
        who = batch.electorates[poll.id] = electorate(db, poll, spec)
    if len({v.delegate_id for v in req.votes}) != len(req.votes):
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "one vote per delegate")
    for vote in req.votes:
        reason = who.may_vote(vote.delegate_id, sender)
        if reason is not None:
            raise ServiceError(p.ErrorCode.NOT_ELIGIBLE, reason)
        try:
            tally.check_marks(spec, vote.marks)
        except tally.PollError as exc:
            raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, str(exc)) from None
        _record(db, poll.id, spec, vote, who.members[vote.delegate_id], staff, batch)
    batch.polls.add(poll.id)


def _record(
    db: DbSession,
    poll_id: int,
    spec: p.PollSpec,
    vote: p.Vote,
    weight: int,
    manual: bool,
    batch: Batch,
) -> None:
    marks = p.encode(vote.marks).decode()
    voted = db.get(VoterRow, (poll_id, vote.delegate_id))
    if spec.secret:
        key = (poll_id, vote.receipt)
        kept = batch.receipts.get(key)
        if kept is None and (row := db.get(SecretBallotRow, key)) is not None:
            kept = (row.marks, row.weight)
        if voted is not None:
            # The same vote again (its answer was lost) is already counted. The same receipt
            # with another choice is not that vote: it would be answered ok and not counted.
            if kept == (marks, weight):
                return
            raise ServiceError(p.ErrorCode.CONFLICT, "this delegate has already voted")
        if kept is not None:
            raise ServiceError(
                p.ErrorCode.INVALID_ARGUMENT, "that receipt is taken: choose another"
            )
        db.add(VoterRow(poll_id=poll_id, delegate_id=vote.delegate_id))
        db.flush()  # the primary key refuses a second vote here, whatever raced to it
        batch.receipts[key] = (marks, weight)
        batch.secret.append(
            SecretBallotRow(poll_id=poll_id, receipt=vote.receipt, marks=marks, weight=weight)
        )
        return
    if voted is not None:
        if voted.receipt == vote.receipt and voted.marks == marks:
            return  # the same vote again
        if not spec.changeable:
            raise ServiceError(p.ErrorCode.CONFLICT, "this delegate has already voted")
        voted.receipt, voted.marks, voted.manual = vote.receipt, marks, manual
        return
    db.add(
        VoterRow(
            poll_id=poll_id,
            delegate_id=vote.delegate_id,
            receipt=vote.receipt,
            marks=marks,
            weight=weight,
            manual=manual,
        )
    )
    db.flush()


def turnout(db: DbSession, poll: PollRow) -> p.Turnout:
    spec = spec_of(poll)
    voters = sorted(db.scalars(select(VoterRow.delegate_id).where(VoterRow.poll_id == poll.id)))
    who = electorate(db, poll, spec)
    eligible = {d for d in who.members if d in who.present or who.proxies.get(d) in who.present}
    return p.Turnout(
        poll_id=poll.id,
        voted=len(voters),
        eligible=len(eligible | set(voters)),
        voters=[] if spec.secret else voters,
    )


def announce_turnout(work: Work, poll_ids: set[int]) -> None:
    """One ``turnout.changed`` per poll a batch touched, to staff; without a time or an author
    (for a secret poll, when someone voted is what could tie them to a ballot)."""
    for poll_id in sorted(poll_ids):
        poll = get(work.db, poll_id)
        work.emit(p.TurnoutChanged(turnout=turnout(work.db, poll)), audience.STAFF, anonymous=True)


def open_turnouts(db: DbSession) -> list[p.Turnout]:
    return [turnout(db, r) for r in db.scalars(select(PollRow).where(PollRow.status == "open"))]


declare(p.BallotCast, VOTERS)
