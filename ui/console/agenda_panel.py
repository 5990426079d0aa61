"""The console's agenda editor: the selected meeting's items, added, edited, removed, moved."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from app import protocol as p
from app.agenda_rules import move_request, top_level_of
from app.protocol import AgendaItem, Meeting
from app.state import Area, RoomView
from ui.console.dialogs import ItemDialog, confirm
from ui.console.panel import ConsolePanel, Requests, big_button
from ui.widgets.agenda import AgendaView

MOVES = ("up", "down", "indent", "outdent")


class AgendaPanel(ConsolePanel):
    """The agenda of the meeting :meth:`set_meeting` names, with the tools that change it.

    ``itemSelected(int | None)`` follows the item selected in :attr:`agenda_view`. The rows
    are rebuilt only when the agenda changed or another meeting is shown: a meeting renamed
    changes the heading, and the selection and scroll position stay as they were.
    """

    areas = Area.ROOM | Area.MEETINGS | Area.AGENDA
    itemSelected = Signal(object)

    def __init__(self, requests: Requests, model: RoomView, parent: QWidget | None = None) -> None:
        super().__init__(requests, model, parent)
        self._meeting_id: int | None = None
        self._pending_select: int | None = None
        self.add_button = big_button("", "toolButton", self)
        self.add_button.clicked.connect(lambda: self.add_item(sub=False))
        self.add_sub_button = big_button("", "toolButton", self)
        self.add_sub_button.clicked.connect(lambda: self.add_item(sub=True))
        self.edit_button = big_button("", "toolButton", self)
        self.edit_button.clicked.connect(self.edit_item)
        self.remove_button = big_button("", "dangerButton", self)
        self.remove_button.clicked.connect(self.remove_item)
        self.up_button = big_button("↑", "iconButton", self)
        self.down_button = big_button("↓", "iconButton", self)
        self.outdent_button = big_button("⇤", "iconButton", self)
        self.indent_button = big_button("⇥", "iconButton", self)
        self.move_buttons = dict(
            zip(
                MOVES,
                (self.up_button, self.down_button, self.indent_button, self.outdent_button),
                strict=True,
            )
        )
        for direction, button in self.move_buttons.items():
            button.clicked.connect(lambda _=False, d=direction: self.move_selected(d))
            button.setFixedWidth(46)
        # Adding, then changing the selected item: on one row, or on two when the panel is too
        # narrow for one (a narrow window, longer words in Vietnamese).
        self._add_tools = QHBoxLayout()
        self._change_tools = QHBoxLayout()
        for row in (self._add_tools, self._change_tools):
            row.setSpacing(6)
        self._add_tools.addWidget(self.add_button)
        self._add_tools.addWidget(self.add_sub_button)
        self._change_tools.addWidget(self.edit_button)
        self._change_tools.addWidget(self.remove_button)
        self._change_tools.addStretch(1)
        for button in (self.up_button, self.down_button, self.outdent_button, self.indent_button):
            self._change_tools.addWidget(button)
        self._tools = QGridLayout()
        self._tools.setContentsMargins(12, 0, 12, 0)
        self._tools.setHorizontalSpacing(6)
        self._tools.setVerticalSpacing(6)
        self._tools_wrapped: bool | None = None
        self.agenda_view = AgendaView(self)
        self.agenda_view.itemSelected.connect(self._item_picked)
        self.agenda_view.doubleClicked.connect(lambda _index: self.edit_item())
        self.box.addLayout(self._tools)
        self.box.addWidget(self.agenda_view, 1)
        self.retranslate()

    # ------------------------------------------------------------------ drawing

    def set_meeting(self, meeting_id: int | None) -> None:
        """Show ``meeting_id``'s agenda (the meetings panel's selection)."""
        if meeting_id != self._meeting_id:
            self._meeting_id = meeting_id
            self._show_agenda()
            self.refresh()

    def show_model(self, model: RoomView, areas: Area) -> None:
        self._model = model
        meeting = self._meeting()
        shown = meeting.id if meeting is not None else None
        if areas & Area.AGENDA or shown != self.agenda_view.meeting_id():  # e.g. it just arrived
            self._show_agenda()
        self.refresh()

    def _meeting(self) -> Meeting | None:
        return self._model.meetings.get(self._meeting_id) if self._meeting_id is not None else None

    def _show_agenda(self) -> None:
        meeting = self._meeting()
        self.agenda_view.set_model(self._model, meeting.id if meeting is not None else None)
        if self._pending_select is not None and self._pending_select in self._model.items:
            self.agenda_view.select_item(self._pending_select)
            self._pending_select = None

    def select_after_change(self, item_id: int) -> None:
        """Select ``item_id`` when the agenda next changes (the change just asked for)."""
        self._pending_select = item_id

    def _item_picked(self, item_id: int | None) -> None:
        self.refresh()
        self.itemSelected.emit(item_id)

    def selected_item(self) -> AgendaItem | None:
        item_id = self.agenda_view.selected_item_id()
        return self._model.items.get(item_id) if item_id is not None else None

    def refresh(self) -> None:
        meeting = self._meeting()
        item = self.selected_item()
        online = self._requests.is_online()
        self.heading.setText(
            self.tr("Agenda — %1").replace("%1", meeting.title) if meeting else self.tr("Agenda")
        )
        self.add_button.setEnabled(online and meeting is not None)
        for button in (self.add_sub_button, self.edit_button, self.remove_button):
            button.setEnabled(online and item is not None)
        for direction, button in self.move_buttons.items():
            button.setEnabled(
                online
                and item is not None
                and move_request(self._model, item, direction) is not None
            )

    def tools_wrapped(self) -> bool:
        """Whether the tools that change the selected item are on a row of their own."""
        return bool(self._tools_wrapped)

    def _place_tools(self) -> None:
        margins = self._tools.contentsMargins()
        needed = (
            self._add_tools.sizeHint().width()
            + self._tools.horizontalSpacing()
            + self._change_tools.sizeHint().width()
            + margins.left()
            + margins.right()
        )
        wrapped = self.width() < needed
        if wrapped == self._tools_wrapped:
            return
        self._tools_wrapped = wrapped
        self._tools.removeItem(self._add_tools)
        self._tools.removeItem(self._change_tools)
        self._tools.addLayout(self._add_tools, 0, 0)
        self._tools.addLayout(self._change_tools, *((1, 0) if wrapped else (0, 1)))
        self._tools.setColumnStretch(1, 0 if wrapped else 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place_tools()
        super().resizeEvent(event)

    def retranslate(self) -> None:
        self.add_button.setText(self.tr("Add item"))
        self.add_sub_button.setText(self.tr("Add sub-item"))
        self.edit_button.setText(self.tr("Edit"))
        self.remove_button.setText(self.tr("Remove"))
        self.up_button.setToolTip(self.tr("Move up"))
        self.down_button.setToolTip(self.tr("Move down"))
        self.indent_button.setToolTip(self.tr("Make it a sub-item of the item above"))
        self.outdent_button.setToolTip(self.tr("Move it out one level"))
        self.refresh()
        self._place_tools()

    # ------------------------------------------------------------------ requests

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
            if reply.item_id in self._model.items:  # its event came first
                self.agenda_view.select_item(reply.item_id)
            else:
                self.select_after_change(reply.item_id)

        self._requests.send(
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
            receiver=self,
        )

    def _item_name(self, item: AgendaItem) -> str:
        return f"{self._model.display_number(item)} “{item.title}”"

    def edit_item(self) -> None:
        item = self.selected_item()
        if item is None or not self._requests.is_online():  # a double click while offline
            return
        dialog = ItemDialog(self, item)
        if dialog.exec() != ItemDialog.DialogCode.Accepted:
            return
        changes = dialog.values().changes_from(item)
        if not changes:
            return
        self._requests.send(
            p.AgendaUpdate(id=0, item_id=item.id, **changes),  # type: ignore[arg-type]
            lambda: self.tr("Item saved."),
            receiver=self,
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
        self._requests.send(
            p.AgendaRemove(id=0, item_id=item.id), lambda: self.tr("Item removed."), receiver=self
        )

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
        self.select_after_change(item.id)
        self._requests.send(msg, lambda: self.tr("Item moved."), receiver=self)
