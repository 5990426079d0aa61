"""The Alembic history builds exactly the schema the ORM models describe, and brings a room
made by an earlier version forward without touching its audit chain."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from server import eventlog
from server.db import Base, make_engine
from server.migrate import alembic_config, upgrade
from server.store import Store


def test_migrations_match_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'room.db'}")
    upgrade(engine)
    upgrade(engine)  # idempotent at head
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
    assert mode == "wal" and sync == 2  # FULL: an acknowledged change survives power loss
    assert "events" in inspect(engine).get_table_names()


def test_a_room_of_the_first_schema_keeps_its_chain(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'room.db'}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    # Entries exactly as version 0.1 wrote them: an actor and a time on every entry.
    old = [
        (b'{"kind":"room.changed","room":{"name":"R","active_meeting_id":null}}', "all"),
        (b'{"kind":"code.issued","role":"secretary","delegate_number":null}', "staff"),
        (b'{"kind":"roster.changed","delegates":3}', "staff"),
    ]
    prev = eventlog.GENESIS
    with engine.begin() as conn:
        for seq, (body, audience) in enumerate(old, start=1):
            row = _Row(
                seq, 1763712000.25 + seq, body.split(b'"')[3].decode(), audience, "cli", body
            )
            digest = eventlog.chain_hash(prev, row)  # type: ignore[arg-type]
            conn.execute(
                text(
                    "INSERT INTO events (seq, at, kind, audience, actor, body, hash) "
                    "VALUES (:s, :a, :k, :au, :ac, :b, :h)"
                ),
                {
                    "s": seq,
                    "a": row.at,
                    "k": row.kind,
                    "au": audience,
                    "ac": "cli",
                    "b": body,
                    "h": digest,
                },
            )
            prev = digest
    upgrade(engine)
    store = Store(engine)
    assert store.verify_log() == (3, None)
    from app import protocol as p

    bodies = [p.decode_event_body(r.body) for r in store.events_after(0, 10)]
    assert isinstance(bodies[2], p.RosterChanged) and bodies[2].delegates == 3


class _Row:
    def __init__(self, seq: int, at: float, kind: str, audience: str, actor: str, body: bytes):
        self.seq, self.at, self.kind, self.audience, self.actor, self.body = (
            seq,
            at,
            kind,
            audience,
            actor,
            body,
        )
