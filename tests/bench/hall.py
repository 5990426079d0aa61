"""The simulated hall the benchmarks share: delegates holding a real control connection, and
the processes that hold them.

A :class:`Delegate` speaks the real protocol (pinned TLS, hello, signed auth, snapshot, live
events, resume after a loss) or, against a bare baseline server, holds a plain TLS WebSocket;
it stamps every event and every reply with the moment it was read. A *side* is an object
holding many delegates in a process of its own (:class:`SideProcess`), so the simulated hall
does not share a GIL with the server or with the other side; the orchestrator asks it to run
one of its methods and waits for the answer.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import multiprocessing
import queue
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect

from app import protocol as p
from app.client import Backoff
from app.connection import ConnectError, client_context, open_link
from app.keys import DeviceKeys

CONNECT_CONCURRENCY = 100


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Delegate:
    #: How a frame is read: as the app's own client reads it (size, depth, typed validation).
    decode: Callable[[str | bytes], p.ServerMessage] = staticmethod(p.decode_server)

    def __init__(self, device_id: int, keys: DeviceKeys) -> None:
        self.device_id = device_id
        self.keys = keys
        self.arrivals: dict[int, float] = {}
        #: request id -> (when the reply was read, the reply: ok, a result, or an error)
        self.replies: dict[int, tuple[float, p.ServerMessage]] = {}
        self.session: p.Session | None = None
        self.ready = asyncio.Event()
        self.ws: ClientConnection | None = None
        self.last_event: p.Event | None = None
        #: Whether to keep ``last_event``: 2,000 delegates each holding a named poll's result
        #: (2,000 votes decoded, ~0.5 MB of objects) would hold a gigabyte.
        self.keeps_last_event = True
        self.task: asyncio.Future[None] | None = None
        self.seq: int | None = None
        self.tag = b""
        self.sessions = 0
        self.session_at = 0.0  # wall clock of the last session start (comparable across processes)
        self.stopping = False

    async def connect(self, port: int, room_id: bytes | None) -> None:
        """Room mode (``room_id`` given): pinned TLS, hello, signed auth resuming from ``seq``.
        Bare mode: a plain TLS WebSocket to the baseline server."""
        if room_id is None:
            self.ws = await connect(
                f"wss://127.0.0.1:{port}/ws",
                ssl=client_context(),
                compression=None,
                open_timeout=60,
            )
            self._session_started()
            self.ready.set()
            return
        link = await open_link(["127.0.0.1"], port, lambda rid: rid == room_id, timeout=60)
        self.ws = link.ws
        challenge = base64.b64decode(link.welcome.challenge)
        sig = self.keys.sign.sign(p.AUTH_CONTEXT + room_id + challenge)
        auth = p.Auth(
            id=0,
            device_id=self.device_id,
            signature=base64.b64encode(sig).decode(),
            since=self.seq,
            since_tag=self.tag or None,
        )
        await link.ws.send(p.encode(auth), text=True)

    def _session_started(self) -> None:
        self.sessions += 1
        self.session_at = time.time()

    async def stay(self, port: int, room_id: bytes | None) -> None:
        """Stay connected like the real client: on loss, wait a jittered backoff and resume."""
        backoff = Backoff()
        while not self.stopping:
            sessions = self.sessions
            try:
                await self.connect(port, room_id)
                await self.listen()
            except (OSError, TimeoutError, ConnectError, websockets.WebSocketException):
                pass
            if self.sessions > sessions:
                backoff.reset()
            if self.stopping:
                return
            await asyncio.sleep(backoff.next_delay())

    async def listen(self) -> None:
        assert self.ws is not None
        async for frame in self.ws:
            now = time.perf_counter()
            msg = self.decode(frame)
            if isinstance(msg, p.Session):
                self.session = msg
                self._session_started()
            elif isinstance(msg, p.Snapshot):
                self.seq, self.tag = msg.seq, msg.tag
                self.ready.set()
            elif isinstance(msg, p.Event):
                self.arrivals[msg.seq] = now
                self.seq, self.tag = msg.seq, msg.tag
                if self.keeps_last_event:
                    self.last_event = msg
            elif (rid := getattr(msg, "id", None)) is not None:
                self.replies[rid] = (now, msg)

    async def close(self) -> None:
        self.stopping = True
        if self.ws is not None:
            await self.ws.close()


async def connect_all(delegates: list[Delegate], port: int, room_id: bytes | None) -> float:
    """First connection of every delegate, at most CONNECT_CONCURRENCY handshakes at a time."""
    sem = asyncio.Semaphore(CONNECT_CONCURRENCY)
    t0 = time.perf_counter()

    async def one(d: Delegate) -> None:
        async with sem:
            d.task = asyncio.ensure_future(d.stay(port, room_id))
            await d.ready.wait()

    await asyncio.gather(*(one(d) for d in delegates))
    return time.perf_counter() - t0


# --------------------------------------------------------------------------- sides
# A side is built in its own process from a class and its arguments; ``setup()`` answers first,
# then each command names a method (sync or async) whose result is the answer (``{}`` for
# ``None``). ``close`` is asked before ``stop``.


def _side_main(factory: type, args: tuple[Any, ...], commands: Any, results: Any) -> None:
    raise_fd_limit()
    asyncio.run(_side_loop(factory, args, commands, results))


async def _side_loop(factory: type, args: tuple[Any, ...], commands: Any, results: Any) -> None:
    side = factory(*args)
    results.put(await side.setup())
    loop = asyncio.get_running_loop()
    while True:
        command, arg = await loop.run_in_executor(None, commands.get)
        if command == "stop":
            return
        answer = getattr(side, command)(*arg)
        if inspect.isawaitable(answer):
            answer = await answer
        results.put({} if answer is None else answer)


class SideProcess:
    """The orchestrator's handle on one side: ask, and wait for the answer (bounded)."""

    def __init__(self, factory: type, args: tuple[Any, ...]) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.commands: Any = ctx.Queue()
        self.results: Any = ctx.Queue()
        self.proc = ctx.Process(
            target=_side_main, args=(factory, args, self.commands, self.results), daemon=True
        )
        self.proc.start()

    def answer(self, timeout: float = 900) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                result: dict[str, Any] = self.results.get(timeout=2)
                return result
            except queue.Empty:
                if not self.proc.is_alive():
                    raise RuntimeError("a measuring process died") from None
        raise TimeoutError("a measuring process did not answer in time")

    def ask(self, command: str, *arg: Any) -> dict[str, Any]:
        self.commands.put((command, arg))
        return self.answer()

    def close(self) -> None:
        if self.proc.is_alive():
            self.ask("close")
            self.commands.put(("stop", ()))
            self.proc.join(30)
        if self.proc.is_alive():
            self.proc.kill()
