"""Tables of the console that list thousands of rows (delegates, devices): one look, one way
to size their columns, and how numbers and delegations read in them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app import protocol as p
from app.textfold import matches

#: Qt 6.10 is told before and after the filter changes (invalidateRowsFilter is deprecated);
#: older versions, which the project still supports, only after.
_FILTER_CHANGE = hasattr(QSortFilterProxyModel, "endFilterChange")


@contextmanager
def filter_change(proxy: QSortFilterProxyModel) -> Iterator[None]:
    """Around a change of what ``proxy`` filters on: the rows are filtered again after it."""
    if _FILTER_CHANGE:
        proxy.beginFilterChange()
        yield
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:
        yield
        proxy.invalidateRowsFilter()


class DelegateRowsFilter(QSortFilterProxyModel):
    """Rows of delegates by a state the panel defines, a delegation, and the words searched
    (each must start a word of the row's search key). A panel says what a row's state,
    delegate and key are."""

    def __init__(self, source: QAbstractItemModel, state: str, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        self.words: tuple[str, ...] = ()
        self.delegation: str | None = None
        self.setSourceModel(source)

    def set(self, **changes: Any) -> None:
        """Change ``state``, ``words`` or ``delegation``; the rows are filtered again."""
        with filter_change(self):
            for name, value in changes.items():
                setattr(self, name, value)

    def in_state(self, source_row: int) -> bool:
        raise NotImplementedError

    def row_delegate(self, source_row: int) -> p.Delegate:
        raise NotImplementedError

    def row_key(self, source_row: int) -> str:
        raise NotImplementedError

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self.in_state(source_row):
            return False
        delegation = self.delegation
        if delegation is not None and self.row_delegate(source_row).delegation != delegation:
            return False
        return matches(self.words, self.row_key(source_row))


def number_text(n: int) -> str:
    return QLocale().toString(n)


def delegation_name(delegation: str) -> str:
    """A delegation as listed: its name, or words saying the delegates have none."""
    return delegation or QCoreApplication.translate("DelegatesPanel", "No delegation")


def fit_column(view: QTableView, column: int, texts: Iterable[str], extra: int = 0) -> None:
    """Make ``column`` as wide as the widest of ``texts`` (and ``extra``) or its title."""
    view.ensurePolished()
    cells = view.fontMetrics()
    widest = max((cells.horizontalAdvance(text) for text in texts), default=0) + extra
    title = str(view.model().headerData(column, Qt.Orientation.Horizontal))
    heading = view.horizontalHeader().fontMetrics().horizontalAdvance(title)
    if view.isSortingEnabled():
        heading += 20  # the sort arrow
    view.setColumnWidth(column, max(widest, heading) + 2 * 8 + 8)  # the cells' padding, a margin


def table_view(parent: QWidget, name: str) -> QTableView:
    """A read-only table of whole-row selection, rows of one fixed height (so thousands of rows
    are laid out without measuring each)."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setAlternatingRowColors(True)
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(36)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return view
