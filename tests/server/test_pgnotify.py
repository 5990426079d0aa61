"""The LISTEN listener against a real PostgreSQL: prompt delivery, commit-only, survives drops."""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from server.pgnotify import APPLICATION_NAME, PgListener, conninfo_from_url
from server.store import NOTIFY_CHANNEL as CHANNEL
from tests.pg import PgServer, pg_unavailable_reason, running_pg

FAST = {"min_delay": 0.05, "max_delay": 0.2}
"""Reconnect delays for tests; production keeps the defaults."""


class Received:
    """The callback: every payload with the moment it arrived, and a way to wait for one."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []
        self.threads: set[int] = set()
        self._changed = asyncio.Event()

    def __call__(self, payload: str) -> None:
        self.calls.append((time.perf_counter(), payload))
        self.threads.add(threading.get_ident())
        self._changed.set()

    @property
    def payloads(self) -> list[str]:
        return [payload for _, payload in self.calls]

    async def wait_for(self, payload: str, count: int = 1, timeout: float = 5.0) -> float:
        """When ``payload`` arrived for the ``count``-th time (waits up to ``timeout``)."""
        async with asyncio.timeout(timeout):
            while True:
                times = [at for at, p in self.calls if p == payload]
                if len(times) >= count:
                    return times[count - 1]
                self._changed.clear()
                await self._changed.wait()


def notify(engine: Engine, payload: str, *, commit: bool = True) -> float:
    """``pg_notify`` as a writer does, in its own transaction; returns when the commit began."""
    with engine.connect() as conn:
        conn.execute(
            text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
        )
        started = time.perf_counter()
        if commit:
            conn.commit()
        else:
            conn.rollback()
    return started


def listener_pids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE application_name = :name AND datname = current_database()"
            ),
            {"name": APPLICATION_NAME},
        )
        return list(rows.scalars())


def terminate(engine: Engine, pid: int) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        )


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    engine = create_engine(pg_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def only_this_task_left() -> bool:
    return asyncio.all_tasks() == {asyncio.current_task()}


def test_a_committed_notification_reaches_the_callback_promptly(
    pg_url: str, engine: Engine
) -> None:
    async def scenario() -> list[float]:
        received = Received()
        listener = PgListener(pg_url, CHANNEL, received)
        await listener.start()
        assert received.payloads == [""]  # connected: re-read the log once
        latencies = []
        for seq in range(42, 62):
            sent = await asyncio.to_thread(notify, engine, str(seq))
            latencies.append(await received.wait_for(str(seq), timeout=1.0) - sent)
        await listener.stop()
        assert received.payloads == ["", *(str(seq) for seq in range(42, 62))]
        assert received.threads == {threading.get_ident()}  # the loop's thread, not the writer's
        return latencies

    latencies = asyncio.run(scenario())
    print(
        f"\nNOTIFY latency, commit to callback: median {statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )
    assert max(latencies) < 1.0


def test_a_rolled_back_notification_never_arrives(pg_url: str, engine: Engine) -> None:
    async def scenario() -> None:
        received = Received()
        listener = PgListener(pg_url, CHANNEL, received)
        await listener.start()
        await asyncio.to_thread(notify, engine, "rolled-back", commit=False)
        await asyncio.to_thread(notify, engine, "43")
        await received.wait_for("43")  # delivered in commit order: anything earlier is here too
        await asyncio.sleep(0.1)
        await listener.stop()
        assert received.payloads == ["", "43"]

    asyncio.run(scenario())


def test_the_listener_reconnects_after_its_backend_is_terminated(
    pg_url: str, engine: Engine
) -> None:
    async def scenario() -> None:
        received = Received()
        listener = PgListener(pg_url, CHANNEL, received, **FAST)
        await listener.start()
        [first_pid] = await asyncio.to_thread(listener_pids, engine)
        assert await asyncio.to_thread(terminate, engine, first_pid)
        await received.wait_for("", count=2)  # reconnected: re-read the log
        [second_pid] = await asyncio.to_thread(listener_pids, engine)
        assert second_pid != first_pid
        await asyncio.to_thread(notify, engine, "44")
        await received.wait_for("44")
        await listener.stop()
        assert received.payloads == ["", "", "44"]

    asyncio.run(scenario())


@pytest.fixture
def own_pg() -> Iterator[PgServer]:
    """A server of this test's own, since it is stopped and restarted."""
    reason = pg_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with running_pg() as server:
        yield server


def test_the_listener_survives_a_postgresql_restart(own_pg: PgServer) -> None:
    url = own_pg.url()
    engine = create_engine(url, poolclass=NullPool)

    async def scenario() -> None:
        received = Received()
        listener = PgListener(url, CHANNEL, received, **FAST)
        await listener.start()
        await asyncio.to_thread(own_pg.stop)  # an immediate shutdown, like a crash
        await asyncio.sleep(0.5)  # a few failed reconnects
        await asyncio.to_thread(own_pg.start)
        await received.wait_for("", count=2, timeout=10)
        await asyncio.to_thread(notify, engine, "45")
        await received.wait_for("45")
        await listener.stop()
        assert only_this_task_left()
        assert received.payloads == ["", "", "45"]

    try:
        asyncio.run(scenario())
    finally:
        engine.dispose()


def test_stop_is_prompt_and_leaves_no_task_or_connection(pg_url: str, engine: Engine) -> None:
    async def scenario() -> float:
        listener = PgListener(pg_url, CHANNEL, Received())
        await listener.start()
        assert len(await asyncio.to_thread(listener_pids, engine)) == 1
        began = time.perf_counter()
        await listener.stop()
        took = time.perf_counter() - began
        assert only_this_task_left()
        await listener.stop()  # a second stop is harmless
        return took

    assert asyncio.run(scenario()) < 0.2
    assert listener_pids(engine) == []


def test_stop_is_prompt_while_the_database_is_down(own_pg: PgServer) -> None:
    async def scenario() -> float:
        listener = PgListener(own_pg.url(), CHANNEL, Received(), min_delay=30, max_delay=30)
        await listener.start()
        await asyncio.to_thread(own_pg.stop)
        await asyncio.sleep(0.2)  # lost the connection, now waiting to retry
        began = time.perf_counter()
        await listener.stop()
        assert only_this_task_left()
        return time.perf_counter() - began

    assert asyncio.run(scenario()) < 0.2


def test_an_unreachable_database_at_start_is_an_error(pg_server: PgServer) -> None:
    url = pg_server.url().replace(f":{pg_server.port}/", ":1/")  # nothing listens on port 1

    async def scenario() -> None:
        listener = PgListener(url, CHANNEL, Received())
        with pytest.raises(psycopg.OperationalError):
            await listener.start()
        assert only_this_task_left()

    asyncio.run(scenario())


def test_a_failing_callback_does_not_stop_the_listener(pg_url: str, engine: Engine) -> None:
    async def scenario() -> None:
        received = Received()

        def on_notify(payload: str) -> None:
            received(payload)
            if payload == "46":
                raise RuntimeError("consumer bug")

        listener = PgListener(pg_url, CHANNEL, on_notify)
        await listener.start()
        await asyncio.to_thread(notify, engine, "46")
        await asyncio.to_thread(notify, engine, "47")
        await received.wait_for("47")
        await listener.stop()
        assert received.payloads == ["", "46", "47"]

    asyncio.run(scenario())


def test_the_url_becomes_a_conninfo_with_everything_the_engine_uses() -> None:
    url = "postgresql+psycopg://room:s%40cret@db1.hall.lan:5433/dh14?sslmode=verify-full&sslrootcert=/etc/hemicycle/db-ca.pem"
    params = conninfo_to_dict(conninfo_from_url(url))
    assert params == {
        "host": "db1.hall.lan",
        "port": "5433",
        "user": "room",
        "password": "s@cret",
        "dbname": "dh14",
        "sslmode": "verify-full",
        "sslrootcert": "/etc/hemicycle/db-ca.pem",
        "application_name": APPLICATION_NAME,
        "connect_timeout": "10",
        "keepalives": "1",
        "keepalives_idle": "10",
        "keepalives_interval": "5",
        "keepalives_count": "3",
    }
    overridden = conninfo_to_dict(
        conninfo_from_url("postgresql+psycopg://room@/dh14?host=/run/postgresql&connect_timeout=3")
    )
    assert overridden["host"] == "/run/postgresql" and overridden["connect_timeout"] == "3"


@pytest.mark.parametrize("url", ["sqlite:///room.db", "postgresql+asyncpg://room@db/dh14"])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"postgresql\+psycopg://"):
        PgListener(url, CHANNEL, Received())
