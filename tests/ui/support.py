"""Sample rooms and fakes for the Qt tests.

The fakes stand in for the network (``RoomClient``, enrollment) so the widgets are tested for
real — real Qt, real event loop, real signals across threads — without a server. The
end-to-end test with a real server lives elsewhere.
"""

from __future__ import annotations

import asyncio
import datetime
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

import msgspec
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app import protocol as p
from app.codes import EnrollmentCode
from app.profile import Identity
from app.state import Area, RoomModel, RoomView
from app.voting import BallotBook
from server.presence import Presence as ServerPresence
from ui.bridge import NetworkThread
from ui.theme import fix_window_minimum

ROOM_ID = bytes(range(32))
OTHER_ROOM_ID = bytes(reversed(range(32)))


def show_top(qtbot: QtBot, widget: QWidget, width: int = 1280, height: int = 800) -> None:
    """Show a widget as its own window, the way the apps show theirs (fixed minimum size, so
    the offscreen platform is never asked to update size hints it can't)."""
    qtbot.addWidget(widget)
    fix_window_minimum(widget, 320, 240)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)


def answer_next_dialog(act: Callable[[Any], None]) -> list[QDialog]:
    """Have ``act`` answer the next modal dialog, from inside its ``exec()``; the list returned
    holds the dialog once it has been seen, so a test can tell whether one was asked."""
    seen: list[QDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(10, answer)  # not shown yet
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, answer)
    return seen


# --------------------------------------------------------------------------- sample data


def item(
    iid: int,
    title: str,
    *,
    parent: int | None = None,
    position: int = 0,
    status: str = "pending",
    start: str | None = None,
    minutes: int | None = None,
    meeting: int = 1,
    description: str = "",
) -> p.AgendaItem:
    return p.AgendaItem(
        id=iid,
        meeting_id=meeting,
        parent_id=parent,
        position=position,
        title=title,
        status=status,  # type: ignore[arg-type]
        planned_start=start,
        planned_minutes=minutes,
        description=description,
    )


def sample_model(current: int | None = 4, done: tuple[int, ...] = (1, 2, 3)) -> RoomModel:
    """A small Vietnamese agenda: 1 (1.1, 1.2), 2, 3 (3.1), 4, 5, 6, 7, 8."""
    items = [
        item(1, "Khai mạc Đại hội", position=0, start="08:00", minutes=15),
        item(2, "Chào cờ", parent=1, position=0, minutes=5),
        item(3, "Tuyên bố lý do", parent=1, position=1, minutes=10),
        item(
            4,
            "Báo cáo chính trị",
            position=1,
            start="08:15",
            minutes=60,
            description="Trình bày dự thảo Báo cáo chính trị.",
        ),
        item(5, "Thảo luận tại hội trường", position=2, start="09:15", minutes=90),
        item(6, "Tham luận của Đoàn Hà Nội", parent=5, position=0),
        item(7, "Nghỉ giải lao", position=3, start="10:45", minutes=20),
        item(8, "Bế mạc", position=4, start="11:05", minutes=15),
    ]
    items = [
        msgspec.structs.replace(
            i, status="current" if i.id == current else "done" if i.id in done else "pending"
        )
        for i in items
    ]
    state = p.RoomState(
        room=p.RoomInfo(name="Hội trường Ba Đình", active_meeting_id=1),
        meetings=[
            p.Meeting(
                id=1,
                title="Đại hội — Phiên khai mạc",
                starts_on=datetime.date(2026, 11, 23),
                status="open",
            ),
            p.Meeting(id=2, title="Phiên bế mạc", starts_on=datetime.date(2026, 11, 25)),
        ],
        agenda=items,
    )
    return RoomModel(state)


def long_model(n: int = 40, current: int = 35) -> RoomModel:
    """Enough items that the current one is off screen unless scrolled to."""
    items = [
        item(
            i,
            f"Mục thứ {i} của chương trình",
            position=i - 1,
            status="current" if i == current else "done" if i < current else "pending",
        )
        for i in range(1, n + 1)
    ]
    return RoomModel(
        p.RoomState(
            room=p.RoomInfo(name="Phòng họp", active_meeting_id=1),
            meetings=[p.Meeting(id=1, title="Phiên họp", status="open")],
            agenda=items,
        )
    )


_SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
)
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu")
_GIVEN = ("An", "Bình", "Châu", "Dũng", "Đức", "Giang", "Hà", "Hùng", "Hưng", "Hồng Nhung")
_GIVEN += ("Khánh", "Lan", "Long", "Mai", "Nam", "Phương", "Quân", "Sơn", "Thảo", "Tuấn", "Yến")
DELEGATIONS = tuple(
    "Đoàn " + name
    for name in (
        "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Điện Biên",
        "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Hưng Yên",
        "Huế", "Khánh Hòa", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Nghệ An",
        "Ninh Bình", "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh",
        "Thái Nguyên", "Thanh Hóa", "TP. Hồ Chí Minh", "Tuyên Quang", "Vĩnh Long",
    )
)  # fmt: skip


def roster_model(count: int = 1600, model: RoomModel | None = None) -> RoomModel:
    """``model`` (the sample agenda) with a roster of ``count`` delegates, ids 1…count, in
    delegations of about 48 each; delegate 1 is "Nguyễn Thị Hồng Nhung" of Đoàn Hà Nội."""
    model = model or sample_model()
    delegates = [
        p.Delegate(
            id=i,
            number=f"{i:04d}",
            full_name=" ".join(
                (_SURNAMES[i % 12], _MIDDLE[i * 7 % 10], _GIVEN[i * 13 % len(_GIVEN)])
            ),
            delegation=DELEGATIONS[i * 5 % len(DELEGATIONS)],
        )
        for i in range(2, count + 1)
    ]
    first = p.Delegate(
        id=1, number="0001", full_name="Nguyễn Thị Hồng Nhung", delegation="Đoàn Hà Nội"
    )
    state = model.to_state()
    return RoomModel(
        msgspec.structs.replace(
            state,
            roster=p.RosterInfo(delegates=count),
            delegates=[first, *delegates][:count],
        )
    )


def presence_of(delegate_ids: Iterable[int], **devices: int) -> p.Presence:
    """The presence message the room server sends when ``delegate_ids`` are connected (one
    device each) and ``devices`` more of other roles, made by the server's own encoder."""
    presence = ServerPresence()
    for delegate_id in delegate_ids:
        presence.joined("delegate", delegate_id)
    for role, n in devices.items():
        for _ in range(n):
            presence.joined(role, None)  # type: ignore[arg-type]
    return presence.message()


def delegate_identity(role: str = "delegate") -> Identity:
    return Identity(
        room_name="Hội trường Ba Đình",
        room_id=ROOM_ID,
        addresses=("127.0.0.1",),
        port=8443,
        device_id=17,
        role=role,  # type: ignore[arg-type]
        delegate=p.Delegate(
            id=123, number="0123", full_name="Nguyễn Thị Hồng Nhung", delegation="Đoàn Hà Nội"
        )
        if role == "delegate"
        else None,
    )


def enrollment_code(room_id: bytes = ROOM_ID) -> EnrollmentCode:
    return EnrollmentCode(("10.0.0.5",), 8443, room_id[:10], b"0123456789")


# --------------------------------------------------------------------------- fakes


class FakeUnlocked:
    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        self._home = Path(tempfile.mkdtemp(prefix="hemicycle-ballots-"))

    def ballots(self) -> BallotBook:
        """A real ballot book, in a folder of its own."""
        return BallotBook(self._home / "ballots.bin", bytes(32))


def typed_reply(msg: Any) -> Any:
    """What the room answers a request with when it accepts it (ids of new objects: 99)."""
    if isinstance(msg, p.MeetingCreate):
        return p.MeetingCreated(id=msg.id, meeting_id=99)
    if isinstance(msg, p.AgendaAdd):
        return p.AgendaAdded(id=msg.id, item_id=99)
    if isinstance(msg, p.ReadinessGet):
        return p.Readiness(id=msg.id, meeting_id=msg.meeting_id, devices=[])
    return p.Ok(id=msg.id)


class FakeClient:
    """Stands in for ``app.client.RoomClient``; records requests, answers as told."""

    instances: ClassVar[list[FakeClient]] = []

    def __init__(self, unlocked: Any, **callbacks: Any) -> None:
        self.model: RoomModel = getattr(unlocked, "model", None) or sample_model()
        self.last_sync: float | None = getattr(unlocked, "last_sync", time.time() - 600)
        self.status = getattr(unlocked, "status", "offline")
        self.on_state: Callable[[RoomView, Area], None] = callbacks["on_state"]
        self.on_status: Callable[[str, float | None], None] = callbacks["on_status"]
        self.on_presence: Callable[[p.Presence], None] = callbacks["on_presence"]
        self.on_fatal: Callable[[str, str], None] = callbacks["on_fatal"]
        self.on_documents: Callable[[Any], None] = callbacks["on_documents"]
        self.documents = getattr(unlocked, "documents", None)
        self.requests: list[Any] = []
        self.reply: Callable[[Any], Any] = typed_reply
        self.stopped = False
        self._stop: asyncio.Event | None = None
        FakeClient.instances.append(self)

    async def run(self) -> None:
        self._stop = asyncio.Event()
        await self._stop.wait()

    async def stop(self) -> None:
        self.stopped = True
        if self._stop is not None:
            self._stop.set()

    async def request(self, msg: Any) -> Any:
        self.requests.append(msg)
        return self.reply(msg)

    async def import_bundle(self, path: Any) -> Any:
        raise OSError(f"{path}: no such file")  # a real import is tested against a real room

    async def upload(self, request: Any, data: bytes, on_progress: Any) -> Any:
        self.requests.append(request)
        on_progress(len(data), len(data))
        return p.DocumentPublished(id=0, document_id=99, version=1, pages=1)

    # helpers: act as the network thread would
    def push_state(self, network: NetworkThread, model: RoomModel, areas: Area = Area.ALL) -> None:
        """``model`` becomes the state, as if events had changed ``areas`` of it."""

        def apply() -> None:
            self.model = model
            self.last_sync = time.time()
            self.on_state(model.snapshot(), areas)

        network.loop.call_soon_threadsafe(apply)

    def push_status(self, network: NetworkThread, status: str, last_sync: float | None) -> None:
        def apply() -> None:
            self.status = status
            self.last_sync = last_sync
            self.on_status(status, last_sync)

        network.loop.call_soon_threadsafe(apply)
