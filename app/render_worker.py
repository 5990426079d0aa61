"""The page renderer: a process of its own that holds one decrypted PDF and draws it.

Started by the reader as ``python -B -m app.render_worker PID`` (the reader's process id) with
pipes for stdin and stdout; it speaks :mod:`app.render` on them, and dies when its stdin closes
or the reader dies. Nothing here touches the disk: PyMuPDF opens the bytes from memory, images
leave through the pipe, the process may not dump core (a core file would hold the plaintext)
and cannot be inspected by other processes of the same user (Linux); ``-B`` keeps Python from
writing bytecode.

Two threads. One reads the pipe and hands every request it finds to the :class:`Scheduler`
at once, the other (the main thread) takes the most urgent step, does it, and writes what it
produced. MuPDF holds the GIL while it draws, so requests are read between two steps; a step
is kept short (one page image or tile, one page searched, a slice of the page sizes) so a new
request waits at most that long.

What it keeps: the display lists of the pages drawn last (drawing a page again, at another
zoom, as a tile or as its thumbnail, skips parsing it), one watermark display list per page
size, and the text of the pages searched, normalised as searches compare it: a search counts
the hits of every page from that text (a second search reads no page at all), and only the page
shown is read again for the boxes of its hits.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from app import anchoring
from app import render as r
from app.resources import fonts_dir
from app.textfold import fold

__all__ = ["DISPLAY_LISTS", "Renderer", "Scheduler", "main", "normalizer"]

DISPLAY_LISTS = 24
"""Display lists kept: the pages around the one read, and the thumbnails in sight."""

LAYOUT_SLICE = 64
"""Pages measured per step of the layout (~5 ms), so a page turn never waits behind it."""

PROGRESS_EVERY = 0.25
"""Seconds between two search progress reports."""

WATERMARK_FONT = "NotoSans-Regular.ttf"
#: The watermark's letters are a 24th of the page's narrow side, but never taller than this in
#: device pixels: zoomed in, the rows stay as close together on screen as at fit width, so any
#: part of a page on screen (or in a screenshot) carries the whole name.
MARK_MAX_PIXELS = 56
#: Watermark display lists kept (one per page size, zoom past the cap and paper colour).
MARKS_KEPT = 32


# ---------------------------------------------------------------------------- scheduling


@dataclass
class OpenStep:
    message: r.Open
    body: bytes


@dataclass
class DrawStep:
    doc: int
    lane: r.Lane
    job: r.Job


@dataclass
class BackgroundStep:
    doc: int


@dataclass
class SearchStep:
    search: r.Search


@dataclass
class LocateStep:
    locate: r.Locate


@dataclass
class WordsStep:
    words: r.Words


@dataclass
class AnchorStep:
    anchor: r.Anchor


@dataclass
class ExportStep:
    export: r.Export


Step = (
    OpenStep
    | DrawStep
    | BackgroundStep
    | SearchStep
    | LocateStep
    | WordsStep
    | AnchorStep
    | ExportStep
)


@dataclass
class Scheduler:
    """What is to be done, and in which order (thread-safe; no MuPDF here).

    Order: a pending :class:`~app.render.Open`, then the ``view`` lane, the hits to place
    (:class:`~app.render.Locate`), the ``ahead`` lane, the background work of the document
    (its page sizes and outline: only once a ``view`` image was taken, so it never delays the
    first page), the ``thumbs`` lane, and the search last. A request for another document
    than the last opened is dropped.
    """

    _lanes: dict[r.Lane, collections.deque[r.Job]] = field(
        default_factory=lambda: {lane: collections.deque() for lane in r.LANES}
    )
    _open: OpenStep | None = None
    _doc: int | None = None
    _background: bool = False
    _viewed: bool = False
    _search: r.Search | None = None
    _locate: r.Locate | None = None
    _words: r.Words | None = None
    _anchor: r.Anchor | None = None
    _export: r.Export | None = None
    _closed: bool = False
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def put(self, requests: list[tuple[r.Request, bytes]]) -> None:
        """Take every request of one read at once (the reader thread)."""
        with self._cond:
            for message, body in requests:
                self._apply(message, body)
            self._cond.notify()

    def _apply(self, message: r.Request, body: bytes) -> None:
        if isinstance(message, r.Open):
            self._open = OpenStep(message, body)
            self._doc = message.doc
            for jobs in self._lanes.values():
                jobs.clear()
            self._background = True
            self._viewed = False
            self._search = None
            self._locate = None
            self._words = None
            self._anchor = None
            self._export = None
        elif message.doc != self._doc:
            return
        elif isinstance(message, r.Render):
            self._lanes[message.lane] = collections.deque(message.jobs)
        elif isinstance(message, r.Locate):
            self._locate = message
        elif isinstance(message, r.Words):
            self._words = message
        elif isinstance(message, r.Anchor):
            self._anchor = message
        elif isinstance(message, r.Export):
            self._export = message
        else:
            self._search = message if message.query else None

    def close(self) -> None:
        """The input ended: :meth:`take` returns ``None`` from now on."""
        with self._cond:
            self._closed = True
            self._cond.notify()

    def take(self, timeout: float | None = None) -> Step | None:
        """The next step, waiting for one; ``None`` once closed (or after ``timeout``)."""
        with self._cond:
            while not self._closed:
                step = self._next()
                if step is not None:
                    return step
                if not self._cond.wait(timeout):
                    return None
            return None

    def _next(self) -> Step | None:
        if self._open is not None:
            opening, self._open = self._open, None
            return opening
        if self._doc is None:
            return None
        for lane in r.LANES:
            if lane == "ahead" and self._locate is not None:
                locate, self._locate = self._locate, None
                return LocateStep(locate)
            if lane == "ahead" and self._words is not None:
                words, self._words = self._words, None
                return WordsStep(words)
            if lane == "thumbs" and self._export is not None:
                export, self._export = self._export, None
                return ExportStep(export)
            if lane == "thumbs" and self._anchor is not None and self._viewed:
                return AnchorStep(self._anchor)
            if lane == "thumbs" and self._background and self._viewed:
                return BackgroundStep(self._doc)
            jobs = self._lanes[lane]
            if jobs:
                self._viewed = self._viewed or lane == "view"
                return DrawStep(self._doc, lane, jobs.popleft())
        if self._search is not None:
            return SearchStep(self._search)
        return None

    def background_done(self, doc: int) -> None:
        with self._cond:
            if doc == self._doc:
                self._background = False

    def anchor_done(self, anchor: r.Anchor) -> None:
        with self._cond:
            if self._anchor is anchor:
                self._anchor = None

    def search_done(self, search: r.Search) -> None:
        with self._cond:
            if self._search is search:
                self._search = None

    def pending(self, lane: r.Lane) -> list[r.Job]:
        """The jobs still to draw on ``lane`` (for tests)."""
        with self._cond:
            return list(self._lanes[lane])


# ---------------------------------------------------------------------------- search text


def _exact(text: str) -> str:
    return unicodedata.normalize("NFD", text).casefold()


def normalizer(query: str) -> Callable[[str], str]:
    """How ``query`` and the text it is looked for in are compared: case-insensitively
    always, and without diacritics unless the query has some (see :class:`app.render.Search`).

    Both forms work character by character (decomposed, so a PDF that stores "ệ" as "e" and
    two marks matches one that stores it whole), which lets a hit found in the normalised text
    be traced back to the characters on the page.
    """
    return _exact if fold(query) != _exact(query) else fold


def _squeeze(text: str) -> str:
    """Whitespace runs as one space: a phrase matches across a line break."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------- drawing


class Output:
    """Frames written to the reader; :meth:`write` raises ``BrokenPipeError`` once it is gone."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def write(self, message: r.Reply, body: bytes | memoryview = b"") -> None:
        for piece in r.encode_frame(message, body):
            view = memoryview(piece)
            while view:
                view = view[os.write(self._fd, view) :]


@dataclass
class _Page:
    display_list: Any
    width: float
    height: float


class Renderer:
    """One open document and everything drawn from it (the main thread only)."""

    def __init__(self, pymupdf: ModuleType, output: Output, scheduler: Scheduler) -> None:
        self._fitz = pymupdf
        self._mupdf = pymupdf.mupdf
        self._out = output
        self._scheduler = scheduler
        self._font = pymupdf.Font(fontfile=str(fonts_dir() / WATERMARK_FONT))
        self._document: Any = None
        self._doc = -1
        self._watermark = ""
        self._pages: collections.OrderedDict[int, _Page] = collections.OrderedDict()
        self._marks: dict[tuple[int, int, float, bool], Any] = {}
        self._texts: dict[int, str] = {}
        self._normal: dict[tuple[Callable[[str], str], int], str] = {}
        self._background: Iterator[None] | None = None
        self._search: tuple[r.Search, Iterator[None]] | None = None
        self._anchoring: tuple[r.Anchor, Iterator[None]] | None = None

    # -- steps

    def run(self, step: Step) -> None:
        if isinstance(step, OpenStep):
            self.open(step.message, step.body)
        elif isinstance(step, DrawStep):
            self.draw(step.lane, step.job)
        elif isinstance(step, LocateStep):
            self.locate(step.locate)
        elif isinstance(step, WordsStep):
            self.words(step.words)
        elif isinstance(step, ExportStep):
            self.export(step.export)
        elif isinstance(step, AnchorStep):
            if self._anchoring is None or self._anchoring[0] is not step.anchor:
                self._anchoring = (step.anchor, self._placing(step.anchor))
            if next(self._anchoring[1], StopIteration) is StopIteration:
                self._anchoring = None
                self._scheduler.anchor_done(step.anchor)
        elif isinstance(step, BackgroundStep):
            if self._background is None:
                self._background = self._measure_and_outline()
            if next(self._background, StopIteration) is StopIteration:
                self._background = None
                self._scheduler.background_done(step.doc)
        else:
            if self._search is None or self._search[0] is not step.search:
                self._search = (step.search, self._searching(step.search))
            if next(self._search[1], StopIteration) is StopIteration:
                self._search = None
                self._scheduler.search_done(step.search)

    def open(self, message: r.Open, body: bytes) -> None:
        self._pages.clear()
        self._marks.clear()
        self._texts.clear()
        self._normal.clear()
        if self._document is not None:
            self._document.close()
        self._document = None
        self._background = None
        self._search = None
        self._anchoring = None
        self._doc = message.doc
        self._watermark = message.watermark
        try:
            document = self._fitz.Document(stream=body, filetype="pdf")
        except Exception as exc:
            self._out.write(r.Failed(message.doc, "damaged", str(exc)))
            return
        if document.needs_pass:
            self._out.write(r.Failed(message.doc, "locked"))
            return
        if document.page_count == 0:
            self._out.write(r.Failed(message.doc, "empty"))
            return
        self._document = document
        first = min(max(message.first_page, 0), document.page_count - 1)
        try:
            size = self._page(first)
        except Exception as exc:
            self._document = None
            self._out.write(r.Failed(message.doc, "damaged", str(exc)))
            return
        self._out.write(r.Opened(message.doc, document.page_count, (size.width, size.height)))

    def _page(self, number: int) -> _Page:
        """The page's display list, parsed once and kept while it is among the last used."""
        page = self._pages.get(number)
        if page is None:
            loaded = self._document.load_page(number)
            rect = loaded.rect
            page = _Page(loaded.get_displaylist(), rect.width, rect.height)
            self._pages[number] = page
            while len(self._pages) > DISPLAY_LISTS:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def draw(self, lane: r.Lane, job: r.Job) -> None:
        if self._document is None or not 0 <= job.page < self._document.page_count:
            return
        try:
            pixmap, page_height = self.pixmap(job)
        except Exception as exc:
            self._out.write(r.PageFailed(self._doc, lane, job, str(exc)))
            return
        m = self._mupdf
        image = r.Image(
            self._doc,
            lane,
            job,
            width=m.fz_pixmap_width(pixmap),
            height=m.fz_pixmap_height(pixmap),
            stride=m.fz_pixmap_stride(pixmap),
            page_height=page_height,
        )
        self._out.write(image, m.fz_pixmap_samples_memoryview(pixmap))

    def pixmap(self, job: r.Job) -> tuple[Any, int]:
        """``job`` drawn, the watermark on top, and the height of the whole page image.

        Dark pages are inverted in luminance (black paper, white ink, hues kept) before the
        watermark is drawn, so the watermark stays as visible on either.
        """
        m = self._mupdf
        page = self._page(job.page)
        zoom = job.width / page.width
        page_height = max(1, round(page.height * zoom))
        box = m.FzIrect(0, 0, job.width, page_height)
        if job.tile is not None:
            x, y, w, h = job.tile
            box = m.fz_intersect_irect(box, m.FzIrect(x, y, x + w, y + h))
            if m.fz_is_empty_irect(box):
                raise ValueError(f"tile {job.tile} is outside the page")
        ctm = m.FzMatrix(zoom, 0, 0, zoom, 0, 0)
        pixmap = m.fz_new_pixmap_with_bbox(m.fz_device_bgr(), box, m.FzSeparations(), 1)
        m.fz_clear_pixmap_with_value(pixmap, 255)
        self._run(page.display_list.this, pixmap, ctm)
        if job.dark:
            m.fz_invert_pixmap_luminance(pixmap)
        size = min(min(page.width, page.height) / 24, MARK_MAX_PIXELS / zoom)
        self._run(self._mark(page.width, page.height, size, job.dark), pixmap, ctm)
        return pixmap, page_height

    def _run(self, display_list: Any, pixmap: Any, ctm: Any) -> None:
        m = self._mupdf
        device = m.fz_new_draw_device(m.FzMatrix(), pixmap)
        try:
            m.fz_run_display_list(
                display_list, device, ctm, m.FzRect(m.FzRect.Fixed_INFINITE), m.FzCookie()
            )
        finally:
            m.fz_close_device(device)

    def _mark(self, width: float, height: float, size: float, dark: bool) -> Any:
        """The watermark for a page of this size, in letters ``size`` points high: the
        delegate's name and number in rows across the page at an angle, in Noto Sans (every
        Vietnamese diacritic), light enough to read through and big enough to be seen on a
        thumbnail. Tiles of one zoom share it, so its rows run on from one tile to the next."""
        key = (round(width), round(height), round(size, 2), dark)
        mark = self._marks.get(key)
        if mark is None:
            if len(self._marks) >= MARKS_KEPT:
                self._marks.clear()
            scratch = self._fitz.open()
            page = scratch.new_page(width=width, height=height)
            self._write_mark(page, size, dark)
            mark = page.get_displaylist().this
            self._marks[key] = mark
        return mark

    def _write_mark(self, page: Any, size: float, dark: bool) -> None:
        """Write the watermark onto ``page`` (see :meth:`_mark`)."""
        fitz = self._fitz
        width, height = page.rect.width, page.rect.height
        length = self._font.text_length(self._watermark, size) + 3 * size
        reach = (width**2 + height**2) ** 0.5
        writer = fitz.TextWriter(page.rect)
        centre = fitz.Point(width / 2, height / 2)
        row = 0
        y = centre.y - reach / 2
        while y < centre.y + reach / 2:
            x = centre.x - reach / 2 - (length / 2 if row % 2 else 0)
            while x < centre.x + reach / 2:
                writer.append(fitz.Point(x, y), self._watermark, font=self._font, fontsize=size)
                x += length
            y += size * 4.5
            row += 1
        # as plain on black paper as on white: light ink shows less on black, so more of it
        colour, opacity = ((0.66, 0.76, 1.0), 0.28) if dark else ((0.12, 0.25, 0.55), 0.2)
        writer.write_text(page, color=colour, opacity=opacity, morph=(centre, fitz.Matrix(-30)))

    # -- the delegate's annotated copy

    def export(self, message: r.Export) -> None:
        """The document with the delegate's annotations in it as PDF annotations, every page
        watermarked, as one PDF in the reply's body (the delegate saves it)."""
        if self._document is None:
            return
        fitz = self._fitz
        out = fitz.open()
        out.insert_pdf(self._document)
        marks: list[list[Any]] = []
        for note in message.notes:
            if not 0 <= note.page < out.page_count:
                continue
            page = out[note.page]
            w, h = page.rect.width / 10_000, page.rect.height / 10_000
            if note.kind == "highlight" and note.boxes:
                page.add_highlight_annot(
                    [
                        fitz.Rect(x * w, y * h, (x + bw) * w, (y + bh) * h)
                        for x, y, bw, bh in note.boxes
                    ]
                )
            elif note.kind == "ink" and note.strokes:
                strokes = [
                    [(s[i] * w, s[i + 1] * h) for i in range(0, len(s) - 1, 2)]
                    for s in note.strokes
                ]
                page.add_ink_annot(strokes)
            elif note.kind == "note" and len(note.point) == 2:
                point = fitz.Point(note.point[0] * w, note.point[1] * h)
                page.add_text_annot(point, note.text, icon="Note")
            elif note.kind == "bookmark":
                marks.append([1, note.text or f"{note.page + 1}", note.page + 1])
        for page in out:
            self._write_mark(page, min(page.rect.width, page.rect.height) / 24, False)
        if marks:
            out.set_toc(sorted(marks, key=lambda m: m[2]))
        data = out.tobytes(garbage=3, deflate=True)
        out.close()
        self._out.write(r.Exported(self._doc, len(data)), data)

    # -- background work: page sizes, then the outline

    def _measure_and_outline(self) -> Iterator[None]:
        document, doc = self._document, self._doc
        if document is None:
            return
        sizes: list[tuple[float, float]] = []
        for start in range(0, document.page_count, LAYOUT_SLICE):
            for number in range(start, min(start + LAYOUT_SLICE, document.page_count)):
                try:
                    rect = document.load_page(number).rect
                    sizes.append((rect.width, rect.height))
                except Exception:
                    sizes.append(sizes[-1] if sizes else (595.0, 842.0))
            yield
        self._out.write(r.Layout(doc, sizes))
        yield
        entries: list[r.OutlineEntry] = []
        try:
            toc = document.get_toc(simple=False)
        except Exception:
            toc = []
        for level, title, page, dest in toc:
            point = dest.get("to") if isinstance(dest, dict) else None
            entries.append(
                r.OutlineEntry(level, title, page - 1, float(point.y) if point is not None else 0)
            )
        self._out.write(r.Outline(doc, entries))

    # -- search

    def _searching(self, search: r.Search) -> Iterator[None]:
        document, doc = self._document, self._doc
        if document is None:
            return
        norm = normalizer(search.query)
        needle = _squeeze(norm(search.query))
        pages = document.page_count
        start = min(max(search.from_page, 0), pages - 1)
        reported = time.monotonic()
        order = [*range(start, pages), *range(0, start)]
        for searched, number in enumerate(order, start=1):
            count = self._count_on(number, needle, norm)
            if count:
                self._out.write(r.SearchHits(doc, search.query, number, count))
            now = time.monotonic()
            if now - reported > PROGRESS_EVERY:
                reported = now
                self._out.write(r.SearchProgress(doc, search.query, searched))
            yield
        self._out.write(r.SearchProgress(doc, search.query, pages, done=True))

    def _count_on(self, number: int, needle: str, norm: Callable[[str], str]) -> int:
        """How many times ``needle`` is on the page, from its text: read once, kept in the
        two forms searches compare (see :func:`normalizer`)."""
        normal = self._normal.get((norm, number))
        if normal is None:
            text = self._texts.get(number)
            if text is None:
                try:
                    text = self._textpage(number).extractText()
                except Exception:
                    text = ""
                self._texts[number] = text
            normal = self._normal[(norm, number)] = _squeeze(norm(text))
        return normal.count(needle) if needle else 0

    def locate(self, locate: r.Locate) -> None:
        if self._document is None or not 0 <= locate.page < self._document.page_count:
            return
        norm = normalizer(locate.query)
        needle = _squeeze(norm(locate.query))
        try:
            raw = self._textpage(locate.page).extractRAWDICT() if needle else {}
        except Exception:
            raw = {}
        hits = _place(raw, needle, norm) if needle else []
        self._out.write(r.HitBoxes(self._doc, locate.query, locate.page, hits))

    # -- words and annotations

    def _words_of(self, number: int) -> tuple[list[str], list[r.ShareBox], list[int]]:
        """The page's words (white space inside one squeezed), their boxes in shares of the
        page, and the line each is on."""
        try:
            raw = self._textpage(number).extractWORDS()
            page = self._page(number)
        except Exception:
            return [], [], []
        sx, sy = 10_000 / max(page.width, 1.0), 10_000 / max(page.height, 1.0)
        words: list[str] = []
        boxes: list[r.ShareBox] = []
        lines: list[int] = []
        for x0, y0, x1, y1, text, block, line, _n in raw:
            word = _squeeze(text)
            if not word:
                continue
            words.append(word)
            boxes.append((_share(x0 * sx), _share(y0 * sy), _share(x1 * sx), _share(y1 * sy)))
            lines.append(block * 10_000 + line)
        return words, boxes, lines

    def words(self, message: r.Words) -> None:
        if self._document is None or not 0 <= message.page < self._document.page_count:
            return
        words, boxes, lines = self._words_of(message.page)
        self._out.write(r.PageWords(self._doc, message.page, words, boxes, lines))

    def _placing(self, message: r.Anchor) -> Iterator[None]:
        """Each quote found again in this document, a slice of pages read between requests."""
        document, doc = self._document, self._doc
        if document is None:
            return
        texts: list[str] = []
        for start in range(0, document.page_count, LAYOUT_SLICE):
            for number in range(start, min(start + LAYOUT_SLICE, document.page_count)):
                texts.append(" ".join(self._words_of(number)[0]))
            yield
        found = anchoring.Document(texts)
        places: list[r.AnchorPlace] = []
        for quote in message.quotes:
            place = anchoring.locate(
                anchoring.Quote(quote.exact, quote.prefix, quote.suffix, quote.page), found
            )
            if place is None:
                places.append(r.AnchorPlace(quote.key, -1))
                continue
            words, boxes, lines = self._words_of(place.page)
            places.append(
                r.AnchorPlace(
                    quote.key,
                    place.page,
                    span_boxes(words, boxes, lines, place.start, place.end),
                    place.exact,
                )
            )
        self._out.write(r.Anchored(doc, places))

    def _textpage(self, number: int) -> Any:
        flags = self._fitz.TEXT_PRESERVE_LIGATURES | self._fitz.TEXT_MEDIABOX_CLIP
        page = self._pages.get(number)
        if page is not None:
            return self._fitz.TextPage(page.display_list.get_textpage(flags))
        return self._document.load_page(number).get_textpage(flags=flags)


def _share(value: float) -> int:
    return min(10_000, max(0, round(value)))


def span_boxes(
    words: list[str], boxes: list[r.ShareBox], lines: list[int], start: int, end: int
) -> list[r.ShareBox]:
    """The boxes, one per line, of the words that ``[start, end)`` of the page's text (the
    words joined by single spaces) covers."""
    out: dict[int, list[int]] = {}
    at = 0
    for word, box, line in zip(words, boxes, lines, strict=True):
        if at < end and at + len(word) > start:
            merged = out.setdefault(line, list(box))
            merged[0], merged[1] = min(merged[0], box[0]), min(merged[1], box[1])
            merged[2], merged[3] = max(merged[2], box[2]), max(merged[3], box[3])
        at += len(word) + 1
    return [(b[0], b[1], b[2], b[3]) for b in out.values()]


def _place(
    raw: dict[str, Any], needle: str, norm: Callable[[str], str]
) -> list[list[tuple[float, float, float, float]]]:
    """The rectangles of every occurrence of ``needle`` in a page's characters: the text is
    normalised a character at a time, remembering which character each normalised one came
    from, so a hit maps back to the boxes of the characters it covers (one box per line)."""
    chars: list[tuple[int, tuple[float, float, float, float]]] = []  # (line, bbox)
    folded: list[str] = []
    owner: list[int] = []
    line_no = 0

    def add(text: str, index: int) -> None:
        for c in text:
            if c.isspace():
                if folded and folded[-1] != " ":
                    folded.append(" ")
                    owner.append(-1)
            else:
                folded.append(c)
                owner.append(index)

    for block in raw.get("blocks", ()):
        for line in block.get("lines", ()):
            line_no += 1
            for span in line.get("spans", ()):
                for char in span.get("chars", ()):
                    chars.append((line_no, tuple(char["bbox"])))
                    add(norm(char["c"]), len(chars) - 1)
            add(" ", -1)
    haystack = "".join(folded)
    hits: list[list[tuple[float, float, float, float]]] = []
    at = haystack.find(needle)
    while at >= 0:
        covered = sorted({i for i in owner[at : at + len(needle)] if i >= 0})
        boxes: dict[int, list[float]] = {}
        for i in covered:
            line, (x0, y0, x1, y1) = chars[i]
            box = boxes.setdefault(line, [x0, y0, x1, y1])
            box[0], box[1] = min(box[0], x0), min(box[1], y0)
            box[2], box[3] = max(box[2], x1), max(box[3], y1)
        if boxes:
            hits.append([(b[0], b[1], b[2], b[3]) for b in boxes.values()])
        at = haystack.find(needle, at + max(1, len(needle)))
    return hits


# ---------------------------------------------------------------------------- the process


def _harden(reader: int | None) -> None:
    """No core dump (it would hold the plaintext), no inspection by other processes of the
    user, and death with the ``reader`` process even if it could not close the pipe (Linux)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig, pr_set_dumpable = 1, 4
        libc.prctl(pr_set_dumpable, 0, 0, 0, 0)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if reader is not None and os.getppid() != reader:  # it died before we asked
            os._exit(0)


def load_pymupdf() -> ModuleType:
    """PyMuPDF without the layout-analysis and LLM add-ons it imports when installed: they
    are never used here and would triple the start-up time and the memory (numpy, onnx)."""
    for addon in ("pymupdf.layout", "pymupdf4llm"):
        sys.modules.setdefault(addon, None)  # type: ignore[arg-type]
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)  # type: ignore[no-untyped-call]
    pymupdf.TOOLS.mupdf_display_warnings(False)  # type: ignore[no-untyped-call]
    return pymupdf


def _read_requests(fd: int, scheduler: Scheduler) -> None:
    reader = r.FrameReader()
    try:
        while chunk := os.read(fd, 1 << 20):
            frames = reader.feed(chunk)
            if frames:
                scheduler.put(frames)
    except (OSError, r.FrameError):
        pass
    finally:
        scheduler.close()


def main() -> None:
    _harden(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    # The protocol owns the real stdout; anything else printed (by MuPDF or Python) goes to
    # stderr instead of into the frames.
    out_fd = os.dup(1)
    os.dup2(2, 1)
    pymupdf = load_pymupdf()
    scheduler = Scheduler()
    renderer = Renderer(pymupdf, Output(out_fd), scheduler)
    threading.Thread(
        target=_read_requests, args=(0, scheduler), name="requests", daemon=True
    ).start()
    with contextlib.suppress(BrokenPipeError):
        while (step := scheduler.take()) is not None:
            renderer.run(step)
            time.sleep(0)  # let the request thread hand over what came in meanwhile
    os._exit(0)


if __name__ == "__main__":
    main()
