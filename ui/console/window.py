"""The secretary console: prepare meetings and their agendas, and move the meeting along.

Every action is a protocol request sent through the bridge; the window never edits its model
itself. What the secretary sees change is the server's answer coming back as an event, exactly
what every delegate receives, so the console cannot drift from the room. A refused request is
reported in the status bar in words, never swallowed. The server checks the secretary's role;
the buttons being here is not the control.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app.agenda_rules import move_request, next_item_id, top_level_of
from app.protocol import AgendaItem, Meeting
from app.state import Area, RoomView
from ui import theme
from ui.bridge import ClientBridge
from ui.console.dialogs import ItemDialog, MeetingDialog, confirm
from ui.i18n import Translations
from ui.theme import fix_window_minimum
from ui.widgets import errors
from ui.widgets.agenda import AgendaItemDetail, AgendaView
from ui.widgets.header import Header
from ui.widgets.status import StatusIndicator

if TYPE_CHECKING:
    from app.profile import Identity

MeetingIdRole = Qt.ItemDataRole.UserRole + 1


def presence_text(count: int) -> str:
    """How many delegate devices are connected right now (worded to need no plural forms)."""
    return QCoreApplication.translate("ConsoleWindow", "Delegates connected: %1").replace(
        "%1", QLocale().toString(count)
    )


def _big(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setMinimumHeight(48)
    return button


class ConsoleWindow(QMainWindow):
    """Meetings (left), the agenda editor (centre), meeting control (right), messages (bottom).

    What tests and the demo use: :attr:`meeting_list`, :attr:`agenda_view`,
    :attr:`status_indicator`, :attr:`presence_label`, :meth:`selected_meeting_id`,
    :meth:`select_meeting`, :meth:`message`, and the action methods (:meth:`set_current`,
    :meth:`next_item`, :meth:`move_selected` …) which the buttons call.
    """

    def __init__(
        self,
        bridge: ClientBridge,
        identity: Identity,
        translations: Translations | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consoleWindow")
        self._bridge = bridge
        self._identity = identity
        self._model: RoomView = bridge.model
        self._meeting_id: int | None = None
        self._pending_select: int | None = None
        self._message: tuple[Callable[[], str], bool] | None = None
        self._presence = 0

        central = QWidget(self)
        central.setObjectName("central")
        self.setCentralWidget(central)

        # header -------------------------------------------------------------------------
        header = Header(translations, central)
        self.room_label = QLabel(header)
        self.room_label.setObjectName("headerRoom")
        self.title_label = QLabel(header)
        self.title_label.setObjectName("headerTitle")
        header.add_title(self.room_label)
        header.add_title(self.title_label)
        self.presence_label = QLabel(header)
        self.presence_label.setObjectName("presence")
        self.status_indicator = StatusIndicator(header)
        header.add_side(self.presence_label)
        header.add_side(self.status_indicator)

        # meetings -----------------------------------------------------------------------
        meetings = QFrame()
        meetings.setObjectName("panel")
        self.meetings_heading = QLabel(meetings)
        self.meetings_heading.setObjectName("panelHeading")
        self.meeting_list = QListWidget(meetings)
        self.meeting_list.setObjectName("meetingList")
        self.meeting_list.setWordWrap(True)
        self.meeting_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.meeting_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.meeting_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.meeting_list.currentItemChanged.connect(self._meeting_picked)
        self.new_meeting_button = _big("", "", meetings)
        self.new_meeting_button.clicked.connect(self.new_meeting)
        self.activate_button = _big("", "", meetings)
        self.activate_button.clicked.connect(self.activate_meeting)
        self.close_meeting_button = _big("", "", meetings)
        self.close_meeting_button.clicked.connect(self.close_or_reopen_meeting)
        m_box = QVBoxLayout(meetings)
        m_box.setContentsMargins(0, 0, 0, 12)
        m_box.addWidget(self.meetings_heading)
        m_box.addWidget(self.meeting_list, 1)
        for button in (self.new_meeting_button, self.activate_button, self.close_meeting_button):
            wrap = QHBoxLayout()
            wrap.setContentsMargins(12, 0, 12, 0)
            wrap.addWidget(button)
            m_box.addLayout(wrap)

        # agenda editor ------------------------------------------------------------------
        agenda = QFrame()
        agenda.setObjectName("panel")
        self.agenda_heading = QLabel(agenda)
        self.agenda_heading.setObjectName("panelHeading")
        self.add_button = _big("", "toolButton", agenda)
        self.add_button.clicked.connect(lambda: self.add_item(sub=False))
        self.add_sub_button = _big("", "toolButton", agenda)
        self.add_sub_button.clicked.connect(lambda: self.add_item(sub=True))
        self.edit_button = _big("", "toolButton", agenda)
        self.edit_button.clicked.connect(self.edit_item)
        self.remove_button = _big("", "dangerButton", agenda)
        self.remove_button.clicked.connect(self.remove_item)
        self.up_button = _big("↑", "iconButton", agenda)
        self.up_button.clicked.connect(lambda: self.move_selected("up"))
        self.down_button = _big("↓", "iconButton", agenda)
        self.down_button.clicked.connect(lambda: self.move_selected("down"))
        self.outdent_button = _big("⇤", "iconButton", agenda)
        self.outdent_button.clicked.connect(lambda: self.move_selected("outdent"))
        self.indent_button = _big("⇥", "iconButton", agenda)
        self.indent_button.clicked.connect(lambda: self.move_selected("indent"))
        tools = QHBoxLayout()
        tools.setContentsMargins(12, 0, 12, 0)
        tools.setSpacing(6)
        for button in (self.add_button, self.add_sub_button, self.edit_button, self.remove_button):
            tools.addWidget(button)
        tools.addStretch(1)
        for button in (self.up_button, self.down_button, self.outdent_button, self.indent_button):
            button.setFixedWidth(46)
            tools.addWidget(button)
        self.agenda_view = AgendaView(agenda)
        self.agenda_view.itemSelected.connect(self._item_picked)
        self.agenda_view.doubleClicked.connect(lambda _index: self.edit_item())
        a_box = QVBoxLayout(agenda)
        a_box.setContentsMargins(0, 0, 0, 0)
        a_box.addWidget(self.agenda_heading)
        a_box.addLayout(tools)
        a_box.addWidget(self.agenda_view, 1)

        # meeting control ----------------------------------------------------------------
        control = QFrame()
        control.setObjectName("panel")
        self.control_heading = QLabel(control)
        self.control_heading.setObjectName("panelHeading")
        self.current_label = QLabel(control)
        self.current_label.setObjectName("consoleCurrent")
        self.current_label.setWordWrap(True)
        self.set_current_button = _big("", "bigButton", control)
        self.set_current_button.setMinimumHeight(72)
        self.set_current_button.clicked.connect(self.set_current)
        self.next_button = _big("", "bigButton", control)
        self.next_button.setMinimumHeight(72)
        self.next_button.clicked.connect(self.next_item)
        self.detail = AgendaItemDetail(control)
        c_box = QVBoxLayout(control)
        c_box.setContentsMargins(0, 0, 0, 0)
        c_box.setSpacing(10)
        c_box.addWidget(self.control_heading)
        inner = QVBoxLayout()
        inner.setContentsMargins(16, 0, 16, 0)
        inner.setSpacing(10)
        inner.addWidget(self.current_label)
        inner.addWidget(self.set_current_button)
        inner.addWidget(self.next_button)
        c_box.addLayout(inner)
        c_box.addWidget(self.detail, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(8)
        splitter.addWidget(meetings)
        splitter.addWidget(agenda)
        splitter.addWidget(control)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([270, 660, 330])
        body = QWidget(central)
        b_box = QVBoxLayout(body)
        b_box.setContentsMargins(12, 12, 12, 8)
        b_box.addWidget(splitter)

        # Why the buttons that send something are greyed out while the room is out of reach.
        self.offline_banner = QLabel(central)
        self.offline_banner.setObjectName("offlineBanner")
        self.offline_banner.setWordWrap(True)
        self.offline_banner.hide()

        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(header)
        column.addWidget(self.offline_banner)
        column.addWidget(body, 1)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("statusMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.statusBar().addWidget(self.message_label, 1)
        self.statusBar().setSizeGripEnabled(False)

        bridge.stateChanged.connect(self.show_model)
        bridge.statusChanged.connect(self.status_indicator.set_status)
        bridge.statusChanged.connect(lambda *_: self._refresh())
        bridge.presenceChanged.connect(self._presence_changed)
        bridge.fatal.connect(self._fatal)
        self.status_indicator.set_status(bridge.status, bridge.last_sync)
        self._presence_changed(bridge.presence)
        fix_window_minimum(self, 960, 560)
        self.resize(1280, 800)
        self.retranslate()
        self.show_model(bridge.model)
        if identity.role not in p.STAFF_ROLES:
            self.show_message(
                lambda: self.tr(
                    "This device is enrolled as a delegate: the room will refuse changes "
                    "made from it. Enroll the console with a secretary code."
                ),
                error=True,
            )

    # ------------------------------------------------------------------ state

    def show_model(self, model: RoomView, _areas: Area = Area.ALL) -> None:
        self._model = model
        self._fill_meetings()
        self._show_agenda()

    def model(self) -> RoomView:
        return self._model

    def selected_meeting_id(self) -> int | None:
        return self._meeting_id

    def select_meeting(self, meeting_id: int | None) -> None:
        for row in range(self.meeting_list.count()):
            item = self.meeting_list.item(row)
            if item.data(MeetingIdRole) == meeting_id:
                self.meeting_list.setCurrentItem(item)
                return

    def _fill_meetings(self) -> None:
        model = self._model
        meetings = sorted(
            model.meetings.values(), key=lambda m: (m.starts_on or datetime.date.max, m.title, m.id)
        )
        if self._meeting_id not in model.meetings:
            active = model.room.active_meeting_id
            self._meeting_id = active if active in model.meetings else None
            if self._meeting_id is None and meetings:
                self._meeting_id = meetings[-1].id
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

    def _meeting_text(self, meeting: Meeting) -> str:
        statuses = {"draft": self.tr("Draft"), "open": self.tr("Open"), "closed": self.tr("Closed")}
        parts = []
        if meeting.starts_on:
            parts.append(meeting.starts_on.strftime("%d/%m/%Y"))
        parts.append(statuses.get(meeting.status, meeting.status))
        if meeting.id == self._model.room.active_meeting_id:
            parts.append(self.tr("on delegates' screens"))
        return f"{meeting.title}\n" + " · ".join(parts)

    def _meeting_picked(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        self._meeting_id = item.data(MeetingIdRole) if item is not None else None
        self._show_agenda()

    def _show_agenda(self) -> None:
        model = self._model
        meeting = model.meetings.get(self._meeting_id) if self._meeting_id is not None else None
        self.agenda_view.set_model(model, meeting.id if meeting is not None else None)
        if self._pending_select is not None and self._pending_select in model.items:
            self.agenda_view.select_item(self._pending_select)
            self._pending_select = None
        self._refresh()

    def _item_picked(self, _item_id: int | None) -> None:
        self._refresh()

    def is_online(self) -> bool:
        """Whether changes can be sent (the buttons that send one are enabled)."""
        return self._bridge.status == "online"

    def selected_item(self) -> AgendaItem | None:
        item_id = self.agenda_view.selected_item_id()
        return self._model.items.get(item_id) if item_id is not None else None

    def _refresh(self) -> None:
        """Texts and enabled states that depend on the selection and the model."""
        model = self._model
        meeting = model.meetings.get(self._meeting_id) if self._meeting_id is not None else None
        item = self.selected_item()
        has_meeting = meeting is not None
        self.room_label.setText(model.room.name if model.room.name != "?" else "")
        if not self.room_label.text():
            self.room_label.setText(self._identity.room_name)
        self.agenda_heading.setText(
            self.tr("Agenda — %1").replace("%1", meeting.title) if meeting else self.tr("Agenda")
        )
        # Requests need the room: every button that sends one waits for Online.
        online = self.is_online()
        self.offline_banner.setVisible(not online)
        self.offline_banner.setText(errors.console_offline())
        self.new_meeting_button.setEnabled(online)
        is_active = has_meeting and model.room.active_meeting_id == self._meeting_id
        self.activate_button.setEnabled(online and has_meeting and not is_active)
        closed = meeting is not None and meeting.status == "closed"
        self.close_meeting_button.setEnabled(online and has_meeting)
        self.close_meeting_button.setText(
            self.tr("Reopen meeting") if closed else self.tr("Close meeting…")
        )
        self.activate_button.setText(
            self.tr("On delegates' screens now") if is_active else self.tr("Show to delegates")
        )
        self.activate_button.setToolTip(self.tr("Show this meeting on the delegates' screens"))
        self.add_button.setEnabled(online and has_meeting)
        for button in (self.add_sub_button, self.edit_button, self.remove_button):
            button.setEnabled(online and item is not None)
        can = {
            d: online and item is not None and move_request(model, item, d) is not None
            for d in ("up", "down", "indent", "outdent")
        }
        self.up_button.setEnabled(can["up"])
        self.down_button.setEnabled(can["down"])
        self.indent_button.setEnabled(can["indent"])
        self.outdent_button.setEnabled(can["outdent"])
        current = model.current_item(meeting.id) if meeting is not None else None
        if current is not None:
            self.current_label.setText(
                self.tr("Now: %1").replace(
                    "%1", f"{model.display_number(current)}  {current.title}"
                )
            )
        else:
            self.current_label.setText(self.tr("No item is current."))
        self.set_current_button.setEnabled(
            online and item is not None and (current is None or item.id != current.id)
        )
        nxt = next_item_id(model, meeting.id) if meeting is not None else None
        self.next_button.setEnabled(online and nxt is not None)
        self.detail.show_item(model, item.id if item is not None else None)

    # ------------------------------------------------------------------ requests

    def _send(
        self, msg: Any, done: Callable[[], str], on_ok: Callable[[Any], None] | None = None
    ) -> None:
        """Send ``msg``; report success (``done``) or the refusal in the status bar."""
        self.show_message(lambda: self.tr("Sending…"))

        def ok(reply: Any) -> None:
            self.show_message(done)
            if on_ok is not None:
                on_ok(reply)

        def failed(exc: BaseException) -> None:
            self.show_message(lambda: errors.describe_request_error(exc), error=True)

        self._bridge.request(msg, ok, failed, receiver=self)

    def new_meeting(self) -> None:
        dialog = MeetingDialog(self)
        if dialog.exec() != MeetingDialog.DialogCode.Accepted:
            return
        values = dialog.values()

        def created(reply: p.MeetingCreated) -> None:
            self._meeting_id = reply.meeting_id
            self.select_meeting(reply.meeting_id)

        self._send(
            p.MeetingCreate(id=0, title=values.title, starts_on=values.starts_on),
            lambda: self.tr("Meeting created."),
            created,
        )

    def activate_meeting(self) -> None:
        if self._meeting_id is None:
            return
        self._send(
            p.MeetingActivate(id=0, meeting_id=self._meeting_id),
            lambda: self.tr("The delegates' screens now show this meeting."),
        )

    def close_or_reopen_meeting(self) -> None:
        """Close the selected meeting (after asking), or reopen it if it is closed."""
        meeting = self._model.meetings.get(self._meeting_id) if self._meeting_id else None
        if meeting is None:
            return
        if meeting.status == "closed":
            self._send(
                p.MeetingUpdate(id=0, meeting_id=meeting.id, status="open"),
                lambda: self.tr("Meeting reopened."),
            )
            return
        if not confirm(
            self,
            self.tr("Close meeting"),
            self.tr("Close “%1”? It is marked as closed; it can be reopened later.").replace(
                "%1", meeting.title
            ),
            self.tr("Close the meeting"),
            self.tr("Keep it open"),
        ):
            return
        self._send(
            p.MeetingUpdate(id=0, meeting_id=meeting.id, status="closed"),
            lambda: self.tr("Meeting closed."),
        )

    def add_item(self, sub: bool = False) -> None:
        """A new top-level item after the selection's top-level item (or at the end), or with
        ``sub`` a new last sub-item of the selected item; the dialog says which."""
        meeting_id = self._meeting_id
        if meeting_id is None:
            return
        selected = self.selected_item()
        parent_id: int | None = None
        position: int | None = None
        if sub and selected is not None:
            parent_id = selected.id
            context = self.tr("It goes under %1, after its last sub-item.").replace(
                "%1", self._item_name(selected)
            )
        else:
            top = top_level_of(self._model, selected.id) if selected is not None else None
            if top is not None:
                siblings = [s.id for s in self._model.children(meeting_id, None)]
                position = siblings.index(top.id) + 1
                context = self.tr("It goes at the top level, after %1.").replace(
                    "%1", self._item_name(top)
                )
            else:
                context = self.tr("It goes at the top level, at the end of the agenda.")
        dialog = ItemDialog(self, None, context)
        if dialog.exec() != ItemDialog.DialogCode.Accepted:
            return
        v = dialog.values()

        def added(reply: p.AgendaAdded) -> None:
            if reply.item_id in self._model.items:
                self.agenda_view.select_item(reply.item_id)
            else:
                self._pending_select = reply.item_id

        self._send(
            p.AgendaAdd(
                id=0,
                meeting_id=meeting_id,
                parent_id=parent_id,
                position=position,
                number=v.number or None,
                title=v.title,
                description=v.description,
                planned_start=v.planned_start,
                planned_minutes=v.planned_minutes,
            ),
            lambda: self.tr("Item added."),
            added,
        )

    def _item_name(self, item: AgendaItem) -> str:
        return f"{self._model.display_number(item)} “{item.title}”"

    def edit_item(self) -> None:
        item = self.selected_item()
        if item is None or not self.is_online():  # a double click while offline
            return
        dialog = ItemDialog(self, item)
        if dialog.exec() != ItemDialog.DialogCode.Accepted:
            return
        changes = dialog.values().changes_from(item)
        if not changes:
            return
        self._send(
            p.AgendaUpdate(id=0, item_id=item.id, **changes),  # type: ignore[arg-type]
            lambda: self.tr("Item saved."),
        )

    def remove_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        below = sum(1 for _ in self._descendants(item))
        text = self.tr("Remove “%1” from the agenda?").replace("%1", item.title)
        if below:
            text += "\n" + self.tr("Sub-items removed with it: %1").replace("%1", str(below))
        if not confirm(
            self, self.tr("Remove agenda item"), text, self.tr("Remove"), self.tr("Keep it")
        ):
            return
        self._send(p.AgendaRemove(id=0, item_id=item.id), lambda: self.tr("Item removed."))

    def _descendants(self, item: AgendaItem) -> list[AgendaItem]:
        out: list[AgendaItem] = []
        stack = self._model.children(item.meeting_id, item.id)
        while stack:
            child = stack.pop()
            out.append(child)
            stack.extend(self._model.children(item.meeting_id, child.id))
        return out

    def move_selected(self, direction: str) -> None:
        item = self.selected_item()
        if item is None:
            return
        msg = move_request(self._model, item, direction)
        if msg is None:
            return
        self._pending_select = item.id
        self._send(msg, lambda: self.tr("Item moved."))

    def set_current(self) -> None:
        item = self.selected_item()
        if item is None or self._meeting_id is None:
            return
        self._set_current(item.id)

    def next_item(self) -> None:
        if self._meeting_id is None:
            return
        nxt = next_item_id(self._model, self._meeting_id)
        if nxt is None:
            self.show_message(lambda: self.tr("The current item is the last one on the agenda."))
            return
        self._set_current(nxt)

    def _set_current(self, item_id: int) -> None:
        """Make ``item_id`` current; asks first when that puts another meeting on screens."""
        assert self._meeting_id is not None
        title = self._model.items[item_id].title
        shown = self._model.active_meeting
        if shown is None or shown.id != self._meeting_id:
            meeting = self._model.meetings[self._meeting_id].title
            text = self.tr(
                "“%1” is not the meeting on the delegates' screens. Making this item current "
                "shows “%1” on every delegate's screen."
            ).replace("%1", meeting)
            if shown is not None:
                text += "\n" + self.tr("They show “%1” now.").replace("%1", shown.title)
            if not confirm(
                self,
                self.tr("Show another meeting"),
                text,
                self.tr("Show it on every screen"),
                self.tr("Cancel"),
            ):
                return
        self._pending_select = item_id
        self._send(
            p.AgendaSetCurrent(id=0, meeting_id=self._meeting_id, item_id=item_id),
            lambda: self.tr("Now on every screen: %1").replace("%1", title),
        )

    # ------------------------------------------------------------------ messages

    def show_message(self, text: Callable[[], str], error: bool = False) -> None:
        """Status-bar message; a callable so it follows a language switch."""
        self._message = (text, error)
        self.message_label.setText(text())
        self.message_label.setProperty("error", error)
        self.message_label.style().unpolish(self.message_label)
        self.message_label.style().polish(self.message_label)

    def message(self) -> str:
        return self.message_label.text()

    def message_is_error(self) -> bool:
        return bool(self._message and self._message[1])

    def _presence_changed(self, presence: p.Presence) -> None:
        self._presence = int(presence.connected.get("delegate", 0))
        self.presence_label.setText(presence_text(self._presence))
        others = ", ".join(f"{role}: {n}" for role, n in sorted(presence.connected.items()) if n)
        self.presence_label.setToolTip(others)

    def _fatal(self, code: str, message: str) -> None:
        self.show_message(lambda: errors.describe_fatal(code, message), error=True)

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Secretariat console"))
        self.setWindowTitle("Hemicycle — " + self.tr("Secretariat console"))
        self.meetings_heading.setText(self.tr("Meetings"))
        self.new_meeting_button.setText(self.tr("New meeting…"))
        self.control_heading.setText(self.tr("Meeting control"))
        self.add_button.setText(self.tr("Add item"))
        self.add_sub_button.setText(self.tr("Add sub-item"))
        self.edit_button.setText(self.tr("Edit"))
        self.remove_button.setText(self.tr("Remove"))
        self.up_button.setToolTip(self.tr("Move up"))
        self.down_button.setToolTip(self.tr("Move down"))
        self.indent_button.setToolTip(self.tr("Make it a sub-item of the item above"))
        self.outdent_button.setToolTip(self.tr("Move it out one level"))
        self.set_current_button.setText(self.tr("Set as current"))
        self.next_button.setText(self.tr("Next item ▶"))
        self.presence_label.setText(presence_text(self._presence))
        if self._message is not None:
            self.show_message(*self._message)
        self._fill_meetings()
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
