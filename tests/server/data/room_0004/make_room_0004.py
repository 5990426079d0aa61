"""How ``room.sql`` and the files beside it were made: by Hemicycle 0.1.0 itself (schema 0004,
commit 4d8e0de), through its own command line and server, the way a hall uses it.

Run from a copy of that commit, with this file from here::

    git archive 4d8e0de | tar -x -C /tmp/h-0.1.0
    cd /tmp/h-0.1.0 && PYTHONPATH=. python PATH/TO/make_room_0004.py /tmp/room
    python -c "import sqlite3; c = sqlite3.connect('/tmp/room/room.db'); \
        print('\\n'.join(c.iterdump()))" > room.sql
    cp /tmp/room/{room-key.pem,room-cert.pem,storage.key,config.toml} .

It imports that version's modules, not this tree's: it is kept as the record of what the room
holds, and is not run by the tests (tests/server/test_upgrade.py loads its output).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

from app import protocol as p
from app.resources import sample_dir
from server.cli import main as server_cli
from tests.conftest import ServerThread, make_room
from tests.server.test_server import Recorder, enrolled, until

OUT = Path(sys.argv[1])
YES, NO, ABSTAIN = (p.Marks(answer=a) for a in ("yes", "no", "abstain"))


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    room = make_room(OUT, name="Đại hội thử nghiệm")
    root = str(room.root)
    assert server_cli(["roster", "import", root, str(sample_dir() / "roster.csv")]) == 0
    assert server_cli(["meeting", "import", root, str(sample_dir() / "meeting.json")]) == 0
    st = ServerThread(room)
    st.start()
    work = Path(OUT.parent / "homes")
    shutil.rmtree(work, ignore_errors=True)
    try:
        asyncio.run(scenario(st, work))
    finally:
        st.close()
        shutil.rmtree(work, ignore_errors=True)


async def scenario(st: ServerThread, work: Path) -> None:
    ids = {d.number: d.id for d in st.room.delegates()}
    sec = await Recorder(await enrolled(st, work / "sec", "secretary")).start()
    voters = {
        n: await Recorder(await enrolled(st, work / f"d{n}", number=n)).start()
        for n in ("0001", "0002", "0003", "0004")
    }
    model = sec.client.model
    meeting = next(iter(model.meetings.values())).id
    await sec.client.request(p.MeetingUpdate(id=0, meeting_id=meeting, status="open"))
    await sec.client.request(p.MeetingActivate(id=0, meeting_id=meeting))
    await until(lambda: all(v.client.model.active_meeting is not None for v in voters.values()))
    items = sorted(
        (i for i in sec.client.model.items.values() if i.meeting_id == meeting),
        key=lambda i: i.id,
    )
    await sec.client.request(p.AgendaSetCurrent(id=0, meeting_id=meeting, item_id=items[1].id))
    for n in ("0001", "0002", "0003"):
        await voters[n].client.request(p.AttendanceCheckIn(id=0, meeting_id=meeting))
    await sec.client.request(
        p.ProxySet(id=0, meeting_id=meeting, giver_id=ids["0005"], holder_id=ids["0001"])
    )

    # a named motion, with a proxy's vote: closed, counted, signed
    made = await sec.client.request(
        p.PollCreate(
            id=0,
            meeting_id=meeting,
            item_id=items[1].id,
            title="Thông qua chương trình",
            spec=p.PollSpec(kind="motion"),
        )
    )
    assert isinstance(made, p.PollCreated)
    named = made.poll_id
    await sec.client.request(p.PollOpen(id=0, poll_id=named))
    await until(lambda: named in voters["0001"].client.model.polls)
    await voters["0001"].client.request(
        p.BallotCast(
            id=0,
            poll_id=named,
            votes=[
                p.Vote(delegate_id=ids["0001"], receipt=os.urandom(p.RECEIPT_BYTES), marks=YES),
                p.Vote(delegate_id=ids["0005"], receipt=os.urandom(p.RECEIPT_BYTES), marks=YES),
            ],
        )
    )
    await voters["0002"].client.request(
        p.BallotCast(
            id=0,
            poll_id=named,
            votes=[
                p.Vote(delegate_id=ids["0002"], receipt=os.urandom(p.RECEIPT_BYTES), marks=NO),
            ],
        )
    )
    await voters["0003"].client.request(
        p.BallotCast(
            id=0,
            poll_id=named,
            votes=[
                p.Vote(delegate_id=ids["0003"], receipt=os.urandom(p.RECEIPT_BYTES), marks=ABSTAIN),
            ],
        )
    )
    await sec.client.request(p.PollClose(id=0, poll_id=named))

    # a secret election of two among three: closed, counted, signed
    made = await sec.client.request(
        p.PollCreate(
            id=0,
            meeting_id=meeting,
            item_id=items[2].id,
            title="Bầu Ban kiểm phiếu",
            spec=p.PollSpec(
                kind="election",
                secret=True,
                max_choices=2,
                options=[
                    p.PollOption(id=1, label="Nguyễn Văn An"),
                    p.PollOption(id=2, label="Trần Thị Bình"),
                    p.PollOption(id=3, label="Lê Văn Cường"),
                ],
            ),
        )
    )
    assert isinstance(made, p.PollCreated)
    secret = made.poll_id
    await sec.client.request(p.PollOpen(id=0, poll_id=secret))
    await until(lambda: all(secret in v.client.model.polls for v in voters.values()))
    for n, chosen in (("0001", [1, 2]), ("0002", [2]), ("0003", [2, 3])):
        await voters[n].client.request(
            p.BallotCast(
                id=0,
                poll_id=secret,
                votes=[
                    p.Vote(
                        delegate_id=ids[n],
                        receipt=os.urandom(p.RECEIPT_BYTES),
                        marks=p.Marks(chosen=chosen),
                    ),
                ],
            )
        )
    await sec.client.request(p.PollClose(id=0, poll_id=secret))
    await until(lambda: sec.client.model.polls[secret].status == "closed")
    await until(lambda: sec.client.model.polls[named].status == "closed")
    for r in (sec, *voters.values()):
        await r.stop()


if __name__ == "__main__":
    main()
