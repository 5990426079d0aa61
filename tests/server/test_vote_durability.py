"""Votes where it matters most: nothing the room server keeps links a secret ballot to its voter
(docs/security.md §4.15), the write-ahead log is emptied when a secret poll closes, a server
killed in the middle of a burst of 2,000 ballots loses and doubles none it acknowledged, and two
devices of one delegate voting at the same instant leave one vote."""

from __future__ import annotations

import asyncio
import base64
import os
import random
import re
import signal
import sqlite3
import struct
import subprocess
import sys
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select, text

from app import pollcheck
from app import protocol as p
from app.client import NotConnected, RequestError
from app.codes import EnrollmentCode
from app.profile import Unlocked
from server import dispatch
from server.cli import main as server_cli
from server.datadir import DataDir
from server.db import ProxyRow, VoterRow
from server.domains import roster
from server.roster_csv import RosterRow
from server.store import CLI, Work
from tests.conftest import ServerThread
from tests.roomtool import RoomTool
from tests.server.test_limits import set_limits
from tests.server.test_process import ROOT, server_process
from tests.server.test_server import Recorder, enrolled, until
from tests.server.test_votes import NO, YES, ask, cast, delegate_id, hall, new_poll, receipt

ABSTAIN = p.Marks(answer="abstain")
#: Cells a ``poll_voters`` row has in a SQLite page: how the scan tells one from a ballot row.
VOTER_COLUMNS = len(VoterRow.__table__.columns)


class Running:
    """A server process, seen the way the helpers of test_votes.py see a ServerThread: its data
    directory, its port, and codes issued through the domain modules as the CLI would."""

    def __init__(self, datadir: DataDir, port: int) -> None:
        self.datadir = datadir
        self.port = port
        self.room = RoomTool.open(datadir)

    def code(self, role: p.Role = "delegate", number: str | None = None) -> EnrollmentCode:
        secret = self.room.issue_code(role, number)
        return EnrollmentCode(("127.0.0.1",), self.port, self.datadir.room_id(), secret)

    def close(self) -> None:
        self.room.store.dispose()


def stop_cleanly(proc: subprocess.Popen[str]) -> str:
    """SIGTERM, as systemd stops the server; what it printed on stdout and stderr."""
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    return out + err


# --------------------------------------------------------------------------- SQLite's pages
#
# What someone holding a copy of the data directory sees: the records of every b-tree page of the
# database file and of every frame of its write-ahead log, each with where it lies. Only records
# that fit their page are read (the vote tables' rows are a few dozen bytes).


@dataclass(frozen=True)
class Cell:
    file: str
    frame: int  # 0: the database file; n: the n-th frame of the WAL
    page: int
    offset: int  # of the cell in its page
    values: tuple[Any, ...]
    at: tuple[int, ...]  # where each value lies in the file

    @property
    def place(self) -> tuple[int, int, int]:
        return (self.frame, self.page, self.offset)


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    value = 0
    for k in range(8):
        byte = buf[i + k]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i + k + 1
    return (value << 8) | buf[i + 8], i + 9


def _record(buf: bytes, start: int, end: int, base: int) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    header, i = _varint(buf, start)
    kinds = []
    while i < start + header:
        kind, i = _varint(buf, i)
        kinds.append(kind)
    j = start + header
    values: list[Any] = []
    at: list[int] = []
    for kind in kinds:
        at.append(base + j)
        size = 0
        value: Any = None
        if 1 <= kind <= 6:
            size = (1, 2, 3, 4, 6, 8)[kind - 1]
            value = int.from_bytes(buf[j : j + size], "big", signed=True)
        elif kind == 7:
            size, value = 8, struct.unpack(">d", buf[j : j + 8])[0]
        elif kind in (8, 9):
            value = kind - 8
        elif kind >= 12:
            size = (kind - 12) // 2
            raw = bytes(buf[j : j + size])
            value = raw if kind % 2 == 0 else raw.decode("utf-8", "replace")
        elif kind != 0:
            raise ValueError(f"serial type {kind}")
        if j + size > end:
            raise ValueError("record runs past its cell")
        values.append(value)
        j += size
    return tuple(values), tuple(at)


def _page_cells(page: bytes, number: int, base: int, file: str, frame: int) -> Iterator[Cell]:
    head = 100 if number == 1 else 0
    kind = page[head]
    if kind not in (2, 10, 13):  # index interior, index leaf, table leaf (5 holds no records)
        return
    usable = len(page)
    count = int.from_bytes(page[head + 3 : head + 5], "big")
    pointers = head + (12 if kind == 2 else 8)
    for c in range(count):
        offset = int.from_bytes(page[pointers + 2 * c : pointers + 2 * c + 2], "big")
        try:
            i = offset + (4 if kind == 2 else 0)
            size, i = _varint(page, i)
            if kind == 13:
                _rowid, i = _varint(page, i)
            local = usable - 35 if kind == 13 else (usable - 12) * 64 // 255 - 23
            if size > local:
                continue
            values, at = _record(page, i, i + size, base)
        except (ValueError, IndexError):
            continue
        yield Cell(file, frame, number, offset, values, at)


def database_cells(path: Path) -> list[Cell]:
    data = path.read_bytes()
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    return [
        cell
        for n in range(len(data) // size)
        for cell in _page_cells(data[n * size : (n + 1) * size], n + 1, n * size, path.name, 0)
    ]


def wal_cells(path: Path) -> list[Cell]:
    data = path.read_bytes() if path.exists() else b""
    if len(data) < 32:
        return []
    size = int.from_bytes(data[8:12], "big")
    cells, frame, i = [], 0, 32
    while i + 24 + size <= len(data):
        frame += 1
        number = int.from_bytes(data[i : i + 4], "big")
        cells += _page_cells(data[i + 24 : i + 24 + size], number, i + 24, path.name, frame)
        i += 24 + size
    return cells


def newest(cells: list[Cell], wal: Path) -> list[Cell]:
    """The cells of each page as the database reads it now: its last frame in the WAL, or else
    the database file's."""
    data = wal.read_bytes() if wal.exists() else b""
    last: dict[int, int] = {}
    if len(data) >= 32:
        size = int.from_bytes(data[8:12], "big")
        salts = data[16:24]
        # The WAL is reused from its start after a checkpoint: frames of an earlier generation
        # may lie past the current ones. SQLite reads frames while their salts are the header's,
        # and only up to the last commit frame among them; so does this.
        valid: dict[int, int] = {}
        for frame, i in enumerate(range(32, len(data) - 23 - size, 24 + size), start=1):
            if data[i + 8 : i + 16] != salts:
                break
            valid[int.from_bytes(data[i : i + 4], "big")] = frame
            if int.from_bytes(data[i + 4 : i + 8], "big"):  # a commit: all before it counts
                last = dict(valid)
    return [c for c in cells if c.frame == last.get(c.page, 0)]


# --------------------------------------------------------------------------- the scan


def spellings(value: bytes) -> list[bytes]:
    """The ways a receipt may be written down: raw, hex, base64 (the wire's) in both alphabets."""
    forms = [value, value.hex().encode(), value.hex().upper().encode()]
    for encoded in (base64.b64encode(value), base64.urlsafe_b64encode(value)):
        forms += [encoded, encoded.rstrip(b"=")]
    return list(dict.fromkeys(forms))


@dataclass(frozen=True)
class Vote:
    number: str
    delegate_id: int
    receipt: bytes
    marks: p.Marks


@dataclass
class Kept:
    """Everything the room keeps, as the scan reads it."""

    files: dict[Path, bytes]
    #: Each row of each table (PostgreSQL: read through SQL; SQLite: the pages' records).
    rows: list[tuple[Any, ...]]
    cells: list[Cell]  # SQLite only: of the database file and of every frame of its WAL
    current: list[Cell]  # SQLite only: of each page as the database reads it now
    dump: list[str]  # SQLite only: sqlite3.Connection.iterdump()
    log: str  # logs/ and what the process printed
    #: PostgreSQL only, per poll: (delegate_id or receipt) -> (ctid, xmin) of its row.
    places: dict[int, dict[Any, tuple[tuple[int, int], int]]]


def keep(d: DataDir, printed: str, polls: list[int]) -> Kept:
    files = {f: f.read_bytes() for f in sorted(d.root.rglob("*")) if f.is_file()}
    log = printed + "".join(
        data.decode("utf-8", "replace") for f, data in files.items() if f.parent == d.logs
    )
    db_file = d.root / "room.db"
    if db_file.exists():
        wal = d.root / "room.db-wal"
        cells = database_cells(db_file) + wal_cells(wal)
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
            dump = list(conn.iterdump())
        conn.close()
        return Kept(files, [c.values for c in cells], cells, newest(cells, wal), dump, log, {})
    _config, store = d.open()
    try:
        meta = MetaData()
        meta.reflect(store.engine)
        places: dict[int, dict[Any, tuple[tuple[int, int], int]]] = {}
        with store.engine.connect() as conn:
            rows = [tuple(r) for t in meta.sorted_tables for r in conn.execute(select(t))]
            for poll in polls:
                found: dict[Any, tuple[tuple[int, int], int]] = {}
                for table, key in (("poll_voters", "delegate_id"), ("secret_ballots", "receipt")):
                    query = f"SELECT {key}, ctid::text, xmin::text FROM {table} WHERE poll_id = :p"
                    for k, ctid, xmin in conn.execute(text(query), {"p": poll}):
                        page, item = ctid.strip("()").split(",")
                        found[bytes(k) if isinstance(k, memoryview) else k] = (
                            (int(page), int(item)),
                            int(xmin),
                        )
                places[poll] = found
    finally:
        store.dispose()
    rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows]
    return Kept(files, rows, [], [], [], log, places)


def linked_in_rows(kept: Kept, votes: list[Vote]) -> set[str]:
    """Voters whose receipt is kept in a row (or record) that also holds their delegate id."""
    return {
        v.number for v in votes for row in kept.rows if v.receipt in row and v.delegate_id in row
    }


_VALUE = re.compile(r"X'[0-9A-Fa-f]*'|'(?:[^']|'')*'|[^,()]+")


def linked_in_dump(kept: Kept, votes: list[Vote]) -> set[str]:
    """Voters whose receipt is in a line of the SQL dump that also names them."""
    found = set()
    for line in kept.dump:
        if not line.startswith("INSERT INTO"):
            continue
        values = _VALUE.findall(line.split(" VALUES", 1)[1])
        for v in votes:
            if f"X'{v.receipt.hex().upper()}'" in values and str(v.delegate_id) in values:
                found.add(v.number)
    return found


def stray_copies(kept: Kept, votes: list[Vote], poll: int) -> list[str]:
    """Every place a secret receipt is written, in any file, but the receipt of its live ballot
    row (poll, receipt, marks, weight) in the database: there must be none."""
    ballots = {
        (c.file, c.at[1])
        for c in kept.cells
        if c.frame == 0 and len(c.values) == 4 and c.values[0] == poll
    }
    strays = []
    for v in votes:
        for f, data in kept.files.items():
            for form in spellings(v.receipt):
                for m in re.finditer(re.escape(form), data):
                    if (f.name, m.start()) not in ballots:
                        strays.append(f"{v.number}'s receipt in {f.name} at {m.start()}")
    return strays


def best_pairing(voters: list[int], ballots: list[bytes], truth: dict[int, bytes]) -> int:
    """How many voters an attacker links to their ballot by pairing the two tables' rows in the
    order they lie on disk (either way round)."""
    return max(
        sum(truth[v] == b for v, b in zip(voters, order, strict=True))
        for order in (ballots, ballots[::-1])
    )


def orders_on_disk(
    kept: Kept, poll: int, voter_ids: set[int], receipts: set[bytes]
) -> list[tuple[list[Any], list[Any]]]:
    """The poll's voters and its ballots in each order in which they lie. SQLite: where their
    cells are (a page's cells are written from its end, so a later row lies lower). PostgreSQL:
    their ctid, and their xmin (the transaction, or savepoint, that wrote them)."""
    if kept.cells:
        live = [c for c in kept.current if c.values and c.values[0] == poll]
        voters = [c for c in live if len(c.values) == VOTER_COLUMNS and c.values[1] in voter_ids]
        ballots = [c for c in live if len(c.values) == 4 and c.values[1] in receipts]

        def lie(c: Cell) -> tuple[int, int]:
            return (c.page, -c.offset)

        return [
            (
                [c.values[1] for c in sorted(voters, key=lie)],
                [c.values[1] for c in sorted(ballots, key=lie)],
            )
        ]
    places = kept.places[poll]
    found = []
    for key in (lambda k: places[k][0], lambda k: (places[k][1], places[k][0])):
        found.append(
            (
                sorted((k for k in places if k in voter_ids), key=key),
                sorted((k for k in places if k in receipts), key=key),
            )
        )
    return found


# --------------------------------------------------------------------------- secrecy


def test_nothing_the_room_keeps_links_a_secret_ballot_to_its_voter(
    roster_room: DataDir, tmp_path: Path
) -> None:
    """A secret poll and then a named one, the same sixteen delegates voting one at a time in a
    known order (each ballot alone in its batch, the worst case), the server stopped; then every
    file of the data directory, every record of the database's pages, its SQL dump and the
    server's log are searched for a link between a voter and a secret ballot. The named poll's
    votes are found by the same scan, and its rows still lie in the order they were cast."""
    numbers = [f"{n:04d}" for n in range(11, 27)]
    set_limits(roster_room, connections_per_address=100)
    rng = random.SystemRandom()
    cast_order = rng.sample(numbers, len(numbers))
    mark_choices = (YES, NO, ABSTAIN)
    with server_process(roster_room) as (proc, port):
        running = Running(roster_room, port)
        ids = {n: delegate_id(running, n) for n in numbers}
        secret_votes = [Vote(n, ids[n], receipt(), rng.choice(mark_choices)) for n in cast_order]
        named_votes = [Vote(n, ids[n], receipt(), rng.choice(mark_choices)) for n in cast_order]
        server_log = roster_room.logs / "server.log"

        async def scenario() -> tuple[int, int, str]:
            sec, delegates, meeting = await hall(running, tmp_path, numbers)
            device = dict(zip(numbers, delegates, strict=True))
            for d in delegates:
                await ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
            polls, logged = [], ""
            for secret, votes in ((True, secret_votes), (False, named_votes)):
                poll = await new_poll(sec, meeting, p.PollSpec(kind="motion", secret=secret))
                await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
                await until(lambda poll=poll: poll in sec.client.model.polls)
                before = server_log.read_text()
                for v in votes:
                    await ask(
                        device[v.number].client, cast(poll, v.delegate_id, v.marks, v.receipt)
                    )
                # nothing is logged of a vote, whoever cast it
                logged += server_log.read_text()[len(before) :]
                await ask(sec.client, p.PollClose(id=0, poll_id=poll))
                await until(lambda poll=poll: sec.client.model.polls[poll].status == "closed")
                polls.append(poll)
            for r in (sec, *delegates):
                await r.stop()
            return polls[0], polls[1], logged

        secret_poll, named_poll, logged_while_voting = asyncio.run(scenario())
        running.close()
        printed = stop_cleanly(proc)

    assert logged_while_voting == ""
    kept = keep(roster_room, printed, [secret_poll, named_poll])
    # Delegate ids that no poll id or weight can be mistaken for, so a row holding a receipt and
    # a delegate's id is that delegate's row.
    assert not set(ids.values()) & {secret_poll, named_poll, 0, 1}

    # The named poll: the scan finds each voter with their receipt.
    assert linked_in_rows(kept, named_votes) == set(numbers)
    if kept.dump:
        assert linked_in_dump(kept, named_votes) == set(numbers)
    # The secret poll: nowhere.
    assert linked_in_rows(kept, secret_votes) == set()
    assert linked_in_dump(kept, secret_votes) == set()
    for v in (*secret_votes, *named_votes):
        assert not any(form.decode("latin-1") in kept.log for form in spellings(v.receipt))
    receipts = {v.receipt for v in secret_votes}
    voter_ids = set(ids.values())
    if kept.cells:
        # the one place each secret receipt is written: its ballot row
        assert stray_copies(kept, secret_votes, secret_poll) == []
        live = [c.values for c in kept.current]
        voters = [
            v for v in live if len(v) == VOTER_COLUMNS and v[0] == secret_poll and v[1] in voter_ids
        ]
        ballots = [v for v in live if len(v) == 4 and v[1] in receipts]
        assert sorted(v[1] for v in voters) == sorted(voter_ids)  # who voted: nothing more
        assert all(set(v[2:]) == {None} for v in voters), voters
        assert sorted(b[1] for b in ballots) == sorted(receipts)
        with sqlite3.connect(roster_room.root / "room.db") as conn:
            columns = {
                t: {row[1] for row in conn.execute(f"PRAGMA table_info({t})")}
                for t in ("poll_voters", "secret_ballots")
            }
            schema = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'"))
        conn.close()
        # a ballot row names no voter and no time; a voter row of a secret poll holds nothing
        # but its key (above): poll_id is all the two share
        assert columns["secret_ballots"] == {"poll_id", "receipt", "marks", "weight"}
        assert columns["poll_voters"] == {
            "poll_id",
            "delegate_id",
            "receipt",
            "marks",
            "weight",
            "manual",
            "cast_by",  # named polls: the proxy holder; empty in a secret one
        }
        assert "WITHOUT ROWID" in schema["poll_voters"]
        assert "WITHOUT ROWID" in schema["secret_ballots"]
    # Order: the secret poll's ballots do not lie in the order they were cast, nor can they be
    # paired with its voters by where each lies; the named poll's rows, left as cast, do.
    truth = {v.delegate_id: v.receipt for v in secret_votes}
    cast_ids = [v.delegate_id for v in secret_votes]
    as_cast = [truth[d] for d in cast_ids]
    for voters_on_disk, ballots_on_disk in orders_on_disk(kept, secret_poll, voter_ids, receipts):
        assert sorted(voters_on_disk) == sorted(voter_ids)
        assert sorted(ballots_on_disk) == sorted(receipts)
        assert not any(ballots_on_disk == o for o in (as_cast, as_cast[::-1])), (
            "the secret ballots lie in the order they were cast"
        )
        assert best_pairing(cast_ids, ballots_on_disk, truth) <= len(numbers) // 2, (
            "the secret ballots lie roughly in the order they were cast"
        )
        assert best_pairing(voters_on_disk, ballots_on_disk, truth) <= len(numbers) // 2, (
            "the secret poll's voters and ballots pair up by where they lie"
        )
    for named_on_disk, _ in orders_on_disk(kept, named_poll, voter_ids, set()):
        assert named_on_disk == [v.delegate_id for v in named_votes]


# --------------------------------------------------------------------------- the write-ahead log


def test_closing_a_secret_poll_empties_the_write_ahead_log(
    server: ServerThread, tmp_path: Path, database: str | None
) -> None:
    """SQLite's WAL keeps each commit's pages in the order they were written — for a secret poll,
    the order its ballots came in. Closed from a device or from the command line, or cancelled,
    a secret poll leaves it empty; a named poll's close leaves it as it is."""
    if database is not None:
        pytest.skip("PostgreSQL's WAL is the database server's to keep (docs/security.md §4.15)")
    wal = server.datadir.root / "room.db-wal"
    root = str(server.datadir.root)
    numbers = ["0001", "0002", "0003"]
    ids = {n: delegate_id(server, n) for n in numbers}

    async def scenario() -> None:
        sec, delegates, meeting = await hall(server, tmp_path, numbers)
        for d in delegates:
            await ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        secret = p.PollSpec(kind="motion", secret=True)
        polls = {
            "named": await new_poll(sec, meeting, p.PollSpec(kind="motion")),
            "device": await new_poll(sec, meeting, secret),
            "cli": await new_poll(sec, meeting, secret),
            "cancelled": await new_poll(sec, meeting, secret),
        }
        for poll in polls.values():
            await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
            for n, d in zip(numbers, delegates, strict=True):
                await ask(d.client, cast(poll, ids[n], YES, receipt()))
        assert wal.stat().st_size > 0
        await ask(sec.client, p.PollClose(id=0, poll_id=polls["named"]))
        assert wal.stat().st_size > 0  # nothing to hide in a named poll
        await ask(sec.client, p.PollClose(id=0, poll_id=polls["device"]))
        assert wal.stat().st_size == 0
        await ask(sec.client, p.MeetingUpdate(id=0, meeting_id=meeting, title="Phiên 2"))
        assert wal.stat().st_size > 0
        assert server_cli(["poll", "close", root, str(polls["cli"])]) == 0
        assert wal.stat().st_size == 0
        await ask(sec.client, p.MeetingUpdate(id=0, meeting_id=meeting, title="Phiên 3"))
        await ask(sec.client, p.PollCancel(id=0, poll_id=polls["cancelled"]))
        assert wal.stat().st_size == 0
        await until(lambda: sec.client.model.polls[polls["cli"]].status == "closed")
        closed = sec.client.model.polls[polls["cli"]]
        assert closed.result is not None and closed.result.cast == 3
        for r in (sec, *delegates):
            await r.stop()

    asyncio.run(scenario())


# --------------------------------------------------------------------------- two devices, one voter


async def _settled(answer: Awaitable[p.ServerMessage]) -> p.ServerMessage | BaseException:
    try:
        return await answer
    except RequestError as exc:
        return exc


def _outcome(answer: p.ServerMessage | BaseException) -> str:
    if isinstance(answer, p.Ok):
        return "ok"
    assert isinstance(answer, RequestError), answer
    assert answer.code is p.ErrorCode.CONFLICT, answer
    assert answer.message == "this delegate has already voted"
    return "conflict"


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_two_devices_of_one_delegate_voting_at_once_leave_one_vote(
    server: ServerThread, tmp_path: Path, secret: bool
) -> None:
    """Both devices of delegate 0001 send a vote at the same instant, round after round: two
    different votes, the same vote (same receipt), and the same receipt with another choice.
    Exactly one vote stands each time; a different vote from the other device is refused with a
    conflict and a sentence, the very same one is accepted (it is that vote) and counted once."""
    voter = delegate_id(server, "0001")
    rounds = 6
    cases = {
        "different": lambda r: ((YES, r), (NO, receipt())),
        "same": lambda r: ((YES, r), (YES, r)),
        "same receipt, other choice": lambda r: ((YES, r), (NO, r)),
    }
    expected = {
        "different": ["conflict", "ok"],
        "same": ["ok", "ok"],
        "same receipt, other choice": ["conflict", "ok"],
    }

    async def scenario() -> None:
        sec, (first,), meeting = await hall(server, tmp_path, ["0001"])
        second = await Recorder(await enrolled(server, tmp_path / "second", number="0001")).start()
        await ask(first.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        for case, votes in cases.items():
            for n in range(rounds):
                poll = await new_poll(sec, meeting, p.PollSpec(kind="motion", secret=secret))
                await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
                (marks_a, receipt_a), (marks_b, receipt_b) = votes(receipt())
                # alternate which device's frame leaves first; the first round one after the
                # other (two batches, surely), the others at once (one batch, or two)
                devices = (first, second) if n % 2 else (second, first)
                sends = (
                    ask(devices[0].client, cast(poll, voter, marks_a, receipt_a)),
                    ask(devices[1].client, cast(poll, voter, marks_b, receipt_b)),
                )
                if n == 0:
                    answers = [await _settled(s) for s in sends]
                else:
                    answers = await asyncio.gather(*sends, return_exceptions=True)
                outcomes = [_outcome(a) for a in answers]
                assert sorted(outcomes) == expected[case], (case, n, answers)
                won = (marks_a, receipt_a) if outcomes[0] == "ok" else (marks_b, receipt_b)
                await ask(sec.client, p.PollClose(id=0, poll_id=poll))
                await until(lambda poll=poll: sec.client.model.polls[poll].status == "closed")
                closed = sec.client.model.polls[poll]
                assert closed.result is not None and closed.result.cast == 1, (case, n)
                listed = await pollcheck.fetch(first.client.request, closed)
                assert listed.matches
                if secret:
                    assert [(b.receipt, b.marks) for b in listed.ballots] == [won[::-1]]
                else:
                    assert [(v.delegate_id, v.marks) for v in listed.named] == [(voter, won[0])]
        for r in (sec, first, second):
            await r.stop()

    asyncio.run(scenario())


# --------------------------------------------------------------------------- killed in a burst

HOLDERS = 20
#: Each holder present casts their own vote and the 99 proxies they hold: 2,000 voters.
PER_HOLDER = 100
VOTERS = HOLDERS * PER_HOLDER
#: Ballots each holder's device has in flight at once (200 in all).
WINDOW = 10
#: Acknowledgements after which the server is killed.
KILL_AFTER = 800


def congress(d: DataDir) -> tuple[int, list[str], dict[str, list[int]]]:
    """2,000 delegates with a vote, a meeting open and shown; 20 of them present, each holding
    the proxies of 99 others; a named poll open. Written as the command line writes, through the
    domain modules and their handlers, in one unit of work. Returns the poll, the holders'
    numbers, and the voters each holder casts for (their own vote first)."""
    rows = [
        RosterRow(
            line=i + 2,
            number=f"{i:04d}",
            full_name=f"Đại biểu {i}",
            delegation=f"Đoàn {i % 63 + 1}",
            groups=(),
            voting_right=True,
            seat="",
        )
        for i in range(VOTERS)
    ]
    room = RoomTool.open(d)
    try:
        room.store.run(lambda work: roster.import_rows(work, rows), CLI)
        ids = {delegate.number: delegate.id for delegate in room.delegates()}
        meeting = room.new_meeting("Đại hội")
        holders = [f"{h * PER_HOLDER:04d}" for h in range(HOLDERS)]
        voters = {
            holder: [ids[f"{h * PER_HOLDER + k:04d}"] for k in range(PER_HOLDER)]
            for h, holder in enumerate(holders)
        }

        def unit(work: Work) -> int:
            def handle(req: p.ClientRequest) -> Any:
                handler = dispatch.route_for(req).handler
                assert handler is not None
                return handler(work, req)

            handle(p.MeetingUpdate(id=0, meeting_id=meeting, status="open"))
            handle(p.MeetingActivate(id=0, meeting_id=meeting))
            present = [ids[h] for h in holders]
            handle(
                p.AttendanceSet(id=0, meeting_id=meeting, delegate_ids=present, status="present")
            )
            # the proxies straight into their table: through proxy.set, each costs ~7 ms here
            work.db.add_all(
                ProxyRow(meeting_id=meeting, giver_id=giver, holder_id=ids[holder])
                for holder, theirs in voters.items()
                for giver in theirs[1:]
            )
            work.db.flush()
            spec = p.PollSpec(kind="motion")
            created = handle(p.PollCreate(id=0, meeting_id=meeting, title="Nghị quyết", spec=spec))
            handle(p.PollOpen(id=0, poll_id=created.poll_id))
            return int(created.poll_id)

        poll = room.store.run(unit, CLI).result
    finally:
        room.store.dispose()
    return poll, holders, voters


def audit_verify(d: DataDir) -> str:
    """``hemicycle-server audit verify``, as IT staff run it."""
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "audit", "verify", str(d.root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Audit log intact" in done.stdout
    return done.stdout


def stored_votes(d: DataDir, poll: int) -> tuple[dict[int, tuple[bytes, str]], int]:
    """The votes the database holds, and the last turnout its log recorded for the poll."""
    room = RoomTool.open(d)
    try:
        with room.store.read() as db:
            rows = list(db.scalars(select(VoterRow).where(VoterRow.poll_id == poll)))
            votes = {r.delegate_id: (bytes(r.receipt or b""), r.marks or "") for r in rows}
        assert len(votes) == len(rows), "a voter's vote is stored twice"
        logged = 0
        for row in room.events_after(0, 1_000_000):
            body = p.decode_event_body(row.body)
            if isinstance(body, p.TurnoutChanged) and body.turnout.poll_id == poll:
                logged = body.turnout.voted
    finally:
        room.store.dispose()
    return votes, logged


@pytest.mark.slow
def test_a_server_killed_in_a_burst_of_2000_ballots_loses_and_doubles_none(
    room_dir: DataDir, tmp_path: Path
) -> None:
    """2,000 voters (20 delegates present with 99 proxies each) cast at once, one ballot per
    request; the server process is SIGKILLed once 800 are acknowledged. Every acknowledged
    ballot is in the database, once, as sent; nothing is there that was not sent; the log's
    turnout agrees with the table; the audit chain verifies. Restarted, the server answers every
    ballot sent again with the same receipt ok, and any other ballot for those voters conflict;
    the poll counts 2,000."""
    poll, holders, voters = congress(room_dir)
    set_limits(room_dir, connections_per_address=200)
    rng = random.Random(2000)
    ballots = {
        voter: (receipt(), rng.choice((YES, NO, ABSTAIN)))
        for theirs in voters.values()
        for voter in theirs
    }
    acked: dict[int, bytes] = {}
    lost: list[Exception] = []
    profiles: dict[str, Unlocked] = {}

    with server_process(room_dir) as (proc, port):
        running = Running(room_dir, port)

        async def burst() -> None:
            for h in holders:
                profiles[h] = await enrolled(running, tmp_path / h, number=h)
            devices = [await Recorder(profiles[h]).start() for h in holders]
            running.close()
            loop = asyncio.get_running_loop()
            killing: list[asyncio.TimerHandle] = []

            async def send(client: Any, voter: int, window: asyncio.Semaphore) -> None:
                proof, marks = ballots[voter]
                async with window:
                    if proc.poll() is not None:
                        return
                    try:
                        answer = await client.request(cast(poll, voter, marks, proof))
                    except NotConnected as exc:
                        lost.append(exc)
                        return
                assert isinstance(answer, p.Ok), answer
                acked[voter] = proof
                if len(acked) >= KILL_AFTER and not killing:
                    # a moment later, not as an answer arrives: a batch may be committing then
                    kill = partial(os.kill, proc.pid, signal.SIGKILL)
                    killing.append(loop.call_later(rng.uniform(0, 0.05), kill))

            await asyncio.gather(
                *(
                    send(device.client, voter, window)
                    for device, holder in zip(devices, holders, strict=True)
                    for window in [asyncio.Semaphore(WINDOW)]
                    for voter in voters[holder]
                )
            )
            for device in devices:
                await device.stop()

        asyncio.run(burst())
        assert proc.wait(10) == -signal.SIGKILL

    assert KILL_AFTER <= len(acked) < VOTERS, "the server was not killed in the middle"
    stored, logged = stored_votes(room_dir, poll)
    marks_text = {voter: p.encode(m).decode() for voter, (_r, m) in ballots.items()}
    for voter, proof in acked.items():
        assert stored.get(voter) == (proof, marks_text[voter]), f"acknowledged vote {voter} lost"
    for voter, (proof, marks) in stored.items():
        assert (proof, marks) == (ballots[voter][0], marks_text[voter]), "a vote nobody sent"
    assert logged == len(stored), "the log's turnout disagrees with the votes stored"
    audit_verify(room_dir)

    with server_process(room_dir, port) as (proc, _port):

        async def again() -> tuple[p.Poll, pollcheck.Published]:
            devices = [await Recorder(profiles[h]).start() for h in holders]

            async def resend(client: Any, voter: int, proof: bytes, marks: p.Marks) -> str:
                try:
                    await client.request(cast(poll, voter, marks, proof))
                except RequestError as exc:
                    assert exc.code is p.ErrorCode.CONFLICT, exc
                    return "conflict"
                return "ok"

            same = await asyncio.gather(
                *(
                    resend(device.client, voter, *ballots[voter])
                    for device, holder in zip(devices, holders, strict=True)
                    for voter in voters[holder]
                )
            )
            assert same == ["ok"] * VOTERS
            other = await asyncio.gather(
                *(
                    resend(device.client, voter, receipt(), NO if ballots[voter][1] != NO else YES)
                    for device, holder in zip(devices, holders, strict=True)
                    for voter in voters[holder]
                )
            )
            assert other == ["conflict"] * VOTERS
            assert server_cli(["poll", "close", str(room_dir.root), str(poll)]) == 0
            watcher = devices[0].client
            await until(lambda: watcher.model.polls[poll].status == "closed", 30)
            closed = watcher.model.polls[poll]
            published = await pollcheck.fetch(watcher.request, closed)
            for device in devices:
                await device.stop()
            return closed, published

        closed, published = asyncio.run(again())
        stop_cleanly(proc)

    assert closed.result is not None and closed.result.cast == VOTERS
    assert published.matches
    assert {v.delegate_id: v.marks for v in published.named} == {
        voter: marks for voter, (_r, marks) in ballots.items()
    }
    stored, logged = stored_votes(room_dir, poll)
    assert len(stored) == logged == VOTERS
    audit_verify(room_dir)
