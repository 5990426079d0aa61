"""A delegate's device follows the presenter, against the real room server on loopback: the
presented document opens by itself on the presented page and region, a page turned by the
presenter follows, the delegate turning a page themselves is away until *Back to presenter*,
*Stop following* holds, and a device outside a restricted document's groups is told that one
is presented that it may not open."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app import protocol as p
from app.enroll import enroll
from tests.app.test_render_worker import vietnamese_pdf
from tests.conftest import TEST_SCRYPT_COST, ServerThread
from tests.server.test_documents import GROUP
from tests.ui.support import answer_next_dialog
from tests.ui.test_live_end_to_end import PIN, open_window
from ui import reader
from ui.bridge import NetworkThread
from ui.console.presenter import PresenterRoleDialog
from ui.console.window import ConsoleWindow
from ui.delegate.window import DelegateWindow


def _tablet(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, home: Path, number: str
) -> DelegateWindow:
    code = live.code("delegate", number)
    unlocked = asyncio.run(enroll(home, code, PIN, "Tablet", cost=TEST_SCRYPT_COST))
    window, _bridge = open_window(qtbot, network, unlocked)
    qtbot.waitUntil(lambda: window.status_indicator.status() == "online", timeout=10_000)
    return window


def test_a_delegate_follows_the_presenter_and_comes_back_with_one_tap(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> None:
    room = live.room
    _seq, state = room.snapshot()
    meeting, item = state.meetings[0].id, state.agenda[1]
    room.set_current(meeting, item.id)
    outside = next(d.number for d in room.delegates() if GROUP not in d.groups)
    shown = room.publish(vietnamese_pdf(6), item_id=item.id, title="Dự thảo Nghị quyết")
    secret = room.publish(vietnamese_pdf(3), item_id=item.id, title="Báo cáo mật", groups=(GROUP,))
    window = _tablet(qtbot, network, live, tmp_path / "tablet", outside)
    follower = window.follower
    documents = window.detail.documents
    window.agenda_view.select_item(item.id)
    qtbot.waitUntil(lambda: bool(documents.documents()), timeout=10_000)
    qtbot.waitUntil(
        lambda: documents.state_of(documents.documents()[0])[0] == "ready", timeout=20_000
    )

    # the secretariat presents page 3, zoomed on its lower half: the reader opens there
    half = p.Region(x=0, y=5_000, w=10_000, h=5_000)
    room.ask(p.PresentShow(id=0, document_id=shown.document_id, page=3, region=half))
    qtbot.waitUntil(lambda: window.reader is not None, timeout=10_000)
    opened = window.reader
    assert opened is not None
    qtbot.waitUntil(lambda: opened.current_page() == 2, timeout=10_000)
    assert follower.following
    assert opened.presenter_bar.isVisibleTo(opened)
    assert opened.presenter_label.text() == "Following the secretariat: page 3"
    assert opened.presenter_button.text() == "Stop following"
    full = opened.view.zoom()
    # the presenter turns the page and shows the whole of it
    room.ask(p.PresentShow(id=0, document_id=shown.document_id, page=4))
    qtbot.waitUntil(lambda: opened.current_page() == 3, timeout=10_000)
    assert opened.view.zoom() < full  # a whole page is smaller than half of one

    # the delegate turns a page themselves: away, and the presenter's next page waits
    opened.next_button.click()
    qtbot.waitUntil(lambda: opened.current_page() == 4)
    assert not follower.following
    assert opened.presenter_button.text() == "Back to presenter"
    room.ask(p.PresentShow(id=0, document_id=shown.document_id, page=2))
    qtbot.waitUntil(lambda: "page 2" in opened.presenter_label.text(), timeout=10_000)
    assert opened.current_page() == 4  # not yanked
    opened.presenter_button.click()  # one tap back
    qtbot.waitUntil(lambda: opened.current_page() == 1)
    assert follower.following

    # Stop following holds through the presenter's next pages
    opened.presenter_button.click()
    assert not follower.following
    room.ask(p.PresentShow(id=0, document_id=shown.document_id, page=5))
    qtbot.waitUntil(lambda: "page 5" in opened.presenter_label.text(), timeout=10_000)
    assert opened.current_page() == 1

    # a document this delegate may not read: told so, and nothing opens or moves
    room.ask(p.PresentShow(id=0, document_id=secret.document_id, page=1))
    qtbot.waitUntil(lambda: "may not open" in opened.presenter_label.text(), timeout=10_000)
    assert not opened.presenter_button.isVisibleTo(opened)
    assert window.reader is opened and opened.current_page() == 1
    opened.close_document()
    qtbot.waitUntil(lambda: window.reader is None)
    assert follower.bar.isVisibleTo(window) and not follower.bar.isEnabled()
    assert (
        follower.bar.text() == "The secretariat is presenting a document this device may not open."
    )

    # nothing presented: no bar
    room.ask(p.PresentStop(id=0, meeting_id=meeting))
    qtbot.waitUntil(lambda: not follower.bar.isVisibleTo(window), timeout=10_000)
    reader.shutdown()


def test_a_delegate_given_the_presenter_role_presents_from_their_own_reader(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path, console: ConsoleWindow
) -> None:
    room = live.room
    _seq, state = room.snapshot()
    item = state.agenda[0]  # the console fixture made it current
    doc = room.publish(vietnamese_pdf(6), item_id=item.id, title="Báo cáo chính trị")
    speaker = next(d for d in room.delegates() if d.number == "0002")

    # the secretary gives 0002 the role from the documents panel
    panel = console.documents_panel
    panel.set_item(item.id)

    def give(dialog: QDialog) -> None:
        assert isinstance(dialog, PresenterRoleDialog)
        qtbot.keyClicks(dialog.picker.search_edit, "0002")
        assert dialog.picker.selected_id() == speaker.id
        dialog.ok_button.click()

    answer_next_dialog(give)
    panel.role_button.click()
    qtbot.waitUntil(lambda: room.snapshot()[1].agenda[0].presenter_id == speaker.id, timeout=10_000)

    window = _tablet(qtbot, network, live, tmp_path / "speaker", "0002")
    window.agenda_view.select_item(item.id)
    documents = window.detail.documents
    qtbot.waitUntil(lambda: bool(documents.documents()), timeout=10_000)
    qtbot.waitUntil(
        lambda: documents.state_of(documents.documents()[0])[0] == "ready", timeout=20_000
    )
    documents.rows()[0].click()
    qtbot.waitUntil(lambda: window.reader is not None, timeout=10_000)
    opened = window.reader
    assert opened is not None
    qtbot.waitUntil(lambda: opened.presenter_button.text() == "Present to the hall")
    opened.presenter_button.click()
    qtbot.waitUntil(lambda: room.snapshot()[1].presentations != [], timeout=10_000)
    shown = room.snapshot()[1].presentations[0]
    assert (shown.document_id, shown.presenter_id) == (doc.document_id, speaker.id)
    qtbot.waitUntil(lambda: opened.presenter_button.text() == "Stop presenting", timeout=10_000)
    opened.next_button.click()  # the speaker turns the page: the hall follows
    qtbot.waitUntil(lambda: room.snapshot()[1].presentations[0].page == 2, timeout=10_000)
    opened.presenter_button.click()  # Stop presenting
    qtbot.waitUntil(lambda: room.snapshot()[1].presentations == [], timeout=10_000)
    qtbot.waitUntil(lambda: opened.presenter_button.text() == "Present to the hall")
    reader.shutdown()
