"""A vote a secretary records for a delegate whose device failed (named polls only): the
delegate, found by typing, and their choice, checked by app/tally.py before it is sent.

The room marks such a vote as manual in the published list, so everyone can see which votes
the secretariat recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app import tally
from ui.console.delegate_picker import DelegatePicker
from ui.console.dialogs import CheckedDialog, _buttons
from ui.theme import fix_window_minimum
from ui.widgets.poll_words import answer_word

ANSWERS: tuple[p.Answer, ...] = ("yes", "no", "abstain")


class MarksEditor(QWidget):
    """The choices of one ballot of ``spec``, as a voter's screen offers them."""

    changed = Signal()

    def __init__(self, spec: p.PollSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("marksEditor")
        self._spec = spec
        self.buttons: dict[object, QAbstractButton] = {}
        self._groups: list[QButtonGroup] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        answers = [a for a in ANSWERS if a != "abstain" or spec.abstain_allowed]
        if spec.kind == "motion":
            group = self._group(exclusive=True)
            for column, answer in enumerate(answers):
                self._button(answer, answer_word(answer), group, grid, 0, column)
        elif spec.kind == "per_candidate":
            for row, option in enumerate(spec.options):
                label = QLabel(option.label, self)
                label.setWordWrap(True)
                grid.addWidget(label, row, 0)
                group = self._group(exclusive=True)
                for column, answer in enumerate(answers, start=1):
                    each = self._button(
                        (option.id, answer), answer_word(answer), group, grid, row, column
                    )
                    each.setAccessibleName(f"{option.label}: {answer_word(answer)}")
            grid.setColumnStretch(0, 1)
        else:
            group = self._group(exclusive=spec.kind == "single")
            for row, option in enumerate(spec.options):
                self._button(option.id, option.label, group, grid, row, 0)
            if spec.abstain_allowed:
                abstain = self._button(
                    "abstain", answer_word("abstain"), None, grid, len(spec.options), 0
                )
                abstain.toggled.connect(self._abstain_toggled)
        for button in self.buttons.values():
            button.toggled.connect(lambda _on: self.changed.emit())

    def _button(
        self,
        key: object,
        text: str,
        group: QButtonGroup | None,
        grid: QGridLayout,
        row: int,
        column: int,
    ) -> QPushButton:
        """A choice to tick: a checkable button, touch-sized, filled when ticked."""
        button = QPushButton(text, self)
        button.setObjectName("choiceButton")
        button.setCheckable(True)
        button.setAutoDefault(False)
        button.setMinimumHeight(44)
        button.setMinimumWidth(120)
        if group is not None:
            group.addButton(button)
        self.buttons[key] = button
        grid.addWidget(button, row, column)
        return button

    def _group(self, exclusive: bool) -> QButtonGroup:
        group = QButtonGroup(self)
        group.setExclusive(exclusive)
        self._groups.append(group)
        return group

    def _abstain_toggled(self, on: bool) -> None:
        """Abstaining chooses none: the options are cleared and set aside while it is ticked."""
        for key, button in self.buttons.items():
            if key == "abstain":
                continue
            if on and button.isChecked():
                group = button.group()
                if group is not None and group.exclusive():
                    group.setExclusive(False)
                    button.setChecked(False)
                    group.setExclusive(True)
                else:
                    button.setChecked(False)
            button.setEnabled(not on)

    def choose(self, key: object) -> None:
        """Tick the answer or option ``key`` (``"yes"``, an option id, ``(option id, "no")``)."""
        self.buttons[key].setChecked(True)

    def marks(self) -> p.Marks | None:
        """The vote as ticked, or ``None`` while nothing is."""
        spec = self._spec
        ticked = {key for key, button in self.buttons.items() if button.isChecked()}
        if not ticked:
            return None
        if spec.kind == "motion":
            (answer,) = ticked
            return p.Marks(answer=answer)  # type: ignore[arg-type]
        if spec.kind == "per_candidate":
            answers: list[p.Answer] = []
            for option in spec.options:
                given = [a for a in ANSWERS if (option.id, a) in ticked]
                if not given:
                    return p.Marks(answers=answers)  # incomplete: tally says which are missing
                answers.append(given[0])
            return p.Marks(answers=answers)
        if "abstain" in ticked:
            return p.Marks(answer="abstain")
        return p.Marks(chosen=[o.id for o in spec.options if o.id in ticked])


class ManualVoteDialog(CheckedDialog):
    """Whose vote, and what it says, for ``poll``; ``candidates`` are the delegates it may be
    recorded for (members of the poll who have not voted, or all of them if votes may be
    changed)."""

    def __init__(
        self, parent: QWidget | None, poll: p.Poll, candidates: Iterable[p.Delegate]
    ) -> None:
        super().__init__(parent)
        self._poll = poll
        self.setWindowTitle(self.tr("Record a vote"))
        text = QLabel(
            self.tr(
                "For a delegate whose device failed: the vote is recorded as given to the "
                "secretariat, and marked as such in the published list of “%1”."
            ).replace("%1", poll.title),
            self,
        )
        text.setObjectName("confirmText")
        text.setWordWrap(True)
        self.picker = DelegatePicker(candidates, self)
        self.picker.setMinimumHeight(220)
        self.picker.picked.connect(lambda _id: self.recheck())
        choice_heading = QLabel(self.tr("Their vote"), self)
        choice_heading.setObjectName("sectionHeading")
        self.editor = MarksEditor(poll.spec, self)
        self.editor.changed.connect(self.recheck)
        choices = QScrollArea(self)
        choices.setWidgetResizable(True)
        choices.setFrameShape(QScrollArea.Shape.NoFrame)
        choices.setWidget(self.editor)
        choices.setMinimumHeight(min(60 + 44 * max(1, len(poll.spec.options)), 220))
        buttons, self.ok_button = _buttons(self, self.tr("Record the vote…"), self.tr("Cancel"))
        self.ok_button.clicked.connect(self.try_accept)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(10)
        box.addWidget(text)
        box.addWidget(self.picker, 1)
        box.addWidget(choice_heading)
        box.addWidget(choices)
        box.addWidget(self.error_label)
        box.addLayout(buttons)
        fix_window_minimum(self, 600, 560)
        self.resize(680, 720)
        self.picker.search_edit.setFocus()

    def delegate(self) -> p.Delegate | None:
        return self.picker.selected()

    def marks(self) -> p.Marks | None:
        return self.editor.marks()

    def problem(self) -> str:
        """Why the vote cannot be recorded as it is ("" if it can): tally's sentence."""
        if self.delegate() is None:
            return self.tr("Choose the delegate whose vote this is.")
        marks = self.marks()
        if marks is None:
            return self.tr("Tick their vote.")
        try:
            tally.check_marks(self._poll.spec, marks)
        except tally.PollError as exc:
            return str(exc)
        return ""
