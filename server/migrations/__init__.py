"""Alembic migrations of the room database, applied by ``init`` and on every ``run``."""
