"""A delegate reads the meeting's documents in the delegate window, against the real room
server on loopback: the document arrives in the background, opens from its agenda item with
the delegate's name on every page, follows a revision and a withdrawal while it is read, and
opens again with the room gone and the app restarted."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psutil
import pytest
from pytestqt.qtbot import QtBot

from app.enroll import enroll
from app.profile import Profile
from server.cli import main as server_cli
from tests.app.test_render_worker import vietnamese_pdf
from tests.conftest import TEST_SCRYPT_COST, ServerThread
from tests.server.test_document_sync import count_fetches
from tests.ui.test_live_end_to_end import PIN, open_window
from ui import reader
from ui.bridge import NetworkThread
from ui.delegate.window import DelegateWindow


def _renderers() -> set[int]:
    return {
        child.pid
        for child in psutil.Process().children()
        if "app.render_worker" in " ".join(child.cmdline())
        and child.status() != psutil.STATUS_ZOMBIE
    }


def _open_from_agenda(qtbot: QtBot, window: DelegateWindow, item_id: int) -> None:
    window.agenda_view.select_item(item_id)
    documents = window.detail.documents
    qtbot.waitUntil(lambda: bool(documents.documents()), timeout=10_000)
    qtbot.waitUntil(
        lambda: documents.state_of(documents.documents()[0])[0] == "ready", timeout=20_000
    )
    documents.rows()[0].click()
    qtbot.waitUntil(lambda: window.reader is not None, timeout=10_000)
    assert window.reader is not None
    qtbot.waitUntil(window.reader.view.is_sharp, timeout=20_000)


def test_a_delegate_reads_a_document_that_is_revised_then_withdrawn_while_open(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> None:
    _seq, state = live.room.snapshot()
    item = state.agenda[1]
    live.room.set_current(state.meetings[0].id, item.id)
    code = live.code("delegate", "0001")
    unlocked = asyncio.run(enroll(tmp_path / "tablet", code, PIN, "Tablet", cost=TEST_SCRYPT_COST))
    delegate = unlocked.identity.delegate
    assert delegate is not None
    before = _renderers()
    done = live.room.publish(vietnamese_pdf(6), item_id=item.id, title="Dự thảo Nghị quyết")
    window, _bridge = open_window(qtbot, network, unlocked)
    qtbot.waitUntil(lambda: window.status_indicator.status() == "online", timeout=10_000)
    # The app warms a render process as soon as it holds a key: the first page waits for none.
    qtbot.waitUntil(lambda: len(_renderers() - before) == 1, timeout=20_000)

    _open_from_agenda(qtbot, window, item.id)
    opened = window.reader
    assert opened is not None
    assert window.screens.currentWidget() is opened
    assert opened._watermark == f"{delegate.full_name} · {delegate.number}"
    opened.view.set_page(3)
    qtbot.waitUntil(lambda: opened.current_page() == 3)

    revised = tmp_path / "Dự thảo Nghị quyết (sửa đổi).pdf"
    revised.write_bytes(vietnamese_pdf(6, changed="Sửa đổi lần 2"))
    root = str(live.datadir.root)
    assert server_cli(["doc", "replace", root, str(done.document_id), str(revised)]) == 0
    qtbot.waitUntil(lambda: "revised" in opened.banner_text(), timeout=20_000)
    assert opened.current_page() == 3  # the delegate stays where they were reading
    assert "1" in opened.banner_text()  # page 1 carries the change

    assert server_cli(["doc", "withdraw", root, str(done.document_id)]) == 0
    qtbot.waitUntil(lambda: "withdrawn" in opened.message_text(), timeout=10_000)
    assert opened.client.pid() is None  # nothing of it stays in memory
    opened.message_close.click()
    qtbot.waitUntil(lambda: window.reader is None)
    assert window.screens.currentIndex() == 0
    documents = window.detail.documents
    assert documents.state_of(documents.documents()[0])[0] == "withdrawn"
    reader.shutdown()


def test_a_document_opens_on_the_page_last_read_with_the_room_gone_after_a_restart(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> None:
    _seq, state = live.room.snapshot()
    item = state.agenda[0]
    live.room.set_current(state.meetings[0].id, item.id)
    home = tmp_path / "tablet"
    unlocked = asyncio.run(
        enroll(home, live.code("delegate", "0002"), PIN, "Tablet", cost=TEST_SCRYPT_COST)
    )
    live.room.publish(vietnamese_pdf(5), item_id=item.id)
    window, bridge = open_window(qtbot, network, unlocked)
    _open_from_agenda(qtbot, window, item.id)
    assert window.reader is not None
    window.reader.view.set_page(4)
    qtbot.waitUntil(lambda: bridge.reading(window.detail.documents.documents()[0].id).page == 4)
    window.reader.close_document()
    bridge.stop()
    window.close()
    live.stop()  # the Wi-Fi is gone for good

    again, _ = open_window(qtbot, network, Profile(home).unlock(PIN))
    assert again.status_indicator.status() != "online"
    _open_from_agenda(qtbot, again, item.id)
    assert again.reader is not None and again.reader.current_page() == 4
    again.reader.close_document()
    reader.shutdown()


def test_documents_imported_from_a_file_need_only_their_keys_from_the_room(
    qtbot: QtBot,
    network: NetworkThread,
    live: ServerThread,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _seq, state = live.room.snapshot()
    meeting, item = state.meetings[0], state.agenda[0]
    live.room.set_current(meeting.id, item.id)
    home = tmp_path / "tablet"
    unlocked = asyncio.run(
        enroll(home, live.code("delegate", "0003"), PIN, "Tablet", cost=TEST_SCRYPT_COST)
    )
    port = live.port
    live.stop()  # the hall's Wi-Fi is not up yet; the documents come on a USB stick
    done = live.room.publish(vietnamese_pdf(4), item_id=item.id, title="Chương trình")
    stick = tmp_path / "usb" / "phien-khai-mac.hcb"
    stick.parent.mkdir()
    root = str(live.datadir.root)
    assert server_cli(["doc", "bundle", root, str(meeting.id), str(stick)]) == 0
    fetched = count_fetches(monkeypatch)
    window, bridge = open_window(qtbot, network, unlocked)
    window.import_bundle_file(tmp_path / "usb" / "missing.hcb")
    qtbot.waitUntil(lambda: "missing.hcb could not be read" in window.notice_text())
    assert window.notice.property("kind") == "trouble"
    window.import_bundle_file(stick)
    # "1 document of", or "1 document(s) of" where no English plural catalogue is loaded
    qtbot.waitUntil(lambda: "1 document" in window.notice_text(), timeout=10_000)
    assert "phien-khai-mac.hcb" in window.notice_text()
    assert window.notice.property("kind") == "done"  # said in blue, not as a failure

    live.start(port)  # the room is reachable: the state and the key arrive, no content
    _open_from_agenda(qtbot, window, item.id)
    assert bridge.documents.ready(done.document_id)
    assert fetched == []
    assert window.reader is not None
    window.reader.close_document()
    reader.shutdown()
