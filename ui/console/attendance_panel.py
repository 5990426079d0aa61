"""The console's attendance: who is at the meeting, checked in by their device or by hand, who
carries whose vote, and the counts a quorum is judged on.

The meeting is the one selected in the meetings panel. Made for a roster of thousands, as the
delegates' tab is: one table model behind a filtering proxy, and an attendance or proxy change
redraws the rows of the delegates it names, nothing else. A secretary selects delegates (several
at once: a whole delegation arriving) and checks them in, out, or marks them excused
(``attendance.set``); gives a delegate's proxy to another, found by typing, or withdraws it
(``proxy.set``). What the panel shows is what the room sends back (app/console_votes.py counts
it), never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
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

from app import console_votes as cv
from app import protocol as p
from app.state import Area, RoomView
from app.textfold import search_key, search_words
from ui import theme
from ui.console.delegate_picker import DelegatePicker, delegate_line
from ui.console.panel import ConsolePanel, Requests, Text, big_button
from ui.console.tables import (
    DelegateRowsFilter,
    delegation_name,
    fit_column,
    number_text,
    table_view,
)
from ui.theme import fix_window_minimum
from ui.widgets.elided import ElidedLabel

_ModelIndex = QModelIndex | QPersistentModelIndex

ALL, PRESENT, NOT_CHECKED_IN, ABSENT, EXCUSED = (
    "all",
    "present",
    "not_checked_in",
    "absent",
    "excused",
)
FILTERS = (ALL, PRESENT, NOT_CHECKED_IN, ABSENT, EXCUSED)
SortRole = Qt.ItemDataRole.UserRole + 1
#: Delegates one ``attendance.set`` names at most (app/protocol.py).
MAX_PER_SET = 5000

#: The colour of each status's dot.
_DOT_COLOURS: dict[cv.Status, QColor] = {
    "present": theme.ONLINE,
    "absent": theme.DANGER,
    "excused": theme.CONNECTING,
    "not_checked_in": theme.OFFLINE,
}


def _dot(color: QColor, filled: bool) -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(color)
    painter.setBrush(color if filled else Qt.GlobalColor.transparent)
    painter.drawEllipse(2, 2, 11, 11)
    painter.end()
    return QIcon(pixmap)


class AttendanceModel(QAbstractTableModel):
    """Every delegate of the roster, by number: number, name, delegation, attendance, proxy."""

    NUMBER, NAME, DELEGATION, STATUS, PROXY = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[p.Delegate] = []
        self._keys: list[str] = []
        self._row_of: dict[int, int] = {}
        self._by_id: dict[int, p.Delegate] = {}
        self._standings: Mapping[int, cv.Standing] = {}
        self._dots = {
            status: _dot(c, status != "not_checked_in") for status, c in _DOT_COLOURS.items()
        }

    def set_delegates(self, delegates: Iterable[p.Delegate]) -> None:
        collator = QCollator(QLocale())
        collator.setNumericMode(True)
        self.beginResetModel()
        self._rows = sorted(delegates, key=lambda d: (collator.sortKey(d.number), d.id))
        self._keys = [
            search_key(d.number, d.number.lstrip("0"), d.full_name, d.delegation)
            for d in self._rows
        ]
        self._row_of = {d.id: row for row, d in enumerate(self._rows)}
        self._by_id = {d.id: d for d in self._rows}
        self._standings = {}
        self.endResetModel()

    def set_standings(self, standings: Mapping[int, cv.Standing]) -> None:
        """The meeting's attendance now: only the rows whose standing changed are redrawn
        (and filtered again), one signal per run of neighbouring rows."""
        before = self._standings
        self._standings = standings
        changed = sorted(self._row_of[i] for i in self._row_of if before.get(i) != standings.get(i))
        start = 0
        for n in range(1, len(changed) + 1):
            if n == len(changed) or changed[n] != changed[n - 1] + 1:
                first = self.index(changed[start], self.STATUS)
                last = self.index(changed[n - 1], self.PROXY)
                self.dataChanged.emit(first, last)
                start = n

    def delegates(self) -> list[p.Delegate]:
        return list(self._rows)

    def delegate(self, row: int) -> p.Delegate:
        return self._rows[row]

    def standing(self, row: int) -> cv.Standing:
        delegate = self._rows[row]
        return self._standings.get(delegate.id) or cv.Standing(delegate=delegate)

    def standing_of(self, delegate_id: int) -> cv.Standing | None:
        return self._standings.get(delegate_id)

    def key(self, row: int) -> str:
        return self._keys[row]

    def status_words(self) -> dict[cv.Status, str]:
        return {
            "present": self.tr("Present"),
            "absent": self.tr("Absent"),
            "excused": self.tr("Excused"),
            "not_checked_in": self.tr("Not checked in"),
        }

    def status_text(self, standing: cv.Standing) -> str:
        word = self.status_words()[standing.status]
        if standing.manual and standing.status != "not_checked_in":
            return self.tr("%1 · by hand").replace("%1", word)
        return word

    def widest_status_texts(self) -> list[str]:
        words = self.status_words()
        return [self.tr("%1 · by hand").replace("%1", w) for w in words.values()]

    def _who(self, delegate_id: int) -> str:
        other = self._by_id.get(delegate_id)
        return f"{other.number} {other.full_name}" if other is not None else f"#{delegate_id}"

    def proxy_text(self, standing: cv.Standing) -> str:
        if standing.gives_to is not None:
            return self.tr("Proxy to %1").replace("%1", self._who(standing.gives_to))
        if len(standing.holds) == 1:
            return self.tr("Holds proxy of %1").replace("%1", self._who(standing.holds[0]))
        if standing.holds:
            numbers = ", ".join(
                self._by_id[g].number if g in self._by_id else f"#{g}" for g in standing.holds
            )
            return self.tr("Holds proxies of %1").replace("%1", numbers)
        return ""

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.PROXY)
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, self.STATUS), self.index(last, self.PROXY))

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

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
            if column == self.STATUS:
                return self.status_text(self.standing(row))
            return self.proxy_text(self.standing(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.NAME:
                return (
                    delegate.full_name
                    if delegate.voting_right
                    else self.tr("%1 (no voting right)").replace("%1", delegate.full_name)
                )
            if column == self.DELEGATION:
                return delegate.delegation
            if column == self.PROXY:
                return self.proxy_text(self.standing(row)) or None
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return self._dots[self.standing(row).status]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.STATUS and self.standing(row).status == "not_checked_in":
                return theme.INK_MUTED
            if column == self.NAME and not delegate.voting_right:
                return theme.INK_MUTED
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("No."),
            self.tr("Name"),
            self.tr("Delegation"),
            self.tr("Attendance"),
            self.tr("Proxy"),
        )[section]


class AttendanceFilter(DelegateRowsFilter):
    """The rows asked for: by status, by delegation, by the words searched."""

    def __init__(self, source: AttendanceModel, parent: QObject | None = None) -> None:
        super().__init__(source, ALL, parent)
        self._source = source

    def in_state(self, source_row: int) -> bool:
        return self.state == ALL or self._source.standing(source_row).status == self.state

    def row_delegate(self, source_row: int) -> p.Delegate:
        return self._source.delegate(source_row)

    def row_key(self, source_row: int) -> str:
        return self._source.key(source_row)


class DelegationAttendanceModel(QAbstractTableModel):
    """Present of all, per delegation."""

    NAME, PRESENT = range(2)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[cv.DelegationAttendance] = []
        self._ranks: list[int] = []

    def set_counts(self, counts: list[cv.DelegationAttendance]) -> None:
        if [c.delegation for c in counts] == [c.delegation for c in self._rows]:
            self._rows = counts
            if counts:
                self.dataChanged.emit(
                    self.index(0, self.PRESENT), self.index(len(counts) - 1, self.PRESENT)
                )
            return
        self.beginResetModel()
        self._rows = counts
        self._rank()
        self.endResetModel()

    def _rank(self) -> None:
        collator = QCollator(QLocale())
        collator.setNumericMode(True)  # "Đoàn số 2" before "Đoàn số 10"
        names = [c.delegation for c in self._rows]
        order = sorted(range(len(names)), key=lambda n: collator.sortKey(names[n]))
        self._ranks = [0] * len(names)
        for rank, n in enumerate(order):
            self._ranks[n] = rank

    def count(self, row: int) -> cv.DelegationAttendance:
        return self._rows[row]

    def count_of(self, delegation: str) -> cv.DelegationAttendance | None:
        return next((c for c in self._rows if c.delegation == delegation), None)

    def present_text(self, present: int, total: int) -> str:
        return (
            self.tr("%1 of %2")
            .replace("%1", number_text(present))
            .replace("%2", number_text(total))
        )

    def widest_present_text(self) -> str:
        largest = max((c.total for c in self._rows), default=0)
        return self.present_text(largest, largest)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.PRESENT)
        self._rank()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.PRESENT))

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        c = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return delegation_name(c.delegation)
            return self.present_text(c.present, c.total)
        if role == SortRole:
            return self._ranks[row] if column == self.NAME else c.present - c.total
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PRESENT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.PRESENT:
            return theme.INK_DONE if c.present == c.total else theme.INK
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and section == self.PRESENT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Delegation"), self.tr("Present"))[section]


class ProxyDialog(QDialog):
    """Who carries ``giver``'s vote at the meeting: one delegate, found by typing."""

    def __init__(
        self, parent: QWidget | None, giver: p.Delegate, candidates: Iterable[p.Delegate]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Give a proxy"))
        text = QLabel(
            self.tr("Who carries the vote of %1 at this meeting?").replace(
                "%1", delegate_line(giver)
            ),
            self,
        )
        text.setObjectName("confirmText")
        text.setWordWrap(True)
        self.picker = DelegatePicker(candidates, self)
        self.picker.picked.connect(self._picked)
        note = QLabel(
            self.tr(
                "A delegate who holds a proxy cannot give theirs, and one who gave theirs holds "
                "none: they are not listed."
            ),
            self,
        )
        note.setObjectName("voteHint")
        note.setWordWrap(True)
        self.ok_button = QPushButton(self.tr("Give the proxy"), self)
        self.ok_button.setObjectName("primaryButton")
        self.ok_button.setDefault(True)
        self.ok_button.setMinimumHeight(48)
        self.ok_button.setEnabled(False)
        self.ok_button.clicked.connect(self.accept)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.setMinimumHeight(48)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.ok_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(12)
        box.addWidget(text)
        box.addWidget(self.picker, 1)
        box.addWidget(note)
        box.addLayout(row)
        fix_window_minimum(self, 560, 520)
        self.resize(620, 600)
        self.picker.search_edit.setFocus()

    def _picked(self, delegate_id: int | None) -> None:
        self.ok_button.setEnabled(delegate_id is not None)

    def holder_id(self) -> int | None:
        return self.picker.selected_id()


class AttendancePanel(ConsolePanel):
    """The attendance of the meeting :meth:`set_meeting` names, and the tools that change it."""

    areas = Area.VOTES | Area.ROSTER | Area.MEETINGS

    def __init__(self, requests: Requests, model: RoomView, parent: QWidget | None = None) -> None:
        super().__init__(requests, model, parent)
        self._meeting_id: int | None = None
        self._standings: dict[int, cv.Standing] = {}
        self._counts = cv.Counts()
        self._notice: Text | None = None
        self._seen: tuple[object, object] | None = None
        self.heading.hide()  # the tab says "Attendance"
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("attendanceSummary")
        self.summary_label.setWordWrap(True)
        self.quorum_label = QLabel(self)
        self.quorum_label.setObjectName("attendanceQuorum")
        self.quorum_label.setWordWrap(True)

        self.filter_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 0, 16, 0)
        bar.setSpacing(0)
        for state in FILTERS:
            button = QPushButton(self)
            button.setObjectName("filterButton")
            button.setCheckable(True)
            # the ends of the segmented control, styled as the delegates' tab's
            button.setProperty("state", {ALL: "missing", EXCUSED: "all"}.get(state, ""))
            button.clicked.connect(lambda _=False, s=state: self.set_filter(s))
            group.addButton(button)
            self.filter_buttons[state] = button
            bar.addWidget(button)
        self.filter_buttons[ALL].setChecked(True)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self.search_edit.setMaximumWidth(420)
        self.search_edit.textChanged.connect(self._searched)

        self.delegates = AttendanceModel(self)
        self.shown = AttendanceFilter(self.delegates, self)
        self.table = table_view(self, "attendanceTable")
        self.table.setModel(self.shown)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns.setSectionResizeMode(AttendanceModel.PROXY, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)
        self.shown_label = ElidedLabel(self)
        self.shown_label.setObjectName("listCount")
        self.select_all_button = QPushButton(self)
        self.select_all_button.setObjectName("linkButton")
        self.select_all_button.clicked.connect(self.table.selectAll)

        self.delegations = DelegationAttendanceModel(self)
        self._by_delegation = QSortFilterProxyModel(self)
        self._by_delegation.setSourceModel(self.delegations)
        self._by_delegation.setSortRole(SortRole)
        self.delegation_table = table_view(self, "delegationAttendance")
        self.delegation_table.setModel(self._by_delegation)
        self.delegation_table.setSortingEnabled(True)
        self.delegation_table.sortByColumn(
            DelegationAttendanceModel.NAME, Qt.SortOrder.AscendingOrder
        )
        d_columns = self.delegation_table.horizontalHeader()
        d_columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        d_columns.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.delegation_table.setMinimumWidth(260)
        self.delegation_table.selectionModel().selectionChanged.connect(self._delegation_picked)
        self.all_delegations_button = QPushButton(self)
        self.all_delegations_button.setObjectName("linkButton")
        self.all_delegations_button.clicked.connect(self.delegation_table.clearSelection)

        self.check_in_button = big_button("", "toolButton", self)
        self.check_in_button.clicked.connect(lambda: self.set_status("present"))
        self.check_out_button = big_button("", "toolButton", self)
        self.check_out_button.clicked.connect(lambda: self.set_status("absent"))
        self.excused_button = big_button("", "toolButton", self)
        self.excused_button.clicked.connect(lambda: self.set_status("excused"))
        self.proxy_button = big_button("", "toolButton", self)
        self.proxy_button.clicked.connect(self.give_proxy)
        self.withdraw_proxy_button = big_button("", "toolButton", self)
        self.withdraw_proxy_button.clicked.connect(self.withdraw_proxy)
        for button in (
            self.check_in_button,
            self.check_out_button,
            self.excused_button,
            self.proxy_button,
            self.withdraw_proxy_button,
        ):
            button.setAutoDefault(False)
        self.selection_label = QLabel(self)
        self.selection_label.setObjectName("voteHint")
        self.selection_label.setWordWrap(True)
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("panelNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()

        # what acts on the selection sits under the list it acts on
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(6)
        for button in (self.check_in_button, self.check_out_button, self.excused_button):
            actions.addWidget(button)
        actions.addSpacing(14)
        actions.addWidget(self.proxy_button)
        actions.addWidget(self.withdraw_proxy_button)
        actions.addStretch(1)

        left = QWidget(self)
        l_box = QVBoxLayout(left)
        l_box.setContentsMargins(0, 0, 0, 0)
        l_box.addWidget(self.delegation_table, 1)
        l_box.addWidget(self.all_delegations_button, 0, Qt.AlignmentFlag.AlignLeft)
        right = QWidget(self)
        r_box = QVBoxLayout(right)
        r_box.setContentsMargins(0, 0, 0, 0)
        r_box.setSpacing(6)
        r_box.addWidget(self.list_stack, 1)
        r_box.addLayout(actions)
        under = QHBoxLayout()
        under.addWidget(self.shown_label, 1)
        under.addWidget(self.select_all_button)
        r_box.addLayout(under)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.setHandleWidth(12)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 940])
        # the counts, and the search beside them: the list keeps the height it needs
        figures = QVBoxLayout()
        figures.setSpacing(2)
        figures.addWidget(self.summary_label)
        figures.addWidget(self.quorum_label)
        top = QHBoxLayout()
        top.setContentsMargins(16, 12, 16, 0)
        top.setSpacing(16)
        top.addLayout(figures, 3)
        top.addWidget(self.search_edit, 1, Qt.AlignmentFlag.AlignVCenter)
        notice = QHBoxLayout()
        notice.setContentsMargins(16, 0, 16, 0)
        notice.addWidget(self.notice_label)
        body = QVBoxLayout()
        body.setContentsMargins(16, 0, 16, 12)
        body.addWidget(split)
        self.box.setSpacing(10)
        self.box.addLayout(top)
        self.box.addLayout(notice)
        bar.insertWidget(len(FILTERS), self.selection_label, 1)
        bar.insertSpacing(len(FILTERS), 16)
        self.box.addLayout(bar)
        self.box.addLayout(body, 1)
        self.retranslate()

    # ------------------------------------------------------------------ meeting and state

    def set_meeting(self, meeting_id: int | None) -> None:
        if meeting_id != self._meeting_id:
            self._meeting_id = meeting_id
            self._notice = None
            self._seen = None
            self.table.clearSelection()
            self._rebuild()

    def meeting(self) -> p.Meeting | None:
        return self._model.meetings.get(self._meeting_id) if self._meeting_id is not None else None

    def show_model(self, model: RoomView, areas: Area) -> None:
        self._model = model
        if areas & Area.ROSTER:
            self.delegates.set_delegates(model.delegates.values())
            self._seen = None
            self._fit_columns()
        self._rebuild()

    def _rebuild(self) -> None:
        """The standings of the meeting again, if its attendance or proxies changed (a turnout
        update, the most frequent during a vote, changes neither)."""
        model = self._model
        seen = (dict(model.attendance), dict(model.proxies))
        if seen != self._seen or self._meeting_id is None:
            self._seen = seen
            if self._meeting_id is None:
                self._standings = {}
            else:
                self._standings = cv.standings(
                    model.delegates.values(), model.attendance, model.proxies, self._meeting_id
                )
            self.delegates.set_standings(self._standings)
            self._counts = cv.count(self._standings)
            self.delegations.set_counts(cv.delegation_counts(self._standings.values()))
            fit_column(
                self.delegation_table,
                DelegationAttendanceModel.PRESENT,
                [self.delegations.widest_present_text()],
            )
        self.refresh()

    def _fit_columns(self) -> None:
        """Numbers, names, statuses and delegations as wide as their widest text (a name at
        most 320 px, a delegation 260: the longest are shortened, in full in their tooltip);
        the proxies take the rest."""
        delegates = self.delegates.delegates()
        fit_column(self.table, AttendanceModel.NUMBER, [d.number for d in delegates])
        for column, texts, widest in (
            (AttendanceModel.NAME, {d.full_name for d in delegates}, 320),
            (AttendanceModel.DELEGATION, {d.delegation for d in delegates}, 260),
        ):
            fit_column(self.table, column, texts)
            if self.table.columnWidth(column) > widest:
                self.table.setColumnWidth(column, widest)
        fit_column(
            self.table, AttendanceModel.STATUS, self.delegates.widest_status_texts(), extra=16 + 6
        )
        fit_column(
            self.delegation_table,
            DelegationAttendanceModel.PRESENT,
            [self.delegations.widest_present_text()],
        )

    def standing(self, delegate_id: int) -> cv.Standing | None:
        return self._standings.get(delegate_id)

    def counts(self) -> cv.Counts:
        return self._counts

    # ------------------------------------------------------------------ filters

    def set_filter(self, state: str) -> None:
        self.filter_buttons[state].setChecked(True)
        self.shown.set(state=state)
        self.refresh()

    def _searched(self, text: str) -> None:
        self.shown.set(words=search_words(text))
        self.refresh()

    def _delegation_picked(self, *_: object) -> None:
        rows = self.delegation_table.selectionModel().selectedRows()
        source = self._by_delegation.mapToSource(rows[0]).row() if rows else None
        picked = self.delegations.count(source) if source is not None else None
        self.shown.set(delegation=picked.delegation if picked is not None else None)
        self.table.setColumnHidden(AttendanceModel.DELEGATION, picked is not None)
        self.refresh()

    def _selection_changed(self, *_: object) -> None:
        self.refresh()

    def selected_ids(self) -> list[int]:
        """The delegates selected (among those shown), by number."""
        rows = sorted(
            self.shown.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()
        )
        return [self.delegates.delegate(r).id for r in rows]

    def select_delegates(self, delegate_ids: Iterable[int]) -> None:
        """Select those of ``delegate_ids`` that are shown (for a test, or a caller that knows)."""
        wanted = set(delegate_ids)
        picked = QItemSelection()
        for row in range(self.shown.rowCount()):
            index = self.shown.index(row, 0)
            if self.delegates.delegate(self.shown.mapToSource(index).row()).id in wanted:
                picked.select(index, index)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(picked, flags)  # one change, however many

    # ------------------------------------------------------------------ drawing

    def refresh(self) -> None:
        counts = self._counts
        meeting = self.meeting()
        if meeting is None:
            self.summary_label.setText(self.tr("Select a meeting to see its attendance."))
            self.quorum_label.setText("")
        else:
            self.summary_label.setText(
                self.tr("Present %1 of %2 · excused %3 · absent %4 · not checked in %5")
                .replace("%1", number_text(counts.present))
                .replace("%2", number_text(counts.total))
                .replace("%3", number_text(counts.excused))
                .replace("%4", number_text(counts.absent))
                .replace("%5", number_text(counts.not_checked_in))
            )
            self.quorum_label.setText(
                self.tr("Members with a vote: %1 present + %2 by proxy = %3 of %4")
                .replace("%1", number_text(counts.members_present))
                .replace("%2", number_text(counts.members_represented))
                .replace("%3", number_text(counts.members_present + counts.members_represented))
                .replace("%4", number_text(counts.members))
            )
        delegation = self.shown.delegation
        picked = self.delegations.count_of(delegation) if delegation is not None else None
        if picked is not None:
            by_status = {PRESENT: picked.present, ALL: picked.total}
            in_it = [s for s in self._standings.values() if s.delegate.delegation == delegation]
            for status in (NOT_CHECKED_IN, ABSENT, EXCUSED):
                by_status[status] = sum(s.status == status for s in in_it)
        else:
            by_status = {state: counts.of(state) for state in FILTERS if state != ALL}  # type: ignore[arg-type]
            by_status[ALL] = counts.total
        labels = {
            ALL: self.tr("All (%1)"),
            PRESENT: self.tr("Present (%1)"),
            NOT_CHECKED_IN: self.tr("Not checked in (%1)"),
            ABSENT: self.tr("Absent (%1)"),
            EXCUSED: self.tr("Excused (%1)"),
        }
        for state, button in self.filter_buttons.items():
            button.setText(labels[state].replace("%1", number_text(by_status[state])))
        shown = self.shown.rowCount()
        self.list_stack.setCurrentIndex(0 if shown else 1)
        self.empty_label.setText(self._empty_text())
        showing = (
            self.tr("Showing %1 of %2 delegates")
            .replace("%1", number_text(shown))
            .replace("%2", number_text(by_status[ALL]))
        )
        if picked is not None:
            showing = f"{delegation_name(picked.delegation)} · {showing}"
        elif meeting is not None:
            showing = f"{meeting.title} · {showing}"
        selected = len(self.selected_ids())
        if selected:
            showing += " · " + self.tr("%1 selected").replace("%1", number_text(selected))
        self.shown_label.setText(showing)
        self.all_delegations_button.setVisible(delegation is not None)
        self._refresh_actions()
        if self._notice is not None:
            self.notice_label.setText(self._notice())
        self.notice_label.setVisible(self._notice is not None)

    def _refresh_actions(self) -> None:
        meeting = self.meeting()
        can = self._requests.is_online() and meeting is not None and meeting.status != "closed"
        ids = self.selected_ids()
        for button in (self.check_in_button, self.check_out_button, self.excused_button):
            button.setEnabled(can and bool(ids))
        one = self._standings.get(ids[0]) if len(ids) == 1 else None
        self.proxy_button.setEnabled(can and one is not None and not one.holds)
        self.withdraw_proxy_button.setEnabled(can and one is not None and one.gives_to is not None)
        self.select_all_button.setEnabled(self.shown.rowCount() > 0)
        if one is not None and one.holds:
            hint = self.tr("%1 holds proxies, so cannot give theirs.").replace(
                "%1", one.delegate.full_name
            )
        elif ids:
            hint = ""
        else:
            hint = self.tr("Select delegates (Ctrl or Shift for several).")
        self.selection_label.setText(hint)

    def _empty_text(self) -> str:
        if not self._model.delegates:
            return self.tr("No roster on this console yet: import one on the room server.")
        if self.meeting() is None:
            return self.tr("Select a meeting to see its attendance.")
        if self.shown.words:
            return self.tr("No delegate matches “%1”.").replace("%1", self.search_edit.text())
        return self.tr("No delegate has this status.")

    def retranslate(self) -> None:
        self.search_edit.setPlaceholderText(self.tr("Search by number or name"))
        self.all_delegations_button.setText("‹  " + self.tr("All delegations"))
        self.select_all_button.setText(self.tr("Select all shown"))
        self.check_in_button.setText(self.tr("Check in"))
        self.check_out_button.setText(self.tr("Check out"))
        self.excused_button.setText(self.tr("Excused"))
        self.proxy_button.setText(self.tr("Proxy…"))
        self.withdraw_proxy_button.setText(self.tr("Withdraw proxy"))
        self.delegates.retranslate()
        self.delegations.retranslate()
        self._fit_columns()
        self.refresh()

    # ------------------------------------------------------------------ requests

    def _failed(self, text: Text) -> None:
        self._notice = text
        self.refresh()

    def _sent(self, _reply: object = None) -> None:
        self._notice = None
        self.refresh()

    def set_status(self, status: p.AttendanceStatus) -> None:
        """Check the selected delegates in or out, or mark them excused."""
        meeting = self.meeting()
        ids = self.selected_ids()
        if meeting is None or not ids:
            return
        n = len(ids)
        done = {
            "present": lambda: self.tr("Checked in: %1").replace("%1", number_text(n)),
            "absent": lambda: self.tr("Checked out: %1").replace("%1", number_text(n)),
            "excused": lambda: self.tr("Marked excused: %1").replace("%1", number_text(n)),
        }[status]
        for at in range(0, n, MAX_PER_SET):  # a roster larger than one request takes
            self._requests.send(
                p.AttendanceSet(
                    id=0,
                    meeting_id=meeting.id,
                    delegate_ids=ids[at : at + MAX_PER_SET],
                    status=status,
                ),
                done,
                self._sent,
                receiver=self,
                on_error=self._failed,
            )

    def give_proxy(self) -> None:
        """The selected delegate's vote carried by another, chosen in a dialog."""
        meeting = self.meeting()
        ids = self.selected_ids()
        giver = self._standings.get(ids[0]) if len(ids) == 1 else None
        if meeting is None or giver is None or giver.holds:
            return
        # a holder gives no proxy, and a giver holds none (the room refuses both)
        candidates = [
            s.delegate
            for s in self._standings.values()
            if s.delegate.id != giver.delegate.id and s.gives_to is None
        ]
        dialog = ProxyDialog(self, giver.delegate, candidates)
        if giver.gives_to is not None:
            dialog.picker.select(giver.gives_to)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        holder = dialog.holder_id()
        dialog.deleteLater()
        if not accepted or holder is None:
            return
        self._requests.send(
            p.ProxySet(id=0, meeting_id=meeting.id, giver_id=giver.delegate.id, holder_id=holder),
            lambda: self.tr("Proxy given."),
            self._sent,
            receiver=self,
            on_error=self._failed,
        )

    def withdraw_proxy(self) -> None:
        meeting = self.meeting()
        ids = self.selected_ids()
        giver = self._standings.get(ids[0]) if len(ids) == 1 else None
        if meeting is None or giver is None or giver.gives_to is None:
            return
        self._requests.send(
            p.ProxySet(id=0, meeting_id=meeting.id, giver_id=giver.delegate.id, holder_id=None),
            lambda: self.tr("Proxy withdrawn."),
            self._sent,
            receiver=self,
            on_error=self._failed,
        )
