"""The Alembic history builds exactly the schema the ORM models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from server.db import Base, make_engine
from server.migrate import upgrade


def test_migrations_match_models(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "room.db")
    upgrade(engine)
    upgrade(engine)  # idempotent at head
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
    assert mode == "wal" and sync == 2  # FULL: an acknowledged change survives power loss
    assert "events" in inspect(engine).get_table_names()
