"""Shared fixtures: a real room data directory and a real server on loopback with TLS."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from app import protocol as p
from app.codes import EnrollmentCode
from app.resources import sample_dir
from app.vault import ScryptCost
from server.cli import main as server_cli
from server.datadir import DataDir
from server.transport import RoomServer
from tests.netns import NetnsPair, netns_pair, netns_unavailable_reason
from tests.pg import PgServer, pg_unavailable_reason, running_pg
from tests.roomtool import RoomTool

T = TypeVar("T")

TEST_SCRYPT_COST = ScryptCost(log2_n=4, r=1, p=1)
"""What tests seal vaults with: microseconds and 2 KiB instead of ~0.2 s and 64 MiB per vault.

Passed explicitly (``Vault(home, cost)``, ``enroll(..., cost=...)``, or the ``scrypt_cost``
fixture); the product itself only ever uses the production default, and tests/app/test_vault.py
checks that default and that vaults sealed without a stored cost still open.
"""


def make_room(path: Path, name: str = "Đại hội thử nghiệm", database: str | None = None) -> DataDir:
    """A room initialised exactly as IT staff would, through the CLI (state in ``database``,
    a PostgreSQL URL, or else in the folder's own SQLite file)."""
    extra = ["--database", database] if database else []
    assert server_cli(["init", str(path), "--name", name, "--host", "127.0.0.1", *extra]) == 0
    return DataDir(path)


class ServerThread:
    """The real server on its own event loop in a thread, so sync tests and Qt tests can drive it."""

    def __init__(self, datadir: DataDir) -> None:
        self.datadir = datadir
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: RoomServer | None = None
        self._room: RoomTool | None = None
        self.port = 0

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 20) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self, port: int = 0, host: str = "127.0.0.1") -> None:
        async def _start() -> RoomServer:
            config, store = self.datadir.open()
            server = RoomServer(self.datadir, config, store)
            await server.start(host, port)
            return server

        self.server = self.call(_start())
        self.port = self.server.port

    def stop(self) -> None:
        if self.server is not None:
            self.call(self.server.stop())
            self.server = None

    def close(self) -> None:
        self.stop()
        if self._room is not None:
            self._room.store.dispose()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()

    @property
    def room(self) -> RoomTool:
        """The same room, opened the way the command line opens it."""
        if self._room is None:
            self._room = RoomTool.open(self.datadir)
        return self._room

    def code(self, role: p.Role = "delegate", number: str | None = None) -> EnrollmentCode:
        """Issue a one-time code through the domain module, as the CLI would."""
        secret = self.room.issue_code(role, number)
        return EnrollmentCode(("127.0.0.1",), self.port, self.datadir.room_id(), secret)


@pytest.fixture
def scrypt_cost() -> ScryptCost:
    """The cheap scrypt cost, for a test that seals a vault (see ``TEST_SCRYPT_COST``)."""
    return TEST_SCRYPT_COST


@pytest.fixture
def net() -> Iterator[NetnsPair]:
    """Two fresh network namespaces joined by veth, torn down whatever happens (root only)."""
    reason = netns_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with netns_pair() as pair:
        yield pair


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One real, throw-away PostgreSQL for the session (skipped, naming the package, if absent)."""
    reason = pg_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with running_pg() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database for this test: its ``postgresql+psycopg://`` URL; dropped after."""
    with pg_server.database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> str | None:
    """Each test that uses a room runs on both engines: the room's own SQLite file, and a
    fresh database on the real PostgreSQL server (skipped where the package is missing)."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def room_dir(tmp_path: Path, database: str | None) -> DataDir:
    return make_room(tmp_path / "room", database=database)


@pytest.fixture
def roster_room(room_dir: DataDir) -> DataDir:
    sample = sample_dir() / "roster.csv"
    assert server_cli(["roster", "import", str(room_dir.root), str(sample)]) == 0
    return room_dir


@pytest.fixture
def server(roster_room: DataDir) -> Iterator[ServerThread]:
    st = ServerThread(roster_room)
    st.start()
    try:
        yield st
    finally:
        st.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll a condition from sync code; fail clearly on timeout."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {timeout:.1f} s")
