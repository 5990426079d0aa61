"""``init --database`` and the command line on a room kept in PostgreSQL.

What is PostgreSQL's own: the folder holds no database, the state is in the database named by
``[database] url``, so every copy of the folder (the second room server machine's) works on the
same room; and what an operator gets told when that database cannot be used. The commands
themselves run on both engines in test_cli.py (the ``database`` fixture).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from psycopg import sql
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from app.codes import EnrollmentCode
from app.resources import sample_dir
from server.cli import main
from server.config import load
from server.datadir import DataDir
from server.db import Base
from tests.pg import PgServer
from tests.roomtool import RoomTool

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = sample_dir()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """One command that must succeed; its standard output."""
    capsys.readouterr()
    assert main(list(args)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """One command that must fail the way operators are told (status 2, one line)."""
    capsys.readouterr()
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err, err
    return err


def scalar(engine: Engine, query: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(query)).scalar_one()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once it is closed


def pg_tool(server: PgServer, name: str) -> str:
    """A client program of the server's own version (the bindir may hold only links to the
    server programs)."""
    return str(Path(os.path.realpath(server.bindir / "postgres")).parent / name)


@contextlib.contextmanager
def pg_role(server: PgServer) -> Iterator[tuple[str, str]]:
    """A login role with a password and no other rights, dropped afterwards."""
    name, password = f"room_{secrets.token_hex(4)}", secrets.token_hex(12)
    server.admin(
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(password)
        )
    )
    try:
        yield name, password
    finally:
        server.admin(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def test_init_database_keeps_the_room_in_postgresql_and_no_database_in_the_folder(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "room"
    out = run(
        capsys, "init", str(root), "--name", "Phòng PG", "--host", "127.0.0.1", "--database", pg_url
    )
    assert "(state in the PostgreSQL database)" in out
    d = DataDir(root)
    # The URL is kept as typed, in the file the other commands and `run` read.
    assert tomllib.loads(d.config.read_text())["database"]["url"] == pg_url
    config = load(d.config)
    assert config.database.url == pg_url
    assert d.database(config).get_backend_name() == "postgresql"
    assert d.config.stat().st_mode & 0o777 == 0o600  # the URL may carry the password
    # No SQLite database anywhere in the folder: keys, certificate, config and logs only.
    assert sorted(x.name for x in root.iterdir()) == [
        "config.toml",
        "logs",
        "room-cert.pem",
        "room-key.pem",
        "storage.key",
    ]
    suffixes = (".pem", ".toml", ".key")
    assert [x for x in root.rglob("*") if x.is_file() and x.suffix not in suffixes] == []
    # The schema is the models', made in that database, and the room was founded there.
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        tool = RoomTool.open(d)
        assert [row.kind for row in tool.events_after(0, 10)] == ["room.changed", "code.issued"]
        tool.store.dispose()
        entries = scalar(engine, "SELECT count(*) FROM events")
        assert entries == 2

        # A second room in the same database would fork its log: refused, and nothing written.
        other = tmp_path / "other"
        err = refused(capsys, "init", str(other), "--name", "Phòng khác", "--database", pg_url)
        assert "already holds a room" in err
        assert not other.exists()
        assert scalar(engine, "SELECT count(*) FROM events") == entries
        assert scalar(engine, "SELECT value FROM settings WHERE key = 'room_name'") == "Phòng PG"
    finally:
        engine.dispose()


def test_init_database_refuses_a_database_it_cannot_use_and_writes_nothing(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "room"
    url = make_url(pg_url)
    assert url.password is not None
    wrong = url.set(password="not-the-password").render_as_string(hide_password=False)
    cases = {
        wrong: "password authentication failed",
        url.set(database="no_such_room").render_as_string(hide_password=False): "does not exist",
        url.set(port=closed_port()).render_as_string(hide_password=False): "Connection refused",
        "mysql://hemicycle@db1/room": "unsupported database 'mysql'",
    }
    for given, reason in cases.items():
        err = refused(capsys, "init", str(root), "--name", "x", "--database", given)
        assert reason in err, err
        assert "not-the-password" not in err and url.password not in err
        assert not root.exists()


def test_init_database_tells_a_user_who_does_not_own_the_database(
    pg_server: PgServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The room's user must own its database (`createdb --owner`, docs/operations.md); one that
    does not is told so in one line. Owning it is all it needs: no superuser, no other grant."""
    with pg_role(pg_server) as (user, password), pg_server.database() as admin_url:
        name = make_url(admin_url).database
        assert name is not None
        url = f"postgresql://{user}:{password}@127.0.0.1:{pg_server.port}/{name}"
        root = tmp_path / "room"
        err = refused(capsys, "init", str(root), "--name", "x", "--database", url)
        assert "permission denied for schema public" in err and "own" in err
        assert err.count("\n") == 1 and password not in err
        assert not root.exists()
        pg_server.admin(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(name), sql.Identifier(user)
            )
        )
        run(capsys, "init", str(root), "--name", "x", "--host", "127.0.0.1", "--database", url)
        run(capsys, "audit", "verify", str(root))


def test_every_command_works_on_the_room_from_either_copy_of_its_folder(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The room server machines each hold a copy of the data directory (docs/operations.md):
    a change made through one copy is what the other copy's commands see."""
    hall1 = tmp_path / "hall1"
    run(
        capsys,
        "init",
        str(hall1),
        "--name",
        "Phòng PG",
        "--host",
        "127.0.0.1",
        "--database",
        pg_url,
    )
    hall2 = tmp_path / "hall2"
    shutil.copytree(hall1, hall2, ignore=shutil.ignore_patterns("logs"))
    one, two = str(hall1), str(hall2)
    engine = create_engine(pg_url)
    try:
        # room-id: the same room from both copies
        room_id = run(capsys, "room-id", one).strip()
        assert run(capsys, "room-id", two).strip() == room_id == DataDir(hall1).room_id_text()

        # roster import / list
        out = run(capsys, "roster", "import", one, str(SAMPLE / "roster.csv"))
        assert out.startswith("Imported 40 delegates")
        listed = run(capsys, "roster", "list", two).splitlines()
        assert len(listed) == 40 and listed[0].startswith("0001\tNguyễn Thị Hồng Nhung")
        assert scalar(engine, "SELECT count(*) FROM delegates") == 40

        # enroll: a delegate's code and a secretary's, each pinned to the room
        codes = scalar(engine, "SELECT count(*) FROM enrollment_codes")
        out = run(capsys, "enroll", two, "0001", "--address", "10.20.0.5", "--address", "10.20.0.6")
        code = EnrollmentCode.parse(out.strip().rsplit(": ", 1)[1])
        assert code.addresses == ("10.20.0.5", "10.20.0.6")
        assert code.pins(DataDir(hall1).room_id())
        out = run(capsys, "enroll", one, "--role", "secretary", "--address", "10.20.0.5")
        assert out.startswith("Secretary enrollment code (one use): ")
        assert scalar(engine, "SELECT count(*) FROM enrollment_codes") == codes + 2

        # meeting import / list
        out = run(capsys, "meeting", "import", two, str(SAMPLE / "meeting.json"))
        assert out.startswith("Meeting 1 ") and out.strip().endswith("with 15 agenda items")
        assert run(capsys, "meeting", "list", one).startswith("1\tdraft\t")

        # agenda add / current / list
        out = run(capsys, "agenda", "add", one, "1", "--title", "Mục thêm", "--minutes", "5")
        item = int(out.split()[2])
        run(capsys, "agenda", "current", two, "1", str(item))
        lines = run(capsys, "agenda", "list", one, "1").splitlines()
        assert any(line.split()[:2] == [str(item), "▶"] and "Mục thêm" in line for line in lines)
        assert len(lines) == 16
        assert run(capsys, "meeting", "list", two).strip().endswith("(shown)")
        assert scalar(engine, f"SELECT status FROM agenda_items WHERE id = {item}") == "current"

        # device list / revoke: a device enrolled as over the network, revoked from the copy
        tool = RoomTool.open(DataDir(hall1))
        device = tool.enroll_device("delegate", "0002")
        tool.store.dispose()
        assert run(capsys, "device", "list", two).split("\t")[:4] == [
            str(device),
            "delegate",
            "0002",
            "active",
        ]
        run(capsys, "device", "revoke", two, str(device))
        assert run(capsys, "device", "list", one).split("\t")[3] == "revoked"
        assert scalar(engine, f"SELECT revoked_at IS NOT NULL FROM devices WHERE id = {device}")

        # audit verify: one log, the same head from both copies, and as the database has it
        out = run(capsys, "audit", "verify", one)
        assert run(capsys, "audit", "verify", two) == out
        entries = scalar(engine, "SELECT count(*) FROM events")
        head = scalar(engine, "SELECT encode(hash, 'hex') FROM events ORDER BY seq DESC LIMIT 1")
        assert out.splitlines() == [
            f"Audit log intact: {entries} entries",
            f"Head: entry {entries}, hash {head}",
        ]
    finally:
        engine.dispose()


def test_commands_say_so_when_the_database_cannot_be_used(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the database is elsewhere: `room-id` needs none; every other command, and `run`,
    stops with one line naming the problem, and never shows the password."""
    good = tmp_path / "room"
    run(
        capsys, "init", str(good), "--name", "Phòng PG", "--host", "127.0.0.1", "--database", pg_url
    )
    url = make_url(pg_url)
    assert url.password is not None
    bad = tmp_path / "bad"
    shutil.copytree(good, bad)
    config = bad / "config.toml"
    room_id = run(capsys, "room-id", str(good))

    def point_at(new_url: str) -> None:
        config.write_text(
            (good / "config.toml").read_text().replace(f'url = "{pg_url}"', f'url = "{new_url}"')
        )
        assert new_url in config.read_text()

    point_at(url.set(port=closed_port()).render_as_string(hide_password=False))
    assert run(capsys, "room-id", str(bad)) == room_id
    for command in (
        ["roster", "list"],
        ["meeting", "list"],
        ["device", "list"],
        ["audit", "verify"],
    ):
        err = refused(capsys, command[0], command[1], str(bad))
        assert "cannot use the room's database" in err and "Connection refused" in err
        assert url.password not in err
    served = subprocess.run(
        [sys.executable, "-m", "server.cli", "run", str(bad), "--port", "0", "--no-mdns"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode == 2 and served.stdout == ""
    assert served.stderr.startswith("error: cannot use the room's database")
    assert "Traceback" not in served.stderr and url.password not in served.stderr

    point_at(url.set(password="not-the-password").render_as_string(hide_password=False))
    err = refused(capsys, "meeting", "list", str(bad))
    assert "password authentication failed" in err and "not-the-password" not in err

    point_at("mysql://hemicycle@db1/room")
    err = refused(capsys, "meeting", "list", str(bad))
    assert "[database] url: unsupported database 'mysql'" in err
    assert run(capsys, "meeting", "list", str(good)) == ""  # the room itself is untouched


def test_a_pg_dump_restored_into_an_empty_database_is_the_same_room(
    pg_server: PgServer, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The backup of docs/operations.md: ``pg_dump -Fc``, then ``pg_restore --no-owner
    --role=USER`` into an empty database that user owns; the room there has the same audit
    head, and its user can go on writing."""
    hall = tmp_path / "room"
    run(
        capsys, "init", str(hall), "--name", "Phòng PG", "--host", "127.0.0.1", "--database", pg_url
    )
    run(capsys, "roster", "import", str(hall), str(SAMPLE / "roster.csv"))
    run(capsys, "meeting", "import", str(hall), str(SAMPLE / "meeting.json"))
    head = run(capsys, "audit", "verify", str(hall))
    dump = tmp_path / "dh14.pgdump"
    name = make_url(pg_url).database
    assert name is not None
    subprocess.run(
        [pg_tool(pg_server, "pg_dump"), "-Fc", "-d", pg_server.conninfo(name), "-f", str(dump)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with pg_role(pg_server) as (user, password), pg_server.database() as empty_url:
        restored = make_url(empty_url).database
        assert restored is not None
        pg_server.admin(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(restored), sql.Identifier(user)
            )
        )
        restore = [pg_tool(pg_server, "pg_restore"), "-d", pg_server.conninfo(restored)]
        subprocess.run(
            [*restore, "--no-owner", f"--role={user}", str(dump)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        copy = tmp_path / "restored"
        shutil.copytree(hall, copy)
        as_user = f"postgresql://{user}:{password}@127.0.0.1:{pg_server.port}/{restored}"
        config = copy / "config.toml"
        config.write_text(config.read_text().replace(f'url = "{pg_url}"', f'url = "{as_user}"'))
        assert as_user in config.read_text()
        assert run(capsys, "audit", "verify", str(copy)) == head
        assert run(capsys, "meeting", "list", str(copy)) == run(
            capsys, "meeting", "list", str(hall)
        )
        run(capsys, "agenda", "add", str(copy), "1", "--title", "Sau khi khôi phục")
        run(capsys, "audit", "verify", str(copy))


@pytest.mark.slow
def test_a_database_host_that_does_not_answer_is_given_up_for_the_next(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The guide's two-host URL with the first machine hung (it accepts TCP and never answers,
    as a frozen machine does): the room's connections move on to the second after 10 s, or
    after the URL's own ``connect_timeout``, instead of waiting for ever."""
    root = tmp_path / "room"
    run(
        capsys, "init", str(root), "--name", "Phòng PG", "--host", "127.0.0.1", "--database", pg_url
    )
    url = make_url(pg_url)
    config = root / "config.toml"
    written = config.read_text()
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the kernel completes the handshake; nobody ever answers
        hung = int(silent.getsockname()[1])
        hosts = f"host=127.0.0.1:{hung}&host=127.0.0.1:{url.port}&target_session_attrs=read-write"
        two_hosts = f"postgresql://{url.username}:{url.password}@/{url.database}?{hosts}"
        for query, fastest, slowest in (("&connect_timeout=1", 0.5, 8.0), ("", 8.0, 30.0)):
            config.write_text(written.replace(f'url = "{pg_url}"', f'url = "{two_hosts}{query}"'))
            started = time.monotonic()
            listed = subprocess.run(
                [sys.executable, "-m", "server.cli", "meeting", "list", str(root)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
            )
            took = time.monotonic() - started
            assert listed.returncode == 0, listed.stderr
            assert fastest <= took <= slowest, (query, took)
