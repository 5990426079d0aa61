"""The page on screen: one page at a time, at the zoom asked for, always sharp.

The view paints images the render process drew for exactly this page, width in device pixels
and paper colour; it never scales a page image up to make do, except for the moment until the
exact one arrives (a pinch, a new zoom, a page not drawn ahead), when the nearest one stands in
so the screen never goes blank. Past :data:`WHOLE_LIMIT` pixels a page is no longer drawn whole
but in :data:`TILE` pixel tiles, only those in sight, over a smaller image of the whole page.

What it asks the renderer for is a wish list per lane (see :mod:`app.render`): ``view``, what
is in sight and missing; ``ahead``, the next two pages and the previous one, so that turning a
page shows an image already here. Lists are sent again only when they change, and each
replaces the last, so the renderer never draws a page that was turned past.

Turning pages: the arrow keys, Page Up/Down and the space bar (which scroll a screenful first),
Home and End, the mouse wheel past the bottom or top of the page, and a sideways swipe
(QScroller's touch gesture: pulling the page past its side by :data:`SWIPE_SHARE` of the width
turns it). Zooming: a pinch (QPinchGesture, about the fingers), Ctrl + wheel (about the
pointer), the plus and minus keys; fit width and fit page follow the window's size.

Search hits of the page shown are painted over it, the current one outlined.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QScrollEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QGestureEvent,
    QPinchGesture,
    QScroller,
    QScrollerProperties,
    QWidget,
)

from app import render as r
from ui.reader.cache import PictureCache
from ui.reader.renderer import Picture, RenderClient

#: Logical pixels of backdrop around the page.
MARGIN = 12
#: Zoom levels the buttons and keys step through (1.0 = the page at its printed size).
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
MIN_ZOOM, MAX_ZOOM = 0.25, 8.0
#: Device pixels of a tile's side.
TILE = 512
#: A page image larger than this many device pixels is drawn in tiles.
WHOLE_LIMIT = 6_000_000
#: The size of the whole-page image under the tiles.
BACKDROP_LIMIT = 2_000_000
#: Memory for page images and tiles: about eight fit-width pages of a 1280 px screen (9 MB
#: each), enough for the page read, its tiles and the pages drawn ahead and just read.
CACHE_BYTES = 80 << 20
#: Until a page has been waited for this long, its blank paper carries no "Loading" text.
LOADING_DELAY_MS = 300
#: A sideways swipe turns the page when it pulls it past its side by this share of the view.
SWIPE_SHARE = 0.12
#: Mouse wheel travel (in eighths of a degree) past the page's end that turns it.
WHEEL_TURN = 240
POINTS_PER_INCH = 72
PIXELS_PER_INCH = 96

PAPER = QColor("#ffffff")
DARK_PAPER = QColor("#000000")
BACKDROP = QColor("#5b6470")
DARK_BACKDROP = QColor("#1b1f24")
HIT = QColor(255, 190, 0, 110)
CURRENT_HIT = QColor("#d9480f")


class Fit(enum.Enum):
    WIDTH = "width"
    PAGE = "page"
    ZOOM = "zoom"


Rect = tuple[float, float, float, float]


class PageView(QAbstractScrollArea):
    """Shows one page of the document open in ``client`` (see the module docstring).

    ``pageChanged(int)`` when another page is shown (from 0); ``zoomChanged()`` when the zoom
    or the fit changes; ``pageShown(int)`` once the page shown is on screen sharp (its exact
    images are all here: what a delegate waits for after turning or zooming).
    """

    pageChanged = Signal(int)
    zoomChanged = Signal()
    pageShown = Signal(int)

    def __init__(self, client: RenderClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageView")
        self._client = client
        self._cache = PictureCache(CACHE_BYTES)
        self._sizes: list[tuple[float, float]] = []
        self._page = 0
        self._fit = Fit.WIDTH
        self._zoom = 1.0
        self._dark = False
        self._scale_shown = 0.0
        self._sent: dict[r.Lane, list[r.Job]] = {"view": [], "ahead": []}
        self._failed: set[r.Job] = set()
        self._shown: tuple[int, int, bool] | None = None
        self._hits: list[list[Rect]] = []
        self._current_hit: int | None = None
        self._pinch: tuple[float, QPointF] | None = None
        self._swipe = QPointF()
        self._wheel = 0
        #: Painted over the page after it and its search hits: ``(painter, page_rect, page)``.
        self.overlays: list[Callable[[QPainter, QRectF, int], None]] = []
        self._waiting = QTimer(self)
        self._waiting.setSingleShot(True)
        self._waiting.setInterval(LOADING_DELAY_MS)
        self._waiting.timeout.connect(self.viewport().update)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        scroller = QScroller.scroller(self.viewport())
        props = scroller.scrollerProperties()
        props.setScrollMetric(
            QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
            QScrollerProperties.OvershootPolicy.OvershootAlwaysOn,
        )
        scroller.setScrollerProperties(props)
        scroller.stateChanged.connect(self._scroller_state)

    # ------------------------------------------------------------------ document

    def set_document(self, pages: int, size: tuple[float, float], page: int) -> None:
        """A document of ``pages`` pages is open (all assumed ``size`` points until
        :meth:`set_sizes`); show ``page``."""
        self._sizes = [size] * pages
        self._page = min(max(page, 0), pages - 1)
        self.reset()
        self.set_page(page)

    def set_sizes(self, sizes: list[tuple[float, float]]) -> None:
        if len(sizes) == len(self._sizes) and sizes != self._sizes:
            self._sizes = list(sizes)
            self._relayout()

    def clear(self) -> None:
        """The document is gone: nothing of it is kept or shown any more."""
        self._sizes = []
        self._cache.clear()
        self._hits, self._current_hit = [], None
        self.viewport().update()

    def reset(self) -> None:
        """Forget every image (another document, or another renderer) and ask again."""
        self._cache.clear()
        self._failed.clear()
        self._sent = {"view": [], "ahead": []}
        self._shown = None
        self._hits, self._current_hit = [], None
        self._relayout()

    def page_count(self) -> int:
        return len(self._sizes)

    def page(self) -> int:
        return self._page

    def cache(self) -> PictureCache:
        return self._cache

    # ------------------------------------------------------------------ geometry

    def _page_size(self, page: int | None = None) -> tuple[float, float]:
        if not self._sizes:
            return (1.0, 1.0)
        return self._sizes[self._page if page is None else page]

    def scale(self, page: int | None = None) -> float:
        """Logical pixels per point for ``page`` (the page shown by default; before a
        document is open, the printed size)."""
        if not self._sizes and self._fit is not Fit.ZOOM:
            return PIXELS_PER_INCH / POINTS_PER_INCH
        width, height = self._page_size(page)
        room = self.viewport().size()
        across = max(room.width() - 2 * MARGIN, 50) / width
        if self._fit is Fit.WIDTH:
            return across
        if self._fit is Fit.PAGE:
            return min(across, max(room.height() - 2 * MARGIN, 50) / height)
        return self._zoom * PIXELS_PER_INCH / POINTS_PER_INCH

    def zoom(self) -> float:
        """The zoom in effect, whatever the fit: 1.0 shows the page at its printed size."""
        return self.scale() * POINTS_PER_INCH / PIXELS_PER_INCH

    def fit(self) -> Fit:
        return self._fit

    def _dpr(self) -> float:
        return self.devicePixelRatioF()

    def device_width(self, page: int | None = None) -> int:
        """The width in device pixels of the image ``page`` is drawn as at this zoom."""
        return max(1, round(self._page_size(page)[0] * self.scale(page) * self._dpr()))

    def _device_height(self, page: int | None = None) -> int:
        width, height = self._page_size(page)
        return max(1, round(height * self.device_width(page) / width))

    def tiled(self, page: int | None = None) -> bool:
        return self.device_width(page) * self._device_height(page) > WHOLE_LIMIT

    def page_rect(self) -> QRectF:
        """Where the page is in the viewport, in logical pixels."""
        width, height = self._page_size()
        scale = self.scale()
        w, h = width * scale, height * scale
        room = self.viewport().size()
        x: float = MARGIN - self.horizontalScrollBar().value()
        y: float = MARGIN - self.verticalScrollBar().value()
        if w + 2 * MARGIN <= room.width():
            x = (room.width() - w) / 2
        if h + 2 * MARGIN <= room.height():
            y = (room.height() - h) / 2
        return QRectF(x, y, w, h)

    def _relayout(self) -> None:
        width, height = self._page_size()
        scale = self.scale()
        room = self.viewport().size()
        for bar, content, extent in (
            (self.horizontalScrollBar(), width * scale + 2 * MARGIN, room.width()),
            (self.verticalScrollBar(), height * scale + 2 * MARGIN, room.height()),
        ):
            bar.setRange(0, max(0, math.ceil(content - extent)))
            bar.setPageStep(extent)
            bar.setSingleStep(max(20, extent // 20))
        if scale != self._scale_shown:
            self._scale_shown = scale
            self.zoomChanged.emit()
        self._wish()
        self.viewport().update()

    # ------------------------------------------------------------------ navigation

    def set_page(self, page: int, at: str | float = "top") -> None:
        """Show ``page`` (clamped to the document), scrolled to its ``"top"``, its
        ``"bottom"``, or ``at`` points from its top."""
        if not self._sizes:
            return
        page = min(max(page, 0), len(self._sizes) - 1)
        changed = page != self._page
        self._page = page
        if changed:
            self._hits, self._current_hit = [], None
        self._waiting.start()
        self._relayout()
        bar = self.verticalScrollBar()
        if at == "top":
            bar.setValue(0)
        elif at == "bottom":
            bar.setValue(bar.maximum())
        else:
            bar.setValue(round(float(at) * self.scale()))
        if changed:
            self.pageChanged.emit(page)

    def visible_region(self) -> tuple[float, float, float, float]:
        """The part of the page in sight, as shares of its width and height (x, y, w, h): what
        a presenter shows (:meth:`show_region` shows it again elsewhere)."""
        page = self.page_rect()
        room = QRectF(0, 0, self.viewport().width(), self.viewport().height())
        seen = page.intersected(room)
        if seen.isEmpty() or page.width() <= 0 or page.height() <= 0:
            return (0.0, 0.0, 1.0, 1.0)
        return (
            (seen.x() - page.x()) / page.width(),
            (seen.y() - page.y()) / page.height(),
            seen.width() / page.width(),
            seen.height() / page.height(),
        )

    def show_region(self, page: int, x: float, y: float, w: float, h: float) -> None:
        """Show ``page`` with the region (``x``, ``y``, ``w``, ``h``: shares of the page's width
        and height from its top left) as large as fits and centred: what a presenter shows, the
        same on every screen whatever its size. The whole page is the page fitted."""
        if not self._sizes:
            return
        self.set_page(page)
        if w >= 1 and h >= 1:
            self.set_fit(Fit.PAGE)
            return
        width, height = self._page_size()
        room = self.viewport().size()
        scale = min(
            max(room.width() - 2 * MARGIN, 50) / (w * width),
            max(room.height() - 2 * MARGIN, 50) / (h * height),
        )
        zoom = min(max(scale * POINTS_PER_INCH / PIXELS_PER_INCH, MIN_ZOOM), MAX_ZOOM)
        self._fit, self._zoom = Fit.ZOOM, zoom
        self._relayout()
        scale = self.scale()
        self.horizontalScrollBar().setValue(
            round(MARGIN + (x + w / 2) * width * scale - room.width() / 2)
        )
        self.verticalScrollBar().setValue(
            round(MARGIN + (y + h / 2) * height * scale - room.height() / 2)
        )
        self.zoomChanged.emit()
        self._wish()

    def next_page(self) -> None:
        if self._page + 1 < len(self._sizes):
            self.set_page(self._page + 1)

    def previous_page(self, at: str = "top") -> None:
        if self._page > 0:
            self.set_page(self._page - 1, at)

    # ------------------------------------------------------------------ zoom and mode

    def set_fit(self, fit: Fit) -> None:
        if fit is not self._fit:
            self._zoom_to(fit, self.zoom(), None)

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` (clamped), keeping the point of the page under ``anchor`` (the
        view's centre by default) where it is."""
        self._zoom_to(Fit.ZOOM, min(max(zoom, MIN_ZOOM), MAX_ZOOM), anchor)

    def zoom_in(self) -> None:
        current = self.zoom() * 1.01
        self.set_zoom(next((z for z in ZOOM_STEPS if z > current), MAX_ZOOM))

    def zoom_out(self) -> None:
        current = self.zoom() / 1.01
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < current), MIN_ZOOM))

    def _zoom_to(self, fit: Fit, zoom: float, anchor: QPointF | None) -> None:
        if anchor is None:
            anchor = QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        before = self.page_rect()
        spot = QPointF(
            (anchor.x() - before.x()) / max(before.width(), 1),
            (anchor.y() - before.y()) / max(before.height(), 1),
        )
        self._fit, self._zoom = fit, zoom
        self._relayout()
        after = self.page_rect()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(round(h.value() + after.x() + spot.x() * after.width() - anchor.x()))
        v.setValue(round(v.value() + after.y() + spot.y() * after.height() - anchor.y()))
        self.zoomChanged.emit()
        self._wish()

    def set_dark(self, dark: bool) -> None:
        """Dark pages: the renderer inverts them (white ink on black paper)."""
        if dark != self._dark:
            self._dark = dark
            self._wish()
            self.viewport().update()

    def dark(self) -> bool:
        return self._dark

    # ------------------------------------------------------------------ search hits

    def set_hits(self, hits: list[list[Rect]], current: int | None) -> None:
        """Paint ``hits`` (rectangles in points) over the page shown, ``current`` outlined
        and scrolled into sight."""
        self._hits, self._current_hit = hits, current
        if current is not None and 0 <= current < len(hits):
            self._scroll_to(hits[current])
        self.viewport().update()

    def hits(self) -> list[list[Rect]]:
        return self._hits

    def _scroll_to(self, boxes: list[Rect]) -> None:
        scale = self.scale()
        page = self.page_rect()
        room = self.viewport().rect()
        top = min(b[1] for b in boxes) * scale + page.y()
        bottom = max(b[3] for b in boxes) * scale + page.y()
        left = min(b[0] for b in boxes) * scale + page.x()
        right = max(b[2] for b in boxes) * scale + page.x()
        v, h = self.verticalScrollBar(), self.horizontalScrollBar()
        if top < room.top() + MARGIN or bottom > room.bottom() - MARGIN:
            v.setValue(round(v.value() + (top + bottom) / 2 - room.height() / 2))
        if left < room.left() or right > room.right():
            h.setValue(round(h.value() + (left + right) / 2 - room.width() / 2))

    # ------------------------------------------------------------------ images

    def _jobs_in_sight(self) -> list[r.Job]:
        """What the page in sight needs and lacks: its image, or its tiles in sight (nearest
        the centre first) over a whole-page image to show until they come."""
        if not self._sizes:
            return []
        page, dark, width = self._page, self._dark, self.device_width()
        if not self.tiled():
            job = r.Job(page, width, dark)
            return [] if job in self._cache or job in self._failed else [job]
        jobs: list[r.Job] = []
        if self._cache.best_whole(page, dark, width) is None:
            jobs.append(self._backdrop(page))
        dpr = self._dpr()
        rect = self.page_rect()
        view = self.viewport().rect()
        x0 = max(0, int((view.left() - rect.x()) * dpr) // TILE)
        y0 = max(0, int((view.top() - rect.y()) * dpr) // TILE)
        x1 = min(self.device_width() - 1, int((view.right() - rect.x()) * dpr)) // TILE
        y1 = min(self._device_height() - 1, int((view.bottom() - rect.y()) * dpr)) // TILE
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        tiles = sorted(
            ((tx, ty) for tx in range(x0, x1 + 1) for ty in range(y0, y1 + 1)),
            key=lambda t: (t[0] - cx) ** 2 + (t[1] - cy) ** 2,
        )
        for tx, ty in tiles:
            job = r.Job(page, width, dark, (tx * TILE, ty * TILE, TILE, TILE))
            if job not in self._cache and job not in self._failed:
                jobs.append(job)
        return jobs

    def _backdrop(self, page: int) -> r.Job:
        width, height = self._page_size(page)
        fitting = int(math.sqrt(BACKDROP_LIMIT * width / height))
        return r.Job(page, min(self.device_width(page), fitting), self._dark)

    def _jobs_ahead(self) -> list[r.Job]:
        jobs = []
        for page in (self._page + 1, self._page - 1, self._page + 2):
            if 0 <= page < len(self._sizes):
                if self.tiled(page):
                    job = self._backdrop(page)
                else:
                    job = r.Job(page, self.device_width(page), self._dark)
                if job not in self._cache and job not in self._failed:
                    jobs.append(job)
        return jobs

    def _wish(self) -> None:
        """Send the wish lists that changed (none while a pinch is under way)."""
        if self._pinch is not None or not self._sizes:
            return
        wishes: tuple[tuple[r.Lane, list[r.Job]], ...] = (
            ("view", self._jobs_in_sight()),
            ("ahead", self._jobs_ahead()),
        )
        for lane, jobs in wishes:
            if jobs != self._sent[lane]:
                self._sent[lane] = jobs
                self._client.render(lane, jobs)
        self._check_shown()

    def refresh(self) -> None:
        """Ask again for everything in sight and ahead (a new renderer knows of nothing)."""
        self._sent = {"view": [], "ahead": []}
        self._failed.clear()
        self._wish()

    def add_picture(self, picture: Picture) -> None:
        picture.image.setDevicePixelRatio(self._dpr())
        self._cache.put(picture)
        sent = self._sent.get(picture.lane)
        if sent is not None and picture.job in sent:
            sent.remove(picture.job)
        if picture.job.page == self._page:
            self.viewport().update()
            self._check_shown()

    def page_failed(self, job: r.Job) -> None:
        self._failed.add(job)
        if job.page == self._page:
            self.viewport().update()

    def _check_shown(self) -> None:
        key = (self._page, self.device_width(), self._dark)
        if key != self._shown and self._sizes and not self._jobs_in_sight():
            self._shown = key
            self._waiting.stop()
            self.pageShown.emit(self._page)

    def is_sharp(self) -> bool:
        """Whether everything in sight is drawn at the zoom shown."""
        return bool(self._sizes) and not self._jobs_in_sight()

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), DARK_BACKDROP if self._dark else BACKDROP)
        if not self._sizes:
            return
        target = self.page_rect()
        page, dark, width = self._page, self._dark, self.device_width()
        exact = None if self.tiled() else self._cache.get(r.Job(page, width, dark))
        if exact is not None:
            painter.drawImage(target.topLeft(), exact.image)
        else:
            self._paint_stand_in(painter, target, event.rect())
        self._paint_hits(painter, target)
        for overlay in self.overlays:
            overlay(painter, target, page)

    def _paint_stand_in(self, painter: QPainter, target: QRectF, dirty: object) -> None:
        page, dark, width = self._page, self._dark, self.device_width()
        stand_in = self._cache.best_whole(page, dark, width)
        visible = target.intersected(QRectF(self.viewport().rect()))
        if stand_in is not None and not visible.isEmpty():
            image = stand_in.image
            sx = image.width() / target.width()
            sy = image.height() / target.height()
            source = QRectF(
                (visible.x() - target.x()) * sx,
                (visible.y() - target.y()) * sy,
                visible.width() * sx,
                visible.height() * sy,
            )
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._pinch is None)
            painter.drawImage(visible, image, source)
        else:
            painter.fillRect(target, DARK_PAPER if dark else PAPER)
        if self.tiled():
            dpr = self._dpr()
            for picture in self._cache.of_page(page, dark):
                tile = picture.job.tile
                if tile is not None and picture.job.width == width:
                    painter.drawImage(
                        QPointF(target.x() + tile[0] / dpr, target.y() + tile[1] / dpr),
                        picture.image,
                    )
        if stand_in is None:
            failed = any(job.page == page for job in self._failed)
            if failed or not self._waiting.isActive():
                painter.setPen(QColor("#8a929c"))
                text = (
                    self.tr("This page cannot be displayed.")
                    if failed
                    else self.tr("Loading page %1…").replace("%1", str(page + 1))
                )
                painter.drawText(target, int(Qt.AlignmentFlag.AlignCenter), text)

    def _paint_hits(self, painter: QPainter, target: QRectF) -> None:
        if not self._hits:
            return
        scale = self.scale()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for index, boxes in enumerate(self._hits):
            for x0, y0, x1, y1 in boxes:
                rect = QRectF(
                    target.x() + x0 * scale,
                    target.y() + y0 * scale,
                    (x1 - x0) * scale,
                    (y1 - y0) * scale,
                ).adjusted(-2, -1, 2, 1)
                painter.fillRect(rect, HIT)
                if index == self._current_hit:
                    painter.setPen(QPen(CURRENT_HIT, 2.5))
                    painter.drawRoundedRect(rect, 2, 2)

    # ------------------------------------------------------------------ input

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        v = self.verticalScrollBar()
        k = Qt.Key
        if key == k.Key_Right:
            self.next_page()
        elif key == k.Key_Left:
            self.previous_page()
        elif key in (k.Key_PageDown, k.Key_Space) and not (
            mods & Qt.KeyboardModifier.ShiftModifier
        ):
            if v.value() < v.maximum():
                v.setValue(v.value() + round(v.pageStep() * 0.9))
            else:
                self.next_page()
        elif key in (k.Key_PageUp, k.Key_Space, k.Key_Backspace):
            if v.value() > v.minimum():
                v.setValue(v.value() - round(v.pageStep() * 0.9))
            else:
                self.previous_page("bottom")
        elif key == k.Key_Home:
            self.set_page(0)
        elif key == k.Key_End:
            self.set_page(len(self._sizes) - 1)
        elif key in (k.Key_Plus, k.Key_Equal):
            self.zoom_in()
        elif key == k.Key_Minus:
            self.zoom_out()
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        dy = event.angleDelta().y()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self.zoom() * (1.0015**dy), event.position())
            return
        v = self.verticalScrollBar()
        past_end = (dy < 0 and v.value() >= v.maximum()) or (dy > 0 and v.value() <= v.minimum())
        if not past_end:
            self._wheel = 0
            super().wheelEvent(event)
            return
        self._wheel += -dy
        if self._wheel >= WHEEL_TURN:
            self._wheel = 0
            self.next_page()
        elif self._wheel <= -WHEEL_TURN:
            self._wheel = 0
            self.previous_page("bottom")

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture:
            assert isinstance(event, QGestureEvent)
            gesture = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(gesture, QPinchGesture):
                self._pinched(gesture)
                event.accept(gesture)
                return True
        elif event.type() == QEvent.Type.Scroll:
            assert isinstance(event, QScrollEvent)
            over = event.overshootDistance()
            if abs(over.x()) > abs(self._swipe.x()):
                self._swipe.setX(over.x())
            if abs(over.y()) > abs(self._swipe.y()):
                self._swipe.setY(over.y())
        return super().viewportEvent(event)

    def set_touch_scrolling(self, on: bool) -> None:
        """Whether a finger drags the page (off while a finger writes on it)."""
        if on:
            QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        else:
            QScroller.ungrabGesture(self.viewport())
            self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)

    def _scroller_state(self, state: QScroller.State) -> None:
        """A drag that ends having pulled the page past its side turns the page."""
        if state == QScroller.State.Pressed:
            self._swipe = QPointF()
        elif state in (QScroller.State.Scrolling, QScroller.State.Inactive):
            pulled, self._swipe = self._swipe, QPointF()  # stopping below re-enters here
            self.swiped(pulled.x(), pulled.y())

    def swiped(self, dx: float, dy: float) -> None:
        """The page was pulled ``dx`` logical pixels past its right side (negative: its left)
        and ``dy`` past its bottom: turn it if that was a sideways swipe, long enough."""
        if abs(dx) < max(40.0, self.viewport().width() * SWIPE_SHARE) or abs(dx) < abs(dy):
            return
        QScroller.scroller(self.viewport()).stop()
        if dx > 0:
            self.next_page()
        else:
            self.previous_page()

    def _pinched(self, gesture: QPinchGesture) -> None:
        centre = self.viewport().mapFromGlobal(gesture.centerPoint().toPoint()).toPointF()
        state = gesture.state()
        if state == Qt.GestureState.GestureStarted or self._pinch is None:
            self._pinch = (self.zoom(), centre)
        start, _ = self._pinch
        self.pinch_to(start * gesture.totalScaleFactor(), centre)
        if state in (Qt.GestureState.GestureFinished, Qt.GestureState.GestureCanceled):
            self.end_pinch()

    def pinch_to(self, zoom: float, centre: QPointF) -> None:
        """A pinch under way: zoom about the fingers, showing the images at hand scaled (the
        renderer is asked for sharp ones when the fingers lift)."""
        if self._pinch is None:
            self._pinch = (self.zoom(), centre)
        self.set_zoom(zoom, centre)

    def end_pinch(self) -> None:
        self._pinch = None
        self._wish()

    def pinching(self) -> bool:
        return self._pinch is not None

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        if self.tiled():
            self._wish()
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def sizeHint(self) -> QSize:
        return QSize(800, 600)
