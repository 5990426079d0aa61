"""``hemicycle-server``: what IT staff and secretaries run on the room server machine.

Every command works on a data directory made by ``init``. Commands that change the room may run
while the server is serving the same directory: they write through :mod:`server.service`, and the
running server picks their events up from the log and sends them to connected devices.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import logging
import logging.handlers
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from app import protocol as p
from app.codes import EnrollmentCode, format_room_id, room_id_of, short_room_id
from server import config as cfg
from server.datadir import DataDir, DataDirError
from server.db import make_engine
from server.migrate import upgrade
from server.roster import RosterError, parse_roster
from server.service import MeetingPlan, Room, ServiceError
from server.tls import create_room_identity

if TYPE_CHECKING:
    from server.sheet import Card

log = logging.getLogger("hemicycle.server")


class CliError(Exception):
    """A user mistake reported as one line, exit status 2."""


# ---------------------------------------------------------------------- helpers


def _open(path: str) -> tuple[DataDir, cfg.Config, Room]:
    d = DataDir(Path(path))
    d.check()
    config = cfg.load(d.config)
    engine = make_engine(d.db)
    upgrade(engine)
    return d, config, Room(engine)


def code_addresses(config: cfg.Config) -> list[str]:
    """Addresses printed into enrollment codes, from the config or the listening interfaces."""
    if config.enrollment.addresses:
        return config.enrollment.addresses
    if config.discovery.interfaces:
        return config.discovery.interfaces
    from app.discovery import interface_addresses

    return interface_addresses(config.server.host)


def make_code(
    d: DataDir, config: cfg.Config, secret: bytes, addresses: Sequence[str]
) -> EnrollmentCode:
    return EnrollmentCode(tuple(addresses), config.server.port, d.room_id(), secret)


# ---------------------------------------------------------------------- commands


def _check_host(host: str) -> None:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise CliError(f"'{host}' is not an IP address (e.g. 0.0.0.0 or 192.168.1.10)") from None


def _check_writable(target: str, what: str) -> None:
    folder = Path(target).resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise CliError(f"cannot write {what}: {folder} is not a writable folder")


def _check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise CliError(f"port {port} is out of range (1-65535)")


def cmd_init(args: argparse.Namespace) -> None:
    root = Path(args.dir)
    if root.exists() and any(root.iterdir()):
        raise CliError(f"{root} is not empty; choose a new folder for the room")
    # everything is checked before the first file is written: no half-made room
    _check_port(args.port)
    if args.host:
        _check_host(args.host)
    if args.qr:
        _check_writable(args.qr, "the QR code")
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o700)
    d = DataDir(root)
    d.logs.mkdir()
    cert_der = create_room_identity(d.key, d.cert, args.name)
    cfg.write_default(d.config, args.port)
    if args.host:
        text = d.config.read_text(encoding="utf-8")
        d.config.write_text(text.replace('host = "0.0.0.0"', f'host = "{args.host}"', 1), "utf-8")
    config = cfg.load(d.config)
    engine = make_engine(d.db)
    upgrade(engine)
    room = Room(engine)
    room.init_room(args.name)
    secret = room.issue_code("secretary")
    code = make_code(d, config, secret, code_addresses(config))
    print(f"Room '{args.name}' created in {root}")
    print(f"Room ID: {format_room_id(room_id_of(cert_der))}")
    print(f"Secretary enrollment code (one use): {code.text()}")
    if args.qr:
        from server.sheet import qr_png

        qr_png(code.qr_text(), Path(args.qr))
        print(f"Secretary QR code written to {args.qr}")


def cmd_run(args: argparse.Namespace) -> None:
    d = DataDir(Path(args.dir))
    d.check()
    config = cfg.load(d.config)
    _setup_logging(d)
    from server.app import RoomServer, run_until_signalled

    host = args.host or config.server.host
    _check_host(host)
    port = args.port if args.port is not None else config.server.port
    if port != 0:  # 0: any free port, printed at start (tests, demo)
        _check_port(port)
    mdns = config.discovery.enabled and not args.no_mdns
    _raise_fd_limit(config.limits.max_connections)
    server = RoomServer(d, config)
    try:
        asyncio.run(run_until_signalled(server, host, port, mdns))
    except OSError as exc:
        hint = {
            errno.EADDRINUSE: "is another server running on that port?",
            errno.EADDRNOTAVAIL: "this machine has no such address; check --host or [server] host",
            errno.EACCES: "ports below 1024 need privileges; use 8443",
        }.get(exc.errno or 0, "check the address and port")
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc} ({hint})") from None


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


def _setup_logging(d: DataDir) -> None:
    d.logs.mkdir(exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        d.logs / "server.log", maxBytes=10_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    root.addHandler(console)


def cmd_roster_import(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    rows = parse_roster(data)
    added, updated = room.import_roster(rows)
    print(f"Imported {len(rows)} delegates from {args.file}: {added} new, {updated} updated")


def cmd_roster_list(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    for dlg in room.delegates():
        print(f"{dlg.number}\t{dlg.full_name}\t{dlg.delegation}\t{dlg.seat}")


def cmd_enroll(args: argparse.Namespace) -> None:
    # PDF and QR libraries load only here: the serving process stays ~100 MB lighter
    from server.sheet import enrollment_sheet_pdf, missing_fonts, qr_png

    d, config, room = _open(args.dir)
    addresses = args.address or code_addresses(config)
    if not addresses:
        raise CliError(
            "no address to put in the code; pass --address or set [enrollment] addresses"
        )
    room_name = room.room_name()
    # Everything that could fail is checked before any code is issued: issuing a code voids the
    # holder's previous unused one, so a failure afterwards would leave cards that don't work.
    if args.sheet:
        _check_writable(args.sheet, "the sheet")
        if args.role != "delegate":
            raise CliError("--sheet prints delegate cards; staff codes are printed as text")
        missing = missing_fonts()
        if missing:
            raise CliError(
                f"cannot print cards: font {', '.join(missing)} is missing from this installation "
                "(install from the source tree, see docs/operations.md)"
            )
    if args.qr:
        _check_writable(args.qr, "the QR code")
    if args.all:
        if not args.sheet:
            raise CliError("--all needs --sheet FILE.pdf")
        cards = []
        for dlg in room.delegates():
            code = make_code(d, config, room.issue_code("delegate", dlg.number), addresses)
            cards.append(_card(dlg, "delegate", code, room_name, d.room_id()))
        if not cards:
            raise CliError("the roster is empty; import it with 'roster import' first")
        pages = enrollment_sheet_pdf(cards, Path(args.sheet))
        print(f"{len(cards)} enrollment cards on {pages} pages written to {args.sheet}")
        return
    if args.role != "delegate":
        secret = room.issue_code(args.role)
        code = make_code(d, config, secret, addresses)
        print(f"{args.role.capitalize()} enrollment code (one use): {code.text()}")
    else:
        if not args.number:
            raise CliError("give a delegate NUMBER, or --all --sheet FILE.pdf, or --role")
        match = [dlg for dlg in room.delegates() if dlg.number == args.number]
        if not match:
            raise CliError(f"no delegate numbered '{args.number}' in the roster")
        code = make_code(d, config, room.issue_code("delegate", args.number), addresses)
        print(f"{match[0].number} {match[0].full_name}: {code.text()}")
        if args.sheet:
            enrollment_sheet_pdf(
                [_card(match[0], "delegate", code, room_name, d.room_id())], Path(args.sheet)
            )
            print(f"Card written to {args.sheet}")
    if args.qr:
        qr_png(code.qr_text(), Path(args.qr))
        print(f"QR code written to {args.qr}")


def _card(dlg: p.Delegate, role: str, code: EnrollmentCode, room_name: str, room_id: bytes) -> Card:
    from server.sheet import Card

    return Card(
        number=dlg.number,
        full_name=dlg.full_name,
        delegation=dlg.delegation,
        role=role,
        code_text=code.text(),
        qr_text=code.qr_text(),
        room_name=room_name,
        room_id_short=short_room_id(room_id),
    )


def cmd_room_id(args: argparse.Namespace) -> None:
    d = DataDir(Path(args.dir))
    d.check()
    print(d.room_id_text())


def cmd_meeting_create(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    change = room.create_meeting(args.title, args.date, "cli")
    print(f"Meeting {change.object_id} created")


def cmd_meeting_import(args: argparse.Namespace) -> None:
    """Create a meeting with its whole agenda tree from a JSON file."""
    _d, _config, room = _open(args.dir)
    try:
        spec = msgspec.json.decode(Path(args.file).read_bytes(), type=MeetingPlan)
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise CliError(f"{args.file}: {exc}") from None
    change, count = room.import_meeting(spec, "cli")
    meeting_id = change.object_id
    print(f"Meeting {meeting_id} '{spec.title}' created with {count} agenda items")


def cmd_meeting_list(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    _seq, state = room.snapshot()
    for m in state.meetings:
        active = " (shown)" if m.id == state.room.active_meeting_id else ""
        print(f"{m.id}\t{m.status}\t{m.starts_on or '-'}\t{m.title}{active}")


def cmd_meeting_activate(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    room.activate_meeting(args.meeting, "cli")
    print(f"Meeting {args.meeting} is now shown on every device")


def cmd_agenda_list(args: argparse.Namespace) -> None:
    from app.state import RoomModel

    _d, _config, room = _open(args.dir)
    _seq, state = room.snapshot()
    model = RoomModel(state)
    for depth, item in model.walk(args.meeting):
        mark = {"current": "▶", "done": "✓", "pending": " "}[item.status]
        print(f"{item.id:>5} {mark} {'  ' * depth}{model.display_number(item)} {item.title}")


def cmd_agenda_add(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    req = p.AgendaAdd(
        id=0,
        meeting_id=args.meeting,
        parent_id=args.parent,
        number=args.number,
        title=args.title,
        description=args.description or "",
        planned_start=args.start,
        planned_minutes=args.minutes,
    )
    try:
        req = msgspec.convert(msgspec.to_builtins(req), p.AgendaAdd)
    except msgspec.ValidationError as exc:
        raise CliError(str(exc)) from None
    change = room.add_item(req, "cli")
    print(f"Agenda item {change.object_id} added")


def cmd_agenda_current(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    room.set_current(args.meeting, args.item, "cli")
    print("Current item set" if args.item else "No current item")


def cmd_agenda_remove(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    room.remove_item(args.item, "cli")
    print(f"Agenda item {args.item} removed with its sub-items")


def cmd_audit_verify(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    count, bad = room.verify_log()
    if bad is not None:
        raise CliError(f"audit log broken at entry {bad} (after {count} good entries)")
    print(f"Audit log intact: {count} entries")
    if count:
        head = room.events_after(count - 1, 1)[0]
        # Written down (or printed in the minutes), the head also exposes a truncated log later.
        print(f"Head: entry {head.seq}, hash {head.hash.hex()}")


def cmd_device_list(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    for device, number in room.devices():
        state = "revoked" if device.revoked_at else "active"
        print(f"{device.id}\t{device.role}\t{number or '-'}\t{state}\t{device.name}")


def cmd_device_revoke(args: argparse.Namespace) -> None:
    _d, _config, room = _open(args.dir)
    room.revoke_device(args.device, "cli")
    print(f"Device {args.device} revoked; it can no longer connect")


# ---------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="hemicycle-server", description="Hemicycle room server")
    sub = ap.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init", help="create a room data directory")
    s.add_argument("dir")
    s.add_argument("--name", required=True, help="room name shown on every device")
    s.add_argument("--host", help="address to listen on (default 0.0.0.0)")
    s.add_argument("--port", type=int, default=cfg.DEFAULT_PORT)
    s.add_argument("--qr", help="also write the secretary code as a QR PNG")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("run", help="serve the room")
    s.add_argument("dir")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--no-mdns", action="store_true", help="do not announce the room on the LAN")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("room-id", help="print the room ID")
    s.add_argument("dir")
    s.set_defaults(func=cmd_room_id)

    roster = sub.add_parser("roster", help="delegate roster").add_subparsers(
        dest="sub", required=True
    )
    s = roster.add_parser("import", help="import or update delegates from a CSV file")
    s.add_argument("dir")
    s.add_argument("file")
    s.set_defaults(func=cmd_roster_import)
    s = roster.add_parser("list")
    s.add_argument("dir")
    s.set_defaults(func=cmd_roster_list)

    s = sub.add_parser("enroll", help="issue one-time enrollment codes")
    s.add_argument("dir")
    s.add_argument("number", nargs="?", help="delegate number")
    s.add_argument("--all", action="store_true", help="a code for every delegate")
    s.add_argument("--sheet", help="write printable cards to this PDF")
    s.add_argument("--qr", help="write the code as a QR PNG")
    s.add_argument(
        "--role", default="delegate", choices=["delegate", "secretary", "display", "admin"]
    )
    s.add_argument("--address", action="append", help="address to put in the code (repeatable)")
    s.set_defaults(func=cmd_enroll)

    meeting = sub.add_parser("meeting", help="meetings").add_subparsers(dest="sub", required=True)
    s = meeting.add_parser("create")
    s.add_argument("dir")
    s.add_argument("--title", required=True)
    s.add_argument("--date", help="YYYY-MM-DD")
    s.set_defaults(func=cmd_meeting_create)
    s = meeting.add_parser("import", help="create a meeting and its agenda from a JSON file")
    s.add_argument("dir")
    s.add_argument("file")
    s.set_defaults(func=cmd_meeting_import)
    s = meeting.add_parser("list")
    s.add_argument("dir")
    s.set_defaults(func=cmd_meeting_list)
    s = meeting.add_parser("activate", help="show this meeting on every device")
    s.add_argument("dir")
    s.add_argument("meeting", type=int)
    s.set_defaults(func=cmd_meeting_activate)

    agenda = sub.add_parser("agenda", help="agenda items").add_subparsers(dest="sub", required=True)
    s = agenda.add_parser("list")
    s.add_argument("dir")
    s.add_argument("meeting", type=int)
    s.set_defaults(func=cmd_agenda_list)
    s = agenda.add_parser("add")
    s.add_argument("dir")
    s.add_argument("meeting", type=int)
    s.add_argument("--title", required=True)
    s.add_argument("--parent", type=int)
    s.add_argument("--number")
    s.add_argument("--description")
    s.add_argument("--start", help="planned start, HH:MM")
    s.add_argument("--minutes", type=int, help="planned duration")
    s.set_defaults(func=cmd_agenda_add)
    s = agenda.add_parser("current", help="set the current item (omit ITEM for none)")
    s.add_argument("dir")
    s.add_argument("meeting", type=int)
    s.add_argument("item", type=int, nargs="?")
    s.set_defaults(func=cmd_agenda_current)
    s = agenda.add_parser("remove")
    s.add_argument("dir")
    s.add_argument("item", type=int)
    s.set_defaults(func=cmd_agenda_remove)

    device = sub.add_parser("device", help="enrolled devices").add_subparsers(
        dest="sub", required=True
    )
    s = device.add_parser("list")
    s.add_argument("dir")
    s.set_defaults(func=cmd_device_list)
    s = device.add_parser("revoke", help="a lost or replaced device can no longer connect")
    s.add_argument("dir")
    s.add_argument("device", type=int)
    s.set_defaults(func=cmd_device_revoke)

    audit = sub.add_parser("audit", help="the hash-chained audit log").add_subparsers(
        dest="sub", required=True
    )
    s = audit.add_parser("verify", help="detect any edited or deleted entry")
    s.add_argument("dir")
    s.set_defaults(func=cmd_audit_verify)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.umask(0o077)  # keys, database, sheets and logs are for the server's user only
    try:
        args.func(args)
    except (CliError, DataDirError, cfg.ConfigError, ServiceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
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
    sys.exit(main())
