"""``backup`` and ``restore`` as IT staff run them: a backup taken while the real server serves a
stream of writes restores the room exactly as it was at one point of the stream, verified; and a
file that is not the backup it claims to be restores nothing."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL, make_url

from app import protocol as p
from app.resources import sample_dir
from server import backup, cli_ops
from server.cli import main
from server.datadir import DataDir
from server.db import EventRow, make_engine
from server.migrate import head
from tests.conftest import ServerThread, make_room
from tests.pg import PgServer
from tests.roomtool import OPERATOR, RoomTool
from tests.server.test_cli_pg import pg_tool
from tests.server.test_process import server_process
from tests.server.test_server import Recorder, enrolled, until
from tests.server.test_upgrade import FIRST_RELEASED_HEAD, first_released_room, schema_of

PASSPHRASE = "một câu dài để mở bản sao"
SAMPLE = sample_dir()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def passphrase(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HEMICYCLE_BACKUP_PASSPHRASE", PASSPHRASE)
    return PASSPHRASE


@pytest.fixture
def restore_into(database: str | None, request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """What ``restore`` needs besides the folder: for a room in PostgreSQL, an empty database
    of its own (``--database URL``), and the server's own ``pg_dump``/``pg_restore`` first on
    ``PATH``, as a room server with the client programs of its database server has them."""
    if database is None:
        yield []
        return
    pg: PgServer = request.getfixturevalue("pg_server")
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("PATH", f"{Path(pg_tool(pg, 'pg_dump')).parent}:{os.environ['PATH']}")
    with pg.database() as url:
        yield ["--database", url]


@pytest.fixture
def sample_room(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> DataDir:
    """The sample roster and meeting, in a SQLite room."""
    d = make_room(tmp_path / "room")
    run(capsys, "roster", "import", str(d.root), str(SAMPLE / "roster.csv"))
    run(capsys, "meeting", "import", str(d.root), str(SAMPLE / "meeting.json"))
    return d


def log_of(d: DataDir) -> list[tuple[int, bytes]]:
    room = RoomTool.open(d)
    try:
        return [(row.seq, row.hash) for row in room.events_after(0, 1_000_000)]
    finally:
        room.store.dispose()


def leftovers(folder: Path) -> list[str]:
    """Temporary folders and files a backup or restore would leave behind."""
    return [name for name in os.listdir(folder) if name.startswith(".")]


def test_a_backup_during_a_stream_of_writes_restores_an_identical_verified_room(
    server: ServerThread,
    restore_into: list[str],
    passphrase: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A secretary's device adds agenda items through the real server, one after another, while
    ``backup`` runs. The restored room holds every log entry up to the backup's last, exactly,
    and nothing after it; its agenda is exactly the items of those entries; the restored server
    serves it on the same port to the devices enrolled before, which come back to its state
    (they held more) and go on working."""
    out = tmp_path / "dh14.hcbackup"
    pass_file = tmp_path / "passphrase"
    pass_file.write_text(passphrase + "\n")
    pass_file.chmod(0o600)
    root = str(server.datadir.root)
    acked: list[str] = []
    marks: dict[str, int] = {}
    status: list[int] = []

    def take_backup() -> None:
        marks["start"] = len(acked)
        status.append(main(["backup", root, str(out), "--passphrase-file", str(pass_file)]))
        marks["end"] = len(acked)

    async def stream() -> tuple[Recorder, Recorder]:
        secretary = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        delegate = await Recorder(await enrolled(server, tmp_path / "d1")).start()
        meeting = await secretary.client.request(p.MeetingCreate(id=0, title="Phiên họp"))
        await secretary.client.request(p.MeetingActivate(id=0, meeting_id=meeting.meeting_id))
        writer = threading.Thread(target=take_backup)
        deadline = time.monotonic() + 30
        while (not status or len(acked) < 60) and time.monotonic() < deadline:
            title = f"Mục {len(acked)}"
            await secretary.client.request(
                p.AgendaAdd(id=0, meeting_id=meeting.meeting_id, title=title)
            )
            acked.append(title)
            if len(acked) == 20:
                writer.start()
        await asyncio.to_thread(writer.join, 30)
        for r in (secretary, delegate):
            await r.stop()
        return secretary, delegate

    secretary, delegate = asyncio.run(stream())
    assert status == [0], capsys.readouterr().err
    assert marks["end"] > marks["start"], "no write was acknowledged while the backup ran"
    assert f"written to {out}" in capsys.readouterr().out
    live = log_of(server.datadir)
    head = backup.read_header(out)
    assert marks["start"] <= head.last_seq < len(live)

    restored = tmp_path / "restored"
    code, said, err = run(capsys, "restore", str(out), str(restored), *restore_into)
    assert code == 0, err
    assert f"Audit log intact: {head.last_seq} entries" in said
    assert f"Room ID: {server.datadir.room_id_text()}" in said
    d = DataDir(restored)
    assert d.room_id() == server.datadir.room_id()
    assert log_of(d) == live[: head.last_seq]  # every entry up to the backup's, none after
    room = RoomTool.open(d)
    try:
        agenda = [item.title for item in room.snapshot(OPERATOR)[1].agenda]
        with room.store.read() as db:
            changed = select(func.count()).where(EventRow.kind == "agenda.changed")
            adds = db.scalar(changed.select_from(EventRow)) or 0
    finally:
        room.store.dispose()
    assert sorted(agenda) == sorted(acked[: len(agenda)])  # what was acknowledged first …
    assert len(agenda) == adds >= marks["start"]  # … the tables as the log says, no more
    assert code == 0 and run(capsys, "audit", "verify", str(restored))[0] == 0

    port = server.port
    server.stop()
    again = ServerThread(d)
    try:
        again.start(port=port)
        expected = again.room.snapshot()[1]

        async def come_back() -> None:
            back = await Recorder(delegate.client.unlocked).start()
            await until(lambda: back.client.model.to_state() == expected, timeout=10)
            staff = await Recorder(secretary.client.unlocked).start()
            meeting_id = expected.room.active_meeting_id
            assert meeting_id is not None
            await staff.client.request(
                p.AgendaAdd(id=0, meeting_id=meeting_id, title="Sau khi khôi phục")
            )
            await until(lambda: len(back.client.model.items) == len(agenda) + 1)
            for r in (back, staff):
                await r.stop()

        asyncio.run(come_back())
        assert again.room.verify_log() == (head.last_seq + 1, None)
    finally:
        again.close()


def test_a_backup_is_encrypted_readable_by_its_header_and_recorded(
    sample_room: DataDir, passphrase: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dh14.hcbackup"
    code, said, err = run(capsys, "backup", str(sample_room.root), str(out))
    assert code == 0, err
    assert said.startswith(f"Backup of room 'Đại hội thử nghiệm' written to {out}: ")
    data = out.read_bytes()
    assert out.stat().st_mode & 0o777 == 0o600
    for plaintext in (
        sample_room.key.read_bytes(),
        sample_room.storage_key.read_bytes(),
        b"SQLite format 3",
        "Nguyễn".encode(),  # a name in the roster
        b"[database]",
    ):
        assert plaintext not in data
    lines = data.split(b"\n", 2)
    assert lines[0] == b"hemicycle-backup"
    header = json.loads(lines[1])
    assert header["room_id"] == sample_room.room_id_text()
    assert header["room_name"] == "Đại hội thử nghiệm"
    assert header["database"] == "sqlite"
    assert header["last_seq"] == 6
    assert leftovers(sample_room.root) == []
    assert leftovers(tmp_path) == []
    last = json.loads((sample_room.root / backup.LAST_BACKUP_FILE).read_bytes())
    assert (last["file"], last["bytes"], last["last_seq"]) == (str(out), len(data), 6)
    taken = datetime.datetime.fromtimestamp(last["at"], datetime.UTC)
    assert taken.strftime("%Y-%m-%dT%H:%M:%SZ") == header["taken"]
    assert cli_ops.last_backup(sample_room.root).endswith(f" ago): {out}")  # what status says

    code, said, _err = run(capsys, "restore", "--check", str(out))
    assert code == 0
    assert said.splitlines() == [
        f"{out}: {backup.read_header(out).describe()}",
        "Backup intact: every part opens with this passphrase, and its key is the key of "
        f"room {sample_room.room_id_text()}",
    ]


def test_a_backup_that_is_not_what_it_says_restores_nothing(
    sample_room: DataDir,
    passphrase: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = tmp_path / "good.hcbackup"
    assert run(capsys, "backup", str(sample_room.root), str(good))[0] == 0
    data = good.read_bytes()
    start = data.index(b"\n", len(backup.MAGIC)) + 1 + 32  # the header's lines and MAC
    chunk = backup.CHUNK_BYTES + 16
    assert len(data) > start + 2 * chunk  # three chunks at least: a middle one to damage
    flipped = bytearray(data)
    flipped[start + chunk + 100] ^= 0x01
    renamed = data.replace("Đại hội thử nghiệm".encode(), "Đại hội giả mạo".encode(), 1)
    cases = {
        "tampered": (bytes(flipped), "is damaged or was altered (bytes"),
        "cut between chunks": (data[: start + 2 * chunk], "is incomplete (it stops at byte"),
        "cut in a chunk": (data[: start + 2 * chunk + 7], "is incomplete or damaged near"),
        "longer": (data + b"\x00" * 16, "is incomplete or damaged near its end"),
        "header edited": (renamed, "(or its header was altered)"),
        "no backup": (b"SQLite format 3\x00" + data[16:], "is not a Hemicycle backup"),
    }
    target = tmp_path / "restored"
    for name, (content, message) in cases.items():
        bad = tmp_path / f"{name}.hcbackup"
        bad.write_bytes(content)
        code, _out, err = run(capsys, "restore", str(bad), str(target))
        assert (code, message in err) == (2, True), (name, err)
        assert not target.exists() and leftovers(tmp_path) == [], name
        assert run(capsys, "restore", "--check", str(bad))[0] == 2, name

    monkeypatch.setenv("HEMICYCLE_BACKUP_PASSPHRASE", passphrase.upper())
    code, _out, err = run(capsys, "restore", str(good), str(target))
    assert code == 2 and "error: wrong passphrase for" in err
    assert not target.exists() and leftovers(tmp_path) == []


def test_restore_refuses_a_folder_in_use_before_asking_the_passphrase(
    sample_room: DataDir,
    passphrase: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "b.hcbackup"
    assert run(capsys, "backup", str(sample_room.root), str(out))[0] == 0
    monkeypatch.delenv("HEMICYCLE_BACKUP_PASSPHRASE")  # asking it would fail: it is not asked
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("giữ lại")
    other = make_room(tmp_path / "other")
    for args, message in (
        ([str(busy)], f"{busy} is not empty: restore into a new folder, or give --replace"),
        ([str(busy), "--replace"], f"{busy} is not a room data directory"),
        ([str(other.root), "--replace"], f"{other.root} holds another room (ID "),
        ([str(tmp_path / "no" / "such")], f"{tmp_path / 'no'} is not a writable folder"),
        ([str(tmp_path / "x"), "--database", "postgresql://h@db/x"], "this is SQLite"),
    ):
        code, _out, err = run(capsys, "restore", str(out), *args)
        assert code == 2 and message in err, (args, err)
    assert (busy / "notes.txt").read_text() == "giữ lại"
    code, _out, err = run(capsys, "restore", str(out), str(tmp_path / "x"))
    assert code == 2 and "no passphrase: give --passphrase-file FILE or set" in err


def test_a_backup_of_a_newer_hemicycle_is_refused_before_the_passphrase(
    sample_room: DataDir, passphrase: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b.hcbackup"
    assert run(capsys, "backup", str(sample_room.root), str(out))[0] == 0
    data = out.read_bytes()
    schema = backup.read_header(out).schema
    newer = tmp_path / "newer.hcbackup"
    for old, new, message in (
        (f'"schema":"{schema}"', '"schema":"0099"', "(database schema 0099, which this"),
        ('{"format":1,', '{"format":2,', "was made by a newer Hemicycle (backup format 2;"),
    ):
        newer.write_bytes(data.replace(old.encode(), new.encode(), 1))
        code, said, err = run(capsys, "restore", str(newer), str(tmp_path / "restored"))
        assert code == 2 and message in err and said == "", err
        assert not (tmp_path / "restored").exists()


def test_passphrases_that_would_make_a_weak_or_lost_backup_are_refused(
    sample_room: DataDir,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, out = str(sample_room.root), str(tmp_path / "b.hcbackup")
    phrase = tmp_path / "phrase"
    phrase.write_text(PASSPHRASE + "\n")
    phrase.chmod(0o644)
    monkeypatch.setenv("HEMICYCLE_BACKUP_PASSPHRASE", "ngắn quá")
    for args, message in (
        (["--passphrase-file", str(phrase)], f"can be read by other users: chmod 600 {phrase}"),
        ([], "the passphrase must have at least 12 characters"),
    ):
        code, _out, err = run(capsys, "backup", root, out, *args)
        assert code == 2 and message in err, err
    code, _out, err = run(capsys, "backup", root, str(sample_room.root / "b.hcbackup"))
    assert code == 2 and "write the backup outside the data directory" in err
    monkeypatch.delenv("HEMICYCLE_BACKUP_PASSPHRASE")
    code, _out, err = run(capsys, "backup", root, out)
    assert code == 2 and "no passphrase" in err
    phrase.chmod(0o600)
    assert run(capsys, "backup", root, out, "--passphrase-file", str(phrase))[0] == 0
    assert not (sample_room.root / "b.hcbackup").exists() and leftovers(tmp_path) == []


def test_replace_refuses_a_served_room_and_puts_the_room_aside(
    room_dir: DataDir,
    restore_into: list[str],
    passphrase: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--replace`` while a server process serves the room is refused; once it is stopped,
    the room there moves aside, changes since the backup with it, and the backup's takes its
    place under the same name."""
    root = str(room_dir.root)
    out = tmp_path / "b.hcbackup"
    assert run(capsys, "meeting", "create", root, "--title", "Trước")[0] == 0
    assert run(capsys, "backup", root, str(out))[0] == 0
    assert run(capsys, "meeting", "create", root, "--title", "Sau")[0] == 0
    with server_process(room_dir):
        code, _out, err = run(capsys, "restore", str(out), root, "--replace", *restore_into)
        assert code == 2 and f"the room in {room_dir.root} is in use" in err, err
    code, said, err = run(capsys, "restore", str(out), root, "--replace", *restore_into)
    assert code == 0, err
    aside = Path(said.splitlines()[-1].rsplit(" is now in ", 1)[1])
    assert aside.name.startswith("room.before-restore-")
    assert run(capsys, "meeting", "list", root)[1].count("\t") == 3  # "Trước" only
    assert "Sau" in run(capsys, "meeting", "list", str(aside))[1]
    assert leftovers(tmp_path) == []


def test_postgresql_restore_needs_an_empty_database_and_leaves_it_empty_on_failure(
    pg_server: PgServer,
    pg_url: str,
    passphrase: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A backup whose snapshot stays open longer than the database lets idle transactions
    live; a restore refused into the room's own database (it is not empty); a backup damaged after
    ``pg_restore`` began, and a restore found wrong after it committed, both leave the empty
    database empty."""
    monkeypatch.setenv("PATH", f"{Path(pg_tool(pg_server, 'pg_dump')).parent}:{os.environ['PATH']}")
    d = make_room(tmp_path / "room", database=pg_url)
    room = RoomTool.open(d)
    try:
        meeting = room.new_meeting()
        for _ in range(250):  # random titles: a dump pg_dump cannot compress into one chunk
            room.new_item(meeting, secrets.token_hex(100))
    finally:
        room.store.dispose()
    # the guide's setting (§14.5), shorter than this backup stays idle in its snapshot
    name = make_url(pg_url).database
    pg_server.admin(
        sql.SQL("ALTER DATABASE {} SET idle_in_transaction_session_timeout = '1s'").format(
            sql.Identifier(name)
        )
    )
    derive = backup._derive

    def slow(passphrase: str, kdf: backup.Kdf) -> tuple[bytes, bytes]:
        time.sleep(1.5)
        return derive(passphrase, kdf)

    out = tmp_path / "b.hcbackup"
    with monkeypatch.context() as m:
        m.setattr(backup, "_derive", slow)
        code, _out, err = run(capsys, "backup", str(d.root), str(out))
    assert code == 0, err
    data = out.read_bytes()
    start = data.index(b"\n", len(backup.MAGIC)) + 1 + 32
    chunk = backup.CHUNK_BYTES + 16
    assert len(data) > start + 2 * chunk
    target = tmp_path / "restored"
    code, _out, err = run(capsys, "restore", str(out), str(target))  # the backup's own database
    assert code == 2 and f"the database {name} is not empty" in err

    def fails(_staging: object, _header: object) -> None:
        raise backup.BackupError("found wrong")

    with pg_server.database() as empty:
        engine = make_engine(empty)
        damaged = tmp_path / "damaged.hcbackup"
        flipped = bytearray(data)
        flipped[start + chunk + 100] ^= 0x01
        damaged.write_bytes(flipped)
        fed: list[int] = []
        real = backup._pg_restore

        def counted(url: URL, pieces: Iterator[bytes]) -> None:
            def counting() -> Iterator[bytes]:
                for piece in pieces:
                    fed.append(len(piece))
                    yield piece

            real(url, counting())

        try:
            with monkeypatch.context() as m:
                m.setattr(backup, "_pg_restore", counted)
                code, _out, err = run(
                    capsys, "restore", str(damaged), str(target), "--database", empty
                )
            assert code == 2 and "is damaged or was altered" in err, err
            assert sum(fed) > 32_000  # pg_restore had begun: what it got was rolled back
            assert inspect(engine).get_table_names() == []
            with monkeypatch.context() as m:
                m.setattr(backup, "_verify_staged", fails)
                code, _out, err = run(capsys, "restore", str(out), str(target), "--database", empty)
            assert code == 2 and "error: found wrong" in err
            assert inspect(engine).get_table_names() == []
        finally:
            engine.dispose()
        assert not target.exists() and leftovers(tmp_path) == []
        code, said, err = run(capsys, "restore", str(out), str(target), "--database", empty)
        assert code == 0 and "1 meeting, 0 delegates" in said, err


def test_a_backup_of_an_older_schema_restores_upgraded(
    passphrase: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A backup made by an older version (here: the room of the first released schema, backed
    up as it was) restores into this one, which brings it to its schema as any command opening
    the room does, the audit log as 0.1.0 left it."""
    old = first_released_room(tmp_path / "old")
    out = tmp_path / "old.hcbackup"
    with monkeypatch.context() as m:
        m.setattr("server.datadir.upgrade", lambda _engine: None)  # the older version's backup
        assert run(capsys, "backup", str(old.root), str(out))[0] == 0
    assert backup.read_header(out).schema == "0004"
    code, said, err = run(capsys, "restore", str(out), str(tmp_path / "new"))
    assert code == 0, err
    assert said.splitlines()[-1] == FIRST_RELEASED_HEAD
    assert schema_of(tmp_path / "new" / "room.db") == head()
