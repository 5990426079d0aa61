"""Authorisation, deny by default: every request type is declared, and the running server
answers every request type from every kind of connection as docs/security.md says it must."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app import protocol as p
from app.connection import Link, open_link
from app.enroll import enroll
from app.session import Answered, Opened, Refused
from server import dispatch
from server.domains import documents, polls
from server.store import CLI
from tests.conftest import TEST_SCRYPT_COST, ServerThread
from tests.pdfs import make_pdf
from tests.roomtool import enroll_request

SECURITY = Path(__file__).resolve().parents[2] / "docs" / "security.md"
COLUMNS = ("none", "delegate", "display", "secretary", "admin", "revoked")
REFUSALS = {
    p.ErrorCode.FORBIDDEN,
    p.ErrorCode.NOT_AUTHENTICATED,
    p.ErrorCode.ALREADY_AUTHENTICATED,
    p.ErrorCode.DEVICE_REVOKED,
}


def documented_policy() -> dict[str, dict[str, bool]]:
    """The table under the policy marker in docs/security.md: request -> column -> allowed."""
    lines = SECURITY.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "policy table" in line)
    header = [c.strip() for c in lines[start + 1].strip("|").split("|")]
    assert tuple(header[1:7]) == COLUMNS
    table: dict[str, dict[str, bool]] = {}
    for line in lines[start + 3 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        table[cells[0].strip("`")] = {col: cells[1 + i] == "✓" for i, col in enumerate(COLUMNS)}
    return table


def test_every_request_type_is_declared_and_documented() -> None:
    import server.domains  # noqa: F401  (registers the routes)

    tags = {p.message_type(t(**sample_fields(t))) for t in p.REQUEST_TYPES}  # type: ignore[arg-type]
    assert set(dispatch.ROUTES) == set(p.REQUEST_TYPES)
    assert set(documented_policy()) == tags
    # authentication is answered by the session layer itself, blobs and uploads by the bulk
    # connection's service, ballots and check-ins in batches (server/groupcommit.py)
    assert {t for t, r in dispatch.ROUTES.items() if r.handler is None} == {
        p.Auth,
        p.BallotCast,
        p.AttendanceCheckIn,
        *p.BULK_REQUESTS,
    }


def test_a_request_type_without_a_route_is_refused() -> None:
    class Unlisted(p.MeetingActivate, tag="unlisted"):  # a type nobody declared
        pass

    with pytest.raises(Exception) as err:
        dispatch.route_for(Unlisted(id=1, meeting_id=None))
    assert getattr(err.value, "code", None) == p.ErrorCode.FORBIDDEN


def sample_fields(kind: type[Any]) -> dict[str, Any]:
    """Field values that make a syntactically valid request of ``kind``."""
    return {
        p.Enroll: {
            "secret": "0" * 16,
            "device_name": "x",
            "sign_key": "A" * 44,
            "kx_key": "A" * 44,
        },
        p.Auth: {"device_id": 1, "signature": "A" * 88},
        p.MeetingCreate: {"title": "x"},
        p.MeetingUpdate: {"meeting_id": 1},
        p.MeetingActivate: {"meeting_id": None},
        p.AgendaAdd: {"meeting_id": 1, "title": "x"},
        p.AgendaUpdate: {"item_id": 1},
        p.AgendaRemove: {"item_id": 1},
        p.AgendaMove: {"item_id": 1, "position": 0},
        p.AgendaSetCurrent: {"meeting_id": 1, "item_id": None},
        p.DeviceRevoke: {"device_id": 1},
        p.DocumentUpdate: {"document_id": 1},
        p.DocumentWithdraw: {"document_id": 1},
        p.DocumentKeys: {"document_ids": [1]},
        p.DeviceHolds: {"holdings": []},
        p.ReadinessGet: {"meeting_id": 1},
        p.BlobsGet: {"document_id": 1, "addresses": [b"\0" * 32]},
        p.DocumentUpload: {"file_name": "x.pdf", "length": 1, "item_id": 1},
        p.AttendanceCheckIn: {"meeting_id": 1},
        p.AttendanceSet: {"meeting_id": 1, "delegate_ids": [1], "status": "present"},
        p.ProxySet: {"meeting_id": 1, "giver_id": 1},
        p.PollCreate: {"meeting_id": 1, "title": "x", "spec": p.PollSpec()},
        p.PollOpen: {"poll_id": 1},
        p.PollClose: {"poll_id": 1},
        p.PollCancel: {"poll_id": 1},
        p.BallotCast: {
            "poll_id": 1,
            "votes": [p.Vote(delegate_id=1, receipt=b"\0" * p.RECEIPT_BYTES, marks=p.Marks())],
        },
        p.PollBallots: {"poll_id": 1},
        p.PresentShow: {"document_id": 1, "page": 1},
        p.PresentStop: {"meeting_id": 1},
        p.PresenterSet: {"item_id": 1},
        p.AnnotationsSync: {},
        p.AnnotationKeyGet: {},
        p.AnnotationKeyHeld: {"key_id": bytes(p.ANNOTATION_KEY_ID_BYTES)},
        p.AnnotationKeyGive: {
            "envelopes": [p.KeyEnvelope(device_id=1, envelope=bytes(p.ANNOTATION_ENVELOPE_BYTES))]
        },
    }[kind] | {"id": 0}


class Matrix:
    """Fresh, valid targets for each request, so an allowed request really succeeds."""

    def __init__(self, server: ServerThread, tmp_path: Path) -> None:
        self.server = server
        self.room = server.room
        self.tmp = tmp_path
        self.meeting = self.room.new_meeting()
        self.count = 0
        item = self.room.new_item(self.meeting)
        # one document everyone may read, and one to withdraw (again: conflict, past the policy)
        self.document = self.room.publish(make_pdf(1), item_id=item).document_id
        self.to_withdraw = self.room.publish(make_pdf(1), item_id=item).document_id
        with self.room.store.read() as db:
            self.manifest = documents.latest(db, documents.get(db, self.document)).manifest
        self.delegate = min(d.id for d in self.room.delegates())
        # a document of an item the matrix's delegate (0001) presents
        presents = next(d.id for d in self.room.delegates() if d.number == "0001")
        shown = self.room.new_item(self.meeting)
        self.room.ask(p.PresenterSet(id=0, item_id=shown, delegate_id=presents))
        self.presented = self.room.publish(make_pdf(1), item_id=shown).document_id

    def new_poll(self) -> int:
        req = p.PollCreate(id=0, meeting_id=self.meeting, title="Biểu quyết", spec=p.PollSpec())
        created = self.room.store.run(lambda work: polls.handle_create(work, req), CLI).result
        return created.poll_id

    async def link(self, bulk: bool = False) -> Link:
        room_id = self.server.datadir.room_id()
        return await open_link(
            ["127.0.0.1"], self.server.port, lambda rid: rid == room_id, bulk=bulk
        )

    async def session(self, role: p.Role, number: str | None = None, bulk: bool = False) -> Link:
        self.count += 1
        unlocked = await enroll(
            self.tmp / f"{role}{self.count}",
            self.server.code(role, number),
            "2468",
            cost=TEST_SCRYPT_COST,
        )
        link = await self.link(bulk)
        ident = unlocked.identity
        frame = link.session.auth(ident.device_id, unlocked.keys.sign.sign, ident.room_id)
        await link.ws.send(frame, text=True)
        while not any(isinstance(h, Opened) for h in await receive(link)):
            pass
        return link

    def request(self, kind: type[Any]) -> p.ClientRequest:
        room, meeting = self.room, self.meeting
        fresh: dict[type[Any], Callable[[], dict[str, Any]]] = {
            p.Enroll: lambda: {},
            p.Auth: lambda: {},
            p.MeetingCreate: lambda: {"title": "Phiên mới"},
            p.MeetingUpdate: lambda: {"meeting_id": room.new_meeting(), "title": "Đổi tên"},
            p.MeetingActivate: lambda: {"meeting_id": meeting},
            p.AgendaAdd: lambda: {"meeting_id": meeting, "title": "Mục mới"},
            p.AgendaUpdate: lambda: {"item_id": room.new_item(meeting), "title": "Sửa"},
            p.AgendaRemove: lambda: {"item_id": room.new_item(meeting)},
            p.AgendaMove: lambda: {"item_id": room.new_item(meeting), "position": 0},
            p.AgendaSetCurrent: lambda: {"meeting_id": meeting, "item_id": room.new_item(meeting)},
            p.DeviceRevoke: lambda: {"device_id": room.enroll_device("display")},
            p.DocumentUpdate: lambda: {"document_id": self.document, "title": "Tài liệu"},
            p.DocumentWithdraw: lambda: {"document_id": self.to_withdraw},
            p.DocumentKeys: lambda: {"document_ids": [self.document]},
            p.DeviceHolds: lambda: {
                "holdings": [{"document_id": self.document, "version": 1, "held": 1}]
            },
            p.ReadinessGet: lambda: {"meeting_id": meeting},
            p.BlobsGet: lambda: {"document_id": self.document, "addresses": [self.manifest]},
            p.DocumentUpload: lambda: {
                "file_name": "Tài liệu.pdf",
                "length": 1000,
                "item_id": room.new_item(meeting),
            },
            # past the policy, each of these is refused for the state (a draft meeting, a poll
            # not open) or done: never forbidden
            p.AttendanceCheckIn: lambda: {"meeting_id": meeting},
            p.AttendanceSet: lambda: {"meeting_id": meeting, "delegate_ids": [self.delegate]},
            p.ProxySet: lambda: {
                "meeting_id": meeting,
                "giver_id": self.delegate,
                "holder_id": self.delegate + 1,
            },
            p.PollCreate: lambda: {"meeting_id": meeting},
            p.PollOpen: lambda: {"poll_id": self.new_poll()},
            p.PollClose: lambda: {"poll_id": self.new_poll()},
            p.PollCancel: lambda: {"poll_id": self.new_poll()},
            p.BallotCast: lambda: {"poll_id": self.new_poll()},
            p.PollBallots: lambda: {"poll_id": self.new_poll()},
            p.PresentShow: lambda: {"document_id": self.presented},
            p.PresentStop: lambda: {"meeting_id": room.new_meeting()},  # nothing to stop: ok
            p.PresenterSet: lambda: {
                "item_id": room.new_item(meeting),
                "delegate_id": self.delegate,
            },
            # past the policy: done, or refused for the state (another key, no such device)
            p.AnnotationsSync: dict,
            p.AnnotationKeyGet: dict,
            p.AnnotationKeyHeld: dict,
            p.AnnotationKeyGive: dict,
        }
        if kind is p.Enroll:
            req, _keys = enroll_request(room.issue_code("delegate", "0040"))
            return req
        return kind(**(sample_fields(kind) | fresh[kind]()))  # type: ignore[no-any-return]


async def receive(link: Link) -> list[Any]:
    return link.session.receive(await asyncio.wait_for(link.ws.recv(), 10))


async def answer(link: Link, frame: bytes, rid: int | None) -> tuple[bool, str]:
    """(allowed, what happened) for the request just sent."""
    await link.ws.send(frame, text=True)
    while True:
        for h in await receive(link):
            if isinstance(h, Opened):
                return True, "opened"
            if isinstance(h, Answered) and h.request_id == rid:
                return True, p.message_type(h.reply)
            if isinstance(h, Refused) and h.request_id == rid:
                return h.code not in REFUSALS, h.code


async def auth_frame(matrix: Matrix, link: Link) -> tuple[bytes, int | None]:
    """A valid ``auth`` for this connection's challenge, by a freshly enrolled device."""
    matrix.count += 1
    unlocked = await enroll(
        matrix.tmp / f"auth{matrix.count}",
        matrix.server.code("display"),
        "2468",
        cost=TEST_SCRYPT_COST,
    )
    ident = unlocked.identity
    frame = link.session.auth(ident.device_id, unlocked.keys.sign.sign, ident.room_id)
    return frame, None


def test_every_request_from_every_kind_of_connection(server: ServerThread, tmp_path: Path) -> None:
    table = documented_policy()
    by_tag = {p.message_type(t(**sample_fields(t))): t for t in p.REQUEST_TYPES}  # type: ignore[arg-type]
    matrix = Matrix(server, tmp_path)
    seen: dict[tuple[str, str], tuple[bool, str]] = {}

    roles: dict[p.Role, str | None] = {
        "delegate": "0001",
        "display": None,
        "secretary": None,
        "admin": None,
    }

    async def scenario() -> None:
        sessions = {role: await matrix.session(role, number) for role, number in roles.items()}
        for tag, kind in by_tag.items():
            bulk = kind in p.BULK_REQUESTS  # asked on the bulk connection, where it belongs
            # none: a fresh greeted connection per request (enroll and auth use it up)
            link = await matrix.link(bulk)
            if kind is p.Auth:
                frame, rid = await auth_frame(matrix, link)
            else:
                rid, frame = link.session.request(matrix.request(kind))
            seen[(tag, "none")] = await answer(link, frame, rid)
            await link.ws.close()
            for role, link in sessions.items():
                if bulk:  # a bulk session of its own (an accepted upload then awaits bytes)
                    link = await matrix.session(role, roles[role], bulk=True)
                rid, frame = link.session.request(matrix.request(kind))
                seen[(tag, role)] = await answer(link, frame, rid)
                if bulk:
                    await link.ws.close()
            # revoked: the revocation is committed behind the server's back — as in the instant
            # before the server learns of it, or while a client that ignores the close keeps
            # sending — so only the check inside the request's own transaction can stop it
            link = await matrix.session("secretary", bulk=kind in p.BULK_REQUESTS)
            newest = max(d[0].id for d in server.room.devices())
            with server.room.store.engine.begin() as conn:
                conn.execute(text("UPDATE devices SET revoked_at = 1 WHERE id = :d"), {"d": newest})
            rid, frame = link.session.request(matrix.request(kind))
            seen[(tag, "revoked")] = await answer(link, frame, rid)
            await link.ws.close()
        for link in sessions.values():
            await link.ws.close()

    asyncio.run(scenario())
    wrong = {
        cell: outcome for cell, outcome in seen.items() if outcome[0] != table[cell[0]][cell[1]]
    }
    assert not wrong, wrong
    assert seen[("meeting.update", "delegate")][1] == p.ErrorCode.FORBIDDEN
    assert seen[("agenda.add", "revoked")][1] == p.ErrorCode.DEVICE_REVOKED
    assert seen[("meeting.create", "none")][1] == p.ErrorCode.NOT_AUTHENTICATED
    assert seen[("enroll", "secretary")][1] == p.ErrorCode.ALREADY_AUTHENTICATED
    assert seen[("blobs.get", "delegate")][1] == "blobs.done"
    assert seen[("document.upload", "secretary")][1] == "ok"
    assert seen[("document.upload", "delegate")][1] == p.ErrorCode.FORBIDDEN
    assert seen[("blobs.get", "revoked")][1] == p.ErrorCode.DEVICE_REVOKED


def test_each_request_belongs_to_its_connection(server: ServerThread, tmp_path: Path) -> None:
    """Bulk requests are refused on the control connection and control requests on the bulk
    one, whoever sends them."""
    matrix = Matrix(server, tmp_path)

    async def scenario() -> tuple[tuple[bool, str], tuple[bool, str]]:
        control = await matrix.session("secretary")
        rid, frame = control.session.request(matrix.request(p.BlobsGet))
        on_control = await answer(control, frame, rid)
        bulk = await matrix.session("secretary", bulk=True)
        rid, frame = bulk.session.request(matrix.request(p.AgendaAdd))
        on_bulk = await answer(bulk, frame, rid)
        for link in (control, bulk):
            await link.ws.close()
        return on_control, on_bulk

    on_control, on_bulk = asyncio.run(scenario())
    assert on_control[1] == on_bulk[1] == p.ErrorCode.BAD_MESSAGE


def test_a_console_cannot_revoke_its_own_device(server: ServerThread, tmp_path: Path) -> None:
    matrix = Matrix(server, tmp_path)

    async def scenario() -> tuple[bool, str]:
        link = await matrix.session("secretary")
        own = max(d[0].id for d in server.room.devices())
        rid, frame = link.session.request(p.DeviceRevoke(id=0, device_id=own))
        outcome = await answer(link, frame, rid)
        await link.ws.close()
        return outcome

    assert asyncio.run(scenario()) == (False, p.ErrorCode.FORBIDDEN)
    assert all(d[0].revoked_at is None for d in server.room.devices())
