"""``init --database`` and the command line on a room kept in PostgreSQL.

What is PostgreSQL's own: the folder holds no database, the state is in the database named by
``[database] url``, so every copy of the folder (the second room server machine's) works on the
same room; and what an operator gets told when that database cannot be used. The commands
themselves run on both engines in test_cli.py (the ``database`` fixture).
"""

from __future__ import annotations

import contextlib
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql
from sqlalchemy import make_url, text
from sqlalchemy.engine import Engine

from app.resources import sample_dir
from server.cli import main
from tests.pg import PgServer

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
