"""The data directory: everything a room is, in one folder an operator can back up or move."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.codes import format_room_id, room_id_of
from server.tls import load_cert_der


class DataDirError(Exception):
    """The folder is not a room, or is missing a part; the message says what to do."""


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "room.db"

    @property
    def key(self) -> Path:
        return self.root / "room-key.pem"

    @property
    def cert(self) -> Path:
        return self.root / "room-cert.pem"

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def check(self) -> None:
        """Raise a clear error unless this folder was made by ``hemicycle-server init``."""
        if not self.root.is_dir():
            raise DataDirError(
                f"{self.root} does not exist; create it with 'hemicycle-server init'"
            )
        for part in (self.db, self.key, self.cert, self.config):
            if not part.is_file():
                raise DataDirError(
                    f"{self.root} is not a room data directory ({part.name} is missing); "
                    "create one with 'hemicycle-server init'"
                )

    def room_id(self) -> bytes:
        return room_id_of(load_cert_der(self.cert))

    def room_id_text(self) -> str:
        return format_room_id(self.room_id())
