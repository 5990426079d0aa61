"""The pages as thumbnails, two abreast, to see where one is and to jump.

Thumbnails are drawn by the render process like pages (watermark included) on the ``thumbs``
lane, the last served: only those in sight are asked for, again whenever the strip scrolls or
changes size, and each request replaces the last, so flinging through 900 pages asks for the
ones it stops on, not for all it passed. They are kept in a cache of their own.

The page shown is framed; pages a revision changed carry a "Changed" badge.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPen, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QScroller,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app import render as r
from ui import theme
from ui.reader.cache import PictureCache
from ui.reader.renderer import Picture, RenderClient

#: Logical width of a thumbnail image.
THUMB_WIDTH = 104
#: Room under a thumbnail for its page number.
LABEL_HEIGHT = 26
CELL_PADDING = 10
CACHE_BYTES = 24 << 20
#: How long the strip waits, once it stops moving, before it asks for what it shows.
SETTLE_MS = 40


class ThumbnailModel(QAbstractListModel):
    """One row per page: its number as text; the view paints the rest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages = 0

    def set_pages(self, pages: int) -> None:
        self.beginResetModel()
        self._pages = pages
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._pages

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return str(index.row() + 1)
        return None


class _Delegate(QStyledItemDelegate):
    def __init__(self, strip: ThumbnailStrip) -> None:
        super().__init__(strip)
        self._strip = strip

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return self._strip.cell_size()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        strip = self._strip
        page = index.row()
        cell: QRect = option.rect
        frame = strip.thumb_rect(page, cell)
        picture = strip.picture(page)
        painter.save()
        if picture is not None:
            painter.drawImage(frame, picture.image)
        else:
            painter.fillRect(frame, QColor("#000000") if strip.dark() else QColor("#ffffff"))
        current = page == strip.current()
        painter.setPen(QPen(theme.ACCENT if current else theme.RULE, 4 if current else 1))
        painter.drawRect(frame.adjusted(-1, -1, 0, 0))
        label = QRect(cell.left(), frame.bottom() + 4, cell.width(), LABEL_HEIGHT - 4)
        font = painter.font()
        font.setBold(current)
        painter.setFont(font)
        painter.setPen(theme.ACCENT if current else theme.INK_MUTED)
        painter.drawText(
            label, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), str(page + 1)
        )
        if page in strip.changed_pages():
            badge_text = strip.changed_text()
            metrics = painter.fontMetrics()
            badge = QRect(0, 0, metrics.horizontalAdvance(badge_text) + 14, metrics.height() + 4)
            badge.moveTopRight(QPoint(frame.right() + 4, frame.top() - 4))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.MARKER)
            painter.drawRoundedRect(badge, 6, 6)
            painter.setPen(theme.INK)
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), badge_text)
        painter.restore()


class ThumbnailStrip(QListView):
    """``pageRequested(int)`` when a thumbnail is tapped."""

    pageRequested = Signal(int)

    def __init__(self, client: RenderClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thumbnailStrip")
        self._client = client
        self._model = ThumbnailModel(self)
        self._cache = PictureCache(CACHE_BYTES)
        self._sizes: list[tuple[float, float]] = []
        self._current = 0
        self._dark = False
        self._changed: frozenset[int] = frozenset()
        self._sent: list[r.Job] = []
        self.setModel(self._model)
        self.setItemDelegate(_Delegate(self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSpacing(0)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._wish)
        self.verticalScrollBar().valueChanged.connect(lambda _: self._settle.start())
        self.clicked.connect(lambda index: self.pageRequested.emit(index.row()))

    # ------------------------------------------------------------------ state

    def set_document(self, pages: int, size: tuple[float, float]) -> None:
        self._sizes = [size] * pages
        self._cache.clear()
        self._sent = []
        self._model.set_pages(pages)
        self._settle.start()

    def set_sizes(self, sizes: list[tuple[float, float]]) -> None:
        if len(sizes) == len(self._sizes):
            self._sizes = list(sizes)
            self.viewport().update()

    def set_current(self, page: int, centre: bool = False) -> None:
        """Frame ``page`` and scroll it into sight (to the middle with ``centre``: the strip
        just opened, and the pages around the one read are what one looks for)."""
        self._current = page
        index = self._model.index(page, 0)
        if index.isValid():
            hint = QAbstractItemView.ScrollHint
            self.scrollTo(index, hint.PositionAtCenter if centre else hint.EnsureVisible)
        self.viewport().update()

    def current(self) -> int:
        return self._current

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.refresh()

    def dark(self) -> bool:
        return self._dark

    def set_changed(self, pages: frozenset[int]) -> None:
        self._changed = pages
        self.viewport().update()

    def changed_pages(self) -> frozenset[int]:
        return self._changed

    def changed_text(self) -> str:
        return self.tr("Changed")

    def refresh(self) -> None:
        """Ask again for every thumbnail in sight (a new renderer, another paper colour)."""
        self._sent = []
        self._wish()
        self.viewport().update()

    # ------------------------------------------------------------------ geometry

    def device_width(self) -> int:
        return round(THUMB_WIDTH * self.devicePixelRatioF())

    def cell_size(self) -> QSize:
        width, height = self._sizes[0] if self._sizes else (595.0, 842.0)
        return QSize(
            THUMB_WIDTH + 2 * CELL_PADDING,
            round(THUMB_WIDTH * height / width) + LABEL_HEIGHT + 2 * CELL_PADDING,
        )

    def thumb_rect(self, page: int, cell: QRect) -> QRect:
        width, height = self._sizes[page] if page < len(self._sizes) else (1.0, 1.414)
        h = round(THUMB_WIDTH * height / width)
        room = cell.height() - LABEL_HEIGHT - 2 * CELL_PADDING
        if h > room:
            w, h = round(THUMB_WIDTH * room / h), room
        else:
            w = THUMB_WIDTH
        x = cell.left() + (cell.width() - w) // 2
        y = cell.top() + CELL_PADDING + (room - h)
        return QRect(x, y, w, h)

    # ------------------------------------------------------------------ images

    def visible_pages(self) -> list[int]:
        if not self._sizes:
            return []
        rect = self.viewport().rect()
        first = self.indexAt(rect.topLeft() + QPoint(CELL_PADDING, CELL_PADDING))
        last = self.indexAt(rect.bottomRight() - QPoint(CELL_PADDING, CELL_PADDING))
        start = first.row() if first.isValid() else 0
        end = last.row() if last.isValid() else min(len(self._sizes) - 1, start + 20)
        return list(range(start, end + 1))

    def _job(self, page: int) -> r.Job:
        return r.Job(page, self.device_width(), self._dark)

    def picture(self, page: int) -> Picture | None:
        return self._cache.get(self._job(page))

    def _wish(self) -> None:
        if not self._sizes or not self.isVisible():
            return
        jobs = [self._job(p) for p in self.visible_pages() if self._job(p) not in self._cache]
        if jobs != self._sent:
            self._sent = jobs
            self._client.render("thumbs", jobs)

    def add_picture(self, picture: Picture) -> None:
        picture.image.setDevicePixelRatio(self.devicePixelRatioF())
        self._cache.put(picture)
        if picture.job in self._sent:
            self._sent.remove(picture.job)
        index = self._model.index(picture.job.page, 0)
        self.update(index)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._settle.start()

    def hideEvent(self, event: QHideEvent) -> None:
        """Out of sight, no thumbnail is wanted any more: the renderer drops those pending."""
        super().hideEvent(event)
        if self._sent:
            self._sent = []
            self._client.render("thumbs", [])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._settle.start()
