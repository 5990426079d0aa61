"""The PostgreSQL test fixture: a real server, one empty database per test, NOTIFY across connections."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, inspect, select

import tests.pg
from tests.pg import PgServer, find_bindir, pg_unavailable_reason


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_gets_its_own_empty_database(pg_url: str, turn: str) -> None:
    # Both turns create the same table: had they shared a database, whichever ran second
    # would find the first one's table and fail.
    engine = create_engine(pg_url)
    try:
        assert inspect(engine).get_table_names() == []
        probe = Table("isolation_probe", MetaData(), Column("turn", String(10)))
        probe.create(engine)
        with engine.begin() as conn:
            conn.execute(probe.insert().values(turn=turn))
        with engine.connect() as conn:
            assert conn.execute(select(probe.c.turn)).scalars().all() == [turn]
    finally:
        engine.dispose()


def test_the_url_works_with_sqlalchemy_2_and_psycopg_3(pg_url: str) -> None:
    assert pg_url.startswith("postgresql+psycopg://")
    engine = create_engine(pg_url)
    try:
        assert engine.dialect.driver == "psycopg"
        numbers = Table("numbers", MetaData(), Column("n", Integer, primary_key=True))
        numbers.create(engine)
        with engine.begin() as conn:
            conn.execute(numbers.insert(), [{"n": 1}, {"n": 2}])
        with engine.connect() as conn:
            assert conn.execute(select(numbers.c.n).order_by(numbers.c.n)).scalars().all() == [1, 2]
            version = conn.exec_driver_sql("SHOW server_version_num").scalar_one()
            assert int(version) >= 130000  # DROP DATABASE ... WITH (FORCE) needs 13
    finally:
        engine.dispose()


def test_a_database_is_dropped_after_its_test(pg_server: PgServer) -> None:
    with pg_server.database() as url:
        name = url.rsplit("/", 1)[1]
        engine = create_engine(url)
        engine.connect().close()  # left in the pool on purpose: the drop must not wait for it
    with psycopg.connect(pg_server.conninfo()) as admin:
        left = admin.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,))
        assert left.fetchone() == (0,)
    engine.dispose()


def test_listen_notify_works_across_two_connections(pg_server: PgServer, pg_url: str) -> None:
    dbname = pg_url.rsplit("/", 1)[1]
    with (
        psycopg.connect(pg_server.conninfo(dbname), autocommit=True) as listener,
        psycopg.connect(pg_server.conninfo(dbname)) as writer,
    ):
        listener.execute("LISTEN hemicycle_events")
        writer.execute("SELECT pg_notify('hemicycle_events', '7')")
        writer.commit()
        received = list(listener.notifies(timeout=5, stop_after=1))
        assert [(n.channel, n.payload) for n in received] == [("hemicycle_events", "7")]
        assert received[0].pid == writer.info.backend_pid


def test_server_runs_as_the_postgres_user_when_tests_run_as_root(pg_server: PgServer) -> None:
    with psycopg.connect(pg_server.conninfo()) as conn:
        data_dir = conn.execute("SHOW data_directory").fetchone()
    assert data_dir is not None and Path(data_dir[0]) == pg_server.data
    owner = pg_server.data.stat().st_uid
    if os.geteuid() == 0:
        assert owner == pwd.getpwnam("postgres").pw_uid
    else:
        assert owner == os.geteuid()


def test_missing_postgresql_names_the_debian_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no initdb, no pg_config
    monkeypatch.setattr(tests.pg, "DEBIAN_ROOT", tmp_path)
    assert find_bindir() is None
    reason = pg_unavailable_reason()
    assert reason is not None and "`postgresql`" in reason


def test_the_newest_debian_version_is_preferred(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for version in ("9.6", "15", "13"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        for name in ("initdb", "postgres"):
            (bindir / name).touch()
    (tmp_path / "17" / "bin").mkdir(parents=True)  # a client-only install: no server binaries
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(tests.pg, "DEBIAN_ROOT", tmp_path)
    assert find_bindir() == tmp_path / "15" / "bin"
