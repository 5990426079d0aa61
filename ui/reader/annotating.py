"""Writing on the page: highlights, ink, notes and bookmarks drawn over the reader's page, and
annotations placed again when a revised version opens.

The :class:`Annotator` sits beside a :class:`~ui.reader.pageview.PageView`: it paints the
records of the page shown (an overlay of the view) and, while a tool is chosen, takes the
pointer on the page (an event filter on the view's viewport):

* **Highlight**: press on a word and drag; the words between are selected from the page's words
  (asked of the render process for each page shown) and kept with their boxes and the text they
  quote, with context (app/anchoring.py), so the highlight can be found again in a revision.
* **Pen**: free-hand ink in page shares. A pen (a tablet event) always writes; a finger writes
  only until a pen has been seen — from then on a touch is a palm resting on the glass and is
  ignored. Strokes made close together in time belong to one ink annotation.
* **Note**: a tap places a note where it was made; ``noteRequested`` asks the window for its
  text. A tap on a note's mark, with any tool, opens it again.

Nothing here writes files or talks to the room: each record made or changed is handed to
``edit`` (the bridge keeps it in the notebook, off the GUI thread, and syncs it) and shown at
once. While the delegate is writing — a stroke or a selection under way, a note open, or the
last stroke less than :data:`WRITING_PAUSE_MS` ago — :meth:`busy` is true, and a presenter being
followed does not move the page under the pen (ui/delegate/follow.py).

When the document opens in a later version than records were made on, their quotes are sent to
the render process (:class:`~app.render.Anchor`) and each is moved to where its text is now, or
marked orphaned: listed with its quote, never dropped.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Callable, Sequence

import msgspec
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPointerEvent,
    QTabletEvent,
)

from app import annotations as a
from app import protocol as p
from app import render as r
from app.anchoring import Quote, quote_at
from ui.reader.pageview import PageView
from ui.reader.renderer import RenderClient

SHARES = 10_000
#: A pause in writing shorter than this keeps the writer busy (and the strokes one annotation).
WRITING_PAUSE_MS = 4_000
#: Ink points closer than this (page shares) to the last one are not kept.
INK_STEP = 12
#: Points of one ink annotation at most (it must seal within the room's record limit).
INK_POINTS = 1_000
#: Width of an ink line, in shares of the page's width.
INK_WIDTH = 22
#: A note's mark and a bookmark's ribbon, in logical pixels.
NOTE_MARK = 28
#: Words of the page's opening a bookmark keeps, to follow the page in a revision.
BOOKMARK_WORDS = 6
#: Words of context a note or ink keeps around the point it was made at.
NEAR_WORDS = 4

HIGHLIGHT = QColor(255, 212, 0, 95)
SELECTING = QColor(40, 120, 230, 70)
INK = QColor("#c2255c")
NOTE = QColor("#f5c518")
RIBBON = QColor("#d9480f")


class Tool(enum.StrEnum):
    READ = "read"
    HIGHLIGHT = "highlight"
    PEN = "pen"
    NOTE = "note"


class _Words:
    """The words of one page, as the render process read them."""

    def __init__(self, words: r.PageWords) -> None:
        self.page = words.page
        self.words = words.words
        self.boxes = words.boxes
        self.lines = words.lines
        self.text = " ".join(words.words)
        starts, at = [], 0
        for word in words.words:
            starts.append(at)
            at += len(word) + 1
        self.starts = starts

    def nearest(self, x: float, y: float) -> int | None:
        """The word at (or nearest to) a point in page shares: on the line the point is on if
        it is on one, else the nearest."""
        on_line = [i for i, (_x0, y0, _x1, y1) in enumerate(self.boxes) if y0 <= y <= y1]
        if on_line:
            return min(on_line, key=lambda i: max(self.boxes[i][0] - x, 0.0, x - self.boxes[i][2]))
        best, best_d = None, math.inf
        for i, (x0, y0, x1, y1) in enumerate(self.boxes):
            dx = max(x0 - x, 0.0, x - x1)
            dy = max(y0 - y, 0.0, y - y1) * 3  # another line is farther than another word
            d = dx * dx + dy * dy
            if d < best_d:
                best, best_d = i, d
        return best

    def boxes_of(self, first: int, last: int) -> list[a.Rect]:
        """The boxes of words ``first``…``last``, one per line."""
        merged: dict[int, list[int]] = {}
        for i in range(first, last + 1):
            box = self.boxes[i]
            m = merged.setdefault(self.lines[i], list(box))
            m[0], m[1] = min(m[0], box[0]), min(m[1], box[1])
            m[2], m[3] = max(m[2], box[2]), max(m[3], box[3])
        return [a.Rect(b[0], b[1], b[2] - b[0], b[3] - b[1]) for b in merged.values()]

    def quote(self, first: int, last: int) -> Quote:
        end = self.starts[last] + len(self.words[last])
        return quote_at(self.text, self.starts[first], end, self.page)

    def around(self, index: int, reach: int) -> tuple[int, int]:
        """Up to ``reach`` words either side of word ``index``, on its line only: a note or ink
        moves with the words beside it, which a revision keeps together more often than the
        end of one line and the start of the next."""
        line = self.lines[index]
        first = index
        while first > 0 and index - first < reach and self.lines[first - 1] == line:
            first -= 1
        last = index
        while last + 1 < len(self.words) and last - index < reach and self.lines[last + 1] == line:
            last += 1
        return first, last

    def within(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int] | None:
        """The first and last of the words a rectangle touches."""
        hit = [
            i
            for i, (bx0, by0, bx1, by1) in enumerate(self.boxes)
            if bx0 <= x1 and bx1 >= x0 and by0 <= y1 and by1 >= y0
        ]
        return (hit[0], hit[-1]) if hit else None


def _bounds(points: Sequence[int]) -> tuple[int, int, int, int]:
    xs, ys = points[0::2], points[1::2]
    return min(xs), min(ys), max(xs), max(ys)


class Annotator(QObject):
    """See the module docstring. ``edit(record)`` keeps a record made or changed here."""

    #: The records of the document changed (made here, or arrived from another device).
    changed = Signal()
    #: A note to write: a new one (not kept yet) or one tapped on.
    noteRequested = Signal(object)
    #: The delegate stopped writing (a presenter may move the page again).
    idle = Signal()

    def __init__(
        self,
        view: PageView,
        client: RenderClient,
        edit: Callable[[list[a.Annotation]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._client = client
        self._edit = edit
        self.tool = Tool.READ
        self.document: p.Document | None = None
        self._records: dict[bytes, a.Annotation] = {}
        self._words: _Words | None = None
        self._selecting: tuple[int, int] | None = None  # (anchor word, word now)
        self._stroke: list[int] | None = None
        self._ink: a.Annotation | None = None  # the ink annotation strokes are added to
        self._pen_seen = False
        self.note_open = False
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(WRITING_PAUSE_MS)
        self._pause.timeout.connect(self._paused)
        self._anchoring: dict[bytes, a.Annotation] = {}
        self._pages = 0
        view.overlays.append(self.paint)
        view.viewport().installEventFilter(self)
        view.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        view.pageShown.connect(self._ask_words)
        client.pageWords.connect(self._got_words)
        client.anchored.connect(self._anchored)

    # ------------------------------------------------------------------ records

    def set_document(self, document: p.Document, records: list[a.Annotation]) -> None:
        """The document read (its version: a revision replaces it) and its records."""
        self.document = document
        self._ink = None
        self.set_records(records)

    def set_records(self, records: list[a.Annotation]) -> None:
        self._records = {n.id: n for n in records}
        self.view.viewport().update()
        self.changed.emit()

    @property
    def records(self) -> list[a.Annotation]:
        return sorted(self._records.values(), key=lambda n: (n.page, n.stamp))

    def keep(self, notes: list[a.Annotation]) -> None:
        """Records made or changed here: shown at once, and handed on to be kept."""
        for note in notes:
            if note.deleted:
                self._records.pop(note.id, None)
            else:
                self._records[note.id] = note
        self._edit(notes)
        self.view.viewport().update()
        self.changed.emit()

    def _new(self, kind: a.Kind, page: int, **fields: object) -> a.Annotation:
        doc = self.document
        assert doc is not None
        return a.Annotation(
            id=a.new_id(),
            document_id=doc.id,
            meeting_id=doc.meeting_id,
            doc_version=doc.version,
            kind=kind,
            page=page + 1,
            **fields,  # type: ignore[arg-type]
        )

    def bookmark(self, page: int) -> a.Annotation | None:
        return next(
            (n for n in self._records.values() if n.kind == "bookmark" and n.page == page + 1),
            None,
        )

    def toggle_bookmark(self, page: int, name: str) -> None:
        """Bookmark the page (from 0), or take its bookmark away."""
        if self.document is None:
            return
        mark = self.bookmark(page)
        if mark is not None:
            self.keep([msgspec.structs.replace(mark, deleted=True, quote=None, text="")])
            return
        words = self._words if self._words is not None and self._words.page == page else None
        quote = None
        rects: list[a.Rect] = []
        if words is not None and words.words:
            last = min(len(words.words), BOOKMARK_WORDS) - 1
            quote, rects = words.quote(0, last), words.boxes_of(0, last)
        self.keep([self._new("bookmark", page, quote=quote, rects=rects, text=name)])

    # ------------------------------------------------------------------ tools

    def set_tool(self, tool: Tool) -> None:
        self.tool = tool
        self._selecting, self._stroke, self._ink = None, None, None
        self.view.set_touch_scrolling(tool in (Tool.READ, Tool.NOTE))
        cursor = (
            Qt.CursorShape.IBeamCursor if tool is Tool.HIGHLIGHT else Qt.CursorShape.CrossCursor
        )
        if tool is Tool.READ:
            self.view.viewport().unsetCursor()
        else:
            self.view.viewport().setCursor(cursor)
        self._ask_words(self.view.page())

    def busy(self) -> bool:
        """The delegate is writing: the page must not move under them."""
        return (
            self._selecting is not None
            or self._stroke is not None
            or self.note_open
            or self._pause.isActive()
        )

    def _paused(self) -> None:
        self._ink = None
        if not self.busy():
            self.idle.emit()

    def note_closed(self) -> None:
        self.note_open = False
        if not self.busy():
            self.idle.emit()

    # ------------------------------------------------------------------ words of the page

    def _ask_words(self, page: int) -> None:
        if self.document is not None and (self._words is None or self._words.page != page):
            self._client.words(page)

    def _got_words(self, words: r.PageWords) -> None:
        if words.page == self.view.page():
            self._words = _Words(words)

    # ------------------------------------------------------------------ placing in a revision

    def place_again(self, changed_pages: Sequence[int], pages: int) -> None:
        """The document is open in :attr:`document`'s version: records made on an earlier one
        are found again by their text (asked of the render process) or marked orphaned."""
        doc = self.document
        if doc is None:
            return
        older = [n for n in self._records.values() if n.doc_version < doc.version]
        if not older:
            return
        quoted, kept = [], []
        changed = set(changed_pages)
        for note in older:
            if note.quote is not None:
                quoted.append(note)
            elif note.page <= pages and note.page - 1 not in changed:
                kept.append(msgspec.structs.replace(note, doc_version=doc.version))
            else:
                kept.append(msgspec.structs.replace(note, doc_version=doc.version, orphaned=True))
        if kept:
            self.keep(kept)
        self._anchoring = {n.id: n for n in quoted}
        self._pages = pages
        if quoted:
            self._client.anchor(
                [
                    r.AnchorQuote(n.id, q.exact, q.prefix, q.suffix, q.page)
                    for n in quoted
                    if (q := n.quote) is not None
                ]
            )

    def _anchored(self, anchored: r.Anchored) -> None:
        doc = self.document
        if doc is None:
            return
        moved = []
        for place in anchored.places:
            note = self._anchoring.pop(place.key, None)
            if note is None or note.quote is None:
                continue
            if place.page < 0:
                # a bookmark is of its page: its opening words edited, it stays on that page
                gone = note.kind != "bookmark" or note.page > self._pages
                moved.append(msgspec.structs.replace(note, doc_version=doc.version, orphaned=gone))
                continue
            rects = [a.Rect(b[0], b[1], b[2] - b[0], b[3] - b[1]) for b in place.boxes]
            dx = rects[0].x - note.rects[0].x if rects and note.rects else 0
            dy = rects[0].y - note.rects[0].y if rects and note.rects else 0
            moved.append(
                msgspec.structs.replace(
                    note,
                    doc_version=doc.version,
                    orphaned=False,
                    page=place.page + 1,
                    rects=rects,
                    quote=dataclasses.replace(note.quote, page=place.page),
                    strokes=[_shifted(s, dx, dy) for s in note.strokes],
                    point=_shifted(note.point, dx, dy),
                )
            )
        if moved:
            self.keep(moved)

    def export_notes(self) -> list[r.ExportNote]:
        """The records placed in this version, for the annotated copy."""
        return [
            r.ExportNote(
                n.kind,
                n.page - 1,
                [(b.x, b.y, b.w, b.h) for b in n.rects],
                n.strokes,
                n.point,
                n.text,
            )
            for n in self.records
            if not n.orphaned and not n.deleted
        ]

    # ------------------------------------------------------------------ painting

    def paint(self, painter: QPainter, target: QRectF, page: int) -> None:
        def box(rect: a.Rect) -> QRectF:
            return QRectF(
                target.x() + rect.x * target.width() / SHARES,
                target.y() + rect.y * target.height() / SHARES,
                rect.w * target.width() / SHARES,
                rect.h * target.height() / SHARES,
            )

        def at(x: int, y: int) -> QPointF:
            return QPointF(
                target.x() + x * target.width() / SHARES, target.y() + y * target.height() / SHARES
            )

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink_pen = QPen(INK, max(1.5, INK_WIDTH * target.width() / SHARES))
        ink_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        ink_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for note in self._records.values():
            if note.page != page + 1 or note.orphaned or note.deleted:
                continue
            if note.kind == "highlight":
                for rect in note.rects:
                    painter.fillRect(box(rect).adjusted(-1, -1, 1, 1), HIGHLIGHT)
            elif note.kind == "ink":
                painter.setPen(ink_pen)
                for stroke in note.strokes:
                    painter.drawPath(_path(stroke, at))
            elif note.kind == "note" and len(note.point) == 2:
                self._paint_note_mark(painter, at(note.point[0], note.point[1]))
            elif note.kind == "bookmark":
                self._paint_ribbon(painter, target)
        if self._selecting is not None and self._words is not None and self._words.page == page:
            first, last = sorted(self._selecting)
            for rect in self._words.boxes_of(first, last):
                painter.fillRect(box(rect).adjusted(-1, -1, 1, 1), SELECTING)
        if self._stroke is not None and len(self._stroke) >= 2:
            painter.setPen(ink_pen)
            painter.drawPath(_path(self._stroke, at))
        painter.restore()

    @staticmethod
    def _paint_note_mark(painter: QPainter, centre: QPointF) -> None:
        size = NOTE_MARK
        rect = QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size)
        painter.setPen(QPen(QColor("#8a6d00"), 1.5))
        painter.setBrush(NOTE)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(QPen(QColor("#5c4800"), 2))
        for k in (0.35, 0.55, 0.75):
            y = rect.top() + rect.height() * k
            painter.drawLine(QPointF(rect.left() + 6, y), QPointF(rect.right() - 6, y))

    @staticmethod
    def _paint_ribbon(painter: QPainter, target: QRectF) -> None:
        w = NOTE_MARK * 0.8
        x = target.right() - w * 2
        path = QPainterPath(QPointF(x, target.top()))
        path.lineTo(x + w, target.top())
        path.lineTo(x + w, target.top() + w * 1.8)
        path.lineTo(x + w / 2, target.top() + w * 1.3)
        path.lineTo(x, target.top() + w * 1.8)
        path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(RIBBON)
        painter.drawPath(path)

    # ------------------------------------------------------------------ input

    def _share(self, pos: QPointF) -> tuple[int, int]:
        target = self.view.page_rect()
        x = (pos.x() - target.x()) / max(target.width(), 1.0) * SHARES
        y = (pos.y() - target.y()) / max(target.height(), 1.0) * SHARES
        return min(SHARES, max(0, round(x))), min(SHARES, max(0, round(y)))

    def _note_at(self, pos: QPointF) -> a.Annotation | None:
        target = self.view.page_rect()
        page = self.view.page() + 1
        for note in self._records.values():
            if note.kind != "note" or note.page != page or len(note.point) != 2 or note.orphaned:
                continue
            cx = target.x() + note.point[0] * target.width() / SHARES
            cy = target.y() + note.point[1] * target.height() / SHARES
            if abs(pos.x() - cx) <= NOTE_MARK / 2 + 4 and abs(pos.y() - cy) <= NOTE_MARK / 2 + 4:
                return note
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TabletPress, QEvent.Type.TabletMove, QEvent.Type.TabletRelease):
            assert isinstance(event, QTabletEvent)
            self._pen_seen = True
            return self._pointer(kind, event.position(), event)
        if kind in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.MouseButtonRelease,
        ):
            assert isinstance(event, QMouseEvent)
            synthesized = event.source() is not Qt.MouseEventSource.MouseEventNotSynthesized
            if synthesized and self.tool in (Tool.HIGHLIGHT, Tool.PEN):
                return True  # the touch itself was taken (or refused as a palm)
            if kind is not QEvent.Type.MouseMove or event.buttons() & Qt.MouseButton.LeftButton:
                return self._pointer(kind, event.position(), event)
            return False
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QPointerEvent)
            if self.tool in (Tool.READ, Tool.NOTE) or not event.points():
                return False
            if self._pen_seen and self.tool is Tool.PEN:
                return True  # a palm on the glass while a pen writes: not ink
            point = event.points()[0]
            mapped = {
                QEvent.Type.TouchBegin: QEvent.Type.MouseButtonPress,
                QEvent.Type.TouchUpdate: QEvent.Type.MouseMove,
                QEvent.Type.TouchEnd: QEvent.Type.MouseButtonRelease,
            }[kind]
            return self._pointer(mapped, point.position(), event)
        return False

    def _pointer(self, kind: QEvent.Type, pos: QPointF, event: QPointerEvent) -> bool:
        """A press, move or release at ``pos`` (viewport pixels); whether it was taken."""
        press = kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TabletPress)
        release = kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TabletRelease)
        if press and self.document is not None:
            tapped = self._note_at(pos)
            if tapped is not None:
                self.note_open = True
                self.noteRequested.emit(tapped)
                return True
        if self.tool is Tool.READ or self.document is None:
            return False
        x, y = self._share(pos)
        page = self.view.page()
        event.accept()
        if self.tool is Tool.NOTE:
            if press:
                self._place_note(page, x, y)
            return True
        if self.tool is Tool.HIGHLIGHT:
            words = self._words
            if words is None or words.page != page or not words.words:
                return True
            index = words.nearest(x, y)
            if index is None:
                return True
            if press:
                self._selecting = (index, index)
            elif self._selecting is not None:
                self._selecting = (self._selecting[0], index)
                if release:
                    self._highlight(words)
            self.view.viewport().update()
            return True
        # the pen
        if press:
            self._stroke = [x, y]
            self._pause.stop()
        elif self._stroke is not None:
            last_x, last_y = self._stroke[-2], self._stroke[-1]
            if abs(x - last_x) + abs(y - last_y) >= INK_STEP or release:
                self._stroke += [x, y]
            if release:
                self._ink_done(page)
        self.view.viewport().update()
        return True

    def _highlight(self, words: _Words) -> None:
        assert self._selecting is not None
        first, last = sorted(self._selecting)
        self._selecting = None
        self.keep(
            [
                self._new(
                    "highlight",
                    words.page,
                    rects=words.boxes_of(first, last),
                    quote=words.quote(first, last),
                )
            ]
        )
        self._pause.start()

    def _ink_done(self, page: int) -> None:
        stroke, self._stroke = self._stroke or [], None
        if len(stroke) < 4:
            stroke += stroke[-2:]  # a dot
        ink = self._ink
        if (
            ink is None
            or ink.page != page + 1
            or sum(len(s) for s in ink.strokes) + len(stroke) > INK_POINTS * 2
        ):
            ink = self._new("ink", page)
        strokes = [*ink.strokes, stroke]
        points = [v for s in strokes for v in s]
        quote, rects = None, []
        words = self._words
        if words is not None and words.page == page and words.words:
            x0, y0, x1, y1 = _bounds(points)
            touched = words.within(x0, y0, x1, y1)
            if touched is None:  # written beside the text: it goes with the nearest words
                index = words.nearest((x0 + x1) / 2, (y0 + y1) / 2)
                touched = words.around(index, NEAR_WORDS) if index is not None else None
            if touched is not None:
                quote, rects = words.quote(*touched), words.boxes_of(*touched)
        self._ink = msgspec.structs.replace(ink, strokes=strokes, quote=quote, rects=rects)
        self.keep([self._ink])
        self._pause.start()

    def _place_note(self, page: int, x: int, y: int) -> None:
        quote, rects = None, []
        words = self._words
        if words is not None and words.page == page and words.words:
            index = words.nearest(x, y)
            if index is not None:
                first, last = words.around(index, NEAR_WORDS)
                quote, rects = words.quote(first, last), words.boxes_of(first, last)
        self.note_open = True
        self.noteRequested.emit(self._new("note", page, point=[x, y], quote=quote, rects=rects))


def _shifted(points: list[int], dx: int, dy: int) -> list[int]:
    return [min(SHARES, max(0, v + (dx if i % 2 == 0 else dy))) for i, v in enumerate(points)]


def _path(stroke: Sequence[int], at: Callable[[int, int], QPointF]) -> QPainterPath:
    path = QPainterPath(at(stroke[0], stroke[1]))
    for i in range(2, len(stroke) - 1, 2):
        path.lineTo(at(stroke[i], stroke[i + 1]))
    return path
