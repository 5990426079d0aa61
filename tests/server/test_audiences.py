"""Who receives what, on the wire: an event for group G reaches no device outside G — live, on
replay after a reconnect, or in a snapshot — and a change of who-sees-what reaches every device
as a fresh snapshot of its new view."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from app import protocol as p
from app.connection import open_link
from app.enroll import enroll
from app.profile import Unlocked
from app.session import Loaded
from server.cli import main as server_cli
from tests.conftest import TEST_SCRYPT_COST, ServerThread
from tests.server.test_server import Recorder, until

GROUP = "ban-chap-hanh"  # in the sample roster: 0001 and 0002 are members, 0003 is not
SECRET_TITLE = "Phiên họp kín của Ban Chấp hành"


class Wiretap:
    """One device's raw connection: every frame it is sent, kept as bytes."""

    def __init__(self, server: ServerThread, unlocked: Unlocked) -> None:
        self.server = server
        self.unlocked = unlocked
        self.frames: list[bytes] = []
        self.snapshots = 0
        self.seq: int | None = None
        self.tag = b""
        self._task: asyncio.Task[None] | None = None

    async def connect(self, since: int | None, tag: bytes = b"") -> None:
        room_id = self.server.datadir.room_id()
        self.link = await open_link(
            ["127.0.0.1"], self.server.port, lambda r: r == room_id, since=since, tag=tag
        )
        ident = self.unlocked.identity
        frame = self.link.session.auth(ident.device_id, self.unlocked.keys.sign.sign, ident.room_id)
        await self.link.ws.send(frame, text=True)
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for frame in self.link.ws:
                raw = frame.encode() if isinstance(frame, str) else frame
                self.frames.append(raw)
                for happening in self.link.session.receive(raw):
                    if isinstance(happening, Loaded):
                        self.snapshots += 1
                self.seq, self.tag = self.link.session.seq, self.link.session.tag

    def saw(self, text: str) -> bool:
        return any(text.encode() in f for f in self.frames)

    async def close(self) -> None:
        await self.link.ws.close()
        if self._task is not None:
            await self._task


async def device(
    server: ServerThread, home: Path, number: str | None, role: p.Role = "delegate"
) -> Unlocked:
    return await enroll(home, server.code(role, number), "2468", cost=TEST_SCRYPT_COST)


def test_a_group_meeting_reaches_members_and_staff_only(
    server: ServerThread, tmp_path: Path
) -> None:
    async def scenario() -> None:
        member = Wiretap(server, await device(server, tmp_path / "m", "0001"))
        outsider = Wiretap(server, await device(server, tmp_path / "o", "0003"))
        away = Wiretap(server, await device(server, tmp_path / "a", "0004"))  # not a member
        staff = Wiretap(server, await device(server, tmp_path / "s", None, "secretary"))
        for tap in (member, outsider, away, staff):
            await tap.connect(None)
        await until(lambda: all(t.seq is not None for t in (member, outsider, away, staff)))
        left_at, left_tag = away.seq, away.tag
        await away.close()  # this one is offline while the meeting is made

        sec = await Recorder(await device(server, tmp_path / "sec", None, "secretary")).start()
        made = await sec.client.request(p.MeetingCreate(id=0, title=SECRET_TITLE, groups=[GROUP]))
        assert isinstance(made, p.MeetingCreated)
        for n in range(3):
            await sec.client.request(
                p.AgendaAdd(id=0, meeting_id=made.meeting_id, title=f"Mục kín {n}")
            )
        await sec.client.request(p.MeetingCreate(id=0, title="Phiên toàn thể"))  # for everyone
        await until(lambda: member.saw("Phiên toàn thể") and outsider.saw("Phiên toàn thể"))

        # live
        assert member.saw(SECRET_TITLE) and member.saw("Mục kín 2")
        assert staff.saw(SECRET_TITLE)
        assert not outsider.saw(SECRET_TITLE) and not outsider.saw("Mục kín")
        # replay: the device that was away resumes from where it left
        back = Wiretap(server, away.unlocked)
        await back.connect(left_at, left_tag)
        await until(lambda: back.saw("Phiên toàn thể"))
        assert back.snapshots == 0  # a replay, not a snapshot
        assert not back.saw(SECRET_TITLE) and not back.saw("Mục kín")
        # snapshots: from nothing, and after a restart of the server
        fresh = {
            n: Wiretap(server, u) for n, u in (("m", member.unlocked), ("o", outsider.unlocked))
        }
        for tap in fresh.values():
            await tap.connect(None)
        await until(lambda: all(t.snapshots == 1 for t in fresh.values()))
        assert fresh["m"].saw(SECRET_TITLE) and fresh["m"].saw("Mục kín 0")
        assert not fresh["o"].saw(SECRET_TITLE) and not fresh["o"].saw("Mục kín")
        for tap in (member, outsider, staff, back, *fresh.values()):
            await tap.close()
        await sec.stop()

    asyncio.run(scenario())


def test_a_roster_import_that_changes_groups_resyncs_the_devices(
    server: ServerThread, tmp_path: Path
) -> None:
    """0003 joins the group and 0001 leaves it while both are connected: each is sent a fresh
    snapshot of what it may now see, and the log cannot replay either across the change."""
    root = str(server.datadir.root)

    async def scenario() -> None:
        sec = await Recorder(await device(server, tmp_path / "sec", None, "secretary")).start()
        made = await sec.client.request(p.MeetingCreate(id=0, title=SECRET_TITLE, groups=[GROUP]))
        assert isinstance(made, p.MeetingCreated)
        leaving = await Recorder(await device(server, tmp_path / "l", "0001")).start()
        joining = await Recorder(await device(server, tmp_path / "j", "0003")).start()
        await until(lambda: made.meeting_id in leaving.client.model.meetings)
        assert made.meeting_id not in joining.client.model.meetings

        roster = tmp_path / "changes.csv"
        roster.write_text(
            "number,full_name,groups\n0001,Nguyễn Thị Hồng Nhung,uy-ban-kiem-tra\n"
            f"0003,Lê Quốc Hưng,{GROUP}\n",
            encoding="utf-8",
        )
        assert server_cli(["roster", "import", root, str(roster)]) == 0  # another process
        await until(lambda: made.meeting_id in joining.client.model.meetings)
        await until(lambda: made.meeting_id not in leaving.client.model.meetings)
        # the meeting stays live for its new member
        await sec.client.request(p.AgendaAdd(id=0, meeting_id=made.meeting_id, title="Mục mới"))
        await until(lambda: any(i.title == "Mục mới" for i in joining.client.model.items.values()))
        assert not any(i.title == "Mục mới" for i in leaving.client.model.items.values())
        assert joining.client.model.to_state() == server.room.snapshot(_view(server, "0003"))[1]
        for r in (sec, leaving, joining):
            await r.stop()

    asyncio.run(scenario())


def test_changing_a_meetings_groups_moves_it_between_devices(
    server: ServerThread, tmp_path: Path
) -> None:
    async def scenario() -> None:
        sec = await Recorder(await device(server, tmp_path / "sec", None, "secretary")).start()
        made = await sec.client.request(p.MeetingCreate(id=0, title="Phiên toàn thể"))
        assert isinstance(made, p.MeetingCreated)
        await sec.client.request(p.AgendaAdd(id=0, meeting_id=made.meeting_id, title="Mục 1"))
        member = await Recorder(await device(server, tmp_path / "m", "0001")).start()
        outsider = await Recorder(await device(server, tmp_path / "o", "0003")).start()
        await until(lambda: made.meeting_id in outsider.client.model.meetings)
        away = await device(server, tmp_path / "a", "0004")
        offline = await Recorder(away).start()
        await until(lambda: made.meeting_id in offline.client.model.meetings)
        await offline.stop()

        await sec.client.request(p.MeetingUpdate(id=0, meeting_id=made.meeting_id, groups=[GROUP]))
        await until(lambda: made.meeting_id not in outsider.client.model.meetings)
        assert not any(
            i.meeting_id == made.meeting_id for i in outsider.client.model.items.values()
        )
        assert made.meeting_id in member.client.model.meetings
        assert member.client.model.meetings[made.meeting_id].groups == [GROUP]
        # a device that was offline comes back across the change: a snapshot, without it
        again = await Recorder(away).start()
        await until(lambda: again.client.seq == server.room.last_seq())
        assert made.meeting_id not in again.client.model.meetings
        await sec.client.request(p.MeetingUpdate(id=0, meeting_id=made.meeting_id, groups=[]))
        await until(lambda: any(i.title == "Mục 1" for i in outsider.client.model.items.values()))
        assert made.meeting_id in outsider.client.model.meetings
        for r in (sec, member, outsider, again):
            await r.stop()

    asyncio.run(scenario())


def _view(server: ServerThread, number: str):  # type: ignore[no-untyped-def]
    from server.audience import View

    delegate = next(d for d in server.room.delegates() if d.number == number)
    return View(staff=False, groups=frozenset(delegate.groups), device_id=0)
