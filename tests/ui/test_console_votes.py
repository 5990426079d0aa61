"""The console's attendance and votes against the real room server on loopback: attendance set
by hand and checked in from a delegate's own device reaching the counts, a proxy given, a poll
prepared from a template, opened, watched as real delegates vote, closed and its result drawn
and checked; a runoff from a tie in one click; a vote recorded by the secretariat; and the
poll form's own refusals (tally's sentences, a templates file that cannot be read)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from app import console_votes as cv
from app import protocol as p
from tests.conftest import ServerThread
from tests.server.test_server import Recorder, enrolled, until
from tests.ui.support import answer_next_dialog
from ui.bridge import NetworkThread
from ui.console.attendance_panel import (
    ABSENT,
    ALL,
    EXCUSED,
    PRESENT,
    AttendanceModel,
    AttendancePanel,
    ProxyDialog,
)
from ui.console.manual_vote import ManualVoteDialog
from ui.console.paper_count import PaperCountDialog
from ui.console.poll_dialog import PollDialog
from ui.console.polls_panel import PollsPanel
from ui.console.window import ConsoleWindow
from ui.i18n import Translations

T = TypeVar("T")


@pytest.fixture
def database() -> None:
    """These are screens, not storage: the room's own SQLite file is enough (the server tests
    run every engine)."""
    return None


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale("en"))
    yield
    QLocale.setDefault(before)


class Hall:
    """Delegates' devices: real clients on an asyncio loop of their own, driven from the test."""

    def __init__(self, server: ServerThread, tmp_path: Path) -> None:
        self.server = server
        self.tmp_path = tmp_path
        self.thread = NetworkThread("hall")
        self.thread.start()
        self.devices: dict[str, Recorder] = {}

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return self.thread.submit(coro).result(timeout)

    def device(self, number: str) -> Recorder:
        async def start() -> Recorder:
            home = self.tmp_path / f"tablet-{number}"
            return await Recorder(await enrolled(self.server, home, number=number)).start()

        self.devices[number] = self.run(start())
        return self.devices[number]

    def check_in(self, number: str, meeting_id: int) -> None:
        client = self.devices[number].client
        self.run(client.request(p.AttendanceCheckIn(id=0, meeting_id=meeting_id)))

    def vote(self, number: str, poll_id: int, marks: p.Marks) -> None:
        recorder = self.devices[number]
        delegate = recorder.client.identity.delegate
        assert delegate is not None

        async def cast() -> None:
            await until(lambda: poll_id in recorder.client.model.polls)
            await until(lambda: recorder.client.model.polls[poll_id].status == "open")
            vote = p.Vote(delegate_id=delegate.id, receipt=os.urandom(p.RECEIPT_BYTES), marks=marks)
            await recorder.client.request(p.BallotCast(id=0, poll_id=poll_id, votes=[vote]))

        self.run(cast())

    def stop(self) -> None:
        for recorder in self.devices.values():
            self.run(recorder.stop())
        self.thread.stop()


@pytest.fixture
def hall(live: ServerThread, tmp_path: Path) -> Iterator[Hall]:
    h = Hall(live, tmp_path)
    yield h
    h.stop()


def _ids(live: ServerThread) -> dict[str, int]:
    return {d.number: d.id for d in live.room.delegates()}


def _numbers(panel: AttendancePanel) -> list[str]:
    shown = panel.table.model()
    return [shown.index(r, AttendanceModel.NUMBER).data() for r in range(shown.rowCount())]


def _meeting_id(window: ConsoleWindow) -> int:
    meeting = window.attendance_panel.meeting()
    assert meeting is not None
    return meeting.id


def _delegation_row(panel: AttendancePanel, name: str) -> str:
    model = panel.delegation_table.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == name:
            return str(model.index(row, 1).data())
    raise KeyError(name)


# --------------------------------------------------------------------------- attendance


def test_attendance_set_by_hand_and_from_a_device_reaches_the_counts(
    qtbot: QtBot, console: ConsoleWindow, hall: Hall, live: ServerThread
) -> None:
    panel = console.attendance_panel
    console.tabs.setCurrentWidget(panel)
    assert "Present 0 of 40" in panel.summary_label.text()
    assert not panel.check_in_button.isEnabled()  # nothing selected
    ids = _ids(live)
    panel.select_delegates([ids["0001"], ids["0002"], ids["0003"], ids["0037"]])
    assert panel.check_in_button.isEnabled()
    panel.check_in_button.click()
    qtbot.waitUntil(lambda: "Present 4 of 40" in panel.summary_label.text(), timeout=10_000)
    # 0037 is a guest, without a voting right: present, but not a member for the quorum
    assert panel.quorum_label.text() == "Members with a vote: 3 present + 0 by proxy = 3 of 36"
    assert _delegation_row(panel, "Đoàn Hà Nội") == "3 of 5"
    assert _delegation_row(panel, "Khách mời") == "1 of 3"
    standing = panel.standing(ids["0001"])
    assert standing is not None and standing.status == "present" and standing.manual

    panel.select_delegates([ids["0004"]])
    panel.excused_button.click()
    qtbot.waitUntil(lambda: "excused 1" in panel.summary_label.text(), timeout=10_000)
    panel.select_delegates([ids["0003"]])
    panel.check_out_button.click()
    qtbot.waitUntil(lambda: "absent 1" in panel.summary_label.text(), timeout=10_000)
    assert _delegation_row(panel, "Đoàn Hà Nội") == "2 of 5"

    # a delegate checks in from their own tablet: live, and not "by hand"
    hall.device("0005")
    hall.check_in("0005", _meeting_id(console))
    qtbot.waitUntil(lambda: _delegation_row(panel, "Đoàn Hà Nội") == "3 of 5", timeout=10_000)
    own = panel.standing(ids["0005"])
    assert own is not None and own.status == "present" and not own.manual
    assert panel.filter_buttons[PRESENT].text() == "Present (4)"
    assert panel.filter_buttons[EXCUSED].text() == "Excused (1)"
    assert panel.filter_buttons[ABSENT].text() == "Absent (1)"

    panel.set_filter(PRESENT)
    assert _numbers(panel) == ["0001", "0002", "0005", "0037"]
    row = _numbers(panel).index("0001")
    assert panel.table.model().index(row, AttendanceModel.STATUS).data() == "Present · by hand"
    assert panel.table.model().index(1 + row + 1, AttendanceModel.STATUS).data() == "Present"

    # the search: no case, no diacritics; by delegation too
    panel.set_filter(ALL)
    panel.search_edit.setText("le quoc hung")
    assert _numbers(panel) == ["0003"]
    panel.search_edit.setText("khach moi")
    assert _numbers(panel) == ["0037", "0038", "0039"]
    panel.search_edit.setText("zzz")
    assert panel.list_stack.currentWidget() is panel.empty_label
    panel.search_edit.clear()
    # a delegation picked on the left narrows the list and the counts
    table = panel.delegation_table
    names = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
    table.selectRow(names.index("Đoàn Hà Nội"))
    assert _numbers(panel) == ["0001", "0002", "0003", "0004", "0005"]
    assert panel.filter_buttons[PRESENT].text() == "Present (3)"


def test_a_proxy_is_given_through_the_panel_and_withdrawn(
    qtbot: QtBot, console: ConsoleWindow, live: ServerThread
) -> None:
    panel = console.attendance_panel
    console.tabs.setCurrentWidget(panel)
    ids = _ids(live)
    panel.select_delegates([ids["0002"]])
    panel.check_in_button.click()
    qtbot.waitUntil(lambda: "Present 1 of 40" in panel.summary_label.text(), timeout=10_000)

    panel.select_delegates([ids["0012"]])
    assert panel.proxy_button.isEnabled() and not panel.withdraw_proxy_button.isEnabled()

    def pick(dialog: QDialog) -> None:
        assert isinstance(dialog, ProxyDialog)
        assert ids["0012"] not in dialog.picker.ids()  # not their own holder
        qtbot.keyClicks(dialog.picker.search_edit, "tran van duc")
        assert dialog.holder_id() == ids["0002"]  # the one match is chosen
        dialog.ok_button.click()

    answer_next_dialog(pick)
    panel.give_proxy()
    qtbot.waitUntil(lambda: panel.standing(ids["0012"]).gives_to == ids["0002"], timeout=10_000)  # type: ignore[union-attr]
    assert panel.standing(ids["0002"]).holds == (ids["0012"],)  # type: ignore[union-attr]
    shown = panel.table.model()
    rows = _numbers(panel)
    assert shown.index(rows.index("0012"), AttendanceModel.PROXY).data() == (
        "Proxy to 0002 Trần Văn Đức"
    )
    assert shown.index(rows.index("0002"), AttendanceModel.PROXY).data() == (
        "Holds proxy of 0012 Dương Văn Lợi"
    )
    # represented: absent, but their vote is carried by someone present
    assert panel.quorum_label.text() == "Members with a vote: 1 present + 1 by proxy = 2 of 36"
    # a holder cannot give their own proxy, and the panel says why
    panel.select_delegates([ids["0002"]])
    assert not panel.proxy_button.isEnabled()
    assert "holds proxies" in panel.selection_label.text()

    panel.select_delegates([ids["0012"]])
    assert panel.withdraw_proxy_button.isEnabled()
    panel.withdraw_proxy_button.click()
    qtbot.waitUntil(lambda: panel.standing(ids["0012"]).gives_to is None, timeout=10_000)  # type: ignore[union-attr]
    assert "+ 0 by proxy" in panel.quorum_label.text()


# --------------------------------------------------------------------------- polls


def _new_poll(qtbot: QtBot, panel: PollsPanel, fill: Callable[[PollDialog], None]) -> int:
    """Prepare a poll through the dialog; returns its id once the room has it."""
    before = {q.id for q in panel.polls()}

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, PollDialog)
        fill(dialog)
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.problems()

    answer_next_dialog(answer)
    panel.new_button.click()
    qtbot.waitUntil(lambda: {q.id for q in panel.polls()} - before != set(), timeout=10_000)
    (poll_id,) = {q.id for q in panel.polls()} - before
    qtbot.waitUntil(
        lambda: panel.selected_poll() is not None and panel.selected_poll().id == poll_id
    )  # type: ignore[union-attr]
    return poll_id


def _check_in_everyone(qtbot: QtBot, console: ConsoleWindow) -> None:
    attendance = console.attendance_panel
    attendance.table.selectAll()
    attendance.check_in_button.click()
    qtbot.waitUntil(lambda: "Present 40 of 40" in attendance.summary_label.text(), timeout=10_000)


def test_a_poll_from_a_template_opened_watched_closed_and_its_result_shown(
    qtbot: QtBot, console: ConsoleWindow, hall: Hall, live: ServerThread
) -> None:
    for number in ("0001", "0002", "0003"):
        hall.device(number)
    _check_in_everyone(qtbot, console)
    panel = console.polls_panel
    console.tabs.setCurrentWidget(panel)
    _seq, state = live.room.snapshot()
    current = state.agenda[0]

    def fill(dialog: PollDialog) -> None:
        assert dialog.template_names()[1:4] == [
            "Approve the agenda",
            "Adopt the resolution",
            "Elect the committee",
        ]
        assert dialog.item_combo.currentData() == current.id  # the item being discussed
        dialog.choose_template("Adopt the resolution")
        dialog.title_edit.setText("Thông qua Nghị quyết Đại hội")

    poll_id = _new_poll(qtbot, panel, fill)
    poll = panel.selected_poll()
    assert poll is not None and poll.status == "draft" and poll.item_id == current.id
    assert poll.spec.kind == "motion" and not poll.spec.secret
    assert poll.spec.majority == p.Majority(rule="absolute", basis="present")
    assert "more than half of the members present" in panel.rules_label.text()
    assert not panel.close_button.isEnabled()

    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "open", timeout=10_000)  # type: ignore[union-attr]
    assert panel.turnout_label.text() == "Voted 0 of 36 eligible"  # guests have no vote
    assert panel.waiting_heading.text() == "Not voted yet: 36"
    for n, (number, answer) in enumerate((("0001", "yes"), ("0002", "yes"), ("0003", "no"))):
        hall.vote(number, poll_id, p.Marks(answer=answer))  # type: ignore[arg-type]
        qtbot.waitUntil(
            lambda n=n: panel.turnout_label.text() == f"Voted {n + 1} of 36 eligible",
            timeout=10_000,
        )
    assert panel.waiting_heading.text() == "Not voted yet: 33"
    assert not any(line.startswith("0001 ") for line in panel.waiting.stringList())

    def keep(dialog: QDialog) -> None:  # closing is asked first; the safe answer keeps it
        dialog.reject()

    asked = answer_next_dialog(keep)
    panel.close_button.click()
    assert asked and panel.selected_poll().status == "open"  # type: ignore[union-attr]
    answer_next_dialog(lambda dialog: dialog.accept())
    panel.close_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "closed", timeout=10_000)  # type: ignore[union-attr]
    closed = panel.selected_poll()
    assert closed is not None and closed.result is not None
    # 2 yes of the 36 members present: not more than half of them
    assert panel.outcome_label.text() == "Rejected"
    assert panel.outcome_label.isVisibleTo(panel)
    assert [(b.label, b.total) for b in panel.chart.bars()] == [
        ("Yes", 2),
        ("No", 1),
        ("Abstain", 0),
    ]
    assert panel.chart.needed() == closed.result.needed == 19  # more than half of 36
    figures = {
        panel.figures.itemAtPosition(0, c).widget().text(): panel.figures.itemAtPosition(1, c)  # type: ignore[union-attr]
        .widget()
        .text()
        for c in range(panel.figures.columnCount())
        if panel.figures.itemAtPosition(0, c) is not None
    }
    assert figures["Votes cast"] == "3" and figures["Present or represented"] == "36"
    assert figures["Votes needed"] == "19"
    assert panel.signature_label.property("holds") is True
    assert "checks out" in panel.signature_label.text()
    qtbot.waitUntil(lambda: panel.published(poll_id) is not None, timeout=10_000)
    published = panel.published(poll_id)
    assert published is not None and published.matches
    assert "is the one the room signed" in panel.list_label.text()
    votes = [
        (voter.number, panel.ballots.vote_text(r))
        for r, (voter, _v) in enumerate(panel.ballots.rows())
    ]
    assert votes == [("0001", "Yes"), ("0002", "Yes"), ("0003", "No")]
    assert not panel.runoff_button.isVisibleTo(panel)  # nothing tied


def test_a_secret_poll_shows_counts_only_while_open(
    qtbot: QtBot, console: ConsoleWindow, hall: Hall
) -> None:
    hall.device("0001")
    _check_in_everyone(qtbot, console)
    panel = console.polls_panel
    console.tabs.setCurrentWidget(panel)

    def fill(dialog: PollDialog) -> None:
        dialog.choose_template("Approve the agenda")
        dialog.secret_radio.setChecked(True)
        dialog.timed_box.setChecked(True)
        dialog.minutes_spin.setValue(5)
        dialog.title_edit.setText("Thông qua chương trình")

    poll_id = _new_poll(qtbot, panel, fill)
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "open", timeout=10_000)  # type: ignore[union-attr]
    assert panel.countdown_label.text().startswith("Closes in 4:") or (
        panel.countdown_label.text() == "Closes in 5:00"
    )
    hall.vote("0001", poll_id, p.Marks(answer="yes"))
    qtbot.waitUntil(lambda: panel.turnout_label.text() == "Voted 1 of 36 eligible", timeout=10_000)
    assert panel.secret_label.isVisibleTo(panel)
    assert not panel.waiting_list.isVisibleTo(panel) and not panel.manual_button.isVisibleTo(panel)
    assert not panel.closed_box.isVisibleTo(panel)


def test_a_tie_becomes_a_runoff_between_the_tied_in_one_click(
    qtbot: QtBot, console: ConsoleWindow, hall: Hall
) -> None:
    for number in ("0001", "0002", "0003"):
        hall.device(number)
    _check_in_everyone(qtbot, console)
    panel = console.polls_panel
    console.tabs.setCurrentWidget(panel)

    def fill(dialog: PollDialog) -> None:
        dialog.title_edit.setText("Bầu Trưởng ban")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("single"))
        for name in ("Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lê Quốc Hưng"):
            dialog.options.new_edit.setText(name)
            dialog.options.add_button.click()
        dialog.weighted_box.setChecked(True)

    poll_id = _new_poll(qtbot, panel, fill)
    poll = panel.selected_poll()
    assert poll is not None and [o.label for o in poll.spec.options][1] == "Trần Văn Đức"
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "open", timeout=10_000)  # type: ignore[union-attr]
    hall.vote("0001", poll_id, p.Marks(chosen=[1]))
    hall.vote("0002", poll_id, p.Marks(chosen=[2]))
    hall.vote("0003", poll_id, p.Marks(answer="abstain"))
    qtbot.waitUntil(lambda: panel.turnout().voted == 3, timeout=10_000)
    answer_next_dialog(lambda dialog: dialog.accept())
    panel.close_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "closed", timeout=10_000)  # type: ignore[union-attr]
    assert panel.outcome_label.text() == "Tie between Nguyễn Thị Hồng Nhung, Trần Văn Đức"
    marks = [b.mark for b in panel.chart.bars()]
    assert marks == ["tied", "tied", "", ""]  # the third candidate, and the abstentions
    assert panel.runoff_button.isVisibleTo(panel)

    before = {q.id for q in panel.polls()}
    panel.runoff_button.click()  # no form, no question
    qtbot.waitUntil(lambda: len(panel.polls()) == len(before) + 1, timeout=10_000)
    runoff = next(q for q in panel.polls() if q.id not in before)
    assert runoff.title == "Bầu Trưởng ban — runoff" and runoff.status == "draft"
    assert [o.label for o in runoff.spec.options] == ["Nguyễn Thị Hồng Nhung", "Trần Văn Đức"]
    assert runoff.spec.kind == "single" and runoff.spec.weighted and runoff.item_id == poll.item_id
    qtbot.waitUntil(lambda: panel.selected_poll().id == runoff.id)  # type: ignore[union-attr]


def test_a_vote_recorded_by_the_secretariat_for_a_delegate_whose_device_failed(
    qtbot: QtBot, console: ConsoleWindow, hall: Hall, live: ServerThread
) -> None:
    _check_in_everyone(qtbot, console)
    panel = console.polls_panel
    console.tabs.setCurrentWidget(panel)
    ids = _ids(live)

    def fill(dialog: PollDialog) -> None:
        dialog.choose_template("Approve the agenda")
        dialog.title_edit.setText("Thông qua chương trình")

    poll_id = _new_poll(qtbot, panel, fill)
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "open", timeout=10_000)  # type: ignore[union-attr]
    assert panel.manual_button.isVisibleTo(panel) and panel.manual_button.isEnabled()

    def vote(dialog: QDialog) -> None:
        assert isinstance(dialog, ManualVoteDialog)
        assert ids["0037"] not in dialog.picker.ids()  # a guest has no vote
        dialog.ok_button.click()
        assert dialog.error_label.text() == "Choose the delegate whose vote this is."
        qtbot.keyClicks(dialog.picker.search_edit, "0016")
        assert dialog.delegate() is not None and dialog.delegate().number == "0016"  # type: ignore[union-attr]
        dialog.ok_button.click()
        assert dialog.error_label.text() == "Tick their vote."
        dialog.editor.choose("no")
        answer_next_dialog(confirm_it)  # then the room is asked, after one more question
        dialog.ok_button.click()

    said: list[str] = []

    def confirm_it(dialog: QDialog) -> None:
        said.append(dialog.text_label.text())  # type: ignore[attr-defined]
        dialog.accept()

    answer_next_dialog(vote)
    panel.manual_button.click()
    assert said == [
        "Record “No” as the vote of 0016  Huỳnh Tấn Lộc · Đoàn Hải Phòng in “Thông qua chương trình”?"
    ]
    qtbot.waitUntil(lambda: panel.turnout().voted == 1, timeout=10_000)
    assert not any(line.startswith("0016 ") for line in panel.waiting.stringList())

    # already voted: not offered again; and a delegate whose tablet came back and voted while
    # the secretary was recording their vote is refused by the room, said in the panel
    hall.device("0017")

    def late(dialog: QDialog) -> None:
        assert isinstance(dialog, ManualVoteDialog)
        assert ids["0016"] not in dialog.picker.ids()
        assert dialog.picker.select(ids["0017"])
        dialog.editor.choose("yes")
        answer_next_dialog(meanwhile)
        dialog.ok_button.click()

    def meanwhile(dialog: QDialog) -> None:
        hall.vote("0017", poll_id, p.Marks(answer="no"))
        dialog.accept()

    answer_next_dialog(late)
    panel.manual_button.click()
    qtbot.waitUntil(panel.notice_label.isVisible, timeout=10_000)
    assert panel.notice_label.text() == (
        "A vote is already recorded for this delegate in this poll: this one was not counted."
    )
    assert console.message_is_error()
    assert panel.turnout().voted == 2

    answer_next_dialog(lambda dialog: dialog.accept())
    panel.close_button.click()
    qtbot.waitUntil(lambda: panel.published(poll_id) is not None, timeout=10_000)
    rows = panel.ballots.rows()
    assert [(voter.number, vote.manual) for voter, vote in rows] == [
        ("0016", True),
        ("0017", False),
    ]
    assert panel.ballots.index(0, panel.ballots.HOW).data() == "by the secretariat"


def test_who_voted_what_says_which_votes_a_proxy_holder_cast(
    qtbot: QtBot, console: ConsoleWindow, hall: Hall, live: ServerThread
) -> None:
    ids = _ids(live)
    holder = hall.device("0002")
    meeting = _meeting_id(console)
    hall.check_in("0002", meeting)
    console.requests.send(
        p.ProxySet(id=0, meeting_id=meeting, giver_id=ids["0012"], holder_id=ids["0002"]),
        lambda: "",
        receiver=console,
    )
    qtbot.waitUntil(
        lambda: console.attendance_panel.standing(ids["0012"]).gives_to == ids["0002"],  # type: ignore[union-attr]
        timeout=10_000,
    )
    panel = console.polls_panel
    console.tabs.setCurrentWidget(panel)

    def fill(dialog: PollDialog) -> None:
        dialog.choose_template("Approve the agenda")
        dialog.title_edit.setText("Thông qua chương trình")

    poll_id = _new_poll(qtbot, panel, fill)
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "open", timeout=10_000)  # type: ignore[union-attr]

    async def cast_both() -> None:
        await until(lambda: holder.client.model.polls.get(poll_id) is not None)
        await until(lambda: holder.client.model.polls[poll_id].status == "open")
        votes = [
            p.Vote(delegate_id=ids[n], receipt=os.urandom(p.RECEIPT_BYTES), marks=p.Marks(answer=a))
            for n, a in (("0002", "yes"), ("0012", "no"))
        ]
        await holder.client.request(p.BallotCast(id=0, poll_id=poll_id, votes=votes))

    hall.run(cast_both())
    qtbot.waitUntil(lambda: panel.turnout().voted == 2, timeout=10_000)
    answer_next_dialog(lambda dialog: dialog.accept())
    panel.close_button.click()
    qtbot.waitUntil(lambda: panel.published(poll_id) is not None, timeout=10_000)
    shown = [
        (voter.number, panel.ballots.how_text(row))
        for row, (voter, _vote) in enumerate(panel.ballots.rows())
    ]
    assert shown == [("0002", "own device"), ("0012", "by proxy: 0002")]


def test_paper_ballots_close_a_secret_poll_beside_the_devices_votes(
    qtbot: QtBot, console: ConsoleWindow, hall: Hall, translations: Translations
) -> None:
    assert translations.set_language("en", remember=False)  # English plurals ("1 vote")
    hall.device("0001")
    _check_in_everyone(qtbot, console)
    panel = console.polls_panel
    console.tabs.setCurrentWidget(panel)

    def fill(dialog: PollDialog) -> None:
        dialog.choose_template("Approve the agenda")
        dialog.secret_radio.setChecked(True)
        dialog.title_edit.setText("Thông qua chương trình")

    poll_id = _new_poll(qtbot, panel, fill)
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "open", timeout=10_000)  # type: ignore[union-attr]
    hall.vote("0001", poll_id, p.Marks(answer="yes"))
    qtbot.waitUntil(lambda: panel.turnout().voted == 1, timeout=10_000)
    assert panel.paper_button.isEnabled()
    said: list[str] = []

    def count(dialog: QDialog) -> None:
        assert isinstance(dialog, PaperCountDialog)
        assert (
            "added to the 1 vote cast on devices" in dialog.findChild(QLabel, "confirmText").text()
        )  # type: ignore[union-attr]
        dialog.ok_button.click()
        assert dialog.error_label.text() == "Enter the tellers' figures: no ballot is counted yet."
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog.figures[0]["yes"].setValue(2)
        dialog.figures[0]["no"].setValue(1)
        dialog.invalid.setValue(1)
        assert dialog.sum_label.text() == "Ballots counted: 3 · abstaining: 0 · invalid: 1"
        assert not dialog.error_label.isVisible()
        answer_next_dialog(confirm_it)
        dialog.ok_button.click()

    def confirm_it(dialog: QDialog) -> None:
        said.append(dialog.text_label.text())  # type: ignore[attr-defined]
        dialog.accept()

    answer_next_dialog(count)
    panel.paper_button.click()
    assert said and said[0].startswith(
        "Close “Thông qua chương trình” with 3 paper ballots (1 invalid)?"
    )
    qtbot.waitUntil(lambda: panel.selected_poll().status == "closed", timeout=10_000)  # type: ignore[union-attr]
    closed = panel.selected_poll()
    assert closed is not None and closed.result is not None
    assert closed.result.totals == [p.OptionTotal(option_id=0, yes=3, no=1, abstain=0)]
    shown = [
        panel.figures.itemAtPosition(row, column).widget().text()  # type: ignore[union-attr]
        for column in range(3)
        for row in (0, 1)
    ]
    assert shown == ["Votes cast", "4", "Of them on paper", "3", "Invalid, not counted", "1"]


def test_a_poll_run_on_paper_alone_and_a_count_that_does_not_add_up(
    qtbot: QtBot, console: ConsoleWindow
) -> None:
    _check_in_everyone(qtbot, console)
    panel = console.polls_panel
    console.tabs.setCurrentWidget(panel)

    def fill(dialog: PollDialog) -> None:
        dialog.title_edit.setText("Bầu Ban kiểm phiếu")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("election"))
        for name in ("Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lê Quốc Hưng"):
            dialog.options.new_edit.setText(name)
            dialog.options.add_button.click()
        dialog.seats_spin.setValue(2)

    poll_id = _new_poll(qtbot, panel, fill)
    assert panel.selected_poll().status == "draft"  # type: ignore[union-attr]
    assert panel.paper_button.isEnabled() and not panel.close_button.isEnabled()
    nhung, duc, hung = (o.id for o in panel.selected_poll().spec.options)  # type: ignore[union-attr]

    def count(dialog: QDialog) -> None:
        assert isinstance(dialog, PaperCountDialog)
        assert dialog.ballots is not None and dialog.abstain is not None
        dialog.ballots.setValue(30)
        dialog.abstain.setValue(2)
        dialog.figures[nhung]["yes"].setValue(31)  # more than the 28 valid ballots
        dialog.figures[duc]["yes"].setValue(20)
        dialog.figures[hung]["yes"].setValue(5)
        dialog.ok_button.click()
        assert dialog.error_label.text() == (
            "“Nguyễn Thị Hồng Nhung” cannot have more votes than the 28 valid ballots."
        )
        dialog.figures[nhung]["yes"].setValue(25)
        assert not dialog.error_label.isVisible()  # said again as it is typed
        answer_next_dialog(lambda confirm: confirm.accept())
        dialog.ok_button.click()

    answer_next_dialog(count)
    panel.paper_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "closed", timeout=10_000)  # type: ignore[union-attr]
    run = panel.selected_poll()
    assert run is not None and run.id == poll_id and run.opened_at is None
    assert run.result is not None and run.result.elected == [nhung, duc]
    assert panel.outcome_label.text().startswith("Elected:")


def test_the_buttons_wait_for_the_room(
    qtbot: QtBot, console: ConsoleWindow, live: ServerThread
) -> None:
    attendance, polls = console.attendance_panel, console.polls_panel
    attendance.select_delegates([_ids(live)["0001"]])
    assert attendance.check_in_button.isEnabled() and polls.new_button.isEnabled()
    live.stop()
    qtbot.waitUntil(lambda: not console.requests.is_online(), timeout=10_000)
    assert not attendance.check_in_button.isEnabled()
    assert not attendance.proxy_button.isEnabled()
    assert not polls.new_button.isEnabled()
    assert console.offline_banner.isVisibleTo(console)


# --------------------------------------------------------------------------- the poll form


def test_the_form_says_tallys_sentence_under_the_field_and_sends_nothing(qtbot: QtBot) -> None:
    dialog = PollDialog(None, [(7, "1 Khai mạc")], 7, ["ban-chap-hanh"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem_text("title") == "Write the question the delegates vote on."
    dialog.title_edit.setText("Bầu Ban Chấp hành")
    assert dialog.problem_text("title") == ""  # said again as the form changes
    dialog.choose_template("Elect the committee")
    assert dialog.kind() == "election" and dialog.secret_radio.isChecked()
    assert dialog.problem_text("options") == "An election needs at least 1 candidate."
    for name in ("Nguyễn Thị Hồng Nhung", "Trần Văn Đức"):
        dialog.options.new_edit.setText(name)
        dialog.options.add_button.click()
    assert dialog.problem_text("options") == "An election cannot fill 5 seats with 2 candidates."
    dialog.seats_spin.setValue(2)
    assert dialog.problem_text("options") == ""
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData("fraction"))
    dialog.numerator_spin.setValue(3)
    dialog.denominator_spin.setValue(2)
    assert dialog.problem_text("majority") == "A majority of 3/2 is more than all the votes."
    assert dialog.problem_text("options") == ""  # each sentence under its own field
    dialog.numerator_spin.setValue(1)
    dialog.quorum_combo.setCurrentIndex(dialog.quorum_combo.findData("count"))
    dialog.quorum_count.setValue(0)
    assert dialog.problem_text("quorum") == "A quorum by number needs at least 1 member."
    dialog.quorum_count.setValue(20)
    assert not dialog.changeable_box.isEnabled()  # a secret vote is never changeable
    dialog.timed_box.setChecked(True)
    dialog.minutes_spin.setValue(0)
    dialog.seconds_spin.setValue(5)
    assert dialog.problem_text("time") == "A time limit is between 10 seconds and 24 hours."
    dialog.seconds_spin.setValue(30)
    dialog.audience.members_only.setChecked(True)
    assert dialog.problem_text("groups") == "Tick the groups whose members vote."
    dialog.audience.group_list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    values = dialog.values()
    assert values.item_id == 7 and values.title == "Bầu Ban Chấp hành"
    assert values.spec.max_choices == 2 and values.spec.groups == ["ban-chap-hanh"]
    assert values.spec.seconds == 30 and values.spec.quorum == p.Quorum(kind="count", count=20)


def test_own_templates_are_saved_and_a_broken_file_is_said_in_words(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "console" / cv.TEMPLATES_FILE
    dialog = PollDialog(None, templates_path=path)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("per_candidate"))
    dialog.options.set_labels(["Ứng viên A", "Ứng viên B", "Ứng viên C"])
    dialog.seats_spin.setValue(2)
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData("two_thirds"))

    def name_it(named: QDialog) -> None:
        named.name_edit.setText("Bầu từng người")  # type: ignore[attr-defined]
        named._accept()  # type: ignore[attr-defined]

    answer_next_dialog(name_it)
    dialog.save_template()
    assert dialog.template_combo.currentText() == "Bầu từng người"
    saved = cv.load_templates(path)
    assert [t.name for t in saved] == ["Bầu từng người"]
    assert saved[0].spec.kind == "per_candidate" and saved[0].spec.max_choices == 2

    again = PollDialog(None, templates_path=path)
    qtbot.addWidget(again)
    again.choose_template("Bầu từng người")
    assert again.kind() == "per_candidate" and again.options.labels()[2] == "Ứng viên C"
    assert again.spec().majority.rule == "two_thirds"

    path.write_text("{ this is not json", encoding="utf-8")
    broken = PollDialog(None, templates_path=path)
    qtbot.addWidget(broken)
    broken.show()
    assert broken.template_note.isVisibleTo(broken)
    assert broken.template_note.text().startswith("Your saved poll templates are damaged (")
    assert "only the built-in ones are offered" in broken.template_note.text()
    assert broken.template_names()[1:] == [
        "Approve the agenda",
        "Adopt the resolution",
        "Elect the committee",
    ]
    # a template whose rules cannot work is refused whole, with tally's sentence
    wrong = {"kind": "motion", "majority": {"rule": "fraction", "numerator": 3, "denominator": 2}}
    bad = {"templates": [{"name": "Sai", "spec": wrong}]}
    path.write_text(json.dumps(bad), encoding="utf-8")
    invalid = PollDialog(None, templates_path=path)
    qtbot.addWidget(invalid)
    assert "“Sai”: A majority of 3/2 is more than all the votes." in invalid.template_note.text()
    # saving starts a new file and keeps the old one beside it
    answer_next_dialog(name_it)
    invalid.save_template()
    assert [t.name for t in cv.load_templates(path)] == ["Bầu từng người"]
    assert json.loads(path.with_name("poll-templates.unreadable.json").read_text()) == bad
    assert invalid.template_note.isHidden()


def test_the_votes_tab_in_vietnamese_from_the_form_to_the_result(
    qtbot: QtBot, console: ConsoleWindow, hall: Hall, translations: Translations
) -> None:
    hall.device("0001")
    _check_in_everyone(qtbot, console)
    assert translations.set_language("vi", remember=False)
    assert "Có mặt 40 trên 40" in console.attendance_panel.summary_label.text()
    panel = console.polls_panel
    console.tabs.setCurrentWidget(panel)
    assert console.tabs.tabText(console.tabs.indexOf(panel)) == "Biểu quyết"

    def fill(dialog: PollDialog) -> None:
        assert dialog.windowTitle() == "Cuộc biểu quyết mới"
        dialog.title_edit.setText("Thông qua chương trình")

    poll_id = _new_poll(qtbot, panel, fill)
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "open", timeout=10_000)  # type: ignore[union-attr]
    hall.vote("0001", poll_id, p.Marks(answer="yes"))
    qtbot.waitUntil(lambda: panel.turnout().voted == 1, timeout=10_000)
    answer_next_dialog(lambda dialog: dialog.accept())
    panel.close_button.click()
    qtbot.waitUntil(lambda: panel.selected_poll().status == "closed", timeout=10_000)  # type: ignore[union-attr]
    assert panel.outcome_label.text() == "Được thông qua"
    assert "Tán thành" in panel.chart.summary()
