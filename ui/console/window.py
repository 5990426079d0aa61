"""The secretary console: prepare meetings and their agendas, and move the meeting along.

The window only assembles the panels (:mod:`ui.console.meetings_panel`,
:mod:`~ui.console.agenda_panel`, :mod:`~ui.console.control_panel` and
:mod:`~ui.console.documents_panel` on the first tab, :mod:`~ui.console.delegates_panel` on the
second, :mod:`~ui.console.readiness_panel` on the third, :mod:`~ui.console.attendance_panel`
on the fourth, :mod:`~ui.console.polls_panel` on the fifth), wires them to the bridge and to
each other, and shows their messages. Each panel owns its buttons, its texts and its requests
(:mod:`ui.console.panel`), and draws only the areas of the room state it declares: an
:class:`~ui.areas.AreaRouter` hands it the updates that change them, and no others.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app.console_votes import TEMPLATES_FILE
from app.state import Area, RoomView
from ui.areas import AreaRouter
from ui.bridge import ClientBridge
from ui.console.agenda_panel import AgendaPanel
from ui.console.attendance_panel import AttendancePanel
from ui.console.control_panel import ControlPanel
from ui.console.delegates_panel import DelegatesPanel
from ui.console.documents_panel import DocumentsPanel
from ui.console.meetings_panel import MeetingsPanel
from ui.console.panel import Requests, Text
from ui.console.polls_panel import PollsPanel
from ui.console.readiness_panel import ReadinessPanel
from ui.i18n import Translations
from ui.theme import fix_window_minimum
from ui.widgets import about, errors
from ui.widgets.header import Header
from ui.widgets.status import StatusIndicator

if TYPE_CHECKING:
    from app.profile import Identity


class ConsoleWindow(QMainWindow):
    """Two tabs: meetings (left), the agenda editor (centre) and meeting control (right); and
    the delegates. Messages at the bottom.

    The panels are :attr:`meetings_panel`, :attr:`agenda_panel`, :attr:`control_panel` and
    :attr:`delegates_panel` (whose count of connected delegates is in the header: clicking it
    opens the delegates' tab); the window itself has the header (:attr:`status_indicator`), the
    :attr:`offline_banner`, the :attr:`tabs` and the message line (:meth:`message`).
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
        self._identity = identity
        self._message: tuple[Text, bool] | None = None
        self.requests = Requests(bridge, self)
        self.meetings_panel = MeetingsPanel(self.requests, bridge.model)
        self.agenda_panel = AgendaPanel(self.requests, bridge.model)
        self.control_panel = ControlPanel(self.requests, bridge.model)
        self.delegates_panel = DelegatesPanel(self.requests, bridge.model)
        self.documents_panel = DocumentsPanel(self.requests, bridge, bridge.model)
        self.readiness_panel = ReadinessPanel(self.requests, bridge.model)
        self.attendance_panel = AttendancePanel(self.requests, bridge.model)
        self.polls_panel = PollsPanel(
            self.requests, bridge, bridge.model, lambda: self._room_key(bridge), _templates(bridge)
        )
        self._build(translations)
        self._router = self._routes()
        self._connect(bridge)
        fix_window_minimum(self, 960, 560)
        self.resize(1280, 800)
        self.retranslate()
        self._router.dispatch(bridge.model, Area.ALL)
        if identity.role not in p.STAFF_ROLES:
            self.show_message(
                lambda: self.tr(
                    "This device is enrolled as a delegate: the room will refuse changes "
                    "made from it. Enroll the console with a secretary code."
                ),
                error=True,
            )

    # ------------------------------------------------------------------ assembly

    def _build(self, translations: Translations | None) -> None:
        central = QWidget(self)
        central.setObjectName("central")
        self.setCentralWidget(central)
        header = Header(translations, central)
        self.room_label = QLabel(header)
        self.room_label.setObjectName("headerRoom")
        self.title_label = QLabel(header)
        self.title_label.setObjectName("headerTitle")
        header.add_title(self.room_label)
        header.add_title(self.title_label)
        self.status_indicator = StatusIndicator(header)
        header.add_side(self.delegates_panel.count_button)
        header.add_side(self.status_indicator)
        # A ⋯ menu as in the delegate app, for what is not about the room: About.
        self.menu_button = QToolButton(header)
        self.menu_button.setObjectName("menuButton")
        self.menu_button.setText("⋯")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.menu_button)
        self.about_action = about.add_action(menu, "hemicycle-console")
        self.menu_button.setMenu(menu)
        header.add_side(self.menu_button)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(8)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        right.setHandleWidth(8)
        right.addWidget(self.control_panel)
        right.addWidget(self.documents_panel)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        for panel, stretch in (
            (self.meetings_panel, 2),
            (self.agenda_panel, 5),
            (right, 3),
        ):
            splitter.addWidget(panel)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        splitter.setSizes([270, 660, 330])
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("consoleTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, "")
        self.tabs.addTab(self.delegates_panel, "")
        self.tabs.addTab(self.readiness_panel, "")
        self.tabs.addTab(self.attendance_panel, "")
        self.tabs.addTab(self.polls_panel, "")
        body = QWidget(central)
        b_box = QVBoxLayout(body)
        b_box.setContentsMargins(12, 8, 12, 8)
        b_box.addWidget(self.tabs)

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

    def _routes(self) -> AreaRouter:
        """Who draws what. The meetings panel comes after the two panels that follow its
        selection, and the control panel before the agenda whose selection it follows, so a
        selection changed by an update is shown from the same state."""
        router = AreaRouter()
        router.route(Area.ROOM, lambda model, _areas: self._show_room(model))
        router.add(self.control_panel)
        router.add(self.documents_panel)
        router.add(self.agenda_panel)
        router.add(self.meetings_panel)
        router.add(self.delegates_panel)
        router.add(self.readiness_panel)
        router.add(self.attendance_panel)
        router.add(self.polls_panel)
        return router

    def _connect(self, bridge: ClientBridge) -> None:
        self.meetings_panel.meetingSelected.connect(self.agenda_panel.set_meeting)
        self.meetings_panel.meetingSelected.connect(self.control_panel.set_meeting)
        self.meetings_panel.meetingSelected.connect(self.readiness_panel.set_meeting)
        self.meetings_panel.meetingSelected.connect(self.attendance_panel.set_meeting)
        self.meetings_panel.meetingSelected.connect(self.polls_panel.set_meeting)
        self.agenda_panel.itemSelected.connect(self.control_panel.set_item)
        self.agenda_panel.itemSelected.connect(self.documents_panel.set_item)
        self.control_panel.itemRequested.connect(self.agenda_panel.select_after_change)
        self.delegates_panel.count_button.clicked.connect(
            lambda: self.tabs.setCurrentWidget(self.delegates_panel)
        )
        self.requests.said.connect(self.show_message)
        bridge.stateChanged.connect(self._router.dispatch)
        bridge.statusChanged.connect(self.status_indicator.set_status)
        bridge.statusChanged.connect(self._status_changed)
        bridge.presenceChanged.connect(self.delegates_panel.show_presence)
        bridge.fatal.connect(self._fatal)
        self.status_indicator.set_status(bridge.status, bridge.last_sync)
        self.delegates_panel.show_presence(bridge.presence)
        self._status_changed()

    # ------------------------------------------------------------------ updates

    def _show_room(self, model: RoomView) -> None:
        name = model.room.name if model.room.name != "?" else ""
        self.room_label.setText(name or self._identity.room_name)

    def _status_changed(self, *_: object) -> None:
        online = self.requests.is_online()
        self.offline_banner.setVisible(not online)
        for panel in (
            self.meetings_panel,
            self.agenda_panel,
            self.control_panel,
            self.documents_panel,
            self.delegates_panel,
            self.readiness_panel,
            self.attendance_panel,
            self.polls_panel,
        ):
            panel.refresh()

    def _room_key(self, bridge: ClientBridge) -> bytes:
        """The room's public key this console pinned (the profile's latest identity: the
        client fills it in for a profile enrolled before the room had one)."""
        profile = getattr(bridge.unlocked, "profile", None)
        latest = getattr(profile, "identity", None) if profile is not None else None
        key = getattr(latest, "room_key", b"") or self._identity.room_key
        return bytes(key)

    def _fatal(self, code: str, message: str) -> None:
        self.show_message(lambda: errors.describe_fatal(code, message), error=True)

    # ------------------------------------------------------------------ messages

    def show_message(self, text: Text, error: bool = False) -> None:
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

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Secretariat console"))
        self.setWindowTitle("Hemicycle — " + self.tr("Secretariat console"))
        self.offline_banner.setText(errors.console_offline())
        self.menu_button.setToolTip(self.tr("More"))
        self.about_action.setText(about.menu_text())
        self.tabs.setTabText(0, self.tr("Meetings and agenda"))
        self.tabs.setTabText(1, self.tr("Delegates"))
        self.tabs.setTabText(2, self.tr("Readiness"))
        self.tabs.setTabText(3, self.tr("Attendance"))
        self.tabs.setTabText(4, self.tr("Votes"))
        if self._message is not None:
            self.show_message(*self._message)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _templates(bridge: ClientBridge) -> Path | None:
    """Where the secretary's own poll templates are kept: the console's profile folder."""
    profile = getattr(bridge.unlocked, "profile", None)
    home = getattr(profile, "home", None)
    return Path(home) / TEMPLATES_FILE if home is not None else None
