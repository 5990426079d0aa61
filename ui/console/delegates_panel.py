"""The console's delegates: how many are connected, and who is missing.

Made for a roster of thousands: the rows are one table model behind a filtering proxy, never a
widget per delegate, and a presence update (up to twice a second) changes the connection
column of the rows whose delegate came or went, nothing else. Who is online comes from the
presence bitmap (:mod:`app.presence`); the search ignores case and diacritics
(:mod:`app.textfold`), so "nguyen hong" finds "Nguyễn Thị Hồng Nhung".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app.presence import DelegationCount, connected_count, delegation_counts, online_ids
from app.state import Area, RoomView
from app.textfold import matches, search_key, search_words
from ui import theme
from ui.console.panel import ConsolePanel, Requests
from ui.console.tables import (
    delegation_name,
    filter_change,
    fit_column,
    number_text,
    table_view,
)
from ui.widgets import errors

_ModelIndex = QModelIndex | QPersistentModelIndex

#: What the list shows: who is missing (the default), who is here, or everyone.
MISSING, CONNECTED, EVERYONE = "missing", "connected", "all"
STATES = (MISSING, CONNECTED, EVERYONE)

#: Sorts by a column's value rather than its text (ranks of names, numbers of counts).
SortRole = Qt.ItemDataRole.UserRole + 1


def _dot(color: QColor, filled: bool) -> QIcon:
    """The connection dot: filled when connected, a grey ring when not (and the word says so)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(color)
    painter.setBrush(color if filled else Qt.GlobalColor.transparent)
    painter.drawEllipse(2, 2, 11, 11)
    painter.end()
    return QIcon(pixmap)


class CountButton(QPushButton):
    """Two lines, so they fit a narrow header: "Delegates connected" over "1,203 of 1,600".
    :meth:`summary` (also what screen readers say) is the sentence "Delegates connected: 1,203
    of 1,600". Worded to need no plural forms; the tooltip counts devices by role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presence")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._caption = QLabel(self)
        self._caption.setObjectName("presenceCaption")
        self._count = QLabel(self)
        self._count.setObjectName("presenceCount")
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 4, 14, 4)
        box.setSpacing(0)
        for label in (self._caption, self._count):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self._online: int | None = 0
        self._total: int | None = None
        self._devices: Mapping[p.Role, int] = {}

    def set_count(
        self, online: int | None, total: int | None, devices: Mapping[p.Role, int] | None = None
    ) -> None:
        """``online`` delegates (``None``: not known, the room is out of reach) of ``total``
        (``None``: the roster is not on this device), and the devices connected per role."""
        self._online, self._total = online, total
        if devices is not None:
            self._devices = devices
        self.retranslate()

    def summary(self) -> str:
        return self._caption.text() + ": " + self._count.text()

    def retranslate(self) -> None:
        self._caption.setText(self.tr("Delegates connected"))
        count = number_text(self._online) if self._online is not None else "—"
        if self._total is not None:
            count = self.tr("%1 of %2").replace("%1", count).replace("%2", number_text(self._total))
        self._count.setText(count)
        self.setAccessibleName(self.summary())
        if self._online is None:
            self.setToolTip(errors.presence_not_live())
            return
        roles = {
            "delegate": self.tr("Delegates: %1"),
            "secretary": self.tr("Secretariat: %1"),
            "display": self.tr("Hall displays: %1"),
            "admin": self.tr("Administrators: %1"),
        }
        lines = [
            roles[role].replace("%1", number_text(self._devices[role]))
            for role in p.ROLES
            if self._devices.get(role)
        ]
        self.setToolTip("\n".join([self.tr("Devices connected now:"), *lines]) if lines else "")

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()


class DelegatesModel(QAbstractTableModel):
    """Every delegate of the roster, by number: number, name, delegation, connection."""

    NUMBER, NAME, DELEGATION, CONNECTION = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[p.Delegate] = []
        self._keys: list[str] = []  # what the search looks words up in, per row
        self._row_of: dict[int, int] = {}
        self._online: Set[int] = frozenset()
        self._dots = (_dot(theme.OFFLINE, False), _dot(theme.ONLINE, True))

    def set_delegates(self, delegates: Iterable[p.Delegate]) -> None:
        collator = QCollator(QLocale())
        collator.setNumericMode(True)  # "2" before "10", and "0012" as 12
        self.beginResetModel()
        self._rows = sorted(delegates, key=lambda d: (collator.sortKey(d.number), d.id))
        self._keys = [
            search_key(d.number, d.number.lstrip("0"), d.full_name, d.delegation)
            for d in self._rows
        ]
        self._row_of = {d.id: row for row, d in enumerate(self._rows)}
        self.endResetModel()

    def set_online(self, online: Set[int]) -> None:
        """Who is online now; only the connection cells of the delegates who came or went
        are redrawn (and filtered again), one signal per run of neighbouring rows."""
        changed = sorted(self._row_of[i] for i in online ^ self._online if i in self._row_of)
        self._online = online
        column = self.CONNECTION
        start = 0
        for n in range(1, len(changed) + 1):
            if n == len(changed) or changed[n] != changed[n - 1] + 1:
                first, last = self.index(changed[start], column), self.index(changed[n - 1], column)
                self.dataChanged.emit(first, last)
                start = n

    def delegates(self) -> list[p.Delegate]:
        return list(self._rows)

    def delegate(self, row: int) -> p.Delegate:
        return self._rows[row]

    def is_online(self, row: int) -> bool:
        return self._rows[row].id in self._online

    def key(self, row: int) -> str:
        return self._keys[row]

    def connection_words(self) -> tuple[str, str]:
        """What the connection column says: not connected, connected."""
        return (self.tr("Not connected"), self.tr("Connected"))

    def retranslate(self) -> None:
        """The header and the connection words, in the language just chosen."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.CONNECTION)
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, self.CONNECTION), self.index(last, self.CONNECTION))

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        delegate = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return delegate.number
            if column == self.NAME:
                return delegate.full_name
            if column == self.DELEGATION:
                return delegate.delegation
            return self.connection_words()[self.is_online(row)]
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.NAME, self.DELEGATION):
            return delegate.full_name if column == self.NAME else delegate.delegation
        if role == Qt.ItemDataRole.DecorationRole and column == self.CONNECTION:
            return self._dots[self.is_online(row)]
        if role == Qt.ItemDataRole.ForegroundRole and column == self.CONNECTION:
            return theme.INK if self.is_online(row) else theme.INK_MUTED
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("No."), self.tr("Name"), self.tr("Delegation"), self.tr("Connection"))[
            section
        ]


class DelegatesFilter(QSortFilterProxyModel):
    """The rows of a :class:`DelegatesModel` a secretary asked for: by connection, by
    delegation, and with a word starting with each word of the search."""

    def __init__(self, source: DelegatesModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._state = MISSING
        self._words: tuple[str, ...] = ()
        self._delegation: str | None = None
        self.setSourceModel(source)

    def state(self) -> str:
        return self._state

    def set_state(self, state: str) -> None:
        with filter_change(self):
            self._state = state

    def query(self) -> tuple[str, ...]:
        return self._words

    def set_query(self, text: str) -> None:
        words = search_words(text)
        if words != self._words:
            with filter_change(self):
                self._words = words

    def delegation(self) -> str | None:
        return self._delegation

    def set_delegation(self, delegation: str | None) -> None:
        if delegation != self._delegation:
            with filter_change(self):
                self._delegation = delegation

    def filterAcceptsRow(self, source_row: int, source_parent: _ModelIndex) -> bool:
        source = self._source
        if self._state != EVERYONE and source.is_online(source_row) != (self._state == CONNECTED):
            return False
        delegation = self._delegation
        if delegation is not None and source.delegate(source_row).delegation != delegation:
            return False
        return matches(self._words, source.key(source_row))


class DelegationsModel(QAbstractTableModel):
    """Who is missing, per delegation: its name, and "3 of 30" not connected (in red while
    anyone is missing), the column to sort by to see the delegations least complete."""

    NAME, MISSING = range(2)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DelegationCount] = []
        self._ranks: list[int] = []  # each name's place in alphabetical order

    def set_counts(self, counts: list[DelegationCount]) -> None:
        """New counts; the same delegations keep their rows (and the selection)."""
        if [c.delegation for c in counts] == [c.delegation for c in self._rows]:
            self._rows = counts
            self._changed(self.MISSING)
            return
        self.beginResetModel()
        self._rows = counts
        self._rank()
        self.endResetModel()

    def _rank(self) -> None:
        """Each name's place in the alphabetical order of the language shown."""
        collator = QCollator(QLocale())
        names = [c.delegation for c in self._rows]
        order = sorted(range(len(names)), key=lambda n: collator.sortKey(names[n]))
        self._ranks = [0] * len(names)
        for rank, n in enumerate(order):
            self._ranks[n] = rank

    def _changed(self, first_column: int) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, first_column), self.index(len(self._rows) - 1, self.MISSING)
            )

    def count(self, row: int) -> DelegationCount:
        return self._rows[row]

    def missing_text(self, missing: int, total: int) -> str:
        return (
            self.tr("%1 of %2")
            .replace("%1", number_text(missing))
            .replace("%2", number_text(total))
        )

    def widest_missing_text(self) -> str:
        """The longest the "not connected" column can say (all missing of the largest)."""
        largest = max((c.total for c in self._rows), default=0)
        return self.missing_text(largest, largest)

    def count_of(self, delegation: str) -> DelegationCount | None:
        return next((c for c in self._rows if c.delegation == delegation), None)

    def retranslate(self) -> None:
        """Headers, words and the alphabetical order of the language just chosen."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.MISSING)
        self._rank()
        self._changed(self.NAME)

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        count = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return delegation_name(count.delegation)
            return self.missing_text(count.missing, count.total)
        if role == SortRole:
            return self._ranks[row] if column == self.NAME else count.missing
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.MISSING:
            return theme.DANGER if count.missing else theme.INK_DONE
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and section != self.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Delegation"), self.tr("Not connected"))[section]


class DelegatesPanel(ConsolePanel):
    """How many delegates are connected (:attr:`count_button`, which the window puts in its
    header), who is missing per delegation, and the delegates by connection, delegation and
    search."""

    areas = Area.ROSTER

    def __init__(self, requests: Requests, model: RoomView, parent: QWidget | None = None) -> None:
        super().__init__(requests, model, parent)
        self._online: Set[int] = frozenset()
        self._presence = p.Presence(connected={})
        self.heading.hide()  # the tab says "Delegates"
        self.count_button = CountButton(self)

        self.state_buttons: dict[str, QPushButton] = {}
        self._state_group = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 0, 16, 0)
        bar.setSpacing(0)
        for state in STATES:
            button = QPushButton(self)
            button.setObjectName("filterButton")
            button.setCheckable(True)
            button.setProperty("state", state)
            button.clicked.connect(lambda _=False, s=state: self.set_state(s))
            self._state_group.addButton(button)
            self.state_buttons[state] = button
            bar.addWidget(button)
        self.state_buttons[MISSING].setChecked(True)
        bar.addSpacing(16)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._searched)
        bar.addWidget(self.search_edit, 1)

        self.delegates = DelegatesModel(self)
        self.shown = DelegatesFilter(self.delegates, self)
        self.table = table_view(self, "delegatesTable")
        self.table.setModel(self.shown)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fitted in _fit_columns
        for column in (DelegatesModel.NAME, DelegatesModel.DELEGATION):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)
        self.shown_label = QLabel(self)
        self.shown_label.setObjectName("listCount")
        self.not_live_label = QLabel(self)  # while the room is out of reach
        self.not_live_label.setObjectName("notLive")
        self.not_live_label.setWordWrap(True)

        self.delegations = DelegationsModel(self)
        self._by_delegation = QSortFilterProxyModel(self)
        self._by_delegation.setSourceModel(self.delegations)
        self._by_delegation.setSortRole(SortRole)
        self.delegation_table = table_view(self, "delegationTable")
        self.delegation_table.setModel(self._by_delegation)
        self.delegation_table.setSortingEnabled(True)
        self.delegation_table.sortByColumn(DelegationsModel.NAME, Qt.SortOrder.AscendingOrder)
        d_columns = self.delegation_table.horizontalHeader()
        d_columns.setSectionResizeMode(DelegationsModel.NAME, QHeaderView.ResizeMode.Stretch)
        d_columns.setSectionResizeMode(DelegationsModel.MISSING, QHeaderView.ResizeMode.Fixed)
        self.delegation_table.setMinimumWidth(330)
        self.delegation_table.selectionModel().selectionChanged.connect(self._delegation_picked)
        self.all_delegations_button = QPushButton(self)
        self.all_delegations_button.setObjectName("linkButton")
        self.all_delegations_button.clicked.connect(self.delegation_table.clearSelection)

        left = QWidget(self)
        l_box = QVBoxLayout(left)
        l_box.setContentsMargins(0, 0, 0, 0)
        l_box.addWidget(self.delegation_table, 1)
        l_box.addWidget(self.all_delegations_button, 0, Qt.AlignmentFlag.AlignLeft)
        right = QWidget(self)
        r_box = QVBoxLayout(right)
        r_box.setContentsMargins(0, 0, 0, 0)
        r_box.addWidget(self.not_live_label)
        r_box.addWidget(self.list_stack, 1)
        r_box.addWidget(self.shown_label)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.setHandleWidth(12)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([340, 900])
        body = QVBoxLayout()
        body.setContentsMargins(16, 0, 16, 12)
        body.addWidget(split)
        self.box.setSpacing(10)
        self.box.addLayout(bar)
        self.box.addLayout(body, 1)
        self.retranslate()

    # ------------------------------------------------------------------ filters

    def set_state(self, state: str) -> None:
        """Show who is missing, who is connected, or everyone."""
        self.state_buttons[state].setChecked(True)
        self.shown.set_state(state)
        self._show_counts()

    def _searched(self, text: str) -> None:
        self.shown.set_query(text)
        self._show_counts()

    def _delegation_picked(self, *_: object) -> None:
        rows = self.delegation_table.selectionModel().selectedRows()
        source_row = self._by_delegation.mapToSource(rows[0]).row() if rows else None
        picked = self.delegations.count(source_row) if source_row is not None else None
        self.shown.set_delegation(picked.delegation if picked is not None else None)
        # one delegation: its name on every row would only take the names' room
        self.table.setColumnHidden(DelegatesModel.DELEGATION, picked is not None)
        self._show_counts()

    # ------------------------------------------------------------------ drawing

    def show_model(self, model: RoomView, areas: Area) -> None:
        """The roster changed: every row again (rare: an import, a delegate edited)."""
        self._model = model
        self.delegates.set_delegates(model.delegates.values())
        self._show_attendance()
        self._fit_columns()

    def _fit_columns(self) -> None:
        """The columns of numbers and words as wide as the widest text they can hold, worked
        out from the texts, not measured cell by cell on every update; the names share the
        rest."""
        numbers = [d.number for d in self.delegates.delegates()]
        fit_column(self.table, DelegatesModel.NUMBER, numbers)
        dot = 16 + 6  # the connection dot and its gap
        words = self.delegates.connection_words()
        fit_column(self.table, DelegatesModel.CONNECTION, words, extra=dot)
        widest = [self.delegations.widest_missing_text()]
        fit_column(self.delegation_table, DelegationsModel.MISSING, widest)

    def show_presence(self, presence: p.Presence) -> None:
        """Who is connected now: the connection of those who came or went, and the counts."""
        self._presence = presence
        self._online = online_ids(presence)
        self.delegates.set_online(self._online)
        self._show_attendance()

    def _show_attendance(self) -> None:
        self.delegations.set_counts(delegation_counts(self._model.delegates.values(), self._online))
        self._show_counts()

    def connected(self) -> int:
        """Delegates of the roster connected, as last known."""
        return connected_count(self._online, self._model.delegates)

    def refresh(self) -> None:
        """The connection to the room changed: are the connections shown live?"""
        self._show_counts()

    def _show_counts(self) -> None:
        """Every number the panel shows, and what the list says when it is empty."""
        connected = self.connected()
        live = self._requests.is_online()
        roster = self._model.roster
        self.count_button.set_count(
            connected if live else None,
            roster.delegates if roster is not None else None,
            self._presence.connected,
        )
        self.not_live_label.setVisible(not live)
        delegation = self.shown.delegation()
        picked = self.delegations.count_of(delegation) if delegation is not None else None
        online = picked.online if picked is not None else connected
        total = picked.total if picked is not None else len(self._model.delegates)
        labels = {
            MISSING: self.tr("Not connected (%1)").replace("%1", number_text(total - online)),
            CONNECTED: self.tr("Connected (%1)").replace("%1", number_text(online)),
            EVERYONE: self.tr("All (%1)").replace("%1", number_text(total)),
        }
        for state, button in self.state_buttons.items():
            button.setText(labels[state])
        shown = self.shown.rowCount()
        self.list_stack.setCurrentIndex(0 if shown else 1)
        self.empty_label.setText(self._empty_text())
        showing = (
            self.tr("Showing %1 of %2 delegates")
            .replace("%1", number_text(shown))
            .replace("%2", number_text(total))
        )
        if picked is not None:
            showing = f"{delegation_name(picked.delegation)} · {showing}"
        self.shown_label.setText(showing)
        self.all_delegations_button.setVisible(delegation is not None)

    def _empty_text(self) -> str:
        if not self._model.delegates:
            return self.tr("No roster on this console yet: import one on the room server.")
        if self.shown.query():
            return self.tr("No delegate matches “%1”.").replace("%1", self.search_edit.text())
        if self.shown.state() == MISSING:
            return self.tr("Every delegate is connected.")
        return self.tr("No delegate is connected.")

    def retranslate(self) -> None:
        self.search_edit.setPlaceholderText(self.tr("Search by number or name"))
        self.all_delegations_button.setText("‹  " + self.tr("All delegations"))
        self.not_live_label.setText(errors.presence_not_live())
        self.count_button.retranslate()
        self.delegates.retranslate()
        self.delegations.retranslate()
        self._fit_columns()
        self._show_counts()
