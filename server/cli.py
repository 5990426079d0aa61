"""``hemicycle-server``: what IT staff and secretaries run on the room server machine.

Every command works on a data directory made by ``init``. Commands that change the room may run
while the server is serving the same room: they run the same domain handlers as requests from
devices (server/domains/), as units of work of the command line, and the running server picks
their events up from the log and sends them to connected devices. Every value typed here is
checked against the same field types as the wire (``app.protocol.check``), and everything that
can fail is checked before anything is written.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import ipaddress
import logging
import os
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
import sqlalchemy.exc

from app import protocol as p
from app.codes import EnrollmentCode, format_room_id, new_secret, room_id_of, short_room_id
from app.fileio import staged_write
from app.version import print_if_asked
from server import config as cfg
from server import eventlog
from server.audience import View
from server.datadir import SQLITE_FILE, DataDir, DataDirError
from server.db import database_url, make_engine
from server.domains import agenda, devices, meeting_file, meetings, room, roster
from server.errors import ServiceError
from server.logsetup import escape
from server.migrate import SchemaError, upgrade
from server.roomkeys import StorageKey
from server.roster_csv import RosterError, parse_roster
from server.store import CLI, Store
from server.tls import create_room_identity

if TYPE_CHECKING:
    from server.sheet import Card

log = logging.getLogger("hemicycle.server")

#: What an operator sees of the room: everything, as staff do.
OPERATOR = View(staff=True, groups=frozenset(), device_id=0)


class CliError(Exception):
    """A user mistake reported as one line, exit status 2."""


# ---------------------------------------------------------------------- helpers


def _open(path: str) -> tuple[DataDir, cfg.Config, Store]:
    d = DataDir(Path(path))
    config, store = d.open()
    return d, config, store


def _value(kind: Any, what: str) -> Callable[[str], Any]:
    """An argparse type that checks a value against a protocol field type."""

    def convert(text: str) -> Any:
        try:
            numeric = kind in (p.Id, p.Minutes, p.GraceHours)
            return p.check(int(text) if numeric else text, kind, what)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(f"{what}: ")) from None

    convert.__name__ = what  # argparse names the argument's type in its messages
    return convert


def _request(kind: type[p.ClientRequest], **fields: Any) -> Any:
    """A protocol request built from command-line values, with the wire's own checks."""
    try:
        return msgspec.convert({"id": 0, **fields}, kind)
    except msgspec.ValidationError as exc:
        raise CliError(p.explain(exc).replace("`$.", "`")) from None


def _perform(
    root: str, handler: Callable[..., Any], kind: type[p.ClientRequest], **fields: Any
) -> Any:
    """What most commands do: open the room, build the request with the wire's checks, and
    run its handler as one unit of work of the operator; the handler's reply."""
    _d, _config, store = _open(root)
    req = _request(kind, **fields)
    return store.run(lambda work: handler(work, req), CLI).result


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def resolve_addresses(names: Sequence[str]) -> list[str]:
    """IP addresses for the addresses printed into codes; host names are resolved now, since a
    code carries addresses, and a name that does not resolve is refused before any code exists."""
    out: list[str] = []
    for name in names:
        try:
            out.append(str(ipaddress.ip_address(name)))
            continue
        except ValueError:
            pass
        try:
            infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise CliError(f"cannot resolve the address '{name}': {exc}") from None
        found = [str(ipaddress.ip_address(info[4][0])) for info in infos]
        out.extend(a for a in dict.fromkeys(found) if a not in out)
    return out


def code_addresses(config: cfg.Config, given: Sequence[str] | None = None) -> list[str]:
    """Addresses printed into enrollment codes: given, configured, or the listening interfaces."""
    if given:
        return resolve_addresses(given)
    if config.enrollment.addresses:
        return resolve_addresses(config.enrollment.addresses)
    if config.discovery.interfaces:
        return list(config.discovery.interfaces)
    from app.discovery import interface_addresses

    return interface_addresses(config.server.host)


def make_code(
    d: DataDir, config: cfg.Config, secret: bytes, addresses: Sequence[str]
) -> EnrollmentCode:
    return EnrollmentCode(tuple(addresses), config.server.port, d.room_id(), secret)


def _check_host(host: str) -> None:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise CliError(f"'{host}' is not an IP address (e.g. 0.0.0.0 or 192.168.1.10)") from None


def _check_writable(target: str, what: str) -> Path:
    path = Path(target).resolve()
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise CliError(f"cannot write {what}: {folder} is not a writable folder")
    if path.is_dir():
        raise CliError(f"cannot write {what}: {path} is a folder")
    return path


def _check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise CliError(f"port {port} is out of range (1-65535)")


def _lifetime(config: cfg.Config, role: str, days: float | None) -> float:
    if days is not None:
        if not 0.01 <= days <= 365:
            raise CliError("--valid-days must be between 0.01 and 365")
        return days
    if role == "delegate":
        return config.enrollment.delegate_code_days
    return config.enrollment.staff_code_days


# ---------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> None:
    root = Path(args.dir)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise CliError(f"{root} is not empty; choose a new folder for the room")
    # Everything is checked before the first file is written: no half-made room.
    try:
        name = p.check(args.name, p.Name, "--name")
    except ValueError as exc:
        raise CliError(str(exc)) from None
    _check_port(args.port)
    if args.host:
        _check_host(args.host)
    qr = _check_writable(args.qr, "the QR code") if args.qr else None
    config = cfg.Config(
        server=cfg.ServerSection(host=args.host or "0.0.0.0", port=args.port),
        database=cfg.DatabaseSection(url=args.database or ""),
    )
    if args.database:
        try:
            database_url(args.database)
        except Exception as exc:
            raise CliError(f"--database: {exc}") from None
        engine = make_engine(args.database)
        upgrade(engine)
        with engine.connect() as conn:
            if conn.execute(sqlalchemy.text("SELECT count(*) FROM events")).scalar():
                raise CliError("that database already holds a room; give each room its own")
        engine.dispose()
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o700)
    d = DataDir(root)
    d.logs.mkdir()
    cert_der = create_room_identity(d.key, d.cert, name)
    StorageKey.create(d.storage_key)
    cfg.write(d.config, config)
    engine = make_engine(d.database(config))
    upgrade(engine)
    store = Store(engine)
    secret = new_secret()
    code = make_code(d, config, secret, code_addresses(config))
    with contextlib.ExitStack() as staged:
        if qr is not None:
            from server.sheet import qr_png

            staged.enter_context(staged_write(qr, qr_png(code.qr_text())))

        def found(work: Any) -> None:
            room.init(work, name)
            devices.issue(work, "secretary", [(None, secret)], config.enrollment.staff_code_days)

        store.run(found, CLI)
    where = "this folder" if not args.database else "the PostgreSQL database"
    print(f"Room '{name}' created in {root} (state in {where})")
    print(f"Room ID: {format_room_id(room_id_of(cert_der))}")
    print(f"Secretary enrollment code (one use): {code.text()}")
    if qr is not None:
        print(f"Secretary QR code written to {args.qr}")


def cmd_run(args: argparse.Namespace) -> None:
    d, config, store = _open(args.dir)
    from server.logsetup import setup
    from server.transport import RoomServer, run_until_signalled

    host = args.host or config.server.host
    _check_host(host)
    port = args.port if args.port is not None else config.server.port
    if port != 0:  # 0: any free port, printed at start (tests, demo)
        _check_port(port)
    setup(d.logs)
    logging.getLogger().setLevel(config.log.level.upper())  # [log] level
    mdns = config.discovery.enabled and not args.no_mdns
    _raise_fd_limit(config.limits.max_connections)
    server = RoomServer(d, config, store)
    try:
        asyncio.run(run_until_signalled(server, host, port, mdns))
    except OSError as exc:
        hint = {
            errno.EADDRINUSE: "is another server running on that port?",
            errno.EADDRNOTAVAIL: "this machine has no such address; check --host or [server] host",
            errno.EACCES: "ports below 1024 need privileges; use 8443",
        }.get(exc.errno or 0, "check the address and port")
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc} ({hint})") from None


def cmd_migrate(args: argparse.Namespace) -> None:
    """Upgrade the room's database to this version's schema, PostgreSQL included (which
    ``run`` leaves to this command: server/migrate.py says why)."""
    d = DataDir(Path(args.dir))
    d.check()
    config = cfg.load(d.config)
    url = d.database(config)
    if url.get_backend_name() == "sqlite" and not Path(str(url.database)).is_file():
        raise CliError(f"{d.root} has no {SQLITE_FILE}: there is no database to upgrade")
    engine = make_engine(url)
    try:
        done = upgrade(engine, explicit=True)
    finally:
        engine.dispose()
    d.open()[1].dispose()  # and the room opens at the new schema (its keys match)
    if not done.changed:
        print(f"The room's database is at schema {done.after}, this version's: nothing to do")
        return
    print(f"The room's database was upgraded from schema {done.before} to {done.after}")
    if done.copy is not None:
        print(f"The database as it was before is in {done.copy}")


def _raise_fd_limit(connections: int) -> None:
    """Each device holds one socket; many systems start processes with a soft limit of 1,024."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256
    if soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        if new < wanted:
            log.warning("file descriptor limit %d is below %d connections", new, connections)


def cmd_roster_import(args: argparse.Namespace) -> None:
    _d, _config, store = _open(args.dir)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    rows = parse_roster(data)
    added, updated = store.run(lambda work: roster.import_rows(work, rows), CLI).result
    print(
        f"Imported {_plural(len(rows), 'delegate')} from {args.file}: "
        f"{added} new, {updated} updated"
    )


def cmd_roster_list(args: argparse.Namespace) -> None:
    _d, _config, store = _open(args.dir)
    with store.read() as db:
        listed = sorted(roster.delegates(db), key=lambda d: d.number)
    for dlg in listed:
        fields = (dlg.number, dlg.full_name, dlg.delegation, dlg.seat, ";".join(dlg.groups))
        print("\t".join(escape(f) for f in fields))


def cmd_enroll(args: argparse.Namespace) -> None:
    # PDF and QR libraries load only here: the serving process stays ~100 MB lighter
    from server.sheet import missing_fonts, qr_png, render_sheet

    d, config, store = _open(args.dir)
    # Everything that could fail is checked before any code is issued: issuing a code voids the
    # holder's previous unused one, so a failure afterwards would leave cards that don't work.
    addresses = code_addresses(config, args.address)
    if not addresses:
        raise CliError(
            "no address to put in the code; pass --address or set [enrollment] addresses"
        )
    try:
        make_code(d, config, new_secret(), addresses).text()
    except ValueError as exc:
        raise CliError(f"these addresses do not fit in a code: {exc}") from None
    lifetime = _lifetime(config, args.role, args.valid_days)
    sheet = _check_writable(args.sheet, "the sheet") if args.sheet else None
    qr = _check_writable(args.qr, "the QR code") if args.qr else None
    if sheet is not None:
        if args.role != "delegate":
            raise CliError("--sheet prints delegate cards; staff codes are printed as text")
        missing = missing_fonts()
        if missing:
            raise CliError(
                f"cannot print cards: font {', '.join(missing)} is missing from this installation "
                "(install from the source tree, see docs/operations.md)"
            )
    if args.all and (sheet is None or qr is not None):
        raise CliError("--all needs --sheet FILE.pdf (and no --qr)")
    with store.read() as db:
        room_name = room.info(db).name
        listed = sorted(roster.delegates(db), key=lambda x: x.number)
    role: p.Role = args.role
    if role != "delegate":
        holders: list[tuple[p.Delegate | None, bytes]] = [(None, new_secret())]
    elif args.all:
        if not listed:
            raise CliError("the roster is empty; import it with 'roster import' first")
        holders = [(dlg, new_secret()) for dlg in listed]
    else:
        if not args.number:
            raise CliError("give a delegate NUMBER, or --all --sheet FILE.pdf, or --role")
        match = [dlg for dlg in listed if dlg.number == args.number]
        if not match:
            raise CliError(f"no delegate numbered '{args.number}' in the roster")
        holders = [(match[0], new_secret())]
    codes = [(dlg, make_code(d, config, secret, addresses)) for dlg, secret in holders]
    with contextlib.ExitStack() as staged:
        if sheet is not None:
            cards = [_card(dlg, code, room_name, d.room_id()) for dlg, code in codes if dlg]
            try:
                pdf, pages = render_sheet(cards)
            except ValueError as exc:
                raise CliError(f"cannot print the cards: {exc}; use fewer --address") from None
            staged.enter_context(staged_write(sheet, pdf))
        if qr is not None:
            staged.enter_context(staged_write(qr, qr_png(codes[0][1].qr_text())))
        secrets = [(dlg.number if dlg else None, secret) for dlg, secret in holders]
        store.run(lambda work: devices.issue(work, role, secrets, lifetime), CLI)
    if args.all:
        print(
            f"{_plural(len(codes), 'enrollment card')} on {_plural(pages, 'page')} "
            f"written to {args.sheet}"
        )
        return
    dlg, code = codes[0]
    if dlg is None:
        print(f"{role.capitalize()} enrollment code (one use): {code.text()}")
    else:
        print(f"{dlg.number} {escape(dlg.full_name)}: {code.text()}")
    if sheet is not None:
        print(f"Card written to {args.sheet}")
    if qr is not None:
        print(f"QR code written to {args.qr}")


def _card(dlg: p.Delegate, code: EnrollmentCode, room_name: str, room_id: bytes) -> Card:
    from server.sheet import Card

    return Card(
        number=dlg.number,
        full_name=dlg.full_name,
        delegation=dlg.delegation,
        role="delegate",
        code_text=code.text(),
        qr_text=code.qr_text(),
        room_name=room_name,
        room_id_short=short_room_id(room_id),
    )


def cmd_room_id(args: argparse.Namespace) -> None:
    d = DataDir(Path(args.dir))
    d.check()
    cfg.load(d.config)
    print(d.room_id_text())


def _grace_hours(text: str) -> int | str:
    if text == "none":
        return text
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of hours or 'none', not {text!r}")
    hours: int = _value(p.GraceHours, "hours")(text)
    return hours


def cmd_meeting_create(args: argparse.Namespace) -> None:
    reply = _perform(
        args.dir,
        meetings.create,
        p.MeetingCreate,
        title=args.title,
        starts_on=args.date,
        groups=args.group or [],
    )
    print(f"Meeting {reply.meeting_id} created")


def cmd_meeting_import(args: argparse.Namespace) -> None:
    """Create a meeting with its whole agenda tree from a JSON file."""
    _d, _config, store = _open(args.dir)
    try:
        plan = meeting_file.parse(Path(args.file).read_bytes())
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    except ValueError as exc:
        raise CliError(f"{args.file}: {exc}") from None
    meeting_id, count = store.run(lambda work: meeting_file.import_plan(work, plan), CLI).result
    print(f"Meeting {meeting_id} '{plan.title}' created with {_plural(count, 'agenda item')}")


def cmd_meeting_list(args: argparse.Namespace) -> None:
    _d, _config, store = _open(args.dir)
    with store.read() as db:
        shown = room.info(db).active_meeting_id
        listed = meetings.visible(db, OPERATOR)
        for m in listed:
            mark = " (shown)" if m.id == shown else ""
            groups = f" [{', '.join(g.group for g in m.groups)}]" if m.groups else ""
            status = "closed, wiped" if m.wiped else m.status
            grace = f" (offline {m.offline_grace_hours} h)" if m.offline_grace_hours else ""
            print(f"{m.id}\t{status}\t{m.starts_on or '-'}\t{escape(m.title)}{groups}{mark}{grace}")


def cmd_meeting_activate(args: argparse.Namespace) -> None:
    _perform(args.dir, meetings.activate, p.MeetingActivate, meeting_id=args.meeting)
    print(f"Meeting {args.meeting} is now shown on every device")


def cmd_meeting_close(args: argparse.Namespace) -> None:
    if args.keep_notes and not args.wipe:
        raise SystemExit("error: --keep-notes goes with --wipe (a meeting only closed keeps all)")
    fields: dict[str, object] = {"meeting_id": args.meeting, "status": "closed", "wipe": args.wipe}
    if args.keep_notes:
        fields["notes_kept"] = True
    _perform(args.dir, meetings.update, p.MeetingUpdate, **fields)
    if args.wipe:
        kept = "; delegates keep their own notes" if args.keep_notes else ""
        print(
            f"Meeting {args.meeting} closed and wiped: every device deletes its documents "
            f"and keys at its next contact with the room{kept}"
        )
    else:
        print(f"Meeting {args.meeting} closed")


def cmd_meeting_grace(args: argparse.Namespace) -> None:
    hours = None if args.hours == "none" else args.hours
    fields = {"meeting_id": args.meeting, "offline_grace_hours": hours}
    _perform(args.dir, meetings.update, p.MeetingUpdate, **fields)
    if hours is None:
        print(f"Devices may open the documents of meeting {args.meeting} however long away")
    else:
        print(
            f"Devices away from the room for more than {_plural(hours, 'hour')} can no longer "
            f"open the documents of meeting {args.meeting}"
        )


def cmd_agenda_list(args: argparse.Namespace) -> None:
    from app.state import RoomModel

    _d, _config, store = _open(args.dir)
    with store.read() as db:
        meetings.get(db, args.meeting)
        items = agenda.items_of(db, [args.meeting])
    model = RoomModel()
    model.load(p.RoomState(room=p.RoomInfo(name="-"), agenda=items))
    for depth, item in model.walk(args.meeting):
        mark = {"current": "▶", "done": "✓", "pending": " "}[item.status]
        number = model.display_number(item)
        print(f"{item.id:>5} {mark} {'  ' * depth}{number} {escape(item.title)}")


def cmd_agenda_add(args: argparse.Namespace) -> None:
    _d, _config, store = _open(args.dir)
    req = _request(
        p.AgendaAdd,
        meeting_id=args.meeting,
        parent_id=args.parent,
        number=args.number,
        title=args.title,
        description=args.description or "",
        planned_start=args.start,
        planned_minutes=args.minutes,
    )
    reply = store.run(lambda work: agenda.add(work, req), CLI).result
    print(f"Agenda item {reply.item_id} added")


def cmd_agenda_current(args: argparse.Namespace) -> None:
    fields = {"meeting_id": args.meeting, "item_id": args.item}
    _perform(args.dir, agenda.set_current, p.AgendaSetCurrent, **fields)
    print("Current item set" if args.item else "No current item")


def cmd_agenda_remove(args: argparse.Namespace) -> None:
    _perform(args.dir, agenda.remove, p.AgendaRemove, item_id=args.item)
    print(f"Agenda item {args.item} removed with its sub-items")


def cmd_audit_verify(args: argparse.Namespace) -> None:
    _d, _config, store = _open(args.dir)
    count, bad = store.verify_log()
    if bad is not None:
        raise CliError(f"audit log broken at entry {bad} (after {count} good entries)")
    print(f"Audit log intact: {_plural(count, 'entry').replace('entrys', 'entries')}")
    if count:
        with store.read() as db:
            head = eventlog.after(db, count - 1, 1)[0]
        # Written down (or printed in the minutes), the head also exposes a truncated log later.
        print(f"Head: entry {head.seq}, hash {head.hash.hex()}")


def cmd_device_list(args: argparse.Namespace) -> None:
    _d, _config, store = _open(args.dir)
    with store.read() as db:
        listed = devices.listing(db)
    for device, number in listed:
        state = "revoked" if device.revoked_at else "active"
        print(f"{device.id}\t{device.role}\t{number or '-'}\t{state}\t{escape(device.name)}")


def cmd_device_revoke(args: argparse.Namespace) -> None:
    _d, _config, store = _open(args.dir)
    store.run(lambda work: devices.revoke(work, args.device), CLI)
    print(f"Device {args.device} revoked; it can no longer connect")


# ---------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="hemicycle-server", description="Hemicycle room server")
    # Answered by main() before parsing, which would otherwise ask for a command; here for --help.
    ap.add_argument(
        "--version",
        action="store_true",
        help="print the version and protocol version and exit; with --verbose, also Python and "
        "every locked package against what is installed",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    meeting_id = _value(p.Id, "meeting id")
    item_id = _value(p.Id, "item id")

    s = sub.add_parser("init", help="create a room data directory")
    s.add_argument("dir")
    s.add_argument("--name", required=True, help="room name shown on every device")
    s.add_argument("--host", help="address to listen on (default 0.0.0.0)")
    s.add_argument("--port", type=int, default=cfg.DEFAULT_PORT)
    s.add_argument("--qr", help="also write the secretary code as a QR PNG")
    s.add_argument(
        "--database",
        help=f"PostgreSQL URL for the room's state (default: {SQLITE_FILE} in the folder)",
    )
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("run", help="serve the room")
    s.add_argument("dir")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--no-mdns", action="store_true", help="do not announce the room on the LAN")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser(
        "migrate",
        help="upgrade the room's database to this version (run does it by itself on SQLite, "
        "after a copy; PostgreSQL only with this command, after pg_dump)",
    )
    s.add_argument("dir")
    s.set_defaults(func=cmd_migrate)

    s = sub.add_parser("room-id", help="print the room ID")
    s.add_argument("dir")
    s.set_defaults(func=cmd_room_id)

    roster_cmd = sub.add_parser("roster", help="delegate roster").add_subparsers(
        dest="sub", required=True
    )
    s = roster_cmd.add_parser("import", help="import or update delegates from a CSV file")
    s.add_argument("dir")
    s.add_argument("file")
    s.set_defaults(func=cmd_roster_import)
    s = roster_cmd.add_parser("list")
    s.add_argument("dir")
    s.set_defaults(func=cmd_roster_list)

    s = sub.add_parser("enroll", help="issue one-time enrollment codes")
    s.add_argument("dir")
    s.add_argument("number", nargs="?", help="delegate number")
    s.add_argument("--all", action="store_true", help="a code for every delegate")
    s.add_argument("--sheet", help="write printable cards to this PDF")
    s.add_argument("--qr", help="write the code as a QR PNG")
    s.add_argument("--role", default="delegate", choices=p.ROLES)
    s.add_argument(
        "--address", action="append", help="address or host name to put in the code (repeatable)"
    )
    s.add_argument("--valid-days", type=float, help="days the codes stay valid if unused")
    s.set_defaults(func=cmd_enroll)

    meeting_cmd = sub.add_parser("meeting", help="meetings").add_subparsers(
        dest="sub", required=True
    )
    s = meeting_cmd.add_parser("create")
    s.add_argument("dir")
    s.add_argument("--title", required=True)
    s.add_argument("--date", help="YYYY-MM-DD")
    s.add_argument(
        "--group", action="append", help="only members of this group see it (repeatable)"
    )
    s.set_defaults(func=cmd_meeting_create)
    s = meeting_cmd.add_parser("import", help="create a meeting and its agenda from a JSON file")
    s.add_argument("dir")
    s.add_argument("file")
    s.set_defaults(func=cmd_meeting_import)
    s = meeting_cmd.add_parser("list")
    s.add_argument("dir")
    s.set_defaults(func=cmd_meeting_list)
    s = meeting_cmd.add_parser("activate", help="show this meeting on every device")
    s.add_argument("dir")
    s.add_argument("meeting", type=meeting_id)
    s.set_defaults(func=cmd_meeting_activate)
    s = meeting_cmd.add_parser("close", help="close a meeting (reopen it from the console)")
    s.add_argument("dir")
    s.add_argument("meeting", type=meeting_id)
    s.add_argument(
        "--wipe",
        action="store_true",
        help="and every device deletes its documents and keys (final: it cannot be reopened)",
    )
    s.add_argument(
        "--keep-notes",
        action="store_true",
        help="with --wipe: delegates keep their own annotations (without the text they quote)",
    )
    s.set_defaults(func=cmd_meeting_close)
    s = meeting_cmd.add_parser(
        "grace", help="how long a device away from the room may still open the documents"
    )
    s.add_argument("dir")
    s.add_argument("meeting", type=meeting_id)
    s.add_argument(
        "hours",
        type=_grace_hours,
        help="hours since the device's last contact with the room, or 'none' for no limit",
    )
    s.set_defaults(func=cmd_meeting_grace)

    agenda_cmd = sub.add_parser("agenda", help="agenda items").add_subparsers(
        dest="sub", required=True
    )
    s = agenda_cmd.add_parser("list")
    s.add_argument("dir")
    s.add_argument("meeting", type=meeting_id)
    s.set_defaults(func=cmd_agenda_list)
    s = agenda_cmd.add_parser("add")
    s.add_argument("dir")
    s.add_argument("meeting", type=meeting_id)
    s.add_argument("--title", required=True)
    s.add_argument("--parent", type=item_id)
    s.add_argument("--number")
    s.add_argument("--description")
    s.add_argument("--start", help="planned start, HH:MM")
    s.add_argument("--minutes", type=_value(p.Minutes, "minutes"), help="planned duration")
    s.set_defaults(func=cmd_agenda_add)
    s = agenda_cmd.add_parser("current", help="set the current item (omit ITEM for none)")
    s.add_argument("dir")
    s.add_argument("meeting", type=meeting_id)
    s.add_argument("item", type=item_id, nargs="?")
    s.set_defaults(func=cmd_agenda_current)
    s = agenda_cmd.add_parser("remove")
    s.add_argument("dir")
    s.add_argument("item", type=item_id)
    s.set_defaults(func=cmd_agenda_remove)

    device_cmd = sub.add_parser("device", help="enrolled devices").add_subparsers(
        dest="sub", required=True
    )
    s = device_cmd.add_parser("list")
    s.add_argument("dir")
    s.set_defaults(func=cmd_device_list)
    s = device_cmd.add_parser("revoke", help="a lost or replaced device can no longer connect")
    s.add_argument("dir")
    s.add_argument("device", type=_value(p.Id, "device id"))
    s.set_defaults(func=cmd_device_revoke)

    audit = sub.add_parser("audit", help="the hash-chained audit log").add_subparsers(
        dest="sub", required=True
    )
    s = audit.add_parser("verify", help="detect any edited or deleted entry")
    s.add_argument("dir")
    s.set_defaults(func=cmd_audit_verify)

    from server import cli_backup, cli_docs, cli_ops, cli_polls  # they use this module's helpers

    cli_docs.add_commands(sub)
    cli_polls.add_commands(sub)
    cli_ops.add_commands(sub)
    cli_backup.add_commands(sub)
    return ap


#: PostgreSQL's SQLSTATE for a user without the rights it needs (PostgreSQL 15 lets only the
#: database's owner create tables in it).
_INSUFFICIENT_PRIVILEGE = "42501"


def _database_trouble(exc: sqlalchemy.exc.DatabaseError) -> str | None:
    """What is wrong with the operator's database setup, or ``None`` for a bug of ours."""
    if isinstance(exc, sqlalchemy.exc.ProgrammingError):
        if getattr(exc.orig, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
            return None
        denied = str(exc.orig).splitlines()[0]
        return (
            f"{denied} (the database user in [database] url must own the room's database: "
            "createdb --owner=USER)"
        )
    if isinstance(exc, sqlalchemy.exc.IntegrityError):
        return None
    return str(exc.orig)


def main(argv: Sequence[str] | None = None) -> int:
    if print_if_asked("hemicycle-server", sys.argv[1:] if argv is None else argv):
        return 0
    args = build_parser().parse_args(argv)
    os.umask(0o077)  # keys, database, sheets and logs are for the server's user only
    try:
        args.func(args)
    except (CliError, DataDirError, SchemaError, cfg.ConfigError, ServiceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except sqlalchemy.exc.DatabaseError as exc:
        trouble = _database_trouble(exc)
        if trouble is None:
            raise  # a bug, not the operator's setup: keep its traceback
        print(f"error: cannot use the room's database: {trouble}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and cut short: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except RosterError as exc:
        print(
            f"error: the roster was not imported; fix these lines and try again:\n{exc}",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    # ``python -m server.cli`` runs this file as ``__main__``; the command modules it loads
    # (server/cli_docs.py) import ``server.cli``, a second copy with its own CliError. Run that
    # copy's main, so their errors are this main's errors.
    from server import cli

    sys.exit(cli.main())
