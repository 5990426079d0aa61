"""Bring a room's database to the schema this server knows, safely, whatever version made it.

``init`` and every command that opens a room call :func:`upgrade`, so a newer server opens an
older data directory as it is. Three rules keep that safe:

* **A copy first.** Before a SQLite database is migrated forward, the whole of it is copied
  with SQLite's online backup API to ``pre-upgrade-<old revision>-<UTC time>.db`` beside it
  (mode 0600): a migration that goes wrong, or a newer version that has to be given up, leaves
  the room as it was, one ``mv`` away. The copy holds everything ``room.db`` holds.
* **PostgreSQL only on request.** A room kept in PostgreSQL is migrated only by
  ``hemicycle-server migrate DIR`` (``explicit=True``), never as a side effect of ``run``: its
  backup is IT's ``pg_dump`` (a copy of a server's database is not ours to make quietly, and
  can be large), and several server processes share it, which must not all migrate at once.
* **Never backwards.** A database at a revision this code does not know was upgraded by a newer
  version; it is refused, naming both, instead of being run by code that does not know its
  tables.

A fresh database (no revision yet) is simply created at the newest schema.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from app.version import version

log = logging.getLogger("hemicycle.server")

_SCRIPTS = Path(__file__).resolve().parent / "migrations"

#: Where the copy taken before an upgrade goes, beside ``room.db``: the revision it holds and
#: when (UTC) it was taken, so several upgrades leave several copies that sort by time.
PRE_UPGRADE_NAME = "pre-upgrade-{revision}-{time}.db"


class SchemaError(Exception):
    """The database cannot be brought to this server's schema now; the message says why and
    what to do."""


@dataclass(frozen=True)
class Upgrade:
    """What :func:`upgrade` did: the revision found (``None``: a fresh database), the one it is
    at now, and the copy taken before (SQLite only)."""

    before: str | None
    after: str
    copy: Path | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    return cfg


def head(scripts: ScriptDirectory | None = None) -> str:
    """The newest schema revision this code knows."""
    found = (scripts or ScriptDirectory.from_config(alembic_config())).get_current_head()
    assert found is not None, "server/migrations has no revision"
    return found


def revision(engine: Engine) -> str | None:
    """The database's schema revision, ``None`` for a database with no schema yet."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, explicit: bool = False) -> Upgrade:
    """Bring the database to the newest schema; a no-op when it is already there.

    ``explicit`` is ``hemicycle-server migrate``: the operator asked, so a PostgreSQL database
    is migrated too. Raises :class:`SchemaError` for a newer schema, or for a PostgreSQL
    database behind this code when not ``explicit``.
    """
    cfg = alembic_config()
    scripts = ScriptDirectory.from_config(cfg)
    newest = head(scripts)
    before = revision(engine)
    if before is not None:
        known = {script.revision for script in scripts.walk_revisions()}
        if before not in known:
            raise SchemaError(
                f"the room's database is at schema {before}, newer than this "
                f"hemicycle-server {version()} knows (its newest is {newest}): a newer version "
                "of Hemicycle upgraded it. Install that version (or a later one) again, or put "
                "back the copy of the database taken before that upgrade "
                "(docs/operations.md, Upgrading)"
            )
    if before == newest:
        return Upgrade(before, newest)
    copy = None
    if before is not None:
        if engine.dialect.name == "sqlite":
            copy = _copy_sqlite(engine, before)
        elif not explicit:
            raise SchemaError(
                f"the room's database is at schema {before} and this hemicycle-server "
                f"{version()} needs {newest}: stop every server process of the room, back the "
                "database up with pg_dump, then run 'hemicycle-server migrate' on the room's "
                "folder (docs/operations.md, Upgrading)"
            )
    _migrate(engine, cfg)
    if before is not None:
        kept = f"; the database as it was is in {copy}" if copy is not None else ""
        log.warning(
            "the room's database was upgraded from schema %s to %s (hemicycle-server %s)%s",
            before,
            newest,
            version(),
            kept,
        )
    return Upgrade(before, newest, copy)


def _migrate(engine: Engine, cfg: Config) -> None:
    """Run the migrations in one transaction: all of them, or none.

    On SQLite that takes doing by hand what SQLite's documentation prescribes for schema
    changes. The connections here commit each statement by themselves (the server begins its
    transactions explicitly, server/store.py), so the transaction is begun here. And Alembic
    changes a table on SQLite by building a new one and dropping the old: with foreign keys
    enforced, dropping a table first deletes its rows, which the rows referring to them either
    refuse (the upgrade fails half-way) or follow (ON DELETE CASCADE: they are deleted too). So
    foreign keys are off while the tables are rebuilt, and checked once before the commit.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
            conn.commit()
        try:
            with conn.begin():
                if sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all() if sqlite else []
                if broken:
                    raise SchemaError(
                        "the room's database holds rows that refer to rows that do not exist "
                        f"({len(broken)}, the first in table {broken[0][0]}), so it was not "
                        "upgraded; nothing was changed: put back its last backup (§10 of "
                        "docs/operations.md)"
                    )
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def _copy_sqlite(engine: Engine, revision: str) -> Path:
    """A complete, consistent copy of the SQLite database, beside it, before it is upgraded.

    The online backup API copies what is committed, the write-ahead log included (a ``cp`` of
    ``room.db`` alone could miss it). The file is created 0600 before SQLite writes a byte of
    the room into it, and left in rollback-journal mode so it is one self-contained file.
    """
    database = engine.url.database
    assert database, "an in-memory database has nothing to keep"
    source = Path(database)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = source.with_name(PRE_UPGRADE_NAME.format(revision=revision, time=stamp))
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise _cannot_copy(target, exc) from None
    raw = engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            live = raw.driver_connection
            assert isinstance(live, sqlite3.Connection)
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    except (OSError, sqlite3.Error) as exc:
        target.unlink(missing_ok=True)
        raise _cannot_copy(target, exc) from None
    finally:
        raw.close()
    return target


def _cannot_copy(target: Path, exc: Exception) -> SchemaError:
    return SchemaError(
        f"cannot copy the room's database to {target} before upgrading it ({exc}); nothing "
        "was changed: make room on that disk, or let the server's user write in that folder"
    )
