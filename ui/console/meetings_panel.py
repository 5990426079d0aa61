"""The console's meetings: the list to pick one from, and creating, showing and closing them."""

from __future__ import annotations

import datetime
from typing import Any

import msgspec
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QWidget

from app import protocol as p
from app.protocol import Meeting
from app.state import Area, RoomView
from ui import theme
from ui.console.dialogs import CloseMeetingDialog, GraceDialog, MeetingDialog
from ui.console.panel import ConsolePanel, Requests, big_button

MeetingIdRole = Qt.ItemDataRole.UserRole + 1


class MeetingsPanel(ConsolePanel):
    """Every meeting by date, the one on the delegates' screens in bold, closed ones greyed.

    ``meetingSelected(int | None)`` says which meeting the secretary works on: picked in the
    list, or chosen when the one picked is gone (the meeting on the delegates' screens, else
    the latest).
    """

    areas = Area.ROOM | Area.MEETINGS
    meetingSelected = Signal(object)

    def __init__(self, requests: Requests, model: RoomView, parent: QWidget | None = None) -> None:
        super().__init__(requests, model, parent)
        self._meeting_id: int | None = None
        self.meeting_list = QListWidget(self)
        self.meeting_list.setObjectName("meetingList")
        self.meeting_list.setWordWrap(True)
        self.meeting_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.meeting_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.meeting_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.meeting_list.currentItemChanged.connect(self._picked)
        self.new_meeting_button = big_button("", "", self)
        self.new_meeting_button.clicked.connect(self.new_meeting)
        self.activate_button = big_button("", "", self)
        self.activate_button.clicked.connect(self.activate_meeting)
        self.close_meeting_button = big_button("", "", self)
        self.close_meeting_button.clicked.connect(self.close_or_reopen_meeting)
        self.grace_button = big_button("", "", self)
        self.grace_button.clicked.connect(self.set_grace)
        self.box.setContentsMargins(0, 0, 0, 12)
        self.box.addWidget(self.meeting_list, 1)
        buttons = (
            self.new_meeting_button,
            self.activate_button,
            self.close_meeting_button,
            self.grace_button,
        )
        for button in buttons:
            wrap = QHBoxLayout()
            wrap.setContentsMargins(12, 0, 12, 0)
            wrap.addWidget(button)
            self.box.addLayout(wrap)
        self.retranslate()

    # ------------------------------------------------------------------ selection

    def selected_meeting_id(self) -> int | None:
        return self._meeting_id

    def select_meeting(self, meeting_id: int | None) -> None:
        for row in range(self.meeting_list.count()):
            item = self.meeting_list.item(row)
            if item.data(MeetingIdRole) == meeting_id:
                self.meeting_list.setCurrentItem(item)
                return

    def _picked(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        self._set_selected(item.data(MeetingIdRole) if item is not None else None)

    def _set_selected(self, meeting_id: int | None) -> None:
        changed = meeting_id != self._meeting_id
        self._meeting_id = meeting_id
        self.refresh()
        if changed:
            self.meetingSelected.emit(meeting_id)

    def _meeting(self) -> Meeting | None:
        return self._model.meetings.get(self._meeting_id) if self._meeting_id is not None else None

    # ------------------------------------------------------------------ drawing

    def show_model(self, model: RoomView, areas: Area) -> None:
        before = self._meeting_id
        self._model = model
        self._fill()
        self.refresh()
        if self._meeting_id != before:
            self.meetingSelected.emit(self._meeting_id)

    def _fill(self) -> None:
        model = self._model
        meetings = sorted(
            model.meetings.values(), key=lambda m: (m.starts_on or datetime.date.max, m.title, m.id)
        )
        if self._meeting_id not in model.meetings:
            active = model.room.active_meeting_id
            self._meeting_id = active if active in model.meetings else None
            if self._meeting_id is None and meetings:
                self._meeting_id = meetings[-1].id
        scroll = self.meeting_list.verticalScrollBar().value()
        self.meeting_list.blockSignals(True)
        self.meeting_list.clear()
        for meeting in meetings:
            item = QListWidgetItem(self._meeting_text(meeting), self.meeting_list)
            item.setData(MeetingIdRole, meeting.id)
            font = item.font()
            font.setBold(meeting.id == model.room.active_meeting_id)
            font.setItalic(meeting.status == "closed")
            item.setFont(font)
            if meeting.status == "closed":
                item.setForeground(theme.INK_DONE)
            if meeting.id == self._meeting_id:
                self.meeting_list.setCurrentItem(item)
        self.meeting_list.blockSignals(False)
        self.meeting_list.verticalScrollBar().setValue(scroll)

    def _meeting_text(self, meeting: Meeting) -> str:
        statuses = {"draft": self.tr("Draft"), "open": self.tr("Open"), "closed": self.tr("Closed")}
        parts = []
        if meeting.starts_on:
            parts.append(meeting.starts_on.strftime("%d/%m/%Y"))
        parts.append(statuses.get(meeting.status, meeting.status))
        if meeting.id == self._model.room.active_meeting_id:
            parts.append(self.tr("on delegates' screens"))
        if meeting.groups:
            parts.append(self.tr("only %1").replace("%1", ", ".join(meeting.groups)))
        if meeting.wiped:
            parts.append(self.tr("wiped from every device"))
        elif meeting.offline_grace_hours is not None:
            parts.append(
                self.tr("offline reading %1 h").replace("%1", str(meeting.offline_grace_hours))
            )
        return f"{meeting.title}\n" + " · ".join(parts)

    def refresh(self) -> None:
        meeting = self._meeting()
        online = self._requests.is_online()
        is_active = meeting is not None and self._model.room.active_meeting_id == meeting.id
        closed = meeting is not None and meeting.status == "closed"
        self.new_meeting_button.setEnabled(online)
        self.activate_button.setEnabled(online and meeting is not None and not is_active)
        self.activate_button.setText(
            self.tr("On delegates' screens now") if is_active else self.tr("Show to delegates")
        )
        wiped = meeting is not None and meeting.wiped
        self.close_meeting_button.setEnabled(online and meeting is not None and not wiped)
        self.close_meeting_button.setText(
            self.tr("Wiped from every device")
            if wiped
            else self.tr("Reopen meeting")
            if closed
            else self.tr("Close meeting…")
        )
        self.grace_button.setEnabled(online and meeting is not None and not wiped)
        self.grace_button.setText(self.tr("Offline reading…"))

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Meetings"))
        self.new_meeting_button.setText(self.tr("New meeting…"))
        self.activate_button.setToolTip(self.tr("Show this meeting on the delegates' screens"))
        for row in range(self.meeting_list.count()):
            item = self.meeting_list.item(row)
            item.setText(self._meeting_text(self._model.meetings[item.data(MeetingIdRole)]))
        self.refresh()

    # ------------------------------------------------------------------ requests

    def new_meeting(self) -> None:
        roster = self._model.roster
        dialog = MeetingDialog(self, roster.groups if roster is not None else ())
        if dialog.exec() != MeetingDialog.DialogCode.Accepted:
            return
        values = dialog.values()

        def created(reply: p.MeetingCreated) -> None:
            self.select_meeting(reply.meeting_id)  # if its event came first
            self._set_selected(reply.meeting_id)

        self._requests.send(
            p.MeetingCreate(
                id=0, title=values.title, starts_on=values.starts_on, groups=list(values.groups)
            ),
            lambda: self.tr("Meeting created."),
            created,
            receiver=self,
        )

    def activate_meeting(self) -> None:
        if self._meeting_id is None:
            return
        self._requests.send(
            p.MeetingActivate(id=0, meeting_id=self._meeting_id),
            lambda: self.tr("The delegates' screens now show this meeting."),
            receiver=self,
        )

    def close_or_reopen_meeting(self) -> None:
        """Close the selected meeting (after asking), or reopen it if it is closed."""
        meeting = self._meeting()
        if meeting is None:
            return
        if meeting.status == "closed":
            self._requests.send(
                p.MeetingUpdate(id=0, meeting_id=meeting.id, status="open"),
                lambda: self.tr("Meeting reopened."),
                receiver=self,
            )
            return
        has_documents = any(d.meeting_id == meeting.id for d in self._model.documents.values())
        dialog = CloseMeetingDialog(self, meeting.title, has_documents)
        accepted = dialog.exec() == CloseMeetingDialog.DialogCode.Accepted
        wipe, kept = dialog.wipe(), dialog.notes_kept()
        dialog.deleteLater()
        if not accepted:
            return
        update = p.MeetingUpdate(id=0, meeting_id=meeting.id, status="closed", wipe=wipe)
        if kept:
            update = msgspec.structs.replace(update, notes_kept=True)
        self._requests.send(
            update,
            (lambda: self.tr("Meeting closed and wiped from every device."))
            if wipe
            else (lambda: self.tr("Meeting closed.")),
            receiver=self,
        )

    def set_grace(self) -> None:
        meeting = self._meeting()
        if meeting is None:
            return
        dialog = GraceDialog(
            self, meeting.title, meeting.offline_grace_hours, meeting.export_allowed
        )
        accepted = dialog.exec() == GraceDialog.DialogCode.Accepted
        hours, export = dialog.value(), dialog.export_box.isChecked()
        dialog.deleteLater()
        if not accepted:
            return
        update = p.MeetingUpdate(id=0, meeting_id=meeting.id)
        if hours != meeting.offline_grace_hours:
            update = msgspec.structs.replace(update, offline_grace_hours=hours)
        if export != meeting.export_allowed:
            update = msgspec.structs.replace(update, export_allowed=export)
        if update != p.MeetingUpdate(id=0, meeting_id=meeting.id):
            self._requests.send(update, lambda: self.tr("Offline reading changed."), receiver=self)
