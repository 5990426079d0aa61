"""The console's meeting control: what is being discussed, and moving the meeting along."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app import protocol as p
from app.agenda_rules import next_item_id
from app.protocol import AgendaItem, Meeting
from app.state import Area, RoomView
from ui.console.dialogs import confirm
from ui.console.panel import ConsolePanel, Requests, big_button
from ui.widgets.agenda import AgendaItemDetail


class ControlPanel(ConsolePanel):
    """The current item of the meeting :meth:`set_meeting` names, **Set as current** for the
    item :meth:`set_item` names, **Next item**, and that item in full.

    ``itemRequested(int)`` names the item just asked to be current, for the agenda to select
    once the room has made it so.
    """

    areas = Area.ROOM | Area.MEETINGS | Area.AGENDA
    itemRequested = Signal(int)

    def __init__(self, requests: Requests, model: RoomView, parent: QWidget | None = None) -> None:
        super().__init__(requests, model, parent)
        self._meeting_id: int | None = None
        self._item_id: int | None = None
        self.current_label = QLabel(self)
        self.current_label.setObjectName("consoleCurrent")
        self.current_label.setWordWrap(True)
        self.set_current_button = big_button("", "bigButton", self)
        self.set_current_button.setMinimumHeight(72)
        self.set_current_button.clicked.connect(self.set_current)
        self.next_button = big_button("", "bigButton", self)
        self.next_button.setMinimumHeight(72)
        self.next_button.clicked.connect(self.next_item)
        self.detail = AgendaItemDetail(self)
        self.box.setSpacing(10)
        inner = QVBoxLayout()
        inner.setContentsMargins(16, 0, 16, 0)
        inner.setSpacing(10)
        inner.addWidget(self.current_label)
        inner.addWidget(self.set_current_button)
        inner.addWidget(self.next_button)
        self.box.addLayout(inner)
        self.box.addWidget(self.detail, 1)
        self.retranslate()

    def set_meeting(self, meeting_id: int | None) -> None:
        self._meeting_id = meeting_id
        self.refresh()

    def set_item(self, item_id: int | None) -> None:
        """The item selected in the agenda."""
        self._item_id = item_id
        self.refresh()

    def _meeting(self) -> Meeting | None:
        return self._model.meetings.get(self._meeting_id) if self._meeting_id is not None else None

    def _item(self) -> AgendaItem | None:
        return self._model.items.get(self._item_id) if self._item_id is not None else None

    def refresh(self) -> None:
        model = self._model
        meeting = self._meeting()
        item = self._item()
        online = self._requests.is_online()
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

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Meeting control"))
        self.set_current_button.setText(self.tr("Set as current"))
        self.next_button.setText(self.tr("Next item ▶"))
        self.refresh()

    # ------------------------------------------------------------------ requests

    def set_current(self) -> None:
        item = self._item()
        if item is None or self._meeting() is None:
            return
        self._set_current(item.id)

    def next_item(self) -> None:
        meeting = self._meeting()
        if meeting is None:
            return
        nxt = next_item_id(self._model, meeting.id)
        if nxt is None:
            self._requests.say(lambda: self.tr("The current item is the last one on the agenda."))
            return
        self._set_current(nxt)

    def _set_current(self, item_id: int) -> None:
        """Make ``item_id`` current; asks first when that puts another meeting on screens."""
        meeting = self._meeting()
        assert meeting is not None
        title = self._model.items[item_id].title
        shown = self._model.active_meeting
        if shown is None or shown.id != meeting.id:
            text = self.tr(
                "“%1” is not the meeting on the delegates' screens. Making this item current "
                "shows “%1” on every delegate's screen."
            ).replace("%1", meeting.title)
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
        self.itemRequested.emit(item_id)
        self._requests.send(
            p.AgendaSetCurrent(id=0, meeting_id=meeting.id, item_id=item_id),
            lambda: self.tr("Now on every screen: %1").replace("%1", title),
            receiver=self,
        )
