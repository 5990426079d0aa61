"""Votes through the protocol, against the real server: attendance, who may vote, named and secret
polls counted and signed by the room, idempotent resubmission, batches of simultaneous ballots,
proxies, the timer, and what a secret poll leaves in the database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import pollcheck, pollrecord
from app import protocol as p
from app.client import RoomClient
from server.cli import main as server_cli
from server.db import SecretBallotRow, VoterRow
from server.domains import polls
from server.store import CLI
from tests.conftest import ServerThread
from tests.server.test_server import Recorder, enrolled, until
from tests.server.test_sizes import congress_roster

YES = p.Marks(answer="yes")
NO = p.Marks(answer="no")


def receipt() -> bytes:
    return os.urandom(p.RECEIPT_BYTES)


def delegate_id(server: ServerThread, number: str) -> int:
    return next(d.id for d in server.room.delegates() if d.number == number)


async def ask(client: RoomClient, msg: p.ClientRequest) -> p.ServerMessage:
    return await client.request(msg)


async def refused(client: RoomClient, msg: p.ClientRequest) -> p.ErrorCode:
    with pytest.raises(Exception) as caught:
        await client.request(msg)
    code = getattr(caught.value, "code", None)
    assert isinstance(code, p.ErrorCode), caught.value
    return code


async def hall(
    server: ServerThread, tmp_path: Path, numbers: list[str]
) -> tuple[Recorder, list[Recorder], int]:
    """A secretary, delegates with the given numbers, and an open meeting on screen."""
    sec = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
    delegates = [
        await Recorder(await enrolled(server, tmp_path / f"d{n}", number=n)).start()
        for n in numbers
    ]
    created = await ask(sec.client, p.MeetingCreate(id=0, title="Đại hội"))
    assert isinstance(created, p.MeetingCreated)
    meeting = created.meeting_id
    await ask(sec.client, p.MeetingUpdate(id=0, meeting_id=meeting, status="open"))
    await ask(sec.client, p.MeetingActivate(id=0, meeting_id=meeting))
    return sec, delegates, meeting


async def new_poll(sec: Recorder, meeting: int, spec: p.PollSpec, title: str = "Nghị quyết") -> int:
    created = await ask(sec.client, p.PollCreate(id=0, meeting_id=meeting, title=title, spec=spec))
    assert isinstance(created, p.PollCreated)
    return created.poll_id


def cast(poll: int, voter: int, marks: p.Marks, proof: bytes) -> p.BallotCast:
    return p.BallotCast(
        id=0, poll_id=poll, votes=[p.Vote(delegate_id=voter, receipt=proof, marks=marks)]
    )


def test_a_named_motion_from_check_in_to_signed_result(
    server: ServerThread, tmp_path: Path
) -> None:
    ids = {n: delegate_id(server, n) for n in ("0001", "0002", "0003")}

    async def scenario() -> None:
        sec, (d1, d2, d3), meeting = await hall(server, tmp_path, ["0001", "0002", "0003"])
        display = await Recorder(await enrolled(server, tmp_path / "wall", "display")).start()
        await ask(d1.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        await ask(d2.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        poll = await new_poll(sec, meeting, p.PollSpec(kind="motion"))
        # delegates and the display run no poll
        assert await refused(d1.client, p.PollOpen(id=0, poll_id=poll)) is p.ErrorCode.FORBIDDEN
        assert await refused(d1.client, cast(poll, ids["0001"], YES, receipt())) is (
            p.ErrorCode.POLL_NOT_OPEN
        )
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        await until(lambda: d3.client.model.polls.get(poll) is not None)
        assert d3.client.model.polls[poll].status == "open"
        mine = receipt()
        await ask(d1.client, cast(poll, ids["0001"], YES, mine))
        await ask(d1.client, cast(poll, ids["0001"], YES, mine))  # the answer was lost: again
        assert await refused(d1.client, cast(poll, ids["0001"], NO, receipt())) is (
            p.ErrorCode.CONFLICT
        )
        assert await refused(d1.client, cast(poll, ids["0002"], NO, receipt())) is (
            p.ErrorCode.NOT_ELIGIBLE  # no proxy of 0002
        )
        assert await refused(d3.client, cast(poll, ids["0003"], NO, receipt())) is (
            p.ErrorCode.NOT_ELIGIBLE  # not checked in
        )
        assert await refused(display.client, cast(poll, ids["0003"], NO, receipt())) is (
            p.ErrorCode.FORBIDDEN
        )
        bad = p.Marks(chosen=[1])
        assert await refused(d2.client, cast(poll, ids["0002"], bad, receipt())) is (
            p.ErrorCode.INVALID_ARGUMENT
        )
        await ask(d2.client, cast(poll, ids["0002"], NO, receipt()))
        await until(lambda: sec.client.model.turnout.get(poll, p.Turnout(poll_id=poll)).voted == 2)
        assert sec.client.model.turnout[poll].voters == sorted([ids["0001"], ids["0002"]])
        assert poll not in d1.client.model.turnout  # turnout is for staff
        await ask(sec.client, p.PollClose(id=0, poll_id=poll))
        await until(lambda: d3.client.model.polls[poll].status == "closed")
        closed = d3.client.model.polls[poll]
        assert closed.result is not None
        assert closed.result.totals == [p.OptionTotal(option_id=0, yes=1, no=1, abstain=0)]
        assert closed.result.outcome == "tie"  # simple majority, one each
        published = await pollcheck.fetch(d3.client.request, closed)
        assert published.matches
        assert [(v.delegate_id, v.marks) for v in published.named] == [
            (ids["0001"], YES),
            (ids["0002"], NO),
        ]
        assert published.voters[ids["0002"]].number == "0002"
        mine = [p.Vote(delegate_id=ids["0001"], receipt=mine, marks=YES)]
        assert pollcheck.find(published, closed, mine) == {ids["0001"]: pollcheck.Found.AS_CAST}
        assert pollrecord.signature_holds(closed, d3.client.identity.room_key)
        forged = p.Poll(**{**_fields(closed), "title": "Nghị quyết khác"})
        assert not pollrecord.signature_holds(forged, d3.client.identity.room_key)
        assert await refused(d2.client, cast(poll, ids["0002"], YES, receipt())) is (
            p.ErrorCode.POLL_NOT_OPEN
        )
        for r in (sec, d1, d2, d3, display):
            await r.stop()

    asyncio.run(scenario())


def _fields(poll: p.Poll) -> dict[str, object]:
    return {f: getattr(poll, f) for f in poll.__struct_fields__}


def test_a_secret_poll_publishes_receipts_and_keeps_voters_apart(
    server: ServerThread, tmp_path: Path
) -> None:
    numbers = ["0001", "0002", "0003"]
    ids = {n: delegate_id(server, n) for n in numbers}
    receipts = {n: receipt() for n in numbers}
    choices = {"0001": YES, "0002": NO, "0003": YES}

    async def scenario() -> tuple[int, list[p.SecretBallot]]:
        sec, delegates, meeting = await hall(server, tmp_path, numbers)
        for d in delegates:
            await ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        spec = p.PollSpec(kind="motion", secret=True, majority=p.Majority(rule="absolute"))
        poll = await new_poll(sec, meeting, spec)
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        await asyncio.gather(
            *(
                ask(d.client, cast(poll, ids[n], choices[n], receipts[n]))
                for n, d in zip(numbers, delegates, strict=True)
            )
        )
        await until(lambda: sec.client.model.turnout.get(poll, p.Turnout(poll_id=poll)).voted == 3)
        assert sec.client.model.turnout[poll].voters == []  # a count, never names
        assert sec.client.model.polls[poll].result is None  # nothing counted while open
        assert await refused(sec.client, p.PollBallots(id=0, poll_id=poll)) is p.ErrorCode.CONFLICT
        await ask(sec.client, p.PollClose(id=0, poll_id=poll))
        d1 = delegates[0]
        await until(lambda: d1.client.model.polls[poll].status == "closed")
        closed = d1.client.model.polls[poll]
        listed = await pollcheck.fetch(d1.client.request, closed)
        assert listed.named == [] and listed.matches
        assert closed.result is not None and closed.result.outcome == "adopted"  # 2 of 3 > 1.5
        assert pollrecord.secret_list_hash(listed.ballots) == closed.ballots_hash
        own = p.Vote(delegate_id=ids["0001"], receipt=receipts["0001"], marks=YES)
        lying = p.Vote(delegate_id=ids["0002"], receipt=receipts["0002"], marks=YES)
        stranger = p.Vote(delegate_id=ids["0003"], receipt=receipt(), marks=YES)
        assert pollcheck.find(listed, closed, [own, lying, stranger]) == {
            ids["0001"]: pollcheck.Found.AS_CAST,
            ids["0002"]: pollcheck.Found.OTHER_MARKS,
            ids["0003"]: pollcheck.Found.MISSING,
        }
        assert pollrecord.signature_holds(closed, d1.client.identity.room_key)
        for r in (sec, *delegates):
            await r.stop()
        return poll, listed.ballots

    poll, ballots = asyncio.run(scenario())
    assert sorted((b.receipt, b.marks) for b in ballots) == sorted(
        (receipts[n], choices[n]) for n in numbers
    )
    with server.room.store.read() as db:
        voters = list(db.scalars(select(VoterRow).where(VoterRow.poll_id == poll)))
        secret = list(db.scalars(select(SecretBallotRow).where(SecretBallotRow.poll_id == poll)))
    assert sorted(v.delegate_id for v in voters) == sorted(ids.values())
    assert all(v.receipt is None and v.marks is None and v.weight is None for v in voters)
    assert sorted(s.receipt for s in secret) == sorted(receipts.values())
    rows = sqlite3.connect(server.datadir.root / "room.db").execute(
        "SELECT name, sql FROM sqlite_master WHERE name IN ('poll_voters', 'secret_ballots')"
    )
    assert all("WITHOUT ROWID" in sql for _name, sql in rows)  # stored in key order


def test_a_hall_voting_at_once_is_committed_in_batches_each_once(
    server: ServerThread, tmp_path: Path
) -> None:
    numbers = [f"{n:04d}" for n in range(1, 13)]
    ids = [delegate_id(server, n) for n in numbers]

    async def scenario() -> p.Poll:
        sec, delegates, meeting = await hall(server, tmp_path, numbers[:1])
        everyone = [delegate_id(server, n) for n in numbers]
        await ask(
            sec.client,
            p.AttendanceSet(id=0, meeting_id=meeting, delegate_ids=everyone, status="present"),
        )
        poll = await new_poll(sec, meeting, p.PollSpec(kind="motion", secret=True))
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        # secretary records them by hand? no: a secret poll takes no manual votes
        manual = cast(poll, ids[1], YES, receipt())
        assert await refused(sec.client, manual) is p.ErrorCode.INVALID_ARGUMENT
        (d1,) = delegates
        own = [receipt() for _ in numbers]
        # one delegate's device sends the same ballot many times at once, as a flaky link would
        sends = [ask(d1.client, cast(poll, ids[0], YES, own[0])) for _ in range(8)]
        answers = await asyncio.gather(*sends, return_exceptions=True)
        assert all(isinstance(a, p.Ok) for a in answers), answers
        await ask(sec.client, p.PollClose(id=0, poll_id=poll))
        await until(lambda: sec.client.model.polls[poll].status == "closed")
        closed = sec.client.model.polls[poll]
        for r in (sec, *delegates):
            await r.stop()
        return closed

    closed = asyncio.run(scenario())
    assert closed.result is not None
    assert closed.result.cast == 1  # eight sends, one ballot
    assert closed.result.present == 12


def test_proxies_split_in_one_action_and_quorum_counts_the_represented(
    server: ServerThread, tmp_path: Path
) -> None:
    numbers = ["0001", "0002", "0003", "0004"]
    ids = {n: delegate_id(server, n) for n in numbers}

    async def scenario() -> tuple[p.Poll, pollcheck.Published]:
        sec, (holder,), meeting = await hall(server, tmp_path, ["0001"])
        await ask(holder.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        for giver in ("0002", "0003"):
            await ask(
                sec.client,
                p.ProxySet(id=0, meeting_id=meeting, giver_id=ids[giver], holder_id=ids["0001"]),
            )
        # the holder's device knows whose votes it carries, by name and number
        await until(lambda: len(holder.client.model.proxies) == 2)
        held = holder.client.model.proxies[(meeting, ids["0002"])]
        assert (held.holder_id, held.giver_number) == (ids["0001"], "0002")
        giver = next(d for d in server.room.delegates() if d.id == ids["0002"])
        assert held.giver_name == giver.full_name
        chain = p.ProxySet(id=0, meeting_id=meeting, giver_id=ids["0001"], holder_id=ids["0004"])
        assert await refused(sec.client, chain) is p.ErrorCode.INVALID_ARGUMENT
        spec = p.PollSpec(kind="motion", groups=[], quorum=p.Quorum(kind="count", count=3))
        poll = await new_poll(sec, meeting, spec)
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        split = p.BallotCast(
            id=0,
            poll_id=poll,
            votes=[
                p.Vote(delegate_id=ids["0001"], receipt=receipt(), marks=YES),
                p.Vote(delegate_id=ids["0002"], receipt=receipt(), marks=YES),
                p.Vote(delegate_id=ids["0003"], receipt=receipt(), marks=NO),
            ],
        )
        await ask(holder.client, split)
        stranger = cast(poll, ids["0004"], YES, receipt())
        assert await refused(holder.client, stranger) is p.ErrorCode.NOT_ELIGIBLE
        await until(lambda: poll in sec.client.model.turnout)
        counted = sec.client.model.turnout[poll]
        assert (counted.voted, counted.eligible) == (3, 3)  # one present, two represented
        await ask(sec.client, p.PollClose(id=0, poll_id=poll))
        await until(lambda: sec.client.model.polls[poll].status == "closed")
        closed = sec.client.model.polls[poll]
        published = await pollcheck.fetch(holder.client.request, closed)
        for r in (sec, holder):
            await r.stop()
        return closed, published

    closed, published = asyncio.run(scenario())
    assert closed.result is not None
    assert closed.result.present == 3  # one there, two represented
    assert closed.result.quorate and closed.result.outcome == "adopted"  # 2 yes > 1 no
    assert [(v.delegate_id, v.marks.answer, v.by) for v in published.named] == [
        (ids["0001"], "yes", None),  # their own
        (ids["0002"], "yes", ids["0001"]),  # cast by the holder of their proxy
        (ids["0003"], "no", ids["0001"]),
    ]
    assert published.matches  # the holders are in the signed list
    assert set(published.voters) == {ids["0001"], ids["0002"], ids["0003"]}


def test_a_poll_with_a_time_limit_closes_itself(server: ServerThread, tmp_path: Path) -> None:
    async def scenario() -> p.Poll:
        sec, (d1,), meeting = await hall(server, tmp_path, ["0001"])
        poll = await new_poll(sec, meeting, p.PollSpec(kind="motion", seconds=10))
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        await until(lambda: d1.client.model.polls.get(poll) is not None)
        opened = d1.client.model.polls[poll]
        assert opened.closes_at is not None and opened.opened_at is not None
        assert opened.closes_at - opened.opened_at == pytest.approx(10, abs=0.01)
        await until(lambda: d1.client.model.polls[poll].status == "closed", 15)
        closed = d1.client.model.polls[poll]
        assert closed.closed_at is not None and closed.closed_at >= opened.closes_at
        for r in (sec, d1):
            await r.stop()
        return closed

    started = time.monotonic()
    closed = asyncio.run(scenario())
    assert time.monotonic() - started >= 9
    assert closed.result is not None and closed.result.cast == 0


def test_poll_verify_finds_a_changed_removed_or_added_ballot_and_a_bad_signature(
    server: ServerThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    numbers = ["0001", "0002", "0003"]
    ids = {n: delegate_id(server, n) for n in numbers}
    root = str(server.datadir.root)

    async def scenario() -> int:
        sec, delegates, meeting = await hall(server, tmp_path, numbers)
        for d in delegates:
            await ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        assert server_cli(["poll", "add", root, str(meeting), "Bầu ban", "--secret"]) == 0
        await until(lambda: bool(sec.client.model.polls))
        poll = max(sec.client.model.polls)
        assert server_cli(["poll", "open", root, str(poll)]) == 0
        await until(lambda: delegates[0].client.model.polls[poll].status == "open")
        for n, d in zip(numbers, delegates, strict=True):
            await ask(d.client, cast(poll, ids[n], NO if n == "0003" else YES, receipt()))
        for r in (sec, *delegates):
            await r.stop()
        return poll

    poll = asyncio.run(scenario())
    assert server_cli(["poll", "close", root, str(poll)]) == 0
    assert "outcome: adopted" in capsys.readouterr().out  # 2 yes, 1 no
    engine = server.room.store.engine

    def verify() -> tuple[int, str]:
        code = server_cli(["poll", "verify", root, str(poll)])
        out = capsys.readouterr()
        return code, out.out + out.err

    def change(sql: str, **values: object) -> None:
        with engine.begin() as conn:
            conn.execute(text(sql), {"poll": poll, **values})

    code, said = verify()
    assert code == 0 and "verifies" in said
    with engine.connect() as conn:
        receipt_, marks, weight = conn.execute(
            text(
                "SELECT receipt, marks, weight FROM secret_ballots WHERE poll_id = :poll "
                "AND marks LIKE '%no%'"
            ),
            {"poll": poll},
        ).one()
        signature = conn.execute(
            text("SELECT signature FROM polls WHERE id = :poll"), {"poll": poll}
        ).scalar_one()
    yes = p.encode(YES).decode()
    # changed: the "no" becomes a "yes"
    change("UPDATE secret_ballots SET marks = :m WHERE receipt = :r", m=yes, r=receipt_)
    code, said = verify()
    assert code == 2 and "not the list" in said and "recount" in said
    change("UPDATE secret_ballots SET marks = :m WHERE receipt = :r", m=marks, r=receipt_)
    assert verify()[0] == 0
    # removed
    change("DELETE FROM secret_ballots WHERE receipt = :r", r=receipt_)
    code, said = verify()
    assert code == 2 and "not the list" in said
    row = {"r": receipt_, "m": marks, "w": weight}
    insert = (
        "INSERT INTO secret_ballots (poll_id, receipt, marks, weight) VALUES (:poll, :r, :m, :w)"
    )
    change(insert, **row)
    assert verify()[0] == 0
    # added
    stuffed = os.urandom(p.RECEIPT_BYTES)
    change(insert, r=stuffed, m=yes, w=1)
    code, said = verify()
    assert code == 2 and "not the list" in said
    change("DELETE FROM secret_ballots WHERE receipt = :r", r=stuffed)
    assert verify()[0] == 0
    # a signature that is not the room's
    change("UPDATE polls SET signature = :s WHERE id = :poll", s=bytes(64))
    code, said = verify()
    assert code == 2 and "signature" in said
    change("UPDATE polls SET signature = :s WHERE id = :poll", s=signature)
    assert verify()[0] == 0


def test_a_congress_sized_roll_call_closes_and_its_list_comes_in_pages(
    server: ServerThread, tmp_path: Path
) -> None:
    """1,600 named votes on 20 candidates: far more than a frame. The close is one small event,
    and the list is fetched in pages that a device accepts and checks against the signature."""
    root = str(server.datadir.root)
    assert server_cli(["roster", "import", root, str(congress_roster(tmp_path / "r.csv"))]) == 0
    everyone = [d.id for d in server.room.delegates()]
    candidates = [p.PollOption(id=n, label=f"Ứng cử viên số {n}") for n in range(1, 21)]
    spec = p.PollSpec(kind="per_candidate", options=candidates)
    answers = p.Marks(answers=["yes", "no", "abstain", "yes"] * 5)

    async def scenario() -> tuple[p.Poll, pollcheck.Published, int, bytes]:
        sec, (d1,), meeting = await hall(server, tmp_path, ["0001"])
        await ask(
            sec.client,
            p.AttendanceSet(id=0, meeting_id=meeting, delegate_ids=everyone, status="present"),
        )
        poll = await new_poll(sec, meeting, spec, title="Bầu Ban Chấp hành")
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        for at in range(0, len(everyone), 200):  # a secretary's manual votes, 200 a request
            votes = [
                p.Vote(delegate_id=d, receipt=receipt(), marks=answers)
                for d in everyone[at : at + 200]
            ]
            await ask(sec.client, p.BallotCast(id=0, poll_id=poll, votes=votes))
        await ask(sec.client, p.PollClose(id=0, poll_id=poll))
        await until(lambda: d1.client.model.polls[poll].status == "closed")
        closed = d1.client.model.polls[poll]
        pages = 0

        async def counted(msg: p.ClientRequest) -> p.ServerMessage:
            nonlocal pages
            pages += 1
            return await d1.client.request(msg)

        published = await pollcheck.fetch(counted, closed)
        for r in (sec, d1):
            await r.stop()
        return closed, published, pages, d1.client.identity.room_key

    closed, published, pages, room_key = asyncio.run(scenario())
    assert closed.result is not None and closed.result.cast == len(everyone)
    assert published.matches and len(published.named) == len(everyone)
    assert pages > 1
    assert set(published.voters) == set(everyone)
    assert pollrecord.signature_holds(closed, room_key)


def test_a_secret_list_split_over_pages_is_whole_and_checked(
    server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = ["0001", "0002", "0003"]
    ids = {n: delegate_id(server, n) for n in numbers}
    monkeypatch.setattr(polls, "PAGE_BYTES", 40)  # one ballot a page

    async def scenario() -> pollcheck.Published:
        sec, delegates, meeting = await hall(server, tmp_path, numbers)
        for d in delegates:
            await ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        poll = await new_poll(sec, meeting, p.PollSpec(kind="motion", secret=True))
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        for n, d in zip(numbers, delegates, strict=True):
            await ask(d.client, cast(poll, ids[n], YES, receipt()))
        await ask(sec.client, p.PollClose(id=0, poll_id=poll))
        await until(lambda: delegates[0].client.model.polls[poll].status == "closed")
        closed = delegates[0].client.model.polls[poll]
        third = await ask(delegates[0].client, p.PollBallots(id=0, poll_id=poll, start=2))
        assert isinstance(third, p.BallotList) and len(third.ballots) == 1 and third.next is None
        published = await pollcheck.fetch(delegates[0].client.request, closed)
        for r in (sec, *delegates):
            await r.stop()
        return published

    published = asyncio.run(scenario())
    assert len(published.ballots) == 3 and published.matches


def test_weights_from_the_roster_count_in_a_weighted_poll(
    server: ServerThread, tmp_path: Path
) -> None:
    roster = tmp_path / "weights.csv"
    roster.write_text(
        "number,full_name,weight\n0001,Nguyễn Văn An,70\n0002,Trần Thị Bình,30\n", encoding="utf-8"
    )
    assert server_cli(["roster", "import", str(server.datadir.root), str(roster)]) == 0
    ids = {n: delegate_id(server, n) for n in ("0001", "0002")}

    async def scenario() -> p.Poll:
        sec, (d1, d2), meeting = await hall(server, tmp_path, ["0001", "0002"])
        for d in (d1, d2):
            await ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        poll = await new_poll(sec, meeting, p.PollSpec(kind="motion", weighted=True))
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        await ask(d1.client, cast(poll, ids["0001"], NO, receipt()))
        await ask(d2.client, cast(poll, ids["0002"], YES, receipt()))
        await ask(sec.client, p.PollClose(id=0, poll_id=poll))
        await until(lambda: sec.client.model.polls[poll].status == "closed")
        assert sec.client.model.delegates[ids["0001"]].weight == 70
        closed = sec.client.model.polls[poll]
        for r in (sec, d1, d2):
            await r.stop()
        return closed

    closed = asyncio.run(scenario())
    assert closed.result is not None
    assert closed.result.totals == [p.OptionTotal(option_id=0, yes=30, no=70, abstain=0)]
    assert closed.result.outcome == "rejected"


def test_a_hall_checking_in_at_once_is_committed_and_announced_in_batches(
    server: ServerThread, tmp_path: Path
) -> None:
    numbers = [f"{n:04d}" for n in range(1, 13)]

    async def scenario() -> tuple[int, int]:
        sec, delegates, meeting = await hall(server, tmp_path, numbers)
        before = server.room.last_seq()
        answers = await asyncio.gather(
            *(ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting)) for d in delegates)
        )
        assert all(isinstance(a, p.Ok) for a in answers)
        await until(lambda: len(sec.client.model.attendance) == len(numbers))
        assert {a.status for a in sec.client.model.attendance.values()} == {"present"}
        assert not any(a.manual for a in sec.client.model.attendance.values())
        kinds = [r.kind for r in server.room.events_after(before)]
        # a closed meeting takes no check-in, and says so
        await ask(sec.client, p.MeetingUpdate(id=0, meeting_id=meeting, status="closed"))
        late = p.AttendanceCheckIn(id=0, meeting_id=meeting)
        assert await refused(delegates[0].client, late) is p.ErrorCode.CONFLICT
        for r in (sec, *delegates):
            await r.stop()
        return kinds.count("attendance.changed"), len(numbers)

    events, check_ins = asyncio.run(scenario())
    assert 1 <= events < check_ins  # one event per batch, not one per delegate


def test_paper_ballots_join_a_secret_count_and_a_poll_may_run_on_paper_alone(
    server: ServerThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    numbers = ["0001", "0002", "0003", "0004", "0005"]
    ids = {n: delegate_id(server, n) for n in numbers}
    root = str(server.datadir.root)
    on_paper = p.PaperCount(
        ballots=2, abstain=0, invalid=1, totals=[p.OptionTotal(option_id=0, yes=0, no=2)]
    )

    async def scenario() -> tuple[int, int]:
        sec, delegates, meeting = await hall(server, tmp_path, numbers)
        for d in delegates:
            await ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        spec = p.PollSpec(kind="motion", secret=True)
        poll = await new_poll(sec, meeting, spec)
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        # two vote on their devices; the other three's devices failed and they vote on paper
        for n in ("0001", "0002"):
            await ask(delegates[int(n) - 1].client, cast(poll, ids[n], YES, receipt()))
        # 2 on devices + 2 counted + 1 spoiled is 5, of 5 present; 3 would be too many
        too_many = p.PaperCount(
            ballots=3, invalid=1, totals=[p.OptionTotal(option_id=0, yes=0, no=3)]
        )
        close = p.PollClose(id=0, poll_id=poll, paper=too_many)
        assert await refused(sec.client, close) is p.ErrorCode.INVALID_ARGUMENT
        assert sec.client.model.polls[poll].status == "open"  # nothing closed: correct it
        await ask(sec.client, p.PollClose(id=0, poll_id=poll, paper=on_paper))
        d1 = delegates[0]
        await until(lambda: d1.client.model.polls[poll].status == "closed")
        closed = d1.client.model.polls[poll]
        assert closed.paper == on_paper
        assert closed.result is not None
        assert closed.result.totals == [p.OptionTotal(option_id=0, yes=2, no=2, abstain=0)]
        assert closed.result.cast == 4 and closed.result.outcome == "tie"
        assert pollrecord.signature_holds(closed, d1.client.identity.room_key)
        forged = p.Poll(**{**_fields(closed), "paper": p.PaperCount(ballots=2, totals=[])})
        assert not pollrecord.signature_holds(forged, d1.client.identity.room_key)
        listed = await pollcheck.fetch(d1.client.request, closed)
        assert listed.matches and len(listed.ballots) == 2  # the list is the devices' ballots
        # a poll run on paper alone: closed from draft with its count, never opened on devices
        whole = await new_poll(sec, meeting, p.PollSpec(kind="motion"), "Biểu quyết giấy")
        assert await refused(sec.client, p.PollClose(id=0, poll_id=whole)) is (
            p.ErrorCode.CONFLICT  # a draft closes with a paper count only
        )
        counted = p.PaperCount(
            ballots=5, abstain=1, totals=[p.OptionTotal(option_id=0, yes=3, no=1, abstain=1)]
        )
        await ask(sec.client, p.PollClose(id=0, poll_id=whole, paper=counted))
        await until(lambda: d1.client.model.polls[whole].status == "closed")
        run = d1.client.model.polls[whole]
        assert run.opened_at is None and run.result is not None
        assert run.result.outcome == "adopted" and run.result.cast == 5
        for r in (sec, *delegates):
            await r.stop()
        return poll, whole

    poll, whole = asyncio.run(scenario())
    for which in (poll, whole):
        assert server_cli(["poll", "verify", root, str(which)]) == 0
    said = capsys.readouterr().out
    assert "2 ballots stored as signed, and the recount and 2 paper ballots" in said
    assert "0 ballots stored as signed, and the recount and 5 paper ballots" in said
    assert server_cli(["poll", "show", root, str(poll)]) == 0
    assert "of which on paper: 2 ballots, 0 abstaining; 1 invalid" in capsys.readouterr().out
    # a paper count changed after the room signed it no longer verifies
    changed = p.PaperCount(ballots=2, totals=[p.OptionTotal(option_id=0, yes=1, no=1)])
    with server.room.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE polls SET paper = :paper WHERE id = :poll"),
            {"paper": p.encode(changed).decode(), "poll": poll},
        )
    assert server_cli(["poll", "verify", root, str(poll)]) == 2
    assert "signature" in capsys.readouterr().err


def test_a_secret_poll_closed_by_a_server_stopped_before_settling_is_settled_at_start(
    server: ServerThread, tmp_path: Path
) -> None:
    numbers = ["0001", "0002"]
    ids = {n: delegate_id(server, n) for n in numbers}

    async def scenario() -> int:
        sec, delegates, meeting = await hall(server, tmp_path, numbers)
        for d in delegates:
            await ask(d.client, p.AttendanceCheckIn(id=0, meeting_id=meeting))
        poll = await new_poll(sec, meeting, p.PollSpec(kind="motion", secret=True))
        await ask(sec.client, p.PollOpen(id=0, poll_id=poll))
        for n, d in zip(numbers, delegates, strict=True):
            await ask(d.client, cast(poll, ids[n], YES, receipt()))
        for r in (sec, *delegates):
            await r.stop()
        return poll

    poll = asyncio.run(scenario())
    server.stop()
    store = server.room.store
    # The close commits, and the process dies before the unit that follows it runs: a server
    # leaves follow-ups to whoever sends the events (checkpoint_later), and here no one does.
    store.checkpoint_later = True
    try:
        outcome = store.run(lambda work: polls.close(work, polls.get(work.db, poll)), CLI)
    finally:
        store.checkpoint_later = False
    assert outcome.follow_ups  # left to run
    with store.read() as db:
        assert polls.get(db, poll).status == "closed" and not polls.get(db, poll).settled
    server.start()
    with store.read() as db:
        assert polls.get(db, poll).settled  # written again in key order at start
