"""The secretary console: requests built right, sent through the bridge, errors shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from app import protocol as p
from app.agenda_rules import move_request, next_item_id
from app.client import NotConnected, RequestError
from app.state import Area, RoomModel
from tests.ui.support import (
    answer_next_dialog,
    delegate_identity,
    item,
    long_model,
    presence_of,
    sample_model,
    show_top,
)
from ui import theme
from ui.console.dialogs import CloseMeetingDialog, ConfirmDialog, GraceDialog, ItemDialog
from ui.console.window import ConsoleWindow
from ui.i18n import Translations


def _console(qtbot: QtBot, bridge: Any) -> ConsoleWindow:
    window = ConsoleWindow(bridge, delegate_identity("secretary"))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def test_next_item_walks_the_agenda_in_order() -> None:
    assert next_item_id(sample_model(current=4), 1) == 5
    assert next_item_id(sample_model(current=1), 1) == 2  # into the sub-items
    assert next_item_id(sample_model(current=None), 1) == 1
    assert next_item_id(sample_model(current=8), 1) is None


@pytest.mark.parametrize(
    ("item_id", "direction", "expected"),
    [
        (5, "up", (None, 1)),
        (5, "down", (None, 3)),
        (2, "up", None),
        (3, "up", (1, 0)),
        (5, "indent", (4, 0)),
        (6, "outdent", (None, 3)),
        (4, "outdent", None),
        (1, "indent", None),
    ],
)
def test_move_requests(item_id: int, direction: str, expected: tuple[Any, int] | None) -> None:
    model = sample_model()
    msg = move_request(model, model.items[item_id], direction)
    if expected is None:
        assert msg is None
    else:
        assert msg is not None
        assert (msg.parent_id, msg.position) == expected


def test_set_current_and_next_send_requests(qtbot: QtBot, make_bridge: Callable[..., Any]) -> None:
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)
    assert window.meetings_panel.selected_meeting_id() == 1
    window.agenda_panel.agenda_view.select_item(7)
    window.control_panel.set_current_button.click()
    qtbot.waitUntil(lambda: len(client.requests) == 1)
    assert client.requests[0] == p.AgendaSetCurrent(id=0, meeting_id=1, item_id=7)
    window.control_panel.next_button.click()
    qtbot.waitUntil(lambda: len(client.requests) == 2)
    assert client.requests[1] == p.AgendaSetCurrent(id=0, meeting_id=1, item_id=5)
    qtbot.waitUntil(
        lambda: not window.message_is_error() and "Now on every screen" in window.message()
    )


def test_refusals_are_shown_not_swallowed(qtbot: QtBot, make_bridge: Callable[..., Any]) -> None:
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)

    def refuse(msg: Any) -> Any:
        raise RequestError(p.ErrorCode.FORBIDDEN, "secretaries only")

    client.reply = refuse
    window.meetings_panel.select_meeting(2)
    window.meetings_panel.activate_button.click()
    qtbot.waitUntil(window.message_is_error)
    assert "not allowed" in window.message()

    def offline(msg: Any) -> Any:
        raise NotConnected("not connected")

    client.reply = offline
    window.agenda_panel.agenda_view.select_item(None)
    window.agenda_panel.move_selected("up")  # nothing selected: nothing sent
    window.meetings_panel.select_meeting(1)
    window.agenda_panel.agenda_view.select_item(5)
    window.agenda_panel.move_selected("up")
    qtbot.waitUntil(lambda: "Not connected" in window.message())
    assert window.message_is_error()
    assert client.requests[-1] == p.AgendaMove(id=0, item_id=5, parent_id=None, position=1)


def test_presence_counts_delegates(
    qtbot: QtBot, network: Any, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)
    assert window.delegates_panel.count_button.summary() == "Delegates connected: 0"
    # no roster on this device (a delegate's state has none): every delegate online counts
    network.loop.call_soon_threadsafe(client.on_presence, presence_of(range(1, 1433), secretary=2))
    expected = "Delegates connected: " + QLocale().toString(1432)  # grouped as the locale does
    qtbot.waitUntil(lambda: window.delegates_panel.count_button.summary() == expected)


def test_selecting_a_meeting_shows_its_agenda(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, _ = make_bridge(status="online")
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(2)
    assert window.meetings_panel.selected_meeting_id() == 2
    assert window.agenda_panel.agenda_view.item_ids() == []
    assert window.meetings_panel.activate_button.isEnabled()
    window.meetings_panel.select_meeting(1)
    assert window.agenda_panel.agenda_view.item_ids()[0] == 1
    assert (
        not window.meetings_panel.activate_button.isEnabled()
    )  # already on the delegates' screens


def test_item_dialog_checks_locally(qtbot: QtBot) -> None:
    dialog = ItemDialog()
    qtbot.addWidget(dialog)
    assert dialog.problem() == "Give the item a title."
    dialog.title_edit.setText("Bầu cử")
    dialog.start_edit.setText("8:3")
    assert "hours and minutes" in dialog.problem()
    dialog.start_edit.setText("08:30")
    dialog.minutes_spin.setValue(20)
    assert dialog.problem() == ""
    values = dialog.values()
    assert (values.planned_start, values.planned_minutes, values.number) == ("08:30", 20, "")


def test_item_dialog_sends_only_what_changed(qtbot: QtBot) -> None:
    model = sample_model()
    dialog = ItemDialog(None, model.items[4])
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Báo cáo chính trị (sửa)")
    assert dialog.values().changes_from(model.items[4]) == {"title": "Báo cáo chính trị (sửa)"}


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape])
def test_removing_an_item_keeps_it_unless_remove_is_clicked(
    qtbot: QtBot, make_bridge: Callable[..., Any], key: Qt.Key
) -> None:
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)
    window.agenda_panel.agenda_view.select_item(5)

    def press(box: ConfirmDialog) -> None:
        assert (box.keep_button.text(), box.go_button.text()) == ("Keep it", "Remove")
        assert box.keep_button.isDefault() and not box.go_button.autoDefault()
        assert box.focusWidget() is box.keep_button
        assert "Sub-items removed with it: 1" in box.text_label.text()
        qtbot.keyClick(box.focusWidget(), key)  # type: ignore[no-untyped-call]

    seen = answer_next_dialog(press)
    window.agenda_panel.remove_button.click()
    assert seen and not seen[0].isVisible()
    qtbot.wait(50)
    assert client.requests == []

    seen = answer_next_dialog(lambda box: box.go_button.click())
    window.agenda_panel.remove_button.click()
    assert seen
    qtbot.waitUntil(lambda: client.requests == [p.AgendaRemove(id=0, item_id=5)])


@pytest.mark.parametrize(
    ("selected", "sub", "where", "parent_id", "position"),
    [
        (6, False, "It goes at the top level, after 3 “Thảo luận tại hội trường”.", None, 3),
        (4, False, "It goes at the top level, after 2 “Báo cáo chính trị”.", None, 2),
        (None, False, "It goes at the top level, at the end of the agenda.", None, None),
        (
            6,
            True,
            "It goes under 3.1 “Tham luận của Đoàn Hà Nội”, after its last sub-item.",
            6,
            None,
        ),
        (5, True, "It goes under 3 “Thảo luận tại hội trường”, after its last sub-item.", 5, None),
    ],
)
def test_add_item_is_top_level_and_add_sub_item_goes_under_the_selection(
    qtbot: QtBot,
    make_bridge: Callable[..., Any],
    selected: int | None,
    sub: bool,
    where: str,
    parent_id: int | None,
    position: int | None,
) -> None:
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)
    window.agenda_panel.agenda_view.select_item(selected)
    said: list[str] = []

    def fill(dialog: ItemDialog) -> None:
        said.append(dialog.context_label.text())
        dialog.title_edit.setText("Bầu cử")
        dialog.ok_button.click()

    answer_next_dialog(fill)
    (window.agenda_panel.add_sub_button if sub else window.agenda_panel.add_button).click()
    assert said == [where]
    qtbot.waitUntil(lambda: len(client.requests) == 1)
    sent = client.requests[0]
    assert isinstance(sent, p.AgendaAdd)
    assert (sent.parent_id, sent.position, sent.title) == (parent_id, position, "Bầu cử")


def _senders(window: ConsoleWindow) -> list[Any]:
    """Every button that sends a request to the room."""
    return [
        window.meetings_panel.new_meeting_button,
        window.meetings_panel.activate_button,
        window.meetings_panel.close_meeting_button,
        window.agenda_panel.add_button,
        window.agenda_panel.add_sub_button,
        window.agenda_panel.edit_button,
        window.agenda_panel.remove_button,
        window.agenda_panel.up_button,
        window.agenda_panel.down_button,
        window.agenda_panel.indent_button,
        window.agenda_panel.outdent_button,
        window.control_panel.set_current_button,
        window.control_panel.next_button,
    ]


def test_nothing_can_be_sent_until_the_room_is_online(
    qtbot: QtBot, network: Any, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge()
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(2)  # not on screens: "Show to delegates" could be pressed
    window.meetings_panel.select_meeting(1)
    window.agenda_panel.agenda_view.select_item(5)
    assert window.offline_banner.isVisible()
    assert "changes cannot be sent" in window.offline_banner.text()
    assert not any(button.isEnabled() for button in _senders(window))

    client.push_status(network, "online", 1_700_000_000.0)
    qtbot.waitUntil(window.requests.is_online)
    assert not window.offline_banner.isVisible()
    enabled = {b for b in _senders(window) if b.isEnabled()}
    assert enabled == set(_senders(window)) - {
        window.meetings_panel.activate_button,
        window.agenda_panel.outdent_button,
    }

    client.push_status(network, "connecting", 1_700_000_100.0)
    qtbot.waitUntil(lambda: not window.requests.is_online())
    assert window.offline_banner.isVisible()
    assert not any(button.isEnabled() for button in _senders(window))
    seen = answer_next_dialog(lambda dialog: dialog.reject())
    window.agenda_panel.agenda_view.doubleClicked.emit(
        window.agenda_panel.agenda_view.model().index(0, 0)
    )
    qtbot.wait(30)
    assert seen == [] and client.requests == []  # no edit dialog while offline


def _two_meetings() -> Any:
    """Meeting 1 on the delegates' screens; meeting 2 with an agenda of its own."""
    model = sample_model()
    model.items[20] = item(20, "Bầu Ban chấp hành", meeting=2)
    model.items[21] = item(21, "Bế mạc", meeting=2, position=1)
    return model


@pytest.mark.parametrize("action", ["set_current", "next"])
def test_moving_another_meeting_along_asks_first(
    qtbot: QtBot, make_bridge: Callable[..., Any], action: str
) -> None:
    bridge, client = make_bridge(model=_two_meetings(), status="online")
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(2)
    window.agenda_panel.agenda_view.select_item(20)
    button = (
        window.control_panel.set_current_button
        if action == "set_current"
        else window.control_panel.next_button
    )
    asked: list[str] = []

    def cancel(dialog: ConfirmDialog) -> None:
        asked.append(dialog.text_label.text())
        assert dialog.keep_button.text() == "Cancel" and dialog.keep_button.isDefault()
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # type: ignore[no-untyped-call]

    answer_next_dialog(cancel)
    button.click()
    assert "“Phiên bế mạc” is not the meeting on the delegates' screens" in asked[0]
    assert "They show “Đại hội — Phiên khai mạc” now." in asked[0]
    qtbot.wait(30)
    assert client.requests == []

    answer_next_dialog(lambda dialog: dialog.go_button.click())
    button.click()
    qtbot.waitUntil(lambda: client.requests == [p.AgendaSetCurrent(id=0, meeting_id=2, item_id=20)])


def test_moving_the_shown_meeting_along_asks_nothing(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(model=_two_meetings(), status="online")
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(1)
    seen = answer_next_dialog(lambda dialog: dialog.reject())
    window.control_panel.next_button.click()
    qtbot.waitUntil(lambda: client.requests == [p.AgendaSetCurrent(id=0, meeting_id=1, item_id=5)])
    assert seen == []


def test_a_meeting_is_closed_after_asking_and_reopened(
    qtbot: QtBot, network: Any, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(1)
    assert window.meetings_panel.close_meeting_button.text() == "Close meeting…"

    def keep(dialog: ConfirmDialog) -> None:
        assert "Close “Đại hội — Phiên khai mạc”?" in dialog.text_label.text()
        assert dialog.keep_button.isDefault() and dialog.keep_button.text() == "Keep it open"
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)  # type: ignore[no-untyped-call]

    answer_next_dialog(keep)
    window.meetings_panel.close_meeting_button.click()
    qtbot.wait(30)
    assert client.requests == []
    answer_next_dialog(lambda dialog: dialog.go_button.click())
    window.meetings_panel.close_meeting_button.click()
    qtbot.waitUntil(
        lambda: client.requests == [p.MeetingUpdate(id=0, meeting_id=1, status="closed")]
    )

    closed = sample_model()
    closed.meetings[1] = msgspec.structs.replace(closed.meetings[1], status="closed")
    client.push_state(network, closed)
    qtbot.waitUntil(lambda: window.meetings_panel.close_meeting_button.text() == "Reopen meeting")
    row = window.meetings_panel.meeting_list.currentItem()
    assert "Closed" in row.text()
    assert row.foreground().color() == theme.INK_DONE and row.font().italic()
    other = window.meetings_panel.meeting_list.item(1)
    assert other.foreground().color() != theme.INK_DONE and not other.font().italic()
    seen = answer_next_dialog(lambda dialog: dialog.reject())
    window.meetings_panel.close_meeting_button.click()
    qtbot.waitUntil(lambda: len(client.requests) == 2)
    assert client.requests[1] == p.MeetingUpdate(id=0, meeting_id=1, status="open")
    assert seen == []  # reopening needs no question


# --------------------------------------------------------------------------- areas


def _rebuilds(view: Any) -> list[int]:
    """How many times ``view``'s rows are rebuilt (its model reset) from now on."""
    count = [0]
    view.model().modelReset.connect(lambda: count.__setitem__(0, count[0] + 1))
    return count


def test_the_agenda_moving_on_does_not_rebuild_the_meeting_list(
    qtbot: QtBot, network: Any, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)
    meetings = window.meetings_panel.meeting_list
    first_row = meetings.item(0)
    meeting_rebuilds = _rebuilds(meetings)
    agenda_rebuilds = _rebuilds(window.agenda_panel.agenda_view)
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, sample_model(current=5, done=(1, 2, 3, 4)), Area.AGENDA)
    assert window.agenda_panel.agenda_view.current_item_id() == 5
    assert window.control_panel.current_label.text() == "Now: 3  Thảo luận tại hội trường"
    assert agenda_rebuilds == [1]
    assert meeting_rebuilds == [0] and meetings.item(0) is first_row  # the same row objects


def test_a_roster_update_does_not_touch_the_agenda(
    qtbot: QtBot, network: Any, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(model=long_model(), status="online")
    window = _console(qtbot, bridge)
    view = window.agenda_panel.agenda_view
    view.select_item(3)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 3)
    scroll = view.verticalScrollBar().value()
    agenda_rebuilds = _rebuilds(view)
    meeting_rebuilds = _rebuilds(window.meetings_panel.meeting_list)
    roster = long_model()
    roster.roster = p.RosterInfo(delegates=1600)
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, roster, Area.ROSTER)
    assert agenda_rebuilds == [0] and meeting_rebuilds == [0]
    assert view.selected_item_id() == 3 and view.verticalScrollBar().value() == scroll
    assert window.control_panel.detail.title_text() == "3  Mục thứ 3 của chương trình"


def test_a_meeting_renamed_changes_the_heading_not_the_agenda(
    qtbot: QtBot, network: Any, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)
    window.agenda_panel.agenda_view.select_item(7)
    agenda_rebuilds = _rebuilds(window.agenda_panel.agenda_view)
    meeting_rebuilds = _rebuilds(window.meetings_panel.meeting_list)
    renamed = sample_model()
    renamed.meetings[1] = msgspec.structs.replace(renamed.meetings[1], title="Phiên trù bị")
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, renamed, Area.MEETINGS)
    assert window.agenda_panel.heading.text() == "Agenda — Phiên trù bị"
    assert window.meetings_panel.meeting_list.currentItem().text().startswith("Phiên trù bị")
    assert meeting_rebuilds == [1] and agenda_rebuilds == [0]
    assert window.agenda_panel.agenda_view.selected_item_id() == 7


def test_in_a_narrow_window_the_agenda_tools_take_two_rows_and_keep_their_words(
    qtbot: QtBot, make_bridge: Callable[..., Any], translations: Translations
) -> None:
    bridge, _ = make_bridge(status="online")
    window = ConsoleWindow(bridge, delegate_identity("secretary"), translations)
    show_top(qtbot, window, 1280, 800)
    panel = window.agenda_panel
    assert not panel.tools_wrapped()
    translations.set_language("vi", remember=False)
    window.resize(960, 600)
    qtbot.waitUntil(panel.tools_wrapped)
    tools = (panel.add_button, panel.add_sub_button, panel.edit_button, panel.remove_button)
    qtbot.waitUntil(lambda: all(b.width() >= b.sizeHint().width() for b in tools))  # laid out
    assert panel.edit_button.geometry().top() > panel.add_button.geometry().bottom()
    translations.set_language("en", remember=False)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: not panel.tools_wrapped())


def test_a_meeting_created_here_shows_its_agenda_when_it_arrives(
    qtbot: QtBot, network: Any, make_bridge: Callable[..., Any]
) -> None:
    """The room answers before its event arrives: the new meeting is selected at once, and its
    agenda is shown when the meeting (then its items) reach the console."""
    bridge, client = make_bridge(status="online")
    window = _console(qtbot, bridge)

    def fill(dialog: Any) -> None:
        dialog.title_edit.setText("Phiên bất thường")
        dialog.ok_button.click()

    answer_next_dialog(fill)
    window.meetings_panel.new_meeting_button.click()
    qtbot.waitUntil(lambda: window.meetings_panel.selected_meeting_id() == 99)
    assert window.agenda_panel.heading.text() == "Agenda"  # not known here yet

    def with_meeting(*items: p.AgendaItem) -> Any:
        model = sample_model()
        model.meetings[99] = p.Meeting(id=99, title="Phiên bất thường")
        for new in items:
            model.items[new.id] = new
        return model

    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, with_meeting(), Area.MEETINGS)
    assert window.agenda_panel.heading.text() == "Agenda — Phiên bất thường"
    assert window.agenda_panel.agenda_view.meeting_id() == 99
    assert window.agenda_panel.add_button.isEnabled()
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, with_meeting(item(50, "Khai mạc", meeting=99)), Area.AGENDA)
    assert window.agenda_panel.agenda_view.item_ids() == [50]


def test_a_meeting_can_be_for_some_groups_only(
    qtbot: QtBot, network: Any, make_bridge: Callable[..., Any]
) -> None:
    """The roster's groups are offered; ticked ones go with the request, none ticked is
    refused in the dialog, and the meeting list says who the meeting is for."""
    model = sample_model()
    model.roster = p.RosterInfo(delegates=40, groups=["ban-chap-hanh", "to-thu-ky"])
    bridge, client = make_bridge(status="online", model=model)
    window = _console(qtbot, bridge)
    seen: list[str] = []

    def fill(dialog: Any) -> None:
        assert [
            dialog.audience.group_list.item(i).text()
            for i in range(dialog.audience.group_list.count())
        ] == [
            "ban-chap-hanh",
            "to-thu-ky",
        ]
        dialog.title_edit.setText("Ban Chấp hành họp riêng")
        dialog.audience.members_only.setChecked(True)
        dialog.ok_button.click()  # nothing ticked yet
        seen.append(dialog.error_label.text())
        dialog.audience.group_list.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.ok_button.click()

    answer_next_dialog(fill)
    window.meetings_panel.new_meeting_button.click()
    qtbot.waitUntil(lambda: bool(client.requests))
    assert seen == ["Tick the groups whose members see this meeting."]
    sent = client.requests[-1]
    assert isinstance(sent, p.MeetingCreate) and sent.groups == ["ban-chap-hanh"]
    model.meetings[99] = p.Meeting(id=99, title="Ban Chấp hành họp riêng", groups=["ban-chap-hanh"])
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, model, Area.MEETINGS)
    texts = [
        window.meetings_panel.meeting_list.item(i).text()
        for i in range(window.meetings_panel.meeting_list.count())
    ]
    assert any("only ban-chap-hanh" in t for t in texts)


def test_without_groups_in_the_roster_the_question_is_not_asked(qtbot: QtBot) -> None:
    from ui.console.dialogs import MeetingDialog

    dialog = MeetingDialog(None, ())
    qtbot.addWidget(dialog)
    assert dialog.audience.isHidden() and dialog.values().groups == ()


def _with_a_document() -> Any:
    model = sample_model()
    state = model.to_state()
    doc = p.Document(
        id=1,
        meeting_id=1,
        item_id=4,
        title="Dự thảo Báo cáo chính trị",
        version=1,
        key_epoch=1,
        manifest=bytes(32),
        length=1000,
        pages=12,
    )
    return RoomModel(msgspec.structs.replace(state, documents=[doc]))


def test_a_meeting_with_documents_is_wiped_only_when_the_secretary_ticks_it(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(model=_with_a_document(), status="online")
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(1)

    def wipe(dialog: CloseMeetingDialog) -> None:
        assert dialog.wipe_box.isVisible() and not dialog.wipe_box.isChecked()
        assert dialog.keep_button.isDefault()
        dialog.wipe_box.click()
        assert dialog.go_button.text() == "Close and wipe from every device"
        dialog.go_button.click()

    answer_next_dialog(wipe)
    window.meetings_panel.close_meeting_button.click()
    qtbot.waitUntil(
        lambda: client.requests == [p.MeetingUpdate(id=0, meeting_id=1, status="closed", wipe=True)]
    )


def test_a_wipe_may_leave_delegates_their_notes(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(model=_with_a_document(), status="online")
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(1)

    def wipe_keeping_notes(dialog: CloseMeetingDialog) -> None:
        assert not dialog.notes_box.isEnabled()  # a choice of the wipe only
        dialog.wipe_box.click()
        assert dialog.notes_box.isEnabled() and not dialog.notes_box.isChecked()
        dialog.notes_box.click()
        dialog.go_button.click()

    answer_next_dialog(wipe_keeping_notes)
    window.meetings_panel.close_meeting_button.click()
    wanted = p.MeetingUpdate(id=0, meeting_id=1, status="closed", wipe=True, notes_kept=True)
    qtbot.waitUntil(lambda: client.requests == [wanted])


def test_the_offline_reading_limit_is_set_and_lifted(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(model=_with_a_document(), status="online")
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(1)
    panel = window.meetings_panel
    assert panel.grace_button.text() == "Offline reading…"

    def limit(dialog: GraceDialog) -> None:
        assert not dialog.limited.isChecked() and not dialog.hours.isEnabled()
        dialog.limited.click()
        dialog.hours.setValue(36)
        dialog.accept()

    answer_next_dialog(limit)
    panel.grace_button.click()
    qtbot.waitUntil(
        lambda: client.requests == [p.MeetingUpdate(id=0, meeting_id=1, offline_grace_hours=36)]
    )


def test_the_secretary_lets_delegates_save_their_annotated_copy(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(model=_with_a_document(), status="online")
    window = _console(qtbot, bridge)
    window.meetings_panel.select_meeting(1)

    def allow(dialog: GraceDialog) -> None:
        assert not dialog.export_box.isChecked()
        dialog.export_box.click()
        dialog.accept()

    answer_next_dialog(allow)
    window.meetings_panel.grace_button.click()
    qtbot.waitUntil(
        lambda: client.requests == [p.MeetingUpdate(id=0, meeting_id=1, export_allowed=True)]
    )
