"""A new poll: its question, its agenda item and its rules, from a template or by hand.

Every rule of ``PollSpec`` has its field: the kind, the options or candidates, the seats and
the choices a ballot may make, named or secret, abstaining, the majority and what it is a share
of, the quorum, who votes (the roster's groups), weights, changing one's vote, a time limit.
Before anything is sent, the rules are checked by app/tally.py — the room's own check — and a
rule that cannot work is said under the field it concerns, in tally's sentence, never in a
popup. Templates: three built in, and the secretary's own, kept in the console's profile folder
(app/console_votes.py); a templates file that cannot be read is said in words, and the built-in
ones still work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import console_votes as cv
from app import protocol as p
from app import tally
from ui.console.dialogs import AudienceChooser, _buttons, _error_label
from ui.theme import fix_window_minimum
from ui.widgets import errors

KINDS: tuple[p.PollKind, ...] = ("motion", "single", "election", "per_candidate")
RULES: tuple[p.MajorityRule, ...] = ("simple", "absolute", "two_thirds", "fraction")
BASES: tuple[p.MajorityBasis, ...] = ("cast", "valid", "present", "members")
QUORUMS: tuple[p.QuorumKind, ...] = ("none", "fraction", "count")


def _spin(low: int, high: int, value: int, parent: QWidget, width: int = 110) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setMinimumHeight(44)
    spin.setMinimumWidth(width)
    return spin


def _combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setMinimumHeight(44)
    return combo


def _row(*widgets: QWidget | str, stretch: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(8)
    for widget in widgets:
        if isinstance(widget, str):
            row.addSpacing(int(widget))
        else:
            row.addWidget(widget)
    if stretch:
        row.addStretch(1)
    return row


def _field_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setMinimumHeight(44)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class OptionsEditor(QWidget):
    """The options (or candidates) of a poll, in order: typed in, renamed in place, removed,
    moved up and down. ``changed`` after each edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setObjectName("optionList")
        self.list.setMinimumHeight(150)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self.list.itemSelectionChanged.connect(self._refresh)
        self.new_edit = QLineEdit(self)
        self.new_edit.setMaxLength(500)
        self.new_edit.returnPressed.connect(self.add)
        self.new_edit.textChanged.connect(self._refresh)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("toolButton")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("toolButton")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove)
        self.up_button = QPushButton("↑", self)
        self.up_button.setObjectName("toolButton")
        self.up_button.setAccessibleName(self.tr("Move up"))
        self.up_button.setToolTip(self.tr("Move up"))
        self.up_button.setAutoDefault(False)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton("↓", self)
        self.down_button.setObjectName("toolButton")
        self.down_button.setAccessibleName(self.tr("Move down"))
        self.down_button.setToolTip(self.tr("Move down"))
        self.down_button.setAutoDefault(False)
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        for button in (self.up_button, self.down_button):
            button.setMinimumWidth(48)
        add_row = QHBoxLayout()
        add_row.setSpacing(6)
        add_row.addWidget(self.new_edit, 1)
        add_row.addWidget(self.add_button)
        tools = QHBoxLayout()
        tools.setSpacing(6)
        tools.addWidget(self.remove_button)
        tools.addWidget(self.up_button)
        tools.addWidget(self.down_button)
        tools.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addLayout(add_row)
        box.addWidget(self.list)
        box.addLayout(tools)
        self._refresh()

    def labels(self) -> list[str]:
        return [self.list.item(row).text().strip() for row in range(self.list.count())]

    def set_labels(self, labels: Sequence[str]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for label in labels:
            self._append(label)
        self.list.blockSignals(False)
        self._refresh()
        self.changed.emit()

    def _append(self, label: str) -> QListWidgetItem:
        item = QListWidgetItem(label, self.list)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def add(self) -> None:
        text = self.new_edit.text().strip()
        if not text:
            return
        self.list.setCurrentItem(self._append(text))
        self.new_edit.clear()
        self.changed.emit()

    def remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()

    def move_selected(self, step: int) -> None:
        row = self.list.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(to, item)
        self.list.setCurrentRow(to)
        self.changed.emit()

    def _refresh(self) -> None:
        row = self.list.currentRow()
        has = row >= 0 and bool(self.list.selectedItems())
        self.add_button.setEnabled(bool(self.new_edit.text().strip()))
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.list.count() - 1)


class NameDialog(QDialog):
    """The name a template is saved under."""

    def __init__(self, parent: QWidget | None, suggestion: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Save as template"))
        text = QLabel(self.tr("Save these rules (and options) as a template named:"), self)
        text.setWordWrap(True)
        self.name_edit = QLineEdit(suggestion, self)
        self.name_edit.setMaxLength(100)
        self.error_label = _error_label(self)
        buttons, ok = _buttons(self, self.tr("Save"), self.tr("Cancel"))
        ok.clicked.connect(self._accept)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(12)
        box.addWidget(text)
        box.addWidget(self.name_edit)
        box.addWidget(self.error_label)
        box.addLayout(buttons)
        fix_window_minimum(self, 480, 200)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def _accept(self) -> None:
        if not self.name():
            self.error_label.setText(self.tr("Give the template a name."))
            self.error_label.show()
            return
        self.accept()


@dataclass(frozen=True)
class PollValues:
    title: str
    item_id: int | None
    spec: p.PollSpec


class PollDialog(QDialog):
    """The form of a new poll of a meeting: ``items`` are its agenda items as (id, label),
    ``item_id`` the one proposed (the current item), ``groups`` the roster's groups, and
    ``templates_path`` where the secretary's own templates are kept (``None``: nowhere, only
    the built-in ones)."""

    def __init__(
        self,
        parent: QWidget | None,
        items: Sequence[tuple[int, str]] = (),
        item_id: int | None = None,
        groups: Sequence[str] = (),
        templates_path: Path | None = None,
        title: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New poll"))
        self._templates_path = templates_path
        self._own: list[cv.PollTemplate] = []
        self._templates_broken = False
        self._live = False  # say what is wrong as it changes, once Create was tried

        body = QWidget(self)
        body.setObjectName("pollForm")
        form = QFormLayout(body)
        form.setSpacing(10)
        form.setContentsMargins(4, 4, 12, 4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        # template
        self.template_combo = _combo(body)
        self.save_template_button = QPushButton(self.tr("Save as template…"), body)
        self.save_template_button.setObjectName("toolButton")
        self.save_template_button.setAutoDefault(False)
        self.save_template_button.clicked.connect(self.save_template)
        self.save_template_button.setVisible(templates_path is not None)
        self.template_note = QLabel(body)
        self.template_note.setObjectName("fieldError")
        self.template_note.setWordWrap(True)
        self.template_note.hide()
        form.addRow(
            _field_label(self.tr("Template"), body),
            _row(self.template_combo, self.save_template_button),
        )
        form.addRow("", self.template_note)

        # question
        self.title_edit = QLineEdit(title, body)
        self.title_edit.setMaxLength(500)
        self.title_error = self._error(body)
        form.addRow(_field_label(self.tr("Question"), body), self.title_edit)
        form.addRow("", self.title_error)
        self.item_combo = _combo(body)
        self.item_combo.addItem(self.tr("No agenda item"), None)
        for value, label in items:
            self.item_combo.addItem(label, value)
            if value == item_id:
                self.item_combo.setCurrentIndex(self.item_combo.count() - 1)
        form.addRow(_field_label(self.tr("Agenda item"), body), self.item_combo)

        # kind and options
        self.kind_combo = _combo(body)
        for kind, text in (
            ("motion", self.tr("Motion: yes, no or abstain")),
            ("single", self.tr("One choice among options")),
            ("election", self.tr("Election: choose up to N candidates")),
            ("per_candidate", self.tr("Yes or no on each candidate")),
        ):
            self.kind_combo.addItem(text, kind)
        form.addRow(_field_label(self.tr("Kind"), body), self.kind_combo)
        self.options_label = _field_label(self.tr("Options"), body)
        self.options = OptionsEditor(body)
        # the label on the line of the field to type in, not in the middle of the list
        self.options.new_edit.ensurePolished()
        edit_height = self.options.new_edit.sizeHint().height()
        self.options_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        top = max(0, (edit_height - self.options_label.fontMetrics().height()) // 2 + 3)
        self.options_label.setContentsMargins(0, top, 0, 0)
        self.options_label.setMinimumHeight(edit_height)
        form.addRow(self.options_label, self.options)
        self.seats_spin = _spin(1, p.MAX_POLL_OPTIONS, 1, body)
        self.least_label = QLabel(self.tr("each ballot chooses at least"), body)
        self.least_spin = _spin(0, p.MAX_POLL_OPTIONS, 0, body)
        self.seats_label = _field_label(self.tr("Seats"), body)
        self.seats_row = QWidget(body)
        self.seats_row.setLayout(_row(self.seats_spin, "12", self.least_label, self.least_spin))
        form.addRow(self.seats_label, self.seats_row)
        self.options_error = self._error(body)
        form.addRow("", self.options_error)

        # ballot
        self.named_radio = QRadioButton(self.tr("Named (roll call)"), body)
        self.secret_radio = QRadioButton(self.tr("Secret"), body)
        ballot_group = QButtonGroup(self)
        ballot_group.addButton(self.named_radio)
        ballot_group.addButton(self.secret_radio)
        self.named_radio.setChecked(True)
        form.addRow(
            _field_label(self.tr("Ballot"), body), _row(self.named_radio, "16", self.secret_radio)
        )
        self.abstain_box = QCheckBox(self.tr("Abstaining is allowed"), body)
        self.abstain_box.setChecked(True)
        self.changeable_box = QCheckBox(
            self.tr("A vote may be changed until the poll closes (named only)"), body
        )
        self.weighted_box = QCheckBox(
            self.tr("Weighted: each delegate's weight in the roster"), body
        )
        for box_ in (self.abstain_box, self.changeable_box, self.weighted_box):
            form.addRow("", box_)
        self.ballot_error = self._error(body)
        form.addRow("", self.ballot_error)

        # majority
        self.rule_combo = _combo(body)
        for rule, text in (
            ("simple", self.tr("Simple majority")),
            ("absolute", self.tr("Absolute majority (more than half)")),
            ("two_thirds", self.tr("Two-thirds majority")),
            ("fraction", self.tr("A share of at least")),
        ):
            self.rule_combo.addItem(text, rule)
        self.numerator_spin = _spin(1, 1000, 1, body, 90)
        self.slash_label = QLabel("/", body)
        self.denominator_spin = _spin(1, 1000, 2, body, 90)
        self.of_label = QLabel(self.tr("of"), body)
        self.basis_combo = _combo(body)
        for basis, text in (
            ("cast", self.tr("the votes cast")),
            ("valid", self.tr("the valid votes (abstentions left out)")),
            ("present", self.tr("the members present")),
            ("members", self.tr("all members")),
        ):
            self.basis_combo.addItem(text, basis)
        self.simple_note = QLabel(self.tr("more yes than no, or the most votes"), body)
        self.simple_note.setObjectName("voteHint")
        majority_row = QWidget(body)
        majority_row.setLayout(
            _row(
                self.rule_combo,
                self.numerator_spin,
                self.slash_label,
                self.denominator_spin,
                self.of_label,
                self.basis_combo,
                self.simple_note,
            )
        )
        form.addRow(_field_label(self.tr("Majority"), body), majority_row)
        self.abstentions_box = QCheckBox(self.tr("Abstentions count among the votes cast"), body)
        form.addRow("", self.abstentions_box)
        self.majority_error = self._error(body)
        form.addRow("", self.majority_error)

        # quorum
        self.quorum_combo = _combo(body)
        for kind, text in (
            ("none", self.tr("No quorum")),
            ("fraction", self.tr("A share of all members")),
            ("count", self.tr("A number of members")),
        ):
            self.quorum_combo.addItem(text, kind)
        self.quorum_numerator = _spin(1, 1000, 1, body, 90)
        self.quorum_slash = QLabel("/", body)
        self.quorum_denominator = _spin(1, 1000, 2, body, 90)
        self.quorum_count = _spin(0, 100_000, 1, body, 120)
        self.quorum_note = QLabel(self.tr("present or represented"), body)
        self.quorum_note.setObjectName("voteHint")
        quorum_row = QWidget(body)
        quorum_row.setLayout(
            _row(
                self.quorum_combo,
                self.quorum_numerator,
                self.quorum_slash,
                self.quorum_denominator,
                self.quorum_count,
                self.quorum_note,
            )
        )
        form.addRow(_field_label(self.tr("Quorum"), body), quorum_row)
        self.quorum_error = self._error(body)
        form.addRow("", self.quorum_error)

        # who votes
        self.audience = AudienceChooser(groups, (), body)
        self.audience.everyone.setText(self.tr("Every delegate with a voting right"))
        self.audience.members_only.setText(self.tr("Only those of these groups:"))
        self.groups_label = _field_label(self.tr("Who votes"), body)
        form.addRow(self.groups_label, self.audience)
        self.groups_label.setVisible(bool(groups))
        self.audience.group_list.setMaximumHeight(min(160, 14 + 38 * max(1, len(groups))))
        self.audience.setVisible(bool(groups))
        self.groups_error = self._error(body)
        form.addRow("", self.groups_error)

        # time limit
        self.timed_box = QCheckBox(self.tr("Closes by itself after"), body)
        self.minutes_spin = _spin(0, 24 * 60, 2, body, 100)
        self.minutes_spin.setSuffix(" " + self.tr("min"))
        self.seconds_spin = _spin(0, 59, 0, body, 100)
        self.seconds_spin.setSuffix(" " + self.tr("s"))
        form.addRow(
            _field_label(self.tr("Time limit"), body),
            _row(self.timed_box, self.minutes_spin, self.seconds_spin),
        )
        self.time_error = self._error(body)
        form.addRow("", self.time_error)

        scroll = QScrollArea(self)
        scroll.setObjectName("pollScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.form_scroll = scroll
        self.error_label = _error_label(self)
        buttons, self.ok_button = _buttons(self, self.tr("Create the poll"), self.tr("Cancel"))
        self.ok_button.clicked.connect(self._accept)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(12)
        box.addWidget(scroll, 1)
        box.addWidget(self.error_label)
        box.addLayout(buttons)
        fix_window_minimum(self, 760, 560)
        self.resize(900, 760)

        self._load_templates()
        for signal in (
            self.kind_combo.currentIndexChanged,
            self.rule_combo.currentIndexChanged,
            self.basis_combo.currentIndexChanged,
            self.quorum_combo.currentIndexChanged,
            self.named_radio.toggled,
            self.timed_box.toggled,
        ):
            signal.connect(self._shape)
        for spin in (
            self.seats_spin,
            self.least_spin,
            self.numerator_spin,
            self.denominator_spin,
            self.quorum_numerator,
            self.quorum_denominator,
            self.quorum_count,
            self.minutes_spin,
            self.seconds_spin,
        ):
            spin.valueChanged.connect(self._changed)
        for check in (
            self.abstain_box,
            self.changeable_box,
            self.weighted_box,
            self.abstentions_box,
        ):
            check.toggled.connect(self._changed)
        self.title_edit.textChanged.connect(self._changed)
        self.options.changed.connect(self._changed)
        self.audience.members_only.toggled.connect(self._changed)
        self.audience.group_list.itemChanged.connect(self._changed)
        self.template_combo.activated.connect(self._template_chosen)
        self._shape()
        self.title_edit.setFocus()

    def _error(self, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setObjectName("fieldError")
        label.setWordWrap(True)
        label.hide()
        return label

    # ------------------------------------------------------------------ templates

    def _builtin_names(self) -> dict[str, str]:
        return {
            cv.APPROVE_AGENDA: self.tr("Approve the agenda"),
            cv.ADOPT_RESOLUTION: self.tr("Adopt the resolution"),
            cv.ELECT_COMMITTEE: self.tr("Elect the committee"),
        }

    def _load_templates(self) -> None:
        self._own = []
        self._templates_broken = False
        self.template_note.hide()
        if self._templates_path is not None:
            try:
                self._own = cv.load_templates(self._templates_path)
            except cv.TemplateError as exc:
                self._templates_broken = exc.kind != "unreadable"
                self.template_note.setText(errors.describe_template_error(exc))
                self.template_note.show()
        self._fill_templates()

    def _fill_templates(self, chosen: str | None = None) -> None:
        """The templates offered: none, the built-in ones ("builtin:KEY"), the secretary's own
        ("own:N"); ``chosen`` is the one shown."""
        combo = self.template_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("None: rules set by hand"), "")
        for key, name in self._builtin_names().items():
            combo.addItem(name, f"builtin:{key}")
        if self._own:
            combo.insertSeparator(combo.count())
        for n, template in enumerate(self._own):
            combo.addItem(template.name, f"own:{n}")
        if chosen is not None:
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.blockSignals(False)

    def template_names(self) -> list[str]:
        return [self.template_combo.itemText(i) for i in range(self.template_combo.count())]

    def choose_template(self, name: str) -> None:
        """Apply the template shown as ``name`` (as a click in the list would)."""
        index = self.template_combo.findText(name)
        if index < 0:
            raise KeyError(name)
        self.template_combo.setCurrentIndex(index)
        self._template_chosen(index)

    def _template_chosen(self, index: int) -> None:
        origin, _, key = str(self.template_combo.itemData(index) or "").partition(":")
        if origin == "builtin":
            self.set_spec(cv.BUILT_IN[key])
        elif origin == "own" and 0 <= int(key) < len(self._own):
            self.set_spec(self._own[int(key)].spec)

    def save_template(self) -> None:
        """The rules in the form (options included) kept under a name the secretary gives."""
        path = self._templates_path
        if path is None:
            return
        current = str(self.template_combo.currentData() or "")
        suggestion = self.template_combo.currentText() if current.startswith("own:") else ""
        dialog = NameDialog(self, suggestion)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        name = dialog.name()
        dialog.deleteLater()
        if not accepted:
            return
        spec = self.spec()
        try:
            try:
                cv.check_template(spec)
            except tally.PollError as exc:
                raise cv.TemplateError("invalid_rules", str(exc)) from None
            if self._templates_broken and path.exists():
                cv.set_aside(path)  # kept beside the new file, never overwritten
                self._templates_broken = False
            templates = cv.with_template(self._own, cv.PollTemplate(name=name, spec=spec))
            cv.save_templates(path, templates)
        except cv.TemplateError as exc:
            self.template_note.setText(errors.describe_template_error(exc))
            self.template_note.show()
            return
        self._own = templates
        self.template_note.hide()
        index = next(n for n, t in enumerate(self._own) if t.name == name)
        self._fill_templates(f"own:{index}")

    # ------------------------------------------------------------------ the form and the spec

    def set_spec(self, spec: p.PollSpec) -> None:
        """Show ``spec`` in the fields (a template chosen)."""
        widgets = (
            self.kind_combo,
            self.rule_combo,
            self.basis_combo,
            self.quorum_combo,
            self.named_radio,
            self.secret_radio,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.kind_combo.setCurrentIndex(KINDS.index(spec.kind))
        self.options.set_labels([o.label for o in spec.options])
        self.seats_spin.setValue(max(1, spec.max_choices))
        self.least_spin.setValue(spec.min_choices)
        (self.secret_radio if spec.secret else self.named_radio).setChecked(True)
        self.abstain_box.setChecked(spec.abstain_allowed)
        self.changeable_box.setChecked(spec.changeable)
        self.weighted_box.setChecked(spec.weighted)
        majority = spec.majority
        self.rule_combo.setCurrentIndex(RULES.index(majority.rule))
        self.basis_combo.setCurrentIndex(BASES.index(majority.basis))
        self.numerator_spin.setValue(majority.numerator)
        self.denominator_spin.setValue(majority.denominator)
        self.abstentions_box.setChecked(majority.abstentions_count)
        quorum = spec.quorum
        self.quorum_combo.setCurrentIndex(QUORUMS.index(quorum.kind))
        self.quorum_numerator.setValue(quorum.numerator)
        self.quorum_denominator.setValue(quorum.denominator)
        self.quorum_count.setValue(quorum.count)
        known = {
            self.audience.group_list.item(r).text() for r in range(self.audience.group_list.count())
        }
        chosen = [g for g in spec.groups if g in known]
        for r in range(self.audience.group_list.count()):
            entry = self.audience.group_list.item(r)
            entry.setCheckState(
                Qt.CheckState.Checked if entry.text() in chosen else Qt.CheckState.Unchecked
            )
        (self.audience.members_only if chosen else self.audience.everyone).setChecked(True)
        self.timed_box.setChecked(spec.seconds is not None)
        if spec.seconds is not None:
            self.minutes_spin.setValue(spec.seconds // 60)
            self.seconds_spin.setValue(spec.seconds % 60)
        for widget in widgets:
            widget.blockSignals(False)
        self._shape()

    def kind(self) -> p.PollKind:
        return KINDS[self.kind_combo.currentIndex()]

    def _shape(self, *_: object) -> None:
        """Show the fields the kind and rules chosen use, and only those."""
        kind = self.kind()
        choosing = kind != "motion"
        seats = kind in ("election", "per_candidate")
        self.options_label.setVisible(choosing)
        self.options.setVisible(choosing)
        self.options_label.setText(self.tr("Candidates") if seats else self.tr("Options"))
        self.options.new_edit.setPlaceholderText(
            self.tr("A candidate's name, then Add") if seats else self.tr("An option, then Add")
        )
        self.seats_label.setVisible(seats)
        self.seats_row.setVisible(seats)
        self.least_label.setVisible(kind == "election")
        self.least_spin.setVisible(kind == "election")
        secret = self.secret_radio.isChecked()
        self.changeable_box.setEnabled(not secret)
        if secret:
            self.changeable_box.setChecked(False)
        rule = RULES[self.rule_combo.currentIndex()]
        fraction = rule == "fraction"
        for widget in (self.numerator_spin, self.slash_label, self.denominator_spin):
            widget.setVisible(fraction)
        shared = rule != "simple"
        self.of_label.setVisible(shared)
        self.basis_combo.setVisible(shared)
        self.simple_note.setVisible(not shared)
        basis = BASES[self.basis_combo.currentIndex()]
        self.abstentions_box.setVisible(shared and basis == "cast")
        quorum = QUORUMS[self.quorum_combo.currentIndex()]
        for widget in (self.quorum_numerator, self.quorum_slash, self.quorum_denominator):
            widget.setVisible(quorum == "fraction")
        self.quorum_count.setVisible(quorum == "count")
        self.quorum_note.setVisible(quorum != "none")
        timed = self.timed_box.isChecked()
        self.minutes_spin.setEnabled(timed)
        self.seconds_spin.setEnabled(timed)
        self._changed()

    def seconds(self) -> int | None:
        if not self.timed_box.isChecked():
            return None
        return self.minutes_spin.value() * 60 + self.seconds_spin.value()

    def spec(self) -> p.PollSpec:
        """The rules as the form shows them (checked or not)."""
        kind = self.kind()
        options = (
            []
            if kind == "motion"
            else [
                p.PollOption(id=n + 1, label=label) for n, label in enumerate(self.options.labels())
            ]
        )
        seats = kind in ("election", "per_candidate")
        rule = RULES[self.rule_combo.currentIndex()]
        basis = BASES[self.basis_combo.currentIndex()]
        secret = self.secret_radio.isChecked()
        return p.PollSpec(
            kind=kind,
            secret=secret,
            options=options,
            min_choices=self.least_spin.value() if kind == "election" else 0,
            max_choices=self.seats_spin.value() if seats else 1,
            abstain_allowed=self.abstain_box.isChecked(),
            majority=p.Majority(
                rule=rule,
                basis=basis,
                numerator=self.numerator_spin.value(),
                denominator=self.denominator_spin.value(),
                abstentions_count=self.abstentions_box.isChecked() and basis == "cast",
            ),
            quorum=p.Quorum(
                kind=QUORUMS[self.quorum_combo.currentIndex()],
                numerator=self.quorum_numerator.value(),
                denominator=self.quorum_denominator.value(),
                count=self.quorum_count.value(),
            ),
            groups=list(self.audience.groups()),
            weighted=self.weighted_box.isChecked(),
            changeable=self.changeable_box.isChecked() and not secret,
            seconds=self.seconds(),
        )

    def values(self) -> PollValues:
        item = self.item_combo.currentData()
        return PollValues(
            self.title_edit.text().strip(), item if isinstance(item, int) else None, self.spec()
        )

    def problems(self) -> dict[str, str]:
        """What is wrong, by field ("" for none): title, options, ballot, majority, quorum,
        groups, time, general. The rules' sentences are app/tally.py's."""
        found: dict[str, str] = {}
        if not self.title_edit.text().strip():
            found["title"] = self.tr("Write the question the delegates vote on.")
        if self.kind() != "motion":
            blank = [n + 1 for n, label in enumerate(self.options.labels()) if not label]
            if blank:
                found["options"] = self.tr("Option %1 has no name.").replace("%1", str(blank[0]))
        if self.audience.incomplete():
            found["groups"] = self.tr("Tick the groups whose members vote.")
        seconds = self.seconds()
        if seconds is not None and not 10 <= seconds <= 24 * 3600:
            found["time"] = self.tr("A time limit is between 10 seconds and 24 hours.")
        if "options" not in found:
            problem = cv.spec_problem(self.spec())
            if problem is not None:
                part, sentence = problem
                found[{"limits": "general"}.get(part, part)] = sentence
        return found

    def _changed(self, *_: object) -> None:
        if self._live:
            self._show_problems()

    def _show_problems(self) -> dict[str, str]:
        found = self.problems()
        for field, label in (
            ("title", self.title_error),
            ("options", self.options_error),
            ("ballot", self.ballot_error),
            ("majority", self.majority_error),
            ("quorum", self.quorum_error),
            ("groups", self.groups_error),
            ("time", self.time_error),
            ("general", self.error_label),
        ):
            label.setText(found.get(field, ""))
            label.setVisible(field in found)
        return found

    def problem_text(self, field: str) -> str:
        """What the form says under ``field`` now ("" if nothing)."""
        label = {
            "title": self.title_error,
            "options": self.options_error,
            "ballot": self.ballot_error,
            "majority": self.majority_error,
            "quorum": self.quorum_error,
            "groups": self.groups_error,
            "time": self.time_error,
            "general": self.error_label,
        }[field]
        return label.text() if not label.isHidden() else ""

    def _accept(self) -> None:
        self._live = True
        found = self._show_problems()
        if not found:
            self.accept()
            return
        shown = [
            label
            for label in (
                self.title_error,
                self.options_error,
                self.ballot_error,
                self.majority_error,
                self.quorum_error,
                self.groups_error,
                self.time_error,
            )
            if not label.isHidden()
        ]
        if shown:  # once the sentences shown are laid out
            QTimer.singleShot(0, lambda: self.form_scroll.ensureWidgetVisible(shown[0], 50, 80))
