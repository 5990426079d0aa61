"""The data directory: everything a room is, in one folder an operator can back up or move.

The folder holds the room key and certificate, the storage key that document keys are sealed
with (server/roomkeys.py), ``config.toml`` and the logs, and — unless ``[database] url`` names a
PostgreSQL database — the embedded SQLite database ``room.db``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import URL, Engine

from app.codes import format_room_id, room_id_of
from server.config import Config, load
from server.db import DocumentRow, database_url, make_engine
from server.migrate import upgrade
from server.roomkeys import (
    STORAGE_KEY_FILE,
    RoomKeys,
    StorageKey,
    StorageKeyError,
    load_signing_key,
)
from server.store import Store
from server.tls import load_cert_der

SQLITE_FILE = "room.db"


class DataDirError(Exception):
    """The folder is not a room, or is missing a part; the message says what to do."""


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def key(self) -> Path:
        return self.root / "room-key.pem"

    @property
    def cert(self) -> Path:
        return self.root / "room-cert.pem"

    @property
    def storage_key(self) -> Path:
        return self.root / STORAGE_KEY_FILE

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def database(self, config: Config) -> URL:
        """The room's database: the configured URL, else ``room.db`` in this folder."""
        if config.database.url:
            return database_url(config.database.url)
        return URL.create("sqlite", database=str(self.root / SQLITE_FILE))

    def check(self) -> None:
        """Raise a clear error unless this folder was made by ``hemicycle-server init``."""
        if not self.root.is_dir():
            raise DataDirError(
                f"{self.root} does not exist; create it with 'hemicycle-server init'"
            )
        for part in (self.key, self.cert, self.config):
            if not part.is_file():
                raise DataDirError(
                    f"{self.root} is not a room data directory ({part.name} is missing); "
                    "create one with 'hemicycle-server init'"
                )

    def open(self) -> tuple[Config, Store]:
        """Check the folder, read its configuration, and open its database at the newest schema."""
        self.check()
        config = load(self.config)
        url = self.database(config)
        if url.get_backend_name() == "sqlite" and not Path(str(url.database)).is_file():
            raise DataDirError(
                f"{self.root} is not a room data directory ({SQLITE_FILE} is missing); "
                "create one with 'hemicycle-server init'"
            )
        engine = make_engine(url)
        upgrade(engine)
        return config, Store(engine, self._keys(engine))

    def _keys(self, engine: Engine) -> RoomKeys:
        """The room's keys. A room made before documents existed gets its storage key now; one
        whose database holds documents must have the key they were sealed with, which is
        checked here (on the first document's key), so a key from another room or an old
        copy is found as the server starts, not when a device asks for a document."""
        with engine.connect() as conn:
            first = conn.execute(
                select(DocumentRow.id, DocumentRow.key_epoch, DocumentRow.sealed_key)
                .order_by(DocumentRow.id)
                .limit(1)
            ).first()
        if not self.storage_key.is_file() and first is None:
            StorageKey.create(self.storage_key)
        try:
            keys = RoomKeys(load_signing_key(self.key), StorageKey.load(self.storage_key))
        except StorageKeyError as exc:
            raise DataDirError(str(exc)) from None
        if first is not None:
            try:
                keys.storage.open(first.sealed_key, "key", first.id, first.key_epoch)
            except StorageKeyError:
                raise DataDirError(
                    f"{self.storage_key} is not the key this room's documents were sealed with "
                    "(from another room, or an older copy): put back the storage.key backed up "
                    "with this database (docs/operations.md §10)"
                ) from None
        return keys

    def room_id(self) -> bytes:
        return room_id_of(load_cert_der(self.cert))

    def room_id_text(self) -> str:
        return format_room_id(self.room_id())
