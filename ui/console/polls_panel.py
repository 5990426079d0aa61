"""The console's votes: the polls of the meeting, prepared, opened, watched and closed.

The meeting is the one selected in the meetings panel. **New poll…** opens the poll's form
(ui/console/poll_dialog.py); a selected poll is opened, closed or cancelled here (closing and
cancelling are asked first: neither can be undone). While a poll is open the page shows its
turnout as the room reports it — for a named poll, who has not voted yet; for a secret one,
counts only: the room counts nothing before the close and the console shows nothing it does
not have — and the time left. A secretary can record the vote of a delegate whose device
failed (named polls), or close a poll with the tellers' count of paper ballots
(ui/console/paper_count.py) — beside the devices' votes, or as the whole vote of a poll run on
paper. Once closed: the decision in words, the figures, a bar per option
(ui/widgets/result_chart.py), whether the room's signature holds with the room key this
console pinned, and the published list fetched in pages and checked against the signed hash
(app/pollcheck.py) — for a named poll, who voted what. A tie offers a runoff: a new draft with
the same rules between the tied options only, in one click.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import console_votes as cv
from app import pollcheck, pollrecord, voting
from app import protocol as p
from app.state import Area, RoomView
from ui.bridge import ClientBridge
from ui.console.delegate_picker import delegate_line
from ui.console.dialogs import confirm
from ui.console.manual_vote import ManualVoteDialog
from ui.console.panel import ConsolePanel, Requests, Text, big_button
from ui.console.paper_count import PaperCountDialog
from ui.console.poll_dialog import PollDialog
from ui.console.tables import fit_column, number_text, table_view
from ui.widgets import errors
from ui.widgets.poll_words import (
    clock,
    figures_text,
    marks_text,
    outcome_text,
    outcome_word,
    rules_summary,
    status_word,
)
from ui.widgets.result_chart import ResultChart

_ModelIndex = QModelIndex | QPersistentModelIndex

PollIdRole = Qt.ItemDataRole.UserRole + 1


class BallotsModel(QAbstractTableModel):
    """A named poll's published votes: number, name, delegation, the vote, how it was cast."""

    NUMBER, NAME, DELEGATION, VOTE, HOW = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[p.Voter, p.NamedVote]] = []
        self._people: dict[int, p.Voter] = {}
        self._spec = p.PollSpec()

    def set_list(self, spec: p.PollSpec, published: pollcheck.Published | None) -> None:
        self.beginResetModel()
        self._spec = spec
        rows: list[tuple[p.Voter, p.NamedVote]] = []
        if published is not None:
            for vote in published.named:
                voter = published.voters.get(vote.delegate_id) or p.Voter(
                    delegate_id=vote.delegate_id, number="?", full_name="?"
                )
                rows.append((voter, vote))
        self._rows = rows
        self._people = dict(published.voters) if published is not None else {}
        self.endResetModel()

    def rows(self) -> list[tuple[p.Voter, p.NamedVote]]:
        return list(self._rows)

    def vote_text(self, row: int) -> str:
        return marks_text(self._spec, self._rows[row][1].marks)

    def how_text(self, row: int) -> str:
        """Who cast it: the voter's own device, the secretariat, or the holder of the voter's
        proxy (by number)."""
        vote = self._rows[row][1]
        if vote.manual:
            return self.tr("by the secretariat")
        if vote.by is not None:
            holder = self._people.get(vote.by)
            return self.tr("by proxy: %1").replace(
                "%1", holder.number if holder is not None else str(vote.by)
            )
        return self.tr("own device")

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        voter = self._rows[row][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.NUMBER:
                return voter.number
            if column == self.NAME:
                return voter.full_name
            if column == self.DELEGATION:
                return voter.delegation
            if column == self.VOTE:
                return self.vote_text(row)
            return self.how_text(row)
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
            self.tr("Vote"),
            self.tr("Recorded"),
        )[section]


class PollsPanel(ConsolePanel):
    """The polls of the meeting :meth:`set_meeting` names."""

    areas = Area.VOTES | Area.ROSTER | Area.MEETINGS | Area.AGENDA

    def __init__(
        self,
        requests: Requests,
        bridge: ClientBridge,
        model: RoomView,
        room_key: Callable[[], bytes],
        templates_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(requests, model, parent)
        self._bridge = bridge
        self._room_key = room_key
        self._templates_path = templates_path
        self._meeting_id: int | None = None
        self._poll_id: int | None = None
        self._select_when_seen: int | None = None
        self._notice: Text | None = None
        self._lists: dict[int, pollcheck.Published | Text] = {}  # fetched, or why not
        self._fetching: set[int] = set()
        self._retry: set[int] = set()  # lists not fetched for want of the room
        self._signatures: dict[tuple[int, bytes], bool] = {}
        self._turnout = cv.PollTurnout(0, 0)
        self.heading.hide()  # the tab says "Votes"
        self.now = time.time

        # --- the list of polls and what acts on them
        self.meeting_label = QLabel(self)
        self.meeting_label.setObjectName("panelHeading")
        self.meeting_label.setWordWrap(True)
        self.poll_list = QListWidget(self)
        self.poll_list.setObjectName("pollList")
        self.poll_list.setWordWrap(True)
        self.poll_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.poll_list.currentItemChanged.connect(self._picked)
        self.new_button = big_button("", "primaryButton", self)
        self.new_button.clicked.connect(self.new_poll)
        self.open_button = big_button("", "toolButton", self)
        self.open_button.clicked.connect(self.open_selected)
        self.close_button = big_button("", "toolButton", self)
        self.close_button.clicked.connect(self.close_selected)
        self.cancel_button = big_button("", "dangerButton", self)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.paper_button = big_button("", "toolButton", self)
        self.paper_button.clicked.connect(self.close_with_paper)
        for button in (
            self.new_button,
            self.open_button,
            self.close_button,
            self.cancel_button,
            self.paper_button,
        ):
            button.setAutoDefault(False)
            button.setDefault(False)
        left = QWidget(self)
        l_box = QVBoxLayout(left)
        l_box.setContentsMargins(0, 0, 0, 0)
        l_box.setSpacing(8)
        l_box.addWidget(self.meeting_label)
        l_box.addWidget(self.poll_list, 1)
        l_box.addWidget(self.new_button)
        row = QHBoxLayout()
        row.setSpacing(6)
        for button in (self.open_button, self.close_button, self.cancel_button):
            row.addWidget(button)
        l_box.addLayout(row)
        l_box.addWidget(self.paper_button)

        # --- the selected poll
        page = QWidget(self)
        page.setObjectName("pollPage")
        self.page = page
        self.title_label = QLabel(page)
        self.title_label.setObjectName("detailTitle")
        self.title_label.setWordWrap(True)
        self.state_label = QLabel(page)
        self.state_label.setObjectName("pollState")
        self.meta_label = QLabel(page)
        self.meta_label.setObjectName("detailMeta")
        self.meta_label.setWordWrap(True)
        self.rules_label = QLabel(page)
        self.rules_label.setObjectName("detailMeta")
        self.rules_label.setWordWrap(True)
        self.notice_label = QLabel(page)
        self.notice_label.setObjectName("panelNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        self.empty_label = QLabel(page)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # open
        self.open_box = QWidget(page)
        self.turnout_label = QLabel(self.open_box)
        self.turnout_label.setObjectName("turnoutFigure")
        self.turnout_label.setWordWrap(True)
        self.turnout_bar = QProgressBar(self.open_box)
        self.turnout_bar.setObjectName("turnoutBar")
        self.turnout_bar.setTextVisible(False)
        self.countdown_label = QLabel(self.open_box)
        self.countdown_label.setObjectName("countdown")
        self.secret_label = QLabel(self.open_box)
        self.secret_label.setObjectName("voteHint")
        self.secret_label.setWordWrap(True)
        self.waiting_heading = QLabel(self.open_box)
        self.waiting_heading.setObjectName("sectionHeading")
        self.waiting = QStringListModel(self)
        self.waiting_list = QListView(self.open_box)
        self.waiting_list.setObjectName("waitingList")
        self.waiting_list.setModel(self.waiting)
        self.waiting_list.setUniformItemSizes(True)
        self.waiting_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.waiting_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.waiting_list.setMinimumHeight(180)
        self.manual_button = big_button("", "toolButton", self.open_box)
        self.manual_button.setAutoDefault(False)
        self.manual_button.clicked.connect(self.record_vote)
        o_box = QVBoxLayout(self.open_box)
        o_box.setContentsMargins(0, 0, 0, 0)
        o_box.setSpacing(8)
        o_box.addWidget(self.turnout_label)
        o_box.addWidget(self.turnout_bar)
        o_box.addWidget(self.countdown_label)
        o_box.addWidget(self.secret_label)
        w_row = QHBoxLayout()
        w_row.addWidget(self.waiting_heading, 1)
        w_row.addWidget(self.manual_button)
        o_box.addLayout(w_row)
        o_box.addWidget(self.waiting_list, 1)
        o_box.addStretch(0)  # a secret poll has no list: its figures stay at the top

        # closed
        self.closed_box = QWidget(page)
        self.outcome_label = QLabel(self.closed_box)
        self.outcome_label.setObjectName("outcome")
        self.outcome_label.setWordWrap(True)
        self.figures = QGridLayout()
        self.figures.setHorizontalSpacing(24)
        self.figures.setVerticalSpacing(2)
        self.chart = ResultChart(self.closed_box)
        self.signature_label = QLabel(self.closed_box)
        self.signature_label.setObjectName("signatureState")
        self.signature_label.setWordWrap(True)
        self.list_label = QLabel(self.closed_box)
        self.list_label.setObjectName("voteHint")
        self.list_label.setWordWrap(True)
        self.runoff_button = big_button("", "toolButton", self.closed_box)
        self.runoff_button.setAutoDefault(False)
        self.runoff_button.clicked.connect(self.create_runoff)
        self.ballots_heading = QLabel(self.closed_box)
        self.ballots_heading.setObjectName("sectionHeading")
        self.ballots = BallotsModel(self)
        self.ballots_table = table_view(self.closed_box, "ballotsTable")
        self.ballots_table.setModel(self.ballots)
        self.ballots_table.setMinimumHeight(260)
        b_columns = self.ballots_table.horizontalHeader()
        b_columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for column in (BallotsModel.NAME, BallotsModel.VOTE):
            b_columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        c_box = QVBoxLayout(self.closed_box)
        c_box.setContentsMargins(0, 0, 0, 0)
        c_box.setSpacing(10)
        c_box.addWidget(self.outcome_label)
        runoff_row = QHBoxLayout()
        runoff_row.addWidget(self.runoff_button)
        runoff_row.addStretch(1)
        c_box.addLayout(runoff_row)
        c_box.addLayout(self.figures)
        c_box.addWidget(self.chart)
        c_box.addWidget(self.signature_label)
        c_box.addWidget(self.list_label)
        c_box.addWidget(self.ballots_heading)
        c_box.addWidget(self.ballots_table)

        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        p_box = QVBoxLayout(page)
        p_box.setContentsMargins(20, 16, 20, 16)
        p_box.setSpacing(8)
        p_box.addLayout(title_row)
        p_box.addWidget(self.meta_label)
        p_box.addWidget(self.rules_label)
        p_box.addWidget(self.notice_label)
        p_box.addSpacing(6)
        p_box.addWidget(self.open_box, 1)
        p_box.addWidget(self.closed_box)
        p_box.addWidget(self.empty_label, 1)
        p_box.addStretch(0)
        scroll = QScrollArea(self)
        scroll.setObjectName("pollScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.setHandleWidth(12)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([360, 880])
        left.setMinimumWidth(300)
        body = QVBoxLayout()
        body.setContentsMargins(16, 12, 16, 12)
        body.addWidget(split)
        self.box.addLayout(body, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.retranslate()

    # ------------------------------------------------------------------ selection

    def set_meeting(self, meeting_id: int | None) -> None:
        if meeting_id != self._meeting_id:
            self._meeting_id = meeting_id
            self._poll_id = None
            self._notice = None
            self._fill()
            self._show_poll()

    def meeting(self) -> p.Meeting | None:
        return self._model.meetings.get(self._meeting_id) if self._meeting_id is not None else None

    def polls(self) -> list[p.Poll]:
        return sorted(
            (q for q in self._model.polls.values() if q.meeting_id == self._meeting_id),
            key=lambda q: q.id,
        )

    def selected_poll(self) -> p.Poll | None:
        return self._model.polls.get(self._poll_id) if self._poll_id is not None else None

    def select_poll(self, poll_id: int) -> None:
        for row in range(self.poll_list.count()):
            entry = self.poll_list.item(row)
            if entry.data(PollIdRole) == poll_id:
                self.poll_list.setCurrentItem(entry)
                return
        self._select_when_seen = poll_id

    def _picked(self, entry: QListWidgetItem | None, _previous: Any = None) -> None:
        poll_id = entry.data(PollIdRole) if entry is not None else None
        if poll_id != self._poll_id:
            self._poll_id = poll_id
            self._notice = None
            self._show_poll()

    # ------------------------------------------------------------------ drawing

    def show_model(self, model: RoomView, areas: Area) -> None:
        self._model = model
        self._fill()
        self._show_poll()

    def _fill(self) -> None:
        polls = self.polls()
        if self._select_when_seen is not None and any(
            q.id == self._select_when_seen for q in polls
        ):
            self._poll_id, self._select_when_seen = self._select_when_seen, None
        if self._poll_id is not None and not any(q.id == self._poll_id for q in polls):
            self._poll_id = None
        if self._poll_id is None and polls:
            # the open poll first, else the latest
            live = [q for q in polls if q.status == "open"]
            self._poll_id = (live or polls)[-1].id
        self.poll_list.blockSignals(True)
        self.poll_list.clear()
        for poll in polls:
            entry = QListWidgetItem(self._line(poll), self.poll_list)
            entry.setData(PollIdRole, poll.id)
            if poll.status in ("closed", "cancelled"):
                entry.setForeground(Qt.GlobalColor.darkGray)
            if poll.id == self._poll_id:
                self.poll_list.setCurrentItem(entry)
        self.poll_list.blockSignals(False)

    def _line(self, poll: p.Poll) -> str:
        state = status_word(poll.status)
        if poll.status == "open":
            turnout = self._model.turnout.get(poll.id)
            voted = turnout.voted if turnout is not None else 0
            state += " · " + self.tr("%1 voted").replace("%1", number_text(voted))
        elif poll.status == "closed" and poll.result is not None:
            state += " · " + outcome_word(poll.result.outcome)
        return f"{poll.title}\n{state}"

    def _show_poll(self) -> None:
        poll = self.selected_poll()
        meeting = self.meeting()
        self.meeting_label.setText(
            meeting.title if meeting is not None else self.tr("No meeting selected")
        )
        shown = poll is not None
        for widget in (self.title_label, self.state_label, self.meta_label, self.rules_label):
            widget.setVisible(shown)
        self.empty_label.setVisible(not shown)
        self.open_box.setVisible(shown and poll is not None and poll.status == "open")
        self.closed_box.setVisible(shown and poll is not None and poll.status == "closed")
        if poll is None:
            self.timer.stop()
            self.empty_label.setText(
                self.tr("Select a meeting to see its polls.")
                if meeting is None
                else self.tr("No poll in this meeting yet: New poll… prepares one.")
            )
        else:
            self._show_header(poll)
            if poll.status == "open":
                self._show_open(poll)
            elif poll.status == "closed":
                self._show_closed(poll)
            if poll.status != "open" or poll.closes_at is None:
                self.timer.stop()
        self.refresh()

    def _show_header(self, poll: p.Poll) -> None:
        self.title_label.setText(poll.title)
        self.state_label.setText(status_word(poll.status))
        self.state_label.setProperty("state", poll.status)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        item = self._model.items.get(poll.item_id) if poll.item_id is not None else None
        meta = []
        if item is not None:
            meta.append(
                self.tr("Agenda item %1").replace(
                    "%1", f"{self._model.display_number(item)} {item.title}"
                )
            )
        if poll.status == "cancelled":
            meta.append(self.tr("Cancelled: not counted, and its votes were discarded."))
        elif poll.status == "draft":
            meta.append(self.tr("Draft: check the rules, then open it."))
        self.meta_label.setText(" · ".join(meta))
        self.meta_label.setVisible(bool(meta))
        self.rules_label.setText(rules_summary(poll.spec))

    def _standings(self) -> dict[int, cv.Standing]:
        model = self._model
        if self._meeting_id is None:
            return {}
        return cv.standings(
            model.delegates.values(), model.attendance, model.proxies, self._meeting_id
        )

    def _show_open(self, poll: p.Poll) -> None:
        model = self._model
        standings = self._standings()
        turnout = cv.poll_turnout(poll, model.delegates, standings, model.turnout.get(poll.id))
        self._turnout = turnout
        self.turnout_label.setText(
            self.tr("Voted %1 of %2 eligible")
            .replace("%1", number_text(turnout.voted))
            .replace("%2", number_text(turnout.eligible))
        )
        self.turnout_bar.setRange(0, max(turnout.eligible, 1))
        self.turnout_bar.setValue(min(turnout.voted, max(turnout.eligible, 1)))
        secret = poll.spec.secret
        self.secret_label.setVisible(secret)
        self.secret_label.setText(
            self.tr(
                "Secret ballot: only how many have voted is known until it closes. The room "
                "counts the votes when it closes; no one sees a result before."
            )
        )
        named = not secret
        self.waiting_heading.setVisible(named)
        self.waiting_list.setVisible(named and bool(model.delegates))
        self.manual_button.setVisible(named)
        if named:
            lines = []
            for d in turnout.waiting:
                if d not in model.delegates:
                    continue
                line = delegate_line(model.delegates[d])
                holder = standings[d].gives_to if d in standings else None
                if holder is not None and holder in model.delegates:
                    line += "  — " + self.tr("by proxy: %1").replace(
                        "%1", model.delegates[holder].number
                    )
                lines.append(line)
            self.waiting.setStringList(lines)
            self.waiting_heading.setText(
                self.tr("Not voted yet: %1").replace("%1", number_text(len(turnout.waiting)))
                if turnout.waiting
                else self.tr("Everyone eligible has voted.")
            )
        if poll.closes_at is not None:
            if not self.timer.isActive():
                self.timer.start()
            self._tick()
        self.countdown_label.setVisible(poll.closes_at is not None)

    def _tick(self) -> None:
        poll = self.selected_poll()
        if poll is None or poll.status != "open" or poll.closes_at is None:
            self.timer.stop()
            return
        left = poll.closes_at - self.now()
        if left > 0:
            self.countdown_label.setText(self.tr("Closes in %1").replace("%1", clock(left)))
            self.countdown_label.setProperty("late", left <= 10)
        else:
            self.countdown_label.setText(self.tr("Time is up: the room is closing it."))
            self.countdown_label.setProperty("late", True)
        self.countdown_label.style().unpolish(self.countdown_label)
        self.countdown_label.style().polish(self.countdown_label)

    def _show_closed(self, poll: p.Poll) -> None:
        result = poll.result
        if result is None:
            return
        self.outcome_label.setText(outcome_text(poll))
        self.outcome_label.setProperty("outcome", result.outcome)
        self.outcome_label.style().unpolish(self.outcome_label)
        self.outcome_label.style().polish(self.outcome_label)
        while self.figures.count():
            taken = self.figures.takeAt(0)
            if taken is not None and taken.widget() is not None:
                taken.widget().deleteLater()  # type: ignore[union-attr]
        for n, (name, value) in enumerate(figures_text(poll)):
            name_label = QLabel(name, self.closed_box)
            name_label.setObjectName("figureName")
            value_label = QLabel(value, self.closed_box)
            value_label.setObjectName("figureValue")
            self.figures.addWidget(name_label, 0, n)
            self.figures.addWidget(value_label, 1, n)
        self.figures.setColumnStretch(len(figures_text(poll)), 1)
        self.chart.set_result(poll.spec, result)
        self.runoff_button.setVisible(cv.runoff_spec(poll) is not None)
        holds = self.signature_holds(poll)
        self.signature_label.setProperty("holds", holds)
        self.signature_label.setText(
            self.tr(
                "Signed by the room: the signature checks out with the room key this "
                "console trusts."
            )
            if holds
            else self.tr(
                "The room's signature does not check out with the room key this console "
                "trusts: do not announce this result; tell the technical staff."
            )
        )
        self.signature_label.style().unpolish(self.signature_label)
        self.signature_label.style().polish(self.signature_label)
        self._show_list(poll)
        if poll.id not in self._lists:
            self._fetch_list(poll)

    def signature_holds(self, poll: p.Poll) -> bool:
        key = (poll.id, poll.signature)
        if key not in self._signatures:
            self._signatures[key] = pollrecord.signature_holds(poll, self._room_key())
        return self._signatures[key]

    def _show_list(self, poll: p.Poll) -> None:
        got = self._lists.get(poll.id)
        named = not poll.spec.secret
        self.ballots_heading.setVisible(named)
        self.ballots_table.setVisible(named and isinstance(got, pollcheck.Published))
        self.ballots_heading.setText(self.tr("Who voted what"))
        if got is None:
            self.list_label.setText(self.tr("Fetching the published list of votes…"))
            self.list_label.setProperty("bad", False)
        elif isinstance(got, pollcheck.Published):
            count = len(got.named) if named else len(got.ballots)
            self.list_label.setProperty("bad", not got.matches)
            self.list_label.setText(
                self.tr("The published list of %Ln vote(s) is the one the room signed.", "", count)
                if got.matches
                else self.tr(
                    "The published list of votes is not the one the room signed: do not "
                    "announce this result; tell the technical staff."
                )
            )
            self.ballots.set_list(poll.spec, got if named else None)
            if named:
                rows = self.ballots.rows()
                fit_column(self.ballots_table, BallotsModel.NUMBER, [v.number for v, _ in rows])
                fit_column(
                    self.ballots_table, BallotsModel.DELEGATION, {v.delegation for v, _ in rows}
                )
                if self.ballots_table.columnWidth(BallotsModel.DELEGATION) > 240:
                    self.ballots_table.setColumnWidth(BallotsModel.DELEGATION, 240)
                fit_column(
                    self.ballots_table,
                    BallotsModel.HOW,
                    {self.ballots.how_text(row) for row in range(len(rows))}
                    | {self.tr("by the secretariat"), self.tr("own device")},
                )
        else:
            self.list_label.setProperty("bad", True)
            self.list_label.setText(got())
        self.list_label.style().unpolish(self.list_label)
        self.list_label.style().polish(self.list_label)

    def _fetch_list(self, poll: p.Poll) -> None:
        """The published list, page after page, checked against the signed hash
        (app/pollcheck.py, through the bridge), on the network thread."""
        if poll.id in self._fetching or not self._requests.is_online():
            return
        self._fetching.add(poll.id)
        self._retry.discard(poll.id)

        def got(check: voting.Check) -> None:
            self._fetching.discard(poll.id)
            self._lists[poll.id] = check.published
            if self._poll_id == poll.id:
                self._show_poll()

        def failed(exc: BaseException) -> None:
            self._fetching.discard(poll.id)
            if isinstance(exc, pollcheck.ListError):
                self._lists[poll.id] = lambda: self.tr(
                    "The room's list of votes cannot be trusted: %1"
                ).replace("%1", str(exc))
            elif type(exc).__name__ == "NotConnected" or isinstance(exc, TimeoutError):
                self._retry.add(poll.id)  # asked again once the room is reachable
                self._lists[poll.id] = lambda: self.tr(
                    "The published list of votes could not be fetched: the room did not answer. "
                    "It is fetched again once the room is reachable."
                )
            else:
                self._lists[poll.id] = lambda: errors.describe_request_error(exc)
            if self._poll_id == poll.id:
                self._show_poll()

        self._bridge.check_poll(poll, got, failed, receiver=self)

    def published(self, poll_id: int) -> pollcheck.Published | None:
        got = self._lists.get(poll_id)
        return got if isinstance(got, pollcheck.Published) else None

    def turnout(self) -> cv.PollTurnout:
        return self._turnout

    def refresh(self) -> None:
        poll = self.selected_poll()
        meeting = self.meeting()
        online = self._requests.is_online()
        usable = online and meeting is not None and meeting.status != "closed"
        self.new_button.setEnabled(usable)
        status = poll.status if poll is not None else None
        self.open_button.setEnabled(
            online and status == "draft" and meeting is not None and meeting.status == "open"
        )
        self.open_button.setToolTip(
            self.tr("Open the meeting first: a poll opens in an open meeting.")
            if status == "draft" and meeting is not None and meeting.status != "open"
            else ""
        )
        self.close_button.setEnabled(online and status == "open")
        self.paper_button.setEnabled(
            online
            and (
                status == "open"
                or (status == "draft" and meeting is not None and meeting.status == "open")
            )
        )
        self.cancel_button.setEnabled(online and status in ("draft", "open"))
        self.manual_button.setEnabled(online and status == "open")
        self.runoff_button.setEnabled(usable)
        if self._notice is not None:
            self.notice_label.setText(self._notice())
        self.notice_label.setVisible(self._notice is not None)
        if (
            poll is not None
            and poll.status == "closed"
            and (poll.id not in self._lists or poll.id in self._retry)
        ):
            self._fetch_list(poll)  # the console came back online

    def retranslate(self) -> None:
        self.new_button.setText(self.tr("New poll…"))
        self.open_button.setText(self.tr("Open"))
        self.close_button.setText(self.tr("Close"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.paper_button.setText(self.tr("Close with paper ballots…"))
        self.manual_button.setText(self.tr("Record a vote…"))
        self.runoff_button.setText(self.tr("Runoff between the tied…"))
        self._fill()
        self._show_poll()

    # ------------------------------------------------------------------ requests

    def _failed(self, text: Text) -> None:
        self._notice = text
        self.refresh()

    def _sent(self, _reply: object = None) -> None:
        self._notice = None
        self.refresh()

    def _items(self) -> list[tuple[int, str]]:
        model = self._model
        if self._meeting_id is None:
            return []
        return [
            (item.id, f"{model.display_number(item)} {item.title}")
            for _depth, item in model.walk(self._meeting_id)
        ]

    def new_poll(self) -> None:
        meeting = self.meeting()
        if meeting is None:
            return
        current = self._model.current_item(meeting.id)
        roster = self._model.roster
        dialog = PollDialog(
            self,
            self._items(),
            current.id if current is not None else None,
            list(roster.groups) if roster is not None else [],
            self._templates_path,
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        values = dialog.values()
        dialog.deleteLater()
        if accepted:
            self._create(meeting.id, values.item_id, values.title, values.spec)

    def _create(self, meeting_id: int, item_id: int | None, title: str, spec: p.PollSpec) -> None:
        def created(reply: Any) -> None:
            self._sent()
            if isinstance(reply, p.PollCreated):
                self.select_poll(reply.poll_id)

        self._requests.send(
            p.PollCreate(id=0, meeting_id=meeting_id, item_id=item_id, title=title, spec=spec),
            lambda: self.tr("Poll prepared: open it when the room is ready to vote."),
            created,
            receiver=self,
            on_error=self._failed,
        )

    def create_runoff(self) -> None:
        """A draft between the tied options, same rules, same item: one click, no form."""
        poll = self.selected_poll()
        spec = cv.runoff_spec(poll) if poll is not None else None
        if poll is None or spec is None:
            return
        title = self.tr("%1 — runoff").replace("%1", poll.title[:480])
        self._create(poll.meeting_id, poll.item_id, title, spec)

    def open_selected(self) -> None:
        poll = self.selected_poll()
        if poll is None or poll.status != "draft":
            return
        self._requests.send(
            p.PollOpen(id=0, poll_id=poll.id),
            lambda: self.tr("Poll open: the delegates can vote."),
            self._sent,
            receiver=self,
            on_error=self._failed,
        )

    def close_selected(self) -> None:
        poll = self.selected_poll()
        if poll is None or poll.status != "open":
            return
        if not confirm(
            self,
            self.tr("Close the poll"),
            self.tr(
                "Close “%1” now? Voting stops, and the room counts the votes and signs the "
                "result. This cannot be undone."
            ).replace("%1", poll.title),
            self.tr("Close the poll"),
            self.tr("Keep it open"),
        ):
            return
        self._requests.send(
            p.PollClose(id=0, poll_id=poll.id),
            lambda: self.tr("Poll closed and counted."),
            self._sent,
            receiver=self,
            on_error=self._failed,
        )

    def close_with_paper(self) -> None:
        """Close with the tellers' count of paper ballots: beside the devices' votes of an
        open poll, or as the whole vote of a draft run on paper."""
        poll = self.selected_poll()
        if poll is None or poll.status not in ("draft", "open"):
            return
        turnout = self._model.turnout.get(poll.id)
        on_devices = turnout.voted if turnout is not None and poll.status == "open" else 0
        dialog = PaperCountDialog(self, poll, on_devices)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        count = dialog.count()
        dialog.deleteLater()
        if not accepted:
            return
        if not confirm(
            self,
            self.tr("Close the poll"),
            self.tr(
                "Close “%1” with %2 paper ballots (%3 invalid)? Voting stops, and the room "
                "counts them with the devices' votes and signs the result. This cannot be "
                "undone."
            )
            .replace("%1", poll.title)
            .replace("%2", number_text(count.ballots))
            .replace("%3", number_text(count.invalid)),
            self.tr("Close the poll"),
            self.tr("Do not close it"),
        ):
            return
        self._requests.send(
            p.PollClose(id=0, poll_id=poll.id, paper=count),
            lambda: self.tr("Poll closed and counted with its paper ballots."),
            self._sent,
            receiver=self,
            on_error=self._failed,
        )

    def cancel_selected(self) -> None:
        poll = self.selected_poll()
        if poll is None or poll.status not in ("draft", "open"):
            return
        if not confirm(
            self,
            self.tr("Cancel the poll"),
            self.tr(
                "Cancel “%1”? It is not counted, and any votes already cast are discarded. "
                "This cannot be undone."
            ).replace("%1", poll.title),
            self.tr("Cancel the poll"),
            self.tr("Keep it"),
        ):
            return
        self._requests.send(
            p.PollCancel(id=0, poll_id=poll.id),
            lambda: self.tr("Poll cancelled."),
            self._sent,
            receiver=self,
            on_error=self._failed,
        )

    def record_vote(self) -> None:
        """A delegate's vote recorded by the secretariat (named polls, while open)."""
        poll = self.selected_poll()
        if poll is None or poll.status != "open" or poll.spec.secret:
            return
        model = self._model
        turnout = model.turnout.get(poll.id)
        voted = set(turnout.voters) if turnout is not None else set()
        members = cv.members_of(model.delegates.values(), poll.spec)
        candidates = [model.delegates[d] for d in members if poll.spec.changeable or d not in voted]
        dialog = ManualVoteDialog(self, poll, candidates)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        delegate, marks = dialog.delegate(), dialog.marks()
        dialog.deleteLater()
        if not accepted or delegate is None or marks is None:
            return
        if not confirm(
            self,
            self.tr("Record a vote"),
            self.tr("Record “%1” as the vote of %2 in “%3”?")
            .replace("%1", marks_text(poll.spec, marks))
            .replace("%2", delegate_line(delegate))
            .replace("%3", poll.title),
            self.tr("Record the vote"),
            self.tr("Do not record it"),
        ):
            return
        vote = p.Vote(delegate_id=delegate.id, receipt=os.urandom(p.RECEIPT_BYTES), marks=marks)
        self._requests.send(
            p.BallotCast(id=0, poll_id=poll.id, votes=[vote]),
            lambda: self.tr("Vote recorded for %1.").replace("%1", delegate.full_name),
            self._sent,
            receiver=self,
            on_error=self._failed,
            describe=errors.describe_manual_vote_error,
        )
