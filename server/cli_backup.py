"""``hemicycle-server backup`` and ``restore``: an encrypted backup taken while the room serves,
and a restore that is put in place only once verified (server/backup.py).

The passphrase comes from ``--passphrase-file`` (for cron: a file only its owner can read), or
the environment variable ``HEMICYCLE_BACKUP_PASSPHRASE``, or is asked on the terminal — twice
for a backup, since a mistyped one would make a backup no one can open.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from server.cli import CliError, _check_writable, _plural, cmd_audit_verify
from server.datadir import DataDir
from server.logsetup import escape
from server.pdfcheck import _mb

if TYPE_CHECKING:
    from server import backup

PASSPHRASE_ENV = "HEMICYCLE_BACKUP_PASSPHRASE"


def _passphrase(args: argparse.Namespace, new: bool) -> str:
    """The passphrase, from the first of: the file, the environment, the terminal."""
    if args.passphrase_file:
        path = Path(args.passphrase_file)
        try:
            mode = path.stat().st_mode
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read the passphrase file {path}: {exc}") from None
        if mode & 0o077:
            raise CliError(
                f"the passphrase file {path} can be read by other users: chmod 600 {path}"
            )
        phrase = lines[0] if lines else ""
    elif os.environ.get(PASSPHRASE_ENV):
        phrase = os.environ[PASSPHRASE_ENV]
    elif sys.stdin.isatty():
        phrase = getpass.getpass("Backup passphrase: ")
        if new and getpass.getpass("The same passphrase again: ") != phrase:
            raise CliError("the two passphrases differ; nothing was written")
    else:
        raise CliError(
            f"no passphrase: give --passphrase-file FILE or set {PASSPHRASE_ENV} (for cron), "
            "or run the command on a terminal"
        )
    if not phrase:
        raise CliError("the passphrase is empty")
    return phrase


def cmd_backup(args: argparse.Namespace) -> None:
    from server import backup  # with keyring (app.vault) and psycopg: loaded for these only

    root = Path(args.dir)
    DataDir(root).check()  # before the passphrase is asked for
    out = _check_writable(args.out, "the backup")
    if out.is_relative_to(root.resolve()):
        raise CliError(
            "write the backup outside the data directory (a backup in it would be copied into "
            "the next one, and lost with the folder)"
        )
    phrase = _passphrase(args, new=True)
    try:
        made = backup.create(root, out, phrase)
    except backup.BackupError as exc:
        raise CliError(str(exc)) from None
    print(
        f"Backup of room '{escape(made.header.room_name)}' written to {args.out}: "
        f"{_mb(made.size)}, audit log up to entry {made.header.last_seq}, "
        f"in {made.seconds:.1f} s"
    )


def cmd_restore(args: argparse.Namespace) -> None:
    from server import backup

    path = Path(args.backup)

    def ask(header: backup.Header) -> str:
        print(f"{args.backup}: {escape(header.describe())}", flush=True)
        return _passphrase(args, new=False)

    try:
        if args.check:
            if args.dir or args.replace or args.database:
                raise CliError("--check restores nothing: give only the backup file")
            header = backup.verify(path, ask(backup.read_header(path)))
            print(
                f"Backup intact: every part opens with this passphrase, and its key is the "
                f"key of room {header.room_id}"
            )
            return
        if not args.dir:
            raise CliError("give the folder to restore into (or --check to only check the file)")
        done = backup.restore(
            path, Path(args.dir), ask, database=args.database, replace=args.replace
        )
    except backup.BackupError as exc:
        raise CliError(str(exc)) from None
    s = done.summary
    print(f"Restored room '{escape(s.room_name)}' into {args.dir}")
    print(f"Room ID: {done.header.room_id}")
    print(f"Backup taken: {done.header.when()}")
    print(
        f"{_plural(s.meetings, 'meeting')}, {_plural(s.delegates, 'delegate')}, "
        f"{_plural(s.devices, 'device')}, {_plural(s.documents, 'document')}"
    )
    cmd_audit_verify(argparse.Namespace(dir=args.dir))  # its lines, to compare with the record
    if done.aside is not None:
        print(f"The room that was in {args.dir} is now in {done.aside}")


def _passphrase_option(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=f"read the passphrase from the first line of FILE (mode 0600); else ${PASSPHRASE_ENV}"
        ", else it is asked",
    )


def add_commands(sub: Any) -> None:
    s = sub.add_parser(
        "backup", help="write an encrypted backup of the room, also while its server runs"
    )
    s.add_argument("dir")
    s.add_argument("out", help="the backup file to write (e.g. dh14-2026-05-10.hcbackup)")
    _passphrase_option(s)
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser(
        "restore", help="restore a backup into a new folder, verified before it is put there"
    )
    s.add_argument("backup")
    s.add_argument("dir", nargs="?", help="a new or empty folder")
    s.add_argument(
        "--replace",
        action="store_true",
        help="DIR holds this room: move it aside to DIR.before-restore-… (its server stopped)",
    )
    s.add_argument(
        "--database",
        metavar="URL",
        help="PostgreSQL: restore into this empty database (default: the backup's own URL)",
    )
    s.add_argument(
        "--check",
        action="store_true",
        help="only check the file: decrypt and authenticate all of it, check its keys",
    )
    _passphrase_option(s)
    s.set_defaults(func=cmd_restore)
