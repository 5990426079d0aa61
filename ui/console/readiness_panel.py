"""The readiness board: which delegates' devices hold the meeting's documents, before it starts.

The meeting is the one selected in the meetings panel. While the board is on screen and the
room is reachable, it asks the room (``readiness.get``) every few seconds: devices report what
they hold as they download (app/docsync.py), so the numbers move during pre-staging and stop
once everyone is ready. Like the delegates' tab it is one table model behind a filter, for a
roster of thousands: "not ready" by default, per delegation (how many are not ready), and the
same diacritics-blind search (app/textfold.py). A delegate is ready when one of their devices
holds everything of the meeting they may read (app/readiness.py).
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app.readiness import DelegateReadiness, DelegationReadiness, by_delegate, delegation_counts
from app.state import Area, RoomView
from app.textfold import search_key, search_words
from ui import theme
from ui.console.panel import ConsolePanel, Requests
from ui.console.tables import (
    DelegateRowsFilter,
    delegation_name,
    fit_column,
    number_text,
    table_view,
)

_ModelIndex = QModelIndex | QPersistentModelIndex

NOT_READY, READY, EVERYONE = "not_ready", "ready", "all"
FILTERS = (NOT_READY, READY, EVERYONE)
#: How often the board asks the room while it is shown.
POLL_MS = 5000


class ReadinessModel(QAbstractTableModel):
    """One row per delegate: number, name, delegation, what their best device holds, when
    they last reported."""

    NUMBER, NAME, DELEGATION, HELD, REPORTED = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DelegateReadiness] = []
        self._keys: list[str] = []
        self.now = time.time

    def set_rows(self, rows: list[DelegateReadiness]) -> None:
        collator = QCollator(QLocale())
        collator.setNumericMode(True)
        ordered = sorted(rows, key=lambda r: (collator.sortKey(r.delegate.number), r.delegate.id))
        if [r.delegate.id for r in ordered] == [r.delegate.id for r in self._rows]:
            self._rows = ordered  # same delegates: the numbers changed, the rows stay
            if ordered:
                self.dataChanged.emit(
                    self.index(0, self.HELD), self.index(len(ordered) - 1, self.REPORTED)
                )
            return
        self.beginResetModel()
        self._rows = ordered
        self._keys = [
            search_key(d.number, d.number.lstrip("0"), d.full_name, d.delegation)
            for d in (r.delegate for r in ordered)
        ]
        self.endResetModel()

    def row(self, row: int) -> DelegateReadiness:
        return self._rows[row]

    def key(self, row: int) -> str:
        return self._keys[row]

    def rows(self) -> list[DelegateReadiness]:
        return list(self._rows)

    def held_text(self, r: DelegateReadiness) -> str:
        best = r.best
        if best is None:
            return self.tr("No device")
        if r.ready:
            return self.tr("Ready")
        percent = int(100 * best.held / best.total) if best.total else 100
        return (
            self.tr("%1 % (%2 of %3)")
            .replace("%1", str(percent))
            .replace("%2", number_text(best.held))
            .replace("%3", number_text(best.total))
        )

    def reported_text(self, r: DelegateReadiness) -> str:
        """How long ago the delegate's device said what it holds, short for a column."""
        at = r.last_report
        if at is None:
            return "—"
        minutes = max(int(self.now() - at) // 60, 0)
        if minutes < 1:
            return self.tr("just now")
        if minutes < 60:
            return self.tr("%1 min ago").replace("%1", str(minutes))
        if minutes < 24 * 60:
            return self.tr("%1 h ago").replace("%1", str(minutes // 60))
        return datetime.datetime.fromtimestamp(at).strftime("%d/%m %H:%M")

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        r = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return r.delegate.number
            if column == self.NAME:
                return r.delegate.full_name
            if column == self.DELEGATION:
                return r.delegate.delegation
            if column == self.HELD:
                return self.held_text(r)
            return self.reported_text(r)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.HELD:
            return theme.ONLINE if r.ready else theme.DANGER
        if role == Qt.ItemDataRole.ToolTipRole and column == self.HELD and r.devices:
            lines = [
                self.tr("Device %1: %2 of %3")
                .replace("%1", str(d.device_id))
                .replace("%2", number_text(d.held))
                .replace("%3", number_text(d.total))
                for d in r.devices
            ]
            return "\n".join(lines)
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
            self.tr("Documents held"),
            self.tr("Last report"),
        )[section]


class ReadinessFilter(DelegateRowsFilter):
    def __init__(self, source: ReadinessModel, parent: QObject | None = None) -> None:
        super().__init__(source, NOT_READY, parent)
        self._source = source

    def in_state(self, source_row: int) -> bool:
        return self.state == EVERYONE or self._source.row(source_row).ready == (self.state == READY)

    def row_delegate(self, source_row: int) -> p.Delegate:
        return self._source.row(source_row).delegate

    def row_key(self, source_row: int) -> str:
        return self._source.key(source_row)


class DelegationReadinessModel(QAbstractTableModel):
    NAME, NOT_READY = range(2)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DelegationReadiness] = []

    def set_counts(self, counts: list[DelegationReadiness]) -> None:
        self.beginResetModel()
        self._rows = counts
        self.endResetModel()

    def count(self, row: int) -> DelegationReadiness:
        return self._rows[row]

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
            return (
                self.tr("%1 of %2")
                .replace("%1", number_text(c.not_ready))
                .replace("%2", number_text(c.total))
            )
        if role == Qt.ItemDataRole.ForegroundRole and column == self.NOT_READY:
            return theme.DANGER if c.not_ready else theme.INK_DONE
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.NOT_READY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Delegation"), self.tr("Not ready"))[section]


class ReadinessPanel(ConsolePanel):
    """The board for the meeting :meth:`set_meeting` names."""

    areas = Area.ROSTER | Area.MEETINGS | Area.DOCUMENTS

    def __init__(self, requests: Requests, model: RoomView, parent: QWidget | None = None) -> None:
        super().__init__(requests, model, parent)
        self._meeting_id: int | None = None
        self._devices: list[p.DeviceReadiness] = []
        self._asking = False
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("readinessSummary")
        self.summary_label.setWordWrap(True)
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
            button.setProperty("state", {NOT_READY: "missing", EVERYONE: "all"}.get(state, ""))
            button.clicked.connect(lambda _=False, s=state: self.set_filter(s))
            group.addButton(button)
            self.filter_buttons[state] = button
            bar.addWidget(button)
        self.filter_buttons[NOT_READY].setChecked(True)
        bar.addSpacing(16)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._searched)
        bar.addWidget(self.search_edit, 1)
        self.delegates = ReadinessModel(self)
        self.shown = ReadinessFilter(self.delegates, self)
        self.table = table_view(self, "readinessTable")
        self.table.setModel(self.shown)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for column in (ReadinessModel.NAME, ReadinessModel.DELEGATION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.delegations = DelegationReadinessModel(self)
        self.delegation_table = table_view(self, "delegationReadiness")
        self.delegation_table.setModel(self.delegations)
        self.delegation_table.setMinimumWidth(300)
        d_header = self.delegation_table.horizontalHeader()
        d_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.delegation_table.selectionModel().selectionChanged.connect(self._delegation_picked)
        self.shown_label = QLabel(self)
        self.shown_label.setObjectName("listCount")
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.setHandleWidth(12)
        split.addWidget(self.delegation_table)
        right = QWidget(self)
        r_box = QVBoxLayout(right)
        r_box.setContentsMargins(0, 0, 0, 0)
        r_box.addWidget(self.table, 1)
        r_box.addWidget(self.shown_label)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([320, 900])
        top = QHBoxLayout()
        top.setContentsMargins(16, 0, 16, 0)
        top.addWidget(self.summary_label)
        body = QVBoxLayout()
        body.setContentsMargins(16, 0, 16, 12)
        body.addWidget(split)
        self.box.setSpacing(10)
        self.box.addLayout(top)
        self.box.addLayout(bar)
        self.box.addLayout(body, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.ask)
        self.retranslate()

    # ------------------------------------------------------------------ asking the room

    def set_meeting(self, meeting_id: int | None) -> None:
        if meeting_id != self._meeting_id:
            self._meeting_id = meeting_id
            self._devices = []
            self._rebuild()
            self.ask()

    def showEvent(self, event: Any) -> None:
        self.timer.start()
        self.ask()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def ask(self) -> None:
        """One ``readiness.get`` for the meeting shown, unless one is on its way or the board is
        not on screen."""
        if self._meeting_id is None or self._asking or not self._requests.is_online():
            return
        if not self.isVisible():
            return
        self._asking = True
        meeting_id = self._meeting_id

        def got(reply: p.Readiness) -> None:
            self._asking = False
            if isinstance(reply, p.Readiness) and reply.meeting_id == self._meeting_id:
                self._devices = list(reply.devices)
                self._rebuild()

        def failed(_exc: BaseException) -> None:
            self._asking = False

        self._requests.ask(p.ReadinessGet(id=0, meeting_id=meeting_id), got, failed, self)

    # ------------------------------------------------------------------ drawing

    def show_model(self, model: RoomView, areas: Area) -> None:
        self._model = model
        self._rebuild()

    def _rebuild(self) -> None:
        rows = by_delegate(self._model.delegates.values(), self._devices)
        self.delegates.set_rows(rows)
        self.delegations.set_counts(delegation_counts(self.delegates.rows()))
        fit_column(self.table, ReadinessModel.NUMBER, [r.delegate.number for r in rows])
        fit_column(self.table, ReadinessModel.HELD, [self.delegates.held_text(r) for r in rows])
        # the age texts are few ("2 min ago", "1 h ago"…): measure the distinct ones
        ages = {self.delegates.reported_text(r) for r in rows}
        fit_column(self.table, ReadinessModel.REPORTED, ages)
        counts = self.delegations
        fit_column(
            self.delegation_table,
            1,
            [str(counts.data(counts.index(i, 1))) for i in range(counts.rowCount())],
        )
        self._show_counts()

    def _searched(self, text: str) -> None:
        self.shown.set(words=search_words(text))
        self._show_counts()

    def set_filter(self, state: str) -> None:
        self.filter_buttons[state].setChecked(True)
        self.shown.set(state=state)
        self._show_counts()

    def _delegation_picked(self, *_: object) -> None:
        picked = self.delegation_table.selectionModel().selectedRows()
        name = self.delegations.count(picked[0].row()).delegation if picked else None
        self.shown.set(delegation=name)
        self._show_counts()

    def refresh(self) -> None:
        self._show_counts()

    def _show_counts(self) -> None:
        rows = self.delegates.rows()
        ready = sum(r.ready for r in rows)
        no_device = sum(r.state == "no_device" for r in rows)
        meeting = self._model.meetings.get(self._meeting_id) if self._meeting_id else None
        if meeting is None:
            self.summary_label.setText(self.tr("Select a meeting to see who holds its documents."))
        else:
            self.summary_label.setText(
                self.tr("%1: %2 of %3 delegates hold all its documents; %4 have no device.")
                .replace("%1", meeting.title)
                .replace("%2", number_text(ready))
                .replace("%3", number_text(len(rows)))
                .replace("%4", number_text(no_device))
            )
        labels = {
            NOT_READY: self.tr("Not ready (%1)").replace("%1", number_text(len(rows) - ready)),
            READY: self.tr("Ready (%1)").replace("%1", number_text(ready)),
            EVERYONE: self.tr("All (%1)").replace("%1", number_text(len(rows))),
        }
        for state, button in self.filter_buttons.items():
            button.setText(labels[state])
        self.shown_label.setText(
            self.tr("Showing %1 of %2 delegates")
            .replace("%1", number_text(self.shown.rowCount()))
            .replace("%2", number_text(len(rows)))
        )

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Readiness"))
        self.search_edit.setPlaceholderText(self.tr("Search by number or name"))
        self._show_counts()
