"""``hemicycle-server doc …``: documents from the command line.

``add``, ``replace`` and ``withdraw`` run the same publishing path and handlers as the console
(server/publishing.py, server/domains/documents.py), as units of work of the command line; a
running server sends the result to devices from the log. ``bundle`` writes a meeting's
ciphertext and signed manifests — never a key — to one file for devices to import
(app/bundle.py).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app import bundle, docformat
from app import protocol as p
from app.fileio import staged_file
from server import pdfcheck, publishing
from server.cli import OPERATOR, CliError, _open, _perform, _plural, _request, _value
from server.domains import documents, meetings
from server.logsetup import escape
from server.store import CLI, Store


def _read_pdf(path: str, limit_mb: int) -> bytes:
    try:
        size = Path(path).stat().st_size
        if size > limit_mb * 1024 * 1024:
            raise CliError(
                f"{path} is {size / 1e6:.0f} MB; this room takes documents of at most "
                f"{limit_mb} MB ([documents] max_megabytes)"
            )
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None
    if not data:
        raise CliError(f"{path} is empty: it holds no document")
    return data


def _publish(args: argparse.Namespace, **target: Any) -> p.DocumentPublished:
    _d, config, store = _open(args.dir)
    data = _read_pdf(args.file, config.documents.max_megabytes)
    name = Path(args.file).name
    _request(p.DocumentUpload, file_name=name, length=len(data), **target)  # the wire's checks
    upload = publishing.Upload(name, data, **target)
    limits = publishing.pdf_limits(config.documents)
    try:
        outcome = asyncio.run(
            publishing.publish(
                store, upload, CLI, limits, db=publishing.in_thread, cpu=publishing.in_thread
            )
        )
    except pdfcheck.PdfRefused as exc:
        raise CliError(str(exc)) from None
    return outcome.result


_REMOVED = {
    "javascript": "script",
    "web_link": "web link",
    "remote_link": "remote link",
    "launch": "program launcher",
    "embedded_file": "attached file",
    "form_action": "form action",
    "xfa": "XFA form",
    "media": "media item",
    "automatic_action": "automatic action",
    "other_action": "other action",
}


def _say_removed(done: p.DocumentPublished) -> None:
    if done.removed:
        listed = ", ".join(_plural(r.count, _REMOVED[r.kind]) for r in done.removed)
        print(f"Taken out of the file (the stored document is the cleaned one): {listed}")


def cmd_doc_add(args: argparse.Namespace) -> None:
    done = _publish(args, item_id=args.item, title=args.title, groups=tuple(args.group or ()))
    print(
        f"Document {done.document_id} published ({_plural(done.pages, 'page')}); devices "
        "fetch it now"
    )
    _say_removed(done)


def cmd_doc_replace(args: argparse.Namespace) -> None:
    done = _publish(args, document_id=args.document)
    changed = ", ".join(map(str, done.changed_pages[:20])) or "none"
    more = "…" if len(done.changed_pages) > 20 else ""
    print(
        f"Document {done.document_id} is now version {done.version}; pages changed: {changed}{more}"
    )
    _say_removed(done)


def cmd_doc_withdraw(args: argparse.Namespace) -> None:
    _perform(args.dir, documents.withdraw, p.DocumentWithdraw, document_id=args.document)
    print(f"Document {args.document} withdrawn; devices delete it")


def cmd_doc_move(args: argparse.Namespace) -> None:
    fields = {"document_id": args.document, "item_id": args.item}
    _perform(args.dir, documents.update, p.DocumentUpdate, **fields)
    print(f"Document {args.document} now belongs to agenda item {args.item}")


def cmd_doc_list(args: argparse.Namespace) -> None:
    _d, _config, store = _open(args.dir)
    with store.read() as db:
        if args.meeting:
            meetings.get(db, args.meeting)  # an unknown meeting is an error, not an empty list
        ids = [args.meeting] if args.meeting else [m.id for m in meetings.visible(db, OPERATOR)]
        listed = documents.current_versions(db, ids)
    for doc, version in listed:
        groups = f" [{', '.join(g.group for g in doc.groups)}]" if doc.groups else ""
        print(
            f"{doc.id}\t{doc.status}\tv{doc.version}\titem {doc.item_id}\t"
            f"{version.pages} p.\t{version.length / 1e6:.1f} MB\t{escape(doc.title)}{groups}"
        )


def cmd_doc_bundle(args: argparse.Namespace) -> None:
    d, _config, store = _open(args.dir)
    keys = store.keys
    assert keys is not None
    with store.read() as db:
        meeting = meetings.get(db, args.meeting)
        if meeting.wiped:
            raise CliError(f"meeting {meeting.id} was closed and wiped; there is nothing to carry")
        docs = documents.current_versions(db, [meeting.id], published_only=True)
        addresses: list[bytes] = []
        for _doc, version in docs:
            signed = documents.read_blobs(db, [version.manifest])[version.manifest]
            manifest = docformat.open_manifest(signed, keys.public)
            addresses += [version.manifest, *(c.address for c in manifest.chunks)]
        header = bundle.BundleHeader(
            room_id=d.room_id(),
            meeting_id=meeting.id,
            meeting_title=meeting.title,
            created_at=time.time(),
            documents=[
                bundle.BundleDocument(doc.id, doc.version, doc.title, version.manifest)
                for doc, version in docs
            ],
            blobs=len(dict.fromkeys(addresses)),
        )
    try:
        with staged_file(Path(args.out), mode=0o644) as f:
            size = bundle.write(f, header, _blobs(store, list(dict.fromkeys(addresses))))
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
    print(
        f"{args.out}: {_plural(len(docs), 'document')} of meeting {meeting.id}, "
        f"{size / 1e6:.1f} MB, no keys"
    )


def _blobs(store: Store, addresses: list[bytes]) -> Iterator[tuple[bytes, bytes]]:
    for start in range(0, len(addresses), 64):
        part = addresses[start : start + 64]
        with store.read() as db:
            found = documents.read_blobs(db, part)
        for where in part:
            yield where, found[where]


def add_commands(sub: Any) -> None:
    document_id = _value(p.Id, "document id")
    doc = sub.add_parser("doc", help="documents of agenda items").add_subparsers(
        dest="sub", required=True
    )
    s = doc.add_parser("add", help="publish a PDF for an agenda item")
    s.add_argument("dir")
    s.add_argument("file")
    s.add_argument("--item", required=True, type=_value(p.Id, "item id"))
    s.add_argument("--title", help="default: the file name")
    s.add_argument(
        "--group", action="append", help="only members of this group may read it (repeatable)"
    )
    s.set_defaults(func=cmd_doc_add)
    s = doc.add_parser("replace", help="publish a revised version of a document")
    s.add_argument("dir")
    s.add_argument("document", type=document_id)
    s.add_argument("file")
    s.set_defaults(func=cmd_doc_replace)
    s = doc.add_parser("withdraw", help="devices delete the document")
    s.add_argument("dir")
    s.add_argument("document", type=document_id)
    s.set_defaults(func=cmd_doc_withdraw)
    s = doc.add_parser("move", help="attach a document to another item of its meeting")
    s.add_argument("dir")
    s.add_argument("document", type=document_id)
    s.add_argument("--item", required=True, type=_value(p.Id, "item id"))
    s.set_defaults(func=cmd_doc_move)
    s = doc.add_parser("list")
    s.add_argument("dir")
    s.add_argument("--meeting", type=_value(p.Id, "meeting id"))
    s.set_defaults(func=cmd_doc_list)
    s = doc.add_parser(
        "bundle", help="write a meeting's documents (ciphertext, no keys) to a file for devices"
    )
    s.add_argument("dir")
    s.add_argument("meeting", type=_value(p.Id, "meeting id"))
    s.add_argument("out")
    s.set_defaults(func=cmd_doc_bundle)
