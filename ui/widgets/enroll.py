"""First run: choose the room, type the enrollment code, choose a PIN, enroll.

Shared by the delegate app (code printed on the delegate's card) and the secretary console
(secretary code from ``hemicycle-server init``); only the wording differs.

Discovery only *suggests* a room. What makes enrollment safe is the code: it pins the room's
certificate, and ``app.enroll`` refuses a server whose certificate does not match. The room
chosen here contributes fresh addresses (the code's may be stale), lets us tell the delegate
early when the code belongs to another room, and gives a way in when multicast is blocked
(typed address). Every check that can run offline runs before the network is touched, and every
error comes back as a sentence on the page where it can be fixed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QIntValidator
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import vault
from app.codes import CodeError, EnrollmentCode, short_room_id
from ui.bridge import BrowserBridge, NetworkThread
from ui.widgets import errors, qrimage
from ui.widgets.codeedit import CodeEdit
from ui.widgets.pin import PinPad
from ui.widgets.steady import SteadyLabel
from ui.widgets.unlock import SHORT_HEIGHT

if TYPE_CHECKING:
    from app.discovery import RoomAnnouncement
    from app.profile import Unlocked

EnrollFn = Callable[..., Coroutine[Any, Any, "Unlocked"]]
#: A message that can be re-rendered in the new language when the language changes.
Message = str | Callable[[], str]


def _render(message: Message | None) -> str:
    if message is None:
        return ""
    return message() if callable(message) else message


@dataclass(frozen=True)
class RoomPreset:
    """The room a prepared tablet is for (its deployment file, app/deployment.py): the first
    page starts with its address, and its room ID pins enrollment to that room alone."""

    address: str = ""
    port: int | None = None
    room_id: bytes | None = None


@dataclass(frozen=True)
class RoomChoice:
    """Where to look for the room, as chosen on the first page."""

    name: str
    room_id: bytes | None  # announced room ID (None for a typed address)
    addresses: tuple[str, ...]
    port: int | None


def _page_shell(content: QWidget) -> QScrollArea:
    """Centre a page's content in a column of readable width, scrollable on small screens."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(24, 6, 24, 10)
    row.addStretch(1)
    row.addWidget(content, 10)
    row.addStretch(1)
    content.setMaximumWidth(760)
    area = QScrollArea()
    area.setObjectName("pageScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(holder)
    return area


def _heading(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("pageTitle")
    label.setWordWrap(True)
    return label


def _body(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("pageText")
    label.setWordWrap(True)
    return label


def _error(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("errorText")
    label.setWordWrap(True)
    label.hide()
    return label


def _button(parent: QWidget, name: str = "") -> QPushButton:
    button = QPushButton(parent)
    if name:
        button.setObjectName(name)
    button.setMinimumHeight(52)
    return button


class _Translatable(QWidget):
    """Calls ``retranslate()`` whenever the application language changes."""

    def retranslate(self) -> None:  # pragma: no cover - overridden
        pass

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


# --------------------------------------------------------------------------- page 1


class _RoomRow(QWidget):
    """A discovered room: its name, large, and its short room ID to compare with the card."""

    def __init__(self, room: RoomAnnouncement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.room = room
        self.name = QLabel(room.name, self)
        self.name.setObjectName("roomName")
        self.name.setWordWrap(True)
        self.ident = QLabel(self)
        self.ident.setObjectName("roomIdent")
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(2)
        box.addWidget(self.name)
        box.addWidget(self.ident)
        for label in (self.name, self.ident):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.retranslate()

    def retranslate(self) -> None:
        self.ident.setText(
            RoomPage.tr_room_id().replace("%1", short_room_id(self.room.room_id))
            + "  ·  "
            + ", ".join(self.room.addresses[:2])
        )


class RoomPage(_Translatable):
    """Live list of rooms on the LAN, or a typed address when multicast is blocked."""

    chosen = Signal(object)  # RoomChoice | None (None: use the addresses in the code)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rooms: list[RoomAnnouncement] = []
        self._unavailable = False
        self._pinned: bytes | None = None
        self._prepared = False  # the address comes from the deployment file
        content = QWidget()
        self.title = _heading(content)
        self.text = _body(content)
        self.rooms_list = QListWidget(content)
        self.rooms_list.setObjectName("roomList")
        self.rooms_list.setMinimumHeight(100)
        self.rooms_list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.rooms_list.itemSelectionChanged.connect(self._room_selected)
        self.rooms_list.itemActivated.connect(lambda _item: self._next())
        self.searching = QLabel(content)
        self.searching.setObjectName("hintText")
        self.searching.setWordWrap(True)
        self.searching_bar = QProgressBar(content)
        self.searching_bar.setRange(0, 0)
        self.searching_bar.setTextVisible(False)
        self.searching_bar.setMaximumHeight(6)

        self.manual_button = _button(content, "linkButton")
        self.manual_button.setCheckable(True)
        self.manual_button.toggled.connect(self._toggle_manual)
        self.manual_frame = QFrame(content)
        self.manual_frame.setObjectName("manualFrame")
        self.address_label = QLabel(self.manual_frame)
        self.address_edit = QLineEdit(self.manual_frame)
        self.address_edit.setObjectName("addressEdit")
        self.address_edit.setPlaceholderText("192.168.1.10")
        self.address_edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        self.port_label = QLabel(self.manual_frame)
        self.port_edit = QLineEdit(self.manual_frame)
        self.port_edit.setObjectName("portEdit")
        self.port_edit.setValidator(QIntValidator(1, 65535, self.port_edit))
        self.port_edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.port_edit.setMaximumWidth(160)
        for edit in (self.address_edit, self.port_edit):
            edit.textChanged.connect(self._update_next)
            edit.returnPressed.connect(self._next)
        grid = QHBoxLayout(self.manual_frame)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setSpacing(12)
        addr_box = QVBoxLayout()
        addr_box.addWidget(self.address_label)
        addr_box.addWidget(self.address_edit)
        port_box = QVBoxLayout()
        port_box.addWidget(self.port_label)
        port_box.addWidget(self.port_edit)
        grid.addLayout(addr_box, 3)
        grid.addLayout(port_box, 1)
        self.manual_frame.hide()
        self.error_label = _error(content)

        self.skip_button = _button(content, "linkButton")
        self.skip_button.clicked.connect(lambda: self.chosen.emit(None))
        self.next_button = _button(content, "primaryButton")
        self.next_button.clicked.connect(self._next)
        nav = QHBoxLayout()
        nav.setSpacing(16)
        nav.addWidget(self.manual_button)
        nav.addWidget(self.skip_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)

        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        box.addWidget(self.title)
        box.addWidget(self.text)
        box.addWidget(self.searching_bar)
        box.addWidget(self.searching)
        box.addWidget(self.rooms_list, 1)
        box.addWidget(self.manual_frame)
        box.addWidget(self.error_label)
        box.addStretch(0)  # takes the room only while the list is hidden (a prepared tablet)
        box.addLayout(nav)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(_page_shell(content))
        self.retranslate()
        self._update_next()

    @staticmethod
    def tr_room_id() -> str:
        return QCoreApplication.translate("RoomPage", "Room ID %1")

    # ------------------------------------------------------------------ rooms

    def set_preset(self, preset: RoomPreset) -> None:
        """A prepared tablet: its room's address typed in already, and only its room listed."""
        self._pinned = preset.room_id
        self._prepared = bool(preset.address)
        if preset.address:
            self.address_edit.setText(preset.address)
            self.port_edit.setText(str(preset.port) if preset.port is not None else "")
            self.manual_button.setChecked(True)
        self.set_rooms(self._rooms)
        self.retranslate()

    def set_rooms(self, rooms: Sequence[RoomAnnouncement]) -> None:
        """Replace the list; the selected room stays selected if it is still announced. A
        prepared tablet lists only the room it is pinned to."""
        selected = self._selected_room()
        pinned = self._pinned
        self._rooms = [room for room in rooms if pinned is None or room.room_id == pinned]
        self.rooms_list.blockSignals(True)
        self.rooms_list.clear()
        for room in self._rooms:
            item = QListWidgetItem(self.rooms_list)
            row = _RoomRow(room)
            item.setSizeHint(QSize(100, max(row.sizeHint().height(), 64)))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, room.name)
            self.rooms_list.setItemWidget(item, row)
            if selected is not None and room.service_name == selected.service_name:
                item.setSelected(True)
        self.rooms_list.blockSignals(False)
        self._update_search_text()
        self._update_next()

    def set_unavailable(self, reason: str = "") -> None:
        """Discovery could not start: say so, and open the typed address at once."""
        self._unavailable = True
        self._update_search_text()
        self.manual_button.setChecked(True)

    def rooms(self) -> list[RoomAnnouncement]:
        return list(self._rooms)

    def select_room(self, index: int) -> None:
        self.rooms_list.setCurrentRow(index)

    def _selected_room(self) -> RoomAnnouncement | None:
        items = self.rooms_list.selectedItems()
        if not items:
            return None
        row = self.rooms_list.row(items[0])
        return self._rooms[row] if 0 <= row < len(self._rooms) else None

    def _room_selected(self) -> None:
        if self._selected_room() is not None and self.manual_button.isChecked():
            self.manual_button.setChecked(False)
        self._update_next()

    def _toggle_manual(self, on: bool) -> None:
        self.manual_frame.setVisible(on)
        if on:
            self.rooms_list.clearSelection()
            self.address_edit.setFocus()
        self._update_next()

    # ------------------------------------------------------------------ choice

    def choice(self) -> RoomChoice | None:
        """The room chosen, or ``None`` when nothing valid is chosen yet."""
        room = self._selected_room()
        if room is not None:
            return RoomChoice(room.name, room.room_id, tuple(room.addresses), room.port)
        if self.manual_button.isChecked():
            address = self.address_edit.text().strip()
            if not address or any(c.isspace() for c in address):
                return None
            port_text = self.port_edit.text().strip()
            port = int(port_text) if port_text.isdigit() else None
            return RoomChoice(address, None, (address,), port)
        return None

    def _manual_error(self) -> str:
        address = self.address_edit.text().strip()
        try:
            ipaddress.ip_address(address)
        except ValueError:
            if not address.replace("-", "").replace(".", "").isalnum():
                return self.tr("Type an address such as 192.168.1.10.")
        port_text = self.port_edit.text().strip()
        if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
            return self.tr("The port is a number from 1 to 65535.")
        return ""

    def _update_next(self) -> None:
        self.next_button.setEnabled(self.choice() is not None)

    def _next(self) -> None:
        choice = self.choice()
        if choice is None:
            return
        if choice.room_id is None:
            problem = self._manual_error()
            if problem:
                self.error_label.setText(problem)
                self.error_label.show()
                return
        self.error_label.hide()
        self.chosen.emit(choice)

    def _update_search_text(self) -> None:
        # A prepared tablet has its room's address already: an empty list, or a search that
        # finds nothing, would only make the delegate doubt it. Its room shows when found.
        listed = bool(self._rooms) or not self._prepared
        self.rooms_list.setVisible(listed)
        self.searching.setVisible(listed)
        self.manual_button.setVisible(listed)  # nothing to switch to: the address stays
        searching = not self._rooms and not self._unavailable and listed
        self.searching_bar.setVisible(searching)
        if self._unavailable:
            self.searching.setText(
                self.tr(
                    "Rooms cannot be found automatically on this network. Type the address "
                    "of the room server below, or continue with your code alone."
                )
            )
        elif not self._rooms:
            self.searching.setText(self.tr("Searching for rooms on this network…"))
        else:
            self.searching.setText(self.tr("Rooms found on this network:"))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Choose your room"))
        if self._pinned is not None or self._prepared:
            intro = (
                self.tr(
                    "This tablet is prepared for the room with ID %1: check that it matches "
                    "the one printed on your card."
                ).replace("%1", short_room_id(self._pinned))
                if self._pinned is not None
                else self.tr("This tablet is prepared for your room.")
            )
            filled = self.tr("Its address is filled in: tap Next.") if self._prepared else ""
            self.text.setText(f"{intro} {filled}".strip())
        else:
            self.text.setText(
                self.tr(
                    "Pick the room of your meeting. Check that its room ID matches the one "
                    "printed on your card."
                )
            )
        self.manual_button.setText(self.tr("Type the address instead"))
        self.address_label.setText(self.tr("Server address"))
        self.port_label.setText(self.tr("Port"))
        self.port_edit.setPlaceholderText(self.tr("optional"))
        self.skip_button.setText(self.tr("Skip: my code is enough"))
        self.next_button.setText(self.tr("Next"))
        self._update_search_text()
        for n in range(self.rooms_list.count()):
            row = self.rooms_list.itemWidget(self.rooms_list.item(n))
            if isinstance(row, _RoomRow):
                row.retranslate()


# --------------------------------------------------------------------------- page 2


class CodePage(_Translatable):
    """The one-time enrollment code, checked offline (check symbols) before anything is sent."""

    accepted = Signal(object)  # EnrollmentCode
    back = Signal()

    def __init__(self, kind: str = "delegate", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self._expected_room: bytes | None = None
        self._error: Message | None = None
        content = QWidget()
        self.title = _heading(content)
        self.text = _body(content)
        self.code_edit = CodeEdit(content)
        self.code_edit.setPlaceholderText("XXXXX-XXXXX-XXXXX-…")
        self.code_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.code_edit.textChanged.connect(self._edited)
        self.code_edit.returnPressed.connect(self.submit)
        self.code_edit.imagePasted.connect(self.read_picture)
        self.hint = QLabel(content)
        self.hint.setObjectName("hintText")
        self.hint.setWordWrap(True)
        # The QR code on the card, read from a photo taken with the tablet's camera app or
        # from the PNG of `hemicycle-server enroll --qr`, or from a picture on the clipboard.
        self.picture_button = _button(content)
        self.picture_button.clicked.connect(self.choose_picture)
        self.clipboard_button = _button(content)
        self.clipboard_button.clicked.connect(self.read_clipboard)
        clipboard = QGuiApplication.clipboard()
        clipboard.dataChanged.connect(self._clipboard_changed)
        self._clipboard_changed()
        pictures = QHBoxLayout()
        pictures.setSpacing(12)
        pictures.addWidget(self.picture_button)
        pictures.addWidget(self.clipboard_button)
        pictures.addStretch(1)
        self.error_label = _error(content)
        self.back_button = _button(content)
        self.back_button.clicked.connect(self.back)
        self.next_button = _button(content, "primaryButton")
        self.next_button.clicked.connect(self.submit)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(14)
        box.addWidget(self.title)
        box.addWidget(self.text)
        box.addWidget(self.code_edit)
        box.addWidget(self.hint)
        box.addLayout(pictures)
        box.addWidget(self.error_label)
        box.addStretch(1)
        box.addLayout(nav)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(_page_shell(content))
        self.retranslate()

    def set_expected_room(self, room_id: bytes | None) -> None:
        """The room chosen on page 1; a code for another room is refused with a clear message."""
        self._expected_room = room_id

    def _edited(self) -> None:
        self._error = None
        self.error_label.hide()

    # ------------------------------------------------------------------ QR code pictures

    def choose_picture(self) -> None:
        """Ask for a picture file (a photo of the card, a PNG) and read its QR code."""
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Picture of the QR code"),
            start,
            self.tr("Pictures") + " (*.png *.jpg *.jpeg *.bmp *.gif *.webp)",
        )
        if path:
            self.read_picture_file(path)

    def read_picture_file(self, path: str) -> None:
        try:
            image = qrimage.load_picture(path)
        except qrimage.PictureError as exc:
            self._picture_failed(exc)
            return
        self.read_picture(image)

    def read_clipboard(self) -> None:
        self.read_picture(QGuiApplication.clipboard().image())

    def read_picture(self, image: QImage) -> None:
        """Read the QR code in ``image`` and go on with its code as if it had been typed."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            text = qrimage.code_text_in(image)
        except qrimage.PictureError as exc:
            self._picture_failed(exc)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.code_edit.setText(text)
        self.submit()

    def _picture_failed(self, exc: qrimage.PictureError) -> None:
        kind = exc.kind
        self.show_error(lambda: errors.describe_picture_error(kind))

    def _clipboard_changed(self) -> None:
        data = QGuiApplication.clipboard().mimeData()
        self.clipboard_button.setVisible(data is not None and data.hasImage())

    def show_error(self, message: Message | None) -> None:
        """Inline error under the field; a callable is re-run when the language changes."""
        self._error = message or None
        text = _render(self._error)
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def validate(self) -> EnrollmentCode | None:
        """Parse the typed code; shows the reason inline and returns ``None`` if it is wrong."""
        text = self.code_edit.text().strip()
        if not text:
            self.show_error(errors.empty_code)
            return None
        try:
            code = EnrollmentCode.parse(text)
        except CodeError as exc:
            reason = exc
            self.show_error(lambda: errors.describe_code_error(reason))
            return None
        if self._expected_room is not None and not code.pins(self._expected_room):
            self.show_error(errors.code_for_other_room)
            return None
        self.show_error(None)
        return code

    def submit(self) -> None:
        code = self.validate()
        if code is not None:
            self.accepted.emit(code)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Enrollment code"))
        if self._kind == "secretary":
            self.text.setText(
                self.tr(
                    "Type the secretary code shown when the room server was set up "
                    "(hemicycle-server init)."
                )
            )
        else:
            self.text.setText(self.tr("Type the enrollment code printed on your delegate card."))
        self.hint.setText(
            self.tr("Capitals, dashes and spaces don't matter. The code can be used only once.")
        )
        self.picture_button.setText(self.tr("Read the QR code from a picture…"))
        self.clipboard_button.setText(self.tr("Use the picture in the clipboard"))
        self.back_button.setText(self.tr("Back"))
        self.next_button.setText(self.tr("Next"))
        self.show_error(self._error)


# --------------------------------------------------------------------------- page 3


class PinSetupPage(_Translatable):
    """Choose a PIN, then type it again; the two must match."""

    pinChosen = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first: str | None = None
        self._message: Message | None = None
        content = QWidget()
        self.title = _heading(content)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The prompt changes between the two steps: it keeps the height of the taller one.
        self.prompt = SteadyLabel(content)
        self.prompt.setObjectName("pinPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad(content)
        self.pad.setMaximumWidth(460)
        self.pad.submitted.connect(self._submitted)
        self.back_button = _button(content)
        self.back_button.clicked.connect(self._back)
        # Back sits beside the title (not under the pad) so it stays on screen without
        # scrolling on a short tablet screen; an invisible twin keeps the title centred.
        balance = QWidget(content)
        balance.setFixedWidth(self.back_button.sizeHint().width())
        self._balance = balance
        head = QHBoxLayout()
        head.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.title, 1)
        head.addWidget(balance)
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        box.addLayout(head)
        box.addWidget(self.prompt)
        box.addWidget(self.pad, 1, Qt.AlignmentFlag.AlignHCenter)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(_page_shell(content))
        self.retranslate()

    def confirming(self) -> bool:
        return self._first is not None

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        short = event.size().height() < SHORT_HEIGHT
        self.pad.set_side_by_side(short)
        self.pad.setMaximumWidth(720 if short else 460)

    def reset(self) -> None:
        self._first = None
        self.pad.clear()
        self.show_error(None)
        self.retranslate()

    def show_error(self, message: Message | None) -> None:
        self._message = message
        self.pad.show_message(_render(message))

    def error_text(self) -> str:
        return self.pad.message_text()

    def _back(self) -> None:
        if self._first is not None:
            self.reset()
        else:
            self.back.emit()

    def _submitted(self, pin: str) -> None:
        if self._first is None:
            try:
                vault.check_pin(pin)
            except ValueError:
                self.pad.clear()
                self.show_error(errors.pin_rule)
                return
            self._first = pin
            self.pad.clear()
            self.retranslate()
            return
        if pin != self._first:
            self._first = None
            self.pad.clear()
            self.retranslate()
            self.show_error(lambda: self.tr("The two PINs are different. Choose your PIN again."))
            return
        self.pinChosen.emit(pin)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Choose a PIN"))
        choose = (
            self.tr("Choose a PIN of %1 to %2 digits. You will type it to open the app.")
            .replace("%1", str(vault.MIN_PIN_LENGTH))
            .replace("%2", str(vault.MAX_PIN_LENGTH))
        )
        again = self.tr("Type the same PIN again to confirm it.")
        self.prompt.reserve(texts=(choose, again))
        self.prompt.setText(choose if self._first is None else again)
        self.back_button.setText(self.tr("Back"))
        self._balance.setFixedWidth(self.back_button.sizeHint().width())
        if self.pad.message_text():
            self.pad.show_message(_render(self._message))


# --------------------------------------------------------------------------- enrolling


class BusyPage(_Translatable):
    """Enrollment in progress, or its failure with a way to retry or go back."""

    retry = Signal()
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error: Message | None = None
        content = QWidget()
        self.title = _heading(content)
        self.text = _body(content)
        self.bar = QProgressBar(content)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.error_label = _error(content)
        self.back_button = _button(content)
        self.back_button.clicked.connect(self.back)
        self.retry_button = _button(content, "primaryButton")
        self.retry_button.clicked.connect(self.retry)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.retry_button)
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        box.addStretch(1)
        box.addWidget(self.title)
        box.addWidget(self.text)
        box.addWidget(self.bar)
        box.addWidget(self.error_label)
        box.addStretch(2)
        box.addLayout(nav)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(_page_shell(content))
        self.set_busy()

    def set_busy(self) -> None:
        self._error = None
        self.retranslate()

    def set_failed(self, message: Message) -> None:
        self._error = message
        self.retranslate()

    def is_busy(self) -> bool:
        return self._error is None

    def error_text(self) -> str:
        return _render(self._error)

    def retranslate(self) -> None:
        busy = self._error is None
        self.bar.setVisible(busy)
        self.error_label.setVisible(not busy)
        self.error_label.setText(_render(self._error))
        self.back_button.setVisible(not busy)
        self.retry_button.setVisible(not busy)
        if busy:
            self.title.setText(self.tr("Connecting to the room…"))
            self.text.setText(self.tr("This device is being registered. It takes a few seconds."))
        else:
            self.title.setText(self.tr("Enrollment did not succeed"))
            self.text.setText("")
        self.back_button.setText(self.tr("Back"))
        self.retry_button.setText(self.tr("Try again"))


# --------------------------------------------------------------------------- wizard


async def _default_enroll(*args: Any, **kwargs: Any) -> Unlocked:
    from app.enroll import enroll

    return await enroll(*args, **kwargs)


class EnrollWizard(_Translatable):
    """The first-run flow; emits ``enrolled(Unlocked)`` when the device is registered.

    ``browser`` (optional) feeds the room list; without it the room page offers the typed
    address only. ``enroll_fn`` defaults to :func:`app.enroll.enroll`.
    """

    enrolled = Signal(object)

    ROOM, CODE, PIN, BUSY = range(4)

    def __init__(
        self,
        network: NetworkThread,
        home: Path,
        *,
        kind: str = "delegate",
        browser: BrowserBridge | None = None,
        enroll_fn: EnrollFn | None = None,
        preset: RoomPreset | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enrollWizard")
        self._network = network
        self._home = home
        self._browser = browser
        self._pinned = preset.room_id if preset is not None else None
        self._enroll_fn = enroll_fn or _default_enroll
        self._choice: RoomChoice | None = None
        self._code: EnrollmentCode | None = None
        self._pin = ""

        self.step_label = QLabel(self)
        self.step_label.setObjectName("stepLabel")
        self.stack = QStackedWidget(self)
        self.room_page = RoomPage()
        self.code_page = CodePage(kind)
        self.pin_page = PinSetupPage()
        self.busy_page = BusyPage()
        for page in (self.room_page, self.code_page, self.pin_page, self.busy_page):
            self.stack.addWidget(page)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 8, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.step_label, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.stack, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.room_page.chosen.connect(self._room_chosen)
        self.code_page.accepted.connect(self._code_accepted)
        self.code_page.back.connect(lambda: self.go(self.ROOM))
        self.pin_page.pinChosen.connect(self._start_enroll)
        self.pin_page.back.connect(lambda: self.go(self.CODE))
        self.busy_page.retry.connect(lambda: self._start_enroll(self._pin))
        self.busy_page.back.connect(lambda: self.go(self.ROOM))
        if preset is not None:
            self.room_page.set_preset(preset)
        if browser is not None:
            browser.roomsChanged.connect(self.room_page.set_rooms)
            browser.unavailable.connect(self.room_page.set_unavailable)
            self.room_page.set_rooms(browser.rooms())
            browser.start()
        else:
            self.room_page.set_unavailable()
        self.go(self.ROOM)

    def page(self) -> int:
        return self.stack.currentIndex()

    def go(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        if page == self.PIN:
            self.pin_page.reset()
        if page == self.CODE:
            self.code_page.code_edit.setFocus()
        elif page == self.PIN:
            self.pin_page.pad.setFocus()
        self.retranslate()

    def stop_discovery(self) -> None:
        if self._browser is not None:
            self._browser.stop()

    # ------------------------------------------------------------------ steps

    def _room_chosen(self, choice: RoomChoice | None) -> None:
        self._choice = choice
        chosen = choice.room_id if choice is not None else None
        self.code_page.set_expected_room(self._pinned or chosen)
        self.code_page.show_error("")
        self.go(self.CODE)

    def _code_accepted(self, code: EnrollmentCode) -> None:
        self._code = code
        self.go(self.PIN)

    def _start_enroll(self, pin: str) -> None:
        code = self._code
        if code is None:
            self.go(self.CODE)
            return
        self._pin = pin
        extra: tuple[str, ...] = ()
        extra_port: int | None = None
        if self._choice is not None:
            extra = self._choice.addresses
            extra_port = self._choice.port
        self.busy_page.set_busy()
        self.go(self.BUSY)
        # A prepared tablet enrolls only in its own room, whatever the code or the LAN say.
        pinned = {"room_id": self._pinned} if self._pinned is not None else {}
        self._network.call(
            self._enroll_fn(self._home, code, pin, None, extra, extra_port, **pinned),
            on_result=self._enrolled,
            on_error=self._failed,
            receiver=self,
        )

    def _enrolled(self, unlocked: Unlocked) -> None:
        self._pin = ""
        self.stop_discovery()
        self.enrolled.emit(unlocked)

    def _failed(self, exc: BaseException) -> None:
        code = str(getattr(exc, "code", "") or "")
        message = str(getattr(exc, "message", "") or exc)

        def text() -> str:
            return errors.describe_enroll_error(code, message)

        if code == "invalid_code":
            self.code_page.show_error(text)
            self.go(self.CODE)
        elif code == "bad_pin":
            self.go(self.PIN)
            self.pin_page.show_error(text)
        else:
            self.busy_page.set_failed(text)
            self.go(self.BUSY)

    def retranslate(self) -> None:
        step = min(self.stack.currentIndex(), self.PIN) + 1
        self.step_label.setText(
            self.tr("Step %1 of %2").replace("%1", str(step)).replace("%2", "3")
        )
