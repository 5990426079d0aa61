"""Two ``hemicycle-server run`` processes on one PostgreSQL database serve one room.

The setup of docs/operations.md: one data directory, ``[database] url`` naming the room's
PostgreSQL database, and a room server process per address. Here both processes run on this
machine, from the same folder, on two loopback addresses at the room's one port — as two
machines of the hall LAN would, and as a device holds them: several addresses, one port
(``app.profile.Identity``). Devices are the real :class:`~app.client.RoomClient` over TLS, the
processes are real, and so is PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import create_engine, make_url, text

from app import protocol as p
from app.client import NotConnected, RequestError, RoomClient, Status
from app.codes import EnrollmentCode
from app.enroll import enroll
from app.profile import Unlocked
from app.resources import sample_dir
from app.state import Area, RoomView
from server.audience import View
from server.cli import main as server_cli
from server.datadir import DataDir
from server.domains import agenda
from server.pgnotify import APPLICATION_NAME
from server.store import CLI, Work
from tests.conftest import TEST_SCRYPT_COST
from tests.roomtool import DELEGATE, RoomTool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
A_HOST = "127.0.0.1"
B_HOST = "127.0.0.2"
PIN = "2468"
STAFF = View(staff=True, groups=frozenset(), device_id=0)

LATENCY_MEDIAN = 0.100
"""Target for a change made through one process to reach a device on the other."""
LATENCY_WORST = 1.0
"""What any one change may take on a loaded, shared 2-core test machine."""


def cli(*args: str) -> str:
    """``hemicycle-server ARGS`` in this process, as an operator types it; its output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = server_cli(list(args))
    assert status == 0, (args, out.getvalue())
    return out.getvalue()


def free_port_on_both() -> int:
    """A TCP port free on both loopback addresses (each process binds only its own)."""
    for _ in range(50):
        with socket.socket() as a, socket.socket() as b:
            a.bind((A_HOST, 0))
            port = int(a.getsockname()[1])
            try:
                b.bind((B_HOST, port))
            except OSError:
                continue
            return port
    raise AssertionError("no port free on both loopback addresses")


class ServerProcess:
    """``hemicycle-server run DIR --host HOST --no-mdns`` at the room's configured port."""

    def __init__(
        self, d: DataDir, host: str, stderr: Path, env: dict[str, str] | None = None
    ) -> None:
        self.host = host
        self._stderr_path = stderr
        argv = [sys.executable, "-m", "server.cli", "run", str(d.root), "--host", host]
        with stderr.open("w") as err:
            self.proc = subprocess.Popen(
                [*argv, "--no-mdns"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        line = self._first_line(timeout=30)
        assert "listening on" in line, line + self.stderr()
        self.port = int(line.rsplit(":", 1)[1])

    def _first_line(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.1)
            if ready:
                return self.proc.stdout.readline()
        raise AssertionError(f"server on {self.host} did not start in {timeout} s")

    def stderr(self) -> str:
        return self._stderr_path.read_text(errors="replace")

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(20)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@contextlib.contextmanager
def two_servers(d: DataDir, tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    started: list[ServerProcess] = []
    try:
        for host in (A_HOST, B_HOST):
            started.append(ServerProcess(d, host, tmp_path / f"stderr-{host}.txt"))
        yield started[0], started[1]
    finally:
        for server in started:
            server.close()


@pytest.fixture
def room(tmp_path: Path, pg_url: str) -> DataDir:
    """A room on PostgreSQL whose codes carry both servers' addresses at the room's one port,
    with the sample roster: as docs/operations.md sets up two room server machines."""
    port = free_port_on_both()
    root = tmp_path / "room"
    cli(
        "init",
        str(root),
        "--name",
        "Hai máy chủ",
        "--host",
        A_HOST,
        "--port",
        str(port),
        "--database",
        pg_url,
    )
    d = DataDir(root)
    written = d.config.read_text()
    assert written.count("\naddresses = []\n") == 1
    d.config.write_text(
        written.replace("\naddresses = []\n", f'\naddresses = ["{A_HOST}", "{B_HOST}"]\n')
    )
    cli("roster", "import", str(root), str(sample_dir() / "roster.csv"))
    return d


class Tablet:
    """A device's real client, with the moment it applied each seq and each status it had."""

    def __init__(self, unlocked: Unlocked) -> None:
        self.applied: list[tuple[int, float]] = []
        self.statuses: list[tuple[Status, float]] = []
        self.presence: list[p.Presence] = []
        self.fatal: list[tuple[str, str]] = []
        self.client = RoomClient(
            unlocked,
            on_state=self._state,
            on_status=lambda s, _t: self.statuses.append((s, time.perf_counter())),
            on_presence=self.presence.append,
            on_fatal=lambda c, m: self.fatal.append((c, m)),
        )
        self.task: asyncio.Task[None] | None = None

    def _state(self, _view: RoomView, _areas: Area) -> None:
        assert self.client.seq is not None
        self.applied.append((self.client.seq, time.perf_counter()))

    def applied_at(self, seq: int) -> float | None:
        """When this device first held everything up to ``seq``."""
        return next((at for s, at in self.applied if s >= seq), None)

    def delegates_seen(self) -> int:
        """Delegates connected, as the last presence message to this (staff) device said."""
        return self.presence[-1].connected["delegate"] if self.presence else -1

    async def start(self) -> Tablet:
        self.task = asyncio.create_task(self.client.run())
        await until(lambda: self.client.status is Status.ONLINE)
        return self

    async def stop(self) -> None:
        await self.client.stop()
        assert self.task is not None
        await asyncio.wait_for(self.task, 10)


async def until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.002)


async def enrolled(d: DataDir, home: Path, addresses: tuple[str, ...], *who: str) -> Unlocked:
    """Enroll a device with a code from ``enroll`` carrying ``addresses`` (tried in order)."""
    extra = [arg for address in addresses for arg in ("--address", address)]
    out = await asyncio.to_thread(cli, "enroll", str(d.root), *who, *extra)
    code = EnrollmentCode.parse(out.strip().rsplit(": ", 1)[1])
    assert code.addresses == addresses
    return await enroll(home, code, PIN, home.name, cost=TEST_SCRYPT_COST)


def assert_log_whole(room: RoomTool) -> int:
    """The audit chain verifies and ``seq`` runs 1, 2, … without a gap; returns the last."""
    last = room.last_seq()
    assert room.verify_log() == (last, None)
    seqs = [row.seq for row in room.events_after(0, last + 1)]
    assert seqs == list(range(1, last + 1))
    return last


def listeners(room: RoomTool) -> int:
    """Server processes LISTENing on the room's database, as an operator would count them."""
    with room.store.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name = :name AND datname = current_database()"
                ),
                {"name": APPLICATION_NAME},
            ).scalar_one()
        )


def stats(latencies: list[float]) -> str:
    ms = sorted(x * 1000 for x in latencies)
    return (
        f"n={len(ms)} median={statistics.median(ms):.1f} ms "
        f"p90={ms[int(0.9 * (len(ms) - 1))]:.1f} ms max={ms[-1]:.1f} ms min={ms[0]:.1f} ms"
    )


def test_two_processes_serve_one_room(room: DataDir, pg_url: str, tmp_path: Path) -> None:
    """Changes through B reach a delegate on A within milliseconds, and so does a change from
    the command line; A killed, B serves on and the delegate moves to it by itself."""
    root = str(room.root)
    tool = RoomTool.open(room)
    report: list[str] = []

    async def scenario(a: ServerProcess, b: ServerProcess) -> None:
        assert a.port == b.port  # one port, two addresses: what a device can hold
        # The delegate on A tries A first (its card's order); the others were enrolled at B.
        on_a = Tablet(await enrolled(room, tmp_path / "d-a", (A_HOST, B_HOST), "0001"))
        assert on_a.client.identity.addresses == (A_HOST, B_HOST)
        assert on_a.client.identity.port == a.port
        on_b = Tablet(await enrolled(room, tmp_path / "d-b", (B_HOST, A_HOST), "0003"))
        sec = Tablet(
            await enrolled(room, tmp_path / "sec", (B_HOST, A_HOST), "--role", "secretary")
        )
        for tablet in (on_a, on_b, sec):
            await tablet.start()
        assert listeners(tool) == 2  # each process LISTENs on a connection of its own
        # Each process counts its own connections only: B's secretary sees B's one delegate.
        await until(lambda: sec.delegates_seen() == 1)
        await asyncio.sleep(1.0)  # presence is sent at most twice a second: let it settle
        assert sec.delegates_seen() == 1

        after_ack: list[float] = []  # B's acknowledgement -> the delegate on A applied it
        end_to_end: list[float] = []  # the secretary sent it -> the delegate on A applied it
        round_trip: list[float] = []  # the secretary sent it -> B's acknowledgement

        async def through_b(request: p.ClientRequest) -> p.ServerMessage:
            """One change through B, timed until the delegate on A has applied it."""
            sent = time.perf_counter()
            reply = await sec.client.request(request)
            acked = time.perf_counter()
            seq = getattr(reply, "seq", None)
            assert isinstance(seq, int)
            await until(lambda: on_a.applied_at(seq) is not None, timeout=5)
            applied = on_a.applied_at(seq)
            assert applied is not None
            after_ack.append(applied - acked)  # negative: before the acknowledgement arrived
            end_to_end.append(applied - sent)
            round_trip.append(acked - sent)
            return reply

        created = await through_b(p.MeetingCreate(id=0, title="Phiên họp chung"))
        assert isinstance(created, p.MeetingCreated) and created.meeting_id is not None
        meeting = created.meeting_id
        items: list[int] = []
        for n in range(30):
            added = await through_b(p.AgendaAdd(id=0, meeting_id=meeting, title=f"Mục {n}"))
            assert isinstance(added, p.AgendaAdded) and added.item_id is not None
            items.append(added.item_id)
        for n, item in enumerate(items[:15]):
            await through_b(p.AgendaUpdate(id=0, item_id=item, description=f"Nội dung {n}"))
            await through_b(p.AgendaSetCurrent(id=0, meeting_id=meeting, item_id=item))
        assert on_a.client.model.items[items[14]].description == "Nội dung 14"
        assert on_a.client.model.current_item(meeting) == on_a.client.model.items[items[14]]
        report.append(f"B acknowledged -> delegate on A applied: {stats(after_ack)}")
        report.append(f"secretary sent -> delegate on A applied: {stats(end_to_end)}")
        report.append(f"secretary sent -> B acknowledged:        {stats(round_trip)}")
        assert statistics.median(after_ack) <= LATENCY_MEDIAN, stats(after_ack)
        assert max(after_ack) <= LATENCY_WORST, stats(after_ack)

        # The command line, from this process, writes to the same database: both processes'
        # devices get the change.
        out = await asyncio.to_thread(
            cli, "agenda", "add", root, str(meeting), "--title", "Từ dòng lệnh"
        )
        done = time.perf_counter()
        seq = tool.last_seq()
        item = int(out.split()[2])
        for tablet in (on_a, on_b, sec):
            await until(lambda t=tablet: t.applied_at(seq) is not None, timeout=5)
            assert tablet.client.model.items[item].title == "Từ dòng lệnh"
        lags = [(t.applied_at(seq) or 0.0) - done for t in (on_a, on_b, sec)]
        report.append(
            "command line -> devices on A, B, B: " + ", ".join(f"{x * 1000:.1f} ms" for x in lags)
        )
        assert max(lags) <= LATENCY_WORST

        # A dies without a word. B and its devices carry on; the delegate on A finds B at the
        # second address it holds, and resumes there.
        sec_statuses = len(sec.statuses)
        killed = time.perf_counter()
        a.kill()
        await until(lambda: any(s is Status.OFFLINE and at > killed for s, at in on_a.statuses), 10)
        await until(lambda: on_a.client.status is Status.ONLINE, timeout=15)
        back = next(at for s, at in on_a.statuses if s is Status.ONLINE and at > killed)
        report.append(f"delegate back online through B {(back - killed) * 1000:.0f} ms after kill")
        await until(lambda: sec.delegates_seen() == 2, timeout=5)  # now both delegates are on B
        await until(lambda: listeners(tool) == 1, timeout=5)  # A's connection went with it
        moved = await through_b(p.AgendaSetCurrent(id=0, meeting_id=meeting, item_id=items[-1]))
        assert isinstance(moved, p.Ok)
        assert on_a.client.model.current_item(meeting) == on_a.client.model.items[items[-1]]
        assert sec.statuses[sec_statuses:] == []  # B's devices never noticed
        assert b.proc.poll() is None
        _seq, shared = tool.snapshot(DELEGATE)
        for tablet in (on_a, on_b):
            await until(lambda t=tablet: t.client.model.to_state() == shared, timeout=5)
        _seq, staff = tool.snapshot(STAFF)
        await until(lambda: sec.client.model.to_state() == staff, timeout=5)
        for tablet in (on_a, on_b, sec):
            await tablet.stop()
            assert tablet.fatal == []

    with two_servers(room, tmp_path) as (a, b):
        asyncio.run(scenario(a, b))
        assert a.proc.returncode == -signal.SIGKILL
        assert b.terminate() == 0
        assert "Traceback" not in b.stderr()
    out = cli("audit", "verify", root)
    last = assert_log_whole(tool)
    assert f"Audit log intact: {last} entries" in out
    tool.store.dispose()
    log = (room.logs / "server.log").read_text()
    assert log.count("serving room 'Hai máy chủ'") == 2  # both processes log to the folder's log
    assert "Traceback" not in log
    password = make_url(pg_url).password
    assert password and password not in log
    print("\n" + "\n".join(report))


def test_concurrent_writers_through_both_processes_and_the_command_line(
    room: DataDir, tmp_path: Path
) -> None:
    """Two processes and the command line append as fast as they can at the same time: one
    gap-free log with an intact chain, nothing lost, and every device ends on the room's state."""
    root = str(room.root)
    tool = RoomTool.open(room)
    each = 200
    report: list[str] = []

    async def scenario() -> None:
        sec_a = Tablet(await enrolled(room, tmp_path / "sec-a", (A_HOST,), "--role", "secretary"))
        sec_b = Tablet(await enrolled(room, tmp_path / "sec-b", (B_HOST,), "--role", "secretary"))
        on_a = Tablet(await enrolled(room, tmp_path / "d-a", (A_HOST,), "0001"))
        on_b = Tablet(await enrolled(room, tmp_path / "d-b", (B_HOST,), "0003"))
        for tablet in (sec_a, sec_b, on_a, on_b):
            await tablet.start()
        out = await asyncio.to_thread(cli, "meeting", "create", root, "--title", "Song song")
        meeting = int(out.split()[1])
        await until(lambda: all(meeting in t.client.model.meetings for t in (on_a, on_b)))
        before = tool.last_seq()

        async def through(tablet: Tablet, tag: str) -> list[int]:
            window = asyncio.Semaphore(16)  # requests in flight on the one connection

            async def one(n: int) -> int:
                async with window:
                    reply = await tablet.client.request(
                        p.AgendaAdd(id=0, meeting_id=meeting, title=f"{tag} {n}")
                    )
                assert isinstance(reply, p.AgendaAdded) and reply.item_id is not None
                return reply.item_id

            return await asyncio.gather(*(one(n) for n in range(each)))

        def by_command_line() -> list[int]:
            return [
                int(cli("agenda", "add", root, str(meeting), "--title", f"CLI {n}").split()[2])
                for n in range(each)
            ]

        started = time.perf_counter()
        writers: list[Awaitable[list[int]]] = [
            through(sec_a, "A"),
            through(sec_b, "B"),
            asyncio.to_thread(by_command_line),
        ]
        ids = [item for batch in await asyncio.gather(*writers) for item in batch]
        report.append(f"{3 * each} concurrent adds in {time.perf_counter() - started:.1f} s")
        assert len(set(ids)) == 3 * each

        last = assert_log_whole(tool)
        rows = tool.events_after(before, 10 * each)
        assert len(rows) == last - before == 3 * each  # one entry per add, none lost
        actors = [row.actor for row in rows]
        assert {actor for actor in actors} == {
            f"device:{sec_a.client.identity.device_id}",
            f"device:{sec_b.client.identity.device_id}",
            "cli",
        }
        switches = sum(1 for x, y in itertools.pairwise(actors) if x != y)
        report.append(f"the writers took turns {switches} times in the log")
        assert switches >= 20  # they really ran at the same time

        _seq, shared = tool.snapshot(DELEGATE)
        titles = {item.title for item in shared.agenda}
        assert titles == {f"{tag} {n}" for tag in ("A", "B", "CLI") for n in range(each)}
        assert {item.id for item in shared.agenda} == set(ids)
        _seq, staff = tool.snapshot(STAFF)
        for tablet, state in ((on_a, shared), (on_b, shared), (sec_a, staff), (sec_b, staff)):
            await until(lambda t=tablet, s=state: t.client.model.to_state() == s, timeout=20)
        for tablet in (sec_a, sec_b):
            assert tablet.client.seq == last  # staff devices receive every entry
        for tablet in (sec_a, sec_b, on_a, on_b):
            await tablet.stop()

    with two_servers(room, tmp_path) as (a, b):
        asyncio.run(scenario())
        assert a.terminate() == 0 and b.terminate() == 0
        assert "Traceback" not in a.stderr() + b.stderr()
    tool.store.dispose()
    print("\n" + "\n".join(report))


async def add_or_none(tablet: Tablet, meeting: int, title: str) -> int | None:
    """An agenda add; ``None`` if the room did not answer (its process died)."""
    try:
        reply = await tablet.client.request(p.AgendaAdd(id=0, meeting_id=meeting, title=title))
    except (NotConnected, RequestError):
        return None
    assert isinstance(reply, p.AgendaAdded) and reply.item_id is not None
    return reply.item_id


def test_a_process_killed_while_writing_costs_the_other_nothing(
    room: DataDir, tmp_path: Path
) -> None:
    """A is killed with requests of its own in flight, perhaps inside a transaction holding the
    room's write lock: B's writes go on, everything either acknowledged is stored, the log
    stays whole."""
    root = str(room.root)
    tool = RoomTool.open(room)
    report: list[str] = []

    async def scenario(a: ServerProcess) -> None:
        sec_a = Tablet(await enrolled(room, tmp_path / "sec-a", (A_HOST,), "--role", "secretary"))
        sec_b = Tablet(await enrolled(room, tmp_path / "sec-b", (B_HOST,), "--role", "secretary"))
        on_b = Tablet(await enrolled(room, tmp_path / "d-b", (B_HOST,), "0003"))
        for tablet in (sec_a, sec_b, on_b):
            await tablet.start()
        out = await asyncio.to_thread(cli, "meeting", "create", root, "--title", "Sự cố")
        meeting = int(out.split()[1])
        killed_at: list[float] = []

        async def through_a() -> list[int]:
            acked: list[int] = []
            for n in range(200):  # 8 in flight at a time; A is killed after 100 acknowledged
                if len(acked) >= 100 and not killed_at:
                    os.kill(a.proc.pid, signal.SIGKILL)
                    killed_at.append(time.perf_counter())
                batch = [add_or_none(sec_a, meeting, f"A {n}.{k}") for k in range(8)]
                answers = await asyncio.gather(*batch)
                acked += [item for item in answers if item is not None]
                if None in answers:
                    return acked
            raise AssertionError("process A kept answering after SIGKILL")

        async def through_b() -> tuple[list[int], list[tuple[float, float]]]:
            acked: list[int] = []
            timings: list[tuple[float, float]] = []  # (acknowledged at, took)
            window = asyncio.Semaphore(8)

            async def one(n: int) -> None:
                async with window:
                    sent = time.perf_counter()
                    item = await add_or_none(sec_b, meeting, f"B {n}")
                    assert item is not None, "B refused or dropped a write"
                    now = time.perf_counter()
                    acked.append(item)
                    timings.append((now, now - sent))

            await asyncio.gather(*(one(n) for n in range(600)))
            return acked, timings

        (from_a, (from_b, timings)) = await asyncio.gather(through_a(), through_b())
        assert len(killed_at) == 1
        after_kill = [took for at, took in timings if at > killed_at[0]]
        assert len(after_kill) >= 50  # B was still writing when A died
        report.append(
            f"A killed after {len(from_a)} acknowledged adds; B's {len(after_kill)} adds "
            f"acknowledged after the kill took at most {max(after_kill) * 1000:.0f} ms"
        )
        a.proc.wait(10)
        _seq, staff = tool.snapshot(STAFF)
        stored = {item.id for item in staff.agenda}
        assert set(from_a) | set(from_b) <= stored
        assert len(stored) - len(from_a) - len(from_b) <= 8  # at most A's last batch, unanswered
        _seq, shared = tool.snapshot(DELEGATE)
        await until(lambda: on_b.client.model.to_state() == shared, timeout=10)
        await until(lambda: sec_b.client.model.to_state() == staff, timeout=10)
        assert sec_b.statuses[-1][0] is Status.ONLINE and len(sec_b.statuses) == 2
        for tablet in (sec_a, sec_b, on_b):
            await tablet.stop()

    with two_servers(room, tmp_path) as (a, b):
        asyncio.run(scenario(a))
        assert a.proc.returncode == -signal.SIGKILL
        assert listeners(tool) == 1
        assert b.terminate() == 0
        assert "Traceback" not in b.stderr()
    assert_log_whole(tool)
    tool.store.dispose()
    print("\n" + "\n".join(report))


def test_a_writer_frozen_in_its_transaction_holds_the_room_until_postgresql_ends_it(
    room: DataDir, pg_url: str
) -> None:
    """A room server frozen inside a unit of work (a paused machine, a pulled cable) keeps the
    room's write lock: every other writer waits. ``idle_in_transaction_session_timeout`` on the
    database (docs/operations.md) bounds the wait; the frozen unit of work is rolled back."""
    root = str(room.root)
    meeting = RoomTool.open(room).new_meeting()

    def frozen_writer(tool: RoomTool, thaw: threading.Event) -> tuple[threading.Thread, list[str]]:
        failed: list[str] = []

        def unit(work: Work) -> None:
            assert thaw.wait(30)  # frozen, holding the write lock, idle in its transaction
            agenda.add(work, p.AgendaAdd(id=0, meeting_id=meeting, title="Đóng băng"))

        def run() -> None:
            try:
                tool.store.run(unit, CLI)
            except sqlalchemy.exc.DBAPIError as exc:
                failed.append(str(exc.orig))

        thread = threading.Thread(target=run)
        thread.start()
        return thread, failed

    def add_from_the_command_line() -> tuple[threading.Thread, list[float]]:
        done: list[float] = []

        def run() -> None:
            cli("agenda", "add", root, str(meeting), "--title", "Dòng lệnh")
            done.append(time.monotonic())

        thread = threading.Thread(target=run)
        thread.start()
        return thread, done

    # Without the setting: the command line waits for as long as the writer stays frozen.
    tool = RoomTool.open(room)
    thaw = threading.Event()
    writer, failed = frozen_writer(tool, thaw)
    time.sleep(0.3)
    waiting, done = add_from_the_command_line()
    waiting.join(3.0)
    assert done == []
    thaw.set()
    writer.join(10)
    waiting.join(10)
    assert len(done) == 1 and failed == []
    tool.store.dispose()

    # With it, PostgreSQL ends the frozen session after a second and the others go on.
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        name = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(
            text(f'ALTER DATABASE "{name}" SET idle_in_transaction_session_timeout = 1000')
        )
        conn.commit()
    engine.dispose()
    tool = RoomTool.open(room)  # new sessions: the setting applies from their start
    before = tool.last_seq()
    thaw = threading.Event()
    writer, failed = frozen_writer(tool, thaw)
    time.sleep(0.3)
    started = time.monotonic()
    waiting, done = add_from_the_command_line()
    waiting.join(10)
    assert len(done) == 1 and 0.5 <= done[0] - started <= 5
    thaw.set()
    writer.join(10)
    assert len(failed) == 1 and "idle-in-transaction timeout" in failed[0]
    titles = [item.title for item in tool.snapshot(STAFF)[1].agenda]
    assert titles == ["Đóng băng", "Dòng lệnh", "Dòng lệnh"]  # the second freeze left nothing
    assert assert_log_whole(tool) == before + 1
    tool.store.dispose()


async def lose_the_last_two_changes(
    room: DataDir, tool: RoomTool, tablet: Tablet, meeting: int
) -> None:
    """Three agenda items the device sees, then the last two gone from the database, log
    entries and rows: what a failover to an asynchronous standby that lacked them leaves."""
    added = []
    for title in ("Mục 1", "Mục 2", "Mục 3"):
        out = await asyncio.to_thread(
            cli, "agenda", "add", str(room.root), str(meeting), "--title", title
        )
        added.append(int(out.split()[2]))
    await until(lambda: set(added) <= set(tablet.client.model.items), timeout=5)
    last = tool.last_seq()
    with tool.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE seq > :s"), {"s": last - 2})
        conn.execute(text("DELETE FROM agenda_items WHERE id > :i"), {"i": added[0]})
    assert tool.last_seq() == last - 2 and tablet.client.seq == last


def test_a_server_that_outlives_a_failover_which_lost_changes_resyncs_its_devices(
    room: DataDir, tmp_path: Path
) -> None:
    """With asynchronous replication the promoted standby may lack the primary's last
    changes, which devices already saw. A room server that keeps running (the two-host URL
    follows the failover) should bring its devices to the new primary's state."""
    tool = RoomTool.open(room)
    meeting = tool.new_meeting()

    async def scenario() -> None:
        on_a = await Tablet(await enrolled(room, tmp_path / "d-a", (A_HOST,), "0001")).start()
        try:
            await lose_the_last_two_changes(room, tool, on_a, meeting)
            title = "Sau sự cố"
            await asyncio.to_thread(
                cli, "agenda", "add", str(room.root), str(meeting), "--title", title
            )
            _seq, state = tool.snapshot(DELEGATE)
            await until(lambda: on_a.client.model.to_state() == state, timeout=5)
        finally:
            await on_a.stop()

    with two_servers(room, tmp_path):
        asyncio.run(scenario())
    tool.store.dispose()


def test_a_server_restarted_after_a_failover_which_lost_changes_resyncs_its_devices(
    room: DataDir, tmp_path: Path
) -> None:
    """The remedy of docs/operations.md §14.9 step 4: restart the room servers right after the
    promotion. A device ahead of the new primary gets the new primary's state, and follows the
    changes made after."""
    tool = RoomTool.open(room)
    meeting = tool.new_meeting()

    async def scenario() -> None:
        a = ServerProcess(room, A_HOST, tmp_path / "stderr-a.txt")
        try:
            on_a = await Tablet(await enrolled(room, tmp_path / "d-a", (A_HOST,), "0001")).start()
            await lose_the_last_two_changes(room, tool, on_a, meeting)
            assert a.terminate() == 0
            a.close()
            a = ServerProcess(room, A_HOST, tmp_path / "stderr-a2.txt")
            _seq, state = tool.snapshot(DELEGATE)
            await until(lambda: on_a.client.model.to_state() == state, timeout=10)
            title = "Sau sự cố"
            await asyncio.to_thread(
                cli, "agenda", "add", str(room.root), str(meeting), "--title", title
            )
            _seq, state = tool.snapshot(DELEGATE)
            await until(lambda: on_a.client.model.to_state() == state, timeout=5)
            assert [i.title for i in state.agenda] == ["Mục 1", title]
            await on_a.stop()
        finally:
            a.close()

    asyncio.run(scenario())
    assert_log_whole(tool)
    tool.store.dispose()
