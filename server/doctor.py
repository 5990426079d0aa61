"""``hemicycle-server doctor``: what usually breaks in a hall, checked before the delegates arrive.

Each check gives OK, WARN or FAIL and one sentence saying what was found and what to do. The
checks look at what the server would use — the same ``config.toml``, the same addresses the
enrollment codes carry, the same way of opening the room as ``run`` — and, when the server is
running, ask it through its health endpoint (server/health.py), so the answer is the running
server's, not a guess. What cannot be seen from this machine is said, not guessed: a firewall
between the hall and the server, multicast filtered by the Wi-Fi, the tablets' own clocks.
"""

from __future__ import annotations

import datetime
import errno
import ipaddress
import os
import pwd
import shutil
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlalchemy.exc
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.codes import room_id_of
from server import config as cfg
from server import eventlog
from server.datadir import DataDir, DataDirError
from server.health import (
    HealthReport,
    NoReport,
    NotAnswering,
    NotRunning,
    fetch,
    host_port,
    local_address,
    space_needed,
)
from server.store import Store

Level = Literal["OK", "WARN", "FAIL"]

#: The mDNS group zeroconf joins on each announced interface (RFC 6762).
MDNS_GROUP = "224.0.0.251"
#: The room's log may be this far ahead of the clock before the clock is said to have gone back
#: (entries are stamped by whichever machine wrote them; PostgreSQL rooms have several).
CLOCK_SLACK = 120.0
#: Log entries whose times are compared with the clock.
CLOCK_ENTRIES = 50
TIMEDATECTL_TIMEOUT = 5.0


@dataclass(frozen=True)
class Finding:
    level: Level
    topic: str
    text: str


@dataclass
class Setup:
    """What the checks share: the room, its settings (``None`` if config.toml is wrong), the
    address and port ``run`` would use, and what the running server said, if it runs."""

    datadir: DataDir
    config: cfg.Config | None
    host: str
    port: int
    running: HealthReport | None = None
    store: Store | None = None
    #: From the certificate, once it was read: what the running server is pinned to.
    room_id: bytes | None = None


def size(n: float) -> str:
    """Bytes for people: 479 MB, 75.3 GB."""
    if n >= 1e9:
        return f"{n / 1e9:.1f} GB"
    return f"{n / 1e6:.0f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def duration(seconds: float) -> str:
    """A time span for people: 45 s, 12 min, 3 h 5 min, 2 d 4 h."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{int(seconds)} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 1:
        return f"{minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if days else f"{hours} h {minutes} min"


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _wildcard(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


# ---------------------------------------------------------------------- configuration


def check_config(d: DataDir) -> tuple[cfg.Config | None, list[Finding]]:
    try:
        config, problems = cfg.check(d.config)
    except cfg.ConfigError as exc:
        return None, [Finding("FAIL", "config", f"{exc}.")]
    if config is None:
        lines = [problem.format(str(d.config)) for problem in problems]
        return None, [
            Finding("FAIL", "config", f"{line} (the checks that need the settings are skipped)")
            for line in lines
        ]
    return config, [Finding("OK", "config", f"{d.config} has no mistakes.")]


# ---------------------------------------------------------------------- identity


def _read(path: Path, what: str) -> tuple[bytes | None, Finding | None]:
    try:
        return path.read_bytes(), None
    except FileNotFoundError:
        return None, Finding(
            "FAIL",
            what,
            f"{path} is missing: restore it from the room's backup (docs/operations.md §10); "
            "'init' would make a new room that no enrolled device trusts.",
        )
    except OSError as exc:
        me, owner = os.geteuid(), path.parent.stat().st_uid
        try:
            holder = path.stat().st_uid
        except OSError:
            holder = owner
        if owner != me:
            fix = f"run hemicycle-server as {_user(owner)}, who owns the data directory"
        elif holder != me:
            fix = f"it belongs to {_user(holder)}; chown {_user(me)} {path}"
        else:
            fix = f"chmod 600 {path}"
        return None, Finding("FAIL", what, f"cannot read {path} ({exc.strerror}): {fix}.")


def _private_key(path: Path) -> tuple[Ed25519PrivateKey | None, Finding | None]:
    data, trouble = _read(path, "key")
    if data is None:
        return None, trouble
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = None
    if isinstance(key, Ed25519PrivateKey):
        return key, None
    return None, Finding(
        "FAIL",
        "key",
        f"{path} is not the room's private key (damaged or replaced): restore it from the "
        "room's backup (docs/operations.md §10).",
    )


def _certificate(path: Path) -> tuple[x509.Certificate | None, Finding | None]:
    data, trouble = _read(path, "certificate")
    if data is None:
        return None, trouble
    try:
        return x509.load_pem_x509_certificate(data), None
    except ValueError:
        return None, Finding(
            "FAIL",
            "certificate",
            f"{path} is not a certificate (damaged or replaced): restore it from the room's "
            "backup (docs/operations.md §10).",
        )


def check_identity(s: Setup) -> Iterator[Finding]:
    """The room key and certificate: present, readable, a pair, in their dates. The room ID
    comes from the certificate alone, so the server can be asked even when the key is amiss."""
    d = s.datadir
    key, key_trouble = _private_key(d.key)
    cert, cert_trouble = _certificate(d.cert)
    yield from (trouble for trouble in (key_trouble, cert_trouble) if trouble is not None)
    if cert is None:
        return
    s.room_id = room_id_of(cert.public_bytes(serialization.Encoding.DER))
    if key is None:
        return
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    if cert.public_key().public_bytes(*raw) != key.public_key().public_bytes(*raw):
        yield Finding(
            "FAIL",
            "certificate",
            f"{d.cert.name} and {d.key.name} are not a pair (one was replaced): put back both "
            "from the same backup of this room.",
        )
        return
    now = datetime.datetime.now(datetime.UTC)
    until = cert.not_valid_after_utc.date().isoformat()
    if now < cert.not_valid_before_utc:
        yield Finding(
            "FAIL",
            "clock",
            f"this machine's clock ({now:%Y-%m-%d %H:%M} UTC) is before the room's certificate "
            "was made: set the clock right (timedatectl set-time 'YYYY-MM-DD HH:MM').",
        )
    elif now > cert.not_valid_after_utc:
        yield Finding(
            "WARN",
            "certificate",
            f"the room's certificate expired on {until}; devices trust the room by its room ID, "
            "not by dates, so it goes on working: never run 'init' again to renew it (that "
            "makes a new room no device trusts).",
        )
        return
    yield Finding("OK", "certificate", _addresses_of(cert, s.host, until, d))


def _addresses_of(cert: x509.Certificate, host: str, until: str, d: DataDir) -> str:
    pair = f"{d.cert.name} and {d.key.name} are a pair, valid until {until}"
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return (
            f"{pair}; the certificate names no address (devices trust it by the room ID), so it "
            "fits any [server] host."
        )
    listed = [str(a) for a in names.get_values_for_type(x509.IPAddress)]
    if _wildcard(host) or host in listed:
        return f"{pair}, for {', '.join(listed) or 'no address'}."
    return (
        f"{pair}; it names {', '.join(listed) or 'no address'} but not {host}, which devices "
        "ignore (they trust the room by its room ID)."
    )


def check_storage_key(s: Setup) -> Iterator[Finding]:
    path = s.datadir.storage_key
    if not path.exists():
        yield Finding(
            "WARN",
            "key",
            f"{path} is missing: a room without documents makes a new one when it opens; one "
            "that holds documents cannot open them: restore it from the backup (§10).",
        )
        return
    _data, trouble = _read(path, "key")
    if trouble is not None:
        yield trouble


# ---------------------------------------------------------------------- permissions


def _files(root: Path) -> Iterator[Path]:
    """The data directory's files and those of its folders (``logs/``), as far as they can be
    listed: a folder that cannot is itself reported, by its owner or mode."""
    for path in sorted(root.iterdir()):
        yield path
        if path.is_dir() and not path.is_symlink():
            try:
                inside = sorted(path.iterdir())
            except OSError:
                continue
            yield from inside


def check_permissions(s: Setup) -> Iterator[Finding]:
    """The data directory 0700 and the server user's, its secrets 0600, nothing another user's."""
    root = s.datadir.root
    me = os.geteuid()
    info = root.stat()
    owner = info.st_uid
    clean = True
    if owner != me:
        clean = False
        if me == 0:
            yield Finding(
                "WARN",
                "permissions",
                f"you are root and {root} belongs to {_user(owner)}: run doctor and every command "
                f"as {_user(owner)} (sudo -u {_user(owner)} hemicycle-server …), or files root "
                "creates there lock the server out.",
            )
        else:
            yield Finding(
                "FAIL",
                "permissions",
                f"{root} belongs to {_user(owner)}, not to you ({_user(me)}): run hemicycle-server "
                f"as {_user(owner)}, the user the server runs as.",
            )
    if stat.S_IMODE(info.st_mode) & 0o077:
        clean = False
        yield Finding(
            "WARN",
            "permissions",
            f"{root} is open to other users (mode {stat.S_IMODE(info.st_mode):04o}): "
            f"chmod 700 {root}.",
        )
    secrets = {s.datadir.key, s.datadir.storage_key}
    for path in _files(root):
        try:
            st = path.lstat()
        except OSError:
            continue
        mode = stat.S_IMODE(st.st_mode)
        if st.st_uid != owner:
            clean = False
            yield Finding(
                "FAIL",
                "permissions",
                f"{path} belongs to {_user(st.st_uid)}, not to {_user(owner)} who owns the room: "
                f"the server may not read or write it; chown -R {_user(owner)} {root}.",
            )
        elif path in secrets and mode & 0o077:
            clean = False
            yield Finding(
                "FAIL",
                "permissions",
                f"{path} is a secret other users can read (mode {mode:04o}): chmod 600 {path}.",
            )
        elif stat.S_ISREG(st.st_mode) and mode & 0o077:
            clean = False
            yield Finding(
                "WARN",
                "permissions",
                f"{path} is open to other users (mode {mode:04o}): chmod 600 {path}.",
            )
    if clean:
        yield Finding(
            "OK",
            "permissions",
            f"{root} and everything in it belong to {_user(owner)} alone (folder 0700, keys 0600).",
        )


# ---------------------------------------------------------------------- database and clock


def check_database(s: Setup) -> Iterator[Finding]:
    """Open the room as ``run`` opens it: the database, its schema, the storage key."""
    from server.cli import _database_trouble

    try:
        _config, store = s.datadir.open()
        entries = store.last_seq()
    except DataDirError as exc:
        yield Finding("FAIL", "database", f"{exc}.")
        return
    except OSError as exc:
        yield Finding(
            "FAIL",
            "database",
            f"the room cannot be opened: {exc.strerror or exc}"
            f"{f' ({exc.filename})' if exc.filename else ''}; see the lines above.",
        )
        return
    except sqlalchemy.exc.DatabaseError as exc:
        trouble = _database_trouble(exc) or str(exc.orig)
        yield Finding(
            "FAIL",
            "database",
            f"cannot use the room's database: {trouble} (docs/operations.md §13).",
        )
        return
    s.store = store
    if s.running is not None and not s.running.database:
        yield Finding(
            "FAIL",
            "database",
            "the running server cannot read its database (this command can): see "
            f"{s.datadir.logs / 'server.log'} and restart the server.",
        )
        return
    yield Finding(
        "OK",
        "database",
        f"the room opens as 'run' opens it (database, schema, storage key); its log has "
        f"{entries} entries.",
    )


def _ntp_synchronised() -> tuple[bool | None, str]:
    """Whether systemd says the clock is NTP-synchronised, and why not if it cannot say."""
    if shutil.which("timedatectl") is None:
        return None, "there is no timedatectl here"
    try:
        done = subprocess.run(
            ["timedatectl", "show", "--property=NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=TIMEDATECTL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"timedatectl failed: {exc}"
    answer = done.stdout.strip()
    if done.returncode != 0 or answer not in ("yes", "no"):
        reason = (done.stderr.strip().splitlines() or ["no answer"])[0].split(". ")[0]
        return None, f"timedatectl cannot say: {reason}"
    return answer == "yes", ""


def check_clock(s: Setup) -> Iterator[Finding]:
    """The devices do not report their clocks to the room (their hello carries none), so
    this checks the server's: synchronised by NTP, and not behind the room's own log."""
    if s.store is not None:
        with s.store.read() as db:
            last = eventlog.last_seq(db)
            rows = eventlog.after(db, max(0, last - CLOCK_ENTRIES), CLOCK_ENTRIES)
        newest = max((row.at for row in rows if row.at is not None), default=None)
        now = time.time()
        if newest is not None and newest > now + CLOCK_SLACK:
            ahead = (newest - now) / 60
            stamp = datetime.datetime.fromtimestamp(newest).strftime("%Y-%m-%d %H:%M")
            yield Finding(
                "FAIL",
                "clock",
                f"the room's log has an entry dated {stamp}, {ahead:.0f} min ahead of this "
                "machine's clock: the clock went back; set it right before the meeting goes on "
                "(poll time limits count with it).",
            )
            return
    synced, why = _ntp_synchronised()
    devices = "devices do not report their clocks: compare a tablet's with it by eye"
    if synced:
        yield Finding("OK", "clock", f"the clock is synchronised by NTP; {devices}.")
    elif synced is None:
        yield Finding(
            "WARN",
            "clock",
            f"cannot tell whether the clock is synchronised ({why}): compare it with a phone, and "
            f"keep an NTP client (chrony) running; {devices}.",
        )
    else:
        yield Finding(
            "WARN",
            "clock",
            "the clock is not synchronised by NTP (usual in a hall without internet): compare it "
            "with a phone and set it (timedatectl set-time 'YYYY-MM-DD HH:MM'), or give the hall "
            f"LAN an NTP server; {devices}.",
        )


# ---------------------------------------------------------------------- network


def probe(s: Setup) -> Iterator[Finding]:
    """Is the room running on its port? If so remember its report; if not, could it listen?"""
    host, port = s.host, s.port
    where = host_port(host, port)
    if s.room_id is None:
        free = _bind(host, port)
        if free.level == "OK":
            yield free
            return
        yield Finding(
            "WARN",
            "port",
            f"{where} is in use, by the room's server or another program: without the room's "
            "certificate (above) doctor cannot tell which.",
        )
        return
    try:
        s.running = fetch(local_address(host), port, s.room_id)
    except NotRunning:
        yield _bind(host, port)
        return
    except NoReport as exc:
        yield Finding("WARN", "port", f"{exc}: restart the server with this version.")
        return
    except NotAnswering as exc:
        yield Finding(
            "FAIL",
            "port",
            f"{exc}: ss -ltnp 'sport = :{port}' shows which program it is; stop it, or set "
            "[server] port to a free port.",
        )
        return
    up = duration(s.running.uptime_seconds)
    yield Finding(
        "OK",
        "port",
        f"the room server is running on {where} (up {up}, version {s.running.version}).",
    )


def _bind(host: str, port: int) -> Finding:
    """What ``run`` would meet listening on ``host``:``port``: asyncio binds with SO_REUSEADDR."""
    where = host_port(host, port)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            sock.listen()
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                text = (
                    f"{where} is taken by another program: ss -ltnp 'sport = :{port}' shows "
                    "which; stop it, or set [server] port to a free port."
                )
            elif exc.errno == errno.EADDRNOTAVAIL:
                text = (
                    f"this machine has no address {host}: set [server] host to one of its "
                    f"addresses ({', '.join(_local_addresses()) or 'none'}), or 0.0.0.0."
                )
            elif exc.errno == errno.EACCES:
                text = f"port {port} needs privileges (below 1024): set [server] port = 8443."
            else:
                text = f"cannot listen on {where}: {exc.strerror}; check [server] host and port."
            return Finding("FAIL", "port", text)
    return Finding(
        "OK", "port", f"the server is not running, and 'run' can listen on {where}: it is free."
    )


def _interfaces() -> dict[str, tuple[bool, str, list[str]]]:
    """Each interface: up, its flags, its IP addresses."""
    import psutil  # as app/discovery.py: only the server needs it

    stats = psutil.net_if_stats()
    found = {}
    for name, addrs in psutil.net_if_addrs().items():
        ips = [
            str(a.address).split("%")[0]
            for a in addrs
            if a.family in (socket.AF_INET, socket.AF_INET6)
        ]
        st = stats.get(name)
        found[name] = (bool(st and st.isup), str(getattr(st, "flags", "")), ips)
    return found


def _local_addresses() -> list[str]:
    return sorted(
        {ip for _up, _flags, ips in _interfaces().values() for ip in ips if ":" not in ip},
        key=ipaddress.ip_address,
    )


def _interface_of(address: str) -> tuple[str, bool, str] | None:
    """The interface holding ``address`` (any 127/8 address is loopback's), up, its flags."""
    loopback = ipaddress.ip_address(address).is_loopback
    for name, (up, flags, ips) in _interfaces().items():
        if address in ips or (loopback and "loopback" in flags.split(",")):
            return name, up, flags
    return None


def check_reach(s: Setup) -> Iterator[Finding]:
    """The room on the addresses devices are given (the enrollment codes'), not only loopback."""
    from server.cli import CliError, code_addresses

    assert s.config is not None
    try:
        addresses = code_addresses(s.config)
    except CliError as exc:
        yield Finding("FAIL", "reach", f"{exc}: fix [enrollment] addresses.")
        return
    if not addresses:
        yield Finding(
            "FAIL",
            "reach",
            "no address to give devices: no interface is up besides loopback; connect the hall "
            "network, or set [enrollment] addresses.",
        )
        return
    if all(ipaddress.ip_address(a).is_loopback for a in addresses):
        yield Finding(
            "WARN",
            "reach",
            f"enrollment codes carry only {', '.join(addresses)}: only this machine reaches the "
            "room there; set [server] host (or [enrollment] addresses) to the hall-LAN address.",
        )
    if s.config.enrollment.addresses:
        setting = "[enrollment] addresses"
    else:
        setting = "[discovery] interfaces" if s.config.discovery.interfaces else "[server] host"
    for address in addresses:
        yield _reach(s, address, setting)


def _reach(s: Setup, address: str, setting: str) -> Finding:
    """Whether the room answers (running) or would listen (stopped) on ``address``, an address
    the codes carry from ``setting``."""
    where = host_port(address, s.port)
    if s.running is not None and s.room_id is not None:
        try:
            fetch(address, s.port, s.room_id)
        except NotAnswering as exc:
            return Finding(
                "FAIL",
                "reach",
                f"the room does not answer on {where}, an address the enrollment codes carry "
                f"({exc}): set [server] host to 0.0.0.0 or {address}, and restart the server.",
            )
        return Finding(
            "OK",
            "reach",
            f"the room answers on {where}, an address the enrollment codes carry (a firewall on "
            f"the way is not seen from here: curl -k https://{where}/health from a laptop in the "
            "hall sees it).",
        )
    if _interface_of(address) is None:
        return Finding(
            "WARN",
            "reach",
            f"{address}, in the enrollment codes, is not an address of this machine: devices "
            f"reach the room there only if something forwards it here; check {setting}.",
        )
    if not (_wildcard(s.host) or s.host == address):
        return Finding(
            "FAIL",
            "reach",
            f"the enrollment codes carry {address} but the server listens on {s.host} only: set "
            f"[server] host to 0.0.0.0 or {address}.",
        )
    return Finding(
        "OK",
        "reach",
        f"{where}, in the enrollment codes, is an address of this machine that 'run' listens on.",
    )


def check_mdns(s: Setup) -> Iterator[Finding]:
    """The announced addresses are this machine's, on interfaces that are up and join mDNS."""
    from app.discovery import interface_addresses

    assert s.config is not None
    if not s.config.discovery.enabled:
        yield Finding(
            "OK",
            "mDNS",
            "mDNS is off ([discovery] enabled = false): devices use the address in their code.",
        )
        return
    setting = "[discovery] interfaces" if s.config.discovery.interfaces else "[server] host"
    addresses = s.config.discovery.interfaces or interface_addresses(s.host)
    if not addresses:
        yield Finding(
            "FAIL",
            "mDNS",
            "no interface is up besides loopback, so the room is announced nowhere: connect the "
            "hall network (or set [discovery] enabled = false).",
        )
        return
    for address in addresses:
        yield _announce(address, setting)


def _announce(address: str, setting: str) -> Finding:
    held = _interface_of(address)
    if held is None:
        return Finding(
            "FAIL",
            "mDNS",
            f"{address} ({setting}) is not an address of this machine, whose addresses are "
            f"{', '.join(_local_addresses()) or 'none'}: set {setting} to the hall-LAN address.",
        )
    name, up, flags = held
    if not up:
        return Finding(
            "FAIL",
            "mDNS",
            f"interface {name} ({address}) is down: connect its cable, or ip link set {name} up.",
        )
    if ipaddress.ip_address(address).is_loopback:
        return Finding(
            "WARN",
            "mDNS",
            f"the room is announced on {address} (loopback) only: tablets on the LAN will not "
            f"list it; set {setting} to the hall-LAN address.",
        )
    if "multicast" not in flags.split(","):
        return Finding(
            "WARN",
            "mDNS",
            f"interface {name} has multicast off: ip link set {name} multicast on.",
        )
    if ":" not in address:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            group = socket.inet_aton(MDNS_GROUP) + socket.inet_aton(address)
            try:
                sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, group)
            except OSError as exc:
                return Finding(
                    "FAIL",
                    "mDNS",
                    f"cannot join the mDNS group on {name} ({address}): {exc.strerror}; check "
                    "the interface's multicast route and the firewall on UDP 5353.",
                )
    return Finding(
        "OK",
        "mDNS",
        f"announced on {name} ({address}), which is up and joins the mDNS group (Wi-Fi that "
        "filters multicast is not seen from here).",
    )


# ---------------------------------------------------------------------- disk


def folder_size(root: Path) -> int:
    """Bytes in the files under ``root`` (links not followed)."""
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            try:
                total += (Path(folder) / name).lstat().st_size
            except OSError:
                continue
    return total


def check_disk(s: Setup) -> Iterator[Finding]:
    """Free space against what the room needs (server/health.py) and its own size again."""
    assert s.config is not None
    root = s.datadir.root
    here = s.datadir.database(s.config).get_backend_name() == "sqlite"
    free = shutil.disk_usage(root).free
    used = folder_size(root)
    needed = space_needed(s.config, here)
    elsewhere = "" if here else " (the database is in PostgreSQL: watch that machine's disk too)"
    if free < needed:
        yield Finding(
            "FAIL",
            "disk",
            f"{size(free)} free on the data directory's disk, less than the {size(needed)} the "
            "room needs (its logs, and a document of [documents] max_megabytes): free space, or "
            f"move the room to a larger disk{elsewhere}.",
        )
    elif free < needed + used:
        yield Finding(
            "WARN",
            "disk",
            f"{size(free)} free on the data directory's disk, less than the room's own size "
            f"again ({size(used)}): a backup beside it or many more documents will not fit; "
            f"free space{elsewhere}.",
        )
    else:
        yield Finding(
            "OK",
            "disk",
            f"{size(free)} free on the data directory's disk; the room uses {size(used)}"
            f"{elsewhere}.",
        )


# ---------------------------------------------------------------------- all of it


def examine(d: DataDir, host: str | None, port: int | None) -> Iterator[Finding]:
    """Every check, in the order a fix usually goes: settings, files, database, network."""
    config, found = check_config(d)
    yield from found
    chosen_host = host or (config.server.host if config else "0.0.0.0")
    chosen_port = port if port is not None else (config.server.port if config else 0)
    s = Setup(d, config, chosen_host, chosen_port)
    yield from check_identity(s)
    yield from check_storage_key(s)
    yield from check_permissions(s)
    if config is None:
        return
    yield from probe(s)
    yield from check_database(s)
    yield from check_reach(s)
    yield from check_mdns(s)
    yield from check_clock(s)
    yield from check_disk(s)
    if s.store is not None:
        s.store.dispose()
