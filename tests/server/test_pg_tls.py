"""The room's connections to PostgreSQL as docs/operations.md §14 sets them up: TLS checked
against the room's own CA (``sslmode=verify-full``), the password in a ``.pgpass`` file rather
than the URL, and a URL listing two database machines of which the first is down.

A private PostgreSQL is started with ``ssl = on`` and only ``hostssl`` lines in
``pg_hba.conf``; its certificate is made with the guide's own ``openssl`` commands.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from server.cli import main
from server.datadir import DataDir
from server.pgnotify import APPLICATION_NAME
from tests.pg import SERVER_USER, PgServer, find_bindir, pg_unavailable_reason
from tests.server.test_processes_pg import ServerProcess

pytestmark = pytest.mark.slow

ROLE = "hemicycle"
DATABASE = "hemicycle_dh14"


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=120)


def make_ca(folder: Path, name: str) -> Path:
    """The guide's CA: ``openssl req -x509 -newkey rsa:3072 -nodes -days 3650 …``."""
    openssl(
        *["req", "-x509", "-newkey", "rsa:3072", "-nodes", "-days", "3650"],
        *["-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.crt"],
        cwd=folder,
    )
    return folder / f"{name}.crt"


def make_server_cert(folder: Path, ca: str) -> None:
    """The guide's per-machine certificate, for this machine's name and address."""
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl(
        *["req", "-newkey", "rsa:3072", "-nodes", "-subj", "/CN=localhost"],
        *["-keyout", "server.key", "-out", "server.csr"],
        cwd=folder,
    )
    openssl(
        *["x509", "-req", "-in", "server.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key"],
        *["-CAcreateserial", "-days", "825", "-extfile", "san.ext", "-out", "server.crt"],
        cwd=folder,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def tls_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PgServer, Path, str]]:
    """A PostgreSQL that accepts TLS connections only; its CA; the room user's password."""
    reason = pg_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    if shutil.which("openssl") is None:
        pytest.skip("`openssl` is missing: install the Debian package `openssl`")
    certs = tmp_path_factory.mktemp("certs")
    ca = make_ca(certs, "db-ca")
    make_server_cert(certs, "db-ca")
    bindir = find_bindir()
    assert bindir is not None
    root = Path(tempfile.mkdtemp(prefix="hemicycle-pg-tls-"))
    try:
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(root, user.pw_uid, user.pw_gid)
        server = PgServer(bindir, root, port=free_port())
        server.init()
        for name, mode in (("server.crt", 0o644), ("server.key", 0o600)):
            target = server.data / name
            shutil.copy(certs / name, target)
            target.chmod(mode)
            if os.geteuid() == 0:
                os.chown(target, user.pw_uid, user.pw_gid)
        with (server.data / "postgresql.conf").open("a") as conf:
            conf.write("ssl = on\n")
        hba = server.data / "pg_hba.conf"
        hba.write_text(re.sub(r"(?m)^host(\s)", r"hostssl\1", hba.read_text()))
        server.start()
        try:
            password = os.urandom(12).hex()
            server.admin(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(ROLE), sql.Literal(password)
                )
            )
            server.admin(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(DATABASE), sql.Identifier(ROLE)
                )
            )
            yield server, ca, password
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_room_reaches_its_database_over_verified_tls_with_a_password_file(
    tls_pg: tuple[PgServer, Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, ca, password = tls_pg
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:{server.port}:{DATABASE}:{ROLE}:{password}\n")
    pgpass.chmod(0o600)  # libpq ignores a password file others can read
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    down = free_port()  # "db1", switched off
    hosts = f"host=127.0.0.1:{down}&host=localhost:{server.port}&target_session_attrs=read-write"
    url = f"postgresql://{ROLE}@/{DATABASE}?{hosts}&sslmode=verify-full&sslrootcert={ca}"

    # What is refused: no TLS at all (pg_hba.conf), and a server the room's CA did not sign.
    other_ca = make_ca(tmp_path, "other-ca")
    for wrong, reason in (
        (url.replace("sslmode=verify-full", "sslmode=disable"), "no encryption"),
        (url.replace(str(ca), str(other_ca)), "certificate verify failed"),
    ):
        assert main(["init", str(tmp_path / "refused"), "--name", "x", "--database", wrong]) == 2
        err = capsys.readouterr().err
        assert reason in err and password not in err, err
        assert not (tmp_path / "refused").exists()

    root = tmp_path / "room"
    assert (
        main(["init", str(root), "--name", "Phòng TLS", "--host", "127.0.0.1", "--database", url])
        == 0
    )
    assert password not in DataDir(root).config.read_text()
    assert main(["meeting", "create", str(root), "--title", "Phiên"]) == 0
    capsys.readouterr()

    served = ServerProcess(
        DataDir(root),
        "127.0.0.1",
        tmp_path / "stderr.txt",
        env={**os.environ, "PGPASSFILE": str(pgpass)},
    )
    try:
        with psycopg.connect(server.conninfo(DATABASE)) as conn:
            rows = conn.execute(
                "SELECT a.application_name, s.ssl, s.version FROM pg_stat_activity a "
                "JOIN pg_stat_ssl s USING (pid) WHERE a.datname = %s AND a.usename = %s",
                (DATABASE, ROLE),
            ).fetchall()
        # the room server's connections, its LISTEN one included, are all TLS 1.3
        assert APPLICATION_NAME in {name for name, _ssl, _version in rows}
        assert {(ssl, version) for _name, ssl, version in rows} == {(True, "TLSv1.3")}
        assert main(["agenda", "add", str(root), "1", "--title", "Qua TLS"]) == 0
        served.proc.send_signal(signal.SIGTERM)
        assert served.proc.wait(20) == 0
        assert "Traceback" not in served.stderr()
    finally:
        served.close()
    assert main(["audit", "verify", str(root)]) == 0
    assert "Audit log intact: 4 entries" in capsys.readouterr().out
