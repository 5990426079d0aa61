"""First run: the room list, the code checked offline, the PIN chosen twice, the enrollment."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QMimeData, QRectF, Qt
from PySide6.QtGui import QColor, QFontInfo, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from app import vault
from app.codes import EnrollmentCode
from app.discovery import RoomAnnouncement
from server.sheet import qr_png
from tests.ui.support import OTHER_ROOM_ID, ROOM_ID, enrollment_code, show_top
from ui.bridge import BrowserBridge, NetworkThread
from ui.i18n import Translations
from ui.widgets import errors
from ui.widgets.enroll import EnrollWizard


class FakeEnrollError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Enroller:
    """Records what ``enroll`` was called with; succeeds or fails as told."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[tuple[Any, ...]] = []

    async def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        if self.error is not None:
            raise self.error
        return "unlocked-profile"


class FakeBrowser:
    rooms: ClassVar[list[RoomAnnouncement]] = [
        RoomAnnouncement("Hội trường Ba Đình", ROOM_ID, 1, ("10.0.0.7",), 9443, "a._hemicycle"),
        RoomAnnouncement("Phòng họp số 3", OTHER_ROOM_ID, 1, ("10.0.0.9",), 8443, "b._hemicycle"),
    ]

    def __init__(self, interfaces: Any, on_change: Any) -> None:
        self.on_change = on_change

    async def start(self) -> None:
        self.on_change(list(self.rooms))

    async def stop(self) -> None:
        pass


def _wizard(
    qtbot: QtBot,
    network: NetworkThread,
    tmp_path: Path,
    enroller: Enroller | None = None,
    browser: BrowserBridge | None = None,
    size: tuple[int, int] = (1280, 720),
) -> EnrollWizard:
    wizard = EnrollWizard(network, tmp_path, browser=browser, enroll_fn=enroller or Enroller())
    show_top(qtbot, wizard, *size)
    return wizard


def _type_pin(wizard: EnrollWizard, pin: str) -> None:
    for digit in pin:
        wizard.pin_page.pad.press(digit)
    wizard.pin_page.pad.submit()


def test_discovered_rooms_are_listed_with_their_short_id(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    browser = BrowserBridge(network, browser_factory=FakeBrowser)
    wizard = _wizard(qtbot, network, tmp_path, browser=browser)
    qtbot.waitUntil(lambda: len(wizard.room_page.rooms()) == 2)
    assert not wizard.room_page.next_button.isEnabled()
    wizard.room_page.select_room(0)
    assert wizard.room_page.next_button.isEnabled()
    wizard.room_page.next_button.click()
    assert wizard.page() == EnrollWizard.CODE
    browser.stop(timeout=2)


def test_a_mistyped_code_is_explained_inline(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard.room_page.skip_button.click()
    text = enrollment_code().text()
    swapped = "7" if text[3] != "7" else "8"
    wizard.code_page.code_edit.setText(text[:3] + swapped + text[4:])
    wizard.code_page.next_button.click()
    assert wizard.page() == EnrollWizard.CODE
    assert wizard.code_page.error_text() == (
        "The code does not check out: a symbol is mistyped or missing."
    )
    assert wizard.code_page.error_label.isVisible()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the code first."),
        ("ABC", "The code is too short: a symbol group is missing."),
        ("UUUUU-UUUUU-UU", "“U” cannot appear in a code. Codes use digits and the letters A–Z."),
    ],
)
def test_other_code_mistakes(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path, typed: str, message: str
) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard.room_page.skip_button.click()
    wizard.code_page.code_edit.setText(typed)
    wizard.code_page.submit()
    assert wizard.code_page.error_text() == message


def test_code_accepts_lowercase_spaces_and_no_dashes(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard.room_page.skip_button.click()
    sloppy = enrollment_code().text().lower().replace("-", " ")
    qtbot.keyClicks(wizard.code_page.code_edit, sloppy)  # type: ignore[no-untyped-call]
    assert wizard.code_page.code_edit.text() == sloppy.upper()  # shown as printed
    wizard.code_page.next_button.click()
    assert wizard.code_page.error_text() == ""
    assert wizard.page() == EnrollWizard.PIN


def test_a_code_for_another_room_is_refused_before_connecting(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    browser = BrowserBridge(network, browser_factory=FakeBrowser)
    wizard = _wizard(qtbot, network, tmp_path, browser=browser)
    qtbot.waitUntil(lambda: len(wizard.room_page.rooms()) == 2)
    wizard.room_page.select_room(1)  # Phòng họp số 3
    wizard.room_page.next_button.click()
    wizard.code_page.code_edit.setText(enrollment_code(ROOM_ID).text())
    wizard.code_page.submit()
    assert wizard.page() == EnrollWizard.CODE
    assert "different room" in wizard.code_page.error_text()
    browser.stop(timeout=2)


def test_pin_page_rejects_mismatched_pins(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    enroller = Enroller()
    wizard = _wizard(qtbot, network, tmp_path, enroller)
    wizard._code_accepted(enrollment_code())
    assert wizard.page() == EnrollWizard.PIN
    _type_pin(wizard, "2580")
    assert wizard.pin_page.confirming()
    _type_pin(wizard, "2581")
    assert not wizard.pin_page.confirming()
    assert wizard.pin_page.error_text() == "The two PINs are different. Choose your PIN again."
    assert wizard.pin_page.pad.pin() == ""
    assert wizard.page() == EnrollWizard.PIN
    assert enroller.calls == []


def test_pin_too_short(qtbot: QtBot, network: NetworkThread, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard._code_accepted(enrollment_code())
    _type_pin(wizard, "123")
    assert not wizard.pin_page.confirming()
    assert wizard.pin_page.error_text() == "The PIN must have 4 to 12 digits."


def test_the_pin_rule_is_the_vaults(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page checks with ``app.vault.check_pin`` and words its numbers, nothing of its own."""
    monkeypatch.setattr(vault, "MIN_PIN_LENGTH", 6)
    monkeypatch.setattr(vault, "MAX_PIN_LENGTH", 10)
    wizard = _wizard(qtbot, network, tmp_path)
    wizard._code_accepted(enrollment_code())
    assert wizard.pin_page.prompt.text().startswith("Choose a PIN of 6 to 10 digits.")
    _type_pin(wizard, "12345")
    assert not wizard.pin_page.confirming()
    assert wizard.pin_page.error_text() == "The PIN must have 6 to 10 digits."
    assert errors.describe_enroll_error("bad_pin", "") == "The PIN must have 6 to 10 digits."
    _type_pin(wizard, "123456")
    assert wizard.pin_page.confirming()


def test_matching_pins_enroll_with_the_chosen_room(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    enroller = Enroller()
    browser = BrowserBridge(network, browser_factory=FakeBrowser)
    wizard = _wizard(qtbot, network, tmp_path, enroller, browser)
    qtbot.waitUntil(lambda: len(wizard.room_page.rooms()) == 2)
    wizard.room_page.select_room(0)
    wizard.room_page.next_button.click()
    wizard.code_page.code_edit.setText(enrollment_code().text())
    wizard.code_page.submit()
    _type_pin(wizard, "2580")
    with qtbot.waitSignal(wizard.enrolled) as done:
        _type_pin(wizard, "2580")
        assert wizard.page() == EnrollWizard.BUSY
    assert done.args == ["unlocked-profile"]
    home, code, pin, device_name, extra, extra_port = enroller.calls[0]
    assert (home, pin, device_name, extra) == (tmp_path, "2580", None, ("10.0.0.7",))
    assert isinstance(code, EnrollmentCode)
    # the announced address is tried at the announced port; the card's own stays as printed
    assert extra_port == 9443 and code.port != 9443
    assert not browser.is_active()


def test_typed_address_is_used_when_multicast_is_blocked(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    enroller = Enroller()
    wizard = _wizard(qtbot, network, tmp_path, enroller)  # no browser: discovery unavailable
    assert wizard.room_page.manual_frame.isVisible()
    wizard.room_page.address_edit.setText("192.168.5.20")
    wizard.room_page.port_edit.setText("8500")
    wizard.room_page.next_button.click()
    wizard.code_page.code_edit.setText(enrollment_code().text())
    wizard.code_page.submit()
    _type_pin(wizard, "1357")
    with qtbot.waitSignal(wizard.enrolled):
        _type_pin(wizard, "1357")
    *_, extra, extra_port = enroller.calls[0]
    assert extra == ("192.168.5.20",)
    assert extra_port == 8500


@pytest.mark.parametrize(
    ("code", "page", "fragment"),
    [
        ("invalid_code", EnrollWizard.CODE, "unknown or has already been used"),
        ("unreachable", EnrollWizard.BUSY, "could not be reached"),
        ("wrong_room", EnrollWizard.BUSY, "security certificate does not match"),
    ],
)
def test_enrollment_errors_are_told_in_plain_words(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path, code: str, page: int, fragment: str
) -> None:
    wizard = _wizard(qtbot, network, tmp_path, Enroller(FakeEnrollError(code, "technical")))
    wizard._code_accepted(enrollment_code())
    _type_pin(wizard, "2580")
    _type_pin(wizard, "2580")
    qtbot.waitUntil(
        lambda: (
            wizard.page() == page and (page != EnrollWizard.BUSY or not wizard.busy_page.is_busy())
        )
    )
    shown = (
        wizard.code_page.error_text()
        if page == EnrollWizard.CODE
        else (wizard.busy_page.error_text())
    )
    assert fragment in shown
    if page == EnrollWizard.BUSY:
        assert wizard.busy_page.retry_button.isVisible()


# --------------------------------------------------------------------------- long codes

IPV6 = ("fd12:3456:789a:1::10",)
THREE_IPV4 = ("10.0.0.5", "192.168.100.200", "172.16.0.1")


def _shown_lines(edit: Any) -> list[str]:
    """The code as the field lays it out, line by line."""
    block = edit.document().firstBlock()
    layout = block.layout()
    return [
        block.text()[line.textStart() : line.textStart() + line.textLength()]
        for line in (layout.lineAt(n) for n in range(layout.lineCount()))
    ]


@pytest.mark.parametrize("addresses", [IPV6, THREE_IPV4], ids=["ipv6", "3-ipv4"])
@pytest.mark.parametrize("size", [(1280, 800), (853, 533), (640, 420)], ids=str)
def test_a_long_code_is_all_in_sight_while_typing(
    qtbot: QtBot,
    network: NetworkThread,
    tmp_path: Path,
    addresses: tuple[str, ...],
    size: tuple[int, int],
) -> None:
    """The whole code shows, in groups that end their lines, without scrolling sideways."""
    wizard = _wizard(qtbot, network, tmp_path, size=size)
    wizard.room_page.skip_button.click()
    text = EnrollmentCode(addresses, 8443, ROOM_ID[:10], b"0123456789").text()
    assert len(text) >= 79
    edit = wizard.code_page.code_edit
    QApplication.processEvents()
    height = edit.height()
    for n in range(0, len(text), 7):
        qtbot.keyClicks(edit, text[n : n + 7].lower())  # type: ignore[no-untyped-call]
        QApplication.processEvents()
        shown = _shown_lines(edit)
        assert "".join(shown) == text[: n + 7].upper()
        assert all(line.endswith("-") for line in shown[:-1]), shown
        assert edit.horizontalScrollBar().maximum() == 0
        assert edit.verticalScrollBar().maximum() == 0
        assert edit.document().size().height() <= edit.viewport().height()
        assert edit.height() == height  # room for a long code from the start: nothing jumps
        assert edit.viewport().width() >= edit.document().size().width()
    assert len(_shown_lines(edit)) >= 2
    assert QFontInfo(edit.font()).fixedPitch()
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert wizard.page() == EnrollWizard.PIN


def test_pasted_line_breaks_become_spaces(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard.room_page.skip_button.click()
    text = enrollment_code().text()
    mime = QMimeData()
    mime.setText(text[:30].lower() + "\n" + text[30:])
    wizard.code_page.code_edit.insertFromMimeData(mime)
    assert wizard.code_page.code_edit.text() == text[:30] + " " + text[30:]
    wizard.code_page.submit()
    assert wizard.page() == EnrollWizard.PIN


# --------------------------------------------------------------------------- QR pictures


def _qr_image(text: str, tmp_path: Path, name: str = "qr.png") -> Path:
    path = tmp_path / name
    path.write_bytes(qr_png(text))
    return path


def _photo(qr: Path, tmp_path: Path, *, scale: float, angle: float, name: str) -> Path:
    """The QR code small and turned in a larger, noisy picture, saved as a camera would."""
    photo = QImage(2400, 1800, QImage.Format.Format_RGB32)
    photo.fill(QColor("#6f6a5c"))
    rng = random.Random(7)
    painter = QPainter(photo)
    for _ in range(2500):
        painter.fillRect(
            rng.randrange(2400),
            rng.randrange(1800),
            rng.randrange(2, 30),
            rng.randrange(2, 30),
            QColor(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    image = QImage(str(qr))
    side = image.width() * scale
    painter.translate(1300, 700)
    painter.rotate(angle)
    painter.fillRect(QRectF(-30, -30, side + 60, side + 60), QColor("#f4f1e8"))  # the card
    painter.drawImage(QRectF(0, 0, side, side), image)
    painter.end()
    path = tmp_path / name
    assert photo.save(str(path), "JPG", 85)
    return path


def _code_page(qtbot: QtBot, network: NetworkThread, tmp_path: Path) -> EnrollWizard:
    wizard = _wizard(qtbot, network, tmp_path)
    wizard.room_page.skip_button.click()
    return wizard


def test_the_qr_png_of_the_server_is_read_like_a_typed_code(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    code = EnrollmentCode(IPV6, 8443, ROOM_ID, b"0123456789")  # the QR pins the whole ID
    wizard = _code_page(qtbot, network, tmp_path)
    with qtbot.waitSignal(wizard.code_page.accepted) as accepted:
        wizard.code_page.read_picture_file(str(_qr_image(code.qr_text(), tmp_path)))
    assert accepted.args == [code]
    assert wizard.page() == EnrollWizard.PIN


@pytest.mark.parametrize(("scale", "angle"), [(0.6, 17.0), (1.7, -38.0), (1.0, 90.0)])
def test_a_photo_of_the_card_is_read(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path, scale: float, angle: float
) -> None:
    code = EnrollmentCode(THREE_IPV4, 9443, ROOM_ID, b"9876543210")
    photo = _photo(
        _qr_image(code.qr_text(), tmp_path), tmp_path, scale=scale, angle=angle, name="p.jpg"
    )
    wizard = _code_page(qtbot, network, tmp_path)
    with qtbot.waitSignal(wizard.code_page.accepted) as accepted:
        wizard.code_page.read_picture_file(str(photo))
    assert accepted.args == [code]


def test_the_button_opens_a_picture_file(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _qr_image(enrollment_code().qr_text(), tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(path), ""))
    wizard = _code_page(qtbot, network, tmp_path)
    assert wizard.code_page.picture_button.text() == "Read the QR code from a picture…"
    wizard.code_page.picture_button.click()
    assert wizard.page() == EnrollWizard.PIN


def test_a_picture_on_the_clipboard_can_be_used(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("nothing to see")
    wizard = _code_page(qtbot, network, tmp_path)
    page = wizard.code_page
    assert not page.clipboard_button.isVisible()
    clipboard.setImage(QImage(str(_qr_image(enrollment_code().qr_text(), tmp_path))))
    qtbot.waitUntil(page.clipboard_button.isVisible)
    page.clipboard_button.click()
    assert wizard.page() == EnrollWizard.PIN
    clipboard.clear()


def _noise(tmp_path: Path) -> Path:
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    rng = random.Random(3)
    painter = QPainter(image)
    for _ in range(4000):
        painter.fillRect(
            rng.randrange(800), rng.randrange(600), 6, 6, QColor.fromRgb(rng.randrange(2**24))
        )
    painter.end()
    path = tmp_path / "noise.png"
    image.save(str(path))
    return path


def _two_codes(tmp_path: Path) -> Path:
    first = QImage(str(_qr_image(enrollment_code().qr_text(), tmp_path, "a.png")))
    other = EnrollmentCode(("10.0.0.6",), 8443, ROOM_ID, b"abcdefghij")
    second = QImage(str(_qr_image(other.qr_text(), tmp_path, "b.png")))
    width, height = first.width() + 40 + second.width(), max(first.height(), second.height())
    sheet = QImage(width, height, QImage.Format.Format_RGB32)
    sheet.fill(QColor("white"))
    painter = QPainter(sheet)
    painter.drawImage(0, 0, first)
    painter.drawImage(first.width() + 40, 0, second)
    painter.end()
    path = tmp_path / "sheet.png"
    sheet.save(str(path))
    return path


def _not_a_picture(tmp_path: Path) -> Path:
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_noise, "No QR code was found in this picture."),
        (
            lambda tmp: _qr_image("https://example.org/menu", tmp),
            "The QR code in this picture is not a Hemicycle enrollment code.",
        ),
        (_two_codes, "This picture shows several enrollment codes."),
        (_not_a_picture, "This file cannot be read as a picture."),
        (
            lambda tmp: _qr_image(enrollment_code().qr_text()[:-4] + "ZZZZ", tmp),
            "The code does not check out",
        ),
    ],
    ids=["no-code", "other-code", "several", "not-a-picture", "damaged"],
)
def test_a_picture_without_our_code_is_explained(
    qtbot: QtBot,
    network: NetworkThread,
    tmp_path: Path,
    translations: Translations,
    make: Callable[[Path], Path],
    message: str,
) -> None:
    wizard = _code_page(qtbot, network, tmp_path)
    wizard.code_page.read_picture_file(str(make(tmp_path)))
    assert wizard.page() == EnrollWizard.CODE
    assert wizard.code_page.error_text().startswith(message)
    translations.set_language("vi", remember=False)
    assert not wizard.code_page.error_text().startswith(message)  # and in Vietnamese


def test_a_qr_code_for_another_room_is_refused_like_a_typed_one(
    qtbot: QtBot, network: NetworkThread, tmp_path: Path
) -> None:
    browser = BrowserBridge(network, browser_factory=FakeBrowser)
    wizard = _wizard(qtbot, network, tmp_path, browser=browser)
    qtbot.waitUntil(lambda: len(wizard.room_page.rooms()) == 2)
    wizard.room_page.select_room(1)  # Phòng họp số 3
    wizard.room_page.next_button.click()
    code = EnrollmentCode(IPV6, 8443, ROOM_ID, b"0123456789")
    wizard.code_page.read_picture_file(str(_qr_image(code.qr_text(), tmp_path)))
    assert wizard.page() == EnrollWizard.CODE
    assert "different room" in wizard.code_page.error_text()
    browser.stop(timeout=2)
