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
voters; the log records the turnout, anonymously. Once the poll's close is committed and its
result sent, both its tables' rows are written again in key order and the write-ahead log is
emptied, so where the rows lie on disk no longer follows the order the votes came in.
docs/security.md §4.15 gives the argument and its limits.
"""

from __future__ import annotations

import random
import time
import typing
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec
from sqlalchemy import ColumnElement, Connection, Table, delete, func, select, update
from sqlalchemy.orm import Session as DbSession

from app import pollrecord, tally
from app import protocol as p
from server import audience
from server.db import (
    AttendanceRow,
    DelegateRow,
    DeviceRow,
    GroupMembership,
    PollRow,
    ProxyRow,
    SecretBallotRow,
    VoterRow,
)
from server.dispatch import declare, route
from server.domains import agenda, meetings, roster
from server.errors import ServiceError
from server.policy import STAFF, Policy
from server.store import Caller, Work

#: Who settles a closed secret poll at start (no event is logged by it).
SETTLER = Caller("settle")

#: Who sends ``ballot.cast``: a delegate's device for its delegate (and the proxies held), a
#: secretary for a manual vote. It is served by server/ballots.py, in batches.
VOTERS = Policy(roles=frozenset({"delegate", "secretary", "admin"}))
#: Who may fetch a closed secret poll's ballot list: any device but a display's.
READERS = Policy(roles=frozenset({"delegate", "secretary", "admin"}))

#: Encoded entries one ``poll.ballot_list`` page carries at most, in bytes: a page stays well
#: within a frame whatever the marks (200 candidates each answered) and the voters' names.
PAGE_BYTES = p.MAX_SERVER_FRAME // 2

T = TypeVar("T")

_spec_decoder = msgspec.json.Decoder(p.PollSpec)
_result_decoder = msgspec.json.Decoder(p.PollResult)
_marks_decoder = msgspec.json.Decoder(p.Marks)
_paper_decoder = msgspec.json.Decoder(p.PaperCount)


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
        paper=_paper_decoder.decode(poll.paper) if poll.paper else None,
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


def _members(spec: p.PollSpec) -> list[ColumnElement[bool]]:
    """The conditions a delegate meets to be a member with a vote in a poll of ``spec``."""
    conditions: list[ColumnElement[bool]] = [DelegateRow.voting_right.is_(True)]
    if spec.groups:
        in_groups = select(GroupMembership.delegate_id).where(
            GroupMembership.group.in_(spec.groups)
        )
        conditions.append(DelegateRow.id.in_(in_groups))
    return conditions


def electorate(
    db: DbSession, poll: PollRow, spec: p.PollSpec, among: Collection[int] | None = None
) -> Electorate:
    """Who may vote in ``poll`` now — of every delegate, or only of those ``among`` (a batch of
    ballots asks of its voters and senders alone, not of the whole hall each time). Read as
    columns, no row objects."""
    conn = db.connection()
    meeting = poll.meeting_id
    members: dict[int, int] = {}
    present: set[int] = set()
    proxies: dict[int, int] = {}
    here = select(AttendanceRow.delegate_id).where(
        AttendanceRow.meeting_id == meeting, AttendanceRow.status == "present"
    )
    given = select(ProxyRow.giver_id, ProxyRow.holder_id).where(ProxyRow.meeting_id == meeting)
    parts = [None] if among is None else list(_chunks(sorted(among)))
    for part in parts:
        query = select(DelegateRow.id, DelegateRow.weight).where(*_members(spec))
        here_part, given_part = here, given
        if part is not None:
            query = query.where(DelegateRow.id.in_(part))
            here_part = here.where(AttendanceRow.delegate_id.in_(part))
            given_part = given.where(ProxyRow.giver_id.in_(part))
        members.update((d, w if spec.weighted else 1) for d, w in conn.execute(query))
        present.update(d for (d,) in conn.execute(here_part))
        proxies.update((giver, holder) for giver, holder in conn.execute(given_part))
    return Electorate(members, present, proxies)


def eligible_count(db: DbSession, poll: PollRow, spec: p.PollSpec) -> int:
    """Members with a vote in ``poll`` who may cast it now or have: present, represented by a
    proxy whose holder is present, or who voted — counted by the database."""
    meeting = poll.meeting_id
    present = select(AttendanceRow.delegate_id).where(
        AttendanceRow.meeting_id == meeting, AttendanceRow.status == "present"
    )
    represented = select(ProxyRow.giver_id).where(
        ProxyRow.meeting_id == meeting, ProxyRow.holder_id.in_(present)
    )
    voted = select(VoterRow.delegate_id).where(VoterRow.poll_id == poll.id)
    query = select(func.count(DelegateRow.id)).where(
        *_members(spec),
        DelegateRow.id.in_(present) | DelegateRow.id.in_(represented) | DelegateRow.id.in_(voted),
    )
    return int(db.connection().execute(query).scalar_one())


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
    poll = get(work.db, req.poll_id)
    if poll.status == "draft" and req.paper is not None:
        # run on paper alone: it never opened on the devices, and closes with its count
        if meetings.get(work.db, poll.meeting_id).status != "open":
            raise ServiceError(p.ErrorCode.CONFLICT, "open the meeting first")
        poll.status = "open"
    close(work, poll, req.paper)
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


def close(work: Work, poll: PollRow, paper: p.PaperCount | None = None) -> None:
    """Count (with the ``paper`` ballots, if any), decide, sign and announce; the timer closes
    a poll through here too. A paper count that does not add up is refused and the poll stays
    open, so the secretary corrects it."""
    if poll.status != "open":
        raise ServiceError(p.ErrorCode.CONFLICT, f"this poll is {poll.status}, not open")
    db = work.db
    spec = spec_of(poll)
    voters = set(db.scalars(select(VoterRow.delegate_id).where(VoterRow.poll_id == poll.id)))
    who = electorate(db, poll, spec)
    counted, digest = ballots_of(db, poll.id, spec)
    members = sum(who.members.values())
    try:
        result = tally.count(spec, counted, who.present_weight(voters), members, paper)
    except tally.PollError as exc:
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, str(exc)) from None
    poll.status, poll.closed_at = "closed", time.time()
    poll.result = p.encode(result).decode()
    poll.paper = p.encode(paper).decode() if paper is not None else None
    poll.ballots_hash = digest
    unsigned = wire(poll)
    poll.signature = work.keys.signing.sign(pollrecord.signed_bytes(unsigned, result, digest))
    if spec.secret:
        # after the result is out: the devices do not wait for a hall's rows to be rewritten
        poll.settled = False
        work.after_commit(lambda then: settle(then, poll.id))
    _announce(work, poll)


def settle(work: Work, poll_id: int) -> None:
    """Write a closed secret poll's voters and ballots again (:func:`_write_again_in_key_order`)
    once, and mark it done; run just after the close is committed and its result sent, and at
    start for a poll whose close was committed by a server stopped before this ran."""
    poll = work.db.get(PollRow, poll_id)
    if poll is None or poll.settled:
        return
    _write_again_in_key_order(work, poll_id)
    poll.settled = True


def settle_all(work: Work) -> None:
    """Settle every secret poll left unsettled (a server stopped between close and settle)."""
    for poll_id in work.db.scalars(select(PollRow.id).where(PollRow.settled.is_(False))):
        settle(work, poll_id)


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
    conn = work.db.connection()  # columns, not row objects: a hall's worth of rows
    voters = [
        d
        for (d,) in conn.execute(
            select(VoterRow.delegate_id)
            .where(VoterRow.poll_id == poll_id)
            .order_by(VoterRow.delegate_id)
        )
    ]
    ballots = [
        {"poll_id": poll_id, "receipt": receipt, "marks": marks, "weight": weight}
        for receipt, marks, weight in conn.execute(
            select(SecretBallotRow.receipt, SecretBallotRow.marks, SecretBallotRow.weight)
            .where(SecretBallotRow.poll_id == poll_id)
            .order_by(SecretBallotRow.receipt)
        )
    ]
    conn.execute(delete(_BALLOTS).where(_BALLOTS.c.poll_id == poll_id))
    conn.execute(delete(_VOTERS).where(_VOTERS.c.poll_id == poll_id))
    if voters:
        _insert_many(conn, _VOTERS, [{"poll_id": poll_id, "delegate_id": d} for d in voters])
    if ballots:
        _insert_many(conn, _BALLOTS, ballots)
    work.empty_log_after_commit()


def ballots_of(db: DbSession, poll_id: int, spec: p.PollSpec) -> tuple[list[tally.Counted], bytes]:
    """A poll's ballots as counted, and the hash of their list (app/pollrecord.py)."""
    if spec.secret:
        secret = secret_ballots(db, poll_id)
        return [tally.Counted(b.marks, b.weight) for b in secret], pollrecord.secret_list_hash(
            secret
        )
    records = named_records(db, poll_id)
    counted = [tally.Counted(vote.marks, weight) for vote, weight in records]
    return counted, pollrecord.named_list_hash([vote for vote, _weight in records])


def secret_ballots(db: DbSession, poll_id: int) -> list[p.SecretBallot]:
    """A secret poll's ballots in receipt order (columns read, no row objects: a hall's worth
    is read as the poll closes)."""
    rows = db.execute(
        select(SecretBallotRow.receipt, SecretBallotRow.marks, SecretBallotRow.weight)
        .where(SecretBallotRow.poll_id == poll_id)
        .order_by(SecretBallotRow.receipt)
    )
    return [
        p.SecretBallot(receipt=receipt, marks=_marks_decoder.decode(marks), weight=weight)
        for receipt, marks, weight in rows
    ]


def named_records(db: DbSession, poll_id: int) -> list[tuple[p.NamedVote, int]]:
    """A named poll's votes in delegate order, each with the weight recorded with it."""
    rows = db.execute(
        select(
            VoterRow.delegate_id,
            VoterRow.marks,
            VoterRow.manual,
            VoterRow.weight,
            VoterRow.cast_by,
        )
        .where(VoterRow.poll_id == poll_id)
        .order_by(VoterRow.delegate_id)
    )
    return [
        (
            p.NamedVote(
                delegate_id=delegate_id,
                marks=_marks_decoder.decode(marks or "{}"),
                manual=bool(manual),
                by=cast_by,
            ),
            weight or 1,
        )
        for delegate_id, marks, manual, weight, cast_by in rows
    ]


def named_votes(db: DbSession, poll_id: int) -> list[p.NamedVote]:
    return [vote for vote, _weight in named_records(db, poll_id)]


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
    of_poll = VoterRow.poll_id == poll.id
    concerned = (
        select(VoterRow.delegate_id)
        .where(of_poll)
        .union(select(VoterRow.cast_by).where(of_poll, VoterRow.cast_by.is_not(None)))
    )
    people = {
        d.id: p.Voter(
            delegate_id=d.id, number=d.number, full_name=d.full_name, delegation=d.delegation
        )
        for d in db.scalars(select(DelegateRow).where(DelegateRow.id.in_(concerned)))
    }

    def named_on_page(vote: p.NamedVote) -> list[p.Voter]:
        """The voter, and the proxy holder who cast the vote, for the screens."""
        return [people[vote.delegate_id]] + ([people[vote.by]] if vote.by is not None else [])

    sizes = [len(p.encode(v)) + sum(len(p.encode(w)) for w in named_on_page(v)) for v in named]
    end = _page_end(sizes, req.start)
    votes = named[req.start : end]
    voters = {w.delegate_id: w for v in votes for w in named_on_page(v)}
    return p.BallotList(
        id=req.id,
        poll_id=poll.id,
        named=votes,
        voters=list(voters.values()),
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

#: The two tables of votes, for statements that write many rows at once (no row objects).
_VOTERS = typing.cast(Table, VoterRow.__table__)
_BALLOTS = typing.cast(Table, SecretBallotRow.__table__)
#: Ids asked for in one ``IN (…)`` (SQLite allows 32,766 variables; PostgreSQL more).
_CHUNK = 900


@dataclass
class _Voted:
    """A vote already held for (poll, delegate): in the database, or earlier in the batch."""

    #: A named poll's receipt and marks (a secret poll keeps none beside its voter).
    receipt: bytes | None
    marks: str | None


@dataclass
class Batch:
    """A batch of ``ballot.cast`` requests (server/ballots.py), checked and written together.

    What the checks need is read once for the whole batch — the polls, who may vote in each,
    which devices are active, the votes already held for the voters and receipts of the batch
    — since the room's write lock keeps any other writer out until it commits. Each cast is
    then checked in memory against that and against the casts before it, and what passes is
    written in a few statements: the voters in key order, then the secret ballots shuffled."""

    polls: dict[int, tuple[PollRow, p.PollSpec]] = field(default_factory=dict)
    electorates: dict[int, Electorate] = field(default_factory=dict)
    active: set[int] = field(default_factory=set)
    voted: dict[tuple[int, int], _Voted] = field(default_factory=dict)
    #: (poll, receipt) -> (marks, weight) of the secret ballots held.
    receipts: dict[tuple[int, bytes], tuple[str, int]] = field(default_factory=dict)
    #: (poll, delegate) -> the row of a voter new in this batch.
    new_voters: dict[tuple[int, int], dict[str, object]] = field(default_factory=dict)
    changed: list[dict[str, object]] = field(default_factory=list)
    secret: list[dict[str, object]] = field(default_factory=list)
    #: The polls whose turnout changed.
    touched: set[int] = field(default_factory=set)


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, object]]) -> None:
    """Rows inserted in the order given, by the driver's own ``executemany``: SQLAlchemy's
    parameter handling costs ~15 µs a row, a fifth of a second for a closing hall's 4,000
    rows. Every row has the same keys; the values are plain (ints, bytes, text, booleans)."""
    if not rows:
        return
    columns = list(rows[0])
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(table.c[c].name for c in columns)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, [tuple(r[c] for c in columns) for r in rows])


def _chunks(values: list[T], size: int = _CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def read_batch(db: DbSession, casts: list[tuple[Caller, p.BallotCast]]) -> Batch:
    """Everything the checks of these casts read, in a few queries."""
    batch = Batch()
    conn = db.connection()  # columns, not row objects: a hall's worth is read per batch
    poll_ids = sorted({req.poll_id for _caller, req in casts})
    for row in db.scalars(select(PollRow).where(PollRow.id.in_(poll_ids))):
        spec = spec_of(row)
        batch.polls[row.id] = (row, spec)
        if row.status == "open":
            concerned = {
                v.delegate_id for _c, req in casts if req.poll_id == row.id for v in req.votes
            }
            concerned |= {
                c.delegate_id for c, req in casts if req.poll_id == row.id and c.delegate_id
            }
            batch.electorates[row.id] = electorate(db, row, spec, concerned)
    devices = sorted({c.device_id for c, _req in casts if c.device_id is not None})
    for part in _chunks(devices):
        query = select(DeviceRow.id).where(DeviceRow.id.in_(part), DeviceRow.revoked_at.is_(None))
        batch.active.update(d for (d,) in conn.execute(query))
    for poll_id in batch.electorates:
        voters = sorted(
            {v.delegate_id for _c, req in casts if req.poll_id == poll_id for v in req.votes}
        )
        for part in _chunks(voters):
            rows = conn.execute(
                select(VoterRow.delegate_id, VoterRow.receipt, VoterRow.marks).where(
                    VoterRow.poll_id == poll_id, VoterRow.delegate_id.in_(part)
                )
            )
            for delegate_id, receipt, marks in rows:
                batch.voted[(poll_id, delegate_id)] = _Voted(receipt, marks)
        if batch.polls[poll_id][1].secret:
            receipts = sorted(
                {v.receipt for _c, req in casts if req.poll_id == poll_id for v in req.votes}
            )
            for some in _chunks(receipts):
                held = conn.execute(
                    select(
                        SecretBallotRow.receipt, SecretBallotRow.marks, SecretBallotRow.weight
                    ).where(SecretBallotRow.poll_id == poll_id, SecretBallotRow.receipt.in_(some))
                )
                for receipt, marks, weight in held:
                    batch.receipts[(poll_id, receipt)] = (marks, weight)
    return batch


def cast(batch: Batch, caller: Caller, req: p.BallotCast) -> None:
    """Check one ``ballot.cast`` against the batch and take what it writes into it, or raise
    its refusal (nothing of a refused cast is taken). Sent again after a lost answer, it
    changes nothing and succeeds."""
    if caller.device_id is not None and caller.device_id not in batch.active:
        raise ServiceError(p.ErrorCode.DEVICE_REVOKED, "this device was revoked")
    known = batch.polls.get(req.poll_id)
    if known is None:
        raise ServiceError(p.ErrorCode.NOT_FOUND, f"no poll with id {req.poll_id}")
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
    who = batch.electorates[poll.id]
    if len({v.delegate_id for v in req.votes}) != len(req.votes):
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "one vote per delegate")
    writes = []
    for vote in req.votes:
        reason = who.may_vote(vote.delegate_id, sender)
        if reason is not None:
            raise ServiceError(p.ErrorCode.NOT_ELIGIBLE, reason)
        try:
            tally.check_marks(spec, vote.marks)
        except tally.PollError as exc:
            raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, str(exc)) from None
        write = _check_vote(batch, poll.id, spec, vote, who.members[vote.delegate_id])
        if write is not None:
            writes.append((vote, write))
    for vote, write in writes:  # every vote passed: the cast is taken whole
        by = None if sender is None or vote.delegate_id == sender else sender
        _take(batch, poll.id, spec, vote, who.members[vote.delegate_id], staff, by, write)
    batch.touched.add(poll.id)


def _check_vote(
    batch: Batch, poll_id: int, spec: p.PollSpec, vote: p.Vote, weight: int
) -> str | None:
    """What recording ``vote`` takes: ``"new"``, ``"change"`` (a named poll that allows it),
    or ``None`` (the same vote is already held: its answer was lost)."""
    marks = p.encode(vote.marks).decode()
    voted = batch.voted.get((poll_id, vote.delegate_id))
    if spec.secret:
        kept = batch.receipts.get((poll_id, vote.receipt))
        if voted is not None:
            # The same vote again (its answer was lost) is already counted. The same receipt
            # with another choice is not that vote: it would be answered ok and not counted.
            if kept == (marks, weight):
                return None
            raise ServiceError(p.ErrorCode.CONFLICT, "this delegate has already voted")
        if kept is not None:
            raise ServiceError(
                p.ErrorCode.INVALID_ARGUMENT, "that receipt is taken: choose another"
            )
        return "new"
    if voted is not None:
        if voted.receipt == vote.receipt and voted.marks == marks:
            return None  # the same vote again
        if not spec.changeable:
            raise ServiceError(p.ErrorCode.CONFLICT, "this delegate has already voted")
        return "change"
    return "new"


def _take(
    batch: Batch,
    poll_id: int,
    spec: p.PollSpec,
    vote: p.Vote,
    weight: int,
    manual: bool,
    by: int | None,
    write: str,
) -> None:
    marks = p.encode(vote.marks).decode()
    key = (poll_id, vote.delegate_id)
    if spec.secret:
        batch.voted[key] = _Voted(None, None)
        batch.receipts[(poll_id, vote.receipt)] = (marks, weight)
        batch.new_voters[key] = {"poll_id": poll_id, "delegate_id": vote.delegate_id}
        batch.secret.append(
            {"poll_id": poll_id, "receipt": vote.receipt, "marks": marks, "weight": weight}
        )
        return
    batch.voted[key] = _Voted(vote.receipt, marks)
    row = {
        "poll_id": poll_id,
        "delegate_id": vote.delegate_id,
        "receipt": vote.receipt,
        "marks": marks,
        "weight": weight,
        "manual": manual,
        "cast_by": by,
    }
    if write == "new":
        batch.new_voters[key] = row
    else:
        batch.changed.append(row)


def write_batch(db: DbSession, batch: Batch) -> None:
    """Write what the batch took: the voters in key order (not the order they came in), the
    changed named votes, then the secret ballots in a shuffled order. The primary key of
    ``poll_voters`` still refuses a second vote, whatever the checks missed: the batch then
    fails whole (server/ballots.py sends its casts again one by one)."""
    conn = db.connection()  # Core statements: no row objects for a hall's worth of votes
    if batch.new_voters:
        _insert_many(conn, _VOTERS, [batch.new_voters[k] for k in sorted(batch.new_voters)])
    for row in batch.changed:
        db.execute(
            update(VoterRow)
            .where(VoterRow.poll_id == row["poll_id"], VoterRow.delegate_id == row["delegate_id"])
            .values(
                receipt=row["receipt"],
                marks=row["marks"],
                manual=row["manual"],
                cast_by=row["cast_by"],
            )
        )
    if batch.secret:
        secret = list(batch.secret)
        random.SystemRandom().shuffle(secret)
        _insert_many(conn, _BALLOTS, secret)


def turnout(db: DbSession, poll: PollRow) -> p.Turnout:
    """Who has voted in an open poll, of how many who may."""
    spec = spec_of(poll)
    query = select(VoterRow.delegate_id).where(VoterRow.poll_id == poll.id)
    voters = sorted(d for (d,) in db.connection().execute(query))
    return p.Turnout(
        poll_id=poll.id,
        voted=len(voters),
        eligible=eligible_count(db, poll, spec),
        voters=[] if spec.secret else voters,
    )


def announce_turnout(work: Work, batch: Batch) -> None:
    """One ``turnout.changed`` per poll a batch touched, to staff; without a time or an author
    (for a secret poll, when someone voted is what could tie them to a ballot)."""
    for poll_id in sorted(batch.touched):
        poll, _spec = batch.polls[poll_id]
        counted = turnout(work.db, poll)
        work.emit(p.TurnoutChanged(turnout=counted), audience.STAFF, anonymous=True)


def open_turnouts(db: DbSession) -> list[p.Turnout]:
    return [turnout(db, r) for r in db.scalars(select(PollRow).where(PollRow.status == "open"))]


declare(p.BallotCast, VOTERS)
