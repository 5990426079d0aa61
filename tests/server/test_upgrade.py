"""A newer server on an older room: the room of the first released schema comes forward with its
data and its record intact, after a copy; a newer schema and an unasked PostgreSQL upgrade are
refused with a sentence; ``migrate`` does the upgrade on request.

The first released schema is revision 0004 (version 0.1.0, votes included). Its room,
``data/room_0004/``, was made by that version's own server and command line (commit 4d8e0de,
``data/room_0004/make_room_0004.py``): the sample roster and meeting, check-ins, a proxy, a
named motion and a secret election, both closed, counted and signed. ``room.sql`` is its
database as ``sqlite3``'s ``iterdump`` wrote it.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from server.cli import main
from server.datadir import DataDir
from server.db import make_engine
from server.migrate import alembic_config, head
from tests.conftest import make_room
from tests.roomtool import RoomTool

FIRST_RELEASED = Path(__file__).parent / "data" / "room_0004"
#: What ``audit verify`` printed on that room under version 0.1.0.
FIRST_RELEASED_HEAD = (
    "Head: entry 35, hash 4d20950f35159046a11cf5603ef703cf6afcb1ed513c78342fb7f92a58d64681"
)


def first_released_room(path: Path) -> DataDir:
    """The room of ``data/room_0004`` in a folder of its own, as version 0.1.0 left it."""
    path.mkdir(mode=0o700)
    for name in ("room-key.pem", "room-cert.pem", "storage.key", "config.toml"):
        shutil.copy(FIRST_RELEASED / name, path / name)
    database = sqlite3.connect(path / "room.db")
    database.executescript((FIRST_RELEASED / "room.sql").read_text(encoding="utf-8"))
    database.execute("PRAGMA journal_mode=WAL")  # as the server keeps it
    database.close()
    (path / "room.db").chmod(0o600)
    return DataDir(path)


def schema_of(database: Path) -> str:
    with sqlite3.connect(database) as conn:
        (found,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(found)


def rows(database: Path, table: str) -> int:
    with sqlite3.connect(database) as conn:
        (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(count)


def set_schema(room: DataDir, revision: str) -> None:
    """Take a room made by this version back to an older schema (Alembic's downgrade)."""
    _config, store = room.open()
    cfg = alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    store.dispose()


def test_the_first_released_schema_comes_forward_with_its_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    room = first_released_room(tmp_path / "room")
    database = room.root / "room.db"
    assert schema_of(database) == "0004"
    before = {t: rows(database, t) for t in ("delegates", "agenda_items", "polls", "events")}

    assert main(["audit", "verify", str(room.root)]) == 0  # the first command opens it
    out = capsys.readouterr()
    assert "Audit log intact: 35 entries" in out.out and FIRST_RELEASED_HEAD in out.out
    assert f"upgraded from schema 0004 to {head()}" in caplog.text  # a warning: stderr, log
    assert schema_of(database) == head()

    # the copy from before: the whole room as it was, for the server's user only
    (copy,) = room.root.glob("pre-upgrade-0004-*.db")
    assert copy.stat().st_mode & 0o777 == 0o600
    assert schema_of(copy) == "0004"
    assert {t: rows(copy, t) for t in before} == before
    assert not copy.with_name(copy.name + "-wal").exists()  # one self-contained file

    # the data, as the room shows it now
    tool = RoomTool.open(room)
    assert len(tool.delegates()) == 40 == before["delegates"]
    assert tool.delegates()[0].full_name == "Nguyễn Thị Hồng Nhung"
    _seq, state = tool.snapshot()
    (meeting,) = state.meetings
    assert meeting.title == "Đại hội đại biểu lần thứ XIV — Phiên khai mạc"
    assert meeting.status == "open" and state.room.active_meeting_id == meeting.id
    assert len(state.agenda) == 15
    assert [i.status for i in state.agenda].count("current") == 1
    named, secret = sorted(state.polls, key=lambda poll: poll.id)
    assert (named.title, named.status, named.spec.secret) == (
        "Thông qua chương trình",
        "closed",
        False,
    )
    assert named.result is not None and named.result.outcome == "adopted"
    assert named.paper is None  # 0005's paper count: absent, as for every older poll
    assert secret.spec.secret and secret.result is not None and secret.result.outcome == "tie"
    tool.store.dispose()

    # what was signed then still verifies: signature, ballot list and recount
    for poll in ("1", "2"):
        assert main(["poll", "verify", str(room.root), poll]) == 0
        assert f"Poll {poll} verifies" in capsys.readouterr().out
    # and the record: the same entries, the same head, and no further copy
    assert main(["audit", "verify", str(room.root)]) == 0
    assert FIRST_RELEASED_HEAD in capsys.readouterr().out
    assert len(list(room.root.glob("pre-upgrade-*.db"))) == 1


def test_an_upgrade_is_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Tables are rebuilt with foreign keys off, checked before the commit: a database that
    would break them is left exactly as it was, not half-migrated."""
    room = first_released_room(tmp_path / "room")
    database = room.root / "room.db"
    with sqlite3.connect(database) as conn:  # foreign keys are off in a bare connection
        conn.execute("INSERT INTO attendance VALUES (1, 9999, 'present', 0)")
    tables = rows(database, "sqlite_master")
    assert main(["roster", "list", str(room.root)]) == 2
    err = capsys.readouterr().err
    assert "refer to rows that do not exist (1, the first in table attendance)" in err
    assert schema_of(database) == "0004" and rows(database, "sqlite_master") == tables


def test_a_schema_newer_than_the_code_is_refused_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    room = make_room(tmp_path / "room")
    database = room.root / "room.db"
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    for command_line in (["run", str(room.root)], ["migrate", str(room.root)]):
        assert main(command_line) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: the room's database is at schema 0099, newer than this")
        assert f"(its newest is {head()})" in err
    assert schema_of(database) == "0099"  # untouched, and no copy made
    assert not list(room.root.glob("pre-upgrade-*"))


def test_migrate_upgrades_a_sqlite_room_after_a_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    room = make_room(tmp_path / "room")
    set_schema(room, "0004")
    capsys.readouterr()
    assert main(["migrate", str(room.root)]) == 0
    out = capsys.readouterr().out
    assert f"upgraded from schema 0004 to {head()}" in out
    (copy,) = room.root.glob("pre-upgrade-0004-*.db")
    assert f"The database as it was before is in {copy}" in out
    assert schema_of(copy) == "0004" and schema_of(room.root / "room.db") == head()
    assert main(["migrate", str(room.root)]) == 0
    assert f"at schema {head()}, this version's: nothing to do" in capsys.readouterr().out


def test_postgresql_is_upgraded_only_by_migrate(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    room = make_room(tmp_path / "room", database=pg_url)
    set_schema(room, "0004")
    capsys.readouterr()
    assert main(["roster", "list", str(room.root)]) == 2
    err = capsys.readouterr().err
    assert "at schema 0004 and this hemicycle-server" in err and f"needs {head()}" in err
    assert "pg_dump" in err and "'hemicycle-server migrate'" in err
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"
    assert main(["migrate", str(room.root)]) == 0
    assert f"upgraded from schema 0004 to {head()}" in capsys.readouterr().out
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head()
    engine.dispose()
    assert main(["roster", "list", str(room.root)]) == 0
    assert not list(room.root.glob("pre-upgrade-*"))  # PostgreSQL's copy is IT's pg_dump
