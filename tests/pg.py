"""A throw-away PostgreSQL server for tests, run from the machine's own PostgreSQL binaries.

``running_pg()`` makes a private cluster in a fresh temporary folder (``initdb``), starts
``postgres`` on it listening on 127.0.0.1 on a free port (and on a unix socket inside that
folder, so it never touches ``/var/run/postgresql`` or a packaged cluster on 5432), and on exit
stops it with an immediate shutdown and deletes the folder, whatever happened in between.

Choices, and why:

* **fsync off** (``initdb --no-sync``, ``fsync=off``, ``synchronous_commit=off``,
  ``full_page_writes=off``): the cluster is deleted at the end, so surviving a power cut is
  worthless here, and flushing would make every test wait on the shared disk. It changes
  nothing a client can observe while the server runs — commit, rollback, visibility, NOTIFY all
  behave as in production.
* **A password over TCP** (SCRAM, random per session): the fixture's URLs then carry a password
  exactly like a production URL, so code that turns a URL into a connection is tested with one.
  The unix socket (trust) sits in a 0700 folder only the server's user and root can enter.
* **PostgreSQL refuses to run as root**: as root, ``initdb`` and ``postgres`` run as the
  ``postgres`` system user (created by Debian's package), otherwise as the current user.
* **No stray server**: ``setpriv --pdeathsig QUIT`` asks the kernel to send the postmaster an
  immediate-shutdown signal if the test process dies without cleaning up (killed, or exiting
  through ``os._exit``). It is tied to the thread that started the server, which for pytest's
  fixtures is the main thread.

Typical use is through the ``pg_server`` (session) and ``pg_url`` (per test) fixtures in
``tests/conftest.py``; a test that must stop and restart PostgreSQL takes a server of its own::

    with running_pg() as server:
        ...
        server.stop()
        server.start()  # same port, same data: a restarted database
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

DEBIAN_PACKAGE = "postgresql"
DEBIAN_ROOT = Path("/usr/lib/postgresql")
"""Where Debian installs each major version's server binaries, as ``<version>/bin``."""
SERVER_USER = "postgres"
"""The system user the server runs as when the tests run as root."""
SUPERUSER = "postgres"
"""The database superuser the fixture connects as (``initdb -U``)."""

_READY_TIMEOUT = 30.0
_STOP_TIMEOUT = 10.0
_PORT_TRIES = 3
_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "32MB",
    "max_connections": "100",
}
"""Server settings on top of initdb's: no flushing (see the module docstring), a small memory
footprint for a shared machine, and room for the connections of a few engines at once."""


def _version_key(bindir: Path) -> tuple[int, ...]:
    """Sort key of ``/usr/lib/postgresql/<version>/bin``: 9.6 < 10 < 15, numerically."""
    return tuple(int(part) for part in bindir.parent.name.split(".") if part.isdigit())


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``, or None.

    Looked for on ``PATH`` (other distributions, or a chosen version first on ``PATH``), then
    where ``pg_config --bindir`` says (on Debian that can be a client-only install, hence the
    check for the server binaries), then the newest ``/usr/lib/postgresql/*/bin``.
    """
    candidates: list[Path] = []
    initdb = shutil.which("initdb")
    if initdb is not None:
        candidates.append(Path(initdb).parent)
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(Path(out.stdout.strip()))
    candidates += sorted(DEBIAN_ROOT.glob("*/bin"), key=_version_key, reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    return None


def pg_unavailable_reason() -> str | None:
    """Why no test server can be started here, or None if one can."""
    if find_bindir() is None:
        return (
            "PostgreSQL server binaries (initdb, postgres) are not installed: "
            f"install the Debian package `{DEBIAN_PACKAGE}`"
        )
    if shutil.which("setpriv") is None:
        return "`setpriv` is missing: install the Debian package `util-linux`"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return (
                f"PostgreSQL refuses to run as root and there is no `{SERVER_USER}` user: "
                f"install the Debian package `{DEBIAN_PACKAGE}`, which creates it"
            )
    return None


def _as_server_user(argv: list[str]) -> list[str]:
    """``argv`` run as the server's user, and sent SIGQUIT if the starting thread dies."""
    prefix = ["setpriv", "--pdeathsig", "QUIT"]
    if os.geteuid() == 0:
        prefix += ["--reuid", SERVER_USER, "--regid", SERVER_USER, "--clear-groups"]
    return [*prefix, *argv]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _PortTaken(Exception):
    """Another process bound the port between our probe and the server's bind."""


@dataclass
class PgServer:
    """One private PostgreSQL cluster: its folder, its port, and the running postmaster."""

    bindir: Path
    root: Path
    port: int
    password: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logfile(self) -> Path:
        return self.root / "postgres.log"

    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL of ``dbname`` with the psycopg 3 driver, over TCP with the password."""
        return f"postgresql+psycopg://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        """The same place as :meth:`url`, as a libpq conninfo for psycopg itself."""
        return make_conninfo(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self.password,
            dbname=dbname,
        )

    def _run(self, argv: list[str]) -> None:
        proc = subprocess.run(
            _as_server_user(argv),
            cwd=self.root,
            env={**os.environ, "LC_ALL": "C"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.strip()}")

    def init(self) -> None:
        """``initdb``: superuser ``postgres`` with this server's password, UTF-8, C locale."""
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(pwfile, user.pw_uid, user.pw_gid)
        self._run(
            [
                str(self.bindir / "initdb"),
                f"--pgdata={self.data}",
                f"--username={SUPERUSER}",
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ]
        )

    def start(self) -> None:
        """Start the postmaster on :attr:`port` and return once it accepts connections."""
        settings = {
            **_SETTINGS,
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.root),
        }
        argv = [str(self.bindir / "postgres"), "-D", str(self.data)]
        for name, value in settings.items():
            argv += ["-c", f"{name}={value}"]
        log_start = self.logfile.stat().st_size if self.logfile.exists() else 0
        with self.logfile.open("ab") as log:
            self._proc = subprocess.Popen(
                _as_server_user(argv),
                cwd=self.root,
                env={**os.environ, "LC_ALL": "C"},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_ready(log_start)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, log_start: int) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + _READY_TIMEOUT
        while True:
            if self._proc.poll() is not None:
                log = self._log_since(log_start)
                if "could not bind" in log or "Address already in use" in log:
                    raise _PortTaken(log)
                raise RuntimeError(f"postgres exited ({self._proc.returncode}):\n{log}")
            try:
                psycopg.connect(self.conninfo(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _log_since(self, offset: int) -> str:
        with self.logfile.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def stop(self) -> None:
        """Immediate shutdown (SIGQUIT), as a crash would; SIGKILL if it does not go."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(_STOP_TIMEOUT)

    def admin(self, statement: sql.Composed) -> None:
        """Run one statement as the superuser outside a transaction (CREATE/DROP DATABASE)."""
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(statement)

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A new empty database for one test; yields its URL, then drops it.

        ``WITH (FORCE)`` ends any connection the test left open, so the drop cannot hang.
        """
        name = f"test_{secrets.token_hex(6)}"
        self.admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield self.url(name)
        finally:
            self.admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _private_folder() -> Path:
    """A fresh 0700 folder the server's user owns (root's pytest temp folders it cannot enter)."""
    root = Path(tempfile.mkdtemp(prefix="hemicycle-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVER_USER)
        os.chown(root, user.pw_uid, user.pw_gid)
    return root


@contextlib.contextmanager
def running_pg() -> Iterator[PgServer]:
    """A started private PostgreSQL; stopped and deleted on exit. See the module docstring."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(pg_unavailable_reason())
    root = _private_folder()
    try:
        server = PgServer(bindir, root, port=0)
        server.init()
        for attempt in range(_PORT_TRIES):
            server.port = _free_port()
            try:
                server.start()
                break
            except _PortTaken:
                if attempt == _PORT_TRIES - 1:
                    raise
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
