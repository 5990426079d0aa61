"""The table of contents, from the document's outline: tap a line to go where it leads (and,
if it has lines under it, to open them).

Shown as a tree with the first level open, in rows tall enough to tap (the outline of a book
has hundreds of lines, 619 in the LilyPond notation manual: collapsed below the first level,
it stays short enough to find one's way). The section the page shown belongs to is selected,
opened up to and scrolled into view, so the contents also say where one is.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QScroller,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from app import render as r

PageRole = Qt.ItemDataRole.UserRole + 1
TopRole = Qt.ItemDataRole.UserRole + 2
#: Row height: a line is a touch target.
ROW_HEIGHT = 44


class _TallRows(QStyledItemDelegate):
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), ROW_HEIGHT))


class OutlineView(QTreeView):
    """``jumpRequested(page, y)`` when a line is tapped (``y``: points from the page top)."""

    jumpRequested = Signal(int, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlineView")
        self._model = QStandardItemModel(self)
        self._starts: list[int] = []  # page of each line, in document order
        self._items: list[QStandardItem] = []
        self.setModel(self._model)
        self.setItemDelegate(_TallRows(self))
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setIndentation(18)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.clicked.connect(self._tapped)

    def set_entries(self, entries: list[r.OutlineEntry]) -> None:
        """Build the tree; an entry deeper than the one before by more than a level hangs
        under it anyway (outlines in the wild skip levels)."""
        self._model.clear()
        self._items, self._starts = [], []
        parents: list[QStandardItem] = [self._model.invisibleRootItem()]
        for entry in entries:
            item = QStandardItem(entry.title)
            item.setData(entry.page, PageRole)
            item.setData(entry.y, TopRole)
            item.setToolTip(entry.title)
            depth = min(max(entry.level, 1), len(parents))
            del parents[depth:]
            parents[-1].appendRow(item)
            parents.append(item)
            if entry.page >= 0:
                self._items.append(item)
                self._starts.append(entry.page)
        for row in range(self._model.rowCount()):
            self.expand(self._model.index(row, 0))

    def entry_count(self) -> int:
        return len(self._items)

    def show_page(self, page: int) -> None:
        """Select the last line that leads to ``page`` or before it: the section it is in."""
        at = max((i for i, start in enumerate(self._starts) if start <= page), default=-1)
        if at < 0:
            self.clearSelection()
            return
        index = self._items[at].index()
        parent = index.parent()
        while parent.isValid():
            self.expand(parent)
            parent = parent.parent()
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def current_title(self) -> str:
        index = self.currentIndex()
        return str(index.data()) if index.isValid() else ""

    def _tapped(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Go where the line leads, and open it: its arrow is too small a target to tap."""
        if self._model.hasChildren(index):
            self.expand(index)
        page = index.data(PageRole)
        if isinstance(page, int) and page >= 0:
            self.jumpRequested.emit(page, float(index.data(TopRole) or 0.0))
