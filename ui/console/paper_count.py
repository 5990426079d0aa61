"""The tellers' count of a poll's paper ballots, entered by a secretary as the poll closes.

Two uses: a poll run on paper alone (a draft, closed with its count and never opened on the
devices), and the paper ballots of delegates whose device failed beside an open poll's device
votes — a secret poll takes no manual votes, so paper is their way to vote. The form asks only
for what tellers count and derives the rest (a motion's ballots are its yes, no and abstain;
a single choice's are its votes plus the abstentions), and app/tally.py's ``check_paper``
says, as it is typed, why a count could not come from real ballots. The room checks it again,
with the members present, when it closes the poll.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app import tally
from ui.console.dialogs import CheckedDialog, _buttons
from ui.console.tables import number_text
from ui.theme import fix_window_minimum
from ui.widgets.poll_words import answer_word

#: A weighted poll's figures are votes, not ballots: as large as a roster's weights allow.
MAX_FIGURE = 1_000_000


def _spin(parent: QWidget, name: str) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setObjectName("paperFigure")
    spin.setRange(0, MAX_FIGURE)
    spin.setMinimumHeight(44)
    spin.setMinimumWidth(110)
    spin.setAccessibleName(name)
    return spin


class PaperCountDialog(CheckedDialog):
    """The paper count of ``poll``, with ``on_devices`` votes already cast on the devices."""

    def __init__(self, parent: QWidget | None, poll: p.Poll, on_devices: int) -> None:
        super().__init__(parent)
        self._spec = spec = poll.spec
        self.setWindowTitle(self.tr("Paper ballots"))
        if poll.status == "draft":
            intro = self.tr(
                "“%1” is run on paper: enter the tellers' count. The poll closes with it and is "
                "never opened on the delegates' devices."
            ).replace("%1", poll.title)
        else:
            intro = (
                self.tr(
                    "Enter the paper ballots the tellers counted for “%1”. They are added to the "
                    "%Ln vote(s) cast on devices, and the poll closes with them.",
                    "",
                    on_devices,
                )
            ).replace("%1", poll.title)
        text = QLabel(intro, self)
        text.setObjectName("confirmText")
        text.setWordWrap(True)
        weighted = QLabel(
            self.tr("A weighted poll: enter votes as weighted, as the tellers counted them."),
            self,
        )
        weighted.setObjectName("voteHint")
        weighted.setWordWrap(True)
        weighted.setVisible(spec.weighted)

        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.ballots: QSpinBox | None = None
        self.abstain: QSpinBox | None = None
        #: option id (0 for a motion) -> answer -> its figure
        self.figures: dict[int, dict[p.Answer, QSpinBox]] = {}
        row = 0
        if spec.kind in ("election", "per_candidate"):
            self.ballots = self._field(grid, row, self.tr("Ballots counted (valid and abstaining)"))
            row += 1
            if spec.abstain_allowed:
                self.abstain = self._field(
                    grid,
                    row,
                    self.tr("of which abstaining on every candidate")
                    if spec.kind == "per_candidate"
                    else self.tr("of which abstaining"),
                )
                row += 1
        answers: list[p.Answer] = (
            ["yes", "no", "abstain"] if spec.abstain_allowed else ["yes", "no"]
        )
        if spec.kind == "motion":
            for answer in answers:
                self.figures.setdefault(0, {})[answer] = self._field(grid, row, answer_word(answer))
                row += 1
        elif spec.kind == "per_candidate":
            for column, answer in enumerate(answers, start=1):
                heading = QLabel(answer_word(answer), body)
                heading.setObjectName("sectionHeading")
                grid.addWidget(heading, row, column)
            row += 1
            for option in spec.options:
                label = QLabel(option.label, body)
                label.setWordWrap(True)
                grid.addWidget(label, row, 0)
                for column, answer in enumerate(answers, start=1):
                    spin = _spin(body, f"{option.label}: {answer_word(answer)}")
                    spin.valueChanged.connect(self._changed)
                    grid.addWidget(spin, row, column)
                    self.figures.setdefault(option.id, {})[answer] = spin
                row += 1
        else:
            heading = QLabel(self.tr("Votes for each option"), body)
            heading.setObjectName("sectionHeading")
            grid.addWidget(heading, row, 0, 1, 2)
            row += 1
            for option in spec.options:
                self.figures[option.id] = {"yes": self._field(grid, row, option.label)}
                row += 1
            if spec.kind == "single" and spec.abstain_allowed:
                self.abstain = self._field(grid, row, answer_word("abstain"))
                row += 1
        self.invalid = self._field(grid, row, self.tr("Invalid ballots (reported, not counted)"))
        grid.setColumnStretch(0, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.sum_label = QLabel(self)
        self.sum_label.setObjectName("detailMeta")
        self.sum_label.setWordWrap(True)
        buttons, self.ok_button = _buttons(
            self, self.tr("Close with this count…"), self.tr("Cancel")
        )
        self.ok_button.clicked.connect(self.try_accept)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(10)
        box.addWidget(text)
        box.addWidget(weighted)
        box.addWidget(scroll, 1)
        box.addWidget(self.sum_label)
        box.addWidget(self.error_label)
        box.addLayout(buttons)
        fix_window_minimum(self, 560, 420)
        self.resize(640, min(760, 300 + 56 * max(3, len(spec.options) + 3)))
        self._changed()

    def _field(self, grid: QGridLayout, row: int, name: str) -> QSpinBox:
        parent = grid.parentWidget() or self
        label = QLabel(name, parent)
        label.setWordWrap(True)
        spin = _spin(parent, name)
        spin.valueChanged.connect(self._changed)
        label.setBuddy(spin)
        grid.addWidget(label, row, 0)
        grid.addWidget(spin, row, 1)
        return spin

    def count(self) -> p.PaperCount:
        """The count as entered; a motion's and a single choice's ballots are derived."""
        spec = self._spec
        totals = [
            p.OptionTotal(
                option_id=option_id,
                yes=answers["yes"].value(),
                no=answers["no"].value() if "no" in answers else 0,
                abstain=answers["abstain"].value() if "abstain" in answers else 0,
            )
            for option_id, answers in self.figures.items()
        ]
        abstain = self.abstain.value() if self.abstain is not None else 0
        if spec.kind == "motion":
            abstain = totals[0].abstain
            ballots = totals[0].yes + totals[0].no + abstain
        elif spec.kind == "single":
            ballots = sum(t.yes for t in totals) + abstain
        else:
            assert self.ballots is not None
            ballots = self.ballots.value()
        return p.PaperCount(
            ballots=ballots, abstain=abstain, invalid=self.invalid.value(), totals=totals
        )

    def problem(self) -> str:
        """Why no set of paper ballots gives this count ("" if one can): tally's sentence."""
        count = self.count()
        if count.ballots + count.invalid == 0:
            return self.tr("Enter the tellers' figures: no ballot is counted yet.")
        try:
            tally.check_paper(self._spec, count)
        except tally.PollError as exc:
            return str(exc)
        return ""

    def _changed(self) -> None:
        count = self.count()
        self.sum_label.setText(
            self.tr("Ballots counted: %1 · abstaining: %2 · invalid: %3")
            .replace("%1", number_text(count.ballots))
            .replace("%2", number_text(count.abstain))
            .replace("%3", number_text(count.invalid))
        )
        self.recheck()
