"""The console's delegates: "connected N of M", who is missing, by delegation, by search."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest
from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from app import protocol as p
from app.state import Area
from tests.ui.support import delegate_identity, presence_of, roster_model, sample_model
from ui.bridge import NetworkThread
from ui.console.delegates_panel import CONNECTED, EVERYONE, DelegatesModel, DelegatesPanel
from ui.console.window import ConsoleWindow
from ui.i18n import Translations

#: Delegates 1…1203 of 1,600 connected.
ONLINE = range(1, 1204)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Numbers grouped and names sorted as in English, whatever the machine's locale (the apps
    always set the language's locale, :class:`ui.i18n.Translations`)."""
    before = QLocale()
    QLocale.setDefault(QLocale("en"))
    yield
    QLocale.setDefault(before)


def _console(qtbot: QtBot, bridge: Any, translations: Translations | None = None) -> ConsoleWindow:
    window = ConsoleWindow(bridge, delegate_identity("secretary"), translations)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def _numbers(panel: DelegatesPanel) -> list[str]:
    """The numbers of the delegates listed, in the order shown."""
    shown = panel.table.model()
    return [shown.index(row, DelegatesModel.NUMBER).data() for row in range(shown.rowCount())]


def _push_presence(network: NetworkThread, client: Any, presence: p.Presence) -> None:
    network.loop.call_soon_threadsafe(client.on_presence, presence)


def _with_presence(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> tuple[ConsoleWindow, Any]:
    bridge, client = make_bridge(model=roster_model(1600), status="online")
    window = _console(qtbot, bridge)
    with qtbot.waitSignal(bridge.presenceChanged):
        _push_presence(network, client, presence_of(ONLINE, secretary=1))
    return window, client


def test_the_header_says_how_many_of_the_roster_are_connected(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    window, client = _with_presence(qtbot, network, make_bridge)
    count = window.delegates_panel.count_button
    assert count.summary() == "Delegates connected: 1,203 of 1,600"
    assert count.accessibleName() == count.summary()
    assert count.toolTip() == "Devices connected now:\nDelegates: 1,203\nSecretariat: 1"
    # a delegate on two devices counts once; an id not on the roster does not count
    _push_presence(network, client, presence_of([*ONLINE, 5, 99_999]))
    qtbot.waitUntil(lambda: "Delegates: 1,205" in count.toolTip())
    assert count.summary() == "Delegates connected: 1,203 of 1,600"
    count.click()
    assert window.tabs.currentWidget() is window.delegates_panel


def test_the_list_starts_on_who_is_missing_and_the_filters_add_up(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    window, _ = _with_presence(qtbot, network, make_bridge)
    panel = window.delegates_panel
    texts = [button.text() for button in panel.state_buttons.values()]
    assert texts == ["Not connected (397)", "Connected (1,203)", "All (1,600)"]
    assert _numbers(panel)[:3] == ["1204", "1205", "1206"]
    assert len(_numbers(panel)) == 397
    assert panel.shown_label.text() == "Showing 397 of 1,600 delegates"
    panel.state_buttons[CONNECTED].click()
    assert len(_numbers(panel)) == 1203 and _numbers(panel)[0] == "0001"
    panel.state_buttons[EVERYONE].click()
    assert len(_numbers(panel)) == 1600
    row = panel.table.model().index(0, DelegatesModel.CONNECTION)
    assert row.data() == "Connected"


def test_search_ignores_case_and_diacritics_and_finds_numbers(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    window, _ = _with_presence(qtbot, network, make_bridge)
    panel = window.delegates_panel
    panel.set_state(EVERYONE)
    qtbot.keyClicks(panel.search_edit, "nguyen thi hong NHUNG")
    assert _numbers(panel) == ["0001"]
    panel.search_edit.setText("0001")
    assert _numbers(panel) == ["0001"]
    panel.search_edit.setText("1")  # a number typed without its zeros
    assert _numbers(panel)[:2] == ["0001", "0010"]
    panel.search_edit.setText("đoàn hà nội")  # the delegation's name finds its delegates
    assert len(_numbers(panel)) == 50
    panel.set_state(CONNECTED)
    panel.search_edit.setText("zzz")
    assert panel.list_stack.currentWidget() is panel.empty_label
    assert panel.empty_label.text() == "No delegate matches “zzz”."
    panel.search_edit.clear()
    assert panel.list_stack.currentWidget() is panel.table


def test_attendance_per_delegation_and_its_delegates(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    window, _ = _with_presence(qtbot, network, make_bridge)
    panel = window.delegates_panel
    table = panel.delegation_table
    names = [table.model().index(row, 0).data() for row in range(table.model().rowCount())]
    assert names[:3] == ["Đoàn An Giang", "Đoàn Bắc Ninh", "Đoàn Cà Mau"]
    hanoi = names.index("Đoàn Hà Nội")
    missing = table.model().index(hanoi, 1).data()
    table.selectRow(hanoi)
    listed = _numbers(panel)
    assert missing == f"{len(listed)} of 50"  # Đoàn Hà Nội has 50 in the sample roster
    assert all(
        panel.table.model().index(row, DelegatesModel.CONNECTION).data() == "Not connected"
        for row in range(len(listed))
    )
    assert panel.state_buttons[EVERYONE].text() == "All (50)"
    assert panel.shown_label.text().startswith("Đoàn Hà Nội · Showing")
    assert panel.table.isColumnHidden(DelegatesModel.DELEGATION)
    panel.all_delegations_button.click()
    assert len(_numbers(panel)) == 397 and not panel.table.isColumnHidden(DelegatesModel.DELEGATION)


def test_a_presence_update_redraws_only_who_came_or_went(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    window, client = _with_presence(qtbot, network, make_bridge)
    panel = window.delegates_panel
    panel.table.selectRow(5)
    picked = _numbers(panel)[5]
    changed: list[tuple[int, int, int, int]] = []
    resets = [0]
    source = panel.delegates
    source.dataChanged.connect(
        lambda a, b, _roles=(): changed.append((a.row(), b.row(), a.column(), b.column()))
    )
    source.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
    _push_presence(network, client, presence_of([*ONLINE, 1204, 1300]))  # two arrive
    qtbot.waitUntil(lambda: "1,205 of" in panel.count_button.summary())
    column = DelegatesModel.CONNECTION
    assert changed == [(1203, 1203, column, column), (1299, 1299, column, column)]
    assert resets == [0]
    assert "1204" not in _numbers(panel) and "1300" not in _numbers(panel)
    assert len(_numbers(panel)) == 395
    selected = panel.table.selectionModel().selectedRows()
    assert [panel.table.model().index(i.row(), 0).data() for i in selected] == [picked]


def test_the_roster_is_drawn_on_roster_updates_only(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    bridge, client = make_bridge(model=roster_model(1600), status="online")
    window = _console(qtbot, bridge)
    resets = [0]
    window.delegates_panel.delegates.modelReset.connect(
        lambda: resets.__setitem__(0, resets[0] + 1)
    )
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, roster_model(1600, sample_model(current=5)), Area.AGENDA)
    assert resets == [0]
    bigger = roster_model(1601)
    with qtbot.waitSignal(bridge.stateChanged):
        client.push_state(network, bigger, Area.ROSTER)
    assert resets == [1]
    assert window.delegates_panel.count_button.summary() == "Delegates connected: 0 of 1,601"


def test_an_empty_roster_says_where_one_comes_from(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    model = sample_model()
    model.roster = p.RosterInfo(delegates=0)
    bridge, _ = make_bridge(model=model, status="online")
    window = _console(qtbot, bridge)
    panel = window.delegates_panel
    assert panel.count_button.summary() == "Delegates connected: 0 of 0"
    assert panel.list_stack.currentWidget() is panel.empty_label
    assert "import one on the room server" in panel.empty_label.text()


def test_everything_follows_the_language(
    qtbot: QtBot,
    network: NetworkThread,
    make_bridge: Callable[..., Any],
    translations: Translations,
) -> None:
    bridge, client = make_bridge(model=roster_model(1600), status="online")
    window = _console(qtbot, bridge, translations)
    with qtbot.waitSignal(bridge.presenceChanged):
        _push_presence(network, client, presence_of(ONLINE))
    panel = window.delegates_panel
    translations.set_language("vi", remember=False)
    assert panel.count_button.summary() == "Đại biểu đang kết nối: 1.203 / 1.600"
    assert panel.count_button.toolTip() == "Thiết bị đang kết nối:\nĐại biểu: 1.203"
    assert panel.state_buttons[EVERYONE].text() == "Tất cả (1.600)"
    assert window.tabs.tabText(1) == "Đại biểu"
    header = panel.table.model().headerData(DelegatesModel.NAME, Qt.Orientation.Horizontal)
    assert header == "Họ và tên"
    assert panel.table.model().index(0, DelegatesModel.CONNECTION).data() == "Chưa kết nối"
    translations.set_language("en", remember=False)
    assert panel.count_button.summary() == "Delegates connected: 1,203 of 1,600"


def test_delegates_without_a_delegation_are_listed_as_such(
    qtbot: QtBot, make_bridge: Callable[..., Any]
) -> None:
    model = roster_model(3)
    model.load(
        msgspec.structs.replace(
            model.to_state(),
            delegates=[msgspec.structs.replace(d, delegation="") for d in model.delegates.values()],
        )
    )
    bridge, _ = make_bridge(model=model)
    window = _console(qtbot, bridge)
    table = window.delegates_panel.delegation_table
    assert table.model().index(0, 0).data() == "No delegation"
    assert table.model().index(0, 1).data() == "3 of 3"


def test_out_of_reach_the_count_is_not_known_and_the_list_says_it_is_the_last_known(
    qtbot: QtBot, network: NetworkThread, make_bridge: Callable[..., Any]
) -> None:
    window, client = _with_presence(qtbot, network, make_bridge)
    panel = window.delegates_panel
    assert not panel.not_live_label.isVisible()
    client.push_status(network, "connecting", 1_700_000_000.0)
    qtbot.waitUntil(lambda: not window.requests.is_online())
    assert panel.count_button.summary() == "Delegates connected: — of 1,600"
    assert "who is connected is not known now" in panel.count_button.toolTip()
    window.tabs.setCurrentWidget(panel)
    assert panel.not_live_label.isVisible()
    assert "connections last known" in panel.not_live_label.text()
    assert len(_numbers(panel)) == 397  # the last known, still listed
    client.push_status(network, "online", 1_700_000_100.0)
    qtbot.waitUntil(window.requests.is_online)
    assert panel.count_button.summary() == "Delegates connected: 1,203 of 1,600"
    assert not panel.not_live_label.isVisible()
