"""The reader's side of the render process: start it, feed it, hear from it, restart it.

A :class:`RenderClient` owns one render process (:mod:`app.render_worker`) for one document.
Requests go out through a writer thread (the PDF alone is tens of megabytes; the GUI thread
never waits for the pipe), replies come back through a reader thread that reads each frame
straight into its buffer, makes the :class:`Picture` there, and hands it to the GUI thread as
a queued signal. Replies about an older document (before a revision, or from a process that
has since been replaced) are dropped here, so the views only ever see the current one.

**Start-up.** Importing PyMuPDF takes a fifth of a second, more than the whole budget for the
first page, so :func:`prepare` starts a spare process ahead of time; a client takes it (and
another is started a little later, once the first page is up) or, without one, starts its own.

**Crashes.** A render process that dies without being asked to (MuPDF crashing on a page, the
system killing it) is replaced and the document sent again; :attr:`RenderClient.restarted`
tells the views to ask again for what they show, and the reader to say what happened. A
document that keeps crashing its renderer (:data:`CRASH_LIMIT` times within
:data:`CRASH_WINDOW` seconds) is given up on: :attr:`RenderClient.gaveUp`.

**Closing.** :meth:`RenderClient.close` kills the process (it has nothing to save) and drops
the client's reference to the PDF; the threads end with the pipes.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import logging
import mmap
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from app import render as r

log = logging.getLogger("hemicycle.ui.reader")

CRASH_LIMIT = 3
CRASH_WINDOW = 60.0
#: A spare is started this long after one was taken: the first page of the document that took
#: it comes first (starting Python and MuPDF costs a core for a fifth of a second).
SPARE_DELAY_MS = 1500
#: Linux pipes hold 64 KiB by default; 1 MiB moves a page image in 9 system calls, not 140.
PIPE_SIZE = 1 << 20
_F_SETPIPE_SZ = 1031


@dataclass(frozen=True, eq=False)
class Picture:
    """An image from the renderer: the job it answers and the pixels, in the buffer they were
    read into (the QImage does not copy them, so the buffer is kept with it)."""

    doc: int
    lane: r.Lane
    job: r.Job
    image: QImage
    page_height: int
    _buffer: r.Body

    @property
    def nbytes(self) -> int:
        return len(self._buffer)


def _pixels(size: int) -> mmap.mmap:
    """Memory of its own for an image's pixels (an anonymous mapping: no file): it goes back to
    the system, and the page with it, as soon as the image is dropped, instead of staying in
    the heap for whatever is allocated next."""
    return mmap.mmap(-1, size)


def _picture(message: r.Image, body: r.Body) -> Picture:
    if len(body) < message.stride * message.height or message.stride < message.width * 4:
        raise r.FrameError(f"image body of {len(body)} bytes for {message}")
    pixels = memoryview(body)  # the QImage keeps it, and so the memory, alive
    image = QImage(
        pixels, message.width, message.height, message.stride, QImage.Format.Format_RGB32
    )
    return Picture(message.doc, message.lane, message.job, image, message.page_height, body)


@dataclass(frozen=True)
class ExportedCopy:
    """The annotated copy's PDF, out of its frame's body."""

    doc: int
    data: bytes


class _Relay(QObject):
    """Carries replies from a process's reader thread to the GUI thread (queued signals)."""

    reply = Signal(object)
    ended = Signal()


class _Process:
    """One render process, its writer thread, and (once attached) its reader thread."""

    def __init__(self) -> None:
        self.popen = subprocess.Popen(
            r.worker_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            close_fds=True,
        )
        assert self.popen.stdin is not None and self.popen.stdout is not None
        if sys.platform.startswith("linux"):
            for pipe in (self.popen.stdin, self.popen.stdout):
                with contextlib.suppress(OSError):
                    fcntl.fcntl(pipe.fileno(), _F_SETPIPE_SZ, PIPE_SIZE)
        self._outbox: queue.SimpleQueue[list[bytes | memoryview] | None] = queue.SimpleQueue()
        self._stopping = False
        self._relay: _Relay | None = None
        threading.Thread(target=self._write, name="render-requests", daemon=True).start()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def attach(self, relay: _Relay) -> None:
        """Start hearing replies (a spare is attached once, when a client takes it)."""
        self._relay = relay
        threading.Thread(target=self._read, name="render-replies", daemon=True).start()

    def send(self, message: r.Request, body: bytes = b"") -> None:
        self._outbox.put(r.encode_frame(message, body))

    def stop(self) -> None:
        """Kill the process; nothing it holds is worth waiting for. Its replies stop here."""
        self._stopping = True
        self._outbox.put(None)
        with contextlib.suppress(OSError):
            self.popen.kill()

    def _write(self) -> None:
        stdin = self.popen.stdin
        assert stdin is not None
        try:
            while (pieces := self._outbox.get()) is not None:
                for piece in pieces:
                    view = memoryview(piece)
                    while view:  # a pipe may take less than asked (a signal, a full pipe)
                        view = view[stdin.write(view) or 0 :]
        except OSError:
            pass  # the process is gone; the reader thread reports it
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _read(self) -> None:
        pipe = self.popen.stdout
        relay = self._relay
        assert pipe is not None and relay is not None
        stdout = cast(r.Readable, pipe)  # unbuffered: a FileIO
        try:
            while (frame := r.read_frame(stdout, _pixels)) is not None and not self._stopping:
                message, body = frame
                if isinstance(message, r.Image):
                    relay.reply.emit(_picture(message, body))
                elif isinstance(message, r.Exported):
                    relay.reply.emit(ExportedCopy(message.doc, bytes(body)))
                else:
                    relay.reply.emit(message)
        except (OSError, r.FrameError) as exc:
            if not self._stopping:
                log.warning("render process %d: %s", self.pid, exc)
        finally:
            with contextlib.suppress(OSError):
                pipe.close()
            self._outbox.put(None)
            with contextlib.suppress(OSError):
                self.popen.kill()
            self.popen.wait()
            if not self._stopping:
                with contextlib.suppress(RuntimeError):  # the client is gone already
                    relay.ended.emit()


class _Spares:
    """At most one process started ahead of time, for the next document (GUI thread only)."""

    def __init__(self) -> None:
        self._spare: _Process | None = None
        self.wanted = False
        self._timer: QTimer | None = None

    def prepare(self) -> None:
        self.wanted = True
        if self._spare is None or not self._spare.alive():
            self._spare = _Process()

    def take(self) -> _Process:
        spare, self._spare = self._spare, None
        if self.wanted:
            if self._timer is None:
                self._timer = QTimer()
                self._timer.setSingleShot(True)
                self._timer.timeout.connect(self._replenish)
            self._timer.start(SPARE_DELAY_MS)
        if spare is not None and spare.alive():
            return spare
        return _Process()

    def _replenish(self) -> None:
        if self.wanted:
            self.prepare()

    def shutdown(self) -> None:
        self.wanted = False
        if self._timer is not None:
            self._timer.stop()
        if self._spare is not None:
            self._spare.stop()
            self._spare.popen.wait()
            self._spare = None


_spares = _Spares()
atexit.register(_spares.shutdown)


def prepare() -> None:
    """Start a render process now, so the next document opens without waiting for one; from
    then on a new spare follows each one taken. Call it where documents will soon be read
    (the delegate app, once a meeting with documents is shown)."""
    _spares.prepare()


def shutdown() -> None:
    """Stop the spare and start no more (the application quits)."""
    _spares.shutdown()


class RenderClient(QObject):
    """One document in one render process, as signals (see the module docstring).

    Every signal carries the :mod:`app.render` message (or a :class:`Picture` for images) and
    only ever for the document currently open.
    """

    opened = Signal(object)  # r.Opened
    failed = Signal(object)  # r.Failed
    layout = Signal(object)  # r.Layout
    outline = Signal(object)  # r.Outline
    picture = Signal(object)  # Picture
    pageFailed = Signal(object)  # r.PageFailed
    hits = Signal(object)  # r.SearchHits
    progress = Signal(object)  # r.SearchProgress
    boxes = Signal(object)  # r.HitBoxes
    pageWords = Signal(object)  # r.PageWords
    anchored = Signal(object)  # r.Anchored
    exported = Signal(bytes)  # the annotated copy (r.Export)
    restarted = Signal()
    gaveUp = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: _Process | None = None
        self._relay: _Relay | None = None
        self._pdf: bytes | None = None
        self._watermark = ""
        self._first_page = 0
        self._doc = 0
        self._crashes: list[float] = []
        self._routes: dict[type, Callable[[Any], None]] = {
            r.Opened: self.opened.emit,
            r.Failed: self.failed.emit,
            r.Layout: self.layout.emit,
            r.Outline: self.outline.emit,
            Picture: self.picture.emit,
            r.PageFailed: self.pageFailed.emit,
            r.SearchHits: self.hits.emit,
            r.SearchProgress: self.progress.emit,
            r.HitBoxes: self.boxes.emit,
            r.PageWords: self.pageWords.emit,
            r.Anchored: self.anchored.emit,
            ExportedCopy: lambda copy: self.exported.emit(copy.data),
        }

    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def open(self, pdf: bytes, watermark: str, first_page: int = 0) -> None:
        """Show ``pdf`` (replacing what was open), marked with ``watermark``."""
        self._pdf, self._watermark, self._first_page = pdf, watermark, first_page
        if self._process is None:
            self._start()
        self._send_open()

    def _start(self) -> None:
        self._process = _spares.take()
        self._relay = _Relay()
        self._relay.reply.connect(self._on_reply)
        self._relay.ended.connect(self._on_ended)
        self._process.attach(self._relay)

    def _send_open(self) -> None:
        assert self._process is not None and self._pdf is not None
        self._doc += 1
        self._process.send(r.Open(self._doc, self._watermark, self._first_page), self._pdf)

    def render(self, lane: r.Lane, jobs: list[r.Job]) -> None:
        if self._process is not None:
            self._process.send(r.Render(self._doc, lane, jobs))

    def search(self, query: str, from_page: int = 0) -> None:
        if self._process is not None:
            self._process.send(r.Search(self._doc, query, from_page))

    def locate(self, query: str, page: int) -> None:
        if self._process is not None:
            self._process.send(r.Locate(self._doc, query, page))

    def words(self, page: int) -> None:
        if self._process is not None:
            self._process.send(r.Words(self._doc, page))

    def anchor(self, quotes: list[r.AnchorQuote]) -> None:
        if self._process is not None:
            self._process.send(r.Anchor(self._doc, quotes))

    def export(self, notes: list[r.ExportNote]) -> None:
        if self._process is not None:
            self._process.send(r.Export(self._doc, notes))

    def set_first_page(self, page: int) -> None:
        """The page a restart reopens on (the one read now)."""
        self._first_page = page

    def close(self) -> None:
        """Stop the process and forget the document; nothing more is emitted."""
        self._pdf = None
        if self._process is not None:
            self._process.stop()
        self._detach()

    def _detach(self) -> None:
        if self._relay is not None:
            self._relay.reply.disconnect(self._on_reply)
            self._relay.ended.disconnect(self._on_ended)
            self._relay = None
        self._process = None

    def _on_reply(self, message: Any) -> None:
        if message.doc == self._doc:
            self._routes[type(message)](message)

    def _on_ended(self) -> None:
        """The process died on its own: start another and send the document again."""
        if self._process is None or self._pdf is None:
            return
        log.warning("render process %d ended; restarting it", self._process.pid)
        now = time.monotonic()
        self._crashes = [t for t in self._crashes if now - t < CRASH_WINDOW] + [now]
        self._detach()
        if len(self._crashes) >= CRASH_LIMIT:
            self._pdf = None
            self.gaveUp.emit()
            return
        self._start()
        self._send_open()
        self.restarted.emit()
