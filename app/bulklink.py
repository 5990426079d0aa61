"""The device's bulk connection: documents down (``blobs.get``), and up from the console.

Opened beside the control connection when there is something to move, and closed when there is
not, so a hall at rest holds one connection per device. It is pinned and authenticated exactly
as the control connection (app/connection.py, app/session.py); the room answers a full bulk
path with HTTP 503, and the caller tries again later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Container, Sequence

import msgspec
import websockets

from app import protocol as p
from app import session as s
from app.connection import Link, open_link

OPEN_TIMEOUT = 15.0
#: Longest wait for the next frame of a download, or for the room to check and seal an upload.
FRAME_TIMEOUT = 60.0
PUBLISH_TIMEOUT = 600.0

#: Gets each blob as it arrives: its address, and a view of its bytes in the frame (not copied).
OnBlob = Callable[[bytes, memoryview], Awaitable[None]]


class BulkLink:
    def __init__(self, link: Link) -> None:
        self._link = link

    @classmethod
    async def open(
        cls,
        addresses: Sequence[str],
        port: int,
        room_id: bytes,
        device_id: int,
        sign: Callable[[bytes], bytes],
    ) -> BulkLink:
        link = await open_link(addresses, port, lambda rid: rid == room_id, bulk=True)
        try:
            await link.ws.send(link.session.auth(device_id, sign, room_id), text=True)
            async with asyncio.timeout(OPEN_TIMEOUT):
                while True:
                    happenings = link.session.receive(await link.ws.recv())
                    if any(isinstance(h, s.Opened) for h in happenings):
                        return cls(link)
        except BaseException:
            await link.ws.close()
            raise

    @property
    def address(self) -> str:
        return self._link.address

    async def close(self) -> None:
        await self._link.ws.close()

    async def _answer(
        self,
        rid: int,
        timeout: float,
        on_blob: OnBlob | None = None,
        wanted: Container[bytes] = (),
    ) -> p.ServerMessage:
        """Frames until the answer to ``rid``; blobs on the way, if among ``wanted``, go to
        ``on_blob``. Each frame must come within ``timeout`` of the one before (one deadline,
        moved on at most once a second: a download is thousands of frames, and moving a
        deadline costs as much as the rest of a frame's handling)."""
        session = self._link.session
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(timeout) as deadline:
            moved = loop.time()
            while True:
                frame = await self._link.ws.recv()
                if (now := loop.time()) - moved > 1.0:
                    deadline.reschedule(now + timeout)
                    moved = now
                for happening in session.receive(frame):
                    match happening:
                        case s.BlobArrived(address=address, data=data) if on_blob is not None:
                            if address not in wanted:
                                raise p.ProtocolError(
                                    p.ErrorCode.BAD_MESSAGE, "a blob that was not asked for"
                                )
                            await on_blob(address, data)
                        case s.Answered(request_id=got, reply=reply) if got == rid:
                            return reply
                        case s.Refused(request_id=got, code=code, message=message) if got == rid:
                            raise s.RequestError(code, message)
                        case s.BlobArrived():
                            raise p.ProtocolError(
                                p.ErrorCode.BAD_MESSAGE, "a blob nobody asked for"
                            )

    async def fetch(
        self, document_id: int, addresses: Sequence[bytes], on_blob: OnBlob
    ) -> list[bytes]:
        """Ask for blobs of a document; each one that arrives (and was asked for) goes to
        ``on_blob`` in order of arrival. Returns the addresses the room does not have."""
        rid, frame = self._link.session.request(
            p.BlobsGet(id=0, document_id=document_id, addresses=list(addresses))
        )
        await self._link.ws.send(frame, text=True)
        done = await self._answer(rid, FRAME_TIMEOUT, on_blob, set(addresses))
        if not isinstance(done, p.BlobsDone):
            raise p.ProtocolError(p.ErrorCode.BAD_MESSAGE, "expected blobs.done")
        return list(done.missing)

    async def upload(
        self,
        request: p.DocumentUpload,
        data: bytes,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> p.DocumentPublished:
        """Send a PDF; returns what was published, or raises the room's refusal."""
        request = msgspec.structs.replace(request, length=len(data))
        rid, frame = self._link.session.request(request)
        await self._link.ws.send(frame, text=True)
        go = await self._answer(rid, PUBLISH_TIMEOUT)
        if not isinstance(go, p.Ok):
            raise p.ProtocolError(p.ErrorCode.BAD_MESSAGE, "expected ok before the upload")
        self._link.session.expect(rid)  # the same request is answered again when published
        sent = 0
        view = memoryview(data)
        while sent < len(data):
            part = view[sent : sent + p.MAX_UPLOAD_FRAME]
            await self._link.ws.send(bytes(part), text=False)
            sent += len(part)
            if on_progress is not None:
                on_progress(sent, len(data))
        done = await self._answer(rid, PUBLISH_TIMEOUT)
        if not isinstance(done, p.DocumentPublished):
            raise p.ProtocolError(p.ErrorCode.BAD_MESSAGE, "expected document.published")
        return done


BulkErrors = (OSError, TimeoutError, websockets.ConnectionClosed, p.ProtocolError)
