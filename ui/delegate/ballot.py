"""The delegate's ballot: choose, confirm, cast, get a receipt — and, after close, the result and
the check that the vote is in the published list as it was cast.

A ballot holds one row of choices per vote the device carries (app/voting.py): the delegate's
own, then each proxy held — each may choose something else (a split), and all are cast in one
action. Buttons are large (a finger on a tablet, in a hurry), nothing is sent before a second
step shows what will be cast, and a vote that could not be sent is kept with its receipts, to be
sent again unchanged. Who may not vote sees why, and can check in from here when that is why.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app import tally, voting
from app.pollcheck import Found
from ui.bridge import ClientBridge
from ui.widgets import errors
from ui.widgets.poll_words import (
    answer_word,
    clock,
    figures_text,
    marks_text,
    outcome_text,
    rules_summary,
)
from ui.widgets.result_chart import ResultChart

ANSWERS: tuple[p.Answer, ...] = ("yes", "no", "abstain")


def receipt_text(receipt: bytes) -> str:
    """A receipt as a delegate can read it out or compare it: base32 in groups of four."""
    code = base64.b32encode(receipt).decode().rstrip("=")
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def _choice_button(text: str, answer: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName("voteChoice")
    button.setProperty("answer", answer)
    button.setCheckable(True)
    return button


class ChoiceRow(QFrame):
    """The choices of one vote (one seat): the buttons for the poll's kind, and the marks they
    make once they make a valid vote."""

    changed = Signal()

    def __init__(self, poll: p.Poll, seat: voting.Seat, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("choiceRow")
        self.poll, self.seat = poll, seat
        spec = poll.spec
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        self.heading = QLabel(self)
        self.heading.setObjectName("choiceSeat")
        self.heading.setWordWrap(True)
        if seat.own:
            self.heading.setText(self.tr("Your vote"))
        else:
            self.heading.setText(
                self.tr("Proxy of %1 (no. %2)").replace("%1", seat.name).replace("%2", seat.number)
            )
        box.addWidget(self.heading)
        self.hint = QLabel(self)  # an election's "choose 1 to 3 · 2 chosen", above the names
        self.hint.setObjectName("hintText")
        self.hint.setWordWrap(True)
        box.addWidget(self.hint)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        box.addLayout(grid)
        self._groups: list[QButtonGroup] = []
        self._options: list[QPushButton] = []
        self._abstain: QPushButton | None = None
        answers = [a for a in ANSWERS if a != "abstain" or spec.abstain_allowed]
        if spec.kind == "motion":
            self._answer_row(grid, 0, None, answers)
        elif spec.kind == "per_candidate":
            for row, option in enumerate(spec.options):
                self._answer_row(grid, row, option.label, answers)
        else:
            exclusive = spec.kind == "single"
            group = QButtonGroup(self)
            group.setExclusive(False)
            columns = 2
            for n, option in enumerate(spec.options):
                button = _choice_button(option.label, "option", self)
                group.addButton(button, option.id)
                self._options.append(button)
                grid.addWidget(button, n // columns, n % columns)
            if spec.abstain_allowed:
                self._abstain = _choice_button(answer_word("abstain"), "abstain", self)
                grid.addWidget(self._abstain, len(spec.options) // columns + 1, 0, 1, columns)
                self._abstain.clicked.connect(self._abstained)
            group.buttonClicked.connect(lambda b: self._option_clicked(b, exclusive))
            self._groups.append(group)
        self._show_hint()

    def _answer_row(
        self,
        grid: QGridLayout,
        row: int,
        label: str | None,
        answers: list[p.Answer],
    ) -> None:
        group = QButtonGroup(self)
        column = 0
        if label is not None:
            name = QLabel(label, self)
            name.setObjectName("choiceCandidate")
            name.setWordWrap(True)
            grid.addWidget(name, row, 0)
            column = 1
        for n, answer in enumerate(answers):
            button = _choice_button(answer_word(answer), answer, self)
            group.addButton(button, n)
            grid.addWidget(button, row, column + n)
        group.buttonClicked.connect(lambda _b: self._changed())
        self._groups.append(group)

    def _option_clicked(self, button: QAbstractButton, exclusive: bool) -> None:
        if self._abstain is not None:
            self._abstain.setChecked(False)
        if exclusive and button.isChecked():
            for other in self._options:
                if other is not button:
                    other.setChecked(False)
        self._changed()

    def _abstained(self) -> None:
        for option in self._options:
            option.setChecked(False)
        self._changed()

    def _changed(self) -> None:
        self._show_hint()
        self.changed.emit()

    def _draft(self) -> p.Marks:
        spec = self.poll.spec
        answers = [a for a in ANSWERS if a != "abstain" or spec.abstain_allowed]
        picked = (
            [g.checkedId() for g in self._groups]
            if spec.kind in ("motion", "per_candidate")
            else []
        )
        if spec.kind == "motion":
            return p.Marks(answer=answers[picked[0]] if picked[0] >= 0 else None)
        if spec.kind == "per_candidate":
            if any(i < 0 for i in picked):
                return p.Marks(answers=[])
            return p.Marks(answers=[answers[i] for i in picked])
        if self._abstain is not None and self._abstain.isChecked():
            return p.Marks(answer="abstain")
        chosen = [o.id for o, b in zip(spec.options, self._options, strict=True) if b.isChecked()]
        return p.Marks(chosen=chosen)

    def marks(self) -> p.Marks | None:
        """The vote these buttons make, or ``None`` while it is not a valid one."""
        draft = self._draft()
        if draft == p.Marks():
            return None
        try:
            tally.check_marks(self.poll.spec, draft)
        except tally.PollError:
            return None
        return draft

    def set_marks(self, marks: p.Marks) -> None:
        """Make the same choice as another row (the delegate's own, for every proxy)."""
        spec = self.poll.spec
        answers = [a for a in ANSWERS if a != "abstain" or spec.abstain_allowed]
        if spec.kind == "motion" and marks.answer in answers:
            self._groups[0].button(answers.index(marks.answer)).setChecked(True)
        elif spec.kind == "per_candidate":
            for group, answer in zip(self._groups, marks.answers, strict=False):
                group.button(answers.index(answer)).setChecked(True)
        else:
            for option, button in zip(spec.options, self._options, strict=True):
                button.setChecked(option.id in marks.chosen)
            if self._abstain is not None:
                self._abstain.setChecked(marks.answer == "abstain")
        self._changed()

    def _show_hint(self) -> None:
        spec = self.poll.spec
        if spec.kind != "election":
            self.hint.hide()
            return
        chosen = sum(b.isChecked() for b in self._options)
        full = chosen >= spec.max_choices  # the seats are filled: the others wait
        for button in self._options:
            button.setEnabled(button.isChecked() or not full)
        if spec.min_choices:
            text = self.tr("Choose %1 to %2 · %3 chosen").replace("%1", str(spec.min_choices))
        else:
            text = self.tr("Choose up to %2 · %3 chosen")
        self.hint.setText(text.replace("%2", str(spec.max_choices)).replace("%3", str(chosen)))
        self.hint.show()


class BallotScreen(QWidget):
    """One poll, from the ballot to its result. What tests read: :attr:`pages` and its page
    constants, :attr:`rows`, :meth:`status_text`, :meth:`result_text`, :meth:`check_text`."""

    CHOOSE, CONFIRM, DONE, INELIGIBLE, RESULT = range(5)

    backRequested = Signal()
    checkInRequested = Signal()
    #: The room recorded a cast (the vote bar then says so).
    castRecorded = Signal()

    def __init__(
        self,
        bridge: ClientBridge,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ballotScreen")
        self._bridge = bridge
        self._clock = clock
        self._ballot: voting.Ballot | None = None
        self._cast: voting.Cast | None = None
        self._sending = False
        self._revoting = False
        self._recorded: voting.Cast | None = None
        self._checked: dict[int, voting.Check] = {}
        self._checking: int | None = None
        self._meeting_open = False
        self.rows: list[ChoiceRow] = []

        self.back_button = QPushButton(self)
        self.back_button.setObjectName("linkButton")
        self.back_button.clicked.connect(self.backRequested)
        self.title = QLabel(self)
        self.title.setObjectName("ballotTitle")
        self.title.setWordWrap(True)
        self.kind = QLabel(self)
        self.kind.setObjectName("ballotKind")
        self.countdown = QLabel(self)
        self.countdown.setObjectName("ballotCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._show_countdown)
        self.message = QLabel(self)  # why a cast failed
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.hide()

        self.pages = QStackedWidget(self)
        # choose ------------------------------------------------------------------------
        choose = QWidget(self.pages)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(12)
        rows_holder = QWidget(choose)
        rows_holder.setObjectName("ballotRows")
        rows_holder.setLayout(self.rows_box)
        scroll = QScrollArea(choose)
        scroll.setObjectName("pageScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(rows_holder)
        self.same_button = QPushButton(choose)
        self.same_button.clicked.connect(self._same_for_all)
        self.review_button = QPushButton(choose)
        self.review_button.setObjectName("primaryButton")
        self.review_button.clicked.connect(self._review)
        actions = QHBoxLayout()
        actions.addWidget(self.same_button)
        actions.addStretch(1)
        actions.addWidget(self.review_button)
        choose_box = QVBoxLayout(choose)
        choose_box.setContentsMargins(0, 0, 0, 0)
        choose_box.addWidget(scroll, 1)
        choose_box.addLayout(actions)
        # confirm -----------------------------------------------------------------------
        confirm = QWidget(self.pages)
        self.confirm_heading = QLabel(confirm)
        self.confirm_heading.setObjectName("pageTitle")
        self.summary = QLabel(confirm)
        self.summary.setObjectName("ballotSummary")
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.change_button = QPushButton(confirm)
        self.change_button.clicked.connect(lambda: self.pages.setCurrentIndex(self.CHOOSE))
        self.cast_button = QPushButton(confirm)
        self.cast_button.setObjectName("castButton")
        self.cast_button.clicked.connect(self._send)
        confirm_actions = QHBoxLayout()
        confirm_actions.addWidget(self.change_button)
        confirm_actions.addStretch(1)
        confirm_actions.addWidget(self.cast_button)
        confirm_box = QVBoxLayout(confirm)
        confirm_box.addWidget(self.confirm_heading)
        confirm_box.addWidget(self.summary, 1)
        confirm_box.addLayout(confirm_actions)
        # done --------------------------------------------------------------------------
        done = QWidget(self.pages)
        self.done_heading = QLabel(done)
        self.done_heading.setObjectName("doneHeading")
        self.done_heading.setWordWrap(True)
        self.done_text = QLabel(done)
        self.done_text.setObjectName("ballotSummary")
        self.done_text.setWordWrap(True)
        self.done_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.again_button = QPushButton(done)
        self.again_button.setObjectName("primaryButton")
        self.again_button.clicked.connect(self._send_again)
        self.revote_button = QPushButton(done)
        self.revote_button.clicked.connect(self._revote)
        done_actions = QHBoxLayout()
        done_actions.addWidget(self.revote_button)
        done_actions.addStretch(1)
        done_actions.addWidget(self.again_button)
        done_box = QVBoxLayout(done)
        done_box.addWidget(self.done_heading)
        done_box.addWidget(self.done_text, 1)
        done_box.addLayout(done_actions)
        # ineligible --------------------------------------------------------------------
        ineligible = QWidget(self.pages)
        self.reason = QLabel(ineligible)
        self.reason.setObjectName("ballotReason")
        self.reason.setWordWrap(True)
        self.check_in_button = QPushButton(ineligible)
        self.check_in_button.setObjectName("bigButton")
        self.check_in_button.clicked.connect(self.checkInRequested)
        ineligible_box = QVBoxLayout(ineligible)
        ineligible_box.addWidget(self.reason)
        ineligible_box.addWidget(self.check_in_button, 0, Qt.AlignmentFlag.AlignLeft)
        ineligible_box.addStretch(1)
        # result ------------------------------------------------------------------------
        result = QWidget(self.pages)
        self.outcome = QLabel(result)
        self.outcome.setObjectName("resultOutcome")
        self.outcome.setWordWrap(True)
        self.figures = QLabel(result)
        self.figures.setObjectName("pageText")
        self.figures.setWordWrap(True)
        self.chart = ResultChart(result)
        self.check_label = QLabel(result)
        self.check_label.setObjectName("ballotCheck")
        self.check_label.setWordWrap(True)
        self.check_button = QPushButton(result)
        self.check_button.clicked.connect(self.check)
        self.named_list = QLabel(result)
        self.named_list.setObjectName("pageText")
        self.named_list.setWordWrap(True)
        self.named_list.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        result_inner = QWidget(result)
        result_inner.setObjectName("ballotRows")
        inner_box = QVBoxLayout(result_inner)
        inner_box.addWidget(self.outcome)
        inner_box.addWidget(self.figures)
        inner_box.addWidget(self.chart)
        inner_box.addWidget(self.check_label)
        inner_box.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner_box.addWidget(self.named_list)
        inner_box.addStretch(1)
        result_scroll = QScrollArea(result)
        result_scroll.setObjectName("pageScroll")
        result_scroll.setWidgetResizable(True)
        result_scroll.setFrameShape(QFrame.Shape.NoFrame)
        result_scroll.setWidget(result_inner)
        result_box = QVBoxLayout(result)
        result_box.setContentsMargins(0, 0, 0, 0)
        result_box.addWidget(result_scroll)
        for page in (choose, confirm, done, ineligible, result):
            self.pages.addWidget(page)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.kind)
        top.addLayout(titles, 1)
        top.addWidget(self.countdown)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 12, 24, 16)
        column.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addLayout(top)
        column.addWidget(self.message)
        column.addWidget(self.pages, 1)
        self.retranslate()

    # ------------------------------------------------------------------ state

    @property
    def poll(self) -> p.Poll | None:
        return self._ballot.poll if self._ballot is not None else None

    def show_ballot(self, ballot: voting.Ballot, meeting_open: bool) -> None:
        """Show a poll as it is now: its ballot, what was cast, or its result. The rows the
        delegate is choosing in stay as they are while the same poll stays open."""
        before = self._ballot
        same = before is not None and before.poll.id == ballot.poll.id
        reopened = not same or before is None or before.poll.status != ballot.poll.status
        seats_changed = not same or before is None or before.seats != ballot.seats
        self._ballot, self._meeting_open = ballot, meeting_open
        self._cast = self._bridge.cast_of(ballot.poll.id)
        poll = ballot.poll
        self.title.setText(poll.title)
        self.kind.setText(rules_summary(poll.spec))
        if poll.status == "open" and poll.closes_at is not None:
            self.tick.start()
        else:
            self.tick.stop()
        self._show_countdown()
        if poll.status == "closed":
            self._show_result()
            return
        if poll.status != "open":
            self.message.hide()
            self.reason.setText(self.tr("This poll is not open."))
            self.check_in_button.hide()
            self.pages.setCurrentIndex(self.INELIGIBLE)
            return
        if self._sending:
            return
        if self._cast is not None and not self._revoting:
            self._show_done()
            return
        if not ballot.may_vote:
            self._show_ineligible(ballot.reason)
            return
        if seats_changed or reopened or not self.rows:
            self._build_rows()
            self.pages.setCurrentIndex(self.CHOOSE)
        elif self.pages.currentIndex() not in (self.CHOOSE, self.CONFIRM):
            self.pages.setCurrentIndex(self.CHOOSE)

    def _build_rows(self) -> None:
        assert self._ballot is not None
        for row in self.rows:
            self.rows_box.removeWidget(row)
            row.deleteLater()
        self.rows = []
        while self.rows_box.count():
            self.rows_box.takeAt(0)
        for seat in self._ballot.seats:
            row = ChoiceRow(self._ballot.poll, seat, self)
            row.changed.connect(self._rows_changed)
            self.rows.append(row)
            self.rows_box.addWidget(row)
        self.rows_box.addStretch(1)
        self.message.hide()
        self._rows_changed()

    def _rows_changed(self) -> None:
        ready = bool(self.rows) and all(r.marks() is not None for r in self.rows)
        self.review_button.setEnabled(ready)
        own = self.rows[0].marks() if self.rows and self.rows[0].seat.own else None
        self.same_button.setVisible(len(self.rows) > 1)
        self.same_button.setEnabled(own is not None)

    def _same_for_all(self) -> None:
        own = self.rows[0].marks() if self.rows else None
        if own is not None:
            for row in self.rows[1:]:
                row.set_marks(own)

    def _chosen(self) -> dict[int, p.Marks]:
        chosen = {}
        for row in self.rows:
            marks = row.marks()
            if marks is not None:
                chosen[row.seat.delegate_id] = marks
        return chosen

    def _review(self) -> None:
        assert self._ballot is not None
        poll = self._ballot.poll
        lines = [
            f"{row.heading.text()}:  <b>{_html(marks_text(poll.spec, marks))}</b>"
            for row in self.rows
            if (marks := row.marks()) is not None
        ]
        self.summary.setText("<br>".join(lines))
        self.cast_button.setText(self.tr("Cast my vote"))
        self.cast_button.setEnabled(not self._sending)
        self.pages.setCurrentIndex(self.CONFIRM)

    def _send(self) -> None:
        assert self._ballot is not None
        self._sending = True
        self.cast_button.setEnabled(False)
        self.cast_button.setText(self.tr("Sending…"))
        self.message.hide()
        self._bridge.cast(self._ballot.poll, self._chosen(), self._sent, self._failed, self)

    def _send_again(self) -> None:
        if self._cast is None or self._ballot is None:
            return
        self._sending = True
        self.again_button.setEnabled(False)
        marks = {v.delegate_id: v.marks for v in self._cast.votes}
        self._bridge.cast(self._ballot.poll, marks, self._sent, self._failed, self)

    def _sent(self, cast: voting.Cast) -> None:
        self._sending = self._revoting = False
        self.cast_button.setText(self.tr("Cast my vote"))
        self.cast_button.setEnabled(True)
        self.again_button.setEnabled(True)
        self._cast = cast
        self._show_done()
        self.castRecorded.emit()

    def _failed(self, exc: BaseException) -> None:
        self._sending = False
        self.cast_button.setText(self.tr("Cast my vote"))
        self.cast_button.setEnabled(True)
        self.again_button.setEnabled(True)
        self.message.setText(errors.describe_vote_error(exc))
        self.message.show()
        refused = hasattr(exc, "code")  # the room answered: nothing of this cast counts
        if refused and self._ballot is not None:
            if self._revoting and self._recorded is not None:  # the recorded vote stands
                self._bridge.keep_cast(self._recorded)
            else:
                self._bridge.forget_cast(self._ballot.poll.id)
            self._cast = self._bridge.cast_of(self._ballot.poll.id)
            self.pages.setCurrentIndex(self.CHOOSE)
            return
        self._cast = self._bridge.cast_of(self._ballot.poll.id) if self._ballot else None
        self._show_done()

    def _revote(self) -> None:
        """A named poll that allows it: choose again; the new cast replaces the recorded one."""
        self._revoting = True
        self._recorded = self._cast
        self._build_rows()
        self.pages.setCurrentIndex(self.CHOOSE)

    def _show_done(self) -> None:
        cast, ballot = self._cast, self._ballot
        assert cast is not None and ballot is not None
        poll = ballot.poll
        seats = {s.delegate_id: s for s in ballot.seats}
        lines = []
        for vote in cast.votes:
            seat = seats.get(vote.delegate_id)
            who = self.tr("Your vote") if seat is None or seat.own else seat.name
            lines.append(f"{_html(who)}:  <b>{_html(marks_text(poll.spec, vote.marks))}</b>")
        if poll.spec.secret:
            receipts = "<br>".join(f"<tt>{receipt_text(v.receipt)}</tt>" for v in cast.votes[:1])
            lines.append(
                "<br>"
                + self.tr(
                    "Your receipt is kept on this device. After the close, the app checks "
                    "that it is in the published list with your choice."
                )
                + "<br>"
                + self.tr("Receipt: %1").replace("%1", receipts)
            )
        self.done_text.setText("<br>".join(lines))
        if cast.recorded:
            self.done_heading.setText("✓  " + self.tr("Your vote is recorded"))
            self.done_heading.setProperty("state", "recorded")
            self.again_button.hide()
        else:
            self.done_heading.setText(self.tr("Your vote may not have reached the room"))
            self.done_heading.setProperty("state", "pending")
            self.again_button.show()
            self.again_button.setEnabled(not self._sending)
        self.done_heading.style().unpolish(self.done_heading)
        self.done_heading.style().polish(self.done_heading)
        changeable = poll.spec.changeable and not poll.spec.secret and cast.recorded
        self.revote_button.setVisible(changeable)
        self.pages.setCurrentIndex(self.DONE)

    def _show_ineligible(self, reason: voting.Ineligible | None) -> None:
        texts = {
            voting.Ineligible.NOT_A_DELEGATE: self.tr("This device does not vote."),
            voting.Ineligible.NO_VOTING_RIGHT: self.tr(
                "You have no voting right in this meeting. The result will appear here."
            ),
            voting.Ineligible.NOT_IN_GROUPS: self.tr(
                "This poll is for members of %1 only. The result will appear here."
            ).replace("%1", ", ".join(self._ballot.poll.spec.groups if self._ballot else [])),
            voting.Ineligible.NOT_CHECKED_IN: self.tr(
                "You are not checked in: only delegates present vote. Check in to vote."
            ),
            voting.Ineligible.EXCUSED: self.tr(
                "You are marked as excused from this meeting. To vote, ask the secretariat "
                "to check you in."
            ),
        }
        self.reason.setText(texts.get(reason, "") if reason is not None else "")
        self.check_in_button.setVisible(
            reason is voting.Ineligible.NOT_CHECKED_IN and self._meeting_open
        )
        self.pages.setCurrentIndex(self.INELIGIBLE)

    def _show_countdown(self) -> None:
        poll = self.poll
        if poll is None or poll.status != "open" or poll.closes_at is None:
            self.countdown.hide()
            return
        self.countdown.show()
        left = poll.closes_at - self._clock()
        if left <= 0:
            self.countdown.setText(self.tr("Time is up"))
        else:
            self.countdown.setText(self.tr("%1 left").replace("%1", clock(left)))

    # ------------------------------------------------------------------ result

    def _show_result(self) -> None:
        poll = self.poll
        assert poll is not None
        result = poll.result
        self.message.hide()
        self.pages.setCurrentIndex(self.RESULT)
        if result is None:
            self.outcome.setText(self.tr("Closed: the result is being counted."))
            return
        self.outcome.setText(outcome_text(poll))
        self.outcome.setProperty("outcome", result.outcome)
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.figures.setText("  ·  ".join(f"{name} {value}" for name, value in figures_text(poll)))
        self.chart.set_result(poll.spec, result)
        self._show_check()
        if poll.id not in self._checked and self._checking != poll.id:
            self.check()

    def check(self) -> None:
        """Fetch the published list and look for this device's votes in it."""
        poll = self.poll
        if poll is None or poll.status != "closed" or self._checking is not None:
            return
        self._checking = poll.id
        self.check_button.setEnabled(False)
        self.check_label.setText(self.tr("Checking the published list…"))

        def done(check: voting.Check) -> None:
            self._checking = None
            self._checked[poll.id] = check
            self._show_check()

        def failed(exc: BaseException) -> None:
            self._checking = None
            self._show_check()
            self.check_label.setText(errors.describe_request_error(exc))

        self._bridge.check_poll(poll, done, failed, self)

    def _show_check(self) -> None:
        poll = self.poll
        if poll is None:
            return
        checked = self._checked.get(poll.id)
        self.check_button.setEnabled(self._checking is None)
        self.check_button.setVisible(checked is None or not checked.mine)
        if checked is None:
            self.check_label.setText("")
            self.named_list.setText("")
            return
        if not (checked.signed and checked.published.matches):
            state, text = (
                "trouble",
                self.tr(
                    "The published list does not match the result the room signed. Tell the "
                    "secretariat."
                ),
            )
        elif not checked.mine:
            state, text = (
                "plain",
                self.tr(
                    "The published list matches the signed result. This device cast no vote in it."
                ),
            )
        elif all(f is Found.AS_CAST for f in checked.mine.values()):
            state, text = (
                "good",
                "✓  "
                + self.tr(
                    "Your vote is in the published list as you cast it, and the list is the one "
                    "the room signed."
                ),
            )
        else:
            state, text = (
                "trouble",
                self.tr(
                    "Your vote is NOT in the published list as you cast it. Tell the secretariat "
                    "now, with this device."
                ),
            )
        self.check_label.setText(text)
        self.check_label.setProperty("state", state)
        self.check_label.style().unpolish(self.check_label)
        self.check_label.style().polish(self.check_label)
        if not poll.spec.secret:
            answers = []
            for vote in checked.published.named:
                voter = checked.published.voters.get(vote.delegate_id)
                who = f"{voter.number}  {voter.full_name}" if voter else str(vote.delegate_id)
                answers.append(f"{_html(who)} — <b>{_html(marks_text(poll.spec, vote.marks))}</b>")
            self.named_list.setText(
                "<b>" + self.tr("Who voted what") + "</b><br>" + "<br>".join(answers)
            )
        else:
            self.named_list.setText("")

    # ------------------------------------------------------------------ text

    def status_text(self) -> str:
        """The page's heading: what a test or a screen reader hears first."""
        index = self.pages.currentIndex()
        if index == self.DONE:
            return self.done_heading.text()
        if index == self.INELIGIBLE:
            return self.reason.text()
        if index == self.RESULT:
            return self.outcome.text()
        return self.title.text()

    def result_text(self) -> str:
        return self.figures.text()

    def check_text(self) -> str:
        return self.check_label.text()

    def error_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()

    def retranslate(self) -> None:
        self.back_button.setText("‹  " + self.tr("Back to the agenda"))
        self.same_button.setText(self.tr("Same choice for all my proxies"))
        self.review_button.setText(self.tr("Review my vote"))
        self.confirm_heading.setText(self.tr("Check your vote, then cast it"))
        self.change_button.setText(self.tr("Change"))
        if not self._sending:
            self.cast_button.setText(self.tr("Cast my vote"))
        self.again_button.setText(self.tr("Send again"))
        self.revote_button.setText(self.tr("Change my vote"))
        self.check_in_button.setText(self.tr("Check in"))
        self.check_button.setText(self.tr("Check my vote in the published list"))
        if self._ballot is not None:
            self.show_ballot(self._ballot, self._meeting_open)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
