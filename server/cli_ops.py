"""``hemicycle-server check-config | status | doctor``: is the room set up right, and is it serving?

``check-config`` lists every mistake in ``config.toml`` by line (server/configcheck.py: the
sentences every command gives when it refuses the file). ``status`` asks the running server's
health endpoint (server/health.py), pinned to the room's own certificate, and adds what only the
data directory knows: meetings, disk, the last backup. ``doctor`` runs the checks of
server/doctor.py. None of them changes the room (``status`` and ``doctor`` open it as every other
command does), and each exits with status 2 when something needs fixing (a mistake, a server
not running, a FAIL), so a script can act on it.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import shutil
import time
from pathlib import Path
from typing import Any

from app import protocol as p
from server import config as cfg
from server import doctor
from server.cli import OPERATOR, CliError, _check_host, _check_port, _open, _plural
from server.datadir import DataDir
from server.db import database_url
from server.domains import meetings, room
from server.health import (
    HealthReport,
    NotAnswering,
    fetch,
    host_port,
    local_address,
    space_needed,
)
from server.logsetup import escape
from server.store import Store

#: Written by ``backup`` into the data directory: ``{"at": UNIX_TIME, "file": PATH, …}``.
LAST_BACKUP = "last-backup.json"

_PLURALS = {"secretary": "secretaries"}


# ---------------------------------------------------------------------- check-config


def cmd_check_config(args: argparse.Namespace) -> None:
    path = Path(args.path)
    file = DataDir(path).config if path.is_dir() else path
    config, problems = cfg.check(file)
    if config is None:
        for problem in problems:
            print(problem.format(str(file)))
        raise CliError(
            f"{_plural(len(problems), 'mistake')} in {file}: fix "
            f"{'it' if len(problems) == 1 else 'them'} and check again "
            "(docs/operations.md §5)"
        )
    print(f"{file}: no mistakes.")
    print(f"  {_settings(config)}")


def _settings(config: cfg.Config) -> str:
    """What the checked file makes the server do, in one line."""
    where = f"{config.server.host}:{config.server.port}"
    if config.database.url:
        url = database_url(config.database.url)
        state = f"state in {url.render_as_string(hide_password=True)}"
    else:
        state = "state in room.db beside it"
    if not config.discovery.enabled:
        mdns = "mDNS off"
    elif config.discovery.interfaces:
        mdns = f"mDNS on {', '.join(config.discovery.interfaces)}"
    else:
        mdns = "mDNS on the addresses of [server] host"
    return f"listens on {where}, {state}, {mdns}, log level {config.log.level}"


# ---------------------------------------------------------------------- status


def _count(n: int, role: str) -> str:
    return f"{n} {role}" if n == 1 else f"{n} {_PLURALS.get(role, role + 's')}"


def _when(at: float) -> str:
    stamp = datetime.datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M")
    ago = time.time() - at
    if ago < -60:
        return f"{stamp} (in the future: check this machine's clock)"
    return f"{stamp} ({doctor.duration(max(0.0, ago))} ago)"


def last_backup(root: Path) -> str:
    """What ``last-backup.json`` says, read defensively: it is another command's file, and may
    be from another version, cut short, or edited by hand."""
    path = root / LAST_BACKUP
    try:
        record: Any = json.loads(path.read_bytes())
    except FileNotFoundError:
        return "none recorded in this data directory"
    except OSError as exc:
        return f"{path} cannot be read ({exc.strerror})"
    except ValueError:
        return f"{path} is not a backup record (damaged?)"
    at = record.get("at") if isinstance(record, dict) else None
    try:
        when = _when(at) if isinstance(at, int | float) and not isinstance(at, bool) else None
    except (OverflowError, OSError, ValueError):  # a time no calendar has
        when = None
    if when is None:
        return f"{path} does not say when"
    file = record.get("file")
    if not isinstance(file, str) or not file:
        return when
    gone = "" if Path(file).exists() else " (no longer there)"
    return f"{when}: {escape(file)}{gone}"


def _server_lines(report: HealthReport, where: str) -> list[str]:
    connected = ", ".join(_count(report.connected.get(r, 0), r) for r in p.ROLES)
    return [
        f"Server:       running on {where}, Hemicycle {report.version} (protocol "
        f"{report.protocol}), up {doctor.duration(report.uptime_seconds)}",
        f"Connected:    {connected}",
        f"Database:     {'answers' if report.database else 'DOES NOT ANSWER the server'}",
    ]


def _meeting_line(store: Store) -> tuple[str, str]:
    """The room's name, and its meetings in one line."""
    with store.read() as db:
        info = room.info(db)
        listed = meetings.visible(db, OPERATOR)
    by_status = collections.Counter(m.status for m in listed)
    counts = ", ".join(f"{by_status[s]} {s}" for s in ("open", "draft", "closed") if by_status[s])
    shown = next((m for m in listed if m.id == info.active_meeting_id), None)
    line = f"{len(listed)}" + (f" ({counts})" if counts else "")
    if shown is not None:
        line += f"; shown on devices: {shown.id} '{escape(shown.title)}'"
    return escape(info.name), line


def cmd_status(args: argparse.Namespace) -> None:
    d, config, store = _open(args.dir)
    try:
        name, meeting_line = _meeting_line(store)
    finally:
        store.dispose()
    host, port = _address(args, config)
    where = host_port(host, port)
    report: HealthReport | None = None
    try:
        report = fetch(local_address(host), port, d.room_id())
    except NotAnswering as exc:
        trouble = str(exc)
    print(f"Room:         '{name}', ID {d.room_id_text()}")
    if report is not None:
        print("\n".join(_server_lines(report, where)))
    else:
        print(f"Server:       NOT RUNNING ({trouble})")
    free = shutil.disk_usage(d.root).free
    here = d.database(config).get_backend_name() == "sqlite"
    needed = space_needed(config, here)
    low = "  TOO LITTLE" if free < needed else ""
    print(
        f"Disk:         {doctor.size(free)} free ({doctor.size(needed)} needed){low}; the data "
        f"directory uses {doctor.size(doctor.folder_size(d.root))}"
    )
    print(f"Meetings:     {meeting_line}")
    print(f"Last backup:  {last_backup(d.root)}")
    if report is None:
        raise CliError(
            f"the room server is not running on {where}: start it (hemicycle-server run "
            f"{args.dir}, or its systemd unit), or run 'doctor {args.dir}' to see why it cannot"
        )
    if not report.ok:
        raise CliError(
            "the room server runs but needs attention (its database or its disk, above): "
            f"run 'doctor {args.dir}'"
        )


def _address(args: argparse.Namespace, config: cfg.Config) -> tuple[str, int]:
    """Where the server listens: ``--host``/``--port`` as given to ``run``, else the config's."""
    host = args.host or config.server.host
    _check_host(host)
    port = args.port if args.port is not None else config.server.port
    _check_port(port)
    return host, port


# ---------------------------------------------------------------------- doctor


def cmd_doctor(args: argparse.Namespace) -> None:
    d = DataDir(Path(args.dir))
    try:
        folder = d.root.is_dir()
    except OSError as exc:
        raise CliError(
            f"cannot look into {d.root} ({exc.strerror}): run doctor as the user the server runs as"
        ) from None
    if not folder:
        raise CliError(f"{d.root} is not a folder; give the room's data directory")
    if args.host:
        _check_host(args.host)
    if args.port is not None:
        _check_port(args.port)
    levels: collections.Counter[str] = collections.Counter()
    for finding in doctor.examine(d, args.host, args.port):
        levels[finding.level] += 1
        print(f"{finding.level:<4}  {finding.topic:<12} {finding.text}", flush=True)
    warnings = _plural(levels["WARN"], "warning")
    if levels["FAIL"]:
        raise CliError(
            f"{_plural(levels['FAIL'], 'problem')} to fix (FAIL) and {warnings}: fix them as "
            "each line says, then run doctor again"
        )
    print(f"Nothing to fix; {warnings}." if levels["WARN"] else "Everything checked is OK.")


# ---------------------------------------------------------------------- parser


def add_commands(sub: Any) -> None:
    s = sub.add_parser(
        "check-config", help="list every mistake in config.toml, by line, with what to write"
    )
    s.add_argument("path", metavar="DIR|FILE", help="the data directory, or a config.toml")
    s.set_defaults(func=cmd_check_config)

    for name, func, text in (
        ("status", cmd_status, "is the server running: devices, meetings, disk, last backup"),
        ("doctor", cmd_doctor, "check what usually breaks in a hall, and say what to fix"),
    ):
        s = sub.add_parser(name, help=text)
        s.add_argument("dir")
        s.add_argument("--host", help="the address given to 'run --host', if any")
        s.add_argument("--port", type=int, help="the port given to 'run --port', if any")
        s.set_defaults(func=func)
