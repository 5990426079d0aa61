"""The delegate's ballot against the real room server on loopback: check in from the tablet, the
ballot on screen as the poll opens, choose, confirm, cast, receipt; the result and the check of
the published list after close; why an absent delegate cannot vote; proxies cast in one action
with a split; a vote whose answer was lost sent again unchanged and counted once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app import protocol as p
from app import voting
from app.enroll import enroll
from app.profile import Unlocked
from server.cli import main as server_cli
from tests.conftest import TEST_SCRYPT_COST, ServerThread
from tests.ui.test_live_end_to_end import PIN, open_window
from ui.bridge import NetworkThread
from ui.delegate.ballot import BallotScreen, ChoiceRow
from ui.delegate.window import DelegateWindow
from ui.i18n import Translations

WAIT = 10_000


def tablet(live: ServerThread, tmp_path: Path, number: str) -> Unlocked:
    code = live.code("delegate", number)
    return asyncio.run(enroll(tmp_path / number, code, PIN, "Tablet", cost=TEST_SCRYPT_COST))


def open_meeting(live: ServerThread) -> int:
    """The sample meeting, opened and on every screen (its first item current)."""
    _seq, state = live.room.snapshot()
    meeting = state.meetings[0]
    first = min((i for i in state.agenda if i.parent_id is None), key=lambda i: i.position)
    assert (
        server_cli(["agenda", "current", str(live.datadir.root), str(meeting.id), str(first.id)])
        == 0
    )
    return meeting.id


def poll_cli(live: ServerThread, *args: str) -> None:
    assert server_cli(["poll", args[0], str(live.datadir.root), *args[1:]]) == 0


def newest_poll(live: ServerThread) -> int:
    _seq, state = live.room.snapshot()
    return max(q.id for q in state.polls)


def click_choice(qtbot: QtBot, row: ChoiceRow, label: str) -> None:
    buttons = [b for b in row.findChildren(QPushButton) if b.text() == label]
    assert buttons, f"no button {label!r} in {row.heading.text()}"
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)


def cast_through_screen(qtbot: QtBot, ballot: BallotScreen) -> None:
    qtbot.waitUntil(ballot.review_button.isEnabled, timeout=WAIT)
    qtbot.mouseClick(ballot.review_button, Qt.MouseButton.LeftButton)
    assert ballot.pages.currentIndex() == ballot.CONFIRM
    qtbot.mouseClick(ballot.cast_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ballot.pages.currentIndex() == ballot.DONE, timeout=WAIT)


def online(qtbot: QtBot, window: DelegateWindow) -> None:
    qtbot.waitUntil(lambda: window.status_indicator.status() == "online", timeout=WAIT)


def test_check_in_then_the_ballot_opens_itself_and_a_secret_vote_is_cast_and_checked(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> None:
    window, bridge = open_window(qtbot, network, tablet(live, tmp_path, "0001"))
    online(qtbot, window)
    meeting = open_meeting(live)
    qtbot.waitUntil(window.check_in_bar.isVisible, timeout=WAIT)
    poll_cli(live, "add", str(meeting), "Thông qua chương trình", "--secret")
    poll = newest_poll(live)
    poll_cli(live, "open", str(poll))
    # not checked in: the ballot does not open by itself; the bar says a vote runs
    qtbot.waitUntil(window.vote_bar.isVisible, timeout=WAIT)
    assert not window.is_ballot_shown()
    qtbot.mouseClick(window.vote_bar, Qt.MouseButton.LeftButton)
    ballot = window.ballot
    assert ballot.pages.currentIndex() == ballot.INELIGIBLE
    assert "not checked in" in ballot.status_text()
    qtbot.mouseClick(ballot.check_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ballot.pages.currentIndex() == ballot.CHOOSE, timeout=WAIT)
    assert not window.check_in_bar.isVisible()
    (row,) = ballot.rows
    assert not ballot.review_button.isEnabled()  # nothing chosen yet
    click_choice(qtbot, row, "No")
    click_choice(qtbot, row, "Yes")  # changed their mind before confirming
    cast_through_screen(qtbot, ballot)
    assert "recorded" in ballot.status_text()
    cast = bridge.cast_of(poll)
    assert cast is not None and cast.recorded
    assert [v.marks for v in cast.votes] == [p.Marks(answer="yes")]
    qtbot.waitUntil(lambda: "You voted" in window.vote_bar.text(), timeout=WAIT)
    # the room holds it once, as cast, and the list after close says so
    poll_cli(live, "close", str(poll))
    qtbot.waitUntil(lambda: ballot.pages.currentIndex() == ballot.RESULT, timeout=WAIT)
    assert ballot.status_text() == "Adopted"
    qtbot.waitUntil(lambda: "as you cast it" in ballot.check_text(), timeout=WAIT)
    assert "RESULT" in window.vote_bar.text()


def test_a_named_vote_with_proxies_is_one_action_split_and_lists_who_voted_what(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> None:
    window, _bridge = open_window(qtbot, network, tablet(live, tmp_path, "0001"))
    online(qtbot, window)
    meeting = open_meeting(live)
    ids = {d.number: d.id for d in live.room.delegates()}
    live.room.ask(
        p.AttendanceSet(id=0, meeting_id=meeting, delegate_ids=[ids["0001"]], status="present")
    )
    for giver in ("0002", "0003"):
        live.room.ask(
            p.ProxySet(id=0, meeting_id=meeting, giver_id=ids[giver], holder_id=ids["0001"])
        )
    poll_cli(live, "add", str(meeting), "Nghị quyết Đại hội")
    poll = newest_poll(live)
    poll_cli(live, "open", str(poll))
    qtbot.waitUntil(window.is_ballot_shown, timeout=WAIT)  # opened by itself: may vote
    ballot = window.ballot
    qtbot.waitUntil(lambda: len(ballot.rows) == 3, timeout=WAIT)
    own, first, second = ballot.rows
    assert own.seat.own and "0002" in first.heading.text() and "0003" in second.heading.text()
    click_choice(qtbot, own, "Yes")
    qtbot.mouseClick(ballot.same_button, Qt.MouseButton.LeftButton)
    click_choice(qtbot, second, "No")  # the split: one proxy says otherwise
    cast_through_screen(qtbot, ballot)
    poll_cli(live, "close", str(poll))
    qtbot.waitUntil(lambda: ballot.pages.currentIndex() == ballot.RESULT, timeout=WAIT)
    result = window.model().polls[poll].result
    assert result is not None and result.totals[0].yes == 2 and result.totals[0].no == 1
    assert "Votes cast 3" in ballot.result_text()
    qtbot.waitUntil(lambda: "Who voted what" in ballot.named_list.text(), timeout=WAIT)
    assert ballot.named_list.text().count("<br>") >= 3  # heading and three voters
    assert "as you cast it" in ballot.check_text()


def test_a_vote_whose_answer_was_lost_is_sent_again_with_its_receipts_and_counted_once(
    qtbot: QtBot,
    network: NetworkThread,
    live: ServerThread,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, bridge = open_window(qtbot, network, tablet(live, tmp_path, "0001"))
    online(qtbot, window)
    meeting = open_meeting(live)
    qtbot.waitUntil(window.check_in_bar.isVisible, timeout=WAIT)
    qtbot.mouseClick(window.check_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.check_in_bar.isVisible(), timeout=WAIT)
    poll_cli(live, "add", str(meeting), "Bầu Chủ tịch", "--secret")
    poll = newest_poll(live)
    poll_cli(live, "open", str(poll))
    qtbot.waitUntil(window.is_ballot_shown, timeout=WAIT)
    ballot = window.ballot
    real_send = voting.send

    async def lost_answer(book: voting.BallotBook, request: object, cast: voting.Cast) -> None:
        """The vote reaches the room; its answer never comes back."""
        try:
            await real_send(book, request, cast)  # type: ignore[arg-type]
        finally:
            book.put(voting.Cast(poll_id=cast.poll_id, votes=cast.votes, at=cast.at))
        raise TimeoutError

    monkeypatch.setattr(voting, "send", lost_answer)
    qtbot.waitUntil(lambda: len(ballot.rows) == 1, timeout=WAIT)
    click_choice(qtbot, ballot.rows[0], "No")
    cast_through_screen(qtbot, ballot)
    assert "may not have reached" in ballot.status_text()
    assert ballot.error_text()
    first = bridge.cast_of(poll)
    assert first is not None and not first.recorded
    monkeypatch.setattr(voting, "send", real_send)
    qtbot.mouseClick(ballot.again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "recorded" in ballot.status_text(), timeout=WAIT)
    again = bridge.cast_of(poll)
    assert again is not None and again.recorded and again.votes == first.votes  # same receipts
    poll_cli(live, "close", str(poll))
    qtbot.waitUntil(lambda: ballot.pages.currentIndex() == ballot.RESULT, timeout=WAIT)
    result = window.model().polls[poll].result
    assert result is not None and result.cast == 1 and result.outcome == "rejected"


def test_a_delegate_without_a_voting_right_sees_why(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> None:
    unlocked = tablet(live, tmp_path, "0001")
    assert unlocked.identity.delegate is not None
    mute = unlocked.identity.delegate.__class__(
        **{**_fields(unlocked.identity.delegate), "voting_right": False}
    )
    model, _resume, _sync = unlocked.load_stored()
    view = model.snapshot()
    poll = p.Poll(id=1, meeting_id=1, title="Nghị quyết", spec=p.PollSpec(), status="open")
    ballot = voting.ballot_for(view, mute, poll)
    assert not ballot.may_vote and ballot.reason is voting.Ineligible.NO_VOTING_RIGHT
    window, _bridge = open_window(qtbot, network, unlocked)
    online(qtbot, window)
    window.ballot.show_ballot(ballot, meeting_open=True)
    assert "no voting right" in window.ballot.status_text()
    assert not window.ballot.check_in_button.isVisible()


def _fields(obj: object) -> dict[str, object]:
    return {f: getattr(obj, f) for f in obj.__struct_fields__}  # type: ignore[attr-defined]


def test_the_ballot_in_vietnamese_from_check_in_to_the_result(
    qtbot: QtBot,
    network: NetworkThread,
    live: ServerThread,
    tmp_path: Path,
    translations: Translations,
) -> None:
    assert translations.set_language("vi", remember=False)
    window, _bridge = open_window(qtbot, network, tablet(live, tmp_path, "0001"))
    online(qtbot, window)
    meeting = open_meeting(live)
    qtbot.waitUntil(window.check_in_bar.isVisible, timeout=WAIT)
    assert window.check_in_button.text() == "Điểm danh"
    qtbot.mouseClick(window.check_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.check_in_bar.isVisible(), timeout=WAIT)
    poll_cli(live, "add", str(meeting), "Thông qua chương trình")
    poll = newest_poll(live)
    poll_cli(live, "open", str(poll))
    qtbot.waitUntil(window.is_ballot_shown, timeout=WAIT)
    ballot = window.ballot
    assert ballot.review_button.text() == "Xem lại phiếu"
    qtbot.waitUntil(lambda: len(ballot.rows) == 1, timeout=WAIT)
    click_choice(qtbot, ballot.rows[0], "Tán thành")
    cast_through_screen(qtbot, ballot)
    assert ballot.status_text() == "✓  Phiếu của bạn đã được ghi nhận"
    poll_cli(live, "close", str(poll))
    qtbot.waitUntil(lambda: ballot.pages.currentIndex() == ballot.RESULT, timeout=WAIT)
    assert ballot.status_text() == "Được thông qua"
    qtbot.waitUntil(lambda: "đúng như bạn đã bỏ" in ballot.check_text(), timeout=WAIT)
    assert window.vote_bar.text().startswith("KẾT QUẢ")


def test_one_poll_after_another_each_is_cast_from_the_screen(
    qtbot: QtBot, network: NetworkThread, live: ServerThread, tmp_path: Path
) -> None:
    window, bridge = open_window(qtbot, network, tablet(live, tmp_path, "0001"))
    online(qtbot, window)
    meeting = open_meeting(live)
    qtbot.waitUntil(window.check_in_bar.isVisible, timeout=WAIT)
    qtbot.mouseClick(window.check_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.check_in_bar.isVisible(), timeout=WAIT)
    ballot = window.ballot
    for title, answer in (("Thông qua chương trình", "Yes"), ("Thông qua quy chế", "No")):
        poll_cli(live, "add", str(meeting), title)
        poll = newest_poll(live)
        poll_cli(live, "open", str(poll))
        qtbot.waitUntil(lambda poll=poll: ballot.poll is not None and ballot.poll.id == poll)
        qtbot.waitUntil(window.is_ballot_shown, timeout=WAIT)
        qtbot.waitUntil(lambda: ballot.pages.currentIndex() == ballot.CHOOSE, timeout=WAIT)
        click_choice(qtbot, ballot.rows[0], answer)
        cast_through_screen(qtbot, ballot)
        cast = bridge.cast_of(poll)
        assert cast is not None and cast.recorded
        poll_cli(live, "close", str(poll))
        qtbot.waitUntil(lambda: ballot.pages.currentIndex() == ballot.RESULT, timeout=WAIT)
        window.close_ballot()
