"""The render process protocol: what the reader and its page renderer say to each other.

A document is drawn by a process of its own (:mod:`app.render_worker`), never by the GUI: MuPDF
is not thread-safe and holds the GIL while it draws, so a page drawn on the GUI thread (or on a
thread beside it) would freeze the screen for as long as it takes, and a PDF that crashes MuPDF
would take the app down with it. The reader sends the decrypted bytes once through a pipe, then
asks for page images, search and the outline; everything comes back as messages on another
pipe, read by a thread of the reader and handed to the GUI thread as queued signals.

**Frames.** Both directions carry frames: 8 bytes (header length, body length: unsigned 32-bit
little-endian), a msgpack header (one of the messages below, tagged by type) and a raw body,
empty except for :class:`Open` (the PDF) and :class:`Image` (the pixels). Pixels are not put
inside msgpack so the 9 MB of a page image are copied once, from the pipe into their buffer.

**Lanes and superseding.** Page images are asked for by lane: ``view`` (what is on screen
now), ``ahead`` (the neighbouring pages, drawn before they are asked for) and ``thumbs`` (the
thumbnails in sight). A :class:`Render` replaces *everything still pending on its lane*: the
reader always sends the whole wish list of a lane, so a page turned past before it was drawn is
dropped, never drawn, and an empty list cancels the lane. A :class:`Search` replaces the search
under way, an empty query stops it, and a :class:`Locate` replaces the one not yet answered.
The renderer serves ``view`` first, then the hits to place on the page shown and the words of a
page asked for (:class:`Words`), then ``ahead``, then annotations to place again in a revision
(:class:`Anchor`, a slice of pages at a time), then its own background work (page sizes,
outline), then ``thumbs``, then search one page at a time, reading new requests between any two
steps.

**Documents.** Every message names the document it is about (``doc``, a number the reader
gives each :class:`Open`). A revised document is a new :class:`Open` to the same process;
whatever arrives afterwards about an older document is ignored by the reader.

**Pixels.** An :class:`Image` body is ``height`` rows of ``stride`` bytes, 4 bytes a pixel in
B, G, R, A order with A = 255: Qt's ``QImage.Format_RGB32`` on little-endian machines, drawn
without conversion. The watermark is already in the pixels (the renderer draws it), so nothing
the reader shows, or a screenshot takes, lacks it.

This module is Qt-free and does not import PyMuPDF: the reader imports it for the messages and
the frame codec without loading MuPDF into the GUI process.
"""

from __future__ import annotations

import mmap
import os
import struct
import sys
from collections.abc import Callable
from typing import Literal, Protocol

import msgspec

__all__ = [
    "MAX_BODY",
    "MAX_HEADER",
    "Anchor",
    "AnchorPlace",
    "AnchorQuote",
    "Anchored",
    "Body",
    "Export",
    "ExportNote",
    "Exported",
    "Failed",
    "FrameError",
    "FrameReader",
    "HitBoxes",
    "Image",
    "Job",
    "Lane",
    "Layout",
    "Locate",
    "Open",
    "Opened",
    "Outline",
    "OutlineEntry",
    "PageFailed",
    "PageWords",
    "Readable",
    "Render",
    "Reply",
    "Request",
    "Search",
    "SearchHits",
    "SearchProgress",
    "ShareBox",
    "Words",
    "encode_frame",
    "read_frame",
    "worker_command",
]

Lane = Literal["view", "ahead", "thumbs"]
LANES: tuple[Lane, ...] = ("view", "ahead", "thumbs")
"""The lanes in the order the renderer serves them."""

MAX_HEADER = 16 << 20
"""A header larger than this is a broken stream (the outline of a huge book is well under it)."""
MAX_BODY = 1 << 30
"""The largest PDF or image a frame may carry."""

_PREFIX = struct.Struct("<II")


class Job(msgspec.Struct, frozen=True, array_like=True):
    """One image to draw: ``page`` (from 0) ``width`` device pixels wide, or the ``tile``
    (x, y, width, height, in the pixels of that page image) of it; ``dark`` inverts it."""

    page: int
    width: int
    dark: bool = False
    tile: tuple[int, int, int, int] | None = None


# ---------------------------------------------------------------------------- reader -> renderer


class Open(msgspec.Struct, tag="open", frozen=True):
    """Open the PDF in the frame's body (dropping any document open before) as ``doc``; mark
    every image with ``watermark``; ``first_page`` is the page whose size :class:`Opened`
    carries, so the reader can lay it out before the other pages are measured."""

    doc: int
    watermark: str
    first_page: int = 0


class Render(msgspec.Struct, tag="render", frozen=True):
    """Replace what is pending on ``lane`` with ``jobs``, drawn in this order."""

    doc: int
    lane: Lane
    jobs: list[Job]


class Search(msgspec.Struct, tag="search", frozen=True):
    """Search the whole document for ``query``, from ``from_page`` on and round to it again,
    replacing any search under way (an empty query just stops it).

    Case never matters. A query typed without diacritics ignores them ("nghi quyet" finds
    "Nghị quyết"); a query with diacritics matches them ("nghị" does not find "nghỉ")."""

    doc: int
    query: str
    from_page: int = 0


class Locate(msgspec.Struct, tag="locate", frozen=True):
    """Where the hits of ``query`` are on ``page`` (replacing a location not yet answered).

    A search only counts the hits of each page, from the text it keeps; placing them takes
    the characters' boxes, which are read for the page shown only."""

    doc: int
    query: str
    page: int


class Words(msgspec.Struct, tag="words", frozen=True):
    """The words of ``page`` and their boxes, for selecting text to highlight (replacing a
    request not yet answered)."""

    doc: int
    page: int


class AnchorQuote(msgspec.Struct, frozen=True, array_like=True):
    """An annotation's text to find again (app/anchoring.py), named by ``key``."""

    key: bytes
    exact: str
    prefix: str = ""
    suffix: str = ""
    page: int = 0


class Anchor(msgspec.Struct, tag="anchor", frozen=True):
    """Where each quote is in this document (a revision of the one it was made on); replaces
    a request not yet answered."""

    doc: int
    quotes: list[AnchorQuote]


class ExportNote(msgspec.Struct, frozen=True, array_like=True):
    """One annotation to write into the exported copy, geometry in page shares (0…10,000):
    ``boxes`` as x, y, w, h; ``strokes`` x0, y0, x1, y1, …; ``point`` x, y."""

    kind: str
    page: int
    boxes: list[tuple[int, int, int, int]] = []
    strokes: list[list[int]] = []
    point: list[int] = []
    text: str = ""


class Export(msgspec.Struct, tag="export", frozen=True):
    """The delegate's annotated copy: the document with ``notes`` in it as PDF annotations,
    every page watermarked, answered with :class:`Exported`."""

    doc: int
    notes: list[ExportNote]


Request = Open | Render | Search | Locate | Words | Anchor | Export


# ---------------------------------------------------------------------------- renderer -> reader


class Opened(msgspec.Struct, tag="opened", frozen=True):
    """The document is open: ``pages`` pages, the first page asked for is ``size`` points
    (width, height, as displayed: rotation applied)."""

    doc: int
    pages: int
    size: tuple[float, float]


class Failed(msgspec.Struct, tag="failed", frozen=True):
    """The document cannot be shown: ``damaged`` (not a PDF MuPDF can read), ``locked`` (it
    needs a password) or ``empty`` (no pages)."""

    doc: int
    reason: Literal["damaged", "locked", "empty"]
    detail: str = ""


class Layout(msgspec.Struct, tag="layout", frozen=True):
    """The size in points of every page, measured after the first page is on screen."""

    doc: int
    sizes: list[tuple[float, float]]


class OutlineEntry(msgspec.Struct, frozen=True, array_like=True):
    """A line of the table of contents: its depth (from 1), title, page (from 0; -1 for a
    line that leads nowhere) and how far down the page it leads, in points from the top."""

    level: int
    title: str
    page: int
    y: float = 0.0


class Outline(msgspec.Struct, tag="outline", frozen=True):
    doc: int
    entries: list[OutlineEntry]


class Image(msgspec.Struct, tag="image", frozen=True):
    """The pixels of ``job`` in the body (see the module docstring): ``width`` x ``height``,
    the tile's size for a tile; ``page_height`` is the whole page image's height in pixels."""

    doc: int
    lane: Lane
    job: Job
    width: int
    height: int
    stride: int
    page_height: int


class PageFailed(msgspec.Struct, tag="pagefailed", frozen=True):
    """``job`` could not be drawn (a damaged page): the reader says so instead of waiting."""

    doc: int
    lane: Lane
    job: Job
    detail: str = ""


class SearchHits(msgspec.Struct, tag="hits", frozen=True):
    """``query`` is found ``count`` times on ``page`` (only pages with hits are reported)."""

    doc: int
    query: str
    page: int
    count: int


class HitBoxes(msgspec.Struct, tag="boxes", frozen=True):
    """The answer to :class:`Locate`: one or more rectangles in points per hit (a hit that
    runs across lines has one per line), in reading order."""

    doc: int
    query: str
    page: int
    hits: list[list[tuple[float, float, float, float]]]


class SearchProgress(msgspec.Struct, tag="progress", frozen=True):
    """``searched`` pages of the document have been searched for ``query``; ``done`` once all."""

    doc: int
    query: str
    searched: int
    done: bool = False


#: A rectangle in shares of the page (0…10,000): x0, y0, x1, y1.
ShareBox = tuple[int, int, int, int]


class PageWords(msgspec.Struct, tag="pagewords", frozen=True):
    """The answer to :class:`Words`: the page's words in reading order, each with its box and
    the line it is on. The page's text, for quoting, is the words joined by single spaces."""

    doc: int
    page: int
    words: list[str]
    boxes: list[ShareBox]
    lines: list[int]


class AnchorPlace(msgspec.Struct, frozen=True, array_like=True):
    """Where the quote ``key`` is now: its page (from 0) and boxes, one per line; ``page`` -1
    when it is not in this document. ``exact`` is False for an edited quote found close."""

    key: bytes
    page: int
    boxes: list[ShareBox] = []
    exact: bool = True


class Anchored(msgspec.Struct, tag="anchored", frozen=True):
    doc: int
    places: list[AnchorPlace]


class Exported(msgspec.Struct, tag="exported", frozen=True):
    """The annotated copy: ``length`` bytes of PDF in the frame's body."""

    doc: int
    length: int


Reply = (
    Exported
    | Opened
    | Failed
    | Layout
    | Outline
    | Image
    | PageFailed
    | SearchHits
    | SearchProgress
    | HitBoxes
    | PageWords
    | Anchored
)


def worker_command() -> list[str]:
    """How the reader starts a renderer: this interpreter, writing no bytecode (``-B``), told
    the reader's process id (it ends at once if that is not its parent any more)."""
    return [sys.executable, "-B", "-m", "app.render_worker", str(os.getpid())]


_encoder = msgspec.msgpack.Encoder()
_requests = msgspec.msgpack.Decoder(Request)
_replies = msgspec.msgpack.Decoder(Reply)


class FrameError(Exception):
    """The stream is not frames of this protocol (the other side is broken or gone mad)."""


def encode_frame(
    message: Request | Reply, body: bytes | memoryview = b""
) -> list[bytes | memoryview]:
    """The pieces of one frame, to be written in order (the body is not copied)."""
    header = _encoder.encode(message)
    return [_PREFIX.pack(len(header), len(body)), header, body]


Body = bytearray | mmap.mmap
"""Where a frame's body is read to."""


class Readable(Protocol):
    """An unbuffered binary stream (a pipe opened with ``bufsize=0``)."""

    def readinto(self, buffer: memoryview, /) -> int | None: ...


def _check_lengths(header: int, body: int) -> None:
    if header > MAX_HEADER or body > MAX_BODY:
        raise FrameError(f"frame too large: header {header}, body {body}")


def _read_into(stream: Readable, buffer: Body) -> bool:
    """Fill ``buffer`` from the stream; ``False`` at a clean end of stream (nothing read)."""
    view = memoryview(buffer)
    got = 0
    if not view:
        return True
    while got < len(view):
        n = stream.readinto(view[got:])
        if not n:
            if got == 0:
                return False
            raise FrameError("stream ended inside a frame")
        got += n
    return True


def read_frame(
    stream: Readable, allocate: Callable[[int], Body] = bytearray
) -> tuple[Reply, Body] | None:
    """The next reply frame from an unbuffered stream (blocking), ``None`` at its end.

    The reader's side: the body is read straight into a buffer from ``allocate`` (the image
    then draws from it, no copy), so the reader can choose memory that goes back to the
    system as soon as the image is dropped.
    """
    prefix = bytearray(_PREFIX.size)
    if not _read_into(stream, prefix):
        return None
    header_len, body_len = _PREFIX.unpack(prefix)
    _check_lengths(header_len, body_len)
    header = bytearray(header_len)
    body = allocate(body_len) if body_len else bytearray()
    for part in (header, body):
        if not _read_into(stream, part):
            raise FrameError("stream ended inside a frame")
    try:
        return _replies.decode(bytes(header)), body
    except msgspec.DecodeError as exc:
        raise FrameError(f"bad reply header: {exc}") from exc


class FrameReader:
    """Request frames cut from chunks as they come (the renderer's side).

    The renderer reads whatever the pipe holds in one go and hands all the requests in it to
    its scheduler at once, so a burst of requests written together supersedes itself before
    any of it is drawn.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> list[tuple[Request, bytes]]:
        self._buffer += chunk
        frames: list[tuple[Request, bytes]] = []
        while len(self._buffer) >= _PREFIX.size:
            header_len, body_len = _PREFIX.unpack_from(self._buffer)
            _check_lengths(header_len, body_len)
            end = _PREFIX.size + header_len + body_len
            if len(self._buffer) < end:
                break
            start = _PREFIX.size
            with memoryview(self._buffer) as view:
                header = bytes(view[start : start + header_len])
                body = bytes(view[start + header_len : end])
            del self._buffer[:end]
            try:
                frames.append((_requests.decode(header), body))
            except msgspec.DecodeError as exc:
                raise FrameError(f"bad request header: {exc}") from exc
        return frames

    def pending(self) -> int:
        """Bytes of an incomplete frame held (0 between frames)."""
        return len(self._buffer)
