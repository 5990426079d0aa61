"""Choosing one delegate of a roster of thousands by typing: a search field over a list.

The list is one model behind a filter (never a widget per delegate), searched as the console's
other tables are (app/textfold.py: no case, no diacritics, word starts, numbers with or without
their zeros). Used to give a proxy to someone and to record a vote for someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCollator,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from app import protocol as p
from app.textfold import matches, search_key, search_words
from ui.console.tables import filter_change

_ModelIndex = QModelIndex | QPersistentModelIndex

DelegateIdRole = Qt.ItemDataRole.UserRole + 1


def delegate_line(delegate: p.Delegate) -> str:
    """How a delegate reads in one line: number, name, delegation."""
    text = f"{delegate.number}  {delegate.full_name}"
    return f"{text} · {delegate.delegation}" if delegate.delegation else text


class PickModel(QAbstractListModel):
    """Delegates by number, one line each."""

    def __init__(self, delegates: Iterable[p.Delegate], parent: QObject | None = None) -> None:
        super().__init__(parent)
        collator = QCollator(QLocale())
        collator.setNumericMode(True)
        self._rows = sorted(delegates, key=lambda d: (collator.sortKey(d.number), d.id))
        self._lines = [delegate_line(d) for d in self._rows]
        self._keys = [
            search_key(d.number, d.number.lstrip("0"), d.full_name, d.delegation)
            for d in self._rows
        ]

    def delegate(self, row: int) -> p.Delegate:
        return self._rows[row]

    def key(self, row: int) -> str:
        return self._keys[row]

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._lines[row]
        if role == DelegateIdRole:
            return self._rows[row].id
        return None


class PickFilter(QSortFilterProxyModel):
    def __init__(self, source: PickModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._words: tuple[str, ...] = ()
        self.setSourceModel(source)

    def set_query(self, text: str) -> None:
        words = search_words(text)
        if words != self._words:
            with filter_change(self):
                self._words = words

    def filterAcceptsRow(self, source_row: int, source_parent: _ModelIndex) -> bool:
        return matches(self._words, self._source.key(source_row))


class DelegatePicker(QWidget):
    """A search field and the delegates it finds; ``picked(int | None)`` as the choice
    changes. ``delegates`` are those that may be chosen (the caller leaves out the others)."""

    picked = Signal(object)

    def __init__(
        self,
        delegates: Iterable[p.Delegate],
        parent: QWidget | None = None,
        chosen: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("Search by number or name"))
        self.model = PickModel(delegates, self)
        self.shown = PickFilter(self.model, self)
        self.list_view = QListView(self)
        self.list_view.setObjectName("pickList")
        self.list_view.setModel(self.shown)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.selectionModel().selectionChanged.connect(self._changed)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("listCount")
        self.search_edit.textChanged.connect(self._searched)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(self.search_edit)
        box.addWidget(self.list_view, 1)
        box.addWidget(self.count_label)
        self._show_count()
        if chosen is not None:
            self.select(chosen)

    def _searched(self, text: str) -> None:
        self.shown.set_query(text)
        if self.shown.rowCount() == 1:  # one match: it is the one meant
            self.list_view.setCurrentIndex(self.shown.index(0, 0))
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.shown.rowCount(), self.model.rowCount()
        if shown:
            text = (
                self.tr("Showing %1 of %2")
                .replace("%1", QLocale().toString(shown))
                .replace("%2", QLocale().toString(total))
            )
        else:
            text = self.tr("No delegate matches “%1”.").replace("%1", self.search_edit.text())
        self.count_label.setText(text)

    def _changed(self, *_: object) -> None:
        self.picked.emit(self.selected_id())

    def selected_id(self) -> int | None:
        rows = self.list_view.selectionModel().selectedRows()
        return rows[0].data(DelegateIdRole) if rows else None

    def selected(self) -> p.Delegate | None:
        rows = self.list_view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.delegate(self.shown.mapToSource(rows[0]).row())

    def select(self, delegate_id: int) -> bool:
        """Choose ``delegate_id`` if it is listed (and shown)."""
        for row in range(self.shown.rowCount()):
            index = self.shown.index(row, 0)
            if index.data(DelegateIdRole) == delegate_id:
                self.list_view.setCurrentIndex(index)
                self.list_view.scrollTo(index)
                return True
        return False

    def ids(self) -> Set[int]:
        return {self.model.delegate(r).id for r in range(self.model.rowCount())}
