"""Backups of a room taken while it serves and writes, encrypted, and restored only once verified.

A backup is one file holding everything a room is — its database and the files of its data
directory (room key, certificate, ``storage.key``, ``config.toml``; not the logs) — so it
holds every secret of the room, and is encrypted with a passphrase (docs/security.md §4.16).

**Consistent while the room runs.** SQLite: the online backup API copies the live database in
one step, inside one read transaction; in WAL mode that transaction sees the last commit before
it began and never blocks the server's writers. PostgreSQL: ``pg_dump`` runs on a snapshot this
module exports (``pg_export_snapshot``) and reads the log's head and the schema in, so the
header names exactly the state in the dump. Whatever was committed before the backup began is
in it; nothing committed later, nothing half-written.

**Checked as it is made.** The copy must pass ``PRAGMA integrity_check`` (SQLite) and the audit
chain must verify (what ``audit verify`` runs, :func:`server.eventlog.verify`) before a byte of
the backup is written: a backup that ``restore`` would refuse is never made.

**The file.** Two text lines any editor shows — the magic, then a JSON header saying which room,
when, what database, which schema and how the key is derived — then an HMAC-SHA256 of those two
lines, then the archive, encrypted. The key is derived from the passphrase with scrypt (salt
and cost in the header): 64 bytes, the first 32 an AES-256-GCM key, the last 32 the header's
MAC key. The archive is sealed in chunks of ``chunk_bytes`` as in the STREAM construction (age,
Tink): chunk *i* under the nonce *i* (11 bytes, big-endian) followed by a byte that is 1 for the
last chunk only, so a chunk cannot be moved, dropped or repeated, and a file cut short at any
byte — even between two chunks — does not open. A wrong passphrase fails the header's MAC
before anything is decrypted, so it is told apart from a damaged file.

Inside, the archive is a list of parts: a name (1 byte of length, UTF-8), then its content as
pieces (4 bytes of length, big-endian, then the bytes) ended by an empty piece; an empty name
ends the archive. Pieces let ``pg_dump``'s output, whose length is unknown until it ends, be
sealed as it comes, and the parts be read back without holding the database in memory.

**No plaintext on disk** beyond what the room itself keeps: the archive is encrypted as it is
written (into a file beside the target, renamed into place once complete). The SQLite copy is
made into a 0700 folder inside the data directory, beside the ``room.db`` it copies (the same
disk, the same protection), and deleted once sealed; ``pg_dump`` writes into a pipe. A restore
decrypts into a 0700 folder beside its target and renames it into place only once verified.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import hmac
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import msgspec
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from sqlalchemy import MetaData, func, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session as DbSession

from app.codes import format_room_id, room_id_of
from app.fileio import atomic_write, staged_file
from app.vault import ScryptCost
from app.version import version
from server import config as cfg
from server import eventlog
from server.datadir import SQLITE_FILE, DataDir, DataDirError
from server.db import DelegateRow, DeviceRow, DocumentRow, MeetingRow, database_url, make_engine
from server.domains import room
from server.migrate import alembic_config, upgrade
from server.pgnotify import APPLICATION_NAME, conninfo_from_url
from server.roomkeys import STORAGE_KEY_FILE, StorageKey, StorageKeyError
from server.store import Store

FORMAT = 1
MAGIC = b"hemicycle-backup\n"
#: Plaintext bytes per sealed chunk, as in age: the tag (16 bytes) costs nothing, and damage is
#: located to within 64 KiB.
CHUNK_BYTES = 64 * 1024
#: Bytes read at once from a database file or ``pg_dump``, sealed as one piece of a part.
READ_BYTES = 1 << 20
#: scrypt's cost for backups: twice the device vault's (~0.5 s and 128 MiB per guess on the
#: reference machine). A backup holds every secret of the room, and is made and opened rarely.
COST = ScryptCost(log2_n=17)
MIN_PASSPHRASE = 12
#: Written into the data directory after each backup, for ``status`` and monitoring.
LAST_BACKUP_FILE = "last-backup.json"

_TAG = 16
_MAC = 32
_SALT = 16
_MAX_HEADER = 64 * 1024
_CHUNK_RANGE = (4096, 16 << 20)
_DUMP_PART = "database.pgdump"
#: The small parts, in the order they are written; the database comes last.
_FILE_PARTS = ("room-cert.pem", "room-key.pem", STORAGE_KEY_FILE, "config.toml")
#: How ``pg_dump`` and ``pg_restore`` name themselves in ``pg_stat_activity``.
_PG_APPLICATION = "hemicycle-backup"
#: The byte of SQLite's ``-shm`` file every connection to a WAL database holds a shared lock
#: on while it is open (``UNIX_SHM_DMS`` in SQLite's os_unix.c: 120 + 8 lock bytes).
_SHM_DMS_BYTE = 128


class BackupError(Exception):
    """A backup cannot be made, opened or restored; the message says why and what to do."""


class Kdf(msgspec.Struct, forbid_unknown_fields=True):
    salt: bytes
    log2_n: int
    r: int
    p: int

    def cost(self) -> ScryptCost:
        return ScryptCost(self.log2_n, self.r, self.p)


class _Format(msgspec.Struct):
    format: int


class Header(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What a backup says of itself before the passphrase is given (authenticated by its MAC
    once it is)."""

    format: int
    room_name: str
    room_id: str
    #: When the snapshot was taken, ISO 8601 in UTC.
    taken: str
    database: Literal["sqlite", "postgresql"]
    #: The Alembic revision of the database in the backup.
    schema: str
    #: The last entry of the audit log in the backup; the log holds every entry up to it.
    last_seq: int
    made_by: str
    chunk_bytes: int
    kdf: Kdf

    def when(self) -> str:
        """When the snapshot was taken, for people."""
        return self.taken.replace("T", " ").replace("Z", " UTC")

    def describe(self) -> str:
        kind = "SQLite" if self.database == "sqlite" else "PostgreSQL"
        return (
            f"room '{self.room_name}', ID {self.room_id}, taken {self.when()}, "
            f"{kind}, audit log up to entry {self.last_seq} (Hemicycle {self.made_by})"
        )


class LastBackup(msgspec.Struct):
    """The last backup made of a room (``last-backup.json`` in its data directory, which
    ``status`` reads: server/cli_ops.py)."""

    #: When its snapshot was taken, UNIX time.
    at: float
    file: str
    bytes: int
    last_seq: int
    seconds: float


@dataclass(frozen=True)
class Summary:
    """What a room holds, as restore reports it; the audit chain verified."""

    room_name: str
    events: int
    meetings: int
    delegates: int
    devices: int
    documents: int


@dataclass(frozen=True)
class Made:
    header: Header
    size: int
    seconds: float


@dataclass(frozen=True)
class Restored:
    header: Header
    summary: Summary
    #: Where the room that was in the target folder was moved (``--replace``), if any.
    aside: Path | None


# ---------------------------------------------------------------------- encryption


def _check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect every secret of the room."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"the passphrase must have at least {MIN_PASSPHRASE} characters (a few words, or "
            "the random line of a passphrase file: docs/operations.md §10)"
        )


def _derive(passphrase: str, kdf: Kdf) -> tuple[bytes, bytes]:
    """The archive key and the header's MAC key. NFC: the same words typed on two keyboards
    (precomposed or combining Vietnamese diacritics) give the same key."""
    cost = kdf.cost()
    material = Scrypt(salt=kdf.salt, length=64, n=cost.n, r=cost.r, p=cost.p).derive(
        unicodedata.normalize("NFC", passphrase).encode()
    )
    return material[:32], material[32:]


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class _Sealer:
    """Encrypts what is written to it onto ``out``, chunk by chunk (STREAM, see the module
    docstring). A full chunk is sealed only once more follows, so the last chunk — flagged as
    such — is never empty unless the whole archive is."""

    def __init__(self, out: BinaryIO, key: bytes, chunk: int) -> None:
        self._out = out
        self._aead = AESGCM(key)
        self._chunk = chunk
        self._buf = bytearray()
        self._counter = 0

    def write(self, data: bytes) -> None:
        self._buf += data
        done = 0
        with memoryview(self._buf) as view:
            while len(self._buf) - done > self._chunk:
                self._seal(view[done : done + self._chunk], last=False)
                done += self._chunk
        del self._buf[:done]

    def part(self, name: str, pieces: Iterable[bytes]) -> None:
        label = name.encode()
        self.write(bytes([len(label)]) + label)
        for piece in pieces:
            if piece:
                self.write(struct.pack(">I", len(piece)))
                self.write(piece)
        self.write(struct.pack(">I", 0))

    def finish(self) -> None:
        self.write(b"\x00")  # the empty name: end of the archive
        self._seal(bytes(self._buf), last=True)
        self._buf.clear()

    def _seal(self, piece: bytes | memoryview, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._counter, last), piece, None))
        self._counter += 1


class _Opener:
    """The archive of a backup file, decrypted and authenticated chunk by chunk as it is read."""

    def __init__(self, f: BinaryIO, key: bytes, header: Header, start: int, name: str) -> None:
        self._chunks = self._decrypt(f, AESGCM(key), header.chunk_bytes + _TAG, start, name)
        self._buf = bytearray()
        self._pos = 0

    @staticmethod
    def _decrypt(f: BinaryIO, aead: AESGCM, size: int, start: int, name: str) -> Iterator[bytes]:
        counter = 0
        current = f.read(size)
        while True:
            following = f.read(size) if len(current) == size else b""
            last = not following
            try:
                yield aead.decrypt(_nonce(counter, last), current, None)
            except InvalidTag:
                at = start + counter * size
                if last and _opens(aead, counter, current):
                    raise BackupError(
                        f"{name} is incomplete (it stops at byte {at + len(current)}, where more "
                        "should follow): copy it again from where it was made"
                    ) from None
                if last:
                    raise BackupError(
                        f"{name} is incomplete or damaged near its end (after byte {at}): copy "
                        "it again from where it was made"
                    ) from None
                raise BackupError(
                    f"{name} is damaged or was altered (bytes {at} to {at + size}): it cannot be "
                    "restored; use another copy"
                ) from None
            if last:
                return
            current = following
            counter += 1

    def _fill(self) -> None:
        try:
            more = next(self._chunks)
        except StopIteration:
            raise BackupError("the backup ends in the middle of a part") from None
        del self._buf[: self._pos]
        self._buf += more
        self._pos = 0

    def read(self, n: int) -> bytes:
        """Exactly ``n`` bytes of the archive."""
        while len(self._buf) - self._pos < n:
            self._fill()
        out = bytes(self._buf[self._pos : self._pos + n])
        self._pos += n
        return out

    def parts(self) -> Iterator[tuple[str, Iterator[bytes]]]:
        """Each part's name and its pieces, which must be consumed before the next part."""
        while name := self.read(self.read(1)[0]).decode():
            yield name, self._pieces()
        if self._pos != len(self._buf) or any(self._chunks):
            raise BackupError("the backup has data after its end")

    def _pieces(self) -> Iterator[bytes]:
        """A part's content as it is decrypted: a piece is handed on chunk by chunk, so what
        reads it (a file, ``pg_restore``) gets each chunk as soon as it is authenticated."""
        while left := struct.unpack(">I", self.read(4))[0]:
            while left:
                if self._pos == len(self._buf):
                    self._fill()
                out = self.read(min(left, len(self._buf) - self._pos))
                left -= len(out)
                yield out


def _opens(aead: AESGCM, counter: int, data: bytes) -> bool:
    """Whether a chunk opens as a chunk that is *not* the last: the file was cut after it."""
    try:
        aead.decrypt(_nonce(counter, False), data, None)
    except InvalidTag:
        return False
    return True


def _header_lines(header: Header) -> bytes:
    return MAGIC + msgspec.json.encode(header) + b"\n"


def read_header(path: Path) -> Header:
    """The header of a backup file, before any passphrase: checked to be one this version can
    restore (format, schema)."""
    with _open_file(path) as f:
        header, _start = _read_header(f, path)
    return header


@contextlib.contextmanager
def _open_file(path: Path) -> Iterator[BinaryIO]:
    try:
        f = path.open("rb")
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    with f:
        yield f


def _read_header(f: BinaryIO, path: Path) -> tuple[Header, int]:
    if f.read(len(MAGIC)) != MAGIC:
        raise BackupError(f"{path} is not a Hemicycle backup")
    line = f.readline(_MAX_HEADER)
    try:
        made = msgspec.json.decode(line, type=_Format).format
        if made > FORMAT:
            raise BackupError(
                f"{path} was made by a newer Hemicycle (backup format {made}; this one reads "
                f"format {FORMAT}): restore it with that version or a newer one"
            )
        header = msgspec.json.decode(line, type=Header)
        header.kdf.cost()
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
        raise BackupError(f"{path}: the header of the backup is damaged") from None
    if not _CHUNK_RANGE[0] <= header.chunk_bytes <= _CHUNK_RANGE[1] or len(header.kdf.salt) < 16:
        raise BackupError(f"{path}: the header of the backup is damaged")
    if header.schema not in _known_schemas():
        raise BackupError(
            f"{path} holds a room of a newer Hemicycle (database schema {header.schema}, which "
            "this installation does not know): restore it with the version that made it "
            f"(Hemicycle {header.made_by}) or a newer one"
        )
    return header, len(MAGIC) + len(line)


def _known_schemas() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _unlock(f: BinaryIO, path: Path, passphrase: str) -> tuple[Header, _Opener]:
    """The header and the decrypting reader of the archive, once the passphrase is right."""
    header, start = _read_header(f, path)
    key, mac_key = _derive(passphrase, header.kdf)
    f.seek(0)
    lines = f.read(start)
    if not hmac.compare_digest(f.read(_MAC), hmac.digest(mac_key, lines, hashlib.sha256)):
        raise BackupError(
            f"wrong passphrase for {path} (or its header was altered); nothing was restored"
        )
    return header, _Opener(f, key, header, start + _MAC, str(path))


# ---------------------------------------------------------------------- the room's state


def _summarise(db: DbSession, whose: str) -> tuple[Summary, str]:
    """What the database in ``db`` holds, and its schema revision; refused unless its audit
    chain verifies (what ``audit verify`` runs)."""
    count, bad = eventlog.verify(db)
    if bad is not None:
        raise BackupError(
            f"{whose} audit log is broken at entry {bad} (after {count} good entries); see "
            "'audit verify' in docs/operations.md §12"
        )
    schema = MigrationContext.configure(db.connection()).get_current_revision() or ""

    def rows(model: type[MeetingRow | DelegateRow | DeviceRow | DocumentRow]) -> int:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)

    summary = Summary(
        room_name=room.info(db).name,
        events=count,
        meetings=rows(MeetingRow),
        delegates=rows(DelegateRow),
        devices=rows(DeviceRow),
        documents=rows(DocumentRow),
    )
    return summary, schema


def _check_integrity(path: Path, whose: str) -> None:
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        raise BackupError(
            f"{whose} database fails SQLite's integrity check: {'; '.join(problems[:3])}"
        )


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite", database=str(path))


# ---------------------------------------------------------------------- backup


Snapshot = tuple[float, Summary, str, str, Iterator[bytes]]
"""When it was taken, what it holds, its schema, the database's part name, and its bytes."""


@contextlib.contextmanager
def _sqlite_snapshot(d: DataDir, store: Store) -> Iterator[Snapshot]:
    folder = Path(tempfile.mkdtemp(prefix=".backup-", dir=d.root))
    try:
        copy = folder / SQLITE_FILE
        raw = store.engine.raw_connection()
        try:
            live = raw.driver_connection
            assert isinstance(live, sqlite3.Connection)
            with contextlib.closing(sqlite3.connect(copy)) as target:
                taken = time.time()
                live.backup(target)  # every page in one step: one read transaction, one state
        finally:
            raw.close()
        _check_integrity(copy, "the room's")
        snapshot = Store(make_engine(_sqlite_url(copy)))
        try:
            with snapshot.read() as db:
                summary, schema = _summarise(db, "the room's")
        finally:
            snapshot.dispose()
        yield taken, summary, schema, SQLITE_FILE, _file_pieces(copy)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _pg_snapshot(url: URL, store: Store) -> Iterator[Snapshot]:
    with store.engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            # held open, idle, while pg_dump runs: a database set to end idle transactions
            # (docs/operations.md §14.5) must not end this one before pg_dump has imported it
            conn.execute(text("SET LOCAL idle_in_transaction_session_timeout = 0"))
            taken = time.time()
            name = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            with DbSession(bind=conn) as db:
                summary, schema = _summarise(db, "the room's")
            # pg_dump reads the exported snapshot, valid while this transaction stays open
            yield taken, summary, schema, _DUMP_PART, _pg_dump(url, name)


def _file_pieces(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while piece := f.read(READ_BYTES):
            yield piece


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client programs (Debian: "
            "postgresql-client, of the database server's major version or newer)"
        )
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """Where ``pg_dump``/``pg_restore`` connect (the room's own translation of its URL) and their
    environment, with the password in ``PGPASSWORD`` rather than on a command line every user
    of the machine can read."""
    params = conninfo_to_dict(conninfo_from_url(url))
    password = params.pop("password", None)
    params["application_name"] = _PG_APPLICATION
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = str(password)
    return make_conninfo("", **params), env


def _pg_dump(url: URL, snapshot: str) -> Iterator[bytes]:
    target, env = _libpq(url)
    # Most of a room is document ciphertext, which pg_dump writes hex-escaped: twice its size.
    # gzip level 1 takes that back (~120 MB dumped into ~70 MB in ~5 s on the reference
    # machine); the default level 6 gains 3 % more in twice the time.
    argv = [_pg_tool("pg_dump"), "--format=custom", "--compress=1", f"--snapshot={snapshot}"]
    argv += ["-d", target]
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, env=env) as proc,
    ):
        assert proc.stdout is not None
        try:
            while piece := proc.stdout.read(READ_BYTES):
                yield piece
        except BaseException:  # the backup stopped: so does pg_dump
            proc.kill()
            raise
        status = proc.wait()
        if status != 0:
            raise BackupError(f"pg_dump failed: {_said(errors, status)}")


def _said(errors: BinaryIO, status: int) -> str:
    """What a PostgreSQL program wrote to its standard error, or its exit status."""
    errors.seek(0)
    return errors.read().decode(errors="replace").strip() or f"exit status {status}"


def create(root: Path, out: Path, passphrase: str, cost: ScryptCost = COST) -> Made:
    """Back up the room in ``root`` into ``out`` while it may be serving (module docstring);
    ``out`` appears only once complete. Records the backup in ``last-backup.json``."""
    _check_passphrase(passphrase)
    started = time.monotonic()
    d = DataDir(root)
    config, store = d.open()  # also checks that storage.key opens the room's documents
    try:
        url = d.database(config)
        snap = _pg_snapshot(url, store) if store.postgres else _sqlite_snapshot(d, store)
        with snap as (taken, summary, schema, part, pieces):
            kdf = Kdf(os.urandom(_SALT), cost.log2_n, cost.r, cost.p)
            header = Header(
                format=FORMAT,
                room_name=summary.room_name,
                room_id=d.room_id_text(),
                taken=_iso(taken),
                database="postgresql" if store.postgres else "sqlite",
                schema=schema,
                last_seq=summary.events,
                made_by=version(),
                chunk_bytes=CHUNK_BYTES,
                kdf=kdf,
            )
            key, mac_key = _derive(passphrase, kdf)
            lines = _header_lines(header)
            with staged_file(out) as handle:
                handle.write(lines + hmac.digest(mac_key, lines, hashlib.sha256))
                sealer = _Sealer(handle, key, CHUNK_BYTES)
                for name in _FILE_PARTS:
                    sealer.part(name, [(root / name).read_bytes()])
                sealer.part(part, pieces)
                sealer.finish()
    finally:
        store.dispose()
    made = Made(header, out.stat().st_size, time.monotonic() - started)
    seconds = round(made.seconds, 2)
    record = LastBackup(round(taken, 3), str(out.resolve()), made.size, header.last_seq, seconds)
    atomic_write(root / LAST_BACKUP_FILE, msgspec.json.encode(record) + b"\n")
    return made


def _iso(at: float) -> str:
    return datetime.datetime.fromtimestamp(at, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------- restore


def _check_identity(files: dict[str, bytes], header: Header, name: str) -> None:
    """The key files are all there, the certificate is the room ID the header names, and the
    room key is the certificate's key."""
    missing = [part for part in _FILE_PARTS if part not in files]
    if missing:
        raise BackupError(f"{name} lacks {', '.join(missing)}: it cannot be restored")
    try:
        cert = x509.load_pem_x509_certificate(files["room-cert.pem"])
        key = serialization.load_pem_private_key(files["room-key.pem"], password=None)
        StorageKey(files[STORAGE_KEY_FILE])
    except (ValueError, TypeError, StorageKeyError) as exc:
        raise BackupError(f"{name} holds a damaged key or certificate: {exc}") from None
    room_id = format_room_id(room_id_of(cert.public_bytes(serialization.Encoding.DER)))
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    if room_id != header.room_id:
        raise BackupError(f"{name} holds the certificate of room {room_id}, not {header.room_id}")
    if not isinstance(key, Ed25519PrivateKey) or (
        key.public_key().public_bytes(*raw) != cert.public_key().public_bytes(*raw)
    ):
        raise BackupError(f"{name}: its room key is not the key of the room's certificate")


def _walk(
    archive: _Opener,
    header: Header,
    path: Path,
    on_file: Callable[[str, bytes], None],
    on_database: Callable[[Iterator[bytes]], None],
) -> None:
    """Read every part of a backup: the small files first, handed to ``on_file``; then, once the
    key files are checked against the room ID, the database's pieces to ``on_database``, which
    must read them all."""
    files: dict[str, bytes] = {}
    found = False
    for name, pieces in archive.parts():
        if name in _FILE_PARTS and not found:
            files[name] = b"".join(pieces)
            on_file(name, files[name])
        elif name == _database_part(header) and not found:
            _check_identity(files, header, str(path))
            found = True
            on_database(pieces)
        else:
            raise BackupError(f"{path} holds an unexpected part '{name}': it cannot be restored")
    if not found:
        raise BackupError(f"{path} holds no database: it cannot be restored")


def verify(path: Path, passphrase: str) -> Header:
    """Decrypt and authenticate every byte of a backup and check its key files against its
    room ID, writing nothing. The database inside is checked by :func:`restore`; its integrity
    and audit chain were checked when the backup was made, and the encryption shows it is
    unchanged since."""

    def drain(pieces: Iterator[bytes]) -> None:
        for _piece in pieces:
            pass

    with _open_file(path) as f:
        header, archive = _unlock(f, path, passphrase)
        _walk(archive, header, path, lambda _name, _data: None, drain)
    return header


def _database_part(header: Header) -> str:
    return SQLITE_FILE if header.database == "sqlite" else _DUMP_PART


def in_use(d: DataDir) -> bool:
    """Whether a process serves the room in ``d`` now: for SQLite, another process has its
    database open (SQLite's lock on the ``-shm`` file, held by every open connection); for
    PostgreSQL, a room server's LISTEN connection is on its database. A database that cannot
    be reached is served by no one."""
    config = cfg.load(d.config)
    url = d.database(config)
    if url.get_backend_name() == "sqlite":
        try:
            fd = os.open(f"{url.database}-shm", os.O_RDWR)
        except FileNotFoundError:
            return False  # SQLite makes it as the first connection opens, removes it at the last
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
        except OSError:
            return True
        finally:
            os.close(fd)  # and with it the lock
        return False
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            listening = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name = :name"
                ),
                {"name": APPLICATION_NAME},
            ).scalar_one()
    except OperationalError:
        return False
    finally:
        engine.dispose()
    return bool(listening)


def _check_target(target: Path, header: Header, replace: bool) -> bool:
    """Refuse a target that is not a new or empty folder, unless ``replace`` and it holds this
    same room, served by no one; True if there is a room to put aside."""
    if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):
        raise BackupError(f"cannot restore into {target}: {target.parent} is not a writable folder")
    if target.exists() and not target.is_dir():
        raise BackupError(f"cannot restore into {target}: it is a file")
    if not target.exists() or not any(target.iterdir()):
        return False
    if not replace:
        raise BackupError(
            f"{target} is not empty: restore into a new folder, or give --replace to put the "
            "room in it aside (with its server stopped)"
        )
    d = DataDir(target)
    try:
        d.check()
        current = d.room_id_text()
    except (DataDirError, OSError, ValueError) as exc:
        raise BackupError(
            f"{target} is not a room data directory ({exc}): --replace only replaces a room; "
            "restore into a new folder"
        ) from None
    if current != header.room_id:
        raise BackupError(
            f"{target} holds another room (ID {current}); this backup is of room "
            f"{header.room_id}: restore it into a new folder"
        )
    if in_use(d):
        raise BackupError(
            f"the room in {target} is in use (is its server running?): stop every server of "
            "the room and try again"
        )
    return True


class _Staging:
    """The restored room as it is written, in a 0700 folder beside the target."""

    def __init__(self, target: Path) -> None:
        self.root = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore-", dir=target.parent))
        #: The PostgreSQL database ``pg_restore`` was started on, emptied again if restore fails.
        self.database: URL | None = None

    def write(self, name: str, pieces: Iterable[bytes]) -> None:
        fd = os.open(self.root / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                f.write(piece)
            f.flush()
            os.fsync(f.fileno())

    def keep(self, name: str, data: bytes) -> None:
        self.write(name, [data])

    def discard(self) -> str:
        """Remove what was restored; a sentence for IT staff if something could not be."""
        shutil.rmtree(self.root, ignore_errors=True)
        if self.database is None:
            return ""
        engine = make_engine(self.database)
        try:  # it was empty before pg_restore: every table in it is the restore's
            meta = MetaData()
            meta.reflect(engine)
            meta.drop_all(engine)
        except SQLAlchemyError as exc:
            return (
                f"and the tables restored into the database {self.database.database} could not "
                f"be removed ({exc.__class__.__name__}): empty it (dropdb, createdb) before "
                "trying again"
            )
        finally:
            engine.dispose()
        return ""


def _pg_target(staging: _Staging, given: str | None) -> URL:
    """The database to restore into — ``--database`` (written into the restored
    ``config.toml``) or the backup's own — checked to be empty."""
    path = staging.root / "config.toml"
    config = cfg.load(path)
    if given:
        url = _database_arg(given)
        database = msgspec.structs.replace(config.database, url=given)
        path.unlink()
        cfg.write(path, msgspec.structs.replace(config, database=database))
    else:
        url = database_url(config.database.url)
    _check_empty(url)
    return url


def _database_arg(given: str) -> URL:
    try:
        url = database_url(given)
    except ValueError as exc:
        raise BackupError(f"--database: {exc}") from None
    if url.get_backend_name() != "postgresql":
        raise BackupError("--database takes the postgresql:// URL of an empty database")
    return url


def _check_empty(url: URL) -> None:
    engine = make_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(
            f"the database {url.database} is not empty: restore into an empty database owned "
            "by the room's user (createdb --owner=USER NAME, docs/operations.md §14.5), named "
            "with --database URL, or empty this one first (dropdb, createdb)"
        )


def _pg_restore(url: URL, pieces: Iterator[bytes]) -> None:
    """Feed the dump to ``pg_restore`` as it is decrypted: one transaction, owned by the user
    of the URL (the dump's owner and grants are the other database's). Every piece is read,
    so all of the file is authenticated, even if ``pg_restore`` stops early; if reading fails,
    ``pg_restore`` is killed before it can commit."""
    target, env = _libpq(url)
    argv = [
        _pg_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "-d",
        target,
    ]
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors, env=env
        ) as proc,
    ):
        assert proc.stdin is not None
        stopped = False
        try:
            for piece in pieces:
                if not stopped:
                    try:
                        proc.stdin.write(piece)
                    except BrokenPipeError:  # it stopped: its status says why
                        stopped = True
        except BaseException:
            proc.kill()
            raise
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        status = proc.wait()
        if status != 0:
            raise BackupError(f"pg_restore failed: {_said(errors, status)}")


def restore(
    path: Path,
    target: Path,
    ask: Callable[[Header], str],
    *,
    database: str | None = None,
    replace: bool = False,
) -> Restored:
    """Restore the backup in ``path`` into ``target``, verified before it is put in place.

    ``ask`` is called with the header once the file and the target have been checked, and
    returns the passphrase. The room is written into a folder beside ``target`` (for
    PostgreSQL: its database into an empty database), checked — integrity, the room ID against
    its key, the storage key against its documents, the audit chain, the log's head against the
    header — and only then renamed into place; with ``replace``, the room that was there is
    renamed aside first. On any failure nothing is left: not the folder, not the tables.
    """
    target = target.absolute()
    header = read_header(path)
    if database and header.database != "postgresql":
        raise BackupError("--database is for a backup of a room kept in PostgreSQL; this is SQLite")
    put_aside = _check_target(target, header, replace)
    if database:  # the backup's own URL is known only once it is decrypted
        _check_empty(_database_arg(database))
    passphrase = ask(header)
    staging = _Staging(target)

    def restore_database(pieces: Iterator[bytes]) -> None:
        if header.database == "sqlite":
            staging.write(SQLITE_FILE, pieces)
            return
        url = _pg_target(staging, database)
        staging.database = url
        _pg_restore(url, pieces)

    try:
        with _open_file(path) as f:
            header, archive = _unlock(f, path, passphrase)
            _walk(archive, header, path, staging.keep, restore_database)
        summary = _verify_staged(staging, header)
        try:
            aside = _put_in_place(staging.root, target, put_aside)
        except OSError as exc:
            raise BackupError(f"cannot put the restored room in {target}: {exc}") from None
    except BackupError as exc:
        left = staging.discard()
        if left:
            raise BackupError(f"{exc}; {left}") from None
        raise
    except BaseException:
        staging.discard()
        raise
    return Restored(header, summary, aside)


def _verify_staged(staging: _Staging, header: Header) -> Summary:
    (staging.root / "logs").mkdir(mode=0o700)
    if header.database == "sqlite":
        _check_integrity(staging.root / SQLITE_FILE, "the backup's")
    if staging.database is not None:
        # a backup of an older schema: a database this restore made and no server uses yet is
        # ours to migrate, as `migrate` would (a room on SQLite is migrated as it opens, below)
        engine = make_engine(staging.database)
        try:
            upgrade(engine, explicit=True)
        finally:
            engine.dispose()
    try:
        _config, store = DataDir(staging.root).open()  # the storage key against the documents
    except DataDirError as exc:
        raise BackupError(f"the restored room does not open: {exc}") from None
    try:
        with store.read() as db:
            summary, _schema = _summarise(db, "the backup's")
    finally:
        store.dispose()
    if summary.events != header.last_seq:
        raise BackupError(
            f"the restored audit log ends at entry {summary.events}, the backup says "
            f"{header.last_seq}: the backup cannot be trusted"
        )
    return summary


def _put_in_place(staged: Path, target: Path, put_aside: bool) -> Path | None:
    """Rename the verified room to ``target``, the room there (``--replace``) aside first."""
    aside = None
    if put_aside:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = target.with_name(f"{target.name}.before-restore-{stamp}")
        target.rename(aside)
    elif target.exists():
        target.rmdir()  # an empty folder, as checked
    try:
        staged.rename(target)
    except OSError:
        if aside is not None:
            aside.rename(target)
        raise
    return aside
