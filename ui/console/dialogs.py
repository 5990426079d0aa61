"""Small forms of the console: a new meeting, an agenda item (add or edit), and the question
asked before an action that changes what every delegate sees or cannot be undone.

They check what can be checked locally (a title is required, a time reads HH:MM) and say so
inline; the server still validates everything, and its refusals come back to the status bar.
Buttons carry translated text (not QDialogButtonBox standard buttons, which Qt ships no
Vietnamese translation for).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.protocol import AgendaItem
from ui.theme import fix_window_minimum

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _label(text: str, parent: QWidget) -> QLabel:
    """A form label centred on its one-line field (QFormLayout would top-align it)."""
    label = QLabel(text, parent)
    label.setMinimumHeight(44)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


def _error_label(dialog: QDialog) -> QLabel:
    """Where a dialog says what is wrong with the form; hidden until there is something."""
    label = QLabel(dialog)
    label.setObjectName("errorText")
    label.setWordWrap(True)
    label.hide()
    return label


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setSpacing(12)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return form


def _buttons(dialog: QDialog, ok_text: str, cancel_text: str) -> tuple[QHBoxLayout, QPushButton]:
    ok = QPushButton(ok_text, dialog)
    ok.setObjectName("primaryButton")
    ok.setDefault(True)
    ok.setMinimumHeight(48)
    cancel = QPushButton(cancel_text, dialog)
    cancel.setMinimumHeight(48)
    cancel.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(cancel)
    row.addWidget(ok)
    return row, ok


class ConfirmDialog(QDialog):
    """A question before going ahead: what will happen, and two answers.

    The safe answer (``keep_text``) is the default and the Escape answer, so Enter, Escape or
    closing the window never goes ahead: that takes a deliberate click on ``go_text``.
    """

    def __init__(
        self, parent: QWidget | None, title: str, text: str, go_text: str, keep_text: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text_label = QLabel(text, self)
        self.text_label.setObjectName("confirmText")
        self.text_label.setWordWrap(True)
        self.go_button = QPushButton(go_text, self)
        self.go_button.setObjectName("dangerButton")
        self.go_button.setAutoDefault(False)
        self.go_button.setMinimumHeight(48)
        self.go_button.clicked.connect(self.accept)
        self.keep_button = QPushButton(keep_text, self)
        self.keep_button.setObjectName("primaryButton")
        self.keep_button.setDefault(True)
        self.keep_button.setMinimumHeight(48)
        self.keep_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.go_button)
        row.addStretch(1)
        row.addWidget(self.keep_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 16)
        box.setSpacing(20)
        box.addWidget(self.text_label)
        box.addLayout(row)
        fix_window_minimum(self, 520, 180)
        self.keep_button.setFocus()


class CloseMeetingDialog(ConfirmDialog):
    """Closing a meeting, and whether every device wipes it: deletes its documents and their
    keys at its next contact. Wiping is final, so it is a box to tick, never the default, and
    the button then says so."""

    def __init__(self, parent: QWidget | None, meeting_title: str, has_documents: bool) -> None:
        super().__init__(
            parent,
            self.tr("Close meeting"),
            self.tr("Close “%1”? It is marked as closed; it can be reopened later.").replace(
                "%1", meeting_title
            ),
            self.tr("Close the meeting"),
            self.tr("Keep it open"),
        )
        self.wipe_box = QCheckBox(self.tr("Also wipe it from every device"), self)
        self.wipe_box.setObjectName("wipeBox")
        self.wipe_box.toggled.connect(self._wipe_toggled)
        self.wipe_text = QLabel(
            self.tr(
                "Each device deletes this meeting's documents and their keys at its next "
                "contact with the room. This is final: the meeting cannot be reopened and its "
                "documents are served to no one again."
            ),
            self,
        )
        self.wipe_text.setObjectName("hintLabel")
        self.wipe_text.setWordWrap(True)
        self.notes_box = QCheckBox(
            self.tr("Delegates keep their own notes (without the document text they quote)"),
            self,
        )
        self.notes_box.setObjectName("notesKeptBox")
        self.notes_box.setEnabled(False)
        for widget in (self.wipe_box, self.wipe_text, self.notes_box):
            widget.setVisible(has_documents)
        box = self.layout()
        assert isinstance(box, QVBoxLayout)
        box.insertWidget(1, self.wipe_box)
        box.insertWidget(2, self.wipe_text)
        box.insertWidget(3, self.notes_box)
        fix_window_minimum(self, 560, 330 if has_documents else 180)

    def _wipe_toggled(self, on: bool) -> None:
        self.notes_box.setEnabled(on)
        self.go_button.setText(
            self.tr("Close and wipe from every device") if on else self.tr("Close the meeting")
        )

    def notes_kept(self) -> bool:
        """With a wipe: delegates keep their annotations of the meeting (app/annotations.py)."""
        return self.wipe() and self.notes_box.isChecked()

    def wipe(self) -> bool:
        return self.wipe_box.isChecked()


class GraceDialog(QDialog):
    """How long a device away from the room may still open a meeting's documents, counted
    from its last contact (none: as long as the meeting is not wiped), and whether delegates
    may save their annotated copy: what of the documents leaves with the devices."""

    def __init__(
        self,
        parent: QWidget | None,
        meeting_title: str,
        hours: int | None,
        export_allowed: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Offline reading"))
        text = QLabel(
            self.tr(
                "Documents of “%1” stay readable on a device that has lost contact with the "
                "room for:"
            ).replace("%1", meeting_title),
            self,
        )
        text.setWordWrap(True)
        self.limited = QCheckBox(self.tr("At most"), self)
        self.hours = QSpinBox(self)
        self.hours.setRange(1, 24 * 365)
        self.hours.setSuffix(self.tr(" hours"))
        self.hours.setMinimumHeight(44)
        self.limited.toggled.connect(self.hours.setEnabled)
        self.limited.setChecked(hours is not None)
        self.hours.setValue(hours or 48)
        self.hours.setEnabled(hours is not None)
        row = QHBoxLayout()
        row.addWidget(self.limited)
        row.addWidget(self.hours, 1)
        note = QLabel(
            self.tr("Without a limit, only wiping the meeting takes its documents away."), self
        )
        note.setWordWrap(True)
        note.setObjectName("hintLabel")
        self.export_box = QCheckBox(
            self.tr("Delegates may save their own annotated copy (watermarked with their name)"),
            self,
        )
        self.export_box.setChecked(export_allowed)
        buttons, ok = _buttons(self, self.tr("Save"), self.tr("Cancel"))
        ok.clicked.connect(self.accept)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(14)
        box.addWidget(text)
        box.addLayout(row)
        box.addWidget(note)
        box.addWidget(self.export_box)
        box.addLayout(buttons)
        fix_window_minimum(self, 520, 260)

    def value(self) -> int | None:
        return self.hours.value() if self.limited.isChecked() else None


def confirm(parent: QWidget, title: str, text: str, go_text: str, keep_text: str) -> bool:
    """Ask with a :class:`ConfirmDialog`; ``True`` only when ``go_text`` was clicked."""
    dialog = ConfirmDialog(parent, title, text, go_text, keep_text)
    answer = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return answer


class AudienceChooser(QWidget):
    """Who sees something: everyone, or only the members of some of the roster's groups."""

    def __init__(
        self, groups: Sequence[str], selected: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.everyone = QRadioButton(self.tr("Everyone"), self)
        self.members_only = QRadioButton(self.tr("Only the members of these groups:"), self)
        self.group_list = QListWidget(self)
        self.group_list.setObjectName("groupList")
        for group in dict.fromkeys([*groups, *selected]):
            entry = QListWidgetItem(group, self.group_list)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(
                Qt.CheckState.Checked if group in selected else Qt.CheckState.Unchecked
            )
        self.group_list.setMaximumHeight(160)
        self.members_only.toggled.connect(self.group_list.setEnabled)
        (self.members_only if selected else self.everyone).setChecked(True)
        self.group_list.setEnabled(bool(selected))
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(self.everyone)
        box.addWidget(self.members_only)
        box.addWidget(self.group_list)

    def checked(self) -> tuple[str, ...]:
        entries = (self.group_list.item(row) for row in range(self.group_list.count()))
        return tuple(e.text() for e in entries if e.checkState() == Qt.CheckState.Checked)

    def groups(self) -> tuple[str, ...]:
        """The groups chosen; empty: everyone."""
        return self.checked() if self.members_only.isChecked() else ()

    def incomplete(self) -> bool:
        """ "Only the members of these groups", and none ticked."""
        return self.members_only.isChecked() and not self.checked()


@dataclass(frozen=True)
class MeetingValues:
    title: str
    starts_on: datetime.date | None
    #: The roster groups whose members (and the secretariat) see it; empty: everyone.
    groups: tuple[str, ...] = ()


class MeetingDialog(QDialog):
    """Title and (optional) date of a new meeting, and who sees it: everyone, or only the
    members of some of the roster's ``groups`` (offered when the roster has any)."""

    def __init__(self, parent: QWidget | None = None, groups: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New meeting"))
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(500)
        self.has_date = QCheckBox(self.tr("Date"), self)
        self.has_date.setChecked(True)
        self.date_edit = QDateEdit(QDate.currentDate(), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setMinimumHeight(44)
        self.has_date.toggled.connect(self.date_edit.setEnabled)
        self.error_label = _error_label(self)
        form = _form()
        form.addRow(_label(self.tr("Title"), self), self.title_edit)
        date_row = QHBoxLayout()
        date_row.addWidget(self.has_date)
        date_row.addWidget(self.date_edit, 1)
        form.addRow("", date_row)
        self.audience = AudienceChooser(groups, (), self)
        if groups:
            form.addRow(_label(self.tr("Who sees it"), self), self.audience)
        self.audience.setVisible(bool(groups))
        buttons, self.ok_button = _buttons(self, self.tr("Create"), self.tr("Cancel"))
        self.ok_button.clicked.connect(self._accept)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(14)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addLayout(buttons)
        fix_window_minimum(self, 560, 360 if groups else 200)

    def values(self) -> MeetingValues:
        picked = self.date_edit.date()
        date = (
            datetime.date(picked.year(), picked.month(), picked.day())
            if self.has_date.isChecked()
            else None
        )
        return MeetingValues(self.title_edit.text().strip(), date, self.audience.groups())

    def _accept(self) -> None:
        if not self.values().title:
            self.error_label.setText(self.tr("Give the meeting a title."))
            self.error_label.show()
            self.title_edit.setFocus()
            return
        if self.audience.incomplete():
            self.error_label.setText(self.tr("Tick the groups whose members see this meeting."))
            self.error_label.show()
            self.audience.group_list.setFocus()
            return
        self.accept()


@dataclass(frozen=True)
class ItemValues:
    number: str
    title: str
    description: str
    planned_start: str | None
    planned_minutes: int | None

    def changes_from(self, item: AgendaItem) -> dict[str, object]:
        """Fields that differ from ``item`` (what an ``agenda.update`` must carry)."""
        changes: dict[str, object] = {}
        for name in ("number", "title", "description", "planned_start", "planned_minutes"):
            value = getattr(self, name)
            if value != getattr(item, name):
                changes[name] = value
        return changes


class ItemDialog(QDialog):
    """Number, title, description, planned start and minutes of an agenda item."""

    def __init__(
        self,
        parent: QWidget | None = None,
        item: AgendaItem | None = None,
        context: str = "",
    ) -> None:
        super().__init__(parent)
        self._item = item
        self.setWindowTitle(self.tr("Edit agenda item") if item else self.tr("New agenda item"))
        self.context_label = QLabel(context, self)  # where a new item goes
        self.context_label.setObjectName("whereText")
        self.context_label.setWordWrap(True)
        self.context_label.setVisible(bool(context))
        self.number_edit = QLineEdit(self)
        self.number_edit.setMaxLength(32)
        self.number_edit.setPlaceholderText(self.tr("automatic"))
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(500)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setMinimumHeight(140)
        self.start_edit = QLineEdit(self)
        self.start_edit.setPlaceholderText(self.tr("HH:MM"))
        self.start_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^\d{0,2}(:\d{0,2})?$"), self)
        )
        self.start_edit.setMaximumWidth(140)
        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setRange(0, 24 * 60)
        self.minutes_spin.setSpecialValueText("—")
        self.minutes_spin.setSingleStep(5)
        self.minutes_spin.setMinimumHeight(44)
        self.minutes_spin.setSuffix(" " + self.tr("min"))
        self.minutes_spin.setMaximumWidth(160)
        self.error_label = _error_label(self)
        form = _form()
        form.addRow(_label(self.tr("Number"), self), self.number_edit)
        form.addRow(_label(self.tr("Title"), self), self.title_edit)
        form.addRow(_label(self.tr("Description"), self), self.description_edit)
        form.addRow(_label(self.tr("Planned start"), self), self.start_edit)
        form.addRow(_label(self.tr("Planned duration"), self), self.minutes_spin)
        buttons, self.ok_button = _buttons(
            self, self.tr("Save") if item else self.tr("Add"), self.tr("Cancel")
        )
        self.ok_button.clicked.connect(self._accept)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(14)
        box.addWidget(self.context_label)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addLayout(buttons)
        fix_window_minimum(self, 640, 420)
        if item is not None:
            self.number_edit.setText(item.number)
            self.title_edit.setText(item.title)
            self.description_edit.setPlainText(item.description)
            self.start_edit.setText(item.planned_start or "")
            self.minutes_spin.setValue(item.planned_minutes or 0)

    def values(self) -> ItemValues:
        start = self.start_edit.text().strip()
        minutes = self.minutes_spin.value()
        return ItemValues(
            number=self.number_edit.text().strip(),
            title=self.title_edit.text().strip(),
            description=self.description_edit.toPlainText().strip(),
            planned_start=start or None,
            planned_minutes=minutes or None,
        )

    def problem(self) -> str:
        """Why the form can't be sent as it is ("" if it can)."""
        values = self.values()
        if not values.title:
            return self.tr("Give the item a title.")
        if values.planned_start is not None and not _CLOCK.match(values.planned_start):
            return self.tr("Write the planned start as hours and minutes, e.g. 08:30.")
        return ""

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        self.accept()


@dataclass(frozen=True)
class DocumentValues:
    title: str
    #: Roster groups whose members may read it (within the meeting's); empty: everyone who
    #: sees the meeting.
    groups: tuple[str, ...] = ()
    #: The agenda item it belongs to (when the dialog offered to move it).
    item_id: int | None = None


class DocumentDialog(QDialog):
    """The title of a document and who may read it: before it is published (``file_name``
    given) or afterwards (its details changed, and, given the meeting's ``items`` as (id,
    label), the agenda item it belongs to)."""

    def __init__(
        self,
        parent: QWidget | None,
        groups: Sequence[str],
        title: str,
        selected: Sequence[str] = (),
        file_name: str | None = None,
        items: Sequence[tuple[int, str]] = (),
        item_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Publish a document") if file_name else self.tr("Document"))
        self.title_edit = QLineEdit(title, self)
        self.title_edit.setMaxLength(500)
        self.error_label = _error_label(self)
        form = _form()
        if file_name:
            form.addRow(_label(self.tr("File"), self), QLabel(file_name, self))
        form.addRow(_label(self.tr("Title"), self), self.title_edit)
        self.item_choice = QComboBox(self)
        self.item_choice.setMinimumHeight(44)
        for value, label in items:
            self.item_choice.addItem(label, value)
            if value == item_id:
                self.item_choice.setCurrentIndex(self.item_choice.count() - 1)
        if items:
            form.addRow(_label(self.tr("Agenda item"), self), self.item_choice)
        self.item_choice.setVisible(bool(items))
        self.audience = AudienceChooser(groups, selected, self)
        if groups or selected:
            form.addRow(_label(self.tr("Who may read it"), self), self.audience)
        self.audience.setVisible(bool(groups or selected))
        ok_text = self.tr("Publish") if file_name else self.tr("Save")
        buttons, self.ok_button = _buttons(self, ok_text, self.tr("Cancel"))
        self.ok_button.clicked.connect(self._accept)
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(14)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addLayout(buttons)
        fix_window_minimum(self, 560, 360 if groups else 200)

    def values(self) -> DocumentValues:
        item = self.item_choice.currentData()
        return DocumentValues(
            self.title_edit.text().strip(),
            self.audience.groups(),
            item if isinstance(item, int) else None,
        )

    def _accept(self) -> None:
        if not self.values().title:
            self.error_label.setText(self.tr("Give the document a title."))
        elif self.audience.incomplete():
            self.error_label.setText(self.tr("Tick the groups whose members may read it."))
        else:
            self.accept()
            return
        self.error_label.show()


class CheckedDialog(QDialog):
    """A form that says what is wrong with it (:meth:`problem`, a sentence, "" when nothing is)
    in :attr:`error_label` once OK has been tried, then again as it is changed — not while the
    secretary is still filling it in. Subclasses connect their OK button to :meth:`try_accept`
    and their fields' changes to :meth:`recheck`, and place :attr:`error_label`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self._tried = False

    def problem(self) -> str:
        raise NotImplementedError

    def recheck(self) -> None:
        if self._tried:
            self._show_problem()

    def _show_problem(self) -> str:
        problem = self.problem()
        self.error_label.setText(problem)
        self.error_label.setVisible(bool(problem))
        return problem

    def try_accept(self) -> None:
        self._tried = True
        if not self._show_problem():
            self.accept()
