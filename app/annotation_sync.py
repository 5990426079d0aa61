"""Keeping a delegate's annotations the same on all their devices, through the room, sealed.

:class:`AnnotationSync` runs on the client's asyncio loop beside the room connection
(app/client.py). It makes a pass whenever it is woken — the session opened, the room said the
delegate's annotations changed elsewhere (``annotations.changed``), or an edit was made here:

1. **The key.** Ask where this device stands (``annotations.key``). With no key for the
   delegate yet, make one and register its id (``annotations.key.held``); the first device to do
   so wins and the others pair. A device without the key waits for a pairing: the delegate
   chooses *Bring my annotations to another device* on a device that has it (:meth:`give`),
   which leaves the key wrapped for this one and shows a code; typed here (:meth:`enter_code`),
   the code opens the envelope. Until then annotations made here stay here, unsent.
2. **The records.** Send what was edited here (sealed, in frames under the limit) and take what
   changed elsewhere since the last cursor, page by page (``annotations.sync``); the notebook
   keeps the later edit of each record (app/annotations.py).

A pass cut short by a drop loses nothing: the notebook still lists what is unsent, and the
cursor moves only with what was kept.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app import annotations as a
from app import protocol as p
from app.session import NotConnected, RequestError

log = logging.getLogger("hemicycle.annotations")

#: Bytes of sealed records per ``annotations.sync`` (base64 adds a third, JSON a little more):
#: the frame stays under the room's limit for a client frame.
PUT_BUDGET = p.MAX_CLIENT_FRAME * 5 // 8


class KeyStatus(enum.StrEnum):
    #: Not asked yet (offline since the app started).
    UNKNOWN = "unknown"
    READY = "ready"
    #: Another device of the delegate holds the key: its pairing code is to be typed here.
    PAIRING = "pairing"


@dataclass(frozen=True)
class SyncStatus:
    key: KeyStatus = KeyStatus.UNKNOWN
    #: Edits made here the room has not accepted yet.
    unsent: int = 0
    #: A key was left for this device (a code typed now can open it).
    envelope: bool = False
    #: The last typed code did not open the key (say so; type it again).
    wrong_code: bool = False


Request = Callable[[p.ClientRequest], Awaitable[p.ServerMessage]]


class AnnotationSync:
    def __init__(
        self,
        notebook: a.Notebook,
        *,
        request: Request,
        delegate_id: int,
        device_id: int,
        kx: X25519PrivateKey,
        on_status: Callable[[SyncStatus], None] | None = None,
    ) -> None:
        self.notebook = notebook
        self._request = request
        self._delegate_id = delegate_id
        self._device_id = device_id
        self._kx = kx
        self._on_status = on_status or (lambda _status: None)
        self._wake = asyncio.Event()
        self._online = False
        self._code: bytes | None = None
        self.status = SyncStatus(unsent=len(notebook.outgoing()))

    # ------------------------------------------------------------------ driving

    def wake(self) -> None:
        """Make a pass soon (on the client's loop)."""
        self._wake.set()

    def update(self, online: bool) -> None:
        self._online = online
        if online:
            self._wake.set()

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if not self._online:
                continue
            try:
                await self._pass()
            except (NotConnected, RequestError) as exc:
                log.info("annotation sync stopped: %s", exc)
            except a.AnnotationError as exc:
                log.warning("annotation sync: %s", exc)

    def _tell(self, **changes: object) -> None:
        fields = {
            "key": self.status.key,
            "unsent": len(self.notebook.outgoing()),
            "envelope": self.status.envelope,
            "wrong_code": self.status.wrong_code,
        }
        fields.update(changes)
        status = SyncStatus(**fields)  # type: ignore[arg-type]
        if status != self.status:
            self.status = status
            self._on_status(status)

    # ------------------------------------------------------------------ a pass

    async def _pass(self) -> None:
        if await self._key():
            await self._exchange()
        self._tell()

    async def _key(self) -> bool:
        """Make sure this device holds the delegate's key; whether it does."""
        state = await self._request(p.AnnotationKeyGet(id=0))
        assert isinstance(state, p.AnnotationKeyState)
        mine = self.notebook.key
        mine_id = a.key_id(mine) if mine is not None else None
        if state.key_id is None or state.key_id == mine_id:
            if mine is None:
                mine = a.new_key()
            if not state.held:
                try:
                    await self._request(p.AnnotationKeyHeld(id=0, key_id=a.key_id(mine)))
                except RequestError as exc:
                    if exc.code != p.ErrorCode.CONFLICT:
                        raise
                    return await self._key()  # another device made the delegate's key first
            if self.notebook.key != mine:
                self.notebook.set_key(mine)
            self._tell(key=KeyStatus.READY, envelope=False)
            return True
        # the delegate's key is another device's: it is brought here by pairing
        envelope = state.envelope
        if envelope is not None and self._code is not None:
            code, self._code = self._code, None
            self._tell(wrong_code=False)
            try:
                key = a.unwrap(
                    envelope.envelope,
                    self._kx,
                    code,
                    self._delegate_id,
                    self._device_id,
                    state.key_id,
                )
            except a.AnnotationError:
                self._tell(key=KeyStatus.PAIRING, envelope=True, wrong_code=True)
                return False
            await self._request(p.AnnotationKeyHeld(id=0, key_id=state.key_id))
            self.notebook.set_key(key)
            self.notebook.mark_unsent()  # what was made here before is sent under it now
            self._tell(key=KeyStatus.READY, envelope=False, wrong_code=False)
            return True
        self._tell(key=KeyStatus.PAIRING, envelope=envelope is not None)
        return False

    async def _exchange(self) -> None:
        key = self.notebook.key
        assert key is not None
        while True:
            batch: list[a.Annotation] = []
            sealed: list[p.SealedAnnotation] = []
            size = 0
            for note in self.notebook.outgoing():
                try:
                    record = a.seal(key, self._delegate_id, note)
                except a.AnnotationError as exc:  # kept here, never sent: too large
                    log.warning("annotation %s not sent: %s", note.id.hex()[:8], exc)
                    continue
                if batch and (
                    size + len(record.sealed) > PUT_BUDGET
                    or len(batch) >= p.MAX_ANNOTATIONS_PER_SYNC
                ):
                    break
                batch.append(note)
                sealed.append(record)
                size += len(record.sealed)
            sync = p.AnnotationsSync(id=0, since=self.notebook.cursor, put=sealed)
            reply = await self._request(sync)
            assert isinstance(reply, p.AnnotationsSynced)
            incoming = []
            for record in reply.records:
                try:
                    incoming.append(a.unseal(key, self._delegate_id, record))
                except a.AnnotationError as exc:
                    log.warning("annotation %s skipped: %s", record.id.hex()[:8], exc)
            self.notebook.merge(incoming, batch, reply.cursor)
            left = len(self.notebook.outgoing())
            self._tell(unsent=left)
            if not reply.more and (left == 0 or not batch):
                return

    # ------------------------------------------------------------------ pairing (the screens)

    async def give(self) -> str:
        """Leave the key for the delegate's devices that wait for it; the code to type there.
        Raises :class:`~app.annotations.AnnotationError` when none is waiting or this device
        does not hold the key."""
        key = self.notebook.key
        if key is None or self.status.key is not KeyStatus.READY:
            raise a.AnnotationError("no_key", "this device does not hold the annotation key yet")
        state = await self._request(p.AnnotationKeyGet(id=0))
        assert isinstance(state, p.AnnotationKeyState)
        if not state.waiting:
            raise a.AnnotationError(
                "none_waiting", "no other device of the delegate waits for the key"
            )
        secret = a.new_pairing_secret()
        envelopes = [
            p.KeyEnvelope(
                device_id=w.device_id,
                envelope=a.wrap_for(key, w.kx_public, secret, self._delegate_id, w.device_id),
            )
            for w in state.waiting
        ]
        await self._request(p.AnnotationKeyGive(id=0, envelopes=envelopes))
        return a.pairing_code(secret)

    def enter_code(self, text: str) -> None:
        """The code shown on the other device, typed here; raises
        :class:`~app.codes.CodeError` if it is mistyped. Whether it opens the key is said by
        the next status (``wrong_code``)."""
        self._code = a.parse_pairing_code(text)
        self.wake()
